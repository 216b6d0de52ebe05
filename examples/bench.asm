; SPDX-License-Identifier: MIT
; A CPU benchmark guest for `-bin`: a fixed mix of integer work (CRC-32 over a
; 4 KiB buffer, bytewise and with 32-bit shifts; REP MOVSW copies; a
; multiply/divide chain; far calls through the stack) repeated ROUNDS times,
; then it exits through port 0xF4.  scripts/bench.sh reports the guest MIPS.
        bits 16
        org 0x7C00

ROUNDS equ 200

start:
        cli
        xor ax, ax
        mov ds, ax
        mov ss, ax
        mov sp, 0x7C00
        mov ax, 0x1000
        mov es, ax
        cld
        mov word [round], ROUNDS
.round:
        ; CRC-32 over 4 KiB of code bytes at 0000:7C00
        mov si, 0x7C00
        mov cx, 4096
        mov edx, 0xFFFFFFFF
.crc_byte:
        lodsb
        xor dl, al
        mov bx, 8
.crc_bit:
        shr edx, 1
        jnc .no_poly
        xor edx, 0xEDB88320
.no_poly:
        dec bx
        jnz .crc_bit
        loop .crc_byte
        mov [crc], edx
        ; copy 8 KiB to 1000:0000 and back-compare part of it
        xor si, si
        xor di, di
        mov cx, 4096
        rep movsw
        ; multiply/divide chain
        mov cx, 500
        mov eax, 12345
.muldiv:
        mov ebx, 1103515245
        mul ebx
        add eax, 12345
        xor edx, edx
        mov ebx, 7
        div ebx
        inc eax
        loop .muldiv
        ; calls and returns
        mov cx, 1000
.calls:
        call small
        loop .calls
        dec word [round]
        jnz .round
        xor al, al
        out 0xF4, al
        hlt

small:
        push bp
        mov bp, sp
        add ax, [bp + 2]
        pop bp
        ret

round   dw 0
crc     dd 0
