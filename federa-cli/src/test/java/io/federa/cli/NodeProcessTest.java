package io.federa.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.federa.federation.GrpcFederation;
import io.federa.federation.MessageKey;
import io.federa.federation.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes as real processes ('federa node start'), killed with SIGKILL and restarted. */
class NodeProcessTest {
  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killAll() {
    processes.forEach(Process::destroyForcibly);
  }

  private static int freePort() {
    return io.federa.core.io.LoopbackPorts.pick();
  }

  private Process startNode(Path conf) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "--add-opens",
                "java.base/java.math=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                FederaCli.class.getName(),
                "node",
                "start",
                "--conf",
                conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("node-" + processes.size() + ".log").toFile())
            .start();
    processes.add(p);
    return p;
  }

  private static void awaitListening(NodeConfig c, GrpcFederation from)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < end) {
      try {
        from.ping(c.partyId(), Duration.ofSeconds(2));
        return;
      } catch (RuntimeException e) {
        Thread.sleep(200);
      }
    }
    throw new AssertionError("party " + c.partyId() + "'s node did not come up");
  }

  @Test
  void threeParties_oneNodeKilledMidTransferAndRestarted_nothingLostNothingTwice()
      throws Exception {
    int p1 = freePort();
    int p2 = freePort();
    int p3 = freePort();
    CliTest.Run init =
        CliTest.run(
            "init",
            "--dir",
            dir.resolve("fed").toString(),
            "--parties",
            "9999:guest-org@127.0.0.1:"
                + p1
                + ",10000:host-org@127.0.0.1:"
                + p2
                + ",10001:arbiter-org@127.0.0.1:"
                + p3,
            "--json");
    assertEquals(0, init.exit(), init.err());
    var parties = new ObjectMapper().readTree(init.out()).get("parties");
    Path guestConf = Path.of(parties.get(0).get("conf").asText());
    Path hostConf = Path.of(parties.get(1).get("conf").asText());
    Path arbiterConf = Path.of(parties.get(2).get("conf").asText());
    NodeConfig host = NodeConfig.load(hostConf);
    NodeConfig arbiter = NodeConfig.load(arbiterConf);

    try (GrpcFederation guest =
        GrpcFederation.start(NodeConfig.load(guestConf), Duration.ofSeconds(90))) {
      Process hostNode = startNode(hostConf);
      Process arbiterNode = startNode(arbiterConf);
      awaitListening(host, guest);
      awaitListening(arbiter, guest);

      byte[] payload = new byte[256 << 20]; // 256 MiB: a few seconds on loopback
      new Random(7).nextBytes(payload);
      MessageKey key = MessageKey.of("job-kill", "hetero_lr_0", "big");
      var sending = CompletableFuture.runAsync(() -> guest.send(10000, key, payload));
      // meanwhile the arbiter gets small messages, before and after the host's crash
      for (int i = 0; i < 5; i++) {
        guest.send(10001, key.withTag("small-" + i), new byte[] {(byte) i});
      }
      awaitPartialMessage(host, 16 << 20);
      assertTrue(!sending.isDone(), "the transfer should still be running when the node is killed");
      hostNode.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL mid-transfer
      for (int i = 5; i < 10; i++) {
        guest.send(10001, key.withTag("small-" + i), new byte[] {(byte) i});
      }
      Process restarted = startNode(hostConf);
      sending.get(90, TimeUnit.SECONDS); // retried until the restarted node acknowledged it

      // stop both gracefully and look at what their nodes stored
      for (Path conf : List.of(hostConf, arbiterConf)) {
        CliTest.Run stop = CliTest.run("node", "stop", "--conf", conf.toString());
        assertEquals(0, stop.exit(), stop.err());
      }
      restarted.waitFor(30, TimeUnit.SECONDS);
      arbiterNode.waitFor(30, TimeUnit.SECONDS);
      List<Path> hostInbox = storedMessages(host);
      assertEquals(1, hostInbox.size(), "delivered once: " + hostInbox);
      byte[] file = Files.readAllBytes(hostInbox.get(0));
      byte[] tail = java.util.Arrays.copyOfRange(file, file.length - payload.length, file.length);
      assertArrayEquals(
          MessageDigest.getInstance("SHA-256").digest(payload),
          MessageDigest.getInstance("SHA-256").digest(tail));
      List<Path> arbiterInbox = storedMessages(arbiter);
      assertEquals(10, arbiterInbox.size(), "all ten small messages, once each: " + arbiterInbox);
    }
  }

  /** Waits until {@code node} has received at least {@code bytes} of a message still arriving. */
  private static void awaitPartialMessage(NodeConfig node, long bytes) throws Exception {
    Path inbox = node.dataPath().resolve("federation/inbox");
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      if (Files.isDirectory(inbox)) {
        try (Stream<Path> files = Files.walk(inbox)) {
          for (Path p : files.filter(f -> f.toString().endsWith(".partial")).toList()) {
            try {
              if (Files.size(p) >= bytes) {
                return;
              }
            } catch (java.nio.file.NoSuchFileException gone) {
              // renamed or removed meanwhile
            }
          }
        } catch (java.io.UncheckedIOException racing) {
          // a file went away while the tree was walked: look again
        }
      }
      Thread.sleep(5);
    }
    throw new AssertionError("party " + node.partyId() + " never got " + bytes + " bytes");
  }

  private static List<Path> storedMessages(NodeConfig node) throws IOException {
    try (Stream<Path> files = Files.walk(node.dataPath().resolve("federation/inbox"))) {
      return files.filter(p -> p.toString().endsWith(".msg")).toList();
    }
  }
}
