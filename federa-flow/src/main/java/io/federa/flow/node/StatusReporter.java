package io.federa.flow.node;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.Names;
import io.federa.core.io.AtomicFiles;
import io.federa.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a party's task reports to each job's initiator, apart from the components' threads: a
 * report is queued (the latest state of a task replaces an undelivered earlier one, its metrics
 * kept) and sent by one sender thread, again and again until the initiator takes it. So a stopped
 * component (its thread interrupted) and an initiator that is down for a while still end with the
 * initiator knowing each task's last state. An undelivered report is also kept on disk ({@code
 * <data>/reports/<job>/<component>.json}, written atomically, removed once delivered), so a node
 * killed before its initiator took a report sends it after its restart: a task that ended just
 * before the kill is not left waiting forever in the initiator's view. The same thread sends a
 * heartbeat per running job every period ({@link Watchdog}).
 */
final class StatusReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);
  private static final long FIRST_RETRY_MS = 250;
  private static final long LAST_RETRY_MS = 10_000;

  /** A task's latest undelivered report and where it goes. */
  record Pending(int initiator, Control.TaskStatus status) {}

  /** A heartbeat for a job's initiator. */
  record Beat(int initiator, Control.Heartbeat heartbeat) {}

  private final ControlChannel channel;
  private final Path dir;
  private final java.util.function.Supplier<List<Beat>> beats;
  private final long beatMillis;
  private long lastBeat;
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private final Thread sender;
  private boolean closed;

  StatusReporter(
      ControlChannel channel,
      Path dir,
      java.util.function.Supplier<List<Beat>> beats,
      java.time.Duration period) {
    this.channel = channel;
    this.dir = dir;
    load();
    this.beats = beats;
    this.beatMillis = Math.max(50, period.toMillis());
    this.sender = new Thread(this::sendLoop, "federa-status-reporter");
    sender.setDaemon(true);
    sender.start();
  }

  /** Queues {@code status} for {@code initiator}; returns at once. */
  synchronized void report(int initiator, Control.TaskStatus status) {
    String key = status.jobId() + "/" + status.component();
    Pending earlier = pending.get(key);
    if (earlier != null
        && earlier.status().attempt() == status.attempt()
        && !earlier.status().metrics().isEmpty()) {
      List<Control.MetricValue> metrics = new ArrayList<>(earlier.status().metrics());
      metrics.addAll(status.metrics());
      status =
          new Control.TaskStatus(
              status.jobId(),
              status.component(),
              status.role(),
              status.state(),
              status.attempt(),
              status.progress(),
              status.error(),
              metrics);
    }
    Pending p = new Pending(initiator, status);
    pending.put(key, p);
    notifyAll();
    Path file = file(status.jobId(), status.component());
    try {
      AtomicFiles.uninterruptibly(() -> AtomicFiles.writeBytes(file, true, Json.bytes(p)));
    } catch (FederaException e) {
      // still delivered from memory; only a restart before delivery would lose it
      LOG.warn("cannot keep the report of {} on disk: {}", key, e.getMessage());
    }
  }

  /** Forgets a job's undelivered reports (the job is being deleted). */
  synchronized void forget(String jobId) {
    pending.keySet().removeIf(k -> k.startsWith(jobId + "/"));
    Path job = Names.resolve(dir, "job id", jobId, "");
    if (Files.isDirectory(job)) {
      try (var files = Files.list(job)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
        Files.deleteIfExists(job);
      } catch (IOException e) {
        throw new FederaException(
            ErrorCode.IO_FAILURE, "cannot remove job " + jobId + "'s reports in " + dir, e);
      }
    }
  }

  private Path file(String jobId, String component) {
    return Names.resolve(Names.resolve(dir, "job id", jobId, ""), "component", component, ".json");
  }

  /** The reports an earlier run of this node left undelivered: they are sent again. */
  private void load() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var jobs = Files.list(dir)) {
      for (Path job : jobs.toList()) {
        try (var files = Files.list(job)) {
          for (Path f : files.toList()) {
            if (!f.getFileName().toString().endsWith(".json")) {
              Files.deleteIfExists(f); // a temporary file of a write the kill interrupted
              continue;
            }
            Pending p = Json.read(Files.readAllBytes(f), Pending.class, "report " + f);
            pending.put(p.status().jobId() + "/" + p.status().component(), p);
          }
        }
      }
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE, "cannot read the undelivered task reports in " + dir, e);
    }
    if (!pending.isEmpty()) {
      LOG.info("{} task reports of an earlier run to deliver", pending.size());
    }
  }

  /** Removes a delivered (or refused) report, unless a newer one replaced it meanwhile. */
  private synchronized void delivered(String key, Pending p) {
    if (pending.remove(key, p)) {
      try {
        Files.deleteIfExists(file(p.status().jobId(), p.status().component()));
      } catch (IOException e) {
        LOG.warn("cannot remove a delivered report: {}", e.toString());
      }
    }
  }

  /** Whether every report has been delivered (for tests and a clean shutdown). */
  synchronized boolean idle() {
    return pending.isEmpty();
  }

  private void sendLoop() {
    long backoff = FIRST_RETRY_MS;
    while (true) {
      List<Map.Entry<String, Pending>> batch;
      synchronized (this) {
        while (pending.isEmpty() && !closed && !beatDue()) {
          waitQuietly(Math.max(1, lastBeat + beatMillis - System.currentTimeMillis()));
        }
        if (closed) {
          return;
        }
        batch = new ArrayList<>(pending.entrySet());
      }
      if (beatDue()) {
        lastBeat = System.currentTimeMillis();
        beat();
      }
      boolean failed = false;
      for (var e : batch) {
        Pending p = e.getValue();
        try {
          channel.ask(p.initiator(), Control.STATUS, p.status());
          delivered(e.getKey(), p);
        } catch (io.federa.core.FederaException ex) {
          if (ex.code().kind() == io.federa.core.ErrorCode.Kind.USER) {
            // the initiator refuses it (a job it no longer has): sending again cannot help
            LOG.warn(
                "job {}: the initiator {} refused the report of {}: {}",
                p.status().jobId(),
                p.initiator(),
                p.status().component(),
                ex.getMessage());
            delivered(e.getKey(), p);
            continue;
          }
          failed = true;
          LOG.warn(
              "job {}: cannot report {} of {} to the initiator {} yet ({}); trying again",
              p.status().jobId(),
              p.status().state(),
              p.status().component(),
              p.initiator(),
              ex.getMessage());
        } catch (RuntimeException ex) {
          failed = true;
          LOG.warn(
              "job {}: reporting to the initiator failed: {}", p.status().jobId(), ex.toString());
        }
      }
      if (failed) {
        synchronized (this) {
          waitQuietly(backoff); // woken early by a new report
        }
        backoff = Math.min(LAST_RETRY_MS, backoff * 2);
      } else {
        backoff = FIRST_RETRY_MS;
      }
    }
  }

  private boolean beatDue() {
    return System.currentTimeMillis() - lastBeat >= beatMillis;
  }

  /** One heartbeat per running job; one that does not arrive is simply the next one's gap. */
  private void beat() {
    for (Beat b : beats.get()) {
      try {
        channel.ask(b.initiator(), Control.HEARTBEAT, b.heartbeat());
      } catch (RuntimeException e) {
        LOG.debug("job {}: heartbeat not delivered: {}", b.heartbeat().jobId(), e.toString());
      }
    }
  }

  private void waitQuietly(long millis) {
    try {
      wait(millis);
    } catch (InterruptedException e) {
      closed = true;
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
  }
}
