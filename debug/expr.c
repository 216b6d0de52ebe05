/* SPDX-License-Identifier: MIT */
/*
 * The condition language of expr.h: a recursive-descent parser that emits
 * postfix operations, and a stack machine that evaluates them.  Values are
 * 32-bit unsigned; comparisons give 0 or 1.  No side effects, no memory
 * reads: a condition can never disturb the guest.
 */
#include "expr.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"

typedef enum ExprKind {
    OP_NUM, OP_VAR, OP_NOT, OP_AND_BITS, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
    OP_LAND, OP_LOR,
} ExprKind;

typedef enum ExprVar {
    VAR_GPR32 = 0,          /* + REG_* */
    VAR_GPR16 = 8,
    VAR_GPR8 = 16,          /* al cl dl bl ah ch dh bh */
    VAR_SEG = 24,           /* + SEG_* */
    VAR_EIP = 32, VAR_IP, VAR_EFLAGS, VAR_CR0, VAR_CR2, VAR_CR3, VAR_CR4, VAR_CPL,
    VAR_ERROR, VAR_VECTOR,
} ExprVar;

static const char *const gpr32[] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
static const char *const gpr16[] = { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di" };
static const char *const gpr8[] = { "al", "cl", "dl", "bl", "ah", "ch", "dh", "bh" };
static const char *const segs[] = { "es", "cs", "ss", "ds", "fs", "gs" };
static const char *const others[] = { "eip", "ip", "eflags", "cr0", "cr2", "cr3", "cr4", "cpl",
                                      "error", "vector" };

typedef struct Parser {
    const char *p;
    Expr *e;
    char *err;
    size_t err_len;
    bool failed;
} Parser;

static void fail(Parser *ps, const char *what)
{
    if (!ps->failed)
        snprintf(ps->err, ps->err_len, "bad expression: %s near '%.12s'", what, ps->p);
    ps->failed = true;
}

static void emit(Parser *ps, ExprKind kind, uint32_t value)
{
    if (ps->e->count == EXPR_MAX_OPS) {
        fail(ps, "too long");
        return;
    }
    ps->e->op[ps->e->count++] = (ExprOp){ .kind = (uint8_t)kind, .value = value };
}

static void skip_space(Parser *ps)
{
    while (isspace((unsigned char)*ps->p))
        ps->p++;
}

/* True (and consumed) when the input continues with tok. */
static bool accept(Parser *ps, const char *tok)
{
    skip_space(ps);
    size_t n = strlen(tok);
    if (strncmp(ps->p, tok, n))
        return false;
    /* "&" must not eat the first half of "&&", nor "<" of "<=". */
    if (n == 1 && (ps->p[1] == '&' || ps->p[1] == '=') && tok[0] != '(' && tok[0] != ')')
        return false;
    ps->p += n;
    return true;
}

static int lookup(const char *name, size_t n, const char *const *table, int count)
{
    for (int i = 0; i < count; i++)
        if (strlen(table[i]) == n && !strncmp(name, table[i], n))
            return i;
    return -1;
}

static int variable_id(const char *name, size_t n)
{
    int i;
    if ((i = lookup(name, n, gpr32, 8)) >= 0)
        return VAR_GPR32 + i;
    if ((i = lookup(name, n, gpr16, 8)) >= 0)
        return VAR_GPR16 + i;
    if ((i = lookup(name, n, gpr8, 8)) >= 0)
        return VAR_GPR8 + i;
    if ((i = lookup(name, n, segs, 6)) >= 0)
        return VAR_SEG + i;
    if ((i = lookup(name, n, others, (int)(sizeof(others) / sizeof(others[0])))) >= 0)
        return VAR_EIP + i;
    return -1;
}

static void parse_or(Parser *ps);

static void parse_primary(Parser *ps)
{
    skip_space(ps);
    if (accept(ps, "(")) {
        parse_or(ps);
        if (!accept(ps, ")"))
            fail(ps, "missing ')'");
    } else if (accept(ps, "!")) {
        parse_primary(ps);
        emit(ps, OP_NOT, 0);
    } else if (isdigit((unsigned char)*ps->p)) {
        char *end;
        unsigned long long v = strtoull(ps->p, &end, 0);
        if (v > 0xFFFFFFFFull || isalnum((unsigned char)*end))
            fail(ps, "bad number");
        ps->p = end;
        emit(ps, OP_NUM, (uint32_t)v);
    } else if (isalpha((unsigned char)*ps->p)) {
        const char *start = ps->p;
        while (isalnum((unsigned char)*ps->p))
            ps->p++;
        int id = variable_id(start, (size_t)(ps->p - start));
        if (id < 0) {
            ps->p = start;
            fail(ps, "unknown name");
        }
        emit(ps, OP_VAR, (uint32_t)id);
    } else {
        fail(ps, "expected a number or a register");
    }
}

static void parse_bits(Parser *ps)
{
    parse_primary(ps);
    while (!ps->failed && accept(ps, "&")) {
        parse_primary(ps);
        emit(ps, OP_AND_BITS, 0);
    }
}

static void parse_compare(Parser *ps)
{
    static const struct { const char *tok; ExprKind op; } ops[] = {
        { "==", OP_EQ }, { "!=", OP_NE }, { "<=", OP_LE }, { ">=", OP_GE }, { "<", OP_LT }, { ">", OP_GT },
    };
    parse_bits(ps);
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]) && !ps->failed; i++) {
        if (accept(ps, ops[i].tok)) {
            parse_bits(ps);
            emit(ps, ops[i].op, 0);
            break;
        }
    }
}

static void parse_and(Parser *ps)
{
    parse_compare(ps);
    while (!ps->failed && accept(ps, "&&")) {
        parse_compare(ps);
        emit(ps, OP_LAND, 0);
    }
}

static void parse_or(Parser *ps)
{
    parse_and(ps);
    while (!ps->failed && accept(ps, "||")) {
        parse_and(ps);
        emit(ps, OP_LOR, 0);
    }
}

bool expr_compile(Expr *e, const char *text, char *err, size_t err_len)
{
    Parser ps = { .p = text ? text : "", .e = e, .err = err, .err_len = err_len };
    e->count = 0;
    skip_space(&ps);
    if (!*ps.p)
        return true;
    parse_or(&ps);
    skip_space(&ps);
    if (!ps.failed && *ps.p)
        fail(&ps, "unexpected text");
    if (ps.failed)
        e->count = 0;
    return !ps.failed;
}

unsigned expr_cpl(const Cpu *cpu)
{
    if (!(cpu->cr0 & CR0_PE))
        return 0;
    if (cpu->eflags & EFLAGS_VM)
        return 3;
    return (cpu->seg[SEG_SS].attr >> SEG_ATTR_DPL_SHIFT) & 3;
}

static uint32_t variable(Cpu *cpu, const FaultRecord *fault, uint32_t id)
{
    if (id < VAR_GPR16)
        return cpu->gpr[id];
    if (id < VAR_GPR8)
        return cpu->gpr[id - VAR_GPR16] & 0xFFFF;
    if (id < VAR_SEG) {
        unsigned r = id - VAR_GPR8;
        return (cpu->gpr[r & 3] >> (r & 4 ? 8 : 0)) & 0xFF;
    }
    if (id < VAR_EIP)
        return cpu->seg[id - VAR_SEG].sel;
    switch (id) {
    case VAR_EIP: return cpu->eip;
    case VAR_IP: return cpu->eip & 0xFFFF;
    case VAR_EFLAGS: return cpu_get_eflags(cpu);
    case VAR_CR0: return cpu->cr0;
    /* CR2 may be written only as the #PF is delivered: its rule holds the address. */
    case VAR_CR2: return fault && fault->vector == EXC_PF ? fault->detail[0] : cpu->cr2;
    case VAR_CR3: return cpu->cr3;
    case VAR_CR4: return cpu->cr4;
    case VAR_CPL: return expr_cpl(cpu);
    case VAR_ERROR: return fault ? fault->error_code : 0;
    case VAR_VECTOR: return fault ? fault->vector : 0;
    default: return 0;
    }
}

static uint32_t apply(ExprKind k, uint32_t a, uint32_t b)
{
    switch (k) {
    case OP_AND_BITS: return a & b;
    case OP_EQ: return a == b;
    case OP_NE: return a != b;
    case OP_LT: return a < b;
    case OP_LE: return a <= b;
    case OP_GT: return a > b;
    case OP_GE: return a >= b;
    case OP_LAND: return a && b;
    case OP_LOR: return a || b;
    default: return 0;
    }
}

uint32_t expr_eval(const Expr *e, Cpu *cpu, const FaultRecord *fault)
{
    uint32_t stack[EXPR_MAX_OPS];
    int sp = 0;
    if (e->count == 0)
        return 1;
    for (int i = 0; i < e->count; i++) {
        const ExprOp *op = &e->op[i];
        if (op->kind == OP_NUM)
            stack[sp++] = op->value;
        else if (op->kind == OP_VAR)
            stack[sp++] = variable(cpu, fault, op->value);
        else if (op->kind == OP_NOT)
            stack[sp - 1] = !stack[sp - 1];
        else {
            sp--;
            stack[sp - 1] = apply((ExprKind)op->kind, stack[sp - 1], stack[sp]);
        }
    }
    return stack[0];
}
