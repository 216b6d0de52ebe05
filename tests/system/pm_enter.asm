; SPDX-License-Identifier: MIT
; pm_enter -- real mode -> 32-bit protected mode -> back to real mode, and
; "unreal mode": the segment limit outlives the mode switch.
;
; SDM vol. 3A 9.9.1 (switching to protected mode: LGDT, set CR0.PE, a far
; JMP to load CS, then reload the data segment registers) and 9.9.2 (back:
; a 16-bit code segment, 64 KiB data segments, clear PE, far JMP).  In real
; mode a segment load sets only the selector and the base (= selector * 16);
; the limit and attributes stay whatever protected mode left in the hidden
; part of the register (SDM 3.4.3, 20.1.1).  So a segment loaded with a
; 4 GiB limit before leaving protected mode lets real-mode code use 32-bit
; offsets -- the trick BIOSes and HIMEM.SYS use, called unreal mode.
;
; Checks: CR0.PE and CPL after the switch; a store above 1 MiB through the
; flat DS; after the return, a 32-bit offset through FS (kept 4 GiB) and
; through GS reloaded in real mode (limit kept); and a 32-bit offset through
; DS (which we gave a 64 KiB limit) faults with #GP -- interrupt 13 through
; the IVT in real mode.  QEMU's TCG does not check data segment limits, so
; that last check is skipped under QEMU.
%define TEST_NAME "pm_enter"
%include "boot.inc"
%include "report.inc"
%include "pm.inc"

HIGH    equ 0x200000            ; 2 MiB: above 1 MiB, bit 20 clear (A20 gate irrelevant)

        bits 16
test_main:
        PRINT   {"real mode: entering protected mode", 10}
        ENTER_PM                        ; now bits 32, CPL 0
        mov     eax, cr0
        and     eax, 1
        CHECK_EQ eax, 1, "CR0.PE after the switch"
        mov     eax, cs
        and     eax, 3
        CHECK_EQ eax, 0, "CPL after the switch"
        OK      "protected mode, CPL 0"
        mov     dword [HIGH], 0x600DF00D
        CHECK_EQ [HIGH], 0x600DF00D, "store at 2 MiB through a flat DS"
        OK      "flat DS reaches 2 MiB"

        ; Back to real mode, by hand (LEAVE_PM does the same for all of
        ; DS..GS): FS and GS keep the flat 4 GiB data segment; DS, ES and SS
        ; get the 64 KiB SEL_DATA16.
        mov     ax, SEL_DATA0
        mov     fs, ax
        mov     gs, ax
        jmp     SEL_CODE16:.pm16
        bits 16
.pm16:  mov     ax, SEL_DATA16
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     eax, cr0
        and     eax, ~1
        mov     cr0, eax
        jmp     0:.real                 ; loads a real-mode CS
.real:  xor     ax, ax
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        lidt    [pm_ivt_ptr]
        mov     eax, cr0
        and     eax, 1
        CHECK_EQ eax, 0, "CR0.PE after the return"
        OK      "back in real mode"

        mov     eax, [fs:dword HIGH]    ; FS still has its 4 GiB limit
        CHECK_EQ eax, 0x600DF00D, "FS:[2 MiB] in real mode"
        OK      "unreal mode: FS keeps the 4 GiB limit"
        xor     ax, ax
        mov     gs, ax                  ; a real-mode load: base 0, limit kept
        mov     eax, [gs:dword HIGH]
        CHECK_EQ eax, 0x600DF00D, "GS:[2 MiB] after a real-mode load of GS"
        OK      "a real-mode segment load keeps the limit"

        ON_QEMU
        jne     .skip_limit
        ; DS has the 64 KiB limit of SEL_DATA16: offset 10000h is past it.
        mov     word [0x0D * 4], rm_gp
        mov     word [0x0D * 4 + 2], 0
        mov     byte [rm_gp_seen], 0
        mov     eax, [dword 0x10000]    ; #GP -> INT 0Dh through the IVT
        jmp     .after_gp
.after_gp:
        cmp     byte [rm_gp_seen], 1
        je      .gp_ok
        FAIL    "DS:[10000h] with a 64 KiB limit did not fault"
.gp_ok: OK      "real mode: DS keeps its 64 KiB limit (#GP past it)"
        jmp     .done
.skip_limit:
        SKIP    "real-mode DS limit check: QEMU TCG does not check data segment limits"
.done:
        PASS

; The real-mode #GP handler: the CPU pushed FLAGS, CS and the IP of the
; faulting instruction (a fault restarts it).  Note the fault, drop the frame
; and resume at a fixed place after the instruction.
rm_gp:
        mov     byte [rm_gp_seen], 1
        add     sp, 6
        jmp     test_main.after_gp
rm_gp_seen: db 0
