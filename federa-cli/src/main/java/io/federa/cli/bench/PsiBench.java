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
import java.util.LinkedHashMap;
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
public final class PsiBench extends FederaCommand<Map<String, Object>> {
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
  protected Map<String, Object> execute(Progress progress) throws Exception {
    Path dir = Files.createTempDirectory("federa-bench-psi");
    var m = new LinkedHashMap<String, Object>();
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
      m.put("guest_ids", guestIds.length);
      m.put("host_ids", hostIds.length);
      m.put("intersection", result.size());
      m.put("cores", cores);
      m.put("psi_seconds", seconds);
      m.put("plain_join_seconds", plain);
      m.put("ratio_to_plain_join", seconds / plain);
      m.put("ids_per_second_per_core", perCore);
      m.put("secretflow_ids_per_second_per_core", SECRETFLOW_IDS_PER_SECOND_PER_CORE);
      m.put("ratio_to_secretflow_per_core", perCore / SECRETFLOW_IDS_PER_SECOND_PER_CORE);
      m.put("bytes_sent", bytes);
      m.put("hash_to_curve_per_second_one_core", single[0]);
      m.put("x25519_per_second_one_core", single[1]);
      m.put("x25519_implementation", EcdhKey.implementation());
    } finally {
      LoopbackNodes.deleteTree(dir);
    }
    return m;
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
  protected void printText(Map<String, Object> r, PrintWriter out) {
    out.printf(
        "ECDH-PSI (Curve25519, RFC 9380 hash-to-curve), %,d × %,d ids, %s cores, two nodes on loopback%n",
        r.get("guest_ids"), r.get("host_ids"), r.get("cores"));
    out.printf("%-44s %,14d%n", "intersection", r.get("intersection"));
    out.printf("%-44s %14.2f%n", "PSI seconds", r.get("psi_seconds"));
    out.printf(
        "%-44s %14.3f (%.0f×)%n",
        "plain hash join seconds (baseline)",
        r.get("plain_join_seconds"),
        r.get("ratio_to_plain_join"));
    out.printf("%-44s %,14.0f%n", "ids per second per core", r.get("ids_per_second_per_core"));
    out.printf(
        "%-44s %,14.0f (ratio %.2f)%n",
        "SecretFlow ids per second per core",
        r.get("secretflow_ids_per_second_per_core"),
        r.get("ratio_to_secretflow_per_core"));
    out.printf(
        "%-44s %,14.0f%n",
        "hash-to-curve per second, one core", r.get("hash_to_curve_per_second_one_core"));
    out.printf(
        "%-44s %,14.0f (%s)%n",
        "X25519 multiplications per second, one core",
        r.get("x25519_per_second_one_core"),
        r.get("x25519_implementation"));
    out.printf("%-44s %,14d%n", "bytes sent (both parties)", r.get("bytes_sent"));
  }
}
