; SPDX-License-Identifier: MIT
; A guest with known data accesses for gdb's watchpoints (gdb_test.sh):
; a write, a read and a read-modify-write of words at 1000h and 1002h,
; a dword write that starts below 1000h, each followed by a MOV BX
; marker that names the point reached.  Then it exits with status 0.
        bits    16
        org     0x7C00
start:  cli
        xor     ax, ax
        mov     ds, ax
        mov     ss, ax
        mov     sp, 0x7C00
        mov     word [0x1000], 0x1234   ; watch: Old 0, New 4660
        mov     bx, 0x1111
        mov     ax, [0x1000]            ; rwatch: Value 4660
        mov     bx, 0x2222
        add     word [0x1002], 5        ; awatch: Old 0, New 5
        mov     bx, 0x3333
        mov     dword [0x0FFE], 0xAABBCCDD  ; watch on 1000h, reached from 0FFEh
        mov     bx, 0x4444
        mov     al, 0
        out     0xF4, al
        hlt
