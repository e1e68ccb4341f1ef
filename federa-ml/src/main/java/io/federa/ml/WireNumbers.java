package io.federa.ml;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * Plain numbers on the wire between the parties of a protocol: a count, then the values. A peer's
 * message that is not that shape is refused with a protocol error, before anything is allocated for
 * it.
 */
public final class WireNumbers {
  private WireNumbers() {}

  /** A count, then each value as 8 bytes. */
  public static byte[] doubles(double[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 + 8 * v.length).putInt(v.length);
    for (double x : v) {
      b.putDouble(x);
    }
    return b.array();
  }

  /** What {@link #doubles(double[])} wrote. */
  public static double[] doubles(byte[] bytes) {
    try {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      int n = b.getInt();
      if (n < 0 || n != b.remaining() / 8 || b.remaining() % 8 != 0) {
        throw malformed(bytes, null);
      }
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = b.getDouble();
      }
      return v;
    } catch (BufferUnderflowException e) {
      throw malformed(bytes, e);
    }
  }

  /** A count, then each value as its length and two's-complement bytes. */
  public static byte[] integers(BigInteger[] v) {
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

  /** What {@link #integers(BigInteger[])} wrote. */
  public static BigInteger[] integers(byte[] bytes) {
    try {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      int n = b.getInt();
      if (n < 0 || n > b.remaining() / 5) {
        throw malformed(bytes, null);
      }
      BigInteger[] v = new BigInteger[n];
      for (int i = 0; i < n; i++) {
        int length = b.getInt();
        if (length < 1 || length > b.remaining()) {
          throw malformed(bytes, null);
        }
        byte[] p = new byte[length];
        b.get(p);
        v[i] = new BigInteger(p);
      }
      if (b.hasRemaining()) {
        throw malformed(bytes, null);
      }
      return v;
    } catch (BufferUnderflowException e) {
      throw malformed(bytes, e);
    }
  }

  private static FederaException malformed(byte[] bytes, Exception cause) {
    return new FederaException(
        ErrorCode.PROTOCOL,
        "a malformed list of numbers arrived ("
            + bytes.length
            + " bytes that are not a count and that many numbers): the peer runs another"
            + " version of Federa, or the message was altered",
        cause);
  }
}
