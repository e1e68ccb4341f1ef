package io.federa.crypto.ec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** {@code expand_message_xmd} with SHA-512 (RFC 9380, section 5.3.1). */
public final class ExpandMessageXmd {
  private static final int B_IN_BYTES = 64;
  private static final int S_IN_BYTES = 128;

  private ExpandMessageXmd() {}

  /**
   * Expands {@code msg} into {@code lenInBytes} uniformly random bytes under domain separation tag
   * {@code dst} (at most 255 bytes; RFC 9380 requires longer tags to be hashed first).
   */
  public static byte[] sha512(byte[] msg, byte[] dst, int lenInBytes) {
    int ell = (lenInBytes + B_IN_BYTES - 1) / B_IN_BYTES;
    if (ell > 255 || lenInBytes > 65535 || lenInBytes <= 0) {
      throw new IllegalArgumentException("expand_message_xmd: length out of range: " + lenInBytes);
    }
    if (dst.length > 255) {
      throw new IllegalArgumentException("expand_message_xmd: DST longer than 255 bytes");
    }
    MessageDigest sha = sha512();
    sha.update(new byte[S_IN_BYTES]);
    sha.update(msg);
    sha.update((byte) (lenInBytes >>> 8));
    sha.update((byte) lenInBytes);
    sha.update((byte) 0);
    sha.update(dst);
    sha.update((byte) dst.length);
    byte[] b0 = sha.digest();
    byte[] out = new byte[lenInBytes];
    byte[] prev = null;
    for (int i = 1; i <= ell; i++) {
      if (prev == null) {
        sha.update(b0);
      } else {
        byte[] x = new byte[B_IN_BYTES];
        for (int j = 0; j < B_IN_BYTES; j++) {
          x[j] = (byte) (b0[j] ^ prev[j]);
        }
        sha.update(x);
      }
      sha.update((byte) i);
      sha.update(dst);
      sha.update((byte) dst.length);
      prev = sha.digest();
      System.arraycopy(
          prev,
          0,
          out,
          (i - 1) * B_IN_BYTES,
          Math.min(B_IN_BYTES, lenInBytes - (i - 1) * B_IN_BYTES));
    }
    return out;
  }

  /** Convenience for text messages and tags (UTF-8). */
  public static byte[] sha512(String msg, String dst, int lenInBytes) {
    return sha512(
        msg.getBytes(StandardCharsets.UTF_8), dst.getBytes(StandardCharsets.UTF_8), lenInBytes);
  }

  static MessageDigest sha512() {
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is required by every Java platform", e);
    }
  }
}
