; SPDX-License-Identifier: MIT
; Lab 3 -- privilege levels and a call gate.
;
; Every segment descriptor has a DPL (descriptor privilege level); the CPU
; runs at CPL, the low two bits of CS (SDM vol. 3A 5.5).  Code at CPL 3 may
; load a data segment only if max(CPL, RPL) <= DPL (SDM 5.6), so ring 3
; cannot even point DS at ring 0's data: #GP(selector).
; The only ways inward are gates.  A call gate (SDM 5.8.2-5.8.5) is a GDT
; entry holding a selector:offset of more privileged code and its own DPL
; (who may use the gate).  A far CALL through it from ring 3 to ring 0
; switches stacks: the CPU takes SS0:ESP0 from the TSS and pushes the
; caller's SS, ESP, CS and EIP there (figure 5-13); RETF goes back out.
; Privileged instructions (HLT, LGDT, MOV CRn..., SDM 5.9) need CPL 0, and CLI/STI
; need CPL <= IOPL (SDM 6.8.1): at ring 3 with IOPL 0 they raise #GP(0).
%include "boot.inc"
%include "console.inc"
%include "pm.inc"

SEL_GATE equ SEL_FREE | 3           ; 43h: a call gate with DPL 3

        bits 16
lab_main:
        SAY     "Lab 3: privilege levels and a call gate"
        ENTER_PM
        ; The gate: DPL 3 (ring 3 may call it), target SEL_CODE0:gate_entry.
        mov     edi, lab_gdt + SEL_FREE
        mov     eax, gate_entry
        mov     bx, SEL_CODE0
        mov     cl, GATE_CALL32 | DPL3
        mov     ch, 0                   ; no parameters copied
        call    pm_write_gate
        PUTS    "GDT[8] (selector 0043h) = "
        HEX     [lab_gdt + SEL_FREE + 4]
        PUTC    '_'
        HEX     [lab_gdt + SEL_FREE]
        SAY     ": 32-bit call gate, DPL 3, to 0008:gate_entry"

        ; 1. Ring 3 tries to load a ring-0 data segment.
        SAY     "ring 3: MOV DS, 0010h (a DPL 0 data segment)..."
        ON_FAULT .after_ds
        ENTER_RING3 ring3_load_ds
.after_ds:
        SAY     "  #GP(0010): CPL 3 > DPL 0, the error code is the selector"

        ; 2. Ring 3 calls the gate, the gate's code prints and returns.
        SAY     "ring 3: CALL 0043:0 (the call gate)..."
        ON_FAULT .after_cli
        ENTER_RING3 ring3_call_gate
.after_cli:
        SAY     "  #GP(0): CLI at CPL 3 with IOPL 0"
        SAY     "lab 3 done"
        LAB_EXIT 0

        bits 32
ring3_load_ds:
        mov     ax, SEL_DATA0
        mov     ds, ax                  ; #GP(0010h)
        jmp     $

ring3_call_gate:
        mov     eax, 0x12345678         ; a value for the gate to show
        call    SEL_GATE:0              ; the offset is ignored: the gate has one
        ; back at CPL 3.  Ring 3 cannot print (no port access, IOPL 0); the
        ; gate printed for us.  Now something ring 3 may not do:
        cli
        jmp     $

; Runs at CPL 0 on the TSS's ring-0 stack.  The frame (figure 5-13):
;   [ESP] caller EIP, [ESP+4] caller CS, [ESP+8] caller ESP, [ESP+12] caller SS.
gate_entry:
        push    ds
        push    es
        push    eax
        mov     ax, SEL_DATA0
        mov     ds, ax
        mov     es, ax
        pop     eax
        PUTS    "  in the gate: CS="
        push    eax
        mov     ax, cs
        HEX4    eax
        PUTS    " (CPL "
        and     eax, 3
        DEC     eax
        PUTS    ") EAX="
        pop     eax
        HEX     eax
        PUTS    " ESP="
        HEX     esp
        SAY     " (from TSS.ESP0)"
        mov     ebp, esp                ; the frame, above our two pushes
        PUTS    "  the CPU pushed: caller EIP="
        HEX     [ebp + 8]
        PUTS    " CS="
        HEX4    [ebp + 12]
        PUTS    " ESP="
        HEX     [ebp + 16]
        PUTS    " SS="
        HEX4    [ebp + 20]
        SAY     ""
        pop     es
        pop     ds
        retf                            ; back to CPL 3 (pops EIP, CS, ESP, SS)

        LAB_PAD
