package io.federa.archfixture.core;

import io.federa.archfixture.ml.Model;

/** A deliberately broken arrow (core using ml) that the architecture test must catch. */
public final class UpwardArrow {
  private UpwardArrow() {}

  public static int use() {
    return new Model().size();
  }
}
