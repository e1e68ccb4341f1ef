package io.federa.ml.psi;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.crypto.ec.EcdhKey;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import java.security.SecureRandom;
import java.time.Duration;

/** A host's side of ECDH-PSI; see {@link EcdhPsiGuest} for the protocol and what each learns. */
public final class EcdhPsiHost {
  private final Federation federation;
  private final MessageKey key;
  private final PsiMessages messages;
  private final int guest;
  private final PsiMode mode;
  private final ComputingEngine engine;
  private final Duration timeout;
  private final SecureRandom random = new SecureRandom();

  public EcdhPsiHost(
      Federation federation,
      MessageKey key,
      int guest,
      PsiMode mode,
      ComputingEngine engine,
      Duration timeout) {
    this.federation = federation;
    this.key = key;
    this.messages = new PsiMessages(key);
    this.guest = guest;
    this.mode = mode;
    this.engine = engine;
    this.timeout = timeout;
  }

  /** Runs the intersection on {@code ids} (this host's, unique). */
  public PsiResult run(String[] ids) {
    BlindedPoints.requireUnique(ids, "host " + federation.self());
    int n = ids.length;
    int[] hello =
        BlindedPoints.ints(federation.receive(guest, messages.hello(), timeout), guest, "hello");
    if (hello.length != 2 || hello[0] < 0 || hello[0] >= PsiMode.values().length || hello[1] < 0) {
      throw new FederaException(ErrorCode.PROTOCOL, "the guest's PSI hello is malformed");
    }
    PsiMode asked = PsiMode.values()[hello[0]];
    if (asked != mode) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "the guest runs the intersection in mode "
              + asked
              + " but host "
              + federation.self()
              + " is configured for "
              + mode
              + "; give every party the same intersection mode");
    }
    int guestSize = hello[1];
    federation.send(guest, messages.hostHello(), BlindedPoints.ints(n), PayloadKind.CONTROL);
    EcdhKey b = EcdhKey.generate(random);
    int[] perm = BlindedPoints.shuffle(n, random);
    try {
      byte[] mine = BlindedPoints.hashAndBlind(ids, perm, BlindedPoints.hasher(key), b, engine);
      BlindedPoints.send(federation, guest, messages.hostBlinded(), mine);
      byte[] theirs =
          BlindedPoints.receive(federation, guest, messages.guestBlinded(), guestSize, timeout);
      int[] reorder = mode == PsiMode.CARDINALITY ? BlindedPoints.shuffle(guestSize, random) : null;
      BlindedPoints.send(
          federation,
          guest,
          messages.guestDouble(),
          BlindedPoints.multiply(theirs, reorder, b, engine));
    } finally {
      b.destroy();
    }
    switch (mode) {
      case GUEST_ONLY:
        return new PsiResult(null, -1, n);
      case CARDINALITY:
        int[] count =
            BlindedPoints.ints(
                federation.receive(guest, messages.cardinality(), timeout), guest, "cardinality");
        return new PsiResult(null, count[0], n);
      default:
        int[] positions =
            BlindedPoints.ints(
                federation.receive(guest, messages.intersection(), timeout), guest, "intersection");
        return new PsiResult(rowsOf(positions, perm), positions.length, n);
    }
  }

  private int[] rowsOf(int[] positions, int[] perm) {
    boolean[] used = new boolean[perm.length];
    int[] rows = new int[positions.length];
    for (int i = 0; i < positions.length; i++) {
      int p = positions[i];
      if (p < 0 || p >= perm.length || used[p]) {
        throw new FederaException(
            ErrorCode.PROTOCOL,
            "the guest's intersection names position " + p + " invalidly (out of range or twice)");
      }
      used[p] = true;
      rows[i] = perm[p];
    }
    return rows;
  }
}
