package io.federa.flow.serving;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.Names;
import io.federa.flow.node.ControlService;
import io.federa.ml.secureboost.Routing;
import java.util.List;

/**
 * The control calls serving makes from the guest to each host of a service (request–reply over the
 * federation's control channel, never the durable message path; the caller is named by its
 * certificate). Each request checks its own fields, so a host handles only well-formed ones.
 */
final class ServingMessages {
  private ServingMessages() {}

  /** The most ids one scoring call may carry. */
  static final int MAX_IDS = 10_000;

  /**
   * The guest asks a host to load its part of a model version for a service, with its feature store
   * (a table of the host's; null: the table its training job read); {@code keep}: the versions the
   * service still uses (the host drops the others).
   */
  record Load(
      String service,
      String modelId,
      String modelVersion,
      String namespace,
      String table,
      List<String> keep) {
    Load {
      Names.require("service", service);
      Names.require("model version", modelVersion);
      keep = List.copyOf(keep);
      if (namespace != null || table != null) {
        Names.require("namespace", namespace);
        Names.require("table", table);
      }
    }
  }

  /** What the host loaded: its feature store's table, rows and the features it reads. */
  record Loaded(String namespace, String table, int rows, List<String> features) {}

  /** The guest asks a host for its partial scores of rows, by id, under a loaded version. */
  record Score(String service, String modelVersion, List<String> ids) {
    Score {
      Names.require("service", service);
      Names.require("model version", modelVersion);
      if (ids == null || ids.isEmpty() || ids.size() > MAX_IDS) {
        throw new FederaException(
            ErrorCode.INVALID_INPUT, "a scoring call carries 1 to " + MAX_IDS + " ids");
      }
      ids = List.copyOf(ids);
    }
  }

  /**
   * A host's part: hetero LR's partial scores ({@code X_h·w_h + shift}; class model {@code k}'s at
   * {@code [k·n, (k+1)·n)}) or SecureBoost's decisions at each of its splits; and the positions of
   * the ids its feature store lacks (their scores are 0, their decisions right).
   */
  record Partials(double[] scores, int[] missing, Routing.Decisions decisions) {}

  /** The guest drops a service at a host. */
  record Drop(String service) {
    Drop {
      Names.require("service", service);
    }
  }

  /** Done. */
  record Done(boolean ok) {}

  static final ControlService<Load, Loaded> LOAD =
      new ControlService<>("serving.load", Load.class, Loaded.class);
  static final ControlService<Score, Partials> SCORE =
      new ControlService<>("serving.score", Score.class, Partials.class);
  static final ControlService<Drop, Done> DROP =
      new ControlService<>("serving.drop", Drop.class, Done.class);
}
