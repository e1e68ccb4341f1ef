package io.federa.ml.homo;

import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import java.nio.ByteBuffer;
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
      double[] in = doubles(federation.receive(prev, HomoMessages.reduceScatter(key, s), timeout));
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
      double[] in = doubles(federation.receive(prev, HomoMessages.allGather(key, s), timeout));
      System.arraycopy(in, 0, v, bounds[recvChunk], in.length);
    }
    return v;
  }

  private static byte[] chunk(double[] v, int[] bounds, int c) {
    ByteBuffer b = ByteBuffer.allocate(8 * (bounds[c + 1] - bounds[c]));
    for (int k = bounds[c]; k < bounds[c + 1]; k++) {
      b.putDouble(v[k]);
    }
    return b.array();
  }

  static double[] doubles(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    double[] out = new double[bytes.length / 8];
    for (int k = 0; k < out.length; k++) {
      out[k] = b.getDouble();
    }
    return out;
  }

  static byte[] bytes(double[] v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length);
    for (double d : v) {
      b.putDouble(d);
    }
    return b.array();
  }
}
