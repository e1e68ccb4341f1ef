package io.federa.federation;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a large seeded stream between two nodes (in this JVM) and prints one JSON line: both
 * digests, the seconds, and the peak heap above the idle baseline. Run in a JVM with a small {@code
 * -Xmx} by {@link LargeTransferTest}: finishing at all is the memory bound.
 */
public final class LargeTransferMain {
  private LargeTransferMain() {}

  /** A seeded stream of {@code size} pseudo-random bytes, made on the fly. */
  static InputStream seeded(long size, long seed) {
    return new InputStream() {
      private final SplittableRandom random = new SplittableRandom(seed);
      private long left = size;

      @Override
      public int read() {
        if (left <= 0) {
          return -1;
        }
        left--;
        return random.nextInt(256);
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        for (int i = 0; i < n; i++) {
          b[off + i] = (byte) random.nextInt(256);
        }
        left -= n;
        return n;
      }
    };
  }

  /** Arguments: the size in bytes; "stream" to send a one-pass stream instead of a payload. */
  public static void main(String[] args) throws Exception {
    long size = Long.parseLong(args[0]);
    Path dir = Files.createTempDirectory("federa-large");
    try {
      run(size, args, dir);
    } finally { // the inboxes hold the whole payload: a gibibyte per run
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(long size, String[] args, Path dir) throws Exception {
    List<NodeConfig> c = TestingFederations.create(dir, 1, 2);
    var heap = ManagementFactory.getMemoryMXBean();
    try (GrpcFederation a = GrpcFederation.start(c.get(0));
        GrpcFederation b = GrpcFederation.start(c.get(1))) {
      a.ping(2, Duration.ofSeconds(10)); // connections open, classes loaded
      System.gc();
      long baseline = heap.getHeapMemoryUsage().getUsed();
      AtomicLong peak = new AtomicLong(baseline);
      Thread sampler =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  peak.accumulateAndGet(heap.getHeapMemoryUsage().getUsed(), Math::max);
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      sampler.setDaemon(true);
      sampler.start();
      long t0 = System.nanoTime();
      MessageKey key = MessageKey.of("large", "transfer", "1");
      if (args.length > 1 && args[1].equals("stream")) {
        a.sendStream(2, key, seeded(size, 42)); // one pass, through an outbox draft
      } else {
        a.sendPayload(2, key, Payload.of(size, () -> seeded(size, 42)), PayloadKind.UNDECLARED);
      }
      Payload got = b.receivePayload(1, key, Duration.ofMinutes(5));
      MessageDigest received = MessageDigest.getInstance("SHA-256");
      try (InputStream in = got.open()) {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
          received.update(buf, 0, n);
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      sampler.interrupt();
      MessageDigest sent = MessageDigest.getInstance("SHA-256");
      try (InputStream in = seeded(size, 42)) {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
          sent.update(buf, 0, n);
        }
      }
      System.out.printf(
          "{\"bytes\":%d,\"received_size\":%d,\"sent_sha256\":\"%s\",\"received_sha256\":\"%s\","
              + "\"seconds\":%.2f,\"peak_extra_heap_mb\":%.1f,\"max_heap_mb\":%.1f}%n",
          size,
          got.size(),
          HexFormat.of().formatHex(sent.digest()),
          HexFormat.of().formatHex(received.digest()),
          seconds,
          (peak.get() - baseline) / 1048576.0,
          Runtime.getRuntime().maxMemory() / 1048576.0);
    }
  }
}
