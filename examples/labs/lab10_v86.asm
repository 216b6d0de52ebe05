; SPDX-License-Identifier: MIT
; Lab 10 -- virtual-8086 mode and a tiny monitor.
;
; With EFLAGS.VM set (SDM vol. 3B ch. 20, "8086 Emulation") the CPU runs
; 16-bit real-mode code inside protected mode: addresses are segment * 16 +
; offset again, but paging and the protection of I/O and interrupts stay in
; force, and the code runs at CPL 3.  A ring-0 "virtual-8086 monitor" enters
; V86 mode with an IRETD whose EFLAGS image has VM=1 (the CPU pops EIP, CS,
; EFLAGS, ESP, SS, ES, DS, FS, GS, SDM 20.2.5).
; With IOPL < 3 the IOPL-sensitive instructions -- CLI, STI, PUSHF, POPF,
; INT n, IRET -- raise #GP(0) (SDM 20.2.7), and every exception goes to a
; ring-0 handler with the V86 segment registers pushed too (SDM 20.3.1.1).
; The monitor then decides: it emulates the instruction (here: CLI and STI
; change a "virtual IF", INT 21h AH=02h prints the character in DL, the way
; DOS did) and steps IP over it, or ends the V86 program (HLT).
; This is how Windows 386 enhanced mode and EMM386 ran DOS programs.
%include "boot.inc"
%include "console.inc"
%include "pm.inc"

EFL_VM  equ 0x00020000
V86_SS  equ 0x0000
V86_SP  equ 0x3000                  ; 2000h-2FFFh: the V86 stack

        bits 16
lab_main:
        SAY     "Lab 10: virtual-8086 mode"
        ENTER_PM
        SET_GATE 13, SEL_CODE0, monitor_gp, GATE_INT32
        SAY     "IRETD with EFLAGS.VM=1 and IOPL 0 into 16-bit code at 0000:v86_program"
        mov     [monitor_esp], esp
        push    dword 0                 ; GS
        push    dword 0                 ; FS
        push    dword 0x0040            ; DS: the BIOS data area segment
        push    dword 0                 ; ES
        push    dword V86_SS
        push    dword V86_SP
        push    dword EFL_VM | 0x2      ; EFLAGS: VM, IOPL 0, IF 0
        push    dword 0                 ; CS
        push    dword v86_program       ; IP (below 64 KiB, so CS = 0 works)
        iretd
v86_done:                               ; the monitor comes here at HLT
        mov     esp, [monitor_esp]
        PUTS    "monitor: the V86 program ended with HLT after "
        DEC     [traps]
        PUTS    " traps to the monitor; its virtual IF is "
        DEC     [virtual_if]
        SAY     ""
        SAY     "lab 10 done"
        LAB_EXIT 0

; ---- the V86 program: plain 8086 code ----
        bits 16
v86_program:
        mov     al, [0x49]              ; DS = 0040h: BIOS data, video mode
        mov     [cs:v86_mode], al       ; (linear 0449h, segment * 16 + offset)
        cli                             ; traps: IOPL 0 < 3
        mov     si, v86_message
.next:  mov     dl, [cs:si]
        test    dl, dl
        jz      .done
        mov     ah, 0x02                ; "DOS: print the character in DL"
        int     0x21                    ; traps: the monitor prints it
        inc     si
        jmp     .next
.done:  sti                             ; traps
        hlt                             ; privileged: traps, and ends us
v86_mode:    db 0
v86_message: db "  (V86) hello from 8086 code, printing through INT 21h", 10, 0

; ---- the monitor: #GP handler ----
; The frame (SDM figure 20-2, the ring-0 stack after a trap from V86 mode):
; [ESP] error code,
; +4 EIP, +8 CS, +12 EFLAGS, +16 ESP, +20 SS, +24 ES, +28 DS, +32 FS, +36 GS.
        bits 32
monitor_gp:
        push    eax
        mov     ax, SEL_DATA0           ; the CPU loaded null into DS..GS
        mov     ds, ax
        mov     es, ax
        pop     eax
        test    dword [esp + 12], EFL_VM
        jz      exc_stub_13             ; not from V86: the usual report
        pushad
        mov     ebp, esp                ; the CPU's frame starts at EBP + 32
        inc     dword [traps]
        movzx   esi, word [ebp + 32 + 8]
        shl     esi, 4
        movzx   ecx, word [ebp + 32 + 4]
        add     esi, ecx                ; ESI = CS * 16 + IP
        mov     al, [esi]
        cmp     al, 0xFA
        je      .cli
        cmp     al, 0xFB
        je      .sti
        cmp     al, 0xCD
        je      .int
        cmp     al, 0xF4
        je      .hlt
        PUTS    "monitor: cannot emulate opcode "
        HEX2    eax
        SAY     ""
        LAB_EXIT 1
.cli:   mov     dword [virtual_if], 0
        SAY     "monitor: #GP(0) on CLI, virtual IF = 0"
        mov     ecx, 1
        jmp     .skip
.sti:   mov     dword [virtual_if], 1
        SAY     "monitor: #GP(0) on STI, virtual IF = 1"
        mov     ecx, 1
        jmp     .skip
.int:   cmp     byte [esi + 1], 0x21
        jne     .bad_int
        mov     eax, [ebp + 28]         ; the saved EAX (pushad order)
        cmp     ah, 0x02
        jne     .bad_int
        mov     eax, [ebp + 20]         ; the saved EDX: DL = the character
        cmp     dword [int21_seen], 0
        jne     .print
        mov     dword [int21_seen], 1
        SAY     "monitor: #GP(0) on INT 21h; emulating DOS function 02h for each one:"
.print: con_call con_putc
        mov     ecx, 2
        jmp     .skip
.bad_int:
        SAY     "monitor: unsupported INT"
        LAB_EXIT 1
.hlt:   PUTS    "monitor: #GP(0) on HLT; the program read video mode "
        movzx   eax, byte [v86_mode]
        HEX2    eax
        SAY     "h from 0040:0049"
        jmp     v86_done
.skip:  add     word [ebp + 32 + 4], cx ; step IP over the instruction
        popad
        add     esp, 4                  ; the error code
        iretd                           ; back to V86 mode (VM=1 in the image)

        align 4
monitor_esp: dd 0
traps:       dd 0
virtual_if:  dd 1
int21_seen:  dd 0

        LAB_PAD
