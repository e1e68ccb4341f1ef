package io.federa.archfixture.cli;

import io.federa.archfixture.ml.Model;

/** A correct downward arrow (cli using ml) in the architecture test's fixture. */
public final class Command {
  private Command() {}

  public static int run() {
    return new Model().size();
  }
}
