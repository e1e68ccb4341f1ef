package io.federa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.federation.InProcessFederation;
import io.federa.flow.api.HttpApi;
import io.federa.flow.job.JobStore;
import io.federa.flow.job.State;
import io.federa.flow.node.FlowNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The board with 1,000 jobs in a node's store: the jobs page and a job's page load and render them
 * (the list filtered and paged by the node, the job with its DAG, tasks and loss chart). The load
 * times, measured in the page (from navigation to the render's performance mark), are printed and
 * written to {@code target/board-load.txt} for docs/benchmarks.md — reported, not asserted: the
 * machines are shared.
 */
class BoardLoadTest {
  private static final Path EXAMPLES =
      Path.of(System.getProperty("federa.data.dir")).resolveSibling("federa");

  @TempDir Path dir;

  @Test
  void aThousandJobs_listAndJobPageRender() throws Exception {
    Chromium.require();
    FlowNode node = new FlowNode(InProcessFederation.network().party(9999), dir, null, 1);
    HttpApi api = HttpApi.start(node, "127.0.0.1", 0, HttpApi.token(dir));
    WebDriver browser = Chromium.start();
    try {
      String last = seed(node.jobs(), 1000);
      browser.get(api.boardLink());
      Chromium.waitFor(browser, By.id("job-count"), "200 of 1000 jobs shown");
      assertEquals(200, browser.findElements(By.cssSelector("#jobs tr")).size());
      double first = mark(browser, "board-jobs-rendered");
      Chromium.shot(browser, "thousand-jobs");
      browser.navigate().refresh(); // a second load: the node's code paths warm, as in use
      Chromium.waitFor(browser, By.id("job-count"), "200 of 1000 jobs shown");
      double list = mark(browser, "board-jobs-rendered");

      JavascriptExecutor js = (JavascriptExecutor) browser;
      js.executeScript(
          "performance.clearMarks(); window.__t0 = performance.now();"
              + " location.hash = '#/jobs/"
              + last
              + "';");
      Chromium.waitFor(browser, By.cssSelector("#job-state"), "success");
      double job =
          mark(browser, "board-job-rendered")
              - ((Number) js.executeScript("return window.__t0")).doubleValue();
      assertEquals(
          "30",
          Chromium.waitFor(browser, By.cssSelector("figure[data-metric=loss]"))
              .getAttribute("data-points"));
      assertEquals(5, browser.findElements(By.cssSelector("#dag .node")).size());

      js.executeScript(
          "performance.clearMarks(); window.__t0 = performance.now();"
              + " location.hash = '#/jobs?state=failed';");
      Chromium.waitFor(browser, By.id("job-count"), "100 jobs");
      double filtered =
          mark(browser, "board-jobs-rendered")
              - ((Number) js.executeScript("return window.__t0")).doubleValue();
      Chromium.assertNoConsoleErrors(browser);

      String table =
          String.format(
              "board page loads, 1,000 jobs in the store (ms, in the page, loopback)%n"
                  + "jobs list, first after the node started %8.0f%n"
                  + "jobs list (page load, 200 rows shown)   %8.0f%n"
                  + "job page (DAG, 15 tasks, 30-point loss)  %8.0f%n"
                  + "jobs list filtered to 100 failed jobs    %8.0f%n",
              first, list, job, filtered);
      System.out.print(table);
      Files.writeString(Path.of("target", "board-load.txt"), table);
      assertTrue(list > 0 && job > 0 && filtered > 0, table);
    } finally {
      browser.quit();
      api.close();
      node.close();
    }
  }

  /** When the page set performance mark {@code name} (ms since the page's navigation began). */
  private static double mark(WebDriver browser, String name) {
    Object t =
        new WebDriverWait(browser, Chromium.PATIENCE)
            .until(
                b ->
                    ((JavascriptExecutor) b)
                        .executeScript(
                            "const m = performance.getEntriesByName('"
                                + name
                                + "'); return m.length ? m[0].startTime : null;"));
    return ((Number) t).doubleValue();
  }

  /**
   * {@code n} hetero LR jobs (every tenth failed, the rest succeeded), the newest with its tasks at
   * three parties and a 30-iteration loss; returns the newest's id.
   */
  private static String seed(JobStore jobs, int n) throws Exception {
    String dsl = Files.readString(EXAMPLES.resolve("hetero_lr_dsl.json"));
    String conf = Files.readString(EXAMPLES.resolve("hetero_lr_conf.json"));
    String id = null;
    for (int i = 0; i < n; i++) {
      id = String.format("2026120400%010d", i);
      jobs.createJob(id, "guest", 9999, dsl, conf);
      jobs.setJobState(id, State.RUNNING, null);
      jobs.setJobState(
          id, i % 10 == 0 ? State.FAILED : State.SUCCESS, i % 10 == 0 ? "seeded" : null);
    }
    List<JobStore.Task> tasks = new ArrayList<>();
    for (String c :
        List.of("reader_0", "data_transform_0", "intersection_0", "hetero_lr_0", "evaluation_0")) {
      int p = 0;
      for (int party : List.of(9999, 10000, 10001)) {
        tasks.add(
            new JobStore.Task(
                id,
                c,
                party,
                List.of("guest", "host", "arbiter").get(p++),
                State.SUCCESS,
                0,
                1,
                null,
                "2026-12-04T00:00:00Z",
                "2026-12-04T00:00:01Z"));
      }
    }
    jobs.putTasks(tasks);
    List<JobStore.Metric> losses = new ArrayList<>();
    for (int k = 1; k <= 30; k++) {
      losses.add(new JobStore.Metric("hetero_lr_0", 10001, "loss", k, 0.7 / k));
    }
    jobs.addMetrics(id, losses);
    return id;
  }
}
