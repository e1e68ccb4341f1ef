package io.federa.archfixture.roles;

/** The arbiter the fixture's guest should not name. */
public final class FixtureArbiter {
  static boolean decide() {
    return true;
  }
}
