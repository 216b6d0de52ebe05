; SPDX-License-Identifier: MIT
; A guest that triple-faults (gdb_test.sh): with an empty interrupt vector
; table (IDTR limit 0) a #GP cannot be delivered, nor the #DF after it,
; and the CPU shuts down.
        bits    16
        org     0x7C00
start:  cli
        lidt    [empty_idt]
        xor     ax, ax
        mov     ds, ax
        mov     bx, 0xFFFF
        mov     ax, [bx]                ; #GP, then #DF, then shutdown
        hlt
empty_idt:
        dw      0
        dd      0
