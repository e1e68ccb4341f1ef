package io.federa.cli.demo;

import io.federa.cli.ColumnOptions;
import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code federa demo}: the main demo on the shipped breast data, and {@code federa demo hetero-lr}
 * on any files.
 */
@Command(
    name = "demo",
    description = {
      "Vertical FL end to end on the shipped breast data, as organisations run it.",
      "A fresh federation PKI, three node processes (guest, host, arbiter), each party's file"
          + " uploaded into its node, the job of examples/federa submitted at the guest and followed"
          + " live (ECDH-PSI, hetero LR with 2048-bit Paillier, evaluation), printed beside"
          + " centralized LR."
    },
    subcommands = {
      DemoCommand.HeteroLr.class,
      DemoCommand.SecureBoost.class,
      DemoCommand.HomoLr.class,
      DemoCommand.HomoNn.class
    })
public final class DemoCommand extends FederaCommand<VerticalDemo.Result> {
  @Mixin DemoOptions options;

  @Override
  protected VerticalDemo.Result execute(Progress progress) throws Exception {
    if (options.noArbiter
        || options.key.keyBits != 2048
        || options.key.method != io.federa.crypto.he.HeScheme.PAILLIER) {
      throw new io.federa.core.FederaException(
          io.federa.core.ErrorCode.INVALID_ARGUMENT,
          "the main demo runs the example job of examples/federa (2048-bit keys, with an"
              + " arbiter); use 'federa demo hetero-lr' for --no-arbiter, --key-bits or --method");
    }
    return new VerticalDemo(
            breast(options.maxIter, options.keep), spec.commandLine().getOut(), json)
        .run(progress);
  }

  /** The main demo's run: the shipped breast files, 2048-bit keys, with an arbiter. */
  public static VerticalDemo.Spec breast(int maxIter, boolean keep) {
    Path data = shippedData();
    return new VerticalDemo.Spec(
        data.resolve("breast_hetero_guest.csv"),
        List.of(data.resolve("breast_hetero_host.csv")),
        "id",
        "y",
        maxIter,
        2048,
        io.federa.crypto.he.HeScheme.PAILLIER,
        true,
        keep,
        VerticalDemo.Algorithm.HETERO_LR);
  }

  @Override
  protected void printText(VerticalDemo.Result result, PrintWriter out) {
    printResult(result, out);
  }

  /**
   * The project's examples/data: {@code -Dfedera.data.dir}, else under {@code FEDERA_HOME} (set by
   * bin/federa), else under the working directory.
   */
  public static Path shippedData() {
    String configured = System.getProperty("federa.data.dir");
    if (configured != null) {
      return Path.of(configured);
    }
    String home = System.getenv("FEDERA_HOME");
    if (home != null && Files.isDirectory(Path.of(home, "examples", "data"))) {
      return Path.of(home, "examples", "data");
    }
    return Path.of("examples", "data");
  }

  static void printResult(VerticalDemo.Result r, PrintWriter out) {
    VerticalDemo.Federated fed = r.federated();
    Centralized cen = r.centralized();
    out.println();
    out.printf("%-34s %12s %12s%n", "", "federated", "centralized");
    out.printf("%-34s %12.4f %12.4f%n", "AUC (training rows)", fed.auc(), cen.auc());
    out.printf("%-34s %12.4f %12.4f%n", "KS", fed.ks(), cen.ks());
    out.printf("%-34s %12.1f %12.2f%n", "time (s)", fed.seconds(), cen.seconds());
    out.printf(
        "%-34s %12s %12s%n",
        "rows", r.intersection().rows(), r.intersection().centralizedJoinRows());
    out.printf("%nfederated: %s, %s iterations%n", fed.model(), fed.iterations());
    out.printf("centralized: %s%n", cen.model());
    out.printf("intersection: %s rows%n", r.intersection().rows());
    out.printf(
        "%.2f s per iteration (median after the first); bytes sent per iteration: %s%n",
        r.training().medianSeconds(), r.training().bytesPer(fed.iterations()));
    out.printf("parties: %s, one node process each%n", r.parties());
    out.printf(
        "job %s: first component running %s ms after submit%n", r.jobId(), fed.firstComponentMs());
    out.printf("AUC difference (federated − centralized): %+.4f%n", fed.auc() - cen.auc());
  }

  /** {@code federa demo hetero-lr}: the same on any guest and host files. */
  @Command(name = "hetero-lr", description = "Run the vertical demo on your own files.")
  static final class HeteroLr extends FederaCommand<VerticalDemo.Result> {
    @Option(
        names = "--guest-data",
        required = true,
        description = "Guest CSV (id, label, features).")
    Path guest;

    @Option(
        names = "--host-data",
        required = true,
        description = "Host CSV (id, features); repeat for several hosts.")
    List<Path> hosts;

    @Mixin ColumnOptions columns;

    @Mixin DemoOptions options;

    @Override
    protected VerticalDemo.Result execute(Progress progress) throws Exception {
      var demo = options.spec(guest, hosts, columns);
      return new VerticalDemo(demo, spec.commandLine().getOut(), json).run(progress);
    }

    @Override
    protected void printText(VerticalDemo.Result result, PrintWriter out) {
      printResult(result, out);
    }
  }

  /**
   * {@code federa demo secureboost}: hetero SecureBoost through flow (guest and host, the guest's
   * 2048-bit key) beside the centralized GBDT with the same parameters.
   */
  @Command(
      name = "secureboost",
      description =
          "Hetero SecureBoost through flow beside the centralized GBDT (default: the shipped"
              + " breast files).")
  static final class SecureBoost extends FederaCommand<VerticalDemo.Result> {
    @Option(names = "--guest-data", description = "Guest CSV (id, label, features).")
    Path guest;

    @Option(
        names = "--host-data",
        description = "Host CSV (id, features); repeat for several hosts.")
    List<Path> hosts;

    @Option(
        names = "--trees",
        defaultValue = "5",
        description = "Trees (depth 3, learning rate 0.3). Default: ${DEFAULT-VALUE}.")
    int trees;

    @Mixin KeyOptions key = new KeyOptions();

    @Option(names = "--keep", description = "Keep the nodes running afterwards.")
    boolean keep;

    @Mixin ColumnOptions columns;

    @Override
    protected VerticalDemo.Result execute(Progress progress) throws Exception {
      Path data = shippedData();
      var demo =
          new VerticalDemo.Spec(
              guest != null ? guest : data.resolve("breast_hetero_guest.csv"),
              hosts != null ? hosts : List.of(data.resolve("breast_hetero_host.csv")),
              columns.idColumn,
              columns.label,
              trees,
              key.keyBits,
              key.method,
              false,
              keep,
              VerticalDemo.Algorithm.SECUREBOOST);
      return new VerticalDemo(demo, spec.commandLine().getOut(), json).run(progress);
    }

    @Override
    protected void printText(VerticalDemo.Result result, PrintWriter out) {
      printResult(result, out);
    }
  }

  /** Options of the horizontal demos. */
  abstract static class Homo extends FederaCommand<HomoDemo.Result> {
    @Option(
        names = "--party-data",
        description =
            "A party's CSV (id, label, features); repeat. Default: the shipped breast homo files.")
    List<Path> partyData;

    @Option(
        names = "--test-data",
        description = "Test CSV. Default: the shipped breast homo test file.")
    Path testData;

    @Option(
        names = "--strategy",
        description =
            "lbfgs (the arbiter's L-BFGS on the parties' full-batch gradients: the centralized"
                + " optimum; LR only), fedavg, fedprox, fedadam, fedyogi or fedadagrad. Default:"
                + " lbfgs for homo LR with an arbiter, else fedavg.")
    String strategy;

    @Option(
        names = "--topology",
        defaultValue = "arbiter",
        description = "arbiter (parameter server) or ring (all-reduce). Default: ${DEFAULT-VALUE}.")
    String topology;

    @Option(names = "--rounds", defaultValue = "30", description = "Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--keep", description = "Keep the temporary federation, job file and logs.")
    boolean keep;

    abstract int[] hidden();

    @Override
    protected HomoDemo.Result execute(Progress progress) throws Exception {
      Path data = shippedData();
      List<Path> parties =
          partyData != null
              ? partyData
              : List.of(
                  data.resolve("breast_homo_guest.csv"), data.resolve("breast_homo_host.csv"));
      Path test = testData != null ? testData : data.resolve("breast_homo_test.csv");
      if (!topology.equals("arbiter") && !topology.equals("ring")) {
        throw new io.federa.core.FederaException(
            io.federa.core.ErrorCode.INVALID_ARGUMENT,
            "unknown topology '" + topology + "'; use arbiter or ring");
      }
      String chosen =
          strategy != null
              ? strategy
              : hidden().length == 0 && topology.equals("arbiter") ? "lbfgs" : "fedavg";
      var demo =
          new HomoDemo.Spec(parties, test, hidden(), chosen, topology.equals("ring"), rounds, keep);
      return new HomoDemo(demo, spec.commandLine().getOut(), json).run(progress);
    }

    @Override
    protected void printText(HomoDemo.Result result, PrintWriter out) {
      HomoDemo.print(result, out);
    }
  }

  /** {@code federa demo homo-lr}. */
  @Command(name = "homo-lr", description = "Horizontal logistic regression, one process per party.")
  static final class HomoLr extends Homo {
    @Override
    int[] hidden() {
      return new int[0];
    }
  }

  /** {@code federa demo homo-nn}. */
  @Command(name = "homo-nn", description = "Horizontal MLP, one process per party.")
  static final class HomoNn extends Homo {
    @Option(
        names = "--hidden",
        split = ",",
        defaultValue = "32",
        description = "Hidden layer widths, e.g. 64,32. Default: ${DEFAULT-VALUE}.")
    int[] layers;

    @Override
    int[] hidden() {
      return layers;
    }
  }
}
