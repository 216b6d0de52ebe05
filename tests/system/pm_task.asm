; SPDX-License-Identifier: MIT
; pm_task -- hardware task switches: CALL and JMP to a TSS descriptor, IRET
; back through the back link, and what each does to the busy bits, EFLAGS.NT,
; the previous-task link and CR0.TS.
;
; SDM vol. 3A 7.3 (task switching: the old state is saved in the current
; TSS, the new one loaded from the target TSS), 7.4 (task linking), table
; 7-2:  CALL sets the new task's busy bit and NT and writes the back link
; (the old task stays busy); IRET with NT=1 returns to the back-link task,
; clears the busy bit and the saved NT of the task it leaves; JMP clears the
; old task's busy bit, sets the new one's, and touches neither NT nor the
; link.  Every switch sets CR0.TS.  A CALL to a busy TSS is #GP(selector).
; A fault found while loading the new task's segments (here a DS that
; names a TSS, not a data segment: #TS(selector)) happens after the switch
; commits, so it is delivered in the new task, at its first instruction
; (7.3, step 11).
%define TEST_NAME "pm_task"
%include "boot.inc"
%include "report.inc"
%include "pm.inc"

SEL_TSS_B   equ 0x40
SEL_TSS_C   equ 0x48
EFLAGS_NT   equ 0x4000
CR0_TS      equ 0x8
TSS_AVAIL   equ 0x89                ; access byte: P, DPL 0, 32-bit TSS, not busy
TSS_BUSY    equ 0x8B

; The record task B writes each time it runs.
REC_TR      equ 0
REC_EFLAGS  equ 4
REC_MAIN_ACC equ 8                  ; access byte of the main task's descriptor
REC_B_ACC   equ 12
REC_CR0     equ 16
REC_LINK    equ 20                  ; task B's previous-task link

        bits 16
test_main:
        ENTER_PM
        SET_DESC SEL_TSS_B, tss_b, 103, TSS_AVAIL, 0
        SET_DESC SEL_TSS_C, tss_c, 103, TSS_AVAIL, 0
        ; Task B starts at task_b with its own stack and flat segments.
        mov     edi, tss_b
        call    init_tss
        mov     dword [tss_b + 0x20], task_b
        mov     dword [tss_b + 0x38], 0x3000
        ; Task C's DS names the TSS descriptor: not a data segment.  (A bad
        ; DS rather than a bad SS: after a failed SS load the stack the
        ; handler's frame goes to is not well defined.)
        mov     edi, tss_c
        call    init_tss
        mov     dword [tss_c + 0x20], task_c
        mov     dword [tss_c + 0x38], 0x3800
        mov     dword [tss_c + 0x54], SEL_TSS

; ---- CALL: nested task ----
        call    SEL_TSS_B:0             ; runs task B until its IRET
.after_call:
        mov     eax, cr0
        and     eax, CR0_TS
        CHECK_EQ eax, CR0_TS, "after IRET back: CR0.TS"
        clts
        str     ax
        movzx   eax, ax
        CHECK_EQ eax, SEL_TSS, "after IRET back: TR"
        pushfd
        pop     eax
        and     eax, EFLAGS_NT
        CHECK_EQ eax, 0, "after IRET back: NT (from the main task's TSS)"
        ; what task B saw
        CHECK_EQ [rec_call + REC_TR], SEL_TSS_B, "in task B after CALL: TR"
        mov     eax, [rec_call + REC_EFLAGS]
        and     eax, EFLAGS_NT
        CHECK_EQ eax, EFLAGS_NT, "in task B after CALL: NT set"
        CHECK_EQ [rec_call + REC_LINK], SEL_TSS, "in task B after CALL: back link = main TSS"
        CHECK_EQ [rec_call + REC_MAIN_ACC], TSS_BUSY, "in task B after CALL: main TSS still busy"
        CHECK_EQ [rec_call + REC_B_ACC], TSS_BUSY, "in task B after CALL: task B busy"
        mov     eax, [rec_call + REC_CR0]
        and     eax, CR0_TS
        CHECK_EQ eax, CR0_TS, "in task B after CALL: CR0.TS"
        OK      "CALL to a TSS: NT, back link, both busy, CR0.TS"
        movzx   eax, byte [pm_gdt + SEL_TSS_B + 5]
        CHECK_EQ eax, TSS_AVAIL, "after IRET: task B no longer busy"
        mov     eax, [tss_b + 0x24]
        and     eax, EFLAGS_NT
        CHECK_EQ eax, 0, "after IRET: NT cleared in task B's saved EFLAGS"
        CHECK_EQ [tss_b + 0x20], task_b.after_iret, "after IRET: task B's saved EIP"
        OK      "IRET with NT=1: back to the linked task, B not busy, its NT cleared"

        expect_fault 13, SEL_TSS, "CALL to a busy TSS (our own): #GP(sel)"
        call    SEL_TSS:0
        end_expect

; ---- JMP: no nesting ----
        jmp     SEL_TSS_B:0             ; task B resumes after its IRET
.after_jmp:
        clts
        CHECK_EQ [rec_jmp + REC_TR], SEL_TSS_B, "in task B after JMP: TR"
        mov     eax, [rec_jmp + REC_EFLAGS]
        and     eax, EFLAGS_NT
        CHECK_EQ eax, 0, "in task B after JMP: NT clear"
        CHECK_EQ [rec_jmp + REC_MAIN_ACC], TSS_AVAIL, "in task B after JMP: main TSS not busy"
        CHECK_EQ [rec_jmp + REC_B_ACC], TSS_BUSY, "in task B after JMP: task B busy"
        CHECK_EQ [rec_jmp + REC_LINK], SEL_TSS, "in task B after JMP: link unchanged"
        movzx   eax, byte [pm_gdt + SEL_TSS + 5]
        CHECK_EQ eax, TSS_BUSY, "back in main after JMP: main TSS busy"
        movzx   eax, byte [pm_gdt + SEL_TSS_B + 5]
        CHECK_EQ eax, TSS_AVAIL, "back in main after JMP: task B not busy"
        OK      "JMP to a TSS and back: busy bits swap, NT and link untouched"

; ---- #TS in the new task ----
        ; Not expect_fault: the fault is reported at task C's first
        ; instruction, outside this block.
        mov     dword [fault_recover], .ts_seen
        mov     [fault_esp], esp
        mov     dword [fault_vector], 0xFFFFFFFF
        jmp     SEL_TSS_C:0
        FAIL    "task C with a bad DS ran"
.ts_seen:
        clts
        CHECK_EQ [fault_vector], 10, "task C DS = a TSS: vector"
        CHECK_EQ [fault_error], SEL_TSS, "task C DS = a TSS: error code"
        ON_QEMU
        jne     .ts_qemu
        CHECK_EQ [fault_eip], task_c, "task C DS = a TSS: EIP is task C's first instruction"
        jmp     .ts_eip_done
.ts_qemu:
        SKIP    "#TS EIP: QEMU restores the EIP of the JMP (its exception unwinds to the faulting guest instruction)"
.ts_eip_done:
        str     ax
        movzx   eax, ax
        CHECK_EQ eax, SEL_TSS_C, "task C DS = a TSS: TR is task C (the switch committed)"
        OK      "#TS(DS) while loading task C: delivered in task C"
        PASS

; init_tss: EDI = a TSS; flat ring-0 segments, EFLAGS = 2, no LDT.
init_tss:
        push    edi
        push    ecx
        mov     ecx, 104 / 4
        xor     eax, eax
        rep     stosd
        pop     ecx
        pop     edi
        mov     dword [edi + 0x24], 2
        mov     dword [edi + 0x4C], SEL_CODE0
        mov     eax, SEL_DATA0
        mov     [edi + 0x48], eax       ; ES
        mov     [edi + 0x50], eax       ; SS
        mov     [edi + 0x54], eax       ; DS
        mov     [edi + 0x58], eax       ; FS
        mov     [edi + 0x5C], eax       ; GS
        mov     word [edi + 0x66], 104
        ret

; Task B: first entered by CALL, then (after its IRET) by JMP.
task_b:
        mov     edi, rec_call
        call    record
        iretd                           ; NT=1: a task switch back to main
.after_iret:
        mov     edi, rec_jmp
        call    record
        jmp     SEL_TSS:0               ; main resumes at .after_jmp
        FAIL    "task B resumed after its JMP away"

task_c:
        FAIL    "task C ran"

; record: EDI = a record block.
record:
        str     ax
        movzx   eax, ax
        mov     [edi + REC_TR], eax
        pushfd
        pop     dword [edi + REC_EFLAGS]
        movzx   eax, byte [pm_gdt + SEL_TSS + 5]
        mov     [edi + REC_MAIN_ACC], eax
        movzx   eax, byte [pm_gdt + SEL_TSS_B + 5]
        mov     [edi + REC_B_ACC], eax
        mov     eax, cr0
        mov     [edi + REC_CR0], eax
        movzx   eax, word [tss_b]
        mov     [edi + REC_LINK], eax
        ret

        align 4
rec_call:   times 6 dd 0
rec_jmp:    times 6 dd 0
tss_b:      times 104 db 0
tss_c:      times 104 db 0
