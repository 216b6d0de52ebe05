; SPDX-License-Identifier: MIT
; Lab 11 -- two processes: separate address spaces, then one shared space.
;
; A tiny kernel runs two user programs, A and B, at CPL 3.  Each process has
; its own page directory (SDM vol. 3A 4.3): the kernel's 0-4 MiB is mapped
; in both (supervisor only, U/S=0), A's pages appear at linear 400000h only
; in A's directory, B's at 800000h only in B's.  Switching process means
; switching CR3 (which also flushes the TLB, SDM 4.10.4) and the ring-0
; stack in the TSS (TSS.ESP0, SDM 7.2.1), on a timer tick (IRQ 0, the 8254
; at 100 Hz) or when a process asks to yield (INT 80h).
; The programs talk to the kernel through INT 80h, an interrupt gate with
; DPL 3 (SDM 6.12.1.1: INT n checks the gate's DPL against CPL):
;   EAX=1 print the string at EBX    EAX=2 yield    EAX=3 exit
; B has a bug: a stale pointer to 401000h, which is A's data.  In its own
; address space nothing is mapped there, so B's write is a #PF (not
; present, user write: error code 6) and the kernel kills B and reports CR2
; and the error code -- A never notices.
; Then the kernel runs the very same programs in ONE address space, one
; page directory mapping both, as Windows 3.x and classic Mac OS ran their
; programs: now B's write succeeds, silently, into A's data, and A prints
; the damage.
%include "boot.inc"
%include "console.inc"
%include "pm.inc"
%include "paging.inc"

A_BASE  equ 0x400000                ; A's code, data, stack: 400000h-402FFFh
B_BASE  equ 0x800000                ; B's: 800000h-802FFFh
A_DATA  equ A_BASE + 0x1000
B_DATA  equ B_BASE + 0x1000
A_PHYS  equ 0x100000                ; A's three frames
B_PHYS  equ 0x110000                ; B's three frames
PT_A    equ 0x23000                 ; page table of 4-8 MiB with A's pages
PT_B    equ 0x24000                 ; page table of 8-12 MiB with B's pages
PD_A    equ 0x25000                 ; A's page directory
PD_B    equ 0x26000                 ; B's page directory
PD_SHARED equ 0x27000               ; the one directory of the shared run
KSTACK_A equ 0x71000                ; ring-0 stacks, one per process
KSTACK_B equ 0x72000
SYS_PRINT equ 1
SYS_YIELD equ 2
SYS_EXIT  equ 3
USER_EFLAGS equ 0x202               ; IF=1, IOPL 0

        bits 16
lab_main:
        SAY     "Lab 11: two processes"
        ENTER_PM
        ; The kernel's map: 0-4 MiB identity, supervisor only (PDE U/S=0).
        mov     eax, PG_P | PG_RW
        call    paging_identity
        mov     dword [PD_BASE], PT0_BASE | PG_P | PG_RW
        SET_GATE 0x20, SEL_CODE0, timer_irq, GATE_INT32
        SET_GATE 0x80, SEL_CODE0, syscall, GATE_INT32 | DPL3
        SET_GATE 14, SEL_CODE0, page_fault, GATE_INT32
        PIC_REMAP 0xFFFE                ; IRQ 0 only
        mov     al, 0x34                ; PIT channel 0: 100 Hz
        out     0x43, al
        mov     ax, 11932
        out     0x40, al
        mov     al, ah
        out     0x40, al
        PAGING_ON

        SAY     "== run 1: each process has its own page directory =="
        mov     dword [shared], 0
        call    run_processes
        SAY     "== run 2: one page directory for both (as Windows 3.1 did) =="
        mov     dword [shared], 1
        call    run_processes

        PAGING_OFF
        SAY     "lab 11 done"
        LAB_EXIT 0

; ---- the kernel ----
        bits 32
; run_processes: load A and B, build their page tables, run them until
; both have exited or died.  [shared] picks one directory or two.
run_processes:
        pushad
        ; Fresh copies of the programs (code page, data page, empty stack).
        mov     esi, prog_a
        mov     edi, A_PHYS
        mov     ecx, prog_a_end - prog_a
        call    load_page
        mov     esi, data_a
        mov     edi, A_PHYS + 0x1000
        mov     ecx, data_a_end - data_a
        call    load_page
        mov     esi, prog_b
        mov     edi, B_PHYS
        mov     ecx, prog_b_end - prog_b
        call    load_page
        mov     esi, data_b
        mov     edi, B_PHYS + 0x1000
        mov     ecx, data_b_end - data_b
        call    load_page
        ; Page tables: 3 user pages each (code, data, stack).
        mov     edi, PT_A
        mov     eax, A_PHYS | PG_P | PG_RW | PG_US
        call    user_table
        mov     edi, PT_B
        mov     eax, B_PHYS | PG_P | PG_RW | PG_US
        call    user_table
        ; Directories: PDE 0 is the kernel's in each.
        mov     edi, PD_A
        mov     ecx, 3 * 1024
        xor     eax, eax
        rep     stosd                   ; PD_A, PD_B, PD_SHARED all empty
        mov     eax, PT0_BASE | PG_P | PG_RW
        mov     [PD_A], eax
        mov     [PD_B], eax
        mov     [PD_SHARED], eax
        mov     eax, PT_A | PG_P | PG_RW | PG_US
        mov     [PD_A + (A_BASE >> 22) * 4], eax
        mov     [PD_SHARED + (A_BASE >> 22) * 4], eax
        mov     eax, PT_B | PG_P | PG_RW | PG_US
        mov     [PD_B + (B_BASE >> 22) * 4], eax
        mov     [PD_SHARED + (B_BASE >> 22) * 4], eax
        mov     dword [proc_cr3], PD_A
        mov     dword [proc_cr3 + 4], PD_B
        cmp     dword [shared], 0
        je      .cr3_done
        mov     dword [proc_cr3], PD_SHARED
        mov     dword [proc_cr3 + 4], PD_SHARED
.cr3_done:
        PUTS    "kernel: A runs at 00400000 with CR3="
        HEX     [proc_cr3]
        PUTS    ", B at 00800000 with CR3="
        HEX     [proc_cr3 + 4]
        SAY     ""
        ; Each process starts as if it had been interrupted at its entry:
        ; its kernel stack holds an IRET frame and a PUSHAD image.
        mov     edi, KSTACK_A
        mov     eax, A_BASE
        mov     ebx, A_BASE + 0x3000
        call    initial_frame
        mov     [proc_kesp], edi
        mov     edi, KSTACK_B
        mov     eax, B_BASE
        mov     ebx, B_BASE + 0x3000
        call    initial_frame
        mov     [proc_kesp + 4], edi
        mov     dword [proc_alive], 1
        mov     dword [proc_alive + 4], 1
        mov     dword [current], 1      ; so that A is picked first
        mov     [kernel_esp], esp
        jmp     pick_next               ; returns to .all_done at the end
.all_done:
        mov     esp, [kernel_esp]
        mov     ax, SEL_DATA0
        mov     ds, ax
        mov     es, ax
        mov     eax, PD_BASE            ; the kernel's own map again
        mov     cr3, eax
        SAY     "kernel: no process left"
        popad
        ret

; load_page: copy ECX bytes from ESI to the frame EDI, zero the rest.
load_page:
        push    edi
        push    ecx
        mov     ecx, 1024
        xor     eax, eax
        rep     stosd
        pop     ecx
        pop     edi
        rep     movsb
        ret

; user_table: EDI = a page table, EAX = first frame | flags: 3 user pages.
user_table:
        push    eax
        push    edi
        mov     ecx, 1024
        xor     eax, eax
        rep     stosd
        pop     edi
        pop     eax
        mov     [edi], eax
        add     eax, 0x1000
        mov     [edi + 4], eax
        add     eax, 0x1000
        mov     [edi + 8], eax
        ret

; initial_frame: EDI = kernel stack top, EAX = entry, EBX = user stack top;
; returns EDI = the saved kernel ESP.
initial_frame:
        sub     edi, 5 * 4
        mov     [edi], eax                      ; EIP
        mov     dword [edi + 4], SEL_CODE3      ; CS
        mov     dword [edi + 8], USER_EFLAGS    ; EFLAGS
        mov     [edi + 12], ebx                 ; ESP
        mov     dword [edi + 16], SEL_DATA3     ; SS
        sub     edi, 8 * 4                      ; PUSHAD image: all zero
        push    edi
        mov     ecx, 8
        xor     eax, eax
        rep     stosd
        pop     edi
        ret

; Every entry from a process ends in one of these, with the process's
; PUSHAD image on top of its kernel stack, above the CPU's IRET frame.
; schedule: save this process's kernel ESP, run the next one.
schedule:
        mov     ebx, [current]
        mov     [proc_kesp + ebx * 4], esp
; pick_next: the next live process after the current one (round robin).
pick_next:
        mov     ebx, [current]
        mov     ecx, 2
.try:   inc     ebx
        and     ebx, 1
        cmp     dword [proc_alive + ebx * 4], 0
        jne     .found
        loop    .try
        jmp     run_processes.all_done
.found: mov     [current], ebx
        mov     eax, [proc_cr3 + ebx * 4]
        mov     cr3, eax                ; the address space
        mov     eax, ebx
        shl     eax, 12
        add     eax, KSTACK_A
        mov     [lab_tss + 4], eax      ; TSS.ESP0: its ring-0 stack
        mov     esp, [proc_kesp + ebx * 4]
return_to_user:
        mov     ax, SEL_DATA3           ; user data segments (flat, DPL 3)
        mov     ds, ax
        mov     es, ax
        popad
        iretd

%macro KERNEL_ENTRY 0
        pushad
        mov     ax, SEL_DATA0
        mov     ds, ax
        mov     es, ax
%endmacro

timer_irq:
        KERNEL_ENTRY
        mov     al, 0x20                ; EOI
        out     0x20, al
        inc     dword [ticks]
        test    byte [esp + 32 + 4], 3  ; the interrupted CS: from ring 3?
        jz      .kernel
        cmp     dword [proc_alive], 0   ; someone else to run?
        je      return_to_user
        cmp     dword [proc_alive + 4], 0
        je      return_to_user
        PUTS    "kernel: timer tick: "
        call    put_name
        SAY     " preempted"
        jmp     schedule
.kernel:
        popad
        iretd

syscall:
        KERNEL_ENTRY
        mov     eax, [esp + 28]         ; the caller's EAX (PUSHAD order)
        cmp     eax, SYS_PRINT
        je      .print
        cmp     eax, SYS_YIELD
        je      schedule
        cmp     eax, SYS_EXIT
        je      .exit
        jmp     return_to_user
.print:
        PUTS    "  "
        call    put_name
        PUTS    ": "
        mov     esi, ebx                ; user memory, through the current CR3
        call    con_puts32
        PUTC    10
        jmp     return_to_user
.exit:
        PUTS    "kernel: "
        call    put_name
        SAY     " exited"
        mov     ebx, [current]
        mov     dword [proc_alive + ebx * 4], 0
        jmp     pick_next

; A #PF from a process kills it; one from the kernel is a kernel bug.
page_fault:
        test    byte [esp + 8], 3       ; the CS pushed after the error code
        jz      exc_stub_14
        KERNEL_ENTRY
        mov     ebp, esp
        PUTS    "kernel: "
        call    put_name
        PUTS    " killed: page fault at EIP "
        HEX     [ebp + 36]
        PUTS    ", CR2="
        mov     eax, cr2
        HEX     eax
        PUTS    ", error "
        HEX4    [ebp + 32]
        PUTS    " ("                    ; the error code's bits (SDM 4.7)
        test    byte [ebp + 32], PF_U
        jz      .sup
        PUTS    "user "
        jmp     .rw
.sup:   PUTS    "supervisor "
.rw:    test    byte [ebp + 32], PF_W
        jz      .read
        PUTS    "write, "
        jmp     .p
.read:  PUTS    "read, "
.p:     test    byte [ebp + 32], PF_P
        jz      .np
        SAY     "protection violation)"
        jmp     .kill
.np:    SAY     "page not present)"
.kill:
        mov     ebx, [current]
        mov     dword [proc_alive + ebx * 4], 0
        jmp     pick_next

put_name:
        push    eax
        mov     eax, [current]
        add     al, 'A'
        con_call con_putc
        pop     eax
        ret

        align 4
shared:     dd 0
current:    dd 0
kernel_esp: dd 0
ticks:      dd 0
proc_alive: dd 0, 0
proc_kesp:  dd 0, 0
proc_cr3:   dd 0, 0

; ---- the user programs ----
; Position-independent: only relative jumps, and their data at fixed
; linear addresses (A_DATA, B_DATA), so they run wherever they are copied.
prog_a:
        mov     esi, 4                  ; four rounds
.round: inc     byte [A_DATA + A_ROUND] ; '0' -> '1' -> ...
        mov     eax, SYS_PRINT
        mov     ebx, A_DATA
        int     0x80
        mov     ecx, 300000             ; busy: the timer may preempt us
.spin:  dec     ecx
        jnz     .spin
        mov     eax, SYS_YIELD
        int     0x80
        dec     esi
        jnz     .round
        mov     eax, SYS_EXIT
        int     0x80
prog_a_end:

data_a: db "round 0, my data: 'all is well in process A'", 0
data_a_end:
A_ROUND equ 6                       ; offset of the round digit

prog_b:
        mov     eax, SYS_PRINT
        mov     ebx, B_DATA
        int     0x80
        mov     eax, SYS_YIELD
        int     0x80
        mov     eax, SYS_PRINT
        mov     ebx, B_DATA + B_MSG2
        int     0x80
        ; The bug: a stale pointer into A's data.
        mov     edi, A_DATA + 10
        mov     eax, '####'
        mov     ecx, 4
        rep     stosd
        mov     eax, SYS_PRINT
        mov     ebx, B_DATA + B_MSG3
        int     0x80
        mov     eax, SYS_YIELD
        int     0x80
        mov     eax, SYS_EXIT
        int     0x80
prog_b_end:

data_b: db "hello, I am B", 0
B_MSG2 equ $ - data_b
        db "writing 16 bytes at 0040100A (a stale pointer)...", 0
B_MSG3 equ $ - data_b
        db "the write went through", 0
data_b_end:

        LAB_PAD
