package io.federa.flow.serving;

import java.util.List;

/**
 * Where a host's serving looks its rows up by id: an index of one of its node's tables ({@link
 * FeatureIndex}, the default) or a database the host names in its {@code node.yaml} ({@link
 * JdbcFeatures}).
 */
interface FeatureSource extends AutoCloseable {
  /** The namespace serving reserves for a host's JDBC sources: {@code --table 10000=jdbc.NAME}. */
  String JDBC = "jdbc";

  /** Rows looked up: every feature's column over the ids found, and the ids' positions missing. */
  record Lookup(double[][] columns, int[] missing) {}

  String namespace();

  String table();

  /** The feature columns, in the order {@link Lookup#columns()} gives them. */
  List<String> features();

  /** How many rows the source holds. */
  int rows();

  /** The rows of {@code ids}, in order; ids the source lacks are listed as missing (zeros). */
  Lookup lookup(List<String> ids);

  /** Up to {@code n} ids of the source, in id order (a probe of what a copy answers). */
  List<String> sample(int n);

  /**
   * The index file a serving instance opens under the node's {@code serving} directory; null: the
   * instance opens the source itself, from its own configuration.
   */
  String fileName();

  @Override
  void close();
}
