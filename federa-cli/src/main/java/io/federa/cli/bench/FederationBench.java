package io.federa.cli.bench;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.cli.demo.LoopbackNodes;
import io.federa.federation.GrpcFederation;
import io.federa.federation.MessageKey;
import io.federa.federation.Payload;
import io.federa.federation.PayloadKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code federa bench federation}: a large message between two nodes on loopback (mutual TLS,
 * outbox, inbox, digest) against, in the same run, a plain TCP copy of the same bytes, a bare
 * mutual-TLS copy, and a bare mutual-TLS copy stored on disk (the floor of any design that
 * authenticates and stores before acknowledging); and small-message latency.
 */
@Command(
    name = "federation",
    description =
        "Node-to-node throughput against plain TCP (same run), and small-message latency.")
public final class FederationBench extends FederaCommand<FederationBench.Transfer> {
  /** One path's runs (seconds), their median, its rate, CPU seconds, and its ratio to TCP. */
  public record PathTiming(
      double[] runsS, double s, double mbPerS, double cpuS, Double ratioToTcp) {}

  /**
   * Every path the same way ({@code tcp}, {@code tls}, {@code tls_store}, {@code federation},
   * {@code stream}), the ratios derived from them, and the small messages' latencies.
   */
  public record Transfer(
      long bytes,
      int runs,
      int cores,
      Map<String, PathTiming> paths,
      double ratioToTcp,
      double federationRatioToFloor,
      int smallMessages,
      double smallP50Ms,
      double smallP99Ms) {}

  @Option(
      names = "--mib",
      defaultValue = "512",
      description = "Size of the large message. Default: ${DEFAULT-VALUE}.")
  int mib;

  @Option(
      names = "--small",
      defaultValue = "500",
      description = "Small messages for latency. Default: ${DEFAULT-VALUE}.")
  int small;

  @Option(
      names = "--warmup",
      defaultValue = "4",
      description =
          "Untimed full-size runs of each path first, until the JIT has compiled the hot paths "
              + "(on 2 cores the gRPC path needs about 2 GiB). Default: ${DEFAULT-VALUE}.")
  int warmup;

  @Option(
      names = "--runs",
      defaultValue = "3",
      description = "Timed runs of each path (after a warm-up); medians are reported.")
  int runs;

  @Override
  protected Transfer execute(Progress progress) throws Exception {
    long size = (long) mib << 20;
    try (LoopbackNodes fed =
            LoopbackNodes.create("federa-bench-federation", Map.of(1, "a", 2, "b")).startAll();
        TlsCopy tls = new TlsCopy(fed.confs().get(1), fed.confs().get(0))) {
      GrpcFederation a = fed.node(1);
      GrpcFederation b = fed.node(2);
      a.ping(2, Duration.ofSeconds(10));
      java.nio.file.Path stored = fed.dir().resolve("tls-copy.bin");
      // the paths compared, each timed as a whole (wall clock and this process's CPU time)
      Map<String, TimedPath> paths = new LinkedHashMap<>();
      paths.put("tcp", () -> tcpCopySeconds(size));
      paths.put("tls", () -> tls.seconds(size, () -> seeded(size), null));
      paths.put("tls_store", () -> tls.seconds(size, () -> seeded(size), stored));
      paths.put("federation", () -> federationSeconds(a, b, size, "payload", true));
      paths.put("stream", () -> federationSeconds(a, b, size, "stream", false));
      // warm-up: every path compiled by the JIT before anything is timed
      for (int i = 0; i < warmup; i++) {
        for (TimedPath p : paths.values()) {
          p.run();
        }
      }
      // alternating runs, medians: the machine is shared and noisy
      Map<String, double[]> wall = new LinkedHashMap<>();
      Map<String, double[]> cpu = new LinkedHashMap<>();
      paths.keySet().forEach(k -> wall.put(k, new double[runs]));
      paths.keySet().forEach(k -> cpu.put(k, new double[runs]));
      var os =
          (com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      for (int i = 0; i < runs; i++) {
        for (var p : paths.entrySet()) {
          long c0 = os.getProcessCpuTime();
          wall.get(p.getKey())[i] = p.getValue().run();
          cpu.get(p.getKey())[i] = (os.getProcessCpuTime() - c0) / 1e9;
        }
      }
      double tcp = median(wall.get("tcp"));
      {
        long[] lat = new long[small];
        MessageKey smallKey = MessageKey.of("bench", "small", "0");
        for (int i = 0; i < small; i++) {
          long s = System.nanoTime();
          a.send(2, smallKey, new byte[256]);
          b.receive(1, smallKey, Duration.ofSeconds(30));
          lat[i] = System.nanoTime() - s;
        }
        Arrays.sort(lat);
        Map<String, PathTiming> timings = new LinkedHashMap<>();
        for (String k : paths.keySet()) {
          double seconds = median(wall.get(k));
          timings.put(
              k,
              new PathTiming(
                  wall.get(k),
                  seconds,
                  size / 1e6 / seconds,
                  median(cpu.get(k)),
                  k.equals("tcp") ? null : tcp / seconds));
        }
        return new Transfer(
            size,
            runs,
            Runtime.getRuntime().availableProcessors(),
            timings,
            timings.get("federation").ratioToTcp(),
            // the floor of any design that authenticates messages and stores them before the
            // acknowledgement: federation's share of it
            median(wall.get("tls_store")) / median(wall.get("federation")),
            small,
            lat[small / 2] / 1e6,
            lat[Math.min(small - 1, small * 99 / 100)] / 1e6);
      }
    }
  }

  /**
   * One large message from node a to node b, read to its end by b; the job is then forgotten, so
   * runs do not pile files up on the disk. A {@code replayable} message is sent as a {@link
   * Payload} (what a ciphertext vector in memory is); else as a one-pass stream, which the sender
   * copies to its outbox draft as it goes.
   */
  private static double federationSeconds(
      GrpcFederation a, GrpcFederation b, long size, String tag, boolean replayable) {
    long t0 = System.nanoTime();
    MessageKey key = MessageKey.of("bench-" + tag + "-" + t0, "large", "0");
    var sending =
        CompletableFuture.runAsync(
            () -> {
              if (replayable) {
                a.sendPayload(2, key, Payload.of(size, () -> seeded(size)), PayloadKind.UNDECLARED);
              } else {
                a.sendStream(2, key, seeded(size));
              }
            });
    Payload got = b.receivePayload(1, key, Duration.ofMinutes(10));
    drain(got.open());
    sending.join();
    double seconds = (System.nanoTime() - t0) / 1e9;
    b.forget(key.jobId());
    a.forget(key.jobId());
    return seconds;
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }

  /** The same bytes through a plain loopback socket, read and discarded by the other side. */
  private static double tcpCopySeconds(long size) throws IOException {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      var reader =
          CompletableFuture.runAsync(
              () -> {
                try (Socket s = listener.accept()) {
                  drain(s.getInputStream());
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      long t0 = System.nanoTime();
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
          InputStream in = seeded(size)) {
        var out = new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 16);
        in.transferTo(out);
        out.flush();
      }
      reader.join();
      return (System.nanoTime() - t0) / 1e9;
    }
  }

  /** One timed transfer of the large message; returns its seconds. */
  private interface TimedPath {
    double run() throws Exception;
  }

  private static void drain(InputStream in) {
    try (in) {
      byte[] buf = new byte[1 << 16];
      while (in.read(buf) > 0) {
        // discard
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Pseudo-random bytes made on the fly (what ciphertexts look like to a transport). */
  private static InputStream seeded(long size) {
    return new InputStream() {
      private final SplittableRandom random = new SplittableRandom(1);
      private long left = size;

      @Override
      public int read() {
        return left-- > 0 ? random.nextInt(256) : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        for (int i = 0; i < n; i += 8) {
          long v = random.nextLong();
          for (int k = 0; k < 8 && i + k < n; k++) {
            b[off + i + k] = (byte) (v >>> (8 * k));
          }
        }
        left -= n;
        return n;
      }
    };
  }

  @Override
  protected void printText(Transfer r, PrintWriter out) {
    out.printf(
        "large message: %d MiB between two nodes on loopback (%s cores shared by both); median of"
            + " %s runs after %d warm-up runs%n%n",
        mib, r.cores(), r.runs(), warmup);
    out.printf("%-40s %9s %9s %9s %12s%n", "", "seconds", "MB/s", "vs TCP", "CPU seconds");
    String[][] rows = {
      {"federation", "federation (mTLS, HTTP/2, inbox on disk)"},
      {"stream", "  the same, sent as a one-pass stream"},
      {"tls_store", "bare mutual-TLS copy, stored on disk"},
      {"tls", "bare mutual-TLS 1.3 copy (BoringSSL)"},
      {"tcp", "plain TCP copy (same bytes)"}
    };
    for (String[] row : rows) {
      PathTiming t = r.paths().get(row[0]);
      out.printf(
          "%-40s %9.2f %9.1f %9s %12.2f%n",
          row[1],
          t.s(),
          t.mbPerS(),
          t.ratioToTcp() == null ? "1" : String.format("%.2f", t.ratioToTcp()),
          t.cpuS());
    }
    out.printf(
        "%nratio to TCP: %.2f; to the stored bare TLS copy (the floor of any authenticated,"
            + " durable design): %.2f%n%n",
        r.ratioToTcp(), r.federationRatioToFloor());
    out.printf(
        "%s small messages (256 B, send + receive): p50 %.2f ms, p99 %.2f ms%n",
        r.smallMessages(), r.smallP50Ms(), r.smallP99Ms());
  }
}
