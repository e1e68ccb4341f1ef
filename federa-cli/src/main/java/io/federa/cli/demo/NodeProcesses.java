package io.federa.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.cli.FederaCli;
import io.federa.cli.Json;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.NodeConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Long-running nodes as OS processes ({@code federa node start}), one per party, each with its log
 * file; closing stops them gracefully (SIGTERM), {@link #kill} does not (SIGKILL).
 */
public final class NodeProcesses implements AutoCloseable {
  private final Path logDir;
  private final Map<Integer, Process> processes = new LinkedHashMap<>();
  private final Map<Integer, Path> confs = new LinkedHashMap<>();

  public NodeProcesses(Path logDir) {
    this.logDir = logDir;
  }

  /** Starts every node and waits until each serves (its first output line). */
  public void startAll(List<Path> nodeConfs) {
    List<CompletableFuture<Void>> started = new ArrayList<>();
    for (Path conf : nodeConfs) {
      int party = NodeConfig.load(conf).partyId();
      confs.put(party, conf);
      started.add(CompletableFuture.runAsync(() -> start(party)));
    }
    try {
      CompletableFuture.allOf(started.toArray(new CompletableFuture[0])).join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof FederaException f ? f : e;
    }
  }

  /** (Re)starts {@code party}'s node and waits until it serves. */
  public void start(int party) {
    Path conf = confs.get(party);
    Process p;
    try {
      p =
          new ProcessBuilder(federa("node", "start", "--conf", conf.toString(), "--json"))
              .redirectError(
                  ProcessBuilder.Redirect.appendTo(
                      logDir.resolve("node-" + party + ".log").toFile()))
              .start();
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot start party " + party + "'s node", e);
    }
    synchronized (this) {
      processes.put(party, p);
    }
    var reader =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    try {
      line = reader.readLine();
    } catch (IOException e) {
      line = null;
    }
    JsonNode first = null;
    try {
      first = line == null ? null : Json.mapper().readTree(line);
    } catch (IOException ignored) {
      // not JSON: reported below
    }
    if (first == null || !first.has("http")) {
      p.destroyForcibly();
      throw new FederaException(
          first != null && first.has("error")
              ? ErrorCode.valueOf(first.path("error").path("code").asText())
              : ErrorCode.INTERNAL,
          "party "
              + party
              + "'s node did not start: "
              + (first != null && first.has("error")
                  ? first.path("error").path("message").asText()
                  : String.valueOf(line))
              + " (log: "
              + logDir.resolve("node-" + party + ".log")
              + ")");
    }
    Thread drain =
        new Thread(
            () -> {
              try {
                while (reader.readLine() != null) {
                  // the node prints its result when it stops
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            "node-" + party + "-stdout");
    drain.setDaemon(true);
    drain.start();
  }

  /**
   * The command line of {@code federa ARGS} in a new JVM with this one's class path (and the JVM
   * options in {@code FEDERA_NODE_JAVA_OPTS}, for example a profiler's, if set).
   */
  static List<String> federa(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String extra = System.getenv("FEDERA_NODE_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
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

  Path conf(int party) {
    return confs.get(party);
  }

  /** SIGKILL: the node gets no chance to finish anything. */
  public void kill(int party) throws InterruptedException {
    Process p;
    synchronized (this) {
      p = processes.get(party);
    }
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public synchronized void close() {
    for (Process p : processes.values()) {
      p.destroy();
    }
    for (Process p : processes.values()) {
      try {
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }
}
