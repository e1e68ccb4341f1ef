package io.federa.ml.hetero;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.Federation;
import io.federa.ml.Checkpoints;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * One party's hetero-LR state after an epoch: which class model and epoch, whether that model had
 * converged, the finished models' weights, the current weights and optimizer moments, and (for the
 * decider) the previous loss and the losses so far; with L-BFGS the party's memory of steps and the
 * decider's line state, so that a resumed run continues exactly. Epochs are counted across class
 * models: {@code model · max_iter + epoch}.
 */
record Checkpoint(
    int model,
    int epoch,
    boolean stopped,
    double[][] done,
    double[] w,
    double[] m,
    double[] v,
    int step,
    double previous,
    double[] losses,
    double[] quasi,
    double[] decider) {

  /**
   * Puts the saved optimizer, stop rule and L-BFGS state back into a party's own (null: a part the
   * party does not keep).
   */
  void restore(
      LocalOptimizer optimizer,
      Convergence convergence,
      io.federa.ml.optim.QuasiNewton quasiNewton,
      io.federa.ml.optim.QuasiNewtonDecider quasiDecider) {
    optimizer.restore(m, v, step);
    if (convergence != null) {
      convergence.restore(previous);
    }
    if (quasiNewton != null && quasi != null) {
      quasiNewton.restore(quasi);
    }
    if (quasiDecider != null && decider != null) {
      quasiDecider.restore(decider);
    }
  }

  byte[] encode() {
    var bytes = new ByteArrayOutputStream();
    try (var out = new DataOutputStream(bytes)) {
      out.writeInt(2); // format version (1: no L-BFGS state)
      out.writeInt(model);
      out.writeInt(epoch);
      out.writeBoolean(stopped);
      out.writeInt(done.length);
      for (double[] d : done) {
        writeArray(out, d);
      }
      writeArray(out, w);
      writeArray(out, m);
      writeArray(out, v);
      out.writeInt(step);
      out.writeDouble(previous);
      writeArray(out, losses);
      writeArray(out, quasi);
      writeArray(out, decider);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }

  static Checkpoint decode(byte[] data) {
    try (var in = new DataInputStream(new ByteArrayInputStream(data))) {
      int version = in.readInt();
      if (version != 1 && version != 2) {
        throw new IOException("unknown checkpoint format");
      }
      int model = in.readInt();
      int epoch = in.readInt();
      boolean stopped = in.readBoolean();
      double[][] done = new double[in.readInt()][];
      for (int i = 0; i < done.length; i++) {
        done[i] = readArray(in);
      }
      double[] w = readArray(in);
      double[] m = readArray(in);
      double[] v = readArray(in);
      int step = in.readInt();
      double previous = in.readDouble();
      double[] losses = readArray(in);
      double[] quasi = version >= 2 ? readArray(in) : null;
      double[] decider = version >= 2 ? readArray(in) : null;
      return new Checkpoint(
          model, epoch, stopped, done, w, m, v, step, previous, losses, quasi, decider);
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "a hetero-LR checkpoint is damaged ("
              + e.getMessage()
              + "); rerun the component from the start",
          e);
    }
  }

  private static void writeArray(DataOutputStream out, double[] a) throws IOException {
    out.writeInt(a == null ? -1 : a.length);
    if (a != null) {
      for (double x : a) {
        out.writeDouble(x);
      }
    }
  }

  private static double[] readArray(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    if (n > 100_000_000) {
      throw new IOException("array of " + n);
    }
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = in.readDouble();
    }
    return a;
  }

  /** Whether to save after epoch {@code t} (the model's last epoch is always saved). */
  static boolean due(Checkpoints store, int t, boolean last) {
    return store.every() > 0 && (last || (t + 1) % store.every() == 0);
  }

  /**
   * A party's state after epoch {@code t} of class model {@code k}, saved when due: the weights and
   * optimizer of a party that trains ({@code optimizer} null for the arbiter), the decider's last
   * loss, the arbiter's indexed losses.
   */
  static void saveIfDue(
      Checkpoints store,
      HeteroLrParams params,
      int k,
      int t,
      boolean last,
      double[][] done,
      double[] w,
      LocalOptimizer optimizer,
      double previous,
      double[] losses,
      io.federa.ml.optim.QuasiNewton quasi,
      io.federa.ml.optim.QuasiNewtonDecider decider) {
    if (!due(store, t, last)) {
      return;
    }
    store.save(
        k * params.maxIter() + t,
        new Checkpoint(
                k,
                t,
                last,
                done == null ? new double[0][] : java.util.Arrays.copyOf(done, k),
                w,
                optimizer == null ? null : optimizer.m(),
                optimizer == null ? null : optimizer.v(),
                optimizer == null ? 0 : optimizer.step(),
                previous,
                losses,
                quasi == null ? null : quasi.state(),
                decider == null ? null : decider.state())
            .encode());
  }

  /** Where to resume ({@link io.federa.ml.ResumePoint}), under hetero LR's message keys. */
  static int agree(
      Federation federation,
      HeteroLrMessages messages,
      int guest,
      List<Integer> others,
      Checkpoints store,
      Duration timeout) {
    return io.federa.ml.ResumePoint.agree(
        federation, messages.resumeOffer(), messages.resumeAt(), guest, others, store, timeout);
  }
}
