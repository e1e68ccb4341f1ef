package io.federa.flow.component;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.ml.secureboost.FederatedTree;
import io.federa.ml.secureboost.SecureBoostHostModel;
import java.util.List;

/**
 * A party's part of a trained component: what only this party holds, stored as JSON in its model
 * file with its {@code kind} ({@code ModelRegistry}). One record per kind of part; {@link #check}
 * refuses a part whose shapes do not fit together (an edited or foreign file).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = PartyModel.Scale.class, name = "scale"),
  @JsonSubTypes.Type(value = PartyModel.HeteroLrGuest.class, name = "hetero_lr_guest"),
  @JsonSubTypes.Type(value = PartyModel.HeteroLrHost.class, name = "hetero_lr_host"),
  @JsonSubTypes.Type(value = PartyModel.Homo.class, name = "homo"),
  @JsonSubTypes.Type(value = PartyModel.SecureBoostGuest.class, name = "secureboost_guest"),
  @JsonSubTypes.Type(value = PartyModel.SecureBoostHost.class, name = "secureboost_host"),
  @JsonSubTypes.Type(value = PartyModel.Statistics.class, name = "statistics"),
  @JsonSubTypes.Type(value = PartyModel.Binning.class, name = "binning"),
  @JsonSubTypes.Type(value = PartyModel.Selection.class, name = "selection"),
  @JsonSubTypes.Type(value = PartyModel.Scorecard.class, name = "scorecard"),
  @JsonSubTypes.Type(value = PartyModel.OneHot.class, name = "one_hot"),
  @JsonSubTypes.Type(value = PartyModel.Imputation.class, name = "imputation"),
  @JsonSubTypes.Type(value = PartyModel.Correlation.class, name = "correlation")
})
public sealed interface PartyModel {
  /** Throws {@code INVALID_INPUT} naming {@code where} if the part's shapes are inconsistent. */
  void check(String where);

  /** FeatureScale's statistics of this party's columns: {@code (x − shift) / scale}. */
  record Scale(String method, List<String> features, double[] shift, double[] scale)
      implements PartyModel {
    @Override
    public void check(String where) {
      require(features != null && shift != null && scale != null, where, "lacks its columns");
      require(
          shift.length == features.size() && scale.length == features.size(),
          where,
          "has " + features.size() + " features but " + shift.length + " shifts");
      finite(where, shift);
      finite(where, scale);
    }
  }

  /**
   * The guest's hetero LR: per class model, its feature weights and the intercept; for hetero
   * Poisson the exposure column whose log is the offset (null: none).
   */
  record HeteroLrGuest(
      double[] classes,
      List<String> features,
      double[][] weights,
      double[] intercepts,
      String exposure)
      implements PartyModel {
    @Override
    public void check(String where) {
      require(
          classes != null && features != null && weights != null && intercepts != null,
          where,
          "lacks its classes, features, weights or intercepts");
      require(
          classes.length >= 1
              && weights.length == classes.length
              && intercepts.length == classes.length,
          where,
          "has " + classes.length + " class models but " + weights.length + " weight vectors");
      perFeature(where, features, weights);
      finite(where, intercepts);
    }
  }

  /**
   * A host's hetero LR: per class model, its own feature weights and the constant its centring adds
   * to its partial score (null in models stored before standardization: none).
   */
  record HeteroLrHost(List<String> features, double[][] weights, double[] shifts)
      implements PartyModel {
    @Override
    public void check(String where) {
      require(features != null && weights != null && weights.length >= 1, where, "lacks weights");
      perFeature(where, features, weights);
      require(
          shifts == null || shifts.length == weights.length,
          where,
          "has " + weights.length + " class models but other shifts");
      if (shifts != null) {
        finite(where, shifts);
      }
    }

    /** The library's model. */
    public io.federa.ml.hetero.HostModel model() {
      return shifts == null
          ? io.federa.ml.hetero.HostModel.of(weights)
          : new io.federa.ml.hetero.HostModel(weights, shifts);
    }
  }

  /**
   * The horizontal model every party holds alike: the network's layer sizes and parameters, its
   * hidden layers' activation and its input features by name (both null in models stored before
   * serving: relu, and the features unnamed).
   */
  record Homo(
      int[] layers, double[] classes, double[] weights, String activation, List<String> features)
      implements PartyModel {
    @Override
    public void check(String where) {
      require(
          layers != null && layers.length >= 2 && classes != null && weights != null,
          where,
          "lacks its layers, classes or weights");
      long count = 0;
      for (int i = 0; i + 1 < layers.length; i++) {
        require(layers[i] >= 1 && layers[i + 1] >= 1, where, "has an empty layer");
        count += (long) (layers[i] + 1) * layers[i + 1];
      }
      require(
          weights.length == count,
          where,
          "has layers needing " + count + " parameters but " + weights.length);
      finite(where, weights);
      require(
          features == null || features.size() == layers[0],
          where,
          "names " + (features == null ? 0 : features.size()) + " features for " + layers[0]);
      require(
          activation == null
              || java.util.Arrays.stream(io.federa.ml.homo.Mlp.Activation.values())
                  .anyMatch(a -> a.name().equals(activation)),
          where,
          "has an unknown activation");
    }

    /** The library's model. */
    public io.federa.ml.homo.HomoModel model() {
      var hidden =
          activation == null
              ? io.federa.ml.homo.Mlp.Activation.RELU
              : io.federa.ml.homo.Mlp.Activation.valueOf(activation);
      return new io.federa.ml.homo.HomoModel(
          new io.federa.ml.homo.Mlp(layers, hidden), weights, classes);
    }
  }

  /**
   * The guest's SecureBoost: loss, initial score, its features, every tree (hosts' by party); with
   * the softmax its classes and every class's initial score (tree {@code t} adds to class {@code t
   * mod K}, or in multi-output trees each leaf holds every class's value); both null otherwise, and
   * in models saved before multi-class. {@code zeroAsMissing}: the model was trained with zeros
   * read as missing values, and predicts so.
   */
  record SecureBoostGuest(
      String loss,
      double initialScore,
      List<String> features,
      List<FederatedTree> trees,
      double[] classes,
      double[] classScores,
      boolean zeroAsMissing)
      implements PartyModel {
    @Override
    public void check(String where) {
      require(loss != null && features != null && trees != null, where, "lacks its trees");
      require(Double.isFinite(initialScore), where, "has no finite initial score");
      require(
          (classes == null) == (classScores == null)
              && (classes == null || (classes.length >= 2 && classes.length == classScores.length)),
          where,
          "has classes and class scores that do not match");
      if (classScores != null) {
        finite(where, classScores);
      }
      int dims = classes == null ? 1 : classes.length;
      boolean multiOutput = !trees.isEmpty() && trees.get(0).value().length != trees.get(0).nodes();
      require(multiOutput || trees.size() % dims == 0, where, "has a partial round of class trees");
      for (FederatedTree t : trees) {
        int n = t.nodes();
        require(
            n >= 1
                && t.feature().length == n
                && t.threshold().length == n
                && t.left().length == n
                && t.right().length == n
                && t.value().length == (multiOutput ? n * dims : n)
                && t.gain() != null
                && t.gain().length == n,
            where,
            "has a tree whose node arrays differ in length");
        for (int k = 0; k < n; k++) {
          if (!t.leaf(k)) {
            require(
                t.left()[k] > k && t.left()[k] < n && t.right()[k] > k && t.right()[k] < n,
                where,
                "has a tree node whose children are out of place");
            require(t.feature()[k] < features.size(), where, "splits on an unknown feature");
          }
        }
        finite(where, t.threshold());
        finite(where, t.value());
        finite(where, t.gain());
      }
    }

    /** The library's model. */
    public io.federa.ml.secureboost.SecureBoostGuestModel model() {
      return new io.federa.ml.secureboost.SecureBoostGuestModel(
          io.federa.ml.tree.GbdtParams.Loss.valueOf(loss),
          classScores != null ? classScores : new double[] {initialScore},
          features,
          trees,
          classes);
    }
  }

  /** A host's SecureBoost: its features and the splits it holds, by tree and node. */
  record SecureBoostHost(
      List<String> features, List<SecureBoostHostModel.Split> splits, boolean zeroAsMissing)
      implements PartyModel {
    @Override
    public void check(String where) {
      require(features != null && splits != null, where, "lacks its splits");
      for (var s : splits) {
        require(
            features.contains(s.feature()) && Double.isFinite(s.threshold()),
            where,
            "has a split on an unknown feature or at no finite threshold");
      }
    }

    /** The library's model. */
    public io.federa.ml.secureboost.SecureBoostHostModel model() {
      return new io.federa.ml.secureboost.SecureBoostHostModel(features, splits);
    }
  }

  /** DataStatistics: per column of this party's, each statistic asked (NaN ones left out). */
  record Statistics(java.util.Map<String, java.util.Map<String, Double>> columns)
      implements PartyModel {
    @Override
    public void check(String where) {
      require(columns != null, where, "lacks its columns");
    }
  }

  /**
   * HeteroFeatureBinning at one party: its binned features' edges and what its output transforms
   * ({@code bin_num}, {@code woe} or {@code none}, of the columns {@code transformed}); at the
   * guest also the label classes, its own features' bins with WOE and IV, and each host's features'
   * (by party id, named {@code host_<party>_<index>}: counts, WOE and IV, no edges).
   */
  record Binning(
      String method,
      List<String> features,
      double[][] splitPoints,
      boolean[] missingBin,
      String transformType,
      List<String> transformed,
      double[] classes,
      List<io.federa.ml.feature.FeatureBins> bins,
      java.util.Map<String, List<io.federa.ml.feature.FeatureBins>> hosts)
      implements PartyModel {
    @Override
    public void check(String where) {
      require(
          features != null
              && splitPoints != null
              && missingBin != null
              && transformed != null
              && splitPoints.length == features.size()
              && missingBin.length == features.size()
              && features.containsAll(transformed),
          where,
          "has edges that do not match its features");
      for (double[] p : splitPoints) {
        require(p != null, where, "lacks a feature's edges");
        finite(where, p);
        for (int k = 1; k < p.length; k++) {
          require(p[k - 1] < p[k], where, "has split points out of order");
        }
      }
      require(
          bins == null || bins.size() == features.size(),
          where,
          "has bins for " + (bins == null ? 0 : bins.size()) + " of its features");
      require(
          !transformType.equals("woe") || (bins != null && classes != null && classes.length == 2),
          where,
          "transforms to WOE without a binary label's bins");
    }

    /** The binning of these features, rebuilt from the stored edges. */
    io.federa.ml.feature.BinEdges edges() {
      return new io.federa.ml.feature.BinEdges(splitPoints, missingBin);
    }
  }

  /** HeteroFeatureSelection at one party: the columns it kept of those it had. */
  record Selection(List<String> original, List<String> kept) implements PartyModel {
    @Override
    public void check(String where) {
      require(
          original != null && kept != null && original.containsAll(kept),
          where,
          "keeps columns it did not have");
    }
  }

  /**
   * Scorecard at the guest: its scaling, and (from a WOE hetero LR) the base points and each WOE
   * column's points per bin (null and empty without them).
   */
  record Scorecard(
      double offset,
      double factor,
      double factorBase,
      double upper,
      double lower,
      Double basePoints,
      java.util.Map<String, double[]> points)
      implements PartyModel {
    /** The credit score of predicted probability {@code p}: clipped {@code offset + F·ln(odds)}. */
    public double creditScore(double p) {
      double q = Math.min(1 - 1e-15, Math.max(1e-15, p));
      double f = factor / Math.log(factorBase);
      return Math.max(lower, Math.min(upper, offset + f * Math.log((1 - q) / q)));
    }

    @Override
    public void check(String where) {
      require(points != null && factor > 0 && factorBase > 1, where, "lacks its scaling");
      points.values().forEach(p -> finite(where, p));
    }
  }

  /** OneHotEncoder at one party: each encoded column's values, ascending. */
  record OneHot(java.util.Map<String, double[]> categories) implements PartyModel {
    @Override
    public void check(String where) {
      require(categories != null, where, "lacks its categories");
      categories.values().forEach(v -> finite(where, v));
    }
  }

  /** FeatureImputation at one party: each column's fill value, and the values read as missing. */
  record Imputation(java.util.Map<String, Double> fill, List<Double> missingValues)
      implements PartyModel {
    @Override
    public void check(String where) {
      require(
          fill != null
              && missingValues != null
              && fill.values().stream().allMatch(Double::isFinite),
          where,
          "lacks finite fill values");
    }
  }

  /**
   * HeteroPearson at one party: its columns' correlations with each other, and by the other party
   * (a host's id at the guest, the guest's at a host) the cross matrix, {@code [guest column][host
   * column]}.
   */
  record Correlation(
      List<String> features, double[][] local, java.util.Map<String, double[][]> cross)
      implements PartyModel {
    @Override
    public void check(String where) {
      require(
          features != null && local != null && cross != null && local.length == features.size(),
          where,
          "lacks its correlations");
    }
  }

  private static void require(boolean ok, String where, String problem) {
    if (!ok) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          where + " " + problem + "; it is not a model part this node wrote");
    }
  }

  /** One finite weight per feature in every class model's vector. */
  private static void perFeature(String where, List<String> features, double[][] weights) {
    for (double[] w : weights) {
      require(
          w != null && w.length == features.size(),
          where,
          "has " + features.size() + " features but a weight vector of another length");
      finite(where, w);
    }
  }

  private static void finite(String where, double[] values) {
    for (double v : values) {
      require(Double.isFinite(v), where, "holds a value that is not a finite number");
    }
  }
}
