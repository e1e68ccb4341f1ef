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
          HeteroLrGuest.Model model = guest.fit(rows);
          double trainSeconds = Timing.secondsSince(trainStart);
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
