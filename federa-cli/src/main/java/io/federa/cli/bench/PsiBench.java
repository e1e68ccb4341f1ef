package io.federa.cli.bench;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.cli.Timing;
import io.federa.cli.demo.LoopbackNodes;
import io.federa.core.compute.LocalEngine;
import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.datagen.SyntheticData;
import io.federa.crypto.ec.Curve25519HashToCurve;
import io.federa.crypto.ec.EcdhKey;
import io.federa.federation.MessageKey;
import io.federa.ml.psi.EcdhPsiGuest;
import io.federa.ml.psi.EcdhPsiHost;
import io.federa.ml.psi.PsiMode;
import io.federa.ml.psi.PsiResult;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code federa bench psi}: ECDH-PSI between a guest and a host node on loopback (mutual TLS), on
 * ids from {@code federa datagen}, against a plain (insecure) hash join of the same ids in the same
 * run; and the single-core rate of the two curve operations.
 */
@Command(
    name = "psi",
    description = "ECDH-PSI of N × N ids on loopback, against a plain hash join (same run).")
public final class PsiBench extends FederaCommand<PsiBench.Psi> {
  /** PSI's time beside a plain hash join's and SecretFlow's published rate; curve rates. */
  public record Psi(
      int guestIds,
      int hostIds,
      int intersection,
      int cores,
      double psiSeconds,
      double plainJoinSeconds,
      double ratioToPlainJoin,
      double idsPerSecondPerCore,
      double secretflowIdsPerSecondPerCore,
      double ratioToSecretflowPerCore,
      long bytesSent,
      double hashToCurvePerSecondOneCore,
      double x25519PerSecondOneCore,
      String x25519Implementation) {}

  @Option(
      names = "--rows",
      defaultValue = "1000000",
      description = "Ids per party. Default: ${DEFAULT-VALUE}.")
  int rows;

  @Option(
      names = "--overlap",
      defaultValue = "0.8",
      description = "Shared fraction. Default: ${DEFAULT-VALUE}.")
  double overlap;

  /** SecretFlow's published ECDH-PSI figure: 10⁷ × 10⁷ ids in 114 s with 8 cores per party. */
  static final double SECRETFLOW_IDS_PER_SECOND_PER_CORE = 2e7 / (114.0 * 16);

  @Override
  protected Psi execute(Progress progress) throws Exception {
    Path dir = Files.createTempDirectory("federa-bench-psi");
    try {
      progress.start("datagen", 2L * rows);
      var data = SyntheticData.vertical(dir, rows, 1, 1, overlap, 7, progress::stepTo);
      progress.finish();
      String[] guestIds = CsvTableReader.read(data.guestFile(), CsvOptions.labeled()).ids();
      String[] hostIds = CsvTableReader.read(data.hostFile(), CsvOptions.unlabeled()).ids();
      int cores = Runtime.getRuntime().availableProcessors();

      double plain = Timing.seconds(() -> plainJoin(guestIds, hostIds));
      double[] single = curveRates(20_000);

      LocalEngine engine = LocalEngine.allCores();
      PsiResult result;
      double seconds;
      long bytes;
      try (LoopbackNodes fed =
          LoopbackNodes.create("federa-bench-psi-nodes", Map.of(9999, "guest", 10000, "host"))
              .startAll()) {
        MessageKey key = MessageKey.of("bench-psi", "intersection_0", "");
        Duration timeout = Duration.ofMinutes(30);
        var host = new EcdhPsiHost(fed.node(10000), key, 9999, PsiMode.BOTH, engine, timeout);
        long t0 = System.nanoTime();
        var hostSide = CompletableFuture.supplyAsync(() -> host.run(hostIds));
        result =
            new EcdhPsiGuest(fed.node(9999), key, List.of(10000), PsiMode.BOTH, engine, timeout)
                .run(guestIds);
        hostSide.get();
        seconds = Timing.secondsSince(t0);
        bytes = fed.node(9999).bytesSent() + fed.node(10000).bytesSent();
      }
      if (result.size() != data.intersection()) {
        throw new IllegalStateException(
            "PSI found " + result.size() + " common ids, datagen made " + data.intersection());
      }
      double perCore = (guestIds.length + hostIds.length) / (seconds * cores);
      return new Psi(
          guestIds.length,
          hostIds.length,
          result.size(),
          cores,
          seconds,
          plain,
          seconds / plain,
          perCore,
          SECRETFLOW_IDS_PER_SECOND_PER_CORE,
          perCore / SECRETFLOW_IDS_PER_SECOND_PER_CORE,
          bytes,
          single[0],
          single[1],
          EcdhKey.implementation());
    } finally {
      LoopbackNodes.deleteTree(dir);
    }
  }

  private static int plainJoin(String[] a, String[] b) {
    Set<String> set = new HashSet<>(List.of(a));
    int common = 0;
    for (String id : b) {
      common += set.contains(id) ? 1 : 0;
    }
    return common;
  }

  /**
   * Single-core rates of hash-to-curve and of X25519 multiplication, in batches of 512 as the PSI
   * runs them (after warm-up).
   */
  private static double[] curveRates(int count) {
    Curve25519HashToCurve h =
        new Curve25519HashToCurve("FEDERA-BENCH-" + Curve25519HashToCurve.SUITE);
    EcdhKey key = EcdhKey.generate(new SecureRandom());
    int batch = 512;
    byte[][] ids = new byte[count][];
    for (int i = 0; i < count; i++) {
      ids[i] = Integer.toString(i).getBytes(StandardCharsets.UTF_8);
    }
    byte[] points = new byte[32 * count];
    Runnable hash =
        () -> {
          for (int i = 0; i < count; i += batch) {
            byte[] u = h.hashToU(Arrays.copyOfRange(ids, i, Math.min(count, i + batch)));
            System.arraycopy(u, 0, points, 32 * i, u.length);
          }
        };
    byte[] out = new byte[32 * count];
    Runnable mult = () -> key.multiply(points, 0, out, 0, count);
    hash.run(); // warm-up
    mult.run();
    return new double[] {count / Timing.seconds(hash), count / Timing.seconds(mult)};
  }

  @Override
  protected void printText(Psi r, PrintWriter out) {
    out.printf(
        "ECDH-PSI (Curve25519, RFC 9380 hash-to-curve), %,d × %,d ids, %s cores, two nodes on loopback%n",
        r.guestIds(), r.hostIds(), r.cores());
    out.printf("%-44s %,14d%n", "intersection", r.intersection());
    out.printf("%-44s %14.2f%n", "PSI seconds", r.psiSeconds());
    out.printf(
        "%-44s %14.3f (%.0f×)%n",
        "plain hash join seconds (baseline)", r.plainJoinSeconds(), r.ratioToPlainJoin());
    out.printf("%-44s %,14.0f%n", "ids per second per core", r.idsPerSecondPerCore());
    out.printf(
        "%-44s %,14.0f (ratio %.2f)%n",
        "SecretFlow ids per second per core",
        r.secretflowIdsPerSecondPerCore(),
        r.ratioToSecretflowPerCore());
    out.printf(
        "%-44s %,14.0f%n", "hash-to-curve per second, one core", r.hashToCurvePerSecondOneCore());
    out.printf(
        "%-44s %,14.0f (%s)%n",
        "X25519 multiplications per second, one core",
        r.x25519PerSecondOneCore(),
        r.x25519Implementation());
    out.printf("%-44s %,14d%n", "bytes sent (both parties)", r.bytesSent());
  }
}
