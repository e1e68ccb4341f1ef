package io.federa.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * 1 GiB between two nodes in a JVM limited to 256 MiB of heap (128 MiB per node): messages stream
 * from the sender's payload (or a one-pass stream, through the outbox draft) to the receiver's
 * inbox file in 1 MiB chunks, never whole in memory.
 */
class LargeTransferTest {
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"payload", "stream"})
  void oneGibibyte_passesThroughTwoNodesWithin128MibOfHeapEach(String mode) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "--add-opens",
                "java.base/java.math=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                LargeTransferMain.class.getName(),
                Long.toString(1L << 30),
                mode)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(10, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), out);
    String json =
        out.lines()
            .filter(l -> l.startsWith("{"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(out));
    System.out.println(json);
    JsonNode r = new ObjectMapper().readTree(json);
    assertEquals(1L << 30, r.get("received_size").asLong());
    assertEquals(r.get("sent_sha256").asText(), r.get("received_sha256").asText());
    assertTrue(r.get("peak_extra_heap_mb").asDouble() < 256, json);
  }
}
