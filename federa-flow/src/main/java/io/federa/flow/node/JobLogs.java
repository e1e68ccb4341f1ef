package io.federa.flow.node;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
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
  private static final Logger LOG = LoggerFactory.getLogger(JobLogs.class);
  private final Path dir;
  private final int self;

  JobLogs(Path dataDir, int self) {
    this.dir = dataDir.resolve("logs");
    this.self = self;
  }

  synchronized void append(String jobId, String line) {
    String entry = Instant.now() + " party " + self + " " + line + "\n";
    try {
      Files.createDirectories(dir);
      Files.writeString(
          file(jobId),
          entry,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      LOG.warn("cannot write the log of job {}: {}", jobId, e.toString());
    }
  }

  List<String> read(String jobId) {
    Path file = file(jobId);
    try {
      return Files.exists(file) ? Files.readAllLines(file) : List.of();
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot read " + file, e);
    }
  }

  private Path file(String jobId) {
    return dir.resolve(jobId + ".log");
  }
}
