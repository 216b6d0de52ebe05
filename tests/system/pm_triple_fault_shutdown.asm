; SPDX-License-Identifier: MIT
; pm_triple_fault_shutdown -- a fault while delivering a double fault shuts
; the processor down (a "triple fault"); a PC's chipset then resets it.
;
; SDM vol. 3A 6.15, "Interrupt 8 -- Double Fault Exception": "If any other
; exception occurs while attempting to call the double-fault handler, the
; processor enters shutdown mode."  Here the IDT is empty (limit 0): UD2
; raises #UD; reading IDT[6] fails (#GP); reading IDT[13] fails, a
; contributory fault during a contributory one (#DF); reading IDT[8] fails:
; shutdown.
;
; The runner expects the machine to stop without printing PASS: Faultline
; with -no-reboot exits with status 4 (CPU shutdown), QEMU with -no-reboot
; exits with status 0.  Reaching the end of this program prints FAIL.
%define TEST_NAME "pm_triple_fault_shutdown"
%include "boot.inc"
%include "report.inc"
%include "pm.inc"

        bits 16
test_main:
        ENTER_PM
        PRINT   {"expecting a shutdown now", 10}
        lidt    [empty_idt]
        ud2
        FAIL    "UD2 with an empty IDT returned"

empty_idt:
        dw      0                       ; limit 0: not even one gate fits
        dd      IDT_BASE
