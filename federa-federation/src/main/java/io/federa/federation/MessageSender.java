package io.federa.federation;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's outgoing messages: each streamed to its receiver ({@link ChunkStream}), kept in the
 * outbox once an attempt fails, and sent again with exponential back-off until acknowledged,
 * refused, or the send timeout has passed (then it stays in the outbox for the next start).
 */
final class MessageSender {
  private static final Logger LOG = LoggerFactory.getLogger(MessageSender.class);

  private final NodeConfig config;
  private final PartyChannels channels;
  private final Outbox outbox;
  private final Duration sendTimeout;
  private final AtomicLong bytesSent = new AtomicLong();

  MessageSender(NodeConfig config, PartyChannels channels, Outbox outbox, Duration sendTimeout) {
    this.config = config;
    this.channels = channels;
    this.outbox = outbox;
    this.sendTimeout = sendTimeout;
  }

  long bytesSent() {
    return bytesSent.get();
  }

  /** Sends a producer's stream, storing it in the outbox as it goes in case the attempt fails. */
  void sendStream(int toParty, MessageKey key, InputStream in, PayloadKind kind) {
    config.route(toParty); // an unknown party fails at once, before anything is stored
    long start = System.nanoTime();
    Outbox.Draft draft = outbox.begin(toParty, key, kind);
    Outbox.Pending stored;
    StatusRuntimeException failure;
    try {
      // the first attempt reads the producer once, writing the draft as it streams
      var source = new ChunkStream.StreamSource(in, draft);
      failure =
          ChunkStream.send(
              channels.channel(toParty), toParty, key, draft.sequence(), kind, -1, source);
      if (failure == null) {
        draft.discard();
        bytesSent.addAndGet(draft.payloadBytes());
        return;
      }
      if (!retryable(failure)) {
        draft.discard(); // refused: sending it again would not help
        throw gaveUp(toParty, key, failure, start);
      }
      source.drain(); // the rest of the message goes to the outbox, for the next attempts
      stored = draft.persist();
    } catch (RuntimeException e) {
      draft.discard();
      throw e;
    }
    retry(stored, failure, start);
  }

  /**
   * Streams {@code payload} straight from its bytes, with no copy on this node's disk while the
   * first attempt lasts; only if that attempt fails is the payload read again into the outbox.
   */
  void sendPayload(int toParty, MessageKey key, Payload payload, PayloadKind kind) {
    config.route(toParty); // an unknown party fails at once, before anything is stored
    long start = System.nanoTime();
    long sequence = outbox.nextSequence(toParty, key);
    StatusRuntimeException failure;
    try (InputStream in = payload.open()) {
      failure =
          ChunkStream.send(
              channels.channel(toParty),
              toParty,
              key,
              sequence,
              kind,
              payload.size(),
              new ChunkStream.StreamSource(in, null));
    } catch (java.io.IOException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE, "cannot read the message '" + key + "': " + e.getMessage(), e);
    }
    if (failure == null) {
      bytesSent.addAndGet(payload.size());
      return;
    }
    if (!retryable(failure)) {
      throw gaveUp(toParty, key, failure, start); // refused: nothing to keep for another attempt
    }
    retry(outbox.store(toParty, key, kind, sequence, payload), failure, start);
  }

  /**
   * Sends what an earlier run left in the outbox for one receiver, in order, until each is
   * acknowledged or refused, or {@code stopped} says the node stops.
   */
  void resend(List<Outbox.Pending> left, BooleanSupplier stopped) {
    for (Outbox.Pending p : left) {
      long backoff = 200;
      while (!stopped.getAsBoolean()) {
        StatusRuntimeException failure = ChunkStream.send(channels.channel(p.to()), p);
        if (failure == null) {
          outbox.remove(p);
          break;
        }
        if (!retryable(failure)) {
          LOG.warn(
              "party {} refused '{}' from the outbox ({}): dropped",
              p.to(),
              p.key(),
              failure.getStatus());
          outbox.remove(p);
          break;
        }
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return; // the node stops
        }
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
  }

  /**
   * Sends a message stored in the outbox again, backing off, until it is acknowledged or {@code
   * sendTimeout} from {@code start} has passed.
   */
  private void retry(Outbox.Pending stored, StatusRuntimeException firstFailure, long start) {
    int toParty = stored.to();
    MessageKey key = stored.key();
    StatusRuntimeException failure = firstFailure;
    long deadline = start + sendTimeout.toNanos();
    long backoffMillis = 100;
    while (true) {
      Status.Code code = failure.getStatus().getCode();
      if (!retryable(failure)) {
        outbox.remove(stored); // refused: it would be refused again after every restart
        throw gaveUp(toParty, key, failure, start);
      }
      if (System.nanoTime() + backoffMillis * 1_000_000 > deadline) {
        throw gaveUp(toParty, key, failure, start); // kept in the outbox: sent again on restart
      }
      LOG.debug("retrying '{}' to party {} in {} ms ({})", key, toParty, backoffMillis, code);
      GrpcFederation.sleep(backoffMillis);
      backoffMillis = Math.min(backoffMillis * 2, 5_000);
      failure = ChunkStream.send(channels.channel(toParty), stored);
      if (failure == null) {
        outbox.remove(stored);
        bytesSent.addAndGet(stored.payload().size());
        return;
      }
    }
  }

  /** Whether another attempt may succeed: the peer was unreachable or the stream broke. */
  private static boolean retryable(StatusRuntimeException failure) {
    Status.Code code = failure.getStatus().getCode();
    return code == Status.Code.UNAVAILABLE
        || code == Status.Code.DEADLINE_EXCEEDED
        || code == Status.Code.UNKNOWN
        || code == Status.Code.CANCELLED;
  }

  /** The error of a send given up on, naming the peer, the key, the wait and the cause. */
  private FederaException gaveUp(
      int toParty, MessageKey key, StatusRuntimeException failure, long start) {
    boolean retryable = retryable(failure);
    long waited = (System.nanoTime() - start) / 1_000_000_000L;
    return new FederaException(
        retryable ? ErrorCode.TIMEOUT : ErrorCode.INVALID_INPUT,
        "party "
            + config.partyId()
            + " could not send '"
            + key
            + "' to party "
            + toParty
            + " at "
            + config.route(toParty)
            + " (gave up after "
            + waited
            + " s): "
            + failure.getStatus().getCode()
            + (failure.getStatus().getDescription() == null
                ? ""
                : " " + failure.getStatus().getDescription())
            + (retryable ? "; check that its node is running and reachable" : ""),
        failure);
  }
}
