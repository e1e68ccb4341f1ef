package io.federa.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code federa version}. */
@Command(name = "version", description = "Print Federa's version and the Java runtime.")
public final class VersionCommand extends FederaCommand<Map<String, Object>> {

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
  protected Map<String, Object> execute(Progress progress) {
    var m = new LinkedHashMap<String, Object>();
    m.put("federa", version());
    m.put("java", System.getProperty("java.version"));
    m.put("java_vendor", System.getProperty("java.vendor"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    m.put("cores", Runtime.getRuntime().availableProcessors());
    return m;
  }

  @Override
  protected void printText(Map<String, Object> result, PrintWriter out) {
    out.printf(
        "federa %s (Java %s, %s, %s cores)%n",
        result.get("federa"), result.get("java"), result.get("os"), result.get("cores"));
  }

  /** For {@code federa --version}. */
  static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"federa " + version()};
    }
  }
}
