package io.federa.federation;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * The on-disk form of a message, shared by the inbox and the outbox: {@code len(4) job len(4) key}
 * then {@code len(4) kind}, followed by the payload, in {@code <party>/<hex of job
 * id>/<sequence>.msg}.
 */
final class MessageFiles {
  static final Comparator<Path> BY_SEQUENCE =
      Comparator.comparing((Path p) -> p.getParent().toString())
          .thenComparingLong(MessageFiles::sequenceOf);

  /** Message files in sequence order per directory; other files (partials) by name. */
  static final Comparator<Path> BY_SEQUENCE_OR_NAME =
      Comparator.comparing((Path p) -> p.getParent().toString())
          .thenComparingLong(
              p -> Character.isDigit(p.getFileName().toString().charAt(0)) ? sequenceOf(p) : -1);

  private MessageFiles() {}

  static byte[] prefix(MessageKey key, PayloadKind kind) {
    byte[] job = key.jobId().getBytes(StandardCharsets.UTF_8);
    byte[] wire = key.wireKey().getBytes(StandardCharsets.UTF_8);
    byte[] k = kind.name().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(12 + job.length + wire.length + k.length)
        .putInt(job.length)
        .put(job)
        .putInt(wire.length)
        .put(wire)
        .putInt(k.length)
        .put(k)
        .array();
  }

  /** Reads the key of a message file from its first bytes; the buffer is left after the prefix. */
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
    return HexFormat.of().formatHex(jobId.getBytes(StandardCharsets.UTF_8));
  }

  static String jobIdOf(String safeName) {
    return new String(HexFormat.of().parseHex(safeName), StandardCharsets.UTF_8);
  }

  /** The key, the payload's place and the declared kind of a message file. */
  static Object[] open(Path file) throws java.io.IOException {
    try (var channel = java.nio.channels.FileChannel.open(file)) {
      ByteBuffer head = ByteBuffer.allocate((int) Math.min(channel.size(), 1 << 16));
      channel.read(head);
      head.flip();
      MessageKey key = keyOf(head);
      byte[] kind = new byte[head.getInt()];
      head.get(kind);
      long offset = head.position();
      return new Object[] {
        key,
        new Payload.InFile(file, offset, channel.size() - offset),
        PayloadKind.of(new String(kind, StandardCharsets.UTF_8))
      };
    }
  }
}
