; SPDX-License-Identifier: MIT
; v86_iobitmap -- IN/OUT in virtual-8086 mode and the TSS I/O permission
; bitmap.
;
; SDM vol. 1 ch. 19 ("I/O Permission Bit Map") and vol. 3B 20.2.8 ("Virtual-
; 8086 Mode I/O").  In V86 mode IN/OUT/INS/OUTS are NOT IOPL-sensitive:
; whatever IOPL is, every access is checked against the bitmap that starts
; at the offset in the TSS word at 66h.  One bit per port, 1 = trap with
; #GP(0).  An access of N bytes checks the N bits of ports port..port+N-1,
; so a word access traps when either byte's bit is set.  The CPU reads the
; bitmap two bytes at a time, and any byte past the TSS limit counts as all
; ones: ports whose bits lie beyond the limit always trap (hence the FFh
; byte that must end a full bitmap).  A monitor uses this to trap only the
; ports it virtualises (see v86_monitor).
;
; Here the TSS limit covers the bitmap for ports 0-3FFh (80h bytes) plus an
; FFh byte; the bits of ports 84h and 88h are set.  Checks: IN/OUT on port
; 80h run; word IN at 82h (bits 82h, 83h clear) runs; byte IN at 84h traps
; with #GP(0) at the IN; word IN at 87h (bit 87h clear, 88h set) traps; a
; dword IN checks four bits (80h runs, 81h reaches 84h and traps); INSB is
; checked like IN; IN from 500h traps although the memory where its bit
; would be is zero (past the limit), and runs once the limit covers it;
; IOPL = 3 does not bypass the bitmap.
%define TEST_NAME "v86_iobitmap"
%include "boot.inc"
%include "report.inc"
%include "pm.inc"
%include "v86.inc"

MAP_BYTES equ 0x80                      ; ports 0-3FFh

        bits 16
test_main:
        ENTER_PM
        mov     eax, V86_IOMAP + MAP_BYTES      ; the FFh byte is the last one inside
        call    v86_setup32
        mov     byte [V86_TSS + V86_IOMAP + MAP_BYTES], 0xFF
        mov     byte [V86_TSS + V86_IOMAP + 0x84 / 8], 1 << (0x84 % 8)
        mov     byte [V86_TSS + V86_IOMAP + 0x88 / 8], 1 << (0x88 % 8)
        OK      "TSS limit covers ports 0-3FFh; bits 84h and 88h set"

; RUNS label, eflags, "what": the code reaches its HLT (no #GP before).
%macro RUNS 3
        V86_RUN %1, %2
        CHECK_EQ [v86_frame + V86F_EIP], V86_IP(%1 %+ _hlt), {%3, ": reached the HLT"}
        OK      {%3, ": executes"}
%endmacro
; TRAPS label, eflags, "what": #GP(0) with CS:IP at label_io, the I/O
; instruction (the code may set DX first).
%macro TRAPS 3
        V86_RUN %1, %2
        CHECK_EQ [v86_frame + V86F_ERR], 0, {%3, ": error code"}
        CHECK_EQ [v86_frame + V86F_EIP], V86_IP(%1 %+ _io), {%3, ": IP of the trapping instruction"}
        movzx   eax, word [v86_frame + V86F_CS]
        CHECK_EQ eax, V86_CS, {%3, ": CS"}
        OK      {%3, ": #GP(0)"}
%endmacro

        RUNS    v_in80, 2, "IN AL,80h (bit clear), IOPL 0"
        RUNS    v_out80, 2, "OUT 80h,AL (bit clear), IOPL 0"
        RUNS    v_inw82, 2, "IN AX,82h (bits 82h-83h clear)"
        TRAPS   v_in84, 2, "IN AL,84h (bit set), IOPL 0"
        TRAPS   v_in84, IOPL3 | 2, "IN AL,84h (bit set), IOPL 3"
        TRAPS   v_out84, IOPL3 | 2, "OUT DX=84h,AL (bit set), IOPL 3"
        RUNS    v_in87, 2, "IN AL,DX=87h (bit clear)"
        TRAPS   v_inw87, 2, "IN AX,DX=87h (spans the set bit of 88h)"
        RUNS    v_ind80, 2, "IN EAX,DX=80h (bits 80h-83h clear)"
        TRAPS   v_ind81, 2, "IN EAX,DX=81h (bits 81h-84h: 84h set)"
        TRAPS   v_insb84, 2, "INSB DX=84h (string I/O, bit set)"
        TRAPS   v_in500, 2, "IN AL,DX=500h (bitmap byte past the TSS limit)"
        TRAPS   v_in500, IOPL3 | 2, "IN AL,DX=500h past the limit, IOPL 3"

        ; The same port with the whole bitmap inside the limit: it runs.
        mov     eax, V86_TSS_FULL_LIMIT
        call    v86_setup32
        RUNS    v_in500, 2, "IN AL,DX=500h with a full-size TSS limit"
        PASS

; ---- the V86 code: label_io is the I/O instruction, label_hlt the HLT
; that hands control back when it runs ----
        bits 16
v_in80: in      al, 0x80
v_in80_hlt:
        hlt
v_out80:
        out     0x80, al
v_out80_hlt:
        hlt
v_inw82:
        in      ax, 0x82
v_inw82_hlt:
        hlt
v_in84:
v_in84_io:
        in      al, 0x84
        hlt
v_out84:
        mov     dx, 0x84
v_out84_io:
        out     dx, al
        hlt
v_in87:
        mov     dx, 0x87
        in      al, dx
v_in87_hlt:
        hlt
v_inw87:
        mov     dx, 0x87
v_inw87_io:
        in      ax, dx
        hlt
v_ind80:
        mov     dx, 0x80
        in      eax, dx
v_ind80_hlt:
        hlt
v_ind81:
        mov     dx, 0x81
v_ind81_io:
        in      eax, dx
        hlt
v_insb84:
        mov     dx, 0x84
        mov     ax, 0x3000
        mov     es, ax
        mov     di, 0x0800
v_insb84_io:
        insb
        hlt
v_in500:
        mov     dx, 0x500
v_in500_io:
        in      al, dx
v_in500_hlt:
        hlt
