package io.federa.flow.serving;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.Names;
import io.federa.flow.node.ControlService;
import io.federa.flow.node.ModelRegistry;
import java.util.List;
import java.util.Map;

/**
 * The control calls of a party's serving cluster (docs/serving.md): its serving instances register
 * with its node and send heartbeats (caller: the party itself), the node assigns them what to
 * serve, and a guest asks a host's node for the live instances of a service.
 */
final class ClusterMessages {
  private ClusterMessages() {}

  /** An instance of the party announces itself: its name and the address it serves at. */
  record Register(String name, String host, int port) {
    Register {
      Names.require("instance name", name);
      if (host == null || host.isBlank() || port <= 0 || port > 65_535) {
        throw new FederaException(
            ErrorCode.INVALID_INPUT, "an instance registers with a host and a port in 1..65535");
      }
    }
  }

  /** The node's answer: what to serve now, and how often to send a heartbeat. */
  record Registered(List<Assign> assignments, long intervalMs) {}

  /** A heartbeat: the instance is alive and serves these versions of each service. */
  record Heartbeat(String name, Map<String, List<String>> serving) {
    Heartbeat {
      Names.require("instance name", name);
      serving = serving == null ? Map.of() : Map.copyOf(serving);
    }
  }

  /** Whether the node knows the instance (no: it restarted; register again). */
  record Beat(boolean known) {}

  /**
   * What one service is at this party: its guest, feature store (table, and the index file under
   * the node's {@code serving} directory), and each version's registered parts (none: drop the
   * service); {@code probe}: ids whose answers the instance returns, for the node to compare.
   */
  record Assign(
      String service,
      int guest,
      String modelId,
      String namespace,
      String table,
      String indexFile,
      Map<String, List<ModelRegistry.Part>> versions,
      List<String> probe) {
    Assign {
      Names.require("service", service);
      versions = versions == null ? Map.of() : Map.copyOf(versions);
      probe = probe == null ? List.of() : List.copyOf(probe);
    }

    static Assign drop(String service) {
      return new Assign(service, 0, null, null, null, null, Map.of(), List.of());
    }
  }

  /** What the instance now serves of the service, and its answers to the probe per version. */
  record Assigned(List<String> versions, Map<String, ServingMessages.Partials> probe) {}

  /** A guest asks for the live instances serving a service. */
  record Instances(String service) {
    Instances {
      Names.require("service", service);
    }
  }

  /** One instance: name and address. */
  record Instance(String name, String host, int port) {}

  /** The live instances serving the service, and the heartbeat interval. */
  record Live(List<Instance> instances, long intervalMs) {}

  static final ControlService<Register, Registered> REGISTER =
      new ControlService<>("serving.register", Register.class, Registered.class);
  static final ControlService<Heartbeat, Beat> HEARTBEAT =
      new ControlService<>("serving.heartbeat", Heartbeat.class, Beat.class);
  static final ControlService<Assign, Assigned> ASSIGN =
      new ControlService<>("serving.assign", Assign.class, Assigned.class);
  static final ControlService<Instances, Live> INSTANCES =
      new ControlService<>("serving.instances", Instances.class, Live.class);
}
