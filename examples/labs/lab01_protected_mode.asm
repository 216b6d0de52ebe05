; SPDX-License-Identifier: MIT
; Lab 1 -- from real mode to protected mode and back.
;
; The CPU starts in real mode (SDM vol. 3A 9.1): an address is segment * 16
; + offset, there are no privilege levels, and the BIOS's INT 10h prints for
; us.  Protected mode (SDM 9.9.1, "Switching to Protected Mode") takes five
; steps:
;   1. disable interrupts (the real-mode interrupt vectors mean nothing to a
;      protected-mode CPU);
;   2. LGDT: tell the CPU where the Global Descriptor Table is (SDM 3.5.1);
;   3. set CR0.PE, bit 0 (SDM 2.5);
;   4. a far JMP straight away: it loads CS with a selector of the GDT, whose
;      descriptor now decides CS's base, limit and 32-bit default size;
;   5. load DS, ES, FS, GS, SS with data-segment selectors.
; After step 3 the segment registers still hold the real-mode bases in their
; hidden parts (the "descriptor cache", SDM 3.4.3); a selector only means a
; GDT entry when it is loaded again, which is why the far jump matters.
; Then the lab goes back (SDM 9.9.2) and the BIOS prints again.
%include "boot.inc"
%include "console.inc"
%include "pm.inc"

        bits 16
lab_main:
        SAY     "Lab 1: real mode -> protected mode -> real mode"
        ; In real mode CS is a paragraph number: the linear address of
        ; CS:IP is CS * 16 + IP.
        PUTS    "real mode: CS="
        mov     ax, cs
        HEX4    eax
        PUTS    " CR0="
        mov     eax, cr0
        HEX     eax
        SAY     " (PE=0), printing through INT 10h"

        ; Steps 1-5 (ENTER_PM in lib/pm.inc does them, read it):
        ENTER_PM
        ; 32-bit code from here: CS = 0008h is GDT entry 1, base 0, limit 4 GiB.
        PUTS    "protected mode: CS="
        mov     ax, cs
        HEX4    eax
        PUTS    " DS="
        mov     ax, ds
        HEX4    eax
        PUTS    " CR0="
        mov     eax, cr0
        HEX     eax
        SAY     " (PE=1)"
        ; A selector is an index, not a paragraph: 0008h = index 1, TI=0
        ; (GDT), RPL 0 (SDM 3.4.2, figure 3-6).
        PUTS    "selector 0008h = GDT index "
        mov     eax, SEL_CODE0
        shr     eax, 3
        DEC     eax
        PUTS    ", its descriptor "
        HEX     [lab_gdt + SEL_CODE0 + 4]
        PUTC    '_'
        HEX     [lab_gdt + SEL_CODE0]
        SAY     ""
        ; No BIOS now: this line goes straight into the VGA text buffer.
        SAY     "no BIOS here: this text was written to B8000h by the lab itself"
        ; 32-bit offsets work: read a byte 1 MiB up, far beyond a real-mode
        ; segment's 64 KiB (the A20 gate is open on our machine).
        mov     dword [0x100000], 0x1234ABCD
        PUTS    "a 32-bit offset: [00100000h] = "
        HEX     [0x100000]
        SAY     ""

        LEAVE_PM
        ; 16-bit real mode again: the BIOS works again.
        PUTS    "back in real mode: CR0="
        mov     eax, cr0
        HEX     eax
        SAY     ", INT 10h prints again"
        SAY     "lab 1 done"
        LAB_EXIT 0

        LAB_PAD
