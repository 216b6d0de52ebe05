; SPDX-License-Identifier: MIT
; x87 -- the floating-point unit as software meets it: exact IEEE results
; stored as doubles, FIST rounding to nearest even, packed BCD, FCOMPP and
; FNSTSW AX, a stack overflow (IE with SF and C1), and the two ways an
; unmasked exception is reported at the next waiting instruction: with
; CR0.NE clear, FERR# goes to IRQ 13 through the PC's latch (cleared by an
; OUT to port F0h); with CR0.NE set, #MF, vector 16.
;
; QEMU 7.2's TCG x87 does not check the tags on a push, and it aborts (an
; iothread-lock assertion) when FERR# raises IRQ 13: both checks are
; skipped there.
;
; SDM vol. 1 ch. 8 (8.1.3 condition codes, 8.5 exceptions, 8.7 the two
; reporting modes), vol. 2 FDIV, FSQRT, FIST, FBSTP, FCOMPP, FSTSW, WAIT;
; vol. 3A 2.5 (CR0.NE) and appendix D of vol. 1 (the PC's IRQ 13 wiring).
%define TEST_NAME "x87"
%include "boot.inc"
%include "report.inc"
%include "pm.inc"

        bits 16
test_main:
        fninit
        fld1
        fild    word [three]
        fdivp   st1                     ; 1/3
        fstp    qword [result]
        CHECK_EQ [result], 0x55555555, "1/3 as a double (low)"
        CHECK_EQ [result + 4], 0x3FD55555, "1/3 as a double (high)"
        fild    word [two]
        fsqrt
        fstp    qword [result]
        CHECK_EQ [result], 0x667F3BCD, "sqrt(2) as a double (low)"
        CHECK_EQ [result + 4], 0x3FF6A09E, "sqrt(2) as a double (high)"
        OK      "division and square root round correctly"

        fld     dword [two_and_half]
        fistp   word [result]
        movzx   eax, word [result]
        CHECK_EQ eax, 2, "FISTP 2.5 rounds to even"
        fild    word [minus_1234]
        fbstp   [bcd]
        CHECK_EQ [bcd], 0x00001234, "FBSTP -1234: the digits"
        CHECK_EQ [bcd + 6], 0x80000000, "FBSTP -1234: the sign byte"

        fld1
        fldz
        fcompp                          ; 0 < 1: C0
        fnstsw  ax
        and     eax, 0x4500
        CHECK_EQ eax, 0x0100, "FCOMPP 0 with 1 sets C0 only"

        ON_QEMU
        jne     .skip_stack
        fninit
        mov     cx, 9
.push:  fld1
        loop    .push                   ; the ninth push overflows
        fnstsw  ax
        and     eax, 0x02C1
        CHECK_EQ eax, 0x0241, "the ninth push sets IE, SF and C1"
        jmp     .stack_done
.skip_stack:
        SKIP    "QEMU's x87 does not detect stack overflow"
.stack_done:

        ; CR0.NE clear: the FWAIT after an unmasked zero divide sends
        ; FERR# to IRQ 13 (vector 75h), whose handler clears the latch.
        ON_QEMU
        jne     .skip_ferr
        fninit
        mov     word [0x75 * 4], irq13
        mov     word [0x75 * 4 + 2], 0
        in      al, 0xA1
        and     al, ~0x20
        out     0xA1, al
        in      al, 0x21
        and     al, ~0x04
        out     0x21, al
        fldcw   [cw_ze_unmasked]
        fld1
        fldz
        fdivp   st1
        sti
        fwait
        nop
        nop
        cli
        CHECK_EQ [irq13_count], 1, "FERR# raised IRQ 13 once"
        jmp     .ferr_done
.skip_ferr:
        SKIP    "QEMU 7.2 aborts when FERR# raises IRQ 13 (iothread lock assertion)"
.ferr_done:

        ENTER_PM
        mov     eax, cr0
        or      eax, 0x20               ; CR0.NE
        mov     cr0, eax
        fninit
        fldcw   [cw_ze_unmasked]
        fld1
        fldz
        fdivp   st1
        expect_fault 16, -1, "with CR0.NE the FWAIT raises #MF"
        fwait
        end_expect
        fnclex
        PASS

        bits 16
irq13:
        inc     dword [irq13_count]
        out     0xF0, al                ; clear the coprocessor-error latch
        fnclex
        push    ax
        mov     al, 0x20
        out     0xA0, al
        out     0x20, al
        pop     ax
        iret

        align   16
result:         dq 0
bcd:            times 10 db 0
                align 4
irq13_count:    dd 0
three:          dw 3
two:            dw 2
minus_1234:     dw -1234
two_and_half:   dd 2.5
cw_ze_unmasked: dw 0x037B
