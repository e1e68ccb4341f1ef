package io.federa.flow.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.core.compute.LocalEngine;
import io.federa.core.io.AtomicFiles;
import io.federa.federation.Federation;
import io.federa.federation.NodeConfig;
import io.federa.federation.Transcript;
import io.federa.flow.component.Outputs;
import io.federa.flow.dsl.JobValidator;
import io.federa.flow.dsl.ValidatedJob;
import io.federa.flow.job.JobStore;
import io.federa.flow.job.State;
import io.federa.flow.store.MetadataStore;
import io.federa.flow.store.TableStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow side of a node: jobs submitted here (this node is their initiator) are checked, sent to
 * every party's node, which accepts or refuses with a reason, then run by every party at once; each
 * party reports its tasks' states and metrics to the initiator, so {@link #query} there shows the
 * whole job. Parties talk to each other only through the federation's calls (control) and messages
 * (the components' protocols).
 */
public final class FlowNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FlowNode.class);
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(20);
  private static final DateTimeFormatter JOB_ID =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);

  private final int self;
  private final Path dataDir;
  private final Federation federation;
  private final MetadataStore meta;
  private final TableStore tables;
  private final JobStore jobs;
  private final ExecutorService runners;
  private final int jobSlots;

  /**
   * Jobs holding one of this node's slots without running yet: reserved by their initiator for a
   * start (with the time, so a reservation whose start never comes expires after a minute).
   */
  private final Map<String, Long> reserved = new ConcurrentHashMap<>();

  private final ExecutorService control;
  private final ComputingEngine engine = LocalEngine.allCores();
  private final Map<String, JobRun> runs = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Federation.CallHandler> handlers = new ConcurrentHashMap<>();

  /** Flow on {@code federation}, with its data in {@code dataDir} and metadata at {@code url}. */
  public FlowNode(Federation federation, Path dataDir, String metadataUrl, int jobSlots) {
    this.self = federation.self();
    this.dataDir = dataDir;
    this.federation = federation;
    this.meta =
        MetadataStore.open(metadataUrl == null ? MetadataStore.sqliteUrl(dataDir) : metadataUrl);
    this.tables = new TableStore(dataDir, meta);
    this.jobs = new JobStore(meta);
    this.jobSlots = jobSlots;
    this.runners =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "federa-job");
              t.setDaemon(true);
              return t;
            });
    this.control =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "federa-flow-control");
              t.setDaemon(true);
              return t;
            });
    serve("flow.create", this::onCreate);
    serve("flow.start", this::onStart);
    serve("flow.status", this::onStatus);
    serve("flow.stop", this::onStop);
    serve("flow.log", this::onLog);
    serve("flow.restarted", this::onRestarted);
    serve("flow.audit", this::onAudit);
    serve("flow.reserve", this::onReserve);
    serve("flow.release", this::onRelease);
  }

  private void serve(String service, Federation.CallHandler handler) {
    handlers.put(service, handler);
    federation.serve(service, handler);
  }

  /** Asks {@code party}'s node (this node's own handler when it is this party). */
  private byte[] ask(int party, String service, byte[] body) {
    return party == self
        ? handlers.get(service).handle(self, body)
        : federation.call(party, service, body, CONTROL_TIMEOUT);
  }

  /** Refuses a request about {@code job} from anyone but its initiator. */
  private static void requireInitiator(JobStore.Job job, int from, String what) {
    if (job.initiator() != from) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "only job "
              + job.jobId()
              + "'s initiator may "
              + what
              + " (asked by party "
              + from
              + ")");
    }
  }

  /** Flow for a node configuration (its data directory, metadata URL and job slots). */
  public FlowNode(Federation federation, NodeConfig config) {
    this(federation, config.dataPath(), config.metadataUrl(), config.jobSlots());
  }

  /**
   * Picks up the jobs a previous run of this node left unfinished: each asks its initiator to run
   * the interrupted component again, at every party, from where it stopped.
   */
  public void resumeUnfinished() {
    for (JobStore.Job job : jobs.unfinished()) {
      List<JobStore.Task> own =
          jobs.tasks(job.jobId()).stream().filter(t -> t.partyId() == self).toList();
      ValidatedJob v = validated(job);
      String from = null;
      int attempt = 0;
      for (String c : v.order()) {
        var t = own.stream().filter(x -> x.component().equals(c)).findFirst();
        attempt = Math.max(attempt, t.map(JobStore.Task::attempt).orElse(0));
        if (from == null && (t.isEmpty() || t.get().state() != State.SUCCESS)) {
          from = c;
        }
      }
      if (from == null) {
        continue;
      }
      String component = from;
      int next = attempt + 1;
      log(job.jobId(), "node restarted: asking to resume from " + component);
      control.submit(
          () -> {
            try {
              byte[] body = json(Map.of("job_id", job.jobId(), "component", component));
              ask(job.initiator(), "flow.restarted", body);
            } catch (RuntimeException e) {
              LOG.warn("cannot resume job {}: {}", job.jobId(), e.getMessage());
            }
          });
      LOG.info("job {}: resuming from {} (attempt {})", job.jobId(), component, next);
    }
  }

  public int self() {
    return self;
  }

  public Path dataDir() {
    return dataDir;
  }

  public TableStore tables() {
    return tables;
  }

  public JobStore jobs() {
    return jobs;
  }

  Federation federation() {
    return federation;
  }

  ComputingEngine engine() {
    return engine;
  }

  /** The protocol timeout of a job's components: {@code job_parameters.common.timeout} seconds. */
  Duration componentTimeout(ValidatedJob job) {
    JsonNode t = job.conf().path("job_parameters").path("common").path("timeout");
    return Duration.ofSeconds(t.canConvertToInt() && t.asInt() > 0 ? t.asInt() : 600);
  }

  // ---------------------------------------------------------------- initiator

  /**
   * Validates and records a job at its initiator (this node) and returns its id at once; sending it
   * to the parties, their answers and the run follow in the background ({@link #query}).
   */
  public String submit(JsonNode dsl, JsonNode conf) {
    ValidatedJob job = JobValidator.validate(dsl, conf);
    if (job.initiatorParty() != self) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "conf.initiator.party_id is "
              + job.initiatorParty()
              + " but this is party "
              + self
              + "'s node; submit the job at the initiator's node");
    }
    String jobId = JOB_ID.format(Instant.now()) + String.format("%03d", random.nextInt(1000));
    jobs.createJob(jobId, roleOf(job, self), self, dsl.toString(), conf.toString());
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
    jobs.putTasks(tasks);
    log(jobId, "submitted by party " + self + " with " + job.order().size() + " components");
    control.submit(() -> distribute(jobId, job, dsl, conf));
    return jobId;
  }

  /** Sends the job to every party; if all accept, starts it everywhere. */
  private void distribute(String jobId, ValidatedJob job, JsonNode dsl, JsonNode conf) {
    byte[] body = json(Map.of("job_id", jobId, "dsl", dsl, "conf", conf));
    List<Integer> others = parties(job).stream().filter(p -> p != self).toList();
    try {
      checkLocally(job, jobId);
      for (int party : others) {
        federation.call(party, "flow.create", body, CONTROL_TIMEOUT);
        log(jobId, "party " + party + " accepted the job");
      }
    } catch (RuntimeException e) {
      String why = JobRun.message(e);
      log(jobId, "refused: " + why);
      jobs.setJobState(jobId, State.FAILED, why);
      broadcastStop(jobId, others);
      return;
    }
    startEverywhere(jobId, job, null, 0, false);
  }

  /**
   * Reserves a job slot at every party, all or none: a party whose slots are taken says no, the
   * reservations made are released and the job waits (in state waiting) and tries again after a
   * random pause. So two initiators can never each hold one party's slot while waiting for the
   * other's (each node runs at most {@code max_jobs} jobs).
   */
  private boolean reserveEverywhere(String jobId, ValidatedJob job) {
    byte[] body = json(Map.of("job_id", jobId));
    long pause = 200;
    boolean told = false;
    while (true) {
      JobStore.Job now = jobs.job(jobId).orElse(null);
      if (now == null || now.state().ended()) {
        return false;
      }
      List<Integer> reserved = new ArrayList<>();
      boolean all = true;
      for (int party : parties(job)) {
        boolean ok;
        try {
          ok = parse(ask(party, "flow.reserve", body)).path("reserved").asBoolean();
        } catch (RuntimeException e) {
          ok = false;
        }
        if (!ok) {
          all = false;
          break;
        }
        reserved.add(party);
      }
      if (all) {
        return true;
      }
      for (int party : reserved) {
        try {
          ask(party, "flow.release", body);
        } catch (RuntimeException e) {
          LOG.warn("job {}: cannot release its slot at party {}", jobId, party);
        }
      }
      if (!told) {
        log(jobId, "queued: a party's job slots are all taken");
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

  private synchronized byte[] onReserve(int from, byte[] body) {
    String jobId = parse(body).path("job_id").asText();
    long now = System.nanoTime();
    reserved.values().removeIf(at -> now - at > 60_000_000_000L);
    java.util.Set<String> holding = new java.util.HashSet<>(reserved.keySet());
    holding.addAll(runs.keySet());
    boolean ok = holding.contains(jobId) || holding.size() < jobSlots;
    if (ok && !runs.containsKey(jobId)) {
      reserved.put(jobId, now);
    }
    return json(Map.of("reserved", ok));
  }

  private synchronized byte[] onRelease(int from, byte[] body) {
    reserved.remove(parse(body).path("job_id").asText());
    return json(Map.of("released", true));
  }

  private void startEverywhere(
      String jobId, ValidatedJob job, String from, int attempt, boolean resume) {
    if (!reserveEverywhere(jobId, job)) {
      return;
    }
    var start = new LinkedHashMap<String, Object>();
    start.put("job_id", jobId);
    start.put("from", from);
    start.put("attempt", attempt);
    start.put("resume", resume);
    byte[] body = json(start);
    for (int party : parties(job)) {
      try {
        ask(party, "flow.start", body);
      } catch (RuntimeException e) {
        String why = "party " + party + " could not start: " + JobRun.message(e);
        log(jobId, why);
        jobs.setJobState(jobId, State.FAILED, why);
        stop(jobId);
        return;
      }
    }
  }

  /** The job and its tasks at every party, as this node knows them. */
  public Optional<JobView> query(String jobId) {
    return jobs.job(jobId)
        .map(
            j -> {
              List<String> order = validated(j).order();
              List<JobStore.Task> tasks = new ArrayList<>(jobs.tasks(jobId));
              tasks.sort(
                  java.util.Comparator.comparingInt(
                          (JobStore.Task t) -> order.indexOf(t.component()))
                      .thenComparingInt(JobStore.Task::partyId));
              return new JobView(j, tasks);
            });
  }

  /** A job with its tasks. */
  public record JobView(JobStore.Job job, List<JobStore.Task> tasks) {}

  /** Stops a job at every party (a job that already ended keeps its state). */
  public void stop(String jobId) {
    JobStore.Job job = requireJob(jobId);
    if (job.initiator() != self) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "job " + jobId + " was started by party " + job.initiator() + "; stop it there");
    }
    if (!job.state().ended()) {
      jobs.setJobState(jobId, State.CANCELED, "stopped by the initiator");
    }
    cancelLocal(jobId);
    broadcastStop(jobId, parties(validated(job)).stream().filter(p -> p != self).toList());
  }

  /**
   * Runs a job again at every party from {@code component} (and everything after it); the
   * components before it keep their outputs.
   */
  public void rerun(String jobId, String component) {
    rerun(jobId, component, false);
  }

  /**
   * As {@link #rerun(String, String)}; with {@code resume} the components continue from their last
   * checkpoint common to every party (after a node restart) instead of from the start.
   */
  void rerun(String jobId, String component, boolean resume) {
    JobStore.Job job = requireJob(jobId);
    if (job.initiator() != self) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "job " + jobId + " was started by party " + job.initiator() + "; rerun it there");
    }
    ValidatedJob v = validated(job);
    if (!v.order().contains(component)) {
      throw new FederaException(
          ErrorCode.NOT_FOUND,
          "job " + jobId + " has no component '" + component + "'; it has " + v.order());
    }
    int attempt = jobs.tasks(jobId).stream().mapToInt(JobStore.Task::attempt).max().orElse(0) + 1;
    List<String> again = new ArrayList<>(JobRun.downstreamOf(v, component));
    jobs.clearMetrics(jobId, again);
    for (JobStore.Task t : jobs.tasks(jobId)) {
      if (again.contains(t.component())) {
        jobs.putTask(
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
    jobs.setJobState(jobId, State.WAITING, null);
    log(
        jobId,
        (resume ? "resume from " : "rerun from ")
            + component
            + " (attempt "
            + attempt
            + (resume ? ", from the last common checkpoint)" : ")"));
    control.submit(
        () -> {
          List<Integer> all = parties(v);
          broadcastStop(jobId, all.stream().filter(p -> p != self).toList());
          cancelLocal(jobId);
          awaitLocalEnd(jobId);
          startEverywhere(jobId, v, component, attempt, resume);
        });
  }

  /** The log lines of a job at {@code party} (fetched through the federation for other parties). */
  public List<String> logs(String jobId, int party) {
    if (party == self) {
      return readLog(jobId);
    }
    byte[] reply =
        federation.call(party, "flow.log", json(Map.of("job_id", jobId)), CONTROL_TIMEOUT);
    try {
      List<String> lines = new ArrayList<>();
      JSON.readTree(reply).path("lines").forEach(l -> lines.add(l.asText()));
      return lines;
    } catch (IOException e) {
      throw new FederaException(ErrorCode.PROTOCOL, "party " + party + " sent a malformed log", e);
    }
  }

  /**
   * What {@code party} received in a job, summed by sender, component, message (iteration numbers
   * folded into {@code #}) and declared kind: the privacy transcript of {@code federa audit}.
   */
  public List<Map<String, Object>> audit(String jobId, int party) {
    if (party != self) {
      requireJob(jobId);
      byte[] reply =
          federation.call(party, "flow.audit", json(Map.of("job_id", jobId)), CONTROL_TIMEOUT);
      try {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = JSON.readValue(reply, List.class);
        return rows;
      } catch (IOException e) {
        throw new FederaException(
            ErrorCode.PROTOCOL, "party " + party + " sent a malformed transcript", e);
      }
    }
    Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
    for (Transcript.Entry e : federation.transcript(jobId)) {
      String message = e.tag().replaceAll("\\d+", "#");
      String key = e.from() + "|" + e.component() + "|" + message + "|" + e.kind();
      Map<String, Object> row =
          rows.computeIfAbsent(
              key,
              k -> {
                var r = new LinkedHashMap<String, Object>();
                r.put("from", e.from());
                r.put("component", e.component());
                r.put("message", message);
                r.put("kind", e.kind().name());
                r.put("count", 0L);
                r.put("bytes", 0L);
                return r;
              });
      row.put("count", (Long) row.get("count") + 1);
      row.put("bytes", (Long) row.get("bytes") + e.bytes());
    }
    return new ArrayList<>(rows.values());
  }

  private byte[] onAudit(int from, byte[] body) {
    String jobId = parse(body).path("job_id").asText();
    JobStore.Job job = requireJob(jobId);
    requireInitiator(job, from, "read its transcript");
    return json(audit(jobId, self));
  }

  // ---------------------------------------------------------------- control handlers

  /** A party checks a job before it is started: its role, its tables. */
  private byte[] onCreate(int from, byte[] body) {
    JsonNode req = parse(body);
    String jobId = req.path("job_id").asText();
    ValidatedJob job = JobValidator.validate(req.path("dsl"), req.path("conf"));
    if (job.initiatorParty() != from) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "party "
              + from
              + " sent job "
              + jobId
              + " but its conf names party "
              + job.initiatorParty()
              + " as initiator");
    }
    checkLocally(job, jobId);
    if (jobs.job(jobId).isEmpty()) {
      jobs.createJob(
          jobId, roleOf(job, self), from, req.path("dsl").toString(), req.path("conf").toString());
    }
    log(jobId, "accepted job from party " + from);
    return json(Map.of("accepted", true));
  }

  /**
   * This party's role in the job, the tables its Reader components name and, for a predict job, its
   * part of the trained model.
   */
  private void checkLocally(ValidatedJob job, String jobId) {
    String role = roleOf(job, self);
    int index = job.roles().get(role).indexOf(self);
    if (job.predict() && !role.equals("arbiter")) {
      for (String c : job.order()) {
        if (job.modules().get(c).equals("HeteroLR")
            && trainedModel(job.modelId(), job.modelVersion(), c) == null) {
          throw new FederaException(
              ErrorCode.NOT_FOUND,
              "party "
                  + self
                  + " ("
                  + role
                  + ") holds no part of model "
                  + job.modelId()
                  + " version "
                  + job.modelVersion()
                  + " for "
                  + c
                  + "; train it first, or import it with 'federa model import'");
        }
      }
    }
    for (String c : job.order()) {
      if (!job.modules().get(c).equals("Reader") || role.equals("arbiter")) {
        continue;
      }
      JsonNode t = job.parameters(c, role, index).path("table");
      String ns = t.path("namespace").asText();
      String name = t.path("name").asText();
      if (tables.info(ns, name).isEmpty()) {
        throw new FederaException(
            ErrorCode.NOT_FOUND,
            "component "
                + c
                + ": table "
                + ns
                + "."
                + name
                + " does not exist at party "
                + self
                + " ("
                + role
                + "); upload it on that node with 'federa upload --file F --namespace "
                + ns
                + " --table "
                + name
                + "'");
      }
    }
  }

  private byte[] onStart(int from, byte[] body) {
    JsonNode req = parse(body);
    String jobId = req.path("job_id").asText();
    JobStore.Job job = requireJob(jobId);
    requireInitiator(job, from, "start it");
    ValidatedJob v = validated(job);
    String role = roleOf(v, self);
    String fromComponent = req.path("from").isTextual() ? req.path("from").asText() : null;
    JobRun run =
        new JobRun(
            this,
            jobId,
            v,
            role,
            v.roles().get(role).indexOf(self),
            fromComponent,
            req.path("attempt").asInt(0),
            !req.path("resume").asBoolean(false));
    JobRun earlier;
    synchronized (this) {
      reserved.remove(jobId); // the reservation becomes the running job's slot
      earlier = runs.put(jobId, run);
    }
    if (earlier != null) {
      earlier.cancel();
    }
    runners.submit(run);
    return json(Map.of("started", true));
  }

  /** A party's task state (at the initiator), with the metrics since its last report. */
  private byte[] onStatus(int from, byte[] body) {
    JsonNode r = parse(body);
    String jobId = r.path("job_id").asText();
    JobStore.Job job = requireJob(jobId);
    if (job.initiator() != self) {
      throw new FederaException(ErrorCode.INVALID_ARGUMENT, "this node did not start " + jobId);
    }
    List<MetricValue> metrics = new ArrayList<>();
    for (JsonNode m : r.path("metrics")) {
      metrics.add(
          new MetricValue(
              m.path("component").asText(),
              m.path("name").asText(),
              m.path("step").asInt(),
              m.path("value").asDouble()));
    }
    recordTask(
        jobId,
        from,
        r.path("component").asText(),
        r.path("role").asText(),
        State.valueOf(r.path("state").asText()),
        r.path("attempt").asInt(),
        r.path("progress").asDouble(),
        r.path("error").isTextual() ? r.path("error").asText() : null,
        metrics);
    return json(Map.of("ok", true));
  }

  private byte[] onStop(int from, byte[] body) {
    String jobId = parse(body).path("job_id").asText();
    Optional<JobStore.Job> job = jobs.job(jobId);
    if (job.isEmpty()) {
      return json(Map.of("stopped", false));
    }
    requireInitiator(job.get(), from, "stop it");
    cancelLocal(jobId);
    if (!job.get().state().ended()) {
      jobs.setJobState(jobId, State.CANCELED, "stopped by the initiator");
    }
    return json(Map.of("stopped", true));
  }

  private byte[] onLog(int from, byte[] body) {
    String jobId = parse(body).path("job_id").asText();
    JobStore.Job job = requireJob(jobId);
    requireInitiator(job, from, "read its log");
    return json(Map.of("lines", readLog(jobId)));
  }

  /** A party was restarted mid-job: every party runs the interrupted component again. */
  private byte[] onRestarted(int from, byte[] body) {
    JsonNode r = parse(body);
    String jobId = r.path("job_id").asText();
    JobStore.Job job = requireJob(jobId);
    if (job.initiator() != self || job.state().ended()) {
      return json(Map.of("resumed", false));
    }
    log(jobId, "party " + from + " restarted; resuming from " + r.path("component").asText());
    rerun(jobId, r.path("component").asText(), true);
    return json(Map.of("resumed", true));
  }

  // ---------------------------------------------------------------- reporting

  /** A metric value of a component. */
  record MetricValue(String component, String name, int step, double value) {}

  /** Records a task state here and, at a party that is not the initiator, reports it there. */
  void reportTask(
      String jobId,
      String component,
      String role,
      State state,
      int attempt,
      double progress,
      String error,
      List<MetricValue> metrics) {
    JobStore.Job job = requireJob(jobId);
    recordTask(jobId, self, component, role, state, attempt, progress, error, metrics);
    if (job.initiator() == self) {
      return;
    }
    var m = new LinkedHashMap<String, Object>();
    m.put("job_id", jobId);
    m.put("component", component);
    m.put("role", role);
    m.put("state", state.name());
    m.put("attempt", attempt);
    m.put("progress", progress);
    m.put("error", error);
    m.put("metrics", metrics);
    byte[] body = json(m);
    try {
      federation.call(job.initiator(), "flow.status", body, CONTROL_TIMEOUT);
    } catch (RuntimeException e) {
      LOG.warn(
          "job {}: cannot report {} of {} to the initiator {}: {}",
          jobId,
          state,
          component,
          job.initiator(),
          e.getMessage());
    }
  }

  private void recordTask(
      String jobId,
      int party,
      String component,
      String role,
      State state,
      int attempt,
      double progress,
      String error,
      List<MetricValue> metrics) {
    JobStore.Task old =
        jobs.tasks(jobId).stream()
            .filter(t -> t.partyId() == party && t.component().equals(component))
            .findFirst()
            .orElse(null);
    if (old != null && old.attempt() > attempt) {
      return; // a late report from an earlier attempt
    }
    String now = Instant.now().toString();
    String started =
        old != null && old.startedAt() != null && old.attempt() == attempt
            ? old.startedAt()
            : (state == State.WAITING ? null : now);
    jobs.putTask(
        new JobStore.Task(
            jobId,
            component,
            party,
            role,
            state,
            attempt,
            progress,
            error,
            started,
            state.ended() ? now : null));
    jobs.addMetrics(
        jobId,
        metrics.stream()
            .map(m -> new JobStore.Metric(m.component(), party, m.name(), m.step(), m.value()))
            .toList());
    JobStore.Job job = requireJob(jobId);
    if (job.initiator() == self) {
      settle(job, party, component, state, error);
    }
  }

  /** At the initiator: the job's state from its tasks'; the first failure stops every party. */
  private synchronized void settle(
      JobStore.Job job, int party, String component, State state, String error) {
    if (job.state().ended() && job.state() != State.SUCCESS) {
      return;
    }
    String jobId = job.jobId();
    if (state == State.FAILED) {
      String why = "party " + party + ", component " + component + ": " + error;
      jobs.setJobState(jobId, State.FAILED, why);
      log(jobId, "failed: " + why);
      control.submit(
          () -> {
            cancelLocal(jobId);
            broadcastStop(jobId, parties(validated(job)).stream().filter(p -> p != self).toList());
          });
      return;
    }
    List<JobStore.Task> tasks = jobs.tasks(jobId);
    if (tasks.stream().allMatch(t -> t.state() == State.SUCCESS)) {
      jobs.setJobState(jobId, State.SUCCESS, null);
      log(jobId, "succeeded at every party");
    } else if (state == State.RUNNING && job.state() == State.WAITING) {
      jobs.setJobState(jobId, State.RUNNING, null);
    }
  }

  /**
   * This party's run changed state. Elsewhere the job's state is this party's; at the initiator it
   * follows every party's tasks ({@link #settle}).
   */
  void runEnded(JobRun run, State state, String error) {
    String jobId = run.jobId();
    if (runs.get(jobId) != run) {
      return; // an earlier run, replaced by a rerun: it no longer speaks for the job
    }
    JobStore.Job job = requireJob(jobId);
    if (job.initiator() != self) {
      if (!(job.state() == State.CANCELED && state != State.RUNNING)) {
        jobs.setJobState(jobId, state, error);
      }
    } else if (state == State.RUNNING && job.state() == State.WAITING) {
      jobs.setJobState(jobId, State.RUNNING, null);
    }
  }

  /**
   * Called by a run when it is over. The job's messages stay in the federation's store: a rerun
   * continues the same per-sender sequence (forgetting them is for a job that is deleted).
   */
  synchronized void finished(JobRun run) {
    runs.remove(run.jobId(), run);
  }

  // ---------------------------------------------------------------- outputs

  /** Stores a component's data output as a table of this node, and its model part as a file. */
  void storeOutputs(String jobId, String component, String module, String role, Outputs out) {
    if (out.data() != null) {
      tables.store(out.data(), outputNamespace(jobId), component, true);
    }
    if (out.model() != null) {
      Path file = modelFile(jobId, component);
      var doc = new LinkedHashMap<String, Object>();
      doc.put("job_id", jobId);
      doc.put("component", component);
      doc.put("module", module);
      doc.put("party_id", self);
      doc.put("role", role);
      doc.putAll(out.model());
      try {
        Files.createDirectories(file.getParent());
      } catch (IOException e) {
        throw new FederaException(ErrorCode.IO_FAILURE, "cannot create " + file.getParent(), e);
      }
      AtomicFiles.write(file, false, w -> w.write(JSON.writeValueAsString(doc)));
      JobStore.Job job = requireJob(jobId);
      jobs.registerModel(
          new JobStore.ModelPart(
              modelId(validated(job)),
              jobId,
              jobId,
              component,
              self,
              role,
              module,
              dataDir.relativize(file).toString(),
              Instant.now().toString(),
              false));
    }
  }

  /** A component's stored outputs (after a restart or for a rerun of later components). */
  Outputs loadOutputs(String jobId, String component) {
    var table =
        tables.info(outputNamespace(jobId), component).isPresent()
            ? tables.read(outputNamespace(jobId), component)
            : null;
    Map<String, Object> model = null;
    Path file = modelFile(jobId, component);
    if (Files.exists(file)) {
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = JSON.readValue(file.toFile(), Map.class);
        model = m;
      } catch (IOException e) {
        throw new FederaException(ErrorCode.IO_FAILURE, "cannot read the model " + file, e);
      }
    }
    return new Outputs(table, model);
  }

  /**
   * This party's part of a registered model's component ({@code null} when this party holds none,
   * as an arbiter).
   */
  Outputs trainedModel(String modelId, String modelVersion, String component) {
    for (JobStore.ModelPart m : jobs.models(null)) {
      if (m.modelId().equals(modelId)
          && m.modelVersion().equals(modelVersion)
          && m.component().equals(component)) {
        try {
          @SuppressWarnings("unchecked")
          Map<String, Object> part = JSON.readValue(dataDir.resolve(m.file()).toFile(), Map.class);
          return new Outputs(null, part);
        } catch (IOException e) {
          throw new FederaException(
              ErrorCode.IO_FAILURE, "cannot read the model part " + m.file(), e);
        }
      }
    }
    return null;
  }

  /**
   * This party's parts of a model version as a zip archive (a manifest and one file per component)
   * that can be moved to another node of the same party.
   */
  public byte[] exportModel(String modelId, String modelVersion) {
    List<JobStore.ModelPart> parts =
        jobs.models(null).stream()
            .filter(m -> m.modelId().equals(modelId) && m.modelVersion().equals(modelVersion))
            .toList();
    if (parts.isEmpty()) {
      throw new FederaException(
          ErrorCode.NOT_FOUND,
          "party "
              + self
              + " holds no part of model "
              + modelId
              + " version "
              + modelVersion
              + "; 'federa model list' shows them");
    }
    var bytes = new java.io.ByteArrayOutputStream();
    try (var zip = new java.util.zip.ZipOutputStream(bytes)) {
      var manifest = new LinkedHashMap<String, Object>();
      manifest.put("format", "federa-model/1");
      manifest.put("party_id", self);
      manifest.put("model_id", modelId);
      manifest.put("model_version", modelVersion);
      List<Map<String, Object>> entries = new ArrayList<>();
      for (JobStore.ModelPart m : parts) {
        String name = "parts/" + m.component() + ".json";
        zip.putNextEntry(new java.util.zip.ZipEntry(name));
        zip.write(Files.readAllBytes(dataDir.resolve(m.file())));
        zip.closeEntry();
        var e = new LinkedHashMap<String, Object>();
        e.put("component", m.component());
        e.put("role", m.role());
        e.put("module", m.module());
        e.put("job_id", m.jobId());
        e.put("file", name);
        entries.add(e);
      }
      manifest.put("parts", entries);
      zip.putNextEntry(new java.util.zip.ZipEntry("manifest.json"));
      zip.write(json(manifest));
      zip.closeEntry();
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot write the model archive", e);
    }
    return bytes.toByteArray();
  }

  /** Registers the parts of an exported archive of this party's model on this node. */
  public Map<String, Object> importModel(byte[] archive) {
    Map<String, byte[]> files = new java.util.HashMap<>();
    try (var zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(archive))) {
      for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        files.put(e.getName(), zip.readNBytes(64 << 20));
      }
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT, "not a model archive of 'federa model export': " + e, e);
    }
    byte[] manifestBytes = files.get("manifest.json");
    if (manifestBytes == null) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "the archive has no manifest.json; export the model with 'federa model export'");
    }
    JsonNode manifest = parse(manifestBytes);
    if (!manifest.path("format").asText().equals("federa-model/1")) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT, "unknown model archive format " + manifest.path("format"));
    }
    if (manifest.path("party_id").asInt() != self) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "this archive holds party "
              + manifest.path("party_id").asInt()
              + "'s part of the model; import it on that party's node (this is party "
              + self
              + ")");
    }
    String modelId = manifest.path("model_id").asText();
    String version = manifest.path("model_version").asText();
    int n = 0;
    for (JsonNode p : manifest.path("parts")) {
      String component = p.path("component").asText();
      byte[] content = files.get(p.path("file").asText());
      if (content == null) {
        throw new FederaException(
            ErrorCode.INVALID_INPUT, "the archive lacks " + p.path("file").asText());
      }
      parse(content); // a part is JSON
      Path file = dataDir.resolve("models").resolve(version).resolve(component + ".json");
      try {
        Files.createDirectories(file.getParent());
      } catch (IOException e) {
        throw new FederaException(ErrorCode.IO_FAILURE, "cannot create " + file.getParent(), e);
      }
      AtomicFiles.writeBytes(file, false, content);
      jobs.registerModel(
          new JobStore.ModelPart(
              modelId,
              version,
              p.path("job_id").asText(),
              component,
              self,
              p.path("role").asText(),
              p.path("module").asText(),
              dataDir.relativize(file).toString(),
              Instant.now().toString(),
              false));
      n++;
    }
    var r = new LinkedHashMap<String, Object>();
    r.put("model_id", modelId);
    r.put("model_version", version);
    r.put("parts", n);
    return r;
  }

  public static String outputNamespace(String jobId) {
    return "job-" + jobId;
  }

  Path checkpointDir(String jobId, String component) {
    return dataDir.resolve("checkpoints").resolve(jobId).resolve(component);
  }

  Path modelFile(String jobId, String component) {
    return dataDir.resolve("models").resolve(jobId).resolve(component + ".json");
  }

  /** FATE's model id: the roles and their parties, e.g. {@code guest-9999#host-10000_model}. */
  static String modelId(ValidatedJob job) {
    List<String> parts = new ArrayList<>();
    for (String role : List.of("arbiter", "guest", "host")) {
      List<Integer> ps = job.roles().get(role);
      if (ps != null && !ps.isEmpty()) {
        parts.add(role + "-" + String.join("-", ps.stream().map(String::valueOf).toList()));
      }
    }
    return String.join("#", parts) + "_model";
  }

  // ---------------------------------------------------------------- logs

  void log(String jobId, String line) {
    Path file = dataDir.resolve("logs").resolve(jobId + ".log");
    String entry = Instant.now() + " party " + self + " " + line + "\n";
    synchronized (this) {
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(
            file,
            entry,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        LOG.warn("cannot write the log of job {}: {}", jobId, e.toString());
      }
    }
  }

  private List<String> readLog(String jobId) {
    Path file = dataDir.resolve("logs").resolve(jobId + ".log");
    try {
      return Files.exists(file) ? Files.readAllLines(file) : List.of();
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot read " + file, e);
    }
  }

  // ---------------------------------------------------------------- helpers

  private void cancelLocal(String jobId) {
    JobRun run = runs.get(jobId);
    if (run != null) {
      run.cancel();
    }
  }

  private void awaitLocalEnd(String jobId) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (runs.containsKey(jobId) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void broadcastStop(String jobId, List<Integer> parties) {
    byte[] body = json(Map.of("job_id", jobId));
    for (int p : parties) {
      try {
        federation.call(p, "flow.stop", body, CONTROL_TIMEOUT);
      } catch (RuntimeException e) {
        LOG.warn("job {}: cannot stop it at party {}: {}", jobId, p, e.getMessage());
      }
    }
  }

  private JobStore.Job requireJob(String jobId) {
    return jobs.job(jobId)
        .orElseThrow(
            () ->
                new FederaException(
                    ErrorCode.NOT_FOUND,
                    "no job " + jobId + " at party " + self + "; 'federa job list' shows them"));
  }

  static ValidatedJob validated(JobStore.Job job) {
    try {
      return JobValidator.validate(JSON.readTree(job.dsl()), JSON.readTree(job.conf()));
    } catch (JsonProcessingException e) {
      throw new FederaException(
          ErrorCode.INTERNAL, "stored job " + job.jobId() + " is not JSON", e);
    }
  }

  static List<Integer> parties(ValidatedJob job) {
    List<Integer> out = new ArrayList<>();
    for (List<Integer> ps : job.roles().values()) {
      for (int p : ps) {
        if (!out.contains(p)) {
          out.add(p);
        }
      }
    }
    return out;
  }

  private static String roleOf(ValidatedJob job, int party) {
    for (var e : job.roles().entrySet()) {
      if (e.getValue().contains(party)) {
        return e.getKey();
      }
    }
    throw new FederaException(
        ErrorCode.INVALID_ARGUMENT,
        "party " + party + " has no role in this job (roles: " + job.roles() + ")");
  }

  private static JsonNode parse(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new FederaException(ErrorCode.PROTOCOL, "a flow request is not JSON", e);
    }
  }

  static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new FederaException(ErrorCode.INTERNAL, "cannot write JSON", e);
    }
  }

  @Override
  public void close() {
    runs.values().forEach(JobRun::cancel);
    runners.shutdownNow();
    control.shutdownNow();
    meta.close();
  }
}
