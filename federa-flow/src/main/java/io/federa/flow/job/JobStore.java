package io.federa.flow.job;

import io.federa.flow.store.MetadataStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Jobs, their tasks (one per component and party) and metrics, in the node's metadata store
 * (registered models are the {@link ModelStore}'s). At the initiator the tasks of every party are
 * kept (each party reports its own); elsewhere a node keeps its own.
 */
public final class JobStore {
  private final MetadataStore meta;

  public JobStore(MetadataStore meta) {
    this.meta = meta;
  }

  /** A job as this node knows it. */
  public record Job(
      String jobId,
      String role,
      int initiator,
      State state,
      String dsl,
      String conf,
      String error,
      String createdAt,
      String startedAt,
      String endedAt) {}

  /** One component of a job at one party. */
  public record Task(
      String jobId,
      String component,
      int partyId,
      String role,
      State state,
      int attempt,
      double progress,
      String error,
      String startedAt,
      String endedAt) {}

  /** One value of a metric (a loss at an iteration; a final AUC at step 0). */
  public record Metric(String component, int partyId, String name, int step, double value) {}

  public void createJob(String jobId, String role, int initiator, String dsl, String conf) {
    meta.transaction(
        "record job " + jobId,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO jobs (job_id, role, initiator, state, dsl, conf, created_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, jobId);
            s.setString(2, role);
            s.setInt(3, initiator);
            s.setString(4, State.WAITING.name());
            s.setString(5, dsl);
            s.setString(6, conf);
            s.setString(7, Instant.now().toString());
            s.executeUpdate();
          }
          return null;
        });
  }

  public Optional<Job> job(String jobId) {
    List<Job> found = jobs("SELECT * FROM jobs WHERE job_id = ?", jobId);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** The latest jobs first. */
  public List<Job> jobs(int limit) {
    List<Job> all = jobs("SELECT * FROM jobs ORDER BY created_at DESC");
    return all.subList(0, Math.min(limit, all.size()));
  }

  /** Jobs this node has not finished (to resume after a restart). */
  public List<Job> unfinished() {
    return jobs(
        "SELECT * FROM jobs WHERE state IN ('WAITING', 'RUNNING') ORDER BY created_at", null);
  }

  /**
   * Sets a job's state (and error); start and end times follow the state, and a job that failed or
   * was stopped ends its tasks that never started.
   */
  public void setJobState(String jobId, State state, String error) {
    meta.transaction(
        "update job " + jobId,
        c -> {
          String now = Instant.now().toString();
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE jobs SET state = ?, error = ?,"
                      + " started_at = CASE WHEN ? = 'RUNNING' AND started_at IS NULL THEN ?"
                      + " ELSE started_at END,"
                      + " ended_at = CASE WHEN ? IN ('SUCCESS', 'FAILED', 'CANCELED') THEN ?"
                      + " ELSE NULL END"
                      + " WHERE job_id = ?")) {
            s.setString(1, state.name());
            s.setString(2, error);
            s.setString(3, state.name());
            s.setString(4, now);
            s.setString(5, state.name());
            s.setString(6, now);
            s.setString(7, jobId);
            s.executeUpdate();
          }
          if (state == State.FAILED || state == State.CANCELED) {
            // tasks that never started will not: they end with the job, saying so
            try (PreparedStatement t =
                c.prepareStatement(
                    "UPDATE tasks SET state = 'CANCELED', error = ?, ended_at = ?"
                        + " WHERE job_id = ? AND state = 'WAITING'")) {
              t.setString(1, "not run: the job " + state.wire());
              t.setString(2, now);
              t.setString(3, jobId);
              t.executeUpdate();
            }
          }
          return null;
        });
  }

  /** Records a task's state (inserting it the first time). */
  public void putTask(Task t) {
    putTasks(List.of(t));
  }

  /** Records several tasks' states in one transaction. */
  public void putTasks(List<Task> tasks) {
    meta.transaction(
        "record tasks",
        c -> {
          for (Task t : tasks) {
            putTask(c, t);
          }
          return null;
        });
  }

  private static void putTask(java.sql.Connection c, Task t) throws SQLException {
    int n;
    try (PreparedStatement u =
        c.prepareStatement(
            "UPDATE tasks SET role = ?, state = ?, attempt = ?, progress = ?, error = ?,"
                + " started_at = ?, ended_at = ?"
                + " WHERE job_id = ? AND component = ? AND party_id = ?")) {
      bindTask(u, t, 1);
      u.setString(8, t.jobId());
      u.setString(9, t.component());
      u.setInt(10, t.partyId());
      n = u.executeUpdate();
    }
    if (n == 0) {
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO tasks (role, state, attempt, progress, error, started_at,"
                  + " ended_at, job_id, component, party_id)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        bindTask(s, t, 1);
        s.setString(8, t.jobId());
        s.setString(9, t.component());
        s.setInt(10, t.partyId());
        s.executeUpdate();
      }
    }
  }

  private static void bindTask(PreparedStatement s, Task t, int from) throws SQLException {
    s.setString(from, t.role());
    s.setString(from + 1, t.state().name());
    s.setInt(from + 2, t.attempt());
    s.setDouble(from + 3, t.progress());
    s.setString(from + 4, t.error());
    s.setString(from + 5, t.startedAt());
    s.setString(from + 6, t.endedAt());
  }

  public List<Task> tasks(String jobId) {
    return meta.transaction(
        "read the tasks of " + jobId,
        c -> {
          List<Task> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement("SELECT * FROM tasks WHERE job_id = ? ORDER BY party_id")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(
                    new Task(
                        r.getString("job_id"),
                        r.getString("component"),
                        r.getInt("party_id"),
                        r.getString("role"),
                        State.valueOf(r.getString("state")),
                        r.getInt("attempt"),
                        r.getDouble("progress"),
                        r.getString("error"),
                        r.getString("started_at"),
                        r.getString("ended_at")));
              }
            }
          }
          return out;
        });
  }

  /** Records metric values (a repeated step replaces the earlier value). */
  public void addMetrics(String jobId, List<Metric> values) {
    if (values.isEmpty()) {
      return;
    }
    meta.transaction(
        "record metrics of " + jobId,
        c -> {
          for (Metric m : values) {
            try (PreparedStatement d =
                c.prepareStatement(
                    "DELETE FROM metrics WHERE job_id = ? AND component = ? AND party_id = ?"
                        + " AND name = ? AND step = ?")) {
              bindMetricKey(d, jobId, m);
              d.executeUpdate();
            }
            try (PreparedStatement s =
                c.prepareStatement(
                    "INSERT INTO metrics (job_id, component, party_id, name, step, value)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
              bindMetricKey(s, jobId, m);
              s.setDouble(6, m.value());
              s.executeUpdate();
            }
          }
          return null;
        });
  }

  private static void bindMetricKey(PreparedStatement s, String jobId, Metric m)
      throws SQLException {
    s.setString(1, jobId);
    s.setString(2, m.component());
    s.setInt(3, m.partyId());
    s.setString(4, m.name());
    s.setInt(5, m.step());
  }

  /** The metrics of a job ({@code component} null: all), by component, party, name and step. */
  public List<Metric> metrics(String jobId, String component) {
    return meta.transaction(
        "read the metrics of " + jobId,
        c -> {
          List<Metric> out = new ArrayList<>();
          String sql =
              "SELECT * FROM metrics WHERE job_id = ?"
                  + (component == null ? "" : " AND component = ?")
                  + " ORDER BY component, party_id, name, step";
          try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, jobId);
            if (component != null) {
              s.setString(2, component);
            }
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(
                    new Metric(
                        r.getString("component"),
                        r.getInt("party_id"),
                        r.getString("name"),
                        r.getInt("step"),
                        r.getDouble("value")));
              }
            }
          }
          return out;
        });
  }

  /** Jobs that ended before {@code cutoff} (retention). */
  public List<Job> endedBefore(Instant cutoff) {
    return jobs("SELECT * FROM jobs WHERE ended_at IS NOT NULL ORDER BY created_at").stream()
        .filter(j -> Instant.parse(j.endedAt()).isBefore(cutoff))
        .toList();
  }

  /** Removes a job, its tasks and its metrics (the job is deleted). */
  public void deleteJob(String jobId) {
    meta.transaction(
        "delete job " + jobId,
        c -> {
          for (String table : List.of("metrics", "tasks", "jobs")) {
            try (PreparedStatement d =
                c.prepareStatement("DELETE FROM " + table + " WHERE job_id = ?")) {
              d.setString(1, jobId);
              d.executeUpdate();
            }
          }
          return null;
        });
  }

  /** Removes the metrics of the given components (before they run again). */
  public void clearMetrics(String jobId, List<String> components) {
    meta.transaction(
        "clear metrics of " + jobId,
        c -> {
          for (String component : components) {
            try (PreparedStatement d =
                c.prepareStatement("DELETE FROM metrics WHERE job_id = ? AND component = ?")) {
              d.setString(1, jobId);
              d.setString(2, component);
              d.executeUpdate();
            }
          }
          return null;
        });
  }

  private List<Job> jobs(String sql, String arg) {
    return meta.transaction(
        "read jobs",
        c -> {
          List<Job> out = new ArrayList<>();
          try (PreparedStatement s = c.prepareStatement(sql)) {
            if (arg != null) {
              s.setString(1, arg);
            }
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(job(r));
              }
            }
          }
          return out;
        });
  }

  private List<Job> jobs(String sql) {
    return jobs(sql, null);
  }

  private static Job job(ResultSet r) throws SQLException {
    return new Job(
        r.getString("job_id"),
        r.getString("role"),
        r.getInt("initiator"),
        State.valueOf(r.getString("state")),
        r.getString("dsl"),
        r.getString("conf"),
        r.getString("error"),
        r.getString("created_at"),
        r.getString("started_at"),
        r.getString("ended_at"));
  }
}
