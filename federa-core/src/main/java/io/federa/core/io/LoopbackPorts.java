package io.federa.core.io;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

/**
 * Free loopback ports for nodes that start later (demos, benchmarks, tests). A port the kernel
 * hands out for port 0 lies in its ephemeral range, which it also hands to outgoing connections:
 * between the pick and the node's bind, any connection may take it. These ports are drawn below
 * that range (which no connection takes), checked free by binding, and never handed out twice by
 * one process.
 */
public final class LoopbackPorts {
  private static final Set<Integer> GIVEN = new HashSet<>();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The lowest port drawn: above the well-known and most registered services' ports. */
  static final int LOWEST = 10_000;

  private LoopbackPorts() {}

  /** A loopback port that is free now and outside the kernel's ephemeral range. */
  public static synchronized int pick() {
    int below = ephemeralLow(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
    if (below - LOWEST >= 1_000) {
      for (int attempt = 0; attempt < 200; attempt++) {
        int port = LOWEST + RANDOM.nextInt(below - LOWEST);
        if (!GIVEN.contains(port) && free(port)) {
          GIVEN.add(port);
          return port;
        }
      }
    }
    // an ephemeral range reaching down to the low ports: the kernel's pick is all there is
    for (int attempt = 0; attempt < 200; attempt++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        if (GIVEN.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot find a free loopback port: " + e.getMessage(), e);
      }
    }
    throw new IllegalStateException("cannot find a free loopback port");
  }

  /** The first port of the kernel's ephemeral range (Linux's default 32768 when unknown). */
  static int ephemeralLow(Path rangeFile) {
    // read as a stream: a /proc file says its size is 0, and whole-file reads stop short
    try (var in = Files.newBufferedReader(rangeFile)) {
      String[] range = in.readLine().trim().split("\\s+");
      return Integer.parseInt(range[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  static boolean free(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
