; SPDX-License-Identifier: MIT
; The built-in guest: a flat real-mode program (loaded at 0000:7C00, no BIOS)
; that tells which CPU it runs on the way DOS programs do -- by which EFLAGS
; bits it can toggle, then CPUID -- runs a few arithmetic self-checks with
; known answers, prints everything on the 0xE9 debug console and leaves
; through the exit port (0xF4): status 0 when every check passed.
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

; ---- which CPU?  (Intel AP-485 and the classic DOS detection sequence) ----
        pushf
        pop ax
        or ax, 0xF000           ; try to set FLAGS bits 12-15
        push ax
        popf
        pushf
        pop ax
        test ax, 0xF000
        jz .is286               ; a 286 keeps them clear in real mode
        cmp ax, 0xF000
        jae .is8086             ; an 8086 keeps them all set
        ; 386 or later: can we toggle EFLAGS.AC (bit 18)?
        pushfd
        pop eax
        mov ecx, eax
        xor eax, 1 << 18
        push eax
        popfd
        pushfd
        pop eax
        push ecx
        popfd
        xor eax, ecx
        test eax, 1 << 18
        jz .is386
        ; 486 or later: can we toggle EFLAGS.ID (bit 21)?
        mov eax, ecx
        xor eax, 1 << 21
        push eax
        popfd
        pushfd
        pop eax
        push ecx
        popfd
        xor eax, ecx
        test eax, 1 << 21
        jz .is486
        mov si, msg_cpuid
        call print
        xor eax, eax
        cpuid
        mov [vendor], ebx
        mov [vendor + 4], edx
        mov [vendor + 8], ecx
        mov si, vendor
        call print
        mov si, msg_family
        call print
        mov eax, 1
        cpuid
        shr eax, 8
        and al, 0x0F
        add al, '0'
        out DEBUGCON, al
        mov si, msg_newline
        call print
        jmp checks
.is8086:
        mov si, msg_8086
        jmp .print_cpu
.is286:
        mov si, msg_286
        jmp .print_cpu
.is386:
        mov si, msg_386
        jmp .print_cpu
.is486:
        mov si, msg_486
.print_cpu:
        call print

; ---- self-checks with known answers ----
checks:
        ; 1. CRC-32 (reflected, polynomial EDB88320) of "123456789" is CBF43926.
        mov si, msg_check_crc
        call print
        mov si, crc_input
        mov cx, 9
        mov edx, 0xFFFFFFFF
.crc_byte:
        lodsb
        xor dl, al
        mov bx, 8
.crc_bit:
        shr edx, 1
        jnc .crc_nopoly
        xor edx, 0xEDB88320
.crc_nopoly:
        dec bx
        jnz .crc_bit
        loop .crc_byte
        not edx
        cmp edx, 0xCBF43926
        call report

        ; 2. 64-bit product, 32-bit divide: 123456789 * 1000 = 123456789000 in EDX:EAX;
        ;    divided by 100000 that is 1234567 remainder 89000.
        mov si, msg_check_muldiv
        call print
        mov eax, 123456789
        mov ecx, 1000
        mul ecx
        mov ecx, 100000
        div ecx
        cmp eax, 1234567
        jne .muldiv_bad
        cmp edx, 89000
.muldiv_bad:
        call report

        ; 3. Packed BCD: 0x1999 + 0x0001 with DAA byte by byte = 0x2000.
        mov si, msg_check_bcd
        call print
        mov al, 0x99
        add al, 0x01
        daa
        mov bl, al              ; 00, carry set
        mov al, 0x19
        adc al, 0x00
        daa                     ; 20
        mov ah, al
        mov al, bl
        cmp ax, 0x2000
        call report

        ; 4. String instructions: REP MOVSB a block, REPE CMPSB it back.
        mov si, msg_check_string
        call print
        mov si, msg_banner
        mov di, scratch
        mov cx, 16
        rep movsb
        mov si, msg_banner
        mov di, scratch
        mov cx, 16
        repe cmpsb
        call report

        ; 5. Bit scan and shifts: BSR of 0x00400000 is 22; SHLD fills from the source.
        mov si, msg_check_bits
        call print
        mov eax, 0x00400000
        bsr ecx, eax
        mov eax, 0x12345678
        mov ebx, 0x9ABCDEF0
        shld eax, ebx, 8        ; 0x3456789A
        cmp eax, 0x3456789A
        jne .bits_bad
        cmp ecx, 22
.bits_bad:
        call report

        mov si, msg_summary
        call print
        mov al, [failures]
        add al, '0'
        out DEBUGCON, al
        mov si, msg_failed
        call print
        mov al, [failures]
        out EXITPORT, al
        hlt
        jmp $

; report: ZF set means the check passed.
report:
        jz .ok
        inc byte [failures]
        mov si, msg_fail
        jmp print
.ok:
        mov si, msg_ok
        ; fall through
; print: the NUL-terminated string at DS:SI to the debug console.
print:
        lodsb
        test al, al
        jz .done
        out DEBUGCON, al
        jmp print
.done:
        ret

msg_banner      db "Faultline built-in guest: real-mode CPU self-check", 13, 10, 0
msg_8086        db "CPU: 8086/8088 (FLAGS 12-15 stuck at 1)", 13, 10, 0
msg_286         db "CPU: 80286 (FLAGS 12-15 stuck at 0)", 13, 10, 0
msg_386         db "CPU: 386 (EFLAGS.AC cannot be toggled)", 13, 10, 0
msg_486         db "CPU: 486 (EFLAGS.ID cannot be toggled, no CPUID)", 13, 10, 0
msg_cpuid       db "CPU: CPUID present, vendor ", 0
msg_family      db ", family ", 0
msg_newline     db 13, 10, 0
msg_check_crc   db "check crc32 ........ ", 0
msg_check_muldiv db "check mul/div ...... ", 0
msg_check_bcd   db "check bcd .......... ", 0
msg_check_string db "check strings ...... ", 0
msg_check_bits  db "check bits/shifts .. ", 0
msg_ok          db "ok", 13, 10, 0
msg_fail        db "FAIL", 13, 10, 0
msg_summary     db "self-check finished: ", 0
msg_failed      db " failed", 13, 10, 0
crc_input       db "123456789"
failures        db 0
vendor          times 13 db 0
scratch         times 16 db 0
