package io.federa.flow.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A DSL and runtime conf that passed validation.
 *
 * @param order component names in an order that respects every input (topological)
 * @param modules component name → module
 * @param roles role → party ids, in the conf's order (the role index is the position)
 * @param initiatorRole the initiator's role
 * @param initiatorParty the initiator's party id
 * @param warnings what Federa does differently from FATE for this job, each with its path
 */
public record ValidatedJob(
    List<String> order,
    Map<String, String> modules,
    Map<String, List<Integer>> roles,
    String initiatorRole,
    int initiatorParty,
    List<Problem> warnings,
    JsonNode dsl,
    JsonNode conf) {

  /**
   * The parameters of {@code component} for the party at {@code index} of {@code role}: the conf's
   * {@code common} parameters overlaid with the role-specific ones ("0", "0|1", "all").
   */
  public JsonNode parameters(String component, String role, int index) {
    return JobValidator.parametersFor(conf, component, role, index);
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
}
