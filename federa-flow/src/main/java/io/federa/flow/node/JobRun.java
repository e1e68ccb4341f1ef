package io.federa.flow.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.FederaException;
import io.federa.federation.MessageKey;
import io.federa.flow.component.ComponentContext;
import io.federa.flow.component.Components;
import io.federa.flow.component.Outputs;
import io.federa.flow.component.Tracker;
import io.federa.flow.dsl.JobValidator;
import io.federa.flow.dsl.ValidatedJob;
import io.federa.flow.job.State;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One party's run of a job: its components in an order that respects the DAG, several at once where
 * the DAG allows. Components before {@code from} that already succeeded are not run again: their
 * stored outputs are loaded. Every state change goes to {@link FlowNode#reportTask}.
 */
final class JobRun implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(JobRun.class);

  private final FlowNode node;
  private final String jobId;
  private final ValidatedJob job;
  private final String role;
  private final int index;
  private final int attempt;
  private final Set<String> toRun;
  private final Map<String, Outputs> outputs = new ConcurrentHashMap<>();
  private final Map<String, Future<?>> running = new ConcurrentHashMap<>();
  private final AtomicBoolean canceled = new AtomicBoolean();
  private final ExecutorService workers;
  private volatile Thread mainThread;

  JobRun(
      FlowNode node,
      String jobId,
      ValidatedJob job,
      String role,
      int index,
      String from,
      int attempt,
      boolean fresh) {
    this.node = node;
    this.jobId = jobId;
    this.job = job;
    this.role = role;
    this.index = index;
    this.attempt = attempt;
    this.toRun = from == null ? new LinkedHashSet<>(job.order()) : downstreamOf(job, from);
    if (fresh) {
      for (String c : toRun) {
        FileCheckpoints.clear(node.checkpointDir(jobId, c));
      }
    }
    this.workers =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "federa-job-" + jobId);
              t.setDaemon(true);
              return t;
            });
  }

  String jobId() {
    return jobId;
  }

  int attempt() {
    return attempt;
  }

  /** The component names {@code input} (data and model) refers to. */
  static List<String> upstream(JsonNode dsl, String component) {
    List<String> ups = new ArrayList<>();
    JsonNode input = dsl.path("components").path(component).path("input");
    for (JsonNode list : input.path("data")) {
      for (JsonNode ref : list) {
        ups.add(ref.asText().split("\\.", 2)[0]);
      }
    }
    for (JsonNode ref : input.path("model")) {
      if (!ref.asText().startsWith(JobValidator.PIPELINE)) {
        ups.add(ref.asText().split("\\.", 2)[0]);
      }
    }
    return ups;
  }

  /** {@code from} and every component that depends on it, directly or not. */
  static Set<String> downstreamOf(ValidatedJob job, String from) {
    Set<String> out = new LinkedHashSet<>();
    for (String c : job.order()) {
      if (c.equals(from)) {
        out.add(c);
        continue;
      }
      for (String up : upstream(job.dsl(), c)) {
        if (out.contains(up)) {
          out.add(c);
          break;
        }
      }
    }
    return out;
  }

  void cancel() {
    canceled.set(true);
    running.values().forEach(f -> f.cancel(true));
    Thread t = mainThread;
    if (t != null) {
      t.interrupt();
    }
  }

  boolean canceled() {
    return canceled.get();
  }

  @Override
  public void run() {
    mainThread = Thread.currentThread();
    try {
      runAll();
    } finally {
      workers.shutdownNow();
      node.finished(this);
    }
  }

  private void runAll() {
    if (canceled.get()) {
      return;
    }
    node.runEnded(this, State.RUNNING, null);
    for (String c : job.order()) {
      // the initiator recorded every task as waiting (at submit, or at a rerun); a task is first
      // reported when it runs
      if (!toRun.contains(c)) {
        outputs.put(c, node.loadOutputs(jobId, c));
      }
    }
    Set<String> done = new java.util.HashSet<>(outputs.keySet());
    Map<String, Future<?>> started = new LinkedHashMap<>();
    Map<String, Throwable> failures = new HashMap<>();
    while (done.size() < job.order().size() && failures.isEmpty() && !canceled.get()) {
      for (String c : job.order()) {
        if (done.contains(c) || started.containsKey(c)) {
          continue;
        }
        if (done.containsAll(upstream(job.dsl(), c))) {
          Future<?> f = workers.submit(() -> runComponent(c, failures, done));
          started.put(c, f);
          running.put(c, f);
        }
      }
      synchronized (this) {
        try {
          wait(200);
        } catch (InterruptedException e) {
          canceled.set(true);
        }
      }
    }
    if (canceled.get()) {
      for (String c : job.order()) {
        Future<?> f = running.get(c);
        if (f != null) {
          f.cancel(true);
        }
      }
      node.runEnded(this, State.CANCELED, "stopped");
      return;
    }
    if (!failures.isEmpty()) {
      var e = failures.entrySet().iterator().next();
      node.runEnded(this, State.FAILED, e.getKey() + ": " + message(e.getValue()));
      return;
    }
    node.runEnded(this, State.SUCCESS, null);
  }

  private void runComponent(String c, Map<String, Throwable> failures, Set<String> done) {
    String module = job.modules().get(c);
    var tracker = new TaskTracker(c);
    node.reportTask(jobId, c, role, State.RUNNING, attempt, 0, null, List.of());
    node.log(jobId, c + " (" + module + ") started" + (attempt > 0 ? ", attempt " + attempt : ""));
    try {
      ComponentContext ctx =
          new ComponentContext(
              jobId,
              c,
              role,
              index,
              node.self(),
              job.parameters(c, role, index),
              job,
              inputsOf(c),
              node.federation(),
              MessageKey.of(jobId, attempt == 0 ? c : c + "@" + attempt, ""),
              node.tables(),
              tracker,
              node.componentTimeout(job),
              node.engine(),
              new FileCheckpoints(node.checkpointDir(jobId, c), saveEvery(c), tracker::log));
      Outputs out = Components.of(module).run(ctx);
      node.storeOutputs(jobId, c, module, role, out);
      outputs.put(c, out);
      tracker.flush(State.SUCCESS, 1, null);
      node.log(jobId, c + " succeeded");
      synchronized (this) {
        done.add(c);
        notifyAll();
      }
    } catch (RuntimeException e) {
      boolean stopped = canceled.get() || Thread.currentThread().isInterrupted();
      if (stopped) {
        tracker.flush(State.CANCELED, tracker.progress, "stopped");
        node.log(jobId, c + " canceled");
      } else {
        LOG.warn("job {} component {} failed at party {}: {}", jobId, c, node.self(), message(e));
        tracker.flush(State.FAILED, tracker.progress, message(e));
        node.log(jobId, c + " failed: " + message(e));
      }
      synchronized (this) {
        failures.put(c, e);
        notifyAll();
      }
    }
  }

  /** FATE's {@code callback_param.save_freq} (default: every epoch; 0 turns checkpoints off). */
  private int saveEvery(String c) {
    JsonNode f = job.parameters(c, role, index).path("callback_param").path("save_freq");
    return f.canConvertToInt() ? Math.max(0, f.asInt()) : 1;
  }

  private Map<String, Outputs> inputsOf(String c) {
    Map<String, Outputs> in = new HashMap<>();
    JsonNode input = job.dsl().path("components").path(c).path("input");
    for (var it = input.path("data").fields(); it.hasNext(); ) {
      var slot = it.next();
      if (slot.getValue().size() > 0) {
        in.put(slot.getKey(), outputs.get(slot.getValue().get(0).asText().split("\\.", 2)[0]));
      }
    }
    if (input.path("model").size() > 0) {
      String ref = input.path("model").get(0).asText();
      if (ref.startsWith(JobValidator.PIPELINE)) {
        String trained = ref.substring(JobValidator.PIPELINE.length()).split("\\.", 2)[0];
        in.put("model", node.trainedModel(job.modelId(), job.modelVersion(), trained));
      } else {
        in.put("model", outputs.get(ref.split("\\.", 2)[0]));
      }
    }
    in.values().removeIf(java.util.Objects::isNull);
    return in;
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
    private final List<FlowNode.MetricValue> pending = new ArrayList<>();
    private volatile double progress;
    private long lastReport;

    TaskTracker(String component) {
      this.component = component;
    }

    @Override
    public synchronized void metric(String name, int step, double value) {
      pending.add(new FlowNode.MetricValue(component, name, step, value));
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
      node.log(jobId, component + ": " + line);
    }

    synchronized void flush(State state, double p, String error) {
      List<FlowNode.MetricValue> values = List.copyOf(pending);
      pending.clear();
      node.reportTask(jobId, component, role, state, attempt, p, error, values);
    }
  }
}
