; SPDX-License-Identifier: MIT
;
; Faultline BIOS ROM (F000:0000-FFFF).  The x86 half of our high-level BIOS:
; the reset vector, the IBM PC/AT fixed entry points, the hardware interrupt
; handlers and every wait loop are real code here; each software service is
; a stub that traps into C with the UD0 encoding 0F FF ib (bios/bios.h).
; Layout constants shared with C are in layout.def, service numbers in
; services.def (both read by nasm and by the C compiler).
;
; Service convention.  A service stub builds this frame and traps:
;     SS:SP+0  phase word (0 on entry; C keeps a re-entered service's state here)
;     SS:SP+2  caller's GS   +4 caller's FS   +6 caller's DS   +8 caller's ES
;     SS:SP+10 IP, CS, FLAGS pushed by the INT (FLAGS at +14)
; with GS = 0000 (IVT and BDA); INT 10h also gets FS = A000 and DS = B000
; (video memory), INT 13h and 15h FS = the EBDA (segment at 40:0Eh).  Results go
; back in registers; a service that returns a segment in ES writes it into
; the frame's ES slot (the stub pops ES last); CF and ZF results are written
; by C into the FLAGS image at SS:SP+14, so the IRET returns them with the
; caller's own IF and TF.  The live flags after the trap are C's own signal:
; CF=0 done; CF=1 wait, then trap again: ZF=1 until the floppy interrupt
; flag (bit 7 of 40:3E) or about two seconds; SF=1 at once (C changed a
; segment register, e.g. ES to a disk packet's buffer); else one HLT, i.e.
; until the next interrupt.  Nothing x86 in the ROM depends on C beyond
; this frame.  The AT shutdown codes in CMOS 0Fh are honoured before POST:
; 05h (EOI, then jump via 40:67), 0Ah (jump via 40:67), 09h (block-move
; return: SS:SP from 40:67, then IRET).
;
; ROM layout (offsets in segment F000; layout.def names them for C):
;     0000  8x16 font (CP437, 4 KiB)      1000  8x14 font (3.5 KiB)
;     1E00  8x8 font (2 KiB; INT 1Fh points at its upper half, 2200)
;     2600  initial interrupt vector list (POST applies it in order)
;     2700  INT 10h AH=1Bh static functionality table
;     2800  stubs, IRQ handlers, POST and boot code, messages
;     E05B  POST entry, then the IBM PC/AT fixed entry points and tables:
;           E2C3 NMI, E3FE INT 13h, E6F2 INT 19h, E6F5 configuration table
;           (INT 15h AH=C0h), E729 baud rate divisors, E739 INT 14h,
;           E82E INT 16h, E987 INT 09h, EC59 INT 13h (diskette), EF57 INT 0Eh,
;           EFC7 diskette parameters (INT 1Eh), EFD2 INT 17h, F065 INT 10h,
;           F0A4 video parameters (INT 1Dh), F0C0 BIOS32 service directory,
;           F0D0 its 32-bit entry, F0E0 $PIR table, F841 INT 12h, F84D INT 11h,
;           F859 INT 15h, FA6E 8x8 font chars 0-127, FE6E INT 1Ah,
;           FEA5 INT 08h, FF53 IRET, FFF0 reset vector, FFF5 date, FFFE model FCh.
; The fonts (fonts.bin) are generated at build time by bios/mkfont.py.

        cpu 386
        bits 16
        org 0

%define SERVICE(n, v) SVC_ %+ n equ v
%include "services.def"
%define ROMSYM(n, v) ROM_ %+ n equ v
%include "layout.def"

%macro AT 1
        times (%1) - ($ - $$) db 0
%endmacro

%macro TRAP 1
        db 0x0F, 0xFF, %1
%endmacro

; A service entry: frame, segments, trap, wait loop, return.
%macro SERVICE_STUB 2
        push es
        push ds
        push fs
        push gs
        push word 0
        push word 0
        pop gs
%if %2 == 2
        mov fs, [gs:0x40E]
%elif %2
        push word 0xA000
        pop fs
        push word 0xB000
        pop ds
%endif
%%again:
        TRAP %1
        jc %%wait
        jmp service_return
%%wait:
        call service_wait
        jmp %%again
%endmacro

; ---------------------------------------------------------------- fonts
        AT ROM_FONT8X16
        incbin "fonts.bin", 0, 4096
        AT ROM_FONT8X14
        incbin "fonts.bin", 4096, 3584
        AT ROM_FONT8X8
        incbin "fonts.bin", 7680, 2048

; ------------------------------------------------ initial interrupt vectors
; count, then (first vector, last vector, offset in F000) applied in order.
        AT ROM_VECTOR_LIST
        db (vector_list_end - vector_list) / 4
vector_list:
        db 0x00, 0xFF
        dw dummy_iret
        db 0x08, 0x0F
        dw irq_master_default
        db 0x70, 0x77
        dw irq_slave_default
        db 0x02, 0x02
        dw nmi_entry
        db 0x05, 0x05
        dw dummy_iret
        db 0x08, 0x08
        dw int08_entry
        db 0x09, 0x09
        dw int09_entry
        db 0x0E, 0x0E
        dw int0e_entry
        db 0x10, 0x10
        dw int10_fixed
        db 0x11, 0x11
        dw int11_fixed
        db 0x12, 0x12
        dw int12_fixed
        db 0x13, 0x13
        dw int13_fixed
        db 0x14, 0x14
        dw int14_fixed
        db 0x15, 0x15
        dw int15_fixed
        db 0x16, 0x16
        dw int16_fixed
        db 0x17, 0x17
        dw int17_fixed
        db 0x18, 0x18
        dw int18
        db 0x19, 0x19
        dw int19_entry
        db 0x1A, 0x1A
        dw int1a_fixed
        db 0x1D, 0x1D
        dw ROM_VIDEO_PARAMS
        db 0x1E, 0x1E
        dw ROM_FDPT
        db 0x1F, 0x1F
        dw ROM_FONT8X8 + 1024
        db 0x43, 0x43
        dw ROM_FONT8X8
        db 0x70, 0x70
        dw irq8
        db 0x71, 0x71
        dw irq9
        db 0x74, 0x74
        dw irq12
        db 0x75, 0x75
        dw irq13
        db 0x76, 0x77
        dw irq_slave_default
vector_list_end:

; ------------------------------------- INT 10h AH=1Bh static functionality
        AT ROM_STATIC_FUNC
        db 0xFF, 0xE0, 0x0F     ; modes 00-07, 0D-0F, 10-13 supported
        db 0, 0, 0, 0
        db 0x07                 ; scan lines 200, 350, 400
        db 2                    ; character blocks in text modes
        db 8                    ; maximum active blocks
        db 0x7D                 ; all modes, fonts, palettes, cursor emulation (no grey sums, colour paging)
        db 0x0C                 ; blink/intensity toggle, display combination code (no save/restore)
        db 0, 0
        db 0x00                 ; save pointer functions
        db 0

; ---------------------------------------------------------------- code
        AT ROM_CODE

service_return:
        add sp, 2
        pop gs
        pop fs
        pop ds
        pop es
        iret

; CF=1 from C: wait (see the header), keeping every register.
service_wait:
        sti
        js .now
        jnz .once
        push ax
        push cx
        mov cx, [gs:0x46C]
.floppy:
        test byte [gs:0x43E], 0x80
        jnz .done
        mov ax, [gs:0x46C]
        sub ax, cx
        cmp ax, 37
        ja .done
        hlt
        jmp .floppy
.done:
        pop cx
        pop ax
        ret
.once:
        hlt
.now:
        ret

int10_entry:    SERVICE_STUB SVC_INT10, 1
int11_entry:    SERVICE_STUB SVC_INT11, 0
int12_entry:    SERVICE_STUB SVC_INT12, 0
int13_entry:
        sti
        SERVICE_STUB SVC_INT13, 2
int14_entry:    SERVICE_STUB SVC_INT14, 0
int15_entry:    SERVICE_STUB SVC_INT15, 2
int16_entry:    SERVICE_STUB SVC_INT16, 0
int17_entry:    SERVICE_STUB SVC_INT17, 0
int1a_entry:    SERVICE_STUB SVC_INT1A, 0

; IRQ0: the BIOS tick count at 40:6C (1800B0h ticks a day, then the midnight
; flag at 40:70), the floppy motor timeout at 40:40, the user hook INT 1Ch.
int08_handler:
        push ax
        push dx
        push ds
        mov ax, 0x40
        mov ds, ax
        add word [0x6C], 1
        adc word [0x6E], 0
        cmp word [0x6E], 0x18
        jb .no_midnight
        cmp word [0x6C], 0xB0
        jb .no_midnight
        mov word [0x6C], 0
        mov word [0x6E], 0
        mov byte [0x70], 1
.no_midnight:
        cmp byte [0x40], 0
        je .no_motor
        dec byte [0x40]
        jnz .no_motor
        and byte [0x3F], 0xF0
        mov al, 0x0C
        mov dx, 0x3F2
        out dx, al
.no_motor:
        int 0x1C
        cli
        mov al, 0x20
        out 0x20, al
        pop ds
        pop dx
        pop ax
        iret

; IRQ1: read the scan code, offer it to INT 15h AH=4Fh (CF=0 on return
; means "swallowed"), then C translates it into the BDA.  C answers in BL:
; 1 = Ctrl-Break (INT 1Bh), 2 = Print Screen (INT 05h).
int09_handler:
        push ax
        push bx
        push gs
        push word 0
        pop gs
        in al, 0x60
        mov ah, 0x4F
        stc
        int 0x15
        jnc .eoi
        xor bl, bl
        TRAP SVC_KBD_IRQ
        cmp bl, 1
        jne .not_break
        int 0x1B
.not_break:
        cmp bl, 2
        jne .eoi
        int 0x05
.eoi:
        cli
        mov al, 0x20
        out 0x20, al
        pop gs
        pop bx
        pop ax
        iret

; IRQ6: the floppy controller is done; INT 13h waits on this bit.
int0e_handler:
        push ax
        push ds
        mov ax, 0x40
        mov ds, ax
        or byte [0x3E], 0x80
        mov al, 0x20
        out 0x20, al
        pop ds
        pop ax
        iret

; IRQ8: RTC.  Reading register C acknowledges it.  Periodic interrupts
; (1024 Hz) count down the INT 15h AH=83h/86h wait at 40:9C by 976 us and
; set bit 7 of the user's flag byte (far pointer at 40:98) when it expires.
irq8:
        push ax
        push bx
        push ds
        push es
        mov ax, 0x40
        mov ds, ax
        mov al, 0x0C
        out 0x70, al
        in al, 0x71
        test al, 0x40
        jz .eoi
        test byte [0xA0], 1
        jz .eoi
        sub dword [0x9C], 976
        jnc .eoi
        and byte [0xA0], 0xFE
        les bx, [0x98]
        or byte [es:bx], 0x80
        mov al, 0x0B
        out 0x70, al
        in al, 0x71
        and al, 0xBF
        mov ah, al
        mov al, 0x0B
        out 0x70, al
        mov al, ah
        out 0x71, al
.eoi:
        mov al, 0x20
        out 0xA0, al
        out 0x20, al
        pop es
        pop ds
        pop bx
        pop ax
        iret

; IRQ12: the PS/2 mouse.  Bytes collect in the EBDA (index 26h, buffer 28h,
; packet size in bits 0-2 of 27h); a whole packet goes to the handler that
; INT 15h AH=C2h/07h installed (far pointer at 22h, bit 7 of 27h) as four
; words pushed in this order: status, X, Y, 0.  A first byte without bit 3
; set is dropped, so a lost byte cannot shift every later packet.
irq12:
        pusha
        push ds
        push word 0x40
        pop ds
        mov ds, [0x0E]
        in al, 0x60
        movzx bx, byte [0x26]
        test bx, bx
        jnz .store
        test al, 0x08
        jz .eoi
.store:
        mov [0x28 + bx], al
        inc bx
        mov ah, [0x27]
        and ah, 0x07
        cmp bl, ah
        jb .keep
        xor bx, bx
        test byte [0x27], 0x80
        jz .keep
        movzx ax, byte [0x28]
        push ax
        movzx ax, byte [0x29]
        push ax
        movzx ax, byte [0x2A]
        push ax
        push word 0
        mov [0x26], bl
        call far [0x22]
        add sp, 8
        jmp .eoi
.keep:
        mov [0x26], bl
.eoi:
        cli
        mov al, 0x20
        out 0xA0, al
        out 0x20, al
        pop ds
        popa
        iret

; IRQ9: the AT redirects it to the PC's IRQ2 vector.
irq9:
        push ax
        mov al, 0x20
        out 0xA0, al
        pop ax
        int 0x0A
        iret

irq_master_default:
        push ax
        mov al, 0x20
        out 0x20, al
        pop ax
        iret

irq_slave_default:
        push ax
        mov al, 0x20
        out 0xA0, al
        out 0x20, al
        pop ax
        iret

; IRQ 13, the x87's FERR#: as the AT BIOS does, clear the coprocessor-error
; latch (any write to port F0h), acknowledge both PICs and hand the error to
; INT 02h, where DOS-era programs hook coprocessor exceptions.
irq13:
        push ax
        xor al, al
        out 0xF0, al
        mov al, 0x20
        out 0xA0, al
        out 0x20, al
        pop ax
        int 0x02
        iret

; Prints the NUL-terminated string at CS:SI through INT 10h teletype.
print_string:
        push ax
        push bx
        push si
        mov ah, 0x0E
        mov bx, 0x0007
.next:
        mov al, [cs:si]
        inc si
        test al, al
        jz .done
        int 0x10
        jmp .next
.done:
        pop si
        pop bx
        pop ax
        ret

; POST: shutdown codes first (the 286 leaves protected mode by a reset).
post:
        cli
        cld
        mov al, 0x8F
        out 0x70, al
        in al, 0x71
        mov bl, al
        mov al, 0x8F
        out 0x70, al
        xor al, al
        out 0x71, al
        mov ax, 0x40
        mov ds, ax
        cmp bl, 0x05
        je .eoi_jump
        cmp bl, 0x0A
        je .jump
        cmp bl, 0x09
        je .block_move
        jmp .cold
.eoi_jump:
        mov al, 0x20
        out 0x20, al
.jump:
        jmp far [0x67]
.block_move:
        lss sp, [0x67]
        iret
.cold:
        xor ax, ax
        mov ss, ax
        mov sp, 0x7C00
        mov gs, ax
        push word 0xA000
        pop fs
        push word 0xB000
        pop ds
        push word ROM_EBDA_SEG
        pop es
        TRAP SVC_POST
        call scan_option_roms
        sti
        int 0x19
        jmp int18

; Option ROMs (C000:0000 to DFFF, on 2 KiB boundaries): 55AAh, a length byte
; in 512-byte blocks and a zero checksum; each is initialised by a far call
; to its offset 3, as the IBM PC/AT BIOS does.
scan_option_roms:
        mov bx, 0xC000
.next:
        mov es, bx
        cmp word [es:0], 0xAA55
        jne .skip
        movzx cx, byte [es:2]
        jcxz .skip
        shl cx, 9                       ; 128 blocks: 0 = 65536 bytes for LOOP
        xor si, si
        xor al, al
.sum:
        add al, [es:si]
        inc si
        loop .sum
        test al, al
        jnz .skip
        push bx
        push ds
        push es
        push word 3
        mov bp, sp
        call far [ss:bp]
        add sp, 4
        cli
        cld
        pop ds
        pop bx
        mov es, bx
        movzx ax, byte [es:2]
        add ax, 3
        shr ax, 2                       ; whole 2 KiB units
        shl ax, 7                       ; in paragraphs
        add bx, ax
        jmp .check
.skip:
        add bx, 0x80
.check:
        cmp bx, 0xE000
        jb .next
        xor ax, ax
        mov gs, ax
        ret

; INT 19h: try the boot devices in CMOS order.  C names the drive for
; attempt SI in DL (CF=1: no more) and in BP bit 0 whether to insist on the
; 55AAh signature; x86 reads its sector 0 through INT 13h.  BP bit 1 marks
; a CD (El Torito); with bit 2 C has left a disk address packet at 0000:0500
; for the no-emulation image, read by INT 13h AH=42h and entered at its
; segment:0000 with DL = the CD's drive number.
int19:
        cli
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov gs, ax
        mov sp, 0x7C00
        mov fs, [0x40E]                 ; the EBDA, for C's CD-ROM record
        sti
        xor si, si
.next:
        mov ax, si
        TRAP SVC_BOOT_NEXT
        jc .none
        push si
        mov si, msg_boot_floppy
        test dl, 0x80
        jz .say
        mov si, msg_boot_disk
.say:
        test bp, 2
        jz .print
        mov si, msg_boot_cd
.print:
        call print_string
        pop si
        test bp, 4
        jnz .cd_no_emulation
        mov di, 3
.retry:
        xor ax, ax
        int 0x13
        mov ax, 0x0201
        mov cx, 0x0001
        xor dh, dh
        mov bx, 0x7C00
        int 0x13
        jnc .loaded
        dec di
        jnz .retry
        jmp .skip
.loaded:
        test bp, 1                      ; C: bit 0 clear when CMOS 38h bit 0 skips the floppy check
        jz .go
        cmp word [0x7DFE], 0xAA55
        jne .not_bootable
.go:
        jmp 0x0000:0x7C00
.not_bootable:
        push si
        mov si, msg_no_signature
        call print_string
        pop si
.skip:
        inc si
        jmp .next
.cd_no_emulation:
        push si
        mov si, 0x0500
        mov ah, 0x42
        int 0x13
        pop si
        jc .skip
        push word [0x0506]
        push word 0
        retf
.none:
        mov si, msg_no_boot
        call print_string
        int 0x18

; INT 18h: nothing to boot.
int18:
        mov si, msg_halt
        call print_string
.halt:
        cli
        hlt
        jmp .halt

msg_boot_floppy:        db "Booting from floppy...", 13, 10, 0
msg_boot_disk:          db "Booting from hard disk...", 13, 10, 0
msg_boot_cd:            db "Booting from CD-ROM...", 13, 10, 0
msg_no_signature:       db "Boot sector has no 55AA signature.", 13, 10, 0
msg_no_boot:            db "No bootable device.", 13, 10, 0
msg_halt:               db "Boot failed: insert a bootable disk and restart. System halted.", 13, 10, 0

; ------------------------------------------- IBM PC/AT fixed entry points
        AT ROM_POST
        jmp post
        AT 0xE2C3
nmi_entry:
        iret
        AT 0xE3FE
int13_fixed:
        jmp int13_entry
        AT 0xE6F2
int19_entry:
        jmp int19
        AT ROM_CONFIG_TABLE     ; INT 15h AH=C0h
        dw 8
        db 0xFC, 0x01, 0x00     ; model AT, submodel, BIOS revision
        db 0x74                 ; 2nd 8259, RTC, INT 15h/4Fh, INT 15h/83h+86h... EBDA
        db 0x00, 0x00, 0x00, 0x00
        AT 0xE729               ; 8250 divisors for 110 ... 9600 baud
        dw 0x0417, 0x0300, 0x0180, 0x00C0, 0x0060, 0x0030, 0x0018, 0x000C
        AT 0xE739
int14_fixed:
        jmp int14_entry
        AT 0xE82E
int16_fixed:
        jmp int16_entry
        AT 0xE987
int09_entry:
        jmp int09_handler
        AT 0xEC59
        jmp int13_entry
        AT 0xEF57
int0e_entry:
        jmp int0e_handler
        AT ROM_FDPT             ; INT 1Eh: 1.44M diskette parameters
        db 0xAF, 0x02, 0x25, 0x02, 18, 0x1B, 0xFF, 0x6C, 0xF6, 0x0F, 0x08
        AT 0xEFD2
int17_fixed:
        jmp int17_entry
        AT 0xF065
int10_fixed:
        jmp int10_entry
        AT ROM_VIDEO_PARAMS     ; INT 1Dh: 6845 parameters (80x25 colour set)
        db 0x71, 0x50, 0x5A, 0x0A, 0x1F, 0x06, 0x19, 0x1C, 0x02, 0x07, 0x06, 0x07, 0, 0, 0, 0

; BIOS32 Service Directory (Standard BIOS 32-bit Service Directory Proposal
; 0.4): "_32_", the entry's physical address, revision 0, one paragraph,
; a checksum making the 16 bytes sum to zero.  The entry is far-called in
; 32-bit protected mode with EAX = service name, EBX = 0; it answers
; AL=80h (service not present) for every service, AL=81h for EBX != 0.
        AT ROM_BIOS32_DIR
        db "_32_"
        dd 0xF0000 + ROM_BIOS32_ENTRY
        db 0, 1
        db (0x100 - (('_' + '3' + '2' + '_' + (ROM_BIOS32_ENTRY & 0xFF) + (ROM_BIOS32_ENTRY >> 8) + 0x0F + 1) & 0xFF)) & 0xFF
        db 0, 0, 0, 0, 0
        AT ROM_BIOS32_ENTRY
        bits 32
        test bl, bl
        jnz .bad_function
        mov al, 0x80
        retf
.bad_function:
        mov al, 0x81
        retf
        bits 16

; $PIR: the PCI IRQ routing table (PCI IRQ Routing Table Specification 1.0)
; for the PIIX3 at 00:01.0, whose link values are its PIRQA-D route
; registers 60h-63h.  Device d's INTA-INTD use PIRQ (d - 1 + pin) mod 4, the
; rotation QEMU's i440FX board wires; any of IRQ 3-7, 9-12, 14, 15 may be
; routed.  The macros emit it twice over: once to sum the bytes for the
; checksum at offset 31, once for real.
PIR_ENTRIES equ 5
%assign PIR_SIZE 32 + 16 * PIR_ENTRIES
%macro PIR_BYTES 1-*
%rep %0
%if PIR_EMIT
        db (%1) & 0xFF
%else
%assign PIR_SUM PIR_SUM + ((%1) & 0xFF)
%endif
%rotate 1
%endrep
%endmacro
%macro PIR_SLOT 2               ; device, slot number (0 = built in)
        PIR_BYTES 0, (%1) << 3
%assign PIR_PIN 0
%rep 4
        PIR_BYTES 0x60 + (((%1) - 1 + PIR_PIN) & 3), 0xF8, 0xDE
%assign PIR_PIN PIR_PIN + 1
%endrep
        PIR_BYTES %2, 0
%endmacro
%macro PIR_TABLE 0
        PIR_BYTES '$', 'P', 'I', 'R', 0x00, 0x01, PIR_SIZE & 0xFF, PIR_SIZE >> 8
        PIR_BYTES 0, 0x08, 0, 0         ; router 00:01.0, no exclusive IRQs
        PIR_BYTES 0x86, 0x80, 0x00, 0x70, 0, 0, 0, 0    ; compatible router 8086:7000
        PIR_BYTES 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
        PIR_BYTES PIR_CHECK
        PIR_SLOT 1, 0
        PIR_SLOT 2, 0
        PIR_SLOT 3, 1
        PIR_SLOT 4, 2
        PIR_SLOT 5, 3
%endmacro
%assign PIR_EMIT 0
%assign PIR_SUM 0
%assign PIR_CHECK 0
        PIR_TABLE
%assign PIR_CHECK (0x100 - (PIR_SUM & 0xFF)) & 0xFF
%assign PIR_EMIT 1
        AT ROM_PIR_TABLE
        PIR_TABLE
        AT 0xF841
int12_fixed:
        jmp int12_entry
        AT 0xF84D
int11_fixed:
        jmp int11_entry
        AT 0xF859
int15_fixed:
        jmp int15_entry
        AT ROM_FONT8X8_LOW
        incbin "fonts.bin", 7680, 1024
        AT 0xFE6E
int1a_fixed:
        jmp int1a_entry
        AT 0xFEA5
int08_entry:
        jmp int08_handler
        AT 0xFF53
dummy_iret:
        iret
        AT 0xFFF0
        jmp 0xF000:ROM_POST
        AT ROM_DATE
        db "11/24/26"
        AT ROM_MODEL
        db 0xFC
        db 0x00
