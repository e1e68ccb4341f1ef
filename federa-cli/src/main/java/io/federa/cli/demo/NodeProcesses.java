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
  private final Map<String, Process> instances = new LinkedHashMap<>();
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
    joined(CompletableFuture.allOf(started.toArray(new CompletableFuture[0])));
  }

  /** The future's value; its failure rethrown as the FederaException that caused it, if one did. */
  static <T> T joined(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof FederaException f ? f : e;
    }
  }

  /** (Re)starts {@code party}'s node and waits until it serves. */
  public void start(int party) {
    Path conf = confs.get(party);
    Process p =
        launch(
                federa("node", "start", "--conf", conf.toString(), "--json"),
                "node-" + party,
                "party " + party + "'s node",
                "http")
            .process();
    synchronized (this) {
      processes.put(party, p);
    }
  }

  /**
   * Starts serving instance {@code name} of {@code party} ({@code dataDir} null: it reads the
   * node's) and waits until it listens; returns its port.
   */
  public int startInstance(int party, String name, Path dataDir) {
    List<String> args =
        new ArrayList<>(
            List.of("serving", "instance", "--node", confs.get(party).toString(), "--name", name));
    if (dataDir != null) {
      args.addAll(List.of("--data-dir", dataDir.toString()));
    }
    args.add("--json");
    Launched l =
        launch(
            federa(args.toArray(new String[0])),
            "instance-" + party + "-" + name,
            "party " + party + "'s serving instance " + name,
            "listening");
    synchronized (this) {
      instances.put(name, l.process());
    }
    return Integer.parseInt(l.value().substring(l.value().lastIndexOf(':') + 1));
  }

  /** SIGKILL to a serving instance. */
  public void killInstance(String name) throws InterruptedException {
    Process p;
    synchronized (this) {
      p = instances.remove(name);
    }
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  /** The log file of {@code name} (a node: {@code node-PARTY}). */
  public Path log(String name) {
    return logDir.resolve(name + ".log");
  }

  /** A started process and the value of the key in its first line. */
  private record Launched(Process process, String value) {}

  /** Starts {@code command}, waits for its first line (JSON with {@code key}), drains the rest. */
  private Launched launch(List<String> command, String name, String what, String key) {
    Process p;
    try {
      p =
          new ProcessBuilder(command)
              .redirectError(ProcessBuilder.Redirect.appendTo(log(name).toFile()))
              .start();
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot start " + what, e);
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
    if (first == null || !first.has(key)) {
      p.destroyForcibly();
      throw new FederaException(
          first != null && first.has("error")
              ? ErrorCode.valueOf(first.path("error").path("code").asText())
              : ErrorCode.INTERNAL,
          what
              + " did not start: "
              + (first != null && first.has("error")
                  ? first.path("error").path("message").asText()
                  : String.valueOf(line))
              + " (log: "
              + log(name)
              + ")");
    }
    Thread drain =
        new Thread(
            () -> {
              try {
                while (reader.readLine() != null) {
                  // the process prints its result when it stops
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            name + "-stdout");
    drain.setDaemon(true);
    drain.start();
    return new Launched(p, first.path(key).asText());
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
    instances.values().forEach(Process::destroy);
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
