; SPDX-License-Identifier: MIT
; v86_monitor -- a small virtual-8086 monitor in the style of EMM386: DOS-era
; real-mode code (here: a little task, and the BIOS it calls) runs in V86
; mode under paging, and the ring-0 monitor reflects its interrupts to the
; real-mode IVT, emulates one trapped I/O port, and fixes up DMA addresses.
;
; SDM vol. 3B ch. 20 (V86 mode), 20.3.1.2 (a monitor handling interrupts by
; reflecting them to the 8086 program's own handlers), 20.2.8 (I/O), and
; vol. 3A 4.3 (paging).  The pieces:
; * Paging is not the identity: linear page 60000h of the V86 task points
;   at physical 68000h (EMM386 maps EMS and UMB pages like this).  The IVT,
;   the BIOS data area, video memory and the BIOS ROM (F0000h-FFFFFh) stay
;   identity-mapped; every page is user-accessible since V86 code runs at
;   CPL 3.
; * IOPL = 3, so CLI/STI/PUSHF/POPF/IRET run directly (see v86_iopl), and
;   every IDT gate has DPL 0: an INT n from V86 mode then raises
;   #GP(n*8+2) -- error code with the IDT bit set -- and the monitor
;   reflects it: it pushes FLAGS, CS, IP on the V86 stack, clears IF, TF
;   and AC, and continues at the IVT's vector, exactly what INT n does in
;   real mode.  Hardware interrupts (the master PIC is moved to 20h so IRQs
;   do not collide with exceptions) arrive through the IDT and are
;   reflected the same way to IVT 08h-0Fh.
; * The TSS I/O bitmap allows every port except 60h (the keyboard data
;   port); IN from 60h traps with #GP(0) and the monitor emulates it.
; * HLT is privileged: when the BIOS idles with HLT, the monitor steps over
;   it and the BIOS's wait loop tries again (interrupts are on in V86).
; * The floppy DMA controller knows physical addresses only: the BIOS
;   programs it with ES*16+BX, which is right in real mode but not behind
;   our remapping.  For INT 13h AH=02h/03h with a buffer in the remapped
;   page, the monitor hands the BIOS the alias ES:BX that names the
;   physical page, points the return address at a HLT it owns (a "return
;   breakpoint"), and there restores ES:BX and returns to the caller.
;   EMM386's virtual DMA services solve the same problem.
; The V86 task prints a string with INT 10h AH=0Eh (the cursor must move by
; its length), reads floppy sector 0 into 6000:0000 with INT 13h and finds
; the 55AAh boot signature through its own mapping (the physical page 60000h
; stays untouched), asks INT 16h AH=01h for a key (none: ZF=1), and reads
; port 60h (the monitor's value), and waits for the BIOS tick count to
; move (the timer IRQ reflected to INT 08h).  It must run on top of our BIOS and of
; SeaBIOS alike.
%define TEST_NAME "v86_monitor"
%include "boot.inc"
%include "report.inc"
%include "pm.inc"
%include "paging.inc"
%include "v86.inc"

REMAP_LIN   equ 0x60000         ; the task's buffer page ...
REMAP_PHYS  equ 0x68000         ; ... lives here
KBD_VIRTUAL equ 0x1E            ; what the monitor answers for port 60h
TASK_SS     equ 0x3000
TASK_SP     equ 0x1000
EFL_TF      equ 0x100
EFL_AC      equ 0x40000
; pushad layout, then our frame: [ebp + R_*] registers, [ebp + F + V86F_*]
R_EDX   equ 20
R_EBX   equ 16
R_EAX   equ 28
F       equ 32

        bits 16
test_main:
        ENTER_PM
        ; Memory: the physical page behind the remapped one gets the data;
        ; the identity page must stay zero.
        mov     edi, REMAP_LIN
        mov     ecx, 0x1000 / 4
        xor     eax, eax
        rep     stosd
        mov     edi, REMAP_PHYS
        mov     ecx, 0x1000 / 4
        rep     stosd
        mov     eax, PG_P | PG_RW | PG_US
        call    paging_identity32
        mov     dword [PTE_ADDR(REMAP_LIN)], REMAP_PHYS | PG_P | PG_RW | PG_US
        PAGING_ON
        OK      "paging on: linear 60000h -> physical 68000h, the rest identity"

        ; TSS with SS0:ESP0 and a full I/O bitmap; trap port 60h only.
        mov     eax, V86_TSS_FULL_LIMIT
        call    v86_setup32
        or      byte [V86_TSS + V86_IOMAP + 0x60 / 8], 1 << (0x60 % 8)
        ; Our handlers: #GP, and the hardware interrupts.
        SET_GATE_AT IDT_BASE + 13 * 8, SEL_CODE0, mon_gp, GATE_INT32, 0
        xor     esi, esi
.irq_gate:
        mov     eax, [irq_stub_table + esi * 4]
        lea     edi, [IDT_BASE + 0x20 * 8 + esi * 8]
        cmp     esi, 8
        jb      .master
        lea     edi, [IDT_BASE + (0x70 - 8) * 8 + esi * 8]
.master:
        mov     bx, SEL_CODE0
        mov     cl, GATE_INT32
        mov     ch, 0
        call    pm_write_gate32
        inc     esi
        cmp     esi, 16
        jb      .irq_gate
        ; Master 8259 to vectors 20h-27h (ICW1-ICW4), then let only the
        ; timer (IRQ 0) and the floppy (IRQ 6) through; the slave stays at
        ; 70h, all masked.
        mov     al, 0x11
        out     0x20, al
        mov     al, 0x20
        out     0x21, al
        mov     al, 0x04
        out     0x21, al
        mov     al, 0x01
        out     0x21, al
        mov     al, ~((1 << 0) | (1 << 6)) & 0xFF
        out     0x21, al
        mov     al, 0xFF
        out     0xA1, al
        OK      "monitor ready: IOPL 3, DPL-0 gates, port 60h trapped, PIC at 20h"

        ; Into the task: IRETD with VM=1, IOPL=3, IF=1.  Back at its final HLT.
        pushad
        mov     [mon_driver_esp], esp
        push    dword 0                 ; GS
        push    dword 0                 ; FS
        push    dword V86_CS            ; DS: the task's data
        push    dword V86_CS            ; ES
        push    dword TASK_SS
        push    dword TASK_SP
        push    dword EFL_VM | IOPL3 | EFL_IF | 2
        push    dword V86_CS
        push    dword V86_IP(task)
        iretd
mon_back:
        popad
        OK      "V86 task finished"

        movzx   eax, byte [t_cur0]
        add     eax, t_msg_len
        movzx   edx, byte [t_cur1]
        CHECK_EQ edx, eax, "INT 10h: cursor column after the string"
        movzx   eax, byte [t_cur0 + 1]
        movzx   edx, byte [t_cur1 + 1]
        CHECK_EQ edx, eax, "INT 10h: cursor row"
        OK      "INT 10h AH=0Eh teletype, reflected to the video BIOS"
        CHECK_EQ [t_read_ok], 1, "INT 13h AH=02h: CF=0 (AH holds the last status)"
        CHECK_EQ [t_es_after], 0x6000, "INT 13h: ES kept (monitor restored it)"
        CHECK_EQ [t_bx_after], 0, "INT 13h: BX kept"
        CHECK_EQ [t_sig], 0xAA55, "boot signature at 6000:01FE through the V86 mapping"
        CHECK_EQ [dma_fixups], 1, "DMA fix-ups by the monitor"
        cmp     dword [irq6_count], 1
        jae     .irq6_ok
        FAIL    "no floppy IRQ 6 reflected"
.irq6_ok:
        OK      "INT 13h read sector 0 into the remapped page: 55AAh"
        movzx   eax, word [t_flags16]
        and     eax, 0x40
        CHECK_EQ eax, 0x40, "INT 16h AH=01h: ZF=1 (no key)"
        OK      "INT 16h AH=01h reflected: no key"
        movzx   eax, byte [t_port60]
        CHECK_EQ eax, KBD_VIRTUAL, "IN AL,60h: the monitor's value"
        CHECK_EQ [port60_count], 1, "port 60h emulations"
        OK      "IN AL,60h trapped by the I/O bitmap and emulated"
        cmp     dword [irq0_count], 1
        jae     .irq0_ok
        FAIL    "the tick count moved without an IRQ 0 through the monitor"
.irq0_ok:
        OK      "IRQ 0 reflected to INT 08h: the BIOS tick count at 40:6Ch moved"
        PRINT   "  reflected: INT 10h "
        PRINT_HEX [int_count + 0x10 * 4]
        PRINT   ", INT 13h "
        PRINT_HEX [int_count + 0x13 * 4]
        PRINT   ", INT 16h "
        PRINT_HEX [int_count + 0x16 * 4]
        PRINT   ", IRQ 0 "
        PRINT_HEX [irq0_count]
        PRINT   ", IRQ 6 "
        PRINT_HEX [irq6_count]
        PRINT   {10}
        PAGING_OFF
        CHECK_EQ [REMAP_LIN + 0x1FE], 0, "physical page 60000h untouched"
        OK      "the identity page behind the remapping stayed zero"
        PASS

; ---------------------------------------------------------------- monitor
; #GP from V86 mode.  [ebp + F] is the CPU's frame (v86.inc V86F_*), below
; it the task's registers (pushad).
mon_gp:
        pushad
        mov     ebp, esp
        push    dword SEL_DATA0
        pop     ds
        push    ds
        pop     es
        cld
        test    dword [ebp + F + V86F_EFL], EFL_VM
        jz      mon_fatal
        mov     eax, [ebp + F + V86F_ERR]
        test    eax, 2                  ; IDT bit: INT n met a DPL-0 gate
        jnz     .soft_int
        test    eax, eax
        jnz     mon_fatal
        call    v86_csip_linear         ; ESI = linear CS:IP
        mov     al, [esi]
        cmp     al, 0xF4
        je      .hlt
        cmp     al, 0xE4                ; IN AL, imm8
        jne     .not_in_imm
        cmp     byte [esi + 1], 0x60
        jne     mon_fatal
        add     word [ebp + F + V86F_EIP], 2
        jmp     .port60
.not_in_imm:
        cmp     al, 0xEC                ; IN AL, DX
        jne     mon_fatal
        cmp     word [ebp + R_EDX], 0x60
        jne     mon_fatal
        inc     word [ebp + F + V86F_EIP]
.port60:
        mov     byte [ebp + R_EAX], KBD_VIRTUAL
        inc     dword [port60_count]
        jmp     mon_resume

.hlt:   cmp     word [ebp + F + V86F_CS], V86_CS
        jne     .idle
        cmp     word [ebp + F + V86F_EIP], V86_IP(task_exit)
        je      .task_exit
        cmp     word [ebp + F + V86F_EIP], V86_IP(int13_breakpoint)
        je      .int13_return
.idle:  inc     word [ebp + F + V86F_EIP]       ; BIOS idle loop: step over
        inc     dword [idle_count]
        jmp     mon_resume

.task_exit:
        mov     ax, SEL_DATA0
        mov     fs, ax
        mov     gs, ax
        mov     esp, [mon_driver_esp]
        jmp     mon_back

        ; The BIOS returned from a fixed-up INT 13h: give the caller its own
        ; ES:BX back and return to it with the flags the BIOS left (CF, AH).
.int13_return:
        mov     eax, [int13_es]
        mov     [ebp + F + V86F_ES], eax
        mov     ax, [int13_bx]
        mov     [ebp + R_EBX], ax
        mov     eax, [int13_cs]
        mov     [ebp + F + V86F_CS], eax
        mov     eax, [int13_ip]
        mov     [ebp + F + V86F_EIP], eax
        jmp     mon_resume

.soft_int:
        mov     ecx, eax
        shr     ecx, 3
        and     ecx, 0xFF
        call    v86_csip_linear
        cmp     byte [esi], 0xCD        ; only INT imm8 comes here
        jne     mon_fatal
        cmp     [esi + 1], cl
        jne     mon_fatal
        add     word [ebp + F + V86F_EIP], 2    ; the return address
        inc     dword [int_count + ecx * 4]
        cmp     cl, 0x13
        jne     .reflect
        call    int13_dma_fixup
.reflect:
        call    reflect
mon_resume:
        popad
        add     esp, 4                  ; the error code
        iretd

; ESI = the linear address of the V86 CS:IP in the frame.
v86_csip_linear:
        movzx   esi, word [ebp + F + V86F_CS]
        shl     esi, 4
        push    eax
        movzx   eax, word [ebp + F + V86F_EIP]
        add     esi, eax
        pop     eax
        ret

; reflect: ECX = vector.  What INT n does in real mode, done to the V86
; state in the frame: push FLAGS, CS, IP on SS:SP; clear IF, TF, AC;
; CS:IP = IVT[n].  (The monitor sees the V86 stack through the same page
; tables, since its own segments are flat.)
reflect:
        movzx   edi, word [ebp + F + V86F_SS]
        shl     edi, 4
        movzx   eax, word [ebp + F + V86F_ESP]
        sub     ax, 6
        mov     [ebp + F + V86F_ESP], eax
        add     edi, eax
        mov     ax, [ebp + F + V86F_EIP]
        mov     [edi], ax
        mov     ax, [ebp + F + V86F_CS]
        mov     [edi + 2], ax
        mov     ax, [ebp + F + V86F_EFL]
        mov     [edi + 4], ax
        and     dword [ebp + F + V86F_EFL], ~(EFL_IF | EFL_TF | EFL_AC)
        movzx   eax, word [ecx * 4]
        mov     [ebp + F + V86F_EIP], eax
        movzx   eax, word [ecx * 4 + 2]
        mov     [ebp + F + V86F_CS], eax
        ret

; INT 13h read/write into the remapped page: the DMA controller would use
; ES*16+BX as a physical address.  Substitute the real-mode alias of the
; physical page and make the BIOS return to our breakpoint.
int13_dma_fixup:
        mov     al, [ebp + R_EAX + 1]   ; AH
        cmp     al, 0x02
        je      .rw
        cmp     al, 0x03
        jne     .done
.rw:    movzx   eax, word [ebp + F + V86F_ES]
        shl     eax, 4
        movzx   edx, word [ebp + R_EBX]
        add     eax, edx
        mov     edx, eax
        and     edx, ~0xFFF
        cmp     edx, REMAP_LIN
        jne     .done
        mov     edx, [ebp + F + V86F_ES]
        mov     [int13_es], edx
        mov     dx, [ebp + R_EBX]
        mov     [int13_bx], dx
        mov     edx, [ebp + F + V86F_CS]
        mov     [int13_cs], edx
        mov     edx, [ebp + F + V86F_EIP]
        mov     [int13_ip], edx
        sub     eax, REMAP_LIN
        add     eax, REMAP_PHYS
        mov     edx, eax
        and     edx, 0xF
        mov     [ebp + R_EBX], dx
        shr     eax, 4
        mov     [ebp + F + V86F_ES], eax
        mov     dword [ebp + F + V86F_CS], V86_CS
        mov     dword [ebp + F + V86F_EIP], V86_IP(int13_breakpoint)
        inc     dword [dma_fixups]
.done:  ret

; Hardware interrupts: a dummy error code so the frame matches #GP's, the
; registers, and the IVT vector the real-mode world expects.
%assign i 0
%rep 16
irq_stub_ %+ i:
        push    dword 0
        pushad
%if i < 8
        mov     ecx, 0x08 + i
%else
        mov     ecx, 0x70 + i - 8
%endif
        jmp     irq_common
%assign i i + 1
%endrep
irq_stub_table:
%assign i 0
%rep 16
        dd      irq_stub_ %+ i
%assign i i + 1
%endrep

irq_common:
        mov     ebp, esp
        push    dword SEL_DATA0
        pop     ds
        push    ds
        pop     es
        cld
        test    dword [ebp + F + V86F_EFL], EFL_VM
        jz      mon_fatal               ; the monitor runs with IF=0
        cmp     cl, 0x08
        jne     .not0
        inc     dword [irq0_count]
.not0:  cmp     cl, 0x0E
        jne     .not6
        inc     dword [irq6_count]
.not6:  call    reflect
        jmp     mon_resume

mon_fatal:
        call    report_fail_prefix32
        PRINT   "monitor: unexpected trap, error "
        PRINT_HEX [ebp + F + V86F_ERR]
        PRINT   " at "
        PRINT_HEX [ebp + F + V86F_CS]
        PRINT   ":"
        PRINT_HEX [ebp + F + V86F_EIP]
        PRINT   " EFLAGS "
        PRINT_HEX [ebp + F + V86F_EFL]
        call    v86_csip_linear
        PRINT   " bytes "
        PRINT_HEX [esi]
        PRINT   {10}
        mov     al, 1
        jmp     report_exit32

        align 4
mon_driver_esp: dd 0
int13_es:       dd 0
int13_cs:       dd 0
int13_ip:       dd 0
int13_bx:       dw 0
        align 4
dma_fixups:     dd 0
port60_count:   dd 0
idle_count:     dd 0
irq0_count:     dd 0
irq6_count:     dd 0
int_count:      times 256 dd 0

; ---------------------------------------------------------------- V86 task
; CS = DS = 0700h, so an offset is V86_IP(label).  It reports through its
; variables; the monitor checks them once the task is done.
        bits 16
task:
        mov     ah, 0x03                ; cursor position -> DH row, DL column
        xor     bh, bh
        int     0x10
        mov     [V86_IP(t_cur0)], dx
        mov     si, V86_IP(t_msg)
.putc:  lodsb
        test    al, al
        jz      .printed
        mov     ah, 0x0E
        mov     bx, 0x0007
        int     0x10
        jmp     .putc
.printed:
        mov     ah, 0x03
        xor     bh, bh
        int     0x10
        mov     [V86_IP(t_cur1)], dx

        mov     byte [V86_IP(t_tries)], 3
.read:  mov     ax, 0x6000              ; linear 60000h: the remapped page
        mov     es, ax
        xor     bx, bx
        mov     ax, 0x0201              ; read 1 sector
        mov     cx, 0x0001              ; cylinder 0, sector 1
        xor     dh, dh
        mov     dl, [V86_IP(boot_drive)]
        int     0x13
        jnc     .read_ok
        xor     ah, ah                  ; reset, then try again
        mov     dl, [V86_IP(boot_drive)]
        int     0x13
        dec     byte [V86_IP(t_tries)]
        jnz     .read
        jmp     .keyboard
.read_ok:
        mov     byte [V86_IP(t_read_ok)], 1
        mov     [V86_IP(t_es_after)], es
        mov     [V86_IP(t_bx_after)], bx
        mov     ax, [es:0x1FE]
        mov     [V86_IP(t_sig)], ax

.keyboard:
        mov     ah, 0x01                ; keystroke available?  ZF=1: no
        int     0x16
        pushf
        pop     word [V86_IP(t_flags16)]
        in      al, 0x60                ; trapped: the monitor answers
        mov     [V86_IP(t_port60)], al

        ; Wait for a timer tick: IRQ 0, reflected to INT 08h, makes the
        ; BIOS bump the tick count at 40:6Ch.  HLT traps; the monitor steps
        ; over it, like the BIOS's own idle HLTs.
        push    ds
        xor     ax, ax
        mov     ds, ax
        mov     ax, [0x46C]
.tick:  hlt
        cmp     ax, [0x46C]
        je      .tick
        pop     ds
task_exit:
        hlt                             ; back to the monitor

; The monitor points a fixed-up INT 13h's return address here.
int13_breakpoint:
        hlt

t_msg:  db "V86 says hello"
t_msg_len equ $ - t_msg
        db 0
        align 4
t_cur0:     dd 0
t_cur1:     dd 0
t_read_ok:  dd 0
t_es_after: dd 0
t_bx_after: dd 0
t_sig:      dd 0
t_flags16:  dd 0
t_port60:   dd 0
t_tries:    db 0
