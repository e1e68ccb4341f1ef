package io.federa.core.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.FederaException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablesTest {
  private static Table guest() {
    return new Table(
        new Schema("id", "y", List.of("x0", "x1")),
        new String[] {"10", "11", "12", "15"},
        new double[] {1, 0, 1, 0},
        new double[][] {{1, 2, 3, 4}, {5, 6, 7, 8}});
  }

  private static Table host() {
    return new Table(
        new Schema("id", null, List.of("x0")),
        new String[] {"15", "99", "10", "12"},
        null,
        new double[][] {{40, 0, 10, 30}});
  }

  @Test
  void innerJoin_keepsGuestOrderAndRenamesClashingHostColumns() {
    Table joined = Tables.innerJoin(guest(), host(), "host_");
    assertArrayEquals(new String[] {"10", "12", "15"}, joined.ids());
    assertEquals(List.of("x0", "x1", "host_x0"), joined.schema().featureNames());
    assertArrayEquals(new double[] {1, 1, 0}, joined.labels());
    assertArrayEquals(new double[] {1, 3, 4}, joined.column(0));
    assertArrayEquals(new double[] {10, 30, 40}, joined.column(2));
  }

  @Test
  void splitByIdModulo_holdsOutMultiples() {
    List<Table> split = Tables.splitByIdModulo(guest(), 5);
    assertArrayEquals(new String[] {"11", "12"}, split.get(0).ids());
    assertArrayEquals(new String[] {"10", "15"}, split.get(1).ids());
  }

  @Test
  void splitByIdModulo_withTextIds_namesTheRowAndFix() {
    Table t =
        new Table(
            new Schema("id", null, List.of()), new String[] {"1", "abc"}, null, new double[0][]);
    var e = assertThrows(FederaException.class, () -> Tables.splitByIdModulo(t, 5));
    assertTrue(e.getMessage().contains("row 2 has id 'abc'"));
  }

  @Test
  void schema_withDuplicateFeature_isRefused() {
    assertThrows(FederaException.class, () -> new Schema("id", null, List.of("a", "a")));
  }
}
