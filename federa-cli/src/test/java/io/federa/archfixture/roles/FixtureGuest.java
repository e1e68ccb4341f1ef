package io.federa.archfixture.roles;

/** A guest that reaches into its arbiter's class: what the role rule must report. */
public final class FixtureGuest {
  boolean goOn() {
    return FixtureArbiter.decide();
  }
}
