package io.federa.cli;

import io.federa.core.compute.LocalEngine;
import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.metrics.Metrics;
import io.federa.core.table.Table;
import io.federa.federation.GrpcFederation;
import io.federa.federation.MessageKey;
import io.federa.federation.NodeConfig;
import io.federa.ml.hetero.HeteroLrArbiter;
import io.federa.ml.hetero.HeteroLrGuest;
import io.federa.ml.hetero.HeteroLrHost;
import io.federa.ml.homo.HomoArbiter;
import io.federa.ml.homo.HomoParty;
import io.federa.ml.psi.EcdhPsiGuest;
import io.federa.ml.psi.EcdhPsiHost;
import io.federa.ml.psi.PsiResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code federa run-party}: one party's side of a vertical job (intersection, then hetero LR, then
 * federated evaluation), in this party's own process with its own node. Events (intersection size,
 * per-iteration loss) are printed as JSON lines while it runs; the result is the last line.
 */
@Command(
    name = "run-party",
    hidden = true,
    description = "Run this party's side of a vertical job file (used by 'federa demo').")
final class RunPartyCommand extends FederaCommand {
  @Option(names = "--conf", required = true, description = "This party's node.yaml.")
  Path conf;

  @Option(names = "--job", required = true, description = "The job file (JSON).")
  Path jobFile;

  private PrintWriter out;

  @Override
  Map<String, Object> execute(Progress progress) throws java.io.IOException {
    out = spec.commandLine().getOut();
    NodeConfig config = NodeConfig.load(conf);
    if (HomoJob.KIND.equals(Json.mapper().readTree(jobFile.toFile()).path("kind").asText())) {
      return runHomo(config, HomoJob.read(jobFile));
    }
    HeteroJob job = HeteroJob.read(jobFile);
    int self = config.partyId();
    HeteroJob.Role role = job.roleOf(self);
    var result = new LinkedHashMap<String, Object>();
    result.put("party_id", self);
    result.put("role", role.name().toLowerCase(java.util.Locale.ROOT));
    long start = System.nanoTime();
    LocalEngine engine = LocalEngine.allCores();
    try (GrpcFederation federation = GrpcFederation.start(config, Duration.ofMinutes(5))) {
      Duration timeout = Duration.ofSeconds(job.timeoutSeconds());
      MessageKey psiKey = MessageKey.of(job.jobId(), "intersection_0", "");
      MessageKey lrKey = MessageKey.of(job.jobId(), "hetero_lr_0", "");
      switch (role) {
        case GUEST -> {
          Table all =
              load(
                  job.dataOf(self).toString(),
                  CsvOptions.labeled().withIdColumn(job.idColumn()).withLabelColumn(job.label()));
          PsiResult psi =
              new EcdhPsiGuest(federation, psiKey, job.hosts(), job.psiMode(), engine, timeout)
                  .run(all.ids());
          double psiSeconds = Timing.secondsSince(start);
          event("intersection", Map.of("rows", psi.size(), "own_rows", all.rows()));
          Table rows = all.selectRows(psi.rows());
          var guest =
              new HeteroLrGuest(
                  federation, lrKey, job.hosts(), job.topology(), job.params(), engine);
          long trainStart = System.nanoTime();
          List<Double> losses = new java.util.ArrayList<>();
          HeteroLrGuest.Model model =
              guest.fit(
                  rows,
                  (iteration, planned, loss) -> {
                    losses.add(loss);
                    event(
                        "iteration",
                        Map.of("iteration", iteration, "planned", planned, "loss", loss));
                  });
          result.put("losses", losses);
          double trainSeconds = Timing.secondsSince(trainStart);
          saveModel(
              config,
              job.jobId(),
              "hetero_lr_0",
              Map.of(
                  "role", "guest",
                  "classes", model.classes(),
                  "features", rows.schema().featureNames(),
                  "weights", model.weights(),
                  "intercepts", model.intercepts()),
              result);
          double[] p = guest.predict(rows, model, "train");
          result.put("own_rows", all.rows());
          result.put("intersection", psi.size());
          result.put("auc", Metrics.auc(rows.labels(), p));
          result.put("ks", Metrics.ks(rows.labels(), p));
          result.put("psi_seconds", psiSeconds);
          result.put("train_seconds", trainSeconds);
        }
        case HOST -> {
          Table all =
              load(
                  job.dataOf(self).toString(), CsvOptions.unlabeled().withIdColumn(job.idColumn()));
          PsiResult psi =
              new EcdhPsiHost(federation, psiKey, job.guest(), job.psiMode(), engine, timeout)
                  .run(all.ids());
          Table rows = all.selectRows(psi.rows());
          var host =
              new HeteroLrHost(
                  federation, lrKey, job.guest(), job.topology(), job.params(), engine);
          double[][] w = host.fit(rows);
          saveModel(
              config,
              job.jobId(),
              "hetero_lr_0",
              Map.of("role", "host", "features", rows.schema().featureNames(), "weights", w),
              result);
          host.predict(rows, w, "train");
          result.put("own_rows", all.rows());
          result.put("intersection", psi.size());
        }
        case ARBITER -> {
          var arbiter =
              new HeteroLrArbiter(federation, lrKey, job.guest(), job.hosts(), job.params());
          List<Double> losses =
              arbiter.fit(
                  (iteration, planned, loss) ->
                      event(
                          "iteration",
                          Map.of("iteration", iteration, "planned", planned, "loss", loss)));
          result.put("losses", losses);
        }
        default -> throw new IllegalStateException(role.toString());
      }
      result.put("bytes_sent", federation.bytesSent());
      federation.forget(job.jobId()); // the job is over for this party: its messages go
    }
    result.put("seconds", Timing.secondsSince(start));
    return result;
  }

  /**
   * A party's data: {@code table:NAMESPACE.NAME} is a table stored on this node ({@code federa
   * upload}); anything else is a CSV path on this party's machine.
   */
  private Table load(String spec, CsvOptions options) {
    if (spec.startsWith("table:")) {
      String[] parts = spec.substring("table:".length()).split("\\.", 2);
      if (parts.length != 2) {
        throw new io.federa.core.FederaException(
            io.federa.core.ErrorCode.INVALID_ARGUMENT,
            "'" + spec + "' is not table:NAMESPACE.NAME");
      }
      try (NodeStorage storage = NodeStorage.open(conf)) {
        return storage.tables().read(parts[0], parts[1]);
      }
    }
    return CsvTableReader.read(Path.of(spec), options);
  }

  /** A horizontal job: a party trains on its file (the first also evaluates), or the arbiter. */
  private Map<String, Object> runHomo(NodeConfig config, HomoJob job) {
    int self = config.partyId();
    var result = new LinkedHashMap<String, Object>();
    result.put("party_id", self);
    long start = System.nanoTime();
    MessageKey key = MessageKey.of(job.jobId(), "homo_0", "");
    var params = job.params();
    try (GrpcFederation federation = GrpcFederation.start(config, Duration.ofMinutes(5))) {
      if (self == job.arbiter()) {
        result.put("role", "arbiter");
        var r =
            new HomoArbiter(federation, key, job.parties(), params)
                .fit(
                    (round, planned, loss) ->
                        event("round", Map.of("round", round, "planned", planned, "loss", loss)));
        result.put("losses", r.losses());
        result.put("missed_rounds", r.missed());
      } else {
        int index = job.parties().indexOf(self);
        if (index < 0) {
          throw new io.federa.core.FederaException(
              io.federa.core.ErrorCode.INVALID_ARGUMENT,
              "party " + self + " has no role in job " + job.jobId());
        }
        result.put("role", "party");
        Table data =
            CsvTableReader.read(
                Path.of(job.data().get(Integer.toString(self))), CsvOptions.labeled());
        var party = new HomoParty(federation, key, params);
        List<Double> losses = new java.util.ArrayList<>();
        io.federa.ml.homo.HomoModel model =
            job.arbiter() >= 0
                ? party.fit(data, job.arbiter())
                : party.fitRing(
                    data,
                    job.parties(),
                    (round, planned, loss) -> {
                      losses.add(loss);
                      if (index == 0) {
                        event("round", Map.of("round", round, "planned", planned, "loss", loss));
                      }
                    });
        result.put("rows", data.rows());
        if (job.arbiter() < 0) {
          result.put("losses", losses);
        }
        if (index == 0 && job.testData() != null) {
          Table test = CsvTableReader.read(Path.of(job.testData()), CsvOptions.labeled());
          result.put("test_rows", test.rows());
          result.putAll(HomoDemo.evaluate(model, test));
        }
        saveModel(
            config,
            job.jobId(),
            "homo_0",
            Map.of(
                "role", "party",
                "layers", model.network().sizes(),
                "classes", model.classes(),
                "weights", model.weights()),
            result);
      }
      result.put("bytes_sent", federation.bytesSent());
      federation.forget(job.jobId()); // the job is over for this party: its messages go
    }
    result.put("seconds", Timing.secondsSince(start));
    return result;
  }

  /**
   * Stores this party's part of the model in its own node's data directory (written atomically); no
   * other party ever sees it.
   */
  private static void saveModel(
      NodeConfig config,
      String jobId,
      String component,
      Map<String, Object> part,
      Map<String, Object> result) {
    Path file = config.dataPath().resolve("models").resolve(jobId).resolve(component + ".json");
    try {
      java.nio.file.Files.createDirectories(file.getParent());
    } catch (java.io.IOException e) {
      throw new io.federa.core.FederaException(
          io.federa.core.ErrorCode.IO_FAILURE, "cannot create " + file.getParent(), e);
    }
    var doc = new LinkedHashMap<String, Object>();
    doc.put("job_id", jobId);
    doc.put("component", component);
    doc.put("party_id", config.partyId());
    doc.putAll(part);
    io.federa.core.io.AtomicFiles.write(file, false, w -> w.write(Json.write(doc)));
    result.put("model_file", file.toString());
  }

  private void event(String name, Map<String, Object> fields) {
    var m = new LinkedHashMap<String, Object>();
    m.put("event", name);
    m.putAll(fields);
    synchronized (out) {
      out.println(Json.write(m));
      out.flush();
    }
  }

  @Override
  void printText(Map<String, Object> result, PrintWriter out) {
    out.println(Json.write(result));
  }
}
