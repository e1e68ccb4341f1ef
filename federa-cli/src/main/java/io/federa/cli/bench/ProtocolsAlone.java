package io.federa.cli.bench;

import io.federa.cli.Timing;
import io.federa.cli.demo.LocalFederation;
import io.federa.cli.demo.LoopbackNodes;
import io.federa.core.compute.LocalEngine;
import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.table.Table;
import io.federa.federation.MessageKey;
import io.federa.ml.TrainingListener;
import io.federa.ml.hetero.HeteroLrArbiter;
import io.federa.ml.hetero.HeteroLrGuest;
import io.federa.ml.hetero.HeteroLrHost;
import io.federa.ml.hetero.HeteroLrParams;
import io.federa.ml.hetero.Topology;
import io.federa.ml.psi.EcdhPsiGuest;
import io.federa.ml.psi.EcdhPsiHost;
import io.federa.ml.psi.PsiMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The breast job's protocols alone, with no flow around them: three real nodes in this JVM (gRPC
 * over mutual TLS on loopback), ECDH PSI, hetero LR with 2048-bit keys and the training rows'
 * prediction, each role on its own thread. What {@code bench flow} weighs flow's cost against.
 */
public final class ProtocolsAlone {
  private ProtocolsAlone() {}

  /** Runs them once on the shipped breast files; returns the seconds it took. */
  static double seconds(Path data, int maxIter) throws Exception {
    Table guest =
        CsvTableReader.read(
            data.resolve("breast_hetero_guest.csv"), CsvOptions.labeled().withLabelColumn("y"));
    Table host =
        CsvTableReader.read(data.resolve("breast_hetero_host.csv"), CsvOptions.unlabeled());
    HeteroLrParams params = HeteroLrParams.defaults().withMaxIter(maxIter);
    LocalEngine engine = LocalEngine.allCores();
    Duration timeout = Duration.ofMinutes(10);
    long t0 = System.nanoTime();
    try (LoopbackNodes fed =
        LoopbackNodes.create(
                "federa-bench-protocols-",
                Map.of(
                    LocalFederation.GUEST, "guest-org",
                    LocalFederation.HOST, "host-org",
                    LocalFederation.ARBITER, "arbiter-org"))
            .startAll()) {
      String job = "bench-" + Long.toHexString(System.nanoTime());
      MessageKey psi = MessageKey.of(job, "intersection_0", "");
      MessageKey lr = MessageKey.of(job, "hetero_lr_0", "");
      Topology topology = Topology.arbiter(LocalFederation.ARBITER);
      var arbiter =
          CompletableFuture.runAsync(
              () ->
                  new HeteroLrArbiter(
                          fed.node(LocalFederation.ARBITER),
                          lr,
                          LocalFederation.GUEST,
                          List.of(LocalFederation.HOST),
                          params)
                      .fit(TrainingListener.NONE));
      var hostSide =
          CompletableFuture.runAsync(
              () -> {
                var hostNode = fed.node(LocalFederation.HOST);
                var rows =
                    new EcdhPsiHost(
                            hostNode, psi, LocalFederation.GUEST, PsiMode.BOTH, engine, timeout)
                        .run(host.ids());
                Table aligned = host.selectRows(rows.rows());
                var side =
                    new HeteroLrHost(hostNode, lr, LocalFederation.GUEST, topology, params, engine);
                side.predict(aligned, side.fit(aligned), "train");
              });
      var guestNode = fed.node(LocalFederation.GUEST);
      var rows =
          new EcdhPsiGuest(
                  guestNode, psi, List.of(LocalFederation.HOST), PsiMode.BOTH, engine, timeout)
              .run(guest.ids());
      Table aligned = guest.selectRows(rows.rows());
      var side =
          new HeteroLrGuest(guestNode, lr, List.of(LocalFederation.HOST), topology, params, engine);
      side.probabilities(aligned, side.fit(aligned), "train");
      hostSide.get();
      arbiter.get();
    }
    return Timing.secondsSince(t0);
  }
}
