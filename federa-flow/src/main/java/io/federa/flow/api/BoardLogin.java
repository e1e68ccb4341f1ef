package io.federa.flow.api;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One-time login links to the board: a random code, good once and for ten minutes, that the board
 * exchanges for the node's token (kept in the browser tab's session storage). The link is printed
 * where the token itself would be read — by {@code federa node start}, {@code federa board link}
 * and the demo — so that a person never has to copy the token.
 */
public final class BoardLogin {
  static final Duration VALID = Duration.ofMinutes(10);
  private static final int MAX_OPEN = 100;

  private final String token;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /** Open codes and their expiry, oldest first. */
  private final Map<String, Instant> open = new LinkedHashMap<>();

  BoardLogin(String token, Clock clock) {
    this.token = token;
    this.clock = clock;
  }

  /** A new code (at most {@value #MAX_OPEN} are open at once: the oldest then goes). */
  public String issue() {
    Instant now = clock.instant();
    open.values().removeIf(expiry -> expiry.isBefore(now));
    while (open.size() >= MAX_OPEN) {
      Iterator<Map.Entry<String, Instant>> oldest =
          open.entrySet().stream().sorted(Map.Entry.comparingByValue()).iterator();
      open.remove(oldest.next().getKey());
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    open.put(code, now.plus(VALID));
    return code;
  }

  /** The token for a code that is open and fresh (then closed), else null. */
  synchronized String redeem(String code) {
    Instant expiry = code == null ? null : open.remove(code);
    return expiry != null && !expiry.isBefore(clock.instant()) ? token : null;
  }
}
