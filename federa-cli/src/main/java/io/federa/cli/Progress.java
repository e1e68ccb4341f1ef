package io.federa.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr when a person is watching a terminal; silent otherwise (pipes, CI,
 * {@code --json}), so scripts read clean output.
 */
public final class Progress implements AutoCloseable {
  private final boolean enabled;
  private ProgressBar bar;

  private Progress(boolean enabled) {
    this.enabled = enabled;
  }

  static Progress forTerminal(boolean wanted) {
    return new Progress(wanted && System.console() != null);
  }

  /** Starts (or replaces) a bar of {@code total} steps. */
  public void start(String task, long total) {
    if (!enabled) {
      return;
    }
    finish();
    bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(200)
            .continuousUpdate()
            .build();
  }

  public void stepTo(long done) {
    if (bar != null) {
      bar.stepTo(done);
    }
  }

  public void extra(String message) {
    if (bar != null) {
      bar.setExtraMessage(message);
    }
  }

  public void finish() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  @Override
  public void close() {
    finish();
  }
}
