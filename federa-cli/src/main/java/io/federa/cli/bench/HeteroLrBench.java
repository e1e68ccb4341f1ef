package io.federa.cli.bench;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.cli.Timing;
import io.federa.cli.demo.DemoCommand;
import io.federa.cli.demo.LoopbackNodes;
import io.federa.core.compute.LocalEngine;
import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.linalg.ColumnOps;
import io.federa.core.table.Table;
import io.federa.federation.MessageKey;
import io.federa.ml.hetero.HeteroLrArbiter;
import io.federa.ml.hetero.HeteroLrGuest;
import io.federa.ml.hetero.HeteroLrHost;
import io.federa.ml.hetero.HeteroLrParams;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code federa bench hetero-lr}: seconds per full-batch epoch of hetero LR with guest, host and
 * arbiter as three nodes on loopback in this JVM (mutual TLS, real key size), against one
 * full-batch gradient epoch of the centralized Java LR on the joined data in the same run.
 */
@Command(
    name = "hetero-lr",
    description = "Hetero LR seconds per epoch (3 nodes on loopback) against centralized LR.")
public final class HeteroLrBench extends FederaCommand<HeteroLrBench.Epochs> {
  /** Hetero LR's seconds per epoch beside centralized LR's, and the bytes each party sent. */
  public record Epochs(
      int rows,
      int features,
      int keyBits,
      int cores,
      int epochs,
      double secondsPerEpoch,
      double centralizedSecondsPerEpoch,
      double ratioToCentralized,
      double usPerRowFeaturePerCore,
      double fateUsPerRowFeaturePerCore,
      Map<String, Long> bytesSentPerEpoch) {}

  @Option(
      names = "--guest",
      description = "Guest CSV. Default: the shipped default_credit guest file.")
  Path guest;

  @Option(
      names = "--host",
      description = "Host CSV. Default: the shipped default_credit host file.")
  Path host;

  @Option(
      names = "--iterations",
      defaultValue = "4",
      description = "Epochs. Default: ${DEFAULT-VALUE}.")
  int iterations;

  @Option(names = "--key-bits", defaultValue = "2048", description = "Default: ${DEFAULT-VALUE}.")
  int keyBits;

  @Override
  protected Epochs execute(Progress progress) throws Exception {
    Path data = DemoCommand.shippedData();
    Table guestAll =
        CsvTableReader.read(
            guest != null ? guest : data.resolve("default_credit_hetero_guest.csv"),
            CsvOptions.labeled());
    Table hostAll =
        CsvTableReader.read(
            host != null ? host : data.resolve("default_credit_hetero_host.csv"),
            CsvOptions.unlabeled());
    var hostIndex = hostAll.indexById();
    int[] g =
        java.util.stream.IntStream.range(0, guestAll.rows())
            .filter(i -> hostIndex.containsKey(guestAll.id(i)))
            .toArray();
    int[] h = Arrays.stream(g).map(i -> hostIndex.get(guestAll.id(i))).toArray();
    Table guestRows = guestAll.selectRows(g);
    Table hostRows = hostAll.selectRows(h);
    int n = guestRows.rows();
    int features = guestRows.features() + hostRows.features();
    int cores = Runtime.getRuntime().availableProcessors();
    var d = HeteroLrParams.defaults();
    var params =
        new HeteroLrParams(
            iterations,
            d.learningRate(),
            0,
            d.alpha(),
            0,
            d.optimizer(),
            keyBits,
            keyBits < 2048,
            Duration.ofMinutes(30));
    List<Long> stamps = new ArrayList<>();
    Map<Integer, Long> bytes = new LinkedHashMap<>();
    LocalEngine engine = LocalEngine.allCores();
    progress.start("hetero-lr epochs", iterations);
    try (LoopbackNodes fed =
        LoopbackNodes.create(
                "federa-bench-hetero", Map.of(9999, "guest", 10000, "host", 10001, "arbiter"))
            .startAll()) {
      MessageKey key = MessageKey.of("bench-hetero-lr", "hetero_lr_0", "");
      var arbiter = new HeteroLrArbiter(fed.node(10001), key, 9999, List.of(10000), params);
      var hostSide =
          new HeteroLrHost(
              fed.node(10000),
              key,
              9999,
              io.federa.ml.hetero.Topology.arbiter(10001),
              params,
              engine);
      var guestSide =
          new HeteroLrGuest(
              fed.node(9999),
              key,
              List.of(10000),
              io.federa.ml.hetero.Topology.arbiter(10001),
              params,
              engine);
      var a =
          CompletableFuture.supplyAsync(
              () ->
                  arbiter.fit(
                      (it, planned, loss) -> {
                        synchronized (stamps) {
                          stamps.add(System.nanoTime());
                        }
                        progress.stepTo(it);
                      }));
      var w = CompletableFuture.supplyAsync(() -> hostSide.fit(hostRows));
      long t0 = System.nanoTime();
      guestSide.fit(guestRows);
      w.get();
      a.get();
      stamps.add(0, t0);
      for (int p : List.of(9999, 10000, 10001)) {
        bytes.put(p, fed.node(p).bytesSent());
      }
    }
    progress.finish();
    // epoch 1 also carries the key exchange; the median of the later ones is the epoch figure
    double[] epochs = new double[stamps.size() - 2];
    for (int i = 2; i < stamps.size(); i++) {
      epochs[i - 2] = (stamps.get(i) - stamps.get(i - 1)) / 1e9;
    }
    Arrays.sort(epochs);
    double epoch =
        epochs.length == 0 ? (stamps.get(1) - stamps.get(0)) / 1e9 : epochs[epochs.length / 2];
    double central = centralizedEpochSeconds(guestRows, hostRows, engine);

    var perParty = new LinkedHashMap<String, Long>();
    bytes.forEach((p, b) -> perParty.put(Integer.toString(p), b / iterations));
    return new Epochs(
        n,
        features,
        keyBits,
        cores,
        iterations,
        epoch,
        central,
        epoch / central,
        epoch * cores * 1e6 / ((double) n * features),
        66.0,
        perParty);
  }

  /** One full-batch gradient of plain LR on the joined columns: z = Xw, r = σ(z) − y, Xᵀr. */
  private static double centralizedEpochSeconds(Table guest, Table host, LocalEngine engine) {
    int n = guest.rows();
    List<double[]> cols = new ArrayList<>();
    for (int j = 0; j < guest.features(); j++) {
      cols.add(guest.column(j));
    }
    for (int j = 0; j < host.features(); j++) {
      cols.add(host.column(j));
    }
    double[][] x = cols.toArray(double[][]::new);
    double[] y = guest.labels();
    double[] w = new double[x.length];
    Arrays.fill(w, 0.01);
    return Timing.median(
        21,
        () -> {
          double[] z = new double[n];
          engine.forEachRange(n, (from, to) -> ColumnOps.linearPredictor(x, w, 0, from, to, z));
          double[] grad =
              engine.aggregate(
                  n,
                  () -> new double[x.length],
                  (acc, from, to) -> {
                    for (int i = from; i < to; i++) {
                      double r = ColumnOps.sigmoid(z[i]) - y[i];
                      for (int j = 0; j < x.length; j++) {
                        acc[j] += r * x[j][i];
                      }
                    }
                    return acc;
                  },
                  (l, r) -> {
                    for (int j = 0; j < l.length; j++) {
                      l[j] += r[j];
                    }
                    return l;
                  });
          w[0] += grad[0] * 1e-12;
        });
  }

  @Override
  protected void printText(Epochs r, PrintWriter out) {
    out.printf(
        "hetero LR, %s rows × %s features, %s-bit keys, guest + host + arbiter on loopback, %s cores%n",
        r.rows(), r.features(), r.keyBits(), r.cores());
    out.printf("%-40s %12.3f%n", "seconds per epoch (median)", r.secondsPerEpoch());
    out.printf(
        "%-40s %12.5f%n", "centralized LR seconds per epoch", r.centralizedSecondsPerEpoch());
    out.printf("%-40s %12.0f×%n", "ratio", r.ratioToCentralized());
    out.printf(
        "%-40s %12.2f (FATE ≈ 66)%n", "µs per row × feature per core", r.usPerRowFeaturePerCore());
    out.println("bytes sent per epoch: " + r.bytesSentPerEpoch());
  }
}
