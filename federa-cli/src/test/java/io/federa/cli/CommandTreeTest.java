package io.federa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command answers {@code --help} as every picocli tool does, and speaks one convention. */
class CommandTreeTest {
  /** Every command path of the tree, e.g. {@code [table, list]}. */
  private static List<List<String>> paths(CommandLine cl, List<String> prefix) {
    List<List<String>> out = new ArrayList<>();
    for (var e : cl.getSubcommands().entrySet()) {
      if (e.getValue().getCommandSpec().aliases().length > 0
          && !e.getKey().equals(e.getValue().getCommandName())) {
        continue; // an alias of a command already walked
      }
      List<String> path = new ArrayList<>(prefix);
      path.add(e.getKey());
      out.add(path);
      out.addAll(paths(e.getValue(), path));
    }
    return out;
  }

  @Test
  void everyCommandAndSubcommand_answersHelp_withExitZero() {
    List<List<String>> paths = paths(FederaCli.commandLine(), List.of());
    assertTrue(paths.size() > 30, "the walk found " + paths.size() + " commands");
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      CliTest.Run run = CliTest.run(args.toArray(String[]::new));
      assertEquals(0, run.exit(), String.join(" ", args) + ":\n" + run.out() + run.err());
      assertTrue(run.out().contains("Usage: federa " + String.join(" ", path)), run.out());
    }
  }

  @Test
  void everyOptionDescription_isAWholeSentence() {
    List<String> cut = new ArrayList<>();
    for (List<String> path : paths(FederaCli.commandLine(), List.of())) {
      CommandLine cl = FederaCli.commandLine();
      for (String name : path) {
        cl = cl.getSubcommands().get(name);
      }
      String[] about = cl.getCommandSpec().usageMessage().description();
      String summary = about.length == 0 ? "" : about[0].trim();
      if (!(summary.endsWith(".") || summary.endsWith(")"))) {
        // the first line is what the parent's list of commands shows
        cut.add(String.join(" ", path) + ": '" + summary + "'");
      }
      for (var option : cl.getCommandSpec().options()) {
        String text = String.join(" ", option.description()).trim();
        if (option.usageHelp() || option.versionHelp()) {
          continue;
        }
        if (text.isEmpty() || !(text.endsWith(".") || text.endsWith(")"))) {
          cut.add(String.join(" ", path) + " " + option.longestName() + ": '" + text + "'");
        }
      }
    }
    assertTrue(
        cut.isEmpty(), "descriptions that are no whole sentence:\n" + String.join("\n", cut));
  }

  @Test
  void aUsageError_underJson_isTheJsonErrorObject() throws Exception {
    CliTest.Run run = CliTest.run("query", "--json");
    assertEquals(2, run.exit(), run.out() + run.err());
    JsonNode error = run.json().get("error");
    assertEquals("INVALID_ARGUMENT", error.get("code").asText());
    assertEquals("USER", error.get("kind").asText());
    assertTrue(error.get("message").asText().contains("--job"), error.toString());
    assertTrue(error.get("fix").asText().contains("federa query --help"), error.toString());
  }
}
