package io.federa.cli.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.cli.Json;
import io.federa.cli.Progress;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.flow.serving.Serving;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code federa serving status|rollback|predict|instances|instance}: the services of a guest's
 * node, and a host party's serving instances.
 */
@Command(
    name = "serving",
    description = "Online inference: the services this node serves as guest (docs/serving.md).",
    subcommands = {
      ServingCommand.Status.class,
      ServingCommand.Rollback.class,
      ServingCommand.Predict.class,
      ServingCommand.Instances.class,
      ServingCommand.Instance.class
    })
public final class ServingCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The services, as the node's API lists them. */
  record Services(List<Serving.Deployed> services) {}

  static void print(Serving.Deployed s, PrintWriter out) {
    out.printf(
        "service %s: model %s, active %s%s%s; deadline %d ms, policy %s, hosts %s%n",
        s.service(),
        s.modelId(),
        s.active(),
        s.previous() == null ? "" : ", previous " + s.previous(),
        s.b() == null ? "" : ", B " + s.b() + " (" + Math.round(s.bShare() * 100) + " %)",
        s.deadlineMs(),
        s.policy(),
        s.hosts());
    if (s.loaded() != null) {
      for (Serving.HostLoaded h : s.loaded()) {
        out.printf("  party %d: features from %s (%d rows)%n", h.party(), h.table(), h.rows());
      }
    }
  }

  @Command(name = "status", description = "The services this node serves, and their versions.")
  static final class Status extends FlowCommands.ApiCommand<Services> {
    @Override
    protected Services execute(Progress progress) {
      return api().get("/serving", Services.class);
    }

    @Override
    protected void printText(Services r, PrintWriter out) {
      if (r.services().isEmpty()) {
        out.println("no service; 'federa model deploy --service NAME' makes one");
      }
      r.services().forEach(s -> print(s, out));
    }
  }

  @Command(
      name = "rollback",
      description = "Make a service's previous version active again (ends an A/B split).")
  static final class Rollback extends FlowCommands.ApiCommand<Serving.Deployed> {
    @Option(
        names = "--service",
        required = true,
        converter = io.federa.cli.NameConverter.class,
        description = "The service.")
    String service;

    @Override
    protected Serving.Deployed execute(Progress progress) {
      return api()
          .post("/serving/" + service + "/rollback", java.util.Map.of(), Serving.Deployed.class);
    }

    @Override
    protected void printText(Serving.Deployed r, PrintWriter out) {
      print(r, out);
    }
  }

  @Command(
      name = "predict",
      description = {
        "Ask a service for predictions, as a client does (POST /v1/predict/SERVICE).",
        "The request is {\"id\": …, \"features\": {…}} for one row, {\"rows\": [ … ]} for a"
            + " batch."
      })
  static final class Predict extends FlowCommands.ApiCommand<Serving.Reply> {
    @Option(
        names = "--service",
        required = true,
        converter = io.federa.cli.NameConverter.class,
        description = "The service.")
    String service;

    @Option(names = "--request", description = "The request as JSON text.")
    String request;

    @Option(names = "--file", description = "A file holding the request's JSON.")
    Path file;

    @Override
    protected Serving.Reply execute(Progress progress) throws IOException {
      if ((request == null) == (file == null)) {
        throw new FederaException(ErrorCode.INVALID_ARGUMENT, "give --request JSON or --file F");
      }
      JsonNode body = Json.mapper().readTree(request != null ? request : Files.readString(file));
      return Json.mapper().treeToValue(api().predict(service, body), Serving.Reply.class);
    }

    @Override
    protected void printText(Serving.Reply r, PrintWriter out) {
      out.printf(
          "service %s, version %s%s%n",
          r.service(), r.modelVersion(), r.degraded() ? " (DEGRADED)" : "");
      for (Serving.Prediction p : r.predictions()) {
        out.printf(
            "  %s  score %.6f  result %s%s%s%n",
            p.id(),
            p.score(),
            p.result() == Math.rint(p.result()) ? Long.toString((long) p.result()) : p.result(),
            p.creditScore() == null ? "" : String.format("  credit score %.0f", p.creditScore()),
            p.without() == null ? "" : "  without party " + p.without());
      }
      for (Serving.PartyAnswer a : r.parties()) {
        out.printf(
            "  party %d (%s): %s%n",
            a.party(), a.role(), a.answered() ? String.format("%.2f ms", a.ms()) : a.error());
      }
    }
  }

  /** The instances, as the node's API lists them. */
  record InstanceList(List<Serving.InstanceView> instances) {}

  @Command(
      name = "instances",
      description = "This party's serving instances registered with its node, and what they serve.")
  static final class Instances extends FlowCommands.ApiCommand<InstanceList> {
    @Override
    protected InstanceList execute(Progress progress) {
      return api().get("/serving/instances", InstanceList.class);
    }

    @Override
    protected void printText(InstanceList r, PrintWriter out) {
      if (r.instances().isEmpty()) {
        out.println("no serving instance; 'federa serving instance --node node.yaml' starts one");
      }
      for (Serving.InstanceView i : r.instances()) {
        out.printf(
            "instance %s at %s: %s (last heartbeat %d ms ago), serving %s%n",
            i.name(), i.address(), i.live() ? "live" : "SILENT", i.lastBeatMsAgo(), i.serving());
      }
    }
  }

  /** An instance that ran until it was stopped. */
  record InstanceStopped(String name, int partyId, String address) {}

  @Command(
      name = "instance",
      description = {
        "Run one serving instance of this party (foreground) beside its node.",
        "It registers with the node, serves what the node assigns it to the guests, and sends a"
            + " heartbeat every second."
      })
  static final class Instance extends io.federa.cli.FederaCommand<InstanceStopped> {
    @picocli.CommandLine.Mixin io.federa.cli.NodeOption node;

    @Option(
        names = "--name",
        required = true,
        converter = io.federa.cli.NameConverter.class,
        description = "The instance's name, unique in the party.")
    String name;

    @Option(
        names = "--port",
        defaultValue = "0",
        description = "The port it serves on (0: any free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
        names = "--host",
        description = "The address it listens on and guests reach it at (default: the node's).")
    String host;

    @Option(
        names = "--data-dir",
        description =
            "Where it finds the node's feature indexes: the node's data directory (the default)"
                + " or a copy of its serving directory.")
    Path dataDir;

    @Override
    protected InstanceStopped execute(Progress progress) {
      var config = io.federa.federation.NodeConfig.load(node.path());
      var listen =
          new io.federa.federation.NodeConfig.Address(
              host != null ? host : config.listen().host(), port);
      var instance =
          io.federa.flow.serving.ServingInstance.start(
              config, name, listen, dataDir != null ? dataDir : config.dataPath());
      var stopped = new java.util.concurrent.CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    instance.close();
                    stopped.countDown();
                  },
                  "federa-serving-instance-shutdown"));
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          json
              ? "{\"instance\":\"%s\",\"party_id\":%d,\"listening\":\"%s:%d\",\"pid\":%d}%n"
              : "serving instance %s of party %d listening on %s:%d (pid %d)%n",
          name,
          config.partyId(),
          listen.host(),
          instance.port(),
          ProcessHandle.current().pid());
      out.flush();
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new InstanceStopped(name, config.partyId(), listen.host() + ":" + instance.port());
    }

    @Override
    protected void printText(InstanceStopped r, PrintWriter out) {
      out.printf("serving instance %s stopped%n", r.name());
    }
  }
}
