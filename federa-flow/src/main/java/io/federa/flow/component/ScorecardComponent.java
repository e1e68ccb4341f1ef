package io.federa.flow.component;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Schema;
import io.federa.core.table.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * FATE's Scorecard, at the guest: a binary model's {@code predict_score} p becomes a credit score
 * {@code offset + factor·log_base(odds)}, odds = (1 − p)/p (each {@code factor} points doubles the
 * odds of "good" for base 2), clipped to [{@code lower_limit_value}, {@code offset ·
 * upper_limit_ratio}]. Given the hetero LR model and the binning its guest columns were
 * WOE-transformed with ({@code isometric_model}), it also writes the points of every bin of those
 * columns ({@code −F·w·woe}, F = factor / ln base) and the base points ({@code offset − F·w₀}): the
 * scorecard a credit officer reads. A host's columns have no points here: their weights and bins
 * stay at the host.
 */
final class ScorecardComponent {
  private ScorecardComponent() {}

  static Outputs run(ComponentContext c) {
    if (!c.isGuest()) {
      return Outputs.NONE;
    }
    var sc = io.federa.flow.dsl.FeatureParams.scorecard(c.reader());
    double offset = sc.offset();
    double factor = sc.factor();
    double base = sc.factorBase();
    double upperRatio = sc.upperLimitRatio();
    double lower = sc.lowerLimitValue();
    Table in = c.inputData("data");
    int score = in.schema().indexOf("predict_score");
    if (score < 0 || in.schema().indexOf("prob_1") >= 0) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              c.component() + " scores a binary model's predictions: give it e.g. hetero_lr_0.data")
          .shareable();
    }
    double f = factor / Math.log(base);
    double upper = offset * upperRatio;
    PartyModel.HeteroLrGuest lr = null;
    PartyModel.Binning binning = null;
    for (PartyModel m : c.isometricModels()) {
      lr = m instanceof PartyModel.HeteroLrGuest g ? g : lr;
      binning = m instanceof PartyModel.Binning b ? b : binning;
    }
    Map<String, double[]> points = new LinkedHashMap<>();
    double basePoints = Double.NaN;
    if (lr != null && binning != null && lr.weights().length == 1 && binning.bins() != null) {
      basePoints = offset - f * lr.intercepts()[0];
      boolean woeBinning = binning.transformType().equals("woe");
      for (int k = 0; k < lr.features().size(); k++) {
        String feature = lr.features().get(k);
        int b = binning.features().indexOf(feature);
        if (b >= 0 && woeBinning && binning.transformed().contains(feature)) {
          double[] woe = binning.bins().get(b).perClass().get(0).woe();
          double[] pts = new double[woe.length];
          for (int j = 0; j < woe.length; j++) {
            pts[j] = -f * lr.weights()[0][k] * woe[j];
          }
          points.put(feature, pts);
        }
      }
      c.tracker()
          .log(
              "scorecard: base points "
                  + Math.round(basePoints)
                  + ", "
                  + points.size()
                  + " columns with points per bin");
    }
    var card =
        new PartyModel.Scorecard(
            offset,
            factor,
            base,
            upper,
            lower,
            Double.isNaN(basePoints) ? null : basePoints,
            points);
    double[] p = in.column(score);
    double[] credit = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      credit[i] = card.creditScore(p[i]);
    }
    List<String> names = new ArrayList<>(in.schema().featureNames());
    names.add("credit_score");
    double[][] columns = new double[names.size()][];
    for (int k = 0; k < in.features(); k++) {
      columns[k] = in.column(k);
    }
    columns[in.features()] = credit;
    Table out =
        new Table(
            new Schema(in.schema().idName(), in.hasLabel() ? in.schema().labelName() : null, names),
            in.ids(),
            in.hasLabel() ? in.labels() : null,
            columns);
    c.tracker().metric("mean_credit_score", 0, java.util.Arrays.stream(credit).average().orElse(0));
    return new Outputs(out, card);
  }
}
