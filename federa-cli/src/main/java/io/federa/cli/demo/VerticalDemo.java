package io.federa.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.federa.cli.Json;
import io.federa.cli.NodeApi;
import io.federa.cli.Progress;
import io.federa.cli.Timing;
import io.federa.cli.job.JobWatch;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.LocalEngine;
import io.federa.core.metrics.Metrics;
import io.federa.core.table.Table;
import io.federa.crypto.he.HeScheme;
import io.federa.ml.TrainingListener;
import io.federa.ml.tree.GbdtParams;
import io.federa.ml.tree.GradientBoosting;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The vertical demos (the main demo on the shipped breast files, {@code demo hetero-lr} on any, and
 * {@code demo secureboost}), as organisations run them: a {@link LocalFederation} of the guest, the
 * hosts and (hetero LR, unless two parties train alone) the arbiter, each party's file uploaded
 * into its own node as a table named after the file, FATE's job of {@code
 * examples/federa/hetero_lr_*.json} or {@code hetero_secureboost_*.json} (Reader, DataTransform,
 * ECDH PSI, the model, evaluation) set to these parties and tables, submitted at the guest and
 * followed live through its HTTP API; then the centralized baseline on the joined files (LR, or the
 * GBDT with the job's parameters), and both side by side.
 */
public final class VerticalDemo {
  /**
   * The federated run: the model, its evaluation, the loss per iteration, its times (and, for
   * SecureBoost, the ciphertexts the guest decrypted per tree).
   */
  public record Federated(
      String model,
      Double auc,
      Double ks,
      Double accuracy,
      int iterations,
      List<Double> losses,
      double seconds,
      double jobSeconds,
      long firstComponentMs,
      List<Double> decryptionsPerTree) {}

  /** The intersection's size, and the rows the centralized baseline joined on id. */
  public record Intersection(Integer rows, int centralizedJoinRows) {}

  /** Where the time went, end to end. */
  public record Timings(
      double nodesStartSeconds,
      double uploadSeconds,
      double jobSeconds,
      long submitToFirstComponentMs,
      double totalSeconds) {}

  /** The demo's result: the federated run beside the centralized baseline. */
  public record Result(
      String jobId,
      Federated federated,
      Centralized centralized,
      Intersection intersection,
      List<Integer> parties,
      int processes,
      int keyBits,
      String method,
      Timings timings,
      TrainingCost training,
      String dir,
      String guestNode,
      String board) {}

  /** The vertical model a demo trains. */
  public enum Algorithm {
    /** Hetero logistic regression ({@code max_iter} epochs). */
    HETERO_LR("hetero_lr", "hetero_lr_0"),
    /** Hetero SecureBoost ({@code num_trees} trees); the guest holds the key, no arbiter. */
    SECUREBOOST("hetero_secureboost", "hetero_secure_boost_0");

    final String files;
    final String component;

    Algorithm(String files, String component) {
      this.files = files;
      this.component = component;
    }
  }

  /** What to run: data files, columns and hyper-parameters ({@code maxIter}: epochs, or trees). */
  public record Spec(
      Path guestData,
      List<Path> hostData,
      String idColumn,
      String label,
      int maxIter,
      int keyBits,
      HeScheme method,
      boolean arbiter,
      boolean keep,
      Algorithm algorithm) {}

  private final Spec spec;
  private final PrintWriter out;
  private final boolean quiet;

  public VerticalDemo(Spec spec, PrintWriter out, boolean quiet) {
    this.spec = spec;
    this.out = out;
    this.quiet = quiet;
  }

  /** A trained model on the still running node processes (for what a caller runs after it). */
  public record Trained(
      String jobId, String modelId, String modelVersion, Path guestConf, NodeProcesses nodes) {}

  /** What runs after the job while the nodes are up ({@link #run(Progress, After)}). */
  @FunctionalInterface
  public interface After {
    void run(Trained trained) throws Exception;
  }

  public Result run(Progress progress) throws Exception {
    return run(progress, null);
  }

  /**
   * Runs the demo, then {@code after} (unless null) with its trained model before the nodes stop.
   */
  public Result run(Progress progress, After after) throws Exception {
    for (Path p : Stream.concat(Stream.of(spec.guestData()), spec.hostData().stream()).toList()) {
      if (!Files.isRegularFile(p)) {
        throw new FederaException(
            ErrorCode.NOT_FOUND,
            "data file "
                + p
                + " does not exist; run from the project's root or give --guest-data/--host-data");
      }
    }
    if (!spec.arbiter() && spec.hostData().size() != 1 && spec.algorithm() == Algorithm.HETERO_LR) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "two parties without an arbiter take exactly one host file (got "
              + spec.hostData().size()
              + "); drop --no-arbiter for several hosts");
    }
    long start = System.nanoTime();
    int hosts = spec.hostData().size();
    boolean arbiter = spec.arbiter() && spec.algorithm() == Algorithm.HETERO_LR;
    var parties = LocalFederation.vertical(hosts, arbiter);
    try (LocalFederation fed = LocalFederation.start(parties, spec.keep())) {
      say(
          "federation of %d parties in %s: guest %d, host%s %s%s — one node process each%n",
          parties.size(),
          fed.dir(),
          LocalFederation.GUEST,
          hosts > 1 ? "s" : "",
          hostIds(),
          arbiter ? ", arbiter " + LocalFederation.ARBITER : " (no arbiter)");
      double nodesStart = Timing.secondsSince(start);
      long uploadStart = System.nanoTime();
      // every party's file at once (independent uploads), told in party order
      List<CompletableFuture<Runnable>> sent = new ArrayList<>();
      sent.add(upload(fed, LocalFederation.GUEST, spec.guestData(), spec.label()));
      for (int h = 0; h < hosts; h++) {
        sent.add(upload(fed, LocalFederation.host(h), spec.hostData().get(h), null));
      }
      for (var s : sent) {
        NodeProcesses.joined(s).run();
      }
      double uploads = Timing.secondsSince(uploadStart);
      long submitted = System.nanoTime();
      String jobId = fed.submit(LocalFederation.GUEST, dsl(), conf());
      NodeApi guest = fed.api(LocalFederation.GUEST);
      String board = guest.boardLink(jobId);
      say("watch it on the guest's board: %s%n", board);
      JobWatch.Outcome job = JobWatch.follow(guest, jobId, submitted, quiet ? null : out, progress);
      long firstComponent = JobWatch.firstComponentMs(guest, jobId);
      // the loss is the arbiter's to know, or the guest's without an arbiter
      int lossParty = arbiter ? LocalFederation.ARBITER : LocalFederation.GUEST;
      String trainer = spec.algorithm().component;
      List<Double> losses = fed.metric(LocalFederation.GUEST, jobId, trainer, "loss", lossParty);
      Centralized cen = centralized();
      var federated =
          new Federated(
              String.format(
                  spec.algorithm() == Algorithm.SECUREBOOST
                      ? "hetero SecureBoost (%s %d-bit, depth 3, learning rate 0.3, 32 bins) via flow"
                      : "hetero LR (%s %d-bit, L-BFGS across the parties, standardized columns, "
                          + (arbiter
                              ? "exact sigmoid through the arbiter)"
                              : "Taylor loss, no arbiter)")
                          + " via flow",
                  schemeName(),
                  spec.keyBits()),
              job.evaluation().get("auc"),
              job.evaluation().get("ks"),
              job.evaluation().get("accuracy"),
              losses.size(),
              losses,
              Timing.secondsSince(start),
              job.seconds(),
              job.firstComponentMs(),
              fed.metric(
                  LocalFederation.GUEST, jobId, trainer, "decryptions", LocalFederation.GUEST));
      var timings =
          new Timings(
              nodesStart, uploads, job.seconds(), firstComponent, Timing.secondsSince(start));
      var result =
          new Result(
              jobId,
              federated,
              cen,
              new Intersection(job.intersection(), cen.joinedRows()),
              new ArrayList<>(parties.keySet()),
              parties.size(),
              spec.keyBits(),
              spec.method().fateName(),
              timings,
              TrainingCost.of(
                  fed, LocalFederation.GUEST, jobId, trainer, lossParty, parties.keySet()),
              spec.keep() ? fed.dir().toString() : null,
              spec.keep() ? fed.conf(LocalFederation.GUEST).toString() : null,
              board);
      if (after != null) {
        String modelId =
            guest.get("/models?job_id=" + jobId).path("models").path(0).path("model_id").asText();
        after.run(new Trained(jobId, modelId, jobId, fed.conf(LocalFederation.GUEST), fed.nodes()));
      }
      if (spec.keep()) {
        say(
            "%nthe nodes keep running: FEDERA_NODE=%s federa query --job %s%n"
                + "stop them with 'federa node stop --conf %s/federation/party-N/node.yaml'%n",
            result.guestNode(), jobId, fed.dir());
      }
      return result;
    }
  }

  /** Uploads {@code file} into {@code party}'s node as table experiment.NAME, NAME the file's. */
  private CompletableFuture<Runnable> upload(
      LocalFederation fed, int party, Path file, String label) {
    String table = LocalFederation.tableName(file);
    return CompletableFuture.supplyAsync(
        () -> {
          JsonNode info = fed.upload(party, file, "experiment", table, spec.idColumn(), label);
          return () ->
              say(
                  "uploaded %s into party %d's node as experiment.%s: %d rows, %d features%n",
                  file.getFileName(),
                  party,
                  table,
                  info.path("rows").asInt(),
                  info.path("features").asInt());
        });
  }

  private List<Integer> hostIds() {
    List<Integer> ids = new ArrayList<>();
    for (int h = 0; h < spec.hostData().size(); h++) {
      ids.add(LocalFederation.host(h));
    }
    return ids;
  }

  /** The shipped DSL of the algorithm (examples/federa). */
  private JsonNode dsl() throws IOException {
    return Json.mapper().readTree(jobs().resolve(spec.algorithm().files + "_dsl.json").toFile());
  }

  /** The shipped conf, set to these parties, tables and parameters. */
  private JsonNode conf() throws IOException {
    ObjectNode conf =
        (ObjectNode)
            Json.mapper().readTree(jobs().resolve(spec.algorithm().files + "_conf.json").toFile());
    ObjectNode role = conf.putObject("role");
    role.putArray("guest").add(LocalFederation.GUEST);
    ArrayNode hostRole = role.putArray("host");
    hostIds().forEach(hostRole::add);
    if (spec.arbiter() && spec.algorithm() == Algorithm.HETERO_LR) {
      role.putArray("arbiter").add(LocalFederation.ARBITER);
    }
    ObjectNode byRole = (ObjectNode) conf.path("component_parameters").path("role");
    ObjectNode guest = (ObjectNode) byRole.path("guest").path("0");
    guest
        .putObject("reader_0")
        .putObject("table")
        .put("name", LocalFederation.tableName(spec.guestData()))
        .put("namespace", "experiment");
    ObjectNode hostTemplate = (ObjectNode) byRole.path("host").path("0");
    ObjectNode hostsNode = byRole.putObject("host");
    for (int h = 0; h < spec.hostData().size(); h++) {
      ObjectNode one = hostTemplate.deepCopy();
      one.putObject("reader_0")
          .putObject("table")
          .put("name", LocalFederation.tableName(spec.hostData().get(h)))
          .put("namespace", "experiment");
      hostsNode.set(Integer.toString(h), one);
    }
    ObjectNode model =
        (ObjectNode)
            conf.path("component_parameters").path("common").path(spec.algorithm().component);
    model.put(spec.algorithm() == Algorithm.SECUREBOOST ? "num_trees" : "max_iter", spec.maxIter());
    ObjectNode encrypt =
        model
            .putObject("encrypt_param")
            .put("method", spec.method().fateName())
            .put("key_length", spec.keyBits());
    if (spec.keyBits() < 2048) {
      encrypt.put("insecure_test_keys", true);
    }
    return conf;
  }

  private String schemeName() {
    return spec.method() == HeScheme.OU ? "OU" : "Paillier";
  }

  private static Path jobs() {
    return DemoCommand.shippedData().getParent().resolve("federa");
  }

  /**
   * The centralized baseline on the files joined by id: LR, or the GBDT with the job's parameters
   * (which SecureBoost reproduces exactly).
   */
  private Centralized centralized() {
    if (spec.algorithm() == Algorithm.HETERO_LR) {
      double alpha;
      try {
        alpha =
            Json.mapper()
                .readTree(jobs().resolve(spec.algorithm().files + "_conf.json").toFile())
                .path("component_parameters")
                .path("common")
                .path(spec.algorithm().component)
                .path("alpha")
                .asDouble(0.01);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return Centralized.logisticRegression(
          spec.guestData(), spec.hostData(), spec.idColumn(), spec.label(), alpha);
    }
    long t0 = System.nanoTime();
    Table joined =
        JoinedData.read(spec.guestData(), spec.hostData(), spec.idColumn(), spec.label());
    LocalEngine engine = LocalEngine.allCores();
    var params = new GbdtParams(GbdtParams.Loss.LOGISTIC, spec.maxIter(), 3, 0.3, 32, 0.1, 1e-3, 1);
    double[] p =
        GradientBoosting.fit(joined, params, engine, TrainingListener.NONE).predict(joined, engine);
    return new Centralized(
        "GBDT on the joined data (the same parameters)",
        Metrics.auc(joined.labels(), p),
        Metrics.ks(joined.labels(), p),
        null,
        Timing.secondsSince(t0),
        joined.rows());
  }

  private void say(String format, Object... args) {
    if (!quiet) {
      out.printf(format, args);
      out.flush();
    }
  }
}
