package io.federa.ml;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The threads that play the parties in in-process protocol tests. One pool for the whole test JVM,
 * never shut down (its threads are daemons): test classes borrow each other's helpers, so a class
 * that shut "its" pool down after its own tests would break the next class that runs a protocol.
 */
public final class PartyThreads {
  public static final ExecutorService POOL =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "party");
            t.setDaemon(true);
            return t;
          });

  private PartyThreads() {}
}
