package io.federa.flow.serving;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.GrpcFederation;
import io.federa.federation.NodeConfig;
import io.federa.flow.node.ControlChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One serving instance of a host party (docs/serving.md): a process beside the party's node that
 * answers guests' scoring calls for the services the node assigns it, on its own port with the
 * party's certificate. It registers with its node, takes every service's state from it (the
 * versions' registered parts and the feature index, read from the node's data directory or a copy
 * of its {@code serving} directory), and sends a heartbeat every interval; when the node forgets it
 * (a restart), it registers again. It keeps no state of its own beyond its federation directory.
 */
public final class ServingInstance implements AutoCloseable {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ServingInstance.class);

  private final String name;
  private final int self;
  private final NodeConfig.Address node;
  private final Path indexDir;
  private final GrpcFederation federation;
  private final ControlChannel channel;
  private final HostedServices services;
  private final Map<String, FeatureSource> indexes = new ConcurrentHashMap<>();
  private final Map<String, NodeConfig.JdbcSource> sources;
  private final Thread beat;
  private volatile boolean stopping;

  private ServingInstance(NodeConfig config, String name, NodeConfig.Address listen, Path data) {
    this.name = name;
    this.self = config.partyId();
    this.node = config.route(self);
    this.indexDir = data.resolve("serving");
    this.sources = config.serving() == null ? null : config.serving().sources();
    this.federation =
        GrpcFederation.start(
            config.asInstance(listen, config.dataPath().resolve("serving/instances/" + name)));
    this.channel = new ControlChannel(federation);
    this.services = new HostedServices(self, new ServingMetrics());
    channel.serve(ServingMessages.SCORE, services::score);
    channel.serve(ClusterMessages.ASSIGN, this::assign);
    this.beat = new Thread(this::run, "federa-serving-instance-" + name);
    beat.setDaemon(true);
  }

  /**
   * Starts instance {@code name} of {@code config}'s party listening at {@code listen} (port 0: any
   * free one), reading feature indexes under {@code data} (the node's data directory or a copy); it
   * registers with the node in the background, again and again until the node answers.
   */
  public static ServingInstance start(
      NodeConfig config, String name, NodeConfig.Address listen, Path data) {
    io.federa.core.Names.require("instance name", name);
    var instance = new ServingInstance(config, name, listen, data);
    instance.beat.start();
    return instance;
  }

  public int port() {
    return federation.port();
  }

  /** The services and versions this instance serves now. */
  public Map<String, List<String>> serving() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    services.all().forEach((s, h) -> out.put(s, List.copyOf(h.versions().keySet())));
    return out;
  }

  private void run() {
    Duration interval = ServingCluster.INTERVAL;
    boolean registered = false;
    boolean warned = false;
    while (!stopping) {
      try {
        if (!registered) {
          var reply =
              channel.askAt(
                  self,
                  node,
                  ClusterMessages.REGISTER,
                  new ClusterMessages.Register(name, federation.config().listen().host(), port()),
                  interval.multipliedBy(5));
          interval = Duration.ofMillis(reply.intervalMs());
          for (ClusterMessages.Assign a : reply.assignments()) {
            try {
              assign(self, a);
            } catch (FederaException e) {
              LOG.error("instance {} cannot serve {}: {}", name, a.service(), e.getMessage());
            }
          }
          registered = true;
          warned = false;
          LOG.info("instance {} registered with party {}'s node at {}", name, self, node);
        }
        var beat =
            channel.askAt(
                self,
                node,
                ClusterMessages.HEARTBEAT,
                new ClusterMessages.Heartbeat(name, serving()),
                interval);
        if (!beat.known()) {
          LOG.info(
              "party {}'s node at {} does not know instance {}: registering again",
              self,
              node,
              name);
          registered = false;
          continue;
        }
      } catch (FederaException e) {
        if (!warned) {
          LOG.warn(
              "instance {} cannot reach its node at {}: {}; trying again",
              name,
              node,
              e.getMessage());
          warned = true;
        }
      }
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Takes a service's state from the node (caller: this party only). */
  private ClusterMessages.Assigned assign(int from, ClusterMessages.Assign a) {
    if (from != self) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              "party " + from + " may not assign services to party " + self + "'s instances")
          .shareable();
    }
    if (a.versions().isEmpty()) {
      services.remove(a.service());
      LOG.info("instance {}: service {} dropped", name, a.service());
      return new ClusterMessages.Assigned(List.of(), Map.of());
    }
    FeatureSource index =
        a.indexFile() == null
            ? indexes.computeIfAbsent(
                FeatureSource.JDBC + "/" + a.table(), k -> JdbcFeatures.open(a.table(), sources))
            : indexes.computeIfAbsent(
                a.indexFile(),
                f -> FeatureIndex.existing(indexDir.resolve(f), a.namespace(), a.table()));
    Map<String, Servable> versions = new ConcurrentHashMap<>();
    a.versions().forEach((v, parts) -> versions.put(v, Servable.of(self, a.modelId(), v, parts)));
    var hosted = new HostedServices.Hosted(a.guest(), a.modelId(), index, versions);
    Map<String, ServingMessages.Partials> probe = new LinkedHashMap<>();
    if (!a.probe().isEmpty()) {
      for (String v : versions.keySet()) {
        probe.put(v, services.answer(hosted, a.service(), v, a.probe()));
      }
    }
    services.put(a.service(), hosted);
    LOG.info(
        "instance {}: service {} serves versions {} of model {}",
        name,
        a.service(),
        versions.keySet(),
        a.modelId());
    return new ClusterMessages.Assigned(new ArrayList<>(versions.keySet()), probe);
  }

  @Override
  public void close() {
    stopping = true;
    beat.interrupt();
    federation.stop(Duration.ofSeconds(2));
    indexes.values().forEach(FeatureSource::close);
  }
}
