; SPDX-License-Identifier: MIT
; x87 state for gdb's register view (gdb_test.sh): FNINIT, FLD1, FLDPI
; leave ST0 = pi, ST1 = 1, TOP = 6, then the guest exits.
        bits    16
        org     0x7C00
start:  cli
        mov     eax, cr0
        and     al, ~0x0C               ; EM and TS clear: x87 instructions run
        mov     cr0, eax
        fninit
        fld1
        fldpi
loaded: mov     al, 0
        out     0xF4, al
        hlt
