package io.federa.cli.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.cli.FederaCommand;
import io.federa.cli.Json;
import io.federa.cli.NodeApi;
import io.federa.cli.NodeOption;
import io.federa.cli.Progress;
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
  abstract static class ApiCommand extends FederaCommand {
    @Mixin NodeOption node;

    NodeApi api() {
      return NodeApi.of(node.path());
    }
  }

  /** A command about one job. */
  abstract static class JobApiCommand extends ApiCommand {
    @Option(
        names = {"--job", "-j"},
        required = true,
        description = "The job id.")
    String job;
  }

  /** A command about one job as one party sees it (default: this node's party). */
  abstract static class PartyJobCommand extends JobApiCommand {
    @Option(names = "--party", description = "The party (default: this node's).")
    Integer party;

    /** GET /jobs/ID/{@code what}, for the party asked. */
    Map<String, Object> fetch(String what) {
      return map(api().get("/jobs/" + job + "/" + what + (party == null ? "" : "?party=" + party)));
    }
  }

  static Map<String, Object> map(JsonNode n) {
    return Json.mapper()
        .convertValue(
            n,
            Json.mapper()
                .getTypeFactory()
                .constructMapType(LinkedHashMap.class, String.class, Object.class));
  }

  @Command(
      name = "submit",
      description = {
        "Submit a job (FATE v2 DSL + runtime conf) at the initiator's node; prints its id at once.",
        "With --wait, follows it: each component's state at every party, the loss per iteration."
      })
  public static final class Submit extends ApiCommand {
    @Option(
        names = {"--dsl", "-d"},
        required = true,
        description = "The job DSL (dsl.json).")
    Path dsl;

    @Option(
        names = {"--conf", "-c"},
        required = true,
        description = "conf.json (runtime conf)")
    Path conf;

    @Option(names = "--wait", description = "Follow the job until it ends.")
    boolean await;

    @Override
    protected Map<String, Object> execute(Progress progress) throws IOException {
      var body = new LinkedHashMap<String, Object>();
      body.put("dsl", Json.mapper().readTree(dsl.toFile()));
      body.put("conf", Json.mapper().readTree(conf.toFile()));
      NodeApi api = api();
      long t0 = System.nanoTime();
      JsonNode submitted = api.post("/jobs", body);
      String jobId = submitted.path("job_id").asText();
      var m = new LinkedHashMap<String, Object>();
      m.put("job_id", jobId);
      m.put("model_id", submitted.path("model_id").asText());
      m.put("model_version", submitted.path("model_version").asText());
      if (await) {
        m.putAll(
            JobWatch.follow(api, jobId, t0, json ? null : spec.commandLine().getOut(), progress));
      }
      return m;
    }

    @Override
    protected void printText(Map<String, Object> r, PrintWriter out) {
      if (!r.containsKey("state")) {
        out.printf(
            "job %s submitted (model id %s, version %s); follow it with 'federa query --job %s'%n",
            r.get("job_id"), r.get("model_id"), r.get("model_version"), r.get("job_id"));
      } else {
        JobWatch.printSummary(r, out);
      }
    }
  }

  @Command(name = "query", description = "A job's state and its tasks at every party.")
  public static final class Query extends JobApiCommand {
    @Override
    protected Map<String, Object> execute(Progress progress) {
      return map(api().get("/jobs/" + job));
    }

    @Override
    protected void printText(Map<String, Object> r, PrintWriter out) {
      out.printf(
          "job %s: %s%s%n",
          r.get("job_id"), r.get("state"), r.get("error") == null ? "" : " — " + r.get("error"));
      out.printf(
          "  %-22s %-8s %-8s %-10s %8s %7s%n",
          "component", "party", "role", "state", "progress", "attempt");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> tasks = (List<Map<String, Object>>) r.get("tasks");
      for (Map<String, Object> t : tasks) {
        out.printf(
            "  %-22s %-8s %-8s %-10s %7.0f%% %7s%s%n",
            t.get("component"),
            t.get("party_id"),
            t.get("role"),
            String.valueOf(t.get("state")).toLowerCase(java.util.Locale.ROOT),
            100 * ((Number) t.get("progress")).doubleValue(),
            t.get("attempt"),
            t.get("error") == null ? "" : "  " + t.get("error"));
      }
    }
  }

  @Command(name = "stop", description = "Stop a job at every party (at its initiator's node).")
  public static final class Stop extends JobApiCommand {
    @Override
    protected Map<String, Object> execute(Progress progress) {
      return map(api().post("/jobs/" + job + "/stop", Map.of()));
    }

    @Override
    protected void printText(Map<String, Object> r, PrintWriter out) {
      out.printf("job %s stopped%n", r.get("job_id"));
    }
  }

  @Command(
      name = "rerun",
      description = "Run a job again from a component (and all after it), at every party.")
  public static final class Rerun extends JobApiCommand {
    @Option(names = "--from", required = true, description = "The component to run again from.")
    String from;

    @Option(names = "--wait", description = "Follow the job until it ends.")
    boolean await;

    @Override
    protected Map<String, Object> execute(Progress progress) {
      NodeApi api = api();
      long t0 = System.nanoTime();
      Map<String, Object> r = map(api.post("/jobs/" + job + "/rerun", Map.of("component", from)));
      return await
          ? JobWatch.follow(api, job, t0, json ? null : spec.commandLine().getOut(), progress)
          : r;
    }

    @Override
    protected void printText(Map<String, Object> r, PrintWriter out) {
      if (r.containsKey("state")) {
        JobWatch.printSummary(r, out);
      } else {
        out.printf("job %s runs again from %s%n", r.get("job_id"), r.get("rerun_from"));
      }
    }
  }

  @Command(
      name = "metrics",
      description = "A job's metrics at every party: per-iteration loss, intersection, evaluation.")
  public static final class Metrics extends JobApiCommand {
    @Option(names = "--component", description = "Only this component.")
    String component;

    @Override
    protected Map<String, Object> execute(Progress progress) {
      return map(
          api()
              .get(
                  "/jobs/"
                      + job
                      + "/metrics"
                      + (component == null ? "" : "?component=" + component)));
    }

    @Override
    protected void printText(Map<String, Object> r, PrintWriter out) {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> ms = (List<Map<String, Object>>) r.get("metrics");
      String last = "";
      for (Map<String, Object> m : ms) {
        String head = m.get("component") + " (party " + m.get("party_id") + ") " + m.get("name");
        if (((Number) m.get("step")).intValue() == 0) {
          out.printf("%s = %.6g%n", head, ((Number) m.get("value")).doubleValue());
          last = "";
        } else if (String.valueOf(m.get("name")).startsWith("roc_")) {
          if (!head.equals(last)) {
            out.printf("%s: a curve of points (--json for the values)%n", head);
            last = head;
          }
        } else {
          if (!head.equals(last)) {
            out.printf("%s:%n", head);
            last = head;
          }
          out.printf(
              "  %4d  %.6f%n",
              ((Number) m.get("step")).intValue(), ((Number) m.get("value")).doubleValue());
        }
      }
    }
  }

  @Command(name = "output-data", description = "The first rows of a component's output table.")
  public static final class OutputData extends JobApiCommand {
    @Option(names = "--component", required = true, description = "The component.")
    String component;

    @Option(
        names = "--limit",
        defaultValue = "10",
        description = "Rows. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    protected Map<String, Object> execute(Progress progress) {
      return map(api().get("/jobs/" + job + "/output-data/" + component + "?limit=" + limit));
    }

    @Override
    protected void printText(Map<String, Object> r, PrintWriter out) {
      out.printf("%s (%s rows)%n", r.get("table"), r.get("total"));
      out.println(
          String.join(",", ((List<?>) r.get("columns")).stream().map(String::valueOf).toList()));
      for (Object row : (List<?>) r.get("rows")) {
        out.println(String.join(",", ((List<?>) row).stream().map(String::valueOf).toList()));
      }
    }
  }

  @Command(name = "output-model", description = "This party's part of a component's model.")
  public static final class OutputModel extends JobApiCommand {
    @Option(names = "--component", required = true, description = "The component.")
    String component;

    @Override
    protected Map<String, Object> execute(Progress progress) {
      return map(api().get("/jobs/" + job + "/output-model/" + component));
    }

    @Override
    protected void printText(Map<String, Object> r, PrintWriter out) {
      out.println(Json.write(r));
    }
  }

  @Command(name = "logs", description = "A party's log of a job (fetched by the initiator).")
  public static final class Logs extends PartyJobCommand {
    @Override
    protected Map<String, Object> execute(Progress progress) {
      return fetch("logs");
    }

    @Override
    protected void printText(Map<String, Object> r, PrintWriter out) {
      for (Object line : (List<?>) r.get("lines")) {
        out.println(line);
      }
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
  public static final class Audit extends PartyJobCommand {
    @Override
    protected Map<String, Object> execute(Progress progress) {
      return fetch("audit");
    }

    @Override
    protected void printText(Map<String, Object> r, PrintWriter out) {
      out.printf("what party %s received in job %s:%n", r.get("party_id"), r.get("job_id"));
      out.printf(
          "  %-6s %-16s %-34s %-21s %7s %14s%n",
          "from", "component", "message", "kind", "count", "bytes");
      for (Object o : (List<?>) r.get("received")) {
        Map<?, ?> row = (Map<?, ?>) o;
        out.printf(
            "  %-6s %-16s %-34s %-21s %7s %,14d%n",
            row.get("from"),
            row.get("component"),
            row.get("message"),
            row.get("kind"),
            row.get("count"),
            ((Number) row.get("bytes")).longValue());
      }
    }
  }

  @Command(name = "list", description = "The latest jobs this node knows.")
  static final class JobList extends ApiCommand {
    @Option(names = "--limit", defaultValue = "20", description = "Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    protected Map<String, Object> execute(Progress progress) {
      return map(api().get("/jobs?limit=" + limit));
    }

    @Override
    protected void printText(Map<String, Object> r, PrintWriter out) {
      for (Object o : (List<?>) r.get("jobs")) {
        Map<?, ?> j = (Map<?, ?>) o;
        out.printf(
            "%s  %-8s %-8s initiator %s  %s%n",
            j.get("job_id"),
            j.get("state"),
            j.get("role"),
            j.get("initiator"),
            j.get("created_at"));
      }
    }
  }

  /** {@code federa model list|deploy}. */
  @Command(
      name = "model",
      description = "The model registry: each trained model's id and version, per party.",
      subcommands = {
        ModelCommand.ListModels.class,
        ModelCommand.Deploy.class,
        ModelCommand.Export.class,
        ModelCommand.Import.class
      })
  public static final class ModelCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(System.out);
    }

    @Command(name = "list", description = "Registered models at this node.")
    static final class ListModels extends ApiCommand {
      @Override
      protected Map<String, Object> execute(Progress progress) {
        return map(api().get("/models"));
      }

      @Override
      protected void printText(Map<String, Object> r, PrintWriter out) {
        for (Object o : (List<?>) r.get("models")) {
          Map<?, ?> m = (Map<?, ?>) o;
          out.printf(
              "%s  %s  %-14s %-8s %s%s%n",
              m.get("model_id"),
              m.get("model_version"),
              m.get("component"),
              m.get("role"),
              m.get("module"),
              Boolean.TRUE.equals(m.get("deployed")) ? "  (deployed)" : "");
        }
      }
    }

    @Command(
        name = "export",
        description = "Write this party's parts of a model version to an archive (zip).")
    static final class Export extends ApiCommand {
      @Option(names = "--model-id", required = true, description = "The model id.")
      String modelId;

      @Option(names = "--model-version", required = true, description = "The model version.")
      String modelVersion;

      @Option(names = "--out", required = true, description = "The archive to write.")
      Path out;

      @Override
      protected Map<String, Object> execute(Progress progress) {
        byte[] archive =
            api()
                .getBytes(
                    "/models/export?model_id="
                        + java.net.URLEncoder.encode(
                            modelId, java.nio.charset.StandardCharsets.UTF_8)
                        + "&model_version="
                        + java.net.URLEncoder.encode(
                            modelVersion, java.nio.charset.StandardCharsets.UTF_8));
        io.federa.core.io.AtomicFiles.writeBytes(out, true, archive);
        var m = new LinkedHashMap<String, Object>();
        m.put("model_id", modelId);
        m.put("model_version", modelVersion);
        m.put("file", out.toString());
        m.put("bytes", archive.length);
        return m;
      }

      @Override
      protected void printText(Map<String, Object> r, PrintWriter out) {
        out.printf(
            "model %s version %s: this party's parts written to %s (%s bytes)%n",
            r.get("model_id"), r.get("model_version"), r.get("file"), r.get("bytes"));
      }
    }

    @Command(name = "import", description = "Register an archive of this party's model parts.")
    static final class Import extends ApiCommand {
      @Option(names = "--file", required = true, description = "The archive of 'model export'.")
      Path file;

      @Override
      protected Map<String, Object> execute(Progress progress) throws IOException {
        return map(api().postBytes("/models/import", java.nio.file.Files.readAllBytes(file)));
      }

      @Override
      protected void printText(Map<String, Object> r, PrintWriter out) {
        out.printf(
            "model %s version %s: %s part(s) registered%n",
            r.get("model_id"), r.get("model_version"), r.get("parts"));
      }
    }

    @Command(name = "deploy", description = "Mark a model version deployed at this node.")
    static final class Deploy extends ApiCommand {
      @Option(names = "--model-id", required = true, description = "The model id.")
      String modelId;

      @Option(names = "--model-version", required = true, description = "The model version.")
      String modelVersion;

      @Override
      protected Map<String, Object> execute(Progress progress) {
        return map(
            api()
                .post(
                    "/models/deploy", Map.of("model_id", modelId, "model_version", modelVersion)));
      }

      @Override
      protected void printText(Map<String, Object> r, PrintWriter out) {
        out.printf("model %s version %s deployed%n", r.get("model_id"), r.get("model_version"));
      }
    }
  }
}
