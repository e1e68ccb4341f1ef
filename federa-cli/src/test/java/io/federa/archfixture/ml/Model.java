package io.federa.archfixture.ml;

/** Stands in for an ml class in the architecture test's fixture. */
public final class Model {
  public int size() {
    return 1;
  }
}
