package io.federa.flow.job;

import io.federa.flow.store.MetadataStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** The parts of trained models this node registered, in its metadata store. */
public final class ModelStore {
  private final MetadataStore meta;

  public ModelStore(MetadataStore meta) {
    this.meta = meta;
  }

  /** Registers this party's part of a trained model (replacing an earlier registration). */
  public void register(ModelPart m) {
    meta.transaction(
        "register model " + m.modelId(),
        c -> {
          try (PreparedStatement d =
              c.prepareStatement(
                  "DELETE FROM models WHERE model_id = ? AND model_version = ? AND component = ?")) {
            d.setString(1, m.modelId());
            d.setString(2, m.modelVersion());
            d.setString(3, m.component());
            d.executeUpdate();
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO models (model_id, model_version, job_id, component, party_id, role,"
                      + " module, file_name, created_at, deployed)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, m.modelId());
            s.setString(2, m.modelVersion());
            s.setString(3, m.jobId());
            s.setString(4, m.component());
            s.setInt(5, m.partyId());
            s.setString(6, m.role());
            s.setString(7, m.module());
            s.setString(8, m.file());
            s.setString(9, m.createdAt());
            s.setInt(10, m.deployed() ? 1 : 0);
            s.executeUpdate();
          }
          return null;
        });
  }

  /** Registered model parts, newest first ({@code jobId} null: all). */
  public List<ModelPart> parts(String jobId) {
    return meta.transaction(
        "read models",
        c -> {
          List<ModelPart> out = new ArrayList<>();
          String sql =
              "SELECT * FROM models"
                  + (jobId == null ? "" : " WHERE job_id = ?")
                  + " ORDER BY created_at DESC, component";
          try (PreparedStatement s = c.prepareStatement(sql)) {
            if (jobId != null) {
              s.setString(1, jobId);
            }
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(
                    new ModelPart(
                        r.getString("model_id"),
                        r.getString("model_version"),
                        r.getString("job_id"),
                        r.getString("component"),
                        r.getInt("party_id"),
                        r.getString("role"),
                        r.getString("module"),
                        r.getString("file_name"),
                        r.getString("created_at"),
                        r.getInt("deployed") != 0));
              }
            }
          }
          return out;
        });
  }

  /** Marks a model version deployed (every other version of the model id no longer is). */
  public int deploy(String modelId, String modelVersion) {
    return meta.transaction(
        "deploy model " + modelId,
        c -> {
          try (PreparedStatement u =
              c.prepareStatement("UPDATE models SET deployed = 0 WHERE model_id = ?")) {
            u.setString(1, modelId);
            u.executeUpdate();
          }
          try (PreparedStatement u =
              c.prepareStatement(
                  "UPDATE models SET deployed = 1 WHERE model_id = ? AND model_version = ?")) {
            u.setString(1, modelId);
            u.setString(2, modelVersion);
            return u.executeUpdate();
          }
        });
  }
}
