package io.federa.ml.psi;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.crypto.ec.Curve25519HashToCurve;
import io.federa.crypto.ec.EcdhKey;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The shared steps of ECDH-PSI: hashing ids to the curve, multiplying point sets by a key, sending
 * and receiving them in chunks, shuffling. Points are 32-byte u-coordinates stored back to back.
 */
final class BlindedPoints {
  /** Points per message: 32 MiB. */
  static final int CHUNK = 1 << 20;

  private static final int GRAIN = 512;

  private BlindedPoints() {}

  /** The domain separation tag of a job: hashes differ from job to job. */
  static Curve25519HashToCurve hasher(MessageKey key) {
    return new Curve25519HashToCurve(
        "FEDERA-PSI-V01-"
            + key.jobId()
            + "-"
            + key.component()
            + "-"
            + Curve25519HashToCurve.SUITE);
  }

  /** Fails with the row numbers (never the id itself) when an id occurs twice. */
  static void requireUnique(String[] ids, String party) {
    Map<String, Integer> seen = new HashMap<>(ids.length * 2);
    for (int i = 0; i < ids.length; i++) {
      Integer first = seen.putIfAbsent(ids[i], i);
      if (first != null) {
        throw new FederaException(
            ErrorCode.INVALID_INPUT,
            party
                + "'s ids are not unique: data row "
                + (i + 1)
                + " repeats the id of data row "
                + (first + 1)
                + "; intersection needs one row per id — remove or merge the duplicates");
      }
    }
  }

  /** A uniformly random permutation: position → row. */
  static int[] shuffle(int n, SecureRandom random) {
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    return perm;
  }

  /** key·H(ids[perm[i]]) at position i. */
  static byte[] hashAndBlind(
      String[] ids, int[] perm, Curve25519HashToCurve hasher, EcdhKey key, ComputingEngine engine) {
    byte[] out = new byte[Math.multiplyExact(ids.length, EcdhKey.POINT_BYTES)];
    engine.forEachRange(
        ids.length,
        GRAIN,
        (from, to) -> {
          byte[][] msgs = new byte[to - from][];
          for (int i = from; i < to; i++) {
            msgs[i - from] = ids[perm[i]].getBytes(StandardCharsets.UTF_8);
          }
          byte[] hashed = hasher.hashToU(msgs);
          key.multiply(hashed, 0, out, from * EcdhKey.POINT_BYTES, to - from);
        });
    return out;
  }

  /** key·P for every point P, in place order (optionally permuted: out[i] = key·in[perm[i]]). */
  static byte[] multiply(byte[] points, int[] perm, EcdhKey key, ComputingEngine engine) {
    int n = points.length / EcdhKey.POINT_BYTES;
    byte[] out = new byte[points.length];
    engine.forEachRange(
        n,
        GRAIN,
        (from, to) -> {
          if (perm == null) {
            key.multiply(
                points, from * EcdhKey.POINT_BYTES, out, from * EcdhKey.POINT_BYTES, to - from);
            return;
          }
          for (int i = from; i < to; i++) {
            key.multiply(points, perm[i] * EcdhKey.POINT_BYTES, out, i * EcdhKey.POINT_BYTES);
          }
        });
    return out;
  }

  static void send(Federation federation, int to, MessageKey key, byte[] points) {
    int n = points.length / EcdhKey.POINT_BYTES;
    int chunks = Math.max(1, (n + CHUNK - 1) / CHUNK);
    for (int c = 0; c < chunks; c++) {
      int from = c * CHUNK * EcdhKey.POINT_BYTES;
      int to2 = Math.min(points.length, from + CHUNK * EcdhKey.POINT_BYTES);
      byte[] part = new byte[to2 - from];
      System.arraycopy(points, from, part, 0, part.length);
      federation.send(to, PsiMessages.chunk(key, c), part, PayloadKind.BLINDED_POINTS);
    }
  }

  static byte[] receive(
      Federation federation, int from, MessageKey key, int count, Duration timeout) {
    if (count < 0 || count > Integer.MAX_VALUE / EcdhKey.POINT_BYTES) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          "party "
              + from
              + " announced "
              + count
              + " points for '"
              + key.tag()
              + "', which no table can hold; its PSI data is malformed — rerun the job");
    }
    byte[] out = new byte[Math.multiplyExact(count, EcdhKey.POINT_BYTES)];
    int chunks = Math.max(1, (count + CHUNK - 1) / CHUNK);
    int pos = 0;
    for (int c = 0; c < chunks; c++) {
      byte[] part = federation.receive(from, PsiMessages.chunk(key, c), timeout);
      if (part.length % EcdhKey.POINT_BYTES != 0 || pos + part.length > out.length) {
        throw new FederaException(
            ErrorCode.PROTOCOL,
            "party "
                + from
                + " sent "
                + part.length
                + " bytes for '"
                + key.tag()
                + "' where "
                + count
                + " points of 32 bytes were announced; its PSI data is malformed — rerun the job");
      }
      System.arraycopy(part, 0, out, pos, part.length);
      pos += part.length;
    }
    if (pos != out.length) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          "party "
              + from
              + " sent "
              + pos / 32
              + " points for '"
              + key.tag()
              + "', announced "
              + count);
    }
    return out;
  }

  static byte[] ints(int... v) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + 4 * v.length).putInt(v.length);
    for (int x : v) {
      b.putInt(x);
    }
    return b.array();
  }

  static int[] ints(byte[] bytes, int from, String what) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
    int n = bytes.length >= 4 ? b.getInt() : -1;
    if (n < 0 || bytes.length != 4 + 4L * n) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          "party "
              + from
              + " sent a malformed '"
              + what
              + "' message ("
              + bytes.length
              + " bytes)");
    }
    int[] v = new int[n];
    for (int i = 0; i < n; i++) {
      v[i] = b.getInt();
    }
    return v;
  }
}
