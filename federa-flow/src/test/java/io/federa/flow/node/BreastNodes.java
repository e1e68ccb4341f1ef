package io.federa.flow.node;

import io.federa.core.csv.CsvOptions;
import io.federa.federation.InProcessFederation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Flow nodes for {@code parties} in one JVM over the in-process federation, each with its data
 * under {@code dir}, the breast guest table uploaded at the first and the host table at the second
 * (as experiment.breast_hetero_guest / _host, the example jobs' tables).
 */
final class BreastNodes {
  static final Path DATA = Path.of(System.getProperty("federa.data.dir"));

  private BreastNodes() {}

  static List<FlowNode> start(Path dir, List<Integer> parties) {
    var net = InProcessFederation.network();
    List<FlowNode> nodes = new ArrayList<>();
    for (int party : parties) {
      nodes.add(new FlowNode(net.party(party), dir.resolve("p" + party), null, 2));
    }
    upload(nodes.get(0), true);
    upload(nodes.get(1), false);
    return nodes;
  }

  /** Uploads the breast guest table (labelled) or the host table into {@code node}. */
  static void upload(FlowNode node, boolean guest) {
    upload(node, "breast", guest);
  }

  /**
   * Uploads data set {@code set}'s hetero guest table (labelled) or host table into {@code node}.
   */
  static void upload(FlowNode node, String set, boolean guest) {
    String name = set + (guest ? "_hetero_guest" : "_hetero_host");
    node.tables()
        .upload(
            DATA.resolve(name + ".csv"),
            "experiment",
            name,
            guest ? CsvOptions.labeled().withLabelColumn("y") : CsvOptions.unlabeled(),
            false);
  }
}
