package io.federa.flow.api;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the HTTP API accepts as an upload (node.yaml's {@code uploads}): a CSV streamed in the
 * request, of at most {@code maxBytes}; or a file of the node's machine named by path, only when it
 * is a regular file inside one of {@code dirs} (none by default), so that a token holder cannot
 * make the node read its own keys or any other file.
 */
public record UploadPolicy(List<Path> dirs, long maxBytes) {
  /** Streamed uploads of up to 4 GiB; no file by path. */
  public static final UploadPolicy STREAMED_ONLY = new UploadPolicy(List.of(), 4096L << 20);

  public static UploadPolicy of(NodeConfig config) {
    return new UploadPolicy(config.uploadDirs(), config.maxUploadBytes());
  }

  /** {@code file}, if the policy lets the API read it; else the refusal, with the fix. */
  Path allowed(String file) {
    Path real;
    try {
      real = Path.of(file).toRealPath();
    } catch (IOException | java.nio.file.InvalidPathException e) {
      real = null;
    }
    List<Path> roots = new ArrayList<>();
    for (Path d : dirs) {
      try {
        roots.add(d.toRealPath());
      } catch (IOException e) {
        // a configured directory that does not exist allows nothing
      }
    }
    Path inside = real;
    boolean ok =
        inside != null
            && Files.isRegularFile(inside)
            && roots.stream().anyMatch(inside::startsWith);
    if (!ok) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              "this node reads files by path only from its uploads.dirs "
                  + dirs
                  + " (regular files inside them); send the file's content instead ('federa"
                  + " upload' does), or add its directory to uploads.dirs in node.yaml")
          .shareable();
    }
    try {
      if (Files.size(inside) > maxBytes) {
        throw tooLarge();
      }
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot read the size of " + file, e);
    }
    return inside;
  }

  FederaException tooLarge() {
    return new FederaException(
        ErrorCode.INVALID_INPUT,
        "the upload is over "
            + (maxBytes >> 20)
            + " MiB, this node's limit; raise uploads.max_mb in node.yaml if it is meant");
  }
}
