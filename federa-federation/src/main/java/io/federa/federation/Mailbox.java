package io.federa.federation;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
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
 * A node's inbox: delivered messages by (sender, job, key), and the sequence numbers already
 * delivered per (sender, job), so a retried or replayed message is acknowledged but not delivered
 * twice.
 */
final class Mailbox implements Inbox {
  private record Slot(int from, String jobId, String key) {}

  private final Map<Slot, BlockingQueue<byte[]>> slots = new ConcurrentHashMap<>();
  private final Map<String, Set<Long>> delivered = new HashMap<>();

  /** Queues a message that is already known to be new (a durable inbox's recovered messages). */
  void enqueue(int from, MessageKey key, long sequence, byte[] payload) {
    synchronized (delivered) {
      delivered.computeIfAbsent(from + "/" + key.jobId(), k -> new HashSet<>()).add(sequence);
    }
    slot(from, key).add(payload);
  }

  /** Marks a sequence number as delivered without queueing anything (consumed before a restart). */
  void remember(int from, String jobId, long sequence) {
    synchronized (delivered) {
      delivered.computeIfAbsent(from + "/" + jobId, k -> new HashSet<>()).add(sequence);
    }
  }

  private BlockingQueue<byte[]> slot(int from, MessageKey key) {
    return slots.computeIfAbsent(
        new Slot(from, key.jobId(), key.wireKey()), s -> new LinkedBlockingQueue<>());
  }

  /**
   * Delivers a message unless its sequence number was delivered before.
   *
   * @return false for a duplicate
   */
  @Override
  public boolean deliver(int from, MessageKey key, long sequence, byte[] payload) {
    synchronized (delivered) {
      Set<Long> seen = delivered.computeIfAbsent(from + "/" + key.jobId(), k -> new HashSet<>());
      if (!seen.add(sequence)) {
        return false;
      }
    }
    slot(from, key).add(payload);
    return true;
  }

  @Override
  public byte[] take(int self, int from, MessageKey key, Duration timeout) {
    try {
      byte[] payload = slot(from, key).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
