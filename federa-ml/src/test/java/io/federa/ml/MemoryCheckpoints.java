package io.federa.ml;

import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Checkpoints in memory, every {@code every} epochs (or trees), with the saves made. */
public class MemoryCheckpoints implements Checkpoints {
  public final TreeMap<Integer, byte[]> saved = new TreeMap<>();
  public final List<Integer> writes = new CopyOnWriteArrayList<>();
  private final int every;

  public MemoryCheckpoints(int every) {
    this.every = every;
  }

  @Override
  public int every() {
    return every;
  }

  @Override
  public synchronized List<Integer> saved() {
    return List.copyOf(saved.keySet());
  }

  @Override
  public synchronized byte[] load(int epoch) {
    return saved.get(epoch);
  }

  @Override
  public synchronized void save(int epoch, byte[] state) {
    saved.put(epoch, state);
    writes.add(epoch);
  }
}
