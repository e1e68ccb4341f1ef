package io.federa.cli;

import io.federa.core.FederaException;
import io.federa.core.Names;
import picocli.CommandLine;

/**
 * An option that names a job, a component, a namespace or a table: checked by the one allow-list
 * ({@link Names}) before it becomes part of a request's path, so {@code a b}, {@code a?b} or {@code
 * ../x} is a usage error naming the rule, not a stack trace or another job.
 */
public final class NameConverter implements CommandLine.ITypeConverter<String> {
  @Override
  public String convert(String value) {
    try {
      return Names.require("name", value);
    } catch (FederaException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
