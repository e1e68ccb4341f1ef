package io.federa.federation;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.internal.PeerTrust;
import io.federa.federation.internal.proto.FederationServiceGrpc;
import io.federa.federation.internal.proto.PingReply;
import io.federa.federation.internal.proto.PingRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
  private final MessageSender sender;
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
    this.mailbox = mailbox;
    this.outbox = outbox;
    this.channels = new PartyChannels(config);
    this.sender = new MessageSender(config, channels, outbox, sendTimeout);
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
          Thread t =
              new Thread(
                  () -> sender.resend(messages, server::isShutdown), "federa-outbox-resend-" + to);
          t.setDaemon(true);
          resenders.add(t);
          t.start();
        });
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
    return sender.bytesSent();
  }

  @Override
  public void sendStream(int toParty, MessageKey key, java.io.InputStream in, PayloadKind kind) {
    sender.sendStream(toParty, key, in, kind);
  }

  @Override
  public void sendPayload(int toParty, MessageKey key, Payload payload, PayloadKind kind) {
    sender.sendPayload(toParty, key, payload, kind);
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

  static void sleep(long millis) {
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
