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
import io.federa.ml.TrainingListener;
import io.federa.ml.linear.LogisticRegression;
import io.federa.ml.linear.LogisticRegressionParams;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The vertical demo (the main demo on the shipped breast files, or {@code demo hetero-lr} on any),
 * as organisations run it: a {@link LocalFederation} of the guest, the hosts and (unless two
 * parties train alone) the arbiter, each party's file uploaded into its own node as a table named
 * after the file, FATE's job of {@code examples/federa/hetero_lr_*.json} (Reader, DataTransform,
 * ECDH PSI, hetero LR, evaluation) set to these parties and tables, submitted at the guest and
 * followed live through its HTTP API; then the centralized baseline on the joined files, and both
 * side by side.
 */
public final class HeteroLrDemo {
  /** The federated run: the model, its evaluation, the loss per iteration, its times. */
  public record Federated(
      String model,
      Double auc,
      Double ks,
      Double accuracy,
      int iterations,
      List<Double> losses,
      double seconds,
      double jobSeconds,
      long firstComponentMs) {}

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
      Timings timings,
      TrainingCost training,
      String dir,
      String guestNode) {}

  /** What to run: data files, columns and hyper-parameters. */
  public record Spec(
      Path guestData,
      List<Path> hostData,
      String idColumn,
      String label,
      int maxIter,
      int keyBits,
      boolean arbiter,
      boolean keep) {}

  private final Spec spec;
  private final PrintWriter out;
  private final boolean quiet;

  public HeteroLrDemo(Spec spec, PrintWriter out, boolean quiet) {
    this.spec = spec;
    this.out = out;
    this.quiet = quiet;
  }

  public Result run(Progress progress) throws Exception {
    for (Path p : Stream.concat(Stream.of(spec.guestData()), spec.hostData().stream()).toList()) {
      if (!Files.isRegularFile(p)) {
        throw new FederaException(
            ErrorCode.NOT_FOUND,
            "data file "
                + p
                + " does not exist; run from the project's root or give --guest-data/--host-data");
      }
    }
    if (!spec.arbiter() && spec.hostData().size() != 1) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "two parties without an arbiter take exactly one host file (got "
              + spec.hostData().size()
              + "); drop --no-arbiter for several hosts");
    }
    long start = System.nanoTime();
    int hosts = spec.hostData().size();
    var parties = LocalFederation.vertical(hosts, spec.arbiter());
    try (LocalFederation fed = LocalFederation.start(parties, spec.keep())) {
      say(
          "federation of %d parties in %s: guest %d, host%s %s%s — one node process each%n",
          parties.size(),
          fed.dir(),
          LocalFederation.GUEST,
          hosts > 1 ? "s" : "",
          hostIds(),
          spec.arbiter() ? ", arbiter " + LocalFederation.ARBITER : " (no arbiter)");
      double nodesStart = Timing.secondsSince(start);
      long uploadStart = System.nanoTime();
      upload(fed, LocalFederation.GUEST, spec.guestData(), spec.label());
      for (int h = 0; h < hosts; h++) {
        upload(fed, LocalFederation.host(h), spec.hostData().get(h), null);
      }
      double uploads = Timing.secondsSince(uploadStart);
      long submitted = System.nanoTime();
      String jobId = fed.submit(LocalFederation.GUEST, dsl(), conf());
      NodeApi guest = fed.api(LocalFederation.GUEST);
      JobWatch.Outcome job = JobWatch.follow(guest, jobId, submitted, quiet ? null : out, progress);
      long firstComponent = JobWatch.firstComponentMs(guest, jobId);
      // the loss is the arbiter's to know, or the guest's without an arbiter
      int lossParty = spec.arbiter() ? LocalFederation.ARBITER : LocalFederation.GUEST;
      List<Double> losses =
          fed.metric(LocalFederation.GUEST, jobId, "hetero_lr_0", "loss", lossParty);
      Centralized cen =
          centralized(spec.guestData(), spec.hostData(), spec.idColumn(), spec.label());
      var federated =
          new Federated(
              "hetero LR (Paillier "
                  + spec.keyBits()
                  + "-bit, Adam, Taylor loss, "
                  + (spec.arbiter() ? "with arbiter" : "two parties, no arbiter")
                  + ") via flow",
              job.evaluation().get("auc"),
              job.evaluation().get("ks"),
              job.evaluation().get("accuracy"),
              losses.size(),
              losses,
              Timing.secondsSince(start),
              job.seconds(),
              job.firstComponentMs());
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
              timings,
              TrainingCost.of(
                  fed, LocalFederation.GUEST, jobId, "hetero_lr_0", lossParty, parties.keySet()),
              spec.keep() ? fed.dir().toString() : null,
              spec.keep() ? fed.conf(LocalFederation.GUEST).toString() : null);
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
  private void upload(LocalFederation fed, int party, Path file, String label) {
    JsonNode info =
        fed.upload(
            party, file, "experiment", LocalFederation.tableName(file), spec.idColumn(), label);
    say(
        "uploaded %s into party %d's node as experiment.%s: %d rows, %d features%n",
        file.getFileName(),
        party,
        LocalFederation.tableName(file),
        info.path("rows").asInt(),
        info.path("features").asInt());
  }

  private List<Integer> hostIds() {
    List<Integer> ids = new ArrayList<>();
    for (int h = 0; h < spec.hostData().size(); h++) {
      ids.add(LocalFederation.host(h));
    }
    return ids;
  }

  /** The shipped hetero LR DSL (examples/federa). */
  private static JsonNode dsl() throws IOException {
    return Json.mapper().readTree(jobs().resolve("hetero_lr_dsl.json").toFile());
  }

  /** The shipped conf, set to these parties, tables and parameters. */
  private JsonNode conf() throws IOException {
    ObjectNode conf =
        (ObjectNode) Json.mapper().readTree(jobs().resolve("hetero_lr_conf.json").toFile());
    ObjectNode role = conf.putObject("role");
    role.putArray("guest").add(LocalFederation.GUEST);
    ArrayNode hostRole = role.putArray("host");
    hostIds().forEach(hostRole::add);
    if (spec.arbiter()) {
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
    ObjectNode lr =
        (ObjectNode) conf.path("component_parameters").path("common").path("hetero_lr_0");
    lr.put("max_iter", spec.maxIter());
    ObjectNode encrypt = lr.putObject("encrypt_param").put("key_length", spec.keyBits());
    if (spec.keyBits() < 2048) {
      encrypt.put("insecure_test_keys", true);
    }
    return conf;
  }

  private static Path jobs() {
    return DemoCommand.shippedData().getParent().resolve("federa");
  }

  /** Centralized LR on the files joined by id: the baseline a federated run must meet. */
  static Centralized centralized(
      Path guestData, List<Path> hostData, String idColumn, String label) {
    long t0 = System.nanoTime();
    Table joined = JoinedData.read(guestData, hostData, idColumn, label);
    LocalEngine engine = LocalEngine.allCores();
    var central =
        LogisticRegression.fit(
            joined, LogisticRegressionParams.defaults(), engine, TrainingListener.NONE);
    double[] p = LogisticRegression.predictProbability(central, joined, engine);
    return new Centralized(
        "LR on the joined data (L-BFGS, C = 1)",
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
