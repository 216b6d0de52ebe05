; SPDX-License-Identifier: MIT
; Lab 5 -- a hardware task switch.
;
; A task's state lives in a TSS (task-state segment, SDM vol. 3A 7.2): the
; general registers, the segment registers, EFLAGS, EIP, CR3 and the stacks
; for rings 0-2.  A far CALL or JMP to a TSS descriptor switches tasks
; (SDM 7.3): the CPU saves the current state into the current TSS (TR
; names it), loads the new one from the target TSS and carries on where that
; task stopped.  CALL nests (SDM 7.4): it writes the old TSS's selector into
; the new TSS's "previous task link" and sets EFLAGS.NT; IRET with NT=1 then
; switches back.  A task that is running (or nested below a running one) is
; "busy" (a bit in its descriptor's type), and calling a busy task is
; #GP(selector): tasks are not re-entrant.  Every switch sets CR0.TS.
%include "boot.inc"
%include "console.inc"
%include "pm.inc"

SEL_TSS_B equ SEL_FREE               ; 40h
EFL_NT    equ 0x4000

        bits 16
lab_main:
        SAY     "Lab 5: a hardware task switch"
        ENTER_PM
        ; Task B: its own stack at 3000h, flat ring-0 segments, starts at task_b.
        mov     edi, tss_b
        mov     ecx, 104 / 4
        xor     eax, eax
        rep     stosd
        mov     dword [tss_b + 0x20], task_b    ; EIP
        mov     dword [tss_b + 0x24], 0x2       ; EFLAGS (bit 1 is always 1)
        mov     dword [tss_b + 0x38], 0x3000    ; ESP
        mov     eax, cr3
        mov     [tss_b + 0x1C], eax             ; CR3
        mov     dword [tss_b + 0x4C], SEL_CODE0 ; CS
        mov     eax, SEL_DATA0
        mov     [tss_b + 0x48], eax             ; ES
        mov     [tss_b + 0x50], eax             ; SS
        mov     [tss_b + 0x54], eax             ; DS
        mov     [tss_b + 0x58], eax             ; FS
        mov     [tss_b + 0x5C], eax             ; GS
        mov     word [tss_b + 0x66], 104        ; no I/O bitmap
        SET_DESC SEL_TSS_B, tss_b, 103, ACC_TSS32, 0
        PUTS    "main task: TR="
        str     ax
        HEX4    eax
        SAY     "; task B's TSS is GDT[8], selector 0040h"

        ; 1. CALL: a nested switch.
        SAY     "CALL 0040:0 (a TSS selector: a task switch, the offset is ignored)"
        call    SEL_TSS_B:0
        PUTS    "back in the main task: TR="
        str     ax
        HEX4    eax
        PUTS    ", task B's TSS saved EIP="
        HEX     [tss_b + 0x20]
        SAY     " (after its IRET)"
        mov     eax, cr0
        test    eax, 8
        jz      .no_ts
        SAY     "CR0.TS is set: the switch tells the OS the FPU state is stale"
        clts
.no_ts:
        ; 2. JMP: no nesting, task B goes on after its IRET.
        SAY     "JMP 0040:0 ..."
        jmp     SEL_TSS_B:0
.after_jmp:
        PUTS    "main task resumed by task B's JMP; task B's descriptor type now "
        movzx   eax, byte [lab_gdt + SEL_TSS_B + 5]
        HEX2    eax
        SAY     " (89h: available, not busy)"

        ; 3. A task cannot be entered twice: CALL our own TSS.
        SAY     "CALL 0028:0 (the running task's own TSS, which is busy)..."
        ON_FAULT .after_busy
        call    SEL_TSS:0
.after_busy:
        SAY     "  #GP(0028): the TSS is busy"
        SAY     "lab 5 done"
        LAB_EXIT 0

        bits 32
task_b:
        mov     ebx, esp                ; HEX pushes, so copy ESP first
        PUTS    "  task B runs: TR="
        str     ax
        HEX4    eax
        PUTS    " ESP="
        HEX     ebx
        PUTS    " EFLAGS.NT="
        pushfd
        pop     eax
        shr     eax, 14
        and     eax, 1
        DEC     eax
        PUTS    " previous-task link="
        HEX4    [tss_b]
        SAY     ""
        PUTS    "  main's descriptor type="
        movzx   eax, byte [lab_gdt + SEL_TSS + 5]
        HEX2    eax
        SAY     " (8Bh: busy, it is nested below us); IRET returns to it"
        iretd                           ; NT=1: switch back through the link
        ; Here when the main task JMPs to us: our TSS saved this EIP.
        PUTS    "  task B resumed after its IRET; EFLAGS.NT="
        pushfd
        pop     eax
        shr     eax, 14
        and     eax, 1
        DEC     eax
        SAY     " (JMP does not nest); JMP 0028:0 back"
        jmp     SEL_TSS:0
        jmp     $

        align 4
tss_b:  times 104 db 0

        LAB_PAD
