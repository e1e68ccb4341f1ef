package io.federa.ml.hetero;

import io.federa.federation.MessageKey;

/**
 * The messages of hetero LR, one typed key each: the sending and the receiving role both name the
 * same method, so a message's tag is written once. Training messages are grouped per class model
 * {@code m}, epoch {@code e} and batch {@code b} (tags {@code m0/e3/b1/residual}).
 */
final class HeteroLrMessages {
  private final MessageKey base;

  HeteroLrMessages(MessageKey base) {
    this.base = base;
  }

  /** Guest → hosts (and arbiter): the number of class models and rows. */
  MessageKey setup() {
    return tag("setup");
  }

  /** The key holder's public key: the arbiter's to everyone, or a host's to the guest. */
  MessageKey publicKey() {
    return tag("public_key");
  }

  /** Guest → host without an arbiter: the guest's public key. */
  MessageKey guestPublicKey() {
    return tag("guest_public_key");
  }

  /** A party's saved checkpoints, offered to the guest. */
  MessageKey resumeOffer() {
    return tag("resume_offer");
  }

  /** The guest's choice of the checkpoint every party resumes from. */
  MessageKey resumeAt() {
    return tag("resume_at");
  }

  /** Host → guest: partial scores of a prediction named {@code name}. */
  MessageKey predict(String name) {
    return tag("predict/" + name);
  }

  Epoch epoch(int model, int epoch) {
    return new Epoch(base, "m" + model + "/e" + epoch + "/");
  }

  /** The reply to a masked decryption request {@code request}: the masked plaintexts. */
  static MessageKey plain(MessageKey request) {
    return request.withTag(request.tag() + "_plain");
  }

  private MessageKey tag(String tag) {
    return base.withTag(tag);
  }

  /** The messages of one epoch of one class model. */
  record Epoch(MessageKey base, String prefix) {
    Batch batch(int batch) {
      return new Batch(base, prefix + "b" + batch + "/");
    }

    /**
     * A party's end-of-epoch report to the decider: its penalty term and squared weight change, or
     * (L-BFGS) its penalty term and Gram matrix.
     */
    MessageKey report() {
      return base.withTag(prefix + "report");
    }

    /** The decider's answer: the go-on flag, or (L-BFGS) the step. */
    MessageKey decision() {
      return base.withTag(prefix + "decision");
    }
  }

  /** The messages of one mini-batch. */
  record Batch(MessageKey base, String prefix) {
    /** Host → guest: {@code [[X_h·w_h]]} per row. */
    MessageKey hostForward() {
      return tag("host_forward");
    }

    /** Host → guest, Poisson: {@code [[exp(X_h·w_h)]]} per row. */
    MessageKey hostForwardExp() {
      return tag("host_forward_exp");
    }

    /** Host → guest: {@code [[Σ (X_h·w_h)²]]}. */
    MessageKey hostForwardSquares() {
      return tag("host_forward_squares");
    }

    /** Guest → hosts, with an arbiter: the encrypted residual {@code [[d]]}. */
    MessageKey residual() {
      return tag("residual");
    }

    /**
     * Guest → arbiter, exact sigmoid: the batch's scores {@code [[z]]} in a fresh random order
     * ({@link ExactSigmoid}).
     */
    MessageKey scores() {
      return tag("scores");
    }

    /** Arbiter → guest, exact sigmoid: {@code [[σ(z)]]} in the order the scores came. */
    MessageKey sigmoids() {
      return tag("sigmoids");
    }

    /** Guest → host, without an arbiter: the guest's part of the residual under its own key. */
    MessageKey guestResidual() {
      return tag("guest_residual");
    }

    /** The guest's masked gradient, to the key holder. */
    MessageKey guestGradient() {
      return tag("guest_gradient");
    }

    /** A host's masked gradient, to the key holder. */
    MessageKey hostGradient() {
      return tag("host_gradient");
    }

    /**
     * The guest's encrypted Taylor loss of the batch, to the key holder; with the exact sigmoid the
     * loss's labelled part {@code [[Σ y·z]]}.
     */
    MessageKey loss() {
      return tag("loss");
    }

    private MessageKey tag(String name) {
      return base.withTag(prefix + name);
    }
  }
}
