; SPDX-License-Identifier: MIT
; A static i386 Linux program that says what it is about to do and then reads
; address 0, which no process maps, so the kernel delivers SIGSEGV: with
; /proc/sys/debug/exception-trace set it logs "segv[PID]: segfault at 0 ip
; ... error 4", and the shell sees the exit status 139 (128 + SIGSEGV).
;   nasm -f elf32 -o segv.o segv.asm && ld -m elf_i386 -static -o segv segv.o
        bits 32
        section .text
        global _start
_start: mov eax, 4              ; write(1, msg, len)
        mov ebx, 1
        mov ecx, msg
        mov edx, msg_len
        int 0x80
        xor eax, eax
        mov eax, [eax]          ; the fault: a user-mode read of page 0
        mov eax, 1              ; exit(0), never reached
        xor ebx, ebx
        int 0x80

        section .rodata
msg:    db "segv: reading address 0", 10
msg_len equ $ - msg
