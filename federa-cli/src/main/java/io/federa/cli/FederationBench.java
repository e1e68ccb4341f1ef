package io.federa.cli;

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
 * outbox, inbox, digest) against a plain TCP copy of the same bytes in the same run; and
 * small-message latency.
 */
@Command(
    name = "federation",
    description =
        "Node-to-node throughput against plain TCP (same run), and small-message latency.")
final class FederationBench extends FederaCommand {
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
              + "(on 2 cores that takes a few hundred MiB). Default: ${DEFAULT-VALUE}.")
  int warmup;

  @Option(
      names = "--runs",
      defaultValue = "3",
      description = "Timed runs of each path (after a warm-up); medians are reported.")
  int runs;

  @Override
  Map<String, Object> execute(Progress progress) throws Exception {
    long size = (long) mib << 20;
    var m = new LinkedHashMap<String, Object>();
    try (LoopbackNodes fed =
        LoopbackNodes.create("federa-bench-federation", Map.of(1, "a", 2, "b")).startAll()) {
      GrpcFederation a = fed.node(1);
      GrpcFederation b = fed.node(2);
      a.ping(2, Duration.ofSeconds(10));
      // warm-up: every path compiled by the JIT before anything is timed
      for (int i = 0; i < warmup; i++) {
        tcpCopySeconds(size);
        federationSeconds(a, b, size, "warm-" + i, true);
        federationSeconds(a, b, size, "warm-stream-" + i, false);
      }
      // alternating runs, medians: the machine is shared and noisy
      double[] tcpRuns = new double[runs];
      double[] fedRuns = new double[runs];
      double[] streamRuns = new double[runs];
      for (int i = 0; i < runs; i++) {
        tcpRuns[i] = tcpCopySeconds(size);
        fedRuns[i] = federationSeconds(a, b, size, "large-" + i, true);
        streamRuns[i] = federationSeconds(a, b, size, "stream-" + i, false);
      }
      double tcp = median(tcpRuns);
      double federation = median(fedRuns);
      double stream = median(streamRuns);
      double durable = durableCopySeconds(fed.dir(), size);
      double tls = tlsCopySeconds(size, fed.confs().get(0), fed.confs().get(1));
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
        m.put("bytes", size);
        m.put("runs", runs);
        m.put("federation_runs_s", fedRuns);
        m.put("tcp_runs_s", tcpRuns);
        m.put("federation_s", federation);
        m.put("federation_mb_per_s", size / 1e6 / federation);
        m.put("tcp_s", tcp);
        m.put("tcp_mb_per_s", size / 1e6 / tcp);
        m.put("ratio_to_tcp", tcp / federation);
        m.put("stream_runs_s", streamRuns);
        m.put("stream_s", stream);
        m.put("stream_ratio_to_tcp", tcp / stream);
        m.put("durable_write_s", durable);
        m.put("durable_write_mb_per_s", size / 1e6 / durable);
        // delivery that survives a crash of either side needs one durable copy before the
        // acknowledgement: no design can beat the disk's fsync'd write speed
        m.put("durability_bound_ratio", tcp / durable);
        m.put("tls_s", tls);
        m.put("tls_mb_per_s", size / 1e6 / tls);
        // every message between parties is authenticated: a mutual-TLS socket is the floor
        m.put("tls_ratio_to_tcp", tcp / tls);
        m.put("small_messages", small);
        m.put("small_p50_ms", lat[small / 2] / 1e6);
        m.put("small_p99_ms", lat[Math.min(small - 1, small * 99 / 100)] / 1e6);
      }
    }
    return m;
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
    MessageKey key = MessageKey.of("bench-" + tag, "large", "0");
    var sending =
        CompletableFuture.runAsync(
            () -> {
              if (replayable) {
                a.sendPayload(2, key, seededPayload(size), PayloadKind.UNDECLARED);
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

  /** {@link #seeded} bytes as a payload that can be read again (from the start). */
  private static Payload seededPayload(long size) {
    return new Payload() {
      @Override
      public long size() {
        return size;
      }

      @Override
      public InputStream open() {
        return seeded(size);
      }
    };
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }

  /** The same bytes through a plain loopback socket, read and discarded by the other side. */
  private static double tcpCopySeconds(long size) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return copySeconds(
          server, () -> new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort()), size);
    }
  }

  /**
   * The same bytes through a plain mutual-TLS 1.3 socket between the two parties' certificates (the
   * JDK's provider, no gRPC, no files): what authentication alone costs.
   */
  private static double tlsCopySeconds(
      long size, java.nio.file.Path serverConf, java.nio.file.Path clientConf) throws Exception {
    javax.net.ssl.SSLContext server = tls(io.federa.federation.NodeConfig.load(serverConf));
    javax.net.ssl.SSLContext client = tls(io.federa.federation.NodeConfig.load(clientConf));
    try (var listener =
        (javax.net.ssl.SSLServerSocket)
            server
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listener.setNeedClientAuth(true);
      listener.setEnabledProtocols(new String[] {"TLSv1.3"});
      return copySeconds(
          listener,
          () -> {
            var s =
                (javax.net.ssl.SSLSocket)
                    client
                        .getSocketFactory()
                        .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            s.setEnabledProtocols(new String[] {"TLSv1.3"});
            s.startHandshake();
            return s;
          },
          size);
    }
  }

  /** Opens the sending side of a copy. */
  private interface Opener {
    Socket open() throws IOException;
  }

  /** Streams {@code size} seeded bytes from a socket {@code open} makes to {@code listener}. */
  private static double copySeconds(ServerSocket listener, Opener open, long size)
      throws IOException {
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
    try (Socket s = open.open();
        InputStream in = seeded(size)) {
      var out = new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 16);
      in.transferTo(out);
      out.flush();
    }
    reader.join();
    return (System.nanoTime() - t0) / 1e9;
  }

  /** A TLS context holding a node's key and certificate, trusting the federation's CA. */
  private static javax.net.ssl.SSLContext tls(io.federa.federation.NodeConfig c) throws Exception {
    char[] pass = "bench".toCharArray();
    var keys = java.security.KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "node",
        io.federa.federation.pki.Pem.readPrivateKey(c.privateKeyFile()),
        pass,
        new java.security.cert.Certificate[] {
          io.federa.federation.pki.Pem.readCertificate(c.certificateFile()),
          io.federa.federation.pki.Pem.readCertificate(c.caFile())
        });
    var kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
    kmf.init(keys, pass);
    var trust = java.security.KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", io.federa.federation.pki.Pem.readCertificate(c.caFile()));
    var tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    var ctx = javax.net.ssl.SSLContext.getInstance("TLSv1.3");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
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

  /** Writes {@code size} bytes to a file in {@code dir} and forces them to disk. */
  static double durableCopySeconds(java.nio.file.Path dir, long size) throws java.io.IOException {
    java.nio.file.Path file = dir.resolve("durable-write.bin");
    byte[] chunk = new byte[1 << 20];
    new java.util.Random(1).nextBytes(chunk);
    long t0 = System.nanoTime();
    try (var ch =
        java.nio.channels.FileChannel.open(
            file,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE,
            java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
      for (long done = 0; done < size; done += chunk.length) {
        var b = java.nio.ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, size - done));
        while (b.hasRemaining()) {
          ch.write(b);
        }
      }
      ch.force(true);
    }
    double s = (System.nanoTime() - t0) / 1e9;
    java.nio.file.Files.deleteIfExists(file);
    return s;
  }

  @Override
  void printText(Map<String, Object> r, PrintWriter out) {
    out.printf(
        "large message: %d MiB between two nodes on loopback; median of %s runs after %d warm-up"
            + " runs%n%n",
        mib, r.get("runs"), warmup);
    out.printf("%-34s %10s %10s%n", "", "seconds", "MB/s");
    out.printf(
        "%-34s %10.2f %10.1f%n",
        "federation (mTLS, outbox, inbox)", r.get("federation_s"), r.get("federation_mb_per_s"));
    out.printf(
        "%-34s %10.2f %10.1f%n",
        "  the same as a one-pass stream",
        r.get("stream_s"),
        (double) (long) r.get("bytes") / 1e6 / (double) r.get("stream_s"));
    out.printf(
        "%-34s %10.2f %10.1f%n",
        "plain TCP copy (same bytes)", r.get("tcp_s"), r.get("tcp_mb_per_s"));
    out.printf(
        "%-34s %10.2f %10.1f%n",
        "one durable write (write + fsync)",
        r.get("durable_write_s"),
        r.get("durable_write_mb_per_s"));
    out.printf(
        "%-34s %10.2f %10.1f%n",
        "mutual-TLS 1.3 socket copy", r.get("tls_s"), r.get("tls_mb_per_s"));
    out.printf("ratio to TCP: %.2f%n", r.get("ratio_to_tcp"));
    out.printf("one-pass stream, ratio to TCP: %.2f%n", r.get("stream_ratio_to_tcp"));
    out.printf("mutual-TLS socket alone, ratio to TCP: %.2f%n", r.get("tls_ratio_to_tcp"));
    out.printf(
        "bound on the ratio from one durable copy per message: %.2f%n%n",
        r.get("durability_bound_ratio"));
    out.printf(
        "%s small messages (256 B, send + receive): p50 %.2f ms, p99 %.2f ms%n",
        r.get("small_messages"), r.get("small_p50_ms"), r.get("small_p99_ms"));
  }
}
