; SPDX-License-Identifier: MIT
; pm_gates -- entering ring 0 from ring 3 through gates, and getting back.
;
; SDM vol. 3A 5.8.4-5.8.6 (call gates: the stack switch through the TSS and
; the parameter copy; RETF to an outer ring nulls data segment registers
; the outer ring may not use), 6.12.1 (interrupt and trap gates: the ring-0
; stack frame SS, ESP, EFLAGS, CS, EIP; an interrupt gate clears IF, a trap
; gate does not), 6.12.1.1 (INT n checks the gate's DPL against CPL:
; #GP(vector * 8 + 2)), 7.2.1 (TSS.SSn:ESPn).
;
; 1. CALL FAR through a DPL-3 call gate with 2 parameters from ring 3 to a
;    ring-0 code segment: the new stack holds old SS, old ESP, the two
;    parameters (in the same order), old CS, old EIP; RETF 8 returns, pops
;    the parameters from both stacks and nulls DS (DPL 0 < CPL 3).
; 2. INT 40h from ring 3 (IF=1) through a DPL-3 interrupt gate: the frame on
;    the TSS.ESP0 stack, IF clear in the handler, IRET restores everything.
; 3. INT 41h from ring 3 through a DPL-0 gate: #GP(41h * 8 + 2).
; 4. A trap gate keeps IF; an interrupt gate clears it (both from ring 0).
; 5. A call gate to ring 1 with a TSS.SS1 whose RPL is not 1: #TS(SS1).
;
; ENTER_PM masked the PICs, so IF=1 lets no hardware interrupt in.  Ring 3 gets
; back to ring 0 through INT 31h (a DPL-3 gate whose handler resumes at
; r0_resume on the saved ring-0 stack).
%define TEST_NAME "pm_gates"
%include "boot.inc"
%include "report.inc"
%include "pm.inc"

SEL_CGATE   equ 0x40            ; call gate, DPL 3, 2 dwords -> SEL_CODE0:cg_target
SEL_CODE1   equ 0x48            ; ring-1 code, flat
SEL_CGATE1  equ 0x50            ; call gate, DPL 3 -> SEL_CODE1:0
EFLAGS_IF   equ 0x200

        bits 16
test_main:
        ENTER_PM
        SET_GATE_AT pm_gdt + SEL_CGATE, SEL_CODE0, cg_target, 0xEC, 2
        SET_DESC    SEL_CODE1, 0, 0xFFFFF, 0xBA, FLG_32_4K
        SET_GATE_AT pm_gdt + SEL_CGATE1, SEL_CODE1, cg_target, 0xEC, 0
        SET_GATE_AT IDT_BASE + 0x31 * 8, SEL_CODE0, back_to_ring0, 0xEE, 0
        SET_GATE_AT IDT_BASE + 0x40 * 8, SEL_CODE0, int_handler, 0xEE, 0
        SET_GATE_AT IDT_BASE + 0x41 * 8, SEL_CODE0, int_handler, 0x8E, 0
        SET_GATE_AT IDT_BASE + 0x42 * 8, SEL_CODE0, int_handler, 0xEF, 0

; ---- 1. call gate with parameter copy ----
        mov     [r0_esp], esp
        mov     dword [r0_resume], .after_cg
        ENTER_RING3 .r3_cg
.r3_cg: push    dword 0x11111111
        push    dword 0x22222222
        call    (SEL_CGATE | 3):0       ; the offset is ignored: the gate has it
.r3_cg_ret:
        mov     eax, ds                 ; DS was nulled by the RETF
        mov     [ss:r3_ds], eax
        mov     [ss:r3_esp], esp
        int     0x31
.after_cg:
        CHECK_EQ [cg_esp], STACK0_TOP - 24, "call gate: ESP in ring 0 (TSS.ESP0 - 6 dwords)"
        CHECK_EQ [cg_frame], .r3_cg_ret, "call gate: return EIP"
        mov     eax, [cg_frame + 4]
        and     eax, 0xFFFF
        CHECK_EQ eax, SEL_CODE3, "call gate: return CS"
        CHECK_EQ [cg_frame + 8], 0x22222222, "call gate: parameter 1 (last pushed)"
        CHECK_EQ [cg_frame + 12], 0x11111111, "call gate: parameter 2"
        CHECK_EQ [cg_frame + 16], STACK3_TOP - 8, "call gate: old ESP"
        mov     eax, [cg_frame + 20]
        and     eax, 0xFFFF
        CHECK_EQ eax, SEL_DATA3, "call gate: old SS"
        CHECK_EQ [cg_cpl], 0, "call gate: CPL in the target"
        OK      "call gate ring 3 -> 0: stack switch and parameter copy"
        CHECK_EQ [r3_esp], STACK3_TOP, "RETF 8: ESP back in ring 3, parameters popped"
        mov     eax, [r3_ds]
        and     eax, 0xFFFF
        CHECK_EQ eax, 0, "RETF to ring 3: DS (DPL 0) nulled"
        OK      "RETF 8 to ring 3: parameters popped, DS nulled"

; ---- 2. interrupt gate from ring 3 ----
        mov     [r0_esp], esp
        mov     dword [r0_resume], .after_int
        mov     ax, SEL_DATA3
        mov     ds, ax
        mov     es, ax
        push    dword SEL_DATA3
        push    dword STACK3_TOP
        pushfd
        or      dword [esp], EFLAGS_IF  ; ring 3 cannot STI (IOPL 0): IRET sets IF
        push    dword SEL_CODE3
        push    dword .r3_int
        iretd
.r3_int:
        int     0x40
.r3_int_ret:
        pushfd
        pop     eax
        mov     [ss:r3_flags], eax
        mov     [ss:r3_esp], esp
        int     0x31
.after_int:
        CHECK_EQ [int_esp], STACK0_TOP - 20, "INT 40h from ring 3: ESP in ring 0 (TSS.ESP0 - 5 dwords)"
        CHECK_EQ [int_frame], .r3_int_ret, "INT 40h: saved EIP (the next instruction)"
        mov     eax, [int_frame + 4]
        and     eax, 0xFFFF
        CHECK_EQ eax, SEL_CODE3, "INT 40h: saved CS"
        mov     eax, [int_frame + 8]
        and     eax, EFLAGS_IF
        CHECK_EQ eax, EFLAGS_IF, "INT 40h: saved EFLAGS.IF"
        CHECK_EQ [int_frame + 12], STACK3_TOP, "INT 40h: saved ESP"
        mov     eax, [int_frame + 16]
        and     eax, 0xFFFF
        CHECK_EQ eax, SEL_DATA3, "INT 40h: saved SS"
        mov     eax, [int_flags]
        and     eax, EFLAGS_IF
        CHECK_EQ eax, 0, "INT 40h: IF in the handler (interrupt gate)"
        CHECK_EQ [int_cpl], 0, "INT 40h: CPL in the handler"
        mov     eax, [r3_flags]
        and     eax, EFLAGS_IF
        CHECK_EQ eax, EFLAGS_IF, "IRET to ring 3: IF restored"
        CHECK_EQ [r3_esp], STACK3_TOP, "IRET to ring 3: ESP restored"
        OK      "interrupt gate ring 3 -> 0 and IRET back"

; ---- 3. the gate's DPL guards INT n ----
        expect_fault 13, 0x41 * 8 + 2, "INT 41h from ring 3, gate DPL 0: #GP(41h*8+2)"
        ENTER_RING3 .r3_dpl
.r3_dpl:
        int     0x41
        end_expect

; ---- 4. trap gate vs interrupt gate ----
        sti
        int     0x42                    ; trap gate
        cli
        mov     eax, [int_flags]
        and     eax, EFLAGS_IF
        CHECK_EQ eax, EFLAGS_IF, "INT 42h (trap gate): IF in the handler"
        OK      "trap gate keeps IF"
        sti
        int     0x41                    ; interrupt gate, DPL 0 is fine at CPL 0
        cli
        mov     eax, [int_flags]
        and     eax, EFLAGS_IF
        CHECK_EQ eax, 0, "INT 41h (interrupt gate): IF in the handler"
        lea     edx, [esp - 12]         ; EFLAGS, CS, EIP only: no SS:ESP
        CHECK_EQ [int_esp], edx, "INT from ring 0: no stack switch, 3-dword frame"
        OK      "interrupt gate clears IF; no stack switch at the same ring"

; ---- 5. #TS: the TSS stack for the new ring is not usable ----
        mov     dword [pm_tss + 0x0C], 0x3000       ; ESP1
        mov     dword [pm_tss + 0x10], SEL_DATA3    ; SS1: RPL 3 != 1
        expect_fault 10, SEL_DATA3 & ~3, "call gate to ring 1, TSS.SS1 RPL 3: #TS(SS1)"
        ENTER_RING3 .r3_ts
.r3_ts: call    (SEL_CGATE1 | 3):0
        end_expect
        PASS

; The call gate's target (ring 0; for the #TS case it would run in ring 1).
cg_target:
        mov     [ss:cg_esp], esp
        mov     eax, cs
        and     eax, 3
        mov     [ss:cg_cpl], eax
        mov     ecx, 6
        xor     ebx, ebx
.copy:  mov     eax, [esp + ebx * 4]
        mov     [ss:cg_frame + ebx * 4], eax
        inc     ebx
        loop    .copy
        mov     ax, SEL_DATA0           ; a ring-0 DS: RETF to ring 3 must null it
        mov     ds, ax
        retf    8

; INT 40h/41h/42h: record the frame and EFLAGS, return.
int_handler:
        mov     [ss:int_esp], esp
        pushfd
        pop     dword [ss:int_flags]
        mov     eax, cs
        and     eax, 3
        mov     [ss:int_cpl], eax
        mov     ecx, 5
        xor     ebx, ebx
.copy:  mov     eax, [esp + ebx * 4]
        mov     [ss:int_frame + ebx * 4], eax
        inc     ebx
        loop    .copy
        iretd

; INT 31h: leave ring 3 for good; resume at r0_resume on the saved stack.
back_to_ring0:
        mov     ax, SEL_DATA0
        mov     ds, ax
        mov     es, ax
        mov     esp, [r0_esp]
        jmp     [r0_resume]

        align 4
r0_esp:     dd 0
r0_resume:  dd 0
cg_esp:     dd 0
cg_cpl:     dd 0
cg_frame:   times 6 dd 0
int_esp:    dd 0
int_flags:  dd 0
int_cpl:    dd 0
int_frame:  times 5 dd 0
r3_ds:      dd 0
r3_esp:     dd 0
r3_flags:   dd 0
