package io.federa.federation;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * Messages on their way out. A message whose bytes can be read again ({@link Payload}) is streamed
 * straight from them and written here only if its first attempt fails; a one-pass stream is written
 * to a draft file while its first attempt streams it (never whole in memory). If the receiver
 * acknowledges that attempt the draft is dropped, else it becomes {@code
 * outbox/<receiver>/<job>/<seq>.msg} (fsync, rename) and is sent again, also by a restarted node,
 * with the same sequence number, which the receiver de-duplicates. It is deleted once acknowledged.
 * Sequence counters are persisted ({@code next}), so a restarted sender never reuses a number.
 */
final class Outbox {
  /** A message waiting for its acknowledgement. */
  record Pending(int to, MessageKey key, PayloadKind kind, long sequence, Payload.InFile payload) {}

  private static final String DRAFT = ".draft";

  private final Path root;

  Outbox(Path root) {
    this.root = root;
  }

  private Path dir(int to, String jobId) {
    return root.resolve(Integer.toString(to)).resolve(MessageFiles.safeName(jobId));
  }

  /**
   * Sequence numbers reserved on disk at a time: the counter file is rewritten (fsync, rename) once
   * per this many messages, not once per message. A restarted node starts after the reserved block,
   * so a number is never reused; the gap it leaves is harmless (receivers de-duplicate by number).
   */
  static final long RESERVED = 1024;

  /** Per receiver and job: the last number used and the highest one reserved on disk. */
  private final Map<String, long[]> counters = new ConcurrentHashMap<>();

  /** The next sequence number towards {@code to} in {@code key}'s job, reserved on disk first. */
  long nextSequence(int to, MessageKey key) {
    Path next = dir(to, key.jobId()).resolve("next");
    synchronized (this) {
      long[] c =
          counters.computeIfAbsent(
              to + "/" + key.jobId(),
              k -> {
                long onDisk = readCounter(next);
                return new long[] {onDisk, onDisk};
              });
      long seq = c[0] + 1;
      if (seq > c[1]) {
        long reserve = seq + RESERVED - 1;
        AtomicFiles.writeBytes(next, false, Long.toString(reserve).getBytes());
        c[1] = reserve;
      }
      c[0] = seq;
      return seq;
    }
  }

  /**
   * Starts a new message under the next sequence number: its bytes go to a hidden draft file while
   * the first attempt streams them, so a message is read from its producer once.
   */
  Draft begin(int to, MessageKey key, PayloadKind kind) {
    return begin(to, key, kind, nextSequence(to, key));
  }

  /** Starts a draft of message {@code seq} (its number already taken). */
  Draft begin(int to, MessageKey key, PayloadKind kind, long seq) {
    Path temp = dir(to, key.jobId()).resolve("." + seq + DRAFT);
    try {
      FileChannel channel =
          io.federa.core.io.AtomicFiles.openPrivate(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING);
      Draft draft = new Draft(to, key, kind, seq, temp, channel);
      draft.write(ByteBuffer.wrap(MessageFiles.prefix(key, kind)));
      return draft;
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE, "cannot write " + temp + " in the outbox: " + e.getMessage(), e);
    }
  }

  /**
   * Stores a whole message whose first attempt failed as {@code <seq>.msg} (draft, fsync, rename),
   * read once more from {@code payload}: later attempts, and a restarted node, send it from there.
   */
  Pending store(int to, MessageKey key, PayloadKind kind, long seq, Payload payload) {
    Draft draft = begin(to, key, kind, seq);
    try (java.io.InputStream in = payload.open()) {
      byte[] buffer = new byte[1 << 20];
      for (int n; (n = in.readNBytes(buffer, 0, buffer.length)) > 0; ) {
        draft.write(ByteBuffer.wrap(buffer, 0, n));
      }
    } catch (IOException | RuntimeException e) {
      draft.discard();
      throw new FederaException(
          ErrorCode.IO_FAILURE,
          "cannot store message " + seq + " to party " + to + " in the outbox: " + e.getMessage(),
          e);
    }
    return draft.persist();
  }

  /**
   * A message being written. When the receiver acknowledges the first attempt, the draft is simply
   * dropped: it was never needed durable. When that attempt fails, {@link #persist()} makes it a
   * durable {@code <seq>.msg} (fsync, rename) that later attempts, and a restarted node, send.
   */
  final class Draft {
    private final int to;
    private final MessageKey key;
    private final PayloadKind kind;
    private final long sequence;
    private final Path temp;
    private final FileChannel channel;
    private long bytes;

    private Draft(
        int to, MessageKey key, PayloadKind kind, long sequence, Path temp, FileChannel channel) {
      this.to = to;
      this.key = key;
      this.kind = kind;
      this.sequence = sequence;
      this.temp = temp;
      this.channel = channel;
    }

    long sequence() {
      return sequence;
    }

    MessageKey key() {
      return key;
    }

    PayloadKind kind() {
      return kind;
    }

    /** Payload bytes written so far (without the key prefix). */
    long payloadBytes() {
      return bytes - MessageFiles.prefix(key, kind).length;
    }

    void write(ByteBuffer data) throws IOException {
      bytes += data.remaining();
      while (data.hasRemaining()) {
        channel.write(data);
      }
    }

    /** Forces the draft to disk and renames it {@code <seq>.msg}: from now on it survives. */
    Pending persist() {
      Path file = temp.resolveSibling(sequence + ".msg");
      try {
        channel.force(true);
        channel.close();
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.syncDirectory(file.getParent());
        return new Pending(to, key, kind, sequence, (Payload.InFile) MessageFiles.open(file)[1]);
      } catch (IOException e) {
        throw new FederaException(
            ErrorCode.IO_FAILURE, "cannot store " + file + " in the outbox: " + e.getMessage(), e);
      }
    }

    /** Drops the draft (acknowledged, or never complete). */
    void discard() {
      try {
        channel.close();
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        LoggerFactory.getLogger(Outbox.class).warn("cannot remove {}: {}", temp, e.toString());
      }
    }
  }

  /** Deletes a stored message: acknowledged, or refused for good by its receiver. */
  void remove(Pending p) {
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
      List<Path> files = all.filter(Files::isRegularFile).toList();
      for (Path p : files) {
        if (p.getFileName().toString().endsWith(DRAFT)) {
          // its producer died before the first attempt ended: the job's resume sends it anew
          Files.deleteIfExists(p);
        }
      }
      return files.stream()
          .filter(p -> p.getFileName().toString().endsWith(".msg"))
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
