package io.federa.ml.secureboost;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.MessageKey;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.BitSet;

/**
 * The messages of hetero SecureBoost, one typed key each (tags {@code t3/d1/plan}), and the records
 * they carry with their wire form. Every decoder refuses a malformed body with {@code PROTOCOL}.
 */
final class SecureBoostMessages {
  private final MessageKey base;

  SecureBoostMessages(MessageKey base) {
    this.base = base;
  }

  /**
   * Guest → hosts: the number of training rows (each host checks it holds the same rows), the trees
   * per round and the validation frequency (0: none).
   */
  MessageKey setup() {
    return base.withTag("setup");
  }

  /** Guest → hosts: the guest's public key (Paillier or OU). */
  MessageKey publicKey() {
    return base.withTag("public_key");
  }

  /** Guest → hosts: every row's packed, encrypted (g⁺, g⁻, h) for tree {@code t}. */
  MessageKey gradients(int t) {
    return base.withTag("t" + t + "/gradients");
  }

  /** Guest → hosts: the nodes of level {@code d} and the rows in each ({@link Plan}). */
  MessageKey plan(int t, int d) {
    return base.withTag("t" + t + "/d" + d + "/plan");
  }

  /** Host → guest: each node's candidate splits as compressed encrypted sums. */
  MessageKey histograms(int t, int d) {
    return base.withTag("t" + t + "/d" + d + "/histograms");
  }

  /** Guest → host: per node, the host's winning split id or −1. */
  MessageKey splits(int t, int d) {
    return base.withTag("t" + t + "/d" + d + "/splits");
  }

  /** Host → guest: per node it won, which of the node's rows go left. */
  MessageKey lefts(int t, int d) {
    return base.withTag("t" + t + "/d" + d + "/lefts");
  }

  /**
   * Guest → hosts, after validated round {@code r}: how many rounds the model keeps if training
   * stops here, or −1 to go on ({@link EarlyStopping}).
   */
  MessageKey proceed(int r) {
    return base.withTag("r" + r + "/proceed");
  }

  /** A party's saved trees, offered to the guest; and the guest's choice. */
  MessageKey resumeOffer() {
    return base.withTag("resume_offer");
  }

  MessageKey resumeAt() {
    return base.withTag("resume_at");
  }

  /** Guest → host: round {@code r} of prediction {@code name} ({@link Query}). */
  MessageKey query(String name, int r) {
    return base.withTag("predict/" + name + "/r" + r + "/query");
  }

  /** Host → guest: the directions asked in a round. */
  MessageKey answer(String name, int r) {
    return base.withTag("predict/" + name + "/r" + r + "/answer");
  }

  /**
   * Level {@code d} of a tree: {@code nodeOfRow[i]} is the open node row {@code i} is in (−1: in a
   * leaf; {@code −2 − node}: in {@code node} but out of this tree's bag — routed, not summed). Each
   * node of {@code nodes} is summed directly ({@code parent[k] = −1}) or derived as its parent's
   * sums minus its sibling's ({@code sibling[k]}, listed before it).
   */
  record Plan(int[] nodeOfRow, int[] nodes, int[] parent, int[] sibling) {
    byte[] encode() {
      ByteBuffer b = ByteBuffer.allocate(4 * (4 + nodeOfRow.length + 3 * nodes.length));
      putInts(b, nodeOfRow);
      putInts(b, nodes);
      putInts(b, parent);
      putInts(b, sibling);
      return b.array();
    }

    static Plan decode(byte[] bytes) {
      return read(
          bytes,
          b -> {
            Plan p = new Plan(getInts(b), getInts(b), getInts(b), getInts(b));
            if (p.parent.length != p.nodes.length || p.sibling.length != p.nodes.length) {
              throw new BufferUnderflowException();
            }
            return p;
          });
    }
  }

  /**
   * A host's candidate splits of each planned node, in a secret shuffled order: {@code counts[k]}
   * candidates for node {@code k}, their (G⁺, G⁻, H) sums packed {@code perCiphertext} to a
   * ciphertext, node after node ({@code ciphertexts}: the codec's vector).
   */
  record Histograms(int[] counts, byte[] ciphertexts) {
    byte[] encode() {
      ByteBuffer b = ByteBuffer.allocate(4 * (1 + counts.length) + ciphertexts.length);
      putInts(b, counts);
      b.put(ciphertexts);
      return b.array();
    }

    static Histograms decode(byte[] bytes) {
      return read(
          bytes,
          b -> {
            int[] counts = getInts(b);
            byte[] rest = new byte[b.remaining()];
            b.get(rest);
            return new Histograms(counts, rest);
          });
    }
  }

  /** Per planned node, the receiving host's winning split id, or −1. */
  record Splits(int[] won) {
    byte[] encode() {
      ByteBuffer b = ByteBuffer.allocate(4 * (1 + won.length));
      putInts(b, won);
      return b.array();
    }

    static Splits decode(byte[] bytes) {
      return read(bytes, b -> new Splits(getInts(b)));
    }
  }

  /** For each node a host won (in plan order), its rows (ascending) that go left. */
  record Lefts(BitSet[] left) {
    byte[] encode() {
      byte[][] parts = new byte[left.length][];
      int size = 4;
      for (int k = 0; k < left.length; k++) {
        parts[k] = left[k].toByteArray();
        size += 4 + parts[k].length;
      }
      ByteBuffer b = ByteBuffer.allocate(size).putInt(left.length);
      for (byte[] p : parts) {
        b.putInt(p.length).put(p);
      }
      return b.array();
    }

    static Lefts decode(byte[] bytes) {
      return read(
          bytes,
          b -> {
            BitSet[] out = new BitSet[count(b, 4)];
            for (int k = 0; k < out.length; k++) {
              byte[] p = new byte[count(b, 1)];
              b.get(p);
              out[k] = BitSet.valueOf(p);
            }
            return new Lefts(out);
          });
    }
  }

  /**
   * Prediction round: for each asked (tree, node, row), does the row go left at the host's node?
   * {@code done}: the guest needs no more answers (the host's loop ends).
   */
  record Query(boolean done, int[] tree, int[] node, int[] row) {
    int size() {
      return tree.length;
    }

    byte[] encode() {
      ByteBuffer b = ByteBuffer.allocate(4 * (4 + 3 * tree.length));
      b.putInt(done ? 1 : 0);
      putInts(b, tree);
      putInts(b, node);
      putInts(b, row);
      return b.array();
    }

    static Query decode(byte[] bytes) {
      return read(
          bytes,
          b -> {
            Query q = new Query(b.getInt() == 1, getInts(b), getInts(b), getInts(b));
            if (q.node.length != q.tree.length || q.row.length != q.tree.length) {
              throw new BufferUnderflowException();
            }
            return q;
          });
    }
  }

  // ------------------------------------------------------------------------------------ wire form

  private interface Reader<T> {
    T read(ByteBuffer b);
  }

  private static <T> T read(byte[] bytes, Reader<T> reader) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    try {
      T out = reader.read(b);
      if (out instanceof Histograms || !b.hasRemaining()) {
        return out;
      }
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      // reported below
    }
    throw new FederaException(
        ErrorCode.PROTOCOL,
        "a SecureBoost message of "
            + bytes.length
            + " bytes is malformed; are both parties on"
            + " the same Federa version?");
  }

  private static void putInts(ByteBuffer b, int[] v) {
    b.putInt(v.length);
    for (int x : v) {
      b.putInt(x);
    }
  }

  private static int[] getInts(ByteBuffer b) {
    int[] v = new int[count(b, 4)];
    for (int i = 0; i < v.length; i++) {
      v[i] = b.getInt();
    }
    return v;
  }

  /** A length read from the body, refused when the body cannot hold that many items. */
  private static int count(ByteBuffer b, int itemBytes) {
    int n = b.getInt();
    if (n < 0 || (long) n * itemBytes > b.remaining()) {
      throw new BufferUnderflowException();
    }
    return n;
  }
}
