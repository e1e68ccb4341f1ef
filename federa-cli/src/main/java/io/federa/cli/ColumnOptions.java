package io.federa.cli;

import picocli.CommandLine.Option;

/**
 * {@code --label} and {@code --id-column}, shared by the commands that read guest and host files.
 */
public final class ColumnOptions {
  @Option(
      names = "--label",
      defaultValue = "y",
      description = "Label column. Default: ${DEFAULT-VALUE}.")
  public String label = "y";

  @Option(
      names = "--id-column",
      defaultValue = "id",
      description = "Id column. Default: ${DEFAULT-VALUE}.")
  public String idColumn = "id";
}
