package io.federa.flow.api;

import static io.federa.flow.api.HttpApi.PREFIX;
import static io.federa.flow.api.HttpApi.body;
import static io.federa.flow.api.HttpApi.reply;

import io.federa.flow.node.FlowNode;
import io.federa.flow.serving.Serving;
import io.javalin.config.RoutesConfig;

/**
 * Serving: predictions for clients ({@code POST /v1/predict/{service}}, the node's or the serving
 * token), Prometheus's {@code /metrics}, and the services' status and rollback (the node's API;
 * deploying is {@code POST /api/v1/models/deploy} with a service).
 */
record ServingRoutes(FlowNode node) {
  static final String PREDICT = "/v1/predict";
  static final String METRICS = "/metrics";

  void register(RoutesConfig r) {
    r.post(
        PREDICT + "/{service}",
        ctx ->
            reply(ctx, node.serving().predict(HttpApi.name(ctx, "service", "service"), body(ctx))));
    r.get(
        METRICS,
        ctx -> ctx.contentType(Serving.metricsContentType()).result(node.serving().metrics()));
    r.get(PREFIX + "/serving", ctx -> reply(ctx, new Services(node.serving().status())));
    r.get(
        PREFIX + "/serving/figures", ctx -> reply(ctx, new FiguresReply(node.serving().figures())));
    r.get(
        PREFIX + "/serving/instances",
        ctx -> reply(ctx, new Instances(node.serving().instances())));
    r.post(
        PREFIX + "/serving/{service}/rollback",
        ctx -> reply(ctx, node.serving().rollback(HttpApi.name(ctx, "service", "service"))));
  }

  /** Each service's requests, rows and latency (the board's serving page). */
  record FiguresReply(java.util.List<Serving.Figures> figures) {}

  /** This party's serving instances registered with this node. */
  record Instances(java.util.List<Serving.InstanceView> instances) {}

  /** The services this node serves as guest. */
  record Services(java.util.List<Serving.Deployed> services) {}
}
