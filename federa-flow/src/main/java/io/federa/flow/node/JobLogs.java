package io.federa.flow.node;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.Names;
import io.federa.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each job's log at this party: {@code <data>/logs/<job>.log}, one time-stamped line per event
 * (never raw rows or keys), appended as the job runs.
 */
final class JobLogs {
  /**
   * The mark of a line only this party's operator reads (a failure in its own words, which may
   * quote its data): kept in its log, never sent to another party.
   */
  static final String LOCAL = "[local] ";

  private static final Logger LOG = LoggerFactory.getLogger(JobLogs.class);
  private final Path dir;
  private final int self;

  JobLogs(Path dataDir, int self) {
    this.dir = dataDir.resolve("logs");
    this.self = self;
  }

  synchronized void append(String jobId, String line) {
    String entry = Instant.now() + " party " + self + " " + line + "\n";
    AtomicFiles.uninterruptibly(
        () -> {
          try (var ch =
              AtomicFiles.openPrivate(
                  file(jobId),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(entry.getBytes(StandardCharsets.UTF_8)));
          } catch (IOException e) {
            LOG.warn("cannot write the log of job {}: {}", jobId, e.toString());
          }
        });
  }

  /** The job's log here; for another party ({@code forPeer}) without the {@link #LOCAL} lines. */
  List<String> read(String jobId, boolean forPeer) {
    Path file = file(jobId);
    try {
      List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
      // a line is "<time> party <id> <text>"
      return forPeer ? lines.stream().filter(l -> !local(l)).toList() : lines;
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot read " + file, e);
    }
  }

  /** Whether a stored line ({@code <time> party <id> <text>}) is marked {@link #LOCAL}. */
  private static boolean local(String line) {
    String[] parts = line.split(" ", 4);
    return parts.length == 4 && parts[3].startsWith(LOCAL);
  }

  /** Removes the job's log here (the job is deleted). */
  synchronized void delete(String jobId) {
    Path file = file(jobId);
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot remove " + file, e);
    }
  }

  private Path file(String jobId) {
    return Names.resolve(dir, "job id", jobId, ".log");
  }
}
