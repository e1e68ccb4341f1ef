package io.federa.federation;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.internal.PeerTrust;
import io.federa.federation.internal.proto.Ack;
import io.federa.federation.internal.proto.Chunk;
import io.federa.federation.internal.proto.FederationServiceGrpc;
import io.federa.federation.internal.proto.Header;
import io.federa.federation.internal.proto.PingReply;
import io.federa.federation.internal.proto.PingRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The federation of a node: a gRPC server over mutual TLS 1.3 that receives its peers' messages,
 * and a client per peer that sends with retries and exponential back-off. Messages travel in 1 MiB
 * chunks with flow control (the sender waits while the transport is not ready) and a SHA-256
 * digest.
 */
public final class GrpcFederation implements Federation, ControlCalls {
  private final java.util.concurrent.atomic.AtomicLong bytesSent =
      new java.util.concurrent.atomic.AtomicLong();
  private static final Logger LOG = LoggerFactory.getLogger(GrpcFederation.class);
  static final int CHUNK_BYTES = 1 << 20;

  /**
   * HTTP/2 flow-control window: 8 chunks in flight per stream, so a chunk need not wait for the
   * receiver's window update (gRPC's default of 1 MiB allowed one); bounds each stream's buffers.
   */
  static final int FLOW_WINDOW_BYTES = 8 << 20;

  private static final String[] TLS_13 = {"TLSv1.3"};

  private final NodeConfig config;
  private final Inbox mailbox;
  private final Outbox outbox;

  /**
   * One thread per receiver with messages left by an earlier run (one that is down holds no other).
   */
  private final List<Thread> resenders = new java.util.ArrayList<>();

  private final Server server;
  private final PartyChannels channels;
  private final Duration sendTimeout;
  private final FederationServer service;

  /** Starts the node's server on its configured address. */
  public static GrpcFederation start(NodeConfig config) {
    return start(config, Duration.ofSeconds(120));
  }

  public static GrpcFederation start(NodeConfig config, Duration sendTimeout) {
    StartChecks.require(config);
    io.federa.core.io.AtomicFiles.makePrivate(config.dataPath());
    Path federationDir = config.dataPath().resolve("federation");
    Inbox box = new DiskInbox(federationDir.resolve("inbox"));
    Outbox outbox = new Outbox(federationDir.resolve("outbox"));
    try {
      SslContext ssl =
          GrpcSslContexts.configure(
                  io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder.forServer(
                      config.certificateFile().toFile(), config.privateKeyFile().toFile()))
              .trustManager(PeerTrust.forClients(config.caFile(), config.routes().keySet()))
              .clientAuth(ClientAuth.REQUIRE)
              .protocols(TLS_13)
              .build();
      var service =
          new FederationServer(
              config.partyId(), box, Transcript.onDisk(federationDir.resolve("transcript")));
      Server server =
          NettyServerBuilder.forAddress(
                  new InetSocketAddress(config.listen().host(), config.listen().port()))
              .sslContext(ssl)
              .maxInboundMessageSize(CHUNK_BYTES * 2)
              .initialFlowControlWindow(FLOW_WINDOW_BYTES)
              .flowControlWindow(FLOW_WINDOW_BYTES)
              .addService(
                  ServerInterceptors.intercept(
                      service, FederationServer.identity(config.routes().keySet())))
              .build()
              .start();
      LOG.info("party {} listening on {}", config.partyId(), config.listen());
      return new GrpcFederation(config, server, service, sendTimeout, box, outbox);
    } catch (SSLException e) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "party "
              + config.partyId()
              + " cannot set up TLS from "
              + config.certificateFile()
              + " and "
              + config.privateKeyFile()
              + ": "
              + e.getMessage(),
          e);
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE,
          "party "
              + config.partyId()
              + " cannot listen on "
              + config.listen()
              + ": "
              + e.getMessage()
              + "; is another node running there?",
          e);
    }
  }

  private GrpcFederation(
      NodeConfig config,
      Server server,
      FederationServer service,
      Duration sendTimeout,
      Inbox mailbox,
      Outbox outbox) {
    this.config = config;
    this.service = service;
    this.server = server;
    this.sendTimeout = sendTimeout;
    this.mailbox = mailbox;
    this.outbox = outbox;
    this.channels = new PartyChannels(config);
    List<Outbox.Pending> left = outbox.pending();
    if (!left.isEmpty()) {
      LOG.info("party {} resends {} unacknowledged messages", config.partyId(), left.size());
    }
    // in order per receiver, each receiver on its own
    var byReceiver = new java.util.TreeMap<Integer, List<Outbox.Pending>>();
    for (Outbox.Pending p : left) {
      byReceiver.computeIfAbsent(p.to(), k -> new java.util.ArrayList<>()).add(p);
    }
    byReceiver.forEach(
        (to, messages) -> {
          Thread t = new Thread(() -> resend(messages), "federa-outbox-resend-" + to);
          t.setDaemon(true);
          resenders.add(t);
          t.start();
        });
  }

  /**
   * Sends what an earlier run left in the outbox for one receiver, in order, until each is
   * acknowledged or refused, or the node stops.
   */
  private void resend(List<Outbox.Pending> left) {
    for (Outbox.Pending p : left) {
      long backoff = 200;
      while (!server.isShutdown()) {
        StatusRuntimeException failure = attempt(p);
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
        sleepQuietly(backoff);
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The port the server listens on (useful with port 0). */
  public int port() {
    return server.getPort();
  }

  public NodeConfig config() {
    return config;
  }

  @Override
  public int self() {
    return config.partyId();
  }

  ManagedChannel channel(int party) {
    return channels.channel(party);
  }

  @Override
  public void forget(String jobId) {
    mailbox.forget(jobId);
    outbox.forget(jobId);
  }

  @Override
  public void erase(String jobId) {
    forget(jobId);
    service.transcript().delete(jobId);
  }

  @Override
  public List<Transcript.Entry> transcript(String jobId) {
    return service.transcript().entries(jobId);
  }

  @Override
  public long bytesSent() {
    return bytesSent.get();
  }

  @Override
  public void sendStream(int toParty, MessageKey key, java.io.InputStream in, PayloadKind kind) {
    config.route(toParty); // an unknown party fails at once, before anything is stored
    long start = System.nanoTime();
    Outbox.Draft draft = outbox.begin(toParty, key, kind);
    Outbox.Pending stored;
    StatusRuntimeException failure;
    try {
      // the first attempt reads the producer once, writing the draft as it streams
      StreamSource source = new StreamSource(in, draft);
      failure = attempt(toParty, key, draft.sequence(), kind, -1, source);
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
  @Override
  public void sendPayload(int toParty, MessageKey key, Payload payload, PayloadKind kind) {
    config.route(toParty); // an unknown party fails at once, before anything is stored
    long start = System.nanoTime();
    long sequence = outbox.nextSequence(toParty, key);
    StatusRuntimeException failure;
    try (java.io.InputStream in = payload.open()) {
      failure = attempt(toParty, key, sequence, kind, payload.size(), new StreamSource(in, null));
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
            + self()
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
      sleep(backoffMillis);
      backoffMillis = Math.min(backoffMillis * 2, 5_000);
      failure = attempt(stored);
      if (failure == null) {
        outbox.remove(stored);
        bytesSent.addAndGet(stored.payload().size());
        return;
      }
    }
  }

  /** Where an attempt reads a message's bytes. */
  private interface ChunkSource {
    /** Fills {@code buffer} (cleared) with the next bytes; false at the end. */
    boolean fill(java.nio.ByteBuffer buffer) throws java.io.IOException;
  }

  /** A producer's stream, copied to the outbox draft (if any) as it is read. */
  private static final class StreamSource implements ChunkSource {
    private final java.io.InputStream in;
    private final Outbox.Draft draft;
    private boolean ended;

    StreamSource(java.io.InputStream in, Outbox.Draft draft) {
      this.in = in;
      this.draft = draft;
    }

    @Override
    public boolean fill(java.nio.ByteBuffer buffer) throws java.io.IOException {
      while (buffer.hasRemaining() && !ended) {
        int n =
            in.read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        if (n < 0) {
          ended = true;
        } else {
          buffer.position(buffer.position() + n);
        }
      }
      buffer.flip();
      if (draft != null) {
        draft.write(buffer.duplicate());
      }
      return buffer.hasRemaining();
    }

    /** Copies what the attempt did not read into the draft. */
    void drain() {
      var buffer = java.nio.ByteBuffer.allocate(CHUNK_BYTES);
      try {
        do {
          buffer.clear();
        } while (fill(buffer));
      } catch (java.io.IOException e) {
        throw new FederaException(
            ErrorCode.IO_FAILURE, "cannot store the message in the outbox: " + e.getMessage(), e);
      }
    }
  }

  /** One try at streaming a stored message; its failure, or null once acknowledged. */
  private StatusRuntimeException attempt(Outbox.Pending message) {
    Payload.InFile payload = message.payload();
    try (var channel = java.nio.channels.FileChannel.open(payload.file())) {
      channel.position(payload.offset());
      long[] left = {payload.size()};
      ChunkSource source =
          buffer -> {
            buffer.limit((int) Math.min(buffer.capacity(), left[0]));
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
              // fill the chunk
            }
            buffer.flip();
            left[0] -= buffer.remaining();
            return buffer.hasRemaining();
          };
      return attempt(
          message.to(), message.key(), message.sequence(), message.kind(), payload.size(), source);
    } catch (java.io.IOException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE, "cannot read " + payload.file() + " from the outbox", e);
    }
  }

  /**
   * Streams a message in chunks, each in a fresh array handed to gRPC without a copy; {@code size}
   * is -1 when the message is still being produced. Returns the failure, or null once acknowledged.
   */
  private StatusRuntimeException attempt(
      int toParty, MessageKey key, long sequence, PayloadKind kind, long size, ChunkSource source) {
    var stub =
        FederationServiceGrpc.newStub(channel(toParty))
            .withDeadlineAfter(30, TimeUnit.MINUTES)
            .withOnReadyThreshold(4 * CHUNK_BYTES);
    var done = new CountDownLatch(1);
    var error = new AtomicReference<Throwable>();
    var ready = new Object();
    var requestStream = new AtomicReference<ClientCallStreamObserver<Chunk>>();
    ClientResponseObserver<Chunk, Ack> observer =
        new ClientResponseObserver<>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<Chunk> stream) {
            requestStream.set(stream);
            stream.setOnReadyHandler(
                () -> {
                  synchronized (ready) {
                    ready.notifyAll();
                  }
                });
          }

          @Override
          public void onNext(Ack ack) {}

          @Override
          public void onError(Throwable t) {
            error.set(t);
            done.countDown();
            synchronized (ready) {
              ready.notifyAll();
            }
          }

          @Override
          public void onCompleted() {
            done.countDown();
            synchronized (ready) {
              ready.notifyAll();
            }
          }
        };
    stub.send(observer);
    ClientCallStreamObserver<Chunk> stream = requestStream.get();
    var digest = new java.util.zip.CRC32C();
    try {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(CHUNK_BYTES);
      boolean some = source.fill(buffer);
      boolean first = true;
      while (true) {
        // read ahead one chunk, so the last one is marked as such
        java.nio.ByteBuffer next = java.nio.ByteBuffer.allocate(CHUNK_BYTES);
        boolean more = some && source.fill(next);
        digest.update(buffer.duplicate());
        var chunk =
            Chunk.newBuilder()
                .setData(
                    com.google.protobuf.UnsafeByteOperations.unsafeWrap(
                        buffer.array(), 0, buffer.limit()));
        if (first) {
          chunk.setHeader(
              Header.newBuilder()
                  .setJobId(key.jobId())
                  .setKey(key.wireKey())
                  .setSequence(sequence)
                  .setTotalBytes(size)
                  .setReceiver(toParty)
                  .setKind(kind.name()));
          first = false;
        }
        if (!more) {
          chunk.setLast(true).setCrc32C((int) digest.getValue());
        }
        synchronized (ready) {
          while (!stream.isReady() && error.get() == null && done.getCount() > 0) {
            ready.wait(100);
          }
        }
        if (error.get() != null || done.getCount() == 0) {
          break; // failed, or acknowledged early as a duplicate
        }
        stream.onNext(chunk.build());
        if (!more) {
          break;
        }
        buffer = next;
      }
    } catch (java.io.IOException e) {
      stream.cancel("cannot read the message", e);
      throw new FederaException(
          ErrorCode.IO_FAILURE, "cannot read the message '" + key + "': " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stream.cancel("interrupted", e);
      throw new FederaException(ErrorCode.TIMEOUT, "interrupted while sending '" + key + "'", e);
    }
    if (error.get() == null && done.getCount() > 0) {
      stream.onCompleted();
    }
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FederaException(ErrorCode.TIMEOUT, "interrupted while sending '" + key + "'", e);
    }
    Throwable t = error.get();
    if (t == null) {
      return null;
    }
    return t instanceof StatusRuntimeException s ? s : Status.fromThrowable(t).asRuntimeException();
  }

  @Override
  public Payload receivePayload(int fromParty, MessageKey key, Duration timeout) {
    config.route(fromParty); // an unknown party is an error, not a wait
    return mailbox.take(self(), fromParty, key, timeout);
  }

  @Override
  public void serve(String serviceName, ControlCalls.Handler handler) {
    service.serve(serviceName, handler);
  }

  @Override
  public byte[] call(int toParty, String serviceName, byte[] body, Duration timeout) {
    config.route(toParty);
    long deadline = System.nanoTime() + timeout.toNanos();
    long backoffMillis = 100;
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      try {
        return PartyChannels.callOnce(channel(toParty), toParty, serviceName, body, left);
      } catch (StatusRuntimeException e) {
        if (!PartyChannels.unreachable(e)
            || System.nanoTime() + backoffMillis * 1_000_000 > deadline) {
          throw PartyChannels.failure(
              e, self(), toParty, serviceName, config.route(toParty).toString());
        }
        sleep(backoffMillis);
        backoffMillis = Math.min(backoffMillis * 2, 2_000);
      }
    }
  }

  @Override
  public byte[] callAt(
      int party, NodeConfig.Address at, String serviceName, byte[] body, Duration timeout) {
    return channels.callAt(party, at, serviceName, body, timeout);
  }

  /** Calls {@code Ping} on a party: its id, and the round trip and clock skew in nanoseconds. */
  public PingResult ping(int party, Duration timeout) {
    long t0 = Clock.unixNanos();
    long n0 = System.nanoTime();
    PingReply reply =
        FederationServiceGrpc.newBlockingStub(channel(party))
            .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .ping(PingRequest.newBuilder().setSentUnixNanos(t0).build());
    long rtt = System.nanoTime() - n0;
    long skew = reply.getServerUnixNanos() - (t0 + rtt / 2);
    return new PingResult(reply.getPartyId(), rtt, skew);
  }

  /** What a ping measured. */
  public record PingResult(int partyId, long roundTripNanos, long clockSkewNanos) {}

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FederaException(ErrorCode.TIMEOUT, "interrupted", e);
    }
  }

  /** Stops accepting calls, lets in-flight ones finish for up to {@code grace}, closes channels. */
  public void stop(Duration grace) {
    resenders.forEach(Thread::interrupt);
    for (ManagedChannel c : channels.all()) {
      c.shutdown();
    }
    server.shutdown();
    try {
      if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
      }
      for (ManagedChannel c : channels.all()) {
        if (!c.awaitTermination(1, TimeUnit.SECONDS)) {
          c.shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(5));
  }
}
