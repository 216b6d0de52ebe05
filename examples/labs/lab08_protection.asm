; SPDX-License-Identifier: MIT
; Lab 8 -- user/supervisor pages and write protection (CR0.WP).
;
; Each paging entry has two rights bits (SDM vol. 3A 4.6, table 4-5/4-6):
; U/S (bit 2): 0 = supervisor only, 1 = user code (CPL 3) may use the page;
; R/W (bit 1): 0 = read-only.  The rights of PDE and PTE combine: both must
; allow.  A violation is a #PF with P=1 in the error code (a protection
; fault, not a missing page), W for a write, U for CPL 3.
; Supervisor code (CPL 0-2) may by default write read-only pages; CR0.WP
; (bit 16, SDM 2.5) makes it obey R/W too -- which is what lets an OS
; implement copy-on-write for its own writes to user memory.
; The lab maps 0-4 MiB 1:1 as user pages (so ring 3 can run this code and
; use its stack), except one supervisor page and one read-only page.
%include "boot.inc"
%include "console.inc"
%include "pm.inc"
%include "paging.inc"

SUPER_PAGE equ 0x30000              ; U/S=0
RO_PAGE    equ 0x31000              ; R/W=0, U/S=1

        bits 16
lab_main:
        SAY     "Lab 8: user/supervisor pages and CR0.WP"
        ENTER_PM
        mov     eax, PG_P | PG_RW | PG_US
        call    paging_identity
        mov     dword [SUPER_PAGE], 0x5EC12E7
        mov     dword [RO_PAGE], 0x12345678
        mov     dword [PTE_OF(SUPER_PAGE)], SUPER_PAGE | PG_P | PG_RW
        mov     dword [PTE_OF(RO_PAGE)], RO_PAGE | PG_P | PG_US
        PUTS    "PTE of 00030000 = "
        HEX     [PTE_OF(SUPER_PAGE)]
        SAY     " (P RW, supervisor)"
        PUTS    "PTE of 00031000 = "
        HEX     [PTE_OF(RO_PAGE)]
        SAY     " (P US, read-only)"
        PAGING_ON

        SAY     "ring 3 reads [00031000] (user, read-only): allowed; then writes it..."
        ON_FAULT .after_user_write
        ENTER_RING3 user_write
.after_user_write:
        PUTS    "  ring 3 had read "
        HEX     [user_seen]
        SAY     "; the write is #PF error 7 = P|W|U"

        SAY     "ring 3 reads [00030000] (a supervisor page)..."
        ON_FAULT .after_user_read
        ENTER_RING3 user_read
.after_user_read:
        SAY     "  #PF error 5 = P|U: a user read of a supervisor page"

        SAY     "ring 0 writes [00031000] with CR0.WP=0..."
        mov     dword [RO_PAGE], 0xAAAAAAAA
        PUTS    "  allowed: [00031000] = "
        HEX     [RO_PAGE]
        SAY     " (supervisor writes ignore R/W while WP=0)"

        mov     eax, cr0
        or      eax, CR0_WP
        mov     cr0, eax
        SAY     "ring 0 writes [00031000] with CR0.WP=1..."
        ON_FAULT .after_wp
        mov     dword [RO_PAGE], 0xBBBBBBBB
.after_wp:
        PUTS    "  #PF error 3 = P|W, at CPL 0; [00031000] still "
        HEX     [RO_PAGE]
        SAY     ""
        PAGING_OFF
        SAY     "lab 8 done"
        LAB_EXIT 0

        bits 32
user_write:
        mov     eax, [RO_PAGE]          ; a user read of a user page: fine
        mov     [user_seen], eax        ; user_seen is on a user RW page
        mov     dword [RO_PAGE], 0      ; #PF(P|W|U)
        jmp     $
user_read:
        mov     eax, [SUPER_PAGE]       ; #PF(P|U)
        jmp     $

        align 4
user_seen: dd 0

        LAB_PAD
