package io.federa.flow.node;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.Payload;
import io.federa.federation.PayloadKind;
import io.federa.federation.Transcript;
import io.federa.flow.dsl.ValidatedJob;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The federation as one role of a party that holds two in a job sees it ({@link
 * ValidatedJob#asPlayed}): it speaks under the role's id (virtual for the party's second role), a
 * message to or from a virtual id carries both ids in its tag (so a host's and an arbiter's
 * messages at one party never meet), and a message between the party's own roles stays in this node
 * ({@link Local}), never crossing the network.
 */
final class RoleFederation implements Federation {
  /** Messages between the roles of this party in one job. */
  static final class Local {
    private final ConcurrentHashMap<String, BlockingQueue<byte[]>> queues =
        new ConcurrentHashMap<>();

    private BlockingQueue<byte[]> queue(int from, int to, MessageKey key) {
      return queues.computeIfAbsent(from + ">" + to + "|" + key, k -> new LinkedBlockingQueue<>());
    }
  }

  private final Federation network;
  private final int id;
  private final Local local;

  RoleFederation(Federation network, int id, Local local) {
    this.network = network;
    this.id = id;
    this.local = local;
  }

  @Override
  public int self() {
    return id;
  }

  @Override
  public long bytesSent() {
    return network.bytesSent();
  }

  /** The key on the wire: tagged with both ids when either is virtual. */
  private static MessageKey wire(MessageKey key, int from, int to) {
    return from >= 0 && to >= 0 ? key : key.withTag(key.tag() + "@" + from + ">" + to);
  }

  @Override
  public void sendStream(int toParty, MessageKey key, InputStream in, PayloadKind kind) {
    int to = ValidatedJob.realParty(toParty);
    if (to == ValidatedJob.realParty(id)) {
      try {
        local.queue(id, toParty, key).add(in.readAllBytes());
      } catch (IOException e) {
        throw new FederaException(ErrorCode.IO_FAILURE, "cannot read the message to send", e);
      }
      return;
    }
    network.sendStream(to, wire(key, id, toParty), in, kind);
  }

  @Override
  public Payload receivePayload(int fromParty, MessageKey key, Duration timeout) {
    int from = ValidatedJob.realParty(fromParty);
    if (from == ValidatedJob.realParty(id)) {
      try {
        byte[] b = local.queue(fromParty, id, key).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (b == null) {
          throw new FederaException(
              ErrorCode.TIMEOUT,
              "no message " + key + " from this party's other role within " + timeout);
        }
        return new Payload.InMemory(b);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FederaException(ErrorCode.TIMEOUT, "stopped while waiting for " + key, e);
      }
    }
    return network.receivePayload(from, wire(key, fromParty, id), timeout);
  }

  @Override
  public List<Transcript.Entry> transcript(String jobId) {
    return network.transcript(jobId);
  }

  @Override
  public void forget(String jobId) {
    network.forget(jobId);
  }

  @Override
  public void erase(String jobId) {
    network.erase(jobId);
  }
}
