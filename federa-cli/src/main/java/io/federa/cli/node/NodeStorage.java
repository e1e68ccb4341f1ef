package io.federa.cli.node;

import io.federa.federation.NodeConfig;
import io.federa.flow.store.MetadataStore;
import io.federa.flow.store.TableStore;
import java.nio.file.Path;

/** A node's table store, opened from its {@code node.yaml} (data directory, SQLite metadata). */
public final class NodeStorage implements AutoCloseable {
  private final MetadataStore meta;
  private final TableStore tables;

  private NodeStorage(MetadataStore meta, TableStore tables) {
    this.meta = meta;
    this.tables = tables;
  }

  static NodeStorage open(Path conf) {
    NodeConfig c = NodeConfig.load(conf);
    Path data = c.dataPath();
    MetadataStore meta =
        MetadataStore.open(
            c.metadataUrl() == null ? MetadataStore.sqliteUrl(data) : c.metadataUrl());
    return new NodeStorage(meta, new TableStore(data, meta));
  }

  TableStore tables() {
    return tables;
  }

  @Override
  public void close() {
    meta.close();
  }
}
