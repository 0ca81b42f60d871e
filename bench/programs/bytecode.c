/* A bytecode interpreter written in C: a small stack VM (switch dispatch) running a program
 * that counts primes by trial division and sums a polynomial. Stresses br_table, loads of the
 * VM's state through memory, and unpredictable branches: an interpreter on an interpreter. */
#include "bench.h"

enum {
  PUSH,   /* push imm */
  LOAD,   /* push var[imm] */
  STORE,  /* var[imm] = pop */
  ADD, SUB, MUL, MOD, LT, EQ,
  JMP,    /* pc = imm */
  JZ,     /* if pop == 0: pc = imm */
  INC,    /* var[imm] += 1 */
  DUP, DROP,
  HALT
};

typedef struct {
  uint8_t op;
  int32_t imm;
} insn;

static int64_t exec(const insn *code, int64_t *vars) {
  int64_t stack[64];
  int sp = 0;
  int pc = 0;
  for (;;) {
    const insn *i = &code[pc++];
    switch (i->op) {
    case PUSH: stack[sp++] = i->imm; break;
    case LOAD: stack[sp++] = vars[i->imm]; break;
    case STORE: vars[i->imm] = stack[--sp]; break;
    case ADD: sp--; stack[sp - 1] += stack[sp]; break;
    case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
    case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
    case MOD: sp--; stack[sp - 1] %= stack[sp]; break;
    case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
    case EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
    case JMP: pc = i->imm; break;
    case JZ: if (stack[--sp] == 0) pc = i->imm; break;
    case INC: vars[i->imm]++; break;
    case DUP: stack[sp] = stack[sp - 1]; sp++; break;
    case DROP: sp--; break;
    case HALT: return sp ? stack[sp - 1] : 0;
    }
  }
}

/* vars: 0 = limit, 1 = candidate, 2 = divisor, 3 = count, 4 = acc */
static const insn program[] = {
    /* 0 */ {PUSH, 2}, {STORE, 1}, {PUSH, 0}, {STORE, 3}, {PUSH, 0}, {STORE, 4},
    /* 6: outer: while candidate < limit */
    {LOAD, 1}, {LOAD, 0}, {LT, 0}, {JZ, 40},
    /* 10 */ {PUSH, 2}, {STORE, 2},
    /* 12: inner: if candidate < divisor * divisor, it is prime */
    {LOAD, 1}, {LOAD, 2}, {LOAD, 2}, {MUL, 0}, {LT, 0}, {JZ, 19}, {JMP, 25},
    /* 19: if candidate % divisor == 0, it is composite; else next divisor */
    {LOAD, 1}, {LOAD, 2}, {MOD, 0}, {JZ, 30}, {INC, 2}, {JMP, 12},
    /* 25: prime: count it, push acc + candidate */
    {INC, 3}, {LOAD, 4}, {LOAD, 1}, {ADD, 0}, {JMP, 33},
    /* 30: composite: push acc - divisor */
    {LOAD, 4}, {LOAD, 2}, {SUB, 0},
    /* 33: acc = pushed * 3 % p; next candidate */
    {PUSH, 3}, {MUL, 0}, {PUSH, 1000000007}, {MOD, 0}, {STORE, 4}, {INC, 1}, {JMP, 6},
    /* 40: result: count * 10^6 + acc */
    {LOAD, 3}, {PUSH, 1000000}, {MUL, 0}, {LOAD, 4}, {ADD, 0}, {HALT, 0}};

EXPORT("run") int64_t run(int32_t n) {
  int64_t vars[8] = {0};
  vars[0] = n;
  return exec(program, vars);
}
