package io.federa.ml.secureboost;

import io.federa.core.compute.ComputingEngine;
import io.federa.crypto.he.Ciphertext;
import io.federa.crypto.he.CiphertextCodec;
import io.federa.crypto.he.HeKeyPair;
import io.federa.crypto.he.HePublicKey;
import io.federa.crypto.he.PackingScheme;
import java.math.BigInteger;
import java.util.List;

/**
 * The guest's fixed-point form of a row's gradient and hessian as three packed slots {@code (g⁺,
 * g⁻, h)} with {@code g = g⁺ − g⁻}: all non-negative, so sums never borrow across slots, and no
 * offset needs the number of rows summed (the guest never learns a host candidate's row count).
 * Each slot value is below {@code 2^53}, scaled by {@code 2^P} with {@code P} chosen per tree from
 * the largest |g| and h: the sums are exact integers, rounded once when read back, as precise as
 * the doubles the centralized GBDT adds.
 *
 * <p>A multi-output tree has a triple per class: a row's {@code K} triples are split into {@link
 * #pieces} ciphertexts of at most {@link #perCiphertext} triples each (Paillier at 2048 bits holds
 * about 10, Okamoto–Uchiyama about 3). Compressed candidate sums are laid out as {@link #chunks}
 * says, alike at the host that packs them and the guest that reads them.
 */
final class GradientSlots {
  static final int SLOTS = 3;
  private static final BigInteger MAX_VALUE = BigInteger.ONE.shiftLeft(53);

  private final int scale;

  private GradientSlots(int scale) {
    this.scale = scale;
  }

  /** The packing every party builds alike from the guest's key and the number of rows. */
  static PackingScheme scheme(HePublicKey key, int rows) {
    return PackingScheme.create(key, MAX_VALUE, Math.max(1, rows));
  }

  /** Triples (one output's {@code g⁺, g⁻, h}) per ciphertext. */
  static int perCiphertext(PackingScheme scheme) {
    return scheme.capacity() / SLOTS;
  }

  /** Ciphertexts per row for {@code outputs} triples. */
  static int pieces(PackingScheme scheme, int outputs) {
    int per = perCiphertext(scheme);
    return (outputs + per - 1) / per;
  }

  /** Triples in piece {@code piece} of a row of {@code outputs} triples. */
  static int triplesIn(PackingScheme scheme, int outputs, int piece) {
    int per = perCiphertext(scheme);
    return Math.min(per, outputs - piece * per);
  }

  /**
   * How {@code candidates} candidate sums of {@code outputs} triples each (every one in {@link
   * #pieces}) are compressed: the triples in each ciphertext, pieces taken in order (candidate by
   * candidate, piece by piece) while they fit. Reading the ciphertexts' slots in order gives
   * candidate {@code j}'s output {@code o} at triple {@code j·outputs + o}.
   */
  static int[] chunks(PackingScheme scheme, int candidates, int outputs) {
    int per = perCiphertext(scheme);
    int pieces = pieces(scheme, outputs);
    java.util.List<Integer> out = new java.util.ArrayList<>();
    int open = 0;
    for (int j = 0; j < candidates; j++) {
      for (int p = 0; p < pieces; p++) {
        int w = triplesIn(scheme, outputs, p);
        if (open + w > per) {
          out.add(open);
          open = 0;
        }
        open += w;
      }
    }
    if (open > 0) {
      out.add(open);
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The scale for this tree's gradients and hessians (every output's). */
  static GradientSlots of(double[][] g, double[][] h) {
    double most = Double.MIN_NORMAL;
    for (int o = 0; o < g.length; o++) {
      for (int i = 0; i < g[o].length; i++) {
        most = Math.max(most, Math.max(Math.abs(g[o][i]), h[o][i]));
      }
    }
    return new GradientSlots(52 - Math.getExponent(most));
  }

  /**
   * Row {@code i}'s slot values of piece {@code piece} ({@code triples} outputs from the first).
   */
  long[] row(double[][] g, double[][] h, int i, int first, int triples) {
    long[] out = new long[SLOTS * triples];
    for (int k = 0; k < triples; k++) {
      double gv = g[first + k][i];
      long scaled = Math.round(Math.scalb(Math.abs(gv), scale));
      out[SLOTS * k] = gv > 0 ? scaled : 0;
      out[SLOTS * k + 1] = gv < 0 ? scaled : 0;
      out[SLOTS * k + 2] = Math.round(Math.scalb(h[first + k][i], scale));
    }
    return out;
  }

  /**
   * A host's left sums ({@code outputs} triples each, in pieces) packed several to a ciphertext as
   * {@link #chunks} lays them out, each re-randomised before it leaves.
   */
  static List<Ciphertext> compress(
      PackingScheme scheme,
      List<PackingScheme.Packed[]> lefts,
      int outputs,
      ComputingEngine engine) {
    List<PackingScheme.Packed> flat = new java.util.ArrayList<>();
    lefts.forEach(l -> flat.addAll(List.of(l)));
    int[] chunks = chunks(scheme, lefts.size(), outputs);
    int[] start = new int[chunks.length + 1];
    for (int c = 0, at = 0; c < chunks.length; c++) {
      start[c] = at;
      for (int triples = 0; triples < chunks[c]; at++) {
        triples += flat.get(at).slots() / SLOTS;
      }
      start[c + 1] = at;
    }
    Ciphertext[] out = new Ciphertext[chunks.length];
    engine.forEachRange(
        chunks.length,
        (from, to) -> {
          for (int c = from; c < to; c++) {
            List<PackingScheme.Packed> part = flat.subList(start[c], start[c + 1]);
            out[c] = scheme.compress(part).ciphertext().rerandomize();
          }
        });
    return List.of(out);
  }

  /** A host's offer read back: {@code sums[node][candidate]} = (G per output, H per output). */
  record Offer(double[][][][] sums, int ciphertexts) {}

  /**
   * Decrypts a host's compressed candidate sums of {@code nodes} planned nodes, laid out as {@link
   * #chunks} says; null when the offer does not match (counts for other nodes, or another number of
   * ciphertexts).
   */
  Offer read(
      SecureBoostMessages.Histograms offer,
      HeKeyPair keys,
      PackingScheme scheme,
      int outputs,
      int nodes,
      ComputingEngine engine) {
    int[] counts = offer.counts();
    if (counts.length != nodes) {
      return null;
    }
    int[][] layout = new int[nodes][];
    int chunks = 0;
    for (int k = 0; k < nodes; k++) {
      if (counts[k] < 0 || counts[k] > 1_000_000) {
        return null;
      }
      layout[k] = chunks(scheme, counts[k], outputs);
      chunks += layout[k].length;
    }
    Ciphertext[] cts = CiphertextCodec.decode(keys.publicKey(), offer.ciphertexts(), engine);
    if (cts.length != chunks) {
      return null;
    }
    int[] slotsIn = new int[chunks];
    int at = 0;
    for (int[] node : layout) {
      for (int triples : node) {
        slotsIn[at++] = triples * SLOTS;
      }
    }
    BigInteger[][] plain = new BigInteger[chunks][];
    engine.forEachRange(
        chunks,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            var packed = new PackingScheme.Packed(scheme, cts[i], slotsIn[i], 1);
            plain[i] = scheme.decrypt(keys.privateKey(), packed);
          }
        });
    double[][][][] out = new double[nodes][][][];
    int chunk = 0;
    for (int k = 0; k < nodes; k++) {
      out[k] = new double[counts[k]][2][outputs];
      int slot = 0; // triples are read in order across the node's chunks
      for (int j = 0; j < counts[k]; j++) {
        for (int o = 0; o < outputs; o++) {
          if (slot == plain[chunk].length) {
            chunk++;
            slot = 0;
          }
          double[] gh = sums(plain[chunk], slot);
          out[k][j][0][o] = gh[0];
          out[k][j][1][o] = gh[1];
          slot += SLOTS;
        }
      }
      chunk += layout[k].length == 0 ? 0 : 1;
    }
    return new Offer(out, chunks);
  }

  /** The (G, H) of decrypted slot sums {@code (G⁺, G⁻, H)} starting at {@code at}. */
  double[] sums(BigInteger[] slots, int at) {
    double g = Math.scalb(slots[at].subtract(slots[at + 1]).doubleValue(), -scale);
    return new double[] {g, Math.scalb(slots[at + 2].doubleValue(), -scale)};
  }
}
