package io.federa.flow.store;

import java.util.List;

/**
 * A stored table's metadata.
 *
 * @param file the file under the node's {@code tables/} directory
 * @param sha256 checksum of the file, checked whenever the table is read
 */
public record TableInfo(
    String namespace,
    String name,
    long rows,
    int features,
    String idColumn,
    String labelColumn,
    List<String> featureNames,
    String file,
    String sha256,
    long bytes,
    String createdAt) {}
