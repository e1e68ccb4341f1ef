package io.federa.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WireNumbersTest {
  @Test
  void numbersComeBackAsSent() {
    double[] v = {0, -0.0, 1.5, Double.MAX_VALUE, Double.NaN, -3e-300};
    assertArrayEquals(v, WireNumbers.doubles(WireNumbers.doubles(v)));
    assertArrayEquals(new double[0], WireNumbers.doubles(WireNumbers.doubles(new double[0])));
    BigInteger[] n = {BigInteger.ZERO, BigInteger.ONE.negate(), BigInteger.TWO.pow(2047)};
    assertArrayEquals(n, WireNumbers.integers(WireNumbers.integers(n)));
  }

  @Test
  void aMalformedMessageIsAProtocolErrorNotAnAllocation() {
    byte[] good = WireNumbers.doubles(new double[] {1, 2, 3});
    byte[][] bad = {
      new byte[0],
      new byte[3],
      Arrays.copyOf(good, good.length - 1), // truncated
      Arrays.copyOf(good, good.length + 8), // a value too many
      ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array(), // a huge count, no values
      ByteBuffer.allocate(4).putInt(-1).array()
    };
    for (byte[] b : bad) {
      var e = assertThrows(FederaException.class, () -> WireNumbers.doubles(b));
      assertEquals(ErrorCode.PROTOCOL, e.code());
      assertTrue(e.getMessage().contains(b.length + " bytes"), e.getMessage());
    }
    byte[] integers = WireNumbers.integers(new BigInteger[] {BigInteger.TEN});
    byte[][] badIntegers = {
      Arrays.copyOf(integers, integers.length - 1),
      Arrays.copyOf(integers, integers.length + 1),
      ByteBuffer.allocate(9).putInt(1).putInt(0).array(), // an empty integer
      ByteBuffer.allocate(8).putInt(1).putInt(Integer.MAX_VALUE).array(),
      ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array()
    };
    for (byte[] b : badIntegers) {
      var e = assertThrows(FederaException.class, () -> WireNumbers.integers(b));
      assertEquals(ErrorCode.PROTOCOL, e.code());
    }
  }
}
