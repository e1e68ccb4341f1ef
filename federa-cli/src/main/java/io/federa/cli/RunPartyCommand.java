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
  Map<String, Object> execute(Progress progress) {
    out = spec.commandLine().getOut();
    NodeConfig config = NodeConfig.load(conf);
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
              CsvTableReader.read(
                  job.dataOf(self),
                  CsvOptions.labeled().withIdColumn(job.idColumn()).withLabelColumn(job.label()));
          PsiResult psi =
              new EcdhPsiGuest(federation, psiKey, job.hosts(), job.psiMode(), engine, timeout)
                  .run(all.ids());
          double psiSeconds = Timing.secondsSince(start);
          event("intersection", Map.of("rows", psi.size(), "own_rows", all.rows()));
          Table rows = all.selectRows(psi.rows());
          var guest =
              new HeteroLrGuest(
                  federation, lrKey, job.hosts(), job.arbiter(), job.params(), engine);
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
              job,
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
              CsvTableReader.read(
                  job.dataOf(self), CsvOptions.unlabeled().withIdColumn(job.idColumn()));
          PsiResult psi =
              new EcdhPsiHost(federation, psiKey, job.guest(), job.psiMode(), engine, timeout)
                  .run(all.ids());
          Table rows = all.selectRows(psi.rows());
          var host =
              new HeteroLrHost(federation, lrKey, job.guest(), job.arbiter(), job.params(), engine);
          double[][] w = host.fit(rows);
          saveModel(
              config,
              job,
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
    }
    result.put("seconds", Timing.secondsSince(start));
    return result;
  }

  /**
   * Stores this party's part of the model in its own node's data directory (written atomically); no
   * other party ever sees it.
   */
  private static void saveModel(
      NodeConfig config, HeteroJob job, Map<String, Object> part, Map<String, Object> result) {
    Path file =
        config.dataPath().resolve("models").resolve(job.jobId()).resolve("hetero_lr_0.json");
    try {
      java.nio.file.Files.createDirectories(file.getParent());
    } catch (java.io.IOException e) {
      throw new io.federa.core.FederaException(
          io.federa.core.ErrorCode.IO_FAILURE, "cannot create " + file.getParent(), e);
    }
    var doc = new LinkedHashMap<String, Object>();
    doc.put("job_id", job.jobId());
    doc.put("component", "hetero_lr_0");
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
