package io.federa.flow.node;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.io.AtomicFiles;
import io.federa.ml.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A component's checkpoints at this party: {@code
 * <data>/checkpoints/<job>/<component>/<epoch>.ckpt}, each written atomically (temp file, fsync,
 * rename); the last three are kept. They hold only this party's own state and never leave its node.
 */
final class FileCheckpoints implements Checkpoints {
  private static final int KEEP = 3;
  private final Path dir;
  private final int every;
  private final java.util.function.Consumer<String> log;

  FileCheckpoints(Path dir, int every, java.util.function.Consumer<String> log) {
    this.dir = dir;
    this.every = every;
    this.log = log;
  }

  @Override
  public int every() {
    return every;
  }

  @Override
  public synchronized List<Integer> saved() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Integer> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.matches("\\d+\\.ckpt")) {
          out.add(Integer.parseInt(name.substring(0, name.length() - 5)));
        }
      }
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot list the checkpoints in " + dir, e);
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  @Override
  public synchronized byte[] load(int epoch) {
    Path f = dir.resolve(epoch + ".ckpt");
    try {
      byte[] state = Files.readAllBytes(f);
      log.accept("resumed from the checkpoint after epoch " + (epoch + 1));
      return state;
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot read the checkpoint " + f, e);
    }
  }

  @Override
  public synchronized void save(int epoch, byte[] state) {
    try {
      io.federa.core.io.AtomicFiles.createDirectories(dir);
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot create " + dir, e);
    }
    AtomicFiles.writeBytes(dir.resolve(epoch + ".ckpt"), true, state);
    List<Integer> all = saved();
    for (int i = 0; i < all.size() - KEEP; i++) {
      try {
        Files.deleteIfExists(dir.resolve(all.get(i) + ".ckpt"));
      } catch (IOException ignored) {
        // an old checkpoint left behind is harmless
      }
    }
  }

  /** Removes every checkpoint of the component (before it runs afresh). */
  static void clear(Path dir) {
    AtomicFiles.deleteTree(dir);
  }
}
