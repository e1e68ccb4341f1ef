package io.federa.flow.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.compute.LocalEngine;
import io.federa.core.io.AtomicFiles;
import io.federa.federation.ControlCalls;
import io.federa.federation.Federation;
import io.federa.federation.NodeConfig;
import io.federa.flow.dsl.JobValidator;
import io.federa.flow.dsl.ValidatedJob;
import io.federa.flow.job.JobStore;
import io.federa.flow.job.ModelStore;
import io.federa.flow.store.MetadataStore;
import io.federa.flow.store.TableStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The flow side of a node, wired from its rooms: jobs submitted here (this node is their initiator)
 * are run by the {@link Coordinator}, every job this party takes part in by its {@link
 * Participant}; outputs and models live in the {@link ModelRegistry}, logs in {@link JobLogs}.
 * Parties talk to each other only through the federation's calls ({@link ControlChannel}) and
 * messages (the components' protocols). This class is the node's API for the HTTP layer and tests.
 */
public final class FlowNode implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FlowNode.class);
  private final int self;
  private final Path dataDir;
  private final MetadataStore meta;
  private final TableStore tables;
  private final Jobs jobs;
  private final JobLogs logs;
  private final ModelRegistry registry;
  private final ControlChannel channel;
  private final Participant participant;
  private final Coordinator coordinator;
  private final ExecutorService pool;
  private final io.federa.flow.serving.Serving serving;

  /**
   * Flow on {@code federation} (its messages for the components' protocols, its control calls for
   * flow's own), with its data in {@code dataDir} and metadata at {@code metadataUrl} (null: the
   * embedded SQLite store).
   */
  public <F extends Federation & ControlCalls> FlowNode(
      F federation, Path dataDir, String metadataUrl, int jobSlots) {
    this(federation, dataDir, metadataUrl, jobSlots, Watchdog.Settings.DEFAULTS);
  }

  /** As above, with the watchdog's heartbeat period, unreachable time and deadline. */
  <F extends Federation & ControlCalls> FlowNode(
      F federation, Path dataDir, String metadataUrl, int jobSlots, Watchdog.Settings watch) {
    this.self = federation.self();
    this.dataDir = dataDir;
    AtomicFiles.makePrivate(dataDir); // the node's rows, models and logs: its operator's only
    this.meta =
        MetadataStore.open(metadataUrl == null ? MetadataStore.sqliteUrl(dataDir) : metadataUrl);
    this.tables = new TableStore(dataDir, meta);
    removeInterruptedUploads(dataDir.resolve("uploads"));
    this.jobs = new Jobs(self, new JobStore(meta));
    this.logs = new JobLogs(dataDir, self);
    this.registry = new ModelRegistry(self, dataDir, tables, new ModelStore(meta));
    this.pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "federa-flow");
              t.setDaemon(true);
              return t;
            });
    this.channel = new ControlChannel(federation);
    var admission = new Admission(self, tables, registry);
    var env =
        new JobRun.Environment(
            self,
            federation,
            tables,
            LocalEngine.allCores(),
            registry,
            dataDir.resolve("checkpoints"),
            pool);
    this.participant =
        new Participant(
            channel,
            jobs,
            logs,
            admission,
            federation,
            env,
            pool,
            jobSlots,
            watch.heartbeat(),
            dataDir.resolve("reports"));
    this.coordinator = new Coordinator(channel, jobs, logs, admission, participant, pool, watch);
    this.serving =
        new io.federa.flow.serving.Serving(
            channel,
            registry,
            tables,
            meta,
            id -> jobs.store().job(id).map(jobs::typed),
            dataDir.resolve("serving"),
            pool);
  }

  /** Flow for a node configuration (its data directory, metadata URL and job slots). */
  public <F extends Federation & ControlCalls> FlowNode(F federation, NodeConfig config) {
    this(
        federation,
        config.dataPath(),
        config.metadataUrl(),
        config.jobSlots(),
        new Watchdog.Settings(config.heartbeat(), config.unreachableAfter(), config.failAfter()));
    if (config.jobRetention() != null) {
      retain(config.jobRetention());
    }
    if (config.serving() != null) {
      serving.sources(config.serving().sources());
    }
  }

  /** Uploads a killed node was receiving (never stored as tables) are removed at start. */
  private static void removeInterruptedUploads(Path dir) {
    if (!java.nio.file.Files.isDirectory(dir)) {
      return;
    }
    try (var left = java.nio.file.Files.list(dir)) {
      for (Path p : left.toList()) {
        java.nio.file.Files.deleteIfExists(p);
      }
    } catch (java.io.IOException e) {
      throw new io.federa.core.FederaException(
          io.federa.core.ErrorCode.IO_FAILURE, "cannot clear " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Picks up the jobs a previous run of this node left unfinished (each resumes where it was). */
  public void resumeUnfinished() {
    participant.resumeUnfinished();
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
    return jobs.store();
  }

  public ModelRegistry models() {
    return registry;
  }

  /** Online inference: the services this node serves (docs/serving.md). */
  public io.federa.flow.serving.Serving serving() {
    return serving;
  }

  /**
   * Validates and records a job at its initiator (this node) and returns its id at once; sending it
   * to the parties, their answers and the run follow in the background ({@link #query}).
   */
  public String submit(JsonNode dsl, JsonNode conf) {
    return submitJob(dsl, conf).jobId();
  }

  /**
   * A submitted job: its id, and FATE's model id and version of what it trains (the version is the
   * job id), under which the registry will hold the model.
   */
  public record Submitted(String jobId, String modelId, String modelVersion) {}

  /** As {@link #submit}, with the model id and version FATE users expect back. */
  public Submitted submitJob(JsonNode dsl, JsonNode conf) {
    ValidatedJob job = JobValidator.validate(dsl, latestModel(dsl, conf));
    String jobId = coordinator.submit(job);
    return new Submitted(jobId, job.trainedModelId(), jobId);
  }

  /**
   * A job with its tasks, and (a running job this node initiated) its parties as the watchdog sees
   * them.
   */
  public record JobView(JobStore.Job job, List<JobStore.Task> tasks, List<PartyView> parties) {}

  /** The job and its tasks at every party, as this node knows them. */
  public Optional<JobView> query(String jobId) {
    return jobs.store()
        .job(jobId)
        .map(
            j -> {
              List<String> order = jobs.typed(j).order();
              List<JobStore.Task> tasks = new ArrayList<>(jobs.store().tasks(jobId));
              tasks.sort(
                  Comparator.comparingInt((JobStore.Task t) -> order.indexOf(t.component()))
                      .thenComparingInt(JobStore.Task::partyId));
              return new JobView(j, tasks, coordinator.parties(jobId));
            });
  }

  /** A job's validated DSL and conf: its components, their inputs, modules and parties. */
  public Optional<ValidatedJob> plan(String jobId) {
    return jobs.store().job(jobId).map(jobs::typed);
  }

  /**
   * Stops a job at every party (a job that already ended keeps its state); returns whether it was
   * still running.
   */
  public boolean stop(String jobId) {
    return coordinator.stop(jobId);
  }

  /**
   * Runs a job again at every party from {@code component} (and everything after it); the
   * components before it keep their outputs.
   */
  public void rerun(String jobId, String component) {
    coordinator.rerun(jobId, component, false);
  }

  /**
   * Deletes an ended job this node initiated at every party: outputs, logs, checkpoints, stored
   * messages, transcripts and tracking (models stay in the registry). Returns the parties.
   */
  public List<Integer> delete(String jobId) {
    return coordinator.delete(jobId);
  }

  /** Deletes, now and once an hour, this party's jobs that ended more than {@code keep} ago. */
  public void retain(java.time.Duration keep) {
    participant.retain(keep);
  }

  /** One retention sweep as if it were {@code now} (tests); returns how many jobs went. */
  int sweep(java.time.Instant now, java.time.Duration keep) {
    return participant.sweep(now, keep);
  }

  /** The log lines of a job at {@code party} (fetched through the federation for other parties). */
  public List<String> logs(String jobId, int party) {
    jobs.require(jobId);
    return party == self
        ? logs.read(jobId, false)
        : channel.ask(party, Control.LOG, new Control.JobRef(jobId)).lines();
  }

  /**
   * What {@code party} received in a job, summed by sender, component, message (iteration numbers
   * folded into {@code #}) and declared kind: the privacy transcript of {@code federa audit}.
   */
  public List<AuditRow> audit(String jobId, int party) {
    jobs.require(jobId);
    if (party == self) {
      return participant.audit(jobId);
    }
    return channel.ask(party, Control.AUDIT, new Control.JobRef(jobId)).rows();
  }

  /** The metrics of a job ({@code component} null: all) from every party, as this node has them. */
  public List<JobStore.Metric> metrics(String jobId, String component) {
    jobs.require(jobId);
    return jobs.store().metrics(jobId, component);
  }

  public static String outputNamespace(String jobId) {
    return ModelRegistry.outputNamespace(jobId);
  }

  @Override
  public void close() {
    participant.close();
    coordinator.close();
    serving.close();
    pool.shutdownNow();
    meta.close();
  }

  /**
   * A predict job whose conf leaves {@code model_id} and {@code model_version} empty (FATE's
   * example files do) predicts with the latest model these parties trained: the conf with them
   * filled in from this node's registry (unchanged when they are given, or when there is no such
   * model, which the validator then reports).
   */
  private JsonNode latestModel(JsonNode dsl, JsonNode conf) {
    JsonNode common = conf.path("job_parameters").path("common");
    if (!dsl.toString().contains("\"" + JobValidator.PIPELINE)
        || !common.path("model_id").asText("").isEmpty()
        || !common.path("model_version").asText("").isEmpty()) {
      return conf;
    }
    java.util.Map<String, List<Integer>> roles = new java.util.LinkedHashMap<>();
    for (var it = conf.path("role").fields(); it.hasNext(); ) {
      var e = it.next();
      List<Integer> ids = new ArrayList<>();
      e.getValue().forEach(id -> ids.add(id.asInt()));
      roles.put(e.getKey(), ids);
    }
    String modelId = ValidatedJob.modelIdOf(roles);
    return registry.parts(null).stream()
        .filter(p -> p.modelId().equals(modelId))
        .max(Comparator.comparing(io.federa.flow.job.ModelPart::createdAt))
        .map(
            p -> {
              var filled = conf.deepCopy();
              ((com.fasterxml.jackson.databind.node.ObjectNode) filled)
                  .withObject("/job_parameters")
                  .withObject("/common")
                  .put("model_id", p.modelId())
                  .put("model_version", p.modelVersion());
              LOG.info(
                  "predict job: model_id empty, using the latest model {} version {}",
                  p.modelId(),
                  p.modelVersion());
              return (JsonNode) filled;
            })
        .orElse(conf);
  }
}
