package io.federa.ml.hetero;

/**
 * Who holds the homomorphic keys of hetero LR: an arbiter (FATE's coordinated hetero LR: guest, any
 * number of hosts and an arbiter that decrypts masked values), or nobody but the two parties (Yang
 * et al. 2019: guest and one host, each with a key pair, decrypting for each other).
 */
public sealed interface Topology {
  /** With an arbiter, party {@code party}. */
  record WithArbiter(int party) implements Topology {}

  /** Guest and one host alone. */
  record TwoParty() implements Topology {}

  static Topology arbiter(int party) {
    return new WithArbiter(party);
  }

  static Topology twoParty() {
    return new TwoParty();
  }
}
