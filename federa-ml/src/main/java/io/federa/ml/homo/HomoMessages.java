package io.federa.ml.homo;

import io.federa.federation.MessageKey;

/**
 * The messages of horizontal training, one typed key each, named by the sending and the receiving
 * role alike: with an arbiter (synchronous rounds {@code r3/…} or asynchronous steps {@code
 * async/7/…}) or around a ring ({@code r3/rs0}, {@code r3/ag0}).
 */
final class HomoMessages {
  private final MessageKey base;

  HomoMessages(MessageKey base) {
    this.base = base;
  }

  /** A party's label values (for the classes of the model), to the arbiter or the ring. */
  MessageKey labels() {
    return tag("labels");
  }

  /** Arbiter → parties: the model's shape. */
  MessageKey setup() {
    return tag("setup");
  }

  /** Arbiter → parties: the global model of round {@code r} (and whether the party is chosen). */
  MessageKey global(int r) {
    return tag("r" + r + "/global");
  }

  /** Party → arbiter: its update of round {@code r}. */
  MessageKey update(int r) {
    return tag("r" + r + "/update");
  }

  /** Arbiter → parties: the final model. */
  MessageKey finalModel() {
    return tag("final");
  }

  /** Around a ring: round {@code r}'s all-reduce, whose steps {@link RingAllReduce} names. */
  MessageKey ringRound(int r) {
    return tag("r" + r);
  }

  /** Arbiter → a party, asynchronously: the model of step {@code k}. */
  MessageKey asyncModel(int k) {
    return tag("async/" + k + "/model");
  }

  /** A party → the arbiter, asynchronously: its update of step {@code k}. */
  MessageKey asyncUpdate(int k) {
    return tag("async/" + k + "/update");
  }

  /** Ring all-reduce: step {@code s} of the reduce-scatter of {@code round}. */
  static MessageKey reduceScatter(MessageKey round, int s) {
    return round.withTag(round.tag() + "/rs" + s);
  }

  /** Ring all-reduce: step {@code s} of the all-gather of {@code round}. */
  static MessageKey allGather(MessageKey round, int s) {
    return round.withTag(round.tag() + "/ag" + s);
  }

  private MessageKey tag(String tag) {
    return base.withTag(tag);
  }
}
