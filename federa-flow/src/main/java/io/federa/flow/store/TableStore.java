package io.federa.flow.store;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.Names;
import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.csv.CsvTableWriter;
import io.federa.core.table.Table;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A node's tables: uploaded CSV files are validated, written under {@code <data>/tables/} (temp
 * file, fsync, rename, under a fresh file name) and only then recorded in the metadata store with
 * their SHA-256, which is checked on every read. An upload killed at any point leaves no table
 * (files the metadata does not name are removed when the store opens); a replaced table's old file
 * is removed after the new one is recorded.
 */
public final class TableStore {
  private final Path root;
  private final MetadataStore meta;

  public TableStore(Path dataDir, MetadataStore meta) {
    this.root = dataDir.resolve("tables");
    this.meta = meta;
    removeOrphans();
  }

  /**
   * Validates {@code csv} with {@code options} (missing feature values allowed) and stores it as
   * {@code namespace.name}; an existing table of that name is an error unless {@code replace}.
   */
  public TableInfo upload(
      Path csv, String namespace, String name, CsvOptions options, boolean replace) {
    return upload(csv, csv.toString(), namespace, name, options, replace);
  }

  /** As {@link #upload(Path, String, String, CsvOptions, boolean)}, naming it {@code shownAs}. */
  public TableInfo upload(
      Path csv,
      String shownAs,
      String namespace,
      String name,
      CsvOptions options,
      boolean replace) {
    Names.require("namespace", namespace);
    Names.require("table name", name);
    // a node keeps missing feature values (as FATE does): SecureBoost uses them, and every other
    // component refuses them by column (ComponentContext.inputData)
    return store(
        CsvTableReader.read(csv, shownAs, options.withMissingValues(true)),
        namespace,
        name,
        replace);
  }

  /**
   * Stores {@code table} as {@code namespace.name} (a component's output, or an upload); an
   * existing table of that name is an error unless {@code replace}.
   */
  public TableInfo store(Table table, String namespace, String name, boolean replace) {
    Names.require("namespace", namespace);
    Names.require("table name", name);
    Optional<TableInfo> existing = info(namespace, name);
    if (existing.isPresent() && !replace) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "table "
              + namespace
              + "."
              + name
              + " already exists ("
              + existing.get().rows()
              + " rows); delete it first or upload with --replace");
    }
    Path dir = Names.resolve(root, "namespace", namespace, "");
    String fileName = name + "-" + UUID.randomUUID() + ".csv";
    Path file = dir.resolve(fileName);
    try {
      io.federa.core.io.AtomicFiles.createDirectories(dir);
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot create " + dir, e);
    }
    CsvTableWriter.write(file, table);
    String sha = sha256(file);
    long bytes = size(file);
    TableInfo info =
        new TableInfo(
            namespace,
            name,
            table.rows(),
            table.features(),
            table.schema().idName(),
            table.hasLabel() ? table.schema().labelName() : null,
            table.schema().featureNames(),
            namespace + "/" + fileName,
            sha,
            bytes,
            Instant.now().toString());
    try {
      meta.transaction(
          "record table " + namespace + "." + name,
          c -> {
            try (PreparedStatement d =
                c.prepareStatement("DELETE FROM data_tables WHERE namespace = ? AND name = ?")) {
              d.setString(1, namespace);
              d.setString(2, name);
              d.executeUpdate();
            }
            try (PreparedStatement s =
                c.prepareStatement(
                    "INSERT INTO data_tables (namespace, name, row_count, feature_count, id_column,"
                        + " label_column, feature_names, file_name, sha256, byte_count, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
              s.setString(1, info.namespace());
              s.setString(2, info.name());
              s.setLong(3, info.rows());
              s.setInt(4, info.features());
              s.setString(5, info.idColumn());
              s.setString(6, info.labelColumn());
              s.setString(7, String.join("\n", info.featureNames()));
              s.setString(8, info.file());
              s.setString(9, info.sha256());
              s.setLong(10, info.bytes());
              s.setString(11, info.createdAt());
              s.executeUpdate();
            }
            return null;
          });
    } catch (RuntimeException e) {
      deleteQuietly(file);
      throw e;
    }
    existing.ifPresent(old -> deleteQuietly(root.resolve(old.file())));
    return info;
  }

  public Optional<TableInfo> info(String namespace, String name) {
    List<TableInfo> found =
        query("SELECT * FROM data_tables WHERE namespace = ? AND name = ?", namespace, name);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** Every table, or those of {@code namespace} when it is not null, by namespace and name. */
  public List<TableInfo> list(String namespace) {
    return namespace == null
        ? query("SELECT * FROM data_tables ORDER BY namespace, name")
        : query("SELECT * FROM data_tables WHERE namespace = ? ORDER BY name", namespace);
  }

  /** Reads a stored table, checking its checksum first. */
  public Table read(String namespace, String name) {
    TableInfo info = require(namespace, name);
    Path file = verified(info);
    CsvOptions options =
        info.labelColumn() == null
            ? CsvOptions.unlabeled().withIdColumn(info.idColumn())
            : CsvOptions.labeled()
                .withIdColumn(info.idColumn())
                .withLabelColumn(info.labelColumn());
    return CsvTableReader.read(file, options.withMissingValues(true));
  }

  /** Copies a stored table (checked) to {@code out}. */
  public void download(String namespace, String name, Path out) {
    Path file = verified(require(namespace, name));
    io.federa.core.io.AtomicFiles.writeChannel(
        out,
        false,
        channel -> {
          try (var in = java.nio.channels.FileChannel.open(file)) {
            long size = in.size();
            long done = 0;
            while (done < size) {
              done += in.transferTo(done, size - done, channel);
            }
          }
        });
  }

  /** Deletes a table's record, then its file. */
  public void delete(String namespace, String name) {
    TableInfo info = require(namespace, name);
    meta.transaction(
        "delete table " + namespace + "." + name,
        c -> {
          try (PreparedStatement d =
              c.prepareStatement("DELETE FROM data_tables WHERE namespace = ? AND name = ?")) {
            d.setString(1, namespace);
            d.setString(2, name);
            return d.executeUpdate();
          }
        });
    deleteQuietly(root.resolve(info.file()));
  }

  private TableInfo require(String namespace, String name) {
    return info(namespace, name)
        .orElseThrow(
            () ->
                new FederaException(
                    ErrorCode.NOT_FOUND,
                    "no table "
                        + namespace
                        + "."
                        + name
                        + " on this node; 'federa table list' shows the stored tables, 'federa"
                        + " upload' stores one"));
  }

  private Path verified(TableInfo info) {
    Path file = root.resolve(info.file());
    if (!Files.isRegularFile(file)) {
      throw new FederaException(
          ErrorCode.IO_FAILURE,
          "the file of table "
              + info.namespace()
              + "."
              + info.name()
              + " is missing ("
              + file
              + "); upload the table again");
    }
    String sha = sha256(file);
    if (!sha.equals(info.sha256())) {
      throw new FederaException(
          ErrorCode.IO_FAILURE,
          "table "
              + info.namespace()
              + "."
              + info.name()
              + " is corrupt: its file's SHA-256 is "
              + sha
              + ", recorded "
              + info.sha256()
              + "; upload the table again");
    }
    return file;
  }

  private List<TableInfo> query(String sql, String... args) {
    return meta.transaction(
        "read tables",
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
              s.setString(i + 1, args[i]);
            }
            List<TableInfo> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                String features = r.getString("feature_names");
                out.add(
                    new TableInfo(
                        r.getString("namespace"),
                        r.getString("name"),
                        r.getLong("row_count"),
                        r.getInt("feature_count"),
                        r.getString("id_column"),
                        r.getString("label_column"),
                        features.isEmpty() ? List.of() : Arrays.asList(features.split("\n")),
                        r.getString("file_name"),
                        r.getString("sha256"),
                        r.getLong("byte_count"),
                        r.getString("created_at")));
              }
            }
            return out;
          }
        });
  }

  /** Files under {@code tables/} that no record names: leftovers of a killed upload. */
  private void removeOrphans() {
    if (!Files.isDirectory(root)) {
      return;
    }
    Set<Path> known = new HashSet<>();
    for (TableInfo t : list(null)) {
      known.add(root.resolve(t.file()).normalize());
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        if (!known.contains(p.normalize())) {
          deleteQuietly(p);
        }
      }
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot scan " + root, e);
    }
  }

  static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot read " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot read " + file, e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // removed as an orphan on the next open
    }
  }
}
