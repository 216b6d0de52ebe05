; SPDX-License-Identifier: MIT
; alignment -- the alignment check of the 486 and later: with CR0.AM and
; EFLAGS.AC both set, a data or stack access at CPL 3 whose address is not
; a multiple of its size is #AC, vector 17, with error code 0, a fault
; reported at the instruction.  At CPL 0, or with either bit clear, the same
; accesses go through; byte accesses and aligned ones never fault.
;
; SDM vol. 3A 2.5 (CR0.AM), vol. 1 3.4.3 (EFLAGS.AC), vol. 3A 6.15
; "Interrupt 17 -- Alignment Check Exception (#AC)" with its table of
; alignment requirements (word 2, doubleword 4).
;
; Each ring-3 part ends in an instruction that must fault (a misaligned
; access, or HLT, which is #GP(0) at CPL 3): the saved EIP then shows that
; everything before it went through.
;
; QEMU 7.2's TCG never raises #AC: the three checks that expect one are
; skipped under QEMU; the ones where no #AC may occur run on both.
%define TEST_NAME "alignment"
%include "boot.inc"
%include "report.inc"
%include "pm.inc"

CR0_AM    equ 0x00040000
EFLAGS_AC equ 0x00040000

%macro SET_AC 0
        pushfd
        or      dword [esp], EFLAGS_AC
        popfd
%endmacro

%macro CLEAR_AC 0
        pushfd
        and     dword [esp], ~EFLAGS_AC
        popfd
%endmacro

%macro SET_AM 0
        mov     eax, cr0
        or      eax, CR0_AM
        mov     cr0, eax
%endmacro

        bits 16
test_main:
        ENTER_PM
        ; A 386 cannot set AC: the test needs a 486 or later.
        SET_AC
        pushfd
        pop     eax
        test    eax, EFLAGS_AC
        jnz     .have_ac
        SKIP    "EFLAGS.AC cannot be set: a 386"
        PASS
.have_ac:
        SET_AM
        mov     eax, [data + 1]
        mov     [data + 2], eax
        OK      "CPL 0 with AM and AC: misaligned accesses go through"

        ON_QEMU
        jne     .skip_ac
        expect_fault 17, 0, "CPL 3: a misaligned dword read is #AC(0)"
        ENTER_RING3 .r3_read
.r3_read:
        mov     eax, [data + 2]
        end_expect

        expect_fault 17, 0, "CPL 3: a misaligned word write is #AC(0)", NOEIP
        ENTER_RING3 .r3_write
.r3_write:
        mov     eax, [data + 4]         ; aligned: fine
        mov     ax, [data + 6]
        mov     al, [data + 7]          ; bytes are always aligned
.r3_write_odd:
        mov     [data + 9], ax
        end_expect
        CHECK_EQ [fault_eip], .r3_write_odd, "the #AC is at the misaligned write"

        expect_fault 17, 0, "CPL 3: a push with ESP 2 mod 4 is #AC(0)", NOEIP
        ENTER_RING3 .r3_push
.r3_push:
        push    ax                      ; a word push: aligned, ESP now 2 mod 4
.r3_push_dword:
        push    eax
        end_expect
        CHECK_EQ [fault_eip], .r3_push_dword, "the #AC is at the dword push"
        jmp     .ac_done
.skip_ac:
        SKIP    "#AC at CPL 3: QEMU TCG does not raise it"
.ac_done:

        CLEAR_AC
        expect_fault 13, 0, "CPL 3 with AC clear: no #AC, the HLT faults", NOEIP
        ENTER_RING3 .r3_no_ac
.r3_no_ac:
        mov     eax, [data + 1]
.r3_no_ac_hlt:
        hlt
        end_expect
        CHECK_EQ [fault_eip], .r3_no_ac_hlt, "AC clear: the misaligned read went through"

        SET_AC
        mov     eax, cr0
        and     eax, ~CR0_AM
        mov     cr0, eax
        expect_fault 13, 0, "CPL 3 with AM clear: no #AC, the HLT faults", NOEIP
        ENTER_RING3 .r3_no_am
.r3_no_am:
        mov     eax, [data + 1]
.r3_no_am_hlt:
        hlt
        end_expect
        CHECK_EQ [fault_eip], .r3_no_am_hlt, "AM clear: the misaligned read went through"
        CLEAR_AC
        PASS

        align   16
data:   times 16 db 0
