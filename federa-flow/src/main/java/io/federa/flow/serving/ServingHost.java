package io.federa.flow.serving;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.flow.component.PartyModel;
import io.federa.flow.dsl.ValidatedJob;
import io.federa.flow.node.ModelRegistry;
import io.federa.flow.store.TableStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A host's side of serving: it loads its part of a model version for a service when the service's
 * guest asks ({@link ServingMessages.Load}), indexes its feature table by id ({@link
 * FeatureIndex}), and answers the guest's scoring calls with its partial scores of the rows asked
 * for by id. Only the guest that deployed a service may load or score under it. The host learns the
 * ids the guest asks about, and nothing of the guest's features or scores.
 */
final class ServingHost {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServingHost.class);

  private final int self;
  private final ModelRegistry registry;
  private final TableStore tables;
  private final Function<String, Optional<ValidatedJob>> jobs;
  private final Path dir;
  private final ServingStore store;
  private final ServingCluster cluster;
  private final HostedServices services;
  private final Map<String, FeatureSource> indexes = new ConcurrentHashMap<>();
  private volatile Map<String, io.federa.federation.NodeConfig.JdbcSource> sources = Map.of();

  ServingHost(
      int self,
      ModelRegistry registry,
      TableStore tables,
      Function<String, Optional<ValidatedJob>> jobs,
      Path dir,
      ServingStore store,
      ServingMetrics metrics,
      io.federa.flow.node.ControlChannel channel) {
    this.self = self;
    this.registry = registry;
    this.tables = tables;
    this.jobs = jobs;
    this.dir = dir;
    this.store = store;
    this.services = new HostedServices(self, metrics);
    this.cluster = new ServingCluster(self, channel, services);
  }

  /**
   * Serves again what this host served before its node restarted: from its tables now, from its
   * databases once their configuration is given ({@link #sources}).
   */
  void restore(List<ServingStore.Row> rows) {
    restore(rows, false);
  }

  private void restore(List<ServingStore.Row> rows, boolean fromDatabases) {
    Map<String, List<ServingStore.Row>> byService = new LinkedHashMap<>();
    rows.stream()
        .filter(r -> r.role().equals("host"))
        .filter(r -> r.namespace().equals(FeatureSource.JDBC) == fromDatabases)
        .forEach(r -> byService.computeIfAbsent(r.service(), s -> new ArrayList<>()).add(r));
    byService.forEach(
        (service, rs) -> {
          try {
            ServingStore.Row first = rs.get(0);
            FeatureSource index = index(first.namespace(), first.table());
            Map<String, Servable> versions = new ConcurrentHashMap<>();
            for (ServingStore.Row r : rs) {
              versions.put(r.version(), Servable.of(registry, self, r.modelId(), r.version()));
            }
            services.put(
                service,
                new HostedServices.Hosted(first.guest(), first.modelId(), index, versions));
          } catch (FederaException e) {
            LOG.error("cannot serve {} again after the restart: {}", service, e.getMessage());
          }
        });
  }

  /** Loads this party's part of a version for the guest {@code from}. */
  ServingMessages.Loaded load(int from, ServingMessages.Load q) {
    HostedServices.Hosted earlier = services.get(q.service());
    if (earlier != null && (earlier.guest() != from || !earlier.modelId().equals(q.modelId()))) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              "service "
                  + q.service()
                  + " at party "
                  + self
                  + " serves model "
                  + earlier.modelId()
                  + " for guest "
                  + earlier.guest()
                  + "; choose another service name")
          .shareable();
    }
    Servable servable = Servable.of(registry, self, q.modelId(), q.modelVersion());
    if (!(servable.model() instanceof PartyModel.HeteroLrHost
        || servable.model() instanceof PartyModel.SecureBoostHost)) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              "party " + self + " holds the guest's part of " + q.modelId() + ", not a host's")
          .shareable();
    }
    String[] table =
        q.table() != null
            ? new String[] {q.namespace(), q.table()}
            : earlier != null
                ? new String[] {earlier.index().namespace(), earlier.index().table()}
                : trainingTable(q.modelId(), q.modelVersion());
    FeatureSource index = index(table[0], table[1]);
    Map<String, Servable> versions = new ConcurrentHashMap<>();
    if (earlier != null) {
      earlier.versions().forEach((v, s) -> versions.put(v, s));
      versions.keySet().retainAll(q.keep());
    }
    versions.put(q.modelVersion(), servable);
    for (Servable s : versions.values()) {
      List<String> lacking = new ArrayList<>(s.inputs());
      lacking.removeAll(index.features());
      if (!lacking.isEmpty()) {
        throw new FederaException(
                ErrorCode.INVALID_ARGUMENT,
                "table "
                    + table[0]
                    + "."
                    + table[1]
                    + " at party "
                    + self
                    + " lacks the features "
                    + lacking
                    + " of model version "
                    + s.version()
                    + "; name a table that has them with --table "
                    + self
                    + "=NAMESPACE.NAME")
            .shareable();
      }
    }
    List<ServingStore.Row> rows = new ArrayList<>();
    for (String v : versions.keySet()) {
      rows.add(
          new ServingStore.Row(
              q.service(),
              v,
              q.modelId(),
              "host",
              from,
              table[0],
              table[1],
              java.util.EnumSet.of(ServingStore.State.LOADED),
              0,
              0,
              ""));
    }
    var next = new HostedServices.Hosted(from, q.modelId(), index, versions);
    cluster.rollOut(q.service(), next, earlier); // instance by instance; fails having rolled back
    store.replace(q.service(), rows);
    services.put(q.service(), next);
    LOG.info(
        "service {}: loaded model {} version {} for guest {}, features from {}.{} ({} rows)",
        q.service(),
        q.modelId(),
        q.modelVersion(),
        from,
        table[0],
        table[1],
        index.rows());
    return new ServingMessages.Loaded(
        index.namespace(), index.table(), index.rows(), servable.inputs());
  }

  /** This host's partial scores of the rows the guest {@code from} asks about. */
  ServingMessages.Partials score(int from, ServingMessages.Score q) {
    return services.score(from, q);
  }

  /** Stops serving {@code service} (its guest dropped it). */
  ServingMessages.Done drop(int from, ServingMessages.Drop q) {
    HostedServices.Hosted hosted = services.get(q.service());
    if (hosted != null && hosted.guest() == from) {
      services.remove(q.service());
      store.replace(q.service(), List.of());
      cluster.rollOut(q.service(), null, null);
    }
    return new ServingMessages.Done(hosted != null);
  }

  /** The table this host's Reader read in the job that trained the version. */
  private String[] trainingTable(String modelId, String version) {
    String jobId = registry.version(modelId, version).get(0).registered().jobId();
    ValidatedJob job =
        jobs.apply(jobId)
            .orElseThrow(
                () ->
                    new FederaException(
                            ErrorCode.INVALID_ARGUMENT,
                            "party "
                                + self
                                + " does not know the job that trained "
                                + modelId
                                + " version "
                                + version
                                + " (an imported model); name its feature table with --table "
                                + self
                                + "=NAMESPACE.NAME")
                        .shareable());
    int index = job.roles().getOrDefault("host", List.of()).indexOf(self);
    for (String c : job.order()) {
      if (job.modules().get(c).equals("Reader") && index >= 0) {
        var t = job.parameters(c, "host", index).path("table");
        return new String[] {t.path("namespace").asText(), t.path("name").asText()};
      }
    }
    throw new FederaException(
            ErrorCode.INVALID_ARGUMENT,
            "the job that trained "
                + modelId
                + " read no table at party "
                + self
                + "; name its feature table with --table "
                + self
                + "=NAMESPACE.NAME")
        .shareable();
  }

  /** The databases this host may serve features from (its node.yaml's serving.sources). */
  void sources(Map<String, io.federa.federation.NodeConfig.JdbcSource> sources) {
    this.sources = sources == null ? Map.of() : Map.copyOf(sources);
    restore(store.all(), true);
  }

  private FeatureSource index(String namespace, String table) {
    if (namespace.equals(FeatureSource.JDBC)) {
      return indexes.computeIfAbsent(
          namespace + "\u0000" + table, k -> JdbcFeatures.open(table, sources));
    }
    var info = tables.info(namespace, table);
    String key = namespace + "\u0000" + table + "\u0000" + info.map(i -> i.sha256()).orElse("");
    return indexes.computeIfAbsent(key, k -> FeatureIndex.open(dir, tables, namespace, table));
  }

  /** This party's serving instances. */
  List<Serving.InstanceView> instances() {
    return cluster.view();
  }

  void close() {
    indexes.values().forEach(FeatureSource::close);
  }
}
