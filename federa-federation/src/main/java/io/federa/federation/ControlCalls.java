package io.federa.federation;

import java.time.Duration;

/**
 * A node's control plane beside its messages: small request–reply calls to another party's node
 * (flow's job control), answered by the handler that node registered for the service. The caller is
 * named by the transport (its certificate), never by the request.
 */
public interface ControlCalls {
  /** This party's id. */
  int self();

  /**
   * Asks {@code toParty}'s node to handle {@code body} with the handler it registered for {@code
   * service}, and returns its answer. A refusal by the handler arrives as a {@link
   * io.federa.core.FederaException} with the handler's own error code and message, prefixed by the
   * party.
   */
  byte[] call(int toParty, String service, byte[] body, Duration timeout);

  /**
   * One call to {@code party} at another address it serves from (a serving instance, not its node):
   * the server must prove it is that party. Not tried again: an unreachable address fails at once
   * with {@code IO_FAILURE}, so the caller can turn to another.
   */
  default byte[] callAt(
      int party, NodeConfig.Address at, String service, byte[] body, Duration timeout) {
    throw new io.federa.core.FederaException(
        io.federa.core.ErrorCode.INVALID_ARGUMENT,
        "calls to party "
            + party
            + " at "
            + at
            + " need the gRPC federation ('federa node start')");
  }

  /** Registers the handler of calls to {@code service} on this node (replacing an earlier one). */
  void serve(String service, Handler handler);

  /** Answers the calls of one service; {@code fromParty} is the caller's verified party id. */
  @FunctionalInterface
  interface Handler {
    byte[] handle(int fromParty, byte[] body);
  }
}
