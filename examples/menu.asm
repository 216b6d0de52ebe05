; SPDX-License-Identifier: MIT
; The built-in default guest: a boot floppy with a text-mode menu.  The boot
; sector loads the rest of the program from the following sectors through
; INT 13h, then the menu uses only BIOS services (INT 10h text output,
; INT 16h keys), so it runs the same under any PC BIOS.  Everything printed
; is also mirrored to the 0xE9 debug console for headless runs.
        bits 16
        org 0x7C00

DEBUGCON        equ 0xE9
PROGRAM_SECTORS equ 16          ; sectors 2-17 of track 0, head 0: 8 KiB

boot:
        cli
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov sp, 0x7C00
        sti
        cld
        mov [boot_drive], dl
        mov bx, 0x7E00          ; ES:BX = where the rest goes
        mov ax, 0x0200 | PROGRAM_SECTORS
        mov cx, 0x0002          ; cylinder 0, sector 2
        xor dh, dh              ; head 0
        int 0x13
        jc .load_failed
        jmp main
.load_failed:
        mov si, msg_load_failed
        call print
        hlt
        jmp $

; print: the NUL-terminated string at DS:SI, on the screen and on 0xE9.
print:
        lodsb
        test al, al
        jz .done
        call print_char
        jmp print
.done:
        ret

print_char:
        push ax
        push bx
        out DEBUGCON, al
        mov ah, 0x0E
        mov bx, 0x0007
        int 0x10
        pop bx
        pop ax
        ret

msg_load_failed db "Faultline menu: could not read the program from the disk", 13, 10, 0
boot_drive      db 0
        times 510 - ($ - $$) db 0
        dw 0xAA55

; ---- sector 2 on: the menu ----
main:
        mov ax, 0x0003          ; 80x25 colour text, clears the screen
        int 0x10
.menu:
        mov si, msg_menu
        call print
.key:
        xor ah, ah
        int 0x16                ; AL = character
        cmp al, '1'
        je .selfcheck
        cmp al, '2'
        je .identify
        cmp al, '3'
        je .keyboard
        cmp al, '4'
        je .reboot
        jmp .key
.selfcheck:
        mov byte [failures], 0
        mov si, msg_banner
        call print
        call cpu_selfcheck
        mov si, msg_summary
        call print
        mov al, [failures]
        add al, '0'
        call print_char
        mov si, msg_failed
        call print
        jmp .wait
.identify:
        call cpu_identify
        jmp .wait
.keyboard:
        call keyboard_test
        jmp .menu
.reboot:
        mov si, msg_rebooting
        call print
        int 0x19
.wait:
        mov si, msg_any_key
        call print
        xor ah, ah
        int 0x16
        jmp .menu

; keyboard_test: shows each key's scan code and character until Esc.
keyboard_test:
        mov si, msg_keyboard
        call print
.next:
        xor ah, ah
        int 0x16
        push ax
        mov si, msg_scan
        call print
        mov al, ah
        call print_hex8
        mov si, msg_char
        call print
        pop ax
        push ax
        cmp al, ' '
        jb .no_char
        call print_char
.no_char:
        mov si, msg_newline
        call print
        pop ax
        cmp al, 27
        jne .next
        ret

print_hex8:
        push ax
        shr al, 4
        call .digit
        pop ax
        and al, 0x0F
.digit:
        add al, '0'
        cmp al, '9'
        jbe .out
        add al, 'A' - '9' - 1
.out:
        jmp print_char

%include "cpucheck.inc"

msg_menu        db 13, 10, "Faultline built-in guest", 13, 10
                db "------------------------", 13, 10
                db "  1  CPU self-check (arithmetic, strings, bit operations)", 13, 10
                db "  2  Which CPU is this? (EFLAGS and CPUID, as DOS programs ask)", 13, 10
                db "  3  Keyboard test (scan codes; Esc returns)", 13, 10
                db "  4  Reboot", 13, 10
                db "Choose 1-4: ", 0
msg_any_key     db "Press any key for the menu.", 13, 10, 0
msg_keyboard    db 13, 10, "Keyboard test: press keys, Esc returns to the menu.", 13, 10, 0
msg_scan        db "scan code ", 0
msg_char        db "  character ", 0
msg_rebooting   db 13, 10, "Rebooting...", 13, 10, 0
failures        db 0
        times PROGRAM_SECTORS * 512 + 512 - ($ - $$) db 0
