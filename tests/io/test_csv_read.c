/*
 * io layer: the CSV reader. Fixtures under tests/fixtures/io/ are read as
 * given and rewritten with CRLF, mixed and CR line ends, a BOM, ';' and tab
 * delimiters, which must give identical frames; every input error is checked
 * for its code, line, column and message; allocation failures for leaks.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include "tfp/alloc.h"
#include "tfp/error.h"
#include "tfp/io.h"
#include "tfp_test.h"

TestSuite(csv_read, .init = quiet_gsl);

/* ---- helpers ------------------------------------------------------------ */

/* Under ASan, fails the running test when any block has become unreachable.
 * LeakSanitizer's own report at exit does not fail a Criterion test (the test
 * has already passed by then), so leak checks are made inside the test. */
static void
assert_no_leaks(void)
{
#if defined(__SANITIZE_ADDRESS__)
    cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked (report above)");
#endif
}

static char *
slurp(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    char *buf;
    long len;
    cr_assert_not_null(fp, "cannot open fixture %s", path);
    fseek(fp, 0, SEEK_END);
    len = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    buf = malloc((size_t)len + 1);
    cr_assert_eq(fread(buf, 1, (size_t)len, fp), (size_t)len);
    buf[len] = '\0';
    fclose(fp);
    *n = (size_t)len;
    return buf;
}

/* Column kinds by letter: N number, T text, anything else (or past the end
 * of kinds) skip. */
static void
set_kinds(tfp_csv_reader *r, const char *kinds)
{
    size_t j;
    for (j = 0; kinds != NULL && kinds[j] != '\0' && j < tfp_csv_reader_ncol(r); j++) {
        tfp_col_kind k = kinds[j] == 'N'   ? TFP_COL_NUMBER
                         : kinds[j] == 'T' ? TFP_COL_TEXT
                                           : TFP_COL_SKIP;
        cr_assert_eq(tfp_csv_reader_set_kind(r, j, k), TFP_OK);
    }
}

static int
read_path(const char *path,
          const tfp_csv_opts *opts,
          const char *kinds,
          tfp_frame **out,
          tfp_error *err)
{
    tfp_csv_reader *r;
    int rc;
    tfp_error_init(err);
    *out = NULL;
    r = tfp_csv_reader_alloc(path, opts, err);
    if (r == NULL) {
        cr_assert_neq(err->code, TFP_OK, "a failed alloc must fill err");
        return err->code;
    }
    set_kinds(r, kinds);
    rc = tfp_csv_reader_read(r, out, err);
    tfp_csv_reader_free(r);
    if (rc != TFP_OK)
        cr_assert_null(*out);
    return rc;
}

/* Writes text to a temporary file, reads it and removes the file. */
static int
read_text(const char *text,
          size_t n,
          const tfp_csv_opts *opts,
          const char *kinds,
          tfp_frame **out,
          tfp_error *err)
{
    const char *path = tfp_test_tmpfile(0, text, n);
    int rc;
    cr_assert_not_null(path);
    rc = read_path(path, opts, kinds, out, err);
    unlink(path);
    return rc;
}

static void
expect_error(const char *text,
             size_t n,
             const tfp_csv_opts *opts,
             const char *kinds,
             int code,
             size_t line,
             size_t col,
             const char *substr)
{
    tfp_frame *f;
    tfp_error err;
    int rc = read_text(text, n, opts, kinds, &f, &err);
    cr_assert_eq(rc, code, "code %d, want %d (%s)", rc, code, err.msg);
    cr_assert_eq(err.code, code);
    cr_assert_eq(err.line, line, "line %zu, want %zu (%s)", err.line, line, err.msg);
    cr_assert_eq(err.col, col, "col %zu, want %zu (%s)", err.col, col, err.msg);
    cr_assert(strstr(err.msg, substr) != NULL, "message \"%s\" lacks \"%s\"", err.msg, substr);
    cr_assert_null(f);
    assert_no_leaks();
}

#define EXPECT_INPUT_ERROR(text, kinds, line, col, substr)                                         \
    expect_error((text), sizeof(text) - 1, NULL, (kinds), TFP_EINPUT, (line), (col), (substr))

static int
same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0 || (isnan(a) && isnan(b));
}

static void
assert_same_frames(const tfp_frame *a, const tfp_frame *b, const char *variant)
{
    size_t i, j, k;
    cr_assert_eq(a->ncol, b->ncol, "%s: ncol", variant);
    cr_assert_eq(a->nrow, b->nrow, "%s: nrow %zu vs %zu", variant, a->nrow, b->nrow);
    cr_assert_eq(a->header_line, b->header_line, "%s: header line", variant);
    /* b read without a line index (no_lines) has none; a reference always has one. */
    cr_assert_not_null(a->line, "%s: reference without lines", variant);
    for (i = 0; b->line != NULL && i < a->nrow; i++)
        cr_assert_eq(a->line[i], b->line[i], "%s: line of row %zu", variant, i);
    for (j = 0; j < a->ncol; j++) {
        const tfp_column *x = &a->col[j], *y = &b->col[j];
        cr_assert_str_eq(x->name, y->name, "%s: name %zu", variant, j);
        cr_assert_eq(x->header_col, y->header_col, "%s: header col %zu", variant, j);
        cr_assert_eq(x->kind, y->kind);
        if (x->kind == TFP_COL_NUMBER)
            for (i = 0; i < a->nrow; i++)
                cr_assert(same_double(x->num[i], y->num[i]), "%s: %s[%zu] = %a vs %a", variant,
                          x->name, i, x->num[i], y->num[i]);
        if (x->kind == TFP_COL_TEXT) {
            cr_assert_eq(x->nlevels, y->nlevels, "%s: %s levels", variant, x->name);
            for (k = 0; k < x->nlevels; k++)
                cr_assert_str_eq(x->levels[k], y->levels[k], "%s: %s level %zu", variant, x->name,
                                 k);
            for (i = 0; i < a->nrow; i++)
                cr_assert_eq(x->code[i], y->code[i], "%s: %s code %zu", variant, x->name, i);
        }
    }
}

/* Rewrites LF-ended CSV text: delimiter ',' outside quotes becomes delim,
 * and each '\n' becomes the line end chosen by mode (0 LF, 1 CRLF, 2 CRLF
 * and LF alternating, 3 CR). Returns a malloc'd buffer. */
static char *
rewrite(const char *s, size_t n, char delim, int mode, int bom, size_t *out_n)
{
    char *o = malloc(2 * n + 4);
    size_t i, k = 0, lines = 0;
    int quoted = 0;
    if (bom) {
        memcpy(o, "\xEF\xBB\xBF", 3);
        k = 3;
    }
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (c == '"')
            quoted = !quoted;
        if (c == ',' && !quoted) {
            o[k++] = delim;
        } else if (c == '\n') {
            int crlf = mode == 1 || (mode == 2 && lines % 2 == 0);
            if (mode == 3)
                o[k++] = '\r';
            else if (crlf) {
                o[k++] = '\r';
                o[k++] = '\n';
            } else
                o[k++] = '\n';
            lines++;
        } else {
            o[k++] = c;
        }
    }
    *out_n = k;
    return o;
}

#define PANEL_KINDS "TTNNNNT"

static tfp_frame *
read_panel(void)
{
    tfp_frame *f;
    tfp_error err;
    int rc = read_path(tfp_test_path("tests/fixtures/io/panel.csv"), NULL, PANEL_KINDS, &f, &err);
    cr_assert_eq(rc, TFP_OK, "%s", err.msg);
    return f;
}

/* ---- reading fixtures ------------------------------------------------------ */

Test(csv_read, reads_panel_fixture_into_columns)
{
    tfp_frame *f = read_panel();
    const tfp_column *c = f->col;
    static const size_t lines[] = {2, 3, 4, 6, 7};
    size_t i;
    cr_assert_eq(f->ncol, 7);
    cr_assert_eq(f->nrow, 5);
    cr_assert_eq(f->delimiter, ',');
    cr_assert_eq(f->header_line, 1);
    /* The fourth record's note spans lines 4-5, so the next starts on 6. */
    for (i = 0; i < 5; i++)
        cr_assert_eq(f->line[i], lines[i]);
    cr_assert_str_eq(c[0].name, "region");
    cr_assert_str_eq(c[6].name, "note");
    /* "region,sector,year,": year starts at character 15. */
    cr_assert_eq(c[2].header_col, 15);

    cr_assert_eq(c[0].nlevels, 3);
    cr_assert_str_eq(c[0].levels[0], "Bac Giang");
    cr_assert_str_eq(c[0].levels[1], "Ha Noi, capital");
    cr_assert_str_eq(c[0].levels[2], "B\xe1\xba\xaf"
                                     "c Ninh");
    cr_assert_eq(c[0].code[0], 0);
    cr_assert_eq(c[0].code[2], 0);
    cr_assert_eq(c[0].code[3], 1);
    cr_assert_eq(c[0].code[4], 2);
    cr_assert_eq(c[1].nlevels, 3);
    cr_assert_str_eq(c[1].levels[2], "agriculture");

    /* year */
    cr_assert(same_double(c[2].num[0], 2020.0));
    cr_assert(same_double(c[2].num[4], 2021.0));
    /* output: "1,234.5" quoted with a thousands separator, "..", "-". */
    cr_assert(same_double(c[3].num[0], 1234.5));
    cr_assert(same_double(c[3].num[1], 1402.75));
    cr_assert(isnan(c[3].num[2]));
    cr_assert(isnan(c[3].num[3]));
    /* "  987.125 " has blanks around it. */
    cr_assert(same_double(c[3].num[4], 987.125));
    /* labour: NA, then 1.5e3 = 1500, then #N/A. */
    cr_assert(same_double(c[4].num[0], 600.25));
    cr_assert(isnan(c[4].num[1]));
    cr_assert(same_double(c[4].num[3], 1500.0));
    cr_assert(isnan(c[4].num[4]));
    /* capital: an empty field is missing; -0.0 keeps its sign. */
    cr_assert(isnan(c[5].num[2]));
    cr_assert(c[5].num[3] == 0.0 && signbit(c[5].num[3]));
    /* note: doubled quotes, a quoted newline, quoted ';' and tab. */
    cr_assert_str_eq(c[6].levels[c[6].code[1]], "says \"hi\"");
    cr_assert_str_eq(c[6].levels[c[6].code[2]], "two\nlines");
    cr_assert_str_eq(c[6].levels[c[6].code[3]], "x;y\tz");
    tfp_frame_free(f);
}

Test(csv_read, gives_identical_frames_for_every_line_end_bom_and_delimiter)
{
    static const char delims[] = {',', ';', '\t'};
    static const char *const modes[] = {"LF", "CRLF", "mixed", "CR"};
    tfp_frame *base = read_panel();
    size_t n, m, d;
    int mode, bom, last_newline;
    char *text = slurp(tfp_test_path("tests/fixtures/io/panel.csv"), &n);
    for (d = 0; d < 3; d++)
        for (mode = 0; mode < 4; mode++)
            for (bom = 0; bom < 2; bom++)
                for (last_newline = 0; last_newline < 2; last_newline++) {
                    char variant[64];
                    tfp_frame *f;
                    tfp_error err;
                    char *v = rewrite(text, n, delims[d], mode, bom, &m);
                    int rc;
                    /* Without the final line end the last record ends at EOF.
                     * The fixture's seventh line end is CRLF in the mixed
                     * variant (even-numbered ends are). */
                    if (!last_newline)
                        m -= mode == 1 || mode == 2 ? 2 : 1;
                    snprintf(variant, sizeof variant, "delim %d, %s, bom %d, final newline %d",
                             delims[d], modes[mode], bom, last_newline);
                    rc = read_text(v, m, NULL, PANEL_KINDS, &f, &err);
                    cr_assert_eq(rc, TFP_OK, "%s: %s (line %zu col %zu)", variant, err.msg,
                                 err.line, err.col);
                    cr_assert_eq(f->delimiter, delims[d], "%s: delimiter detected", variant);
                    assert_same_frames(base, f, variant);
                    tfp_frame_free(f);
                    free(v);
                }
    free(text);
    tfp_frame_free(base);
}

Test(csv_read, reads_decimal_comma_with_semicolons)
{
    tfp_csv_opts o;
    tfp_frame *f;
    tfp_error err;
    int rc;
    tfp_csv_opts_init(&o);
    o.decimal = ',';
    rc = read_path(tfp_test_path("tests/fixtures/io/decimal_comma.csv"), &o, "TNNN", &f, &err);
    cr_assert_eq(rc, TFP_OK, "%s", err.msg);
    cr_assert_eq(f->delimiter, ';');
    cr_assert_eq(f->nrow, 3);
    cr_assert_str_eq(f->col[0].name, "t\xe1\xbb\x89nh");
    /* "1.234,5" = 1234.5; "1.402,75" = 1402.75; "12.345.678,125" = 12345678.125. */
    cr_assert(same_double(f->col[2].num[0], 1234.5));
    cr_assert(same_double(f->col[2].num[1], 1402.75));
    cr_assert(same_double(f->col[2].num[2], 12345678.125));
    /* "600,25" = 600.25; "-" is missing; "1,5e3" = 1500. */
    cr_assert(same_double(f->col[3].num[0], 600.25));
    cr_assert(isnan(f->col[3].num[1]));
    cr_assert(same_double(f->col[3].num[2], 1500.0));
    cr_assert_str_eq(f->col[0].levels[1], "H\xc3\xa0 N\xe1\xbb\x99i");
    tfp_frame_free(f);
}

Test(csv_read, reads_every_missing_marker_as_nan)
{
    tfp_frame *f;
    tfp_error err;
    size_t i;
    int rc =
        read_path(tfp_test_path("tests/fixtures/io/missing_markers.csv"), NULL, "TN", &f, &err);
    cr_assert_eq(rc, TFP_OK, "%s", err.msg);
    cr_assert_eq(f->nrow, 8);
    /* empty, NA, .., -, #N/A, blanks, and a quoted "  NA  " */
    for (i = 0; i < 7; i++)
        cr_assert(isnan(f->col[1].num[i]), "row %zu must be missing", i);
    cr_assert(same_double(f->col[1].num[7], 3.25));
    tfp_frame_free(f);
}

Test(csv_read, interns_text_in_order_of_first_appearance)
{
    /* 6000 rows cycling through 1500 values in a scrambled order: value
     * (i * 7) % 1500 on row i; 7 is prime to 1500, so rows 0..1499 show
     * every value once and fix the level order. */
    size_t cap = 6000 * 16 + 16, k = 0, i;
    char *text = malloc(cap);
    tfp_frame *f;
    tfp_error err;
    int rc;
    k += (size_t)snprintf(text + k, cap - k, "key,skipped\n");
    for (i = 0; i < 6000; i++)
        k += (size_t)snprintf(text + k, cap - k, "v%zu,%zu\n", (i * 7) % 1500, i);
    rc = read_text(text, k, NULL, "T", &f, &err);
    cr_assert_eq(rc, TFP_OK, "%s", err.msg);
    cr_assert_eq(f->nrow, 6000);
    cr_assert_eq(f->col[0].nlevels, 1500);
    cr_assert_null(f->col[1].num, "a skipped column holds no data");
    for (i = 0; i < 6000; i++) {
        char want[16];
        snprintf(want, sizeof want, "v%zu", (i * 7) % 1500);
        cr_assert_eq(f->col[0].code[i], i % 1500);
        cr_assert_str_eq(f->col[0].levels[f->col[0].code[i]], want);
    }
    tfp_frame_free(f);
    free(text);
}

Test(csv_read, skips_blank_lines_and_reports_header_position)
{
    static const char text[] = "\n  \nyear,x\n\n2020,1\n \t \n2021,2";
    tfp_frame *f;
    tfp_error err;
    int rc = read_text(text, sizeof text - 1, NULL, "NN", &f, &err);
    cr_assert_eq(rc, TFP_OK, "%s", err.msg);
    cr_assert_eq(f->header_line, 3);
    cr_assert_eq(f->nrow, 2);
    cr_assert_eq(f->line[0], 5);
    cr_assert_eq(f->line[1], 7);
    cr_assert(same_double(f->col[1].num[1], 2.0));
    tfp_frame_free(f);
}

Test(csv_read, counts_crlf_split_across_read_blocks_once)
{
    /* The reader takes 65536 bytes at a time. "a\n" and 65533 x's put the CR
     * at offset 65535, the last byte of the first block, and its LF first in
     * the next: one line end, so "y" is on line 3. With a lone CR there,
     * "y" follows directly and is on line 3 as well. */
    size_t n = 2 + 65533 + 2 + 2, mode;
    char *text = malloc(n);
    for (mode = 0; mode < 2; mode++) {
        tfp_frame *f;
        tfp_error err;
        size_t k = 0;
        int rc;
        memcpy(text, "a\n", 2);
        k = 2;
        memset(text + k, 'x', 65533);
        k += 65533;
        text[k++] = '\r';
        if (mode == 0)
            text[k++] = '\n';
        text[k++] = 'y';
        text[k++] = '\n';
        rc = read_text(text, k, NULL, "T", &f, &err);
        cr_assert_eq(rc, TFP_OK, "%s", err.msg);
        cr_assert_eq(f->nrow, 2, "mode %zu", mode);
        cr_assert_eq(f->line[1], 3, "mode %zu", mode);
        cr_assert_str_eq(f->col[0].levels[1], "y");
        cr_assert_eq(strlen(f->col[0].levels[0]), 65533);
        tfp_frame_free(f);
    }
    free(text);
}

Test(csv_read, detects_delimiter_from_header_with_ties_going_to_comma)
{
    static const struct {
        const char *text;
        char want;
    } cases[] = {
        {"a;b;c\n1;2;3\n", ';'}, {"a\tb\n1\t2\n", '\t'}, {"a,b;c\n", ','}, /* one each: a tie */
        {"a;b\tc;d\te\n", ','}, /* ';' and tab tie above ',' */
        {"\"x,y\";z\n", ';'},   /* the quoted ',' does not count */
        {"only\n1\n", ','},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *path = tfp_test_tmpfile(1, cases[i].text, strlen(cases[i].text));
        tfp_error err;
        tfp_csv_reader *r;
        tfp_error_init(&err);
        r = tfp_csv_reader_alloc(path, NULL, &err);
        cr_assert_not_null(r, "%s", err.msg);
        cr_assert_eq(tfp_csv_reader_delimiter(r), cases[i].want, "case %zu", i);
        tfp_csv_reader_free(r);
        unlink(path);
    }
}

Test(csv_read, reports_header_names_and_their_character_columns)
{
    /* "Tỉnh" is 4 characters in 6 bytes: '"' 1, Tỉnh 2-5, '"' 6, ',' 7,
     * ' ' 8, "năm" 9-11, ' ' 12, ',' 13, '"' 14. */
    static const char text[] = "\"T\xe1\xbb\x89nh\", n\xc4\x83m ,\"GRDP\",\n";
    const char *path = tfp_test_tmpfile(1, text, sizeof text - 1);
    tfp_error err;
    tfp_csv_reader *r;
    tfp_error_init(&err);
    r = tfp_csv_reader_alloc(path, NULL, &err);
    cr_assert_not_null(r, "%s", err.msg);
    cr_assert_eq(tfp_csv_reader_ncol(r), 4);
    cr_assert_str_eq(tfp_csv_reader_name(r, 0), "T\xe1\xbb\x89nh");
    cr_assert_str_eq(tfp_csv_reader_name(r, 1), "n\xc4\x83m");
    cr_assert_str_eq(tfp_csv_reader_name(r, 2), "GRDP");
    /* An empty name is allowed; its column starts at the line's end, 21. */
    cr_assert_str_eq(tfp_csv_reader_name(r, 3), "");
    cr_assert_eq(tfp_csv_reader_name_col(r, 0), 1);
    cr_assert_eq(tfp_csv_reader_name_col(r, 1), 9);
    cr_assert_eq(tfp_csv_reader_name_col(r, 2), 14);
    cr_assert_eq(tfp_csv_reader_name_col(r, 3), 21);
    cr_assert_null(tfp_csv_reader_name(r, 4));
    tfp_csv_reader_free(r);
    unlink(path);
}

Test(csv_read, rejects_bad_kinds_options_and_a_second_read)
{
    static const char text[] = "a,b\n1,2\n";
    const char *path = tfp_test_tmpfile(1, text, sizeof text - 1);
    tfp_csv_opts o;
    tfp_error err;
    tfp_frame *f;
    tfp_csv_reader *r;
    tfp_error_init(&err);
    tfp_csv_opts_init(&o);
    o.delimiter = '|';
    cr_assert_null(tfp_csv_reader_alloc(path, &o, &err));
    cr_assert_eq(err.code, TFP_EINVAL);
    tfp_error_init(&err);
    tfp_csv_opts_init(&o);
    o.decimal = ';';
    cr_assert_null(tfp_csv_reader_alloc(path, &o, &err));
    cr_assert_eq(err.code, TFP_EINVAL);
    tfp_error_init(&err);
    r = tfp_csv_reader_alloc(path, NULL, &err);
    cr_assert_not_null(r);
    cr_assert_eq(tfp_csv_reader_set_kind(r, 2, TFP_COL_NUMBER), TFP_EINVAL);
    cr_assert_eq(tfp_csv_reader_set_kind(r, 0, (tfp_col_kind)7), TFP_EINVAL);
    cr_assert_eq(tfp_csv_reader_read(r, &f, &err), TFP_OK);
    tfp_frame_free(f);
    cr_assert_eq(tfp_csv_reader_read(r, &f, &err), TFP_EINVAL);
    cr_assert_null(f);
    tfp_csv_reader_free(r);
    assert_no_leaks();
    unlink(path);
}

Test(csv_read, finds_columns_ignoring_ascii_case)
{
    tfp_frame *f = read_panel();
    cr_assert_eq(tfp_frame_find(f, "LABOUR"), 4);
    cr_assert_eq(tfp_frame_find(f, "Region"), 0);
    cr_assert_eq(tfp_frame_find(f, "labor"), SIZE_MAX);
    cr_assert_eq(tfp_frame_find(f, ""), SIZE_MAX);
    tfp_frame_free(f);
}

Test(csv_read, locates_fields_by_rereading_the_file)
{
    tfp_frame *f = read_panel();
    /* Row 3 is line 6: '"Ha Noi, capital",' is 18 characters, "services,"
     * 9, "2021," 5 and "-," 2, so labour's 1.5e3 starts at 35. */
    cr_assert_eq(tfp_frame_locate(f, 3, 4), 35);
    /* Row 4 is line 7: "Bắc Ninh," is 9 characters, "agriculture," 12,
     * "2021," 5, then two blanks: output's 987.125 starts at 29. */
    cr_assert_eq(tfp_frame_locate(f, 4, 3), 29);
    /* Row 2 is line 4: its note opens with a quote at 33 and runs on. */
    cr_assert_eq(tfp_frame_locate(f, 2, 6), 33);
    cr_assert_eq(tfp_frame_locate(f, 0, 0), 1);
    cr_assert_eq(tfp_frame_locate(f, 5, 0), 0);
    cr_assert_eq(tfp_frame_locate(f, 0, 7), 0);
    tfp_frame_free(f);
}

Test(csv_read, locate_gives_zero_without_a_line_index)
{
    tfp_csv_opts o;
    tfp_frame *f;
    tfp_error err;
    tfp_csv_opts_init(&o);
    o.no_lines = 1;
    cr_assert_eq(read_path(tfp_test_path("tests/fixtures/io/panel.csv"), &o, PANEL_KINDS, &f, &err),
                 TFP_OK, "%s", err.msg);
    cr_assert_null(f->line);
    cr_assert_eq(f->nrow, 5);
    cr_assert_eq(tfp_frame_locate(f, 3, 4), 0);
    tfp_frame_free(f);
}

Test(csv_read, locate_gives_zero_for_a_field_on_a_later_line)
{
    static const char text[] = "\xEF\xBB\xBFnote,x\r\n\"a\r\nb\",7\r\n";
    const char *path = tfp_test_tmpfile(2, text, sizeof text - 1);
    tfp_frame *f;
    tfp_error err;
    cr_assert_eq(read_path(path, NULL, "TN", &f, &err), TFP_OK, "%s", err.msg);
    cr_assert_eq(tfp_frame_locate(f, 0, 0), 1);
    /* x starts on line 3, not on the record's line 2. */
    cr_assert_eq(tfp_frame_locate(f, 0, 1), 0);
    tfp_frame_free(f);
    unlink(path);
}

Test(csv_read, reads_standard_input_and_locates_in_its_spool)
{
    static const char text[] = "a;b\n1;2\n3; x\n";
    const char *path = tfp_test_tmpfile(3, text, sizeof text - 1);
    tfp_frame *f;
    tfp_error err;
    int rc;
    cr_assert_not_null(freopen(path, "rb", stdin));
    rc = read_path("-", NULL, "NT", &f, &err);
    cr_assert_eq(rc, TFP_OK, "%s", err.msg);
    cr_assert_str_eq(f->path, "-");
    cr_assert_eq(f->nrow, 2);
    /* "3; x": x starts at character 4, after the blank. */
    cr_assert_eq(tfp_frame_locate(f, 1, 1), 4);
    tfp_frame_free(f);
    unlink(path);
}

/* ---- I/O errors ----------------------------------------------------------- */

Test(csv_read, missing_file_is_an_io_error)
{
    tfp_frame *f;
    tfp_error err;
    int rc = read_path("/nonexistent-tfp-dir/gdp.csv", NULL, NULL, &f, &err);
    cr_assert_eq(rc, TFP_EIO);
    cr_assert_str_eq(err.file, "/nonexistent-tfp-dir/gdp.csv");
    cr_assert_str_eq(err.msg, "cannot open: No such file or directory");
}

Test(csv_read, directory_is_an_io_error)
{
    tfp_frame *f;
    tfp_error err;
    int rc = read_path("/tmp", NULL, NULL, &f, &err);
    cr_assert_eq(rc, TFP_EIO);
    cr_assert_str_eq(err.msg, "is a directory");
}

Test(csv_read, unreadable_file_is_an_io_error)
{
    static const char text[] = "a\n1\n";
    const char *path;
    tfp_frame *f;
    tfp_error err;
    int rc;
    if (geteuid() == 0)
        cr_skip_test("root reads files whatever their mode");
    path = tfp_test_tmpfile(1, text, sizeof text - 1);
    chmod(path, 0);
    rc = read_path(path, NULL, NULL, &f, &err);
    unlink(path);
    cr_assert_eq(rc, TFP_EIO);
    cr_assert_str_eq(err.msg, "cannot open: Permission denied");
}

/* ---- malformed input ---------------------------------------------------- */

Test(csv_read, rejects_empty_file)
{
    EXPECT_INPUT_ERROR("", NULL, 0, 0, "file is empty");
}

Test(csv_read, rejects_file_holding_only_a_bom)
{
    EXPECT_INPUT_ERROR("\xEF\xBB\xBF", NULL, 0, 0, "file is empty");
}

Test(csv_read, rejects_file_of_blank_lines)
{
    EXPECT_INPUT_ERROR("\n  \r\n\t\n", NULL, 0, 0, "only blank lines");
}

Test(csv_read, rejects_utf16_asking_for_utf8)
{
    EXPECT_INPUT_ERROR("\xFF\xFE"
                       "a\0,\0b\0",
                       NULL, 1, 1, "file is UTF-16; save it as UTF-8");
    EXPECT_INPUT_ERROR("\xFE\xFF\0a", NULL, 1, 1, "file is UTF-16; save it as UTF-8");
}

Test(csv_read, rejects_utf32_asking_for_utf8)
{
    EXPECT_INPUT_ERROR("\xFF\xFE\0\0a\0\0\0", NULL, 1, 1, "file is UTF-32; save it as UTF-8");
}

Test(csv_read, rejects_nul_byte_at_its_column)
{
    /* Line 3 is "3,<NUL>": the NUL is the third character. */
    EXPECT_INPUT_ERROR("a,b\n1,2\n3,\0\n", NULL, 3, 3, "NUL byte in text; is this a binary file?");
}

Test(csv_read, rejects_nul_byte_in_header)
{
    EXPECT_INPUT_ERROR("a,\0b\n1,2\n", NULL, 1, 3, "NUL byte");
}

Test(csv_read, rejects_latin1_text_as_invalid_utf8)
{
    /* "Caf\xe9": the Latin-1 e-acute is the fourth character of line 2. */
    EXPECT_INPUT_ERROR("name,x\nCaf\xe9,1\n", NULL, 2, 4, "invalid UTF-8 (byte 0xE9)");
}

Test(csv_read, counts_columns_in_characters_not_bytes)
{
    /* "éé;" is three characters in five bytes, so the bad byte is at 4. */
    EXPECT_INPUT_ERROR("x;y\n\xc3\xa9\xc3\xa9;\xff\n", NULL, 2, 4, "invalid UTF-8");
    /* An overlong '/' and a UTF-16 surrogate are not UTF-8 either. */
    EXPECT_INPUT_ERROR("x\n\xc0\xaf\n", NULL, 2, 1, "invalid UTF-8 (byte 0xC0)");
    EXPECT_INPUT_ERROR("x\nab\xed\xa0\x80\n", NULL, 2, 3, "invalid UTF-8 (byte 0xED)");
}

Test(csv_read, bom_is_not_counted_as_a_column)
{
    EXPECT_INPUT_ERROR("\xEF\xBB\xBF"
                       "ab\xff\n",
                       NULL, 1, 3, "invalid UTF-8");
}

Test(csv_read, rejects_row_with_extra_fields_at_the_first_extra)
{
    /* "1,2,3": the third field starts at character 5. */
    EXPECT_INPUT_ERROR("a,b\n1,2\n1,2,3\n", NULL, 3, 5,
                       "expected 2 fields as in the header, found 3");
}

Test(csv_read, rejects_row_with_missing_fields_at_its_end)
{
    /* "1,2" has three characters; the missing field would start at 4. */
    EXPECT_INPUT_ERROR("a,b,c\n1,2\n", NULL, 2, 4, "expected 3 fields as in the header, found 2");
}

Test(csv_read, rejects_ragged_row_with_tabs)
{
    /* "1\t2\t3\t4": the fourth field starts at character 7. */
    EXPECT_INPUT_ERROR("a\tb\tc\n1\t2\t3\t4\n", NULL, 2, 7, "found 4");
}

Test(csv_read, rejects_unterminated_quote_at_end_of_file)
{
    /* The quote opens at character 3 of line 2 and never closes. */
    EXPECT_INPUT_ERROR("a,b\n1,\"abc\n2,3\n", NULL, 2, 3, "unterminated quote");
}

Test(csv_read, rejects_unterminated_quote_in_header)
{
    EXPECT_INPUT_ERROR("a,\"b\n1,2\n", NULL, 1, 3, "unterminated quote");
}

Test(csv_read, rejects_field_over_max_field_bytes)
{
    tfp_csv_opts o;
    tfp_csv_opts_init(&o);
    o.max_field_bytes = 4;
    expect_error("a,b\n1,12345\n", 12, &o, NULL, TFP_EINPUT, 2, 3, "field longer than 4 bytes");
}

Test(csv_read, catches_long_quoted_field_before_its_quote_closes)
{
    /* 30 lines of 99 x's inside an open quote: 3000 bytes, far past the
     * limit of 300, reported at the opening quote rather than at EOF. */
    char text[4000];
    size_t k, i;
    tfp_csv_opts o;
    tfp_csv_opts_init(&o);
    o.max_field_bytes = 300;
    k = (size_t)snprintf(text, sizeof text, "a,b\n1,\"");
    for (i = 0; i < 30; i++) {
        memset(text + k, 'x', 99);
        k += 99;
        text[k++] = '\n';
    }
    expect_error(text, k, &o, NULL, TFP_EINPUT, 2, 3, "field longer than 300 bytes");
}

Test(csv_read, rejects_more_rows_than_max_rows)
{
    tfp_csv_opts o;
    tfp_csv_opts_init(&o);
    o.max_rows = 2;
    expect_error("a\n1\n2\n3\n", 8, &o, NULL, TFP_EINPUT, 4, 1, "more than 2 data rows");
}

Test(csv_read, rejects_text_in_number_column_naming_column_and_text)
{
    /* "Bắc Giang;" is 10 characters, so "12,5a" starts at 11. */
    EXPECT_INPUT_ERROR("t\xe1\xbb\x89nh;labour\nB\xe1\xba\xaf"
                       "c Giang;12,5a\n",
                       "SN", 2, 11, "column \"labour\": expected a number, found \"12,5a\"");
}

Test(csv_read, rejects_number_out_of_range)
{
    EXPECT_INPUT_ERROR("x\n1\n1e999\n", "N", 3, 1,
                       "column \"x\": number out of range, found \"1e999\"");
}

Test(csv_read, points_at_the_quote_of_a_bad_quoted_number)
{
    EXPECT_INPUT_ERROR("a,b\n1,\"12,5a\"\n", "NN", 2, 3, "found \"12,5a\"");
}

Test(csv_read, locates_bad_number_after_a_multiline_field)
{
    /* The record starts on line 2; x starts on line 3 after 'b",' (col 4). */
    EXPECT_INPUT_ERROR("note,x\n\"a\nb\",oops\n", "SN", 3, 4, "found \"oops\"");
}

Test(csv_read, gives_same_position_with_crlf_and_bom)
{
    EXPECT_INPUT_ERROR("\xEF\xBB\xBF"
                       "a,b\r\n1,2\r\n x,3\r\n",
                       "NN", 3, 2, "column \"a\": expected a number, found \"x\"");
}

Test(csv_read, counts_lone_cr_as_a_line_end)
{
    EXPECT_INPUT_ERROR("a,b\r1,2\r\rx,3\r", "NN", 4, 1, "found \"x\"");
}

Test(csv_read, shortens_long_text_in_messages)
{
    /* 100 z's are shown as the first 40 and "...". */
    char text[200], want[64];
    size_t k = (size_t)snprintf(text, sizeof text, "v\n");
    memset(text + k, 'z', 100);
    k += 100;
    text[k++] = '\n';
    snprintf(want, sizeof want, "found \"%.40s...\"", text + 2);
    expect_error(text, k, NULL, "N", TFP_EINPUT, 2, 1, want);
}

Test(csv_read, shortens_multibyte_text_by_characters_and_escapes_controls)
{
    /* 60 "ắ" (3 bytes each): 40 characters fit the excerpt, then "...". */
    char text[400], want[200];
    size_t k = (size_t)snprintf(text, sizeof text, "v\n"), i;
    for (i = 0; i < 60; i++) {
        memcpy(text + k, "\xe1\xba\xaf", 3);
        k += 3;
    }
    text[k++] = '\n';
    snprintf(want, sizeof want, "found \"%.120s...\"", text + 2);
    expect_error(text, k, NULL, "N", TFP_EINPUT, 2, 1, want);
    /* 60 four-byte emoji overflow the excerpt's buffer first: still "...". */
    k = (size_t)snprintf(text, sizeof text, "v\n");
    for (i = 0; i < 60; i++) {
        memcpy(text + k, "\xf0\x9f\x98\x80", 4);
        k += 4;
    }
    text[k++] = '\n';
    expect_error(text, k, NULL, "N", TFP_EINPUT, 2, 1, "\xf0\x9f\x98\x80...\"");
    /* A quote and a line break inside the text are escaped. */
    EXPECT_INPUT_ERROR("v\n\"a\"\"b\nc\"\n", "N", 2, 1, "found \"a\\\"b\\nc\"");
}

Test(csv_read, names_unnamed_column_by_number)
{
    EXPECT_INPUT_ERROR("a,,c\n1,x,3\n", "NNN", 2, 3, "column 2: expected a number, found \"x\"");
}

Test(csv_read, ignores_whatever_skipped_columns_hold)
{
    static const char text[] = "year,flag,x\n2020,#DIV/0!,1\n2021,\"a\"\"b\",2\n";
    tfp_frame *f;
    tfp_error err;
    cr_assert_eq(read_text(text, sizeof text - 1, NULL, "NSN", &f, &err), TFP_OK, "%s", err.msg);
    cr_assert_eq(f->nrow, 2);
    cr_assert(same_double(f->col[2].num[1], 2.0));
    tfp_frame_free(f);
}

/* ---- out of memory -------------------------------------------------------- */

/* SQLite's OOM loop with a sticky failure: every allocation from the k-th
 * on fails, for k = 1, 2, ... until reading succeeds. Each failed run must
 * return TFP_ENOMEM and, under ASan, leak nothing. */
Test(csv_read, fails_cleanly_when_every_later_allocation_fails)
{
    const char *path = tfp_test_path("tests/fixtures/io/panel.csv");
    tfp_frame *base = read_panel();
    size_t k;
    for (k = 1; k < 10000; k++) {
        tfp_frame *f = NULL;
        tfp_error err;
        int rc;
        tfp_alloc_fail_at(k, 1);
        rc = read_path(path, NULL, PANEL_KINDS, &f, &err);
        tfp_alloc_fail_at(0, 0);
        if (rc == TFP_OK) {
            cr_assert_gt(k, 10, "the loop must have failed some allocations");
            assert_same_frames(base, f, "after the OOM loop");
            tfp_frame_free(f);
            tfp_frame_free(base);
            assert_no_leaks();
            return;
        }
        cr_assert_eq(rc, TFP_ENOMEM, "allocation %zu: code %d (%s)", k, rc, err.msg);
        cr_assert_eq(err.code, TFP_ENOMEM);
    }
    cr_assert_fail("reading never succeeded");
}

/* One failure at a time, at each of the allocations a clean read makes. A
 * failure may be absorbed (libcsv retries a smaller block; shrinking the
 * arrays is optional), and then the frame must be the same. */
Test(csv_read, fails_cleanly_on_each_single_allocation_failure)
{
    const char *path = tfp_test_path("tests/fixtures/io/panel.csv");
    tfp_frame *base;
    size_t k, total, failed = 0;
    tfp_alloc_fail_at(0, 0);
    base = read_panel();
    total = tfp_alloc_fail_at(0, 0);
    cr_assert_gt(total, 10);
    for (k = 1; k <= total; k++) {
        tfp_frame *f = NULL;
        tfp_error err;
        int rc;
        tfp_alloc_fail_at(k, 0);
        rc = read_path(path, NULL, PANEL_KINDS, &f, &err);
        tfp_alloc_fail_at(0, 0);
        if (rc == TFP_OK) {
            assert_same_frames(base, f, "with one absorbed allocation failure");
            tfp_frame_free(f);
            continue;
        }
        cr_assert_eq(rc, TFP_ENOMEM, "allocation %zu: code %d (%s)", k, rc, err.msg);
        failed++;
    }
    /* Absorbed: libcsv's first field block (retried at half the size) and
     * the final shrinking of the 7 columns' arrays and of the line array. */
    cr_assert_eq(total - failed, 1 + 7 + 1, "%zu of %zu failures were absorbed", total - failed,
                 total);
    tfp_frame_free(base);
    assert_no_leaks();
}

/* Regression, found by fuzz_csv: leading blank lines, then a line with a
 * lone CR, used to do pointer arithmetic on the unallocated line buffer. */
Test(csv_read, fuzz_regression_blank_lines_before_header)
{
    static const char text[] = "\n\nt/\re/1t";
    const char *path = tfp_test_tmpfile(0, text, sizeof text - 1);
    tfp_csv_opts o;
    tfp_csv_reader *r;
    tfp_frame *f = NULL;
    tfp_error err;
    tfp_error_init(&err);
    tfp_csv_opts_init(&o);
    r = tfp_csv_reader_alloc(path, &o, &err);
    cr_assert_not_null(r, "%s", err.msg);
    cr_assert_eq(tfp_csv_reader_ncol(r), 1);
    cr_assert_str_eq(tfp_csv_reader_name(r, 0), "t/");
    tfp_csv_reader_set_kind(r, 0, TFP_COL_TEXT);
    cr_assert_eq(tfp_csv_reader_read(r, &f, &err), TFP_OK, "%s", err.msg);
    cr_assert_eq(f->nrow, 1);
    cr_assert_str_eq(f->col[0].levels[f->col[0].code[0]], "e/1t");
    tfp_frame_free(f);
    tfp_csv_reader_free(r);
    unlink(path);
}

/* ---- chunked (parallel) reading ------------------------------------------ */

/*
 * The chunked reader must give the line-by-line reader's frame, or its error
 * (code, line, column and message), whatever the chunk boundaries. Each case
 * generates a file (seeded, so a failure can be replayed), reads it line by
 * line (parallel_min_bytes = SIZE_MAX) as the reference, then in 1, 2, 3, 5,
 * 8 and 16 chunks with the threshold at 1 byte, so that chunk boundaries fall
 * on every kind of place in a small file: inside CR LF pairs, on blank lines,
 * next to the header, before an unterminated last line.
 */

typedef struct gen_buf {
    char *p;
    size_t len, cap;
} gen_buf;

static void
gen_put(gen_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = 2 * (b->len + n + 1);
        b->p = realloc(b->p, b->cap);
        cr_assert_not_null(b->p);
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void
gen_puts(gen_buf *b, const char *s)
{
    gen_put(b, s, strlen(s));
}

static uint64_t
gen_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static size_t
gen_below(uint64_t *s, size_t n)
{
    return (size_t)(gen_next(s) % n);
}

/* Injected faults, each an input error the reader must locate. */
enum {
    FAULT_NONE,
    FAULT_BAD_NUMBER,
    FAULT_EXTRA_FIELD,
    FAULT_MISSING_FIELD,
    FAULT_BAD_UTF8,
    FAULT_NUL,
    FAULT_LONG_FIELD, /* needs max_field_bytes = GEN_MAX_FIELD */
    FAULT_RANGE,
    FAULT_LONG_RECORD, /* a line over the record limit of GEN_MAX_FIELD */
    FAULT_SHORT_LINE,  /* two fields */
    FAULT_COUNT
};

#define GEN_MAX_FIELD 64

typedef struct gen_spec {
    uint64_t seed;
    size_t rows;
    int eol;         /* 0 LF, 1 CR LF, 2 CR, 3 mixed */
    int bom;         /* UTF-8 BOM */
    int final_eol;   /* the last line is terminated */
    int blanks;      /* blank (empty or blanks-only) lines here and there */
    int padded;      /* blanks around fields */
    char delimiter;  /* ',', ';' or '\t' */
    int lead_blanks; /* blank lines before the header */
    size_t fault_row[2];
    int fault[2];
} gen_spec;

static void
gen_eol(gen_buf *b, const gen_spec *g, uint64_t *s)
{
    int mode = g->eol == 3 ? (int)gen_below(s, 3) : g->eol;
    gen_puts(b, mode == 0 ? "\n" : mode == 1 ? "\r\n" : "\r");
}

static void
gen_field(gen_buf *b, const gen_spec *g, uint64_t *s, const char *text, int first)
{
    char d[2] = {g->delimiter, '\0'};
    if (!first)
        gen_puts(b, d);
    if (g->padded && gen_below(s, 4) == 0)
        gen_puts(b, g->delimiter == '\t' ? "  " : " \t");
    gen_puts(b, text);
    if (g->padded && gen_below(s, 4) == 0)
        gen_puts(b, " ");
}

/* A number in one of the forms statistics tables hold (decimal '.'). */
static void
gen_number(char *out, size_t cap, uint64_t *s, char delimiter)
{
    static const char *const missing[] = {"", "NA", "..", "-", "#N/A"};
    size_t form = gen_below(s, 12);
    double v = (double)(gen_next(s) % 2000000) / 1000.0;
    if (form == 0)
        snprintf(out, cap, "%s", missing[gen_below(s, 5)]);
    else if (form == 1)
        snprintf(out, cap, "%.6e", v);
    else if (form == 2)
        snprintf(out, cap, "-%.3f", v);
    else if (form == 3 && delimiter != ',')
        snprintf(out, cap, "%d,%03d.%02d", 1 + (int)gen_below(s, 999), (int)gen_below(s, 1000),
                 (int)gen_below(s, 100));
    else if (form == 4)
        snprintf(out, cap, "0.%018llu", (unsigned long long)(gen_next(s) % 1000000000000000000u));
    else if (form == 5)
        snprintf(out, cap, "+%llu", (unsigned long long)(gen_next(s) >> 8));
    else
        snprintf(out, cap, "%.7g", v);
}

/* Columns id (TEXT), year (NUMBER), region (TEXT, UTF-8), output (NUMBER),
 * note (SKIP: anything but quotes and delimiters), capital (NUMBER); also read
 * with trailing columns skipped, which the chunked reader cuts off before
 * libcsv sees them, and with every column skipped. */
static const char *const gen_kinds[] = {"TNTNSN", "TNTSSS", "SNSSSS", "SSSSSS"};

static char *
gen_file(const gen_spec *g, size_t *n)
{
    static const char *const regions[] = {"Hà Nội",    "Đà Nẵng", "Huế",    "Cần Thơ",
                                          "Bắc Giang", "HCMC",    "Lào Cai"};
    gen_buf b = {NULL, 0, 0};
    uint64_t s = g->seed | 1;
    size_t i, k;
    char num[64], id[32], year[16];
    int f;
    if (g->bom)
        gen_puts(&b, "\xEF\xBB\xBF");
    for (k = 0; k < (size_t)g->lead_blanks; k++)
        gen_eol(&b, g, &s);
    gen_field(&b, g, &s, "id", 1);
    gen_field(&b, g, &s, "year", 0);
    gen_field(&b, g, &s, "\"region\"", 0); /* a quote in the header only */
    gen_field(&b, g, &s, "output", 0);
    gen_field(&b, g, &s, "note", 0);
    gen_field(&b, g, &s, "capital", 0);
    for (i = 1; i <= g->rows; i++) {
        gen_eol(&b, g, &s);
        if (g->blanks && gen_below(&s, 5) == 0) {
            gen_puts(&b, gen_below(&s, 2) ? "" : (g->delimiter == '\t' ? "  " : " \t "));
            gen_eol(&b, g, &s);
        }
        f = g->fault_row[0] == i ? g->fault[0] : g->fault_row[1] == i ? g->fault[1] : FAULT_NONE;
        if (f == FAULT_SHORT_LINE) {
            gen_field(&b, g, &s, "f1", 1);
            gen_field(&b, g, &s, "2001", 0);
            continue;
        }
        if (f == FAULT_LONG_RECORD) {
            /* Short fields, but more bytes than 6 fields of GEN_MAX_FIELD may take. */
            for (k = 0; k < 500; k++)
                gen_field(&b, g, &s, "a", k == 0);
            continue;
        }
        snprintf(id, sizeof id, "f%zu", 1 + gen_below(&s, 1 + g->rows / 7));
        gen_field(&b, g, &s, id, 1);
        snprintf(year, sizeof year, "%d", 1990 + (int)gen_below(&s, 35));
        gen_field(&b, g, &s, year, 0);
        gen_field(&b, g, &s,
                  f == FAULT_BAD_UTF8 ? "Ha\xFFNoi"
                                      : regions[gen_below(&s, sizeof regions / sizeof regions[0])],
                  0);
        gen_number(num, sizeof num, &s, g->delimiter);
        gen_field(&b, g, &s, f == FAULT_BAD_NUMBER ? "12.5a" : f == FAULT_RANGE ? "1e999" : num, 0);
        if (f == FAULT_LONG_FIELD) {
            char lng[GEN_MAX_FIELD + 8];
            memset(lng, 'z', sizeof lng - 1);
            lng[sizeof lng - 1] = '\0';
            gen_field(&b, g, &s, lng, 0);
        } else if (f == FAULT_NUL) {
            gen_field(&b, g, &s, "n", 0);
            gen_put(&b, "\0x", 2);
        } else {
            gen_field(&b, g, &s, gen_below(&s, 3) == 0 ? "ghi chú ✓" : "-", 0);
        }
        if (f == FAULT_MISSING_FIELD)
            continue;
        gen_number(num, sizeof num, &s, g->delimiter);
        gen_field(&b, g, &s, num, 0);
        if (f == FAULT_EXTRA_FIELD)
            gen_field(&b, g, &s, "7", 0);
    }
    if (g->final_eol)
        gen_eol(&b, g, &s);
    *n = b.len;
    return b.p;
}

/* The chunks' window size for read_chunks (0: the default). */
static size_t gen_window;
/* read_chunks without a line index (opts.no_lines). */
static int gen_no_lines;

static int
read_chunks(const char *path,
            const char *kinds,
            size_t threads,
            size_t min_bytes,
            size_t max_rows,
            tfp_frame **out,
            tfp_error *err)
{
    tfp_csv_opts o;
    tfp_csv_opts_init(&o);
    o.threads = threads;
    o.window_bytes = gen_window;
    o.parallel_min_bytes = min_bytes;
    o.no_lines = gen_no_lines;
    o.max_field_bytes = GEN_MAX_FIELD;
    if (max_rows > 0)
        o.max_rows = max_rows;
    return read_path(path, &o, kinds, out, err);
}

/* Reads the generated file line by line and in chunks; asserts the same frame
 * or the same error. Returns the reference's code; its message goes to msg
 * (TFP_ERROR_MSG_SIZE bytes) when msg is not NULL. */
static int
check_chunked_kinds(const gen_spec *g, const char *kinds, size_t max_rows, char *msg)
{
    static const size_t threads[] = {1, 2, 3, 5, 8, 16};
    size_t n, t;
    char *text = gen_file(g, &n), label[96];
    const char *path = tfp_test_tmpfile(1, text, n);
    tfp_frame *ref = NULL;
    tfp_error rerr;
    int rc;
    cr_assert_not_null(path);
    rc = read_chunks(path, kinds, 1, SIZE_MAX, max_rows, &ref, &rerr);
    if (msg != NULL)
        snprintf(msg, TFP_ERROR_MSG_SIZE, "%s", rc == TFP_OK ? "" : rerr.msg);
    /* Every chunk count, then line by line and in two chunks without a line index. */
    for (t = 0; t < sizeof threads / sizeof threads[0] + 2; t++) {
        tfp_frame *f = NULL;
        tfp_error err;
        size_t T = t < sizeof threads / sizeof threads[0] ? threads[t] : t % 2 ? 1 : 2;
        int got;
        gen_no_lines = t >= sizeof threads / sizeof threads[0];
        got =
            read_chunks(path, kinds, T, gen_no_lines && T == 1 ? SIZE_MAX : 1, max_rows, &f, &err);
        gen_no_lines = 0;
        snprintf(label, sizeof label, "seed %llu, kinds %s, %zu threads%s",
                 (unsigned long long)g->seed, kinds, T,
                 f != NULL && f->line == NULL ? ", no lines" : "");
        cr_assert_eq(got, rc, "%s: code %d, line by line %d (%s | %s)", label, got, rc, err.msg,
                     rerr.msg);
        if (rc == TFP_OK) {
            cr_assert_eq(f->line == NULL, t >= sizeof threads / sizeof threads[0],
                         "%s: line index kept or missing", label);
            cr_assert_eq(f->delimiter, ref->delimiter, "%s: delimiter", label);
            assert_same_frames(ref, f, label);
            tfp_frame_free(f);
        } else {
            cr_assert_eq(err.line, rerr.line, "%s: line %zu, want %zu (%s)", label, err.line,
                         rerr.line, rerr.msg);
            cr_assert_eq(err.col, rerr.col, "%s: col %zu, want %zu (%s)", label, err.col, rerr.col,
                         rerr.msg);
            cr_assert_str_eq(err.msg, rerr.msg, "%s", label);
            cr_assert_str_eq(err.file, rerr.file, "%s", label);
        }
    }
    tfp_frame_free(ref);
    unlink(path);
    free(text);
    return rc;
}

/* check_chunked_kinds with every set of kinds; returns the first set's code,
 * with its message in msg. */
static int
check_chunked(const gen_spec *g, size_t max_rows, char *msg)
{
    size_t k;
    int rc = check_chunked_kinds(g, gen_kinds[0], max_rows, msg);
    for (k = 1; k < sizeof gen_kinds / sizeof gen_kinds[0]; k++)
        check_chunked_kinds(g, gen_kinds[k], max_rows, NULL);
    return rc;
}

Test(csv_read, chunked_frames_equal_line_by_line_for_every_layout)
{
    static const char delims[] = {',', ';', '\t'};
    uint64_t seed;
    for (seed = 1; seed <= 48; seed++) {
        gen_spec g;
        memset(&g, 0, sizeof g);
        g.seed = seed;
        g.rows = 1 + (size_t)(seed * 37 % 200);
        g.eol = (int)(seed % 4);
        g.bom = seed % 3 == 0;
        g.final_eol = seed % 5 != 0;
        g.blanks = seed % 2 == 0;
        g.padded = seed % 7 < 3;
        g.delimiter = delims[seed % 3];
        g.lead_blanks = (int)(seed % 6 == 1) * 2;
        cr_assert_eq(check_chunked(&g, 0, NULL), TFP_OK, "seed %llu", (unsigned long long)seed);
    }
}

/* Windows of 1 to 61 bytes put window ends everywhere: inside CR LF pairs, inside lines longer
 * than the window (which then grows), on blank lines, at the end of the file. */
Test(csv_read, chunked_frames_equal_line_by_line_for_every_window_size)
{
    static const size_t windows[] = {1, 2, 3, 7, 16, 61};
    char msg[TFP_ERROR_MSG_SIZE];
    size_t k;
    for (k = 0; k < sizeof windows / sizeof windows[0]; k++) {
        gen_spec g;
        memset(&g, 0, sizeof g);
        gen_window = windows[k];
        g.seed = 300 + k;
        g.rows = 60;
        g.eol = 3;
        g.bom = k % 2 == 0;
        g.final_eol = k % 3 != 0;
        g.blanks = 1;
        g.padded = 1;
        g.delimiter = k % 2 ? ',' : '\t';
        cr_assert_eq(check_chunked(&g, 0, NULL), TFP_OK, "window %zu", windows[k]);
        g.fault_row[0] = 20 + 5 * k;
        g.fault[0] = FAULT_BAD_NUMBER + (int)k % (FAULT_COUNT - 1);
        cr_assert_eq(check_chunked(&g, 0, msg), TFP_EINPUT, "window %zu", windows[k]);
    }
    gen_window = 0;
}

Test(csv_read, chunked_reports_the_first_error_as_line_by_line)
{
    /* What line-by-line reading says about each fault (tests above check it). */
    static const char *const says[FAULT_COUNT] = {NULL,
                                                  "expected a number",
                                                  "expected 6 fields",
                                                  "expected 6 fields",
                                                  "invalid UTF-8",
                                                  "NUL byte",
                                                  "field longer than",
                                                  "out of range",
                                                  "record longer than",
                                                  "expected 6 fields"};
    char msg[TFP_ERROR_MSG_SIZE];
    uint64_t seed = 1000;
    int fault;
    for (fault = FAULT_BAD_NUMBER; fault < FAULT_COUNT; fault++) {
        size_t at;
        for (at = 1; at <= 120; at += 17) {
            gen_spec g;
            int rc;
            memset(&g, 0, sizeof g);
            g.seed = ++seed;
            g.rows = 120;
            g.eol = (int)(seed % 4);
            g.bom = seed % 2 == 0;
            g.final_eol = at != 120 || seed % 3 != 0;
            g.blanks = seed % 3 == 1;
            g.padded = seed % 5 == 0;
            g.delimiter = seed % 2 ? ',' : ';';
            g.fault_row[0] = at;
            g.fault[0] = fault;
            /* A second, later fault of another kind must not win. */
            g.fault_row[1] = at + 1 + (size_t)(seed % 40);
            g.fault[1] = FAULT_BAD_NUMBER + (fault + 3) % (FAULT_COUNT - 1);
            rc = check_chunked(&g, 0, msg);
            cr_assert(rc == TFP_EINPUT, "fault %d at row %zu: code %d", fault, at, rc);
            cr_assert(strstr(msg, says[fault]) != NULL, "fault %d at row %zu: \"%s\"", fault, at,
                      msg);
        }
    }
}

Test(csv_read, chunked_stops_at_max_rows_on_the_same_record)
{
    char msg[TFP_ERROR_MSG_SIZE];
    size_t limit;
    for (limit = 1; limit <= 90; limit += 11) {
        gen_spec g;
        memset(&g, 0, sizeof g);
        g.seed = 7000 + limit;
        g.rows = 90;
        g.eol = (int)(limit % 4);
        g.blanks = 1;
        g.final_eol = 1;
        g.delimiter = ',';
        cr_assert_eq(check_chunked(&g, limit, msg), TFP_EINPUT, "limit %zu", limit);
        cr_assert(strstr(msg, "data rows") != NULL, "%s", msg);
    }
    /* A limit that the rows just meet is no error. */
    {
        gen_spec g;
        memset(&g, 0, sizeof g);
        g.seed = 7777;
        g.rows = 40;
        g.final_eol = 1;
        g.delimiter = ',';
        cr_assert_eq(check_chunked(&g, 40, NULL), TFP_OK);
    }
}

/* Hand examples whose frames are known: what line-by-line reading gives (the
 * tests above) is also checked against the text itself here. */
Test(csv_read, chunked_reads_hand_example_with_crlf_blanks_and_no_final_newline)
{
    static const char text[] = "\xEF\xBB\xBF\r\nid;v\r\nb;1,5e2\r\n\r\n  \r\na;-0\rb;7";
    const char *path = tfp_test_tmpfile(2, text, sizeof text - 1);
    size_t t;
    for (t = 1; t <= 6; t++) {
        tfp_csv_opts o;
        tfp_frame *f;
        tfp_error err;
        const tfp_column *id, *v;
        tfp_csv_opts_init(&o);
        o.threads = t;
        o.parallel_min_bytes = 1;
        o.decimal = ',';
        cr_assert_eq(read_path(path, &o, "TN", &f, &err), TFP_OK, "%s", err.msg);
        id = &f->col[0];
        v = &f->col[1];
        cr_assert_eq(f->nrow, 3);
        cr_assert_eq(f->header_line, 2);
        /* Lines: BOM + CR LF (1), header (2), b (3), blank (4), blanks (5), a (6), b (7). */
        cr_assert_eq(f->line[0], 3);
        cr_assert_eq(f->line[1], 6);
        cr_assert_eq(f->line[2], 7);
        cr_assert_eq(id->nlevels, 2);
        cr_assert_str_eq(id->levels[0], "b");
        cr_assert_str_eq(id->levels[1], "a");
        cr_assert_eq(id->code[0], 0);
        cr_assert_eq(id->code[1], 1);
        cr_assert_eq(id->code[2], 0);
        cr_assert(same_double(v->num[0], 150.0));
        cr_assert(same_double(v->num[1], -0.0) && signbit(v->num[1]));
        cr_assert(same_double(v->num[2], 7.0));
        tfp_frame_free(f);
    }
    unlink(path);
}

Test(csv_read, chunked_error_names_line_and_column_of_the_bad_field)
{
    static const char text[] = "id,v\n"
                               "a,1\n"
                               "b,2\n"
                               "c,3\n"
                               "d, 4x\n"
                               "e,5\n";
    const char *path = tfp_test_tmpfile(2, text, sizeof text - 1);
    size_t t;
    for (t = 1; t <= 4; t++) {
        tfp_csv_opts o;
        tfp_frame *f;
        tfp_error err;
        tfp_csv_opts_init(&o);
        o.threads = t;
        o.parallel_min_bytes = 1;
        cr_assert_eq(read_path(path, &o, "TN", &f, &err), TFP_EINPUT);
        cr_assert_eq(err.line, 5);
        cr_assert_eq(err.col, 4, "col %zu", err.col);
        cr_assert_str_eq(err.msg, "column \"v\": expected a number, found \"4x\"");
    }
    unlink(path);
}

/* A quote after the header may open a field with a line break inside: the
 * reader then reads line by line, and the result is the same. */
Test(csv_read, chunked_declines_data_with_quotes)
{
    static const char text[] = "id,v\n"
                               "a,1\n"
                               "\"b\nc\",2\n"
                               "d,3\n";
    const char *path = tfp_test_tmpfile(2, text, sizeof text - 1);
    tfp_csv_opts o;
    tfp_frame *f;
    tfp_error err;
    tfp_csv_opts_init(&o);
    o.threads = 3;
    o.parallel_min_bytes = 1;
    cr_assert_eq(read_path(path, &o, "TN", &f, &err), TFP_OK, "%s", err.msg);
    cr_assert_eq(f->nrow, 3);
    cr_assert_str_eq(f->col[0].levels[1], "b\nc");
    cr_assert_eq(f->line[2], 5);
    tfp_frame_free(f);
    unlink(path);
}

/* The chunked path is taken when allowed: it allocates its arrays once at
 * their final size (the line-by-line reader grows them by doubling) and one
 * window per chunk, so the allocation counts differ. Standard input and data
 * below the threshold are read line by line. */
Test(csv_read, chunked_path_is_taken_only_when_allowed)
{
    gen_spec g;
    size_t n, line_allocs, chunk_allocs, below_allocs;
    char *text;
    const char *path;
    tfp_frame *f;
    tfp_error err;
    memset(&g, 0, sizeof g);
    g.seed = 99;
    g.rows = 3000;
    g.final_eol = 1;
    g.delimiter = ',';
    text = gen_file(&g, &n);
    path = tfp_test_tmpfile(3, text, n);
    tfp_alloc_fail_at(0, 0);
    cr_assert_eq(read_chunks(path, gen_kinds[0], 4, SIZE_MAX, 0, &f, &err), TFP_OK, "%s", err.msg);
    line_allocs = tfp_alloc_fail_at(0, 0);
    tfp_frame_free(f);
    tfp_alloc_fail_at(0, 0);
    cr_assert_eq(read_chunks(path, gen_kinds[0], 4, 1, 0, &f, &err), TFP_OK, "%s", err.msg);
    chunk_allocs = tfp_alloc_fail_at(0, 0);
    tfp_frame_free(f);
    tfp_alloc_fail_at(0, 0);
    cr_assert_eq(read_chunks(path, gen_kinds[0], 4, n, 0, &f, &err), TFP_OK, "%s", err.msg);
    below_allocs = tfp_alloc_fail_at(0, 0);
    tfp_frame_free(f);
    cr_assert_neq(line_allocs, chunk_allocs);
    cr_assert_eq(line_allocs, below_allocs, "data shorter than the threshold: line by line");
    unlink(path);
    free(text);
}

Test(csv_read, opts_default_to_online_processors_and_the_threshold)
{
    tfp_csv_opts o;
    tfp_csv_opts_init(&o);
    cr_assert_eq(o.threads, 0);
    cr_assert_eq(o.parallel_min_bytes, 0);
}

/* SQLite's OOM loop on the chunked path (4 chunks, 7-byte windows that grow
 * for every line): every allocation from the k-th on fails; each failure is
 * TFP_ENOMEM and leaks nothing. */
Test(csv_read, chunked_fails_cleanly_when_every_later_allocation_fails)
{
    gen_spec g;
    size_t n, k;
    char *text;
    const char *path;
    tfp_frame *base = NULL;
    tfp_error err;
    memset(&g, 0, sizeof g);
    g.seed = 5;
    g.rows = 300;
    g.final_eol = 1;
    g.blanks = 1;
    g.delimiter = ';';
    text = gen_file(&g, &n);
    path = tfp_test_tmpfile(3, text, n);
    cr_assert_eq(read_chunks(path, gen_kinds[1], 4, SIZE_MAX, 0, &base, &err), TFP_OK, "%s",
                 err.msg);
    gen_window = 7;
    for (k = 1; k < 100000; k++) {
        tfp_frame *f = NULL;
        int rc;
        tfp_alloc_fail_at(k, 1);
        rc = read_chunks(path, gen_kinds[1], 4, 1, 0, &f, &err);
        tfp_alloc_fail_at(0, 0);
        if (rc == TFP_OK) {
            cr_assert_gt(k, 10);
            assert_same_frames(base, f, "after the OOM loop");
            tfp_frame_free(f);
            break;
        }
        cr_assert_eq(rc, TFP_ENOMEM, "allocation %zu: code %d (%s)", k, rc, err.msg);
    }
    gen_window = 0;
    tfp_frame_free(base);
    unlink(path);
    free(text);
    assert_no_leaks();
}

/* Data of blank lines only: no rows, as line by line (the header is line 2). */
Test(csv_read, chunked_reads_blank_data_as_no_rows)
{
    static const char text[] = "\nid,v\r\n\r\n \t \n\r";
    const char *path = tfp_test_tmpfile(2, text, sizeof text - 1);
    size_t t;
    for (t = 1; t <= 3; t++) {
        tfp_csv_opts o;
        tfp_frame *f;
        tfp_error err;
        tfp_csv_opts_init(&o);
        o.threads = t;
        o.parallel_min_bytes = 1;
        cr_assert_eq(read_path(path, &o, "TN", &f, &err), TFP_OK, "%s", err.msg);
        cr_assert_eq(f->nrow, 0);
        cr_assert_eq(f->header_line, 2);
        cr_assert_eq(f->col[0].nlevels, 0);
        tfp_frame_free(f);
    }
    unlink(path);
}
