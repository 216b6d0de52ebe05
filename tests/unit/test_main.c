/* SPDX-License-Identifier: MIT */
/* Runs every unit-test suite; each test_*.c file contributes one suite. */
#include <check.h>
#include <stdlib.h>

#include "suites.h"

int main(void)
{
    SRunner *runner = srunner_create(bus_suite());
    srunner_add_suite(runner, clock_suite());
    srunner_add_suite(runner, memory_suite());
    srunner_add_suite(runner, decode_suite());
    srunner_add_suite(runner, cpu_suite());
    srunner_add_suite(runner, machine_suite());
    srunner_add_suite(runner, flags_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
