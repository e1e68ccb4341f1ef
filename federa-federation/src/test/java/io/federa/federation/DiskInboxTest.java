package io.federa.federation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node killed while it wrote a job's finished mark leaves the write's temporary file in the
 * inbox; the restarted node must start (the fault-injection suite found one that could not, the
 * temporary file's name read as a sequence number), delete it, and keep the marks it has.
 */
class DiskInboxTest {
  @TempDir Path root;

  @Test
  void aWriteTheKillInterrupted_isClearedOnStart() throws Exception {
    Path job = root.resolve("9999").resolve(MessageFiles.safeName("20261202000000000001"));
    Files.createDirectories(job);
    Files.writeString(job.resolve("finished"), "7", StandardCharsets.US_ASCII);
    Path stray = job.resolve(".finished4411231.tmp");
    Files.writeString(stray, "", StandardCharsets.US_ASCII);

    DiskInbox inbox = new DiskInbox(root);

    assertFalse(Files.exists(stray), "the interrupted write's temporary file is deleted");
    assertTrue(inbox.seen(9999, "20261202000000000001", 7), "the finished mark still holds");
    assertFalse(inbox.seen(9999, "20261202000000000001", 8));
  }
}
