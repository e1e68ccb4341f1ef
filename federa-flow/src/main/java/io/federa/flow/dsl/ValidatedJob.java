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

  /** {@code party}'s role in this job. */
  public String roleOf(int party) {
    for (var e : roles.entrySet()) {
      if (e.getValue().contains(party)) {
        return e.getKey();
      }
    }
    throw new FederaException(
        ErrorCode.INVALID_ARGUMENT,
        "party " + party + " has no role in this job (roles: " + roles + ")");
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
