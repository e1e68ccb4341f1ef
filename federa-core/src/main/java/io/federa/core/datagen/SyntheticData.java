package io.federa.core.datagen;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.io.AtomicFiles;
import io.federa.core.linalg.ColumnOps;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * Seeded synthetic data with a known answer. Features are standard normal; the label comes from a
 * known logistic model (binary) or softmax model (multi-class) over all features. Every row's
 * values are drawn from a generator seeded by the run's seed and the row's id, so guest and host
 * files can be written one after the other, streaming, and still describe the same people.
 */
public final class SyntheticData {
  private SyntheticData() {}

  /** A vertical split: what was written and the truth behind it. */
  public record VerticalResult(
      Path guestFile,
      Path hostFile,
      int guestRows,
      int hostRows,
      int intersection,
      double[] weights,
      double intercept) {}

  /** A horizontal split: one file per party and a test file. */
  public record HorizontalResult(
      List<Path> partyFiles, Path testFile, int[][] classCounts, int testRows) {}

  /**
   * Writes {@code guest.csv} (id, y, g0…) and {@code host.csv} (id, h0…) into {@code dir}. The
   * guest has {@code rows} ids; the host has as many, of which {@code overlap·rows} are the
   * guest's, in another order.
   */
  public static VerticalResult vertical(
      Path dir,
      int rows,
      int guestFeatures,
      int hostFeatures,
      double overlap,
      long seed,
      LongConsumer progress) {
    return vertical(dir, rows, guestFeatures, hostFeatures, overlap, Shape.PLAIN, seed, progress);
  }

  /** As {@link #vertical(Path, int, int, int, double, long, LongConsumer)}, features shaped. */
  public static VerticalResult vertical(
      Path dir,
      int rows,
      int guestFeatures,
      int hostFeatures,
      double overlap,
      Shape shape,
      long seed,
      LongConsumer progress) {
    require(rows >= 1, "rows must be at least 1, got " + rows);
    require(guestFeatures >= 1, "guest features must be at least 1, got " + guestFeatures);
    require(hostFeatures >= 1, "host features must be at least 1, got " + hostFeatures);
    require(overlap >= 0 && overlap <= 1, "overlap must be a fraction in [0, 1], got " + overlap);
    int shared = (int) Math.round(overlap * rows);
    int d = guestFeatures + hostFeatures;
    double[] weights = trueWeights(seed, d, 1)[0];
    double intercept = shape.intercept(seed, weights);
    // ids 0..2·rows-shared-1 are shuffled; guest takes the first rows, host the first shared plus
    // the next rows-shared after the guest's
    int space = 2 * rows - shared;
    int[] ids = shuffledIds(space, new SplittableRandom(seed ^ 0x5DEECE66DL));
    int[] guestIds = java.util.Arrays.copyOf(ids, rows);
    int[] hostIds = new int[rows];
    System.arraycopy(ids, 0, hostIds, 0, shared);
    System.arraycopy(ids, rows, hostIds, shared, rows - shared);
    shuffle(hostIds, new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L));

    Path guest = dir.resolve("guest.csv");
    Path host = dir.resolve("host.csv");
    long[] done = {0};
    AtomicFiles.write(
        guest,
        out -> {
          header(out, true, "g", guestFeatures);
          double[] x = new double[d];
          var sb = new StringBuilder();
          for (int id : guestIds) {
            shape.latent(seed, id, x);
            double p = ColumnOps.sigmoid(ColumnOps.dot(weights, x) + intercept);
            shape.observe(seed, x);
            int y = labelRandom(seed, id).nextDouble() < p ? 1 : 0;
            sb.setLength(0);
            sb.append(id).append(',').append(y);
            appendFeatures(sb, x, 0, guestFeatures);
            out.append(sb);
            tick(progress, done);
          }
        });
    AtomicFiles.write(
        host,
        out -> {
          header(out, false, "h", hostFeatures);
          double[] x = new double[d];
          var sb = new StringBuilder();
          for (int id : hostIds) {
            shape.latent(seed, id, x);
            shape.observe(seed, x);
            sb.setLength(0);
            sb.append(id);
            appendFeatures(sb, x, guestFeatures, d);
            out.append(sb);
            tick(progress, done);
          }
        });
    return new VerticalResult(guest, host, rows, rows, shared, weights, intercept);
  }

  /**
   * Writes {@code party_0.csv … party_{n-1}.csv} and {@code test.csv}: {@code rows} labelled rows
   * split across parties with label skew, each class's rows divided by proportions drawn from a
   * symmetric Dirichlet(α) (Hsu et al. 2019, "Measuring the effects of non-identical data
   * distribution"); small α gives very skewed parties, large α nearly identical ones. The test file
   * has {@code testRows} further rows from the same model.
   */
  public static HorizontalResult horizontal(
      Path dir,
      int rows,
      int features,
      int classes,
      int parties,
      double alpha,
      int testRows,
      long seed,
      LongConsumer progress) {
    require(rows >= parties, "rows (" + rows + ") must be at least the number of parties");
    require(features >= 1, "features must be at least 1, got " + features);
    require(classes >= 2, "classes must be at least 2, got " + classes);
    require(parties >= 1, "parties must be at least 1, got " + parties);
    require(alpha > 0 && Double.isFinite(alpha), "dirichlet alpha must be > 0, got " + alpha);
    require(testRows >= 0, "test rows must be ≥ 0, got " + testRows);
    double[][] w = trueWeights(seed, features, classes == 2 ? 1 : classes);
    int total = rows + testRows;
    int[] label = new int[total];
    double[] x = new double[features];
    for (int id = 0; id < total; id++) {
      rowFeatures(seed, id, x);
      label[id] = drawLabel(w, x, labelRandom(seed, id));
    }
    // per class, split its training rows across parties by Dirichlet proportions; redraw until
    // every party has a few rows, as partitioners in FL benchmarks do (an empty party is no party)
    List<List<Integer>> members = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      members.add(new ArrayList<>());
    }
    for (int id = 0; id < rows; id++) {
      members.get(label[id]).add(id);
    }
    int minRows = Math.max(1, Math.min(10, rows / (parties * 10)));
    SplittableRandom rnd = new SplittableRandom(seed ^ 0xD1B54A32D192ED03L);
    int[][] counts = null;
    for (int attempt = 0; attempt < 1000 && counts == null; attempt++) {
      int[][] tried = new int[parties][classes];
      for (int c = 0; c < classes; c++) {
        double[] share = Dirichlet.sample(alpha, parties, rnd);
        int start = 0;
        double cumulative = 0;
        int size = members.get(c).size();
        for (int p = 0; p < parties; p++) {
          cumulative += share[p];
          int end = p == parties - 1 ? size : (int) Math.round(cumulative * size);
          end = Math.max(start, Math.min(end, size));
          tried[p][c] = end - start;
          start = end;
        }
      }
      boolean everyPartyHasRows = true;
      for (int[] partyCounts : tried) {
        everyPartyHasRows &= java.util.Arrays.stream(partyCounts).sum() >= minRows;
      }
      counts = everyPartyHasRows ? tried : null;
    }
    if (counts == null) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "with dirichlet alpha "
              + alpha
              + " some of the "
              + parties
              + " parties keep getting fewer than "
              + minRows
              + " rows; raise --dirichlet-alpha or --rows, or lower --parties");
    }
    List<List<Integer>> byParty = new ArrayList<>();
    for (int p = 0; p < parties; p++) {
      byParty.add(new ArrayList<>());
    }
    for (int c = 0; c < classes; c++) {
      int start = 0;
      for (int p = 0; p < parties; p++) {
        byParty.get(p).addAll(members.get(c).subList(start, start + counts[p][c]));
        start += counts[p][c];
      }
    }
    long[] done = {0};
    List<Path> files = new ArrayList<>();
    for (int p = 0; p < parties; p++) {
      Path file = dir.resolve("party_" + p + ".csv");
      List<Integer> ids = byParty.get(p);
      ids.sort(null);
      writeLabelled(
          file,
          ids.stream().mapToInt(Integer::intValue).toArray(),
          seed,
          label,
          features,
          progress,
          done);
      files.add(file);
    }
    Path test = dir.resolve("test.csv");
    int[] testIds = new int[testRows];
    for (int i = 0; i < testRows; i++) {
      testIds[i] = rows + i;
    }
    writeLabelled(test, testIds, seed, label, features, progress, done);
    return new HorizontalResult(files, test, counts, testRows);
  }

  private static void writeLabelled(
      Path file,
      int[] ids,
      long seed,
      int[] label,
      int features,
      LongConsumer progress,
      long[] done) {
    AtomicFiles.write(
        file,
        out -> {
          header(out, true, "x", features);
          double[] x = new double[features];
          var sb = new StringBuilder();
          for (int id : ids) {
            rowFeatures(seed, id, x);
            sb.setLength(0);
            sb.append(id).append(',').append(label[id]);
            appendFeatures(sb, x, 0, features);
            out.append(sb);
            tick(progress, done);
          }
        });
  }

  private static int drawLabel(double[][] w, double[] x, SplittableRandom rnd) {
    if (w.length == 1) {
      return rnd.nextDouble() < ColumnOps.sigmoid(ColumnOps.dot(w[0], x)) ? 1 : 0;
    }
    double[] z = new double[w.length];
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < w.length; c++) {
      z[c] = ColumnOps.dot(w[c], x);
      max = Math.max(max, z[c]);
    }
    double sum = 0;
    for (int c = 0; c < z.length; c++) {
      z[c] = Math.exp(z[c] - max);
      sum += z[c];
    }
    double u = rnd.nextDouble() * sum;
    for (int c = 0; c < z.length; c++) {
      u -= z[c];
      if (u <= 0) {
        return c;
      }
    }
    return z.length - 1;
  }

  /** The known model: weights with unit-variance total signal, scaled to give a clear signal. */
  static double[][] trueWeights(long seed, int features, int outputs) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[][] w = new double[outputs][features];
    double scale = 2.0 / Math.sqrt(features);
    for (double[] row : w) {
      for (int j = 0; j < features; j++) {
        row[j] = gaussian(rnd) * scale;
      }
    }
    return w;
  }

  static void rowFeatures(long seed, int id, double[] x) {
    SplittableRandom rnd = new SplittableRandom(mix(seed, id));
    for (int j = 0; j < x.length; j++) {
      x[j] = gaussian(rnd);
    }
  }

  private static SplittableRandom labelRandom(long seed, int id) {
    return new SplittableRandom(mix(seed ^ 0x632BE59BD9B4E019L, id));
  }

  static long mix(long seed, long id) {
    long z = seed + 0x9E3779B97F4A7C15L * (id + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static double gaussian(SplittableRandom rnd) {
    // Marsaglia polar method
    double u;
    double v;
    double s;
    do {
      u = 2 * rnd.nextDouble() - 1;
      v = 2 * rnd.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * Math.sqrt(-2 * Math.log(s) / s);
  }

  private static int[] shuffledIds(int n, SplittableRandom rnd) {
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    shuffle(ids, rnd);
    return ids;
  }

  private static void shuffle(int[] a, SplittableRandom rnd) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static void header(Writer out, boolean label, String prefix, int features)
      throws IOException {
    out.write("id");
    if (label) {
      out.write(",y");
    }
    for (int j = 0; j < features; j++) {
      out.write("," + prefix + j);
    }
    out.write('\n');
  }

  /** Six decimals, as FATE's shipped files. */
  private static void appendFeatures(StringBuilder sb, double[] x, int from, int to) {
    for (int j = from; j < to; j++) {
      sb.append(',');
      long scaled = Math.round(x[j] * 1e6);
      if (scaled < 0) {
        sb.append('-');
        scaled = -scaled;
      }
      sb.append(scaled / 1_000_000).append('.');
      String frac = Long.toString(scaled % 1_000_000);
      for (int k = frac.length(); k < 6; k++) {
        sb.append('0');
      }
      sb.append(frac);
    }
    sb.append('\n');
  }

  private static void tick(LongConsumer progress, long[] done) {
    done[0]++;
    if (progress != null && (done[0] & 1023) == 0) {
      progress.accept(done[0]);
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new FederaException(ErrorCode.INVALID_ARGUMENT, message);
    }
  }
}
