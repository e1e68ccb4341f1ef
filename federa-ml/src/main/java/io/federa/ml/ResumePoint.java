package io.federa.ml;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an interrupted iterative protocol resumes: the deciding party (the guest) gathers the
 * checkpoints every other party has saved and announces the latest one all have (−1: from the
 * beginning); the others offer theirs and hear the choice. Each party then loads its own state of
 * that checkpoint — nothing of another party's.
 */
public final class ResumePoint {
  private ResumePoint() {}

  /**
   * @param offer the key of a party's offer to the decider
   * @param at the key of the decider's choice
   */
  public static int agree(
      Federation federation,
      MessageKey offer,
      MessageKey at,
      int decider,
      List<Integer> others,
      Checkpoints store,
      Duration timeout) {
    List<Integer> own = store.saved();
    if (federation.self() != decider) {
      federation.send(decider, offer, encode(own), PayloadKind.CONTROL);
      List<Integer> chosen = decode(federation.receive(decider, at, timeout));
      int epoch = chosen.isEmpty() ? -1 : chosen.get(0);
      if (epoch >= 0 && !own.contains(epoch)) {
        throw new FederaException(
            ErrorCode.PROTOCOL, "the guest chose checkpoint " + epoch + " which this party lacks");
      }
      return epoch;
    }
    List<Integer> common = new ArrayList<>(own);
    for (int party : others) {
      common.retainAll(decode(federation.receive(party, offer, timeout)));
    }
    int epoch = common.stream().mapToInt(Integer::intValue).max().orElse(-1);
    for (int party : others) {
      federation.send(party, at, encode(List.of(epoch)), PayloadKind.CONTROL);
    }
    return epoch;
  }

  /** Checkpoint numbers as a count and doubles (the form hetero LR has always sent). */
  private static byte[] encode(List<Integer> values) {
    return WireNumbers.doubles(values.stream().mapToDouble(Integer::doubleValue).toArray());
  }

  private static List<Integer> decode(byte[] bytes) {
    List<Integer> out = new ArrayList<>();
    for (double v : WireNumbers.doubles(bytes)) {
      out.add((int) v);
    }
    return out;
  }
}
