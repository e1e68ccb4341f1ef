package io.federa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One OS process per party, each running {@code federa run-party} on a job file: starts them, reads
 * their JSON-line events and results, stops all when one fails (with that party's reason), and
 * kills what is left on close. Used by {@code demo hetero-lr} and {@code demo homo-*}, which run
 * the parties without flow.
 */
final class PartyProcesses implements AutoCloseable {
  /** Told about each event a party prints while it runs. */
  interface Events {
    void on(int party, JsonNode event);
  }

  private final Path dir;
  private final PrintWriter out;
  private final boolean quiet;
  private final boolean keep;
  private final List<Process> processes = new ArrayList<>();
  private final Map<Integer, Process> byParty = new ConcurrentHashMap<>();
  private final java.util.Set<Integer> mayDie = ConcurrentHashMap.newKeySet();

  PartyProcesses(Path dir, PrintWriter out, boolean quiet, boolean keep) {
    this.dir = dir;
    this.out = out;
    this.quiet = quiet;
    this.keep = keep;
  }

  /** Runs every party of {@code confs} on {@code jobFile}; returns each party's result. */
  Map<Integer, JsonNode> run(List<Path> confs, Path jobFile, Events events) throws Exception {
    Map<Integer, JsonNode> results = new ConcurrentHashMap<>();
    Map<Integer, String> errors = new ConcurrentHashMap<>();
    List<Thread> readers = new ArrayList<>();
    for (Path conf : confs) {
      int party = io.federa.federation.NodeConfig.load(conf).partyId();
      Process p = startParty(conf, jobFile, dir.resolve("party-" + party + ".log"));
      processes.add(p);
      byParty.put(party, p);
      Thread t = new Thread(() -> readEvents(party, p, results, errors, events), "party-" + party);
      t.setDaemon(true);
      t.start();
      readers.add(t);
    }
    waitForAll(dir, errors);
    for (Thread t : readers) {
      t.join(TimeUnit.SECONDS.toMillis(10));
    }
    return results;
  }

  /**
   * Kills {@code party}'s process (SIGKILL) and lets the job go on without it: for the tests of
   * partial participation.
   */
  void kill(int party) {
    mayDie.add(party);
    Process p = byParty.get(party);
    if (p != null) {
      p.destroyForcibly();
    }
  }

  @Override
  public void close() {
    processes.forEach(Process::destroyForcibly);
  }

  /**
   * The command line of a {@code federa} subcommand in a child JVM with this one's class path (and
   * the flag Paillier's Montgomery intrinsic needs).
   */
  static List<String> federa(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "--add-opens",
            "java.base/java.math=ALL-UNNAMED",
            "-Xmx2g",
            "-cp",
            System.getProperty("java.class.path"),
            FederaCli.class.getName()));
    command.addAll(List.of(args));
    return command;
  }

  private Process startParty(Path conf, Path jobFile, Path log) throws IOException {
    return new ProcessBuilder(
            federa("run-party", "--conf", conf.toString(), "--job", jobFile.toString(), "--json"))
        .redirectError(log.toFile())
        .start();
  }

  private void readEvents(
      int party,
      Process p,
      Map<Integer, JsonNode> results,
      Map<Integer, String> errors,
      Events events) {
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
          events.on(party, node);
        } else {
          results.put(party, node);
        }
      }
    } catch (IOException e) {
      errors.putIfAbsent(party, "lost the output of party " + party + ": " + e.getMessage());
    }
  }

  private int partyOf(Process p) {
    for (var e : byParty.entrySet()) {
      if (e.getValue() == p) {
        return e.getKey();
      }
    }
    return -1;
  }

  private void waitForAll(Path dir, Map<Integer, String> errors) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    while (true) {
      boolean allDone = true;
      for (int i = 0; i < processes.size(); i++) {
        Process p = processes.get(i);
        if (p.isAlive()) {
          allDone = false;
        } else if (p.exitValue() != 0 && !mayDie.contains(partyOf(p))) {
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
                  + (keep ? " (logs in " + dir + ")" : " (rerun with --keep to see logs)"));
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

  void say(String format, Object... args) {
    if (!quiet) {
      synchronized (out) {
        out.printf(format, args);
        out.flush();
      }
    }
  }

  /** One row per party (id, role, bytes sent, seconds), by party id. */
  static List<Map<String, Object>> partyRows(Map<Integer, JsonNode> results) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (var e : new java.util.TreeMap<>(results).entrySet()) {
      var row = new java.util.LinkedHashMap<String, Object>();
      row.put("party_id", e.getKey());
      row.put("role", e.getValue().get("role").asText());
      row.put("bytes_sent", e.getValue().get("bytes_sent").asLong());
      row.put("seconds", e.getValue().get("seconds").asDouble());
      rows.add(row);
    }
    return rows;
  }

  /** Prints {@link #partyRows} for a person. */
  @SuppressWarnings("unchecked")
  static void printParties(Object rows, PrintWriter out) {
    out.println("per party:");
    for (var row : (List<Map<String, Object>>) rows) {
      out.printf(
          "  %-6s %-8s %,14d bytes sent  %6.1f s%n",
          row.get("party_id"),
          row.get("role"),
          ((Number) row.get("bytes_sent")).longValue(),
          ((Number) row.get("seconds")).doubleValue());
    }
  }
}
