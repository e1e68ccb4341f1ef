package io.federa.flow.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.ErrorReport;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.flow.component.ComponentContext;
import io.federa.flow.component.Components;
import io.federa.flow.component.Outputs;
import io.federa.flow.component.Tracker;
import io.federa.flow.dsl.JobValidator;
import io.federa.flow.dsl.ValidatedJob;
import io.federa.flow.job.State;
import io.federa.flow.store.TableStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One party's run of a job: each component starts on the node's pool as soon as the components its
 * inputs name have finished (a future per component, composed along the DAG), so independent
 * components run at once. Components before {@code from} that already succeeded are not run again:
 * their stored outputs are loaded. The run tells its node what happens through {@link Listener}
 * only.
 */
final class JobRun {
  private static final Logger LOG = LoggerFactory.getLogger(JobRun.class);

  /** What the run reports to its node. */
  interface Listener {
    /** A task's state, progress and new metrics. */
    void taskChanged(Control.TaskStatus status);

    /** The run as a whole is running, or ended in {@code state}. */
    void runChanged(JobRun run, State state, String error);

    void log(String jobId, String line);

    /** Metrics this party keeps to itself ({@link Tracker#metricLocal}). */
    void localMetrics(String jobId, List<Control.MetricValue> values);
  }

  /** What the run's components use at this node. */
  record Environment(
      int self,
      Federation federation,
      TableStore tables,
      ComputingEngine engine,
      ModelRegistry registry,
      Path checkpoints,
      Executor pool) {
    Path checkpointDir(String jobId, String component) {
      return checkpoints.resolve(jobId).resolve(component);
    }
  }

  private final Environment env;
  private final Listener listener;
  private final String jobId;
  private final ValidatedJob job;
  private final String role;
  private final int index;
  private final PlayedRoles roles;
  private final int attempt;
  private final Set<String> toRun;

  /** Each role's outputs by component (one role for most parties). */
  private final Map<String, Map<String, Outputs>> outputs = new ConcurrentHashMap<>();

  private final Map<String, Thread> active = new ConcurrentHashMap<>();

  /** The threads of further roles' components (interrupted on a cancel). */
  private final Set<Thread> extra = ConcurrentHashMap.newKeySet();

  private final Map<String, TaskTracker> trackers = new ConcurrentHashMap<>();
  private final AtomicBoolean canceled = new AtomicBoolean();
  private final AtomicReference<String> firstFailure = new AtomicReference<>();
  private final CompletableFuture<State> ended = new CompletableFuture<>();

  JobRun(
      Environment env,
      Listener listener,
      String jobId,
      ValidatedJob job,
      String role,
      String from,
      int attempt,
      boolean fresh) {
    this.env = env;
    this.listener = listener;
    this.jobId = jobId;
    this.job = job;
    this.role = role;
    this.index = job.roles().get(role).indexOf(env.self());
    this.roles = new PlayedRoles(job, env.self());
    for (String r : roles.all()) {
      outputs.put(r, new ConcurrentHashMap<>());
    }
    this.attempt = attempt;
    this.toRun = from == null ? Set.copyOf(job.order()) : job.downstreamOf(from);
    if (fresh) {
      for (String c : toRun) {
        FileCheckpoints.clear(env.checkpointDir(jobId, c));
      }
    }
  }

  /** Where this run is: its running components with their progress (for heartbeats). */
  String step() {
    List<String> running = new ArrayList<>(active.keySet());
    if (running.isEmpty()) {
      return "between components";
    }
    java.util.Collections.sort(running);
    List<String> parts = new ArrayList<>();
    for (String c : running) {
      TaskTracker t = trackers.get(c);
      parts.add(c + " " + Math.round(100 * (t == null ? 0 : t.progress)) + "%");
    }
    return String.join(", ", parts);
  }

  /** The party that started this job. */
  int initiator() {
    return job.initiatorParty();
  }

  String jobId() {
    return jobId;
  }

  /** Completes with the run's final state once every started component has returned. */
  CompletableFuture<State> ended() {
    return ended;
  }

  void cancel() {
    canceled.set(true);
    synchronized (active) {
      active.values().forEach(Thread::interrupt);
      extra.forEach(Thread::interrupt);
    }
  }

  /** Starts the components whose inputs are ready; the rest follow as their inputs finish. */
  void start() {
    if (canceled.get()) {
      finish();
      return;
    }
    listener.runChanged(this, State.RUNNING, null);
    Map<String, CompletableFuture<Void>> done = new LinkedHashMap<>();
    try {
      for (String c : job.order()) {
        if (!toRun.contains(c)) {
          // the initiator recorded every task as waiting; a task is first reported when it runs
          for (String r : roles.all()) {
            outputs.get(r).put(c, env.registry().load(jobId, roles.stored(c, r)));
          }
          done.put(c, CompletableFuture.completedFuture(null));
        }
      }
    } catch (RuntimeException e) {
      // an earlier component's stored outputs cannot be read: nothing starts, the run fails
      LOG.warn(
          "job {}: cannot load earlier outputs at party {}: {}", jobId, env.self(), message(e));
      firstFailure.compareAndSet(null, "loading earlier outputs: " + reported(e));
      finish();
      return;
    }
    for (String c : job.order()) {
      if (toRun.contains(c)) {
        CompletableFuture<?>[] inputs =
            job.upstream().get(c).stream().map(done::get).toArray(CompletableFuture[]::new);
        done.put(
            c, CompletableFuture.allOf(inputs).thenRunAsync(() -> runComponent(c), env.pool()));
      }
    }
    CompletableFuture.allOf(done.values().toArray(CompletableFuture[]::new))
        .whenComplete((ok, e) -> finish());
  }

  private void finish() {
    State state;
    String error = null;
    if (canceled.get()) {
      state = State.CANCELED;
      error = "stopped";
    } else if (firstFailure.get() != null) {
      state = State.FAILED;
      error = firstFailure.get();
    } else {
      state = State.SUCCESS;
    }
    try {
      listener.runChanged(this, state, error);
    } finally {
      ended.complete(state);
    }
  }

  private void runComponent(String c) {
    if (canceled.get()) {
      throw new CancellationException("stopped");
    }
    active.put(c, Thread.currentThread());
    String module = job.modules().get(c);
    var tracker = new TaskTracker(c);
    trackers.put(c, tracker);
    try {
      tracker.flush(State.RUNNING, 0, null);
      listener.log(
          jobId, c + " (" + module + ") started" + (attempt > 0 ? ", attempt " + attempt : ""));
      Map<String, Outputs> out =
          roles.run(Components.of(module), r -> context(c, tracker, r), extra);
      for (var e : out.entrySet()) {
        String stored = roles.stored(c, e.getKey());
        List<String> path =
            job.dataPathTo(c).stream().map(up -> roles.stored(up, e.getKey())).toList();
        env.registry()
            .store(jobId, job.trainedModelId(), stored, module, e.getKey(), e.getValue(), path);
        outputs.get(e.getKey()).put(c, e.getValue());
      }
      tracker.flush(State.SUCCESS, 1, null);
      listener.log(jobId, c + " succeeded");
    } catch (RuntimeException | Error e) { // an Error too is a failure the parties must hear of
      if (canceled.get() || Thread.currentThread().isInterrupted()) {
        tracker.flush(State.CANCELED, tracker.progress, "stopped");
        listener.log(jobId, c + " canceled");
      } else {
        LOG.warn("job {} component {} failed at party {}: {}", jobId, c, env.self(), message(e));
        firstFailure.compareAndSet(null, c + ": " + reported(e));
        tracker.flush(State.FAILED, tracker.progress, reported(e));
        listener.log(jobId, JobLogs.LOCAL + c + " failed: " + message(e));
        listener.log(jobId, c + " failed: " + ErrorReport.forPeers(e));
      }
      throw e;
    } finally {
      synchronized (active) {
        active.remove(c);
        Thread.interrupted(); // a cancel's interrupt must not reach the pool's next task
      }
    }
  }

  private ComponentContext context(String c, TaskTracker tracker, String r) {
    int i = roles.index(r);
    String stored = roles.stored(c, r);
    return new ComponentContext(
        jobId,
        c,
        r,
        i,
        roles.id(r),
        job.parameters(c, r, i),
        roles.played(),
        inputsOf(c, r),
        roles.federation(env.federation(), r),
        MessageKey.of(jobId, attempt == 0 ? c : c + "@" + attempt, ""),
        env.tables(),
        tracker,
        job.componentTimeout(),
        env.engine(),
        new FileCheckpoints(env.checkpointDir(jobId, stored), saveEvery(c, r), tracker::log));
  }

  /** FATE's {@code callback_param.save_freq} (default: every epoch; 0 turns checkpoints off). */
  private int saveEvery(String c, String r) {
    JsonNode f = job.parameters(c, r, roles.index(r)).path("callback_param").path("save_freq");
    return f.canConvertToInt() ? Math.max(0, f.asInt()) : 1;
  }

  private Map<String, Outputs> inputsOf(String c, String r) {
    Map<String, Outputs> in = new HashMap<>();
    JsonNode input = job.dsl().path("components").path(c).path("input");
    for (var it = input.path("data").fields(); it.hasNext(); ) {
      var slot = it.next();
      for (int i = 0; i < slot.getValue().size(); i++) { // a second table of a slot: slot_1
        in.put(slot.getKey() + (i == 0 ? "" : "_" + i), output(r, slot.getValue().get(i).asText()));
      }
    }
    if (input.path("model").size() > 0) {
      String ref = input.path("model").get(0).asText();
      if (ref.startsWith(JobValidator.PIPELINE)) {
        String trained = ref.substring(JobValidator.PIPELINE.length()).split("\\.", 2)[0];
        in.put(
            "model",
            env.registry().trained(job.modelId(), job.modelVersion(), roles.stored(trained, r)));
      } else {
        in.put("model", output(r, ref));
      }
    }
    JsonNode isometric = input.path("isometric_model");
    for (int i = 0; i < isometric.size(); i++) { // FATE's: another component's model, to read
      in.put("isometric_model" + (i == 0 ? "" : "_" + i), output(r, isometric.get(i).asText()));
    }
    in.values().removeIf(Objects::isNull);
    return in;
  }

  /** The output a DSL reference {@code component.output} names (null if it has not run here). */
  private Outputs output(String r, String ref) {
    String[] parts = ref.split("\\.", 2);
    Outputs o = outputs.get(r).get(parts[0]);
    return o == null || parts.length < 2 ? o : o.select(parts[1]);
  }

  /**
   * What the initiator is told of a failure here: everything when this node is the initiator (the
   * same organisation), else only what other parties may read ({@link ErrorReport#forPeers}).
   */
  private String reported(Throwable e) {
    return job.initiatorParty() == env.self() ? message(e) : ErrorReport.forPeers(e);
  }

  static String message(Throwable e) {
    Throwable t = e;
    while (!(t instanceof FederaException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /** Buffers a task's metrics and reports them with its progress (at most twice a second). */
  private final class TaskTracker implements Tracker {
    private final String component;
    private final List<Control.MetricValue> pending = new ArrayList<>();
    private volatile double progress;
    private long lastReport;

    TaskTracker(String component) {
      this.component = component;
    }

    @Override
    public synchronized void metric(String name, int step, double value) {
      pending.add(new Control.MetricValue(component, name, step, value));
    }

    @Override
    public void metricLocal(String name, int step, double value) {
      listener.localMetrics(jobId, List.of(new Control.MetricValue(component, name, step, value)));
    }

    @Override
    public void progress(double fraction) {
      progress = Math.max(0, Math.min(1, fraction));
      long now = System.nanoTime();
      if (now - lastReport > 500_000_000L) {
        lastReport = now;
        flush(State.RUNNING, progress, null);
      }
    }

    @Override
    public void log(String line) {
      listener.log(jobId, component + ": " + line);
    }

    @Override
    public void logLocal(String line) {
      listener.log(jobId, JobLogs.LOCAL + component + ": " + line);
    }

    synchronized void flush(State state, double p, String error) {
      List<Control.MetricValue> values = List.copyOf(pending);
      pending.clear();
      listener.taskChanged(
          new Control.TaskStatus(jobId, component, role, state, attempt, p, error, values));
    }
  }
}
