package io.federa.ml.secureboost;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A party's SecureBoost state after a tree, for resuming a run a crash interrupted from the last
 * tree every party saved: the guest's finished trees and its rows' scores; a host's splits. Only
 * the party's own state; it never leaves its node.
 */
final class TreeCheckpoint {
  private static final int VERSION = 3; // 2: missing values' directions; 3: validation history

  private TreeCheckpoint() {}

  /**
   * The guest's state: the trees so far, every training row's raw score, the loss after each round
   * (reported again on resume, so the loss curve stays whole), and the validations so far as round
   * and value pairs (empty without validation, and in version-2 checkpoints).
   */
  record Guest(List<FederatedTree> trees, double[] raw, double[] losses, double[] validation) {}

  static byte[] guest(
      List<FederatedTree> trees, double[] raw, double[] losses, double[] validation) {
    return write(
        out -> {
          out.writeInt(trees.size());
          for (FederatedTree t : trees) {
            ints(out, t.owner());
            ints(out, t.feature());
            doubles(out, t.threshold());
            ints(out, t.left());
            ints(out, t.right());
            doubles(out, t.value());
            doubles(out, t.gain());
            booleans(out, t.missingLeft());
          }
          doubles(out, raw);
          doubles(out, losses);
          doubles(out, validation);
        });
  }

  static Guest guest(byte[] data) {
    return read(
        data,
        in -> {
          int n = count(in);
          List<FederatedTree> trees = new ArrayList<>();
          for (int k = 0; k < n; k++) {
            trees.add(
                new FederatedTree(
                    ints(in),
                    ints(in),
                    doubles(in),
                    ints(in),
                    ints(in),
                    doubles(in),
                    doubles(in),
                    booleans(in)));
          }
          double[] raw = doubles(in);
          double[] losses = doubles(in);
          return new Guest(trees, raw, losses, in.available() > 0 ? doubles(in) : new double[0]);
        });
  }

  static byte[] host(List<SecureBoostHostModel.Split> splits) {
    return write(
        out -> {
          out.writeInt(splits.size());
          for (var s : splits) {
            out.writeInt(s.tree());
            out.writeInt(s.node());
            out.writeUTF(s.feature());
            out.writeDouble(s.threshold());
            out.writeBoolean(s.missingLeft());
          }
        });
  }

  static List<SecureBoostHostModel.Split> host(byte[] data) {
    return read(
        data,
        in -> {
          int n = count(in);
          List<SecureBoostHostModel.Split> out = new ArrayList<>();
          for (int k = 0; k < n; k++) {
            out.add(
                new SecureBoostHostModel.Split(
                    in.readInt(), in.readInt(), in.readUTF(), in.readDouble(), in.readBoolean()));
          }
          return out;
        });
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static byte[] write(Writer w) {
    var bytes = new ByteArrayOutputStream();
    try (var out = new DataOutputStream(bytes)) {
      out.writeInt(VERSION);
      w.write(out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }

  private static <T> T read(byte[] data, Reader<T> r) {
    try (var in = new DataInputStream(new ByteArrayInputStream(data))) {
      int version = in.readInt();
      if (version != VERSION && version != 2) {
        throw new IOException("unknown version " + version);
      }
      return r.read(in);
    } catch (IOException | RuntimeException e) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "a SecureBoost checkpoint cannot be read ("
              + e.getMessage()
              + "); rerun the component from the start ('federa rerun --from …')",
          e);
    }
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("a length of " + n);
    }
    return n;
  }

  private static void ints(DataOutputStream out, int[] v) throws IOException {
    out.writeInt(v.length);
    for (int x : v) {
      out.writeInt(x);
    }
  }

  private static int[] ints(DataInputStream in) throws IOException {
    int[] v = new int[count(in)];
    for (int i = 0; i < v.length; i++) {
      v[i] = in.readInt();
    }
    return v;
  }

  private static void booleans(DataOutputStream out, boolean[] v) throws IOException {
    out.writeInt(v.length);
    for (boolean x : v) {
      out.writeBoolean(x);
    }
  }

  private static boolean[] booleans(DataInputStream in) throws IOException {
    boolean[] v = new boolean[count(in)];
    for (int i = 0; i < v.length; i++) {
      v[i] = in.readBoolean();
    }
    return v;
  }

  private static void doubles(DataOutputStream out, double[] v) throws IOException {
    out.writeInt(v.length);
    for (double x : v) {
      out.writeDouble(x);
    }
  }

  private static double[] doubles(DataInputStream in) throws IOException {
    double[] v = new double[count(in)];
    for (int i = 0; i < v.length; i++) {
      v[i] = in.readDouble();
    }
    return v;
  }
}
