package io.federa.ml.secureboost;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.crypto.he.NoiseReserve;

/**
 * Encryption noise computed in the background for the next tree's rows (one thread: the guest
 * mostly waits for the hosts meanwhile), stopped before the rows are encrypted.
 */
final class NoiseAhead implements AutoCloseable {
  private final NoiseReserve reserve;
  private final java.util.concurrent.ExecutorService thread =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          r -> {
            Thread th = new Thread(r, "federa-secureboost-noise");
            th.setDaemon(true);
            return th;
          });
  private volatile boolean stopping;
  private java.util.concurrent.Future<?> running;

  NoiseAhead(NoiseReserve reserve) {
    this.reserve = reserve;
  }

  NoiseReserve reserve() {
    return reserve;
  }

  void start(int count) {
    stopping = false;
    running = thread.submit(() -> reserve.fill(count, () -> stopping));
  }

  /** Stops filling and waits for the value being computed. */
  void stop() {
    stopping = true;
    if (running != null) {
      try {
        running.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException e) {
        throw new FederaException(ErrorCode.INTERNAL, "computing encryption noise failed", e);
      }
      running = null;
    }
  }

  @Override
  public void close() {
    stopping = true;
    thread.shutdownNow();
  }
}
