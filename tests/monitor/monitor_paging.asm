; SPDX-License-Identifier: MIT
; monitor_paging -- a flat -bin program for the monitor test: real mode to
; protected mode to paging (two mode changes to catch), a page mapped away
; from its identity (linear 300000h -> physical 5000h), a store through it
; to watch, and a read of the unmapped 400000h: a #PF to catch by CR2 and
; explain with its page walk.  The #PF handler exits through port F4h.
        bits 16
        org 0x7C00
PD      equ 0x10000                     ; page directory
PT      equ 0x11000                     ; page table for 0-4 MiB
start:
        cli
        xor     ax, ax
        mov     ds, ax
        lgdt    [gdtr]
        mov     eax, cr0
        or      al, 1
        mov     cr0, eax                ; mode change 1: protected
        jmp     0x08:pm32

        bits 32
pm32:
        mov     ax, 0x10
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     esp, 0x9000
        lidt    [idtr]
        ; PT: identity for the first 1 MiB, then 300000h -> 5000h.
        mov     edi, PT
        mov     eax, 0x003              ; present, writable
        mov     ecx, 256
.fill:  mov     [edi], eax
        add     eax, 0x1000
        add     edi, 4
        loop    .fill
        mov     dword [PT + 0x300 * 4], 0x5003
        mov     dword [PD], PT + 3      ; PDE[0]; PDE[1] (400000h up) not present
        mov     eax, PD
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80000000
        mov     cr0, eax                ; mode change 2: paging
        mov     dword [0x300000], 0xCAFEF00D    ; lands at physical 5000h
        mov     eax, [0x400000]         ; #PF: PDE[1] not present
        hlt

pf_handler:
        mov     al, 'P'
        out     0xE9, al
        mov     al, 10
        out     0xE9, al
        xor     al, al
        out     0xF4, al
        hlt

        align 8
gdt:    dq      0
        dq      0x00CF9A000000FFFF      ; 08h: flat 32-bit code
        dq      0x00CF92000000FFFF      ; 10h: flat data
gdtr:   dw      gdtr - gdt - 1
        dd      gdt
idt:    times 14 dq 0
        dw      pf_handler, 0x08, 0x8E00, 0     ; 0Eh: #PF interrupt gate (handler below 64 KiB)
idtr:   dw      idtr - idt - 1
        dd      idt
