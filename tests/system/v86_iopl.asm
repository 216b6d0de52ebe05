; SPDX-License-Identifier: MIT
; v86_iopl -- virtual-8086 mode: which instructions are IOPL-sensitive, and
; what a V86 monitor sees when they trap.
;
; SDM vol. 3B ch. 20.  A ring-0 monitor (here: the test) runs 8086 code at
; CPL 3 by an IRETD with EFLAGS.VM=1 (lib/v86.inc).  Without CR4.VME, the
; instructions that touch the interrupt flag or the interrupt machinery --
; CLI, STI, PUSHF, POPF, INT n, IRET -- are IOPL-sensitive (SDM 20.2.7):
; with IOPL < 3 each raises #GP(0) *before* doing anything, so the monitor
; can emulate a virtual IF; with IOPL = 3 they execute directly (INT n then
; vectors through the protected-mode IDT, not the real-mode IVT, and the
; gate's DPL must be 3; POPF and IRET still cannot change IOPL).
;
; Checks, IOPL = 0: each of the six traps with error code 0 and the V86
; frame's CS:IP at the instruction itself; the stack pointer is unchanged.
; The V86 frame the CPU pushes on the ring-0 stack (SS0:ESP0 from the TSS):
; EIP, CS, EFLAGS, ESP, SS, ES, DS, FS, GS upward from the error code, with
; DS/ES/FS/GS nulled in the handler.  IOPL = 3: CLI/STI change IF, PUSHF
; pushes the flags, POPF loads them but keeps IOPL, INT 40h reaches its DPL-3
; gate with the V86 frame and no error code, INT 41h through a DPL-0 gate
; is #GP(41h*8+2) (IDT bit set), IRET returns real-mode style.  And INT3
; (CCh), not IOPL-sensitive, meets gate 3's DPL even at IOPL 0: #GP(1Ah).
; RF (bit 16) in the EFLAGS image of a #GP frame is masked: the SDM (vol. 3B
; 17.3.1.1) has a fault's image pushed with RF=1, QEMU pushes RF=0.
%define TEST_NAME "v86_iopl"
%include "boot.inc"
%include "report.inc"
%include "pm.inc"
%include "v86.inc"

        bits 16
test_main:
        ENTER_PM
        mov     eax, V86_TSS_FULL_LIMIT
        call    v86_setup32
        SET_GATE_AT IDT_BASE + 0x40 * 8, SEL_CODE0, v86_int40, GATE_INT32 | 0x60, 0
        SET_GATE_AT IDT_BASE + 0x41 * 8, SEL_CODE0, v86_int40, GATE_INT32, 0
        OK      "V86 monitor set up: TSS with SS0:ESP0, #GP handler"

        ; ---- the frame itself, from a plain HLT (privileged: #GP(0)) ----
        V86_RUN v_hlt, 0x2
        CHECK_EQ [v86_entry_esp], STACK0_TOP - 40, "ring-0 ESP: SS0:ESP0 minus 10 dwords"
        CHECK_EQ [v86_entry_sels], 0, "DS/ES/FS/GS null in the handler"
        CHECK_EQ [v86_frame + V86F_ERR], 0, "frame: error code"
        CHECK_EQ [v86_frame + V86F_EIP], V86_IP(v_hlt), "frame: EIP"
        movzx   eax, word [v86_frame + V86F_CS]
        CHECK_EQ eax, V86_CS, "frame: CS"
        mov     eax, [v86_frame + V86F_EFL]
        and     eax, ~EFL_RF
        CHECK_EQ eax, EFL_VM | 2, "frame: EFLAGS (VM=1, IOPL=0)"
        CHECK_EQ [v86_frame + V86F_ESP], V86_SP, "frame: ESP"
        movzx   eax, word [v86_frame + V86F_SS]
        CHECK_EQ eax, V86_SS, "frame: SS"
        movzx   eax, word [v86_frame + V86F_ES]
        CHECK_EQ eax, V86_ES, "frame: ES"
        movzx   eax, word [v86_frame + V86F_DS]
        CHECK_EQ eax, V86_DS, "frame: DS"
        movzx   eax, word [v86_frame + V86F_FS]
        CHECK_EQ eax, V86_FS, "frame: FS"
        movzx   eax, word [v86_frame + V86F_GS]
        CHECK_EQ eax, V86_GS, "frame: GS"
        OK      "V86 frame on the ring-0 stack: err EIP CS EFLAGS ESP SS ES DS FS GS"

        ; ---- IOPL = 0: every sensitive instruction traps, error code 0 ----
%macro TRAPS_AT_IOPL0 2
        V86_RUN %1, 0x2
        CHECK_EQ [v86_frame + V86F_ERR], 0, {%2, " at IOPL 0: error code"}
        CHECK_EQ [v86_frame + V86F_EIP], V86_IP(%1), {%2, " at IOPL 0: IP"}
        movzx   eax, word [v86_frame + V86F_CS]
        CHECK_EQ eax, V86_CS, {%2, " at IOPL 0: CS"}
        CHECK_EQ [v86_frame + V86F_ESP], V86_SP, {%2, " at IOPL 0: SP unchanged"}
        OK      {%2, " at IOPL 0: #GP(0) at its own CS:IP"}
%endmacro
        TRAPS_AT_IOPL0 v_cli, "CLI"
        TRAPS_AT_IOPL0 v_sti, "STI"
        TRAPS_AT_IOPL0 v_pushf, "PUSHF"
        TRAPS_AT_IOPL0 v_popf, "POPF"
        TRAPS_AT_IOPL0 v_int40, "INT 40h (DPL-3 gate)"
        TRAPS_AT_IOPL0 v_iret, "IRET"
        ; IOPL 1 and 2 are < 3 as well.
        V86_RUN v_cli, 0x2002
        CHECK_EQ [v86_frame + V86F_EIP], V86_IP(v_cli), "CLI at IOPL 2: IP"
        OK      "CLI at IOPL 2: #GP(0)"

        ; ---- IOPL = 3: they execute; HLT after each hands control back ----
        V86_RUN v_cli, IOPL3 | EFL_IF | 2
        CHECK_EQ [v86_frame + V86F_EIP], V86_IP(v_cli) + 1, "CLI at IOPL 3: reached the HLT"
        mov     eax, [v86_frame + V86F_EFL]
        and     eax, ~EFL_RF
        CHECK_EQ eax, EFL_VM | IOPL3 | 2, "CLI at IOPL 3: EFLAGS (IF=0)"
        OK      "CLI at IOPL 3 clears IF"

        V86_RUN v_sti, IOPL3 | 2
        CHECK_EQ [v86_frame + V86F_EIP], V86_IP(v_sti) + 1, "STI at IOPL 3: reached the HLT"
        mov     eax, [v86_frame + V86F_EFL]
        and     eax, ~EFL_RF
        CHECK_EQ eax, EFL_VM | IOPL3 | EFL_IF | 2, "STI at IOPL 3: EFLAGS (IF=1)"
        OK      "STI at IOPL 3 sets IF"

        V86_RUN v_pushf, IOPL3 | 2
        CHECK_EQ [v86_frame + V86F_EIP], V86_IP(v_pushf) + 1, "PUSHF at IOPL 3: reached the HLT"
        CHECK_EQ [v86_frame + V86F_ESP], V86_SP - 2, "PUSHF at IOPL 3: SP"
        movzx   eax, word [V86_SS * 16 + V86_SP - 2]
        CHECK_EQ eax, IOPL3 | 2, "PUSHF at IOPL 3: the FLAGS word pushed"
        OK      "PUSHF at IOPL 3 pushes FLAGS (IOPL=3)"

        V86_RUN v_popf3, IOPL3 | 2
        CHECK_EQ [v86_frame + V86F_EIP], V86_IP(v_popf3) + 4, "POPF at IOPL 3: reached the HLT"
        CHECK_EQ [v86_frame + V86F_ESP], V86_SP, "POPF at IOPL 3: SP"
        mov     eax, [v86_frame + V86F_EFL]
        and     eax, ~EFL_RF
        CHECK_EQ eax, EFL_VM | IOPL3 | 0x0ED5 | 2, "POPF 0ED5h at IOPL 3: EFLAGS (IOPL kept 3)"
        OK      "POPF at IOPL 3 loads the flags but not IOPL"

        mov     dword [int40_count], 0
        V86_RUN v_int40, IOPL3 | 2
        CHECK_EQ [int40_count], 1, "INT 40h at IOPL 3: the DPL-3 gate ran"
        CHECK_EQ [int40_esp], STACK0_TOP - 36, "INT 40h at IOPL 3: 9 dwords, no error code"
        CHECK_EQ [int40_frame], V86_IP(v_int40) + 2, "INT 40h at IOPL 3: frame EIP (the next instruction)"
        movzx   eax, word [int40_frame + 4]
        CHECK_EQ eax, V86_CS, "INT 40h at IOPL 3: frame CS"
        mov     eax, [int40_frame + 8]
        CHECK_EQ eax, EFL_VM | IOPL3 | 2, "INT 40h at IOPL 3: frame EFLAGS"
        CHECK_EQ [int40_frame + 12], V86_SP, "INT 40h at IOPL 3: frame ESP"
        movzx   eax, word [int40_frame + 32]
        CHECK_EQ eax, V86_GS, "INT 40h at IOPL 3: frame GS"
        CHECK_EQ [v86_frame + V86F_EIP], V86_IP(v_int40) + 2, "INT 40h at IOPL 3: IRETD back to the HLT"
        OK      "INT 40h at IOPL 3 goes through the IDT (DPL-3 gate), V86 frame"

        mov     dword [int40_count], 0
        V86_RUN v_int41, IOPL3 | 2
        CHECK_EQ [int40_count], 0, "INT 41h at IOPL 3: DPL-0 gate not entered"
        CHECK_EQ [v86_frame + V86F_ERR], 0x41 * 8 + 2, "INT 41h at IOPL 3: error code (IDT bit)"
        CHECK_EQ [v86_frame + V86F_EIP], V86_IP(v_int41), "INT 41h at IOPL 3: IP"
        OK      "INT 41h at IOPL 3 through a DPL-0 gate: #GP(41h*8+2)"

        ; INT3 (CCh) is not IOPL-sensitive (SDM vol. 2, INT n/INTO/INT3/INT1):
        ; even at IOPL 0 it goes to the IDT, where gate 3's DPL 0 < CPL 3
        ; gives #GP(3*8+2) rather than #GP(0).
        V86_RUN v_int3, 2
        CHECK_EQ [v86_frame + V86F_ERR], 3 * 8 + 2, "INT3 at IOPL 0: error code (IDT bit, not 0)"
        CHECK_EQ [v86_frame + V86F_EIP], V86_IP(v_int3), "INT3 at IOPL 0: IP"
        OK      "INT3 at IOPL 0 is not IOPL-sensitive: DPL-0 gate 3 gives #GP(1Ah)"

        V86_RUN v_iret3, IOPL3 | 2
        CHECK_EQ [v86_frame + V86F_EIP], V86_IP(v_iret_target), "IRET at IOPL 3: reached the target"
        CHECK_EQ [v86_frame + V86F_ESP], V86_SP, "IRET at IOPL 3: SP"
        mov     eax, [v86_frame + V86F_EFL]
        and     eax, ~EFL_RF
        CHECK_EQ eax, EFL_VM | IOPL3 | 0x0801 | 2, "IRET at IOPL 3: EFLAGS (FLAGS 0801h popped, IOPL kept)"
        OK      "IRET at IOPL 3 returns real-mode style"
        PASS

; The DPL-3 INT 40h gate's handler: note the frame (no error code), return.
v86_int40:
        push    ds
        push    dword SEL_DATA0
        pop     ds
        inc     dword [int40_count]
        pushad
        lea     esi, [esp + 36]
        mov     [int40_esp], esi
        push    es
        push    ds
        pop     es
        mov     edi, int40_frame
        mov     ecx, 9
        cld
        rep     movsd
        pop     es
        popad
        pop     ds
        iretd

        align 4
int40_count: dd 0
int40_esp:   dd 0
int40_frame: times 9 dd 0

; ---- the V86 code: one instruction under test, then HLT ----
        bits 16
v_hlt:  hlt
v_cli:  cli
        hlt
v_sti:  sti
        hlt
v_pushf:
        pushf
        hlt
v_popf: popf
        hlt
v_popf3:
        push    word 0x0ED5             ; OF DF IF SF ZF AF PF CF, IOPL 0
        popf
        hlt
v_int40:
        int     0x40
        hlt
v_int41:
        int     0x41
        hlt
v_iret: iret
        hlt
v_int3: int3
        hlt
v_iret3:
        push    word 0x0801             ; OF, CF; IOPL field 0
        push    cs
        push    word V86_IP(v_iret_target)
        iret
        hlt
v_iret_target:
        hlt
