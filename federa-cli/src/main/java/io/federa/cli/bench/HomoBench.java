package io.federa.cli.bench;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.cli.demo.HomoDemo;
import io.federa.cli.demo.LocalFederation;
import io.federa.cli.demo.LoopbackNodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code federa bench homo}: seconds and bytes per round for N parties and an MLP of about P
 * parameters, with the arbiter as parameter server and with ring all-reduce: a HomoNN job through
 * flow as the demo runs it ({@link HomoDemo}: one node process per party, each party's file
 * uploaded, the job submitted at the guest), the seconds from the job's {@code iteration_seconds}
 * metric and the bytes from its audit. Local data is tiny (8 rows a party) so that the exchange
 * dominates.
 */
@Command(
    name = "homo",
    description = "Horizontal rounds: parameter server against ring all-reduce (time and bytes).")
public final class HomoBench extends FederaCommand<HomoBench.Rounds> {
  /** One topology's seconds and bytes per round (no arbiter bytes in a ring). */
  public record Topology(
      double secondsPerRound, Long arbiterBytesPerRound, long partyBytesPerRound) {}

  /** The parameter server beside the ring. */
  public record Rounds(
      int parties, long parameters, int rounds, Topology parameterServer, Topology ring) {}

  @Option(names = "--parties", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
  int parties;

  @Option(
      names = "--parameters",
      defaultValue = "1000000",
      description = "Default: ${DEFAULT-VALUE}.")
  int parameters;

  @Option(names = "--rounds", defaultValue = "3", description = "Default: ${DEFAULT-VALUE}.")
  int rounds;

  @Override
  protected Rounds execute(Progress progress) throws Exception {
    // an MLP d → h → 1 with d = h ≈ √P has about P parameters
    int width = (int) Math.sqrt(parameters);
    Path dir = Files.createTempDirectory("federa-bench-homo-");
    try {
      List<Path> files = new ArrayList<>();
      for (int p = 0; p < parties; p++) {
        files.add(randomCsv(dir.resolve("party_" + p + ".csv"), width, 8, p));
      }
      Path test = randomCsv(dir.resolve("test.csv"), width, 8, parties);
      return new Rounds(
          parties,
          (long) width * width + 2L * width + 1,
          rounds,
          run(files, test, width, false, progress),
          run(files, test, width, true, progress));
    } finally {
      LoopbackNodes.deleteTree(dir);
    }
  }

  /** One topology's job through flow; its rounds' seconds and bytes as flow recorded them. */
  private Topology run(List<Path> files, Path test, int width, boolean ring, Progress progress)
      throws Exception {
    var spec = new HomoDemo.Spec(files, test, new int[] {width}, "fedavg", ring, rounds, false);
    HomoDemo.Result r =
        new HomoDemo(spec, new PrintWriter(java.io.Writer.nullWriter()), true).run(progress);
    Map<Integer, Long> perRound = r.training().bytesPer(rounds);
    long partyBytes =
        perRound.entrySet().stream()
            .filter(e -> e.getKey() != LocalFederation.ARBITER)
            .mapToLong(Map.Entry::getValue)
            .sum();
    return new Topology(
        r.training().medianSeconds(),
        ring ? null : perRound.get(LocalFederation.ARBITER),
        partyBytes / parties);
  }

  /** {@code rows} random rows of {@code features} Gaussian columns and a 0/1 label. */
  private static Path randomCsv(Path file, int features, int rows, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder csv = new StringBuilder("id,y");
    for (int j = 0; j < features; j++) {
      csv.append(",x").append(j);
    }
    csv.append('\n');
    for (int i = 0; i < rows; i++) {
      csv.append(seed).append('-').append(i).append(',').append(i % 2);
      for (int j = 0; j < features; j++) {
        csv.append(',').append((float) random.nextGaussian());
      }
      csv.append('\n');
    }
    return Files.writeString(file, csv);
  }

  @Override
  protected void printText(Rounds r, PrintWriter out) {
    out.printf(
        "%s parties, %,d parameters (8 bytes each), %s rounds, a flow job of one node process each%n",
        r.parties(), r.parameters(), r.rounds());
    Topology ps = r.parameterServer();
    Topology ring = r.ring();
    out.printf(
        "%-22s %14s %18s %18s%n", "topology", "s per round", "arbiter B/round", "party B/round");
    out.printf(
        "%-22s %14.2f %,18d %,18d%n",
        "parameter server",
        ps.secondsPerRound(),
        ps.arbiterBytesPerRound(),
        ps.partyBytesPerRound());
    out.printf(
        "%-22s %14.2f %18s %,18d%n",
        "ring all-reduce", ring.secondsPerRound(), "-", ring.partyBytesPerRound());
  }
}
