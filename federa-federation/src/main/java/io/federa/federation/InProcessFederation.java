package io.federa.federation;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Parties as threads in one JVM, with the semantics of the network transport (per-key queues,
 * sequence numbers, de-duplication, timeouts naming the peer): for unit tests of protocols.
 */
public final class InProcessFederation implements Federation, ControlCalls {
  private final AtomicLong bytesSent = new AtomicLong();

  /** The shared "network" of an in-process federation. */
  public static final class Network {
    private final Map<Integer, Mailbox> mailboxes = new ConcurrentHashMap<>();
    private final Map<Integer, Transcript> transcripts = new ConcurrentHashMap<>();
    private final Map<Integer, Map<String, ControlCalls.Handler>> handlers =
        new ConcurrentHashMap<>();

    /** The federation seen by {@code party}. */
    public InProcessFederation party(int party) {
      mailboxes.computeIfAbsent(party, p -> new Mailbox());
      transcripts.computeIfAbsent(party, p -> Transcript.inMemory());
      return new InProcessFederation(this, party);
    }
  }

  private final Network network;
  private final int self;
  private final Map<String, AtomicLong> sequences = new ConcurrentHashMap<>();

  private InProcessFederation(Network network, int self) {
    this.network = network;
    this.self = self;
  }

  public static Network network() {
    return new Network();
  }

  @Override
  public int self() {
    return self;
  }

  @Override
  public void sendStream(int toParty, MessageKey key, java.io.InputStream in, PayloadKind kind) {
    try {
      send(toParty, key, in.readAllBytes(), kind);
    } catch (java.io.IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot read the message to send", e);
    }
  }

  @Override
  public void forget(String jobId) {
    network.mailboxes.get(self).forget(jobId);
  }

  @Override
  public void erase(String jobId) {
    forget(jobId);
    network.transcripts.get(self).delete(jobId);
  }

  @Override
  public java.util.List<Transcript.Entry> transcript(String jobId) {
    return network.transcripts.get(self).entries(jobId);
  }

  @Override
  public long bytesSent() {
    return bytesSent.get();
  }

  @Override
  public void send(int toParty, MessageKey key, byte[] payload, PayloadKind kind) {
    Mailbox box = network.mailboxes.get(toParty);
    if (box == null) {
      throw new FederaException(
          ErrorCode.NOT_FOUND, "party " + toParty + " is not part of this in-process federation");
    }
    long seq =
        sequences
            .computeIfAbsent(toParty + "/" + key.jobId(), k -> new AtomicLong())
            .incrementAndGet();
    box.deliver(self, key, seq, new Payload.InMemory(payload.clone()));
    network.transcripts.get(toParty).record(self, key, kind, payload.length);
    bytesSent.addAndGet(payload.length);
  }

  @Override
  public void serve(String service, ControlCalls.Handler handler) {
    network.handlers.computeIfAbsent(self, p -> new ConcurrentHashMap<>()).put(service, handler);
  }

  @Override
  public byte[] call(int toParty, String service, byte[] body, Duration timeout) {
    ControlCalls.Handler h = network.handlers.getOrDefault(toParty, Map.of()).get(service);
    if (h == null) {
      throw new FederaException(
          ErrorCode.NOT_FOUND, "party " + toParty + " does not serve '" + service + "'");
    }
    // the handler runs on its own thread, and the caller waits at most the timeout, as over gRPC
    var answer =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> h.handle(self, body.clone()), CALLS);
    try {
      return answer.get(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new FederaException(
          ErrorCode.TIMEOUT,
          "party "
              + self
              + " could not call '"
              + service
              + "' on party "
              + toParty
              + ": no answer within "
              + timeout.toMillis()
              + " ms");
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof FederaException f) {
        throw new FederaException(f.code(), "party " + toParty + ": " + f.getMessage(), f);
      }
      throw new FederaException(
          ErrorCode.INTERNAL, "party " + toParty + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FederaException(ErrorCode.INTERNAL, "interrupted calling party " + toParty, e);
    }
  }

  /** The threads that answer control calls (daemons: a test's blocked handler holds no JVM). */
  private static final java.util.concurrent.ExecutorService CALLS =
      java.util.concurrent.Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "in-process-call");
            t.setDaemon(true);
            return t;
          });

  @Override
  public Payload receivePayload(int fromParty, MessageKey key, Duration timeout) {
    return network.mailboxes.get(self).take(self, fromParty, key, timeout);
  }
}
