package io.federa.flow.dsl;

/**
 * One finding of validation: where in the DSL or conf (a JSON path such as {@code
 * conf.component_parameters.common.hetero_lr_0.max_iter}), what is wrong, and how to fix it.
 */
public record Problem(String path, String message) {
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
