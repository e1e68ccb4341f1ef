package io.federa.cli.data;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.core.datagen.SyntheticData;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
public final class DatagenCommand extends FederaCommand<Map<String, Object>> {
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
  protected Map<String, Object> execute(Progress progress) {
    var m = new LinkedHashMap<String, Object>();
    if (!homo) {
      progress.start("datagen", 2L * rows);
      var r =
          SyntheticData.vertical(
              out, rows, guestFeatures, hostFeatures, overlap, seed, progress::stepTo);
      m.put("mode", "vertical");
      m.put("guest", r.guestFile().toString());
      m.put("host", r.hostFile().toString());
      m.put("guest_rows", r.guestRows());
      m.put("host_rows", r.hostRows());
      m.put("intersection", r.intersection());
      m.put("guest_features", guestFeatures);
      m.put("host_features", hostFeatures);
      m.put("seed", seed);
      return m;
    }
    int test = testRows < 0 ? rows / 5 : testRows;
    progress.start("datagen", (long) rows + test);
    var r =
        SyntheticData.horizontal(
            out, rows, features, classes, parties, alpha, test, seed, progress::stepTo);
    List<Map<String, Object>> files = new ArrayList<>();
    for (int p = 0; p < r.partyFiles().size(); p++) {
      var f = new LinkedHashMap<String, Object>();
      f.put("file", r.partyFiles().get(p).toString());
      int total = 0;
      for (int c : r.classCounts()[p]) {
        total += c;
      }
      f.put("rows", total);
      f.put("class_counts", r.classCounts()[p]);
      files.add(f);
    }
    m.put("mode", "horizontal");
    m.put("parties", files);
    m.put("test", r.testFile().toString());
    m.put("test_rows", r.testRows());
    m.put("features", features);
    m.put("classes", classes);
    m.put("dirichlet_alpha", alpha);
    m.put("seed", seed);
    return m;
  }

  @Override
  @SuppressWarnings("unchecked")
  protected void printText(Map<String, Object> r, PrintWriter out) {
    if (r.get("mode").equals("vertical")) {
      out.printf(
          "guest: %s (%s rows × %s features + label)%nhost:  %s (%s rows × %s features)%n"
              + "ids in both: %s%n",
          r.get("guest"),
          r.get("guest_rows"),
          r.get("guest_features"),
          r.get("host"),
          r.get("host_rows"),
          r.get("host_features"),
          r.get("intersection"));
      return;
    }
    for (Map<String, Object> f : (List<Map<String, Object>>) r.get("parties")) {
      out.printf(
          "%s: %s rows, per class %s%n",
          f.get("file"), f.get("rows"), java.util.Arrays.toString((int[]) f.get("class_counts")));
    }
    out.printf("%s: %s rows%n", r.get("test"), r.get("test_rows"));
  }
}
