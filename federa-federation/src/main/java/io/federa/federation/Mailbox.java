package io.federa.federation;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Delivered messages by (sender, job, key), and the sequence numbers already delivered per (sender,
 * job), so a retried or replayed message is acknowledged but not delivered twice. In memory; {@link
 * DiskInbox} puts it on disk.
 */
final class Mailbox implements Inbox {
  private record Slot(int from, String jobId, String key) {}

  private final Map<Slot, BlockingQueue<Payload>> slots = new ConcurrentHashMap<>();
  private final Map<String, Set<Long>> delivered = new HashMap<>();
  private final Map<String, Long> floors = new HashMap<>();

  private BlockingQueue<Payload> slot(int from, MessageKey key) {
    return slots.computeIfAbsent(
        new Slot(from, key.jobId(), key.wireKey()), s -> new LinkedBlockingQueue<>());
  }

  @Override
  public boolean seen(int from, String jobId, long sequence) {
    synchronized (delivered) {
      Set<Long> s = delivered.get(from + "/" + jobId);
      return (s != null && s.contains(sequence))
          || sequence <= floors.getOrDefault(from + "/" + jobId, 0L);
    }
  }

  /** Records a sequence number; false if it was recorded before. */
  boolean remember(int from, String jobId, long sequence) {
    synchronized (delivered) {
      if (sequence <= floors.getOrDefault(from + "/" + jobId, 0L)) {
        return false;
      }
      return delivered.computeIfAbsent(from + "/" + jobId, k -> new HashSet<>()).add(sequence);
    }
  }

  /**
   * Forgets a finished job's messages from {@code from}: drops what is queued and keeps only a
   * floor, so every sequence number up to the highest seen still counts as delivered.
   */
  long forget(int from, String jobId) {
    synchronized (delivered) {
      String k = from + "/" + jobId;
      Set<Long> s = delivered.remove(k);
      long max = floors.getOrDefault(k, 0L);
      if (s != null) {
        for (long seq : s) {
          max = Math.max(max, seq);
        }
      }
      floors.put(k, max);
      slots.keySet().removeIf(slot -> slot.from() == from && slot.jobId().equals(jobId));
      return max;
    }
  }

  @Override
  public void forget(String jobId) {
    for (int from : senders(jobId)) {
      forget(from, jobId);
    }
  }

  /** Sets the floor of a finished job (after a restart). */
  void floor(int from, String jobId, long max) {
    synchronized (delivered) {
      floors.merge(from + "/" + jobId, max, Math::max);
    }
  }

  /** The senders this mailbox has heard from in {@code jobId}. */
  Set<Integer> senders(String jobId) {
    synchronized (delivered) {
      Set<Integer> out = new java.util.TreeSet<>();
      for (String k : delivered.keySet()) {
        int slash = k.indexOf('/');
        if (k.substring(slash + 1).equals(jobId)) {
          out.add(Integer.parseInt(k.substring(0, slash)));
        }
      }
      return out;
    }
  }

  /** Queues a message whose sequence number was just remembered. */
  void enqueue(int from, MessageKey key, Payload payload) {
    slot(from, key).add(payload);
  }

  /** Delivers a whole message unless it is a duplicate. */
  boolean deliver(int from, MessageKey key, long sequence, Payload payload) {
    if (!remember(from, key.jobId(), sequence)) {
      return false;
    }
    enqueue(from, key, payload);
    return true;
  }

  @Override
  public Incoming begin(int from, MessageKey key, long sequence, long size) {
    var buffer = new ByteArrayOutputStream(size < 0 ? 1 << 12 : (int) Math.min(size, 1 << 20));
    return new Incoming() {
      @Override
      public void write(ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        buffer.write(b, 0, b.length);
      }

      @Override
      public boolean commit() {
        return deliver(from, key, sequence, new Payload.InMemory(buffer.toByteArray()));
      }

      @Override
      public void abort() {}
    };
  }

  @Override
  public Payload take(int self, int from, MessageKey key, Duration timeout) {
    try {
      Payload payload = slot(from, key).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (payload == null) {
        throw new FederaException(
            ErrorCode.TIMEOUT,
            "party "
                + self
                + " waited "
                + timeout.toSeconds()
                + " s for message '"
                + key
                + "' from party "
                + from
                + " and none came; check that party "
                + from
                + "'s node is running and its job has not failed");
      }
      return payload;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FederaException(
          ErrorCode.TIMEOUT, "interrupted while waiting for '" + key + "'", e);
    }
  }
}
