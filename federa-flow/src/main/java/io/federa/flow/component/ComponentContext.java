package io.federa.flow.component;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.core.table.Table;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.flow.dsl.ValidatedJob;
import io.federa.flow.store.TableStore;
import io.federa.ml.hetero.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a component needs at one party: its parameters (the conf's common ones overlaid with
 * this party's), its inputs (by input slot: {@code data}, {@code train_data}, {@code
 * validate_data}, {@code model}), the federation under the component's own message key, this node's
 * tables, and the tracker.
 *
 * @param key the component's key: job id and component name, with the attempt when it is a re-run
 *     (so a re-run never reads an earlier attempt's messages)
 */
public record ComponentContext(
    String jobId,
    String component,
    String role,
    int roleIndex,
    int self,
    JsonNode params,
    ValidatedJob job,
    Map<String, Outputs> inputs,
    Federation federation,
    MessageKey key,
    TableStore tables,
    Tracker tracker,
    Duration timeout,
    ComputingEngine engine,
    io.federa.ml.Checkpoints checkpoints) {

  public boolean isGuest() {
    return role.equals("guest");
  }

  public boolean isHost() {
    return role.equals("host");
  }

  public boolean isArbiter() {
    return role.equals("arbiter");
  }

  public List<Integer> parties(String role) {
    return job.roles().getOrDefault(role, List.of());
  }

  public int guest() {
    return parties("guest").get(0);
  }

  public List<Integer> hosts() {
    return parties("host");
  }

  /** The arbiter's party id, if the job has one. */
  public Optional<Integer> arbiter() {
    List<Integer> a = parties("arbiter");
    return a.isEmpty() ? Optional.empty() : Optional.of(a.get(0));
  }

  /** Hetero LR's topology: with the job's arbiter, or guest and host alone. */
  public Topology topology() {
    return arbiter().map(Topology::arbiter).orElseGet(Topology::twoParty);
  }

  /** The table given in the first of {@code slots} that is present; an error if none is. */
  public Table inputData(String... slots) {
    Table t = inputDataWithMissing(slots);
    for (int f = 0; f < t.features(); f++) {
      double[] column = t.column(f);
      for (int i = 0; i < column.length; i++) {
        if (Double.isNaN(column[i])) {
          throw new FederaException(
                  ErrorCode.INVALID_INPUT,
                  "component "
                      + component
                      + " at party "
                      + self
                      + ": column '"
                      + t.schema().featureNames().get(f)
                      + "' has missing values (first at row "
                      + (i + 1)
                      + "); "
                      + component
                      + " needs every value: fill them before loading, or use HeteroSecureBoost"
                      + " with use_missing true, which gives missing values their own bin")
              .shareable();
        }
      }
    }
    return t;
  }

  /**
   * As {@link #inputData}, missing feature values (NaN) allowed: for the components that pass rows
   * through (DataTransform, Intersection) or give missing values their own bin (SecureBoost).
   */
  public Table inputDataWithMissing(String... slots) {
    for (String slot : slots) {
      Outputs o = inputs.get(slot);
      if (o != null && o.data() != null) {
        return o.data();
      }
    }
    throw new FederaException(
            ErrorCode.INVALID_ARGUMENT,
            "component "
                + component
                + " at party "
                + self
                + " ("
                + role
                + ") has no input data in "
                + List.of(slots)
                + "; give it one in the DSL's input.data")
        .shareable();
  }

  /** Whether input data is given in {@code slot}. */
  public boolean hasInputData(String slot) {
    Outputs o = inputs.get(slot);
    return o != null && o.data() != null;
  }

  /** The models given as {@code isometric_model} (FATE's: another component's, to read). */
  public List<PartyModel> isometricModels() {
    List<PartyModel> out = new java.util.ArrayList<>();
    for (int i = 0; ; i++) {
      Outputs o = inputs.get("isometric_model" + (i == 0 ? "" : "_" + i));
      if (o == null) {
        return out;
      }
      if (o.model() != null) {
        out.add(o.model());
      }
    }
  }

  /** The model given as input, or null. */
  public PartyModel inputModel() {
    Outputs o = inputs.get("model");
    return o == null ? null : o.model();
  }

  /**
   * The parameters, read with the module's rules (the job was validated with the same rules, so a
   * problem here is a bug, and it throws).
   */
  public io.federa.flow.dsl.ParamReader reader() {
    return io.federa.flow.dsl.ParamReader.strict(component, params);
  }
}
