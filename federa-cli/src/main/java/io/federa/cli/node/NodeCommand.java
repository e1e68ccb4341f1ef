package io.federa.cli.node;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.GrpcFederation;
import io.federa.federation.NodeConfig;
import io.federa.flow.api.HttpApi;
import io.federa.flow.node.FlowNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code federa node start|stop}. */
@Command(
    name = "node",
    description = "Run this organisation's node.",
    subcommands = {NodeCommand.Start.class, NodeCommand.Stop.class})
public final class NodeCommand implements Runnable {
  /** A node that stopped: its party, its process id (for {@code node stop}), whether it ran. */
  public record Stopped(int partyId, Long pid, boolean wasRunning) {}

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static Path pidFile(NodeConfig config) {
    return config.dataPath().resolve("node.pid");
  }

  /** Starts the node in the foreground until it is stopped (SIGTERM, Ctrl-C or 'node stop'). */
  @Command(name = "start", description = "Start the node (foreground) and serve its peers.")
  static final class Start extends FederaCommand<Stopped> {
    @Option(names = "--conf", required = true, description = "The party's node.yaml.")
    Path conf;

    @Override
    protected Stopped execute(Progress progress) throws IOException {
      NodeConfig config = NodeConfig.load(conf);
      io.federa.core.io.AtomicFiles.makePrivate(config.dataPath());
      GrpcFederation node = GrpcFederation.start(config, Duration.ofMinutes(10));
      FlowNode flow = new FlowNode(node, config);
      NodeConfig.Address http = config.httpAddress();
      HttpApi api =
          HttpApi.start(
              flow,
              http.host(),
              http.port(),
              HttpApi.token(config.dataPath()),
              io.federa.flow.api.UploadPolicy.of(config));
      var grpc = io.federa.flow.api.PredictGrpc.start(config, flow.serving());
      flow.resumeUnfinished();
      warmUp(node, config);
      Path pid = pidFile(config);
      io.federa.core.io.AtomicFiles.writeBytes(
          pid, true, Long.toString(ProcessHandle.current().pid()).getBytes());
      var stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    if (grpc != null) {
                      grpc.close();
                    }
                    api.close();
                    flow.close();
                    node.stop(Duration.ofSeconds(10));
                    try {
                      Files.deleteIfExists(pid);
                    } catch (IOException ignored) {
                      // the next start overwrites it
                    }
                    stopped.countDown();
                  },
                  "federa-node-shutdown"));
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          json
              ? "{\"party_id\":%d,\"listening\":\"%s\",\"http\":\"%s\",\"pid\":%d,"
                  + "\"board\":\"%s\"}%n"
              : "party %d listening on %s, HTTP API on %s (pid %d)%nboard (one-time login link): %s%n",
          config.partyId(),
          config.listen(),
          http.host() + ":" + api.port(),
          ProcessHandle.current().pid(),
          api.boardLink());
      out.flush();
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new Stopped(config.partyId(), null, true);
    }

    @Override
    protected void printText(Stopped result, PrintWriter out) {
      out.printf("party %s stopped%n", result.partyId());
    }
  }

  /**
   * Opens the TLS connection to every peer in the background (a ping), so the first job does not
   * wait for handshakes; a peer that is not up yet is simply tried again by the first real call.
   * And starts a spare of the default HE key ({@link io.federa.crypto.he.HeKeyPool#prepare}).
   */
  static void warmUp(GrpcFederation node, NodeConfig config) {
    // the default key's spare, so that a first job as key holder does not wait on the primes
    io.federa.crypto.he.HeKeyPool.shared().prepare(io.federa.crypto.he.HeParameters.defaults());
    Thread t =
        new Thread(
            () -> {
              for (int attempt = 0; attempt < 3; attempt++) {
                boolean all = true;
                for (int party : config.routes().keySet()) {
                  if (party == config.partyId()) {
                    continue;
                  }
                  try {
                    node.ping(party, Duration.ofSeconds(2));
                  } catch (RuntimeException e) {
                    all = false;
                  }
                }
                if (all) {
                  return;
                }
                try {
                  Thread.sleep(1000);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "federa-warm-up");
    t.setDaemon(true);
    t.start();
  }

  /** Stops a running node gracefully (SIGTERM to the pid in its data directory). */
  @Command(name = "stop", description = "Stop the node of this configuration gracefully.")
  static final class Stop extends FederaCommand<Stopped> {
    @Option(names = "--conf", required = true, description = "The party's node.yaml.")
    Path conf;

    @Option(
        names = "--timeout",
        defaultValue = "30",
        description = "Seconds to wait. Default: ${DEFAULT-VALUE}.")
    int timeout;

    @Override
    protected Stopped execute(Progress progress) throws IOException {
      NodeConfig config = NodeConfig.load(conf);
      Path pidFile = pidFile(config);
      if (!Files.exists(pidFile)) {
        throw new FederaException(
            ErrorCode.NOT_FOUND,
            "party " + config.partyId() + " has no running node here (no " + pidFile + ")");
      }
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      var handle = ProcessHandle.of(pid);
      boolean wasRunning = handle.isPresent() && handle.get().isAlive();
      if (wasRunning) {
        handle.get().destroy(); // SIGTERM: the node's shutdown hook finishes in-flight calls
        try {
          handle.get().onExit().get(timeout, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new FederaException(
              ErrorCode.TIMEOUT,
              "party "
                  + config.partyId()
                  + "'s node (pid "
                  + pid
                  + ") did not stop in "
                  + timeout
                  + " s",
              e);
        }
      }
      Files.deleteIfExists(pidFile);
      return new Stopped(config.partyId(), pid, wasRunning);
    }

    @Override
    protected void printText(Stopped r, PrintWriter out) {
      out.printf(
          r.wasRunning()
              ? "party %s stopped (pid %s)%n"
              : "party %s was not running (stale pid %s removed)%n",
          r.partyId(),
          r.pid());
    }
  }
}
