package io.federa.ml.hetero;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.federa.core.compute.LocalEngine;
import io.federa.crypto.he.HeParameters;
import io.federa.federation.InProcessFederation;
import io.federa.federation.MessageKey;
import io.federa.ml.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A run resumed from checkpoints ends with the same model as an uninterrupted one: every party
 * loads its own state at the latest epoch all of them saved. 1024-bit keys for CI time (the key
 * size does not change what is saved).
 */
class HeteroLrCheckpointTest {
  private static final LocalEngine ENGINE = LocalEngine.allCores();

  /** Checkpoints in memory. */
  static final class Memory extends io.federa.ml.MemoryCheckpoints {
    Memory(int every) {
      super(every);
    }
  }

  record Result(HeteroLrGuestModel model, HostModel host, List<Double> losses) {}

  static Result run(
      HeteroLrTest.Aligned data, HeteroLrParams params, String attempt, Memory[] stores)
      throws Exception {
    var net = InProcessFederation.network();
    MessageKey key = MessageKey.of("job", "hetero_lr_0" + attempt, "");
    List<Double> losses = new CopyOnWriteArrayList<>();
    var arbiter =
        new HeteroLrArbiter(net.party(20000), key, 9999, List.of(10000), params)
            .withCheckpoints(stores[2]);
    var a = CompletableFuture.supplyAsync(() -> arbiter.fit((i, p, loss) -> losses.add(loss)));
    var host =
        new HeteroLrHost(net.party(10000), key, 9999, Topology.arbiter(20000), params, ENGINE)
            .withCheckpoints(stores[1]);
    var h = CompletableFuture.supplyAsync(() -> host.fit(data.host()));
    var guest =
        new HeteroLrGuest(
                net.party(9999), key, List.of(10000), Topology.arbiter(20000), params, ENGINE)
            .withCheckpoints(stores[0]);
    HeteroLrGuestModel model = guest.fit(data.guest(), TrainingListener.NONE);
    a.get();
    return new Result(model, h.get(), losses);
  }

  @Test
  void resumingFromTheLatestCommonCheckpoint_givesTheUninterruptedModel() throws Exception {
    var data = HeteroLrTest.Aligned.of("breast");
    // Adam: its state (moments, step) is checkpointed whole, so the resumed run is bit-identical
    HeteroLrParams params =
        HeteroLrParams.defaults()
            .withOptimizer(HeteroLrParams.Optimizer.ADAM)
            .withMaxIter(8)
            .withConvergence(HeteroLrParams.Convergence.LOSS, 0)
            .withKey(HeParameters.insecureForTesting(1024));
    Memory[] full = {new Memory(2), new Memory(2), new Memory(2)};
    Result whole = run(data, params, "", full);
    assertEquals(List.of(1, 3, 5, 7), full[0].saved());

    // a crash after epoch 5: the host had saved epoch 5 but the guest only epoch 3
    Memory[] left = {new Memory(2), new Memory(2), new Memory(2)};
    for (int p = 0; p < 3; p++) {
      for (int e : List.of(1, 3, 5)) {
        if (!(p == 0 && e == 5)) {
          left[p].save(e, full[p].load(e));
        }
      }
    }
    for (Memory m : left) {
      m.writes.clear();
    }
    Result resumed = run(data, params, "@1", left);
    assertArrayEquals(whole.model().weights()[0], resumed.model().weights()[0], 1e-9);
    assertEquals(whole.model().intercepts()[0], resumed.model().intercepts()[0], 1e-9);
    assertArrayEquals(whole.host().weights()[0], resumed.host().weights()[0], 1e-9);
    assertEquals(whole.host().shifts()[0], resumed.host().shifts()[0], 1e-9);
    // the arbiter tells the losses before the checkpoint again: the curve is whole
    assertEquals(whole.losses().size(), resumed.losses().size());
    for (int i = 0; i < whole.losses().size(); i++) {
      assertEquals(whole.losses().get(i), resumed.losses().get(i), 1e-9);
    }
    assertEquals(new ArrayList<>(List.of(1, 3, 5, 7)), left[0].saved());
    // only epochs 4 to 7 ran again
    for (Memory m : left) {
      assertEquals(List.of(5, 7), m.writes);
    }
  }

  @Test
  void lbfgsResumedFromACheckpoint_continuesExactly() throws Exception {
    // L-BFGS's memory of steps (each party's) and line state (the arbiter's) are checkpointed too
    var data = HeteroLrTest.Aligned.of("breast");
    HeteroLrParams params =
        HeteroLrParams.defaults()
            .withMaxIter(8)
            .withConvergence(HeteroLrParams.Convergence.LOSS, 0)
            .withKey(HeParameters.insecureForTesting(1024));
    Memory[] full = {new Memory(2), new Memory(2), new Memory(2)};
    Result whole = run(data, params, "", full);
    Memory[] left = {new Memory(2), new Memory(2), new Memory(2)};
    for (int p = 0; p < 3; p++) {
      left[p].save(3, full[p].load(3));
    }
    Result resumed = run(data, params, "@1", left);
    assertArrayEquals(whole.model().weights()[0], resumed.model().weights()[0], 1e-9);
    assertArrayEquals(whole.host().weights()[0], resumed.host().weights()[0], 1e-9);
    for (int i = 0; i < whole.losses().size(); i++) {
      assertEquals(whole.losses().get(i), resumed.losses().get(i), 1e-9);
    }
  }
}
