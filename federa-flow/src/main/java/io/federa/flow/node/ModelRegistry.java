package io.federa.flow.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.Names;
import io.federa.core.io.AtomicFiles;
import io.federa.core.json.Json;
import io.federa.flow.component.Outputs;
import io.federa.flow.component.PartyModel;
import io.federa.flow.job.ModelPart;
import io.federa.flow.job.ModelStore;
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
  private final ModelStore store;

  ModelRegistry(int self, Path dataDir, TableStore tables, ModelStore store) {
    this.self = self;
    this.dataDir = dataDir;
    this.tables = tables;
    this.store = store;
  }

  /** This party's registered model parts, newest first ({@code jobId} null: all). */
  public List<ModelPart> parts(String jobId) {
    return store.parts(jobId);
  }

  /**
   * Marks a model version deployed (every other version of the model id no longer is); returns how
   * many parts it marked.
   */
  public int deploy(String modelId, String modelVersion) {
    return store.deploy(modelId, modelVersion);
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

  /**
   * Stores a component's data output as a table of this node, and its model part as a file with
   * {@code dataPath}: the components (as stored) whose outputs shaped its input rows, in run order.
   */
  void store(
      String jobId,
      String modelId,
      String component,
      String module,
      String role,
      Outputs out,
      List<String> dataPath) {
    if (out.data() != null) {
      tables.store(out.data(), outputNamespace(jobId), component, true);
    }
    for (var named : out.named().entrySet()) { // component.train_data, …
      tables.store(
          named.getValue(), outputNamespace(jobId), component + "." + named.getKey(), true);
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
      doc.set("data_path", Json.mapper().valueToTree(dataPath));
      doc.setAll((ObjectNode) Json.mapper().valueToTree(out.model()));
      writePart(file, Json.bytes(doc));
      store.register(
          new ModelPart(
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
    java.util.Map<String, io.federa.core.table.Table> named = new java.util.HashMap<>();
    for (var info : tables.list(outputNamespace(jobId))) {
      if (info.name().startsWith(component + ".")) {
        named.put(
            info.name().substring(component.length() + 1),
            tables.read(outputNamespace(jobId), info.name()));
      }
    }
    return new Outputs(table, Files.exists(file) ? readPart(file) : null, named);
  }

  /**
   * This party's part of a registered model's component ({@code null} when this party holds none,
   * as an arbiter).
   */
  Outputs trained(String modelId, String modelVersion, String component) {
    for (ModelPart m : store.parts(null)) {
      if (m.modelId().equals(modelId)
          && m.modelVersion().equals(modelVersion)
          && m.component().equals(component)) {
        return new Outputs(null, readPart(dataDir.resolve(m.file())));
      }
    }
    return null;
  }

  /**
   * A registered part with its content and the components (as stored) whose outputs shaped its
   * input rows, in run order (null for a part stored before Federa recorded it).
   */
  public record Part(ModelPart registered, PartyModel model, List<String> dataPath) {}

  /** This party's parts of a model version with their content (none: it holds no part). */
  public List<Part> version(String modelId, String modelVersion) {
    List<Part> out = new ArrayList<>();
    for (ModelPart m : store.parts(null)) {
      if (m.modelId().equals(modelId) && m.modelVersion().equals(modelVersion)) {
        Path file = dataDir.resolve(m.file());
        String where = "the model part " + file.getFileName();
        byte[] json = read(file);
        JsonNode path = Json.tree(json, where).get("data_path");
        out.add(
            new Part(
                m,
                readPart(json, where),
                path == null || !path.isArray()
                    ? null
                    : java.util.stream.StreamSupport.stream(path.spliterator(), false)
                        .map(JsonNode::asText)
                        .toList()));
      }
    }
    return out;
  }

  /**
   * This party's parts of a model version as a zip archive (a manifest and one file per component)
   * that can be moved to another node of the same party.
   */
  public byte[] exportModel(String modelId, String modelVersion) {
    List<ModelPart> parts =
        store.parts(null).stream()
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
      for (ModelPart m : parts) {
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

  /** Largest model part an archive may unpack to, and the largest whole archive unpacked. */
  static final int MAX_PART_BYTES = 16 << 20;

  static final int MAX_ARCHIVE_BYTES = 64 << 20;

  /**
   * Registers the parts of an exported archive of this party's model on this node. Every name in
   * the archive is checked by {@link Names} before it touches a path, every part must be this
   * party's, of its declared role and component, and consistent ({@link PartyModel#check}); the
   * archive unpacks to at most {@value #MAX_ARCHIVE_BYTES} bytes.
   */
  public Imported importModel(byte[] archive) {
    Map<String, byte[]> files = unzip(archive);
    byte[] manifestBytes = files.get("manifest.json");
    if (manifestBytes == null) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "the archive has no manifest.json; export the model with 'federa model export'");
    }
    Manifest manifest = Json.read(manifestBytes, Manifest.class, "the archive's manifest.json");
    if (!FORMAT.equals(manifest.format())) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "unknown model archive format " + Names.shown(manifest.format()));
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
    requireModelId(manifest.modelId());
    String version = Names.require("the archive's model version", manifest.modelVersion());
    List<ArchivedPart> parts = manifest.parts() == null ? List.of() : manifest.parts();
    if (parts.isEmpty()) {
      throw new FederaException(ErrorCode.INVALID_INPUT, "the archive lists no model part");
    }
    Map<ArchivedPart, byte[]> checked = new java.util.LinkedHashMap<>();
    for (ArchivedPart p : parts) {
      String component = Names.require("the archive's component", p.component());
      Names.require("the archive's job id", p.jobId());
      if (!List.of("guest", "host", "arbiter").contains(p.role())) {
        throw new FederaException(
            ErrorCode.INVALID_INPUT, "the archive's part of " + component + " has no known role");
      }
      byte[] content = files.get(p.file());
      if (content == null) {
        throw new FederaException(
            ErrorCode.INVALID_INPUT, "the archive lacks the part of " + component);
      }
      JsonNode doc = Json.tree(content, "the archive's part of " + component);
      if (doc.path("party_id").asInt(self) != self
          || !doc.path("role").asText(p.role()).equals(p.role())
          || !doc.path("component").asText(component).equals(component)) {
        throw new FederaException(
            ErrorCode.INVALID_INPUT,
            "the archive's part of "
                + component
                + " claims another party, role or component than its manifest");
      }
      readPart(content, "the archive's part of " + component);
      checked.put(p, content);
    }
    for (var e : checked.entrySet()) {
      ArchivedPart p = e.getKey();
      Path file = modelFile(version, p.component());
      writePart(file, e.getValue());
      store.register(
          new ModelPart(
              manifest.modelId(),
              version,
              p.jobId(),
              p.component(),
              self,
              p.role(),
              p.module(),
              dataDir.relativize(file).toString(),
              Instant.now().toString(),
              false));
    }
    return new Imported(manifest.modelId(), version, parts.size());
  }

  /** FATE's model ids: role-party groups joined by '#', e.g. arbiter-10001#guest-9999_model. */
  private static void requireModelId(String id) {
    if (id == null || !id.matches("[A-Za-z0-9_][A-Za-z0-9_#.-]{0,255}")) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "the archive's model id "
              + Names.shown(id)
              + " is not a model id (letters, digits, '_', '-', '.', '#')");
    }
  }

  /** The archive's entries, at most {@value #MAX_PART_BYTES} bytes each and 1,000 of them. */
  private static Map<String, byte[]> unzip(byte[] archive) {
    Map<String, byte[]> files = new HashMap<>();
    long total = 0;
    try (var zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
      for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        byte[] content = zip.readNBytes(MAX_PART_BYTES + 1);
        total += content.length;
        if (content.length > MAX_PART_BYTES || total > MAX_ARCHIVE_BYTES || files.size() >= 1000) {
          throw new FederaException(
              ErrorCode.INVALID_INPUT,
              "the archive unpacks to more than a model holds (an entry over "
                  + (MAX_PART_BYTES >> 20)
                  + " MiB, over "
                  + (MAX_ARCHIVE_BYTES >> 20)
                  + " MiB in all, or over 1,000 entries); export the model again with 'federa"
                  + " model export'");
        }
        files.put(e.getName(), content);
      }
    } catch (IOException | IllegalArgumentException e) {
      // a corrupt zip (its entry names are not UTF-8, its headers are cut)
      throw new FederaException(
          ErrorCode.INVALID_INPUT, "not a model archive of 'federa model export': " + e, e);
    }
    if (files.isEmpty()) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT, "not a model archive of 'federa model export' (no entries)");
    }
    return files;
  }

  Path modelFile(String jobId, String component) {
    Path dir = Names.resolve(dataDir.resolve("models"), "job id", jobId, "");
    return Names.resolve(dir, "component", component, ".json");
  }

  private static void writePart(Path file, byte[] content) {
    try {
      AtomicFiles.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot create " + file.getParent(), e);
    }
    AtomicFiles.writeBytes(file, false, content);
  }

  private static PartyModel readPart(Path file) {
    return readPart(read(file), "the model part " + file.getFileName());
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot read the model part " + file, e);
    }
  }

  /** A part's JSON as its record, checked ({@link PartyModel#check}). */
  private static PartyModel readPart(byte[] json, String where) {
    PartyModel part = Json.read(json, PartyModel.class, where);
    part.check(where);
    return part;
  }
}
