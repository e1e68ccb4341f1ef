package io.federa.flow.api;

import io.federa.flow.job.JobStore;
import io.federa.flow.job.ModelPart;
import io.federa.flow.job.State;
import io.federa.flow.node.AuditRow;
import io.federa.flow.node.PartyView;
import java.util.List;

/**
 * The HTTP API's replies, one record each, written by the routes and read by the CLI ({@code
 * NodeApi}) through the same codec ({@link io.federa.core.json.Json}: snake_case keys, lower-case
 * states), so a reply's shape is declared once.
 */
public final class Replies {
  private Replies() {}

  /**
   * A job as this node knows it, with its tasks at every party (empty in a list of jobs) and, while
   * it runs at its initiator, every other party as the watchdog sees it.
   */
  public record JobReply(
      String jobId,
      State state,
      String role,
      int initiator,
      String error,
      String createdAt,
      String startedAt,
      String endedAt,
      List<JobStore.Task> tasks,
      List<PartyView> parties) {
    public JobReply {
      tasks = tasks == null ? List.of() : List.copyOf(tasks);
      parties = parties == null ? List.of() : List.copyOf(parties);
    }

    static JobReply of(JobStore.Job j, List<JobStore.Task> tasks, List<PartyView> parties) {
      return new JobReply(
          j.jobId(),
          j.state(),
          j.role(),
          j.initiator(),
          j.error(),
          j.createdAt(),
          j.startedAt(),
          j.endedAt(),
          tasks,
          parties);
    }
  }

  /** The latest jobs. */
  public record Jobs(List<JobReply> jobs) {}

  /** A submitted job: its id, FATE's model id and version, and the time validation took. */
  public record Submitted(String jobId, String modelId, String modelVersion, long submitMs) {}

  /** A job stopped at every party. */
  public record Stopped(String jobId, boolean stopped, State state) {}

  /** A job deleted at every party. */
  public record Deleted(String jobId, List<Integer> parties) {}

  /** A job running again from a component. */
  public record Rerun(String jobId, String rerunFrom) {}

  /** A job's metrics at every party. */
  public record Metrics(String jobId, List<JobStore.Metric> metrics) {}

  /** A party's log of a job. */
  public record Log(int partyId, List<String> lines) {}

  /** What a party received in a job ({@code federa audit}). */
  public record Audit(String jobId, int partyId, List<AuditRow> received) {}

  /** The first rows of a component's output table, and its size. */
  public record OutputData(
      String table, int total, List<String> columns, List<List<Object>> rows) {}

  /** The registered model parts. */
  public record Models(List<ModelPart> models) {}

  /** A model version marked deployed. */
  public record Deployed(String modelId, String modelVersion, boolean deployed) {}
}
