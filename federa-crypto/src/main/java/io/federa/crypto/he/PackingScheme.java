package io.federa.crypto.he;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.math.BigInteger;
import java.util.List;

/**
 * Packs several bounded non-negative integers into one plaintext, slot {@code i} at bits {@code
 * [i·slotBits, (i+1)·slotBits)}, so that one ciphertext carries them all and one addition adds them
 * slot by slot (SecureBoost packs a gradient and a hessian; FATE's "cipher compressing"). A slot
 * holds the sum of up to {@code maxTerms} values of at most {@code maxValue}; the capacity follows
 * from the key size. Sums are tracked by {@link Packed}, which refuses an addition that could carry
 * into the next slot.
 */
public final class PackingScheme {
  private final HePublicKey key;
  private final BigInteger maxValue;
  private final long maxTerms;
  private final int slotBits;
  private final int capacity;

  private PackingScheme(HePublicKey key, BigInteger maxValue, long maxTerms) {
    this.key = key;
    this.maxValue = maxValue;
    this.maxTerms = maxTerms;
    this.slotBits = maxValue.multiply(BigInteger.valueOf(maxTerms)).bitLength();
    this.capacity = key.rawPlaintextBits() / slotBits;
    if (capacity < 1) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "a slot of "
              + slotBits
              + " bits does not fit a "
              + key.rawPlaintextBits()
              + "-bit plaintext; lower maxValue or maxTerms, or use a larger key");
    }
  }

  /**
   * @param maxValue the largest value a slot receives from one encryption
   * @param maxTerms the most ciphertexts that will be added together
   */
  public static PackingScheme create(HePublicKey key, BigInteger maxValue, long maxTerms) {
    if (maxValue.signum() <= 0 || maxTerms < 1) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "packing needs maxValue > 0 and maxTerms ≥ 1, got " + maxValue + " and " + maxTerms);
    }
    return new PackingScheme(key, maxValue, maxTerms);
  }

  /** Slots per plaintext: {@code ⌊rawPlaintextBits / slotBits⌋}. */
  public int capacity() {
    return capacity;
  }

  public int slotBits() {
    return slotBits;
  }

  /** A packed ciphertext and how many encryptions were summed into it. */
  public record Packed(PackingScheme scheme, Ciphertext ciphertext, int slots, long terms) {
    /** Slot-wise sum; refused when the sum could exceed a slot. */
    public Packed add(Packed other) {
      if (other.scheme != scheme) {
        throw new FederaException(
            ErrorCode.INVALID_ARGUMENT, "packed values of two packing schemes cannot be added");
      }
      long sum = terms + other.terms;
      if (sum > scheme.maxTerms) {
        throw new FederaException(
            ErrorCode.INVALID_ARGUMENT,
            "adding would sum "
                + sum
                + " packed values but the slots were sized for "
                + scheme.maxTerms
                + "; create the packing scheme with a larger maxTerms");
      }
      return new Packed(
          scheme, ciphertext.add(other.ciphertext), Math.max(slots, other.slots), sum);
    }

    /**
     * Slot-wise difference with {@code part}, a sum of some of the same encryptions (so every slot
     * of {@code part} is at most this one's and no slot borrows): histogram subtraction, the parent
     * node's sums minus one child's give the other child's. The difference sums {@code terms −
     * part.terms} values.
     */
    public Packed subtract(Packed part) {
      if (part.scheme != scheme) {
        throw new FederaException(
            ErrorCode.INVALID_ARGUMENT, "packed values of two packing schemes cannot be combined");
      }
      if (part.terms > terms) {
        throw new FederaException(
            ErrorCode.INVALID_ARGUMENT,
            "cannot subtract a sum of "
                + part.terms
                + " packed values from one of "
                + terms
                + ": the part must be a sum of some of the same values");
      }
      return new Packed(
          scheme, ciphertext.add(part.ciphertext.negate()), slots, terms - part.terms);
    }
  }

  /**
   * The sums by bin of the packed values {@code values[i]} for {@code i} in {@code which}, value
   * {@code i} in bin {@code bin[i] & 0xff} (null: an empty bin): one Montgomery multiplication per
   * value, each bin a chain of {@link io.federa.crypto.internal.Montgomery#chainProducts} (a
   * histogram's inner loop, on the native IFMA kernel where there is one).
   */
  public Packed[] sumByBin(Packed[] values, int[] which, byte[] bin, int bins) {
    return sumByBin(values, which, bin, bins, -1);
  }

  /**
   * As {@link #sumByBin(Packed[], int[], byte[], int)}, leaving out the values in bin {@code skip}
   * (its sum stays null; −1: none): a caller that knows the total derives that bin by subtraction.
   */
  public Packed[] sumByBin(Packed[] values, int[] which, byte[] bin, int bins, int skip) {
    HePublicKey key = this.key;
    long[] terms = new long[bins];
    int[] slots = new int[bins];
    int[] count = new int[bins];
    for (int i : which) {
      Packed v = values[i];
      if (v.scheme != this) {
        throw new FederaException(
            ErrorCode.INVALID_ARGUMENT, "packed values of two packing schemes cannot be added");
      }
      int b = bin[i] & 0xff;
      if (b == skip) {
        continue;
      }
      count[b]++;
      terms[b] += v.terms;
      slots[b] = Math.max(slots[b], v.slots);
    }
    // the values bin by bin (a counting sort), each bin one chain of products
    int[] start = new int[bins + 1];
    int chains = 0;
    for (int b = 0; b < bins; b++) {
      start[b + 1] = start[b] + count[b];
      chains += count[b] > 0 ? 1 : 0;
    }
    int[][] sorted = new int[start[bins]][];
    int[] fill = start.clone();
    for (int i : which) {
      int b = bin[i] & 0xff;
      if (b != skip) {
        sorted[fill[b]++] = values[i].ciphertext.montgomeryValue();
      }
    }
    int[] lengths = new int[chains];
    for (int b = 0, c = 0; b < bins; b++) {
      if (count[b] > 0) {
        lengths[c++] = count[b];
      }
    }
    int[][] products = key.montgomery().chainProducts(sorted, lengths);
    int[][] acc = new int[bins][];
    for (int b = 0, c = 0; b < bins; b++) {
      if (count[b] > 0) {
        acc[b] = products[c++];
      }
    }
    Packed[] out = new Packed[bins];
    for (int b = 0; b < bins; b++) {
      if (acc[b] == null) {
        continue;
      }
      if (terms[b] > maxTerms) {
        throw new FederaException(
            ErrorCode.INVALID_ARGUMENT,
            "a bin would sum "
                + terms[b]
                + " packed values but the slots were sized for "
                + maxTerms
                + "; create the packing scheme with a larger maxTerms");
      }
      out[b] = new Packed(this, new Ciphertext(key, acc[b], 0, Ciphertext.RAW), slots[b], terms[b]);
    }
    return out;
  }

  /**
   * Several packed sums in one ciphertext, {@code sums[0]}'s slots lowest (FATE's "cipher
   * compressing": the key holder then decrypts one ciphertext instead of {@code sums.length}).
   * Costs one shift of {@code slots · slotBits} squarings per sum; refused beyond {@link
   * #capacity()} slots in all.
   */
  public Packed compress(List<Packed> sums) {
    int slots = 0;
    long terms = 0;
    for (Packed p : sums) {
      if (p.scheme != this) {
        throw new FederaException(
            ErrorCode.INVALID_ARGUMENT, "packed values of two packing schemes cannot be combined");
      }
      slots += p.slots;
      terms = Math.max(terms, p.terms);
    }
    if (sums.isEmpty() || slots > capacity) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          sums.size()
              + " packed sums of "
              + slots
              + " slots do not fit one plaintext of "
              + capacity
              + " slots; compress at most "
              + capacity
              + " slots at a time");
    }
    Ciphertext acc = sums.get(sums.size() - 1).ciphertext;
    for (int i = sums.size() - 2; i >= 0; i--) {
      Packed p = sums.get(i);
      acc = acc.shiftRaw(p.slots * slotBits).add(p.ciphertext);
    }
    return new Packed(this, acc, slots, terms);
  }

  /**
   * Packs and encrypts every row of {@code rows} on {@code engine}'s cores, taking noise from
   * {@code reserve} while it lasts (then fresh noise); the key's bulk encryption table is used for
   * large batches.
   */
  public Ciphertext[] encryptAll(
      long[][] rows, io.federa.core.compute.ComputingEngine engine, NoiseReserve reserve) {
    if (reserve.key() != key) {
      key.requireSameKey(reserve.key());
    }
    key.prepareForBulk(rows.length);
    Ciphertext[] out = new Ciphertext[rows.length];
    engine.forEachRange(
        rows.length,
        (from, to) -> {
          for (int at = from; at < to; at += NoiseReserve.BATCH) {
            int end = Math.min(to, at + NoiseReserve.BATCH);
            BigInteger[] packed = new BigInteger[end - at];
            for (int i = at; i < end; i++) {
              BigInteger[] big = new BigInteger[rows[i].length];
              for (int k = 0; k < big.length; k++) {
                big[k] = BigInteger.valueOf(rows[i][k]);
              }
              packed[i - at] = pack(big);
            }
            System.arraycopy(reserve.encryptRaw(packed), 0, out, at, packed.length);
          }
        });
    return out;
  }

  /** Packs and encrypts {@code values} (at most {@link #capacity()}, each in [0, maxValue]). */
  public Packed encrypt(BigInteger[] values) {
    return new Packed(this, key.encryptRaw(pack(values)), values.length, 1);
  }

  public Packed encrypt(long... values) {
    BigInteger[] big = new BigInteger[values.length];
    for (int i = 0; i < values.length; i++) {
      big[i] = BigInteger.valueOf(values[i]);
    }
    return encrypt(big);
  }

  /** The packed plaintext integer. */
  public BigInteger pack(BigInteger[] values) {
    if (values.length > capacity) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          values.length
              + " values do not fit one plaintext of "
              + capacity
              + " slots of "
              + slotBits
              + " bits; split them over several ciphertexts");
    }
    BigInteger packed = BigInteger.ZERO;
    for (int i = values.length - 1; i >= 0; i--) {
      BigInteger v = values[i];
      if (v.signum() < 0 || v.compareTo(maxValue) > 0) {
        throw new FederaException(
            ErrorCode.INVALID_ARGUMENT,
            "packed value " + i + " is outside [0, " + maxValue + "]; offset or scale it first");
      }
      packed = packed.shiftLeft(slotBits).or(v);
    }
    return packed;
  }

  /** The slot values of a decrypted packed plaintext. */
  public BigInteger[] unpack(BigInteger plaintext, int slots) {
    BigInteger[] out = new BigInteger[slots];
    BigInteger mask = BigInteger.ONE.shiftLeft(slotBits).subtract(BigInteger.ONE);
    for (int i = 0; i < slots; i++) {
      out[i] = plaintext.shiftRight(i * slotBits).and(mask);
    }
    return out;
  }

  /** Decrypts and unpacks. */
  public BigInteger[] decrypt(HePrivateKey privateKey, Packed packed) {
    return unpack(privateKey.decryptRaw(packed.ciphertext()), packed.slots());
  }
}
