package io.federa.federation;

import com.google.protobuf.ByteString;
import io.federa.federation.internal.proto.Ack;
import io.federa.federation.internal.proto.CallReply;
import io.federa.federation.internal.proto.CallRequest;
import io.federa.federation.internal.proto.Chunk;
import io.federa.federation.internal.proto.FederationServiceGrpc;
import io.federa.federation.internal.proto.Header;
import io.federa.federation.internal.proto.PingReply;
import io.federa.federation.internal.proto.PingRequest;
import io.federa.federation.pki.FederationPki;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's side of {@code FederationService}: receives chunked messages, checks their digest, and
 * delivers them to the {@link Mailbox} once; the sender is the party named by its TLS certificate.
 */
final class FederationServer extends FederationServiceGrpc.FederationServiceImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(FederationServer.class);
  static final Context.Key<Integer> PEER = Context.key("federa-peer-party");

  /** Largest message accepted in memory (chunks beyond it are refused). */
  static final long MAX_MESSAGE_BYTES = 1L << 31;

  private final int self;
  private final Inbox inbox;
  private final java.util.Map<String, ControlCalls.Handler> handlers =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final Transcript transcript;

  FederationServer(int self, Inbox inbox, Transcript transcript) {
    this.self = self;
    this.inbox = inbox;
    this.transcript = transcript;
  }

  Transcript transcript() {
    return transcript;
  }

  void serve(String service, ControlCalls.Handler handler) {
    handlers.put(service, handler);
  }

  @Override
  public void call(CallRequest request, StreamObserver<CallReply> response) {
    int from = PEER.get();
    if (request.getReceiver() != self) {
      response.onError(
          Status.FAILED_PRECONDITION
              .withDescription(
                  "call meant for party " + request.getReceiver() + " reached party " + self)
              .asRuntimeException());
      return;
    }
    ControlCalls.Handler handler = handlers.get(request.getService());
    if (handler == null) {
      response.onError(
          Status.UNIMPLEMENTED
              .withDescription(
                  "party "
                      + self
                      + " does not serve '"
                      + request.getService()
                      + "'; is its node running ('federa node start')?")
              .asRuntimeException());
      return;
    }
    try {
      byte[] body = handler.handle(from, request.getBody().toByteArray());
      response.onNext(CallReply.newBuilder().setBody(ByteString.copyFrom(body)).build());
      response.onCompleted();
    } catch (io.federa.core.FederaException e) {
      response.onError(GrpcErrors.refusal(e));
    } catch (RuntimeException e) {
      LOG.error("party {}: '{}' from party {} failed", self, request.getService(), from, e);
      response.onError(
          Status.INTERNAL
              .withDescription(io.federa.core.ErrorReport.forPeers(e))
              .asRuntimeException());
    }
  }

  /** Takes the caller's party id from its verified certificate; nothing else names a sender. */
  static ServerInterceptor identity(Set<Integer> routes) {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        int party;
        try {
          if (session == null) {
            throw new SSLPeerUnverifiedException("no TLS session");
          }
          party = FederationPki.partyIdOf((X509Certificate) session.getPeerCertificates()[0]);
        } catch (SSLPeerUnverifiedException | RuntimeException e) {
          call.close(
              Status.UNAUTHENTICATED.withDescription(
                  "no verified party certificate: " + e.getMessage()),
              new Metadata());
          return new ServerCall.Listener<>() {};
        }
        if (!routes.contains(party)) {
          LOG.warn("refused a call from party {}: not in the route table", party);
          call.close(
              Status.PERMISSION_DENIED.withDescription(
                  "party " + party + " is not in the route table"),
              new Metadata());
          return new ServerCall.Listener<>() {};
        }
        return Contexts.interceptCall(
            Context.current().withValue(PEER, party), call, headers, next);
      }
    };
  }

  private static PayloadKind kindOf(String name) {
    try {
      return name.isEmpty() ? PayloadKind.UNDECLARED : PayloadKind.of(name);
    } catch (IllegalArgumentException e) {
      return PayloadKind.UNDECLARED;
    }
  }

  @Override
  public void ping(PingRequest request, StreamObserver<PingReply> response) {
    response.onNext(
        PingReply.newBuilder().setPartyId(self).setServerUnixNanos(Clock.unixNanos()).build());
    response.onCompleted();
  }

  /** Chunks a message may have waiting for the disk before gRPC reads more from the sender. */
  private static final int CHUNKS_IN_FLIGHT = 8;

  /**
   * Starts flushing a large message to disk every so many bytes, so its final fsync has little
   * left.
   */
  private static final long FLUSH_EVERY_BYTES = 32L << 20;

  /** Threads that store incoming chunks, so the network and the disk work at the same time. */
  private final java.util.concurrent.ExecutorService writers =
      java.util.concurrent.Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "federa-inbox-writer");
            t.setDaemon(true);
            return t;
          });

  @Override
  public StreamObserver<Chunk> send(StreamObserver<Ack> responseObserver) {
    int from = PEER.get();
    var response = (io.grpc.stub.ServerCallStreamObserver<Ack>) responseObserver;
    // chunks are requested as they are stored: at most CHUNKS_IN_FLIGHT wait in memory
    response.disableAutoRequest();
    response.request(CHUNKS_IN_FLIGHT);
    return new StreamObserver<>() {
      /** Every step of this message runs here, in order, off gRPC's threads. */
      private java.util.concurrent.CompletableFuture<Void> tail =
          java.util.concurrent.CompletableFuture.completedFuture(null);

      private Header header;
      private MessageKey key;
      private Inbox.Incoming incoming;
      private java.util.zip.CRC32C digest;
      private long received;
      private long unflushed;
      private boolean verified;
      private boolean finished;

      private synchronized void then(Runnable step) {
        tail =
            tail.thenRunAsync(
                () -> {
                  try {
                    step.run();
                  } catch (RuntimeException e) {
                    LOG.error("party {}: a message from party {} failed", self, from, e);
                    fail(Status.INTERNAL.withDescription(e.toString()));
                  }
                },
                writers);
      }

      @Override
      public void onNext(Chunk chunk) {
        then(() -> store(chunk));
      }

      private void store(Chunk chunk) {
        if (finished) {
          return;
        }
        try {
          if (header == null && !start(chunk)) {
            return;
          }
          ByteString data = chunk.getData();
          long limit = header.getTotalBytes() >= 0 ? header.getTotalBytes() : MAX_MESSAGE_BYTES;
          if (received + data.size() > limit) {
            fail(
                Status.INVALID_ARGUMENT.withDescription(
                    header.getTotalBytes() >= 0
                        ? "more bytes than the header announced"
                        : "message too large: more than " + MAX_MESSAGE_BYTES + " bytes"));
            return;
          }
          received += data.size();
          digest.update(data.asReadOnlyByteBuffer());
          incoming.write(data.asReadOnlyByteBuffer());
          unflushed += data.size();
          if (unflushed >= FLUSH_EVERY_BYTES) {
            incoming.flush();
            unflushed = 0;
          }
          if (chunk.getLast()) {
            if ((int) digest.getValue() != chunk.getCrc32C()) {
              LOG.warn("refused a message from party {}: its checksum does not match", from);
              fail(
                  Status.DATA_LOSS.withDescription(
                      "the message's CRC-32C does not match its bytes"));
              return;
            }
            verified = true;
          }
          response.request(1);
        } catch (java.io.IOException e) {
          LOG.error("party {} cannot store a message from party {}: {}", self, from, e.toString());
          fail(Status.RESOURCE_EXHAUSTED.withDescription("the receiver cannot store the message"));
        }
      }

      /** Reads the header; a message seen before is acknowledged at once and its bytes ignored. */
      private boolean start(Chunk chunk) throws java.io.IOException {
        if (!chunk.hasHeader()) {
          fail(Status.INVALID_ARGUMENT.withDescription("the first chunk carries no header"));
          return false;
        }
        header = chunk.getHeader();
        if (header.getReceiver() != self) {
          fail(
              Status.FAILED_PRECONDITION.withDescription(
                  "message meant for party " + header.getReceiver() + " reached party " + self));
          return false;
        }
        // -1: the sender streams a message it is still producing
        if (header.getTotalBytes() < -1 || header.getTotalBytes() > MAX_MESSAGE_BYTES) {
          fail(
              Status.RESOURCE_EXHAUSTED.withDescription(
                  "message too large: " + header.getTotalBytes()));
          return false;
        }
        key = MessageKey.fromWire(header.getJobId(), header.getKey());
        if (inbox.seen(from, key.jobId(), header.getSequence())) {
          finished = true;
          response.onNext(Ack.newBuilder().setDuplicate(true).build());
          response.onCompleted();
          return false;
        }
        incoming = inbox.begin(from, key, header.getSequence(), header.getTotalBytes());
        digest = new java.util.zip.CRC32C();
        return true;
      }

      @Override
      public void onError(Throwable t) {
        // the sender gave up or the connection broke: nothing was delivered, the sender retries
        then(
            () -> {
              if (incoming != null && !finished) {
                incoming.abort();
              }
              finished = true;
            });
      }

      @Override
      public void onCompleted() {
        then(this::complete);
      }

      private void complete() {
        if (finished) {
          return;
        }
        if (header == null
            || !verified
            || (header.getTotalBytes() >= 0 && received != header.getTotalBytes())) {
          fail(
              Status.DATA_LOSS.withDescription(
                  "truncated message: "
                      + received
                      + " of "
                      + (header == null || header.getTotalBytes() < 0
                          ? "?"
                          : header.getTotalBytes())
                      + " bytes and no final digest"));
          return;
        }
        try {
          boolean fresh = incoming.commit();
          if (fresh) {
            transcript.record(from, key, kindOf(header.getKind()), received);
          }
          finished = true;
          response.onNext(Ack.newBuilder().setDuplicate(!fresh).build());
          response.onCompleted();
        } catch (java.io.IOException e) {
          LOG.error("party {} cannot store a message from party {}: {}", self, from, e.toString());
          fail(Status.RESOURCE_EXHAUSTED.withDescription("the receiver cannot store the message"));
        }
      }

      private void fail(Status status) {
        if (finished) {
          return;
        }
        finished = true;
        if (incoming != null) {
          incoming.abort();
        }
        response.onError(status.asRuntimeException());
      }
    };
  }
}
