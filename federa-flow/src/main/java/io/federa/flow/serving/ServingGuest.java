package io.federa.flow.serving;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.Names;
import io.federa.flow.component.PartyModel;
import io.federa.flow.node.ControlChannel;
import io.federa.flow.node.ModelRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The guest's side of serving: it deploys a model version under a service name (its own part, and
 * each host's through {@link ServingMessages.Load}), swaps versions, rolls back and splits traffic
 * between two versions; {@link GuestScoring} answers the predictions. The service's configuration
 * (versions, deadline, policy) lives at the guest; hosts only hold what it asked them to load.
 */
final class ServingGuest {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServingGuest.class);
  private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(5);
  static final int DEFAULT_DEADLINE_MS = 500;

  /** What a service does when a host does not answer in time or lacks a row. */
  enum Policy {
    /** The request fails with an error naming the party. */
    FAIL,
    /** The guest's part alone answers, flagged degraded with the missing party named. */
    DEGRADE
  }

  /** A service's configuration and the guest's loaded parts of its versions. */
  record Service(
      String name,
      String modelId,
      List<Integer> hosts,
      String active,
      String previous,
      String b,
      double weight,
      int deadlineMs,
      Policy policy,
      Map<String, Servable> versions) {}

  private final int self;
  private final ModelRegistry registry;
  private final ControlChannel channel;
  private final ServingStore store;
  private final Map<String, Service> services = new ConcurrentHashMap<>();

  ServingGuest(int self, ModelRegistry registry, ControlChannel channel, ServingStore store) {
    this.self = self;
    this.registry = registry;
    this.channel = channel;
    this.store = store;
  }

  /** Serves again what this guest served before its node restarted. */
  void restore(List<ServingStore.Row> rows) {
    Map<String, List<ServingStore.Row>> byService = new LinkedHashMap<>();
    rows.stream()
        .filter(r -> r.role().equals("guest"))
        .forEach(r -> byService.computeIfAbsent(r.service(), s -> new ArrayList<>()).add(r));
    byService.forEach(
        (name, rs) -> {
          try {
            services.put(name, restored(name, rs));
          } catch (FederaException e) { // its model part gone: the node starts, the service not
            LOG.error("cannot serve {} again after the restart: {}", name, e.getMessage());
          }
        });
  }

  /** A service as this guest stored it. */
  private Service restored(String name, List<ServingStore.Row> rs) {
    String active = null;
    String previous = null;
    String b = null;
    double weight = 0;
    Map<String, Servable> versions = new ConcurrentHashMap<>();
    for (ServingStore.Row r : rs) {
      versions.put(r.version(), Servable.of(registry, self, r.modelId(), r.version()));
      if (r.states().contains(ServingStore.State.ACTIVE)) {
        active = r.version();
      }
      if (r.states().contains(ServingStore.State.PREVIOUS)) {
        previous = r.version();
      }
      if (r.states().contains(ServingStore.State.B)) {
        b = r.version();
        weight = r.weight();
      }
    }
    ServingStore.Row first = rs.get(0);
    return new Service(
        name,
        first.modelId(),
        versions.values().iterator().next().alone() ? List.of() : hostsOf(first.modelId()),
        active,
        previous,
        b,
        weight,
        first.deadlineMs(),
        Policy.valueOf(first.policy()),
        versions);
  }

  /** The service, or NOT_FOUND naming the fix. */
  Service service(String name) {
    Service s = services.get(name);
    if (s == null) {
      throw new FederaException(
          ErrorCode.NOT_FOUND,
          "no service "
              + Names.shown(name)
              + " at party "
              + self
              + "; 'federa serving status' lists them, 'federa model deploy --service' makes one");
    }
    return s;
  }

  List<Service> services() {
    return services.values().stream()
        .sorted(java.util.Comparator.comparing(Service::name))
        .toList();
  }

  /**
   * Deploys {@code d}: loads the version here and at every host (each its own part), then makes it
   * the active version ({@code split} null; the active one becomes the previous) or the B version
   * with that share of the requests. Nothing changes at the guest unless every host loaded it.
   */
  Serving.Deployed deploy(Serving.Deploy d) {
    Names.require("service", d.service());
    Names.require("model version", d.modelVersion());
    if (!partiesOf(d.modelId(), null).contains(self)) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "party "
              + self
              + " takes no part in model "
              + d.modelId()
              + "; deploy it on the node of its guest");
    }
    Servable own = Servable.of(registry, self, d.modelId(), d.modelVersion());
    if (own.model() instanceof PartyModel.HeteroLrHost
        || own.model() instanceof PartyModel.SecureBoostHost) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "party "
              + self
              + " holds a host's part of model "
              + d.modelId()
              + "; deploy it on the guest's node (party "
              + partiesOf(d.modelId(), "guest")
              + ")");
    }
    List<Integer> hosts = own.alone() ? List.of() : hostsOf(d.modelId());
    Service earlier = services.get(d.service());
    if (earlier != null && !earlier.modelId().equals(d.modelId())) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "service "
              + d.service()
              + " serves model "
              + earlier.modelId()
              + "; a service serves the versions of one model: choose another service name");
    }
    if (d.split() != null && (earlier == null || !(d.split() > 0 && d.split() < 1))) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          earlier == null
              ? "an A/B split needs an active version first: deploy without --split"
              : "--split is the B version's share of requests, between 0 and 1 (exclusive)");
    }
    Policy policy =
        d.policy() != null ? policy(d.policy()) : earlier != null ? earlier.policy() : Policy.FAIL;
    if (own.trees() && policy == Policy.DEGRADE) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "a SecureBoost service cannot degrade: without a host's splits no tree can be walked;"
              + " use --policy fail");
    }
    int deadline =
        d.deadlineMs() != null
            ? d.deadlineMs()
            : earlier != null ? earlier.deadlineMs() : DEFAULT_DEADLINE_MS;
    if (deadline < 1 || deadline > 60_000) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "--deadline-ms is 1 to 60000 milliseconds");
    }
    String active = d.split() == null ? d.modelVersion() : earlier.active();
    String previous =
        d.split() != null
            ? earlier.previous()
            : earlier != null && !earlier.active().equals(d.modelVersion())
                ? earlier.active()
                : earlier == null ? null : earlier.previous();
    String b = d.split() == null ? null : d.modelVersion();
    double weight = d.split() == null ? 0 : d.split();
    Set<String> keep = new LinkedHashSet<>();
    for (String v : new String[] {active, previous, b}) {
      if (v != null) {
        keep.add(v);
      }
    }
    List<Serving.HostLoaded> loaded = new ArrayList<>();
    boolean reconfigure =
        earlier != null
            && earlier.versions().containsKey(d.modelVersion())
            && (d.tables() == null || d.tables().isEmpty());
    // the hosts hold the version already: a new deadline, policy or split needs no host
    for (int h : reconfigure ? List.<Integer>of() : hosts) {
      String[] table = table(d.tables(), h);
      var reply =
          channel.ask(
              h,
              ServingMessages.LOAD,
              new ServingMessages.Load(
                  d.service(),
                  d.modelId(),
                  d.modelVersion(),
                  table[0],
                  table[1],
                  List.copyOf(keep)),
              LOAD_TIMEOUT);
      loaded.add(new Serving.HostLoaded(h, reply.namespace() + "." + reply.table(), reply.rows()));
    }
    Map<String, Servable> versions = new ConcurrentHashMap<>();
    if (earlier != null) {
      versions.putAll(earlier.versions());
    }
    versions.put(d.modelVersion(), own);
    versions.keySet().retainAll(keep);
    Service next =
        new Service(
            d.service(),
            d.modelId(),
            hosts,
            active,
            previous,
            b,
            weight,
            deadline,
            policy,
            versions);
    save(next);
    return Serving.Deployed.of(next, loaded);
  }

  /** Makes the previous version active again (and ends an A/B split). */
  Serving.Deployed rollback(String name) {
    Service s = service(name);
    if (s.previous() == null) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "service " + name + " has no previous version to roll back to");
    }
    Map<String, Servable> versions = new ConcurrentHashMap<>(s.versions());
    Service next =
        new Service(
            name,
            s.modelId(),
            s.hosts(),
            s.previous(),
            s.active(),
            null,
            0,
            s.deadlineMs(),
            s.policy(),
            versions);
    save(next);
    return Serving.Deployed.of(next, List.of());
  }

  private void save(Service s) {
    List<ServingStore.Row> rows = new ArrayList<>();
    s.versions()
        .keySet()
        .forEach(
            v ->
                rows.add(
                    new ServingStore.Row(
                        s.name(),
                        v,
                        s.modelId(),
                        "guest",
                        self,
                        null,
                        null,
                        states(s, v),
                        v.equals(s.b()) ? s.weight() : 0,
                        s.deadlineMs(),
                        s.policy().name())));
    store.replace(s.name(), rows);
    services.put(s.name(), s);
  }

  private static java.util.Set<ServingStore.State> states(Service s, String v) {
    var out = java.util.EnumSet.noneOf(ServingStore.State.class);
    if (v.equals(s.active())) {
      out.add(ServingStore.State.ACTIVE);
    }
    if (v.equals(s.previous())) {
      out.add(ServingStore.State.PREVIOUS);
    }
    if (v.equals(s.b())) {
      out.add(ServingStore.State.B);
    }
    return out;
  }

  static Policy policy(String given) {
    return switch (given.toLowerCase(java.util.Locale.ROOT)) {
      case "fail" -> Policy.FAIL;
      case "degrade" -> Policy.DEGRADE;
      default ->
          throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              "unknown policy " + Names.shown(given) + "; use fail or degrade");
    };
  }

  /** The host's feature table given for party {@code h} ("namespace.name"), or nulls. */
  private static String[] table(Map<Integer, String> tables, int h) {
    String t = tables == null ? null : tables.get(h);
    if (t == null) {
      return new String[] {null, null};
    }
    int dot = t.indexOf('.');
    if (dot <= 0 || dot == t.length() - 1) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "--table " + h + "=" + Names.shown(t) + " is not NAMESPACE.NAME");
    }
    return new String[] {t.substring(0, dot), t.substring(dot + 1)};
  }

  /** The hosts of a FATE model id (arbiter-10000#guest-9999#host-10000_model). */
  static List<Integer> hostsOf(String modelId) {
    return partiesOf(modelId, "host");
  }

  /** The parties of a FATE model id in {@code role} (null: in any). */
  private static List<Integer> partiesOf(String modelId, String role) {
    if (modelId == null || !modelId.endsWith("_model")) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "model id "
              + Names.shown(modelId)
              + " is not a FATE model id (like arbiter-10000#guest-9999#host-10000_model);"
              + " 'federa model list' shows them");
    }
    List<Integer> out = new ArrayList<>();
    for (String group : modelId.substring(0, modelId.length() - 6).split("#")) {
      String[] parts = group.split("-");
      if (role == null || parts[0].equals(role)) {
        for (int i = 1; i < parts.length; i++) {
          try {
            out.add(Integer.parseInt(parts[i]));
          } catch (NumberFormatException e) {
            throw new FederaException(
                ErrorCode.INVALID_ARGUMENT, "model id " + Names.shown(modelId) + " names no party");
          }
        }
      }
    }
    return out;
  }
}
