; SPDX-License-Identifier: MIT
; nx -- the execute-disable bit: IA32_EFER.NXE (MSR C0000080h, bit 11) and
; the XD bit (bit 63) of a PAE page-table entry.  With NXE set, fetching an
; instruction from a page whose PTE has XD set is a #PF whose error code has
; the I/D bit (bit 4) while a data read of the same page is allowed; with
; NXE clear, XD is a reserved bit, so any access through that PTE is a #PF
; with RSVD (bit 3).
;
; SDM vol. 2, CPUID leaf 80000001h (EDX bit 20: XD bit available); vol. 3A
; 4.1.4 (IA32_EFER.NXE), 4.4.2 and table 4-11 (XD in a PAE PTE), 4.6
; (execute-disable rights), 4.7 (the #PF error code: I/D, RSVD), 4.10.4
; (software invalidates the TLB after changing what governs a
; translation: here a MOV CR3 after clearing NXE).
;
; QEMU 7.2's TCG ignores a write of reserved EFER bits instead of raising
; #GP(0): that check is skipped under QEMU.  It also reports the
; reserved-bit #PF with P clear, where the SDM (4.7: RSVD can be set only
; with P) and Faultline set it; under QEMU the test adds P before comparing.
;! faultline-args: -cpu p6-nx
;! qemu-args: -cpu pentium3,+nx
%define TEST_NAME "nx"
%include "boot.inc"
%include "report.inc"
%include "pm.inc"
%include "paging.inc"

PDPT    equ 0x23000             ; the four PDPTEs
PD0     equ 0x24000             ; linear 0-1 GiB
PT0     equ 0x25000             ; 4 KiB pages for linear 0-2 MiB
NX_PAGE equ 0x30000             ; a page with XD set (user and writable)
MSR_EFER equ 0xC0000080
EFER_NXE equ 0x800
PF_RSVD equ 0x08
PF_I    equ 0x10

; PAE_ENTRY table, index, value: one 64-bit entry, high half 0.
%macro PAE_ENTRY 3
        mov     dword [(%1) + (%2) * 8], %3
        mov     dword [(%1) + (%2) * 8 + 4], 0
%endmacro

        bits 16
test_main:
        ENTER_PM
        mov     eax, 0x80000000
        cpuid
        cmp     eax, 0x80000001
        jb      .no_nx
        cmp     eax, 0x8000FFFF         ; older parts answer with a basic leaf
        ja      .no_nx
        mov     eax, 0x80000001
        cpuid
        test    edx, 1 << 20
        jnz     .have_nx
.no_nx:
        SKIP    "CPUID.80000001h:EDX.NX=0: no execute-disable on this CPU"
        PASS
.have_nx:
        OK      "CPUID.80000001h:EDX reports NX"

        ; IA32_EFER reads 0 after reset and keeps NXE
        mov     ecx, MSR_EFER
        rdmsr
        and     eax, EFER_NXE
        CHECK_EQ eax, 0, "EFER.NXE is 0 after reset"
        mov     eax, EFER_NXE
        xor     edx, edx
        wrmsr
        xor     eax, eax
        rdmsr
        CHECK_EQ eax, EFER_NXE, "WRMSR EFER.NXE reads back"

        ON_QEMU
        jne     .skip_reserved
        expect_fault 13, 0, "WRMSR EFER with a reserved bit (bit 31): #GP(0)"
        mov     ecx, MSR_EFER
        mov     eax, EFER_NXE | 0x80000000
        xor     edx, edx
        wrmsr
        end_expect
        jmp     .reserved_done
.skip_reserved:
        SKIP    "EFER reserved bits: QEMU TCG ignores them instead of #GP"
.reserved_done:

        ; PAE tables: 0-2 MiB in 4 KiB pages, 2-8 MiB in 2 MiB pages
        mov     edi, PDPT
        mov     ecx, 3 * 0x1000 / 4
        xor     eax, eax
        rep     stosd
        PAE_ENTRY PDPT, 0, PD0 | PG_P
        PAE_ENTRY PD0, 0, PT0 | PG_P | PG_RW | PG_US
        %assign i 1
        %rep 3
        PAE_ENTRY PD0, i, (i * 0x200000) | PG_PS | PG_P | PG_RW | PG_US
        %assign i i + 1
        %endrep
        mov     edi, PT0
        mov     eax, PG_P | PG_RW | PG_US
.fill:  mov     [edi], eax
        mov     dword [edi + 4], 0
        add     eax, 0x1000
        add     edi, 8
        cmp     edi, PT0 + 512 * 8
        jb      .fill
        or      dword [PT0 + (NX_PAGE >> 12) * 8 + 4], 0x80000000     ; XD
        mov     byte [NX_PAGE], 0xC3    ; ret: must never run

        mov     eax, cr4
        or      eax, CR4_PAE
        mov     cr4, eax
        mov     eax, PDPT
        mov     cr3, eax
        mov     eax, cr0
        or      eax, CR0_PG
        mov     cr0, eax
        OK      "PAE paging on with EFER.NXE"

        movzx   eax, byte [NX_PAGE]
        CHECK_EQ eax, 0xC3, "a data read of an XD page is allowed"

        expect_fault 14, PF_P | PF_I, "fetch from an XD page at CPL 0: #PF(P|I/D)", NOEIP
        call    NX_PAGE
        end_expect
        CHECK_EQ [fault_eip], NX_PAGE, "the #PF reports the fetch address as EIP"
        CHECK_EQ [fault_cr2], NX_PAGE, "CR2 holds the XD page's address"

        expect_fault 14, PF_P | PF_U | PF_I, "fetch from a user XD page at CPL 3: #PF(P|U|I/D)", NOEIP
        ENTER_RING3 NX_PAGE
        end_expect
        CHECK_EQ [fault_eip], NX_PAGE, "ring 3: the #PF reports the fetch address"

        ; NXE off: XD becomes a reserved bit (after the TLB is flushed)
        mov     ecx, MSR_EFER
        xor     eax, eax
        xor     edx, edx
        wrmsr
        mov     eax, PDPT
        mov     cr3, eax
        expect_fault 14, -1, "NXE clear: a read through an XD PTE faults"
        mov     al, [NX_PAGE]
        end_expect
        mov     eax, [fault_error]
        ON_QEMU
        je      .rsvd_error
        or      eax, PF_P               ; QEMU leaves P clear here
.rsvd_error:
        CHECK_EQ eax, PF_P | PF_RSVD, "NXE clear: the #PF error code is P|RSVD"
        OK      "NXE clear: XD is a reserved bit"

        mov     eax, cr0
        and     eax, ~CR0_PG
        mov     cr0, eax
        PASS
