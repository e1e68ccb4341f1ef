package io.federa.cli.demo;

import io.federa.federation.GrpcFederation;
import io.federa.federation.NodeConfig;
import io.federa.federation.pki.FederationPki;
import io.federa.federation.pki.PartySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A throw-away federation on loopback: a fresh PKI in a temporary directory and, optionally, one
 * started node per party in this JVM (for benchmarks); closing stops the nodes and deletes the
 * directory.
 */
public final class LoopbackNodes implements AutoCloseable {
  private final Path dir;
  private final List<Path> confs;
  private final Map<Integer, GrpcFederation> nodes = new LinkedHashMap<>();

  private LoopbackNodes(Path dir, List<Path> confs) {
    this.dir = dir;
    this.confs = confs;
  }

  /** A federation of {@code parties} (id → organisation) with free loopback ports. */
  public static LoopbackNodes create(String prefix, Map<Integer, String> parties)
      throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    List<PartySpec> specs = new ArrayList<>();
    for (var e : parties.entrySet()) {
      specs.add(
          new PartySpec(
              e.getKey(), e.getValue(), "127.0.0.1", io.federa.core.io.LoopbackPorts.pick()));
    }
    return new LoopbackNodes(dir, new FederationPki().init(dir.resolve("federation"), specs));
  }

  /** Starts every party's node in this JVM. */
  public LoopbackNodes startAll() {
    for (Path conf : confs) {
      NodeConfig c = NodeConfig.load(conf);
      nodes.put(c.partyId(), GrpcFederation.start(c, Duration.ofMinutes(10)));
    }
    return this;
  }

  public GrpcFederation node(int party) {
    return nodes.get(party);
  }

  public Path dir() {
    return dir;
  }

  public List<Path> confs() {
    return confs;
  }

  @Override
  public void close() {
    nodes.values().forEach(GrpcFederation::close);
    deleteTree(dir);
  }

  public static void deleteTree(Path dir) {
    io.federa.core.io.AtomicFiles.deleteTree(dir);
  }
}
