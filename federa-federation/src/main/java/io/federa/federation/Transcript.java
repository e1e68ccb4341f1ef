package io.federa.federation;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node's record of every message it received: from whom, under which key, of what declared kind,
 * how many bytes. On disk one JSON line per message in {@code <dir>/<job>.jsonl} (appended and
 * forced to disk), or in memory for the in-process federation.
 */
public final class Transcript {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;
  private final Map<String, List<Entry>> memory = new ConcurrentHashMap<>();

  /** One received message. */
  public record Entry(
      @JsonProperty("from") int from,
      @JsonProperty("component") String component,
      @JsonProperty("tag") String tag,
      @JsonProperty("kind") PayloadKind kind,
      @JsonProperty("bytes") long bytes) {}

  private Transcript(Path dir) {
    this.dir = dir;
  }

  static Transcript onDisk(Path dir) {
    return new Transcript(dir);
  }

  static Transcript inMemory() {
    return new Transcript(null);
  }

  synchronized void record(int from, MessageKey key, PayloadKind kind, long bytes) {
    Entry e = new Entry(from, key.component(), key.tag(), kind, bytes);
    if (dir == null) {
      memory.computeIfAbsent(key.jobId(), k -> new ArrayList<>()).add(e);
      return;
    }
    Path file = dir.resolve(MessageFiles.safeName(key.jobId()) + ".jsonl");
    try {
      byte[] line = (JSON.writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8);
      try (FileChannel ch =
          io.federa.core.io.AtomicFiles.openPrivate(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND)) {
        ch.write(ByteBuffer.wrap(line));
        ch.force(false);
      }
    } catch (IOException ex) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot record a message in " + file, ex);
    }
  }

  /** Removes a job's transcript (the job is deleted). */
  synchronized void delete(String jobId) {
    if (dir == null) {
      memory.remove(jobId);
      return;
    }
    Path file = dir.resolve(MessageFiles.safeName(jobId) + ".jsonl");
    try {
      Files.deleteIfExists(file);
    } catch (IOException ex) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot remove the transcript " + file, ex);
    }
  }

  synchronized List<Entry> entries(String jobId) {
    if (dir == null) {
      return List.copyOf(memory.getOrDefault(jobId, List.of()));
    }
    Path file = dir.resolve(MessageFiles.safeName(jobId) + ".jsonl");
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      List<Entry> out = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          out.add(JSON.readValue(line, Entry.class));
        }
      }
      return out;
    } catch (IOException ex) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot read the transcript " + file, ex);
    }
  }
}
