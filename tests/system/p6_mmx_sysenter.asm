; SPDX-License-Identifier: MIT
; p6_mmx_sysenter -- what the Pentium II added: MMX arithmetic with
; saturation, the MMX/x87 aliasing, FXSAVE, and the SYSENTER/SYSEXIT fast
; system call between ring 0 and ring 3 with its #GP checks.
;
; SDM vol. 1, 9.5 (MMX state aliases the x87 registers: an MMX instruction
; sets TOP to 0 and every tag valid, EMMS empties them) and vol. 2 for each
; MMX instruction; vol. 2, FXSAVE (16-byte alignment, abridged tag byte);
; vol. 3A 5.8.7 and vol. 2 SYSENTER/SYSEXIT (MSRs 174h-176h, flat segments
; at IA32_SYSENTER_CS, +8, +16, +24).
;
; QEMU 7.2's TCG writes only the 64 MMX bits and keeps the old exponent, so
; the exponent check is skipped under QEMU; its RDPMC is always #UD, so the
; RDPMC checks are skipped there too.
;! faultline-args: -cpu pentium2
;! qemu-args: -cpu pentium2
%define TEST_NAME "p6_mmx_sysenter"
%include "boot.inc"
%include "report.inc"
%include "pm.inc"

MSR_SYSENTER_CS  equ 0x174
MSR_SYSENTER_ESP equ 0x175
MSR_SYSENTER_EIP equ 0x176
SYSENTER_STACK   equ 0x6800

        bits 16
test_main:
        ENTER_PM
        mov     eax, 1
        cpuid
        test    edx, 1 << 23
        jnz     .have_mmx
        FAIL    "CPUID.1:EDX.MMX is clear"
.have_mmx:
        test    edx, 1 << 11
        jnz     .have_sep
        FAIL    "CPUID.1:EDX.SEP is clear"
.have_sep:
        test    edx, 1 << 24
        jnz     .have_fxsr
        FAIL    "CPUID.1:EDX.FXSR is clear"
.have_fxsr:
        OK      "CPUID reports MMX, SEP and FXSR"
        mov     eax, cr0
        and     eax, ~0x0C              ; EM and TS clear
        or      eax, 0x22               ; MP and NE
        mov     cr0, eax
        fninit

        ; ---- MMX arithmetic ----
        movq    mm0, [val_a]
        paddsb  mm0, [val_b]
        movd    eax, mm0
        CHECK_EQ eax, 0x00000020, "paddsb low dword"
        psrlq   mm0, 32
        movd    eax, mm0
        CHECK_EQ eax, 0x02007F81, "paddsb saturates 7Fh + 1 to 7Fh"
        movq    mm1, [val_a]
        paddusb mm1, [val_b]
        psrlq   mm1, 32
        movd    eax, mm1
        CHECK_EQ eax, 0x02FF8081, "paddusb saturates FFh + 1 to FFh"
        movq    mm2, [pack_a]
        packsswb mm2, [pack_b]
        movd    eax, mm2
        CHECK_EQ eax, 0x7F807F80, "packsswb saturates the destination's words"
        psrlq   mm2, 32
        movd    eax, mm2
        CHECK_EQ eax, 0x01FF7F80, "packsswb saturates the source's words"
        movq    mm3, [madd_a]
        pmaddwd mm3, [madd_b]
        movd    eax, mm3
        CHECK_EQ eax, 0x00000017, "pmaddwd"
        psrlq   mm3, 32
        movd    eax, mm3
        CHECK_EQ eax, 0x80000000, "pmaddwd 8000h * 8000h twice wraps"
        movq    mm4, [shift_v]
        psraw   mm4, 4
        movd    eax, mm4
        CHECK_EQ eax, 0xFFFF0001, "psraw by an immediate"
        mov     eax, 0x44332211
        movd    mm5, eax
        punpcklbw mm5, [val_c]
        movd    eax, mm5
        CHECK_EQ eax, 0xB222A111, "punpcklbw interleaves, destination first"

        ; ---- aliasing: TOP 0, tags valid, EMMS empties ----
        fninit
        fld1
        fld1                            ; TOP = 6
        movq    mm0, [val_a]
        fnstenv [env]
        mov     eax, [env + 4]
        and     eax, 0x3800
        CHECK_EQ eax, 0, "an MMX instruction sets TOP to 0"
        mov     eax, [env + 8]
        and     eax, 0xFFFF
        cmp     eax, 0xFFFF
        jne     .tags_in_use
        FAIL    "the tag word is still empty after MOVQ"
.tags_in_use:
        OK      "MOVQ makes the tags non-empty"
        ON_QEMU
        jne     .skip_exponent
        fnsave  [save]
        movzx   eax, word [save + 28 + 8]
        CHECK_EQ eax, 0xFFFF, "MOVQ mm0 sets R0's exponent and sign to FFFFh"
        jmp     .exponent_done
.skip_exponent:
        SKIP    "QEMU keeps the old exponent under an MMX register"
.exponent_done:
        movq    mm0, [val_a]
        emms
        fnstenv [env]
        mov     eax, [env + 8]
        and     eax, 0xFFFF
        CHECK_EQ eax, 0xFFFF, "EMMS empties every tag"

        ; ---- FXSAVE ----
        fninit
        fld1                            ; R7 in use
        fxsave  [fxarea]
        movzx   eax, byte [fxarea + 4]
        CHECK_EQ eax, 0x80, "FXSAVE's abridged tag byte: R7 in use"
        movzx   eax, word [fxarea]
        CHECK_EQ eax, 0x037F, "FXSAVE stores FCW"
        expect_fault 13, 0, "FXSAVE to an address not 16-byte aligned: #GP(0)"
        fxsave  [fxarea + 8]
        end_expect
        fninit

        ; ---- SYSENTER / SYSEXIT ----
        expect_fault 13, 0, "SYSENTER with IA32_SYSENTER_CS = 0: #GP(0)"
        sysenter
        end_expect
        mov     ecx, MSR_SYSENTER_CS
        mov     eax, SEL_CODE0
        xor     edx, edx
        wrmsr
        inc     ecx
        mov     eax, SYSENTER_STACK
        wrmsr
        inc     ecx
        mov     eax, kernel_entry
        wrmsr
        mov     ecx, MSR_SYSENTER_EIP
        rdmsr
        CHECK_EQ eax, kernel_entry, "IA32_SYSENTER_EIP reads back"
        mov     [saved_esp], esp
        mov     edx, user_entry
        mov     ecx, STACK3_TOP
        sysexit

        bits 32
user_entry:
        mov     ebx, cs
        mov     ebp, ss
        mov     esi, esp
        sysenter

kernel_entry:
        mov     edi, ss
        mov     ax, SEL_DATA0
        mov     ds, ax
        mov     es, ax
        mov     esp, [saved_esp]
        CHECK_EQ ebx, SEL_CODE3, "SYSEXIT loads CS = SYSENTER_CS + 16, RPL 3"
        CHECK_EQ ebp, SEL_DATA3, "SYSEXIT loads SS = SYSENTER_CS + 24, RPL 3"
        CHECK_EQ esi, STACK3_TOP, "SYSEXIT loads ESP from ECX"
        mov     eax, cs
        CHECK_EQ eax, SEL_CODE0, "SYSENTER loads CS = SYSENTER_CS"
        CHECK_EQ edi, SEL_DATA0, "SYSENTER loads SS = SYSENTER_CS + 8"

        expect_fault 13, 0, "SYSEXIT at CPL 3: #GP(0)"
        ENTER_RING3 .ring3_sysexit
.ring3_sysexit:
        sysexit
        end_expect

        ON_QEMU
        jne     .skip_rdpmc
        xor     ecx, ecx
        rdpmc
        OK      "RDPMC of counter 0 at CPL 0"
        expect_fault 13, 0, "RDPMC of counter 2: #GP(0)"
        mov     ecx, 2
        rdpmc
        end_expect
        jmp     .rdpmc_done
.skip_rdpmc:
        SKIP    "QEMU's RDPMC is always #UD"
.rdpmc_done:
        expect_fault 6, -1, "UD2: #UD"
        ud2
        end_expect
        PASS

        align   8
val_a:   dq 0x01FF7F8000000010
val_b:   dq 0x0101010100000010
val_c:   dq 0x00000000D4C3B2A1
pack_a:  dq 0x7FFF80000080FF80
pack_b:  dq 0x0001FFFF007FFF7F
madd_a:  dq 0x8000800000020003
madd_b:  dq 0x8000800000040005
shift_v: dq 0x0000000000000010 | 0xFFF0 << 16
saved_esp: dd 0
env:     times 28 db 0
save:    times 108 db 0
        align   16
fxarea:  times 512 db 0
