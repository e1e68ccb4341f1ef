package io.federa.flow.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.flow.dsl.ValidatedJob;
import io.federa.flow.store.TableStore;

/**
 * A party's check of a job before it accepts it: it has a role, the tables its Reader components
 * name exist here and, for a predict job, it holds its part of the trained model.
 */
final class Admission {
  private final int self;
  private final TableStore tables;
  private final ModelRegistry registry;

  Admission(int self, TableStore tables, ModelRegistry registry) {
    this.self = self;
    this.tables = tables;
    this.registry = registry;
  }

  void check(ValidatedJob job) {
    for (String role : job.rolesOf(self)) {
      check(job, role);
    }
  }

  /** Checks what this party needs to play {@code role}: its tables and its model parts. */
  private void check(ValidatedJob job, String role) {
    int index = job.roles().get(role).indexOf(self);
    String suffix = role.equals(job.roleOf(self)) ? "" : "-" + role;
    if (job.predict() && !role.equals("arbiter")) {
      for (String c : job.order()) {
        if (java.util.Set.of("HeteroLR", "HeteroSecureBoost").contains(job.modules().get(c))
            && registry.trained(job.modelId(), job.modelVersion(), c + suffix) == null) {
          throw new FederaException(
                  ErrorCode.NOT_FOUND,
                  "party "
                      + self
                      + " ("
                      + role
                      + ") holds no part of model "
                      + job.modelId()
                      + " version "
                      + job.modelVersion()
                      + " for "
                      + c
                      + "; train it first, or import it with 'federa model import'")
              .shareable();
        }
      }
    }
    for (String c : job.order()) {
      if (!job.modules().get(c).equals("Reader") || role.equals("arbiter")) {
        continue;
      }
      JsonNode t = job.parameters(c, role, index).path("table");
      String ns = t.path("namespace").asText();
      String name = t.path("name").asText();
      if (tables.info(ns, name).isEmpty()) {
        throw new FederaException(
                ErrorCode.NOT_FOUND,
                "component "
                    + c
                    + ": table "
                    + ns
                    + "."
                    + name
                    + " does not exist at party "
                    + self
                    + " ("
                    + role
                    + "); upload it on that node with 'federa upload --file F --namespace "
                    + ns
                    + " --table "
                    + name
                    + "'")
            .shareable();
      }
    }
  }
}
