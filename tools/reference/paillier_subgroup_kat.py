#!/usr/bin/python3
# Known-answer vector for a Ma-Han-Lei subgroup key (plain Python integers); pasted into PaillierTest.
# Regenerate with: /usr/bin/python3 tools/reference/paillier_subgroup_kat.py
import random
def is_prime(n, rnd=random.Random(1)):
    if n < 2: return False
    for sp in [2,3,5,7,11,13,17,19,23,29,31,37]:
        if n % sp == 0: return n == sp
    d, s = n-1, 0
    while d % 2 == 0: d//=2; s+=1
    for _ in range(40):
        a = rnd.randrange(2, n-1); x = pow(a, d, n)
        if x in (1, n-1): continue
        for _ in range(s-1):
            x = pow(x, 2, n)
            if x == n-1: break
        else: return False
    return True
rnd = random.Random(20261124)
def prime(bits):
    while True:
        c = rnd.getrandbits(bits) | (1 << (bits-1)) | 1
        if is_prime(c): return c
def structured(bits, s):
    while True:
        cof = rnd.getrandbits(bits - 1 - s.bit_length()) | (1 << (bits - 2 - s.bit_length()))
        P = 2*s*cof + 1
        if P.bit_length() == bits and is_prime(P): return P, cof
a, b = prime(64), prime(64)
P, a2 = structured(256, a)
Q, b2 = structured(256, b)
n = P*Q; n2 = n*n
y = rnd.getrandbits(600) % n
h = (n - pow(y, 2*a2*b2, n)) % n
hs = pow(h, n, n2)
m = 0x1234567890abcdef
alpha = rnd.getrandbits(256)
c = (1 + m*n) * pow(hs, alpha, n2) % n2
# decrypt with the short exponent 2a
x = pow(c % (P*P), 2*a, P*P)
assert (x - 1) % P == 0
for name, v in [("P", P), ("Q", Q), ("a", a), ("b", b), ("hs", hs), ("m", m), ("c", c)]:
    print(name, hex(v))
