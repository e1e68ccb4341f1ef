package io.federa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium driven through its chromedriver, for the board's tests: headless, with the
 * flags this machine's closed network needs, console messages kept, screenshots under {@code
 * target/board-screenshots/}. Absent, the tests are skipped — unless {@code
 * FEDERA_REQUIRE_BROWSER=1} (CI) makes that a failure.
 */
final class Chromium {
  private static final Path BINARY = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SHOTS = Path.of("target", "board-screenshots");

  /** Only a bound for a broken page: every wait ends as soon as its condition holds. */
  static final Duration PATIENCE = Duration.ofSeconds(90);

  private Chromium() {}

  /** Skips the calling test class without a browser (fails instead under CI). */
  static void require() {
    assumeTrue(available(), "no chromium/chromedriver: the board's browser tests are skipped");
  }

  /** Whether the browser is here (it must be under CI). */
  static boolean available() {
    boolean present = Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
    if ("1".equals(System.getenv("FEDERA_REQUIRE_BROWSER"))) {
      assertTrue(present, "install Debian's chromium and chromium-driver for the board's tests");
    }
    return present;
  }

  static WebDriver start() throws IOException {
    Files.createDirectories(SHOTS);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1300,1400");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    return new ChromeDriver(
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build(), options);
  }

  static WebElement waitFor(WebDriver browser, By what) {
    return new WebDriverWait(browser, PATIENCE)
        .until(ExpectedConditions.visibilityOfElementLocated(what));
  }

  static void waitFor(WebDriver browser, By what, String text) {
    new WebDriverWait(browser, PATIENCE)
        .until(ExpectedConditions.textToBePresentInElementLocated(what, text));
  }

  static void shot(WebDriver browser, String name) throws IOException {
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SHOTS.resolve(name + ".png"), png);
  }

  static void assertNoConsoleErrors(WebDriver browser) {
    List<String> errors = new ArrayList<>();
    for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        errors.add(e.getMessage());
      }
    }
    assertEquals(List.of(), errors, "the browser's console");
  }
}
