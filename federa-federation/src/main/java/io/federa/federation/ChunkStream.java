package io.federa.federation;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.internal.proto.Ack;
import io.federa.federation.internal.proto.Chunk;
import io.federa.federation.internal.proto.FederationServiceGrpc;
import io.federa.federation.internal.proto.Header;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One try at streaming a message to a peer: 1 MiB chunks, each in a fresh array handed to gRPC
 * without a copy, sent only while the transport is ready (flow control), the first with the
 * message's header and the last with its CRC-32C.
 */
final class ChunkStream {
  private ChunkStream() {}

  /** Where an attempt reads a message's bytes. */
  interface Source {
    /** Fills {@code buffer} (cleared) with the next bytes; false at the end. */
    boolean fill(ByteBuffer buffer) throws IOException;
  }

  /** A producer's stream, copied to the outbox draft (if any) as it is read. */
  static final class StreamSource implements Source {
    private final InputStream in;
    private final Outbox.Draft draft;
    private boolean ended;

    StreamSource(InputStream in, Outbox.Draft draft) {
      this.in = in;
      this.draft = draft;
    }

    @Override
    public boolean fill(ByteBuffer buffer) throws IOException {
      while (buffer.hasRemaining() && !ended) {
        int n =
            in.read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        if (n < 0) {
          ended = true;
        } else {
          buffer.position(buffer.position() + n);
        }
      }
      buffer.flip();
      if (draft != null) {
        draft.write(buffer.duplicate());
      }
      return buffer.hasRemaining();
    }

    /** Copies what the attempt did not read into the draft. */
    void drain() {
      var buffer = ByteBuffer.allocate(GrpcFederation.CHUNK_BYTES);
      try {
        do {
          buffer.clear();
        } while (fill(buffer));
      } catch (IOException e) {
        throw new FederaException(
            ErrorCode.IO_FAILURE, "cannot store the message in the outbox: " + e.getMessage(), e);
      }
    }
  }

  /**
   * One try at streaming a message stored in the outbox; its failure, or null once acknowledged.
   */
  static StatusRuntimeException send(ManagedChannel channel, Outbox.Pending message) {
    Payload.InFile payload = message.payload();
    try (var file = java.nio.channels.FileChannel.open(payload.file())) {
      file.position(payload.offset());
      long[] left = {payload.size()};
      Source source =
          buffer -> {
            buffer.limit((int) Math.min(buffer.capacity(), left[0]));
            while (buffer.hasRemaining() && file.read(buffer) > 0) {
              // fill the chunk
            }
            buffer.flip();
            left[0] -= buffer.remaining();
            return buffer.hasRemaining();
          };
      return send(
          channel,
          message.to(),
          message.key(),
          message.sequence(),
          message.kind(),
          payload.size(),
          source);
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE, "cannot read " + payload.file() + " from the outbox", e);
    }
  }

  /**
   * Streams a message from {@code source}; {@code size} is -1 when the message is still being
   * produced. Returns the failure, or null once acknowledged.
   */
  static StatusRuntimeException send(
      ManagedChannel channel,
      int toParty,
      MessageKey key,
      long sequence,
      PayloadKind kind,
      long size,
      Source source) {
    var stub =
        FederationServiceGrpc.newStub(channel)
            .withDeadlineAfter(30, TimeUnit.MINUTES)
            .withOnReadyThreshold(4 * GrpcFederation.CHUNK_BYTES);
    var done = new CountDownLatch(1);
    var error = new AtomicReference<Throwable>();
    var ready = new Object();
    var requestStream = new AtomicReference<ClientCallStreamObserver<Chunk>>();
    ClientResponseObserver<Chunk, Ack> observer =
        new ClientResponseObserver<>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<Chunk> stream) {
            requestStream.set(stream);
            stream.setOnReadyHandler(() -> wake(ready));
          }

          @Override
          public void onNext(Ack ack) {}

          @Override
          public void onError(Throwable t) {
            error.set(t);
            done.countDown();
            wake(ready);
          }

          @Override
          public void onCompleted() {
            done.countDown();
            wake(ready);
          }
        };
    stub.send(observer);
    ClientCallStreamObserver<Chunk> stream = requestStream.get();
    var digest = new java.util.zip.CRC32C();
    try {
      ByteBuffer buffer = ByteBuffer.allocate(GrpcFederation.CHUNK_BYTES);
      boolean some = source.fill(buffer);
      boolean first = true;
      while (true) {
        // read ahead one chunk, so the last one is marked as such
        ByteBuffer next = ByteBuffer.allocate(GrpcFederation.CHUNK_BYTES);
        boolean more = some && source.fill(next);
        digest.update(buffer.duplicate());
        var chunk =
            Chunk.newBuilder()
                .setData(
                    com.google.protobuf.UnsafeByteOperations.unsafeWrap(
                        buffer.array(), 0, buffer.limit()));
        if (first) {
          chunk.setHeader(
              Header.newBuilder()
                  .setJobId(key.jobId())
                  .setKey(key.wireKey())
                  .setSequence(sequence)
                  .setTotalBytes(size)
                  .setReceiver(toParty)
                  .setKind(kind.name()));
          first = false;
        }
        if (!more) {
          chunk.setLast(true).setCrc32C((int) digest.getValue());
        }
        synchronized (ready) {
          while (!stream.isReady() && error.get() == null && done.getCount() > 0) {
            ready.wait(100);
          }
        }
        if (error.get() != null || done.getCount() == 0) {
          break; // failed, or acknowledged early as a duplicate
        }
        stream.onNext(chunk.build());
        if (!more) {
          break;
        }
        buffer = next;
      }
    } catch (IOException e) {
      stream.cancel("cannot read the message", e);
      throw new FederaException(
          ErrorCode.IO_FAILURE, "cannot read the message '" + key + "': " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stream.cancel("interrupted", e);
      throw new FederaException(ErrorCode.TIMEOUT, "interrupted while sending '" + key + "'", e);
    }
    if (error.get() == null && done.getCount() > 0) {
      stream.onCompleted();
    }
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FederaException(ErrorCode.TIMEOUT, "interrupted while sending '" + key + "'", e);
    }
    Throwable t = error.get();
    if (t == null) {
      return null;
    }
    return t instanceof StatusRuntimeException s ? s : Status.fromThrowable(t).asRuntimeException();
  }

  private static void wake(Object ready) {
    synchronized (ready) {
      ready.notifyAll();
    }
  }
}
