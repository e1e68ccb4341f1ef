package io.federa.flow.serving;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.NodeConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.regex.Pattern;

/**
 * A host's feature store in its own database (docs/serving.md): a table named in the host's {@code
 * node.yaml} under {@code serving.sources}, read over JDBC (SQLite and PostgreSQL drivers ship;
 * another database's driver goes on the class path). Every numeric column but the id is a feature
 * (NULL reads as missing); rows are fetched by id, a batch in one query per 500 ids, over a small
 * pool of connections (one that fails is replaced). The database's credentials stay in the host's
 * configuration, never in a message.
 */
final class JdbcFeatures implements FeatureSource {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JdbcFeatures.class);
  private static final int CONNECTIONS = 4;
  private static final int CHUNK = 500;
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
  private static final Set<Integer> NUMERIC =
      Set.of(
          Types.TINYINT,
          Types.SMALLINT,
          Types.INTEGER,
          Types.BIGINT,
          Types.FLOAT,
          Types.REAL,
          Types.DOUBLE,
          Types.NUMERIC,
          Types.DECIMAL);

  private final String name;
  private final NodeConfig.JdbcSource source;
  private final String quotedTable;
  private final String quotedId;
  private final List<String> features;
  private final String select;
  private final int rows;
  private final BlockingQueue<Connection> pool = new ArrayBlockingQueue<>(CONNECTIONS);

  private JdbcFeatures(String name, NodeConfig.JdbcSource source) throws SQLException {
    this.name = name;
    this.source = source;
    Connection first = connect();
    try {
      String q = first.getMetaData().getIdentifierQuoteString().trim();
      this.quotedTable = quote(source.table(), q);
      this.quotedId = quote(source.id(), q);
      List<String> names = new ArrayList<>();
      StringBuilder columns = new StringBuilder(quotedId);
      boolean hasId = false;
      try (Statement s = first.createStatement();
          ResultSet r = s.executeQuery("SELECT * FROM " + quotedTable + " WHERE 1 = 0")) {
        ResultSetMetaData m = r.getMetaData();
        for (int c = 1; c <= m.getColumnCount(); c++) {
          String column = m.getColumnName(c);
          if (column.equalsIgnoreCase(source.id())) {
            hasId = true;
          } else if (NUMERIC.contains(m.getColumnType(c))) {
            names.add(column);
            columns.append(", ").append(quote(column, q));
          }
        }
      }
      if (!hasId) {
        throw new FederaException(
            ErrorCode.INVALID_INPUT,
            "feature source '"
                + name
                + "': table "
                + source.table()
                + " has no id column '"
                + source.id()
                + "'; set serving.sources."
                + name
                + ".id in node.yaml");
      }
      this.features = List.copyOf(names);
      this.select = "SELECT " + columns + " FROM " + quotedTable + " WHERE " + quotedId + " IN ";
      try (Statement s = first.createStatement();
          ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + quotedTable)) {
        r.next();
        this.rows = r.getInt(1);
      }
      pool.add(first);
      first = null;
      for (int i = 1; i < CONNECTIONS; i++) {
        pool.add(connect());
      }
    } finally {
      if (first != null) {
        first.close();
      }
    }
  }

  /** The source {@code name} of this host's configuration. */
  static JdbcFeatures open(String name, Map<String, NodeConfig.JdbcSource> sources) {
    NodeConfig.JdbcSource source = sources == null ? null : sources.get(name);
    if (source == null) {
      throw new FederaException(
              ErrorCode.NOT_FOUND,
              "this host has no feature source '"
                  + name
                  + "' (known: "
                  + (sources == null ? "none" : sources.keySet())
                  + "); name it under serving.sources in the host's node.yaml")
          .shareable();
    }
    for (String n : List.of(source.table(), source.id())) {
      if (n == null || !NAME.matcher(n).matches()) {
        throw new FederaException(
            ErrorCode.INVALID_INPUT,
            "feature source '" + name + "': '" + n + "' is not a plain table or column name");
      }
    }
    try {
      return new JdbcFeatures(name, source);
    } catch (SQLException e) {
      LOG.error("feature source '{}' (table {}): {}", name, source.table(), e.getMessage());
      throw new FederaException(
              ErrorCode.IO_FAILURE,
              "the host cannot read its feature source '"
                  + name
                  + "' (its log says why); check serving.sources."
                  + name
                  + " in its node.yaml")
          .shareable();
    }
  }

  private Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection(source.url());
    try {
      c.setReadOnly(true); // a hint; some drivers take it only when connecting
    } catch (SQLException ignored) {
      // read-only by use: serving only selects
    }
    return c;
  }

  private static String quote(String name, String q) {
    if (q.isEmpty()) {
      return name;
    }
    StringBuilder out = new StringBuilder();
    for (String part : name.split("\\.")) {
      out.append(out.length() == 0 ? "" : ".").append(q).append(part).append(q);
    }
    return out.toString();
  }

  @Override
  public String namespace() {
    return JDBC;
  }

  @Override
  public String table() {
    return name;
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
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      position.putIfAbsent(ids.get(i), i);
    }
    boolean[] found = new boolean[ids.size()];
    use(
        c -> {
          for (int from = 0; from < ids.size(); from += CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            String marks = "?,".repeat(chunk.size());
            try (PreparedStatement s =
                c.prepareStatement(select + "(" + marks.substring(0, marks.length() - 1) + ")")) {
              for (int k = 0; k < chunk.size(); k++) {
                s.setString(k + 1, chunk.get(k));
              }
              try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                  Integer i = position.get(r.getString(1));
                  if (i == null) {
                    continue;
                  }
                  found[i] = true;
                  for (int j = 0; j < columns.length; j++) {
                    double v = r.getDouble(j + 2);
                    columns[j][i] = r.wasNull() ? Double.NaN : v;
                  }
                }
              }
            }
          }
          return null;
        });
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      Integer first = position.get(ids.get(i));
      if (!found[first]) {
        missing.add(i);
      } else if (first != i) { // the same id twice
        for (double[] column : columns) {
          column[i] = column[first];
        }
      }
    }
    return new Lookup(columns, missing.stream().mapToInt(Integer::intValue).toArray());
  }

  @Override
  public List<String> sample(int n) {
    return use(
        c -> {
          List<String> out = new ArrayList<>();
          try (Statement s = c.createStatement()) {
            s.setMaxRows(n);
            try (ResultSet r =
                s.executeQuery(
                    "SELECT " + quotedId + " FROM " + quotedTable + " ORDER BY " + quotedId)) {
              while (r.next() && out.size() < n) {
                out.add(r.getString(1));
              }
            }
          }
          return out;
        });
  }

  @Override
  public String fileName() {
    return null;
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} on a pooled connection; one that failed is replaced by a new one. */
  private <T> T use(Work<T> work) {
    Connection c;
    try {
      c = pool.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FederaException(ErrorCode.INTERNAL, "interrupted while reading features", e);
    }
    try {
      return work.run(c);
    } catch (SQLException e) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // replaced below
      }
      try {
        c = connect();
      } catch (SQLException again) {
        // the next use tries once more with this closed one and replaces it then
      }
      LOG.warn("feature source '{}' failed: {}", name, e.getMessage());
      throw new FederaException(
              ErrorCode.IO_FAILURE,
              "the host's feature source '" + name + "' failed (its log says why)")
          .shareable();
    } finally {
      pool.add(c);
    }
  }

  @Override
  public void close() {
    for (Connection c : pool) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
  }
}
