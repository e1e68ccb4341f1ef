package io.federa.federation;

import com.google.protobuf.ByteString;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.internal.PeerTrust;
import io.federa.federation.internal.proto.CallRequest;
import io.federa.federation.internal.proto.FederationServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * A node's TLS channels to other parties: to each party's node at its route, and to any other
 * address a party serves from (its serving instances, docs/serving.md). Every channel presents this
 * party's certificate and accepts only a server whose certificate names the party it dials, so a
 * call to an address still reaches that party or fails.
 */
final class PartyChannels {
  private static final String[] TLS_13 = {"TLSv1.3"};

  private final NodeConfig config;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  PartyChannels(NodeConfig config) {
    this.config = config;
  }

  /** The channel to {@code party}'s node (its route). */
  ManagedChannel channel(int party) {
    return channel(party, config.route(party));
  }

  /** The channel to {@code party} at {@code at}. */
  ManagedChannel channel(int party, NodeConfig.Address at) {
    return channels.computeIfAbsent(party + "@" + at, k -> open(party, at));
  }

  private ManagedChannel open(int party, NodeConfig.Address address) {
    try {
      SslContext ssl =
          GrpcSslContexts.forClient()
              .keyManager(config.certificateFile().toFile(), config.privateKeyFile().toFile())
              .trustManager(PeerTrust.forServer(config.caFile(), party))
              .protocols(TLS_13)
              .build();
      return NettyChannelBuilder.forAddress(address.host(), address.port())
          .sslContext(ssl)
          .maxInboundMessageSize(GrpcFederation.CHUNK_BYTES * 2)
          .initialFlowControlWindow(GrpcFederation.FLOW_WINDOW_BYTES)
          .flowControlWindow(GrpcFederation.FLOW_WINDOW_BYTES)
          .build();
    } catch (SSLException e) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "cannot set up TLS towards party " + party + ": " + e.getMessage(),
          e);
    }
  }

  /** One attempt at a control call; gRPC's failure as thrown. */
  static byte[] callOnce(
      ManagedChannel channel, int party, String service, byte[] body, long timeoutMillis) {
    return FederationServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(Math.max(1, timeoutMillis), TimeUnit.MILLISECONDS)
        .call(
            CallRequest.newBuilder()
                .setService(service)
                .setReceiver(party)
                .setBody(ByteString.copyFrom(body))
                .build())
        .getBody()
        .toByteArray();
  }

  /**
   * A failed control call as the caller reports it: the handler's refusal in its own words, a
   * deadline or an unreachable server as {@code TIMEOUT}, or else a protocol failure.
   */
  static FederaException failure(
      StatusRuntimeException e, int self, int party, String service, String where) {
    Status.Code code = e.getStatus().getCode();
    String why = e.getStatus().getDescription() == null ? "" : e.getStatus().getDescription();
    if (code == Status.Code.FAILED_PRECONDITION) {
      return new FederaException(
              GrpcErrors.code(e).orElse(ErrorCode.INVALID_ARGUMENT),
              "party " + party + ": " + why,
              e)
          .shareable(); // the words another party chose to tell
    }
    boolean unavailable = code == Status.Code.UNAVAILABLE;
    return new FederaException(
        unavailable || code == Status.Code.DEADLINE_EXCEEDED
            ? ErrorCode.TIMEOUT
            : ErrorCode.PROTOCOL,
        "party "
            + self
            + " could not call '"
            + service
            + "' on party "
            + party
            + " at "
            + where
            + ": "
            + code
            + (why.isEmpty() ? "" : " " + why)
            + (unavailable ? "; check that its node is running and reachable" : ""),
        e);
  }

  /** Whether a failed call may succeed when tried again (the server was not reached). */
  static boolean unreachable(StatusRuntimeException e) {
    return e.getStatus().getCode() == Status.Code.UNAVAILABLE;
  }

  /** A single control call to {@code party} at {@code at}, failing at once when unreachable. */
  byte[] callAt(int party, NodeConfig.Address at, String service, byte[] body, Duration timeout) {
    try {
      return callOnce(channel(party, at), party, service, body, timeout.toMillis());
    } catch (StatusRuntimeException e) {
      FederaException f = failure(e, config.partyId(), party, service, at.toString());
      throw unreachable(e) ? new FederaException(ErrorCode.IO_FAILURE, f.getMessage(), e) : f;
    }
  }

  Iterable<ManagedChannel> all() {
    return channels.values();
  }
}
