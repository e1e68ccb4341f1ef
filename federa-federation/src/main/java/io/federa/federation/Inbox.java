package io.federa.federation;

import java.time.Duration;

/** Where a node's received messages wait for the party's algorithms. */
interface Inbox {
  /**
   * Stores a message unless its sequence number from this sender and job was stored before; returns
   * only once the message is safe (on disk for a durable inbox).
   *
   * @return false for a duplicate
   */
  boolean deliver(int from, MessageKey key, long sequence, byte[] payload);

  /** The next message {@code key} from {@code from}, waiting up to {@code timeout}. */
  byte[] take(int self, int from, MessageKey key, Duration timeout);
}
