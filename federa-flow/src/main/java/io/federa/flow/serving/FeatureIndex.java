package io.federa.flow.serving;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.io.AtomicFiles;
import io.federa.core.json.Json;
import io.federa.core.table.Table;
import io.federa.flow.store.TableInfo;
import io.federa.flow.store.TableStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A host's feature store for serving: one of the node's uploaded tables indexed by id in an
 * embedded SQLite file ({@code <data>/serving/features-<sha>.db}, one row per id: its feature
 * values as 8-byte doubles). Built once per table content (the file is named by the table's
 * SHA-256, written beside and moved in whole, so a crash never leaves half an index), then read by
 * a small pool of read-only connections.
 */
final class FeatureIndex implements FeatureSource {
  private static final int CONNECTIONS = 4;

  private final Path file;
  private final String namespace;
  private final String table;
  private final List<String> features;
  private final int rows;
  private final BlockingQueue<Reader> readers = new ArrayBlockingQueue<>(CONNECTIONS);

  private record Reader(Connection connection, PreparedStatement select) {}

  private FeatureIndex(Path file, String namespace, String table) throws SQLException {
    this.file = file;
    this.namespace = namespace;
    this.table = table;
    List<String> names = null;
    int count = 0;
    for (int i = 0; i < CONNECTIONS; i++) {
      var config = new org.sqlite.SQLiteConfig();
      config.setReadOnly(true);
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
      if (names == null) {
        try (Statement s = c.createStatement();
            ResultSet r = s.executeQuery("SELECT features, row_count FROM meta")) {
          r.next();
          names = List.of(Json.read(r.getString(1).getBytes(), String[].class, "the index"));
          count = r.getInt(2);
        }
      }
      readers.add(new Reader(c, c.prepareStatement("SELECT v FROM rows WHERE id = ?")));
    }
    this.features = names;
    this.rows = count;
  }

  /** The index of table {@code namespace.name} of this node, built under {@code dir} if needed. */
  static FeatureIndex open(Path dir, TableStore tables, String namespace, String name) {
    TableInfo info =
        tables
            .info(namespace, name)
            .orElseThrow(
                () ->
                    new FederaException(
                            ErrorCode.NOT_FOUND,
                            "serving needs table "
                                + namespace
                                + "."
                                + name
                                + " as its feature store, but this node has no such table;"
                                + " upload it with 'federa upload', or name another with --table")
                        .shareable());
    Path file = dir.resolve("features-" + info.sha256().substring(0, 32) + ".db");
    try {
      if (!Files.exists(file)) {
        build(file, tables.read(namespace, name));
      }
      return new FeatureIndex(file, namespace, name);
    } catch (SQLException | IOException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE,
          "cannot build or open the feature index " + file + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * An index another process of the party built (its node): a serving instance reads it where the
   * node's data directory is, or from a copy of it.
   */
  static FeatureIndex existing(Path file, String namespace, String table) {
    if (!Files.isRegularFile(file)) {
      throw new FederaException(
              ErrorCode.NOT_FOUND,
              "no feature index "
                  + file
                  + " of table "
                  + namespace
                  + "."
                  + table
                  + "; start the instance with the node's data directory (or a copy of its"
                  + " 'serving' directory) as --data-dir")
          .shareable();
    }
    try {
      return new FeatureIndex(file, namespace, table);
    } catch (SQLException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE, "cannot open the feature index " + file + ": " + e.getMessage(), e);
    }
  }

  private static void build(Path file, Table t) throws SQLException, IOException {
    AtomicFiles.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    AtomicFiles.openPrivate(
            tmp,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)
        .close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp)) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE meta (features TEXT NOT NULL, row_count INTEGER NOT NULL)");
        s.execute("CREATE TABLE rows (id TEXT PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID");
      }
      try (PreparedStatement m = c.prepareStatement("INSERT INTO meta VALUES (?, ?)")) {
        m.setString(1, new String(Json.bytes(t.schema().featureNames())));
        m.setInt(2, t.rows());
        m.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement("INSERT OR REPLACE INTO rows VALUES (?, ?)")) {
        double[] row = new double[t.features()];
        for (int i = 0; i < t.rows(); i++) {
          t.row(i, row);
          ByteBuffer b = ByteBuffer.allocate(8 * row.length);
          for (double v : row) {
            b.putDouble(v);
          }
          s.setString(1, t.id(i));
          s.setBytes(2, b.array());
          s.addBatch();
          if (i % 10_000 == 9_999) {
            s.executeBatch();
          }
        }
        s.executeBatch();
      }
      c.commit();
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public String fileName() {
    return file.getFileName().toString();
  }

  @Override
  public List<String> sample(int n) {
    Reader reader = take();
    try (Statement s = reader.connection().createStatement();
        ResultSet r = s.executeQuery("SELECT id FROM rows ORDER BY id LIMIT " + n)) {
      List<String> ids = new ArrayList<>();
      while (r.next()) {
        ids.add(r.getString(1));
      }
      return ids;
    } catch (SQLException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE, "the feature index of " + namespace + "." + table + ": " + e, e);
    } finally {
      readers.add(reader);
    }
  }

  @Override
  public String table() {
    return table;
  }

  @Override
  public List<String> features() {
    return features;
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public Lookup lookup(List<String> ids) {
    double[][] columns = new double[features.size()][ids.size()];
    List<Integer> missing = new ArrayList<>();
    Reader reader = take();
    try {
      for (int i = 0; i < ids.size(); i++) {
        reader.select().setString(1, ids.get(i));
        try (ResultSet r = reader.select().executeQuery()) {
          if (!r.next()) {
            missing.add(i);
            continue;
          }
          ByteBuffer b = ByteBuffer.wrap(r.getBytes(1));
          for (double[] column : columns) {
            column[i] = b.getDouble();
          }
        }
      }
    } catch (SQLException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE, "the feature index of " + namespace + "." + table + ": " + e, e);
    } finally {
      readers.add(reader);
    }
    return new Lookup(columns, missing.stream().mapToInt(Integer::intValue).toArray());
  }

  private Reader take() {
    try {
      return readers.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FederaException(ErrorCode.INTERNAL, "interrupted while reading features", e);
    }
  }

  @Override
  public void close() {
    for (Reader r : readers) {
      try {
        r.connection().close();
      } catch (SQLException ignored) {
        // closing a read-only connection
      }
    }
  }
}
