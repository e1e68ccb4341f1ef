package io.federa.flow.node;

import io.federa.flow.job.JobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The initiator's watch over the parties of its running jobs: every party's node sends a heartbeat
 * per job it runs (with the step it is at) and every task report counts as one. A party silent for
 * {@code unreachableAfter} is shown unreachable — in the job's log and in {@code query}, with since
 * when and the last step it reached — and is shown back when it speaks again; silent for {@code
 * failAfter}, the job fails with a cause naming the party. A party that comes back after a restart
 * resumes the job as before ({@code flow.restarted}).
 */
final class Watchdog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

  /** How often parties beat, and when the initiator calls one unreachable, then gives up. */
  record Settings(Duration heartbeat, Duration unreachableAfter, Duration failAfter) {
    static final Settings DEFAULTS =
        new Settings(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofMinutes(10));
  }

  /** The last sign of a party in a job. */
  private record Seen(Instant at, String step) {}

  private final int self;
  private final Jobs jobs;
  private final JobLogs logs;
  private final Settings settings;
  private final BiConsumer<String, String> giveUp;
  private final Map<String, Map<Integer, Seen>> seen = new ConcurrentHashMap<>();
  private final Set<String> unreachable = ConcurrentHashMap.newKeySet();
  private final Thread checker;
  private volatile boolean closed;

  Watchdog(
      ControlChannel channel,
      Jobs jobs,
      JobLogs logs,
      Settings settings,
      BiConsumer<String, String> giveUp) {
    this.self = channel.self();
    this.jobs = jobs;
    this.logs = logs;
    this.settings = settings;
    this.giveUp = giveUp;
    channel.serve(
        Control.HEARTBEAT,
        (from, beat) -> {
          seen(beat.jobId(), from, beat.step());
          return new Control.Answer(true);
        });
    this.checker = new Thread(this::checkLoop, "federa-watchdog");
    checker.setDaemon(true);
    checker.start();
  }

  Settings settings() {
    return settings;
  }

  /** A job started (or started again) at {@code parties}: each counts as seen now. */
  void started(String jobId, Collection<Integer> parties) {
    Map<Integer, Seen> m = seen.computeIfAbsent(jobId, k -> new ConcurrentHashMap<>());
    Instant now = Instant.now();
    for (int p : parties) {
      if (p != self) {
        m.put(p, new Seen(now, "starting"));
      }
    }
  }

  /** A sign of {@code party} in a job: a heartbeat or a task report. */
  void seen(String jobId, int party, String step) {
    Map<Integer, Seen> m = seen.get(jobId);
    if (m == null || party == self) {
      return; // not a job this node watches
    }
    m.put(party, new Seen(Instant.now(), step));
    if (unreachable.remove(jobId + "/" + party)) {
      logs.append(jobId, "party " + party + " is reachable again (at " + step + ")");
    }
  }

  /** The parties of a running job this node initiated, as last seen; empty for any other job. */
  List<PartyView> view(String jobId) {
    Map<Integer, Seen> m = seen.get(jobId);
    List<PartyView> out = new ArrayList<>();
    if (m == null) {
      return out;
    }
    m.forEach(
        (party, s) ->
            out.add(
                new PartyView(
                    party,
                    s.at().toString(),
                    s.step(),
                    unreachable.contains(jobId + "/" + party) ? s.at().toString() : null)));
    out.sort(java.util.Comparator.comparingInt(PartyView::partyId));
    return out;
  }

  private void checkLoop() {
    while (!closed) {
      try {
        check(Instant.now());
        Thread.sleep(Math.max(100, settings.heartbeat().toMillis() / 2));
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("the watchdog's check failed: {}", e.toString());
      }
    }
  }

  /** Marks silent parties unreachable, and gives up on a job whose party stays silent. */
  void check(Instant now) {
    for (var job : seen.entrySet()) {
      String jobId = job.getKey();
      JobStore.Job stored = jobs.store().job(jobId).orElse(null);
      if (stored == null || stored.state().ended()) {
        seen.remove(jobId);
        job.getValue().keySet().forEach(p -> unreachable.remove(jobId + "/" + p));
        continue;
      }
      Set<Integer> done = partiesDone(jobId);
      for (var e : job.getValue().entrySet()) {
        int party = e.getKey();
        Seen s = e.getValue();
        if (done.contains(party)) {
          // its part is over: it sends no heartbeats, and its silence is no cause for alarm
          unreachable.remove(jobId + "/" + party);
          continue;
        }
        Duration silent = Duration.between(s.at(), now);
        if (silent.compareTo(settings.failAfter()) > 0) {
          seen.remove(jobId);
          giveUp.accept(
              jobId,
              silence(party, s)
                  + ", no sign for "
                  + silent.toSeconds()
                  + " s: bring its node back and run the job again ('federa rerun')");
          break;
        }
        if (silent.compareTo(settings.unreachableAfter()) > 0
            && unreachable.add(jobId + "/" + party)) {
          String line =
              silence(party, s)
                  + "; the job fails if it stays silent for "
                  + settings.failAfter().toSeconds()
                  + " s";
          logs.append(jobId, line);
          LOG.warn("job {}: {}", jobId, line);
        }
      }
    }
  }

  /** The parties whose every task of the job has ended, as the initiator knows it. */
  private Set<Integer> partiesDone(String jobId) {
    Map<Integer, Boolean> all = new java.util.HashMap<>();
    for (JobStore.Task t : jobs.store().tasks(jobId)) {
      all.merge(t.partyId(), t.state().ended(), Boolean::logicalAnd);
    }
    Set<Integer> done = new java.util.HashSet<>();
    all.forEach(
        (p, d) -> {
          if (d) {
            done.add(p);
          }
        });
    return done;
  }

  private static String silence(int party, Seen s) {
    return "party " + party + " unreachable since " + s.at() + " (last step: " + s.step() + ")";
  }

  @Override
  public void close() {
    closed = true;
    checker.interrupt();
  }
}
