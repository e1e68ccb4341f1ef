package io.federa.federation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

/** Where a node's received messages wait for the party's algorithms. */
interface Inbox {
  /** An incoming message being received chunk by chunk. */
  interface Incoming {
    void write(ByteBuffer data) throws IOException;

    /**
     * Starts pushing what was written so far to the disk (a durable inbox) in the background, so
     * the final commit has little left to force; returns at once. A hint only.
     */
    default void flush() throws IOException {}

    /**
     * Makes the message safe (on disk for a durable inbox) and queues it, unless its sequence
     * number was delivered before; only then may the sender be acknowledged.
     *
     * @return false for a duplicate
     */
    boolean commit() throws IOException;

    /** Throws the partial message away. */
    void abort();
  }

  /** True when this sequence number from this sender and job was delivered before. */
  boolean seen(int from, String jobId, long sequence);

  Incoming begin(int from, MessageKey key, long sequence, long size) throws IOException;

  /** The next message {@code key} from {@code from}, waiting up to {@code timeout}. */
  Payload take(int self, int from, MessageKey key, Duration timeout);

  /**
   * Drops a finished job's messages (taken or not) and keeps, per sender, only the highest sequence
   * number, so a late replay is still recognised as a duplicate.
   */
  void forget(String jobId);
}
