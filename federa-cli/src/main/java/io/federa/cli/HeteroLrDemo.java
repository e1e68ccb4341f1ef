package io.federa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.LocalEngine;
import io.federa.core.io.AtomicFiles;
import io.federa.core.metrics.Metrics;
import io.federa.core.table.Table;
import io.federa.federation.pki.FederationPki;
import io.federa.federation.pki.PartySpec;
import io.federa.ml.TrainingListener;
import io.federa.ml.linear.LogisticRegression;
import io.federa.ml.linear.LogisticRegressionParams;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The main demo: a fresh federation (CA, certificates, node configs) in a temporary directory, one
 * OS process per party (guest, hosts, arbiter) talking over mutual TLS on loopback, each running
 * {@code federa run-party} on its own data file; then the centralized baseline on the joined files
 * in this process, and both results side by side.
 */
final class HeteroLrDemo {
  static final int GUEST = 9999;
  static final int FIRST_HOST = 10000;

  /** What to run: data files, columns and hyper-parameters. */
  record Spec(
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
  private PartyProcesses processes;

  HeteroLrDemo(Spec spec, PrintWriter out, boolean quiet) {
    this.spec = spec;
    this.out = out;
    this.quiet = quiet;
  }

  Map<String, Object> run(Progress progress) throws Exception {
    for (Path p : Stream.concat(Stream.of(spec.guestData()), spec.hostData().stream()).toList()) {
      if (!Files.isRegularFile(p)) {
        throw new FederaException(
            ErrorCode.NOT_FOUND,
            "data file "
                + p
                + " does not exist; run from the project's root or give --guest-data/--host-data");
      }
    }
    Path dir = Files.createTempDirectory("federa-demo-");
    try (PartyProcesses running = new PartyProcesses(dir, out, quiet, spec.keep())) {
      processes = running;
      return runIn(dir, progress);
    } finally {
      if (!spec.keep()) {
        LoopbackNodes.deleteTree(dir);
      }
    }
  }

  private Map<String, Object> runIn(Path dir, Progress progress) throws Exception {
    long start = System.nanoTime();
    int hosts = spec.hostData().size();
    int arbiter = spec.arbiter() ? FIRST_HOST + hosts : -1;
    List<Integer> hostIds = new ArrayList<>();
    StringBuilder parties =
        new StringBuilder(GUEST + ":guest-org@127.0.0.1:" + LoopbackNodes.freePort());
    for (int h = 0; h < hosts; h++) {
      hostIds.add(FIRST_HOST + h);
      parties.append(",").append(FIRST_HOST + h).append(":host-org-").append(h + 1);
      parties.append("@127.0.0.1:").append(LoopbackNodes.freePort());
    }
    if (arbiter >= 0) {
      parties.append(",").append(arbiter).append(":arbiter-org@127.0.0.1:");
      parties.append(LoopbackNodes.freePort());
    }
    List<Path> confs =
        new FederationPki()
            .init(
                dir.resolve("federation"), PartySpec.parseList(parties.toString(), "127.0.0.1", 0));

    // each party's file is uploaded into its own node's table store, as 'federa upload' does
    Map<String, String> data = new LinkedHashMap<>();
    for (Path conf : confs) {
      int party = io.federa.federation.NodeConfig.load(conf).partyId();
      if (party == arbiter) {
        continue;
      }
      boolean guestParty = party == GUEST;
      Path file = guestParty ? spec.guestData() : spec.hostData().get(party - FIRST_HOST);
      io.federa.core.csv.CsvOptions options =
          guestParty
              ? io.federa.core.csv.CsvOptions.labeled()
                  .withIdColumn(spec.idColumn())
                  .withLabelColumn(spec.label())
              : io.federa.core.csv.CsvOptions.unlabeled().withIdColumn(spec.idColumn());
      String name = guestParty ? "guest" : "host_" + (party - FIRST_HOST);
      try (NodeStorage storage = NodeStorage.open(conf)) {
        storage.tables().upload(file, "demo", name, options, true);
      } catch (FederaException e) {
        throw new FederaException(e.code(), "party " + party + ": " + e.getMessage(), e);
      }
      data.put(Integer.toString(party), "table:demo." + name);
    }
    var defaults = io.federa.ml.hetero.HeteroLrParams.defaults();
    HeteroJob job =
        new HeteroJob(
            "demo-" + Long.toHexString(System.currentTimeMillis()),
            GUEST,
            hostIds,
            arbiter,
            data,
            spec.idColumn(),
            spec.label(),
            io.federa.ml.psi.PsiMode.BOTH,
            spec.maxIter(),
            defaults.learningRate(),
            defaults.optimizer(),
            defaults.alpha(),
            defaults.tol(),
            spec.keyBits(),
            600);
    Path jobFile = dir.resolve("job.json");
    AtomicFiles.write(jobFile, w -> w.write(Json.write(job)));
    processes.say(
        "federation of %d parties in %s: guest %d, host%s %s%s — one process each%n",
        confs.size(),
        dir,
        GUEST,
        hosts > 1 ? "s" : "",
        hostIds,
        arbiter >= 0 ? ", arbiter " + arbiter : " (no arbiter)");

    progress.start("hetero LR", spec.maxIter());
    Map<Integer, JsonNode> results =
        processes.run(confs, jobFile, (party, event) -> onEvent(party, event, progress));
    progress.finish();
    double federatedSeconds = Timing.secondsSince(start);

    JsonNode guest = results.get(GUEST);
    if (guest == null) {
      throw new FederaException(
          ErrorCode.INTERNAL, "the guest's process ended without a result; see " + dir);
    }
    Map<String, Object> cen =
        centralized(spec.guestData(), spec.hostData(), spec.idColumn(), spec.label());
    int joinedRows = (Integer) cen.remove("rows");

    var result = new LinkedHashMap<String, Object>();
    var fed = new LinkedHashMap<String, Object>();
    fed.put(
        "model",
        "hetero LR (Paillier "
            + spec.keyBits()
            + "-bit, Adam, Taylor loss, "
            + (arbiter >= 0 ? "with arbiter" : "two parties, no arbiter")
            + ")");
    fed.put("auc", guest.get("auc").asDouble());
    fed.put("ks", guest.get("ks").asDouble());
    // the loss is the arbiter's to know, or the guest's without an arbiter
    JsonNode losses = (arbiter >= 0 ? results.get(arbiter) : guest).get("losses");
    List<Double> lossList = new ArrayList<>();
    if (losses != null) {
      losses.forEach(l -> lossList.add(l.asDouble()));
    }
    fed.put("iterations", lossList.size());
    fed.put("losses", lossList);
    fed.put("seconds", federatedSeconds);
    fed.put("psi_seconds", guest.get("psi_seconds").asDouble());
    fed.put("train_seconds", guest.get("train_seconds").asDouble());
    result.put("federated", fed);
    result.put("centralized", cen);
    var inter = new LinkedHashMap<String, Object>();
    inter.put("rows", guest.get("intersection").asInt());
    inter.put("guest_rows", guest.get("own_rows").asInt());
    List<Integer> hostRows = new ArrayList<>();
    for (int h : hostIds) {
      hostRows.add(results.get(h).get("own_rows").asInt());
    }
    inter.put("host_rows", hostRows);
    inter.put("centralized_join_rows", joinedRows);
    result.put("intersection", inter);
    result.put("parties", PartyProcesses.partyRows(results));
    result.put("processes", confs.size());
    result.put("key_bits", spec.keyBits());
    return result;
  }

  /** Centralized LR on the files joined by id: the baseline a federated run must meet. */
  static Map<String, Object> centralized(
      Path guestData, List<Path> hostData, String idColumn, String label) {
    long t0 = System.nanoTime();
    Table joined = JoinedData.read(guestData, hostData, idColumn, label);
    LocalEngine engine = LocalEngine.allCores();
    var central =
        LogisticRegression.fit(
            joined, LogisticRegressionParams.defaults(), engine, TrainingListener.NONE);
    double[] p = LogisticRegression.predictProbability(central, joined, engine);
    var cen = new LinkedHashMap<String, Object>();
    cen.put("model", "LR on the joined data (L-BFGS, C = 1)");
    cen.put("auc", Metrics.auc(joined.labels(), p));
    cen.put("ks", Metrics.ks(joined.labels(), p));
    cen.put("seconds", Timing.secondsSince(t0));
    cen.put("rows", joined.rows());
    return cen;
  }

  private void onEvent(int party, JsonNode e, Progress progress) {
    switch (e.get("event").asText()) {
      case "intersection" ->
          processes.say(
              "intersection (ECDH-PSI, Curve25519): %d of the guest's %d ids are common%n",
              e.get("rows").asInt(), e.get("own_rows").asInt());
      case "iteration" -> {
        progress.stepTo(e.get("iteration").asInt());
        progress.extra(String.format("loss %.5f", e.get("loss").asDouble()));
        processes.say(
            "  iteration %3d/%d  loss %.6f%n",
            e.get("iteration").asInt(), e.get("planned").asInt(), e.get("loss").asDouble());
      }
      default -> {}
    }
  }
}
