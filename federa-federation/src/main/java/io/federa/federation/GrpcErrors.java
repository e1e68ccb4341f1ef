package io.federa.federation;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;

/**
 * How a {@link FederaException} crosses gRPC, in one place: a refusal is {@code
 * FAILED_PRECONDITION} with the words another party may read as the description ({@link
 * io.federa.core.ErrorReport#forPeers}: the message if shareable, else only what its code means)
 * and its {@link ErrorCode} in the trailers ({@code federa-error-code}).
 */
final class GrpcErrors {
  private static final Metadata.Key<String> CODE =
      Metadata.Key.of("federa-error-code", Metadata.ASCII_STRING_MARSHALLER);

  private GrpcErrors() {}

  /** The status a handler's refusal {@code e} travels as. */
  static StatusRuntimeException refusal(FederaException e) {
    Metadata trailers = new Metadata();
    trailers.put(CODE, e.code().name());
    return Status.FAILED_PRECONDITION
        .withDescription(io.federa.core.ErrorReport.forPeers(e))
        .asRuntimeException(trailers);
  }

  /** The error code a refusal carried, if it is one. */
  static Optional<ErrorCode> code(StatusRuntimeException e) {
    Metadata trailers = Status.trailersFromThrowable(e);
    String name = trailers == null ? null : trailers.get(CODE);
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(ErrorCode.valueOf(name));
    } catch (IllegalArgumentException unknown) {
      return Optional.empty();
    }
  }
}
