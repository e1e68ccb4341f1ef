package io.federa.federation;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A durable inbox: each message is written to {@code inbox/<sender>/<job>/<seq>.msg} (temp, fsync,
 * rename) before it is acknowledged, so a node killed after acknowledging still has it; a message
 * an algorithm has taken becomes {@code <seq>.done}, so a replay after a restart is still
 * recognised. On start, the files are read back: {@code .msg} are queued again in sequence order,
 * {@code .done} only remembered.
 */
final class DiskInbox implements Inbox {
  private final Path root;
  private final Mailbox memory = new Mailbox();
  private final Map<byte[], Path> files = new ConcurrentHashMap<>(); // payload identity → its file

  DiskInbox(Path root) {
    this.root = root;
    recover();
  }

  @Override
  public boolean deliver(int from, MessageKey key, long sequence, byte[] payload) {
    Path file = dir(from, key.jobId()).resolve(sequence + ".msg");
    synchronized (this) {
      if (Files.exists(file) || Files.exists(dir(from, key.jobId()).resolve(sequence + ".done"))) {
        return false;
      }
      AtomicFiles.writeBytes(file, true, MessageFiles.encode(key, payload));
      files.put(payload, file);
    }
    return memory.deliver(from, key, sequence, payload);
  }

  @Override
  public byte[] take(int self, int from, MessageKey key, Duration timeout) {
    byte[] payload = memory.take(self, from, key, timeout);
    Path file = files.remove(payload);
    if (file != null) {
      try {
        Path done = file.resolveSibling(file.getFileName().toString().replace(".msg", ".done"));
        Files.write(done, new byte[0]);
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new FederaException(ErrorCode.IO_FAILURE, "cannot mark " + file + " as taken", e);
      }
    }
    return payload;
  }

  private Path dir(int from, String jobId) {
    return root.resolve(Integer.toString(from)).resolve(MessageFiles.safeName(jobId));
  }

  private void recover() {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      List<Path> found =
          all.filter(p -> p.toString().endsWith(".msg") || p.toString().endsWith(".done"))
              .sorted(MessageFiles.BY_SEQUENCE)
              .toList();
      for (Path p : found) {
        int from = Integer.parseInt(p.getParent().getParent().getFileName().toString());
        long seq = MessageFiles.sequenceOf(p);
        String jobDir = p.getParent().getFileName().toString();
        if (p.toString().endsWith(".done")) {
          memory.remember(from, MessageFiles.jobIdOf(jobDir), seq);
          continue;
        }
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(p));
        MessageKey key = MessageFiles.keyOf(in);
        byte[] payload = new byte[in.remaining()];
        in.get(payload);
        files.put(payload, p);
        memory.enqueue(from, key, seq, payload);
      }
    } catch (IOException | RuntimeException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE, "cannot read the inbox at " + root + ": " + e.getMessage(), e);
    }
  }

  /** The on-disk form shared by the inbox and the outbox. */
  static final class MessageFiles {
    static final java.util.Comparator<Path> BY_SEQUENCE =
        java.util.Comparator.comparing((Path p) -> p.getParent().toString())
            .thenComparingLong(MessageFiles::sequenceOf);

    private MessageFiles() {}

    static byte[] encode(MessageKey key, byte[] payload) {
      byte[] job = key.jobId().getBytes(StandardCharsets.UTF_8);
      byte[] wire = key.wireKey().getBytes(StandardCharsets.UTF_8);
      return ByteBuffer.allocate(8 + job.length + wire.length + payload.length)
          .putInt(job.length)
          .put(job)
          .putInt(wire.length)
          .put(wire)
          .put(payload)
          .array();
    }

    static MessageKey keyOf(ByteBuffer in) {
      byte[] job = new byte[in.getInt()];
      in.get(job);
      byte[] wire = new byte[in.getInt()];
      in.get(wire);
      return MessageKey.fromWire(
          new String(job, StandardCharsets.UTF_8), new String(wire, StandardCharsets.UTF_8));
    }

    static long sequenceOf(Path p) {
      String name = p.getFileName().toString();
      return Long.parseLong(name.substring(0, name.indexOf('.')));
    }

    /** A job id as a directory name (hex of its UTF-8 bytes: any id, no path tricks). */
    static String safeName(String jobId) {
      return java.util.HexFormat.of().formatHex(jobId.getBytes(StandardCharsets.UTF_8));
    }

    static String jobIdOf(String safeName) {
      return new String(java.util.HexFormat.of().parseHex(safeName), StandardCharsets.UTF_8);
    }
  }
}
