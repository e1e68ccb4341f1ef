package io.federa.flow.component;

/** One module of the DSL as one party runs it. */
@FunctionalInterface
public interface Component {
  Outputs run(ComponentContext context);
}
