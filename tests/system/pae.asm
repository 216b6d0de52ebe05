; SPDX-License-Identifier: MIT
; pae -- PAE paging (3 levels, 64-bit entries): the PDPT of four entries,
; 2 MiB pages, a 4 KiB page through a 64-bit page table, #PF through PAE
; tables, and the PDPTE registers: the CPU reads the four PDPTEs when CR3 is
; loaded and not during the walk.
;
; SDM vol. 3A 4.4 (PAE paging): CR3 holds the 32-byte-aligned address of
; the page-directory-pointer table; 4.4.1: the four PDPTEs are loaded into
; internal registers by MOV to CR3 (and when paging or PAE is switched on),
; so a later change to the PDPT in memory has no effect until CR3 is
; written again, and a reserved bit set in a present PDPTE makes that MOV
; CR3 fault with #GP(0).  A PDE with PS=1 maps a 2 MiB page (table 4-9).
; NX needs IA32_EFER.NXE (an MSR our CPU models do not have yet): not here.
;
; QEMU's TCG reads the PDPTEs during each walk instead of at MOV CR3, and
; checks their reserved bits there (a #PF, not a #GP at MOV CR3); both
; PDPTE-register checks are skipped under QEMU.
;! faultline-args: -cpu pentium2
%define TEST_NAME "pae"
%include "boot.inc"
%include "report.inc"
%include "pm.inc"
%include "paging.inc"

PDPT    equ 0x23000             ; the four PDPTEs
PD0     equ 0x24000             ; linear 0-1 GiB
PD1     equ 0x25000             ; linear 1-2 GiB
PT5     equ 0x26000             ; a 4 KiB-page table for linear A00000h-BFFFFFh
F1      equ 0x404000            ; a frame with known contents

; PAE_ENTRY table, index, value: one 64-bit entry, high half 0.
%macro PAE_ENTRY 3
        mov     dword [(%1) + (%2) * 8], %3
        mov     dword [(%1) + (%2) * 8 + 4], 0
%endmacro

        bits 16
test_main:
        ENTER_PM
        mov     eax, 1
        cpuid
        test    edx, 1 << 6             ; PAE
        jnz     .have_pae
        SKIP    "CPUID.1:EDX.PAE=0: no PAE on this CPU"
        PASS
.have_pae:
        ; clear the tables
        mov     edi, PDPT
        mov     ecx, 4 * 0x1000 / 4
        xor     eax, eax
        rep     stosd
        PAE_ENTRY PDPT, 0, PD0 | PG_P   ; PDPTEs have no R/W or U/S bits
        %assign i 0
        %rep 4                          ; 0-8 MiB: four 2 MiB pages, 1:1
        PAE_ENTRY PD0, i, (i * 0x200000) | PG_PS | PG_P | PG_RW | PG_US
        %assign i i + 1
        %endrep
        mov     eax, cr4
        or      eax, CR4_PAE
        mov     cr4, eax
        mov     eax, PDPT
        mov     cr3, eax
        mov     eax, cr0
        or      eax, CR0_PG
        mov     cr0, eax
        OK      "PAE paging on, 0-8 MiB in four 2 MiB pages"

        mov     dword [F1], 0x11111111
        ; linear 800000h -> the 2 MiB page at physical 400000h, supervisor
        PAE_ENTRY PD0, 4, 0x400000 | PG_PS | PG_P | PG_RW
        mov     eax, [0x800000 + (F1 - 0x400000)]
        CHECK_EQ eax, 0x11111111, "2 MiB page: read through 800000h + offset"
        mov     dword [0x800000 + (F1 - 0x400000) + 4], 0x4444
        CHECK_EQ [F1 + 4], 0x4444, "2 MiB page: the write lands in the frame"
        mov     eax, [PD0 + 4 * 8]
        and     eax, PG_A | PG_D
        CHECK_EQ eax, PG_A | PG_D, "2 MiB page: the PDE gets A and D"
        OK      "a 2 MiB page"

        ; linear A00000h -> a page table of 64-bit PTEs; PTE 0 -> F1
        PAE_ENTRY PD0, 5, PT5 | PG_P | PG_RW | PG_US
        PAE_ENTRY PT5, 0, F1 | PG_P | PG_RW
        mov     eax, [0xA00000]
        CHECK_EQ eax, 0x11111111, "4 KiB page through a PAE page table"
        OK      "a 4 KiB page with 64-bit entries"

        expect_fault 14, 0, "read through a not-present PAE PDE: #PF(0)"
        mov     eax, [0xC00000]
        end_expect
        CHECK_EQ [fault_cr2], 0xC00000, "not-present PDE: CR2"
        expect_fault 14, PF_U | PF_P, "ring-3 read of a supervisor 2 MiB page: #PF(U|P)"
        ENTER_RING3 .r3
.r3:    mov     eax, [0x800000]
        end_expect

        ON_QEMU
        jne     .skip_pdpte
        ; The PDPTE registers: PDPTE 1 (linear 1-2 GiB) is not present when
        ; CR3 is loaded; making it present in memory is not enough.
        PAE_ENTRY PD1, 0, 0x400000 | PG_PS | PG_P | PG_RW
        PAE_ENTRY PDPT, 1, PD1 | PG_P
        expect_fault 14, 0, "PDPTE made present in memory after MOV CR3: still #PF(0)"
        mov     eax, [0x40000000 + (F1 - 0x400000)]
        end_expect
        mov     eax, PDPT
        mov     cr3, eax
        mov     eax, [0x40000000 + (F1 - 0x400000)]
        CHECK_EQ eax, 0x11111111, "after MOV CR3 the new PDPTE is used"
        OK      "PDPTEs are read at MOV CR3"
        ; A reserved bit (R/W, bit 1) in a present PDPTE: #GP(0) at MOV CR3.
        or      dword [PDPT + 1 * 8], PG_RW
        expect_fault 13, 0, "MOV CR3 with a reserved bit in a PDPTE: #GP(0)"
        mov     eax, PDPT
        mov     cr3, eax
        end_expect
        and     dword [PDPT + 1 * 8], ~PG_RW
        jmp     .pdpte_done
.skip_pdpte:
        SKIP    "PDPTE registers: QEMU TCG reads the PDPTEs during each walk"
.pdpte_done:
        mov     eax, cr0
        and     eax, ~CR0_PG
        mov     cr0, eax
        PASS
