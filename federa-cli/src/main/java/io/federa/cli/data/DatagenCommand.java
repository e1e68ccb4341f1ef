package io.federa.cli.data;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.core.datagen.Shape;
import io.federa.core.datagen.SyntheticData;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code federa datagen}: seeded synthetic data with a known model. */
@Command(
    name = "datagen",
    description = {
      "Write seeded synthetic CSVs whose label comes from a known logistic model.",
      "Vertical (default): guest.csv (id, y, g0..) and host.csv (id, h0..) sharing --overlap of ids.",
      "Horizontal (--homo): party_0.csv..party_N-1.csv with Dirichlet label skew, and test.csv."
    })
public final class DatagenCommand extends FederaCommand<DatagenCommand.Generated> {
  /** What was written: a vertical split or a horizontal one. */
  public sealed interface Generated permits Vertical, Horizontal {}

  /** A guest file and a host file sharing {@code intersection} ids. */
  public record Vertical(
      String mode,
      String guest,
      String host,
      int guestRows,
      int hostRows,
      int intersection,
      int guestFeatures,
      int hostFeatures,
      long seed)
      implements Generated {}

  /** One party's file of a horizontal split. */
  public record PartyFile(String file, int rows, int[] classCounts) {}

  /** One file per party with Dirichlet label skew, and a test file. */
  public record Horizontal(
      String mode,
      List<PartyFile> parties,
      String test,
      int testRows,
      int features,
      int classes,
      double dirichletAlpha,
      long seed)
      implements Generated {}

  @Option(names = "--out", required = true, description = "Directory to write into.")
  Path out;

  @Option(
      names = "--rows",
      defaultValue = "10000",
      description = "Rows per party (vertical) or in all (--homo). Default: ${DEFAULT-VALUE}.")
  int rows;

  @Option(
      names = "--guest-features",
      defaultValue = "10",
      description = "Default: ${DEFAULT-VALUE}.")
  int guestFeatures;

  @Option(
      names = "--host-features",
      defaultValue = "20",
      description = "Default: ${DEFAULT-VALUE}.")
  int hostFeatures;

  @Option(
      names = "--overlap",
      defaultValue = "0.8",
      description = "Fraction of the guest's ids the host also has. Default: ${DEFAULT-VALUE}.")
  double overlap;

  @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--correlation",
      defaultValue = "0",
      description =
          "Vertical: AR(1) correlation of neighbouring features, in [0, 1) (near 1:"
              + " ill-conditioned). Default: ${DEFAULT-VALUE}.")
  double correlation;

  @Option(
      names = "--sparsity",
      defaultValue = "0",
      description = "Vertical: fraction of cells that are 0. Default: ${DEFAULT-VALUE}.")
  double sparsity;

  @Option(
      names = "--collinear",
      defaultValue = "0",
      description =
          "Vertical: the last N host features are almost exactly the mean of two earlier ones."
              + " Default: ${DEFAULT-VALUE}.")
  int collinear;

  @Option(
      names = "--unscaled",
      description = "Vertical: each column in its own units (scale 10^[-2,3), shifted).")
  boolean unscaled;

  @Option(
      names = "--positive-rate",
      defaultValue = "NaN",
      description =
          "Vertical: the share of label 1 an intercept aims at, e.g. 0.05 for imbalanced labels"
              + " (default: no intercept, about half).")
  double positiveRate;

  @Option(names = "--homo", description = "Horizontal split instead of vertical.")
  boolean homo;

  @Option(
      names = "--parties",
      defaultValue = "3",
      description = "Parties for --homo. Default: ${DEFAULT-VALUE}.")
  int parties;

  @Option(
      names = "--dirichlet-alpha",
      defaultValue = "1.0",
      description =
          "Label skew for --homo: small is skewed, large is IID. Default: ${DEFAULT-VALUE}.")
  double alpha;

  @Option(
      names = "--features",
      defaultValue = "20",
      description = "Features for --homo. Default: ${DEFAULT-VALUE}.")
  int features;

  @Option(
      names = "--classes",
      defaultValue = "2",
      description = "Classes for --homo. Default: ${DEFAULT-VALUE}.")
  int classes;

  @Option(
      names = "--test-rows",
      defaultValue = "-1",
      description = "Rows of test.csv for --homo (default: a fifth of --rows).")
  int testRows;

  @Override
  protected Generated execute(Progress progress) {
    if (!homo) {
      progress.start("datagen", 2L * rows);
      var r =
          SyntheticData.vertical(
              out,
              rows,
              guestFeatures,
              hostFeatures,
              overlap,
              new Shape(correlation, sparsity, collinear, unscaled, positiveRate),
              seed,
              progress::stepTo);
      return new Vertical(
          "vertical",
          r.guestFile().toString(),
          r.hostFile().toString(),
          r.guestRows(),
          r.hostRows(),
          r.intersection(),
          guestFeatures,
          hostFeatures,
          seed);
    }
    int test = testRows < 0 ? rows / 5 : testRows;
    progress.start("datagen", (long) rows + test);
    var r =
        SyntheticData.horizontal(
            out, rows, features, classes, parties, alpha, test, seed, progress::stepTo);
    List<PartyFile> files = new ArrayList<>();
    for (int p = 0; p < r.partyFiles().size(); p++) {
      int total = 0;
      for (int c : r.classCounts()[p]) {
        total += c;
      }
      files.add(new PartyFile(r.partyFiles().get(p).toString(), total, r.classCounts()[p]));
    }
    return new Horizontal(
        "horizontal", files, r.testFile().toString(), r.testRows(), features, classes, alpha, seed);
  }

  @Override
  protected void printText(Generated g, PrintWriter out) {
    if (g instanceof Vertical r) {
      out.printf(
          "guest: %s (%s rows × %s features + label)%nhost:  %s (%s rows × %s features)%n"
              + "ids in both: %s%n",
          r.guest(),
          r.guestRows(),
          r.guestFeatures(),
          r.host(),
          r.hostRows(),
          r.hostFeatures(),
          r.intersection());
      return;
    }
    Horizontal r = (Horizontal) g;
    for (PartyFile f : r.parties()) {
      out.printf(
          "%s: %s rows, per class %s%n",
          f.file(), f.rows(), java.util.Arrays.toString(f.classCounts()));
    }
    out.printf("%s: %s rows%n", r.test(), r.testRows());
  }
}
