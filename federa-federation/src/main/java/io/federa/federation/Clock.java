package io.federa.federation;

import java.time.Instant;

/** Wall-clock time in nanoseconds since the epoch, for clock-skew checks between nodes. */
final class Clock {
  private Clock() {}

  static long unixNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
