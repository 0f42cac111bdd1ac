/*
 * report layer: report books and their renderers. The estimate's book is
 * built on tests/fixtures/cli/hand.csv, whose growth accounting is derived
 * by hand in tests/models/test_growth.c: output 100, 110, 121 (growth 10 %),
 * labour 50, 51, 52.02 (2 %), capital 200, 220, 242 (10 %), b_K = 0.4, so
 * the capital contribution is 0.4 x 10 % = 4 points, labour's 0.6 x 2 % =
 * 1.2 points, TFP growth 4.8 % and its share of growth 48 %; labour
 * productivity 100/50 = 2 in 2019 and 110/51 in 2020, growth 110/102 - 1 =
 * 4/51. The workbook itself is read back by tests/cli/test_report.sh with an
 * independent reader; here: its writing is atomic and its failures clean.
 */
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tfp/alloc.h"
#include "tfp/book.h"
#include "tfp/estimate.h"
#include "tfp/tables.h"
#include "tfp_test.h"

TestSuite(book, .init = quiet_gsl, .fini = tfp_test_release_fonts);

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define assert_no_leaks() cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked")
#else
#define assert_no_leaks() ((void)0)
#endif

/* ---- fixtures ----------------------------------------------------------------- */

static tfp_table *
small_table(void)
{
    tfp_table *t = tfp_table_alloc("tbl", "Results <1> & more", "Kết quả", NULL);
    static const char *const region[] = {"Bắc Giang", "A<b>&\"c\"", "Huế", "Đà Nẵng"};
    static const char *const status[] = {"met", "below", "above", NULL};
    size_t r, i;
    cr_assert_not_null(t);
    cr_assert_eq(tfp_table_add_col(t, "region", "Region", "Tỉnh", TFP_CELL_TEXT, NULL), TFP_OK);
    cr_assert_eq(tfp_table_add_col(t, "year", "Year", "Năm", TFP_CELL_INT, NULL), TFP_OK);
    cr_assert_eq(tfp_table_add_col(t, "lp", "LP", "NSLĐ", TFP_CELL_NUMBER, NULL), TFP_OK);
    cr_assert_eq(tfp_table_add_col(t, "share", "Share", "Tỷ trọng", TFP_CELL_FRACTION, NULL),
                 TFP_OK);
    cr_assert_eq(tfp_table_add_col(t, "status", "Status", "Đánh giá", TFP_CELL_STATUS, NULL),
                 TFP_OK);
    for (i = 0; i < 4; i++) {
        cr_assert_eq(tfp_table_add_row(t, &r, NULL), TFP_OK);
        tfp_table_set_text(t, r, 0, region[i], NULL);
        tfp_table_set_num(t, r, 1, 2021.0 + (double)i);
        tfp_table_set_num(t, r, 2, 1234.5 * (double)(i + 1));
        tfp_table_set_num(t, r, 3, 0.2345 + 0.05 * (double)i);
        if (status[i] != NULL)
            tfp_table_set_text(t, r, 4, status[i], NULL);
    }
    return t;
}

/* A book with one section, the small table, a note and a line chart. */
static tfp_book *
small_book(void)
{
    tfp_error err;
    tfp_book *b = tfp_book_alloc("Book", "Sách", NULL);
    tfp_chart c;
    size_t sec, ti;
    cr_assert_not_null(b);
    tfp_error_init(&err);
    cr_assert_eq(tfp_book_add_meta(b, "Method", "Phương pháp", "gso", &err), TFP_OK);
    cr_assert_eq(tfp_book_add_section(b, "main", "Main", "Chính", &sec, &err), TFP_OK, "%s",
                 err.msg);
    cr_assert_eq(tfp_book_add_table(b, sec, small_table(), &ti, &err), TFP_OK, "%s", err.msg);
    cr_assert_eq(tfp_book_add_text(b, sec, TFP_TEXT_NOTE, "gap <2017>", NULL, &err), TFP_OK);
    memset(&c, 0, sizeof c);
    c.key = "share-1";
    c.title_en = "Share & target";
    c.title_vi = "Tỷ trọng";
    c.section = sec;
    c.table = ti;
    c.row0 = 0;
    c.nrow = 4;
    c.cat_col = "year";
    c.series[0] = (tfp_chart_series){"share", TFP_SERIES_LINE, 0x009E73};
    c.nseries = 1;
    cr_assert_eq(tfp_book_add_chart(b, sec, &c, &err), TFP_OK, "%s", err.msg);
    return b;
}

static tfp_estimate *
estimate_hand(void)
{
    tfp_panel_opts po;
    tfp_estimate_opts eo;
    tfp_panel *p = NULL;
    tfp_estimate *e = NULL;
    tfp_error err;
    tfp_error_init(&err);
    tfp_panel_opts_init(&po);
    tfp_estimate_opts_init(&eo);
    eo.from = 2020;
    eo.to = 2021;
    cr_assert_eq(tfp_panel_read(tfp_test_path("tests/fixtures/cli/hand.csv"), &po, &p, &err),
                 TFP_OK, "%s", err.msg);
    cr_assert_eq(tfp_estimate_run(p, &eo, &e, &err), TFP_OK, "%s", err.msg);
    return e;
}

static void
info_init(tfp_book_info *in)
{
    static const tfp_doc_meta meta[] = {{"period", "Period", "Giai đoạn", "2020-2021"}};
    static const tfp_doc_meta param[] = {{"lang", "--lang", NULL, "en"}};
    memset(in, 0, sizeof *in);
    in->lang = TFP_LANG_EN;
    in->version = "0.1.0";
    in->command = "tfp report hand.csv -o r.xlsx";
    in->input_sha256 = "ab12";
    in->meta = meta;
    in->nmeta = 1;
    in->param = param;
    in->nparam = 1;
}

static char *
render_html(const tfp_book *b, tfp_lang lang, size_t max_rows)
{
    tfp_book_opts o;
    tfp_strbuf sb;
    tfp_error err;
    tfp_book_opts_init(&o);
    o.render.lang = lang;
    o.max_rows = max_rows;
    tfp_strbuf_init(&sb);
    tfp_error_init(&err);
    cr_assert_eq(tfp_book_render_html(b, &o, &sb, &err), TFP_OK, "%s", err.msg);
    return sb.data;
}

static size_t
count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* ---- the model ----------------------------------------------------------------- */

Test(book, sections_need_unique_keys_and_sheet_names)
{
    tfp_error err;
    tfp_book *b = tfp_book_alloc("B", NULL, NULL);
    size_t sec;
    tfp_error_init(&err);
    cr_assert_eq(tfp_book_add_section(b, "a", "Sheet A", NULL, &sec, &err), TFP_OK);
    cr_assert_eq(sec, 0u);
    cr_assert_eq(tfp_book_add_section(b, "a", "Other", NULL, NULL, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "already has a section \"a\""), "%s", err.msg);
    tfp_error_init(&err);
    cr_assert_eq(tfp_book_add_section(b, "b c", "B", NULL, NULL, &err), TFP_EINVAL);
    tfp_error_init(&err);
    cr_assert_eq(tfp_book_add_section(b, "b", "Bad/name", NULL, NULL, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "31 characters"), "%s", err.msg);
    tfp_error_init(&err);
    /* 32 code points: one too many for a sheet name. */
    cr_assert_eq(tfp_book_add_section(b, "c", "Đóng góp của vốn lao động và TFP", NULL, NULL, &err),
                 TFP_EINVAL);
    cr_assert_eq(tfp_book_section(b, "a"), 0u);
    cr_assert_eq(tfp_book_section(b, "zz"), SIZE_MAX);
    cr_assert_eq(tfp_book_nsection(b), 1u);
    tfp_book_free(b);
    tfp_book_free(NULL);
}

Test(book, table_is_owned_even_when_adding_fails)
{
    tfp_error err;
    tfp_book *b = tfp_book_alloc("B", NULL, NULL);
    tfp_error_init(&err);
    /* No section 3: the table is freed (ASan and valgrind see no leak). */
    cr_assert_eq(tfp_book_add_table(b, 3, small_table(), NULL, &err), TFP_EINVAL);
    tfp_book_free(b);
    assert_no_leaks();
}

Test(book, charts_are_checked_against_their_table)
{
    tfp_error err;
    tfp_book *b = small_book();
    tfp_chart c;
    memset(&c, 0, sizeof c);
    c.key = "x";
    c.section = 0;
    c.table = 0;
    c.row0 = 1;
    c.nrow = 3;
    c.cat_col = "year";
    c.series[0] = (tfp_chart_series){"lp", TFP_SERIES_COLUMN, 0};
    c.series[1] = (tfp_chart_series){"share", TFP_SERIES_LINE, 0};
    c.nseries = 2;
    tfp_error_init(&err);
    cr_assert_eq(tfp_book_add_chart(b, 0, &c, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "one kind"), "%s", err.msg);
    c.series[1] = (tfp_chart_series){"status", TFP_SERIES_COLUMN, 0};
    tfp_error_init(&err);
    cr_assert_eq(tfp_book_add_chart(b, 0, &c, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "no numeric column \"status\""), "%s", err.msg);
    c.nseries = 1;
    c.nrow = 4;
    tfp_error_init(&err);
    cr_assert_eq(tfp_book_add_chart(b, 0, &c, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "rows 1..5"), "%s", err.msg);
    c.nrow = 3;
    c.key = "share-1";
    tfp_error_init(&err);
    cr_assert_eq(tfp_book_add_chart(b, 0, &c, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "already has a chart"), "%s", err.msg);
    c.key = "lp";
    c.table = 1;
    tfp_error_init(&err);
    cr_assert_eq(tfp_book_add_chart(b, 0, &c, &err), TFP_EINVAL);
    c.table = 0;
    c.series[1] = (tfp_chart_series){"lp", TFP_SERIES_COLUMN, 0};
    c.nseries = 2;
    tfp_error_init(&err);
    cr_assert_eq(tfp_book_add_chart(b, 0, &c, &err), TFP_OK, "%s", err.msg);
    cr_assert_eq(tfp_book_nchart(b), 2u);
    tfp_book_free(b);
}

/* ---- HTML -------------------------------------------------------------------------- */

Test(book, html_is_one_self_contained_document)
{
    tfp_book *b = small_book();
    char *html = render_html(b, TFP_LANG_EN, 0);
    cr_assert_eq(strncmp(html, "<!DOCTYPE html>\n<html lang=\"en\">", 32), 0);
    cr_assert_not_null(strstr(html, "<meta name=\"viewport\""));
    cr_assert_not_null(strstr(html, "@page{size:A4"));
    cr_assert_null(strstr(html, "<script"));
    cr_assert_null(strstr(html, "<link"));
    cr_assert_null(strstr(html, "src="));
    /* Text is escaped, in captions, cells and notes. */
    cr_assert_not_null(strstr(html, "<caption>Results &lt;1&gt; &amp; more</caption>"));
    cr_assert_not_null(strstr(html, "<td>A&lt;b&gt;&amp;&quot;c&quot;</td>"));
    cr_assert_not_null(strstr(html, "<ul class=\"notes\">\n<li>gap &lt;2017&gt;</li>\n</ul>"));
    /* Numbers as text shows them (report.h): 2469 -> "2,469", 0.2845 ->
     * "28.45" in a column headed "(%)"; statuses translated and coloured
     * with Excel's Good/Bad/Neutral fills. */
    cr_assert_not_null(strstr(html, "<td class=\"n\">2,469</td>"));
    cr_assert_not_null(strstr(html, "<td class=\"n\">28.45</td>"));
    cr_assert_not_null(strstr(html, "<th class=\"n\" scope=\"col\">Share (%)</th>"));
    cr_assert_not_null(strstr(
        html, "<td class=\"st st-met\" style=\"background:#c6efce;color:#006100\">met</td>"));
    cr_assert_not_null(strstr(html, "st-below\" style=\"background:#ffc7ce;color:#9c0006\""));
    cr_assert_not_null(strstr(html, "<td>-</td></tr>"), "a missing status shows as -");
    /* The chart: an inline SVG with its ids prefixed by the chart's key. */
    cr_assert_not_null(strstr(html, "<figure class=\"chart\" id=\"chart-share-1\">\n<svg "));
    cr_assert_not_null(strstr(html, "role=\"img\" aria-label=\"Share &amp; target\""));
    cr_assert_null(strstr(html, "<?xml"));
    cr_assert_null(strstr(html, "id=\"glyph"), "an id without the chart's prefix");
    cr_assert_gt(count(html, "id=\"share-1-glyph"), 5u);
    cr_assert_gt(count(html, "href=\"#share-1-glyph"), 5u);
    cr_assert_eq(count(html, "<section id=\"sec-main\">"), 1u);
    tfp_free(html);
    tfp_book_free(b);
}

Test(book, html_in_vietnamese_uses_its_words_and_number_format)
{
    tfp_book *b = small_book();
    char *html = render_html(b, TFP_LANG_VI, 0);
    cr_assert_not_null(strstr(html, "<html lang=\"vi\">"));
    cr_assert_not_null(strstr(html, "<h2>Chính</h2>"));
    cr_assert_not_null(strstr(html, "<h2>Mục lục</h2>"));
    cr_assert_not_null(strstr(html, "<dt>Phương pháp</dt><dd>gso</dd>"));
    /* 1234.5 x 2 = 2469 and 1234.5 x 3 = 3703.5 -> "3.704" (whole above 1000). */
    cr_assert_not_null(strstr(html, "<td class=\"n\">2.469</td>"));
    cr_assert_not_null(strstr(html, "<td class=\"n\">3.704</td>"));
    cr_assert_not_null(strstr(html, "<td class=\"n\">28,45</td>"));
    cr_assert_not_null(strstr(html, ">đạt</td>"));
    cr_assert_not_null(strstr(html, "aria-label=\"Tỷ trọng\""));
    tfp_free(html);
    tfp_book_free(b);
}

Test(book, long_tables_are_cut_in_html_with_a_note)
{
    tfp_book *b = small_book();
    char *html = render_html(b, TFP_LANG_EN, 2);
    cr_assert_eq(count(html, "<tr><td"), 2u);
    cr_assert_not_null(strstr(html, "Showing the first 2 of 4 rows; the workbook has them all."));
    tfp_free(html);
    tfp_book_free(b);
}

/* ---- Markdown and SVG --------------------------------------------------------------- */

Test(book, markdown_links_each_chart_to_its_svg_file)
{
    tfp_book *b = small_book();
    tfp_book_opts o;
    tfp_strbuf md, svg;
    tfp_error err;
    tfp_book_opts_init(&o);
    tfp_strbuf_init(&md);
    tfp_strbuf_init(&svg);
    tfp_error_init(&err);
    cr_assert_eq(tfp_book_render_md(b, &o, "out", &md, &err), TFP_OK, "%s", err.msg);
    cr_assert_eq(
        strncmp(
            md.data,
            "# Book\n\n- **Method:** gso\n\n## Main\n\n### Results \\<1\\> & more\n\n| Region |",
            strlen("# Book\n\n- **Method:** gso\n\n## Main\n\n### Results \\<1\\> & more\n\n| "
                   "Region |")),
        0, "%s", md.data);
    cr_assert_not_null(strstr(md.data, "\n- gap \\<2017\\>\n"));
    cr_assert_not_null(strstr(md.data, "\n![Share & target](out_chart1.svg)\n"));
    cr_assert_eq(tfp_book_chart_svg(b, 0, &o, &svg, &err), TFP_OK, "%s", err.msg);
    cr_assert_eq(strncmp(svg.data, "<?xml", 5), 0);
    cr_assert_not_null(strstr(svg.data, "<svg role=\"img\" aria-label=\"Share &amp; target\""));
    cr_assert_not_null(strstr(svg.data, "viewBox=\"0 0 640 360\""));
    cr_assert_eq(tfp_book_chart_svg(b, 1, &o, &svg, &err), TFP_EINVAL);
    tfp_strbuf_fini(&md);
    tfp_strbuf_fini(&svg);
    tfp_book_free(b);
}

/* ---- the workbook ------------------------------------------------------------------- */

static char dir[64];

static size_t
entries(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;
    cr_assert_not_null(d);
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.' || (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0))
            n++;
    closedir(d);
    return n;
}

static void
clean_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

Test(book, workbook_is_written_atomically)
{
    tfp_book *b = small_book();
    tfp_error err;
    char path[128], head[3] = {0};
    FILE *fp;
    snprintf(dir, sizeof dir, "/tmp/tfp-book-%ld-XXXXXX", (long)getpid());
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/r.xlsx", dir);
    fp = fopen(path, "w");
    fputs("old", fp);
    fclose(fp);
    tfp_error_init(&err);
    cr_assert_eq(tfp_book_write_xlsx(b, NULL, path, &err), TFP_OK, "%s", err.msg);
    fp = fopen(path, "rb");
    cr_assert_eq(fread(head, 1, 2, fp), 2u);
    fclose(fp);
    cr_assert_str_eq(head, "PK", "not a zip file");
    cr_assert_eq(entries(), 1u, "a temporary file was left");
    clean_dir();
    tfp_book_free(b);
}

Test(book, failed_workbook_keeps_old_file_and_leaves_no_temporary)
{
    tfp_book *b = small_book();
    tfp_error err;
    char path[128], buf[8] = {0};
    FILE *fp;
    snprintf(dir, sizeof dir, "/tmp/tfp-book-%ld-XXXXXX", (long)getpid());
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/r.xlsx", dir);
    fp = fopen(path, "w");
    fputs("old", fp);
    fclose(fp);
    tfp_error_init(&err);
    {
        char missing[160];
        snprintf(missing, sizeof missing, "%s/missing/r.xlsx", dir);
        cr_assert_eq(tfp_book_write_xlsx(b, NULL, missing, &err), TFP_EIO);
        cr_assert_not_null(strstr(err.msg, "cannot write"), "%s", err.msg);
    }
    /* Two sections whose titles name the same sheet (Excel ignores case). */
    tfp_error_init(&err);
    cr_assert_eq(tfp_book_add_section(b, "twin", "MAIN", NULL, NULL, &err), TFP_OK);
    cr_assert_eq(tfp_book_write_xlsx(b, NULL, path, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "would both be the sheet \"MAIN\""), "%s", err.msg);
    fp = fopen(path, "rb");
    cr_assert_eq(fread(buf, 1, sizeof buf - 1, fp), 3u);
    fclose(fp);
    cr_assert_str_eq(buf, "old");
    cr_assert_eq(entries(), 1u, "a temporary file was left");
    clean_dir();
    tfp_book_free(b);
}

/* ---- the estimate's book ------------------------------------------------------------ */

Test(book, estimate_book_has_the_sections_and_hand_derived_contributions)
{
    tfp_estimate *e = estimate_hand();
    tfp_book_info in;
    tfp_error err;
    tfp_book *b;
    const tfp_table *t;
    size_t s, c;
    info_init(&in);
    tfp_error_init(&err);
    b = tfp_book_estimate(e, &in, &err);
    cr_assert_not_null(b, "%s", err.msg);
    cr_assert_eq(tfp_book_nsection(b), 5u);
    cr_assert_eq(tfp_book_section(b, "summary"), 0u);
    cr_assert_eq(tfp_book_section(b, "annual"), 1u);
    cr_assert_eq(tfp_book_section(b, "contributions"), 2u);
    cr_assert_eq(tfp_book_section(b, "data"), 3u);
    cr_assert_eq(tfp_book_section(b, "about"), 4u);
    /* One region: LP level, LP growth, contributions, TFP share. */
    cr_assert_eq(tfp_book_nchart(b), 4u);

    s = tfp_book_section(b, "contributions");
    t = tfp_book_table(b, s, 0);
    cr_assert_eq(tfp_table_nrow(t), 3u, "base year 2019 and 2020-2021");
    cr_assert_eq(tfp_table_num(t, 0, tfp_table_col(t, "year")), 2019.0);
    cr_assert(isnan(tfp_table_num(t, 0, tfp_table_col(t, "output_growth"))));
    cr_assert_eq(tfp_table_num(t, 0, tfp_table_col(t, "labour_productivity")),
                 2.0); /* 100/50 exactly */
    c = tfp_table_col(t, "output_growth");
    tfp_test_rel(tfp_table_num(t, 1, c), 0.1, 1e-14);
    tfp_test_rel(tfp_table_num(t, 1, tfp_table_col(t, "capital_contribution")), 0.04, 1e-14);
    tfp_test_rel(tfp_table_num(t, 1, tfp_table_col(t, "labour_contribution")), 0.012, 1e-13);
    tfp_test_rel(tfp_table_num(t, 1, tfp_table_col(t, "tfp_growth")), 0.048, 1e-13);
    tfp_test_rel(tfp_table_num(t, 1, tfp_table_col(t, "tfp_share")), 0.48, 1e-13);
    tfp_test_rel(tfp_table_num(t, 1, tfp_table_col(t, "labour_productivity_growth")), 4.0 / 51.0,
                 1e-14);
    /* The goals on every row: the defaults 12.5 % and 30-35 %. */
    cr_assert_eq(tfp_table_num(t, 2, tfp_table_col(t, "lp_target")), 0.125);
    cr_assert_eq(tfp_table_num(t, 2, tfp_table_col(t, "tfp_target_low")), 0.30);
    cr_assert_eq(tfp_table_num(t, 2, tfp_table_col(t, "tfp_target_high")), 0.35);

    /* Data: the input as read, columns named by role with the input column. */
    t = tfp_book_table(b, tfp_book_section(b, "data"), 0);
    cr_assert_eq(tfp_table_nrow(t), 3u);
    cr_assert_eq(tfp_table_num(t, 0, tfp_table_col(t, "line")), 2.0);
    cr_assert_eq(tfp_table_num(t, 2, tfp_table_col(t, "labour")), 52.02);
    cr_assert_str_eq(tfp_table_text(t, 1, tfp_table_col(t, "region")), "Alpha");
    {
        tfp_book_opts o;
        tfp_strbuf sb;
        tfp_book_opts_init(&o);
        tfp_strbuf_init(&sb);
        cr_assert_eq(tfp_book_render_html(b, &o, &sb, &err), TFP_OK, "%s", err.msg);
        cr_assert_not_null(strstr(sb.data, ">Output (grdp)</th>"));
        cr_assert_not_null(strstr(sb.data, ">Employment (employment)</th>"));
        cr_assert_not_null(strstr(sb.data, "<td>SHA-256 of the input file</td><td>ab12</td>"));
        cr_assert_not_null(strstr(sb.data, "<td>Parameter --capital-share</td><td>0.4</td>"));
        cr_assert_not_null(strstr(sb.data, "<td>Parameter --lang</td><td>en</td>"));
        cr_assert_not_null(strstr(sb.data, "<td>Column for --map output</td><td>grdp</td>"));
        cr_assert_not_null(strstr(sb.data, "<td>Period</td><td>2020-2021</td>"));
        cr_assert_not_null(strstr(sb.data, "Reading and estimation gave no warnings."));
        tfp_strbuf_fini(&sb);
    }
    tfp_book_free(b);
    tfp_estimate_free(e);
}

/* Every allocation failure while building the estimate's book and rendering
 * it is TFP_ENOMEM with nothing leaked, until the calls succeed. */
Test(book, out_of_memory_at_every_allocation)
{
    tfp_estimate *e = estimate_hand();
    tfp_book_info in;
    tfp_book_opts o;
    size_t k;
    int done = 0;
    info_init(&in);
    tfp_book_opts_init(&o);
    for (k = 1; !done && k < 100000; k++) {
        tfp_error err;
        tfp_book *b;
        tfp_strbuf sb;
        int rc;
        tfp_error_init(&err);
        tfp_alloc_fail_at(k, 0);
        b = tfp_book_estimate(e, &in, &err);
        if (b == NULL) {
            tfp_alloc_fail_at(0, 0);
            cr_assert_eq(err.code, TFP_ENOMEM, "k=%zu: %s", k, err.msg);
            continue;
        }
        tfp_strbuf_init(&sb);
        rc = tfp_book_render_html(b, &o, &sb, &err);
        tfp_alloc_fail_at(0, 0);
        if (rc != TFP_OK)
            cr_assert_eq(rc, TFP_ENOMEM, "k=%zu: %s", k, err.msg);
        else
            done = 1;
        tfp_strbuf_fini(&sb);
        tfp_book_free(b);
    }
    cr_assert(done);
    tfp_estimate_free(e);
    tfp_test_release_fonts();
    assert_no_leaks();
}

/* ---- optional parts: bootstrap, sensitivity, models ------------------------------ */

typedef struct parts {
    tfp_bootstrap *boot;
    tfp_sensitivity *sens;
    tfp_table *models;
    tfp_warnings notes;
} parts;

static void
parts_init(parts *p, const tfp_estimate *e, tfp_book_info *in)
{
    tfp_bootstrap_opts bo;
    tfp_sensitivity_opts so;
    tfp_error err;
    size_t nm;
    const tfp_compare_method *m = tfp_compare_methods(&nm);
    tfp_error_init(&err);
    tfp_bootstrap_opts_init(&bo);
    bo.replicates = 50;
    bo.seed = 1;
    cr_assert_eq(tfp_bootstrap_run(e, &bo, &p->boot, &err), TFP_OK, "%s", err.msg);
    tfp_sensitivity_opts_init(&so);
    so.share_from = 0.3;
    so.share_to = 0.5;
    so.share_step = 0.1;
    cr_assert_eq(tfp_sensitivity_run(e, &so, &p->sens, &err), TFP_OK, "%s", err.msg);
    p->models = tfp_table_compare_alloc(&err);
    cr_assert_not_null(p->models, "%s", err.msg);
    cr_assert_str_eq(m[1].key, "gso_0.40"); /* the hand estimate's own method */
    cr_assert_eq(tfp_table_compare_add(p->models, &m[1], e, &err), TFP_OK, "%s", err.msg);
    tfp_warnings_init(&p->notes);
    cr_assert_eq(tfp_warnings_add(&p->notes, "tornqvist left out: no labour_share column"), TFP_OK);
    in->bootstrap = p->boot;
    in->sensitivity = p->sens;
    in->models = p->models;
    in->models_notes = &p->notes;
}

static void
parts_fini(parts *p)
{
    tfp_bootstrap_free(p->boot);
    tfp_sensitivity_free(p->sens);
    tfp_table_free(p->models);
    tfp_warnings_fini(&p->notes);
}

/* The hand example's TFP share is (g_Y - g_L)/g_Y - b (g_K - g_L)/g_Y =
 * 0.8 - 0.8 b (g_Y = g_K = 10 %, g_L = 2 %): 0.56, 0.48, 0.40 at b = 0.3,
 * 0.4, 0.5 (tests/analysis/test_sensitivity.c derives the same). */
Test(book, estimate_book_with_bootstrap_sensitivity_and_models)
{
    tfp_estimate *e = estimate_hand();
    tfp_book_info in;
    tfp_error err;
    tfp_book *b;
    const tfp_table *t;
    parts p;
    size_t s, j;
    char *html;
    info_init(&in);
    parts_init(&p, e, &in);
    tfp_error_init(&err);
    b = tfp_book_estimate(e, &in, &err);
    cr_assert_not_null(b, "%s", err.msg);
    cr_assert_eq(tfp_book_nsection(b), 7u);
    cr_assert_eq(tfp_book_section(b, "contributions"), 2u);
    cr_assert_eq(tfp_book_section(b, "sensitivity"), 3u);
    cr_assert_eq(tfp_book_section(b, "models"), 4u);
    cr_assert_eq(tfp_book_section(b, "data"), 5u);
    cr_assert_eq(tfp_book_section(b, "about"), 6u);
    /* Four charts of the region and its sensitivity chart. */
    cr_assert_eq(tfp_book_nchart(b), 5u);

    /* Summary: the targets with their probability, the summary with the
     * intervals, as tfp_table_estimate_*_ci build them. */
    t = tfp_book_table(b, 0, 0);
    cr_assert_neq(tfp_table_col(t, "probability"), SIZE_MAX);
    t = tfp_book_table(b, 0, 1);
    cr_assert_neq(tfp_table_col(t, "tfp_share_lo"), SIZE_MAX);
    cr_assert_neq(tfp_table_col(t, "labour_productivity_growth_hi"), SIZE_MAX);
    tfp_test_rel(tfp_table_num(t, 0, tfp_table_col(t, "tfp_share_lo")),
                 p.boot->unit[0].lo[TFP_BOOT_SHARE_A], 0.0);

    /* Sensitivity: grid, bands and the chart data, 0.8 (1 - b). */
    s = tfp_book_section(b, "sensitivity");
    t = tfp_book_table(b, s, 0);
    cr_assert_eq(tfp_table_nrow(t), 3u);
    cr_assert_not_null(tfp_book_table(b, s, 1));
    t = tfp_book_table(b, s, 2);
    cr_assert_not_null(t);
    cr_assert_eq(tfp_table_nrow(t), 3u);
    j = tfp_table_col(t, "tfp_share_1");
    cr_assert_neq(j, SIZE_MAX);
    tfp_test_rel(tfp_table_num(t, 0, j), 0.56, 1e-13);
    tfp_test_rel(tfp_table_num(t, 1, j), 0.48, 1e-13);
    tfp_test_rel(tfp_table_num(t, 2, j), 0.40, 1e-13);
    cr_assert_eq(tfp_table_num(t, 2, tfp_table_col(t, "tfp_target_high")), 0.35);
    cr_assert_eq(tfp_table_col(t, "tfp_share_2"), SIZE_MAX, "capital is a column: one line");

    /* Models: the copy of the compare table. */
    t = tfp_book_table(b, tfp_book_section(b, "models"), 0);
    cr_assert_eq(tfp_table_nrow(t), 1u);
    cr_assert_str_eq(tfp_table_text(t, 0, tfp_table_col(t, "method")), "gso_0.40");
    tfp_test_rel(tfp_table_num(t, 0, tfp_table_col(t, "tfp_share")), 0.48, 1e-13);

    html = render_html(b, TFP_LANG_EN, 0);
    cr_assert_not_null(strstr(html, "<td>Parameter --bootstrap</td><td>50</td>"));
    cr_assert_not_null(strstr(html, "<td>Parameter --seed</td><td>1</td>"));
    cr_assert_not_null(strstr(html, "90 % interval (lo, hi)"));
    cr_assert_not_null(strstr(html, "Grid: capital share 0.3-0.5 by 0.1; capital from a column"));
    cr_assert_not_null(strstr(html, "tornqvist left out: no labour_share column"));
    cr_assert_not_null(strstr(html, "id=\"chart-sens-1\""));
    tfp_free(html);
    html = render_html(b, TFP_LANG_VI, 0);
    cr_assert_not_null(strstr(html, "Lưới giả định: hệ số vốn 0,3-0,5, bước 0,1"));
    cr_assert_not_null(strstr(html, "Phương pháp không áp dụng"));
    tfp_free(html);
    tfp_book_free(b);
    parts_fini(&p);
    tfp_estimate_free(e);
}

/* The optional parts' allocation failures: TFP_ENOMEM, nothing leaked. */
Test(book, out_of_memory_with_optional_parts)
{
    tfp_estimate *e = estimate_hand();
    tfp_book_info in;
    parts p;
    size_t k;
    int done = 0;
    info_init(&in);
    parts_init(&p, e, &in);
    for (k = 1; !done && k < 100000; k++) {
        tfp_error err;
        tfp_book *b;
        tfp_error_init(&err);
        tfp_alloc_fail_at(k, 0);
        b = tfp_book_estimate(e, &in, &err);
        tfp_alloc_fail_at(0, 0);
        if (b == NULL) {
            cr_assert_eq(err.code, TFP_ENOMEM, "k=%zu: %s", k, err.msg);
            continue;
        }
        done = 1;
        tfp_book_free(b);
    }
    cr_assert(done);
    parts_fini(&p);
    tfp_estimate_free(e);
    assert_no_leaks();
}
