package io.federa.flow.store;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A node's metadata over JDBC: embedded SQLite in the node's data directory by default, any JDBC
 * URL (PostgreSQL) by changing one setting. The schema is versioned: on open, every migration newer
 * than the stored version runs in order, each in its own transaction, so an old data directory is
 * brought up to date and a half-applied migration never remains.
 */
public final class MetadataStore implements AutoCloseable {
  /** Migrations, in order: version i + 1 is {@code MIGRATIONS.get(i)}. Portable SQL only. */
  private static final List<String[]> MIGRATIONS =
      List.<String[]>of(
          new String[] {
            "CREATE TABLE data_tables ("
                + " namespace VARCHAR(200) NOT NULL,"
                + " name VARCHAR(200) NOT NULL,"
                + " row_count BIGINT NOT NULL,"
                + " feature_count INTEGER NOT NULL,"
                + " id_column VARCHAR(200) NOT NULL,"
                + " label_column VARCHAR(200),"
                + " feature_names TEXT NOT NULL,"
                + " file_name VARCHAR(500) NOT NULL,"
                + " sha256 CHAR(64) NOT NULL,"
                + " byte_count BIGINT NOT NULL,"
                + " created_at VARCHAR(40) NOT NULL,"
                + " PRIMARY KEY (namespace, name))"
          },
          new String[] {
            "CREATE TABLE jobs ("
                + " job_id VARCHAR(100) NOT NULL PRIMARY KEY,"
                + " role VARCHAR(20) NOT NULL,"
                + " initiator INTEGER NOT NULL,"
                + " state VARCHAR(20) NOT NULL,"
                + " dsl TEXT NOT NULL,"
                + " conf TEXT NOT NULL,"
                + " error TEXT,"
                + " created_at VARCHAR(40) NOT NULL,"
                + " started_at VARCHAR(40),"
                + " ended_at VARCHAR(40))",
            "CREATE TABLE tasks ("
                + " job_id VARCHAR(100) NOT NULL,"
                + " component VARCHAR(200) NOT NULL,"
                + " party_id INTEGER NOT NULL,"
                + " role VARCHAR(20) NOT NULL,"
                + " state VARCHAR(20) NOT NULL,"
                + " attempt INTEGER NOT NULL,"
                + " progress DOUBLE PRECISION NOT NULL,"
                + " error TEXT,"
                + " started_at VARCHAR(40),"
                + " ended_at VARCHAR(40),"
                + " PRIMARY KEY (job_id, component, party_id))",
            "CREATE TABLE metrics ("
                + " job_id VARCHAR(100) NOT NULL,"
                + " component VARCHAR(200) NOT NULL,"
                + " party_id INTEGER NOT NULL,"
                + " name VARCHAR(200) NOT NULL,"
                + " step INTEGER NOT NULL,"
                + " value DOUBLE PRECISION NOT NULL,"
                + " PRIMARY KEY (job_id, component, party_id, name, step))",
            "CREATE TABLE models ("
                + " model_id VARCHAR(200) NOT NULL,"
                + " model_version VARCHAR(100) NOT NULL,"
                + " job_id VARCHAR(100) NOT NULL,"
                + " component VARCHAR(200) NOT NULL,"
                + " party_id INTEGER NOT NULL,"
                + " role VARCHAR(20) NOT NULL,"
                + " module VARCHAR(100) NOT NULL,"
                + " file_name VARCHAR(500) NOT NULL,"
                + " created_at VARCHAR(40) NOT NULL,"
                + " deployed INTEGER NOT NULL,"
                + " PRIMARY KEY (model_id, model_version, component))"
          },
          new String[] {
            // serving: the versions a service serves here (guest: active, previous, b; host:
            // loaded)
            "CREATE TABLE services ("
                + " name VARCHAR(200) NOT NULL,"
                + " model_version VARCHAR(100) NOT NULL,"
                + " model_id VARCHAR(200) NOT NULL,"
                + " role VARCHAR(20) NOT NULL,"
                + " guest INTEGER NOT NULL,"
                + " namespace VARCHAR(200),"
                + " table_name VARCHAR(200),"
                + " state VARCHAR(20) NOT NULL,"
                + " weight DOUBLE PRECISION NOT NULL,"
                + " deadline_ms INTEGER NOT NULL,"
                + " policy VARCHAR(20) NOT NULL,"
                + " updated_at VARCHAR(40) NOT NULL,"
                + " PRIMARY KEY (name, model_version))"
          });

  private final Connection connection;
  private final String url;

  private MetadataStore(Connection connection, String url) {
    this.connection = connection;
    this.url = url;
  }

  /** The default store of a node: {@code <data dir>/federa.db}. */
  public static String sqliteUrl(Path dataDir) {
    return "jdbc:sqlite:" + dataDir.resolve("federa.db").toAbsolutePath();
  }

  /** Opens (creating if needed) the store at {@code jdbcUrl} and brings its schema up to date. */
  public static MetadataStore open(String jdbcUrl) {
    try {
      if (jdbcUrl.startsWith("jdbc:sqlite:") && !jdbcUrl.contains(":memory:")) {
        Path db = Path.of(jdbcUrl.substring("jdbc:sqlite:".length()));
        if (!java.nio.file.Files.exists(db)) {
          // created owner-only here: SQLite gives its -wal and -shm files the database's mode
          io.federa.core.io.AtomicFiles.openPrivate(
                  db,
                  java.nio.file.StandardOpenOption.CREATE,
                  java.nio.file.StandardOpenOption.WRITE)
              .close();
        }
      }
      Connection c = DriverManager.getConnection(jdbcUrl);
      if (jdbcUrl.startsWith("jdbc:sqlite:")) {
        try (Statement s = c.createStatement()) {
          s.execute("PRAGMA journal_mode=WAL");
          s.execute("PRAGMA synchronous=FULL");
          s.execute("PRAGMA busy_timeout=10000");
        }
      }
      MetadataStore store = new MetadataStore(c, jdbcUrl);
      store.migrate();
      return store;
    } catch (SQLException | java.io.IOException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE,
          "cannot open the metadata store "
              + jdbcUrl
              + ": "
              + e.getMessage()
              + "; check the node's metadata_url and that the data directory is writable",
          e);
    }
  }

  /** The schema version in use. */
  public synchronized int schemaVersion() {
    try (Statement s = connection.createStatement();
        ResultSet r = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
      return r.next() ? r.getInt(1) : 0;
    } catch (SQLException e) {
      throw failure("read the schema version", e);
    }
  }

  private synchronized void migrate() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    }
    int current = schemaVersion();
    if (current > MIGRATIONS.size()) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "the metadata store "
              + url
              + " has schema version "
              + current
              + ", newer than this Federa ("
              + MIGRATIONS.size()
              + "); run the newer Federa or restore a backup");
    }
    for (int v = current + 1; v <= MIGRATIONS.size(); v++) {
      connection.setAutoCommit(false);
      try (Statement s = connection.createStatement()) {
        for (String sql : MIGRATIONS.get(v - 1)) {
          s.execute(sql);
        }
        s.execute("INSERT INTO schema_version (version) VALUES (" + v + ")");
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    }
  }

  /** The JDBC URL of this store. */
  public String url() {
    return url;
  }

  /** Runs {@code work} on the connection, in one transaction. */
  public synchronized <T> T transaction(String what, SqlWork<T> work) {
    try {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback); // the first failure says why (a full disk, a lost database)
        }
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /** Work on a connection. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  private FederaException failure(String what, SQLException e) {
    return failure(url, what, e);
  }

  /**
   * The error of a failed transaction: a full disk (SQLite's SQLITE_FULL, PostgreSQL's 53100, or
   * the system's "no space left") is named as such with the fix; anything else with the database's
   * own words.
   */
  static FederaException failure(String url, String what, SQLException e) {
    boolean full = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
      full |=
          (t instanceof SQLException q
                  && (q.getErrorCode() == 13 || "53100".equals(q.getSQLState())))
              || m.contains("disk is full")
              || m.contains("no space left");
    }
    if (full) {
      return new FederaException(
          ErrorCode.IO_FAILURE,
          "cannot "
              + what
              + ": the disk of the metadata store ("
              + url
              + ") is full; free space there (or move data_dir) and try again — nothing was"
              + " changed",
          e);
    }
    return new FederaException(
        ErrorCode.IO_FAILURE,
        "cannot " + what + " in the metadata store " + url + ": " + e.getMessage(),
        e);
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // closing
    }
  }
}
