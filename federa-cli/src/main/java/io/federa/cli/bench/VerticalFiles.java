package io.federa.cli.bench;

import io.federa.cli.demo.DemoCommand;
import io.federa.cli.demo.VerticalDemo;
import io.federa.crypto.he.HeScheme;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The vertical benches' data and key options ({@code --guest}, {@code --host}, {@code --key-bits};
 * default: the shipped default_credit files, 2048 bits) and the demo run they describe.
 */
final class VerticalFiles {
  @Option(
      names = "--guest",
      description = "Guest CSV. Default: the shipped default_credit guest file.")
  Path guest;

  @Option(
      names = "--host",
      description = "Host CSV. Default: the shipped default_credit host file.")
  Path host;

  @Option(names = "--key-bits", defaultValue = "2048", description = "Default: ${DEFAULT-VALUE}.")
  int keyBits;

  Path guestFile() {
    return guest != null
        ? guest
        : DemoCommand.shippedData().resolve("default_credit_hetero_guest.csv");
  }

  Path hostFile() {
    return host != null
        ? host
        : DemoCommand.shippedData().resolve("default_credit_hetero_host.csv");
  }

  /**
   * The demo run of {@code algorithm} under {@code method} on these files: {@code iterations}
   * epochs or trees.
   */
  VerticalDemo.Spec spec(
      VerticalDemo.Algorithm algorithm, int iterations, boolean arbiter, HeScheme method) {
    return new VerticalDemo.Spec(
        guestFile(),
        List.of(hostFile()),
        "id",
        "y",
        iterations,
        keyBits,
        method,
        arbiter,
        false,
        algorithm);
  }
}
