package io.federa.ml.hetero;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;

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

  /** Refuses a job this topology and objective cannot run (the guest checks it first). */
  static void check(Topology topology, int hosts, HeteroLrParams params) {
    if (params.objective() == HeteroLrParams.Objective.POISSON && hosts != 1) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "hetero Poisson takes exactly one host (got "
              + hosts
              + "): exp(u_g + Σ u_h) needs the hosts' parts multiplied, which additive"
              + " encryption cannot do");
    }
    if (topology instanceof Topology.TwoParty && params.regression()) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "hetero LinR and Poisson need an arbiter (as in FATE); add one to the job");
    }
    if (topology instanceof Topology.TwoParty
        && params.objective() == HeteroLrParams.Objective.LOGISTIC
        && params.sigmoid() == HeteroLrParams.Sigmoid.EXACT) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "sigmoid exact needs an arbiter to turn the scores into σ(z); add one to the job, or set"
              + " sigmoid to taylor (or leave it out) for guest and host alone");
    }
    if (topology instanceof Topology.TwoParty && hosts != 1) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "hetero LR without an arbiter takes exactly one host (got "
              + hosts
              + "); add an arbiter to the job for several hosts");
    }
  }
}
