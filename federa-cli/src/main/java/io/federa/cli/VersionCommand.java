package io.federa.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code federa version}. */
@Command(name = "version", description = "Print Federa's version and the Java runtime.")
public final class VersionCommand extends FederaCommand<VersionCommand.Version> {
  /** Federa's version and the runtime's. */
  public record Version(String federa, String java, String javaVendor, String os, int cores) {}

  static String version() {
    try (InputStream in = VersionCommand.class.getResourceAsStream("/federa-version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  @Override
  protected Version execute(Progress progress) {
    return new Version(
        version(),
        System.getProperty("java.version"),
        System.getProperty("java.vendor"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        Runtime.getRuntime().availableProcessors());
  }

  @Override
  protected void printText(Version v, PrintWriter out) {
    out.printf("federa %s (Java %s, %s, %s cores)%n", v.federa(), v.java(), v.os(), v.cores());
  }

  /** For {@code federa --version}. */
  static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"federa " + version()};
    }
  }
}
