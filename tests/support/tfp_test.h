/*
 * Shared helpers for the Criterion unit tests: GSL's abort handler off,
 * relative comparisons that print both values to 17 digits, fixture paths.
 */
#ifndef TFP_TEST_H
#define TFP_TEST_H

#include <stddef.h>

/* Suite .init: turns GSL's default abort-on-error handler off. */
void quiet_gsl(void);

/* |got - want| <= rtol * |want| (or <= rtol when want == 0); on failure the
 * Criterion assertion message shows both values with 17 digits. */
int tfp_test_rel_ok(double got, double want, double rtol);
#define tfp_test_rel(got, want, rtol)                                                              \
    cr_assert(tfp_test_rel_ok((got), (want), (rtol)), "%s = %.17g, want %.17g (rtol %g)", #got,    \
              (double)(got), (double)(want), (double)(rtol))

/* Path of a file below the source tree: TFP_SRCDIR (default ".") + rel.
 * Returns a static buffer. */
const char *tfp_test_path(const char *rel);

/* Writes text to a new temporary file and returns its path (static buffer,
 * one per call slot 0..7). */
const char *tfp_test_tmpfile(int slot, const char *text, size_t n);

/* Under AddressSanitizer, asserts that nothing allocated is unreachable.
 * Criterion does not fail a test on LeakSanitizer's exit status, so the OOM
 * tests ask for a leak check themselves; without ASan this does nothing. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define tfp_test_assert_no_leaks()                                                                 \
    cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked")
#else
#define tfp_test_assert_no_leaks() ((void)0)
#endif
/* Suite .fini for tests that draw charts: hands back the font caches that
 * cairo and fontconfig keep for the process, which leak checkers would
 * otherwise report. */
void tfp_test_release_fonts(void);

#endif /* TFP_TEST_H */
