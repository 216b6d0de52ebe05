; SPDX-License-Identifier: MIT
; debugregs -- breakpoints set through the debug registers.
;
; SDM vol. 3A 17.2 (DR0-DR3 linear addresses; DR7 L/G enables, R/W and LEN
; fields; DR6 B0-B3, BD, BS), 17.3.1.1 (an instruction breakpoint is a fault
; before the instruction; RF set in the image lets it run once), 17.3.1.2
; (data and I/O breakpoints are traps: the saved EIP is the next
; instruction), 17.2.4 (LEN masks the address: a 4-byte breakpoint watches
; the aligned dword), 17.2.2 and 17.3.1.1 (DR7.GD: any MOV DRn is a #DB
; fault that sets BD and clears GD), 17.3.1.4 (TF: BS).
;
; 1. Execute breakpoint (DR0): #DB at the instruction, B0; a handler that
;    sets RF in the image and IRETs lets it run once.
; 2. Write breakpoint (DR1, 4 bytes): #DB after the MOV, the write done, B1.
; 3. Read/write breakpoint (DR2 = aligned dword + 2, LEN 4): a word read of
;    the two bytes below it misses, a misaligned word read that covers the
;    dword's first byte hits (B2).
; 4. I/O breakpoint (DR3, R/W=10 with CR4.DE): OUT to port 80h traps, B3.
; 5. Single step: POPFD setting TF traps after the next instruction, BS.
; 6. DR7.GD: MOV EAX, DR0 faults with BD set and GD cleared.
; QEMU 7.2 (TCG) differs from hardware in 3, where it does not mask the
; breakpoint address by LEN, and in 6, where it ignores DR7.GD: both are
; skipped there.
; DR6 is cleared before each check: processors may leave B bits of earlier
; exceptions (SDM 17.2.3), and the checks look only at the enabled ones.
%define TEST_NAME "debugregs"
%include "boot.inc"
%include "report.inc"
%include "pm.inc"

DR6_BD      equ 0x2000
DR6_BS      equ 0x4000
EFLAGS_TF   equ 0x100
EFLAGS_RF   equ 0x10000
CR4_DE      equ 0x8

        bits 16
test_main:
        ENTER_PM

; ---- 1. execute breakpoint, then RF ----
        xor     eax, eax
        mov     dr6, eax
        mov     eax, x_bp
        mov     dr0, eax
        mov     eax, 0x00000001                 ; L0, R/W0 = 00 (execute), LEN0 = 00
        mov     dr7, eax
        expect_fault 1, -1, "execute breakpoint: #DB fault at the instruction"
x_bp:   nop
        end_expect
        CHECK_EQ [fault_eip], x_bp, "execute breakpoint: saved EIP"
        mov     eax, dr6
        and     eax, 0xF
        CHECK_EQ eax, 1, "execute breakpoint: DR6.B0"

        SET_GATE_AT IDT_BASE + 1 * 8, SEL_CODE0, rf_handler, GATE_INT32, 0
        xor     ebx, ebx
        mov     eax, x_bp2
        mov     dr0, eax
x_bp2:  inc     ebx
        CHECK_EQ [rf_count], 1, "RF resume: one #DB"
        CHECK_EQ ebx, 1, "RF resume: the instruction ran once"
        OK      "RF in the #DB image lets the instruction run"
        SET_GATE_AT IDT_BASE + 1 * 8, SEL_CODE0, exc_stub_1, GATE_INT32, 0

; ---- 2. write breakpoint ----
        xor     eax, eax
        mov     dr6, eax
        mov     eax, wvar
        mov     dr1, eax
        mov     eax, 0x00D00004                 ; L1, R/W1 = 01 (write), LEN1 = 11 (4)
        mov     dr7, eax
        mov     eax, [wvar]                     ; a read: no trap
        expect_fault 1, -1, "write breakpoint: #DB trap after the write"
        mov     dword [wvar], 0x12345678
w_next: nop
        end_expect
        CHECK_EQ [fault_eip], w_next, "write breakpoint: saved EIP is the next instruction"
        CHECK_EQ [wvar], 0x12345678, "write breakpoint: the write was done"
        mov     eax, dr6
        and     eax, 0xF
        CHECK_EQ eax, 2, "write breakpoint: DR6.B1"

; ---- 3. read/write breakpoint on a dword, misaligned word ----
        ON_QEMU
        jne     skip_mask
        xor     eax, eax
        mov     dr6, eax
        mov     eax, rvar + 2                   ; LEN 4 ignores the low two bits
        mov     dr2, eax
        mov     eax, 0x0F000010                 ; L2, R/W2 = 11, LEN2 = 11
        mov     dr7, eax
        mov     ax, [rvar - 2]                  ; rvar-2..rvar-1: outside
        expect_fault 1, -1, "read/write breakpoint: misaligned word into the dword"
        mov     ax, [rvar - 1]                  ; rvar-1..rvar: hits rvar
r_next: nop
        end_expect
        CHECK_EQ [fault_eip], r_next, "read/write breakpoint: saved EIP"
        mov     eax, dr6
        and     eax, 0xF
        CHECK_EQ eax, 4, "read/write breakpoint: DR6.B2"
        jmp     mask_done
skip_mask:
        SKIP    "read/write breakpoint: QEMU watches DR2..DR2+3 unmasked"
mask_done:

; ---- 4. I/O breakpoint ----
        xor     eax, eax
        mov     dr6, eax
        mov     eax, cr4
        or      eax, CR4_DE
        mov     cr4, eax
        mov     eax, 0x80
        mov     dr3, eax
        mov     eax, 0x20000040                 ; L3, R/W3 = 10 (I/O), LEN3 = 00
        mov     dr7, eax
        expect_fault 1, -1, "I/O breakpoint: #DB trap after OUT 80h"
        out     0x80, al
i_next: nop
        end_expect
        CHECK_EQ [fault_eip], i_next, "I/O breakpoint: saved EIP"
        mov     eax, dr6
        and     eax, 0xF
        CHECK_EQ eax, 8, "I/O breakpoint: DR6.B3"
        xor     eax, eax
        mov     dr7, eax

; ---- 5. single step ----
        mov     dr6, eax
        expect_fault 1, -1, "single step: #DB after the instruction after POPFD"
        pushfd
        or      dword [esp], EFLAGS_TF
        popfd
        nop
s_next: nop
        end_expect
        CHECK_EQ [fault_eip], s_next, "single step: saved EIP"
        mov     eax, dr6
        and     eax, DR6_BS
        CHECK_EQ eax, DR6_BS, "single step: DR6.BS"
        mov     eax, [fault_eflags]
        and     eax, EFLAGS_TF
        CHECK_EQ eax, EFLAGS_TF, "single step: TF in the image"

; ---- 6. general detect ----
        ON_QEMU
        jne     skip_gd
        xor     eax, eax
        mov     dr6, eax
        mov     eax, 0x2400                     ; GD
        mov     dr7, eax
        expect_fault 1, -1, "DR7.GD: MOV from DR0 faults"
        mov     eax, dr0
        end_expect
        mov     eax, dr6
        and     eax, DR6_BD
        CHECK_EQ eax, DR6_BD, "DR7.GD: DR6.BD"
        mov     eax, dr7
        and     eax, 0x2000
        CHECK_EQ eax, 0, "DR7.GD: cleared for the handler"
        PASS
skip_gd:
        SKIP    "DR7.GD: QEMU does not raise #DB for MOV DRn"
        PASS

; The #DB handler of part 1: counts, sets RF in the image, returns.
rf_handler:
        inc     dword [rf_count]
        or      dword [esp + 8], EFLAGS_RF
        iretd

        align 4
rf_count:   dd 0
wvar:       dd 0
        dd 0x11223344
rvar:       dd 0x55667788
