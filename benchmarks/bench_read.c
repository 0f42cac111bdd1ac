/*
 * Benchmark of the CSV reader (io layer): reads FILE with tfp_csv_reader, the firm panel's id
 * column as TEXT and year, output, capital, labour as NUMBER (other columns skipped), and
 * prints the wall time, rows, levels of id and a checksum of the numbers.
 * Build (or `make bench-build`):
 *   cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Iinclude -o build/bench_read \
 *     benchmarks/bench_read.c build/libtfp.a -lgsl -lopenblas -lcsv -lm -lpthread
 * Usage: build/bench_read FILE [--threads T] [--repeat K]
 * (T = 0: the library's default; K runs, each printed; the reader is freed between runs).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tfp/io.h"

static double
now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int
kind_of(const char *name, tfp_col_kind *kind)
{
    static const char *const numbers[] = {"year", "output", "capital", "labour"};
    size_t k;
    if (strcmp(name, "id") == 0) {
        *kind = TFP_COL_TEXT;
        return 1;
    }
    for (k = 0; k < sizeof numbers / sizeof numbers[0]; k++)
        if (strcmp(name, numbers[k]) == 0) {
            *kind = TFP_COL_NUMBER;
            return 1;
        }
    *kind = TFP_COL_SKIP;
    return 0;
}

int
main(int argc, char **argv)
{
    const char *path = NULL;
    tfp_csv_opts opts;
    long repeat = 1, r;
    int a;
    tfp_csv_opts_init(&opts);
    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--threads") == 0 && a + 1 < argc)
            opts.threads = (size_t)strtoul(argv[++a], NULL, 10);
        else if (strcmp(argv[a], "--repeat") == 0 && a + 1 < argc)
            repeat = strtol(argv[++a], NULL, 10);
        else if (path == NULL)
            path = argv[a];
        else {
            fprintf(stderr, "usage: bench_read FILE [--threads T] [--repeat K]\n");
            return 1;
        }
    }
    if (path == NULL) {
        fprintf(stderr, "usage: bench_read FILE [--threads T] [--repeat K]\n");
        return 1;
    }
    for (r = 0; r < repeat; r++) {
        tfp_error err;
        tfp_csv_reader *rd;
        tfp_frame *f = NULL;
        double t0 = now(), t1, sum = 0.0;
        size_t j, i, nlev = 0;
        tfp_error_init(&err);
        rd = tfp_csv_reader_alloc(path, &opts, &err);
        if (rd == NULL) {
            fprintf(stderr, "bench_read: %s:%zu:%zu: %s\n", path, err.line, err.col, err.msg);
            return 2;
        }
        for (j = 0; j < tfp_csv_reader_ncol(rd); j++) {
            tfp_col_kind k;
            kind_of(tfp_csv_reader_name(rd, j), &k);
            tfp_csv_reader_set_kind(rd, j, k);
        }
        if (tfp_csv_reader_read(rd, &f, &err) != TFP_OK) {
            fprintf(stderr, "bench_read: %s:%zu:%zu: %s\n", path, err.line, err.col, err.msg);
            tfp_csv_reader_free(rd);
            return 2;
        }
        tfp_csv_reader_free(rd);
        t1 = now();
        for (j = 0; j < f->ncol; j++) {
            const tfp_column *c = &f->col[j];
            if (c->kind == TFP_COL_NUMBER)
                for (i = 0; i < f->nrow; i++)
                    sum += c->num[i];
            else if (c->kind == TFP_COL_TEXT) {
                nlev += c->nlevels;
                for (i = 0; i < f->nrow; i++)
                    sum += (double)c->code[i];
            }
        }
        for (i = 0; i < f->nrow; i++)
            sum += (double)f->line[i];
        printf("read_s=%.6f rows=%zu levels=%zu threads=%zu checksum=%.17g\n", t1 - t0, f->nrow,
               nlev, opts.threads, sum);
        tfp_frame_free(f);
    }
    return 0;
}
