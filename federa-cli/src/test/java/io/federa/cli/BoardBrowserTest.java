package io.federa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.federa.cli.demo.LoopbackNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The board in a real browser (Debian's chromium through its chromedriver): the main demo's three
 * node processes kept running, its job's page opened from the demo's one-time link, and everything
 * a user reads there checked against tracking: the DAG's components and their states at every
 * party, the loss chart's points, the AUC, the privacy view's totals against {@code federa audit},
 * and a failing job's cause. Screenshots go to {@code target/board-screenshots/}; the browser's
 * console must stay free of errors. Without chromium the test is skipped, unless {@code
 * FEDERA_REQUIRE_BROWSER=1} (CI) makes that a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BoardBrowserTest {

  private JsonNode demo;
  private Path federation;
  private WebDriver browser;

  @BeforeAll
  void startDemoAndBrowser() throws Exception {
    Chromium.require();
    CliTest.Run run = CliTest.run("demo", "--keep", "--json");
    assertEquals(0, run.exit(), run.out() + run.err());
    demo = run.json();
    federation = Path.of(demo.get("dir").asText());
    browser = Chromium.start();
  }

  @AfterAll
  void stopAll() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (federation != null) {
      try (Stream<Path> parties = Files.list(federation.resolve("federation"))) {
        for (Path p : parties.filter(p -> Files.exists(p.resolve("node.yaml"))).toList()) {
          CliTest.run("node", "stop", "--conf", p.resolve("node.yaml").toString());
        }
      }
      LoopbackNodes.deleteTree(federation);
    }
  }

  @Test
  @Order(1)
  void theDemoJobsPage_showsItsDagLossAndAuc_asTracked() throws Exception {
    browser.get(demo.get("board").asText()); // the demo's one-time link opens its job
    String jobId = demo.get("job_id").asText();
    waitFor(By.cssSelector("#job-state"), "success");
    assertEquals(jobId, browser.findElement(By.id("job-id")).getText());

    List<WebElement> nodes = browser.findElements(By.cssSelector("#dag .node"));
    List<String> names = new ArrayList<>();
    for (WebElement n : nodes) {
      names.add(n.getAttribute("data-component"));
      assertEquals("success", n.getAttribute("data-state"), n.getAttribute("data-component"));
      List<WebElement> dots = n.findElements(By.cssSelector("circle.dot"));
      assertEquals(3, dots.size(), "one dot per party");
      for (WebElement d : dots) {
        assertEquals("success", d.getAttribute("data-state"));
      }
    }
    assertEquals(
        List.of("reader_0", "data_transform_0", "intersection_0", "hetero_lr_0", "evaluation_0"),
        names);

    // the trained component is shown first: its loss chart has one point per iteration
    WebElement loss = waitFor(By.cssSelector("figure[data-metric=loss]"));
    assertEquals(
        demo.get("federated").get("losses").size(),
        Integer.parseInt(loss.getAttribute("data-points")));
    assertTrue(loss.findElements(By.tagName("canvas")).size() > 0, "uPlot drew the chart");
    shot("job-overview");

    browser.findElement(By.cssSelector("#dag .node[data-component=evaluation_0]")).click();
    WebElement auc = waitFor(By.id("metric-9999-auc"));
    assertEquals(
        demo.get("federated").get("auc").asDouble(),
        Double.parseDouble(auc.getAttribute("data-value")),
        1e-12);
    for (String chart : List.of("roc", "ks", "lift", "gain", "pr", "confusion")) {
      assertTrue(browser.findElements(By.id("chart-" + chart)).size() == 1, chart + " is drawn");
    }
    shot("job-evaluation");
    assertNoConsoleErrors();
  }

  @Test
  @Order(2)
  void thePrivacyView_totalsEqualFederaAudit() throws Exception {
    String jobId = demo.get("job_id").asText();
    String guestNode = demo.get("guest_node").asText();
    CliTest.Run audit = CliTest.run("audit", "--node", guestNode, "--job", jobId, "--json");
    assertEquals(0, audit.exit(), audit.err());
    long bytes = 0;
    long count = 0;
    for (JsonNode r : audit.json().get("received")) {
      bytes += r.get("bytes").asLong();
      count += r.get("count").asLong();
    }
    assertTrue(bytes > 0);
    browser.findElement(By.id("tab-privacy")).click();
    WebElement total = waitFor(By.id("privacy-total"));
    assertEquals(bytes, Long.parseLong(total.getAttribute("data-bytes")));
    assertEquals(count, Long.parseLong(total.getAttribute("data-count")));
    // beside it, what the docs say each party learns, for every module that exchanges anything
    waitFor(By.cssSelector(".learns[data-module=HeteroLR] table"));
    waitFor(By.cssSelector(".learns[data-module=Intersection] table"));
    shot("job-privacy");
    assertNoConsoleErrors();
  }

  @Test
  @Order(3)
  void aFailingJob_showsItsCauseThePartyAndTheLogAroundIt() throws Exception {
    Path dir = federation.resolve("failing-job");
    Files.createDirectories(dir);
    ObjectMapper json = new ObjectMapper();
    // the Evaluation component given data that no model scored: it fails at the guest, at once
    Path examples = Path.of(System.getProperty("federa.data.dir")).resolveSibling("federa");
    ObjectNode dsl = (ObjectNode) json.readTree(examples.resolve("hetero_lr_dsl.json").toFile());
    ObjectNode components = (ObjectNode) dsl.get("components");
    components.remove("hetero_lr_0");
    ((ObjectNode) components.get("evaluation_0").get("input").get("data"))
        .putArray("data")
        .add("intersection_0.data");
    ObjectNode conf = (ObjectNode) json.readTree(examples.resolve("hetero_lr_conf.json").toFile());
    ((ObjectNode) conf.get("component_parameters").get("common")).remove("hetero_lr_0");
    String jobId = submit(dir, dsl, conf);

    browser.get(browser.getCurrentUrl().replaceFirst("#.*$", "#/jobs/" + jobId));
    waitFor(By.cssSelector("#job-state"), "failed");
    WebElement failure = waitFor(By.id("failure"));
    assertEquals("9999", failure.getAttribute("data-party"));
    assertEquals("evaluation_0", failure.getAttribute("data-component"));
    String cause = browser.findElement(By.id("failure-cause")).getText();
    assertTrue(cause.contains("evaluates a model's predictions"), cause);
    WebElement log = waitFor(By.cssSelector("#failure-log .hit"));
    assertTrue(log.getText().contains("evaluation_0 failed"), log.getText());
    assertEquals(
        "failed",
        browser
            .findElement(By.cssSelector("#dag .node[data-component=evaluation_0]"))
            .getAttribute("data-state"));
    shot("job-failed");

    // the jobs list shows both, and its state filter keeps only the failed one
    browser.get(browser.getCurrentUrl().replaceFirst("#.*$", "#/jobs?state=failed"));
    WebElement row = waitFor(By.cssSelector("#jobs tr[data-job='" + jobId + "']"));
    assertEquals("failed", row.getAttribute("data-state"));
    assertEquals(1, browser.findElements(By.cssSelector("#jobs tr")).size());
    shot("jobs-failed");
    assertNoConsoleErrors();
  }

  @Test
  @Order(4)
  void aRunningJobsLossGrowsLive_thenCompareDataAndModels() throws Exception {
    String guestNode = demo.get("guest_node").asText();
    Path dir = federation.resolve("second-job");
    Files.createDirectories(dir);
    ObjectMapper json = new ObjectMapper();
    Path examples = Path.of(System.getProperty("federa.data.dir")).resolveSibling("federa");
    ObjectNode conf = (ObjectNode) json.readTree(examples.resolve("hetero_lr_conf.json").toFile());
    ((ObjectNode) conf.at("/component_parameters/common/hetero_lr_0")).put("alpha", 0.1);
    String jobId =
        submit(dir, json.readTree(examples.resolve("hetero_lr_dsl.json").toFile()), conf);
    browser.get(browser.getCurrentUrl().replaceFirst("#.*$", "#/jobs/" + jobId));
    // while it trains, the page shows the loss as it comes: two points or more, the job running
    new WebDriverWait(browser, Chromium.PATIENCE)
        .until(
            b ->
                Boolean.TRUE.equals(
                    ((org.openqa.selenium.JavascriptExecutor) b)
                        .executeScript(
                            "const c = document.querySelector('figure[data-metric=loss]');"
                                + " const s = document.getElementById('job-state');"
                                + " return !!c && !!s && s.textContent === 'running'"
                                + " && Number(c.dataset.points) >= 2;")));
    shot("job-running");
    waitFor(By.cssSelector("#job-state"), "success");
    CliTest.Run metrics =
        CliTest.run(
            "metrics", "--node", guestNode, "--job", jobId, "--component", "hetero_lr_0", "--json");
    assertEquals(0, metrics.exit(), metrics.err());
    java.util.Set<Integer> iterations = new java.util.HashSet<>();
    for (JsonNode m : metrics.json().get("metrics")) {
      if (m.get("name").asText().equals("loss")) {
        iterations.add(m.get("step").asInt());
      }
    }
    assertEquals(
        iterations.size(),
        Integer.parseInt(
            waitFor(By.cssSelector("figure[data-metric=loss]")).getAttribute("data-points")),
        "the chart caught up with every iteration");

    // compare the demo's job with this one: alpha differs, both curves on one chart
    browser.get(browser.getCurrentUrl().replaceFirst("#.*$", "#/jobs"));
    waitFor(By.cssSelector("#jobs input.pick[value='" + jobId + "']")).click();
    browser
        .findElement(
            By.cssSelector("#jobs input.pick[value='" + demo.get("job_id").asText() + "']"))
        .click();
    browser.findElement(By.id("compare")).click();
    WebElement diff = waitFor(By.id("param-diff"));
    assertEquals(
        1,
        diff.findElements(By.cssSelector("[data-key='hetero_lr_0.alpha']")).size(),
        diff.getText());
    assertEquals("2", waitFor(By.id("chart-compare-loss")).getAttribute("data-series"));
    assertEquals("2", waitFor(By.id("chart-compare-roc")).getAttribute("data-series"));
    shot("compare");

    browser.findElement(By.cssSelector("nav a[href='#/data']")).click();
    WebElement guestTable =
        waitFor(By.cssSelector("#tables [data-table='experiment.breast_hetero_guest']"));
    assertTrue(guestTable.findElement(By.xpath("../..")).getText().contains("569"));
    shot("data");
    browser.findElement(By.cssSelector("nav a[href='#/models']")).click();
    waitFor(By.cssSelector("#models a[href='#/jobs/" + jobId + "']"));
    shot("models");
    assertNoConsoleErrors();
  }

  @Test
  @Order(5)
  void theDemoJobsPage_inFirefoxToo() throws Exception {
    Firefox.require();
    CliTest.Run link =
        CliTest.run("board", "link", "--node", demo.get("guest_node").asText(), "--json");
    assertEquals(0, link.exit(), link.err());
    String url = link.json().get("url").asText() + "&to=/jobs/" + demo.get("job_id").asText();
    try (Firefox firefox = new Firefox()) {
      firefox.navigate(url);
      String shown =
          firefox.waitFor(
              "document.getElementById('job-state')?.textContent === 'success'"
                  + " && document.querySelector('figure[data-metric=loss] canvas')"
                  + " && [document.querySelectorAll('#dag .node[data-state=success]').length,"
                  + " Number(document.querySelector('figure[data-metric=loss]').dataset.points)]");
      assertEquals("[5," + demo.get("federated").get("losses").size() + "]", shown);
      firefox.screenshot(Chromium.SHOTS.resolve("firefox-job-overview.png"));
      assertEquals(List.of(), firefox.errors(), "Firefox's console");
    }
  }

  /**
   * Writes {@code dsl} and {@code conf} into {@code dir}, submits them at the guest: the job id.
   */
  private String submit(Path dir, JsonNode dsl, JsonNode conf) throws Exception {
    ObjectMapper json = new ObjectMapper();
    json.writeValue(dir.resolve("dsl.json").toFile(), dsl);
    json.writeValue(dir.resolve("conf.json").toFile(), conf);
    CliTest.Run submit =
        CliTest.run(
            "submit",
            "--node",
            demo.get("guest_node").asText(),
            "--dsl",
            dir.resolve("dsl.json").toString(),
            "--conf",
            dir.resolve("conf.json").toString(),
            "--json");
    assertEquals(0, submit.exit(), submit.out() + submit.err());
    return submit.json().get("job_id").asText();
  }

  private WebElement waitFor(By what) {
    return Chromium.waitFor(browser, what);
  }

  private void waitFor(By what, String text) {
    Chromium.waitFor(browser, what, text);
  }

  private void shot(String name) throws IOException {
    Chromium.shot(browser, name);
  }

  private void assertNoConsoleErrors() {
    Chromium.assertNoConsoleErrors(browser);
  }
}
