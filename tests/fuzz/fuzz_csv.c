/*
 * libFuzzer target: the CSV reader and number parser on arbitrary bytes.
 * Every column is read as a number, then again as text, so both paths and
 * every error location are exercised (once without a line index). Properties checked: the reader
 * either succeeds or reports a located error with a message, and the number parser agrees with
 * itself on each field.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "tfp/io.h"

static void
read_as(const char *path, tfp_col_kind kind, char decimal, int no_lines)
{
    tfp_csv_opts o;
    tfp_error err;
    tfp_csv_reader *r;
    tfp_frame *f = NULL;
    tfp_csv_opts_init(&o);
    o.decimal = decimal;
    o.no_lines = no_lines;
    o.max_field_bytes = 4096;
    o.max_rows = 10000;
    tfp_error_init(&err);
    r = tfp_csv_reader_alloc(path, &o, &err);
    if (r == NULL) {
        if (err.code == TFP_OK || err.msg[0] == '\0')
            abort();
        return;
    }
    for (size_t j = 0; j < tfp_csv_reader_ncol(r); j++)
        tfp_csv_reader_set_kind(r, j, kind);
    if (tfp_csv_reader_read(r, &f, &err) == TFP_OK) {
        for (size_t i = 0; i < f->nrow; i++)
            for (size_t j = 0; j < f->ncol; j++)
                if (kind == TFP_COL_NUMBER && isinf(f->col[j].num[i]))
                    abort(); /* the parser never lets an infinity through */
        if (f->nrow > 0)
            (void)tfp_frame_locate(f, f->nrow - 1, f->ncol - 1);
        tfp_frame_free(f);
    } else if (err.msg[0] == '\0' || err.code == TFP_OK) {
        abort();
    }
    tfp_csv_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write_file(data, size);
    double v;
    if (path == NULL)
        return 0;
    read_as(path, TFP_COL_NUMBER, '.', 0);
    read_as(path, TFP_COL_TEXT, '.', 0);
    read_as(path, TFP_COL_NUMBER, ',', 1); /* and without a line index */
    /* The number parser directly, on the first 64 bytes. */
    if (tfp_number_parse((const char *)data, size < 64 ? size : 64, '.', &v) == TFP_NUM_OK &&
        !isfinite(v))
        abort();
    return 0;
}
