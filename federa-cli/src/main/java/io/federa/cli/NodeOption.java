package io.federa.cli;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The node a command talks to: {@code --node node.yaml}, or {@code $FEDERA_NODE}. */
public final class NodeOption {
  @Option(
      names = {"--node", "-n"},
      defaultValue = "${env:FEDERA_NODE}",
      description = "The node's node.yaml (default: $FEDERA_NODE).")
  Path node;

  /** The node's configuration file; an error naming the fix when neither is given. */
  public Path path() {
    if (node == null) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT, "no node given: say which node this command talks to")
          .withFix("give --node node.yaml (or set FEDERA_NODE)");
    }
    return node;
  }
}
