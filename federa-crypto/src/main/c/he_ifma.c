/*
 * Montgomery products for Paillier and Okamoto–Uchiyama, eight at once with AVX-512 IFMA (52-bit
 * multiply-accumulate): each of the eight 64-bit lanes of a vector holds one product's 52-bit limb.
 * Numbers cross the boundary in the layout of Java's BigInteger magnitude and of Federa's
 * Montgomery class — `words` 32-bit words, most significant first — and the Montgomery radix is
 * Java's, R = 2^(32·words), so a value in Montgomery form here is one there: Java keeps every
 * ciphertext and this code multiplies them. Results lie in [0, R), like the JDK's intrinsic.
 *
 * The work unit is a chain: the Montgomery product of a run of values (a homomorphic sum of
 * ciphertexts, a bin of a histogram, a fixed-base exponentiation's table entries). Eight chains run
 * side by side; a lane whose chain ends takes the next one. Which value enters which lane depends
 * only on the chains' lengths, which the caller knows in the clear (public data: no secret decides a
 * branch or a memory access here).
 *
 * Loaded by Federa through JNA when the processor has AVX-512 IFMA, checked at load against the
 * Java arithmetic on random values.
 *
 * Build: gcc -O3 -mavx512f -mavx512ifma -fPIC -shared -o libfedera_he.so he_ifma.c
 */
#include <immintrin.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define M52 ((1ULL << 52) - 1)
#define MAX_WORDS 256 /* moduli up to 8,192 bits: n² of 4,096-bit keys */
#define MAX_L (MAX_WORDS * 32 / 52 + 1)

int federa_he_available(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512ifma");
}

/*
 * Java words (big-endian 32-bit) to L 52-bit limbs, least significant first: the words reversed
 * are the number's little-endian bytes, and limb j is the 64 bits from byte 6.5·j on, shifted by
 * 0 or 4 and masked — one load per limb.
 */
static void to_limbs(const int32_t *src, int words, uint64_t *limbs, int L) {
  uint32_t le[MAX_WORDS + 4];
  for (int w = 0; w < words; w++) {
    le[w] = (uint32_t)src[words - 1 - w];
  }
  le[words] = le[words + 1] = le[words + 2] = le[words + 3] = 0;
  const unsigned char *bytes = (const unsigned char *)le;
  for (int j = 0; j < L; j++) {
    uint64_t v;
    memcpy(&v, bytes + (52 * j) / 8, 8);
    limbs[j] = (v >> ((52 * j) % 8)) & M52;
  }
}

/* L 52-bit limbs to Java words (the value is below 2^(32·words)): limb j ORed in at bit 52·j. */
static void from_limbs(const uint64_t *limbs, int L, int32_t *dst, int words) {
  uint64_t buf[MAX_WORDS / 2 + 2];
  memset(buf, 0, sizeof(uint64_t) * (words / 2 + 2));
  for (int j = 0; j < L; j++) {
    int bit = 52 * j;
    int k = bit / 64;
    int s = bit % 64;
    buf[k] |= limbs[j] << s;
    if (s > 12) {
      buf[k + 1] |= limbs[j] >> (64 - s);
    }
  }
  for (int w = 0; w < words; w++) {
    dst[words - 1 - w] = (int32_t)(uint32_t)(buf[w / 2] >> (32 * (w % 2)));
  }
}

/* Value `src` into lane l of lane-interleaved limbs (lanes[8·i + l] = limb i). */
static void load_lane(uint64_t *lanes, int l, const int32_t *src, int words, int L) {
  uint64_t limbs[MAX_L];
  to_limbs(src, words, limbs, L);
  for (int i = 0; i < L; i++) {
    lanes[8 * i + l] = limbs[i];
  }
}

/* Lane l of lane-interleaved limbs out to Java words. */
static void store_lane(const uint64_t *lanes, int l, int32_t *dst, int words, int L) {
  uint64_t limbs[MAX_L];
  for (int i = 0; i < L; i++) {
    limbs[i] = lanes[8 * i + l];
  }
  from_limbs(limbs, L, dst, words);
}

typedef struct {
  int words, L, rbits;
  uint64_t m[MAX_L];
  uint64_t minv; /* −m⁻¹ mod 2^52 */
} ctx_t;

static int ctx_init(ctx_t *c, int words, const int32_t *mod) {
  if (words < 2 || words > MAX_WORDS || (words & 1)) {
    return 0;
  }
  c->words = words;
  c->L = 32 * words / 52 + 1;
  c->rbits = 32 * words - 52 * (c->L - 1);
  to_limbs(mod, words, c->m, c->L);
  if ((c->m[0] & 1) == 0) {
    return 0;
  }
  uint64_t inv = 1; /* Newton: inv = m0⁻¹ mod 2^64 */
  for (int i = 0; i < 7; i++) {
    inv *= 2 - c->m[0] * inv;
  }
  c->minv = (0 - inv) & M52;
  return 1;
}

/*
 * r = a·b·R⁻¹ (mod m) in [0, R) for eight lanes; a, b below R, limb-major: x[i] holds limb i of
 * the eight lanes. r may alias a or b. Finely integrated product scanning (Koç, Acar and Kaliski's
 * FIPS): column by column, the product's and the reduction's terms are accumulated in registers,
 * the reduction digit q_k found when column k is complete — L−1 digits of 52 bits and one of
 * rbits, since R = 2^(52·(L−1) + rbits).
 */
static inline __attribute__((always_inline)) void mont8(
    const ctx_t *c, __m512i *r, const __m512i *a, const __m512i *b, const int sq) {
  const int L = c->L;
  const int s = c->rbits;
  const __m512i mask = _mm512_set1_epi64(M52);
  const __m512i minv = _mm512_set1_epi64(c->minv);
  const __m512i zero = _mm512_setzero_si512();
  __m512i q[MAX_L];
  __m512i u[MAX_L + 3];
  const int qmax = s > 0 ? L - 1 : L - 2; /* the last digit q_(L−1) exists when rbits > 0 */
  __m512i cur = zero, nxt = zero;
  for (int k = 0; k < 2 * L; k++) {
    int lo = k - L + 1 > 0 ? k - L + 1 : 0;
    int hi = k < L - 1 ? k : L - 1;
    /* four independent accumulator pairs: IFMA's latency, not its throughput, would bound one */
    __m512i c0 = sq ? zero : cur, c1 = zero, c2 = zero, c3 = zero;
    __m512i n0 = sq ? zero : nxt, n1 = zero, n2 = zero, n3 = zero;
    /* a square's terms a_i·a_j with i < j once, doubled below, then the diagonal a_(k/2)² */
    const int top = sq ? ((k & 1) ? k / 2 : k / 2 - 1) < hi ? ((k & 1) ? k / 2 : k / 2 - 1) : hi
                       : hi;
    int i = lo;
    for (; i + 3 <= top; i += 4) {
      c0 = _mm512_madd52lo_epu64(c0, a[i], b[k - i]);
      n0 = _mm512_madd52hi_epu64(n0, a[i], b[k - i]);
      c1 = _mm512_madd52lo_epu64(c1, a[i + 1], b[k - i - 1]);
      n1 = _mm512_madd52hi_epu64(n1, a[i + 1], b[k - i - 1]);
      c2 = _mm512_madd52lo_epu64(c2, a[i + 2], b[k - i - 2]);
      n2 = _mm512_madd52hi_epu64(n2, a[i + 2], b[k - i - 2]);
      c3 = _mm512_madd52lo_epu64(c3, a[i + 3], b[k - i - 3]);
      n3 = _mm512_madd52hi_epu64(n3, a[i + 3], b[k - i - 3]);
    }
    for (; i <= top; i++) {
      c0 = _mm512_madd52lo_epu64(c0, a[i], b[k - i]);
      n0 = _mm512_madd52hi_epu64(n0, a[i], b[k - i]);
    }
    if (sq) {
      c0 = _mm512_add_epi64(_mm512_add_epi64(c0, c1), _mm512_add_epi64(c2, c3));
      n0 = _mm512_add_epi64(_mm512_add_epi64(n0, n1), _mm512_add_epi64(n2, n3));
      c0 = _mm512_add_epi64(cur, _mm512_slli_epi64(c0, 1));
      n0 = _mm512_add_epi64(nxt, _mm512_slli_epi64(n0, 1));
      if (!(k & 1) && k / 2 <= hi) {
        c0 = _mm512_madd52lo_epu64(c0, a[k / 2], a[k / 2]);
        n0 = _mm512_madd52hi_epu64(n0, a[k / 2], a[k / 2]);
      }
      c1 = c2 = c3 = n1 = n2 = n3 = zero;
    }
    int qhi = k - 1 < qmax ? k - 1 : qmax; /* digits q_i known: i < k */
    i = lo;
    for (; i + 3 <= qhi; i += 4) {
      const __m512i m0 = _mm512_set1_epi64(c->m[k - i]);
      const __m512i m1 = _mm512_set1_epi64(c->m[k - i - 1]);
      const __m512i m2 = _mm512_set1_epi64(c->m[k - i - 2]);
      const __m512i m3 = _mm512_set1_epi64(c->m[k - i - 3]);
      c0 = _mm512_madd52lo_epu64(c0, q[i], m0);
      n0 = _mm512_madd52hi_epu64(n0, q[i], m0);
      c1 = _mm512_madd52lo_epu64(c1, q[i + 1], m1);
      n1 = _mm512_madd52hi_epu64(n1, q[i + 1], m1);
      c2 = _mm512_madd52lo_epu64(c2, q[i + 2], m2);
      n2 = _mm512_madd52hi_epu64(n2, q[i + 2], m2);
      c3 = _mm512_madd52lo_epu64(c3, q[i + 3], m3);
      n3 = _mm512_madd52hi_epu64(n3, q[i + 3], m3);
    }
    for (; i <= qhi; i++) {
      const __m512i mk = _mm512_set1_epi64(c->m[k - i]);
      c0 = _mm512_madd52lo_epu64(c0, q[i], mk);
      n0 = _mm512_madd52hi_epu64(n0, q[i], mk);
    }
    cur = _mm512_add_epi64(_mm512_add_epi64(c0, c1), _mm512_add_epi64(c2, c3));
    nxt = _mm512_add_epi64(_mm512_add_epi64(n0, n1), _mm512_add_epi64(n2, n3));
    if (k <= qmax && k <= L - 1) {
      __m512i qk = _mm512_madd52lo_epu64(zero, cur, minv);
      if (k == L - 1) {
        qk = _mm512_and_si512(qk, _mm512_set1_epi64((1ULL << s) - 1));
      }
      q[k] = qk;
      const __m512i m0 = _mm512_set1_epi64(c->m[0]);
      cur = _mm512_madd52lo_epu64(cur, qk, m0);
      nxt = _mm512_madd52hi_epu64(nxt, qk, m0);
    }
    if (k < L - 1) { /* column k is 0 mod 2^52: its carry joins the next column */
      cur = _mm512_add_epi64(nxt, _mm512_srli_epi64(cur, 52));
    } else { /* columns L−1 .. 2L−1 are the result's (times 2^rbits), carries still to come */
      u[k - (L - 1)] = cur;
      cur = nxt;
    }
    nxt = zero;
  }
  u[L + 1] = cur;
  /* normalise u into 52-bit limbs */
  __m512i carry = zero;
  for (int k = 0; k < L + 2; k++) {
    __m512i v = _mm512_add_epi64(u[k], carry);
    u[k] = _mm512_and_si512(v, mask);
    carry = _mm512_srli_epi64(v, 52);
  }
  /* r = u >> rbits: below R + m < 2R */
  for (int k = 0; k < L; k++) {
    r[k] = s == 0 ? u[k]
                  : _mm512_or_si512(_mm512_srli_epi64(u[k], s),
                                    _mm512_and_si512(_mm512_slli_epi64(u[k + 1], 52 - s), mask));
  }
  /* a lane at or above R (bit 32·words = limb L−1, bit rbits) subtracts m once; every lane
     computes the difference, a mask keeps it (no branch on the value: constant time) */
  __mmask8 over = _mm512_cmpneq_epu64_mask(_mm512_srli_epi64(r[L - 1], s), zero);
  __m512i borrow = zero;
  for (int k = 0; k < L; k++) {
    __m512i d = _mm512_sub_epi64(_mm512_sub_epi64(r[k], _mm512_set1_epi64(c->m[k])), borrow);
    borrow = _mm512_srli_epi64(d, 63);
    r[k] = _mm512_mask_mov_epi64(r[k], over, _mm512_and_si512(d, mask));
  }
}

static void mont_mul8(const ctx_t *c, __m512i *r, const __m512i *a, const __m512i *b) {
  mont8(c, r, a, b, 0);
}

/* r = a²·R⁻¹ (mod m): the product's cross terms once and doubled, about a quarter fewer IFMAs. */
static void mont_sqr8(const ctx_t *c, __m512i *r, const __m512i *a) {
  mont8(c, r, a, a, 1);
}

/*
 * The Montgomery product of each of `chains` runs of values: chain k has lengths[k] ≥ 1 values,
 * chain after chain (each `words` Java words, below R), its product (the first value when alone)
 * written to out[k·words ..]. The j-th value of all chains together is values[index[j]] when
 * `index` is given (a dot product's buckets gather their bases), else values[j]. Returns 1, or 0
 * when the modulus is not usable here.
 */
int federa_he_chain_products(
    int words, const int32_t *mod, int chains, const int32_t *lengths, const int32_t *index,
    const int32_t *values, int32_t *out) {
  ctx_t c;
  if (!ctx_init(&c, words, mod)) {
    return 0;
  }
  const int L = c.L;
  __m512i acc[MAX_L], op[MAX_L];
  uint64_t *lane = aligned_alloc(64, sizeof(uint64_t) * 8 * L);
  uint64_t *opl = aligned_alloc(64, sizeof(uint64_t) * 8 * L);
  int64_t *offset = malloc(sizeof(int64_t) * (chains + 1));
  if (!lane || !opl || !offset) {
    free(lane);
    free(opl);
    free(offset);
    return 0;
  }
  offset[0] = 0;
  for (int k = 0; k < chains; k++) {
    offset[k + 1] = offset[k] + lengths[k];
  }
#define AT(j) (index ? (int64_t)index[j] : (int64_t)(j))
  int chain[8], pos[8];
  int next = 0;
  int busy = 0;
  memset(lane, 0, sizeof(uint64_t) * 8 * L);
  for (int l = 0; l < 8; l++) {
    chain[l] = -1;
  }
  for (;;) {
    /* every idle lane takes the next chain, its first value as the accumulator */
    for (int l = 0; l < 8; l++) {
      while (chain[l] < 0 && next < chains) {
        int k = next++;
        if (lengths[k] == 1) {
          memcpy(out + (int64_t)k * words, values + AT(offset[k]) * (int64_t)words, 4 * words);
          continue;
        }
        load_lane(lane, l, values + AT(offset[k]) * (int64_t)words, words, L);
        chain[l] = k;
        pos[l] = 1;
        busy++;
      }
    }
    if (busy == 0) {
      break;
    }
    /* each busy lane's next value; an idle lane multiplies garbage it will never read */
    for (int l = 0; l < 8; l++) {
      if (chain[l] < 0) {
        continue;
      }
      load_lane(opl, l, values + AT(offset[chain[l]] + pos[l]) * (int64_t)words, words, L);
    }
    for (int i = 0; i < L; i++) {
      acc[i] = _mm512_load_si512(lane + 8 * i);
      op[i] = _mm512_load_si512(opl + 8 * i);
    }
    mont_mul8(&c, acc, acc, op);
    for (int i = 0; i < L; i++) {
      _mm512_store_si512(lane + 8 * i, acc[i]);
    }
    for (int l = 0; l < 8; l++) {
      if (chain[l] < 0) {
        continue;
      }
      if (++pos[l] == lengths[chain[l]]) {
        store_lane(lane, l, out + (int64_t)chain[l] * words, words, L);
        chain[l] = -1;
        busy--;
      }
    }
  }
  free(lane);
  free(opl);
  free(offset);
  return 1;
}
#undef AT

/* Lane l's w-bit digit of its exponent at bit `pos` (exponents: `ewords` big-endian Java words). */
static uint64_t digit(const int32_t *e, int ewords, int pos, int w) {
  uint64_t d = 0;
  for (int b = 0; b < w; b++) {
    int bit = pos + b;
    if (bit < 32 * ewords) {
      uint32_t word = (uint32_t)e[ewords - 1 - bit / 32];
      d |= (uint64_t)((word >> (bit % 32)) & 1) << b;
    }
  }
  return d;
}

/* dst = table[idx] per lane, reading every entry (the index never becomes an address). */
static void select8(__m512i *dst, const __m512i *table, int entries, int L, __m512i idx) {
  for (int i = 0; i < L; i++) {
    dst[i] = _mm512_setzero_si512();
  }
  for (int j = 0; j < entries; j++) {
    __mmask8 hit = _mm512_cmpeq_epi64_mask(idx, _mm512_set1_epi64(j));
    const __m512i *t = table + (int64_t)j * L;
    for (int i = 0; i < L; i++) {
      dst[i] = _mm512_mask_mov_epi64(dst[i], hit, t[i]);
    }
  }
}

/*
 * out[k] = bases[k]^exps[k] in Montgomery form (radix R, like the products), eight at a time;
 * bases below R in Montgomery form, `one` = R mod m, each exponent `ewords` big-endian Java words
 * and below 2^ebits.
 * Fixed windows (3 bits up to 40-bit exponents, 4 below 512 bits, 5 from there): every lane squares and multiplies
 * on the same schedule whatever its exponent, a zero digit multiplies by the table's `one`, and
 * the table entry is chosen by a masked scan of the whole table — no branch and no memory access
 * depends on an exponent's value, only on `ebits`, so decryption's secret exponents may go here.
 * Returns 1, or 0 when the modulus is not usable here.
 */
int federa_he_powers(
    int words, const int32_t *mod, const int32_t *one, int count, const int32_t *bases,
    int ewords, int ebits, const int32_t *exps, int32_t *out) {
  ctx_t c;
  if (!ctx_init(&c, words, mod) || ewords < 1 || ebits < 1 || ebits > 32 * ewords) {
    return 0;
  }
  const int L = c.L;
  const int bits = ebits;
  const int w = bits >= 512 ? 5 : bits > 40 ? 4 : 3;
  const int entries = 1 << w;
  const int windows = (bits + w - 1) / w;
  __m512i *table = aligned_alloc(64, sizeof(__m512i) * (size_t)entries * L);
  uint64_t *lane = aligned_alloc(64, sizeof(uint64_t) * 8 * L);
  if (!table || !lane) {
    free(table);
    free(lane);
    return 0;
  }
  __m512i acc[MAX_L], pick[MAX_L];
  for (int from = 0; from < count; from += 8) {
    int active = count - from < 8 ? count - from : 8;
    for (int l = 0; l < 8; l++) {
      load_lane(lane, l, l < active ? bases + (int64_t)(from + l) * words : one, words, L);
    }
    for (int i = 0; i < L; i++) {
      table[L + i] = _mm512_load_si512(lane + 8 * i);
    }
    for (int l = 0; l < 8; l++) {
      load_lane(lane, l, one, words, L);
    }
    for (int i = 0; i < L; i++) {
      table[i] = _mm512_load_si512(lane + 8 * i);
    }
    for (int j = 2; j < entries; j++) {
      mont_mul8(&c, table + (int64_t)j * L, table + (int64_t)(j - 1) * L, table + L);
    }
    for (int t = windows - 1; t >= 0; t--) {
      uint64_t d[8] = {0};
      for (int l = 0; l < active; l++) {
        d[l] = digit(exps + (int64_t)(from + l) * ewords, ewords, t * w, w);
      }
      __m512i idx = _mm512_loadu_si512(d);
      if (t == windows - 1) {
        select8(acc, table, entries, L, idx);
        continue;
      }
      for (int s = 0; s < w; s++) {
        mont_sqr8(&c, acc, acc);
      }
      select8(pick, table, entries, L, idx);
      mont_mul8(&c, acc, acc, pick);
    }
    for (int i = 0; i < L; i++) {
      _mm512_store_si512(lane + 8 * i, acc[i]);
    }
    for (int l = 0; l < active; l++) {
      store_lane(lane, l, out + (int64_t)(from + l) * words, words, L);
    }
  }
  free(table);
  free(lane);
  return 1;
}
