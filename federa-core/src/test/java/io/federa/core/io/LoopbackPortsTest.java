package io.federa.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopbackPortsTest {
  @Test
  void portsAreDistinct_outsideTheEphemeralRange_andFree() throws Exception {
    int low = LoopbackPorts.ephemeralLow(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      int port = LoopbackPorts.pick();
      assertTrue(seen.add(port), "handed out twice: " + port);
      assertTrue(port >= LoopbackPorts.LOWEST && port < low, port + " is not below " + low);
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      }
    }
  }

  @Test
  void aPortInUseIsNotFree() throws Exception {
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertFalse(LoopbackPorts.free(held.getLocalPort()));
    }
    int port = LoopbackPorts.pick();
    assertTrue(LoopbackPorts.free(port));
  }

  @Test
  void theEphemeralRangeIsReadOrDefaulted(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("range");
    Files.writeString(file, "40000\t60999\n");
    assertEquals(40_000, LoopbackPorts.ephemeralLow(file));
    Files.writeString(file, "garbage");
    assertEquals(32_768, LoopbackPorts.ephemeralLow(file));
    assertEquals(32_768, LoopbackPorts.ephemeralLow(dir.resolve("missing")));
  }
}
