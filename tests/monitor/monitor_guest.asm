; SPDX-License-Identifier: MIT
; monitor_guest -- a small flat real-mode program (-bin, loaded at 0000:7C00)
; for the monitor's transcript test: a store to watch, two INT 21h with
; different AH to catch one of, a CALL to step over at a fixed address, and
; a #GP to catch and explain (a word read at offset FFFFh runs past the
; 64 KiB real-mode limit of DS).  Output goes to port E9h; the #GP handler
; leaves through the exit port F4h with status 0.
        bits 16
        org 0x7C00
start:
        xor     ax, ax                  ; 7C00
        mov     ds, ax                  ; 7C02
        mov     ax, 0x1234              ; 7C04
        mov     [0x600], ax             ; 7C07: the breakpoint in the test
        mov     word [0x602], 0x5678    ; 7C0A: the watched store
        mov     word [0x21 * 4], int21
        mov     word [0x21 * 4 + 2], 0
        mov     word [13 * 4], gp_handler
        mov     word [13 * 4 + 2], 0
        mov     ah, 0x02
        int     0x21
        mov     ah, 0x09
        int     0x21
        times 0x40 - ($ - $$) nop
        call    sub1                    ; 7C40: stepped over with `n`
        mov     ax, [0xFFFF]            ; 7C43: #GP(0)
        hlt

sub1:
        mov     bx, 1
        ret

int21:
        mov     al, ah
        add     al, '0'
        out     0xE9, al
        iret

gp_handler:
        mov     al, 'G'
        out     0xE9, al
        mov     al, 10
        out     0xE9, al
        xor     al, al
        out     0xF4, al
        hlt
