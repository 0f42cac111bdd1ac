/*
 * report layer: renderers and documents. Every expected string is written
 * by hand from the rules in include/tfp/report.h; the 17-digit numbers come
 * from the exact decimal expansion of each double (Python's Decimal(x)),
 * rounded by hand to 17 significant digits, trailing zeros dropped.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tfp/alloc.h"
#include "tfp/error.h"
#include "tfp/report.h"
#include "tfp/strbuf.h"
#include "tfp_test.h"

TestSuite(render, .init = quiet_gsl);

/* Under AddressSanitizer, asserts that nothing allocated is unreachable.
 * Criterion does not fail a test on LeakSanitizer's exit status, so the OOM
 * tests ask for a leak check themselves; without ASan this does nothing. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define assert_no_leaks() cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked")
#else
#define assert_no_leaks() ((void)0)
#endif

/* ---- fixtures ----------------------------------------------------------------- */

/* Four regions: every column type, a never-set cell (row 2 status), a NaN
 * (row 1 output) and an infinity (row 2 tfp_share). */
static tfp_table *
sample_table(void)
{
    tfp_table *t = tfp_table_alloc("annual", "Productivity", "Năng suất", NULL);
    static const char *const region[] = {"Bắc Giang", "Hà Nội", "Huế", "Đà Nẵng"};
    static const double output[] = {1234567.8, NAN, 52.38461, 0.0123456};
    static const double share[] = {0.12345, 0.075, INFINITY, -0.02154};
    static const char *const status[] = {"met", "below", NULL, "above"};
    size_t i, r;
    cr_assert_not_null(t);
    cr_assert_eq(tfp_table_add_col(t, "region", "Region", "Tỉnh", TFP_CELL_TEXT, NULL), TFP_OK);
    cr_assert_eq(tfp_table_add_col(t, "year", "Year", "Năm", TFP_CELL_INT, NULL), TFP_OK);
    cr_assert_eq(tfp_table_add_col(t, "output", "Output", "Sản lượng", TFP_CELL_NUMBER, NULL),
                 TFP_OK);
    cr_assert_eq(
        tfp_table_add_col(t, "tfp_share", "TFP share", "Tỷ trọng TFP", TFP_CELL_FRACTION, NULL),
        TFP_OK);
    cr_assert_eq(tfp_table_add_col(t, "status", "Status", "Trạng thái", TFP_CELL_STATUS, NULL),
                 TFP_OK);
    for (i = 0; i < 4; i++) {
        cr_assert_eq(tfp_table_add_row(t, &r, NULL), TFP_OK);
        tfp_table_set_text(t, r, 0, region[i], NULL);
        tfp_table_set_num(t, r, 1, 2021.0 + (double)i);
        tfp_table_set_num(t, r, 2, output[i]);
        tfp_table_set_num(t, r, 3, share[i]);
        if (status[i] != NULL)
            tfp_table_set_text(t, r, 4, status[i], NULL);
    }
    return t;
}

/* Renders t and checks the code; the caller frees the result. */
static char *
render(const tfp_table *t, tfp_format fmt, tfp_lang lang)
{
    tfp_render_opts o;
    tfp_strbuf sb;
    tfp_error err;
    char *s;
    tfp_render_opts_init(&o);
    o.lang = lang;
    tfp_strbuf_init(&sb);
    tfp_error_init(&err);
    cr_assert_eq(tfp_table_render(t, fmt, &o, &sb, &err), TFP_OK, "%s", err.msg);
    s = strdup(tfp_strbuf_cstr(&sb));
    tfp_strbuf_fini(&sb);
    return s;
}

static void
assert_renders(const tfp_table *t, tfp_format fmt, tfp_lang lang, const char *want)
{
    char *got = render(t, fmt, lang);
    cr_assert_str_eq(got, want, "got:\n%s\nwant:\n%s", got, want);
    free(got);
}

/* ---- one table, every format, both languages ------------------------------------ */

Test(render, text_english)
{
    tfp_table *t = sample_table();
    assert_renders(t, TFP_FORMAT_TEXT, TFP_LANG_EN,
                   "Productivity\n"
                   "Region     Year     Output  TFP share (%)  Status\n"
                   "---------  ----  ---------  -------------  ------\n"
                   "Bắc Giang  2021  1,234,568          12.35  met\n"
                   "Hà Nội     2022          -           7.50  below\n"
                   "Huế        2023      52.38              -  -\n"
                   "Đà Nẵng    2024    0.01235          -2.15  above\n");
    tfp_table_free(t);
}

Test(render, text_vietnamese)
{
    tfp_table *t = sample_table();
    assert_renders(t, TFP_FORMAT_TEXT, TFP_LANG_VI,
                   "Năng suất\n"
                   "Tỉnh        Năm  Sản lượng  Tỷ trọng TFP (%)  Trạng thái\n"
                   "---------  ----  ---------  ----------------  -------------\n"
                   "Bắc Giang  2021  1.234.568             12,35  đạt\n"
                   "Hà Nội     2022          -              7,50  dưới mục tiêu\n"
                   "Huế        2023      52,38                 -  -\n"
                   "Đà Nẵng    2024    0,01235             -2,15  trên khoảng\n");
    tfp_table_free(t);
}

/* CSV does not depend on the language: keys, '.' decimals, codes. */
static const char sample_csv[] = "region,year,output,tfp_share,status\n"
                                 "Bắc Giang,2021,1234567.8,0.12345,met\n"
                                 "Hà Nội,2022,,0.074999999999999997,below\n"
                                 "Huế,2023,52.384610000000002,,\n"
                                 "Đà Nẵng,2024,0.0123456,-0.02154,above\n";

Test(render, csv_is_the_same_in_both_languages)
{
    tfp_table *t = sample_table();
    assert_renders(t, TFP_FORMAT_CSV, TFP_LANG_EN, sample_csv);
    assert_renders(t, TFP_FORMAT_CSV, TFP_LANG_VI, sample_csv);
    tfp_table_free(t);
}

Test(render, csv_with_six_digits)
{
    tfp_table *t = sample_table();
    tfp_render_opts o;
    tfp_strbuf sb;
    tfp_render_opts_init(&o);
    o.digits = 6;
    o.delimiter = ';';
    tfp_strbuf_init(&sb);
    cr_assert_eq(tfp_table_render(t, TFP_FORMAT_CSV, &o, &sb, NULL), TFP_OK);
    cr_assert_str_eq(tfp_strbuf_cstr(&sb), "region;year;output;tfp_share;status\n"
                                           "Bắc Giang;2021;1.23457e+06;0.12345;met\n"
                                           "Hà Nội;2022;;0.075;below\n"
                                           "Huế;2023;52.3846;;\n"
                                           "Đà Nẵng;2024;0.0123456;-0.02154;above\n");
    tfp_strbuf_fini(&sb);
    tfp_table_free(t);
}

Test(render, markdown_english)
{
    tfp_table *t = sample_table();
    assert_renders(t, TFP_FORMAT_MD, TFP_LANG_EN,
                   "## Productivity\n"
                   "\n"
                   "| Region | Year | Output | TFP share (%) | Status |\n"
                   "|---|---:|---:|---:|---|\n"
                   "| Bắc Giang | 2021 | 1,234,568 | 12.35 | met |\n"
                   "| Hà Nội | 2022 | - | 7.50 | below |\n"
                   "| Huế | 2023 | 52.38 | - | - |\n"
                   "| Đà Nẵng | 2024 | 0.01235 | -2.15 | above |\n");
    tfp_table_free(t);
}

Test(render, markdown_vietnamese)
{
    tfp_table *t = sample_table();
    assert_renders(t, TFP_FORMAT_MD, TFP_LANG_VI,
                   "## Năng suất\n"
                   "\n"
                   "| Tỉnh | Năm | Sản lượng | Tỷ trọng TFP (%) | Trạng thái |\n"
                   "|---|---:|---:|---:|---|\n"
                   "| Bắc Giang | 2021 | 1.234.568 | 12,35 | đạt |\n"
                   "| Hà Nội | 2022 | - | 7,50 | dưới mục tiêu |\n"
                   "| Huế | 2023 | 52,38 | - | - |\n"
                   "| Đà Nẵng | 2024 | 0,01235 | -2,15 | trên khoảng |\n");
    tfp_table_free(t);
}

static const char sample_json[] =
    "[\n"
    "  {\"region\": \"Bắc Giang\", \"year\": 2021, \"output\": 1234567.8, \"tfp_share\": "
    "0.12345, \"status\": \"met\"},\n"
    "  {\"region\": \"Hà Nội\", \"year\": 2022, \"output\": null, \"tfp_share\": "
    "0.074999999999999997, \"status\": \"below\"},\n"
    "  {\"region\": \"Huế\", \"year\": 2023, \"output\": 52.384610000000002, \"tfp_share\": "
    "null, \"status\": null},\n"
    "  {\"region\": \"Đà Nẵng\", \"year\": 2024, \"output\": 0.0123456, \"tfp_share\": "
    "-0.02154, \"status\": \"above\"}\n"
    "]\n";

Test(render, json_is_the_same_in_both_languages)
{
    tfp_table *t = sample_table();
    assert_renders(t, TFP_FORMAT_JSON, TFP_LANG_EN, sample_json);
    assert_renders(t, TFP_FORMAT_JSON, TFP_LANG_VI, sample_json);
    tfp_table_free(t);
}

Test(render, never_nan_or_inf_in_any_format)
{
    tfp_table *t = sample_table();
    tfp_format f;
    tfp_lang l;
    for (f = TFP_FORMAT_TEXT; f <= TFP_FORMAT_JSON; f++)
        for (l = TFP_LANG_EN; l <= TFP_LANG_VI; l++) {
            char *s = render(t, f, l);
            char *p;
            for (p = s; *p != '\0'; p++)
                *p = (char)((*p >= 'A' && *p <= 'Z') ? *p - 'A' + 'a' : *p);
            cr_assert_null(strstr(s, "nan"), "format %d: %s", (int)f, s);
            cr_assert_null(strstr(s, "inf"), "format %d: %s", (int)f, s);
            free(s);
        }
    tfp_table_free(t);
}

/* ---- number rules ------------------------------------------------------------------ */

/* A one-column table of v in Markdown; returns the single data cell. */
static char *
md_cell(tfp_cell_type type, double v, tfp_lang lang, int pct_decimals)
{
    tfp_table *t = tfp_table_alloc("n", NULL, NULL, NULL);
    tfp_render_opts o;
    tfp_strbuf sb;
    const char *s, *p;
    char *cell;
    size_t r;
    tfp_table_add_col(t, "v", "V", NULL, type, NULL);
    tfp_table_add_row(t, &r, NULL);
    tfp_table_set_num(t, r, 0, v);
    tfp_render_opts_init(&o);
    o.lang = lang;
    o.pct_decimals = pct_decimals;
    tfp_strbuf_init(&sb);
    cr_assert_eq(tfp_table_render(t, TFP_FORMAT_MD, &o, &sb, NULL), TFP_OK);
    s = tfp_strbuf_cstr(&sb);
    p = strstr(s, "|\n| ");
    cr_assert_not_null(p, "%s", s);
    p += 4;
    cell = strndup(p, strcspn(p, " "));
    tfp_strbuf_fini(&sb);
    tfp_table_free(t);
    return cell;
}

static void
assert_cell(tfp_cell_type type, double v, tfp_lang lang, int pct_decimals, const char *want)
{
    char *got = md_cell(type, v, lang, pct_decimals);
    cr_assert_str_eq(got, want, "%.17g shows as \"%s\", want \"%s\"", v, got, want);
    free(got);
}

Test(render, number_rule_four_significant_digits_below_1000)
{
    assert_cell(TFP_CELL_NUMBER, 2.385, TFP_LANG_EN, 2, "2.385");
    assert_cell(TFP_CELL_NUMBER, 12.5, TFP_LANG_EN, 2, "12.5"); /* zeros dropped */
    assert_cell(TFP_CELL_NUMBER, 999.44, TFP_LANG_EN, 2, "999.4");
    assert_cell(TFP_CELL_NUMBER, 999.96, TFP_LANG_EN, 2, "1,000");         /* rounds up to 1000 */
    assert_cell(TFP_CELL_NUMBER, 0.000123456, TFP_LANG_EN, 2, "0.000123"); /* 6 decimals */
    assert_cell(TFP_CELL_NUMBER, 1e-9, TFP_LANG_EN, 2, "0");
    assert_cell(TFP_CELL_NUMBER, -1e-9, TFP_LANG_EN, 2, "0"); /* no "-0" */
    assert_cell(TFP_CELL_NUMBER, 0.0, TFP_LANG_EN, 2, "0");
    assert_cell(TFP_CELL_NUMBER, -45.678, TFP_LANG_VI, 2, "-45,68");
}

Test(render, number_rule_whole_with_separators_from_1000)
{
    assert_cell(TFP_CELL_NUMBER, 1000.0, TFP_LANG_EN, 2, "1,000");
    assert_cell(TFP_CELL_NUMBER, 1234567.8, TFP_LANG_EN, 2, "1,234,568");
    assert_cell(TFP_CELL_NUMBER, 1234567.8, TFP_LANG_VI, 2, "1.234.568");
    assert_cell(TFP_CELL_NUMBER, -987654.4, TFP_LANG_EN, 2, "-987,654");
    assert_cell(TFP_CELL_NUMBER, 123456.0, TFP_LANG_VI, 2, "123.456");
}

Test(render, fraction_rule_percent_with_pct_decimals)
{
    assert_cell(TFP_CELL_FRACTION, 0.12345, TFP_LANG_EN, 2, "12.35");
    assert_cell(TFP_CELL_FRACTION, 0.12345, TFP_LANG_VI, 2, "12,35");
    assert_cell(TFP_CELL_FRACTION, 0.075, TFP_LANG_EN, 1, "7.5");
    assert_cell(TFP_CELL_FRACTION, 0.075, TFP_LANG_EN, 0, "7"); /* 7.4999... */
    assert_cell(TFP_CELL_FRACTION, 0.0001, TFP_LANG_EN, 2, "0.01");
    assert_cell(TFP_CELL_FRACTION, -0.00001, TFP_LANG_EN, 2, "0.00"); /* no "-0.00" */
    assert_cell(TFP_CELL_FRACTION, 12.3456, TFP_LANG_EN, 2, "1,234.56");
    assert_cell(TFP_CELL_FRACTION, 12.3456, TFP_LANG_VI, 2, "1.234,56");
    assert_cell(TFP_CELL_FRACTION, 1.0, TFP_LANG_EN, 3, "100.000");
}

Test(render, int_rule_whole_without_separators)
{
    assert_cell(TFP_CELL_INT, 2021.0, TFP_LANG_EN, 2, "2021");
    assert_cell(TFP_CELL_INT, 123456.0, TFP_LANG_VI, 2, "123456");
    assert_cell(TFP_CELL_INT, -0.0, TFP_LANG_EN, 2, "0");
    assert_cell(TFP_CELL_INT, NAN, TFP_LANG_EN, 2, "-");
    assert_cell(TFP_CELL_NUMBER, -INFINITY, TFP_LANG_EN, 2, "-");
}

Test(render, digits_are_clamped_to_1_and_17)
{
    tfp_table *t = tfp_table_alloc("n", NULL, NULL, NULL);
    tfp_render_opts o;
    tfp_strbuf sb;
    size_t r;
    tfp_table_add_col(t, "v", "V", NULL, TFP_CELL_NUMBER, NULL);
    tfp_table_add_row(t, &r, NULL);
    tfp_table_set_num(t, r, 0, 2.0 / 3.0);
    tfp_render_opts_init(&o);
    tfp_strbuf_init(&sb);
    o.digits = 0;
    cr_assert_eq(tfp_table_render(t, TFP_FORMAT_CSV, &o, &sb, NULL), TFP_OK);
    o.digits = 40;
    cr_assert_eq(tfp_table_render(t, TFP_FORMAT_CSV, &o, &sb, NULL), TFP_OK);
    /* 2/3 = 0.66666666666666662965923251249478198587894439697265625 */
    cr_assert_str_eq(tfp_strbuf_cstr(&sb), "v\n0.7\nv\n0.66666666666666663\n");
    tfp_strbuf_fini(&sb);
    tfp_table_free(t);
}

/* ---- escaping ----------------------------------------------------------------------- */

static tfp_table *
text_table(const char *key, const char *s)
{
    tfp_table *t = tfp_table_alloc("t", "T", NULL, NULL);
    size_t r;
    tfp_table_add_col(t, key, key, NULL, TFP_CELL_TEXT, NULL);
    tfp_table_add_col(t, "n", "N", NULL, TFP_CELL_INT, NULL);
    tfp_table_add_row(t, &r, NULL);
    tfp_table_set_text(t, r, 0, s, NULL);
    tfp_table_set_num(t, r, 1, 7.0);
    return t;
}

Test(render, csv_quotes_comma_quote_and_newline)
{
    tfp_table *t = tfp_table_alloc("q", NULL, NULL, NULL);
    static const char *const cells[] = {"plain",        "a,b",   "say \"hi\"",
                                        "line1\nline2", "cr\rx", "semi;colon"};
    size_t i, r;
    for (i = 0; i < 6; i++) {
        char key[8];
        snprintf(key, sizeof key, "c%zu", i);
        tfp_table_add_col(t, key, key, NULL, TFP_CELL_TEXT, NULL);
    }
    tfp_table_add_row(t, &r, NULL);
    for (i = 0; i < 6; i++)
        tfp_table_set_text(t, r, i, cells[i], NULL);
    assert_renders(t, TFP_FORMAT_CSV, TFP_LANG_EN,
                   "c0,c1,c2,c3,c4,c5\n"
                   "plain,\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\",\"cr\rx\",semi;colon\n");
    tfp_table_free(t);

    /* A header is quoted too (it holds a '"'); ';' is special only when it is
     * the delimiter. */
    t = text_table("k,\"1\"", "semi;colon");
    {
        tfp_render_opts o;
        tfp_strbuf sb;
        tfp_render_opts_init(&o);
        o.delimiter = ';';
        tfp_strbuf_init(&sb);
        cr_assert_eq(tfp_table_render(t, TFP_FORMAT_CSV, &o, &sb, NULL), TFP_OK);
        cr_assert_str_eq(tfp_strbuf_cstr(&sb), "\"k,\"\"1\"\"\";n\n\"semi;colon\";7\n");
        tfp_strbuf_fini(&sb);
    }
    tfp_table_free(t);
}

Test(render, csv_single_column_missing_cell_keeps_its_line)
{
    tfp_table *t = tfp_table_alloc("one", NULL, NULL, NULL);
    size_t r;
    tfp_table_add_col(t, "x", "X", NULL, TFP_CELL_NUMBER, NULL);
    tfp_table_add_row(t, &r, NULL);
    tfp_table_add_row(t, &r, NULL);
    tfp_table_set_num(t, r, 0, 2.5);
    assert_renders(t, TFP_FORMAT_CSV, TFP_LANG_EN, "x\n\"\"\n2.5\n");
    tfp_table_free(t);
}

Test(render, csv_17_digits_round_trip_bit_identical)
{
    /* 0.1 and 1/3 are not exact in binary; 17 significant digits identify
     * every double (IEEE 754-2008 section 5.12.2). */
    static const double v[] = {
        0.1, 1.0 / 3.0, 2.385, -1e-300, 1.7976931348623157e308, 4.9406564584124654e-324};
    enum { N = sizeof v / sizeof v[0] };
    tfp_table *t = tfp_table_alloc("rt", NULL, NULL, NULL);
    tfp_render_opts o;
    tfp_strbuf sb;
    const char *p;
    char *end;
    size_t i, r;
    tfp_table_add_col(t, "v", "V", NULL, TFP_CELL_NUMBER, NULL);
    tfp_table_add_col(t, "f", "F", NULL, TFP_CELL_FRACTION, NULL);
    for (i = 0; i < N; i++) {
        tfp_table_add_row(t, &r, NULL);
        tfp_table_set_num(t, r, 0, v[i]);
        tfp_table_set_num(t, r, 1, v[i]);
    }
    tfp_render_opts_init(&o);
    tfp_strbuf_init(&sb);
    cr_assert_eq(tfp_table_render(t, TFP_FORMAT_CSV, &o, &sb, NULL), TFP_OK);
    p = tfp_strbuf_cstr(&sb);
    cr_assert_eq(strncmp(p,
                         "v,f\n0.10000000000000001,0.10000000000000001\n"
                         "0.33333333333333331,0.33333333333333331\n",
                         84),
                 0, "%s", p);
    p = strchr(p, '\n') + 1;
    for (i = 0; i < N; i++) {
        double a = strtod(p, &end);
        double b;
        cr_assert_eq(*end, ',');
        b = strtod(end + 1, &end);
        cr_assert_eq(*end, '\n');
        cr_assert_eq(memcmp(&a, &v[i], sizeof a), 0, "row %zu: %.17g != %.17g", i, a, v[i]);
        cr_assert_eq(memcmp(&b, &v[i], sizeof b), 0, "row %zu: %.17g != %.17g", i, b, v[i]);
        p = end + 1;
    }
    cr_assert_eq(*p, '\0');
    tfp_strbuf_fini(&sb);
    tfp_table_free(t);
}

Test(render, json_escapes_quotes_backslashes_controls_and_bad_utf8)
{
    /* '\xff' is not UTF-8 and '\xc3\x28' is a lead byte without its
     * continuation: each becomes U+FFFD; "Đ" (C4 90) passes through. */
    tfp_table *t = text_table("k\"ey", "q\" b\\ n\n t\t \x01 \x1f \b\f\r Đ \xff \xc3\x28");
    assert_renders(t, TFP_FORMAT_JSON, TFP_LANG_EN,
                   "[\n"
                   "  {\"k\\\"ey\": \"q\\\" b\\\\ n\\n t\\t \\u0001 \\u001f \\b\\f\\r Đ \\ufffd "
                   "\\ufffd(\", \"n\": 7}\n"
                   "]\n");
    tfp_table_free(t);
}

Test(render, markdown_escapes_pipes_and_control_characters)
{
    tfp_table *t = text_table("a|b", "x | y\nz");
    assert_renders(t, TFP_FORMAT_MD, TFP_LANG_EN,
                   "## T\n"
                   "\n"
                   "| a\\|b | N |\n"
                   "|---|---:|\n"
                   "| x \\| y z | 7 |\n");
    tfp_table_free(t);
}

Test(render, text_width_counts_code_points_and_not_combining_marks)
{
    /* "Ha\xcc\x80" is "Hà" decomposed (NFD: a + U+0300): 2 columns wide,
     * like "Hà" in NFC (C3 A0) and "Ho"; a tab shows as one space. */
    tfp_table *t = tfp_table_alloc("w", "W", NULL, NULL);
    static const char *const cells[] = {"Ha\xcc\x80", "H\xc3\xa0", "Ho", "a\tb"};
    size_t i, r;
    tfp_table_add_col(t, "s", "S", NULL, TFP_CELL_TEXT, NULL);
    tfp_table_add_col(t, "n", "N", NULL, TFP_CELL_INT, NULL);
    for (i = 0; i < 4; i++) {
        tfp_table_add_row(t, &r, NULL);
        tfp_table_set_text(t, r, 0, cells[i], NULL);
        tfp_table_set_num(t, r, 1, (double)i);
    }
    assert_renders(t, TFP_FORMAT_TEXT, TFP_LANG_EN,
                   "W\n"
                   "S    N\n"
                   "---  -\n"
                   "Ha\xcc\x80   0\n"
                   "H\xc3\xa0   1\n"
                   "Ho   2\n"
                   "a b  3\n");
    tfp_table_free(t);
}

Test(render, table_without_rows_or_title)
{
    tfp_table *t = tfp_table_alloc("empty", NULL, NULL, NULL);
    tfp_table_add_col(t, "year", "Year", NULL, TFP_CELL_INT, NULL);
    tfp_table_add_col(t, "share", "Share", NULL, TFP_CELL_FRACTION, NULL);
    assert_renders(t, TFP_FORMAT_TEXT, TFP_LANG_EN, "Year  Share (%)\n----  ---------\n");
    assert_renders(t, TFP_FORMAT_MD, TFP_LANG_EN, "| Year | Share (%) |\n|---:|---:|\n");
    assert_renders(t, TFP_FORMAT_CSV, TFP_LANG_EN, "year,share\n");
    assert_renders(t, TFP_FORMAT_JSON, TFP_LANG_EN, "[]\n");
    tfp_table_free(t);
}

/* ---- statuses ------------------------------------------------------------------------ */

Test(render, status_labels_in_both_languages)
{
    static const char *const code[] = {"met",      "below",     "within",   "above",
                                       "on-track", "off-track", "undefined"};
    static const char *const en[] = {"met",      "below",     "within",   "above",
                                     "on track", "off track", "undefined"};
    static const char *const vi[] = {"đạt",        "dưới mục tiêu", "trong khoảng",  "trên khoảng",
                                     "đúng hướng", "chệch hướng",   "không xác định"};
    size_t i;
    for (i = 0; i < 7; i++) {
        cr_assert_str_eq(tfp_status_label(code[i], TFP_LANG_EN), en[i]);
        cr_assert_str_eq(tfp_status_label(code[i], TFP_LANG_VI), vi[i]);
    }
    cr_assert_str_eq(tfp_status_label("pending", TFP_LANG_VI), "pending");
}

/* ---- documents ------------------------------------------------------------------------ */

typedef struct doc_fixture {
    tfp_table *summary, *targets;
    const tfp_table *tables[2];
    tfp_doc_meta meta[2];
    tfp_warnings warnings;
    tfp_doc doc;
} doc_fixture;

static void
doc_setup(doc_fixture *f)
{
    size_t r;
    f->summary = tfp_table_alloc("summary", "Summary", "Tóm tắt", NULL);
    tfp_table_add_col(f->summary, "region", "Region", "Tỉnh", TFP_CELL_TEXT, NULL);
    tfp_table_add_col(f->summary, "lp_growth", "LP growth", "Tăng NSLĐ", TFP_CELL_FRACTION, NULL);
    tfp_table_add_row(f->summary, &r, NULL);
    tfp_table_set_text(f->summary, r, 0, "Bắc Giang", NULL);
    tfp_table_set_num(f->summary, r, 1, 0.0815);
    f->targets = tfp_table_alloc("targets", "Targets", "Mục tiêu", NULL);
    tfp_table_add_col(f->targets, "status", "Status", "Trạng thái", TFP_CELL_STATUS, NULL);
    tfp_table_add_row(f->targets, &r, NULL);
    tfp_table_set_text(f->targets, r, 0, "on-track", NULL);
    f->tables[0] = f->summary;
    f->tables[1] = f->targets;
    f->meta[0] = (tfp_doc_meta){"method", "Method", "Phương pháp", "gso"};
    f->meta[1] = (tfp_doc_meta){"capital_share", "Capital share", "Tỷ trọng vốn", "0.4"};
    tfp_warnings_init(&f->warnings);
    tfp_warnings_add(&f->warnings, "gap in years %d-%d", 2001, 2003);
    f->doc = (tfp_doc){"Productivity report", "Báo cáo năng suất", f->meta, 2, f->tables, 2,
                       &f->warnings};
}

static void
doc_teardown(doc_fixture *f)
{
    tfp_table_free(f->summary);
    tfp_table_free(f->targets);
    tfp_warnings_fini(&f->warnings);
}

static void
assert_doc(const tfp_doc *d, tfp_format fmt, tfp_lang lang, const char *want)
{
    tfp_render_opts o;
    tfp_strbuf sb;
    tfp_error err;
    tfp_render_opts_init(&o);
    o.lang = lang;
    tfp_strbuf_init(&sb);
    tfp_error_init(&err);
    cr_assert_eq(tfp_doc_render(d, fmt, &o, &sb, &err), TFP_OK, "%s", err.msg);
    cr_assert_str_eq(tfp_strbuf_cstr(&sb), want, "got:\n%s\nwant:\n%s", tfp_strbuf_cstr(&sb), want);
    tfp_strbuf_fini(&sb);
}

Test(render, doc_text_english)
{
    doc_fixture f;
    doc_setup(&f);
    assert_doc(&f.doc, TFP_FORMAT_TEXT, TFP_LANG_EN,
               "Productivity report\n"
               "\n"
               "Method:        gso\n"
               "Capital share: 0.4\n"
               "\n"
               "Summary\n"
               "Region     LP growth (%)\n"
               "---------  -------------\n"
               "Bắc Giang           8.15\n"
               "\n"
               "Targets\n"
               "Status\n"
               "--------\n"
               "on track\n"
               "\n"
               "Warning: gap in years 2001-2003\n");
    doc_teardown(&f);
}

Test(render, doc_text_vietnamese)
{
    doc_fixture f;
    doc_setup(&f);
    assert_doc(&f.doc, TFP_FORMAT_TEXT, TFP_LANG_VI,
               "Báo cáo năng suất\n"
               "\n"
               "Phương pháp:  gso\n"
               "Tỷ trọng vốn: 0.4\n"
               "\n"
               "Tóm tắt\n"
               "Tỉnh       Tăng NSLĐ (%)\n"
               "---------  -------------\n"
               "Bắc Giang           8,15\n"
               "\n"
               "Mục tiêu\n"
               "Trạng thái\n"
               "----------\n"
               "đúng hướng\n"
               "\n"
               "Cảnh báo: gap in years 2001-2003\n");
    doc_teardown(&f);
}

Test(render, doc_markdown_english)
{
    doc_fixture f;
    doc_setup(&f);
    assert_doc(&f.doc, TFP_FORMAT_MD, TFP_LANG_EN,
               "# Productivity report\n"
               "\n"
               "- **Method:** gso\n"
               "- **Capital share:** 0.4\n"
               "\n"
               "## Summary\n"
               "\n"
               "| Region | LP growth (%) |\n"
               "|---|---:|\n"
               "| Bắc Giang | 8.15 |\n"
               "\n"
               "## Targets\n"
               "\n"
               "| Status |\n"
               "|---|\n"
               "| on track |\n"
               "\n"
               "### Warnings\n"
               "\n"
               "- gap in years 2001-2003\n");
    doc_teardown(&f);
}

Test(render, doc_markdown_vietnamese)
{
    doc_fixture f;
    doc_setup(&f);
    assert_doc(&f.doc, TFP_FORMAT_MD, TFP_LANG_VI,
               "# Báo cáo năng suất\n"
               "\n"
               "- **Phương pháp:** gso\n"
               "- **Tỷ trọng vốn:** 0.4\n"
               "\n"
               "## Tóm tắt\n"
               "\n"
               "| Tỉnh | Tăng NSLĐ (%) |\n"
               "|---|---:|\n"
               "| Bắc Giang | 8,15 |\n"
               "\n"
               "## Mục tiêu\n"
               "\n"
               "| Trạng thái |\n"
               "|---|\n"
               "| đúng hướng |\n"
               "\n"
               "### Cảnh báo\n"
               "\n"
               "- gap in years 2001-2003\n");
    doc_teardown(&f);
}

static const char doc_json[] = "{\n"
                               "  \"meta\": {\n"
                               "    \"method\": \"gso\",\n"
                               "    \"capital_share\": \"0.4\"\n"
                               "  },\n"
                               "  \"tables\": {\n"
                               "    \"summary\": [\n"
                               "      {\"region\": \"Bắc Giang\", \"lp_growth\": "
                               "0.081500000000000003}\n"
                               "    ],\n"
                               "    \"targets\": [\n"
                               "      {\"status\": \"on-track\"}\n"
                               "    ]\n"
                               "  },\n"
                               "  \"warnings\": [\n"
                               "    \"gap in years 2001-2003\"\n"
                               "  ]\n"
                               "}\n";

Test(render, doc_json_is_the_same_in_both_languages)
{
    doc_fixture f;
    doc_setup(&f);
    assert_doc(&f.doc, TFP_FORMAT_JSON, TFP_LANG_EN, doc_json);
    assert_doc(&f.doc, TFP_FORMAT_JSON, TFP_LANG_VI, doc_json);
    doc_teardown(&f);
}

Test(render, doc_json_empty_parts)
{
    tfp_doc d = {"T", NULL, NULL, 0, NULL, 0, NULL};
    assert_doc(&d, TFP_FORMAT_JSON, TFP_LANG_EN,
               "{\n  \"meta\": {},\n  \"tables\": {},\n  \"warnings\": []\n}\n");
    assert_doc(&d, TFP_FORMAT_TEXT, TFP_LANG_VI, "T\n");
}

Test(render, doc_csv_is_the_single_table)
{
    doc_fixture f;
    doc_setup(&f);
    f.doc.ntables = 1;
    assert_doc(&f.doc, TFP_FORMAT_CSV, TFP_LANG_VI,
               "region,lp_growth\nBắc Giang,0.081500000000000003\n");
    doc_teardown(&f);
}

Test(render, doc_csv_with_two_or_zero_tables_is_einval)
{
    doc_fixture f;
    tfp_strbuf sb;
    tfp_error err;
    doc_setup(&f);
    tfp_strbuf_init(&sb);
    tfp_strbuf_puts(&sb, "kept");
    tfp_error_init(&err);
    cr_assert_eq(tfp_doc_render(&f.doc, TFP_FORMAT_CSV, NULL, &sb, &err), TFP_EINVAL);
    cr_assert(strstr(err.msg, "exactly one table, not 2") != NULL, "%s", err.msg);
    f.doc.ntables = 0;
    tfp_error_init(&err);
    cr_assert_eq(tfp_doc_render(&f.doc, TFP_FORMAT_CSV, NULL, &sb, &err), TFP_EINVAL);
    cr_assert(strstr(err.msg, "not 0") != NULL, "%s", err.msg);
    cr_assert_str_eq(tfp_strbuf_cstr(&sb), "kept");
    tfp_strbuf_fini(&sb);
    doc_teardown(&f);
}

Test(render, bad_options_and_documents_are_einval)
{
    doc_fixture f;
    tfp_render_opts o;
    tfp_strbuf sb;
    tfp_error err;
    doc_setup(&f);
    tfp_strbuf_init(&sb);

    tfp_render_opts_init(&o);
    o.delimiter = '"';
    tfp_error_init(&err);
    cr_assert_eq(tfp_table_render(f.summary, TFP_FORMAT_CSV, &o, &sb, &err), TFP_EINVAL);
    cr_assert(strstr(err.msg, "delimiter") != NULL, "%s", err.msg);
    tfp_render_opts_init(&o);
    o.lang = (tfp_lang)7;
    cr_assert_eq(tfp_table_render(f.summary, TFP_FORMAT_TEXT, &o, &sb, NULL), TFP_EINVAL);
    cr_assert_eq(tfp_table_render(f.summary, (tfp_format)9, NULL, &sb, NULL), TFP_EINVAL);
    cr_assert_eq(tfp_doc_render(&f.doc, (tfp_format)9, NULL, &sb, NULL), TFP_EINVAL);

    f.tables[1] = f.summary; /* the same key twice */
    tfp_error_init(&err);
    cr_assert_eq(tfp_doc_render(&f.doc, TFP_FORMAT_JSON, NULL, &sb, &err), TFP_EINVAL);
    cr_assert(strstr(err.msg, "\"summary\" is used twice") != NULL, "%s", err.msg);
    f.tables[1] = f.targets;
    f.meta[1].key = "method";
    tfp_error_init(&err);
    cr_assert_eq(tfp_doc_render(&f.doc, TFP_FORMAT_TEXT, NULL, &sb, &err), TFP_EINVAL);
    cr_assert(strstr(err.msg, "\"method\" is used twice") != NULL, "%s", err.msg);
    cr_assert_eq(sb.len, 0);
    tfp_strbuf_fini(&sb);
    doc_teardown(&f);
}

/* ---- out of memory ---------------------------------------------------------------------- */

/* Fails allocation k = 1, 2, ... while rendering d in fmt until rendering
 * succeeds: each failure must be TFP_ENOMEM and leave the caller's text as
 * it was; ASan's leak check covers the rest. */
static void
oom_loop(const tfp_doc *d, tfp_format fmt, tfp_lang lang)
{
    tfp_render_opts o;
    tfp_strbuf sb, want;
    tfp_error err;
    size_t k;
    int rc = TFP_ENOMEM;
    tfp_render_opts_init(&o);
    o.lang = lang;
    tfp_strbuf_init(&want);
    cr_assert_eq(tfp_doc_render(d, fmt, &o, &want, NULL), TFP_OK);
    for (k = 1; k < 1000; k++) {
        tfp_strbuf_init(&sb);
        tfp_strbuf_puts(&sb, "prefix|");
        tfp_error_init(&err);
        tfp_alloc_fail_at(k, 0);
        rc = tfp_doc_render(d, fmt, &o, &sb, &err);
        tfp_alloc_fail_at(0, 0);
        if (rc == TFP_OK)
            break;
        cr_assert_eq(rc, TFP_ENOMEM, "format %d, allocation %zu: code %d", (int)fmt, k, rc);
        cr_assert_eq(err.code, TFP_ENOMEM);
        cr_assert_str_eq(tfp_strbuf_cstr(&sb), "prefix|");
        tfp_strbuf_fini(&sb);
    }
    cr_assert_eq(rc, TFP_OK);
    cr_assert_gt(k, 1, "format %d: no allocation failed", (int)fmt);
    cr_assert_str_eq(tfp_strbuf_cstr(&sb) + 7, tfp_strbuf_cstr(&want));
    tfp_strbuf_fini(&sb);
    tfp_strbuf_fini(&want);
}

Test(render, oom_in_every_format_is_enomem_without_leaks)
{
    doc_fixture f;
    tfp_table *big = sample_table();
    tfp_format fmt;
    doc_setup(&f);
    f.tables[0] = big;
    for (fmt = TFP_FORMAT_TEXT; fmt <= TFP_FORMAT_JSON; fmt++) {
        f.doc.ntables = fmt == TFP_FORMAT_CSV ? 1 : 2;
        oom_loop(&f.doc, fmt, TFP_LANG_EN);
        oom_loop(&f.doc, fmt, TFP_LANG_VI);
    }
    tfp_table_free(big);
    doc_teardown(&f);
    assert_no_leaks();
}
