; SPDX-License-Identifier: MIT
; Lab 4 -- interrupts, exceptions and the IDT.
;
; In protected mode the CPU finds the handler of vector N in the Interrupt
; Descriptor Table, entry N, 8 bytes (SDM vol. 3A 6.10, 6.11): a gate with
; the handler's selector:offset.  It pushes EFLAGS, CS and EIP (and an error
; code for some exceptions, table 6-1) and jumps there; IRET returns
; (SDM 6.12.1).  An interrupt gate also clears IF.
; Faults and traps differ in the EIP they push (SDM 6.5): a fault (#DE, #GP,
; #PF...) pushes the address of the faulting instruction, so IRET runs it
; again -- the handler may repair the cause first; a trap (INT3, INT n)
; pushes the address of the next instruction.
; A vector without a present gate is itself a fault: #GP with error code
; vector * 8 + 2 (IDT bit set, SDM 6.13, figure 6-7).
; Hardware interrupts come through the 8259A PICs: the lab moves IRQ 0-15 to
; vectors 20h-2Fh (the BIOS uses 08h-0Fh, which are exception vectors in
; protected mode), programs the 8254 timer (PIT) for 100 Hz and counts ticks;
; each handler ends with an EOI (end of interrupt) to the PIC.
%include "boot.inc"
%include "console.inc"
%include "pm.inc"

PIT_HZ  equ 1193182
TICK_HZ equ 100

        bits 16
lab_main:
        SAY     "Lab 4: interrupts, exceptions and the IDT"
        ENTER_PM
        PUTS    "IDTR: base "
        sidt    [idtr_copy]
        HEX     [idtr_copy + 2]
        PUTS    " limit "
        HEX4    [idtr_copy]
        SAY     " (256 gates of 8 bytes)"

        ; 1. A software interrupt through our own gate.
        SET_GATE 0x30, SEL_CODE0, int30_handler, GATE_INT32
        SAY     "INT 30h..."
        mov     eax, 0xCAFE
        int     0x30
.after_int30:
        PUTS    "  back after INT 30h; the pushed EIP was the next instruction, "
        HEX     .after_int30
        SAY     ""

        ; 2. A fault that the handler repairs: DIV by zero.
        SET_GATE 0, SEL_CODE0, de_handler, GATE_INT32
        SAY     "DIV ECX with ECX = 0..."
        mov     eax, 100
        xor     edx, edx
        xor     ecx, ecx
.div:   div     ecx                     ; #DE: the handler sets ECX = 7
        PUTS    "  the handler set ECX = 7 and returned to the DIV, which ran again: 100 / 7 = "
        DEC     eax
        SAY     ""

        ; 3. A vector with no gate.
        SAY     "INT 31h (no gate in the IDT)..."
        ON_FAULT .after_31
        int     0x31
.after_31:
        SAY     "  #GP(018A): 31h * 8 + 2, the IDT flag says 'an IDT entry'"

        ; 4. The timer: IRQ 0 at vector 20h.
        SET_GATE 0x20, SEL_CODE0, timer_handler, GATE_INT32
        PIC_REMAP 0xFFFE                ; only IRQ 0 unmasked
        mov     al, 0x34                ; PIT channel 0, lo/hi byte, mode 2
        out     0x43, al
        mov     ax, PIT_HZ / TICK_HZ
        out     0x40, al
        mov     al, ah
        out     0x40, al
        SAY     "timer: IRQ 0 -> vector 20h, 100 Hz; STI and HLT until 5 ticks"
        sti
.wait:  hlt                             ; sleeps until the next interrupt
        mov     eax, [ticks]
        cmp     eax, [ticks_seen]
        je      .wait
        mov     [ticks_seen], eax
        PUTS    "  tick "
        DEC     eax
        SAY     ""
        cmp     eax, 5
        jb      .wait
        cli
        mov     al, 0xFF
        out     0x21, al
        SAY     "lab 4 done"
        LAB_EXIT 0

        bits 32
int30_handler:
        mov     ebp, esp
        PUTS    "  INT 30h handler: EAX="
        HEX     eax
        PUTS    ", the CPU pushed EIP="
        HEX     [ebp]
        PUTS    " CS="
        HEX4    [ebp + 4]
        PUTS    " EFLAGS="
        HEX     [ebp + 8]
        SAY     ""
        iretd

; #DE is a fault: the pushed EIP is the DIV itself.
de_handler:
        pushad                          ; [ESP+24] is the saved ECX
        mov     ebp, esp
        PUTS    "  -> #DE at "
        HEX     [ebp + 32]
        SAY     " (the DIV itself); setting the saved ECX to 7"
        mov     dword [ebp + 24], 7
        popad
        iretd

timer_handler:
        push    eax
        inc     dword [ticks]
        mov     al, 0x20                ; EOI to the master PIC
        out     0x20, al
        pop     eax
        iretd

        align 4
ticks:      dd 0
ticks_seen: dd 0
idtr_copy:  times 6 db 0

        LAB_PAD
