package io.federa.flow.node;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.flow.dsl.ValidatedJob;
import io.federa.flow.job.JobStore;
import io.federa.flow.job.State;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The initiator's side of a job: it checks and records the job, sends it to every party (each
 * accepts or refuses), reserves a slot at every party and starts them, follows every party's task
 * reports into the job's state, and stops, reruns or resumes the job everywhere.
 */
final class Coordinator {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
  private static final DateTimeFormatter JOB_ID =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);

  /** This node's own runs, which the initiator stops and waits for before a rerun. */
  interface LocalRuns {
    void cancel(String jobId);

    void awaitEnd(String jobId);

    void erase(String jobId);
  }

  private final int self;
  private final ControlChannel channel;
  private final Jobs jobs;
  private final JobLogs logs;
  private final Admission admission;
  private final LocalRuns local;
  private final ExecutorService pool;
  private final Watchdog watchdog;
  private final SecureRandom random = new SecureRandom();

  Coordinator(
      ControlChannel channel,
      Jobs jobs,
      JobLogs logs,
      Admission admission,
      LocalRuns local,
      ExecutorService pool,
      Watchdog.Settings watch) {
    this.self = channel.self();
    this.channel = channel;
    this.jobs = jobs;
    this.logs = logs;
    this.admission = admission;
    this.local = local;
    this.pool = pool;
    channel.serve(Control.STATUS, this::onStatus);
    channel.serve(Control.RESTARTED, this::onRestarted);
    this.watchdog = new Watchdog(channel, jobs, logs, watch, this::giveUp);
  }

  void close() {
    watchdog.close();
  }

  /** The parties of a running job this node initiated, as its watchdog last saw them. */
  List<PartyView> parties(String jobId) {
    return watchdog.view(jobId);
  }

  /** The watchdog's verdict: a party stayed silent too long; the job fails naming it. */
  private synchronized void giveUp(String jobId, String why) {
    JobStore.Job job = jobs.require(jobId);
    if (!job.state().ended()) {
      fail(job, why);
    }
  }

  /** Fails a job with its cause and stops it at every party. */
  private void fail(JobStore.Job job, String why) {
    String jobId = job.jobId();
    jobs.store().setJobState(jobId, State.FAILED, why);
    logs.append(jobId, "failed: " + why);
    pool.execute(
        () -> {
          local.cancel(jobId);
          broadcastStop(jobId, others(jobs.typed(job)));
        });
  }

  /**
   * Validates and records a job at its initiator (this node) and returns its id at once; sending it
   * to the parties, their answers and the run follow in the background.
   */
  String submit(ValidatedJob job) {
    if (job.initiatorParty() != self) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              "conf.initiator.party_id is "
                  + job.initiatorParty()
                  + " but this is party "
                  + self
                  + "'s node; submit the job at the initiator's node")
          .shareable();
    }
    String jobId = JOB_ID.format(Instant.now()) + String.format("%03d", random.nextInt(1000));
    jobs.create(jobId, job, self);
    List<JobStore.Task> tasks = new ArrayList<>();
    for (var e : job.roles().entrySet()) {
      for (int party : e.getValue()) {
        for (String c : job.order()) {
          tasks.add(
              new JobStore.Task(
                  jobId, c, party, e.getKey(), State.WAITING, 0, 0, null, null, null));
        }
      }
    }
    jobs.store().putTasks(tasks);
    logs.append(
        jobId, "submitted by party " + self + " with " + job.order().size() + " components");
    pool.execute(() -> distribute(jobId, job));
    return jobId;
  }

  /** Sends the job to every party; if all accept, starts it everywhere. */
  private void distribute(String jobId, ValidatedJob job) {
    var create = new Control.CreateJob(jobId, job.dsl(), job.conf());
    List<Integer> others = others(job);
    try {
      admission.check(job);
      for (int party : others) {
        channel.ask(party, Control.CREATE, create);
        logs.append(jobId, "party " + party + " accepted the job");
      }
    } catch (RuntimeException e) {
      String why = JobRun.message(e);
      logs.append(jobId, "refused: " + why);
      jobs.store().setJobState(jobId, State.FAILED, why);
      broadcastStop(jobId, others);
      return;
    }
    startEverywhere(jobId, job, new Control.StartJob(jobId, null, 0, false));
  }

  /**
   * Reserves a job slot at every party, all or none: a party whose slots are taken says no, the
   * reservations made are released and the job waits (in state waiting) and tries again after a
   * random pause. So two initiators can never each hold one party's slot while waiting for the
   * other's (each node runs at most {@code max_jobs} jobs).
   */
  private boolean reserveEverywhere(String jobId, ValidatedJob job) {
    var ref = new Control.JobRef(jobId);
    long pause = 200;
    boolean told = false;
    while (true) {
      JobStore.Job now = jobs.store().job(jobId).orElse(null);
      if (now == null || now.state().ended()) {
        return false;
      }
      List<Integer> held = new ArrayList<>();
      for (int party : job.parties()) {
        boolean ok;
        try {
          ok = channel.ask(party, Control.RESERVE, ref).ok();
        } catch (RuntimeException e) {
          ok = false;
        }
        if (!ok) {
          break;
        }
        held.add(party);
      }
      if (held.size() == job.parties().size()) {
        return true;
      }
      for (int party : held) {
        try {
          channel.ask(party, Control.RELEASE, ref);
        } catch (RuntimeException e) {
          LOG.warn("job {}: cannot release its slot at party {}", jobId, party);
        }
      }
      if (!told) {
        logs.append(jobId, "queued: a party's job slots are all taken");
        told = true;
      }
      try {
        Thread.sleep(pause + random.nextInt((int) pause));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      pause = Math.min(pause * 2, 3000);
    }
  }

  private void startEverywhere(String jobId, ValidatedJob job, Control.StartJob start) {
    if (!reserveEverywhere(jobId, job)) {
      return;
    }
    watchdog.started(jobId, job.parties());
    for (int party : job.parties()) {
      try {
        channel.ask(party, Control.START, start);
      } catch (RuntimeException e) {
        String why = "party " + party + " could not start: " + JobRun.message(e);
        logs.append(jobId, why);
        jobs.store().setJobState(jobId, State.FAILED, why);
        stop(jobId);
        return;
      }
    }
  }

  /**
   * Stops a job at every party (a job that already ended keeps its state, and any task still
   * running anywhere is stopped too); returns whether the job was still running.
   */
  boolean stop(String jobId) {
    JobStore.Job job = requireOwn(jobId, "stop");
    boolean running = !job.state().ended();
    if (running) {
      jobs.store().setJobState(jobId, State.CANCELED, "stopped by the initiator");
    }
    local.cancel(jobId);
    broadcastStop(jobId, others(jobs.typed(job)));
    return running;
  }

  /**
   * Runs a job again at every party from {@code component} (and everything after it); the
   * components before it keep their outputs. With {@code resume} the components continue from their
   * last checkpoint common to every party (after a node restart) instead of from the start.
   */
  void rerun(String jobId, String component, boolean resume) {
    JobStore.Job job = requireOwn(jobId, "rerun");
    ValidatedJob v = jobs.typed(job);
    if (!v.order().contains(component)) {
      throw new FederaException(
              ErrorCode.NOT_FOUND,
              "job " + jobId + " has no component '" + component + "'; it has " + v.order())
          .shareable();
    }
    JobStore store = jobs.store();
    int attempt = store.tasks(jobId).stream().mapToInt(JobStore.Task::attempt).max().orElse(0) + 1;
    List<String> again = new ArrayList<>(v.downstreamOf(component));
    store.clearMetrics(jobId, again);
    for (JobStore.Task t : store.tasks(jobId)) {
      if (again.contains(t.component())) {
        store.putTask(
            new JobStore.Task(
                jobId,
                t.component(),
                t.partyId(),
                t.role(),
                State.WAITING,
                attempt,
                0,
                null,
                null,
                null));
      }
    }
    store.setJobState(jobId, State.WAITING, null);
    logs.append(
        jobId,
        (resume ? "resume from " : "rerun from ")
            + component
            + " (attempt "
            + attempt
            + (resume ? ", from the last common checkpoint)" : ")"));
    pool.execute(
        () -> {
          broadcastStop(jobId, others(v));
          local.cancel(jobId);
          local.awaitEnd(jobId);
          startEverywhere(jobId, v, new Control.StartJob(jobId, component, attempt, resume));
        });
  }

  /** A party's task state (at the initiator), with the metrics since its last report. */
  private Control.Answer onStatus(int from, Control.TaskStatus status) {
    JobStore.Job job = jobs.require(status.jobId());
    if (job.initiator() != self) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT, "this node did not start " + status.jobId())
          .shareable();
    }
    watchdog.seen(
        status.jobId(),
        from,
        status.component()
            + " "
            + Math.round(100 * status.progress())
            + "% "
            + status.state().wire());
    if (jobs.record(from, status)) {
      settle(jobs.require(status.jobId()), from, status);
    }
    return new Control.Answer(true);
  }

  /** The job's state from its tasks'; the first failure stops every party. */
  private synchronized void settle(JobStore.Job job, int party, Control.TaskStatus status) {
    if (job.state().ended() && job.state() != State.SUCCESS) {
      return;
    }
    String jobId = job.jobId();
    if (status.state() == State.FAILED) {
      fail(job, "party " + party + ", component " + status.component() + ": " + status.error());
      return;
    }
    if (jobs.store().tasks(jobId).stream().allMatch(t -> t.state() == State.SUCCESS)) {
      jobs.store().setJobState(jobId, State.SUCCESS, null);
      logs.append(jobId, "succeeded at every party");
    } else if (status.state() == State.RUNNING && job.state() == State.WAITING) {
      jobs.store().setJobState(jobId, State.RUNNING, null);
    }
  }

  /** A party was restarted mid-job: every party runs the interrupted component again. */
  private Control.Answer onRestarted(int from, Control.Restarted req) {
    JobStore.Job job = jobs.require(req.jobId());
    if (job.initiator() != self || job.state().ended()) {
      return new Control.Answer(false);
    }
    logs.append(req.jobId(), "party " + from + " restarted; resuming from " + req.component());
    rerun(req.jobId(), req.component(), true);
    return new Control.Answer(true);
  }

  /**
   * Deletes an ended job at every party, this one last; a party that cannot be reached is named,
   * and the delete can be run again (what was deleted stays deleted). Returns the parties.
   */
  List<Integer> delete(String jobId) {
    JobStore.Job job = requireOwn(jobId, "delete");
    if (!job.state().ended()) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          String.format(
              "job %s is %s; stop it first ('federa stop --job %s')",
              jobId, job.state().wire(), jobId));
    }
    ValidatedJob v = jobs.typed(job);
    List<String> failed = new ArrayList<>();
    for (int p : others(v)) {
      try {
        channel.ask(p, Control.DELETE, new Control.JobRef(jobId));
      } catch (RuntimeException e) {
        failed.add("party " + p + " (" + e.getMessage() + ")");
      }
    }
    if (!failed.isEmpty()) {
      throw new FederaException(
          ErrorCode.IO_FAILURE,
          String.format(
              "job %s was not deleted at %s; run 'federa job delete --job %s' again once it is"
                  + " reachable (the parties that deleted it stay so)",
              jobId, String.join(", ", failed), jobId));
    }
    local.erase(jobId);
    return v.parties();
  }

  private void broadcastStop(String jobId, List<Integer> parties) {
    for (int p : parties) {
      try {
        channel.ask(p, Control.STOP, new Control.JobRef(jobId));
      } catch (RuntimeException e) {
        LOG.warn("job {}: cannot stop it at party {}: {}", jobId, p, e.getMessage());
      }
    }
  }

  private JobStore.Job requireOwn(String jobId, String what) {
    JobStore.Job job = jobs.require(jobId);
    if (job.initiator() != self) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              String.format(
                  "job %s was started by party %d; %s it there", jobId, job.initiator(), what))
          .shareable();
    }
    return job;
  }

  private List<Integer> others(ValidatedJob job) {
    return job.parties().stream().filter(p -> p != self).toList();
  }
}
