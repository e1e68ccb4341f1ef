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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code federa bench csv}: load speed and memory of the streaming CSV reader, against a textbook
 * reader ({@code String.split} and {@code Double.parseDouble} into row arrays) in the same run.
 */
@Command(
    name = "csv",
    description = "CSV load speed (rows/s) and memory against a textbook reader.")
public final class CsvBench extends FederaCommand<Map<String, Object>> {
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
  protected Map<String, Object> execute(Progress progress) throws IOException {
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
      var m = new LinkedHashMap<String, Object>();
      m.put("file", input.toString());
      m.put("rows", tableRows);
      m.put("features", tableFeatures);
      m.put("file_mb", bytes / 1e6);
      m.put("seconds", best);
      m.put("rows_per_second", tableRows / best);
      m.put("mb_per_second", bytes / 1e6 / best);
      m.put("textbook_seconds", baseline);
      m.put("speedup_vs_textbook", baseline / best);
      m.put("doubles_mb", doubles / 1e6);
      m.put("retained_mb", retained / 1e6);
      m.put("retained_over_doubles", (double) retained / doubles);
      m.put("peak_mb", peak / 1e6);
      m.put("peak_over_doubles", (double) peak / doubles);
      m.put("max_heap_mb", Runtime.getRuntime().maxMemory() / 1e6);
      return m;
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
  protected void printText(Map<String, Object> r, PrintWriter out) {
    out.printf(
        "CSV load: %s rows × %s features (%.1f MB)%n%n",
        r.get("rows"), r.get("features"), r.get("file_mb"));
    out.printf("%-22s %12s %12s %10s%n", "reader", "seconds", "rows/s", "MB/s");
    out.printf(
        "%-22s %12.3f %12.0f %10.1f%n",
        "federa (streaming)", r.get("seconds"), r.get("rows_per_second"), r.get("mb_per_second"));
    double baseline = (Double) r.get("textbook_seconds");
    if (!Double.isNaN(baseline)) {
      int n = (Integer) r.get("rows");
      out.printf(
          "%-22s %12.3f %12.0f %10.1f%n",
          "textbook (split+parse)", baseline, n / baseline, (Double) r.get("file_mb") / baseline);
      out.printf("speed-up: %.2f×%n", r.get("speedup_vs_textbook"));
    }
    out.printf(
        "%nmemory: doubles %.0f MB, table retained %.0f MB (%.2f×), peak while reading %.0f MB (%.2f×),"
            + " max heap %.0f MB%n",
        r.get("doubles_mb"),
        r.get("retained_mb"),
        r.get("retained_over_doubles"),
        r.get("peak_mb"),
        r.get("peak_over_doubles"),
        r.get("max_heap_mb"));
  }
}
