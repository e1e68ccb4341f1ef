/**
 * Additively homomorphic encryption, the workhorse of vertical FL: Paillier (P. Paillier,
 * "Public-key cryptosystems based on composite degree residuosity classes", EUROCRYPT 1999), the
 * default, and Okamoto–Uchiyama ({@link io.federa.crypto.he.OuPublicKey}), which a job selects with
 * {@code encrypt_param.method: ou}.
 *
 * <h2>One discipline for both schemes</h2>
 *
 * <ul>
 *   <li><b>The key is the type.</b> {@link io.federa.crypto.he.HePublicKey} and {@link
 *       io.federa.crypto.he.HePrivateKey} are sealed: Paillier's and OU's keys. A {@link
 *       io.federa.crypto.he.Ciphertext} holds its key; values under two keys (or two schemes) are
 *       never combined; a key received from another party is checked, and must be of the job's
 *       scheme ({@link io.federa.crypto.he.HeKeyCodec#decodePublicKey(byte[],
 *       io.federa.crypto.he.HeParameters)}).
 *   <li><b>Fixed point.</b> {@link io.federa.crypto.he.FixedPointEncoder} and {@link
 *       io.federa.crypto.he.EncodedNumber}: a signed integer and an exponent; negatives as {@code n
 *       − |m|}.
 *   <li><b>Overflow is refused, never silent.</b> Every ciphertext carries a public bound;
 *       operations that could leave the key's signed range ({@code n/3} for Paillier, {@code 2^341}
 *       at 2048 bits for OU) are refused before they happen, and decryption refuses the overflow
 *       band.
 *   <li><b>The wire.</b> {@link io.federa.crypto.he.CiphertextCodec} and {@link
 *       io.federa.crypto.he.HeKeyCodec}: fixed width, key-fingerprinted, validated on receipt.
 *   <li><b>Speed.</b> Both schemes encrypt as {@code plain(m)·noise} with the noise from a
 *       fixed-base table, can compute noise ahead ({@link io.federa.crypto.he.NoiseReserve}), pack
 *       several values per plaintext ({@link io.federa.crypto.he.PackingScheme}), and multiply in
 *       Montgomery form.
 * </ul>
 *
 * <h2>Choosing a scheme</h2>
 *
 * At 2048 bits an OU ciphertext is half a Paillier one (256 bytes, not 512), each homomorphic
 * operation a multiplication modulo {@code n} rather than {@code n²} (about 3× faster), and a
 * decryption one exponentiation by a 224-bit exponent modulo {@code p²} (about 4× faster); its raw
 * plaintext is a third of the size (682 bits, not 2047), so packing fits a third of the values. Its
 * security rests on factoring {@code p²q} and the {@code p}-subgroup assumption rather than on
 * composite residuosity; both are taken as 112-bit secure at 2048 bits. {@code federa bench
 * paillier} measures both.
 *
 * <h2>Paillier, in steps</h2>
 *
 * <ol>
 *   <li>Key generation ({@link io.federa.crypto.he.HeKeyPair#generate}): primes {@code p, q} of
 *       half the modulus size, {@code n = p·q} of exactly 2048 (3072, 4096) bits, {@code g = n +
 *       1}. For the default subgroup keys {@code p − 1} and {@code q − 1} have secret prime factors
 *       {@code a, b} of 2κ bits and the key publishes the randomness base {@code h_s} (see {@link
 *       io.federa.crypto.he.PaillierPublicKey}). Jobs take their keys from {@link
 *       io.federa.crypto.he.HeKeyPool}, which keeps one spare pair per parameter set generated in
 *       the background, so a job does not wait on the prime search; each pair is handed out once.
 *   <li>Encoding ({@link io.federa.crypto.he.FixedPointEncoder}): a double {@code x} becomes the
 *       integer {@code round(x·2^f) mod n} with exponent {@code −f}; negative values wrap to the
 *       top third of {@code Z_n}.
 *   <li>Encryption ({@link io.federa.crypto.he.PaillierPublicKey#encrypt}): {@code c = (1 +
 *       m·n)·h_s^α mod n²} with a fixed-base table for {@code h_s^α} (Damgård–Jurik; Ma–Han–Lei).
 *   <li>Operations ({@link io.federa.crypto.he.Ciphertext}): add, add a plaintext, multiply by a
 *       plaintext, negate, re-randomise; vector forms and dot products in {@link
 *       io.federa.crypto.he.EncryptedVectors}; packing in {@link
 *       io.federa.crypto.he.PackingScheme}.
 *   <li>Decryption ({@link io.federa.crypto.he.PaillierPrivateKey}): CRT over {@code p²} and {@code
 *       q²} with exponents {@code 2a, 2b} (subgroup keys) or {@code p − 1, q − 1}, then the
 *       overflow band check.
 *   <li>Transport ({@link io.federa.crypto.he.CiphertextCodec}): fixed-width, key-fingerprinted,
 *       validated on receipt.
 * </ol>
 *
 * <h2>What each party learns</h2>
 *
 * The same for both schemes; OU adds one point, below.
 *
 * <ul>
 *   <li><b>The key holder</b> (the arbiter in FATE's coordinated protocols, or the guest in
 *       two-party mode) learns the plaintext of every ciphertext it is given to decrypt — and
 *       nothing else. This is why protocols mask a value with fresh randomness before sending it to
 *       be decrypted.
 *   <li><b>Everybody else</b> sees ciphertexts only: under the decisional composite residuosity and
 *       short-exponent assumptions they are indistinguishable from encryptions of anything else
 *       (IND-CPA). They also see, in the clear, each ciphertext's <i>exponent</i> and <i>bound</i>:
 *       both are fixed by the encoder's configuration and the operations applied, never by the
 *       values, so they reveal the computation's shape (precision, number of terms), not the data.
 *   <li>A product that multiplied a ciphertext by plaintext 0 is the element {@code 1} (or carries
 *       no fresh randomness of its own); a party that sends results derived from its private
 *       scalars should {@link io.federa.crypto.he.Ciphertext#rerandomize} them first.
 *   <li>A received ciphertext that is not in {@code Z*_{n²}} is refused before it is used: a
 *       malicious element sharing a factor with {@code n} could otherwise make the key holder's
 *       answers leak the factorisation. With a subgroup key, a ciphertext whose randomness is not
 *       in the key's subgroup is refused at decryption rather than decrypted to a meaningless
 *       value.
 *   <li>With a subgroup key every encrypting party uses the key owner's {@code h_s}. A key owner
 *       that chose a weak {@code h_s} could only weaken encryptions against itself, which it can
 *       decrypt anyway; parties check that {@code h_s} is an element of {@code Z*_{n²}} other than
 *       ±1.
 *   <li><b>OU's chosen-ciphertext weakness.</b> With OU, a key holder that decrypted an adversary's
 *       {@code E(M)} for {@code M ≥ p} and returned the result would reveal {@code M mod p}, hence
 *       the factor {@code p}. OU decryption therefore releases only values in the signed band
 *       {@code |m| < 2^341} (at 2048 bits), which such an {@code M mod p} hits with probability
 *       about {@code 2^−341}; raw (packed) plaintexts are decrypted only where the protocol keeps
 *       them to the key holder (SecureBoost's guest reveals only the best split it derives from
 *       them).
 * </ul>
 *
 * <h2>Speed: the native kernel and the batch operations</h2>
 *
 * Every ciphertext stays in Montgomery form modulo {@code n²} (OU: {@code n}), and each
 * multiplication on the Java path is one call of the JDK's Montgomery intrinsic (see {@link
 * io.federa.crypto.internal.Montgomery}). On a processor with AVX-512 IFMA, Federa's own kernel
 * ({@code federa-crypto/src/main/c/he_ifma.c}, built with the jar where gcc is present, loaded
 * through JNA, checked against the Java path on random values when it loads; {@code
 * -Dfedera.he.native=false} turns it off) does the same arithmetic on eight values at once in
 * 52-bit limbs, on the same numbers and radix, so both paths give the same ciphertexts. The batch
 * operations feed it, one crossing per batch:
 *
 * <ul>
 *   <li>encryption — {@link HePublicKey#encrypt(EncodedNumber[])}, {@link EncryptedVectors#encrypt}
 *       (the noise's fixed-base table entries as chains of products);
 *   <li>decryption — {@link HePrivateKey#decrypt(Ciphertext[])}, {@link
 *       HePrivateKey#decryptRaw(Ciphertext[])}, {@link EncryptedVectors#decrypt} (Paillier's two
 *       CRT halves modulo {@code p²} and {@code q²}, OU's modulo {@code p²}, eight exponentiations
 *       at once);
 *   <li>addition — {@link Ciphertext#addAll}, {@link EncryptedVectors#add};
 *   <li>multiplication by scalars — {@link Ciphertext#multiplyAll}, {@link
 *       EncryptedVectors#multiply} (eight exponentiations at once; the negative scalars' inverses
 *       with one inversion for the batch);
 *   <li>the dot product — {@link EncryptedVectors#dot} (every window's buckets gathered in one
 *       native call; the buckets' weighting stays in Java);
 *   <li>a histogram's sums by bin — {@link PackingScheme#sumByBin}, and packed encryption ({@link
 *       NoiseReserve}, {@link PackingScheme#encryptAll}).
 * </ul>
 *
 * Small batches (fewer than 4 exponentiations or 64 products) stay on the Java path, where the
 * kernel's idle lanes would cost more than it saves. Single-value methods ({@link Ciphertext#add},
 * {@link Ciphertext#multiply}, {@link HePrivateKey#decrypt(Ciphertext)}) are the Java path, the
 * reference.
 *
 * <p><b>Constant time.</b> The kernel's exponentiation is constant-time in the exponent's value:
 * fixed windows over the batch's longest exponent length (3 bits up to 40-bit exponents, 4 below
 * 512, 5 beyond), a multiplication for every window whatever its digit (a zero digit multiplies by
 * one), each table entry chosen by a masked scan of the whole table, and the Montgomery product's
 * final subtraction done in every lane and kept by a mask. Only the exponents' longest bit length
 * shows. So batch decryption (secret exponents {@code 2a}, {@code 2b}, or {@code p − 1}, {@code q −
 * 1}, or OU's {@code t}) and batch multiplication by scalars (a host's feature values) run in
 * constant time on the kernel. The products of chains (encryption noise, additions, buckets, sums
 * by bin) multiply ciphertexts and public table entries, and which value enters which lane depends
 * only on public lengths. Not constant-time: the Java path ({@link java.math.BigInteger#modPow} and
 * the sliding windows of {@code Montgomery.pow} branch on exponent bits), key generation (primes
 * are tested with {@code BigInteger}), a single-value decryption, the data-dependent bucket
 * grouping of the dot product (which digit of a scalar goes to which bucket: a timing observer on
 * the host's machine could learn about its scalars), and the CRT recombination and {@code L}
 * function after the exponentiations.
 *
 * <p>{@code federa bench paillier} prints each operation on the native kernel, on the Java path and
 * in FATE's arithmetic on GMP side by side; {@code docs/benchmarks.md} records the figures.
 */
package io.federa.crypto.he;
