#!/usr/bin/env python3
"""Generates large.c: the suite's large program (tens of thousands of lines of C).

Deterministic (a fixed seed, no input), so the committed large.c is reproducible:
`python3 gen_large.py > large.c`. The program is a few thousand generated functions of
several shapes (straight-line arithmetic, switches, table-driven loops, f64 math, callers of
other functions, state updates through memory), constant tables (data segments) and a
function-pointer table (an element segment). `run(n)` calls every function `n` times through
the table and folds the results into a checksum.

Everything is unsigned 32/64-bit arithmetic or f64 math observed through its bits, so the
checksum has no undefined behaviour and is the same on every engine and natively.
"""
import random

SEED = 0x57A7A
N_FUNCS = 1700
N_TABLES = 48

rng = random.Random(SEED)
out = []
emit = out.append


def const():
    return f"0x{rng.getrandbits(32):08X}u"


def var(names):
    return rng.choice(names)


def arith_stmt(names, depth=0):
    """One statement updating a local from others."""
    dst = var(names)
    a, b = rng.sample(names, 2)
    k = rng.randint(0, 9)
    if k == 0:
        return f"{dst} = {a} * {const()} + {b};"
    if k == 1:
        return f"{dst} ^= ({a} >> {rng.randint(1, 31)}) | ({b} << {rng.randint(1, 31)});"
    if k == 2:
        return f"{dst} += {a} - ({b} ^ {const()});"
    if k == 3:
        return f"{dst} = ({a} << {rng.randint(1, 31)}) | ({a} >> {rng.randint(1, 31)});"
    if k == 4:
        return f"{dst} = {a} / (({b} & 0xFFu) | 1u) + {a} % (({b} >> 8 & 0x3Fu) + 1u);"
    if k == 5:
        return f"{dst} = {a} < {b} ? {a} + {rng.randint(1, 999)}u : {b} - {rng.randint(1, 999)}u;"
    if k == 6:
        return f"{dst} = (uint32_t)(((uint64_t){a} * {b}) >> {rng.randint(8, 40)});"
    if k == 7 and depth < 2:
        body_t = " ".join(arith_stmt(names, depth + 1) for _ in range(rng.randint(1, 3)))
        body_e = " ".join(arith_stmt(names, depth + 1) for _ in range(rng.randint(1, 3)))
        return f"if (({a} & {const()}) > ({b} & {const()})) {{ {body_t} }} else {{ {body_e} }}"
    if k == 8:
        return f"{dst} = {a} + (uint32_t)__builtin_popcount({b});"
    return f"{dst} ^= {a} + {const()};"


def gen_arith(i):
    names = ["x", "y", "a", "b"]
    emit(f"NOINLINE static uint32_t f{i}(uint32_t x, uint32_t y) {{")
    emit(f"  uint32_t a = x ^ {const()}, b = y + {const()};")
    for _ in range(rng.randint(10, 18)):
        emit("  " + arith_stmt(names))
    emit("  return a ^ b ^ x ^ y;")
    emit("}")


def gen_switch(i):
    cases = rng.randint(6, 14)
    emit(f"NOINLINE static uint32_t f{i}(uint32_t x, uint32_t y) {{")
    emit("  uint32_t r = y;")
    emit(f"  switch (x % {cases}u) {{")
    for c in range(cases):
        emit(f"  case {c}:")
        for _ in range(rng.randint(1, 3)):
            emit("    " + arith_stmt(["r", "x", "y"]))
        if rng.random() < 0.7:
            emit("    break;")
    emit("  default:")
    emit(f"    r += {const()};")
    emit("  }")
    emit("  return r;")
    emit("}")


def gen_loop(i):
    t = rng.randrange(N_TABLES)
    emit(f"NOINLINE static uint32_t f{i}(uint32_t x, uint32_t y) {{")
    emit(f"  uint32_t acc = {const()};")
    emit(f"  uint32_t trips = (y & {rng.choice([7, 15, 31])}u) + {rng.randint(2, 8)}u;")
    emit("  for (uint32_t k = 0; k < trips; k++) {")
    emit(f"    uint32_t v = T{t}[(x + k * {rng.randint(1, 13)}u) & 63u];")
    for _ in range(rng.randint(2, 5)):
        emit("    " + arith_stmt(["acc", "v", "x"]))
    emit("  }")
    emit("  return acc;")
    emit("}")


def gen_float(i):
    emit(f"NOINLINE static uint32_t f{i}(uint32_t x, uint32_t y) {{")
    emit(f"  double p = (double)(x & 0xFFFFu) * {rng.uniform(0.001, 2.0):.6f};")
    emit(f"  double q = (double)(y >> 16) + {rng.uniform(1.0, 100.0):.6f};")
    for _ in range(rng.randint(4, 9)):
        k = rng.randint(0, 4)
        d = rng.choice(["p", "q"])
        if k == 0:
            emit(f"  {d} = p * q + {rng.uniform(-5, 5):.6f};")
        elif k == 1:
            emit(f"  {d} = __builtin_sqrt(p * p + q * q + 1.0);")
        elif k == 2:
            emit(f"  {d} = p / (q * q + 1.0) - {rng.uniform(0, 3):.6f};")
        elif k == 3:
            emit(f"  if (p > q) p = p * 0.5; else q = q * 0.75 + 1.0;")
        else:
            emit(f"  {d} = __builtin_floor({d} * {rng.uniform(0.1, 0.9):.6f}) + __builtin_fabs(p - q);")
    emit("  uint64_t bits;")
    emit("  double r = p - q;")
    emit("  __builtin_memcpy(&bits, &r, 8);")
    emit("  return (uint32_t)(bits >> 20) ^ (uint32_t)bits ^ x;")
    emit("}")


def gen_state(i):
    emit(f"NOINLINE static uint32_t f{i}(uint32_t x, uint32_t y) {{")
    emit(f"  uint32_t *s = &state[(x ^ {rng.randint(0, 255)}u) & 255u];")
    for _ in range(rng.randint(3, 7)):
        idx = rng.randint(0, 7)
        emit(f"  s[{idx}] = s[{idx}] * {const()} + (y ^ s[{rng.randint(0, 7)}]);")
    emit(f"  counters[{rng.randrange(64)}] += (uint64_t)s[{rng.randint(0, 7)}];")
    emit("  return s[0] ^ s[7] ^ y;")
    emit("}")


leaves = []


def gen_caller(i):
    callees = rng.sample(leaves, min(len(leaves), rng.randint(2, 4)))
    emit(f"NOINLINE static uint32_t f{i}(uint32_t x, uint32_t y) {{")
    emit("  uint32_t r = x;")
    for c in callees:
        emit(f"  r = f{c}(r, y ^ {const()});")
        if rng.random() < 0.5:
            emit("  " + arith_stmt(["r", "x", "y"]))
    emit("  return r;")
    emit("}")


emit("/* GENERATED by gen_large.py: do not edit; regenerate with `python3 gen_large.py > large.c`.")
emit(" *")
emit(" * The large program: tens of thousands of lines of generated C. It is the module for compile")
emit(" * throughput (decode + validate + translate) and a run-time benchmark with a large, cold")
emit(" * instruction footprint: every function runs a few times per round, through call_indirect. */")
emit('#include "bench.h"')
emit("")
for t in range(N_TABLES):
    vals = ", ".join(const() for _ in range(64))
    emit(f"static const uint32_t T{t}[64] = {{{vals}}};")
emit("static uint32_t state[256 + 8];")
emit("static uint64_t counters[64];")
emit("")
kinds = [gen_arith, gen_switch, gen_loop, gen_float, gen_state]
for i in range(N_FUNCS):
    if i >= 16 and rng.random() < 0.2:
        gen_caller(i)
    else:
        rng.choice(kinds)(i)
        leaves.append(i)
    emit("")
emit("typedef uint32_t (*fn_t)(uint32_t, uint32_t);")
emit(f"static fn_t const funcs[{N_FUNCS}] = {{")
for i in range(0, N_FUNCS, 12):
    emit("  " + " ".join(f"f{j}," for j in range(i, min(i + 12, N_FUNCS))))
emit("};")
emit("")
emit('EXPORT("run") int64_t run(int32_t n) {')
emit("  uint64_t h = 0;")
emit("  uint32_t acc = 1;")
emit("  for (int32_t round = 0; round < n; round++) {")
emit(f"    for (uint32_t i = 0; i < {N_FUNCS}u; i++) {{")
emit("      acc = funcs[i](acc, (uint32_t)round * 2654435761u + i);")
emit("    }")
emit("    h = mix(h, acc);")
emit("  }")
emit("  for (int i = 0; i < 64; i++) h = mix(h, counters[i]);")
emit("  return (int64_t)h;")
emit("}")
print("\n".join(out))
