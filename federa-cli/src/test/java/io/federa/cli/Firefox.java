package io.federa.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's Firefox ESR driven through WebDriver BiDi, which Firefox speaks itself over a WebSocket
 * ({@code --remote-debugging-port}) — no geckodriver, which Debian does not package and a test may
 * not download. Just what the board's test needs: navigate, evaluate (a promise that resolves in
 * the page when a condition holds: the wait is on the page's event, bounded only against a broken
 * page), the console's errors, a screenshot. Absent, the test is skipped — unless {@code
 * FEDERA_REQUIRE_BROWSER=1} (CI) makes that a failure.
 */
final class Firefox implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/bin/firefox-esr");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING =
      Pattern.compile("WebDriver BiDi listening on (ws://\\S+)");

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
  private final String context;

  static void require() {
    boolean present = Files.isExecutable(BINARY);
    if ("1".equals(System.getenv("FEDERA_REQUIRE_BROWSER"))) {
      assertTrue(present, "install Debian's firefox-esr for the board's Firefox test");
    }
    assumeTrue(present, "no firefox-esr: the board's Firefox test is skipped");
  }

  Firefox() throws Exception {
    profile = Files.createTempDirectory("federa-firefox-");
    // a quiet profile: no first-run pages, updates, telemetry or connectivity checks
    Files.writeString(
        profile.resolve("user.js"),
        String.join(
            "\n",
            "user_pref(\"browser.shell.checkDefaultBrowser\", false);",
            "user_pref(\"browser.startup.homepage_override.mstone\", \"ignore\");",
            "user_pref(\"app.update.auto\", false);",
            "user_pref(\"app.update.enabled\", false);",
            "user_pref(\"datareporting.policy.dataSubmissionEnabled\", false);",
            "user_pref(\"toolkit.telemetry.reportingpolicy.firstRun\", false);",
            "user_pref(\"network.captive-portal-service.enabled\", false);",
            "user_pref(\"network.connectivity-service.enabled\", false);",
            "user_pref(\"extensions.update.enabled\", false);",
            "user_pref(\"browser.safebrowsing.update.enabled\", false);",
            ""));
    process =
        new ProcessBuilder(
                BINARY.toString(),
                "--headless",
                "--no-remote",
                "--profile",
                profile.toString(),
                "--remote-debugging-port=0",
                "--window-size=1300,1400",
                "about:blank")
            .redirectErrorStream(true)
            .start();
    String endpoint = endpoint();
    socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(URI.create(endpoint + "/session"), new Listener())
            .get(Chromium.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    call("session.new", Map.of("capabilities", Map.of()));
    call("session.subscribe", Map.of("events", List.of("log.entryAdded")));
    context = call("browsingContext.getTree", Map.of()).at("/contexts/0/context").asText();
  }

  /** The BiDi address Firefox prints when it listens (its output is then drained). */
  private String endpoint() throws IOException {
    var reader =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = reader.readLine()) != null; ) {
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        Thread drain =
            new Thread(
                () -> {
                  try {
                    while (reader.readLine() != null) {
                      // Firefox's own chatter
                    }
                  } catch (IOException ignored) {
                    // it ended
                  }
                },
                "firefox-output");
        drain.setDaemon(true);
        drain.start();
        return m.group(1);
      }
      seen.append(line).append('\n');
    }
    throw new IllegalStateException("firefox ended without listening:\n" + seen);
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode m = JSON.readTree(text.toString());
          if (m.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
            if (f != null) {
              if (m.path("type").asText().equals("error")) {
                f.completeExceptionally(new IllegalStateException(m.toString()));
              } else {
                f.complete(m.get("result"));
              }
            }
          } else if (m.path("method").asText().equals("log.entryAdded")
              && m.at("/params/level").asText().equals("error")) {
            errors.add(m.at("/params/text").asText());
          }
        } catch (IOException e) {
          errors.add("unreadable BiDi message: " + e);
        }
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }

  private JsonNode call(String method, Object params) throws Exception {
    int id = ids.incrementAndGet();
    var f = new CompletableFuture<JsonNode>();
    pending.put(id, f);
    ObjectNode m = JSON.createObjectNode();
    m.put("id", id);
    m.put("method", method);
    m.set("params", JSON.valueToTree(params));
    socket.sendText(m.toString(), true).get();
    return f.get(Chromium.PATIENCE.toSeconds(), TimeUnit.SECONDS);
  }

  void navigate(String url) throws Exception {
    call("browsingContext.navigate", Map.of("context", context, "url", url, "wait", "complete"));
  }

  /**
   * Waits in the page until {@code condition} (a JS expression) is truthy, re-checked on every DOM
   * change; returns its value as JSON text.
   */
  String waitFor(String condition) throws Exception {
    String expression =
        "new Promise((done) => { const check = () => { const v = ("
            + condition
            + "); if (v) { observer.disconnect(); done(JSON.stringify(v)); } };"
            + " const observer = new MutationObserver(check);"
            + " observer.observe(document, {subtree: true, childList: true, attributes: true,"
            + " characterData: true}); check(); })";
    JsonNode r =
        call(
            "script.evaluate",
            Map.of(
                "expression",
                expression,
                "target",
                Map.of("context", context),
                "awaitPromise",
                true));
    if (!r.path("type").asText().equals("success")) {
      throw new IllegalStateException("the page threw: " + r);
    }
    return r.at("/result/value").asText();
  }

  void screenshot(Path file) throws Exception {
    JsonNode r = call("browsingContext.captureScreenshot", Map.of("context", context));
    Files.write(file, Base64.getDecoder().decode(r.get("data").asText()));
  }

  /** The console's errors so far. */
  List<String> errors() {
    return List.copyOf(errors);
  }

  @Override
  public void close() throws Exception {
    try {
      call("session.end", Map.of());
    } catch (Exception ignored) {
      // the process goes below
    }
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    io.federa.cli.demo.LoopbackNodes.deleteTree(profile);
  }
}
