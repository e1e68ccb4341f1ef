package io.federa.crypto.ec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.FederaException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.math.ec.rfc7748.X25519Field;
import org.junit.jupiter.api.Test;

/** Known answers from RFC 9380 (appendices J.4.1 and K.3) and RFC 7748, plus algebraic checks. */
class Curve25519HashToCurveTest {
  private static final String DST = "QUUX-V01-CS02-with-curve25519_XMD:SHA-512_ELL2_RO_";
  private static final BigInteger P = Curve25519HashToCurve.P;
  private static final BigInteger J = BigInteger.valueOf(486662);

  /** msg, u0, u1, Q0.x, Q0.y, Q1.x, Q1.y, P.x (RFC 9380 J.4.1, big-endian hex). */
  private static final String[][] RO = {
    {
      "",
      "005fe8a7b8fef0a16c105e6cadf5a6740b3365e18692a9c05bfbb4d97f645a6a",
      "1347edbec6a2b5d8c02e058819819bee177077c9d10a4ce165aab0fd0252261a",
      "36b4df0c864c64707cbf6cf36e9ee2c09a6cb93b28313c169be29561bb904f98",
      "6cd59d664fb58c66c892883cd0eb792e52055284dac3907dd756b45d15c3983d",
      "3fa114783a505c0b2b2fbeef0102853c0b494e7757f2a089d0daae7ed9a0db2b",
      "76c0fe7fec932aaafb8eefb42d9cbb32eb931158f469ff3050af15cfdbbeff94",
      "2de3780abb67e861289f5749d16d3e217ffa722192d16bbd9d1bfb9d112b98c0"
    },
    {
      "abc",
      "49bed021c7a3748f09fa8cdfcac044089f7829d3531066ac9e74e0994e05bc7d",
      "5c36525b663e63389d886105cee7ed712325d5a97e60e140aba7e2ce5ae851b6",
      "16b3d86e056b7970fa00165f6f48d90b619ad618791661b7b5e1ec78be10eac1",
      "4ab256422d84c5120b278cbdfc4e1facc5baadffeccecf8ee9bf3946106d50ca",
      "7ec29ddbf34539c40adfa98fcb39ec36368f47f30e8f888cc7e86f4d46e0c264",
      "10d1abc1cae2d34c06e247f2141ba897657fb39f1080d54f09ce0af128067c74",
      "2b4419f1f2d48f5872de692b0aca72cc7b0a60915dd70bde432e826b6abc526d"
    },
    {
      "abcdef0123456789",
      "6412b7485ba26d3d1b6c290a8e1435b2959f03721874939b21782df17323d160",
      "24c7b46c1c6d9a21d32f5707be1380ab82db1054fde82865d5c9e3d968f287b2",
      "71de3dadfe268872326c35ac512164850860567aea0e7325e6b91a98f86533ad",
      "26a08b6e9a18084c56f2147bf515414b9b63f1522e1b6c5649f7d4b0324296ec",
      "5704069021f61e41779e2ba6b932268316d6d2a6f064f997a22fef16d1eaeaca",
      "50483c7540f64fb4497619c050f2c7fe55454ec0f0e79870bb44302e34232210",
      "68ca1ea5a6acf4e9956daa101709b1eee6c1bb0df1de3b90d4602382a104c036"
    },
    {
      "q128_" + "q".repeat(128),
      "5e123990f11bbb5586613ffabdb58d47f64bb5f2fa115f8ea8df0188e0c9e1b5",
      "5e8553eb00438a0bb1e7faa59dec6d8087f9c8011e5fb8ed9df31cb6c0d4ac19",
      "7a94d45a198fb5daa381f45f2619ab279744efdd8bd8ed587fc5b65d6cea1df0",
      "67d44f85d376e64bb7d713585230cdbfafc8e2676f7568e0b6ee59361116a6e1",
      "30506fb7a32136694abd61b6113770270debe593027a968a01f271e146e60c18",
      "7eeee0e706b40c6b5174e551426a67f975ad5a977ee2f01e8e20a6d612458c3b",
      "096e9c8bae6c06b554c1ee69383bb0e82267e064236b3a30608d4ed20b73ac5a"
    },
    {
      "a512_" + "a".repeat(512),
      "20f481e85da7a3bf60ac0fb11ed1d0558fc6f941b3ac5469aa8b56ec883d6d7d",
      "017d57fd257e9a78913999a23b52ca988157a81b09c5442501d07fed20869465",
      "02d606e2699b918ee36f2818f2bc5013e437e673c9f9b9cdc15fd0c5ee913970",
      "29e9dc92297231ef211245db9e31767996c5625dfbf92e1c8107ef887365de1e",
      "38920e9b988d1ab7449c0fa9a6058192c0c797bb3d42ac345724341a1aa98745",
      "24dcc1be7c4d591d307e89049fd2ed30aae8911245a9d8554bf6032e5aa40d3d",
      "1bc61845a138e912f047b5e70ba9606ba2a447a4dade024c8ef3dd42b7bbc5fe"
    }
  };

  @Test
  void expandMessageXmdSha512MatchesRfc9380K3() {
    String dst = "QUUX-V01-CS02-with-expander-SHA512-256";
    assertEquals(
        "6b9a7312411d92f921c6f68ca0b6380730a1a4d982c507211a90964c394179ba",
        hex(ExpandMessageXmd.sha512("", dst, 32)));
    assertEquals(
        "0da749f12fbe5483eb066a5f595055679b976e93abe9be6f0f6318bce7aca8dc",
        hex(ExpandMessageXmd.sha512("abc", dst, 32)));
    assertEquals(
        "087e45a86e2939ee8b91100af1583c4938e0f5fc6c9db4b107b83346bc967f58",
        hex(ExpandMessageXmd.sha512("abcdef0123456789", dst, 32)));
    assertEquals(
        "41b037d1734a5f8df225dd8c7de38f851efdb45c372887be655212d07251b921b052b62eaed99b46f72f2ef4cc96bfaf254ebbbec091e1a3b9e4fb5e5b619d2e0c5414800a1d882b62bb5cd1778f098b8eb6cb399d5d9d18f5d5842cf5d13d7eb00a7cff859b605da678b318bd0e65ebff70bec88c753b159a805d2c89c55961",
        hex(ExpandMessageXmd.sha512("", dst, 128)));
  }

  @Test
  void everyStepMatchesRfc9380J41() {
    Curve25519HashToCurve h = new Curve25519HashToCurve(DST);
    for (String[] v : RO) {
      byte[] msg = v[0].getBytes(StandardCharsets.UTF_8);
      int[][] u = h.hashToField(msg);
      assertEquals(big(v[1]), Field25519.toBig(u[0]), "u0 of " + v[0]);
      assertEquals(big(v[2]), Field25519.toBig(u[1]), "u1 of " + v[0]);
      int[][] q0 = Elligator2.mapToCurve(u[0]);
      int[][] q1 = Elligator2.mapToCurve(u[1]);
      assertEquals(big(v[3]), Field25519.toBig(q0[0]), "Q0.x of " + v[0]);
      assertEquals(big(v[4]), Field25519.toBig(q0[1]), "Q0.y of " + v[0]);
      assertEquals(big(v[5]), Field25519.toBig(q1[0]), "Q1.x of " + v[0]);
      assertEquals(big(v[6]), Field25519.toBig(q1[1]), "Q1.y of " + v[0]);
      byte[] out = h.hashToU(msg);
      assertEquals(big(v[7]), Field25519.littleEndian(out), "P.x of " + v[0]);
    }
  }

  @Test
  void mapToCurveAgreesWithATextbookElligator2OnRandomInputs() {
    Random rnd = new Random(7);
    for (int i = 0; i < 300; i++) {
      BigInteger u = new BigInteger(255, rnd).mod(P);
      int[] fe = X25519Field.create();
      X25519Field.decode(le(u), 0, fe);
      int[][] q = Elligator2.mapToCurve(fe);
      BigInteger[] expected = elligator2(u);
      assertEquals(expected[0], Field25519.toBig(q[0]), "x for u=" + u);
      assertEquals(expected[1], Field25519.toBig(q[1]), "y for u=" + u);
    }
  }

  @Test
  void x25519MatchesRfc7748AndBlindingCommutes() {
    // RFC 7748 section 5.2, both vectors, through EcdhKey
    EcdhKey k1 =
        new EcdhKey(unhex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"));
    assertEquals(
        "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
        hex(
            k1.multiply(
                unhex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))));
    EcdhKey k2 =
        new EcdhKey(unhex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"));
    assertEquals(
        "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957",
        hex(
            k2.multiply(
                unhex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"))));
    SecureRandom random = new SecureRandom();
    EcdhKey a = EcdhKey.generate(random);
    EcdhKey b = EcdhKey.generate(random);
    Curve25519HashToCurve h =
        new Curve25519HashToCurve("FEDERA-TEST-" + Curve25519HashToCurve.SUITE);
    byte[] p = h.hashToU("customer-42".getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(b.multiply(a.multiply(p)), a.multiply(b.multiply(p)));
    byte[] q = h.hashToU("customer-43".getBytes(StandardCharsets.UTF_8));
    assertNotEquals(hex(b.multiply(a.multiply(p))), hex(b.multiply(a.multiply(q))));
    assertNotEquals(
        hex(p),
        hex(
            new Curve25519HashToCurve("OTHER-JOB")
                .hashToU("customer-42".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void theBatchHashGivesTheRfcAnswersAndTheSameBytesAsOneByOne() {
    Curve25519HashToCurve h = new Curve25519HashToCurve(DST);
    byte[][] kat = new byte[RO.length][];
    for (int i = 0; i < RO.length; i++) {
      kat[i] = RO[i][0].getBytes(StandardCharsets.UTF_8);
    }
    byte[] batch = h.hashToU(kat);
    for (int i = 0; i < RO.length; i++) {
      assertEquals(
          new BigInteger(RO[i][7], 16),
          Field25519.littleEndian(java.util.Arrays.copyOfRange(batch, 32 * i, 32 * i + 32)),
          "P.x of '" + RO[i][0] + "'");
    }
    // both Elligator branches, many batch sizes, against the affine reference path
    Random random = new Random(11);
    for (int size : new int[] {1, 2, 7, 300}) {
      byte[][] msgs = new byte[size][];
      for (int i = 0; i < size; i++) {
        msgs[i] = new byte[random.nextInt(40)];
        random.nextBytes(msgs[i]);
      }
      byte[] got = h.hashToU(msgs);
      for (int i = 0; i < size; i++) {
        assertArrayEquals(
            h.hashToU(msgs[i]), java.util.Arrays.copyOfRange(got, 32 * i, 32 * i + 32));
      }
    }
  }

  @Test
  void theProjectiveMapIsTheAffineOne() {
    Random random = new Random(5);
    int[] inverse = X25519Field.create();
    int[] x = X25519Field.create();
    for (int i = 0; i < 200; i++) {
      byte[] b = new byte[32];
      random.nextBytes(b);
      b[31] &= 0x3f;
      int[] u = X25519Field.create();
      X25519Field.decode(b, 0, u);
      int[][] affine = Elligator2.mapToCurve(u);
      int[][] projective = Elligator2.mapProjective(u);
      X25519Field.inv(projective[1], inverse);
      X25519Field.mul(projective[0], inverse, x);
      assertEquals(Field25519.toBig(affine[0]), Field25519.toBig(x));
      assertEquals(Field25519.toBig(affine[1]), Field25519.toBig(projective[2]));
    }
  }

  @Test
  void libsodiumAndBouncyCastleMultiplyAlike() {
    X25519Multiplier java = new X25519Multiplier.Java();
    assertTrue(X25519Multiplier.selfTest(java));
    X25519Multiplier sodium;
    try {
      sodium = new X25519Multiplier.Sodium();
    } catch (LinkageError | RuntimeException e) {
      // CI installs libsodium23 and requires it; a machine without it uses Bouncy Castle only
      if (System.getenv("FEDERA_REQUIRE_LIBSODIUM") != null) {
        throw new AssertionError("FEDERA_REQUIRE_LIBSODIUM is set but libsodium cannot load", e);
      }
      org.junit.jupiter.api.Assumptions.abort("no libsodium on this machine: " + e);
      return;
    }
    assertTrue(X25519Multiplier.selfTest(sodium));
    Random random = new Random(3);
    int count = 600; // more than one native batch
    byte[] k = new byte[32];
    byte[] points = new byte[32 * count];
    random.nextBytes(k);
    random.nextBytes(points);
    byte[] a = new byte[32 * count + 5];
    byte[] b = new byte[32 * count + 5];
    assertTrue(java.multiply(k, points, 0, a, 5, count));
    assertTrue(sodium.multiply(k, points, 0, b, 5, count));
    assertArrayEquals(a, b);
    byte[] small = new byte[64];
    small[32] = 1; // u = 0 and u = 1: small order, the product is zero
    assertFalse(sodium.multiply(k, small, 0, new byte[64], 0, 2));
    assertFalse(java.multiply(k, small, 0, new byte[64], 0, 2));
  }

  @Test
  void theIfmaCodeAndBouncyCastleMultiplyAlike() {
    X25519Multiplier ifma;
    try {
      ifma = new X25519Multiplier.Ifma();
    } catch (LinkageError | RuntimeException e) {
      // needs gcc at build time and an AVX-512 IFMA processor; elsewhere libsodium or Java serve
      org.junit.jupiter.api.Assumptions.abort("no AVX-512 IFMA X25519 here: " + e);
      return;
    }
    X25519Multiplier java = new X25519Multiplier.Java();
    assertTrue(X25519Multiplier.selfTest(ifma));
    Random random = new Random(9);
    // counts around the batches of 8 and 256, several keys, and inputs ≥ p or with bit 255 set
    for (int count : new int[] {1, 7, 8, 9, 255, 256, 257, 1000}) {
      byte[] k = new byte[32];
      byte[] points = new byte[32 * count];
      random.nextBytes(k);
      random.nextBytes(points);
      byte[] big = P.add(BigInteger.valueOf(count + 1)).toByteArray(); // u ≥ p, reduced by both
      for (int i = 0; i < big.length && i < 32; i++) {
        points[i] = big[big.length - 1 - i];
      }
      byte[] a = new byte[32 * count + 3];
      byte[] b = new byte[32 * count + 3];
      assertTrue(java.multiply(k, points, 0, a, 3, count));
      assertTrue(ifma.multiply(k, points, 0, b, 3, count));
      assertArrayEquals(a, b, count + " points");
    }
    byte[] small = new byte[64];
    small[32] = 1;
    assertFalse(ifma.multiply(new byte[32], small, 0, new byte[64], 0, 2));
  }

  @Test
  void aSmallOrderPointIsRefused() {
    EcdhKey a = EcdhKey.generate(new SecureRandom());
    byte[] zero = new byte[32];
    FederaException e = assertThrows(FederaException.class, () -> a.multiply(zero));
    assertEquals(io.federa.core.ErrorCode.PROTOCOL, e.code());
    byte[] one = new byte[32];
    one[0] = 1; // u = 1 has order 4
    assertThrows(FederaException.class, () -> a.multiply(one));
  }

  /** RFC 9380 section 6.7.1 with BigInteger arithmetic. */
  private static BigInteger[] elligator2(BigInteger u) {
    BigInteger tv = BigInteger.TWO.multiply(u.pow(2)).add(BigInteger.ONE).mod(P);
    BigInteger x1 =
        tv.signum() == 0 ? J.negate().mod(P) : J.negate().multiply(tv.modInverse(P)).mod(P);
    BigInteger gx1 = g(x1);
    if (isSquare(gx1)) {
      return new BigInteger[] {x1, sqrtWithSign(gx1, 1)};
    }
    BigInteger x2 = x1.negate().subtract(J).mod(P);
    return new BigInteger[] {x2, sqrtWithSign(g(x2), 0)};
  }

  private static BigInteger g(BigInteger x) {
    return x.pow(3).add(J.multiply(x.pow(2))).add(x).mod(P);
  }

  private static boolean isSquare(BigInteger a) {
    return a.signum() == 0
        || a.modPow(P.subtract(BigInteger.ONE).shiftRight(1), P).equals(BigInteger.ONE);
  }

  private static BigInteger sqrtWithSign(BigInteger a, int sign) {
    // p ≡ 5 (mod 8): candidate a^((p+3)/8), times sqrt(-1) when needed
    BigInteger r = a.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
    if (!r.pow(2).mod(P).equals(a)) {
      BigInteger sqrtMinusOne = BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);
      r = r.multiply(sqrtMinusOne).mod(P);
    }
    if (r.testBit(0) != (sign == 1)) {
      r = P.subtract(r);
    }
    return r;
  }

  private static byte[] le(BigInteger x) {
    byte[] be = x.toByteArray();
    byte[] out = new byte[32];
    for (int i = 0; i < Math.min(32, be.length); i++) {
      out[i] = be[be.length - 1 - i];
    }
    return out;
  }

  private static BigInteger big(String hex) {
    return new BigInteger(hex, 16);
  }

  private static byte[] unhex(String h) {
    return HexFormat.of().parseHex(h);
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
