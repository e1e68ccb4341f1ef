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
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
  private final List<Process> processes = new ArrayList<>();

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
    try {
      return runIn(dir, progress);
    } finally {
      processes.forEach(Process::destroyForcibly);
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

    Map<String, String> data = new LinkedHashMap<>();
    data.put(Integer.toString(GUEST), spec.guestData().toAbsolutePath().toString());
    for (int h = 0; h < hosts; h++) {
      data.put(
          Integer.toString(FIRST_HOST + h), spec.hostData().get(h).toAbsolutePath().toString());
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
    say(
        "federation of %d parties in %s: guest %d, host%s %s%s — one process each%n",
        confs.size(),
        dir,
        GUEST,
        hosts > 1 ? "s" : "",
        hostIds,
        arbiter >= 0 ? ", arbiter " + arbiter : " (no arbiter)");

    Map<Integer, JsonNode> results = new ConcurrentHashMap<>();
    Map<Integer, String> errors = new ConcurrentHashMap<>();
    List<Thread> readers = new ArrayList<>();
    progress.start("hetero LR", spec.maxIter());
    for (Path conf : confs) {
      int party = io.federa.federation.NodeConfig.load(conf).partyId();
      Process p = startParty(conf, jobFile, dir.resolve("party-" + party + ".log"));
      processes.add(p);
      Thread t =
          new Thread(() -> readEvents(party, p, results, errors, progress), "demo-party-" + party);
      t.setDaemon(true);
      t.start();
      readers.add(t);
    }
    waitForAll(dir, errors);
    for (Thread t : readers) {
      t.join(TimeUnit.SECONDS.toMillis(10));
    }
    progress.finish();
    double federatedSeconds = Timing.secondsSince(start);

    JsonNode guest = results.get(GUEST);
    if (guest == null) {
      throw new FederaException(
          ErrorCode.INTERNAL, "the guest's process ended without a result; see " + dir);
    }
    long t0 = System.nanoTime();
    Table joined =
        JoinedData.read(spec.guestData(), spec.hostData(), spec.idColumn(), spec.label());
    LocalEngine engine = LocalEngine.allCores();
    var central =
        LogisticRegression.fit(
            joined, LogisticRegressionParams.defaults(), engine, TrainingListener.NONE);
    double[] p = LogisticRegression.predictProbability(central, joined, engine);
    double centralSeconds = Timing.secondsSince(t0);

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
    var cen = new LinkedHashMap<String, Object>();
    cen.put("model", "LR on the joined data (L-BFGS, C = 1)");
    cen.put("auc", Metrics.auc(joined.labels(), p));
    cen.put("ks", Metrics.ks(joined.labels(), p));
    cen.put("seconds", centralSeconds);
    result.put("centralized", cen);
    var inter = new LinkedHashMap<String, Object>();
    inter.put("rows", guest.get("intersection").asInt());
    inter.put("guest_rows", guest.get("own_rows").asInt());
    List<Integer> hostRows = new ArrayList<>();
    for (int h : hostIds) {
      hostRows.add(results.get(h).get("own_rows").asInt());
    }
    inter.put("host_rows", hostRows);
    inter.put("centralized_join_rows", joined.rows());
    result.put("intersection", inter);
    List<Map<String, Object>> partyRows = new ArrayList<>();
    for (var e : new java.util.TreeMap<>(results).entrySet()) {
      var row = new LinkedHashMap<String, Object>();
      row.put("party_id", e.getKey());
      row.put("role", e.getValue().get("role").asText());
      row.put("bytes_sent", e.getValue().get("bytes_sent").asLong());
      row.put("seconds", e.getValue().get("seconds").asDouble());
      partyRows.add(row);
    }
    result.put("parties", partyRows);
    result.put("processes", confs.size());
    result.put("key_bits", spec.keyBits());
    return result;
  }

  private Process startParty(Path conf, Path jobFile, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "--add-opens",
            "java.base/java.math=ALL-UNNAMED",
            "-Xmx2g",
            "-cp",
            System.getProperty("java.class.path"),
            FederaCli.class.getName(),
            "run-party",
            "--conf",
            conf.toString(),
            "--job",
            jobFile.toString(),
            "--json")
        .redirectError(log.toFile())
        .start();
  }

  private void readEvents(
      int party,
      Process p,
      Map<Integer, JsonNode> results,
      Map<Integer, String> errors,
      Progress progress) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        JsonNode node;
        try {
          node = Json.mapper().readTree(line);
        } catch (IOException e) {
          continue; // not an event (a stray line from a library)
        }
        if (node.has("error")) {
          errors.put(
              party,
              node.get("error").get("code").asText()
                  + "\t"
                  + node.get("error").get("message").asText());
        } else if (node.has("event")) {
          onEvent(party, node, progress);
        } else {
          results.put(party, node);
        }
      }
    } catch (IOException e) {
      errors.putIfAbsent(party, "lost the output of party " + party + ": " + e.getMessage());
    }
  }

  private void onEvent(int party, JsonNode e, Progress progress) {
    switch (e.get("event").asText()) {
      case "intersection" ->
          say(
              "intersection (ECDH-PSI, Curve25519): %d of the guest's %d ids are common%n",
              e.get("rows").asInt(), e.get("own_rows").asInt());
      case "iteration" -> {
        progress.stepTo(e.get("iteration").asInt());
        progress.extra(String.format("loss %.5f", e.get("loss").asDouble()));
        say(
            "  iteration %3d/%d  loss %.6f%n",
            e.get("iteration").asInt(), e.get("planned").asInt(), e.get("loss").asDouble());
      }
      default -> {}
    }
  }

  private void waitForAll(Path dir, Map<Integer, String> errors) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    while (true) {
      boolean allDone = true;
      for (int i = 0; i < processes.size(); i++) {
        Process p = processes.get(i);
        if (p.isAlive()) {
          allDone = false;
        } else if (p.exitValue() != 0) {
          Thread.sleep(200); // let the reader pick up the error line
          processes.forEach(Process::destroyForcibly);
          ErrorCode code = ErrorCode.INTERNAL;
          List<String> why = new ArrayList<>();
          for (var e : new java.util.TreeMap<>(errors).entrySet()) {
            String[] parts = e.getValue().split("\t", 2);
            code = ErrorCode.valueOf(parts[0]);
            why.add("party " + e.getKey() + ": " + parts[1]);
          }
          if (why.isEmpty()) {
            why.add("exit code " + p.exitValue());
          }
          throw new FederaException(
              code,
              "a party's process failed, so the job was stopped: "
                  + String.join("; ", why)
                  + (spec.keep() ? " (logs in " + dir + ")" : " (rerun with --keep to see logs)"));
        }
      }
      if (allDone) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new FederaException(ErrorCode.TIMEOUT, "the demo did not finish in 30 minutes");
      }
      Thread.sleep(100);
    }
  }

  private void say(String format, Object... args) {
    if (!quiet) {
      synchronized (out) {
        out.printf(format, args);
        out.flush();
      }
    }
  }
}
