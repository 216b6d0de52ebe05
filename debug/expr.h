/* SPDX-License-Identifier: MIT */
/*
 * Conditions for breakpoints and catch points: a small expression language
 * on the CPU's registers, compiled once into postfix and evaluated at every
 * hit.  Operands are numbers (0x hex or decimal) and names: eax..edi,
 * ax..di, al..bh, eip, ip, eflags, cs ds es fs gs ss, cr0 cr2 cr3 cr4, cpl,
 * and for a caught exception `error` (its error code) and `vector`; `cr2`
 * in an exception condition is the faulting linear address of a #PF.
 * Operators, loosest first: ||, &&, == != < <= > >= (unsigned), &, unary !,
 * parentheses.  Example: "cpl == 3 && cr2 >= 0x400000".
 */
#ifndef FAULTLINE_EXPR_H
#define FAULTLINE_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct Cpu;
struct FaultRecord;

enum { EXPR_MAX_OPS = 48 };

typedef struct ExprOp {
    uint8_t kind;           /* ExprKind (expr.c) */
    uint32_t value;         /* a number, or the variable's id */
} ExprOp;

typedef struct Expr {
    ExprOp op[EXPR_MAX_OPS];
    int count;              /* 0: no condition (always true) */
} Expr;

/* Compiles text; false and a one-line reason in err on a syntax error. */
bool expr_compile(Expr *e, const char *text, char *err, size_t err_len);
/* The value (a condition is true when nonzero).  fault may be NULL: then
 * `error` and `vector` read 0 and `cr2` is CR2. */
uint32_t expr_eval(const Expr *e, struct Cpu *cpu, const struct FaultRecord *fault);
/* The current privilege level as `cpl` reads it (SS.DPL; 0 real, 3 V86). */
unsigned expr_cpl(const struct Cpu *cpu);

#endif
