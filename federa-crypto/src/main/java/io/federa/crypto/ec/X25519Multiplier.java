package io.federa.crypto.ec;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * X25519 scalar multiplication (RFC 7748), the fastest of: Federa's AVX-512 IFMA code for eight
 * points at a time (when the jar was built with gcc and the processor has IFMA; ~4 µs per
 * multiplication here), libsodium's {@code crypto_scalarmult_curve25519} (when the system has
 * libsodium, Debian {@code libsodium23}; ~27 µs), Bouncy Castle's {@link X25519} (~56 µs). All give
 * the same bytes: at start a native one must reproduce RFC 7748's test vector and agree with Bouncy
 * Castle on a second input, or it is not used. {@code -Dfedera.x25519=libsodium} skips the IFMA
 * code, {@code -Dfedera.x25519=bouncycastle} forces the Java one.
 */
abstract class X25519Multiplier {
  private static final Logger LOG = LoggerFactory.getLogger(X25519Multiplier.class);

  /** The implementation this process uses. */
  static final X25519Multiplier INSTANCE = choose();

  /** Its name, for benchmarks and logs: "avx512-ifma", "libsodium" or "bouncycastle". */
  abstract String name();

  /**
   * {@code out[outOff..+32) = k·u(in[inOff..+32))} for {@code count} consecutive points.
   *
   * @return false when some product is all zero (a point of small order)
   */
  abstract boolean multiply(byte[] k, byte[] in, int inOff, byte[] out, int outOff, int count);

  /** The first native implementation that loads and passes {@link #selfTest}, else Java's. */
  private static X25519Multiplier choose() {
    String forced = System.getProperty("federa.x25519", "");
    List<Supplier<X25519Multiplier>> natives =
        switch (forced) {
          case "bouncycastle" -> List.of();
          case "libsodium" -> List.of(Sodium::new);
          default -> List.of(Ifma::new, Sodium::new);
        };
    for (Supplier<X25519Multiplier> make : natives) {
      try {
        X25519Multiplier m = make.get();
        if (selfTest(m)) {
          LOG.debug("X25519 through {}", m.name());
          return m;
        }
        LOG.warn("the {} X25519 disagrees with RFC 7748 or Bouncy Castle; not used", m.name());
      } catch (LinkageError | RuntimeException e) {
        LOG.debug("a native X25519 did not load: {}", e.getMessage());
      }
    }
    if (!natives.isEmpty()) {
      LOG.info(
          "no native X25519 (AVX-512 IFMA code or libsodium): Bouncy Castle's, slower for PSI;"
              + " install libsodium (Debian: apt-get install libsodium23) for a native one");
    }
    return new Java();
  }

  /** RFC 7748 section 5.2's first vector, and one more input checked against Bouncy Castle. */
  static boolean selfTest(X25519Multiplier m) {
    HexFormat hex = HexFormat.of();
    byte[] k = hex.parseHex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
    byte[] u = hex.parseHex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
    byte[] want = hex.parseHex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
    byte[] got = new byte[32];
    m.multiply(k, u, 0, got, 0, 1);
    if (!Arrays.equals(want, got)) {
      return false;
    }
    byte[] again = new byte[32];
    byte[] java = new byte[32];
    m.multiply(got, u, 0, again, 0, 1);
    X25519.scalarMult(got, 0, u, 0, java, 0);
    return Arrays.equals(again, java);
  }

  /** Bouncy Castle's constant-time Montgomery ladder. */
  static final class Java extends X25519Multiplier {
    @Override
    String name() {
      return "bouncycastle";
    }

    @Override
    boolean multiply(byte[] k, byte[] in, int inOff, byte[] out, int outOff, int count) {
      boolean ok = true;
      for (int i = 0; i < count; i++) {
        int o = outOff + 32 * i;
        X25519.scalarMult(k, 0, in, inOff + 32 * i, out, o);
        ok &= !allZero(out, o);
      }
      return ok;
    }
  }

  /** A native implementation: points cross in batches of 256 through per-thread native memory. */
  abstract static class Native8 extends X25519Multiplier {
    private static final int BATCH = 256;

    private static final ThreadLocal<Memory[]> BUFFERS =
        ThreadLocal.withInitial(
            () -> new Memory[] {new Memory(32), new Memory(32L * BATCH), new Memory(32L * BATCH)});

    /** {@code out[i] = key·in[i]} for {@code n} points; returns how many products are zero. */
    abstract int nativeBatch(Pointer out, Pointer key, Pointer in, int n);

    @Override
    boolean multiply(byte[] k, byte[] in, int inOff, byte[] out, int outOff, int count) {
      Memory[] b = BUFFERS.get();
      Memory key = b[0];
      key.write(0, k, 0, 32);
      int zeros = 0;
      try {
        for (int done = 0; done < count; done += BATCH) {
          int n = Math.min(BATCH, count - done);
          b[1].write(0, in, inOff + 32 * done, 32 * n);
          zeros += nativeBatch(b[2], key, b[1], n);
          b[2].read(0, out, outOff + 32 * done, 32 * n);
        }
      } finally {
        key.clear(); // the scalar does not stay in native memory
      }
      return zeros == 0;
    }
  }

  /** libsodium through JNA's direct mapping. */
  static final class Sodium extends Native8 {
    Sodium() {
      if (Lib.sodium_init() < 0) {
        throw new IllegalStateException("sodium_init failed");
      }
    }

    @Override
    String name() {
      return "libsodium";
    }

    @Override
    int nativeBatch(Pointer out, Pointer key, Pointer in, int n) {
      long s = Pointer.nativeValue(in);
      long d = Pointer.nativeValue(out);
      int zeros = 0;
      for (int i = 0; i < n; i++) {
        // libsodium returns -1 for an all-zero product (small-order input)
        if (Lib.crypto_scalarmult_curve25519(
                new Pointer(d + 32L * i), key, new Pointer(s + 32L * i))
            != 0) {
          zeros++;
        }
      }
      return zeros;
    }

    /** The two functions used, bound once. */
    private static final class Lib {
      static {
        Native.register(Lib.class, NativeLibrary.getInstance("sodium"));
      }

      private Lib() {}

      static native int sodium_init();

      static native int crypto_scalarmult_curve25519(Pointer q, Pointer n, Pointer p);
    }
  }

  /**
   * Federa's own X25519 for eight points at once with AVX-512 IFMA ({@code
   * src/main/c/x25519_ifma.c}, built with the jar when gcc is there): about 4 µs per multiplication
   * here, 7× libsodium.
   */
  static final class Ifma extends Native8 {
    private static final String RESOURCE = "/native/linux-x86-64/libfedera_x25519.so";

    Ifma() {
      if (Lib.federa_x25519_available() != 1) {
        throw new IllegalStateException("this processor has no AVX-512 IFMA");
      }
    }

    @Override
    String name() {
      return "avx512-ifma";
    }

    @Override
    int nativeBatch(Pointer out, Pointer key, Pointer in, int n) {
      return Lib.federa_x25519_batch(out, key, in, n);
    }

    /** The library, copied from the jar to a private temporary file and bound once. */
    private static final class Lib {
      static {
        io.federa.crypto.internal.NativeLibraries.register(Lib.class, RESOURCE);
      }

      private Lib() {}

      static native int federa_x25519_available();

      static native int federa_x25519_batch(Pointer out, Pointer k, Pointer in, int count);
    }
  }

  static boolean allZero(byte[] b, int off) {
    int acc = 0;
    for (int i = 0; i < 32; i++) {
      acc |= b[off + i];
    }
    return acc == 0;
  }
}
