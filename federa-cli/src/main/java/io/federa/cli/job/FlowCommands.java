package io.federa.cli.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.cli.FederaCommand;
import io.federa.cli.Json;
import io.federa.cli.NodeApi;
import io.federa.cli.NodeOption;
import io.federa.cli.Progress;
import io.federa.flow.api.Replies;
import io.federa.flow.job.JobStore;
import io.federa.flow.node.AuditRow;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The job commands, each a client of a node's HTTP API: {@code submit}, {@code query}, {@code
 * stop}, {@code rerun}, {@code metrics}, {@code output-data}, {@code output-model}, {@code logs}.
 */
public final class FlowCommands {
  private FlowCommands() {}

  /** A command that talks to the node named by {@code --node} (or FEDERA_NODE). */
  abstract static class ApiCommand<R> extends FederaCommand<R> {
    @Mixin NodeOption node;

    NodeApi api() {
      return NodeApi.of(node.path());
    }
  }

  /** A command about one job. */
  abstract static class JobApiCommand<R> extends ApiCommand<R> {
    @Option(
        names = {"--job", "-j"},
        required = true,
        converter = io.federa.cli.NameConverter.class,
        description = "The job id.")
    String job;
  }

  /** A command about one job as one party sees it (default: this node's party). */
  abstract static class PartyJobCommand<R> extends JobApiCommand<R> {
    @Option(names = "--party", description = "The party (default: this node's).")
    Integer party;

    /** GET /jobs/ID/{@code what}, for the party asked, as a {@code type}. */
    <T> T fetch(String what, Class<T> type) {
      return api()
          .get("/jobs/" + job + "/" + what + (party == null ? "" : "?party=" + party), type);
    }
  }

  @Command(
      name = "submit",
      description = {
        "Submit a job (FATE v2 DSL + runtime conf) at the initiator's node; prints its id at once.",
        "With --wait, follows it: each component's state at every party, the loss per iteration."
      })
  public static final class Submit extends ApiCommand<Submit.Submitted> {
    /** A submitted job, FATE's model id and version, and (with --wait) how it ended. */
    record Submitted(String jobId, String modelId, String modelVersion, JobWatch.Outcome run) {}

    @Option(
        names = {"--dsl", "-d"},
        required = true,
        description = "The job DSL (dsl.json).")
    Path dsl;

    @Option(
        names = {"--conf", "-c"},
        required = true,
        description = "The job's runtime conf (conf.json).")
    Path conf;

    @Option(names = "--wait", description = "Follow the job until it ends.")
    boolean await;

    @Override
    protected Submitted execute(Progress progress) throws IOException {
      var body = new LinkedHashMap<String, Object>();
      body.put("dsl", Json.mapper().readTree(dsl.toFile()));
      body.put("conf", Json.mapper().readTree(conf.toFile()));
      NodeApi api = api();
      long t0 = System.nanoTime();
      Replies.Submitted submitted = api.post("/jobs", body, Replies.Submitted.class);
      String jobId = submitted.jobId();
      JobWatch.Outcome run =
          await
              ? JobWatch.follow(api, jobId, t0, json ? null : spec.commandLine().getOut(), progress)
              : null;
      return new Submitted(jobId, submitted.modelId(), submitted.modelVersion(), run);
    }

    @Override
    protected void printText(Submitted r, PrintWriter out) {
      if (r.run() == null) {
        out.printf(
            "job %s submitted (model id %s, version %s); follow it with 'federa query --job %s'%n",
            r.jobId(), r.modelId(), r.modelVersion(), r.jobId());
      } else {
        JobWatch.printSummary(r.run(), out);
      }
    }
  }

  @Command(
      name = "query",
      description =
          "A job's state, its tasks at every party and, while it runs, when each party was last"
              + " heard from (unreachable parties are named).")
  public static final class Query extends JobApiCommand<Replies.JobReply> {
    @Override
    protected Replies.JobReply execute(Progress progress) {
      return api().get("/jobs/" + job, Replies.JobReply.class);
    }

    @Override
    protected void printText(Replies.JobReply r, PrintWriter out) {
      out.printf(
          "job %s: %s%s%n",
          r.jobId(), r.state().wire(), r.error() == null ? "" : " — " + r.error());
      out.printf(
          "  %-22s %-8s %-8s %-10s %8s %7s%n",
          "component", "party", "role", "state", "progress", "attempt");
      for (JobStore.Task t : r.tasks()) {
        out.printf(
            "  %-22s %-8s %-8s %-10s %7.0f%% %7s%s%n",
            t.component(),
            t.partyId(),
            t.role(),
            t.state().wire(),
            100 * t.progress(),
            t.attempt(),
            t.error() == null ? "" : "  " + t.error());
      }
      for (var p : r.parties()) {
        out.printf(
            "  party %s: %s (last step: %s)%n",
            p.partyId(),
            p.unreachableSince() == null
                ? "last heard at " + p.lastSeen()
                : "UNREACHABLE since " + p.unreachableSince(),
            p.lastStep());
      }
    }
  }

  @Command(name = "stop", description = "Stop a job at every party (at its initiator's node).")
  public static final class Stop extends JobApiCommand<Replies.Stopped> {
    @Override
    protected Replies.Stopped execute(Progress progress) {
      return api().post("/jobs/" + job + "/stop", Map.of(), Replies.Stopped.class);
    }

    @Override
    protected void printText(Replies.Stopped r, PrintWriter out) {
      if (r.stopped()) {
        out.printf("job %s stopped%n", r.jobId());
      } else {
        out.printf(
            "job %s had already ended (%s); nothing was running to stop%n",
            r.jobId(), r.state().wire());
      }
    }
  }

  @Command(
      name = "rerun",
      description = "Run a job again from a component (and all after it), at every party.")
  public static final class Rerun extends JobApiCommand<Rerun.Again> {
    /** A job running again from a component, and (with --wait) how it ended. */
    record Again(String jobId, String rerunFrom, JobWatch.Outcome run) {}

    @Option(
        names = "--from",
        required = true,
        converter = io.federa.cli.NameConverter.class,
        description = "The component to run again from.")
    String from;

    @Option(names = "--wait", description = "Follow the job until it ends.")
    boolean await;

    @Override
    protected Again execute(Progress progress) {
      NodeApi api = api();
      long t0 = System.nanoTime();
      Replies.Rerun rerun =
          api.post("/jobs/" + job + "/rerun", Map.of("component", from), Replies.Rerun.class);
      JobWatch.Outcome run =
          await
              ? JobWatch.follow(api, job, t0, json ? null : spec.commandLine().getOut(), progress)
              : null;
      return new Again(rerun.jobId(), rerun.rerunFrom(), run);
    }

    @Override
    protected void printText(Again r, PrintWriter out) {
      if (r.run() != null) {
        JobWatch.printSummary(r.run(), out);
      } else {
        out.printf("job %s runs again from %s%n", r.jobId(), r.rerunFrom());
      }
    }
  }

  @Command(
      name = "metrics",
      description = "A job's metrics at every party: per-iteration loss, intersection, evaluation.")
  public static final class Metrics extends JobApiCommand<Replies.Metrics> {
    @Option(
        names = "--component",
        converter = io.federa.cli.NameConverter.class,
        description = "Only this component.")
    String component;

    @Override
    protected Replies.Metrics execute(Progress progress) {
      return api()
          .get(
              "/jobs/" + job + "/metrics" + (component == null ? "" : "?component=" + component),
              Replies.Metrics.class);
    }

    @Override
    protected void printText(Replies.Metrics r, PrintWriter out) {
      String last = "";
      for (JobStore.Metric m : r.metrics()) {
        String head = m.component() + " (party " + m.partyId() + ") " + m.name();
        if (m.step() == 0) {
          out.printf("%s = %.6g%n", head, m.value());
          last = "";
        } else if (m.name().startsWith("roc_")) {
          if (!head.equals(last)) {
            out.printf("%s: a curve of points (--json for the values)%n", head);
            last = head;
          }
        } else {
          if (!head.equals(last)) {
            out.printf("%s:%n", head);
            last = head;
          }
          out.printf("  %4d  %.6f%n", m.step(), m.value());
        }
      }
    }
  }

  @Command(name = "output-data", description = "The first rows of a component's output table.")
  public static final class OutputData extends JobApiCommand<Replies.OutputData> {
    @Option(
        names = "--component",
        required = true,
        converter = io.federa.cli.NameConverter.class,
        description = "The component.")
    String component;

    @Option(
        names = "--limit",
        defaultValue = "10",
        description = "Rows. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    protected Replies.OutputData execute(Progress progress) {
      return api()
          .get(
              "/jobs/" + job + "/output-data/" + component + "?limit=" + limit,
              Replies.OutputData.class);
    }

    @Override
    protected void printText(Replies.OutputData r, PrintWriter out) {
      out.printf("%s (%s rows)%n", r.table(), r.total());
      out.println(String.join(",", r.columns()));
      for (List<Object> row : r.rows()) {
        out.println(String.join(",", row.stream().map(String::valueOf).toList()));
      }
    }
  }

  @Command(name = "output-model", description = "This party's part of a component's model.")
  public static final class OutputModel extends JobApiCommand<JsonNode> {
    @Option(
        names = "--component",
        required = true,
        converter = io.federa.cli.NameConverter.class,
        description = "The component.")
    String component;

    /** The part as the component wrote it: a JSON document of its own shape per module. */
    @Override
    protected JsonNode execute(Progress progress) {
      return api().get("/jobs/" + job + "/output-model/" + component);
    }

    @Override
    protected void printText(JsonNode r, PrintWriter out) {
      out.println(Json.write(r));
    }
  }

  @Command(name = "logs", description = "A party's log of a job (fetched by the initiator).")
  public static final class Logs extends PartyJobCommand<Replies.Log> {
    @Override
    protected Replies.Log execute(Progress progress) {
      return fetch("logs", Replies.Log.class);
    }

    @Override
    protected void printText(Replies.Log r, PrintWriter out) {
      r.lines().forEach(out::println);
    }
  }

  @Command(
      name = "audit",
      description = {
        "What a party received in a job, as the federation recorded it.",
        "Every message: from whom, which message, its declared kind (Paillier ciphertexts, masked"
            + " values, public keys, plaintext aggregates, control), count and bytes — what each"
            + " party learns."
      })
  public static final class Audit extends PartyJobCommand<Replies.Audit> {
    @Override
    protected Replies.Audit execute(Progress progress) {
      return fetch("audit", Replies.Audit.class);
    }

    @Override
    protected void printText(Replies.Audit r, PrintWriter out) {
      out.printf("what party %s received in job %s:%n", r.partyId(), r.jobId());
      out.printf(
          "  %-6s %-16s %-34s %-21s %7s %14s%n",
          "from", "component", "message", "kind", "count", "bytes");
      for (AuditRow row : r.received()) {
        out.printf(
            "  %-6s %-16s %-34s %-21s %7s %,14d%n",
            row.from(), row.component(), row.message(), row.kind(), row.count(), row.bytes());
      }
    }
  }

  @Command(
      name = "delete",
      description =
          "Delete an ended job at every party (at its initiator's node): its output data, logs,"
              + " checkpoints, stored messages, transcripts and tracking. Models it registered"
              + " stay in the registry.")
  static final class JobDelete extends JobApiCommand<Replies.Deleted> {
    @Override
    protected Replies.Deleted execute(Progress progress) {
      return api().delete("/jobs/" + job, Replies.Deleted.class);
    }

    @Override
    protected void printText(Replies.Deleted r, PrintWriter out) {
      out.printf("job %s deleted at parties %s%n", r.jobId(), r.parties());
    }
  }

  @Command(name = "list", description = "The latest jobs this node knows.")
  static final class JobList extends ApiCommand<Replies.Jobs> {
    @Option(names = "--limit", defaultValue = "20", description = "Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    protected Replies.Jobs execute(Progress progress) {
      return api().get("/jobs?limit=" + limit, Replies.Jobs.class);
    }

    @Override
    protected void printText(Replies.Jobs r, PrintWriter out) {
      for (Replies.JobReply j : r.jobs()) {
        out.printf(
            "%s  %-8s %-8s initiator %s  %s%n",
            j.jobId(), j.state().wire(), j.role(), j.initiator(), j.createdAt());
      }
    }
  }
}
