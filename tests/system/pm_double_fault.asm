; SPDX-License-Identifier: MIT
; pm_double_fault -- when a fault during exception delivery becomes a double
; fault (#DF, vector 8) and when it does not.
;
; SDM vol. 3A 6.15, "Interrupt 8 -- Double Fault Exception", tables 6-4 and
; 6-5: exceptions are benign (#DB, NMI, #BP, #OF, #BR, #UD, #NM, #MF...),
; contributory (#DE, #TS, #NP, #SS, #GP) or page faults.  A contributory
; exception raised while delivering a contributory one is a #DF; a
; contributory one while delivering a benign one is simply delivered.  #DF
; pushes error code 0 and its saved CS:EIP is undefined.  A gate that is
; not present raises #NP (6.12.1.1, "Interrupt 11"), and its error code has
; IDT=1 (bit 1), the vector in bits 3-15 and EXT=1 (bit 0) because the
; event was not caused by the program's own INT n (6.13).  QEMU leaves EXT
; clear in these error codes, so that one bit is not checked under QEMU.
;
; 1. IDT[6] not present, UD2: #UD (benign) -> #NP(6*8+2+1) is delivered.
; 2. IDT[11] not present, DS := a not-present segment: #NP (contributory)
;    -> #NP again while delivering it (contributory) -> #DF(0).
; 3. IDT[13] not present, a #GP: #GP -> #NP while delivering it -> #DF(0).
; The triple fault (a fault while delivering #DF) is pm_triple_fault_shutdown.
%define TEST_NAME "pm_double_fault"
%include "boot.inc"
%include "report.inc"
%include "pm.inc"

SEL_NP_DATA equ 0x40

        bits 16
test_main:
        ENTER_PM
        SET_DESC SEL_NP_DATA, 0, 0xFFFFF, 0x12, FLG_32_4K      ; P=0

        and     byte [IDT_BASE + 6 * 8 + 5], 0x7F               ; IDT[6].P = 0
        expect_fault 11, -1, "#UD with IDT[6] not present: #NP, no #DF"
        ud2
        end_expect
        mov     eax, [fault_error]
        ON_QEMU
        je      .ext_checked
        and     eax, ~1                 ; QEMU never sets EXT for IDT faults
        or      eax, 1
.ext_checked:
        CHECK_EQ eax, 6 * 8 + 2 + 1, "#NP error code: vector 6, IDT=1, EXT=1"
        OK      "error code 33h: vector 6, IDT, EXT (EXT not checked under QEMU)"
        or      byte [IDT_BASE + 6 * 8 + 5], 0x80

        and     byte [IDT_BASE + 11 * 8 + 5], 0x7F              ; IDT[11].P = 0
        expect_fault 8, 0, "#NP with IDT[11] not present: #DF(0)", NOEIP
        mov     ax, SEL_NP_DATA
        mov     ds, ax
        end_expect
        or      byte [IDT_BASE + 11 * 8 + 5], 0x80

        and     byte [IDT_BASE + 13 * 8 + 5], 0x7F              ; IDT[13].P = 0
        expect_fault 8, 0, "#GP with IDT[13] not present: #DF(0)", NOEIP
        mov     ax, SEL_TSS
        mov     ds, ax                  ; #GP(28h): a TSS is not a data segment
        end_expect
        or      byte [IDT_BASE + 13 * 8 + 5], 0x80

        ; With IDT[11] present again the same load is a plain #NP.
        expect_fault 11, SEL_NP_DATA, "#NP with IDT[11] present: #NP(sel)"
        mov     ax, SEL_NP_DATA
        mov     ds, ax
        end_expect
        PASS
