/* SPDX-License-Identifier: MIT */
/*
 * The checks on a data access that come after the segment check and before
 * the page walk: the alignment check first (#AC is a fault, SDM vol. 3,
 * 6.15 "Interrupt 17"), then the data breakpoints (a trap reported after the
 * instruction, SDM vol. 3, 17.3.1.2), then the debugger's watchpoints.
 */
#include "cpu_internal.h"

void cpu_data_access_checks(Cpu *cpu, uint32_t lin, unsigned size, bool write)
{
    alignment_check(cpu, lin, size);
    debug_data_access(cpu, lin, size, write);
    if (cpu->debug_watch_data)
        cpu_debug_data_access(cpu, lin, size, write);
}
