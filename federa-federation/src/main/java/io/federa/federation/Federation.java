package io.federa.federation;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * How the parties of a job talk: one party sends bytes under a {@link MessageKey}, the other
 * receives them under the same key. Delivery is exactly-once to the receiver (retries and replays
 * are de-duplicated), in order per key. The sender's party id is established by the transport (its
 * certificate), never by the message. A node's control calls are apart, in {@link ControlCalls}.
 */
public interface Federation extends AutoCloseable {
  /** This party's id. */
  int self();

  /** Payload bytes this party has sent (acknowledged by their receivers) since it started. */
  long bytesSent();

  /**
   * Sends the bytes of {@code in}, read to its end, to {@code toParty}; returns once the peer has
   * stored them. A node never holds a message whole in memory. The stream is read once, so the
   * sender copies it to its outbox as it goes; bytes that can be read again are cheaper to send as
   * a {@link Payload} ({@link #sendPayload}).
   */
  void sendStream(int toParty, MessageKey key, InputStream in, PayloadKind kind);

  /** As {@link #sendStream(int, MessageKey, InputStream, PayloadKind)}, undeclared. */
  default void sendStream(int toParty, MessageKey key, InputStream in) {
    sendStream(toParty, key, in, PayloadKind.UNDECLARED);
  }

  /**
   * Sends the bytes of {@code payload} to {@code toParty}; returns once the peer has stored them.
   * The payload is opened once more if the first attempt fails (to keep it in the outbox until
   * acknowledged), so unlike {@link #sendStream} its bytes are not copied to this node's disk while
   * all goes well: the way for anything held in memory or in a file.
   */
  default void sendPayload(int toParty, MessageKey key, Payload payload, PayloadKind kind) {
    try (InputStream in = payload.open()) {
      sendStream(toParty, key, in, kind);
    } catch (java.io.IOException e) {
      throw new io.federa.core.FederaException(
          io.federa.core.ErrorCode.IO_FAILURE, "cannot read the message '" + key + "'", e);
    }
  }

  /**
   * Waits for the message {@code key} from {@code fromParty}, as a {@link Payload} that large
   * messages are read from as a stream.
   *
   * @throws io.federa.core.FederaException with {@code TIMEOUT} naming the peer, the key and the
   *     wait
   */
  Payload receivePayload(int fromParty, MessageKey key, Duration timeout);

  /**
   * Sends {@code payload}, declared as {@code kind}, to {@code toParty}; returns once the peer has
   * stored it.
   */
  default void send(int toParty, MessageKey key, byte[] payload, PayloadKind kind) {
    sendPayload(toParty, key, new Payload.InMemory(payload), kind);
  }

  /** As {@link #send(int, MessageKey, byte[], PayloadKind)}, undeclared. */
  default void send(int toParty, MessageKey key, byte[] payload) {
    send(toParty, key, payload, PayloadKind.UNDECLARED);
  }

  /**
   * What this party received in job {@code jobId}: one entry per message, in arrival order (the
   * node's record for {@code federa audit}).
   */
  default List<Transcript.Entry> transcript(String jobId) {
    return List.of();
  }

  /** Waits for the message {@code key} from {@code fromParty} and returns its bytes. */
  default byte[] receive(int fromParty, MessageKey key, Duration timeout) {
    return receivePayload(fromParty, key, timeout).bytes();
  }

  /** Sends the same payload to every party in {@code parties}. */
  default void sendAll(Collection<Integer> parties, MessageKey key, byte[] payload) {
    for (int party : parties) {
      send(party, key, payload);
    }
  }

  /** Receives {@code key} from every party in {@code parties}, in that order. */
  default List<byte[]> receiveAll(Collection<Integer> parties, MessageKey key, Duration timeout) {
    List<byte[]> out = new ArrayList<>();
    for (int party : parties) {
      out.add(receive(party, key, timeout));
    }
    return out;
  }

  /**
   * Ends this party's part of job {@code jobId}: its stored messages (received, or sent and never
   * acknowledged) are removed; a late replay of one is still recognised and not delivered.
   */
  default void forget(String jobId) {}

  /**
   * Removes everything this party holds of job {@code jobId} ({@code federa job delete}): its
   * stored messages as {@link #forget} does, and its transcript. A late replay is still not
   * delivered.
   */
  default void erase(String jobId) {
    forget(jobId);
  }

  @Override
  default void close() {}
}
