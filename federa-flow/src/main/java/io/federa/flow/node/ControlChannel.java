package io.federa.flow.node;

import io.federa.core.json.Json;
import io.federa.federation.ControlCalls;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Flow's control calls over the federation, typed by {@link Control.Service}: requests and replies
 * are records encoded by {@link Json}. A call to this node itself goes straight to its handler.
 */
final class ControlChannel {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  /** Answers one service's requests; {@code from} is the caller's verified party id. */
  @FunctionalInterface
  interface Handler<Q, R> {
    R handle(int from, Q request);
  }

  private final ControlCalls calls;
  private final Map<String, ControlCalls.Handler> handlers = new ConcurrentHashMap<>();

  ControlChannel(ControlCalls calls) {
    this.calls = calls;
  }

  int self() {
    return calls.self();
  }

  <Q, R> void serve(Control.Service<Q, R> service, Handler<Q, R> handler) {
    ControlCalls.Handler raw =
        (from, body) ->
            Json.bytes(
                handler.handle(
                    from, Json.read(body, service.request(), "a " + service.name() + " request")));
    handlers.put(service.name(), raw);
    calls.serve(service.name(), raw);
  }

  /** Asks {@code party}'s node; a refusal arrives as the handler's {@code FederaException}. */
  <Q, R> R ask(int party, Control.Service<Q, R> service, Q request) {
    byte[] body = Json.bytes(request);
    byte[] reply =
        party == self()
            ? handlers.get(service.name()).handle(party, body)
            : calls.call(party, service.name(), body, TIMEOUT);
    return Json.read(reply, service.reply(), "party " + party + "'s " + service.name() + " reply");
  }
}
