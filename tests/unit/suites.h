/* SPDX-License-Identifier: MIT */
/* The unit-test suites, one per test_*.c file. */
#ifndef FAULTLINE_TEST_SUITES_H
#define FAULTLINE_TEST_SUITES_H

#include <check.h>

Suite *bus_suite(void);
Suite *clock_suite(void);
Suite *memory_suite(void);
Suite *decode_suite(void);
Suite *cpu_suite(void);
Suite *machine_suite(void);
Suite *flags_suite(void);

#endif
