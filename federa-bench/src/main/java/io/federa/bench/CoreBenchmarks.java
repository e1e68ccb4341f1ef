package io.federa.bench;

import io.federa.core.compute.LocalEngine;
import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.metrics.Metrics;
import io.federa.core.table.Table;
import io.federa.ml.TrainingListener;
import io.federa.ml.linear.LinearModel;
import io.federa.ml.linear.LogisticRegression;
import io.federa.ml.linear.LogisticRegressionParams;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmarks of the foundation: CSV parsing, AUC, and a logistic-regression fit. Run with
 * {@code java -jar federa-bench/target/federa-benchmarks.jar CoreBenchmarks}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class CoreBenchmarks {
  private byte[] csv;
  private double[] labels;
  private double[] scores;
  private Table table;
  private final LocalEngine engine = LocalEngine.allCores();

  @Setup
  public void setUp() {
    Random rnd = new Random(1);
    var sb = new StringBuilder("id,y");
    int features = 20;
    for (int j = 0; j < features; j++) {
      sb.append(",x").append(j);
    }
    sb.append('\n');
    for (int i = 0; i < 50_000; i++) {
      sb.append(i).append(',').append(rnd.nextInt(2));
      for (int j = 0; j < features; j++) {
        sb.append(',').append(String.format(java.util.Locale.ROOT, "%.6f", rnd.nextGaussian()));
      }
      sb.append('\n');
    }
    csv = sb.toString().getBytes(StandardCharsets.UTF_8);
    table = CsvTableReader.read(new ByteArrayInputStream(csv), "bench.csv", CsvOptions.labeled());
    labels = table.labels();
    scores = new double[labels.length];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = labels[i] * 0.3 + rnd.nextDouble();
    }
  }

  @Benchmark
  public Table csvRead50kRows() {
    return CsvTableReader.read(new ByteArrayInputStream(csv), "bench.csv", CsvOptions.labeled());
  }

  @Benchmark
  public double auc50kRows() {
    return Metrics.auc(labels, scores);
  }

  @Benchmark
  public LinearModel logisticRegression50kRows() {
    return LogisticRegression.fit(
        table, LogisticRegressionParams.defaults(), engine, TrainingListener.NONE);
  }
}
