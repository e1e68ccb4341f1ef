package io.federa.ml.hetero;

import java.math.BigInteger;
import java.nio.ByteBuffer;

/** Plain numbers on the wire between the parties of a protocol. */
final class Wire {
  private Wire() {}

  static byte[] doubles(double[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 + 8 * v.length).putInt(v.length);
    for (double x : v) {
      b.putDouble(x);
    }
    return b.array();
  }

  static double[] doubles(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    double[] v = new double[b.getInt()];
    for (int i = 0; i < v.length; i++) {
      v[i] = b.getDouble();
    }
    return v;
  }

  static byte[] integers(BigInteger[] v) {
    int size = 4;
    byte[][] parts = new byte[v.length][];
    for (int i = 0; i < v.length; i++) {
      parts[i] = v[i].toByteArray();
      size += 4 + parts[i].length;
    }
    ByteBuffer b = ByteBuffer.allocate(size).putInt(v.length);
    for (byte[] p : parts) {
      b.putInt(p.length).put(p);
    }
    return b.array();
  }

  static BigInteger[] integers(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    BigInteger[] v = new BigInteger[b.getInt()];
    for (int i = 0; i < v.length; i++) {
      byte[] p = new byte[b.getInt()];
      b.get(p);
      v[i] = new BigInteger(p);
    }
    return v;
  }
}
