package io.federa.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.federa.ml.homo.HomoParams;
import io.federa.ml.homo.Mlp;
import io.federa.ml.homo.ServerOptimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A horizontal job as every party reads it ({@code "kind": "homo"}): the parties and their data
 * files, the arbiter (−1: ring all-reduce among the parties), the test file the first party
 * evaluates on, and the training parameters.
 */
record HomoJob(
    @JsonProperty("kind") String kind,
    @JsonProperty("job_id") String jobId,
    @JsonProperty("parties") List<Integer> parties,
    @JsonProperty("arbiter") int arbiter,
    @JsonProperty("data") Map<String, String> data,
    @JsonProperty("test_data") String testData,
    @JsonProperty("rounds") int rounds,
    @JsonProperty("local_epochs") int localEpochs,
    @JsonProperty("batch_size") int batchSize,
    @JsonProperty("learning_rate") double learningRate,
    @JsonProperty("alpha") double alpha,
    @JsonProperty("mu") double mu,
    @JsonProperty("server") ServerOptimizer.Kind server,
    @JsonProperty("server_learning_rate") double serverLearningRate,
    @JsonProperty("hidden") int[] hidden,
    @JsonProperty("round_deadline_seconds") int roundDeadlineSeconds,
    @JsonProperty("timeout_seconds") int timeoutSeconds) {

  static final String KIND = "homo";

  HomoParams params() {
    return new HomoParams(
        rounds,
        localEpochs,
        batchSize,
        learningRate,
        HomoParams.Optimizer.ADAM,
        alpha,
        mu,
        server,
        serverLearningRate,
        1.0,
        1,
        Duration.ofSeconds(roundDeadlineSeconds),
        hidden,
        Mlp.Activation.RELU,
        7,
        Duration.ofSeconds(timeoutSeconds));
  }

  static HomoJob read(Path file) throws IOException {
    return Json.mapper().readValue(file.toFile(), HomoJob.class);
  }
}
