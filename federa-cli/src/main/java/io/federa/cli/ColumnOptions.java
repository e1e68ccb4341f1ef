package io.federa.cli;

import picocli.CommandLine.Option;

/**
 * {@code --label} and {@code --id-column}, shared by the commands that read guest and host files.
 */
final class ColumnOptions {
  @Option(
      names = "--label",
      defaultValue = "y",
      description = "Label column. Default: ${DEFAULT-VALUE}.")
  String label = "y";

  @Option(
      names = "--id-column",
      defaultValue = "id",
      description = "Id column. Default: ${DEFAULT-VALUE}.")
  String idColumn = "id";
}
