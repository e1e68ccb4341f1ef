package io.federa.flow.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.flow.dsl.ValidatedJob;
import io.federa.flow.node.ControlChannel;
import io.federa.flow.node.ModelRegistry;
import io.federa.flow.store.MetadataStore;
import io.federa.flow.store.TableStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * Online inference across parties (docs/serving.md): a model version deployed under a service name
 * is answered at the guest ({@link ServingGuest}, {@link GuestScoring}) with each host's partial
 * scores from its feature store ({@link ServingHost}), over the federation's control calls. This
 * class is serving's API for the node's HTTP layer; a node plays the guest of the services it
 * deployed and the host of those its guests deployed there.
 */
public final class Serving implements AutoCloseable {
  /**
   * A deployment: the service, the model version, and its options (null: as before, or default).
   */
  public record Deploy(
      String service,
      String modelId,
      String modelVersion,
      Double split,
      Integer deadlineMs,
      String policy,
      Map<Integer, String> tables) {}

  /** What a host loaded for a deployment: its feature table and rows. */
  public record HostLoaded(int party, String table, int rows) {}

  /** A service as the guest serves it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Deployed(
      String service,
      String modelId,
      String active,
      String previous,
      String b,
      Double bShare,
      int deadlineMs,
      String policy,
      List<Integer> hosts,
      List<HostLoaded> loaded) {
    static Deployed of(ServingGuest.Service s, List<HostLoaded> loaded) {
      return new Deployed(
          s.name(),
          s.modelId(),
          s.active(),
          s.previous(),
          s.b(),
          s.b() == null ? null : s.weight(),
          s.deadlineMs(),
          s.policy().name().toLowerCase(java.util.Locale.ROOT),
          s.hosts(),
          loaded.isEmpty() ? null : loaded);
    }
  }

  /**
   * One row's prediction; {@code without}: the hosts whose part it lacks (degraded); {@code
   * creditScore}: the version's Scorecard applied to the score (null: it has none).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Prediction(
      String id,
      double score,
      double result,
      Map<String, Double> probabilities,
      boolean degraded,
      List<Integer> without,
      Double creditScore) {}

  /**
   * How a party answered: in time, or why not, how many of the rows it lacked, and which of its
   * serving instances answered (null: its node).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PartyAnswer(
      int party,
      String role,
      boolean answered,
      double ms,
      String error,
      int missingRows,
      String instance) {}

  /** A prediction request's answer: the version that answered, the rows, and who took part. */
  public record Reply(
      String service,
      String modelVersion,
      List<Prediction> predictions,
      boolean degraded,
      List<PartyAnswer> parties) {}

  /** A service's figures at this node: requests by outcome, rows, latency (ms; NaN: none yet). */
  public record Figures(
      String service, long ok, long degraded, long errors, long rows, double p50Ms, double p99Ms) {}

  /** An instance as {@code federa serving instances} shows it. */
  public record InstanceView(
      String name,
      String address,
      boolean live,
      long lastBeatMsAgo,
      Map<String, List<String>> serving) {}

  /** The most rows one request may carry. */
  public static final int MAX_ROWS = ServingMessages.MAX_IDS;

  private final ServingMetrics metrics = new ServingMetrics();
  private final ServingGuest guest;
  private final ServingHost host;
  private final GuestScoring scoring;

  public Serving(
      ControlChannel channel,
      ModelRegistry registry,
      TableStore tables,
      MetadataStore meta,
      Function<String, Optional<ValidatedJob>> jobs,
      Path dir,
      ExecutorService pool) {
    var store = new ServingStore(meta);
    int self = channel.self();
    this.guest = new ServingGuest(self, registry, channel, store);
    this.host = new ServingHost(self, registry, tables, jobs, dir, store, metrics, channel);
    this.scoring = new GuestScoring(self, channel, metrics, pool);
    channel.serve(ServingMessages.LOAD, host::load);
    channel.serve(ServingMessages.SCORE, host::score);
    channel.serve(ServingMessages.DROP, host::drop);
    var rows = store.all();
    guest.restore(rows);
    host.restore(rows);
  }

  public Deployed deploy(Deploy d) {
    return guest.deploy(d);
  }

  public Deployed rollback(String service) {
    return guest.rollback(service);
  }

  /**
   * The databases this node may serve host features from ({@code serving.sources} of its
   * node.yaml), named in a deploy as {@code --table PARTY=jdbc.NAME}.
   */
  public void sources(Map<String, io.federa.federation.NodeConfig.JdbcSource> sources) {
    host.sources(sources);
  }

  /** This party's serving instances registered with this node (docs/serving.md). */
  public List<InstanceView> instances() {
    return host.instances();
  }

  /** The services this node serves as their guest. */
  public List<Deployed> status() {
    return guest.services().stream().map(s -> Deployed.of(s, List.of())).toList();
  }

  /**
   * Answers a prediction request: {@code {"id": …, "features": {name: value, …}}} for one row, or
   * {@code {"rows": [ … ]}} for a batch.
   */
  public Reply predict(String service, JsonNode request) {
    ServingGuest.Service s = guest.service(service);
    JsonNode rows = request.has("rows") ? request.get("rows") : null;
    List<JsonNode> given = new ArrayList<>();
    if (rows == null) {
      given.add(request);
    } else if (rows.isArray() && !rows.isEmpty() && rows.size() <= MAX_ROWS) {
      rows.forEach(given::add);
    } else {
      throw bad("\"rows\" is an array of 1 to " + MAX_ROWS + " rows");
    }
    List<String> ids = new ArrayList<>();
    List<Map<String, Double>> features = new ArrayList<>();
    for (int i = 0; i < given.size(); i++) {
      JsonNode row = given.get(i);
      JsonNode id = row.get("id");
      if (id == null || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isEmpty()) {
        throw bad("row " + i + " has no \"id\" (a string or an integer)");
      }
      JsonNode f = row.path("features");
      if (!f.isObject()) {
        throw bad("row " + i + " has no \"features\" object of the guest's feature values");
      }
      Map<String, Double> values = new HashMap<>();
      for (var it = f.fields(); it.hasNext(); ) {
        var e = it.next();
        if (!e.getValue().isNumber() && !e.getValue().isNull()) {
          throw bad("row " + i + "'s feature '" + e.getKey() + "' is not a number (or null)");
        }
        values.put(e.getKey(), e.getValue().isNull() ? Double.NaN : e.getValue().asDouble());
      }
      ids.add(id.asText());
      features.add(values);
    }
    return predict(s, ids, features);
  }

  /**
   * The predictions of rows given by id and the guest's features by name (NaN: missing, for
   * SecureBoost only), as {@link #predict(String, JsonNode)} (the gRPC endpoint's way in).
   */
  public Reply predict(String service, List<String> ids, List<Map<String, Double>> features) {
    if (ids.isEmpty() || ids.size() > MAX_ROWS) {
      throw bad("a request carries 1 to " + MAX_ROWS + " rows");
    }
    return predict(guest.service(service), ids, features);
  }

  private Reply predict(
      ServingGuest.Service s, List<String> ids, List<Map<String, Double>> features) {
    for (int i = 0; i < ids.size(); i++) {
      if (ids.get(i).isEmpty()) {
        throw bad("row " + i + " has no id");
      }
      if (ids.get(i).length() > 256) {
        throw bad("row " + i + "'s id is longer than 256 characters");
      }
    }
    return scoring.predict(s, ids, features);
  }

  /** Each service's figures since this node started (the board's view of {@link #metrics}). */
  public List<Figures> figures() {
    return metrics.figures();
  }

  /** Serving's metrics in Prometheus's text format. */
  public String metrics() {
    return metrics.scrape();
  }

  public static String metricsContentType() {
    return ServingMetrics.contentType();
  }

  private static FederaException bad(String what) {
    return new FederaException(
        ErrorCode.INVALID_ARGUMENT,
        "a prediction request is {\"id\": …, \"features\": {…}} or {\"rows\": [ … ]}: " + what);
  }

  @Override
  public void close() {
    host.close();
  }
}
