package io.federa.flow.node;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.json.Json;
import io.federa.flow.dsl.JobValidator;
import io.federa.flow.dsl.ValidatedJob;
import io.federa.flow.job.JobStore;
import io.federa.flow.job.State;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's jobs: the metadata store's records, each with its typed job. A job's DSL and conf are
 * validated once, when it is submitted or received ({@link #create}); a job read back from the
 * store after a restart is validated once more, then kept.
 */
final class Jobs {
  private final int self;
  private final JobStore store;
  private final Map<String, ValidatedJob> typed = new ConcurrentHashMap<>();

  Jobs(int self, JobStore store) {
    this.self = self;
    this.store = store;
  }

  JobStore store() {
    return store;
  }

  /** Records a job this node takes part in (once; a second create of the same id is ignored). */
  void create(String jobId, ValidatedJob job, int initiator) {
    typed.put(jobId, job);
    if (store.job(jobId).isEmpty()) {
      store.createJob(
          jobId, job.roleOf(self), initiator, job.dsl().toString(), job.conf().toString());
    }
  }

  /** Removes a job's records here (the job is deleted). */
  void forget(String jobId) {
    store.deleteJob(jobId);
    typed.remove(jobId);
  }

  JobStore.Job require(String jobId) {
    return store
        .job(io.federa.core.Names.require("job id", jobId))
        .orElseThrow(
            () ->
                new FederaException(
                        ErrorCode.NOT_FOUND,
                        "no job " + jobId + " at party " + self + "; 'federa job list' shows them")
                    .shareable());
  }

  ValidatedJob typed(JobStore.Job job) {
    return typed.computeIfAbsent(
        job.jobId(),
        id ->
            JobValidator.validate(
                Json.tree(job.dsl().getBytes(), "stored job " + id + "'s DSL"),
                Json.tree(job.conf().getBytes(), "stored job " + id + "'s conf")));
  }

  /** Refuses a request about {@code job} from anyone but its initiator. */
  static void requireInitiator(JobStore.Job job, int from, String what) {
    if (job.initiator() != from) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              "only job "
                  + job.jobId()
                  + "'s initiator may "
                  + what
                  + " (asked by party "
                  + from
                  + ")")
          .shareable();
    }
  }

  /**
   * Records {@code party}'s task state and its metrics; returns false for a late report of an
   * earlier attempt, which is dropped.
   */
  boolean record(int party, Control.TaskStatus s) {
    JobStore.Task old =
        store.tasks(s.jobId()).stream()
            .filter(t -> t.partyId() == party && t.component().equals(s.component()))
            .findFirst()
            .orElse(null);
    if (old != null && old.attempt() > s.attempt()) {
      return false;
    }
    String now = Instant.now().toString();
    String started =
        old != null && old.startedAt() != null && old.attempt() == s.attempt()
            ? old.startedAt()
            : (s.state() == State.WAITING ? null : now);
    store.putTask(
        new JobStore.Task(
            s.jobId(),
            s.component(),
            party,
            s.role(),
            s.state(),
            s.attempt(),
            s.progress(),
            s.error(),
            started,
            s.state().ended() ? now : null));
    store.addMetrics(
        s.jobId(),
        s.metrics().stream()
            .map(m -> new JobStore.Metric(m.component(), party, m.name(), m.step(), m.value()))
            .toList());
    return true;
  }
}
