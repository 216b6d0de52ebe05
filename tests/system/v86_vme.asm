; SPDX-License-Identifier: MIT
; v86_vme -- virtual-8086 mode extensions (CR4.VME): the virtual interrupt
; flag and software interrupts redirected to the 8086 program's own IVT.
;
; SDM vol. 3B 20.3 (table 20-2) and 20.3.3.5.  With CR4.VME=1 and IOPL < 3,
; CLI and STI change EFLAGS.VIF instead of trapping, PUSHF pushes FLAGS with
; VIF in the IF position and IOPL reading 3, POPF loads the image's IF into
; VIF (IF and IOPL stay), and STI -- or a POPF/IRET whose image sets IF --
; raises #GP(0) while VIP says a virtual interrupt is pending; an image with
; TF set raises #GP(0) too.  INT n consults the redirection bitmap, the 32
; bytes just below the I/O map base in the TSS: a clear bit vectors through
; the task's IVT at linear 0 (method 6: FLAGS pushed with IF = VIF and
; IOPL = 3, VIF cleared), a set bit still traps to the monitor at IOPL < 3.
; CPUID.1:EDX.VME (bit 1) reports the feature.
;
; QEMU 7.2's TCG does not implement VME (it filters CPUID.1:EDX.VME and
; says "TCG doesn't support requested feature"), so under QEMU every check
; is skipped.  RF in a #GP frame's EFLAGS image is masked (see v86_iopl).
;! faultline-args: -cpu pentium
%define TEST_NAME "v86_vme"
%include "boot.inc"
%include "report.inc"
%include "pm.inc"
%include "v86.inc"

CR4_VME  equ 1
EFL_TF   equ 0x00000100
EFL_CF   equ 0x00000001
EFL_VIF  equ 0x00080000
EFL_VIP  equ 0x00100000
REDIR    equ V86_TSS + V86_IOMAP    ; the bitmap, once the I/O map moves up

; CHECK_EFL want, "what": the #GP frame's EFLAGS image, RF masked.
%macro CHECK_EFL 2
        mov     eax, [v86_frame + V86F_EFL]
        and     eax, ~EFL_RF
        CHECK_EQ eax, %1, %2
%endmacro

        bits 16
test_main:
        ENTER_PM
        ON_QEMU
        jne     .qemu
        mov     eax, 1
        cpuid
        test    edx, 2
        jnz     .has_vme
        FAIL    "CPUID.1:EDX.VME is clear"
.has_vme:
        OK      "CPUID.1:EDX.VME set"
        mov     eax, V86_TSS_FULL_LIMIT
        call    v86_setup32
        ; The I/O map moves up 32 bytes to make room for the redirection
        ; bitmap below it: all ones (nothing redirected) but INT 21h.
        mov     word [V86_TSS + 102], V86_IOMAP + 32
        mov     edi, REDIR
        mov     ecx, 32
        mov     al, 0xFF
        cld
        rep     stosb
        and     byte [REDIR + 0x21 / 8], ~(1 << (0x21 & 7))
        mov     word [0x21 * 4], V86_IP(v_int21_handler)
        mov     word [0x21 * 4 + 2], V86_CS
        mov     eax, cr4
        or      eax, CR4_VME
        mov     cr4, eax
        OK      "CR4.VME set, INT 21h redirected by the TSS bitmap"

        ; ---- CLI and STI work on VIF; IF stays ----
        V86_RUN v_cli, EFL_VIF | EFL_IF | 2
        CHECK_EQ [v86_frame + V86F_EIP], V86_IP(v_cli) + 1, "CLI at IOPL 0: reached the HLT"
        CHECK_EFL EFL_VM | EFL_IF | 2, "CLI at IOPL 0: VIF=0, IF=1 kept"
        OK      "CLI under VME clears VIF"

        V86_RUN v_sti, EFL_IF | 2
        CHECK_EQ [v86_frame + V86F_EIP], V86_IP(v_sti) + 1, "STI at IOPL 0: reached the HLT"
        CHECK_EFL EFL_VM | EFL_VIF | EFL_IF | 2, "STI at IOPL 0: VIF=1"
        OK      "STI under VME sets VIF"

        V86_RUN v_sti, EFL_VIP | 2
        CHECK_EQ [v86_frame + V86F_EIP], V86_IP(v_sti), "STI with VIP: #GP at the STI"
        CHECK_EQ [v86_frame + V86F_ERR], 0, "STI with VIP: error code"
        OK      "STI with VIP set: #GP(0)"

        ; ---- PUSHF and POPF see VIF as IF ----
        V86_RUN v_pushf, EFL_VIF | 2
        CHECK_EQ [v86_frame + V86F_ESP], V86_SP - 2, "PUSHF under VME: SP"
        movzx   eax, word [V86_SS * 16 + V86_SP - 2]
        CHECK_EQ eax, IOPL3 | EFL_IF | 2, "PUSHF under VME: IF = VIF, IOPL reads 3"
        OK      "PUSHF under VME pushes VIF as IF and IOPL 3"

        V86_RUN v_popf_if, EFL_IF | 2         ; IF=1 stays whatever the image says
        CHECK_EQ [v86_frame + V86F_EIP], V86_IP(v_popf_if) + 4, "POPF under VME: reached the HLT"
        CHECK_EFL EFL_VM | EFL_VIF | EFL_IF | EFL_CF | 2, "POPF 3201h under VME: VIF=1, IF and IOPL 0 kept"
        OK      "POPF under VME loads IF into VIF and keeps IF and IOPL"

        V86_RUN v_popf_if, EFL_VIP | 2
        CHECK_EQ [v86_frame + V86F_EIP], V86_IP(v_popf_if) + 3, "POPF of IF with VIP: #GP at the POPF"
        OK      "POPF setting IF with VIP set: #GP(0)"

        V86_RUN v_popf_tf, 2
        CHECK_EQ [v86_frame + V86F_EIP], V86_IP(v_popf_tf) + 3, "POPF of TF: #GP at the POPF"
        OK      "POPF setting TF under VME: #GP(0)"

        ; ---- INT n: redirected to the IVT, or trapping ----
        V86_RUN v_int21, EFL_VIF | EFL_IF | 2
        CHECK_EQ [v86_frame + V86F_EIP], V86_IP(v_int21) + 2, "INT 21h: back at the HLT after IRET"
        CHECK_EFL EFL_VM | EFL_VIF | EFL_IF | 2, "INT 21h: IRET restored VIF"
        movzx   eax, word [V86_SS * 16 + V86_SP - 2]
        CHECK_EQ eax, IOPL3 | EFL_IF | 2, "INT 21h frame: FLAGS with IF = VIF, IOPL 3"
        movzx   eax, word [V86_SS * 16 + V86_SP - 4]
        CHECK_EQ eax, V86_CS, "INT 21h frame: CS"
        movzx   eax, word [V86_SS * 16 + V86_SP - 6]
        CHECK_EQ eax, V86_IP(v_int21) + 2, "INT 21h frame: IP"
        movzx   eax, word [v_int21_flags]
        CHECK_EQ eax, IOPL3 | 2, "INT 21h handler: VIF clear (PUSHF shows IF=0)"
        OK      "INT 21h redirected through the IVT at 0, VIF-as-IF frame"

        V86_RUN v_int40, EFL_VIF | 2
        CHECK_EQ [v86_frame + V86F_EIP], V86_IP(v_int40), "INT 40h (bit set): #GP at the INT"
        CHECK_EQ [v86_frame + V86F_ERR], 0, "INT 40h (bit set): error code"
        OK      "INT 40h not redirected at IOPL 0: #GP(0) to the monitor"
        PASS

.qemu:
        SKIP    "QEMU 7.2 TCG does not implement CR4.VME (CPUID.1:EDX.VME filtered)"
        PASS

; ---- the V86 code ----
        bits 16
v_cli:  cli
        hlt
v_sti:  sti
        hlt
v_pushf:
        pushf
        hlt
v_popf_if:
        push    word 0x3201             ; IOPL 3, IF, CF
        popf
        hlt
v_popf_tf:
        push    word 0x0100             ; TF
        popf
        hlt
v_int21:
        int     0x21
        hlt
v_int40:
        int     0x40
        hlt
v_int21_handler:
        pushf
        pop     ax
        mov     [cs:V86_IP(v_int21_flags)], ax
        iret
v_int21_flags:
        dw      0
