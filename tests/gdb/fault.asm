; SPDX-License-Identifier: MIT
; A guest whose faults its own handlers take (gdb_test.sh): a word read
; at DS:FFFFh runs past the 64 KiB real-mode limit (#GP, vector 13); the
; #GP handler then runs UD2 (#UD, vector 6), whose handler exits with
; status 7.  Without a debugger catching them the guest exits 7 as well.
        bits    16
        org     0x7C00
start:  cli
        xor     ax, ax
        mov     ds, ax
        mov     ss, ax
        mov     sp, 0x7C00
        mov     word [13 * 4], gp_handler
        mov     word [13 * 4 + 2], 0
        mov     word [6 * 4], ud_handler
        mov     word [6 * 4 + 2], 0
        mov     bx, 0xFFFF
        mov     ax, [bx]                ; #GP: the word's second byte is past the limit
        hlt
gp_handler:
        mov     cx, 0x1313
        ud2                             ; #UD
        hlt
ud_handler:
        mov     al, 7
        out     0xF4, al
        hlt
