; SPDX-License-Identifier: MIT
; Lab 2 -- a GDT of our own and segment limits.
;
; In protected mode a segment register holds a selector; the descriptor it
; selects (SDM vol. 3A 3.4.5, figure 3-8) gives the segment's base, its limit
; and its type.  Every access at offset O of N bytes is checked: O + N - 1
; must not exceed the limit, or the CPU raises #GP(0) (#SS(0) for the stack
; segment) before anything is written (SDM 5.3, "Limit Checking").  With
; G=0 the limit counts bytes; with G=1 it counts 4 KiB pages, so the last
; valid offset is limit * 4096 + 4095.
; The descriptor is copied into the hidden part of the segment register when
; the selector is loaded (SDM 3.4.3): changing the GDT afterwards changes
; nothing until the register is loaded again.
; Loading a selector whose index lies past the GDT's limit (GDTR.limit) is
; #GP(selector) (SDM 5.3, which covers the descriptor tables too); a far jump
; past the new CS's limit is #GP(0).
;
; QEMU's TCG does not check the limit on a data access at all (it does check
; descriptor-table limits and the CS limit of a far jump); under QEMU the lab
; says so instead of faulting.
%include "boot.inc"
%include "console.inc"
%include "pm.inc"

SEL_SMALL equ SEL_FREE              ; 40h: data, base 20000h, limit 0FFFh
SEL_CODE_SMALL equ SEL_FREE + 8     ; 48h: code, base 0, limit 0BFFFh
SMALL_BASE equ 0x20000

        bits 16
lab_main:
        SAY     "Lab 2: a GDT and segment limits"
        ENTER_PM
        ; A 4 KiB data segment at 20000h: G=0, so the limit is in bytes.
        SET_DESC SEL_SMALL, SMALL_BASE, 0xFFF, ACC_DATA0, FLG_32
        PUTS    "GDT[8] (selector 0040h) = "
        HEX     [lab_gdt + SEL_SMALL + 4]
        PUTC    '_'
        HEX     [lab_gdt + SEL_SMALL]
        SAY     ": data, base 00020000, limit 00000FFF, byte granular"
        mov     ax, SEL_SMALL
        mov     fs, ax
        mov     dword [fs:0], 0x11111111        ; first byte of the segment
        mov     dword [fs:0xFFC], 0x22222222    ; the last four bytes
        PUTS    "wrote FS:0 and FS:0FFC; through flat DS, [00020FFC] = "
        HEX     [SMALL_BASE + 0xFFC]
        SAY     " (base + offset)"

        ; A dword at 0FFDh covers 0FFDh-1000h: one byte past the limit.
        SAY     "writing a dword at FS:0FFD (its last byte is past the limit)..."
        ON_FAULT .after_limit
.limit_write:
        mov     dword [fs:0xFFD], 0x33333333
        ON_QEMU
        jne     .qemu_no_check
        SAY     "  no fault?! (a real CPU raises #GP(0) here)"
        LAB_EXIT 1
.qemu_no_check:
        mov     dword [fault_resume], 0
        SAY     "  no fault: QEMU's TCG does not check data segment limits (a real CPU does)"
        jmp     .granularity
.after_limit:
        PUTS    "  the #GP points at the MOV itself ("
        HEX     .limit_write
        SAY     "): a fault is reported before the instruction, which did nothing"
        PUTS    "  [00021000] still holds "
        HEX     [SMALL_BASE + 0x1000]
        SAY     ""

.granularity:
        ; Same descriptor with G=1 and limit 1: the segment is 8 KiB now.
        SET_DESC SEL_SMALL, SMALL_BASE, 1, ACC_DATA0, FLG_32_4K
        SAY     "GDT[8] now has G=1, limit 1: offsets up to 1FFFh"
        mov     ax, SEL_SMALL                   ; reload: the cache is stale
        mov     fs, ax
        mov     dword [fs:0x1800], 0x44444444
        PUTS    "after reloading FS, FS:1800 works: [00021800] = "
        HEX     [SMALL_BASE + 0x1800]
        SAY     ""

        ; Our GDT has 16 entries, GDTR.limit = 7Fh; selector 80h is index 16.
        SAY     "loading GS with selector 0080h (index 16, GDT limit 007F)..."
        ON_FAULT .after_index
        mov     ax, 0x80
        mov     gs, ax
        SAY     "  no fault?!"
        LAB_EXIT 1
.after_index:
        SAY     "  #GP with the selector as its error code: the table is too short"

        ; A code segment ending at 0BFFFh, and a far jump beyond it.
        SET_DESC SEL_CODE_SMALL, 0, 0xBFFF, ACC_CODE0, FLG_32
        SAY     "far JMP 0048:0000C000, one byte past CS limit 0000BFFF..."
        ON_FAULT .after_jump
        jmp     SEL_CODE_SMALL:0xC000
.after_jump:
        SAY     "  #GP(0): the target is checked before CS changes"
        SAY     "lab 2 done"
        LAB_EXIT 0

        LAB_PAD
