package io.federa.cli.job;

import io.federa.cli.Json;
import io.federa.cli.Progress;
import io.federa.flow.api.Replies;
import io.federa.flow.job.ModelPart;
import io.federa.flow.node.ModelRegistry;
import io.federa.flow.serving.Serving;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code federa model list|export|import|deploy}: the model registry of a node. */
@Command(
    name = "model",
    description = "The model registry: each trained model's id and version, per party.",
    subcommands = {
      ModelCommand.ListModels.class,
      ModelCommand.Deploy.class,
      ModelCommand.Export.class,
      ModelCommand.Import.class
    })
public final class ModelCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "list", description = "Registered models at this node.")
  static final class ListModels extends FlowCommands.ApiCommand<Replies.Models> {
    @Override
    protected Replies.Models execute(Progress progress) {
      return api().get("/models", Replies.Models.class);
    }

    @Override
    protected void printText(Replies.Models r, PrintWriter out) {
      for (ModelPart m : r.models()) {
        out.printf(
            "%s  %s  %-14s %-8s %s%s%n",
            m.modelId(),
            m.modelVersion(),
            m.component(),
            m.role(),
            m.module(),
            m.deployed() ? "  (deployed)" : "");
      }
    }
  }

  /** A model version's archive, written. */
  record Exported(String modelId, String modelVersion, String file, int bytes) {}

  @Command(
      name = "export",
      description = "Write this party's parts of a model version to an archive (zip).")
  static final class Export extends FlowCommands.ApiCommand<Exported> {
    @Option(names = "--model-id", required = true, description = "The model id.")
    String modelId;

    @Option(names = "--model-version", required = true, description = "The model version.")
    String modelVersion;

    @Option(names = "--out", required = true, description = "The archive to write.")
    Path out;

    @Override
    protected Exported execute(Progress progress) {
      byte[] archive =
          api()
              .getBytes(
                  "/models/export?model_id="
                      + java.net.URLEncoder.encode(modelId, java.nio.charset.StandardCharsets.UTF_8)
                      + "&model_version="
                      + java.net.URLEncoder.encode(
                          modelVersion, java.nio.charset.StandardCharsets.UTF_8));
      io.federa.core.io.AtomicFiles.writeBytes(out, true, archive);
      return new Exported(modelId, modelVersion, out.toString(), archive.length);
    }

    @Override
    protected void printText(Exported r, PrintWriter out) {
      out.printf(
          "model %s version %s: this party's parts written to %s (%s bytes)%n",
          r.modelId(), r.modelVersion(), r.file(), r.bytes());
    }
  }

  @Command(name = "import", description = "Register an archive of this party's model parts.")
  static final class Import extends FlowCommands.ApiCommand<ModelRegistry.Imported> {
    @Option(names = "--file", required = true, description = "The archive of 'model export'.")
    Path file;

    @Override
    protected ModelRegistry.Imported execute(Progress progress) throws IOException {
      return Json.mapper()
          .treeToValue(
              api().postBytes("/models/import", java.nio.file.Files.readAllBytes(file)),
              ModelRegistry.Imported.class);
    }

    @Override
    protected void printText(ModelRegistry.Imported r, PrintWriter out) {
      out.printf(
          "model %s version %s: %s part(s) registered%n", r.modelId(), r.modelVersion(), r.parts());
    }
  }

  /** A deployment: the version marked deployed, and (with --service) the service serving it. */
  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  record Deployment(String modelId, String modelVersion, Serving.Deployed service) {}

  @Command(
      name = "deploy",
      description = {
        "Mark a model version deployed at this node; with --service, serve it online (at the"
            + " guest's node: every party of the model loads its own part).",
        "Another version deployed to the same service swaps it in (the earlier one stays for"
            + " 'serving rollback'); --split sends that share of the requests to it instead (an A/B"
            + " test)."
      })
  static final class Deploy extends FlowCommands.ApiCommand<Deployment> {
    @Option(names = "--model-id", required = true, description = "The model id.")
    String modelId;

    @Option(names = "--model-version", required = true, description = "The model version.")
    String modelVersion;

    @Option(
        names = "--service",
        converter = io.federa.cli.NameConverter.class,
        description = "Serve the version online under this name (POST /v1/predict/NAME).")
    String service;

    @Option(
        names = "--split",
        description = "The new version's share of requests (0..1), beside the active one.")
    Double split;

    @Option(
        names = "--deadline-ms",
        description = "A request's deadline for the hosts' answers (default 500).")
    Integer deadlineMs;

    @Option(
        names = "--policy",
        description =
            "A host late, down or lacking a row: fail (the default: an error naming the party)"
                + " or degrade (the guest's part alone, flagged degraded, the party named).")
    String policy;

    @Option(
        names = "--table",
        description =
            "PARTY=NAMESPACE.NAME: a host's feature table (default: the table its training job"
                + " read).")
    Map<Integer, String> tables;

    @Override
    protected Deployment execute(Progress progress) {
      if (service == null) {
        var r =
            api()
                .post(
                    "/models/deploy",
                    Map.of("model_id", modelId, "model_version", modelVersion),
                    Replies.Deployed.class);
        return new Deployment(r.modelId(), r.modelVersion(), null);
      }
      Map<String, Object> body = new java.util.LinkedHashMap<>();
      body.put("model_id", modelId);
      body.put("model_version", modelVersion);
      body.put("service", service);
      body.put("split", split);
      body.put("deadline_ms", deadlineMs);
      body.put("policy", policy);
      body.put("tables", tables == null ? Map.of() : tables);
      return new Deployment(
          modelId, modelVersion, api().post("/models/deploy", body, Serving.Deployed.class));
    }

    @Override
    protected void printText(Deployment r, PrintWriter out) {
      out.printf("model %s version %s deployed%n", r.modelId(), r.modelVersion());
      if (r.service() != null) {
        ServingCommand.print(r.service(), out);
      }
    }
  }
}
