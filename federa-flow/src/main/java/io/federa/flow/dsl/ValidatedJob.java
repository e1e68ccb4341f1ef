package io.federa.flow.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DSL and runtime conf that passed validation: the typed job that flow stores and passes on (it
 * is validated once, when it is submitted or received).
 *
 * @param order component names in an order that respects every input (topological)
 * @param modules component name → module
 * @param upstream component name → the components its inputs name (data and model, not the
 *     registry's trained models)
 * @param roles role → party ids, in the conf's order (the role index is the position)
 * @param initiatorRole the initiator's role
 * @param initiatorParty the initiator's party id
 * @param warnings what Federa does differently from FATE for this job, each with its path
 */
public record ValidatedJob(
    List<String> order,
    Map<String, String> modules,
    Map<String, List<String>> upstream,
    Map<String, List<Integer>> roles,
    String initiatorRole,
    int initiatorParty,
    List<Problem> warnings,
    JsonNode dsl,
    JsonNode conf) {

  public ValidatedJob {
    order = List.copyOf(order);
    modules = Collections.unmodifiableMap(new LinkedHashMap<>(modules));
    upstream = Collections.unmodifiableMap(new LinkedHashMap<>(upstream));
    roles = Collections.unmodifiableMap(new LinkedHashMap<>(roles));
    warnings = List.copyOf(warnings);
  }

  /**
   * The parameters of {@code component} for the party at {@code index} of {@code role}: the conf's
   * {@code common} parameters overlaid with the role-specific ones ("0", "0|1", "all").
   */
  public JsonNode parameters(String component, String role, int index) {
    return JobValidator.parametersFor(conf, component, role, index);
  }

  /** Every party of the job once, in the order of the conf's roles. */
  public List<Integer> parties() {
    List<Integer> out = new ArrayList<>();
    for (String role : List.of("guest", "host", "arbiter")) {
      for (int p : roles.getOrDefault(role, List.of())) {
        if (!out.contains(p)) {
          out.add(p);
        }
      }
    }
    return out;
  }

  /** The roles in the order a party's roles are ranked: its first is played under its own id. */
  public static final List<String> ROLE_ORDER = List.of("guest", "host", "arbiter");

  /**
   * {@code party}'s roles in this job, guest before host before arbiter (FATE's single-machine
   * files give one party two: host and arbiter, or guest and a second host).
   */
  public List<String> rolesOf(int party) {
    List<String> out = new ArrayList<>();
    for (String role : ROLE_ORDER) {
      if (roles.getOrDefault(role, List.of()).contains(party)) {
        out.add(role);
      }
    }
    if (out.isEmpty()) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "party " + party + " has no role in this job (roles: " + roles + ")");
    }
    return out;
  }

  /** {@code party}'s first role in this job ({@link #rolesOf}). */
  public String roleOf(int party) {
    return rolesOf(party).get(0);
  }

  /**
   * The id under which {@code party} plays {@code role}: its own for its first role, a virtual
   * (negative) id for a further one, so that the protocols, which address parties by id, tell its
   * roles apart ({@link #asPlayed}).
   */
  public int idIn(String role, int party) {
    int r = ROLE_ORDER.indexOf(role);
    return rolesOf(party).get(0).equals(role) ? party : -(party * 4 + r + 1);
  }

  /** The party a (possibly virtual) id belongs to. */
  public static int realParty(int id) {
    return id >= 0 ? id : (-id - 1) / 4;
  }

  /** Whether some party holds two roles. */
  public boolean sharesParties() {
    int all = 0;
    for (List<Integer> ids : roles.values()) {
      all += ids.size();
    }
    return all > parties().size();
  }

  /**
   * The job as its components see it: a party's further roles under virtual ids ({@link #idIn}), so
   * {@code roles} lists each role's players apart. The job itself when no party holds two roles.
   */
  public ValidatedJob asPlayed() {
    if (!sharesParties()) {
      return this;
    }
    Map<String, List<Integer>> played = new LinkedHashMap<>();
    for (var e : roles.entrySet()) {
      List<Integer> ids = new ArrayList<>();
      for (int p : e.getValue()) {
        ids.add(idIn(e.getKey(), p));
      }
      played.put(e.getKey(), ids);
    }
    return new ValidatedJob(
        order, modules, upstream, played, initiatorRole, initiatorParty, warnings, dsl, conf);
  }

  /** {@code from} and every component that depends on it, directly or not, in run order. */
  public Set<String> downstreamOf(String from) {
    Set<String> out = new LinkedHashSet<>();
    for (String c : order) {
      if (c.equals(from) || upstream.get(c).stream().anyMatch(out::contains)) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * The components whose data flows into {@code component}'s data inputs, directly or not, in run
   * order: the transforms a row passes through before it reaches the component (its {@code
   * validate_data} excepted, which does not shape the model's rows).
   */
  public List<String> dataPathTo(String component) {
    Set<String> up = new java.util.HashSet<>();
    java.util.Deque<String> todo = new java.util.ArrayDeque<>(List.of(component));
    while (!todo.isEmpty()) {
      var inputs = dsl.path("components").path(todo.pop()).path("input").path("data").fields();
      while (inputs.hasNext()) {
        var slot = inputs.next();
        if (slot.getKey().equals("validate_data")) {
          continue;
        }
        for (JsonNode ref : slot.getValue()) {
          String from = ref.asText();
          from = from.contains(".") ? from.substring(0, from.indexOf('.')) : from;
          if (modules.containsKey(from) && up.add(from)) {
            todo.push(from);
          }
        }
      }
    }
    return order.stream().filter(up::contains).toList();
  }

  /**
   * The protocol timeout of the job's components: {@code job_parameters.common.timeout} seconds.
   */
  public Duration componentTimeout() {
    JsonNode t = conf.path("job_parameters").path("common").path("timeout");
    return Duration.ofSeconds(t.canConvertToInt() && t.asInt() > 0 ? t.asInt() : 600);
  }

  /** Whether this job predicts with a trained model of the registry ({@code pipeline.X.model}). */
  public boolean predict() {
    for (JsonNode c : dsl.path("components")) {
      for (JsonNode ref : c.path("input").path("model")) {
        if (ref.asText().startsWith(JobValidator.PIPELINE)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The trained model a predict job uses: {@code job_parameters.common.model_id}. */
  public String modelId() {
    return conf.path("job_parameters").path("common").path("model_id").asText("");
  }

  public String modelVersion() {
    return conf.path("job_parameters").path("common").path("model_version").asText("");
  }

  /** FATE's model id of what this job trains: {@code arbiter-10001#guest-9999#host-10000_model}. */
  public String trainedModelId() {
    return modelIdOf(roles);
  }

  /** FATE's model id of the jobs with these roles. */
  public static String modelIdOf(Map<String, List<Integer>> roles) {
    List<String> parts = new ArrayList<>();
    for (String role : List.of("arbiter", "guest", "host")) {
      List<Integer> ps = roles.get(role);
      if (ps != null && !ps.isEmpty()) {
        parts.add(role + "-" + String.join("-", ps.stream().map(String::valueOf).toList()));
      }
    }
    return String.join("#", parts) + "_model";
  }
}
