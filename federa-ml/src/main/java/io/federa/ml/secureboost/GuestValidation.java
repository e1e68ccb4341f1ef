package io.federa.ml.secureboost;

import io.federa.core.table.Table;
import io.federa.ml.tree.Targets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The guest's validation during training ({@link EarlyStopping}): after each validated round it
 * scores the validation rows through the round's new trees (a prediction exchange with the hosts,
 * who run {@link SecureBoostHost#predict} on their validation rows), computes the metric, and tells
 * whether training goes on — or stops and keeps the rounds up to the best validation.
 */
final class GuestValidation {
  /** A validation's round and metric value. */
  record Point(int round, double value) {}

  private final EarlyStopping rule;
  private final Table rows;
  private final Targets targets;
  private final double[][] raw;
  private final List<Point> history = new ArrayList<>();
  private int scoredTrees;
  private int bestRound;
  private double best = Double.NaN;
  private int sinceBest;

  GuestValidation(EarlyStopping rule, Table rows, Targets training, double[] initialScores) {
    this.rule = rule;
    this.rows = rows;
    this.targets = training.forLabels(rows.labels());
    this.raw = new double[initialScores.length][rows.rows()];
    for (int k = 0; k < raw.length; k++) {
      java.util.Arrays.fill(raw[k], initialScores[k]);
    }
  }

  Table rows() {
    return rows;
  }

  List<Point> history() {
    return List.copyOf(history);
  }

  /**
   * Adds the scores of the trees grown since the last validation (after a resume: all the restored
   * ones), {@code score(fromTree)}, and returns the metric.
   */
  private double score(IntFunction<double[][]> score) {
    double[][] add = score.apply(scoredTrees);
    for (int k = 0; k < raw.length; k++) {
      for (int i = 0; i < add[k].length; i++) {
        raw[k][i] += add[k][i];
      }
    }
    return rule.measure(targets, rows.labels(), raw);
  }

  /** Whether round {@code round} (from 1) of at most {@code total} is validated. */
  boolean due(int round, int total) {
    return rule.at(round, total);
  }

  /**
   * Validates after round {@code round} with {@code trees} trees, and returns how many rounds the
   * model keeps if training stops here (−1: go on).
   */
  int validate(int round, int trees, IntFunction<double[][]> scoreFrom) {
    double value = score(scoreFrom);
    scoredTrees = trees;
    record(round, value);
    return rule.rounds() > 0 && sinceBest >= rule.rounds() ? bestRound : -1;
  }

  /** Why early stopping ended training at round {@code round}. */
  String stopReason(int round) {
    return String.format(
        "early stopping after round %d: the validation %s has not improved on round %d's %.6g in"
            + " %d validations",
        round, rule.metric(), bestRound, best, sinceBest);
  }

  /** A validation's value: the history, the best so far and the validations since. */
  private void record(int round, double value) {
    history.add(new Point(round, value));
    boolean better = Double.isNaN(best) || (rule.higherIsBetter() ? value > best : value < best);
    if (better) {
      best = value;
      bestRound = round;
      sinceBest = 0;
    } else {
      sinceBest++;
    }
  }

  /**
   * After a resume at the end of round {@code rounds}: the restored trees scored once (the
   * validation rows' scores), and the validations before the interruption ({@code saved}: round and
   * value pairs from the checkpoint, {@link #saved}) replayed, so early stopping decides as the
   * uninterrupted run would. A checkpoint from before validation histories were saved has none:
   * then the resumed round counts as the best so far.
   */
  void resumed(int trees, int rounds, IntFunction<double[][]> scoreFrom, double[] saved) {
    double value = score(scoreFrom);
    scoredTrees = trees;
    if (saved.length == 0) {
      history.add(new Point(rounds, value));
      best = value;
      bestRound = rounds;
      sinceBest = 0;
      return;
    }
    for (int k = 0; k + 1 < saved.length; k += 2) {
      record((int) saved[k], saved[k + 1]);
    }
  }

  /** The history as round and value pairs, for a checkpoint. */
  double[] saved() {
    double[] out = new double[2 * history.size()];
    for (int k = 0; k < history.size(); k++) {
      out[2 * k] = history.get(k).round();
      out[2 * k + 1] = history.get(k).value();
    }
    return out;
  }

  /** The name of round {@code round}'s validation exchange (−1: after a resume). */
  static String name(int round) {
    return round < 0 ? "validate_resume" : "validate_r" + round;
  }
}
