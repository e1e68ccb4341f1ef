package io.federa.cli.bench;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's {@code wrk} against one URL with a Lua script of its own: POST bodies taken in turn, the
 * bearer token, an optional pause per connection (wrk's {@code delay}, which paces a run to about
 * connections × 1000 / pause requests per second; the latency then excludes queueing before the
 * send), and a last line with the counts and percentiles read back here.
 */
public final class Wrk {
  private final String url;
  private final Path dir;
  private final String name;
  private final String token;
  private final List<String> bodies;

  public Wrk(String url, String token, List<String> bodies, Path dir, String name) {
    this.url = url;
    this.token = token;
    this.bodies = bodies;
    this.dir = dir;
    this.name = name;
  }

  /** Whether wrk is on the PATH. */
  public static boolean available() {
    try {
      require();
      return true;
    } catch (FederaException e) {
      return false;
    }
  }

  /** Refuses to run without wrk on the PATH, naming the fix. */
  public static void require() {
    try {
      Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor();
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.NOT_FOUND, "this benchmark drives Debian's wrk: apt-get install wrk");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FederaException(ErrorCode.INTERNAL, "interrupted", e);
    }
  }

  /** One run of {@code seconds} with {@code connections}; {@code pauseMs} 0: as fast as it can. */
  public ServingBench.Run run(int seconds, int connections, int rows, int pauseMs, String kind)
      throws IOException, InterruptedException {
    Path script = dir.resolve(name + "-" + pauseMs + ".lua");
    StringBuilder lua = new StringBuilder();
    lua.append("wrk.method = \"POST\"\n");
    lua.append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
    lua.append("wrk.headers[\"Authorization\"] = \"Bearer ").append(token).append("\"\n");
    lua.append("local bodies = {\n");
    for (String b : bodies) {
      lua.append("[[").append(b).append("]],\n");
    }
    lua.append("}\nlocal i = 0\n");
    lua.append("request = function()\n  i = i % #bodies + 1\n");
    lua.append("  return wrk.format(nil, nil, nil, bodies[i])\nend\n");
    if (pauseMs > 0) {
      lua.append("delay = function() return ").append(pauseMs).append(" end\n");
    }
    lua.append("done = function(summary, latency, requests)\n");
    lua.append("  local e = summary.errors\n");
    lua.append(
        "  io.write(string.format(\"FEDERA %d %d %d %d %d %d %d\\n\", summary.requests,"
            + " e.status + e.connect + e.read + e.write + e.timeout, summary.duration,"
            + " latency:percentile(50), latency:percentile(99), latency:percentile(99.9),"
            + " latency.max))\nend\n");
    Files.writeString(script, lua, StandardCharsets.UTF_8);
    int threads = Math.min(2, connections);
    Process p =
        new ProcessBuilder(
                "wrk",
                "-t" + threads,
                "-c" + connections,
                "-d" + seconds + "s",
                "--timeout",
                "5s",
                "-s",
                script.toString(),
                url)
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new FederaException(ErrorCode.IO_FAILURE, "wrk failed: " + output);
    }
    for (String line : output.split("\n")) {
      if (line.startsWith("FEDERA ")) {
        String[] f = line.trim().split(" ");
        long requests = Long.parseLong(f[1]);
        double secondsRun = Long.parseLong(f[3]) / 1e6;
        double rps = requests / secondsRun;
        return new ServingBench.Run(
            kind,
            connections,
            rows,
            requests,
            Long.parseLong(f[2]),
            rps,
            rps * rows,
            Long.parseLong(f[4]) / 1e3,
            Long.parseLong(f[5]) / 1e3,
            Long.parseLong(f[6]) / 1e3,
            Long.parseLong(f[7]) / 1e3);
      }
    }
    throw new FederaException(ErrorCode.PROTOCOL, "wrk printed no summary: " + output);
  }
}
