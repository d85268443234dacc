#!/usr/bin/env python3
"""Reference outputs for tests/test_rng.c: an independent transcription of
splitmix64 (the seeder) and xoshiro256** (Blackman & Vigna) in Python integers.
Prints, per seed, the four splitmix64 outputs that become the xoshiro state and
the first six xoshiro256** outputs. splitmix64 from seed 0 gives 0xe220a8397b1dcdaf,
the published first value of the reference splitmix64.c.

    python3 tools/rng_ref.py
"""
M = (1 << 64) - 1


def splitmix(x):
    x = (x + 0x9e3779b97f4a7c15) & M
    z = x
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M
    return x, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M


def xoshiro(s):
    r = (rotl((s[1] * 5) & M, 7) * 9) & M
    t = (s[1] << 17) & M
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = rotl(s[3], 45)
    return r


for seed in (0, 42, 0xdeadbeef):
    x = seed
    state = []
    for _ in range(4):
        x, z = splitmix(x)
        state.append(z)
    s = list(state)
    outs = [xoshiro(s) for _ in range(6)]
    print(seed, [hex(v) for v in state], [hex(v) for v in outs])
