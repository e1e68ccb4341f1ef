package io.federa.ml;

import java.util.List;

/**
 * Where an iterative algorithm keeps its state every few epochs, so a run interrupted by a crash
 * continues from the last epoch every party saved instead of from the start. The algorithm decides
 * what the state is (its own plaintext weights and optimizer, never another party's data); the node
 * decides where it is stored.
 */
public interface Checkpoints {
  /** No checkpoints: every run starts from the beginning. */
  Checkpoints NONE =
      new Checkpoints() {
        @Override
        public int every() {
          return 0;
        }

        @Override
        public List<Integer> saved() {
          return List.of();
        }

        @Override
        public byte[] load(int epoch) {
          throw new IllegalStateException("no checkpoint " + epoch);
        }

        @Override
        public void save(int epoch, byte[] state) {}
      };

  /** Save after every {@code every()} epochs (0: never). */
  int every();

  /** The epochs saved so far, ascending. */
  List<Integer> saved();

  byte[] load(int epoch);

  /** Stores the state after {@code epoch} (durably, before returning). */
  void save(int epoch, byte[] state);
}
