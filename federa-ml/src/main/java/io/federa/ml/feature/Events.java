package io.federa.ml.feature;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.Arrays;

/**
 * The guest's labels as the events binning counts: binary labels (0 and 1) give one event, label 1;
 * several classes give one event per class (each against the rest).
 *
 * @param classes the distinct labels, ascending
 * @param slotOf each row's event slot, or −1 (binary label 0)
 * @param totals rows per event slot
 */
public record Events(double[] classes, int[] slotOf, long[] totals) {
  public static Events of(double[] labels) {
    double[] classes = Arrays.stream(labels).distinct().sorted().toArray();
    if (classes.length < 2 || Double.isNaN(classes[0])) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "binning's WOE and IV need labels of at least two classes and none missing; the rows"
              + " have "
              + Arrays.toString(classes));
    }
    boolean binary = classes.length == 2;
    if (binary && (classes[0] != 0 || classes[1] != 1)) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "binary labels must be 0 and 1 (1 is the event WOE counts), the rows have "
              + classes[0]
              + " and "
              + classes[1]
              + "; recode the label column");
    }
    int[] slotOf = new int[labels.length];
    long[] totals = new long[binary ? 1 : classes.length];
    for (int i = 0; i < labels.length; i++) {
      int k = Arrays.binarySearch(classes, labels[i]);
      slotOf[i] = binary ? k - 1 : k;
      if (slotOf[i] >= 0) {
        totals[slotOf[i]]++;
      }
    }
    return new Events(classes, slotOf, totals);
  }

  /** Event slots per row: 1 for binary labels, else the number of classes. */
  public int slots() {
    return totals.length;
  }

  /** Events per bin of each feature: {@code [feature][slot][bin]}. */
  long[][][] count(BinEdges edges, short[][] bins) {
    long[][][] out = new long[bins.length][slots()][];
    for (int f = 0; f < bins.length; f++) {
      for (int k = 0; k < slots(); k++) {
        out[f][k] = new long[edges.bins(f)];
      }
      for (int i = 0; i < slotOf.length; i++) {
        if (slotOf[i] >= 0) {
          out[f][slotOf[i]][bins[f][i] & 0xffff]++;
        }
      }
    }
    return out;
  }
}
