package io.federa.flow.api;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.NodeConfig;
import io.federa.flow.api.grpc.PartyAnswer;
import io.federa.flow.api.grpc.PredictReply;
import io.federa.flow.api.grpc.PredictRequest;
import io.federa.flow.api.grpc.Prediction;
import io.federa.flow.api.grpc.PredictionServiceGrpc;
import io.federa.flow.api.grpc.Row;
import io.federa.flow.serving.Serving;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Serving's gRPC endpoint for clients ({@code src/main/proto/serving.proto}), the twin of {@code
 * POST /v1/predict/{service}}: TLS with the node's certificate; a call is opened by the serving
 * token or the node's token ({@code authorization: Bearer …}) or, when {@code serving.client_ca} is
 * configured, by a client certificate that CA issued (mutual TLS). Started only when the node's
 * configuration names {@code serving.grpc}.
 */
public final class PredictGrpc implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PredictGrpc.class);
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final Server server;

  private PredictGrpc(Server server) {
    this.server = server;
  }

  /** Starts the endpoint for {@code serving}, or returns null when the configuration names none. */
  public static PredictGrpc start(NodeConfig config, Serving serving) {
    if (config.serving() == null || config.serving().grpc() == null) {
      return null;
    }
    NodeConfig.Address at = config.serving().grpc();
    List<byte[]> tokens =
        List.of(
            ("Bearer " + HttpApi.token(config.dataPath())).getBytes(StandardCharsets.UTF_8),
            ("Bearer " + HttpApi.servingToken(config.dataPath())).getBytes(StandardCharsets.UTF_8));
    try {
      SslContextBuilder ssl =
          GrpcSslContexts.configure(
                  SslContextBuilder.forServer(
                      config.certificateFile().toFile(), config.privateKeyFile().toFile()))
              .protocols("TLSv1.3", "TLSv1.2");
      String clientCa = config.serving().clientCa();
      if (clientCa != null) {
        ssl.trustManager(config.resolve(clientCa).toFile()).clientAuth(ClientAuth.OPTIONAL);
      }
      Server server =
          NettyServerBuilder.forAddress(new InetSocketAddress(at.host(), at.port()))
              .sslContext(ssl.build())
              .maxInboundMessageSize(64 << 20)
              .addService(
                  ServerInterceptors.intercept(new Service(serving), authorize(tokens, clientCa)))
              .build()
              .start();
      LOG.info(
          "serving's gRPC endpoint on {}:{}{}",
          at.host(),
          server.getPort(),
          clientCa == null ? "" : " (client certificates of " + clientCa + " accepted)");
      return new PredictGrpc(server);
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE,
          "cannot start serving's gRPC endpoint on "
              + at
              + ": "
              + e.getMessage()
              + "; choose a free port under serving.grpc in node.yaml",
          e);
    }
  }

  public int port() {
    return server.getPort();
  }

  /** A verified client certificate, or a token, or UNAUTHENTICATED. */
  private static ServerInterceptor authorize(List<byte[]> tokens, String clientCa) {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (clientCa != null
            && certified(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION))) {
          return next.startCall(call, headers);
        }
        String given = headers.get(AUTHORIZATION);
        if (given != null) {
          byte[] bytes = given.getBytes(StandardCharsets.UTF_8);
          for (byte[] t : tokens) {
            if (MessageDigest.isEqual(bytes, t)) {
              return next.startCall(call, headers);
            }
          }
        }
        call.close(
            Status.UNAUTHENTICATED.withDescription(
                "send 'authorization: Bearer TOKEN' with the serving token (the node's"
                    + " data_dir/serving.token)"
                    + (clientCa == null ? "" : ", or a client certificate issued by " + clientCa)),
            new Metadata());
        return new ServerCall.Listener<>() {};
      }
    };
  }

  private static boolean certified(SSLSession session) {
    try {
      return session != null && session.getPeerCertificates().length > 0;
    } catch (SSLPeerUnverifiedException e) {
      return false;
    }
  }

  /** The service: a request through {@link Serving#predict(String, List, List)}. */
  private static final class Service extends PredictionServiceGrpc.PredictionServiceImplBase {
    private final Serving serving;

    Service(Serving serving) {
      this.serving = serving;
    }

    @Override
    public void predict(PredictRequest request, StreamObserver<PredictReply> response) {
      List<String> ids = new ArrayList<>();
      List<Map<String, Double>> features = new ArrayList<>();
      for (Row r : request.getRowsList()) {
        ids.add(r.getId());
        features.add(r.getFeaturesMap());
      }
      try {
        response.onNext(reply(serving.predict(request.getService(), ids, features)));
        response.onCompleted();
      } catch (FederaException e) {
        response.onError(status(e.code()).withDescription(e.getMessage()).asRuntimeException());
      } catch (RuntimeException e) {
        LOG.error("a gRPC prediction of {} failed", request.getService(), e);
        response.onError(Status.INTERNAL.withDescription("internal error").asRuntimeException());
      }
    }
  }

  static Status status(ErrorCode code) {
    return switch (code) {
      case INVALID_INPUT, INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
      case NOT_FOUND -> Status.NOT_FOUND;
      case TIMEOUT -> Status.DEADLINE_EXCEEDED;
      case IO_FAILURE, PROTOCOL -> Status.UNAVAILABLE;
      default -> Status.INTERNAL;
    };
  }

  static PredictReply reply(Serving.Reply r) {
    var out =
        PredictReply.newBuilder()
            .setService(r.service())
            .setModelVersion(r.modelVersion())
            .setDegraded(r.degraded());
    for (Serving.Prediction p : r.predictions()) {
      var b =
          Prediction.newBuilder()
              .setId(p.id())
              .setScore(p.score())
              .setResult(p.result())
              .setDegraded(p.degraded());
      if (p.probabilities() != null) {
        b.putAllProbabilities(p.probabilities());
      }
      if (p.without() != null) {
        b.addAllWithout(p.without());
      }
      if (p.creditScore() != null) {
        b.setCreditScore(p.creditScore());
      }
      out.addPredictions(b);
    }
    for (Serving.PartyAnswer a : r.parties()) {
      var b =
          PartyAnswer.newBuilder()
              .setParty(a.party())
              .setRole(a.role())
              .setAnswered(a.answered())
              .setMs(a.ms())
              .setMissingRows(a.missingRows());
      if (a.error() != null) {
        b.setError(a.error());
      }
      if (a.instance() != null) {
        b.setInstance(a.instance());
      }
      out.addParties(b);
    }
    return out.build();
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
  }
}
