package io.federa.cli.job;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.flow.dsl.JobValidator;
import io.federa.flow.dsl.Problem;
import io.federa.flow.dsl.ValidatedJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code federa job validate}: checks a FATE v2 DSL and runtime conf before anything runs. */
@Command(
    name = "job",
    description = "Jobs (DSL + runtime conf).",
    subcommands = {JobCommand.Validate.class, FlowCommands.JobList.class})
public final class JobCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "validate",
      description = {
        "Check a DSL and runtime conf (FATE v2 shape) before anything runs.",
        "Modules, inputs, cycles, parameter types and parties; errors name the JSON path and the"
            + " fix, differences from FATE come as warnings."
      })
  static final class Validate extends FederaCommand<Map<String, Object>> {
    @Option(names = "--dsl", required = true, description = "The job DSL (dsl.json).")
    Path dsl;

    @Option(names = "--conf", required = true, description = "conf.json (runtime conf)")
    Path conf;

    @Override
    protected Map<String, Object> execute(Progress progress) {
      ValidatedJob job = JobValidator.validate(dsl, conf);
      var m = new LinkedHashMap<String, Object>();
      m.put("valid", true);
      m.put("order", job.order());
      m.put("modules", job.modules());
      m.put("roles", job.roles());
      List<Map<String, String>> warnings = new ArrayList<>();
      for (Problem p : job.warnings()) {
        warnings.add(Map.of("path", p.path(), "message", p.message()));
      }
      m.put("warnings", warnings);
      return m;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void printText(Map<String, Object> r, PrintWriter out) {
      out.println("valid: " + String.join(" → ", (List<String>) r.get("order")));
      out.println("roles: " + r.get("roles"));
      for (var w : (List<Map<String, String>>) r.get("warnings")) {
        out.println("warning: " + w.get("path") + ": " + w.get("message"));
      }
    }
  }
}
