package io.federa.crypto.he;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class HeKeyPoolTest {
  /** 1024-bit keys: the pool's bookkeeping does not depend on the size, and tests stay quick. */
  private static final HeParameters SMALL = HeParameters.insecureForTesting(1024);

  @Test
  void take_handsOutTheSpareOnceAndStartsTheNext() {
    HeKeyPool pool = new HeKeyPool();
    assertNull(pool.spare(SMALL));
    HeKeyPair first = pool.take(SMALL);
    HeKeyPair spare = pool.spare(SMALL).join();
    HeKeyPair second = pool.take(SMALL);
    assertSame(spare, second);
    assertNotEquals(first.publicKey().modulus(), second.publicKey().modulus());
    assertNotNull(pool.spare(SMALL));
    HeKeyPair third = pool.take(SMALL);
    assertNotEquals(second.publicKey().modulus(), third.publicKey().modulus());
    assertNotEquals(first.publicKey().modulus(), third.publicKey().modulus());
    BigInteger m = BigInteger.valueOf(424242);
    assertEquals(m, third.privateKey().decryptRaw(third.publicKey().encryptRaw(m)));
  }

  @Test
  void take_keepsOneSparePerParameterSet() {
    HeKeyPool pool = new HeKeyPool();
    HeParameters ou = SMALL.withScheme(HeScheme.OU);
    pool.take(SMALL);
    pool.take(ou);
    HeKeyPair ouSpare = pool.spare(ou).join();
    assertEquals(HeScheme.OU, ouSpare.publicKey().scheme());
    assertEquals(HeScheme.PAILLIER, pool.spare(SMALL).join().publicKey().scheme());
    assertSame(ouSpare, pool.take(ou));
  }

  @Test
  void prepare_startsOneSpare_whichTheFirstTakeHandsOut() {
    HeKeyPool pool = new HeKeyPool();
    pool.prepare(SMALL);
    var spare = pool.spare(SMALL);
    assertNotNull(spare);
    pool.prepare(SMALL); // kept: not a second one
    assertSame(spare, pool.spare(SMALL));
    assertSame(spare.join(), pool.take(SMALL));
  }
}
