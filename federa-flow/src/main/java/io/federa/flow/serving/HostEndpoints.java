package io.federa.flow.serving;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.NodeConfig;
import io.federa.flow.node.ControlChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the guest asks a host for its part of a service: at the host's live serving instances in
 * turn (their list asked of the host's node, refreshed every heartbeat interval in the background),
 * or at the host's node when it has none. An instance whose call fails is passed over at once for
 * the next (the failover is logged) and not asked again for {@link GuestScoring#RETRY}; when every
 * instance failed, the node answers. The list outlives a stopped host node: its instances go on
 * answering.
 */
final class HostEndpoints {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(HostEndpoints.class);

  /** A host's instances of one service as last heard from its node. */
  private static final class View {
    volatile List<ClusterMessages.Instance> instances = List.of();
    volatile long fetched = Long.MIN_VALUE;
    volatile long intervalNanos = ServingCluster.INTERVAL.toNanos();
    final AtomicBoolean refreshing = new AtomicBoolean();
    final AtomicInteger next = new AtomicInteger();
  }

  private final ControlChannel channel;
  private final ExecutorService pool;
  private final Map<String, View> views = new ConcurrentHashMap<>();

  /** Instances whose last call failed, until when they are passed over. */
  private final Map<String, Long> down = new ConcurrentHashMap<>();

  HostEndpoints(ControlChannel channel, ExecutorService pool) {
    this.channel = channel;
    this.pool = pool;
  }

  /** A host's answer and the instance that gave it (null: its node). */
  record Answer(ServingMessages.Partials partials, String instance) {}

  /** Host {@code h}'s answer to {@code q}, before {@code deadline} (System.nanoTime). */
  Answer score(int h, ServingMessages.Score q, long deadline) {
    View view = views.computeIfAbsent(q.service() + "/" + h, k -> new View());
    refreshIfStale(view, h, q.service());
    List<ClusterMessages.Instance> instances = view.instances;
    int start = view.next.getAndIncrement();
    for (int k = 0; k < instances.size(); k++) {
      var in = instances.get(Math.floorMod(start + k, instances.size()));
      String key = h + "/" + in.name() + "@" + in.host() + ":" + in.port();
      Long until = down.get(key);
      long now = System.nanoTime();
      if (until != null && now < until) {
        continue;
      }
      if (now >= deadline) {
        break;
      }
      try {
        var answer =
            channel.askAt(
                h,
                new NodeConfig.Address(in.host(), in.port()),
                ServingMessages.SCORE,
                q,
                Duration.ofNanos(deadline - now));
        if (until != null) {
          down.remove(key);
          LOG.info(
              "service {}: party {}'s serving instance {} answers again",
              q.service(),
              h,
              in.name());
        }
        return new Answer(answer, in.name());
      } catch (FederaException e) {
        if (System.nanoTime() >= deadline) {
          throw e;
        }
        down.put(key, System.nanoTime() + GuestScoring.RETRY.toNanos());
        LOG.warn(
            "service {}: failover: party {}'s serving instance {} at {}:{} failed ({}); asking {}",
            q.service(),
            h,
            in.name(),
            in.host(),
            in.port(),
            e.getMessage(),
            instances.size() > 1 ? "the next instance" : "its node");
      }
    }
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new FederaException(ErrorCode.TIMEOUT, "the deadline passed before an answer");
    }
    return new Answer(channel.ask(h, ServingMessages.SCORE, q, Duration.ofNanos(left)), null);
  }

  /** Asks the host's node for the live instances, in the background, once per interval. */
  private void refreshIfStale(View view, int h, String service) {
    long now = System.nanoTime();
    boolean fresh = view.fetched != Long.MIN_VALUE && now - view.fetched < view.intervalNanos;
    if (fresh || !view.refreshing.compareAndSet(false, true)) {
      return;
    }
    pool.execute(
        () -> {
          try {
            var live =
                channel.ask(
                    h,
                    ClusterMessages.INSTANCES,
                    new ClusterMessages.Instances(service),
                    Duration.ofSeconds(2));
            if (!live.instances().equals(view.instances)) {
              LOG.info(
                  "service {}: party {} serves from {}",
                  service,
                  h,
                  live.instances().isEmpty() ? "its node" : live.instances());
            }
            view.instances = List.copyOf(live.instances());
            view.intervalNanos = Duration.ofMillis(live.intervalMs()).toNanos();
          } catch (FederaException e) {
            // the node is down or refuses: its instances (if any) may still answer
            LOG.debug("service {}: party {}'s instances unknown: {}", service, h, e.getMessage());
          } finally {
            view.fetched = System.nanoTime();
            view.refreshing.set(false);
          }
        });
  }
}
