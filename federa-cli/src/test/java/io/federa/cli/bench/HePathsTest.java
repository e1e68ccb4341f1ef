package io.federa.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.crypto.he.HeKeyPair;
import io.federa.crypto.he.HeParameters;
import io.federa.crypto.internal.Montgomery;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code bench paillier}'s native / Java / GMP table: every operation measured on both Federa
 * paths, the paths' results equal, and FATE's arithmetic run on GMP in its child python3 — whose
 * own decryption of the textbook ciphertexts must give the bench's plaintexts, or it reports none.
 * A 1024-bit key keeps the run short (the figures, not the key size, are what is checked);
 * FEDERA_REQUIRE_GMP=1 (CI) makes a missing python3-gmpy2 a failure.
 */
class HePathsTest {
  @Test
  void theTable_hasEveryOperationOnEveryPath() {
    HeKeyPair keys = HeKeyPair.generate(HeParameters.insecureForTesting(1024), new SecureRandom());
    HePaths.Table table = new HePaths(keys, 0.05, 200).run();
    assertEquals(1024, table.bits());
    assertEquals(Montgomery.nativeProducts(), table.nativeKernel());
    assertTrue(table.nativeEqualsJava(), "the native and Java paths decrypt to the same values");
    assertEquals(5, table.rows().size());
    boolean gmp = !table.gmp().startsWith("not measured");
    if ("1".equals(System.getenv("FEDERA_REQUIRE_GMP"))) {
      assertTrue(gmp, table.gmp());
    }
    for (HePaths.Row row : table.rows()) {
      assertTrue(row.nativePath() > 0 && row.javaPath() > 0, row.toString());
      assertEquals(gmp, row.gmp() > 0, row.toString());
      assertFalse(Double.isInfinite(row.over(row.javaPath())), row.toString());
    }
  }
}
