package io.federa.core.metrics;

/**
 * Counts of (true class, predicted class) pairs; {@code counts[t][p]}, classes {@code 0..k-1}, as
 * scikit-learn's {@code confusion_matrix}.
 */
public record ConfusionMatrix(long[][] counts) {
  public ConfusionMatrix {
    long[][] copy = new long[counts.length][];
    for (int i = 0; i < counts.length; i++) {
      copy[i] = counts[i].clone();
    }
    counts = copy;
  }

  public int classes() {
    return counts.length;
  }

  public long count(int trueClass, int predictedClass) {
    return counts[trueClass][predictedClass];
  }

  public long total() {
    long sum = 0;
    for (long[] row : counts) {
      for (long c : row) {
        sum += c;
      }
    }
    return sum;
  }

  public double accuracy() {
    long correct = 0;
    for (int i = 0; i < counts.length; i++) {
      correct += counts[i][i];
    }
    return (double) correct / total();
  }

  /**
   * Precision of one class; 0 when nothing was predicted as it (scikit-learn's zero_division=0).
   */
  public double precision(int cls) {
    long predicted = 0;
    for (long[] row : counts) {
      predicted += row[cls];
    }
    return predicted == 0 ? 0 : (double) counts[cls][cls] / predicted;
  }

  /** Recall of one class; 0 when the class never occurs. */
  public double recall(int cls) {
    long actual = 0;
    for (long c : counts[cls]) {
      actual += c;
    }
    return actual == 0 ? 0 : (double) counts[cls][cls] / actual;
  }

  public double f1(int cls) {
    double p = precision(cls);
    double r = recall(cls);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  public double macroPrecision() {
    double sum = 0;
    for (int c = 0; c < counts.length; c++) {
      sum += precision(c);
    }
    return sum / counts.length;
  }

  public double macroRecall() {
    double sum = 0;
    for (int c = 0; c < counts.length; c++) {
      sum += recall(c);
    }
    return sum / counts.length;
  }

  public double macroF1() {
    double sum = 0;
    for (int c = 0; c < counts.length; c++) {
      sum += f1(c);
    }
    return sum / counts.length;
  }
}
