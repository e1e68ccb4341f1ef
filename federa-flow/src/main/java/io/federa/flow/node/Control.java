package io.federa.flow.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.Names;
import io.federa.flow.job.State;
import java.util.List;

/**
 * The control calls flow nodes make to each other over the federation's unary call: one typed
 * {@link ControlService} per call, with a record for its request and for its reply. Both sides name
 * the same constant; the bodies are encoded by {@link io.federa.core.json.Json} only ({@link
 * ControlChannel}).
 */
final class Control {
  private Control() {}

  /** A request about one job. */
  record JobRef(String jobId) {
    JobRef {
      Names.require("job id", jobId);
    }
  }

  /** The initiator sends a job to a party, which checks it and accepts or refuses. */
  record CreateJob(String jobId, JsonNode dsl, JsonNode conf) {
    CreateJob {
      Names.require("job id", jobId);
    }
  }

  /** The initiator starts a party's run, from a component (all when null) and attempt. */
  record StartJob(String jobId, String from, int attempt, boolean resume) {
    StartJob {
      Names.require("job id", jobId);
      if (from != null) {
        Names.require("component", from);
      }
    }
  }

  /** A metric value of a component. */
  record MetricValue(String component, String name, int step, double value) {}

  /** A party's task state, reported to the initiator with the metrics since its last report. */
  record TaskStatus(
      String jobId,
      String component,
      String role,
      State state,
      int attempt,
      double progress,
      String error,
      List<MetricValue> metrics) {
    TaskStatus {
      Names.require("job id", jobId);
      Names.require("component", component);
      metrics = List.copyOf(metrics);
    }
  }

  /** A restarted party asks the initiator to run its interrupted component again. */
  record Restarted(String jobId, String component) {
    Restarted {
      Names.require("job id", jobId);
      Names.require("component", component);
    }
  }

  /** A party's sign of life in a job it runs, with the step it is at. */
  record Heartbeat(String jobId, String step) {
    Heartbeat {
      Names.require("job id", jobId);
      step = step == null ? "" : step.substring(0, Math.min(step.length(), 200));
    }
  }

  /** Yes or no. */
  record Answer(boolean ok) {}

  /** A job's log lines at a party. */
  record LogLines(List<String> lines) {}

  /** A party's privacy transcript of a job. */
  record Audit(List<AuditRow> rows) {}

  static final ControlService<Heartbeat, Answer> HEARTBEAT =
      new ControlService<>("flow.heartbeat", Heartbeat.class, Answer.class);
  static final ControlService<CreateJob, Answer> CREATE =
      new ControlService<>("flow.create", CreateJob.class, Answer.class);
  static final ControlService<JobRef, Answer> RESERVE =
      new ControlService<>("flow.reserve", JobRef.class, Answer.class);
  static final ControlService<JobRef, Answer> RELEASE =
      new ControlService<>("flow.release", JobRef.class, Answer.class);
  static final ControlService<StartJob, Answer> START =
      new ControlService<>("flow.start", StartJob.class, Answer.class);
  static final ControlService<TaskStatus, Answer> STATUS =
      new ControlService<>("flow.status", TaskStatus.class, Answer.class);
  static final ControlService<JobRef, Answer> STOP =
      new ControlService<>("flow.stop", JobRef.class, Answer.class);
  static final ControlService<Restarted, Answer> RESTARTED =
      new ControlService<>("flow.restarted", Restarted.class, Answer.class);
  static final ControlService<JobRef, LogLines> LOG =
      new ControlService<>("flow.log", JobRef.class, LogLines.class);
  static final ControlService<JobRef, Audit> AUDIT =
      new ControlService<>("flow.audit", JobRef.class, Audit.class);
  static final ControlService<JobRef, Answer> DELETE =
      new ControlService<>("flow.delete", JobRef.class, Answer.class);
}
