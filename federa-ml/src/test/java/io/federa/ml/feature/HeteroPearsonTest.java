package io.federa.ml.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.compute.LocalEngine;
import io.federa.core.table.Table;
import io.federa.crypto.he.HeParameters;
import io.federa.crypto.he.HeScheme;
import io.federa.federation.InProcessFederation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import io.federa.ml.VerticalSplit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hetero Pearson on breast under a real 2048-bit key of each scheme: every guest × host correlation
 * equals the centralized Pearson correlation of the joined columns to 1e-9, at both parties.
 */
class HeteroPearsonTest {
  private static final LocalEngine ENGINE = LocalEngine.allCores();

  @ParameterizedTest
  @EnumSource(HeScheme.class)
  void breast_isTheCentralizedPearson(HeScheme scheme) throws Exception {
    VerticalSplit data = VerticalSplit.of("breast");
    var net = InProcessFederation.network();
    MessageKey key = MessageKey.of("job", "hetero_pearson_0", "");
    HeParameters params = HeParameters.defaults().withScheme(scheme);
    Duration timeout = Duration.ofMinutes(5);
    var host =
        CompletableFuture.supplyAsync(
            () ->
                new HeteroPearsonHost(net.party(10000), key, 9999, params, timeout, ENGINE)
                    .fit(data.host()));
    var guest =
        new HeteroPearsonGuest(net.party(9999), key, List.of(10000), params, timeout, ENGINE)
            .fit(data.guest());
    var hostResult = host.get();
    Table joined = data.joined();
    int g = data.guest().features();
    double[][] central = Standardized.of(joined).correlations();
    double[][] cross = guest.cross().get(10000);
    for (int a = 0; a < g; a++) {
      for (int b = 0; b < data.host().features(); b++) {
        assertEquals(central[a][g + b], cross[a][b], 1e-9, a + " × " + b);
        assertEquals(cross[a][b], hostResult.cross()[a][b], 0, "the host holds the same");
      }
      assertEquals(central[a][(a + 1) % g], guest.local()[a][(a + 1) % g], 1e-12);
    }
    // an independent check of one entry against the textbook formula
    double[] x = joined.column(0);
    double[] y = joined.column(g);
    double mx = java.util.Arrays.stream(x).average().orElseThrow();
    double my = java.util.Arrays.stream(y).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    assertEquals(sxy / Math.sqrt(sxx * syy), cross[0][0], 1e-9);
    for (var e : net.party(10000).transcript("job")) {
      assertTrue(
          List.of(
                  PayloadKind.PUBLIC_KEY,
                  PayloadKind.HE_CIPHERTEXTS,
                  PayloadKind.CONTROL,
                  PayloadKind.PLAINTEXT_AGGREGATE)
              .contains(e.kind()),
          e.toString());
    }
  }
}
