package io.federa.cli.demo;

import io.federa.cli.ColumnOptions;
import picocli.CommandLine.Option;

/** The options of {@code federa demo} and {@code federa demo hetero-lr}. */
public final class DemoOptions {
  @Option(
      names = "--max-iter",
      defaultValue = "30",
      description = "Iterations. Default: ${DEFAULT-VALUE}.")
  int maxIter;

  @picocli.CommandLine.Mixin KeyOptions key = new KeyOptions();

  @Option(names = "--keep", description = "Keep the temporary federation, job file and logs.")
  boolean keep;

  @Option(
      names = "--no-arbiter",
      description =
          "Two parties only (one host): each holds its own key pair (Yang et al. 2019); the"
              + " guest then learns the loss.")
  boolean noArbiter;

  VerticalDemo.Spec spec(
      java.nio.file.Path guest, java.util.List<java.nio.file.Path> hosts, ColumnOptions columns) {
    return new VerticalDemo.Spec(
        guest,
        hosts,
        columns.idColumn,
        columns.label,
        maxIter,
        key.keyBits,
        key.method,
        !noArbiter,
        keep,
        VerticalDemo.Algorithm.HETERO_LR);
  }
}
