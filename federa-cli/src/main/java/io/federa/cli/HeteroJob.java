package io.federa.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.ml.hetero.HeteroLrParams;
import io.federa.ml.psi.PsiMode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A vertical job as every party reads it: who plays which role, where each party's data is (a path
 * on that party's own machine), and the parameters of intersection and hetero LR. {@code arbiter}
 * is −1 for the two-party protocol without one. {@code federa demo hetero-lr} hands this file to
 * every party's bare process (the main demo goes through flow's nodes and FATE's DSL instead).
 */
record HeteroJob(
    @JsonProperty("job_id") String jobId,
    @JsonProperty("guest") int guest,
    @JsonProperty("hosts") List<Integer> hosts,
    @JsonProperty("arbiter") int arbiter,
    @JsonProperty("data") Map<String, String> data,
    @JsonProperty("id_column") String idColumn,
    @JsonProperty("label") String label,
    @JsonProperty("psi_mode") PsiMode psiMode,
    @JsonProperty("max_iter") int maxIter,
    @JsonProperty("learning_rate") double learningRate,
    @JsonProperty("optimizer") HeteroLrParams.Optimizer optimizer,
    @JsonProperty("alpha") double alpha,
    @JsonProperty("tol") double tol,
    @JsonProperty("key_bits") int keyBits,
    @JsonProperty("timeout_seconds") int timeoutSeconds) {

  enum Role {
    GUEST,
    HOST,
    ARBITER
  }

  HeteroLrParams params() {
    return new HeteroLrParams(
        maxIter,
        learningRate,
        0,
        alpha,
        tol,
        optimizer,
        keyBits,
        keyBits < 2048,
        Duration.ofSeconds(timeoutSeconds));
  }

  Role roleOf(int party) {
    if (party == guest) {
      return Role.GUEST;
    }
    if (hosts.contains(party)) {
      return Role.HOST;
    }
    if (arbiter >= 0 && party == arbiter) {
      return Role.ARBITER;
    }
    throw new FederaException(
        ErrorCode.INVALID_ARGUMENT,
        "party "
            + party
            + " has no role in job "
            + jobId
            + " (guest "
            + guest
            + ", hosts "
            + hosts
            + ", arbiter "
            + arbiter
            + "); check the job file and the node's --conf");
  }

  io.federa.ml.hetero.Topology topology() {
    return arbiter >= 0
        ? io.federa.ml.hetero.Topology.arbiter(arbiter)
        : io.federa.ml.hetero.Topology.twoParty();
  }

  Path dataOf(int party) {
    String path = data.get(Integer.toString(party));
    if (path == null) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "job " + jobId + " names no data file for party " + party);
    }
    return Path.of(path);
  }

  static HeteroJob read(Path file) {
    try {
      return Json.mapper().readValue(file.toFile(), HeteroJob.class);
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT, "cannot read the job file " + file + ": " + e.getMessage(), e);
    }
  }
}
