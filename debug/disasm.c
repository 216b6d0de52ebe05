/* SPDX-License-Identifier: MIT */
/*
 * disasm_one through Capstone.  A handle is opened per call: the callers
 * (a monitor command, a trace line, a fault report) are not hot enough for
 * a cache to matter, and no state is kept between calls.
 */
#include "disasm.h"

#include <capstone/capstone.h>
#include <stdio.h>

size_t disasm_one(const uint8_t *bytes, size_t len, uint64_t address, int bits, char *out,
                  size_t cap)
{
    csh handle;
    cs_insn *insn = NULL;
    size_t used = 0;

    if (cap)
        snprintf(out, cap, "(bad)");
    if (cs_open(CS_ARCH_X86, bits == 16 ? CS_MODE_16 : CS_MODE_32, &handle) != CS_ERR_OK)
        return 0;
    if (cs_disasm(handle, bytes, len, address, 1, &insn) == 1) {
        if (insn->op_str[0])
            snprintf(out, cap, "%s %s", insn->mnemonic, insn->op_str);
        else
            snprintf(out, cap, "%s", insn->mnemonic);
        used = insn->size;
        cs_free(insn, 1);
    }
    cs_close(&handle);
    return used;
}
