; SPDX-License-Identifier: MIT
; Lab 9 -- PAE paging and the execute-disable (NX) bit.
;
; PAE (CR4.PAE, SDM vol. 3A 4.4) makes every paging entry 64 bits wide, so
; physical addresses can exceed 4 GiB, and adds a level: CR3 points at 4
; PDPTEs (bits 31-30 of the address pick one), each at a page directory of
; 512 PDEs (bits 29-21), each at a page table of 512 PTEs (bits 20-12).
; Bit 63 of an entry is XD, execute-disable (SDM 4.6, table 4-11), once
; IA32_EFER.NXE (MSR C0000080h, bit 11) is set; CPUID 80000001h EDX bit 20
; says whether the CPU has it.  Fetching an instruction from an XD page is a
; #PF with the I/D bit (bit 4) of the error code set, while reading the page
; as data is fine.  Without NXE, bit 63 is a reserved bit: any access through
; that entry is a #PF with RSVD (bit 3).
; Run with a CPU model that has NX: faultline -cpu p6-nx.
%include "boot.inc"
%include "console.inc"
%include "pm.inc"
%include "paging.inc"

PDPT     equ 0x23000
PD0      equ 0x24000                ; linear 0-1 GiB
PT0      equ 0x25000                ; 4 KiB pages for linear 0-2 MiB
NX_PAGE  equ 0x30000
MSR_EFER equ 0xC0000080
EFER_NXE equ 0x800

; PAE_ENTRY table, index, low dword: a 64-bit entry with a zero high half.
%macro PAE_ENTRY 3
        mov     dword [(%1) + (%2) * 8], %3
        mov     dword [(%1) + (%2) * 8 + 4], 0
%endmacro

        bits 16
lab_main:
        SAY     "Lab 9: PAE paging and the NX bit"
        ENTER_PM
        mov     eax, 0x80000000         ; the highest extended CPUID leaf
        cpuid
        cmp     eax, 0x80000001
        jb      .no_nx
        cmp     eax, 0x8000FFFF         ; older CPUs answer with a basic leaf
        ja      .no_nx
        mov     eax, 0x80000001
        cpuid
        test    edx, 1 << 20
        jnz     .have_nx
.no_nx: SAY     "this CPU has no NX (CPUID 80000001h EDX bit 20): run with -cpu p6-nx"
        LAB_EXIT 2
.have_nx:
        SAY     "CPUID 80000001h: EDX bit 20 (NX) is set"
        mov     ecx, MSR_EFER
        rdmsr
        or      eax, EFER_NXE
        wrmsr
        PUTS    "IA32_EFER = "
        HEX     eax
        SAY     " (NXE on)"

        ; The tables: PDPTE 0 -> PD0; PDE 0 -> PT0 (4 KiB pages for 0-2 MiB).
        mov     edi, PDPT
        mov     ecx, 3 * 0x1000 / 4
        xor     eax, eax
        rep     stosd
        PAE_ENTRY PDPT, 0, PD0 | PG_P   ; a PDPTE has no R/W or U/S bits
        PAE_ENTRY PD0, 0, PT0 | PG_P | PG_RW
        mov     edi, PT0
        mov     eax, PG_P | PG_RW
.fill:  mov     [edi], eax
        mov     dword [edi + 4], 0
        add     eax, 0x1000
        add     edi, 8
        cmp     edi, PT0 + 512 * 8
        jb      .fill
        or      dword [PT0 + (NX_PAGE >> 12) * 8 + 4], 0x80000000     ; XD
        mov     byte [NX_PAGE], 0xC3    ; RET: a one-byte function
        PUTS    "PTE of 00030000 = "
        HEX     [PT0 + (NX_PAGE >> 12) * 8 + 4]
        PUTC    '_'
        HEX     [PT0 + (NX_PAGE >> 12) * 8]
        SAY     " (bit 63 XD set; PDPT index 0, PD index 0, PT index 030h)"

        mov     eax, cr4
        or      eax, CR4_PAE
        mov     cr4, eax
        mov     eax, PDPT
        mov     cr3, eax
        mov     eax, cr0
        or      eax, CR0_PG
        mov     cr0, eax
        PUTS    "PAE paging on: CR4="
        mov     eax, cr4
        HEX     eax
        PUTS    " CR3="
        mov     eax, cr3
        HEX     eax
        SAY     ""

        PUTS    "read the byte at 00030000 as data: "
        movzx   eax, byte [NX_PAGE]
        HEX2    eax
        SAY     " (allowed)"
        SAY     "CALL 00030000 (execute it)..."
        ON_FAULT .after_exec
        call    NX_PAGE
        SAY     "  it ran?!"
        LAB_EXIT 1
.after_exec:
        SAY     "  #PF error 11h = P|I/D: an instruction fetch from an XD page; EIP is 00030000 itself"

        ; NXE off: bit 63 becomes a reserved bit.  MOV CR3 flushes the TLB
        ; (SDM 4.10.4), so the CPU reads the entries again.
        mov     ecx, MSR_EFER
        rdmsr
        and     eax, ~EFER_NXE
        wrmsr
        mov     eax, PDPT
        mov     cr3, eax
        SAY     "EFER.NXE off; read the byte at 00030000 again..."
        ON_FAULT .after_rsvd
        mov     al, [NX_PAGE]
.after_rsvd:
        SAY     "  #PF with RSVD (bit 3): without NXE, XD is a reserved bit"
        mov     eax, cr0
        and     eax, ~CR0_PG
        mov     cr0, eax
        SAY     "lab 9 done"
        LAB_EXIT 0

        LAB_PAD
