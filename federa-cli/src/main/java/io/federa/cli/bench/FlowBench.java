package io.federa.cli.bench;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.cli.demo.DemoCommand;
import io.federa.cli.demo.HeteroLrDemo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
public final class FlowBench extends FederaCommand<Map<String, Object>> {
  @Option(names = "--runs", defaultValue = "3", description = "Default: ${DEFAULT-VALUE}.")
  int runs;

  @Option(names = "--max-iter", defaultValue = "20", description = "Default: ${DEFAULT-VALUE}.")
  int maxIter;

  @Override
  protected Map<String, Object> execute(Progress progress) throws Exception {
    PrintWriter sink = new PrintWriter(java.io.Writer.nullWriter());
    List<Map<String, Object>> rows = new ArrayList<>();
    var data = DemoCommand.shippedData();
    for (int r = 0; r < runs; r++) {
      @SuppressWarnings("unchecked")
      Map<String, Object> t =
          (Map<String, Object>)
              new HeteroLrDemo(DemoCommand.breast(maxIter, false), sink, true)
                  .run(progress)
                  .get("timings");
      double alone = ProtocolsAlone.seconds(data, maxIter);
      var row = new LinkedHashMap<String, Object>(t);
      row.put("without_flow_seconds", alone);
      row.put("ratio", (Double) t.get("total_seconds") / (Double) row.get("without_flow_seconds"));
      rows.add(row);
    }
    var m = new LinkedHashMap<String, Object>();
    m.put("max_iter", maxIter);
    m.put("key_bits", 2048);
    m.put("runs", rows);
    return m;
  }

  @Override
  protected void printText(Map<String, Object> r, PrintWriter out) {
    out.printf(
        "breast hetero LR, %s epochs, 2048-bit keys, 3 node processes on this machine%n",
        r.get("max_iter"));
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
    for (Object o : (List<?>) r.get("runs")) {
      Map<?, ?> row = (Map<?, ?>) o;
      out.printf(
          "%4d %10.1f s %8.2f s %11s ms %8.1f s %10.1f s %12.1f s %7.2f%n",
          i++,
          ((Number) row.get("nodes_start_seconds")).doubleValue(),
          ((Number) row.get("upload_seconds")).doubleValue(),
          row.get("submit_to_first_component_ms"),
          ((Number) row.get("job_seconds")).doubleValue(),
          ((Number) row.get("total_seconds")).doubleValue(),
          ((Number) row.get("without_flow_seconds")).doubleValue(),
          ((Number) row.get("ratio")).doubleValue());
    }
  }
}
