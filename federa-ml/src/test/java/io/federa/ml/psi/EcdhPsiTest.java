package io.federa.ml.psi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.FederaException;
import io.federa.core.compute.LocalEngine;
import io.federa.federation.InProcessFederation;
import io.federa.federation.MessageKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** ECDH-PSI between threads, checked against a plain set intersection of the same ids. */
class EcdhPsiTest {
  private static final LocalEngine ENGINE = LocalEngine.allCores();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final int GUEST = 9999;

  record Run(PsiResult guest, List<PsiResult> hosts) {}

  static Run run(PsiMode mode, String[] guestIds, String[]... hostIds) throws Exception {
    var net = InProcessFederation.network();
    MessageKey key = MessageKey.of("job-psi", "intersection_0", "");
    List<Integer> hostParties = new ArrayList<>();
    List<CompletableFuture<PsiResult>> futures = new ArrayList<>();
    for (int h = 0; h < hostIds.length; h++) {
      int party = 10000 + h;
      hostParties.add(party);
      String[] ids = hostIds[h];
      var host = new EcdhPsiHost(net.party(party), key, GUEST, mode, ENGINE, TIMEOUT);
      futures.add(CompletableFuture.supplyAsync(() -> host.run(ids)));
    }
    PsiResult guest =
        new EcdhPsiGuest(net.party(GUEST), key, hostParties, mode, ENGINE, TIMEOUT).run(guestIds);
    List<PsiResult> hosts = new ArrayList<>();
    for (var f : futures) {
      hosts.add(f.get());
    }
    return new Run(guest, hosts);
  }

  static String[] ids(String prefix, int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> prefix + i).toArray(String[]::new);
  }

  static String[] shuffled(String[] ids, long seed) {
    List<String> l = new ArrayList<>(Arrays.asList(ids));
    java.util.Collections.shuffle(l, new java.util.Random(seed));
    return l.toArray(String[]::new);
  }

  @Test
  void partialOverlapGivesBothSidesTheSameIdsInTheGuestsOrder() throws Exception {
    String[] guest = shuffled(ids("id", 0, 700), 1);
    String[] host = shuffled(ids("id", 400, 1500), 2);
    Run r = run(PsiMode.BOTH, guest, host);
    assertEquals(300, r.guest().size());
    int[] g = r.guest().rows();
    int[] h = r.hosts().get(0).rows();
    assertEquals(300, h.length);
    Set<String> expected = new HashSet<>(Arrays.asList(ids("id", 400, 700)));
    for (int i = 0; i < g.length; i++) {
      assertEquals(guest[g[i]], host[h[i]], "row " + i + " aligned");
      assertTrue(expected.contains(guest[g[i]]));
      if (i > 0) {
        assertTrue(g[i] > g[i - 1], "guest order");
      }
    }
    assertEquals(1100, r.hosts().get(0).ownSize());
  }

  @Test
  void emptyAndTotalOverlap() throws Exception {
    Run none = run(PsiMode.BOTH, ids("a", 0, 50), ids("b", 0, 80));
    assertEquals(0, none.guest().size());
    assertEquals(0, none.hosts().get(0).rows().length);
    String[] all = ids("x", 0, 120);
    Run total = run(PsiMode.BOTH, all, shuffled(all, 3));
    assertEquals(120, total.guest().size());
    assertArrayEquals(IntStream.range(0, 120).toArray(), total.guest().rows());
  }

  @Test
  void guestOnlyLeavesTheHostWithoutTheIntersection() throws Exception {
    Run r = run(PsiMode.GUEST_ONLY, ids("id", 0, 100), ids("id", 50, 300));
    assertEquals(50, r.guest().size());
    assertNull(r.hosts().get(0).rows());
    assertEquals(-1, r.hosts().get(0).size());
  }

  @Test
  void cardinalityGivesOnlyTheCount() throws Exception {
    Run r = run(PsiMode.CARDINALITY, ids("id", 0, 100), ids("id", 30, 300));
    assertEquals(70, r.guest().size());
    assertNull(r.guest().rows());
    assertEquals(70, r.hosts().get(0).size());
    assertNull(r.hosts().get(0).rows());
  }

  @Test
  void severalHostsAgreeOnTheCommonIds() throws Exception {
    String[] guest = ids("id", 0, 500);
    String[] h1 = shuffled(ids("id", 100, 600), 4);
    String[] h2 = shuffled(ids("id", 0, 300), 5);
    Run r = run(PsiMode.BOTH, guest, h1, h2);
    assertEquals(200, r.guest().size());
    for (int i = 0; i < 200; i++) {
      String id = guest[r.guest().rows()[i]];
      assertEquals(id, h1[r.hosts().get(0).rows()[i]]);
      assertEquals(id, h2[r.hosts().get(1).rows()[i]]);
    }
  }

  @Test
  void duplicateIdsAreRefusedWithTheirRows() {
    String[] dup = {"a", "b", "c", "b"};
    FederaException atHost =
        assertThrows(
            FederaException.class,
            () ->
                new EcdhPsiHost(
                        InProcessFederation.network().party(10000),
                        MessageKey.of("j", "c", ""),
                        GUEST,
                        PsiMode.BOTH,
                        ENGINE,
                        TIMEOUT)
                    .run(dup));
    assertTrue(
        atHost.getMessage().startsWith("host 10000's ids are not unique"), atHost.getMessage());
    FederaException direct =
        assertThrows(
            FederaException.class,
            () ->
                new EcdhPsiGuest(
                        InProcessFederation.network().party(GUEST),
                        MessageKey.of("j", "c", ""),
                        List.of(10000),
                        PsiMode.BOTH,
                        ENGINE,
                        TIMEOUT)
                    .run(dup));
    assertTrue(
        direct.getMessage().contains("data row 4 repeats the id of data row 2"),
        direct.getMessage());
    assertTrue(!direct.getMessage().contains("\"b\""), "the id itself is not printed");
  }

  @Test
  void mismatchedModesAreNamed() {
    var net = InProcessFederation.network();
    MessageKey key = MessageKey.of("job", "intersection_0", "");
    var host = new EcdhPsiHost(net.party(10000), key, GUEST, PsiMode.CARDINALITY, ENGINE, TIMEOUT);
    var f = CompletableFuture.supplyAsync(() -> host.run(ids("a", 0, 5)));
    CompletableFuture.runAsync(
        () ->
            new EcdhPsiGuest(
                    net.party(GUEST),
                    key,
                    List.of(10000),
                    PsiMode.BOTH,
                    ENGINE,
                    Duration.ofSeconds(2))
                .run(ids("a", 0, 5)));
    ExecutionException e = assertThrows(ExecutionException.class, f::get);
    assertTrue(
        e.getCause()
            .getMessage()
            .contains("mode BOTH but host 10000 is configured for CARDINALITY"));
  }
}
