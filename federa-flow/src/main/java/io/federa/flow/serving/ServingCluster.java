package io.federa.flow.serving;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.json.Json;
import io.federa.federation.NodeConfig;
import io.federa.flow.node.ControlChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A host node as its party's serving cluster manager (docs/serving.md): its serving instances
 * ({@link ServingInstance}) register and send heartbeats; an instance is live while its last
 * heartbeat is at most {@link #SILENT} old. A guest asks for the live instances of a service (those
 * serving every version the node serves). A new state of a service — a version loaded, the previous
 * one dropped — rolls out instance by instance (gray release): each instance loads it and answers a
 * probe of a few ids, which must equal the node's own answers; on any error the instances already
 * updated are rolled back to the state before, and the deploy fails naming the instance.
 */
final class ServingCluster {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ServingCluster.class);

  /** How often an instance sends a heartbeat. */
  static final Duration INTERVAL = Duration.ofSeconds(1);

  /** An instance silent this long is no longer live (three heartbeats missed). */
  static final Duration SILENT = INTERVAL.multipliedBy(3);

  /** One registered instance: where it serves, when it last beat, and what it serves. */
  private record Member(
      ClusterMessages.Instance instance,
      long lastBeat,
      Map<String, List<String>> serving,
      boolean beating) {
    NodeConfig.Address address() {
      return new NodeConfig.Address(instance.host(), instance.port());
    }

    boolean live(long now) {
      return beating && now - lastBeat <= SILENT.toNanos();
    }
  }

  private final int self;
  private final ControlChannel channel;
  private final HostedServices services;
  private final Map<String, Member> members = new ConcurrentHashMap<>();

  ServingCluster(int self, ControlChannel channel, HostedServices services) {
    this.self = self;
    this.channel = channel;
    this.services = services;
    channel.serve(ClusterMessages.REGISTER, this::register);
    channel.serve(ClusterMessages.HEARTBEAT, this::heartbeat);
    channel.serve(ClusterMessages.INSTANCES, this::instances);
  }

  private void ownParty(int from, String what) {
    if (from != self) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              "party " + from + " may not " + what + " at party " + self + ": only its own may")
          .shareable();
    }
  }

  private ClusterMessages.Registered register(int from, ClusterMessages.Register q) {
    ownParty(from, "register a serving instance");
    var instance = new ClusterMessages.Instance(q.name(), q.host(), q.port());
    Member before = members.put(q.name(), new Member(instance, System.nanoTime(), Map.of(), false));
    LOG.info(
        "serving instance {} registered at {}:{}{}",
        q.name(),
        q.host(),
        q.port(),
        before == null ? "" : " (again)");
    List<ClusterMessages.Assign> assignments = new ArrayList<>();
    services
        .all()
        .forEach((service, hosted) -> assignments.add(assign(service, hosted, List.of())));
    return new ClusterMessages.Registered(assignments, INTERVAL.toMillis());
  }

  private ClusterMessages.Beat heartbeat(int from, ClusterMessages.Heartbeat q) {
    ownParty(from, "send a serving instance's heartbeat");
    Member m = members.get(q.name());
    if (m == null) {
      return new ClusterMessages.Beat(false);
    }
    if (!m.beating()) {
      LOG.info("serving instance {} at {} is live, serving {}", q.name(), m.address(), q.serving());
    }
    members.put(q.name(), new Member(m.instance(), System.nanoTime(), q.serving(), true));
    return new ClusterMessages.Beat(true);
  }

  private ClusterMessages.Live instances(int from, ClusterMessages.Instances q) {
    HostedServices.Hosted hosted = services.guestOf(from, q.service());
    List<ClusterMessages.Instance> out = new ArrayList<>();
    for (Member m : live()) {
      if (m.serving()
          .getOrDefault(q.service(), List.of())
          .containsAll(hosted.versions().keySet())) {
        out.add(m.instance());
      }
    }
    return new ClusterMessages.Live(out, INTERVAL.toMillis());
  }

  /** The live instances; one that fell silent is logged once. */
  private List<Member> live() {
    long now = System.nanoTime();
    List<Member> out = new ArrayList<>();
    for (Member m : members.values()) {
      if (m.live(now)) {
        out.add(m);
      } else if (m.beating()) {
        LOG.warn(
            "serving instance {} at {} sent no heartbeat for {} ms: no longer live",
            m.instance().name(),
            m.address(),
            (now - m.lastBeat()) / 1_000_000);
        members.replace(
            m.instance().name(), m, new Member(m.instance(), m.lastBeat(), m.serving(), false));
      }
    }
    return out;
  }

  /** The instances as an operator sees them. */
  List<Serving.InstanceView> view() {
    live();
    long now = System.nanoTime();
    return members.values().stream()
        .map(
            m ->
                new Serving.InstanceView(
                    m.instance().name(),
                    m.address().toString(),
                    m.live(now),
                    (now - m.lastBeat()) / 1_000_000,
                    new java.util.TreeMap<>(m.serving())))
        .sorted(java.util.Comparator.comparing(Serving.InstanceView::name))
        .toList();
  }

  /** A service's state as an instance takes it; {@code probe}: ids it answers for the check. */
  static ClusterMessages.Assign assign(
      String service, HostedServices.Hosted hosted, List<String> probe) {
    Map<String, List<io.federa.flow.node.ModelRegistry.Part>> versions = new LinkedHashMap<>();
    hosted.versions().forEach((v, s) -> versions.put(v, s.parts()));
    return new ClusterMessages.Assign(
        service,
        hosted.guest(),
        hosted.modelId(),
        hosted.index().namespace(),
        hosted.index().table(),
        hosted.index().fileName(),
        versions,
        probe);
  }

  /**
   * Rolls {@code next} (null: the service dropped) out to the live instances one by one, checking
   * each; on an error puts {@code before} (null: nothing) back on those done and fails.
   */
  void rollOut(String service, HostedServices.Hosted next, HostedServices.Hosted before) {
    List<String> probe = next == null ? List.of() : next.index().sample(3);
    ClusterMessages.Assign update =
        next == null ? ClusterMessages.Assign.drop(service) : assign(service, next, probe);
    List<Member> done = new ArrayList<>();
    for (Member m : live()) {
      try {
        var answer = channel.askAt(self, m.address(), ClusterMessages.ASSIGN, update, timeout());
        if (next != null) {
          check(service, next, probe, answer);
        }
        done.add(m);
        LOG.info(
            "service {}: serving instance {} now serves {}",
            service,
            m.instance().name(),
            answer.versions());
      } catch (FederaException e) {
        if (e.code() == ErrorCode.IO_FAILURE) {
          // not running any more: it takes the current state when it registers again
          members.remove(m.instance().name(), m);
          LOG.warn(
              "service {}: serving instance {} at {} is unreachable ({}); left out until it"
                  + " registers again",
              service,
              m.instance().name(),
              m.address(),
              e.getMessage());
          continue;
        }
        if (next == null) {
          LOG.warn(
              "service {}: instance {} did not drop it: {}",
              service,
              m.instance().name(),
              e.getMessage());
          continue;
        }
        done.add(m); // it may hold half of it: put it back too
        ClusterMessages.Assign back =
            before == null
                ? ClusterMessages.Assign.drop(service)
                : assign(service, before, List.of());
        for (Member d : done) {
          try {
            channel.askAt(self, d.address(), ClusterMessages.ASSIGN, back, timeout());
            LOG.warn("service {}: instance {} rolled back", service, d.instance().name());
          } catch (FederaException f) {
            LOG.error(
                "service {}: instance {} could not be rolled back: {}",
                service,
                d.instance().name(),
                f.getMessage());
          }
        }
        throw new FederaException(
                ErrorCode.INVALID_ARGUMENT,
                "service "
                    + service
                    + ": party "
                    + self
                    + "'s serving instance "
                    + m.instance().name()
                    + " at "
                    + m.address()
                    + " could not take the new version ("
                    + e.getMessage()
                    + "); the "
                    + (done.size() - 1)
                    + " instance(s) that had taken it were rolled back; fix or stop that instance"
                    + " and deploy again")
            .shareable();
      }
    }
  }

  /** The instance's probe answers must be the node's own, byte for byte. */
  private void check(
      String service,
      HostedServices.Hosted next,
      List<String> probe,
      ClusterMessages.Assigned answer) {
    if (!new HashSet<>(answer.versions()).containsAll(next.versions().keySet())) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          "it serves " + answer.versions() + ", not " + next.versions().keySet());
    }
    if (probe.isEmpty()) {
      return;
    }
    for (String v : next.versions().keySet()) {
      var mine = services.answer(next, service, v, probe);
      var theirs = answer.probe().get(v);
      if (theirs == null || !Arrays.equals(Json.bytes(mine), Json.bytes(theirs))) {
        throw new FederaException(
            ErrorCode.PROTOCOL,
            "its answers for version " + v + " differ from the node's on the probe rows");
      }
    }
  }

  private static Duration timeout() {
    return Duration.ofSeconds(30);
  }
}
