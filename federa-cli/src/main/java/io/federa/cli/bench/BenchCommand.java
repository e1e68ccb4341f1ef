package io.federa.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code federa bench}: measured figures, each against a baseline run in the same process. */
@Command(
    name = "bench",
    description = "Benchmarks that print a table (or --json); see docs/benchmarks.md.",
    subcommands = {
      CsvBench.class,
      LocalTrainBench.class,
      PaillierBench.class,
      FederationBench.class,
      HeteroLrBench.class,
      SecureBoostBench.class,
      BinningBench.class,
      PsiBench.class,
      HomoBench.class,
      FlowBench.class,
      ServingBench.class
    })
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
