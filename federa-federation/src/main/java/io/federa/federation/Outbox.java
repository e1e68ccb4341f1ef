package io.federa.federation;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Messages on their way out: each is written to {@code outbox/<receiver>/<job>/<seq>.msg} before
 * the first attempt (streamed, never whole in memory) and deleted when the receiver acknowledges
 * it, so a sender that crashes and restarts sends it again with the same sequence number, which the
 * receiver de-duplicates. Sequence counters are persisted ({@code next}), so a restarted sender
 * never reuses a number.
 */
final class Outbox {
  /** A message waiting for its acknowledgement. */
  record Pending(int to, MessageKey key, PayloadKind kind, long sequence, Payload.InFile payload) {}

  private final Path root;
  private final Map<String, Long> last = new ConcurrentHashMap<>();

  Outbox(Path root) {
    this.root = root;
  }

  private Path dir(int to, String jobId) {
    return root.resolve(Integer.toString(to)).resolve(MessageFiles.safeName(jobId));
  }

  /** Stores a new message, read from {@code in}, under the next sequence number. */
  Pending store(int to, MessageKey key, PayloadKind kind, InputStream in) {
    long seq;
    Path dir = dir(to, key.jobId());
    synchronized (this) {
      String counterKey = to + "/" + key.jobId();
      seq = last.computeIfAbsent(counterKey, k -> readCounter(dir.resolve("next"))) + 1;
      AtomicFiles.writeBytes(dir.resolve("next"), false, Long.toString(seq).getBytes());
      last.put(counterKey, seq);
    }
    Path file = dir.resolve(seq + ".msg");
    AtomicFiles.writeChannel(
        file,
        true,
        channel -> {
          channel.write(ByteBuffer.wrap(MessageFiles.prefix(key, kind)));
          byte[] buffer = new byte[1 << 16];
          int n;
          while ((n = in.read(buffer)) > 0) {
            ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
            while (b.hasRemaining()) {
              channel.write(b);
            }
          }
        });
    try {
      return new Pending(to, key, kind, seq, (Payload.InFile) MessageFiles.open(file)[1]);
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot read back " + file, e);
    }
  }

  void acknowledged(Pending p) {
    try {
      Files.deleteIfExists(p.payload().file());
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE, "cannot clear " + p.payload().file() + " from the outbox", e);
    }
  }

  /**
   * Drops a finished job's unacknowledged messages (to parties that never took them); the sequence
   * counter stays, so numbers are never reused.
   */
  void forget(String jobId) {
    String job = MessageFiles.safeName(jobId);
    if (!Files.isDirectory(root)) {
      return;
    }
    try (java.util.stream.Stream<Path> receivers = Files.list(root)) {
      for (Path receiver : receivers.toList()) {
        Path dir = receiver.resolve(job);
        if (!Files.isDirectory(dir)) {
          continue;
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
          for (Path f : files.toList()) {
            if (f.getFileName().toString().endsWith(".msg")) {
              Files.deleteIfExists(f);
            }
          }
        }
      }
    } catch (java.io.IOException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE, "cannot clear job " + jobId + " from the outbox at " + root, e);
    }
  }

  /** Messages stored by an earlier run and never acknowledged, oldest first per (receiver, job). */
  List<Pending> pending() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> p.getFileName().toString().endsWith(".msg"))
          .sorted(MessageFiles.BY_SEQUENCE)
          .map(this::read)
          .toList();
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot read the outbox at " + root, e);
    }
  }

  private Pending read(Path file) {
    try {
      Object[] opened = MessageFiles.open(file);
      int to = Integer.parseInt(file.getParent().getParent().getFileName().toString());
      return new Pending(
          to,
          (MessageKey) opened[0],
          (PayloadKind) opened[2],
          MessageFiles.sequenceOf(file),
          (Payload.InFile) opened[1]);
    } catch (IOException | RuntimeException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE, "cannot read " + file + " from the outbox", e);
    }
  }

  private static long readCounter(Path file) {
    try {
      return Files.exists(file) ? Long.parseLong(Files.readString(file).trim()) : 0;
    } catch (IOException | NumberFormatException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE, "cannot read the sequence counter " + file, e);
    }
  }
}
