package io.federa.ml.feature;

/**
 * Weight of evidence and information value of one feature's bins for one event (binary: label 1;
 * several classes: one class against the rest), as FATE computes them: with {@code E} events and
 * {@code N} non-events in all, bin {@code i}'s rates are {@code e_i / E} and {@code n_i / N} (each
 * count plus {@code adjustment} when either is 0), {@code woe_i = ln(event rate / non-event rate)},
 * {@code iv_i = (event rate − non-event rate)·woe_i}, and the feature's IV is their sum.
 *
 * @param events events per bin
 * @param nonEvents non-events per bin
 * @param woe weight of evidence per bin
 * @param ivs information value per bin
 * @param iv the feature's information value
 */
public record WoeIv(long[] events, long[] nonEvents, double[] woe, double[] ivs, double iv) {
  /** FATE's default {@code adjustment_factor}. */
  public static final double ADJUSTMENT = 0.5;

  /** From the events and rows of each bin. */
  public static WoeIv of(long[] events, long[] rows, double adjustment) {
    int bins = events.length;
    long[] nonEvents = new long[bins];
    long eventTotal = 0;
    long nonEventTotal = 0;
    for (int i = 0; i < bins; i++) {
      nonEvents[i] = rows[i] - events[i];
      eventTotal += events[i];
      nonEventTotal += nonEvents[i];
    }
    eventTotal = Math.max(1, eventTotal); // FATE: no event at all counts as one
    nonEventTotal = Math.max(1, nonEventTotal);
    double[] woe = new double[bins];
    double[] ivs = new double[bins];
    double iv = 0;
    for (int i = 0; i < bins; i++) {
      double e = events[i];
      double n = nonEvents[i];
      if (e == 0 || n == 0) {
        e += adjustment;
        n += adjustment;
      }
      double eventRate = e / eventTotal;
      double nonEventRate = n / nonEventTotal;
      woe[i] = Math.log(eventRate / nonEventRate);
      ivs[i] = (eventRate - nonEventRate) * woe[i];
      iv += ivs[i];
    }
    return new WoeIv(events.clone(), nonEvents, woe, ivs, iv);
  }
}
