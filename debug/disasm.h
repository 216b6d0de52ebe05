/* SPDX-License-Identifier: MIT */
/*
 * One x86 instruction as text, for the monitor, the tracer and the fault
 * explainer.  Backed by Capstone (Debian's libcapstone): it knows every
 * instruction the CPU may meet, x87 and MMX included, in Intel syntax, and
 * keeping mnemonics and operand printing out of cpu/ keeps the decoder
 * tables about execution only.
 */
#ifndef FAULTLINE_DISASM_H
#define FAULTLINE_DISASM_H

#include <stddef.h>
#include <stdint.h>

/* Disassembles the instruction at the start of `bytes` (len available),
 * located at `address`, for 16- or 32-bit code (bits).  Writes e.g.
 * "mov eax, dword ptr [ebx + 4]" into out and returns its length in bytes;
 * 0 and "(bad)" when the bytes are not an instruction. */
size_t disasm_one(const uint8_t *bytes, size_t len, uint64_t address, int bits, char *out,
                  size_t cap);

#endif
