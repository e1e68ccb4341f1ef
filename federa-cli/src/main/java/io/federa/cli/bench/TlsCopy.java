package io.federa.cli.bench;

import io.federa.federation.NodeConfig;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap;
import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.WriteBufferWaterMark;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A benchmark baseline: bytes through a bare mutual-TLS 1.3 connection between two parties'
 * certificates, with the TLS stack Federa's transport uses (BoringSSL through Netty) and nothing
 * else: no HTTP/2, no framing, no sequence numbers. With a {@code store} file, the receiver also
 * does the least any delivery that survives a crash must do: write the bytes to a file on its own
 * thread, force it to disk as it goes and at the end, and read it back. That is a floor for every
 * design that authenticates its messages and stores them before acknowledging.
 */
public final class TlsCopy implements AutoCloseable {
  private static final int CHUNK = 1 << 20;

  private final SslContext serverTls;
  private final SslContext clientTls;
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final ExecutorService disk =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "bench-tls-store");
            t.setDaemon(true);
            return t;
          });

  TlsCopy(Path serverConf, Path clientConf) throws IOException {
    NodeConfig server = NodeConfig.load(serverConf);
    NodeConfig client = NodeConfig.load(clientConf);
    serverTls =
        GrpcSslContexts.configure(
                SslContextBuilder.forServer(
                    server.certificateFile().toFile(), server.privateKeyFile().toFile()))
            .trustManager(server.caFile().toFile())
            .clientAuth(ClientAuth.REQUIRE)
            .protocols("TLSv1.3")
            .build();
    clientTls =
        GrpcSslContexts.forClient()
            .keyManager(client.certificateFile().toFile(), client.privateKeyFile().toFile())
            .trustManager(client.caFile().toFile())
            .endpointIdentificationAlgorithm(null) // certificates name parties, not hosts
            .protocols("TLSv1.3")
            .build();
  }

  /**
   * Sends {@code size} bytes of {@code source} over a fresh connection; the receiver discards them
   * or, with {@code store} not null, stores them durably and reads them back. Returns the seconds
   * from the first byte to the end of the receiver's work.
   */
  double seconds(long size, Supplier<InputStream> source, Path store) throws Exception {
    var done = new CompletableFuture<Void>();
    Channel listener =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) throws IOException {
                    ch.pipeline()
                        .addLast(serverTls.newHandler(ch.alloc()))
                        .addLast(new Receiver(ch, size, store, done));
                  }
                })
            .bind(InetAddress.getLoopbackAddress(), 0)
            .sync()
            .channel();
    var writable = new Object();
    Channel connection =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(4 * CHUNK, 8 * CHUNK))
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(clientTls.newHandler(ch.alloc()))
                        .addLast(
                            new ChannelInboundHandlerAdapter() {
                              @Override
                              public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                                synchronized (writable) {
                                  writable.notifyAll();
                                }
                              }
                            });
                  }
                })
            .connect(listener.localAddress())
            .sync()
            .channel();
    try {
      connection.pipeline().get(SslHandler.class).handshakeFuture().sync();
      long t0 = System.nanoTime();
      try (InputStream in = source.get()) {
        for (long sent = 0; sent < size; ) {
          byte[] chunk = new byte[(int) Math.min(CHUNK, size - sent)];
          in.readNBytes(chunk, 0, chunk.length);
          synchronized (writable) {
            while (!connection.isWritable()) {
              if (!connection.isActive() || done.isCompletedExceptionally()) {
                done.get(); // the receiver's failure, or:
                throw new IOException("the connection closed while sending");
              }
              writable.wait(10);
            }
          }
          connection.writeAndFlush(Unpooled.wrappedBuffer(chunk));
          sent += chunk.length;
        }
      }
      done.get(10, TimeUnit.MINUTES);
      return (System.nanoTime() - t0) / 1e9;
    } finally {
      connection.close().sync();
      listener.close().sync();
      if (store != null) {
        Files.deleteIfExists(store);
      }
    }
  }

  /** The receiving end: counts, or hands the bytes to a disk thread with back-pressure. */
  private final class Receiver extends ChannelInboundHandlerAdapter {
    private final SocketChannel channel;
    private final long size;
    private final Path store;
    private final CompletableFuture<Void> done;
    private final FileChannel file;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private Future<?> flushing;
    private io.grpc.netty.shaded.io.netty.buffer.CompositeByteBuf pending;
    private long got;
    private long queued;
    private long unflushed;

    Receiver(SocketChannel channel, long size, Path store, CompletableFuture<Void> done)
        throws IOException {
      this.channel = channel;
      this.size = size;
      this.store = store;
      this.done = done;
      this.file =
          store == null
              ? null
              : FileChannel.open(
                  store,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      int n = buf.readableBytes();
      got += n;
      boolean last = got >= size;
      if (file == null) {
        buf.release();
        if (last) {
          done.complete(null);
        }
        return;
      }
      // TLS hands over records of up to 16 KiB: gather them into writes of about a chunk
      if (pending == null) {
        pending = channel.alloc().compositeDirectBuffer(1024);
      }
      pending.addComponent(true, buf);
      if (pending.readableBytes() < CHUNK && !last) {
        return;
      }
      ByteBuf batch = pending;
      int bytes = batch.readableBytes();
      pending = null;
      synchronized (this) {
        queued += bytes;
        if (queued > 8L * CHUNK) {
          channel.config().setAutoRead(false); // the disk is behind: stop reading the socket
        }
      }
      tail = tail.thenRunAsync(() -> store(batch, bytes, last), disk);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      done.completeExceptionally(cause);
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (got < size) {
        done.completeExceptionally(
            new IOException("the connection closed after " + got + " of " + size + " bytes"));
      }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      if (pending != null) {
        pending.release();
        pending = null;
      }
    }

    private void store(ByteBuf buf, int n, boolean last) {
      try {
        ByteBuffer[] parts = buf.nioBuffers();
        for (long written = 0; written < n; ) {
          written += file.write(parts);
        }
        unflushed += n;
        if (unflushed >= 32L * CHUNK && (flushing == null || flushing.isDone())) {
          flushing =
              disk.submit(
                  () -> {
                    file.force(false);
                    return null;
                  });
          unflushed = 0;
        }
        if (last) {
          if (flushing != null) {
            flushing.get();
          }
          file.force(true);
          file.close();
          readBack();
          done.complete(null);
        }
      } catch (Exception e) {
        done.completeExceptionally(e);
      } finally {
        buf.release();
        synchronized (this) {
          queued -= n;
          if (queued <= 2L * CHUNK && !channel.config().isAutoRead()) {
            channel.eventLoop().execute(() -> channel.config().setAutoRead(true));
          }
        }
      }
    }

    private void readBack() throws IOException {
      try (FileChannel in = FileChannel.open(store)) {
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        while (in.read(b) > 0) {
          b.clear();
        }
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    disk.shutdown();
  }
}
