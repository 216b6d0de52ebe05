; SPDX-License-Identifier: MIT
; A flat real-mode program for `faultline -bin` (loaded at 0000:7C00, no
; BIOS): identifies the CPU and runs the self-checks of cpucheck.inc, prints
; on the 0xE9 debug console and leaves through the exit port (0xF4) with the
; number of failed checks as its status.
        bits 16
        org 0x7C00

DEBUGCON equ 0xE9
EXITPORT equ 0xF4

start:
        cli
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov sp, 0x7C00
        cld
        mov si, msg_banner
        call print
        call cpu_identify
        call cpu_selfcheck
        mov si, msg_summary
        call print
        mov al, [failures]
        add al, '0'
        call print_char
        mov si, msg_failed
        call print
        mov al, [failures]
        out EXITPORT, al
        hlt
        jmp $

print_char:
        out DEBUGCON, al
        ret

; print: the NUL-terminated string at DS:SI to the debug console.
print:
        lodsb
        test al, al
        jz .done
        out DEBUGCON, al
        jmp print
.done:
        ret

%include "cpucheck.inc"
failures        db 0
