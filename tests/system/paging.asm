; SPDX-License-Identifier: MIT
; paging -- 32-bit (2-level) paging: the page-fault error code for every
; combination of present, user/supervisor, read/write, CPL and CR0.WP; the
; accessed and dirty bits the walk writes; a 4 MiB page (PSE); a global page
; (PGE) that outlives a CR3 reload; INVLPG; and a write that crosses into a
; page that is not present, which faults and writes nothing.
;
; SDM vol. 3A 4.3 (32-bit paging), 4.6 (access rights: a user access needs
; U/S=1 in every level, a user write needs R/W=1; a supervisor write to a
; read-only page faults only when CR0.WP=1), 4.7 (the #PF error code: P=1 for
; a protection violation, 0 for a not-present entry; W/R=1 for a write;
; U/S=1 when CPL=3; CR2 = the linear address), 4.8 (the walk sets A in every
; entry it uses and D in the entry that maps the page when it writes),
; 4.10.2.4 and 4.10.4 (a MOV to CR3 flushes every TLB entry except global
; ones; INVLPG flushes one page, global or not).
;
; Our page directory maps 0-8 MiB 1:1 with 4 KiB pages; the tests play with
; the page table entries of 400000h-40FFFFh.
;
; QEMU's TCG flushes its whole TLB on every MOV CR3, global entries too (the
; SDM allows a CPU to drop TLB entries at any time, so this is legal), so the
; "global page survives a CR3 reload" check is skipped under QEMU; Faultline
; models the TLB the way a P6 keeps it.
;! faultline-args: -cpu pentium2
%define TEST_NAME "paging"
%include "boot.inc"
%include "report.inc"
%include "pm.inc"
%include "paging.inc"

TP      equ 0x400000            ; the page the error-code table plays with
F1      equ 0x404000            ; two frames with known contents
F2      equ 0x405000
GL      equ 0x406000            ; a page mapped global
NG      equ 0x407000            ; a page mapped not global
CROSS   equ 0x408000            ; present; CROSS + 1000h is not
EFLAGS_IF equ 0x200

        bits 16
test_main:
        ENTER_PM
        SET_GATE_AT IDT_BASE + 0x31 * 8, SEL_CODE0, back_to_ring0, 0xEE, 0
        mov     eax, 1
        cpuid
        mov     [cpuid_edx], edx
        mov     eax, PG_P | PG_RW | PG_US
        call    paging_identity32
        PAGING_ON
        OK      "paging on, 0-8 MiB identity-mapped"

; ---- the #PF error code, case by case ----
        mov     esi, pf_cases
.case:  cmp     esi, pf_cases_end
        jae     .cases_done
        call    run_case
        add     esi, CASE_SIZE
        jmp     .case
.cases_done:
        WP_OFF
        OK      "#PF error codes: 40 cases of P, R/W, U/S x CPL 0/3 x read/write x CR0.WP"

        ; A PDE that is not present: the walk stops at the directory.
        expect_fault 14, 0, "read through a not-present PDE: #PF(0)"
        mov     eax, [0xC00000]
        end_expect
        CHECK_EQ [fault_cr2], 0xC00000, "not-present PDE: CR2"

; ---- accessed and dirty bits ----
        mov     dword [PTE_ADDR(TP)], TP | PG_P | PG_RW | PG_US
        and     dword [PD_BASE + 4], ~(PG_A | PG_D)
        PAGING_ON                       ; reloads CR3: no cached walk
        mov     eax, [TP]
        mov     eax, [PTE_ADDR(TP)]
        and     eax, PG_A | PG_D
        CHECK_EQ eax, PG_A, "after a read: PTE.A=1, PTE.D=0"
        mov     eax, [PD_BASE + 4]
        and     eax, PG_A
        CHECK_EQ eax, PG_A, "after a read: PDE.A=1"
        mov     dword [TP], 0x600D
        mov     eax, [PTE_ADDR(TP)]
        and     eax, PG_A | PG_D
        CHECK_EQ eax, PG_A | PG_D, "after a write: PTE.D=1 (even with the page already in the TLB)"
        OK      "the walk sets A on a read and D on a write"

; ---- a page-crossing write ----
        mov     dword [PTE_ADDR(CROSS)], CROSS | PG_P | PG_RW | PG_US
        mov     dword [PTE_ADDR(CROSS + 0x1000)], 0
        invlpg  [CROSS]
        invlpg  [CROSS + 0x1000]
        mov     dword [CROSS + 0xFFC], 0xAAAAAAAA
        expect_fault 14, PF_W, "dword write at 0FFEh of a page, next page not present: #PF(W)"
        mov     dword [CROSS + 0xFFE], 0x55555555
        end_expect
        CHECK_EQ [fault_cr2], CROSS + 0x1000, "page-crossing write: CR2 = the first byte of the missing page"
        CHECK_EQ [CROSS + 0xFFC], 0xAAAAAAAA, "page-crossing write: the first page unchanged"
        OK      "a write crossing into a missing page writes nothing"
        mov     dword [PTE_ADDR(CROSS + 0x1000)], (CROSS + 0x1000) | PG_P | PG_RW | PG_US

; ---- a 4 MiB page ----
        mov     dword [F1], 0x11111111
        mov     dword [F2], 0x22222222
        test    dword [cpuid_edx], 1 << 3       ; PSE
        jnz     .pse
        SKIP    "4 MiB pages: CPUID.1:EDX.PSE=0"
        jmp     .pse_done
.pse:   mov     eax, cr4
        or      eax, CR4_PSE
        mov     cr4, eax
        ; linear 800000h-BFFFFFh -> physical 400000h-7FFFFFh, supervisor
        mov     dword [PD_BASE + 2 * 4], 0x400000 | PG_PS | PG_P | PG_RW
        invlpg  [0x800000 + (F1 - 0x400000)]
        mov     eax, [0x800000 + (F1 - 0x400000)]
        CHECK_EQ eax, 0x11111111, "4 MiB page: read of F1 through 800000h + offset"
        mov     dword [0x800000 + (F2 - 0x400000) + 4], 0x4444
        CHECK_EQ [F2 + 4], 0x4444, "4 MiB page: a write lands in the right frame"
        mov     eax, [PD_BASE + 2 * 4]
        and     eax, PG_A | PG_D
        CHECK_EQ eax, PG_A | PG_D, "4 MiB page: the PDE gets A and D"
        OK      "PSE: a 4 MiB page maps by the PDE alone"
.pse_done:

; ---- global pages, CR3 reloads, INVLPG ----
        test    dword [cpuid_edx], 1 << 13      ; PGE
        jnz     .pge
        SKIP    "global pages: CPUID.1:EDX.PGE=0"
        jmp     .pge_done
.pge:   mov     eax, cr4
        or      eax, CR4_PGE
        mov     cr4, eax
        mov     dword [PTE_ADDR(GL)], F1 | PG_P | PG_RW | PG_G
        mov     dword [PTE_ADDR(NG)], F1 | PG_P | PG_RW
        invlpg  [GL]
        invlpg  [NG]
        mov     eax, [GL]               ; both now cached, mapping F1
        mov     eax, [NG]
        mov     dword [PTE_ADDR(GL)], F2 | PG_P | PG_RW | PG_G
        mov     dword [PTE_ADDR(NG)], F2 | PG_P | PG_RW
        mov     eax, cr3
        mov     cr3, eax                ; flushes NG, keeps GL
        CHECK_EQ [NG], 0x22222222, "not global, after MOV CR3: the new mapping"
        ON_QEMU
        jne     .skip_global
        CHECK_EQ [GL], 0x11111111, "global, after MOV CR3: still the old mapping"
        OK      "a global page survives MOV CR3, a non-global one does not"
        jmp     .global_done
.skip_global:
        SKIP    "global page kept over MOV CR3: QEMU TCG flushes global entries too"
.global_done:
        invlpg  [GL]
        CHECK_EQ [GL], 0x22222222, "global, after INVLPG: the new mapping"
        OK      "INVLPG flushes a global page"
        mov     eax, cr4
        and     eax, ~CR4_PGE
        mov     cr4, eax
.pge_done:
        PAGING_OFF
        PASS

; One error-code case: PTE flags, CPL, write?, CR0.WP, expected error code
; (-1: no fault).  The expected codes are computed by PF_CASE from the rules
; in the header, at assembly time.
CASE_PTE   equ 0
CASE_CPL   equ 4
CASE_WRITE equ 8
CASE_WP    equ 12
CASE_WANT  equ 16
CASE_SIZE  equ 20

%macro PF_CASE 4
%assign %%p  (%1) & PG_P
%assign %%rw (%1) & PG_RW
%assign %%us (%1) & PG_US
%assign %%w  (%3) * PF_W
%assign %%u  ((%2) == 3) * PF_U
%if %%p == 0
%assign %%want %%w | %%u                        ; not present
%elif (%2) == 3 && %%us == 0
%assign %%want PF_P | %%w | %%u                 ; user access, supervisor page
%elif (%2) == 3 && (%3) && %%rw == 0
%assign %%want PF_P | %%w | %%u                 ; user write, read-only page
%elif (%2) == 0 && (%3) && %%rw == 0 && (%4)
%assign %%want PF_P | %%w                       ; supervisor write, read-only, WP=1
%else
%assign %%want -1
%endif
        dd      %1, %2, %3, %4, %%want
%endmacro

pf_cases:
%assign wp 0
%rep 2
%assign cpl 0
%rep 2
%assign wr 0
%rep 2
        PF_CASE PG_RW | PG_US, cpl, wr, wp              ; P=0
        PF_CASE PG_P, cpl, wr, wp
        PF_CASE PG_P | PG_RW, cpl, wr, wp
        PF_CASE PG_P | PG_US, cpl, wr, wp
        PF_CASE PG_P | PG_RW | PG_US, cpl, wr, wp
%assign wr wr + 1
%endrep
%assign cpl cpl + 3
%endrep
%assign wp wp + 1
%endrep
pf_cases_end:

; run_case: ESI = a case.  Maps TP with the case's flags, does the access at
; the case's CPL, and compares what happened with the expectation.
run_case:
        mov     eax, [esi + CASE_PTE]
        or      eax, TP
        mov     [PTE_ADDR(TP)], eax
        invlpg  [TP]
        mov     eax, cr0
        and     eax, ~CR0_WP
        cmp     dword [esi + CASE_WP], 0
        je      .wp
        or      eax, CR0_WP
.wp:    mov     cr0, eax
        mov     dword [fault_vector], 0xFFFFFFFF
        mov     [fault_esp], esp
        mov     dword [fault_recover], .after
        mov     [r0_esp], esp
        mov     dword [r0_resume], .no_fault
        cmp     dword [esi + CASE_CPL], 3
        je      .ring3
        cmp     dword [esi + CASE_WRITE], 0
        je      .r0_read
        mov     dword [TP], 0x12345678
        jmp     .no_fault
.r0_read:
        mov     eax, [TP]
        jmp     .no_fault
.ring3: ENTER_RING3 .r3
.r3:    cmp     dword [esi + CASE_WRITE], 0
        je      .r3_read
        mov     dword [TP], 0x12345678
        int     0x31
.r3_read:
        mov     eax, [TP]
        int     0x31
.no_fault:
        mov     dword [fault_recover], 0
.after:
        mov     eax, [esi + CASE_WANT]
        cmp     eax, -1
        jne     .want_fault
        cmp     dword [fault_vector], 0xFFFFFFFF
        jne     .bad
        ret
.want_fault:
        cmp     dword [fault_vector], 14
        jne     .bad
        cmp     [fault_error], eax
        jne     .bad
        cmp     dword [fault_cr2], TP
        jne     .bad
        ret
.bad:   call    report_fail_prefix32
        PRINT   "#PF case PTE="
        PRINT_HEX [esi + CASE_PTE]
        PRINT   " CPL="
        PRINT_HEX [esi + CASE_CPL]
        PRINT   " write="
        PRINT_HEX [esi + CASE_WRITE]
        PRINT   " WP="
        PRINT_HEX [esi + CASE_WP]
        PRINT   ": expected error "
        PRINT_HEX [esi + CASE_WANT]
        PRINT   " (FFFFFFFF: no fault), got vector "
        PRINT_HEX [fault_vector]
        PRINT   " error "
        PRINT_HEX [fault_error]
        PRINT   " CR2 "
        PRINT_HEX [fault_cr2]
        PRINT   {10}
        mov     al, 1
        jmp     report_exit32

; INT 31h: leave ring 3; resume at r0_resume on the saved ring-0 stack.
back_to_ring0:
        mov     ax, SEL_DATA0
        mov     ds, ax
        mov     es, ax
        mov     esp, [r0_esp]
        jmp     [r0_resume]

        align 4
cpuid_edx:  dd 0
r0_esp:     dd 0
r0_resume:  dd 0
