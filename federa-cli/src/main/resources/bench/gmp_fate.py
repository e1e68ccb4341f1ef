"""FATE's Paillier arithmetic on GMP (gmpy2, FATE's engine), timed on one core for `federa bench paillier`.

Reads one JSON object on stdin: the key (n, p, q), plaintexts, ciphertexts and scalars as decimal
strings, and the seconds to spend per figure. Writes one JSON object of operations per second.
The operations are FATE 1.x's (federatedml/secureprotol/fate_paillier.py with gmpy_math):
encryption (n·m + 1)·r^n mod n² with a fresh r, CRT decryption with exponents p − 1 and q − 1,
addition c1·c2 mod n², multiplication by a scalar powmod(c, k, n²) (a negative k inverts c and
uses |k|), and a dot product as one powmod per term multiplied together.
"""
import json
import random
import sys
import time

import gmpy2
from gmpy2 import invert, mpz, powmod


def rate(op, count, seconds):
    op(0)  # warm-up
    done, start = 0, time.perf_counter()
    while True:
        op(done % count)
        done += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return done / elapsed


def main():
    spec = json.load(sys.stdin)
    n, p, q = mpz(spec["n"]), mpz(spec["p"]), mpz(spec["q"])
    nsq = n * n
    psq, qsq = p * p, q * q
    seconds = float(spec["seconds"])
    plain = [mpz(x) for x in spec["plaintexts"]]
    cts = [mpz(x) for x in spec["ciphertexts"]]
    scalars = [int(x) for x in spec["scalars"]]
    rng = random.SystemRandom()

    def h(prime, square):
        return invert((powmod(n + 1, prime - 1, square) - 1) // prime, prime)

    hp, hq = h(p, psq), h(q, qsq)
    p_inv_q = invert(p, q)

    def encrypt(i):
        r = mpz(rng.randrange(1, int(n)))
        return (n * plain[i] + 1) % nsq * powmod(r, n, nsq) % nsq

    def decrypt(i):
        c = cts[i]
        mp = (powmod(c, p - 1, psq) - 1) // p * hp % p
        mq = (powmod(c, q - 1, qsq) - 1) // q * hq % q
        return mp + ((mq - mp) * p_inv_q % q) * p

    def mul(c, k):
        return powmod(invert(c, nsq), -k, nsq) if k < 0 else powmod(c, k, nsq)

    count = len(cts)
    for i in range(count):  # the script's own decryption agrees with Federa's plaintexts
        if decrypt(i) != plain[i]:
            raise SystemExit("GMP decryption disagrees with Federa's ciphertext %d" % i)
    acc = [cts[0]]

    def add(i):
        acc[0] = acc[0] * cts[i] % nsq

    terms = int(spec["dot_terms"])

    def dot(_):
        total = mpz(1)
        for i in range(terms):
            total = total * mul(cts[i % count], scalars[i % len(scalars)]) % nsq
        return total

    start = time.perf_counter()
    dot(0)
    dot_seconds = time.perf_counter() - start
    json.dump(
        {
            "gmp": gmpy2.mp_version(),
            "encrypt": rate(encrypt, count, seconds),
            "decrypt": rate(decrypt, count, seconds),
            "add": rate(add, count, seconds),
            "multiply": rate(lambda i: mul(cts[i], scalars[i % len(scalars)]), count, seconds),
            "dot_terms_per_s": terms / dot_seconds,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
