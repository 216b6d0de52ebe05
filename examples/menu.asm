; SPDX-License-Identifier: MIT
; The built-in default guest: a boot floppy with a text-mode menu.  The boot
; sector loads the rest of the program from the following sectors through
; INT 13h, then the menu uses only BIOS services (INT 10h text output,
; INT 16h keys), so it runs the same under any PC BIOS.  Everything printed
; is also mirrored to the 0xE9 debug console for headless runs.
; The floppy also carries the teaching labs (examples/labs, docs/labs): lab
; k lives in sectors LAB_FIRST_LBA + k * LAB_SLOT on (INCBIN at the end of
; this file; examples/CMakeLists.txt assembles them first), and the "Labs"
; entry loads one to 7C00h, where it expects to be, and runs it.
        bits 16
        org 0x7C00

DEBUGCON        equ 0xE9
PROGRAM_SECTORS equ 16          ; sectors 2-17 of track 0, head 0: 8 KiB
LAB_FIRST_LBA   equ 18          ; the first lab: cylinder 0, head 1, sector 1
LAB_SLOT        equ 24          ; sectors per lab (examples/labs/lib/boot.inc)
LAB_COUNT       equ 11
LAB_LOADER      equ 0x0600      ; where the lab loader runs (free low memory)

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
        or al, 0x20             ; 'L' or 'l'
        cmp al, 'l'
        je .labs
        jmp .key
.labs:
        call labs_menu          ; returns only on Esc
        jmp .menu
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

; labs_menu: lists the labs; a key a-k loads that lab (never returns), Esc
; returns.
labs_menu:
        mov si, msg_labs
        call print
.key:
        xor ah, ah
        int 0x16
        cmp al, 27
        je .done
        or al, 0x20
        sub al, 'a'
        cmp al, LAB_COUNT
        jae .key
        ; AX = LAB_FIRST_LBA + AL * LAB_SLOT, the lab's first sector
        mov bl, LAB_SLOT
        mul bl
        add ax, LAB_FIRST_LBA
        push ax
        mov si, msg_loading
        call print
        ; The lab goes where the BIOS would put a boot sector, 7C00h, over
        ; this menu, so the loader runs from a copy at LAB_LOADER.
        mov si, lab_loader
        mov di, LAB_LOADER
        mov cx, lab_loader_end - lab_loader
        rep movsb
        pop ax
        mov dl, [boot_drive]
        jmp 0:LAB_LOADER
.done:
        ret

; lab_loader: AX = first LBA, DL = drive.  Reads LAB_SLOT sectors to
; 0000:7C00 one at a time (no read crosses a track), then enters the lab at
; 7C05h, its "loaded by the menu" entry.  Copied to LAB_LOADER before it
; runs, so it uses no absolute address of its own: relative jumps only.
lab_loader:
        mov bp, ax              ; BP = LBA
        mov di, 0x07C0          ; DI = destination segment
        mov si, LAB_SLOT        ; SI = sectors left
.sector:
        mov ax, bp              ; LBA -> CHS: 18 sectors/track, 2 heads
        mov bl, 18
        div bl                  ; AL = track, AH = sector - 1
        mov cl, ah
        inc cl
        mov ch, al
        shr ch, 1               ; cylinder = track / 2
        mov dh, al
        and dh, 1               ; head = track & 1
        mov es, di
        xor bx, bx
        mov ax, 0x0201
        int 0x13
        jnc .next
        xor ah, ah              ; reset the controller and try again
        int 0x13
        jmp .sector
.next:
        inc bp
        add di, 0x20
        dec si
        jnz .sector
        jmp 0:0x7C05
lab_loader_end:

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
                db "  L  Labs: protected mode and paging, step by step (docs/labs)", 13, 10
                db "Choose 1-4, or L for the labs: ", 0
msg_labs        db 13, 10, "Labs (each is also build/examples/labs/labNN_*.img; sheets in docs/labs)", 13, 10
                db "  a  Lab 1: real mode to protected mode", 13, 10
                db "  b  Lab 2: a GDT and segment limits", 13, 10
                db "  c  Lab 3: privilege levels and a call gate", 13, 10
                db "  d  Lab 4: interrupts and the IDT", 13, 10
                db "  e  Lab 5: a task switch", 13, 10
                db "  f  Lab 6: paging with an identity map", 13, 10
                db "  g  Lab 7: demand paging: a page fault handler", 13, 10
                db "  h  Lab 8: user/supervisor pages and CR0.WP", 13, 10
                db "  i  Lab 9: PAE and NX (needs -cpu p6-nx)", 13, 10
                db "  j  Lab 10: virtual-8086 mode", 13, 10
                db "  k  Lab 11: two processes, two address spaces", 13, 10
                db "Choose a-k, Esc for the main menu: ", 0
msg_loading     db 13, 10, "Loading the lab...", 13, 10, 0
msg_any_key     db "Press any key for the menu.", 13, 10, 0
msg_keyboard    db 13, 10, "Keyboard test: press keys, Esc returns to the menu.", 13, 10, 0
msg_scan        db "scan code ", 0
msg_char        db "  character ", 0
msg_rebooting   db 13, 10, "Rebooting...", 13, 10, 0
failures        db 0
        times PROGRAM_SECTORS * 512 + 512 - ($ - $$) db 0

; ---- sector LAB_FIRST_LBA on: the labs, one slot of LAB_SLOT sectors each ----
        times LAB_FIRST_LBA * 512 - ($ - $$) db 0
%macro LAB_SLOT_BIN 1
%%start:
        incbin %1
        times LAB_SLOT * 512 - ($ - %%start) db 0
%endmacro
        LAB_SLOT_BIN "lab01_protected_mode.bin"
        LAB_SLOT_BIN "lab02_limits.bin"
        LAB_SLOT_BIN "lab03_privilege.bin"
        LAB_SLOT_BIN "lab04_interrupts.bin"
        LAB_SLOT_BIN "lab05_tasks.bin"
        LAB_SLOT_BIN "lab06_paging.bin"
        LAB_SLOT_BIN "lab07_demand_paging.bin"
        LAB_SLOT_BIN "lab08_protection.bin"
        LAB_SLOT_BIN "lab09_pae_nx.bin"
        LAB_SLOT_BIN "lab10_v86.bin"
        LAB_SLOT_BIN "lab11_two_processes.bin"
