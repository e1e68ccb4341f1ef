package io.federa.flow.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.federa.core.FederaException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FATE's own job files and broken ones, validated with JSON paths in every message. */
class JobValidatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path EXAMPLES = Path.of(System.getProperty("federa.data.dir")).getParent();

  private static JsonNode fate(String file) throws Exception {
    return JSON.readTree(EXAMPLES.resolve("fate").resolve(file).toFile());
  }

  private static JsonNode federa(String file) throws Exception {
    return JSON.readTree(EXAMPLES.resolve("federa").resolve(file).toFile());
  }

  private static String problems(JsonNode dsl, JsonNode conf) {
    return assertThrows(FederaException.class, () -> JobValidator.validate(dsl, conf)).getMessage();
  }

  @Test
  void federasHeteroLrJob_validates_inDependencyOrder_withMergedParameters() throws Exception {
    ValidatedJob job =
        JobValidator.validate(federa("hetero_lr_dsl.json"), federa("hetero_lr_conf.json"));
    assertEquals(
        List.of("reader_0", "data_transform_0", "intersection_0", "hetero_lr_0", "evaluation_0"),
        job.order());
    assertEquals(List.of(10000), job.roles().get("host"));
    assertEquals(9999, job.initiatorParty());
    assertEquals(100, job.parameters("hetero_lr_0", "guest", 0).get("max_iter").asInt());
    assertEquals(
        "breast_hetero_host",
        job.parameters("reader_0", "host", 0).path("table").path("name").asText());
    assertEquals(
        false, job.parameters("data_transform_0", "host", 0).get("with_label").asBoolean());
    assertTrue(job.warnings().isEmpty(), "Federa's own file needs no warning: " + job.warnings());
  }

  @Test
  void fatesNormalJobUnchanged_isAcceptedWithAWarningForEachDifference() throws Exception {
    ValidatedJob job =
        JobValidator.validate(
            fate("hetero_lr_normal_dsl.json"), fate("hetero_lr_normal_conf.json"));
    String m = job.warnings().toString();
    assertTrue(m.contains("conf.role.host[0]: party 10000 is both arbiter and host"), m);
    assertTrue(m.contains("can read every row's residual"), m);
    assertTrue(m.contains("hetero_lr_0.encrypt_param.key_length: 1024 bits raised to 2048"), m);
    assertEquals(List.of("host", "arbiter"), job.rolesOf(10000));
    assertEquals(10000, job.idIn("host", 10000));
    int arbiter = job.idIn("arbiter", 10000);
    assertTrue(arbiter < 0, "the second role plays under a virtual id");
    assertEquals(10000, ValidatedJob.realParty(arbiter));
    assertEquals(List.of(arbiter), job.asPlayed().roles().get("arbiter"));
    // a party listed twice in one role is still refused
    ObjectNode twice = (ObjectNode) fate("hetero_lr_normal_conf.json");
    ((ObjectNode) twice.get("role")).set("host", JSON.readTree("[10000, 10000]"));
    String t = problems(fate("hetero_lr_normal_dsl.json"), twice);
    assertTrue(t.contains("party 10000 is listed twice"), t);
  }

  @Test
  void fatesRsaIntersectionAndUnusedParameters_areWarnings() throws Exception {
    ObjectNode conf = (ObjectNode) fate("hetero_lr_normal_conf.json");
    ((ObjectNode) conf.get("role")).set("arbiter", JSON.readTree("[10001]"));
    ((ObjectNode) conf.at("/component_parameters/common/hetero_lr_0/encrypt_param"))
        .put("key_length", 2048);
    ValidatedJob job = JobValidator.validate(fate("hetero_lr_normal_dsl.json"), conf);
    String warnings = job.warnings().toString();
    assertTrue(warnings.contains("intersection_0.intersect_method: 'rsa' asked"), warnings);
    assertTrue(warnings.contains("hetero_lr_0.sqn_param: Federa does not use"), warnings);
  }

  @Test
  void fatesOtherJobs_getTheDocumentedMessages() throws Exception {
    String homo =
        JobValidator.validate(fate("homo_lr_train_dsl.json"), fate("homo_lr_train_conf.json"))
            .warnings()
            .toString();
    assertTrue(homo.contains("party 10000 is both host and arbiter"), homo);
    // FATE's SecureBoost job: its 1024-bit key raised to 2048 (the documented security change)
    String boost =
        JobValidator.validate(
                fate("test_secureboost_train_dsl.json"),
                fate("test_secureboost_train_binary_conf.json"))
            .warnings()
            .toString();
    assertTrue(
        boost.contains("hetero_secure_boost_0.encrypt_param.key_length: 1024 bits raised to 2048"),
        boost);
    ObjectNode boostConf = (ObjectNode) fate("test_secureboost_train_binary_conf.json");
    ((ObjectNode) boostConf.at("/component_parameters/common/hetero_secure_boost_0/encrypt_param"))
        .put("key_length", 2048);
    ValidatedJob boostJob =
        JobValidator.validate(fate("test_secureboost_train_dsl.json"), boostConf);
    var boostParams =
        AlgorithmParams.secureBoost(
            ParamReader.strict(
                "hetero_secure_boost_0", boostJob.parameters("hetero_secure_boost_0", "guest", 0)),
            java.time.Duration.ofMinutes(1));
    // FATE's validation_freqs 1: validated every round, on the objective's loss, no early stop
    assertEquals(
        new io.federa.ml.secureboost.EarlyStopping(1, 0, "loss"), boostParams.earlyStopping());
    // FATE's n_iter_no_change (on by default) with its tol 1e-4; off: every tree is grown
    assertEquals(1e-4, boostParams.boosting().tol());
    ObjectNode common =
        (ObjectNode) boostConf.at("/component_parameters/common/hetero_secure_boost_0");
    common.put("n_iter_no_change", false).put("tol", 1e-3);
    assertEquals(
        0,
        AlgorithmParams.secureBoost(
                ParamReader.strict(
                    "hetero_secure_boost_0",
                    JobValidator.validate(fate("test_secureboost_train_dsl.json"), boostConf)
                        .parameters("hetero_secure_boost_0", "guest", 0)),
                java.time.Duration.ofMinutes(1))
            .boosting()
            .tol());
    common.put("n_iter_no_change", true).put("tol", 2);
    String tol = problems(fate("test_secureboost_train_dsl.json"), boostConf);
    assertTrue(tol.contains("hetero_secure_boost_0.tol: the change of the training loss"), tol);
    common.remove("n_iter_no_change");
    common.remove("tol");
    ((ObjectNode) boostConf.at("/component_parameters/common/hetero_secure_boost_0"))
        .put("early_stopping_rounds", 3)
        .putArray("metrics")
        .add("auc")
        .add("ks");
    boostJob = JobValidator.validate(fate("test_secureboost_train_dsl.json"), boostConf);
    assertEquals(
        new io.federa.ml.secureboost.EarlyStopping(1, 3, "auc"),
        AlgorithmParams.secureBoost(
                ParamReader.strict(
                    "hetero_secure_boost_0",
                    boostJob.parameters("hetero_secure_boost_0", "guest", 0)),
                java.time.Duration.ofMinutes(1))
            .earlyStopping());
    ((ObjectNode) boostConf.at("/component_parameters/common/hetero_secure_boost_0"))
        .putArray("validation_freqs")
        .add(5);
    String freqs = problems(fate("test_secureboost_train_dsl.json"), boostConf);
    assertTrue(freqs.contains("validation_freqs: a list of rounds is not supported"), freqs);
    ((ObjectNode) boostConf.at("/component_parameters/common/hetero_secure_boost_0"))
        .put("validation_freqs", 1);
    ((ObjectNode) boostConf.at("/component_parameters/common/hetero_secure_boost_0"))
        .put("run_goss", true)
        .put("top_rate", 0.9)
        .put("other_rate", 0.5);
    String goss = problems(fate("test_secureboost_train_dsl.json"), boostConf);
    assertTrue(goss.contains("hetero_secure_boost_0.top_rate: row sampling needs"), goss);
    ValidatedJob multi =
        JobValidator.validate(
            fate("hetero_lr_multi_host_dsl.json"), fate("hetero_lr_multi_host_conf.json"));
    assertTrue(
        multi.warnings().toString().contains("party 9999 is both"), multi.warnings().toString());
    assertEquals(List.of("guest", "host"), multi.rolesOf(9999));
    assertEquals(
        "NESTEROV_MOMENTUM_SGD",
        AlgorithmParams.heteroLr(
                ParamReader.strict("hetero_lr_0", multi.parameters("hetero_lr_0", "guest", 0)),
                java.time.Duration.ofMinutes(1))
            .optimizer()
            .name());
  }

  @Test
  void aWrongDsl_danglingInputCycleAndUnknownModule() throws Exception {
    JsonNode conf = federa("hetero_lr_conf.json");
    ObjectNode dsl = (ObjectNode) federa("hetero_lr_dsl.json");
    ((ObjectNode) dsl.at("/components/hetero_lr_0/input/data"))
        .set("train_data", JSON.readTree("[\"intersect_0.data\"]"));
    String dangling = problems(dsl, conf);
    assertTrue(
        dangling.contains(
            "dsl.components.hetero_lr_0.input.data.train_data[0]: 'intersect_0.data' names no component"),
        dangling);

    ObjectNode cyclic = (ObjectNode) federa("hetero_lr_dsl.json");
    ((ObjectNode) cyclic.at("/components/reader_0"))
        .set("input", JSON.readTree("{\"data\": {\"data\": [\"evaluation_0.data\"]}}"));
    assertTrue(problems(cyclic, conf).contains("the inputs form a cycle"));

    ObjectNode unknown = (ObjectNode) federa("hetero_lr_dsl.json");
    ((ObjectNode) unknown.at("/components/hetero_lr_0")).put("module", "HeteroLogistic");
    assertTrue(problems(unknown, conf).contains("unknown module 'HeteroLogistic'"));
  }

  @Test
  void parametersOfTheWrongTypeAndUnknownPartiesArePointedAt() throws Exception {
    ObjectNode conf = (ObjectNode) federa("hetero_lr_conf.json");
    ((ObjectNode) conf.at("/component_parameters/common/hetero_lr_0")).put("max_iter", "30");
    ((ObjectNode) conf.at("/component_parameters/role/host"))
        .set("1", conf.at("/component_parameters/role/host/0"));
    ((ObjectNode) conf.get("initiator")).put("party_id", 4242);
    String m = problems(federa("hetero_lr_dsl.json"), conf);
    assertTrue(m.contains("hetero_lr_0.max_iter: must be an integer ≥ 1, got \"30\""), m);
    assertTrue(
        m.contains(
            "conf.component_parameters.role.host.1: names host index 1 but the job has 1 host"),
        m);
    assertTrue(m.contains("conf.initiator: party 4242 as guest is not in conf.role"), m);
  }

  @Test
  void keySizesAreCheckedByThePaillierRules_notAnApproximation() throws Exception {
    for (String bits : List.of("1000000", "2147483648", "2050")) {
      ObjectNode conf = (ObjectNode) federa("hetero_lr_conf.json");
      ((ObjectNode) conf.at("/component_parameters/common/hetero_lr_0/encrypt_param"))
          .set("key_length", JSON.readTree(bits));
      String m = problems(federa("hetero_lr_dsl.json"), conf);
      assertTrue(m.contains("hetero_lr_0.encrypt_param.key_length: "), m);
      assertTrue(!m.contains("under 2048"), bits + " is not under 2048: " + m);
    }
    ObjectNode test = (ObjectNode) federa("hetero_lr_conf.json");
    ((ObjectNode) test.at("/component_parameters/common/hetero_lr_0/encrypt_param"))
        .put("key_length", 1024)
        .put("insecure_test_keys", true);
    ValidatedJob job = JobValidator.validate(federa("hetero_lr_dsl.json"), test);
    assertTrue(job.warnings().toString().contains("1024-bit test keys"), job.warnings().toString());
  }

  @Test
  void encryptMethod_paillierOrOu_andAnythingElseIsNamed() throws Exception {
    ObjectNode conf = (ObjectNode) federa("hetero_secureboost_conf.json");
    ObjectNode encrypt =
        ((ObjectNode) conf.at("/component_parameters/common/hetero_secure_boost_0"))
            .putObject("encrypt_param");
    encrypt.put("method", "OU");
    ValidatedJob job = JobValidator.validate(federa("hetero_secureboost_dsl.json"), conf);
    var params =
        AlgorithmParams.secureBoost(
            ParamReader.strict(
                "hetero_secure_boost_0", job.parameters("hetero_secure_boost_0", "guest", 0)),
            java.time.Duration.ofMinutes(1));
    assertEquals(io.federa.crypto.he.HeScheme.OU, params.key().scheme());
    assertEquals(2048, params.key().modulusBits());
    encrypt.put("method", "IterativeAffine");
    String m = problems(federa("hetero_secureboost_dsl.json"), conf);
    assertTrue(
        m.contains(
            "hetero_secure_boost_0.encrypt_param.method: 'IterativeAffine' is not supported; use"
                + " one of [ou, paillier]"),
        m);
  }

  @Test
  void whatIsValidatedIsWhatRuns_theSameRulesBuildTheParameterRecord() throws Exception {
    ObjectNode conf = (ObjectNode) federa("hetero_lr_conf.json");
    ObjectNode lr = (ObjectNode) conf.at("/component_parameters/common/hetero_lr_0");
    lr.put("max_iter", 7).put("optimizer", "RMSprop").put("batch_size", 64).put("penalty", "L1");
    ValidatedJob job = JobValidator.validate(federa("hetero_lr_dsl.json"), conf);
    var params =
        AlgorithmParams.heteroLr(
            ParamReader.strict("hetero_lr_0", job.parameters("hetero_lr_0", "guest", 0)),
            java.time.Duration.ofMinutes(1));
    assertEquals(7, params.maxIter());
    assertEquals(io.federa.ml.hetero.HeteroLrParams.Optimizer.RMSPROP, params.optimizer());
    assertEquals(64, params.batchSize());
    assertEquals(io.federa.ml.hetero.HeteroLrParams.Penalty.L1, params.penalty());
    assertEquals(2048, params.key().modulusBits());

    lr.put("learning_rate", -1);
    String m =
        assertThrows(
                FederaException.class,
                () -> AlgorithmParams.heteroLr(ParamReader.strict("hetero_lr_0", lr), null))
            .getMessage();
    assertTrue(m.contains("hetero_lr_0.learning_rate: must be a number > 0.0, got -1"), m);
    assertTrue(problems(federa("hetero_lr_dsl.json"), conf).contains(m), m);
  }

  @Test
  void sigmoid_autoByDefault_taylorOrExactByName_andAnythingElseIsNamed() throws Exception {
    ObjectNode conf = (ObjectNode) federa("hetero_lr_conf.json");
    ObjectNode lr = (ObjectNode) conf.at("/component_parameters/common/hetero_lr_0");
    assertEquals(io.federa.ml.hetero.HeteroLrParams.Sigmoid.AUTO, heteroLr(conf).sigmoid());
    lr.put("sigmoid", "taylor");
    assertEquals(io.federa.ml.hetero.HeteroLrParams.Sigmoid.TAYLOR, heteroLr(conf).sigmoid());
    lr.put("sigmoid", "Exact");
    assertEquals(io.federa.ml.hetero.HeteroLrParams.Sigmoid.EXACT, heteroLr(conf).sigmoid());
    lr.put("sigmoid", "polynomial");
    String m = problems(federa("hetero_lr_dsl.json"), conf);
    assertTrue(m.contains("hetero_lr_0.sigmoid: 'polynomial' is not supported"), m);
  }

  private static io.federa.ml.hetero.HeteroLrParams heteroLr(ObjectNode conf) throws Exception {
    return AlgorithmParams.heteroLr(
        ParamReader.strict(
            "hetero_lr_0",
            JobValidator.validate(federa("hetero_lr_dsl.json"), conf)
                .parameters("hetero_lr_0", "guest", 0)),
        java.time.Duration.ofMinutes(1));
  }
}
