package io.federa.ml.psi;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.crypto.ec.Curve25519HashToCurve;
import io.federa.crypto.ec.EcdhKey;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest's side of ECDH private set intersection (Meadows 1986; Huberman, Franklin and Hogg
 * 1999; the protocol of FATE 2.x and SecretFlow) with one or several hosts.
 *
 * <ol>
 *   <li>Guest and each host draw a secret scalar for this run ({@code a}, {@code b}) and hash every
 *       id to Curve25519 with RFC 9380 {@code curve25519_XMD:SHA-512_ELL2_RO_} under a job-specific
 *       tag.
 *   <li>The guest sends {@code a·H(x)} for its ids, shuffled; the host sends {@code b·H(y)},
 *       shuffled.
 *   <li>The host returns {@code b·a·H(x)} in the order received (in cardinality mode shuffled
 *       again); the guest computes {@code a·b·H(y)}. Equal values mark common ids.
 *   <li>With several hosts the guest intersects the per-host results. In {@link PsiMode#BOTH} it
 *       then sends each host the positions of that host's matching points, in the guest's row
 *       order, which becomes every party's row order.
 * </ol>
 *
 * <h2>What each party learns</h2>
 *
 * <ul>
 *   <li><b>Guest:</b> every host's number of ids; which of its own ids are common to all hosts (in
 *       {@code BOTH} and {@code GUEST_ONLY}) or only how many are common with the one host (in
 *       {@code CARDINALITY}); with several hosts, also which of its ids each host has. Nothing
 *       about ids outside the intersection (decisional Diffie–Hellman in the random-oracle model).
 *   <li><b>Host:</b> the guest's number of ids; in {@code BOTH} which of its own ids are in the
 *       final intersection (and their order, which is the guest's row order); in {@code
 *       CARDINALITY} the size; in {@code GUEST_ONLY} nothing more.
 *   <li>Keys are fresh per run and never leave memory; a blinded point is useless without them.
 * </ul>
 */
public final class EcdhPsiGuest {
  private static final Logger LOG = LoggerFactory.getLogger(EcdhPsiGuest.class);
  private final Federation federation;
  private final MessageKey key;
  private final PsiMessages messages;
  private final List<Integer> hosts;
  private final PsiMode mode;
  private final ComputingEngine engine;
  private final Duration timeout;
  private final SecureRandom random = new SecureRandom();

  public EcdhPsiGuest(
      Federation federation,
      MessageKey key,
      List<Integer> hosts,
      PsiMode mode,
      ComputingEngine engine,
      Duration timeout) {
    if (hosts.isEmpty()) {
      throw new FederaException(ErrorCode.INVALID_ARGUMENT, "intersection needs at least one host");
    }
    if (mode == PsiMode.CARDINALITY && hosts.size() > 1) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "cardinality-only intersection takes one host (got "
              + hosts.size()
              + "): hosts shuffle their answers, so the guest cannot combine them; run one"
              + " intersection per host");
    }
    this.federation = federation;
    this.key = key;
    this.messages = new PsiMessages(key);
    this.hosts = List.copyOf(hosts);
    this.mode = mode;
    this.engine = engine;
    this.timeout = timeout;
  }

  /** Runs the intersection on {@code ids} (the guest's, unique). */
  public PsiResult run(String[] ids) {
    BlindedPoints.requireUnique(ids, "the guest");
    int n = ids.length;
    for (int host : hosts) {
      federation.send(
          host, messages.hello(), BlindedPoints.ints(mode.ordinal(), n), PayloadKind.CONTROL);
    }
    EcdhKey a = EcdhKey.generate(random);
    try {
      Curve25519HashToCurve hasher = BlindedPoints.hasher(key);
      int[] perm = BlindedPoints.shuffle(n, random);
      byte[] mine = BlindedPoints.hashAndBlind(ids, perm, hasher, a, engine);
      for (int host : hosts) {
        BlindedPoints.send(federation, host, messages.guestBlinded(), mine);
      }
      boolean[] inAll = new boolean[n];
      java.util.Arrays.fill(inAll, true);
      int[][] hostPosition = new int[hosts.size()][];
      int count = 0;
      for (int h = 0; h < hosts.size(); h++) {
        int host = hosts.get(h);
        int hostSize =
            BlindedPoints.ints(
                federation.receive(host, messages.hostHello(), timeout), host, "host_hello")[0];
        byte[] theirs =
            BlindedPoints.receive(federation, host, messages.hostBlinded(), hostSize, timeout);
        PointIndex index = new PointIndex(BlindedPoints.multiply(theirs, null, a, engine));
        byte[] mineDouble =
            BlindedPoints.receive(federation, host, messages.guestDouble(), n, timeout);
        int[] position = new int[n];
        for (int pos = 0; pos < n; pos++) {
          int found = index.find(mineDouble, pos * EcdhKey.POINT_BYTES);
          if (mode == PsiMode.CARDINALITY) {
            count += found >= 0 ? 1 : 0;
          } else {
            int row = perm[pos];
            position[row] = found;
            inAll[row] &= found >= 0;
          }
        }
        hostPosition[h] = position;
        LOG.info("intersection with party {}: guest {} ids, host {} ids", host, n, hostSize);
      }
      if (mode == PsiMode.CARDINALITY) {
        federation.send(
            hosts.get(0),
            messages.cardinality(),
            BlindedPoints.ints(count),
            PayloadKind.PLAINTEXT_AGGREGATE);
        return new PsiResult(null, count, n);
      }
      int[] rows = java.util.stream.IntStream.range(0, n).filter(r -> inAll[r]).toArray();
      if (mode == PsiMode.BOTH) {
        for (int h = 0; h < hosts.size(); h++) {
          int[] theirRows = new int[rows.length];
          for (int i = 0; i < rows.length; i++) {
            theirRows[i] = hostPosition[h][rows[i]];
          }
          federation.send(
              hosts.get(h),
              messages.intersection(),
              BlindedPoints.ints(theirRows),
              PayloadKind.PSI_RESULT);
        }
      }
      return new PsiResult(rows, rows.length, n);
    } finally {
      a.destroy();
    }
  }
}
