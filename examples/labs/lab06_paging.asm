; SPDX-License-Identifier: MIT
; Lab 6 -- paging on, with an identity map.
;
; With CR0.PG set (SDM vol. 3A 2.5, 4.1) every linear address (what the
; segments produce) is translated to a physical address through the page
; tables that CR3 points at (SDM 4.3, figure 4-2): PDE = PD[lin >> 22],
; PTE = PT[(lin >> 12) & 3FFh], physical = PTE frame + (lin & FFFh).
; The instruction after the MOV CR0 is fetched through paging already, so
; the page holding it must map to itself: an identity map (SDM 9.9.1).
; One physical page may have several linear addresses: the lab maps the
; screen (physical B8000h) a second time at linear 400000h and writes text
; through that alias.  The CPU sets the Accessed bit of every entry it uses
; and the Dirty bit of a PTE it writes through (SDM 4.8).
%include "boot.inc"
%include "console.inc"
%include "pm.inc"
%include "paging.inc"

PT1_BASE equ 0x22000                ; the page table of linear 4-8 MiB
ALIAS    equ 0x400000               ; linear address of the screen alias

        bits 16
lab_main:
        SAY     "Lab 6: paging with an identity map"
        ENTER_PM
        mov     eax, PG_P | PG_RW
        call    paging_identity
        ; PDE 1 -> PT1, whose PTE 0 maps linear 400000h to physical B8000h.
        mov     edi, PT1_BASE
        mov     ecx, 1024
        xor     eax, eax
        rep     stosd
        mov     dword [PT1_BASE], 0xB8000 | PG_P | PG_RW
        mov     dword [PD_BASE + 4], PT1_BASE | PG_P | PG_RW
        SAY     "page directory at 00020000: PDE 0 -> page table 00021000 (identity 0-4 MiB)"
        SAY     "                            PDE 1 -> page table 00022000 (PTE 0 -> 000B8000)"
        PAGING_ON
        PUTS    "paging is on: CR0="
        mov     eax, cr0
        HEX     eax
        PUTS    " CR3="
        mov     eax, cr3
        HEX     eax
        SAY     ""
        SAY     "and this code still runs: its linear addresses map to themselves"

        ; Translate one address by hand, as the CPU does.
        mov     ebx, lab_main
        PUTS    "walk of "
        HEX     ebx
        PUTS    ": PDE["
        mov     eax, ebx
        shr     eax, 22
        HEX4    eax
        PUTS    "]="
        HEX     [PD_BASE + eax * 4]
        PUTS    " PTE["
        mov     eax, ebx
        shr     eax, 12
        and     eax, 0x3FF
        HEX4    eax
        PUTS    "]="
        HEX     [PT0_BASE + eax * 4]
        PUTS    " -> physical "
        mov     eax, [PT0_BASE + eax * 4]
        and     eax, 0xFFFFF000
        mov     ecx, ebx
        and     ecx, 0xFFF
        or      eax, ecx
        HEX     eax
        SAY     ""

        ; The alias: write on the screen through linear 400000h.
        PUTS    "PTE of the alias before: "
        HEX     [PT1_BASE]
        SAY     " (A=0, D=0)"
        movzx   eax, byte [BDA_CURSOR + 1]      ; the current row
        mov     [alias_row], eax
        imul    edi, eax, 160
        add     edi, ALIAS
        mov     esi, alias_text
        mov     ah, 0x1E                ; yellow on blue
.put:   lodsb
        test    al, al
        jz      .done
        mov     [edi], ax
        add     edi, 2
        jmp     .put
.done:  mov     esi, alias_text         ; the console gets a copy
.e9:    lodsb
        test    al, al
        jz      .e9done
        out     DEBUGCON, al
        jmp     .e9
.e9done:
        mov     al, 10
        out     DEBUGCON, al
        inc     byte [BDA_CURSOR + 1]   ; keep our own output below it
        PUTS    "PTE of the alias after:  "
        HEX     [PT1_BASE]
        SAY     " (A=1, D=1: the CPU marked it)"
        PUTS    "through the identity map, the word at 000B8000 + row*160 = "
        imul    eax, [alias_row], 160
        HEX4    [0xB8000 + eax]
        SAY     " (1Eh 't': the same physical bytes)"

        PAGING_OFF
        SAY     "paging off again"
        SAY     "lab 6 done"
        LAB_EXIT 0

alias_row:  dd 0
alias_text: db "this line was written through linear 00400000, the screen's alias", 0

        LAB_PAD
