package io.federa.cli.bench;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.datagen.SyntheticData;
import io.federa.core.table.Table;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code federa bench csv}: load speed and memory of the streaming CSV reader, against a textbook
 * reader ({@code String.split} and {@code Double.parseDouble} into row arrays) in the same run.
 */
@Command(
    name = "csv",
    description = "CSV load speed (rows/s) and memory against a textbook reader.")
public final class CsvBench extends FederaCommand<CsvBench.Load> {
  /** The streaming reader's best time and memory beside the textbook reader's time. */
  public record Load(
      String file,
      int rows,
      int features,
      double fileMb,
      double seconds,
      double rowsPerSecond,
      double mbPerSecond,
      double textbookSeconds,
      double speedupVsTextbook,
      double doublesMb,
      double retainedMb,
      double retainedOverDoubles,
      double peakMb,
      double peakOverDoubles,
      double maxHeapMb) {}

  @Option(names = "--rows", defaultValue = "1000000", description = "Default: ${DEFAULT-VALUE}.")
  int rows;

  @Option(names = "--features", defaultValue = "50", description = "Default: ${DEFAULT-VALUE}.")
  int features;

  @Option(names = "--file", description = "Read this file instead of generating one.")
  Path file;

  @Option(
      names = "--repeat",
      defaultValue = "3",
      description = "Timed reads of each reader; the best is reported.")
  int repeat;

  @Option(names = "--skip-baseline", description = "Do not run the textbook reader.")
  boolean skipBaseline;

  @Override
  protected Load execute(Progress progress) throws IOException {
    Path dir = null;
    Path input = file;
    if (input == null) {
      dir = Files.createTempDirectory("federa-bench-csv");
      input =
          SyntheticData.horizontal(dir, rows, features, 2, 1, 1.0, 0, 7, null).partyFiles().get(0);
    }
    try {
      long bytes = Files.size(input);
      var options = CsvOptions.labeled();
      double best = Double.MAX_VALUE;
      Table table = null;
      long retained = 0;
      long peak = 0;
      for (int r = 0; r < repeat; r++) {
        table = null;
        long before = usedAfterGc();
        resetPeaks();
        long t0 = System.nanoTime();
        table = CsvTableReader.read(input, options);
        best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        peak = Math.max(peak, peakHeap() - before);
        retained = usedAfterGc() - before;
      }
      int tableRows = table.rows();
      int tableFeatures = table.features();
      long doubles = (long) tableRows * (tableFeatures + 1) * Double.BYTES;
      table = null; // let the baseline have the memory
      double baseline = Double.NaN;
      if (!skipBaseline) {
        baseline = Double.MAX_VALUE;
        for (int r = 0; r < repeat; r++) {
          long t0 = System.nanoTime();
          textbookRead(input);
          baseline = Math.min(baseline, (System.nanoTime() - t0) / 1e9);
        }
      }
      return new Load(
          input.toString(),
          tableRows,
          tableFeatures,
          bytes / 1e6,
          best,
          tableRows / best,
          bytes / 1e6 / best,
          baseline,
          baseline / best,
          doubles / 1e6,
          retained / 1e6,
          (double) retained / doubles,
          peak / 1e6,
          (double) peak / doubles,
          Runtime.getRuntime().maxMemory() / 1e6);
    } finally {
      if (dir != null) {
        try (var files = Files.list(dir)) {
          for (Path p : files.toList()) {
            Files.deleteIfExists(p);
          }
        }
        Files.deleteIfExists(dir);
      }
    }
  }

  /** The baseline: split each line and parse every cell into a row array. */
  private static List<double[]> textbookRead(Path input) throws IOException {
    List<double[]> out = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(input)) {
      reader.readLine();
      String line;
      while ((line = reader.readLine()) != null) {
        String[] cells = line.split(",");
        double[] row = new double[cells.length - 1];
        for (int i = 1; i < cells.length; i++) {
          row[i - 1] = Double.parseDouble(cells[i]);
        }
        out.add(row);
      }
    }
    return out;
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  @Override
  protected void printText(Load r, PrintWriter out) {
    out.printf("CSV load: %s rows × %s features (%.1f MB)%n%n", r.rows(), r.features(), r.fileMb());
    out.printf("%-22s %12s %12s %10s%n", "reader", "seconds", "rows/s", "MB/s");
    out.printf(
        "%-22s %12.3f %12.0f %10.1f%n",
        "federa (streaming)", r.seconds(), r.rowsPerSecond(), r.mbPerSecond());
    double baseline = r.textbookSeconds();
    if (!Double.isNaN(baseline)) {
      out.printf(
          "%-22s %12.3f %12.0f %10.1f%n",
          "textbook (split+parse)", baseline, r.rows() / baseline, r.fileMb() / baseline);
      out.printf("speed-up: %.2f×%n", r.speedupVsTextbook());
    }
    out.printf(
        "%nmemory: doubles %.0f MB, table retained %.0f MB (%.2f×), peak while reading %.0f MB (%.2f×),"
            + " max heap %.0f MB%n",
        r.doublesMb(),
        r.retainedMb(),
        r.retainedOverDoubles(),
        r.peakMb(),
        r.peakOverDoubles(),
        r.maxHeapMb());
  }
}
