package io.federa.cli.bench;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.cli.Timing;
import io.federa.cli.demo.JoinedData;
import io.federa.cli.demo.LocalFederation;
import io.federa.cli.demo.LoopbackNodes;
import io.federa.core.compute.LocalEngine;
import io.federa.core.table.Schema;
import io.federa.core.table.Table;
import io.federa.crypto.he.HeParameters;
import io.federa.crypto.he.HeScheme;
import io.federa.federation.MessageKey;
import io.federa.ml.feature.BinningParams;
import io.federa.ml.feature.Events;
import io.federa.ml.feature.HeteroBinningGuest;
import io.federa.ml.feature.HeteroBinningHost;
import io.federa.ml.feature.LocalBinning;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code federa bench binning}: hetero feature binning with WOE and IV of every feature (guest and
 * host as two real nodes in this JVM, gRPC over mutual TLS on loopback, the real key size) on the
 * shipped default_credit and a generated vertical split, in seconds and feature×rows per
 * core-second, against SecretFlow's published rate and the centralized binning of the same rows in
 * the same run. Each measured run includes the guest's key generation; a first, unmeasured run
 * warms the JIT up, as a node that has run a job is.
 */
@Command(
    name = "binning",
    description =
        "Hetero binning + WOE/IV throughput against SecretFlow's and centralized binning.")
public final class BinningBench extends FederaCommand<BinningBench.Result> {
  /** SecretFlow: WOE/IV of 800,000 × 1,500 features in 434 s on 32 vCPUs, per core-second. */
  static final double SECRETFLOW_PER_CORE_SECOND = 800_000.0 * 1_500 / (434 * 32);

  /** One run: a data set under one scheme. */
  public record Run(
      String data,
      int rows,
      int features,
      String method,
      double seconds,
      double perCoreSecond,
      double timesSecretFlow,
      double centralizedSeconds,
      int decryptions) {}

  public record Result(int keyBits, int cores, int bins, List<Run> runs) {}

  @Option(
      names = "--rows",
      defaultValue = "1000000",
      description = "Generated rows. Default: ${DEFAULT-VALUE}.")
  int rows;

  @Option(
      names = "--features",
      defaultValue = "100",
      description = "Generated features, half at each party. Default: ${DEFAULT-VALUE}.")
  int features;

  @Option(
      names = "--methods",
      split = ",",
      defaultValue = "ou,paillier",
      converter = io.federa.cli.demo.KeyOptions.SchemeConverter.class,
      description = "encrypt_param.method of each run. Default: ${DEFAULT-VALUE}.")
  List<HeScheme> methods;

  @Option(names = "--key-bits", defaultValue = "2048", description = "Default: ${DEFAULT-VALUE}.")
  int keyBits;

  @Option(names = "--bins", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
  int bins;

  @Option(
      names = "--warmup",
      negatable = true,
      defaultValue = "true",
      description =
          "Run default_credit once unmeasured first (the JIT warms up). Default: ${DEFAULT-VALUE}.")
  boolean warmup;

  @Override
  protected Result execute(Progress progress) throws Exception {
    List<Run> runs = new ArrayList<>();
    var shipped = io.federa.cli.demo.DemoCommand.shippedData();
    Table credit =
        JoinedData.read(
            shipped.resolve("default_credit_hetero_guest.csv"),
            List.of(shipped.resolve("default_credit_hetero_host.csv")),
            "id",
            "y");
    if (warmup) { // the JIT and each key's encryption tables: a running node has them
      runs("warm-up", credit, 13);
    }
    runs.addAll(runs("default_credit", credit, 13));
    if (rows > 0) {
      runs.addAll(runs("generated", generated(rows, features, 7), features / 2));
    }
    return new Result(keyBits, Runtime.getRuntime().availableProcessors(), bins, runs);
  }

  /** Each scheme's run on {@code joined}, its first {@code guestFeatures} columns the guest's. */
  private List<Run> runs(String name, Table joined, int guestFeatures) throws Exception {
    LocalEngine engine = LocalEngine.allCores();
    BinningParams base = BinningParams.defaults().withMethod("quantile", bins);
    Events events = Events.of(joined.labels());
    double central = Timing.median(1, () -> LocalBinning.fit(joined, events, base, engine));
    Table guest = io.federa.core.table.Tables.columns(joined, 0, guestFeatures, true);
    Table host =
        io.federa.core.table.Tables.columns(joined, guestFeatures, joined.features(), false);
    int cores = Runtime.getRuntime().availableProcessors();
    List<Run> out = new ArrayList<>();
    for (HeScheme method : methods) {
      BinningParams params = base.withKey(HeParameters.of(keyBits).withScheme(method));
      int[] decrypted = new int[1];
      double seconds;
      try (LoopbackNodes fed =
          LoopbackNodes.create(
                  "federa-bench-binning-",
                  Map.of(LocalFederation.GUEST, "guest-org", LocalFederation.HOST, "host-org"))
              .startAll()) {
        MessageKey key =
            MessageKey.of("bench-" + Long.toHexString(System.nanoTime()), "binning", "");
        long t0 = System.nanoTime();
        var hostSide =
            CompletableFuture.supplyAsync(
                () ->
                    new HeteroBinningHost(
                            fed.node(LocalFederation.HOST),
                            key,
                            LocalFederation.GUEST,
                            params,
                            engine)
                        .fit(host));
        var g =
            new HeteroBinningGuest(
                fed.node(LocalFederation.GUEST),
                key,
                List.of(LocalFederation.HOST),
                params,
                engine);
        g.fit(guest);
        hostSide.get();
        seconds = Timing.secondsSince(t0);
        decrypted[0] = g.decrypted();
      }
      double perCore = (double) joined.rows() * joined.features() / (seconds * cores);
      out.add(
          new Run(
              name,
              joined.rows(),
              joined.features(),
              method.name().toLowerCase(java.util.Locale.ROOT),
              seconds,
              perCore,
              perCore / SECRETFLOW_PER_CORE_SECOND,
              central,
              decrypted[0]));
    }
    return out;
  }

  /** Seeded rows: standard normal features (two decimals), a logistic label of a few of them. */
  static Table generated(int n, int d, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] cols = new double[d][n];
    double[] labels = new double[n];
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = Integer.toString(i);
      double z = 0;
      for (int f = 0; f < d; f++) {
        double v = Math.round(gaussian(r) * 100) / 100.0;
        cols[f][i] = v;
        z += f % 10 == 0 ? v : 0;
      }
      labels[i] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    }
    List<String> names = new ArrayList<>();
    for (int f = 0; f < d; f++) {
      names.add("x" + f);
    }
    return new Table(new Schema("id", "y", names), ids, labels, cols);
  }

  private static double gaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
  }

  @Override
  protected void printText(Result r, PrintWriter out) {
    out.printf(
        "hetero feature binning + WOE/IV, %d quantile bins, %d-bit keys, %d cores (guest and host"
            + " nodes share them)%n%n",
        r.bins(), r.keyBits(), r.cores());
    out.printf(
        "%-15s %9s %8s %9s %10s %18s %12s %12s %12s%n",
        "data",
        "rows",
        "features",
        "method",
        "seconds",
        "feature·rows/core·s",
        "× SecretFlow",
        "central s",
        "decryptions");
    for (Run x : r.runs()) {
      out.printf(
          "%-15s %9d %8d %9s %10.2f %18.0f %12.1f %12.3f %12d%n",
          x.data(),
          x.rows(),
          x.features(),
          x.method(),
          x.seconds(),
          x.perCoreSecond(),
          x.timesSecretFlow(),
          x.centralizedSeconds(),
          x.decryptions());
    }
    out.printf(
        "%nSecretFlow (published): 800,000 × 1,500 features in 434 s on 32 vCPUs = %.0f"
            + " feature·rows per core-second; target ≥ 3×%n",
        SECRETFLOW_PER_CORE_SECOND);
  }
}
