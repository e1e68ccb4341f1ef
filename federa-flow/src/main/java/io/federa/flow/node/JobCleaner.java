package io.federa.flow.node;

import io.federa.core.FederaException;
import io.federa.core.Names;
import io.federa.core.io.AtomicFiles;
import io.federa.federation.Federation;
import io.federa.flow.store.TableInfo;
import io.federa.flow.store.TableStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what this party holds of a job ({@code federa job delete}, and the node's retention): its
 * output tables, its log, its checkpoints, its stored messages and transcript, and its records
 * (tasks, metrics, the job itself, removed last, so that a delete interrupted half-way is completed
 * by the next). Model parts the job registered stay in the registry; a late replay of one of the
 * job's messages is still recognised and not delivered.
 *
 * <p>With a retention period, a sweeper deletes every job that ended longer ago, each party by its
 * own setting, once an hour (and at start).
 */
final class JobCleaner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobCleaner.class);

  private final Jobs jobs;
  private final JobLogs logs;
  private final TableStore tables;
  private final Federation federation;
  private final Path checkpoints;
  private ScheduledExecutorService sweeper;

  JobCleaner(Jobs jobs, JobLogs logs, TableStore tables, Federation federation, Path checkpoints) {
    this.jobs = jobs;
    this.logs = logs;
    this.tables = tables;
    this.federation = federation;
    this.checkpoints = checkpoints;
  }

  /** Removes what this party holds of {@code jobId}; a job it does not have is nothing to do. */
  void erase(String jobId) {
    Names.require("job id", jobId);
    String ns = ModelRegistry.outputNamespace(jobId);
    for (TableInfo t : tables.list(ns)) {
      tables.delete(ns, t.name());
    }
    logs.delete(jobId);
    AtomicFiles.deleteTree(Names.resolve(checkpoints, "job id", jobId, ""));
    federation.erase(jobId);
    jobs.forget(jobId);
  }

  /**
   * Deletes, through {@code erase}, every job that ended more than {@code keep} before {@code now};
   * returns how many. A job that cannot be deleted now (it runs again) is left for the next sweep.
   */
  int sweep(Instant now, Duration keep, Consumer<String> erase) {
    int n = 0;
    for (var job : jobs.store().endedBefore(now.minus(keep))) {
      try {
        erase.accept(job.jobId());
        n++;
        LOG.info(
            "job {}: deleted, ended {} (retention {} days)",
            job.jobId(),
            job.endedAt(),
            keep.toDays());
      } catch (FederaException e) {
        LOG.warn("job {}: not deleted by retention yet: {}", job.jobId(), e.getMessage());
      }
    }
    return n;
  }

  /** Runs {@link #sweep} at start and once an hour. */
  synchronized void retain(Duration keep, Consumer<String> erase) {
    sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "federa-retention");
              t.setDaemon(true);
              return t;
            });
    sweeper.scheduleWithFixedDelay(
        () -> {
          try {
            sweep(Instant.now(), keep, erase);
          } catch (RuntimeException e) {
            LOG.warn("the retention sweep failed: {}", e.toString());
          }
        },
        0,
        1,
        TimeUnit.HOURS);
  }

  @Override
  public synchronized void close() {
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
  }
}
