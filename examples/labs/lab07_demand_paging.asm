; SPDX-License-Identifier: MIT
; Lab 7 -- a page-fault handler that maps pages on demand.
;
; An access through a not-present PDE or PTE raises #PF (vector 14, SDM
; vol. 3A 4.7 and 6.15): CR2 gets the linear address, the error code says
; why (bit 0 P: 0 = not present, 1 = a protection violation; bit 1 W/R: a
; write; bit 2 U/S: from CPL 3).  #PF is a fault, so IRET runs the
; instruction again -- if the handler made the page present in between, it
; now succeeds, and the program never notices.  That is demand paging: the
; OS gives memory only where it is touched.
; This handler owns linear 800000h-0FFFFFFFh: on a not-present fault there
; it takes a free physical frame from 100000h up, zeroes it and maps it (and
; first a page table, when the PDE is not present either).  A fault anywhere else is a bug: it goes to the usual report.
; After changing a present entry software must flush the TLB (INVLPG, SDM
; 4.10.4); making a not-present entry present needs no flush, since the CPU
; does not cache not-present entries.
%include "boot.inc"
%include "console.inc"
%include "pm.inc"
%include "paging.inc"

DEMAND_LO   equ 0x00800000
DEMAND_HI   equ 0x10000000
FRAME_POOL  equ 0x00100000          ; free physical frames from 1 MiB

        bits 16
lab_main:
        SAY     "Lab 7: demand paging with a #PF handler"
        ENTER_PM
        mov     eax, PG_P | PG_RW
        call    paging_identity         ; 0-4 MiB; everything else not present
        SET_GATE 14, SEL_CODE0, pf_handler, GATE_INT32
        PAGING_ON
        SAY     "paging on: only 0-4 MiB is mapped; the handler maps 800000h-0FFFFFFFh on demand"

        SAY     "write 11111111 to [00800000]..."
        mov     dword [0x800000], 0x11111111
        SAY     "write 22222222 to [00800100] (same page: no fault)..."
        mov     dword [0x800100], 0x22222222
        SAY     "write 33333333 to [00C01234] (a new page table too)..."
        mov     dword [0xC01234], 0x33333333
        SAY     "read [00803000] (a fresh page reads as zero)..."
        mov     eax, [0x803000]
        PUTS    "read back: "
        HEX     [0x800000]
        PUTC    ' '
        HEX     [0x800100]
        PUTC    ' '
        HEX     [0xC01234]
        PUTC    ' '
        HEX     eax
        SAY     ""
        PUTS    "page faults handled: "
        DEC     [pf_count]
        PUTS    ", frames used: "
        DEC     [frames_used]
        SAY     ""

        ; Outside the region the handler refuses: the report line and on.
        SAY     "write to [F0000000] (outside the demand region)..."
        ON_FAULT .after_wild
        mov     dword [0xF0000000], 1
.after_wild:
        SAY     "  the handler did not map it: in an OS this process would be killed"
        PAGING_OFF
        SAY     "lab 7 done"
        LAB_EXIT 0

        bits 32
; The frame: [ESP] error code, +4 EIP, +8 CS, +12 EFLAGS.
pf_handler:
        pushad                          ; error code now at [ESP + 32]
        mov     ebp, esp
        mov     ebx, cr2
        cmp     ebx, DEMAND_LO
        jb      .not_ours
        cmp     ebx, DEMAND_HI
        jae     .not_ours
        test    dword [ebp + 32], PF_P  ; a protection fault is not ours
        jnz     .not_ours
        inc     dword [pf_count]
        PUTS    "  #PF cr2="
        HEX     ebx
        PUTS    " error="
        HEX2    [ebp + 32]
        test    dword [ebp + 32], PF_W
        jz      .read
        PUTS    " (not present, write)"
        jmp     .which
.read:  PUTS    " (not present, read)"
.which:
        ; The PDE: a page table first, if there is none.
        mov     esi, ebx
        shr     esi, 22
        lea     esi, [PD_BASE + esi * 4]
        test    dword [esi], PG_P
        jnz     .have_table
        call    alloc_frame             ; EAX = a zeroed frame
        or      eax, PG_P | PG_RW
        mov     [esi], eax
        PUTS    ", new page table "
        HEX     eax
.have_table:
        mov     edi, [esi]
        and     edi, 0xFFFFF000         ; the page table (identity-mapped)
        mov     eax, ebx
        shr     eax, 12
        and     eax, 0x3FF
        lea     edi, [edi + eax * 4]    ; the PTE
        call    alloc_frame
        or      eax, PG_P | PG_RW
        mov     [edi], eax
        PUTS    ", mapped frame "
        HEX     eax
        SAY     ""
        popad
        add     esp, 4                  ; drop the error code before IRET
        iretd                           ; the faulting instruction runs again
.not_ours:
        popad
        jmp     exc_stub_14             ; the usual report (lib/pm.inc)

; alloc_frame: EAX = the next free 4 KiB frame, zeroed.
alloc_frame:
        push    edi
        push    ecx
        mov     eax, [next_frame]
        add     dword [next_frame], 0x1000
        inc     dword [frames_used]
        mov     edi, eax
        push    eax
        mov     ecx, 1024
        xor     eax, eax
        rep     stosd                   ; frames below 4 MiB: identity-mapped
        pop     eax
        pop     ecx
        pop     edi
        ret

        align 4
next_frame:  dd FRAME_POOL
frames_used: dd 0
pf_count:    dd 0

        LAB_PAD
