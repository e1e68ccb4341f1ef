package io.federa.cli.bench;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.cli.demo.DemoCommand;
import io.federa.cli.demo.VerticalDemo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code federa bench flow}: what flow costs. The breast job end to end through flow (three node
 * processes started, two uploads, submit, PSI, hetero LR with 2048-bit keys, evaluation, the
 * centralized baseline) against the job's protocols alone over three nodes in this JVM ({@link
 * ProtocolsAlone}: PSI, hetero LR, prediction, no flow), in the same run; and the time from submit
 * to the first component running.
 */
@Command(name = "flow", description = "Flow's overhead: the breast job through flow vs without.")
public final class FlowBench extends FederaCommand<FlowBench.Runs> {
  @Option(names = "--runs", defaultValue = "3", description = "Default: ${DEFAULT-VALUE}.")
  int runs;

  @Option(names = "--max-iter", defaultValue = "20", description = "Default: ${DEFAULT-VALUE}.")
  int maxIter;

  /** One run: flow's times end to end, the protocols alone, and their ratio. */
  public record Run(VerticalDemo.Timings flow, double withoutFlowSeconds, double ratio) {}

  /** Every run of the benchmark. */
  public record Runs(int maxIter, int keyBits, List<Run> runs) {}

  @Override
  protected Runs execute(Progress progress) throws Exception {
    PrintWriter sink = new PrintWriter(java.io.Writer.nullWriter());
    List<Run> rows = new ArrayList<>();
    var data = DemoCommand.shippedData();
    for (int r = 0; r < runs; r++) {
      VerticalDemo.Timings t =
          new VerticalDemo(DemoCommand.breast(maxIter, false), sink, true).run(progress).timings();
      double alone = ProtocolsAlone.seconds(data, maxIter);
      rows.add(new Run(t, alone, t.totalSeconds() / alone));
    }
    return new Runs(maxIter, 2048, rows);
  }

  @Override
  protected void printText(Runs r, PrintWriter out) {
    out.printf(
        "breast hetero LR, %s epochs, 2048-bit keys, 3 node processes on this machine%n",
        r.maxIter());
    out.printf(
        "%4s %12s %10s %14s %10s %12s %14s %7s%n",
        "run",
        "nodes start",
        "uploads",
        "submit→first",
        "job",
        "flow total",
        "without flow",
        "ratio");
    int i = 1;
    for (Run row : r.runs()) {
      VerticalDemo.Timings t = row.flow();
      out.printf(
          "%4d %10.1f s %8.2f s %11s ms %8.1f s %10.1f s %12.1f s %7.2f%n",
          i++,
          t.nodesStartSeconds(),
          t.uploadSeconds(),
          t.submitToFirstComponentMs(),
          t.jobSeconds(),
          t.totalSeconds(),
          row.withoutFlowSeconds(),
          row.ratio());
    }
  }
}
