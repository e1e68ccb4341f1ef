package io.federa.federation;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** A received message's bytes: in memory, or in a file of the node's inbox (large messages). */
public interface Payload {
  long size();

  /** The bytes as a stream (read large payloads this way). */
  InputStream open();

  /** All the bytes in memory; refused above 2 GiB. */
  default byte[] bytes() {
    if (size() > Integer.MAX_VALUE - 16) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "a message of " + size() + " bytes does not fit in memory; read it with open()");
    }
    try (InputStream in = open()) {
      return in.readNBytes((int) size());
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot read a received message", e);
    }
  }

  /**
   * {@code size} bytes that {@code source} produces, from the start, each time it is called: e.g. a
   * ciphertext vector serialised on the fly, sent without ever being whole in memory.
   */
  static Payload of(long size, java.util.function.Supplier<InputStream> source) {
    return new Payload() {
      @Override
      public long size() {
        return size;
      }

      @Override
      public InputStream open() {
        return source.get();
      }
    };
  }

  /** Bytes held in memory. */
  record InMemory(byte[] data) implements Payload {
    @Override
    public long size() {
      return data.length;
    }

    @Override
    public InputStream open() {
      return new ByteArrayInputStream(data);
    }

    @Override
    public byte[] bytes() {
      return data;
    }
  }

  /** {@code size} bytes of {@code file} from {@code offset}. */
  record InFile(Path file, long offset, long size) implements Payload {
    @Override
    public InputStream open() {
      try {
        FileChannel channel = FileChannel.open(file);
        channel.position(offset);
        InputStream in = Channels.newInputStream(channel);
        return new java.io.BufferedInputStream(
            new java.io.FilterInputStream(in) {
              private long left = size;

              @Override
              public int read() throws IOException {
                if (left <= 0) {
                  return -1;
                }
                int b = super.read();
                if (b >= 0) {
                  left--;
                }
                return b;
              }

              @Override
              public int read(byte[] buf, int off, int len) throws IOException {
                if (left <= 0) {
                  return -1;
                }
                int n = super.read(buf, off, (int) Math.min(len, left));
                if (n > 0) {
                  left -= n;
                }
                return n;
              }
            },
            1 << 16);
      } catch (IOException e) {
        throw new FederaException(ErrorCode.IO_FAILURE, "cannot open " + file, e);
      }
    }
  }
}
