/*
 * Benchmark of least squares (models layer): times tfp_ols_fit on generated designs, the
 * 3e6 x 4 design of tests/models/test_ols.c (intercept, uniform and log columns, noise SD
 * 0.25) and a 1e6 x 3 design (log capital, log labour and year of a firm panel, no intercept,
 * as after a within transformation), and prints the median of the runs and beta.
 * Build (or `make bench-build`):
 *   cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Iinclude -o build/bench_ols \
 *     benchmarks/bench_ols.c build/libtfp.a -lgsl -lopenblas -lcsv -lm -lpthread
 * Usage: build/bench_ols [--runs K] [--threads T] [ROWSxCOLS ...]   (default 1e6x3 3e6x4;
 * K = 6 fits, the first timed alone (fresh workspace pages), the median of the others
 * reported; T = tfp_ols_opts.threads, 0 = the online processors, the library's default)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tfp/ols.h"

static double
now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static uint64_t
xorshift64(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

static double
uniform01(uint64_t *s)
{
    return (double)(xorshift64(s) >> 11) * 0x1.0p-53;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* p = 4: the test's design; p = 3: a demeaned-panel-like design without intercept. */
static void
fill(double *X, double *y, size_t n, size_t p)
{
    uint64_t s = 0x2545f4914f6cdd1du;
    size_t i;
    for (i = 0; i < n; i++) {
        double *x = X + i * p;
        if (p == 4) {
            x[0] = 1.0;
            x[1] = 10.0 + 5.0 * uniform01(&s);
            x[2] = 100.0 * uniform01(&s) - 50.0;
            x[3] = log1p(9.0 * uniform01(&s));
            y[i] = 2.385 + 0.731 * x[1] - 0.0127 * x[2] + 1.93 * x[3] +
                   0.5 * (uniform01(&s) + uniform01(&s) + uniform01(&s) - 1.5);
        } else {
            x[0] = 0.3 * (uniform01(&s) - 0.5);
            x[1] = 0.2 * (uniform01(&s) - 0.5) + 0.3 * x[0];
            x[2] = (double)(i % 20) - 9.5;
            y[i] = 0.35 * x[0] + 0.60 * x[1] + 0.015 * x[2] + 0.1 * (uniform01(&s) - 0.5);
        }
    }
}

int
main(int argc, char **argv)
{
    static const char *const defaults[] = {"1e6x3", "3e6x4"};
    const char *const *specs = defaults;
    size_t nspec = 2, runs = 6, threads = 0, a, r, j;
    while (argc > 2 && (strcmp(argv[1], "--runs") == 0 || strcmp(argv[1], "--threads") == 0)) {
        if (strcmp(argv[1], "--runs") == 0)
            runs = (size_t)strtoul(argv[2], NULL, 10);
        else
            threads = (size_t)strtoul(argv[2], NULL, 10);
        argc -= 2;
        argv += 2;
    }
    if (argc > 1) {
        specs = (const char *const *)(argv + 1);
        nspec = (size_t)argc - 1;
    }
    for (a = 0; a < nspec; a++) {
        char *x;
        size_t n = (size_t)strtod(specs[a], &x),
               p = *x == 'x' ? (size_t)strtoul(x + 1, NULL, 10) : 0;
        double *X, *y, *t, first;
        tfp_ols_ws *w;
        tfp_ols_result *res;
        tfp_ols_opts opts;
        tfp_error err;
        if (n == 0 || (p != 3 && p != 4)) {
            fprintf(stderr, "bench_ols: bad size %s (want ROWSx3 or ROWSx4)\n", specs[a]);
            return 1;
        }
        X = malloc(n * p * sizeof *X);
        y = malloc(n * sizeof *y);
        t = malloc(runs * sizeof *t);
        w = tfp_ols_ws_alloc(n, p, &err);
        res = tfp_ols_result_alloc(p, 0, &err);
        if (X == NULL || y == NULL || t == NULL || w == NULL || res == NULL) {
            fprintf(stderr, "bench_ols: out of memory\n");
            return 1;
        }
        fill(X, y, n, p);
        tfp_ols_opts_init(&opts);
        opts.intercept = p == 4;
        opts.threads = threads;
        for (r = 0; r < runs; r++) {
            double t0 = now();
            if (tfp_ols_fit(X, y, n, p, &opts, w, res, &err) != TFP_OK) {
                fprintf(stderr, "bench_ols: %s\n", err.msg);
                return 2;
            }
            t[r] = now() - t0;
        }
        /* The first fit touches the workspace's pages for the first time (a fresh process's
         * cost); the others reuse them (repeated fits, as a bootstrap's). */
        first = t[0];
        if (runs > 1)
            qsort(t + 1, runs - 1, sizeof *t, cmp_double);
        printf("ols %zux%zu threads %zu: first %.4f s, then median %.4f s (min %.4f, max %.4f, "
               "%zu runs), refine_steps %zu, converged %d\n  beta",
               n, p, threads, first, runs > 1 ? t[1 + (runs - 1) / 2] : first,
               runs > 1 ? t[1] : first, runs > 1 ? t[runs - 1] : first, runs - 1, res->refine_steps,
               res->refine_converged);
        for (j = 0; j < p; j++)
            printf(" %.17g", res->beta[j]);
        printf("\n  se  ");
        for (j = 0; j < p; j++)
            printf(" %.17g", res->se[j]);
        printf("\n");
        tfp_ols_result_free(res);
        tfp_ols_ws_free(w);
        free(X);
        free(y);
        free(t);
    }
    return 0;
}
