package io.federa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.table.Table;
import io.federa.flow.api.grpc.PredictReply;
import io.federa.flow.api.grpc.PredictRequest;
import io.federa.flow.api.grpc.PredictionServiceGrpc;
import io.federa.flow.api.grpc.Row;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Serving's gRPC endpoint as a client sees it (serving.proto): the serving token or a client
 * certificate opens it; the answer is the REST endpoint's.
 */
final class GrpcClients {
  private GrpcClients() {}

  /** Row {@code 3} of {@code rows} scores {@code restScore}, by token and by certificate. */
  static void check(int port, Path ca, Path clientDir, String token, Table rows, double restScore)
      throws Exception {
    ManagedChannel plain = channel(port, ca, null);
    ManagedChannel certified = channel(port, ca, clientDir);
    try {
      var stub =
          PredictionServiceGrpc.newBlockingStub(plain).withDeadlineAfter(30, TimeUnit.SECONDS);
      Metadata bearer = new Metadata();
      bearer.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
      var withToken = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer));

      PredictReply one = withToken.predict(request("loan", rows, 3));
      assertEquals(restScore, one.getPredictions(0).getScore(), 1e-12);
      assertEquals(rows.id(3), one.getPredictions(0).getId());
      assertEquals(2, one.getPartiesCount()); // the guest and the host
      PredictReply batch = withToken.predict(request("loan", rows, 3, 4, 5));
      assertEquals(3, batch.getPredictionsCount());
      assertEquals(restScore, batch.getPredictions(0).getScore(), 1e-12);

      var noToken =
          assertThrows(StatusRuntimeException.class, () -> stub.predict(request("loan", rows, 3)));
      assertEquals(Status.Code.UNAUTHENTICATED, noToken.getStatus().getCode());
      assertTrue(noToken.getStatus().getDescription().contains("serving.token"));
      var unknown =
          assertThrows(
              StatusRuntimeException.class, () -> withToken.predict(request("nope", rows, 3)));
      assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode(), unknown.toString());

      // mutual TLS: a certificate of the configured client CA needs no token
      PredictReply byCert =
          PredictionServiceGrpc.newBlockingStub(certified)
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .predict(request("loan", rows, 3));
      assertEquals(restScore, byCert.getPredictions(0).getScore(), 1e-12);
    } finally {
      plain.shutdownNow();
      certified.shutdownNow();
    }
  }

  private static PredictRequest request(String service, Table t, int... indexes) {
    var q = PredictRequest.newBuilder().setService(service);
    for (int i : indexes) {
      var row = Row.newBuilder().setId(t.id(i));
      for (int j = 0; j < t.features(); j++) {
        row.putFeatures(t.schema().featureNames().get(j), t.value(i, j));
      }
      q.addRows(row);
    }
    return q.build();
  }

  private static ManagedChannel channel(int port, Path ca, Path clientDir) throws Exception {
    var ssl = GrpcSslContexts.forClient().trustManager(ca.toFile());
    if (clientDir != null) {
      ssl.keyManager(
          clientDir.resolve("node.crt").toFile(), clientDir.resolve("node.key").toFile());
    }
    return NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(ssl.build()).build();
  }
}
