/*
 * Test support: see tfp_test.h.
 */
#include "tfp_test.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

void
quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

int
tfp_test_rel_ok(double got, double want, double rtol)
{
    double d = fabs(got - want);
    if (isnan(got) || isnan(want))
        return isnan(got) && isnan(want);
    if (want == 0.0)
        return d <= rtol;
    return d <= rtol * fabs(want);
}

const char *
tfp_test_path(const char *rel)
{
    static char buf[4096];
    const char *root = getenv("TFP_SRCDIR");
    snprintf(buf, sizeof buf, "%s/%s", root != NULL ? root : ".", rel);
    return buf;
}

const char *
tfp_test_tmpfile(int slot, const char *text, size_t n)
{
    static char paths[8][64];
    char *p = paths[slot & 7];
    int fd;
    snprintf(p, 64, "/tmp/tfp-test-%ld-%d-XXXXXX", (long)getpid(), slot & 7);
    fd = mkstemp(p);
    if (fd < 0)
        return NULL;
    if (write(fd, text, n) != (ssize_t)n) {
        close(fd);
        return NULL;
    }
    close(fd);
    return p;
}

void
tfp_test_release_fonts(void)
{
    cairo_debug_reset_static_data();
    FcFini();
}
