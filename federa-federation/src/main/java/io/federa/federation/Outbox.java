package io.federa.federation;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Messages on their way out: each is written to {@code outbox/<receiver>/<job>/<seq>.msg} before
 * the first attempt and deleted when the receiver acknowledges it, so a sender that crashes and
 * restarts sends it again (with the same sequence number, which the receiver de-duplicates).
 * Sequence counters are persisted too ({@code next}), so a restarted sender never reuses a number.
 */
final class Outbox {
  /** A message waiting for its acknowledgement. */
  record Pending(int to, MessageKey key, long sequence, byte[] payload, Path file) {}

  private final Path root;
  private final Map<String, Long> last = new ConcurrentHashMap<>();

  Outbox(Path root) {
    this.root = root;
  }

  private Path dir(int to, String jobId) {
    return root.resolve(Integer.toString(to)).resolve(DiskInbox.MessageFiles.safeName(jobId));
  }

  /** Stores a new message and gives it the next sequence number for (receiver, job). */
  synchronized Pending store(int to, MessageKey key, byte[] payload) {
    Path dir = dir(to, key.jobId());
    String counterKey = to + "/" + key.jobId();
    long seq = last.computeIfAbsent(counterKey, k -> readCounter(dir.resolve("next"))) + 1;
    AtomicFiles.writeBytes(dir.resolve("next"), false, Long.toString(seq).getBytes());
    last.put(counterKey, seq);
    Path file = dir.resolve(seq + ".msg");
    AtomicFiles.writeBytes(file, true, DiskInbox.MessageFiles.encode(key, payload));
    return new Pending(to, key, seq, payload, file);
  }

  void acknowledged(Pending p) {
    try {
      Files.deleteIfExists(p.file());
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE, "cannot clear " + p.file() + " from the outbox", e);
    }
  }

  /** Messages stored by an earlier run and never acknowledged, oldest first per (receiver, job). */
  List<Pending> pending() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> p.toString().endsWith(".msg"))
          .sorted(DiskInbox.MessageFiles.BY_SEQUENCE)
          .map(this::read)
          .toList();
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot read the outbox at " + root, e);
    }
  }

  private Pending read(Path file) {
    try {
      ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
      MessageKey key = DiskInbox.MessageFiles.keyOf(in);
      byte[] payload = new byte[in.remaining()];
      in.get(payload);
      int to = Integer.parseInt(file.getParent().getParent().getFileName().toString());
      return new Pending(to, key, DiskInbox.MessageFiles.sequenceOf(file), payload, file);
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
