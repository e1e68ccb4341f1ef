package io.federa.cli.bench;

import io.federa.cli.FederaCommand;
import io.federa.cli.NodeApi;
import io.federa.cli.Progress;
import io.federa.cli.demo.DemoCommand;
import io.federa.cli.demo.VerticalDemo;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.json.Json;
import io.federa.core.table.Table;
import io.federa.federation.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code federa bench serving}: online inference on this machine. A guest and one host node process
 * train hetero LR (or SecureBoost, 10 trees of depth 3) on default_credit (two parties, 2048-bit
 * keys), the guest deploys it as a service, and Debian's {@code wrk} asks {@code POST
 * /v1/predict/credit} on loopback with the guest's rows (the host adds its part by id over the
 * federation): latency at a paced rate, the highest rate held with p99 ≤ 20 ms as connections grow,
 * and batched rows per second.
 */
@Command(
    name = "serving",
    description = "Serving's latency and throughput: guest + one host processes, wrk on loopback.")
public final class ServingBench extends FederaCommand<ServingBench.Result> {
  @Option(
      names = "--seconds",
      defaultValue = "30",
      description = "Each wrk run's length. Default: ${DEFAULT-VALUE}.")
  int seconds;

  @Option(
      names = "--rate",
      defaultValue = "1000",
      description = "The paced run's requests per second. Default: ${DEFAULT-VALUE}.")
  int rate;

  @Option(
      names = "--batch",
      defaultValue = "100",
      description = "Rows per request in the batched runs. Default: ${DEFAULT-VALUE}.")
  int batch;

  @Option(
      names = "--max-iter",
      defaultValue = "3",
      description = "Hetero LR's training epochs (its quality does not change serving's cost).")
  int maxIter;

  @Option(
      names = "--model",
      defaultValue = "lr",
      description = "lr (hetero LR) or secureboost (10 trees, depth 3). Default: ${DEFAULT-VALUE}.")
  String model;

  /** One wrk run. Latencies in milliseconds. */
  public record Run(
      String kind,
      int connections,
      int rowsPerRequest,
      long requests,
      long errors,
      double requestsPerSecond,
      double rowsPerSecond,
      double p50Ms,
      double p99Ms,
      double p999Ms,
      double maxMs) {}

  /** Every run, and the figures the issue asks for. */
  public record Result(
      String model,
      int seconds,
      Run paced,
      double highestRateP99Under20Ms,
      double batchedRowsPerSecond,
      List<Run> runs) {}

  @Override
  protected Result execute(Progress progress) throws Exception {
    Wrk.require();
    Path data = DemoCommand.shippedData();
    var spec =
        new VerticalDemo.Spec(
            data.resolve("default_credit_hetero_guest.csv"),
            List.of(data.resolve("default_credit_hetero_host.csv")),
            "id",
            "y",
            secureBoost() ? 10 : maxIter,
            2048,
            io.federa.crypto.he.HeScheme.PAILLIER,
            false,
            false,
            secureBoost() ? VerticalDemo.Algorithm.SECUREBOOST : VerticalDemo.Algorithm.HETERO_LR);
    Table guestRows =
        CsvTableReader.read(
            data.resolve("default_credit_hetero_guest.csv"),
            CsvOptions.labeled().withLabelColumn("y"));
    List<Run> runs = new ArrayList<>();
    Result[] out = new Result[1];
    PrintWriter sink = new PrintWriter(java.io.Writer.nullWriter());
    new VerticalDemo(spec, sink, true)
        .run(
            progress,
            trained -> {
              NodeApi api = NodeApi.of(trained.guestConf());
              Map<String, Object> deploy = new LinkedHashMap<>();
              deploy.put("model_id", trained.modelId());
              deploy.put("model_version", trained.modelVersion());
              deploy.put("service", "credit");
              api.post("/models/deploy", deploy);
              NodeConfig node = NodeConfig.load(trained.guestConf());
              String url =
                  "http://"
                      + node.httpAddress().host()
                      + ":"
                      + node.httpAddress().port()
                      + "/v1/predict/credit";
              String token = Files.readString(node.dataPath().resolve("serving.token")).trim();
              Path dir = Files.createTempDirectory("federa-wrk");
              try {
                Wrk single = new Wrk(url, token, bodies(guestRows, 1, 2000), dir, "single");
                Wrk batched = new Wrk(url, token, bodies(guestRows, batch, 50), dir, "batched");
                progress.start("wrk runs of " + seconds + " s", 10);
                // the JIT, the connections, the index's pages
                single.run(Math.min(seconds, 10), 8, 1, 0, "warm-up");
                for (int c : new int[] {1, 2, 4, 8, 16, 32}) {
                  runs.add(single.run(seconds, c, 1, 0, "open"));
                  progress.stepTo(runs.size());
                }
                for (int c : new int[] {2, 4, 8}) {
                  runs.add(batched.run(seconds, c, batch, 0, "batched"));
                  progress.stepTo(runs.size());
                }
                // paced: each connection pauses 20 ms, as many as the rate needs at the latency a
                // short paced run shows (higher than a busy connection's: the threads wake up)
                int guess = (int) Math.ceil(rate * 21.0 / 1000);
                var probe = single.run(Math.min(seconds, 5), guess, 1, 20, "calibrate");
                int connections =
                    (int) Math.ceil(guess * (double) rate / Math.max(1, probe.requestsPerSecond()));
                Run paced = single.run(seconds, connections, 1, 20, "paced");
                runs.add(paced);
                progress.finish();
                double highest =
                    runs.stream()
                        .filter(r -> r.rowsPerRequest() == 1 && r.p99Ms() <= 20 && r.errors() == 0)
                        .mapToDouble(Run::requestsPerSecond)
                        .max()
                        .orElse(0);
                double rows =
                    runs.stream()
                        .filter(r -> r.rowsPerRequest() > 1 && r.p99Ms() <= 20 && r.errors() == 0)
                        .mapToDouble(Run::rowsPerSecond)
                        .max()
                        .orElse(0);
                out[0] =
                    new Result(
                        secureBoost() ? "hetero SecureBoost (10 trees, depth 3)" : "hetero LR",
                        seconds,
                        paced,
                        highest,
                        rows,
                        runs);
              } finally {
                io.federa.cli.demo.LoopbackNodes.deleteTree(dir);
              }
            });
    return out[0];
  }

  private boolean secureBoost() {
    return switch (model) {
      case "lr" -> false;
      case "secureboost" -> true;
      default ->
          throw new FederaException(
              ErrorCode.INVALID_ARGUMENT, "--model is lr or secureboost, not " + model);
    };
  }

  /** {@code count} request bodies of {@code rows} consecutive guest rows each. */
  private static List<String> bodies(Table t, int rows, int count) throws IOException {
    List<String> out = new ArrayList<>();
    for (int b = 0; b < count; b++) {
      List<Map<String, Object>> list = new ArrayList<>();
      for (int k = 0; k < rows; k++) {
        int i = (b * rows + k) % t.rows();
        Map<String, Object> features = new LinkedHashMap<>();
        for (int j = 0; j < t.features(); j++) {
          features.put(t.schema().featureNames().get(j), t.value(i, j));
        }
        list.add(Map.of("id", t.id(i), "features", features));
      }
      Object body = rows == 1 ? list.get(0) : Map.of("rows", list);
      out.add(new String(Json.bytes(body), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Override
  protected void printText(Result r, PrintWriter out) {
    out.printf(
        "serving %s (default_credit, guest + 1 host node processes, wrk on loopback, %d s"
            + " per run)%n",
        r.model(), r.seconds());
    out.printf(
        "%-8s %5s %5s %10s %7s %10s %11s %8s %8s %9s %8s%n",
        "run",
        "conns",
        "rows",
        "requests",
        "errors",
        "req/s",
        "rows/s",
        "p50 ms",
        "p99 ms",
        "p99.9 ms",
        "max ms");
    for (Run x : r.runs()) {
      out.printf(
          "%-8s %5d %5d %10d %7d %10.0f %11.0f %8.2f %8.2f %9.2f %8.1f%n",
          x.kind(),
          x.connections(),
          x.rowsPerRequest(),
          x.requests(),
          x.errors(),
          x.requestsPerSecond(),
          x.rowsPerSecond(),
          x.p50Ms(),
          x.p99Ms(),
          x.p999Ms(),
          x.maxMs());
    }
    out.printf(
        "at ~%.0f requests/s: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms (target p99 ≤ 5 ms; SecureBoost"
            + " ≤ 10 ms)%n",
        r.paced().requestsPerSecond(), r.paced().p50Ms(), r.paced().p99Ms(), r.paced().p999Ms());
    out.printf(
        "highest rate with p99 ≤ 20 ms: %s (target ≥ 3,000); batched with p99 ≤ 20 ms: %s"
            + " (target ≥ 50,000)%n",
        r.highestRateP99Under20Ms() > 0
            ? String.format("%.0f requests/s", r.highestRateP99Under20Ms())
            : "no run",
        r.batchedRowsPerSecond() > 0
            ? String.format("%.0f rows/s", r.batchedRowsPerSecond())
            : "no run");
  }
}
