#!/usr/bin/python3
# Regenerate with: /usr/bin/python3 tools/reference/paillier_kat.py (values are pasted into PaillierTest).
# Known-answer vector for Paillier with g = n + 1 (plain Python integers).
p = 0xd5a6a2c6b1ea6e19ac0fe6bd0c7f0a1e4b6c1a5e6b3c9d8ef1b2a3c4d5e6f701
q = 0xf1c3a5b7d9e2f4a6c8b1d3e5f7a9c2b4d6e8f1a3c5b7d9e2f4a6c8b1d3e5f70b
def is_prime(n):
    import random
    if n < 2: return False
    for sp in [2,3,5,7,11,13,17,19,23,29,31,37]:
        if n % sp == 0: return n == sp
    d, s = n-1, 0
    while d % 2 == 0: d//=2; s+=1
    rnd = random.Random(1)
    for _ in range(40):
        a = rnd.randrange(2, n-1); x = pow(a, d, n)
        if x in (1, n-1): continue
        for _ in range(s-1):
            x = pow(x, 2, n)
            if x == n-1: break
        else: return False
    return True
while not is_prime(p): p += 2
while not is_prime(q): q += 2
n = p*q; n2 = n*n; g = n+1
m = 0x1234567890abcdef1122334455667788
r = 0x0fedcba9876543210fedcba987654321aabbccdd
c = pow(g, m, n2) * pow(r, n, n2) % n2
lam = (p-1)*(q-1)//__import__('math').gcd(p-1,q-1)
mu = pow((pow(g, lam, n2)-1)//n, -1, n)
assert (pow(c, lam, n2)-1)//n * mu % n == m
print("p", hex(p)); print("q", hex(q)); print("m", hex(m)); print("r", hex(r)); print("c", hex(c)); print("bits", n.bit_length())
