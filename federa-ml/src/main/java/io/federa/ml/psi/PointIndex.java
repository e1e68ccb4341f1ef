package io.federa.ml.psi;

import io.federa.crypto.ec.EcdhKey;

/**
 * Finds a 32-byte point among {@code n} others: open addressing on the first 8 bytes (points are
 * uniformly random, so those are a good hash), with the whole 32 bytes compared on every hit. About
 * 12 bytes of index per point besides the points themselves.
 */
final class PointIndex {
  private static final int W = EcdhKey.POINT_BYTES;
  private final byte[] points;
  private final long[] prefixes;
  private final int[] positions;
  private final int mask;

  /** Indexes the points stored back to back in {@code points}. */
  PointIndex(byte[] points) {
    this.points = points;
    int n = points.length / W;
    int capacity = Integer.highestOneBit(Math.max(4, n) * 2 - 1) << 1;
    prefixes = new long[capacity];
    positions = new int[capacity];
    java.util.Arrays.fill(positions, -1);
    mask = capacity - 1;
    for (int i = 0; i < n; i++) {
      long p = prefix(points, i * W);
      int slot = slot(p);
      while (positions[slot] >= 0) {
        slot = (slot + 1) & mask;
      }
      prefixes[slot] = p;
      positions[slot] = i;
    }
  }

  /** The position of the point at {@code q[off..off+32)}, or −1. */
  int find(byte[] q, int off) {
    long p = prefix(q, off);
    int slot = slot(p);
    while (positions[slot] >= 0) {
      if (prefixes[slot] == p
          && java.util.Arrays.equals(
              points, positions[slot] * W, positions[slot] * W + W, q, off, off + W)) {
        return positions[slot];
      }
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  private int slot(long prefix) {
    return (int) (prefix ^ (prefix >>> 32)) & mask;
  }

  private static long prefix(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xffL);
    }
    return v;
  }
}
