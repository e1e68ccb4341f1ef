package io.federa.ml.homo;

import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import io.federa.ml.WireNumbers;
import java.time.Duration;
import java.util.List;

/**
 * Ring all-reduce (sum) among parties, no server: the vector is cut into p chunks; p − 1
 * scatter-reduce steps (party i sends chunk (i − s) mod p to its successor, which adds it to its
 * own), then p − 1 all-gather steps passing the finished chunks on. Each party sends 2·(p − 1)/p of
 * the vector whatever p is, and every party ends with bit-identical sums (each chunk is summed
 * once, along the ring, then copied).
 */
final class RingAllReduce {
  private RingAllReduce() {}

  static double[] sum(
      Federation federation,
      MessageKey key,
      List<Integer> ring,
      double[] vector,
      Duration timeout) {
    int p = ring.size();
    int i = ring.indexOf(federation.self());
    if (i < 0) {
      throw new IllegalArgumentException("party " + federation.self() + " is not in the ring");
    }
    double[] v = vector.clone();
    if (p == 1) {
      return v;
    }
    int next = ring.get((i + 1) % p);
    int prev = ring.get((i + p - 1) % p);
    int[] bounds = new int[p + 1];
    for (int c = 0; c <= p; c++) {
      bounds[c] = (int) ((long) v.length * c / p);
    }
    for (int s = 0; s < p - 1; s++) {
      int sendChunk = Math.floorMod(i - s, p);
      int recvChunk = Math.floorMod(i - s - 1, p);
      federation.send(
          next,
          HomoMessages.reduceScatter(key, s),
          chunk(v, bounds, sendChunk),
          PayloadKind.MODEL_UPDATE);
      double[] in =
          chunk(
              federation.receive(prev, HomoMessages.reduceScatter(key, s), timeout),
              bounds,
              recvChunk);
      for (int k = 0; k < in.length; k++) {
        v[bounds[recvChunk] + k] += in[k];
      }
    }
    for (int s = 0; s < p - 1; s++) {
      int sendChunk = Math.floorMod(i + 1 - s, p);
      int recvChunk = Math.floorMod(i - s, p);
      federation.send(
          next,
          HomoMessages.allGather(key, s),
          chunk(v, bounds, sendChunk),
          PayloadKind.MODEL_UPDATE);
      double[] in =
          chunk(
              federation.receive(prev, HomoMessages.allGather(key, s), timeout), bounds, recvChunk);
      System.arraycopy(in, 0, v, bounds[recvChunk], in.length);
    }
    return v;
  }

  private static byte[] chunk(double[] v, int[] bounds, int c) {
    return WireNumbers.doubles(java.util.Arrays.copyOfRange(v, bounds[c], bounds[c + 1]));
  }

  /** A neighbour's chunk {@code c}: refused unless it has the chunk's length. */
  private static double[] chunk(byte[] bytes, int[] bounds, int c) {
    double[] in = WireNumbers.doubles(bytes);
    if (in.length != bounds[c + 1] - bounds[c]) {
      throw new io.federa.core.FederaException(
          io.federa.core.ErrorCode.PROTOCOL,
          "a ring neighbour sent "
              + in.length
              + " values for a chunk of "
              + (bounds[c + 1] - bounds[c])
              + ": its model has another size; check that every party runs the same job");
    }
    return in;
  }
}
