package io.federa.flow.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.io.AtomicFiles;
import io.federa.core.json.Json;
import io.federa.flow.component.Outputs;
import io.federa.flow.component.PartyModel;
import io.federa.flow.job.JobStore;
import io.federa.flow.store.TableStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * This party's outputs and models: a component's data output is a table of the node (namespace
 * {@code job-<id>}), its model part a JSON file under {@code <data>/models/<job>/} registered in
 * the metadata store with FATE's model id and version (the job id); registered versions move
 * between a party's nodes as archives ({@link #exportModel}, {@link #importModel}).
 */
public final class ModelRegistry {
  private static final String FORMAT = "federa-model/1";

  private final int self;
  private final Path dataDir;
  private final TableStore tables;
  private final JobStore jobs;

  ModelRegistry(int self, Path dataDir, TableStore tables, JobStore jobs) {
    this.self = self;
    this.dataDir = dataDir;
    this.tables = tables;
    this.jobs = jobs;
  }

  public static String outputNamespace(String jobId) {
    return "job-" + jobId;
  }

  /** The manifest of an exported archive. */
  record Manifest(
      String format, int partyId, String modelId, String modelVersion, List<ArchivedPart> parts) {}

  /** One component's part in an archive. */
  record ArchivedPart(String component, String role, String module, String jobId, String file) {}

  /** What an import registered. */
  public record Imported(String modelId, String modelVersion, int parts) {}

  /** Stores a component's data output as a table of this node, and its model part as a file. */
  void store(
      String jobId, String modelId, String component, String module, String role, Outputs out) {
    if (out.data() != null) {
      tables.store(out.data(), outputNamespace(jobId), component, true);
    }
    if (out.model() != null) {
      Path file = modelFile(jobId, component);
      // the part's own fields (with its kind), and where it came from
      ObjectNode doc = Json.mapper().createObjectNode();
      doc.put("job_id", jobId);
      doc.put("component", component);
      doc.put("module", module);
      doc.put("party_id", self);
      doc.put("role", role);
      doc.setAll((ObjectNode) Json.mapper().valueToTree(out.model()));
      writePart(file, Json.bytes(doc));
      jobs.registerModel(
          new JobStore.ModelPart(
              modelId,
              jobId,
              jobId,
              component,
              self,
              role,
              module,
              dataDir.relativize(file).toString(),
              Instant.now().toString(),
              false));
    }
  }

  /** A component's stored outputs (after a restart or for a rerun of later components). */
  Outputs load(String jobId, String component) {
    var table =
        tables.info(outputNamespace(jobId), component).isPresent()
            ? tables.read(outputNamespace(jobId), component)
            : null;
    Path file = modelFile(jobId, component);
    return new Outputs(table, Files.exists(file) ? readPart(file) : null);
  }

  /**
   * This party's part of a registered model's component ({@code null} when this party holds none,
   * as an arbiter).
   */
  Outputs trained(String modelId, String modelVersion, String component) {
    for (JobStore.ModelPart m : jobs.models(null)) {
      if (m.modelId().equals(modelId)
          && m.modelVersion().equals(modelVersion)
          && m.component().equals(component)) {
        return new Outputs(null, readPart(dataDir.resolve(m.file())));
      }
    }
    return null;
  }

  /**
   * This party's parts of a model version as a zip archive (a manifest and one file per component)
   * that can be moved to another node of the same party.
   */
  public byte[] exportModel(String modelId, String modelVersion) {
    List<JobStore.ModelPart> parts =
        jobs.models(null).stream()
            .filter(m -> m.modelId().equals(modelId) && m.modelVersion().equals(modelVersion))
            .toList();
    if (parts.isEmpty()) {
      throw new FederaException(
          ErrorCode.NOT_FOUND,
          "party "
              + self
              + " holds no part of model "
              + modelId
              + " version "
              + modelVersion
              + "; 'federa model list' shows them");
    }
    var bytes = new ByteArrayOutputStream();
    try (var zip = new ZipOutputStream(bytes)) {
      List<ArchivedPart> entries = new ArrayList<>();
      for (JobStore.ModelPart m : parts) {
        String name = "parts/" + m.component() + ".json";
        zip.putNextEntry(new ZipEntry(name));
        zip.write(Files.readAllBytes(dataDir.resolve(m.file())));
        zip.closeEntry();
        entries.add(new ArchivedPart(m.component(), m.role(), m.module(), m.jobId(), name));
      }
      zip.putNextEntry(new ZipEntry("manifest.json"));
      zip.write(Json.bytes(new Manifest(FORMAT, self, modelId, modelVersion, entries)));
      zip.closeEntry();
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot write the model archive", e);
    }
    return bytes.toByteArray();
  }

  /** Registers the parts of an exported archive of this party's model on this node. */
  public Imported importModel(byte[] archive) {
    Map<String, byte[]> files = new HashMap<>();
    try (var zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
      for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        files.put(e.getName(), zip.readNBytes(64 << 20));
      }
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT, "not a model archive of 'federa model export': " + e, e);
    }
    byte[] manifestBytes = files.get("manifest.json");
    if (manifestBytes == null) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "the archive has no manifest.json; export the model with 'federa model export'");
    }
    Manifest manifest = Json.read(manifestBytes, Manifest.class, "the archive's manifest.json");
    if (!FORMAT.equals(manifest.format())) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT, "unknown model archive format '" + manifest.format() + "'");
    }
    if (manifest.partyId() != self) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "this archive holds party "
              + manifest.partyId()
              + "'s part of the model; import it on that party's node (this is party "
              + self
              + ")");
    }
    List<ArchivedPart> parts = manifest.parts() == null ? List.of() : manifest.parts();
    for (ArchivedPart p : parts) {
      byte[] content = files.get(p.file());
      if (content == null) {
        throw new FederaException(ErrorCode.INVALID_INPUT, "the archive lacks " + p.file());
      }
      Json.tree(content, "the archive's " + p.file()); // a part is JSON
      Path file =
          dataDir
              .resolve("models")
              .resolve(manifest.modelVersion())
              .resolve(p.component() + ".json");
      writePart(file, content);
      jobs.registerModel(
          new JobStore.ModelPart(
              manifest.modelId(),
              manifest.modelVersion(),
              p.jobId(),
              p.component(),
              self,
              p.role(),
              p.module(),
              dataDir.relativize(file).toString(),
              Instant.now().toString(),
              false));
    }
    return new Imported(manifest.modelId(), manifest.modelVersion(), parts.size());
  }

  Path modelFile(String jobId, String component) {
    return dataDir.resolve("models").resolve(jobId).resolve(component + ".json");
  }

  private static void writePart(Path file, byte[] content) {
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot create " + file.getParent(), e);
    }
    AtomicFiles.writeBytes(file, false, content);
  }

  private static PartyModel readPart(Path file) {
    try {
      return Json.mapper().readValue(file.toFile(), PartyModel.class);
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot read the model part " + file, e);
    }
  }
}
