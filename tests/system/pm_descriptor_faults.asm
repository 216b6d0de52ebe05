; SPDX-License-Identifier: MIT
; pm_descriptor_faults -- which exception, with which error code, each bad
; segment load or far jump raises.
;
; SDM vol. 3A 5.5-5.8 (privilege checks: CPL, RPL, DPL), 3.4.5 (descriptor
; types), 6.13 (the error code: the selector's index and TI bit, with EXT and
; IDT in bits 0-1 -- never the RPL), and the MOV/POP SS/far JMP pages of
; vol. 2.  A load that names a bad descriptor raises #GP(selector); a
; descriptor that is fine but not present raises #NP(selector), or #SS
; (selector) for SS; an access past the limit raises #GP(0), or #SS(0)
; through SS.  A null selector may be loaded into DS..GS (using it then
; faults with #GP(0)) but never into SS or CS.  A JMP to conforming code
; needs DPL <= CPL and keeps the CPL (5.8.1.2).
;
; QEMU's TCG checks a segment only when it is loaded: a data access through
; a null, read-only, execute-only or too-short segment goes through unchecked
; (it has no segment checks on the memory access path, for speed).  So the
; "checks on use" at the end are skipped under QEMU; every check done when a
; segment register is loaded runs under both.
%define TEST_NAME "pm_descriptor_faults"
%include "boot.inc"
%include "report.inc"
%include "pm.inc"

SEL_NP_DATA   equ 0x40          ; writable data, not present
SEL_XO_CODE   equ 0x48          ; execute-only code, flat 32-bit
SEL_RX_CODE   equ 0x50          ; readable code, flat 32-bit
SEL_RO_DATA   equ 0x58          ; read-only data
SEL_SMALL     equ 0x60          ; writable data, limit 7 in 4 KiB units = 7FFFh
SEL_EXPDOWN   equ 0x68          ; expand-down writable data, limit 0FFFh, B=1
SEL_NP_CODE   equ 0x70          ; code, not present
SEL_CONF0     equ 0x78          ; conforming code, DPL 0
SEL_CONF3     equ 0x80          ; conforming code, DPL 3
SEL_LDT_SEL   equ 0x44          ; TI=1: an LDT selector, and there is no LDT

        bits 16
test_main:
        ENTER_PM
        SET_DESC SEL_NP_DATA, 0, 0xFFFFF, 0x12, FLG_32_4K
        SET_DESC SEL_XO_CODE, 0, 0xFFFFF, 0x98, FLG_32_4K
        SET_DESC SEL_RX_CODE, 0, 0xFFFFF, 0x9A, FLG_32_4K
        SET_DESC SEL_RO_DATA, 0, 0xFFFFF, 0x90, FLG_32_4K
        SET_DESC SEL_SMALL,   0, 0x00007, 0x92, FLG_32_4K
        SET_DESC SEL_EXPDOWN, 0, 0x00FFF, 0x96, 0x4
        SET_DESC SEL_NP_CODE, 0, 0xFFFFF, 0x1A, FLG_32_4K
        SET_DESC SEL_CONF0,   0, 0xFFFFF, 0x9E, FLG_32_4K
        SET_DESC SEL_CONF3,   0, 0xFFFFF, 0xFE, FLG_32_4K

; ---- data segment registers (MOV DS) ----
        mov     ax, SEL_NULL
        mov     es, ax                  ; a null selector loads fine
        OK      "ES null: the load works"
        expect_fault 11, SEL_NP_DATA, "DS not present: #NP(sel)"
        mov     ax, SEL_NP_DATA
        mov     ds, ax
        end_expect
        expect_fault 13, SEL_XO_CODE, "DS execute-only code: #GP(sel)"
        mov     ax, SEL_XO_CODE
        mov     ds, ax
        end_expect
        expect_fault 13, SEL_TSS, "DS a TSS (system descriptor): #GP(sel)"
        mov     ax, SEL_TSS
        mov     ds, ax
        end_expect
        expect_fault 13, SEL_DATA0, "DS RPL 3 > DPL 0 at CPL 0: #GP(sel & ~3)"
        mov     ax, SEL_DATA0 | 3
        mov     ds, ax
        end_expect
        expect_fault 13, 0x400, "DS past the GDT limit: #GP(sel)"
        mov     ax, 0x400
        mov     ds, ax
        end_expect
        expect_fault 13, SEL_LDT_SEL, "DS an LDT selector with LDTR null: #GP(sel)"
        mov     ax, SEL_LDT_SEL
        mov     ds, ax
        end_expect
        expect_fault 13, SEL_DATA0, "DS DPL 0 at CPL 3: #GP(sel)"
        ENTER_RING3 .r3_ds
.r3_ds: mov     ax, SEL_DATA0 | 3
        mov     ds, ax
        end_expect

; ---- the stack segment (MOV SS) ----
        expect_fault 13, 0, "SS null: #GP(0)"
        mov     ax, SEL_NULL
        mov     ss, ax
        end_expect
        expect_fault 13, SEL_DATA0, "SS RPL 3 != CPL 0: #GP(sel & ~3)"
        mov     ax, SEL_DATA0 | 3
        mov     ss, ax
        end_expect
        expect_fault 13, SEL_DATA3 & ~3, "SS DPL 3 != CPL 0 (RPL 0): #GP(sel)"
        mov     ax, SEL_DATA3 & ~3
        mov     ss, ax
        end_expect
        expect_fault 13, SEL_RO_DATA, "SS read-only data: #GP(sel)"
        mov     ax, SEL_RO_DATA
        mov     ss, ax
        end_expect
        expect_fault 13, SEL_RX_CODE, "SS readable code: #GP(sel)"
        mov     ax, SEL_RX_CODE
        mov     ss, ax
        end_expect
        expect_fault 12, SEL_NP_DATA, "SS not present: #SS(sel), not #NP"
        mov     ax, SEL_NP_DATA
        mov     ss, ax
        end_expect

; ---- CS through far JMP ----
        expect_fault 13, 0, "JMP FAR null: #GP(0)"
        jmp     SEL_NULL:.never
        end_expect
        expect_fault 13, SEL_DATA0, "JMP FAR to a data segment: #GP(sel)"
        jmp     SEL_DATA0:.never
        end_expect
        expect_fault 11, SEL_NP_CODE, "JMP FAR to a code segment not present: #NP(sel)"
        jmp     SEL_NP_CODE:.never
        end_expect
        expect_fault 13, SEL_CODE3 & ~3, "JMP FAR to DPL 3 non-conforming code at CPL 0: #GP(sel)"
        jmp     (SEL_CODE3 & ~3):.never
        end_expect
        expect_fault 13, SEL_CODE0, "JMP FAR with RPL 3 > CPL 0 to non-conforming code: #GP(sel & ~3)"
        jmp     (SEL_CODE0 | 3):.never
        end_expect
        expect_fault 13, SEL_CONF3, "JMP FAR to conforming code with DPL 3 > CPL 0: #GP(sel)"
        jmp     SEL_CONF3:.never
        end_expect
        ; Conforming code runs at the caller's CPL: from ring 3, a JMP to
        ; DPL-0 conforming code works and CS.RPL (the CPL) stays 3 -- which
        ; HLT, privileged, then proves with a #GP(0).
        mov     dword [conf_cs], 0
        expect_fault 13, 0, "ring 3 JMP FAR to DPL-0 conforming code: allowed, CPL stays 3 (HLT: #GP(0))"
        ENTER_RING3 .r3_conf
.r3_conf:
        jmp     SEL_CONF0:.conf
.conf:  mov     eax, cs
        mov     [ss:conf_cs], eax
        hlt
        end_expect
        mov     eax, [conf_cs]
        and     eax, 0xFFFF
        CHECK_EQ eax, SEL_CONF0 | 3, "CS after the JMP to conforming code: RPL = CPL 3"
        expect_fault 13, 0, "JMP FAR past the code segment limit: #GP(0)"
        jmp     SEL_CODE16:0x12345      ; limit FFFFh
        end_expect
        jmp     .limits
.never: FAIL    "a far jump that should have faulted arrived"

; ---- checks on use: null, type, limits, granularity, expand-down ----
; (The exception handler reloads ES with a flat segment, so each block loads
; its own.)
.limits:
        ON_QEMU
        jne     .skip_limits
        expect_fault 13, 0, "ES null: a use is #GP(0)"
        mov     ax, SEL_NULL
        mov     es, ax
        mov     eax, [es:0x7000]
        end_expect
        ; A readable code segment is a valid data segment, but not writable.
        mov     ax, SEL_RX_CODE
        mov     es, ax
        mov     eax, [es:test_main]
        mov     ebx, [cs:test_main]     ; CS of a readable segment: readable
        CHECK_EQ eax, ebx, "read through ES = readable code"
        OK      "ES readable code: reads work"
        expect_fault 13, 0, "write through ES = readable code: #GP(0)"
        mov     ax, SEL_RX_CODE
        mov     es, ax
        mov     [es:0x7000], eax
        end_expect
        expect_fault 13, 0, "write through ES = read-only data: #GP(0)"
        mov     ax, SEL_RO_DATA
        mov     es, ax
        mov     [es:0x7000], eax
        end_expect
        expect_fault 13, 0, "read through CS = execute-only code: #GP(0)"
        jmp     SEL_XO_CODE:.xo
.xo:    mov     eax, [cs:test_main]
        end_expect
        mov     ax, SEL_SMALL           ; limit 7, G=1: bytes 0..7FFFh
        mov     es, ax
        mov     eax, [es:0x7FFC]        ; the last dword: fine
        OK      "G=1 limit 7: offset 7FFCh dword is inside (7FFFh)"
        expect_fault 13, 0, "G=1 limit 7: dword at 7FFDh crosses 7FFFh: #GP(0)"
        mov     ax, SEL_SMALL
        mov     es, ax
        mov     eax, [es:0x7FFD]
        end_expect
        mov     ax, SEL_SMALL
        mov     ss, ax                  ; ESP < 7C00h stays inside
        mov     eax, [ss:0x7FFC]
        expect_fault 12, 0, "SS G=1 limit 7: dword at 7FFDh: #SS(0)"
        mov     ax, SEL_SMALL
        mov     ss, ax
        mov     eax, [ss:0x7FFD]
        end_expect
        mov     ax, SEL_EXPDOWN         ; expand-down, limit FFFh, B=1:
        mov     es, ax                  ; valid offsets 1000h..FFFFFFFFh
        mov     eax, [es:0x1000]
        mov     eax, [es:0x10000]
        OK      "expand-down limit FFFh: 1000h and 10000h are inside"
        expect_fault 13, 0, "expand-down limit FFFh: offset FFFh is outside: #GP(0)"
        mov     ax, SEL_EXPDOWN
        mov     es, ax
        mov     eax, [es:0xFFF]
        end_expect
        expect_fault 13, 0, "expand-down limit FFFh: dword at FFEh straddles the limit: #GP(0)"
        mov     ax, SEL_EXPDOWN
        mov     es, ax
        mov     eax, [es:0xFFE]
        end_expect
        expect_fault 13, 0, "expand-down B=1: dword at FFFFFFFEh wraps past 4 GiB: #GP(0)"
        mov     ax, SEL_EXPDOWN
        mov     es, ax
        mov     eax, [es:0xFFFFFFFE]
        end_expect
        jmp     .done
.skip_limits:
        SKIP    "checks on use (null, type, limit, expand-down): QEMU TCG checks segments only when loaded"
.done:
        PASS

        align 4
conf_cs:        dd 0
