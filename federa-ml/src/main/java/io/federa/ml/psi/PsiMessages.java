package io.federa.ml.psi;

import io.federa.federation.MessageKey;

/**
 * The messages of ECDH PSI, one typed key each, named by guest and host alike. Blinded point sets
 * are sent in chunks ({@code guest_blinded/0}, {@code guest_blinded/1}, …; {@link BlindedPoints}).
 */
final class PsiMessages {
  private final MessageKey base;

  PsiMessages(MessageKey base) {
    this.base = base;
  }

  /** Guest → host: the mode and the guest's number of ids. */
  MessageKey hello() {
    return tag("hello");
  }

  /** Host → guest: the host's number of ids. */
  MessageKey hostHello() {
    return tag("host_hello");
  }

  /** Guest → host: the guest's ids, blinded by the guest. */
  MessageKey guestBlinded() {
    return tag("guest_blinded");
  }

  /** Host → guest: the host's ids, blinded by the host. */
  MessageKey hostBlinded() {
    return tag("host_blinded");
  }

  /** Host → guest: the guest's blinded ids, blinded again by the host. */
  MessageKey guestDouble() {
    return tag("guest_double");
  }

  /** Guest → host: the size of the intersection only. */
  MessageKey cardinality() {
    return tag("cardinality");
  }

  /** Guest → host: the positions of the intersection in the host's ids. */
  MessageKey intersection() {
    return tag("intersection");
  }

  /** Chunk {@code c} of a blinded point set sent as {@code set}. */
  static MessageKey chunk(MessageKey set, int c) {
    return set.withTag(set.tag() + "/" + c);
  }

  private MessageKey tag(String tag) {
    return base.withTag(tag);
  }
}
