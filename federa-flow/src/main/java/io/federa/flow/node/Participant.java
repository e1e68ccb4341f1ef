package io.federa.flow.node;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.Federation;
import io.federa.flow.dsl.JobValidator;
import io.federa.flow.dsl.ValidatedJob;
import io.federa.flow.job.JobStore;
import io.federa.flow.job.State;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A party's side of every job it takes part in (the initiator's node is a participant too): it
 * checks and records jobs it is sent, holds job slots, runs its part when the initiator says so,
 * reports its tasks to the initiator, and answers for its own logs and transcript.
 */
final class Participant implements JobRun.Listener, Coordinator.LocalRuns {
  private static final Logger LOG = LoggerFactory.getLogger(Participant.class);
  private static final long RESERVATION_NANOS = 60_000_000_000L;

  private final int self;
  private final ControlChannel channel;
  private final Jobs jobs;
  private final JobLogs logs;
  private final Admission admission;
  private final Federation federation;
  private final JobRun.Environment env;
  private final ExecutorService pool;
  private final int jobSlots;

  /** Jobs holding a slot without running yet, with the time (a reservation expires in a minute). */
  private final Map<String, Long> reserved = new ConcurrentHashMap<>();

  private final Map<String, JobRun> runs = new ConcurrentHashMap<>();

  private final StatusReporter reporter;
  private final JobCleaner cleaner;

  Participant(
      ControlChannel channel,
      Jobs jobs,
      JobLogs logs,
      Admission admission,
      Federation federation,
      JobRun.Environment env,
      ExecutorService pool,
      int jobSlots,
      java.time.Duration heartbeat,
      java.nio.file.Path reports) {
    this.self = channel.self();
    this.channel = channel;
    this.reporter = new StatusReporter(channel, reports, this::heartbeats, heartbeat);
    this.jobs = jobs;
    this.logs = logs;
    this.admission = admission;
    this.federation = federation;
    this.env = env;
    this.pool = pool;
    this.jobSlots = jobSlots;
    this.cleaner = new JobCleaner(jobs, logs, env.tables(), federation, env.checkpoints());
    channel.serve(Control.CREATE, this::onCreate);
    channel.serve(Control.RESERVE, this::onReserve);
    channel.serve(Control.RELEASE, this::onRelease);
    channel.serve(Control.START, this::onStart);
    channel.serve(Control.STOP, this::onStop);
    channel.serve(Control.LOG, this::onLog);
    channel.serve(Control.AUDIT, this::onAudit);
    channel.serve(Control.DELETE, this::onDelete);
  }

  /** A party checks a job before it is started: its role, its tables. */
  private Control.Answer onCreate(int from, Control.CreateJob req) {
    ValidatedJob job = JobValidator.validate(req.dsl(), req.conf());
    if (job.initiatorParty() != from) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              "party "
                  + from
                  + " sent job "
                  + req.jobId()
                  + " but its conf names party "
                  + job.initiatorParty()
                  + " as initiator")
          .shareable();
    }
    admission.check(job);
    jobs.create(req.jobId(), job, from);
    logs.append(req.jobId(), "accepted job from party " + from);
    return new Control.Answer(true);
  }

  private synchronized Control.Answer onReserve(int from, Control.JobRef req) {
    long now = System.nanoTime();
    reserved.values().removeIf(at -> now - at > RESERVATION_NANOS);
    Set<String> holding = new HashSet<>(reserved.keySet());
    holding.addAll(runs.keySet());
    boolean ok = holding.contains(req.jobId()) || holding.size() < jobSlots;
    if (ok && !runs.containsKey(req.jobId())) {
      reserved.put(req.jobId(), now);
    }
    return new Control.Answer(ok);
  }

  private synchronized Control.Answer onRelease(int from, Control.JobRef req) {
    reserved.remove(req.jobId());
    return new Control.Answer(true);
  }

  private Control.Answer onStart(int from, Control.StartJob req) {
    JobStore.Job job = jobs.require(req.jobId());
    Jobs.requireInitiator(job, from, "start it");
    ValidatedJob v = jobs.typed(job);
    JobRun run =
        new JobRun(
            env, this, req.jobId(), v, v.roleOf(self), req.from(), req.attempt(), !req.resume());
    JobRun earlier;
    synchronized (this) {
      reserved.remove(req.jobId()); // the reservation becomes the running job's slot
      earlier = runs.put(req.jobId(), run);
    }
    if (earlier != null) {
      earlier.cancel();
    }
    run.ended().whenComplete((state, e) -> runs.remove(run.jobId(), run));
    pool.execute(run::start);
    return new Control.Answer(true);
  }

  private Control.Answer onStop(int from, Control.JobRef req) {
    var job = jobs.store().job(req.jobId());
    if (job.isEmpty()) {
      return new Control.Answer(false);
    }
    Jobs.requireInitiator(job.get(), from, "stop it");
    cancel(req.jobId());
    if (!job.get().state().ended()) {
      jobs.store().setJobState(req.jobId(), State.CANCELED, "stopped by the initiator");
    }
    return new Control.Answer(true);
  }

  /** The initiator deletes the job everywhere; a job this party does not have is already gone. */
  private Control.Answer onDelete(int from, Control.JobRef req) {
    var job = jobs.store().job(req.jobId());
    if (job.isEmpty()) {
      return new Control.Answer(false);
    }
    Jobs.requireInitiator(job.get(), from, "delete it");
    erase(req.jobId());
    return new Control.Answer(true);
  }

  /**
   * Removes what this party holds of a job ({@link JobCleaner}); refused while its part of the job
   * runs here.
   */
  @Override
  public void erase(String jobId) {
    synchronized (this) {
      if (runs.containsKey(jobId) || reserved.containsKey(jobId)) {
        throw new FederaException(
                ErrorCode.INVALID_ARGUMENT,
                "job "
                    + jobId
                    + " is running at party "
                    + self
                    + "; stop it first ('federa stop --job "
                    + jobId
                    + "')")
            .shareable();
      }
    }
    reporter.forget(jobId);
    cleaner.erase(jobId);
    logs.delete(jobId); // a line a late report appended meanwhile
    LOG.info("job {}: deleted at this party", jobId);
  }

  /** Deletes this party's jobs that ended more than {@code keep} ago, now and once an hour. */
  void retain(java.time.Duration keep) {
    cleaner.retain(keep, this::erase);
  }

  /** One retention sweep at {@code now} (tests); returns how many jobs were deleted. */
  int sweep(java.time.Instant now, java.time.Duration keep) {
    return cleaner.sweep(now, keep, this::erase);
  }

  private Control.LogLines onLog(int from, Control.JobRef req) {
    Jobs.requireInitiator(jobs.require(req.jobId()), from, "read its log");
    return new Control.LogLines(logs.read(req.jobId(), true));
  }

  private Control.Audit onAudit(int from, Control.JobRef req) {
    Jobs.requireInitiator(jobs.require(req.jobId()), from, "read its transcript");
    return new Control.Audit(audit(req.jobId()));
  }

  /** What this party received in a job, summed ({@code federa audit}). */
  List<AuditRow> audit(String jobId) {
    return AuditRow.summarize(federation.transcript(jobId));
  }

  /**
   * Picks up the jobs a previous run of this node left unfinished: each asks its initiator to run
   * the interrupted component again, at every party, from where it stopped.
   */
  void resumeUnfinished() {
    for (JobStore.Job job : jobs.store().unfinished()) {
      List<JobStore.Task> own =
          jobs.store().tasks(job.jobId()).stream().filter(t -> t.partyId() == self).toList();
      String from = null;
      for (String c : jobs.typed(job).order()) {
        var t = own.stream().filter(x -> x.component().equals(c)).findFirst();
        if (t.isEmpty() || t.get().state() != State.SUCCESS) {
          from = c;
          break;
        }
      }
      if (from == null) {
        continue;
      }
      var restarted = new Control.Restarted(job.jobId(), from);
      logs.append(job.jobId(), "node restarted: asking to resume from " + from);
      pool.execute(
          () -> {
            try {
              channel.ask(job.initiator(), Control.RESTARTED, restarted);
            } catch (RuntimeException e) {
              LOG.warn("cannot resume job {}: {}", job.jobId(), e.getMessage());
            }
          });
      LOG.info("job {}: resuming from {}", job.jobId(), from);
    }
  }

  // ---------------------------------------------------------------- what this party's runs report

  /** Records a task state and reports it to the initiator (which records it, at the initiator). */
  @Override
  public void taskChanged(Control.TaskStatus status) {
    JobStore.Job job = jobs.require(status.jobId());
    // the report is stored for delivery first: a node killed between the two steps has a report
    // newer than its record (sent after the restart), never a record its initiator cannot learn
    reporter.report(job.initiator(), status);
    if (job.initiator() != self) {
      jobs.record(self, status);
    }
  }

  /**
   * This party's run changed state. Elsewhere the job's state is this party's; at the initiator it
   * follows every party's tasks ({@link Coordinator}).
   */
  @Override
  public void runChanged(JobRun run, State state, String error) {
    if (runs.get(run.jobId()) != run) {
      return; // an earlier run, replaced by a rerun: it no longer speaks for the job
    }
    JobStore.Job job = jobs.require(run.jobId());
    if (job.initiator() != self) {
      if (!(job.state() == State.CANCELED && state != State.RUNNING)) {
        jobs.store().setJobState(run.jobId(), state, error);
      }
    } else if (state == State.RUNNING && job.state() == State.WAITING) {
      jobs.store().setJobState(run.jobId(), State.RUNNING, null);
    }
    if (state == State.SUCCESS) {
      // every message of this party's part was taken and every one it sent acknowledged: the
      // stored messages go (their de-duplication marks stay); the transcript stays for 'audit'
      federation.forget(run.jobId());
    }
  }

  @Override
  public void localMetrics(String jobId, List<Control.MetricValue> values) {
    jobs.store()
        .addMetrics(
            jobId,
            values.stream()
                .map(m -> new JobStore.Metric(m.component(), self, m.name(), m.step(), m.value()))
                .toList());
  }

  @Override
  public void log(String jobId, String line) {
    logs.append(jobId, line);
  }

  // ---------------------------------------------------------------- the initiator's hold on runs

  @Override
  public void cancel(String jobId) {
    JobRun run = runs.get(jobId);
    if (run != null) {
      run.cancel();
    }
  }

  /** Waits until this party's run of the job has ended (at most 30 s: a stuck component). */
  @Override
  public void awaitEnd(String jobId) {
    JobRun run = runs.get(jobId);
    if (run == null) {
      return;
    }
    try {
      run.ended().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("job {}: the run did not end in 30 s: {}", jobId, e.toString());
    }
  }

  /** A heartbeat for each job this party runs for another initiator. */
  private List<StatusReporter.Beat> heartbeats() {
    List<StatusReporter.Beat> beats = new ArrayList<>();
    for (JobRun run : runs.values()) {
      if (run.initiator() != self && !run.ended().isDone()) {
        beats.add(
            new StatusReporter.Beat(
                run.initiator(), new Control.Heartbeat(run.jobId(), run.step())));
      }
    }
    return beats;
  }

  void close() {
    runs.values().forEach(JobRun::cancel);
    reporter.close();
    cleaner.close();
  }
}
