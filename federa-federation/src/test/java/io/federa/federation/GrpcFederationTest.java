package io.federa.federation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.internal.proto.Chunk;
import io.federa.federation.internal.proto.FederationServiceGrpc;
import io.federa.federation.internal.proto.Header;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes in one JVM talking over real sockets on loopback, with mutual TLS from the real PKI. */
class GrpcFederationTest {
  @TempDir Path dir;
  private final List<GrpcFederation> running = new java.util.ArrayList<>();

  private GrpcFederation start(NodeConfig c) {
    GrpcFederation f = GrpcFederation.start(c, Duration.ofSeconds(5));
    running.add(f);
    return f;
  }

  @AfterEach
  void stopAll() {
    running.forEach(GrpcFederation::close);
  }

  @Test
  void threeNodes_exchangeMessagesBothWaysIncludingMultiChunkOnes() {
    List<NodeConfig> c = TestingFederations.create(dir, 9999, 10000, 10001);
    GrpcFederation guest = start(c.get(0));
    GrpcFederation host = start(c.get(1));
    GrpcFederation arbiter = start(c.get(2));
    MessageKey key = MessageKey.of("job1", "hetero_lr_0", "iter-1");
    byte[] big = new byte[5 * GrpcFederation.CHUNK_BYTES + 123];
    new Random(1).nextBytes(big);
    guest.send(10000, key, big);
    host.send(10001, key.withTag("gradient"), new byte[] {1, 2, 3});
    arbiter.send(9999, key.withTag("model"), new byte[0]);
    assertArrayEquals(big, host.receive(9999, key, Duration.ofSeconds(5)));
    assertArrayEquals(
        new byte[] {1, 2, 3},
        arbiter.receive(10000, key.withTag("gradient"), Duration.ofSeconds(5)));
    assertEquals(0, guest.receive(10001, key.withTag("model"), Duration.ofSeconds(5)).length);
  }

  @Test
  void messagesUnderOneKey_arriveInOrder() {
    List<NodeConfig> c = TestingFederations.create(dir, 1, 2);
    GrpcFederation a = start(c.get(0));
    GrpcFederation b = start(c.get(1));
    MessageKey key = MessageKey.of("j", "c", "t");
    for (int i = 0; i < 20; i++) {
      a.send(2, key, new byte[] {(byte) i});
    }
    for (int i = 0; i < 20; i++) {
      assertEquals(i, b.receive(1, key, Duration.ofSeconds(5))[0]);
    }
  }

  /** Hardening finding 7: a node's inbox, outbox and transcripts are its operator's only. */
  @Test
  void aNodesMessagesOnDisk_areOwnerOnly() throws Exception {
    List<NodeConfig> c = TestingFederations.create(dir, 1, 2);
    GrpcFederation a = start(c.get(0));
    GrpcFederation b = start(c.get(1));
    MessageKey key = MessageKey.of("j", "c", "t");
    a.sendStream(2, key, new java.io.ByteArrayInputStream(new byte[100_000]));
    assertEquals(100_000, b.receive(1, key, Duration.ofSeconds(5)).length);
    for (NodeConfig node : c) {
      try (var all = java.nio.file.Files.walk(node.dataPath())) {
        for (java.nio.file.Path p : all.toList()) {
          String mode =
              java.nio.file.attribute.PosixFilePermissions.toString(
                  java.nio.file.Files.getPosixFilePermissions(p));
          assertEquals(
              java.nio.file.Files.isDirectory(p) ? "rwx------" : "rw-------", mode, p.toString());
        }
      }
    }
  }

  @Test
  void call_reachesTheHandlerWithTheCallersVerifiedIdAndCarriesItsRefusal() {
    List<NodeConfig> c = TestingFederations.create(dir, 1, 2);
    GrpcFederation a = start(c.get(0));
    GrpcFederation b = start(c.get(1));
    b.serve(
        "echo",
        (from, body) -> {
          if (body.length == 0) {
            throw new FederaException(ErrorCode.NOT_FOUND, "no table x; upload it").shareable();
          }
          if (body.length == 3) {
            // words that may quote this party's data cross as the code only
            throw new FederaException(ErrorCode.INVALID_INPUT, "/data/x.csv line 3: 'SSN-1'");
          }
          return (from + ":" + new String(body, java.nio.charset.StandardCharsets.UTF_8))
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        });
    assertEquals(
        "1:hi",
        new String(
            a.call(2, "echo", "hi".getBytes(), Duration.ofSeconds(5)),
            java.nio.charset.StandardCharsets.UTF_8));
    FederaException refused =
        assertThrows(
            FederaException.class, () -> a.call(2, "echo", new byte[0], Duration.ofSeconds(5)));
    assertEquals(ErrorCode.NOT_FOUND, refused.code());
    assertEquals("party 2: no table x; upload it", refused.getMessage());
    FederaException redacted =
        assertThrows(
            FederaException.class, () -> a.call(2, "echo", new byte[3], Duration.ofSeconds(5)));
    assertEquals(ErrorCode.INVALID_INPUT, redacted.code());
    assertTrue(
        redacted.getMessage().startsWith("party 2: [INVALID_INPUT]")
            && !redacted.getMessage().contains("SSN")
            && !redacted.getMessage().contains("/data"),
        redacted.getMessage());
    FederaException unknown =
        assertThrows(
            FederaException.class, () -> a.call(2, "nope", new byte[1], Duration.ofSeconds(5)));
    assertTrue(unknown.getMessage().contains("does not serve 'nope'"), unknown.getMessage());
  }

  @Test
  void ping_reportsThePeerAndARoundTrip() {
    List<NodeConfig> c = TestingFederations.create(dir, 1, 2);
    GrpcFederation a = start(c.get(0));
    start(c.get(1));
    var result = a.ping(2, Duration.ofSeconds(5));
    assertEquals(2, result.partyId());
    assertTrue(result.roundTripNanos() > 0);
    assertTrue(Math.abs(result.clockSkewNanos()) < TimeUnit.SECONDS.toNanos(1));
  }

  @Test
  void receive_whenNothingComes_timesOutNamingPeerAndKey() {
    List<NodeConfig> c = TestingFederations.create(dir, 1, 2);
    GrpcFederation a = start(c.get(0));
    var e =
        assertThrows(
            FederaException.class,
            () -> a.receive(2, MessageKey.of("job9", "psi", "step-2"), Duration.ofMillis(200)));
    assertEquals(ErrorCode.TIMEOUT, e.code());
    assertTrue(e.getMessage().contains("'job9/psi/step-2' from party 2"), e.getMessage());
  }

  @Test
  void send_toAStoppedPeer_givesUpNamingThePeer() {
    List<NodeConfig> c = TestingFederations.create(dir, 1, 2);
    GrpcFederation a = GrpcFederation.start(c.get(0), Duration.ofMillis(700));
    running.add(a);
    var e =
        assertThrows(
            FederaException.class, () -> a.send(2, MessageKey.of("j", "c", "t"), new byte[] {1}));
    assertEquals(ErrorCode.TIMEOUT, e.code());
    assertTrue(e.getMessage().contains("to party 2 at 127.0.0.1:"), e.getMessage());
  }

  @Test
  void send_isRetriedUntilThePeerComesUp() throws Exception {
    List<NodeConfig> c = TestingFederations.create(dir, 1, 2);
    GrpcFederation a = start(c.get(0));
    MessageKey key = MessageKey.of("j", "c", "late");
    var sending = CompletableFuture.runAsync(() -> a.send(2, key, new byte[] {42}));
    Thread.sleep(600);
    GrpcFederation b = start(c.get(1));
    sending.get(10, TimeUnit.SECONDS);
    assertEquals(42, b.receive(1, key, Duration.ofSeconds(5))[0]);
  }

  @Test
  void aNodeOfAnotherFederation_isRefused() {
    List<NodeConfig> ours = TestingFederations.create(dir.resolve("ours"), 1, 2);
    List<NodeConfig> theirs = TestingFederations.create(dir.resolve("theirs"), 1, 2);
    start(ours.get(1));
    // their party 1, with a certificate from another CA, dials our party 2
    NodeConfig intruder = theirs.get(0).withRoutes(ours.get(0).routes());
    GrpcFederation x =
        GrpcFederation.start(
            intruder.withListenPort(TestingFederations.freePort()), Duration.ofMillis(500));
    running.add(x);
    assertThrows(
        FederaException.class, () -> x.send(2, MessageKey.of("j", "c", "t"), new byte[] {1}));
  }

  @Test
  void aServerPresentingAnotherPartysCertificate_isRefusedByTheClient() {
    List<NodeConfig> c = TestingFederations.create(dir, 1, 2, 3);
    start(c.get(2)); // party 3 listens
    // party 1 believes party 2 lives at party 3's address
    var routes = new java.util.TreeMap<>(c.get(0).routes());
    routes.put(2, c.get(2).listen());
    GrpcFederation a = GrpcFederation.start(c.get(0).withRoutes(routes), Duration.ofMillis(500));
    running.add(a);
    assertThrows(
        FederaException.class, () -> a.send(2, MessageKey.of("j", "c", "t"), new byte[] {1}));
  }

  @Test
  void aReplayedMessage_isAcknowledgedButDeliveredOnce() {
    List<NodeConfig> c = TestingFederations.create(dir, 1, 2);
    GrpcFederation a = start(c.get(0));
    GrpcFederation b = start(c.get(1));
    MessageKey key = MessageKey.of("j", "c", "t");
    var stub = FederationServiceGrpc.newBlockingStub(a.channel(2));
    // the same frame twice (same sequence number): a retry or a replay
    for (int i = 0; i < 2; i++) {
      var ack = sendRaw(a, 2, key, 7, new byte[] {5}, true);
      assertEquals(i == 1, ack.getDuplicate());
    }
    assertEquals(5, b.receive(1, key, Duration.ofSeconds(2))[0]);
    assertThrows(FederaException.class, () -> b.receive(1, key, Duration.ofMillis(300)));
    assertTrue(stub != null);
  }

  @Test
  void aTamperedOrTruncatedStream_isRefusedWithAClearStatus() {
    List<NodeConfig> c = TestingFederations.create(dir, 1, 2);
    GrpcFederation a = start(c.get(0));
    start(c.get(1));
    MessageKey key = MessageKey.of("j", "c", "t");
    var tampered =
        assertThrows(
            StatusRuntimeException.class, () -> sendRaw(a, 2, key, 1, new byte[] {1, 2}, false));
    assertEquals(Status.Code.DATA_LOSS, tampered.getStatus().getCode());
    assertTrue(tampered.getStatus().getDescription().contains("CRC-32C does not match"));

    var truncated = assertThrows(StatusRuntimeException.class, () -> sendTruncated(a, 2, key));
    assertEquals(Status.Code.DATA_LOSS, truncated.getStatus().getCode());
    assertTrue(
        truncated.getStatus().getDescription().contains("truncated message"),
        truncated.getStatus().getDescription());
  }

  /**
   * One single-chunk message with a chosen sequence number; {@code honest = false} breaks its
   * digest.
   */
  private static io.federa.federation.internal.proto.Ack sendRaw(
      GrpcFederation from, int to, MessageKey key, long seq, byte[] payload, boolean honest) {
    var crc = new java.util.zip.CRC32C();
    crc.update(payload);
    int checksum = (int) crc.getValue() ^ (honest ? 0 : 1);
    return call(
        from,
        to,
        List.of(
            Chunk.newBuilder()
                .setHeader(header(key, seq, payload.length, to))
                .setData(ByteString.copyFrom(payload))
                .setLast(true)
                .setCrc32C(checksum)
                .build()));
  }

  private static void sendTruncated(GrpcFederation from, int to, MessageKey key) {
    call(
        from,
        to,
        List.of(
            Chunk.newBuilder()
                .setHeader(header(key, 1, 100, to))
                .setData(ByteString.copyFrom(new byte[50]))
                .build()));
  }

  private static Header header(MessageKey key, long seq, long size, int to) {
    return Header.newBuilder()
        .setJobId(key.jobId())
        .setKey(key.wireKey())
        .setSequence(seq)
        .setTotalBytes(size)
        .setReceiver(to)
        .build();
  }

  private static io.federa.federation.internal.proto.Ack call(
      GrpcFederation from, int to, List<Chunk> chunks) {
    var result = new CompletableFuture<io.federa.federation.internal.proto.Ack>();
    StreamObserver<Chunk> stream =
        FederationServiceGrpc.newStub(from.channel(to))
            .send(
                new StreamObserver<>() {
                  @Override
                  public void onNext(io.federa.federation.internal.proto.Ack ack) {
                    result.complete(ack);
                  }

                  @Override
                  public void onError(Throwable t) {
                    result.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    chunks.forEach(stream::onNext);
    stream.onCompleted();
    try {
      return result.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw (RuntimeException) e.getCause();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void inProcessFederation_hasTheSameSemantics() {
    var net = InProcessFederation.network();
    Federation a = net.party(1);
    Federation b = net.party(2);
    MessageKey key = MessageKey.of("j", "c", "t");
    a.send(2, key, new byte[] {9});
    assertEquals(9, b.receive(1, key, Duration.ofSeconds(1))[0]);
    var e = assertThrows(FederaException.class, () -> b.receive(1, key, Duration.ofMillis(50)));
    assertEquals(ErrorCode.TIMEOUT, e.code());
    assertFalse(e.getMessage().isEmpty());
  }

  @Test
  void aReceiverRestartedAfterAcknowledging_stillHasTheMessageAndRefusesItsReplay() {
    List<NodeConfig> c = TestingFederations.create(dir, 1, 2);
    GrpcFederation a = start(c.get(0));
    GrpcFederation b = start(c.get(1));
    MessageKey key = MessageKey.of("job", "c", "t");
    a.send(2, key, new byte[] {7, 7});
    b.stop(Duration.ZERO); // dies before its algorithm took the message
    running.remove(b);
    GrpcFederation b2 = start(c.get(1));
    assertArrayEquals(new byte[] {7, 7}, b2.receive(1, key, Duration.ofSeconds(2)));
    // the same frame again (sequence 1): acknowledged as a duplicate, never delivered twice
    assertTrue(sendRaw(a, 2, key, 1, new byte[] {7, 7}, true).getDuplicate());
    assertThrows(FederaException.class, () -> b2.receive(1, key, Duration.ofMillis(300)));
    // and after another restart the taken message is remembered, not delivered again
    b2.stop(Duration.ZERO);
    running.remove(b2);
    GrpcFederation b3 = start(c.get(1));
    assertThrows(FederaException.class, () -> b3.receive(1, key, Duration.ofMillis(300)));
    assertTrue(sendRaw(a, 2, key, 1, new byte[] {7, 7}, true).getDuplicate());
  }

  @Test
  void aForgottenJob_leavesNoMessageFiles_yetAReplayIsStillADuplicate_evenAfterARestart()
      throws Exception {
    List<NodeConfig> c = TestingFederations.create(dir, 1, 2);
    GrpcFederation a = start(c.get(0));
    GrpcFederation b = start(c.get(1));
    MessageKey key = MessageKey.of("job-done", "c", "t");
    a.send(2, key, new byte[] {1});
    a.send(2, key.withTag("never-taken"), new byte[] {2});
    assertEquals(1, b.receive(1, key, Duration.ofSeconds(2))[0]);
    b.forget("job-done");
    java.nio.file.Path inbox = c.get(1).dataPath().resolve("federation").resolve("inbox");
    try (var files = java.nio.file.Files.walk(inbox)) {
      List<String> names =
          files
              .filter(java.nio.file.Files::isRegularFile)
              .map(p -> p.getFileName().toString())
              .toList();
      assertEquals(List.of("finished"), names, "only the job's high-water mark is left");
    }
    assertTrue(sendRaw(a, 2, key, 1, new byte[] {1}, true).getDuplicate());
    b.stop(Duration.ZERO);
    running.remove(b);
    GrpcFederation b2 = start(c.get(1));
    assertTrue(sendRaw(a, 2, key, 2, new byte[] {2}, true).getDuplicate());
    assertThrows(
        FederaException.class,
        () -> b2.receive(1, key.withTag("never-taken"), Duration.ofMillis(300)));
  }

  @Test
  void aReceiverLostDuringTheFirstAttempt_getsTheWholeMessageFromTheOutbox() throws Exception {
    List<NodeConfig> c = TestingFederations.create(dir, 1, 2);
    GrpcFederation a = start(c.get(0));
    GrpcFederation[] b = {start(c.get(1))};
    byte[] data = new byte[24 << 20];
    new java.util.Random(7).nextBytes(data);
    var stopped = new java.util.concurrent.CountDownLatch(1);
    var restarted = restartWhenStopped(stopped, c.get(1), b);
    MessageKey key = MessageKey.of("job", "big", "0");
    a.sendStream(2, key, stoppingHalfWay(data, b, stopped));
    restarted.join();
    assertArrayEquals(data, b[0].receive(1, key, Duration.ofSeconds(10)));
    assertOutboxHoldsOnlyItsCounter(a, "acknowledged: neither the message nor its draft is left");
  }

  @Test
  void aPayloadWhoseFirstAttemptIsCut_isReadAgainIntoTheOutboxAndDelivered() throws Exception {
    List<NodeConfig> c = TestingFederations.create(dir, 1, 2);
    GrpcFederation a = start(c.get(0));
    GrpcFederation[] b = {start(c.get(1))};
    byte[] data = new byte[24 << 20];
    new java.util.Random(8).nextBytes(data);
    var opened = new java.util.concurrent.atomic.AtomicInteger();
    var stopped = new java.util.concurrent.CountDownLatch(1);
    var restarted = restartWhenStopped(stopped, c.get(1), b);
    Payload payload =
        Payload.of(
            data.length,
            () ->
                opened.incrementAndGet() == 1
                    ? stoppingHalfWay(data, b, stopped)
                    : new java.io.ByteArrayInputStream(data));
    MessageKey key = MessageKey.of("job", "big", "1");
    a.sendPayload(2, key, payload, PayloadKind.UNDECLARED);
    restarted.join();
    assertArrayEquals(data, b[0].receive(1, key, Duration.ofSeconds(10)));
    assertEquals(2, opened.get(), "read once to stream, once more into the outbox");
    assertOutboxHoldsOnlyItsCounter(a, "acknowledged: the stored copy is gone");
  }

  /**
   * The bytes of {@code data}; the node {@code b[0]} is stopped when half of them have been read.
   */
  private java.io.InputStream stoppingHalfWay(
      byte[] data, GrpcFederation[] b, java.util.concurrent.CountDownLatch stopped) {
    return new java.io.ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] buffer, int off, int len) {
        if (stopped.getCount() > 0 && pos > data.length / 2) {
          b[0].stop(Duration.ZERO);
          running.remove(b[0]);
          stopped.countDown();
        }
        return super.read(buffer, off, len);
      }
    };
  }

  /** Starts {@code conf}'s node again, as {@code b[0]}, 300 ms after {@code stopped}. */
  private CompletableFuture<Void> restartWhenStopped(
      java.util.concurrent.CountDownLatch stopped, NodeConfig conf, GrpcFederation[] b) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            stopped.await();
            Thread.sleep(300);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          b[0] = start(conf);
        });
  }

  private static void assertOutboxHoldsOnlyItsCounter(GrpcFederation a, String why)
      throws java.io.IOException {
    try (var files = java.nio.file.Files.walk(a.config().dataPath().resolve("federation/outbox"))) {
      assertEquals(
          List.of("next"),
          files
              .filter(java.nio.file.Files::isRegularFile)
              .map(p -> p.getFileName().toString())
              .toList(),
          why);
    }
  }

  @Test
  void aMessageTheReceiverRefuses_failsAtOnceAndIsNotKeptInTheOutbox() throws Exception {
    List<NodeConfig> c = TestingFederations.create(dir, 1, 2);
    GrpcFederation a = start(c.get(0));
    start(c.get(1));
    var opened = new java.util.concurrent.atomic.AtomicInteger();
    long tooLarge = FederationServer.MAX_MESSAGE_BYTES + 1;
    Payload huge =
        Payload.of(
            tooLarge,
            () -> {
              opened.incrementAndGet();
              return new java.io.InputStream() { // zeros, made on demand
                @Override
                public int read() {
                  return 0;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                  java.util.Arrays.fill(b, off, off + len, (byte) 0);
                  return len;
                }
              };
            });
    var e =
        assertThrows(
            FederaException.class,
            () ->
                a.sendPayload(2, MessageKey.of("job", "c", "huge"), huge, PayloadKind.UNDECLARED));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.getMessage().contains("message too large"), e.getMessage());
    assertEquals(1, opened.get(), "refused at its header: not read again into the outbox");
    assertOutboxHoldsOnlyItsCounter(a, "a refused message is not kept for another attempt");
  }

  @Test
  void aPayloadSentWhileAllGoesWell_isNeverWrittenToTheSendersDisk() {
    List<NodeConfig> c = TestingFederations.create(dir, 1, 2);
    GrpcFederation a = start(c.get(0));
    GrpcFederation b = start(c.get(1));
    byte[] data = new byte[3 << 20];
    new java.util.Random(9).nextBytes(data);
    var opened = new java.util.concurrent.atomic.AtomicInteger();
    MessageKey key = MessageKey.of("job", "big", "2");
    a.sendPayload(
        2,
        key,
        Payload.of(
            data.length,
            () -> {
              opened.incrementAndGet();
              return new java.io.ByteArrayInputStream(data);
            }),
        PayloadKind.UNDECLARED);
    assertArrayEquals(data, b.receive(1, key, Duration.ofSeconds(10)));
    assertEquals(1, opened.get());
    assertEquals(data.length, a.bytesSent());
  }

  @Test
  void aDraftLeftByACrashedProducer_isDroppedAtStart() throws Exception {
    List<NodeConfig> c = TestingFederations.create(dir, 1, 2);
    Path job = c.get(0).dataPath().resolve("federation/outbox/2/6a6f62");
    java.nio.file.Files.createDirectories(job);
    java.nio.file.Files.write(job.resolve(".1.draft"), new byte[] {0, 0, 0, 3});
    GrpcFederation b = start(c.get(1));
    start(c.get(0));
    assertFalse(java.nio.file.Files.exists(job.resolve(".1.draft")));
    assertThrows(
        FederaException.class,
        () -> b.receive(1, MessageKey.of("job", "c", "t"), Duration.ofMillis(300)));
  }

  @Test
  void aSenderRestartedBeforeTheAcknowledgement_sendsFromItsOutbox() {
    List<NodeConfig> c = TestingFederations.create(dir, 1, 2);
    GrpcFederation a = GrpcFederation.start(c.get(0), Duration.ofMillis(300));
    MessageKey key = MessageKey.of("job", "c", "t");
    assertThrows(FederaException.class, () -> a.send(2, key, new byte[] {3})); // party 2 is down
    a.stop(Duration.ZERO);
    GrpcFederation b = start(c.get(1));
    GrpcFederation a2 = start(c.get(0)); // finds the message in its outbox and sends it
    assertArrayEquals(new byte[] {3}, b.receive(1, key, Duration.ofSeconds(10)));
    // a new message after the restart gets a fresh sequence number, so it is not taken for a replay
    a2.send(2, key, new byte[] {4});
    assertArrayEquals(new byte[] {4}, b.receive(1, key, Duration.ofSeconds(5)));
  }

  @Test
  void aRestartedSender_resendsToAReachablePeerWhileAnotherIsStillDown() {
    List<NodeConfig> c = TestingFederations.create(dir, 1, 2, 3);
    GrpcFederation a = GrpcFederation.start(c.get(0), Duration.ofMillis(300));
    MessageKey key = MessageKey.of("job", "c", "t");
    assertThrows(FederaException.class, () -> a.send(2, key, new byte[] {2})); // both down
    assertThrows(FederaException.class, () -> a.send(3, key, new byte[] {3}));
    a.stop(Duration.ZERO);
    GrpcFederation third = start(c.get(2)); // party 2 stays down
    start(c.get(0));
    assertArrayEquals(new byte[] {3}, third.receive(1, key, Duration.ofSeconds(10)));
  }

  @Test
  void aPartyWithAnExpiredCertificate_isRefused() {
    List<NodeConfig> c = TestingFederations.create(dir, 1, 2);
    start(c.get(1));
    // party 1's certificate was issued three years ago and expired after two
    io.federa.federation.pki.FederationPki.at(
            java.time.Instant.now().minus(Duration.ofDays(3 * 365)))
        .reissue(dir, 1);
    GrpcFederation a = GrpcFederation.start(c.get(0), Duration.ofMillis(500));
    running.add(a);
    var e =
        assertThrows(
            FederaException.class, () -> a.send(2, MessageKey.of("j", "c", "t"), new byte[] {1}));
    assertTrue(e.getMessage().contains("to party 2"), e.getMessage());
  }
}
