package io.federa.flow.component;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Schema;
import io.federa.core.table.Table;
import io.federa.ml.psi.EcdhPsiGuest;
import io.federa.ml.psi.EcdhPsiHost;
import io.federa.ml.psi.PsiMode;
import io.federa.ml.psi.PsiResult;
import java.util.Set;

/**
 * Reader, DataTransform and Intersection: a party's rows, checked, then aligned with the others'.
 */
final class DataComponents {
  private DataComponents() {}

  /** Reads the party's table named in its parameters ({@code table: {name, namespace}}). */
  static Outputs reader(ComponentContext c) {
    if (c.isArbiter()) {
      return Outputs.NONE;
    }
    String namespace = c.params().path("table").path("namespace").asText();
    String name = c.params().path("table").path("name").asText();
    Table table = c.tables().read(namespace, name);
    c.tracker().metric("rows", 0, table.rows());
    c.tracker().metric("features", 0, table.features());
    c.tracker().log("read " + namespace + "." + name + ": " + table.rows() + " rows");
    return Outputs.data(table);
  }

  /**
   * Checks the label against {@code with_label}: a party that should have one must (its table was
   * uploaded with --label); one that should not has its label column dropped.
   */
  static Outputs dataTransform(ComponentContext c) {
    if (c.isArbiter()) {
      return Outputs.NONE;
    }
    Table in = c.inputDataWithMissing("data");
    boolean withLabel = c.reader().bool("with_label", c.isGuest());
    if (withLabel && !in.hasLabel()) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              c.component()
                  + ": the "
                  + c.role()
                  + "'s table has no label column but with_label is true; upload the table with"
                  + " --label NAME (or set with_label false for this role)")
          .shareable();
    }
    if (!withLabel && in.hasLabel()) {
      Schema s = new Schema(in.schema().idName(), null, in.schema().featureNames());
      double[][] columns = new double[in.features()][];
      for (int f = 0; f < columns.length; f++) {
        columns[f] = in.column(f);
      }
      return Outputs.data(new Table(s, in.ids(), null, columns));
    }
    return Outputs.data(in);
  }

  /**
   * FATE's FeatureScale, which each party runs on its own columns with its own statistics (no
   * message is sent): {@code min_max_scale} (default) maps each column to [0, 1], {@code
   * standard_scale} to mean 0 and variance 1. The statistics are the component's model, so a
   * predict job scales new rows the same way.
   */
  static Outputs featureScale(ComponentContext c) {
    if (c.isArbiter()) {
      return Outputs.NONE;
    }
    Table in = c.inputData("data");
    String method =
        c.reader().choice("method", Set.of("min_max_scale", "standard_scale"), "min_max_scale");
    int d = in.features();
    double[] shift = new double[d];
    double[] scale = new double[d];
    PartyModel trained = c.inputModel();
    if (trained != null) {
      if (!(trained instanceof PartyModel.Scale s) || s.shift().length != d) {
        throw new FederaException(
                ErrorCode.INVALID_ARGUMENT,
                c.component()
                    + ": the trained scale has "
                    + (trained instanceof PartyModel.Scale s ? s.shift().length : 0)
                    + " columns, the data "
                    + d)
            .shareable();
      }
      System.arraycopy(s.shift(), 0, shift, 0, d);
      System.arraycopy(s.scale(), 0, scale, 0, d);
    } else if (method.equals("standard_scale")) {
      var z = io.federa.ml.linear.Standardization.of(in, true);
      System.arraycopy(z.mean(), 0, shift, 0, d);
      System.arraycopy(z.std(), 0, scale, 0, d);
    } else {
      for (int f = 0; f < d; f++) {
        double[] col = in.column(f);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : col) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        shift[f] = col.length == 0 ? 0 : lo;
        scale[f] = hi > lo ? hi - lo : 1;
      }
    }
    var model = new PartyModel.Scale(method, in.schema().featureNames(), shift, scale);
    // (x − shift) / scale, column by column
    return new Outputs(new io.federa.ml.linear.Standardization(shift, scale).apply(in), model);
  }

  /** ECDH-PSI between the guest and each host; the arbiter takes no part. */
  static Outputs intersection(ComponentContext c) {
    if (c.isArbiter()) {
      return Outputs.NONE;
    }
    Table in = c.inputDataWithMissing("data");
    PsiMode mode = c.reader().bool("sync_intersect_ids", true) ? PsiMode.BOTH : PsiMode.GUEST_ONLY;
    PsiResult result =
        c.isGuest()
            ? new EcdhPsiGuest(c.federation(), c.key(), c.hosts(), mode, c.engine(), c.timeout())
                .run(in.ids())
            : new EcdhPsiHost(c.federation(), c.key(), c.guest(), mode, c.engine(), c.timeout())
                .run(in.ids());
    if (result.size() >= 0) {
      c.tracker().metric("intersect_count", 0, result.size());
      c.tracker()
          .metric("intersect_rate", 0, in.rows() == 0 ? 0 : (double) result.size() / in.rows());
      c.tracker().log("intersection: " + result.size() + " of " + in.rows() + " ids");
    }
    if (result.rows() == null) {
      return Outputs.NONE; // guest-only mode: this host does not learn the intersection
    }
    return Outputs.data(in.selectRows(result.rows()));
  }
}
