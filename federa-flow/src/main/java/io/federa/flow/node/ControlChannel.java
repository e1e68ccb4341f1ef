package io.federa.flow.node;

import io.federa.core.json.Json;
import io.federa.federation.ControlCalls;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Flow's control calls over the federation, typed by {@link ControlService}: requests and replies
 * are records encoded by {@link Json}. A call to this node itself goes straight to its handler.
 */
public final class ControlChannel {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  /** Answers one service's requests; {@code from} is the caller's verified party id. */
  @FunctionalInterface
  public interface Handler<Q, R> {
    R handle(int from, Q request);
  }

  private final ControlCalls calls;
  private final Map<String, ControlCalls.Handler> handlers = new ConcurrentHashMap<>();

  public ControlChannel(ControlCalls calls) {
    this.calls = calls;
  }

  public int self() {
    return calls.self();
  }

  public <Q, R> void serve(ControlService<Q, R> service, Handler<Q, R> handler) {
    ControlCalls.Handler raw =
        (from, body) ->
            Json.bytes(
                handler.handle(
                    from, Json.read(body, service.request(), "a " + service.name() + " request")));
    handlers.put(service.name(), raw);
    calls.serve(service.name(), raw);
  }

  /** Asks {@code party}'s node; a refusal arrives as the handler's {@code FederaException}. */
  public <Q, R> R ask(int party, ControlService<Q, R> service, Q request) {
    return ask(party, service, request, TIMEOUT);
  }

  /** As {@link #ask(int, ControlService, Object)}, waiting at most {@code timeout}. */
  public <Q, R> R ask(int party, ControlService<Q, R> service, Q request, Duration timeout) {
    byte[] body = Json.bytes(request);
    byte[] reply =
        party == self()
            ? handlers.get(service.name()).handle(party, body)
            : calls.call(party, service.name(), body, timeout);
    return Json.read(reply, service.reply(), "party " + party + "'s " + service.name() + " reply");
  }

  /**
   * Asks {@code party} at another address it serves from (one of its serving instances, or this
   * party's own node from an instance), once: an unreachable address fails at once with {@code
   * IO_FAILURE}.
   */
  public <Q, R> R askAt(
      int party,
      io.federa.federation.NodeConfig.Address at,
      ControlService<Q, R> service,
      Q request,
      Duration timeout) {
    byte[] reply = calls.callAt(party, at, service.name(), Json.bytes(request), timeout);
    return Json.read(
        reply, service.reply(), "party " + party + "'s " + service.name() + " reply from " + at);
  }
}
