package io.federa.crypto.he;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Key pairs generated ahead of need: one spare per parameter set, so that a job's first message
 * does not wait on the prime search (0.06–1.8 s for a 2048-bit Paillier key, by the luck of the
 * search). {@link #take} hands each pair out exactly once and starts the next spare in a daemon
 * thread; a pair is never reused, never stored and never leaves the process that generated it, so a
 * pooled key is as fresh for its job as one generated on the spot.
 */
public final class HeKeyPool {
  private static final HeKeyPool SHARED = new HeKeyPool();

  private final ConcurrentHashMap<HeParameters, CompletableFuture<HeKeyPair>> spares =
      new ConcurrentHashMap<>();
  private final ExecutorService generators =
      Executors.newCachedThreadPool(
          task -> {
            Thread t = new Thread(task, "federa-keygen");
            t.setDaemon(true);
            return t;
          });

  HeKeyPool() {}

  /** The process's pool, shared by every job of a node. */
  public static HeKeyPool shared() {
    return SHARED;
  }

  /**
   * A key pair of the parameters no one else has been given: the spare if one was started (waiting
   * for it when it is still being generated), else one generated now; a new spare is started either
   * way.
   */
  public HeKeyPair take(HeParameters params) {
    CompletableFuture<HeKeyPair> spare = spares.remove(params);
    spares.putIfAbsent(
        params, CompletableFuture.supplyAsync(() -> HeKeyPair.generate(params), generators));
    if (spare != null) {
      try {
        return spare.join();
      } catch (CompletionException e) {
        // the spare's generation failed (it cannot, short of an error): generate here instead
      }
    }
    return HeKeyPair.generate(params);
  }

  /**
   * Starts a spare of {@code params} unless one is kept already: a node does so for the default key
   * when it starts, so that its first job as key holder does not wait on the prime search.
   */
  public void prepare(HeParameters params) {
    spares.computeIfAbsent(
        params, p -> CompletableFuture.supplyAsync(() -> HeKeyPair.generate(p), generators));
  }

  /** The spare being generated for the parameters, if any (tests wait on it). */
  CompletableFuture<HeKeyPair> spare(HeParameters params) {
    return spares.get(params);
  }
}
