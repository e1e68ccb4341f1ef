package io.federa.federation;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * A durable inbox. An incoming message streams into {@code inbox/<sender>/<job>/.<seq>.partial};
 * once whole and checked it is fsynced and renamed {@code <seq>.msg}, and only then acknowledged,
 * so a node killed after acknowledging still has it, and a message never sits in memory whole. A
 * message an algorithm has taken is renamed {@code <seq>.done}, so a replay after a restart is
 * still recognised. On start, {@code .msg} files are queued again in sequence order and {@code
 * .done} ones remembered.
 */
final class DiskInbox implements Inbox {
  /** The marker of a forgotten job: the highest sequence number seen from that sender. */
  private static final String FINISHED = "finished";

  /**
   * Forces incoming files to disk while more of them arrives: otherwise the kernel holds a large
   * message's pages until the commit's fsync, which then writes it all while the sender waits.
   */
  private static final java.util.concurrent.ExecutorService FLUSHERS =
      java.util.concurrent.Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "federa-inbox-flush");
            t.setDaemon(true);
            return t;
          });

  private final Path root;
  private final Mailbox memory = new Mailbox();

  DiskInbox(Path root) {
    this.root = root;
    recover();
  }

  private Path dir(int from, String jobId) {
    return root.resolve(Integer.toString(from)).resolve(MessageFiles.safeName(jobId));
  }

  @Override
  public boolean seen(int from, String jobId, long sequence) {
    return memory.seen(from, jobId, sequence);
  }

  @Override
  public Incoming begin(int from, MessageKey key, long sequence, long size) throws IOException {
    Path dir = dir(from, key.jobId());
    io.federa.core.io.AtomicFiles.createDirectories(dir);
    Path partial = Files.createTempFile(dir, "." + sequence + ".", ".partial");
    FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE);
    channel.write(ByteBuffer.wrap(MessageFiles.prefix(key, PayloadKind.UNDECLARED)));
    return new Incoming() {
      /** The background force in progress, if any. */
      private java.util.concurrent.Future<?> flushing;

      @Override
      public void write(ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
          channel.write(data);
        }
      }

      @Override
      public void flush() {
        if (flushing == null || flushing.isDone()) {
          flushing =
              FLUSHERS.submit(
                  () -> {
                    channel.force(false);
                    return null;
                  });
        }
      }

      @Override
      public boolean commit() throws IOException {
        if (flushing != null) {
          try {
            flushing.get();
          } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while storing a message");
          }
        }
        channel.force(true);
        channel.close();
        synchronized (DiskInbox.this) {
          if (!memory.remember(from, key.jobId(), sequence)) {
            Files.deleteIfExists(partial);
            return false;
          }
          Path file = dir.resolve(sequence + ".msg");
          Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
          io.federa.core.io.AtomicFiles.syncDirectory(dir); // the name, too, before the ack
          memory.enqueue(from, key, (Payload) MessageFiles.open(file)[1]);
        }
        return true;
      }

      @Override
      public void abort() {
        try {
          channel.close();
          Files.deleteIfExists(partial);
        } catch (IOException ignored) {
          // a stale partial file is removed on the next start
        }
      }
    };
  }

  @Override
  public Payload take(int self, int from, MessageKey key, Duration timeout) {
    Payload.InFile payload = (Payload.InFile) memory.take(self, from, key, timeout);
    Path file = payload.file();
    Path done = file.resolveSibling(MessageFiles.sequenceOf(file) + ".done");
    try {
      Files.move(file, done, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot mark " + file + " as taken", e);
    }
    return new Payload.InFile(done, payload.offset(), payload.size());
  }

  @Override
  public synchronized void forget(String jobId) {
    String job = MessageFiles.safeName(jobId);
    if (!Files.isDirectory(root)) {
      return;
    }
    try (Stream<Path> senders = Files.list(root)) {
      for (Path sender : senders.toList()) {
        Path dir = sender.resolve(job);
        if (!Files.isDirectory(dir)) {
          continue;
        }
        int from = Integer.parseInt(sender.getFileName().toString());
        long max = memory.forget(from, jobId);
        try (Stream<Path> files = Files.list(dir)) {
          for (Path f : files.toList()) {
            if (!f.getFileName().toString().equals(FINISHED)) {
              max = Math.max(max, sequenceOrZero(f));
            }
          }
        }
        io.federa.core.io.AtomicFiles.writeBytes(
            dir.resolve(FINISHED), false, Long.toString(max).getBytes(StandardCharsets.US_ASCII));
        memory.floor(from, jobId, max);
        try (Stream<Path> files = Files.list(dir)) {
          for (Path f : files.toList()) {
            if (!f.getFileName().toString().equals(FINISHED)) {
              Files.deleteIfExists(f);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE, "cannot clear job " + jobId + " from the inbox at " + root, e);
    }
  }

  private static long sequenceOrZero(Path f) {
    try {
      return MessageFiles.sequenceOf(f);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private void recover() {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      List<Path> files = all.filter(Files::isRegularFile).toList();
      for (Path p : files) {
        if (io.federa.core.io.AtomicFiles.isTemporary(p)) {
          Files.deleteIfExists(p); // a write the kill interrupted (the finished mark of a job)
        }
      }
      List<Path> found =
          files.stream()
              .filter(p -> !io.federa.core.io.AtomicFiles.isTemporary(p))
              .sorted(MessageFiles.BY_SEQUENCE_OR_NAME)
              .toList();
      for (Path p : found) {
        String name = p.getFileName().toString();
        if (name.equals(FINISHED)) {
          int from = Integer.parseInt(p.getParent().getParent().getFileName().toString());
          String jobId = MessageFiles.jobIdOf(p.getParent().getFileName().toString());
          memory.floor(
              from, jobId, Long.parseLong(Files.readString(p, StandardCharsets.US_ASCII).trim()));
          continue;
        }
        if (name.endsWith(".partial")) {
          Files.deleteIfExists(p); // never acknowledged: the sender sends it again
          continue;
        }
        int from = Integer.parseInt(p.getParent().getParent().getFileName().toString());
        String jobId = MessageFiles.jobIdOf(p.getParent().getFileName().toString());
        long seq = MessageFiles.sequenceOf(p);
        memory.remember(from, jobId, seq);
        if (name.endsWith(".msg")) {
          Object[] opened = MessageFiles.open(p);
          memory.enqueue(from, (MessageKey) opened[0], (Payload) opened[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE, "cannot read the inbox at " + root + ": " + e.getMessage(), e);
    }
  }
}
