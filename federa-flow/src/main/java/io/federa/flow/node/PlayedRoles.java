package io.federa.flow.node;

import io.federa.federation.Federation;
import io.federa.flow.component.Component;
import io.federa.flow.component.ComponentContext;
import io.federa.flow.component.Outputs;
import io.federa.flow.dsl.ValidatedJob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The roles this party plays in a job: one, or two when the conf lists it twice (FATE's
 * single-machine files: host and arbiter, or guest and a second host). Its first role runs under
 * its own id, each further one under a virtual id ({@link ValidatedJob#idIn}) with its own view of
 * the federation ({@link RoleFederation}); a further role's outputs are stored as {@code
 * component-role}.
 */
final class PlayedRoles {
  private final ValidatedJob job;
  private final int self;
  private final List<String> roles;
  private final RoleFederation.Local local = new RoleFederation.Local();

  PlayedRoles(ValidatedJob job, int self) {
    this.job = job;
    this.self = self;
    this.roles = job.rolesOf(self);
  }

  String primary() {
    return roles.get(0);
  }

  /** The party's further roles (none for most jobs). */
  List<String> others() {
    return roles.subList(1, roles.size());
  }

  List<String> all() {
    return roles;
  }

  /** The job as the components see it ({@link ValidatedJob#asPlayed}). */
  ValidatedJob played() {
    return job.asPlayed();
  }

  /** The id this party plays {@code role} under. */
  int id(String role) {
    return job.idIn(role, self);
  }

  /** This party's index among the players of {@code role}. */
  int index(String role) {
    return job.roles().get(role).indexOf(self);
  }

  /** The federation as {@code role} sees it. */
  Federation federation(Federation network, String role) {
    return job.sharesParties() ? new RoleFederation(network, id(role), local) : network;
  }

  /** Where {@code role}'s outputs of {@code component} are stored. */
  String stored(String component, String role) {
    return role.equals(primary()) ? component : component + "-" + role;
  }

  /**
   * Runs a component in each role this party plays: a further role on its own thread at the same
   * time (the roles talk to each other), listed in {@code running} while it runs so that a cancel
   * reaches it; the first failure stops the others. Returns each role's outputs.
   */
  Map<String, Outputs> run(
      Component component, Function<String, ComponentContext> context, Set<Thread> running) {
    Map<String, Outputs> out = new LinkedHashMap<>();
    if (others().isEmpty()) {
      out.put(primary(), component.run(context.apply(primary())));
      return out;
    }
    Thread main = Thread.currentThread();
    Map<String, CompletableFuture<Outputs>> others = new LinkedHashMap<>();
    List<Thread> threads = new ArrayList<>();
    for (String r : others()) {
      var result = new CompletableFuture<Outputs>();
      others.put(r, result);
      Thread t =
          new Thread(
              () -> {
                try {
                  result.complete(component.run(context.apply(r)));
                } catch (Throwable e) {
                  result.completeExceptionally(e);
                  main.interrupt(); // the first role may be waiting for this one's messages
                }
              },
              "federa-component-as-" + r);
      t.setDaemon(true);
      threads.add(t);
      running.add(t);
      t.start();
    }
    try {
      out.put(primary(), component.run(context.apply(primary())));
      for (var e : others.entrySet()) {
        out.put(e.getKey(), e.getValue().join());
      }
      return out;
    } catch (RuntimeException e) {
      threads.forEach(Thread::interrupt);
      for (var f : others.values()) { // a further role that failed first is the cause
        Throwable x = f.handle((v, t) -> t).getNow(null);
        if (x != null) {
          Thread.interrupted(); // its interrupt told this thread to stop waiting, nothing more
          throw x instanceof RuntimeException re ? re : new IllegalStateException(x);
        }
      }
      throw e;
    } finally {
      running.removeAll(threads);
    }
  }
}
