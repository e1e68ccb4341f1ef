package io.federa.flow.serving;

import io.federa.flow.store.MetadataStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The services of this node in its metadata store, one row per (service, model version): at the
 * guest the active version, the previous one (for a rollback) and an A/B version with its weight;
 * at a host every version it loaded for the guest. Rewritten per service in one transaction, so a
 * restarted node serves what it served.
 */
final class ServingStore {
  /** What the guest serves, or what a host loaded. */
  enum State {
    ACTIVE,
    PREVIOUS,
    B,
    LOADED
  }

  /** One version of a service at this node. */
  record Row(
      String service,
      String version,
      String modelId,
      String role,
      int guest,
      String namespace,
      String table,
      java.util.Set<State> states,
      double weight,
      int deadlineMs,
      String policy) {}

  private final MetadataStore meta;

  private static java.util.Set<State> states(String stored) {
    var out = java.util.EnumSet.noneOf(State.class);
    for (String s : stored.split(",")) {
      out.add(State.valueOf(s));
    }
    return out;
  }

  ServingStore(MetadataStore meta) {
    this.meta = meta;
  }

  List<Row> all() {
    return meta.transaction(
        "read services",
        c -> {
          List<Row> out = new ArrayList<>();
          try (PreparedStatement s =
                  c.prepareStatement("SELECT * FROM services ORDER BY name, model_version");
              ResultSet r = s.executeQuery()) {
            while (r.next()) {
              out.add(
                  new Row(
                      r.getString("name"),
                      r.getString("model_version"),
                      r.getString("model_id"),
                      r.getString("role"),
                      r.getInt("guest"),
                      r.getString("namespace"),
                      r.getString("table_name"),
                      states(r.getString("state")),
                      r.getDouble("weight"),
                      r.getInt("deadline_ms"),
                      r.getString("policy")));
            }
          }
          return out;
        });
  }

  /** Replaces the rows of {@code service} by {@code rows} (none: the service is gone). */
  void replace(String service, List<Row> rows) {
    meta.transaction(
        "store service " + service,
        c -> {
          try (PreparedStatement d = c.prepareStatement("DELETE FROM services WHERE name = ?")) {
            d.setString(1, service);
            d.executeUpdate();
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO services (name, model_version, model_id, role, guest, namespace,"
                      + " table_name, state, weight, deadline_ms, policy, updated_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Row r : rows) {
              s.setString(1, r.service());
              s.setString(2, r.version());
              s.setString(3, r.modelId());
              s.setString(4, r.role());
              s.setInt(5, r.guest());
              s.setString(6, r.namespace());
              s.setString(7, r.table());
              s.setString(
                  8, String.join(",", r.states().stream().map(State::name).sorted().toList()));
              s.setDouble(9, r.weight());
              s.setInt(10, r.deadlineMs());
              s.setString(11, r.policy());
              s.setString(12, Instant.now().toString());
              s.executeUpdate();
            }
          }
          return null;
        });
  }
}
