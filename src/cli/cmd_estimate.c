/*
 * `tfp estimate` (cli layer): reads a panel, runs the estimate pipeline and
 * prints the annual, summary and target tables (DESIGN section 4).
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tfp/config.h"
#include "tfp/estimate.h"
#include "tfp/tables.h"

static const char usage[] =
    "Usage: tfp estimate [FILE] [options]\n"
    "\n"
    "Growth accounting, labour productivity and plan-target checks from a CSV of\n"
    "output, employment and capital (or investment) by year, and optionally by\n"
    "region and sector. Without FILE: the bundled Penn World Table 9.1 extract\n"
    "(China, Indonesia, Korea, Thailand, Viet Nam). FILE '-' reads standard input.\n"
    "\n"
    "Input:\n"
    "  --map ROLE=COLUMN      take ROLE from COLUMN (roles: year region sector output\n"
    "                         labour capital investment labour_share human_capital hours)\n"
    "  --delimiter C          ',' ';' or tab (default: detected from the header)\n"
    "  --decimal C            '.' (default) or ',' for numbers written 1.234,5\n"
    "Method:\n"
    "  --method gso|tornqvist fixed shares and simple growth (gso, default), or\n"
    "                         two-period labour shares and log growth (tornqvist)\n"
    "  --capital-share A      capital share b_K in (0, 1) (default 0.4)\n"
    "  --growth simple|log    override the method's growth form\n"
    "  --labour-input persons|hours|quality\n"
    "                         employment; x hours; x hours x human capital\n"
    "                         (default persons for gso, quality for tornqvist)\n"
    "  --delta D              depreciation rate (default 0.05): perpetual inventory\n"
    "                         from investment, and the stock check of capital\n"
    "  --k0 K                 initial capital stock (default: Harberger I0/(g+delta))\n"
    "Period and targets:\n"
    "  --from Y, --to Y       plan period (default 2021-2025 when the data reach\n"
    "                         2021, else the last 5 years of data); base year Y-1\n"
    "  --target lp=G          labour-productivity growth goal (default lp=0.125)\n"
    "  --target tfp=LO:HI     TFP share of growth band (default tfp=0.30:0.35)\n"
    "Output:\n"
    "  --table all|annual|summary|targets\n"
    "                         (default all; csv needs one table, default annual)\n"
    "  --format text|csv|md|json\n"
    "  -o, --output FILE      write FILE atomically instead of standard output\n"
    "  --lang en|vi           labels and statuses in English or Vietnamese\n"
    "  --digits N             significant digits in csv and json (default 17)\n"
    "\n"
    "Exit codes: 0 success, 1 usage, 2 bad input data, 3 numerical failure, 4 I/O.\n";

enum { TABLE_ALL, TABLE_ANNUAL, TABLE_SUMMARY, TABLE_TARGETS };

typedef struct estimate_args {
    const char *file;
    tfp_panel_opts panel;
    tfp_estimate_opts est;
    cli_output out;
    int table;
    int table_set;
} estimate_args;

static int
parse_args(int argc, char **argv, estimate_args *ea)
{
    cli_args a = {argc, argv, 1, "estimate"};
    tfp_error err;
    tfp_error_init(&err);
    while (a.i < argc) {
        const char *v = NULL, *arg = argv[a.i];
        int r;
        if ((r = cli_panel_opt(&a, &ea->panel)) != 0 || (r = cli_output_opt(&a, &ea->out)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
        } else if ((r = cli_opt(&a, "--method", &v)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            if (strcmp(v, "gso") == 0)
                ea->est.growth.method = TFP_METHOD_GSO;
            else if (strcmp(v, "tornqvist") == 0)
                ea->est.growth.method = TFP_METHOD_TORNQVIST;
            else
                return cli_usage_error(a.cmd, "--method: expected gso or tornqvist, found \"%s\"",
                                       v);
        } else if ((r = cli_opt(&a, "--capital-share", &v)) != 0) {
            if (r < 0 ||
                cli_parse_double(a.cmd, "--capital-share", v, &ea->est.growth.capital_share) != 0)
                return EXIT_USAGE;
            if (!(ea->est.growth.capital_share > 0.0 && ea->est.growth.capital_share < 1.0))
                return cli_usage_error(a.cmd,
                                       "--capital-share: expected a share in (0, 1), "
                                       "found \"%s\"",
                                       v);
        } else if ((r = cli_opt(&a, "--growth", &v)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            if (strcmp(v, "simple") == 0)
                ea->est.growth.form = TFP_GROWTH_SIMPLE;
            else if (strcmp(v, "log") == 0)
                ea->est.growth.form = TFP_GROWTH_LOG;
            else
                return cli_usage_error(a.cmd, "--growth: expected simple or log, found \"%s\"", v);
        } else if ((r = cli_opt(&a, "--labour-input", &v)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            if (tfp_labour_input_parse(v, &ea->est.labour_input, &err) != TFP_OK)
                return cli_usage_error(a.cmd, "%s", err.msg);
        } else if ((r = cli_opt(&a, "--delta", &v)) != 0) {
            if (r < 0 || cli_parse_double(a.cmd, "--delta", v, &ea->est.delta) != 0)
                return EXIT_USAGE;
            if (!(ea->est.delta >= 0.0 && ea->est.delta < 1.0))
                return cli_usage_error(a.cmd, "--delta: expected a rate in [0, 1), found \"%s\"",
                                       v);
        } else if ((r = cli_opt(&a, "--k0", &v)) != 0) {
            if (r < 0 || cli_parse_double(a.cmd, "--k0", v, &ea->est.k0) != 0)
                return EXIT_USAGE;
            if (!(ea->est.k0 >= 0.0) || !isfinite(ea->est.k0))
                return cli_usage_error(a.cmd, "--k0: expected a non-negative stock, found \"%s\"",
                                       v);
        } else if ((r = cli_opt(&a, "--from", &v)) != 0) {
            if (r < 0 || cli_parse_int(a.cmd, "--from", v, &ea->est.from) != 0)
                return EXIT_USAGE;
            if (ea->est.from < TFP_YEAR_MIN + 1 || ea->est.from > TFP_YEAR_MAX)
                return cli_usage_error(a.cmd, "--from: expected a year, found \"%s\"", v);
        } else if ((r = cli_opt(&a, "--to", &v)) != 0) {
            if (r < 0 || cli_parse_int(a.cmd, "--to", v, &ea->est.to) != 0)
                return EXIT_USAGE;
            if (ea->est.to < TFP_YEAR_MIN + 1 || ea->est.to > TFP_YEAR_MAX)
                return cli_usage_error(a.cmd, "--to: expected a year, found \"%s\"", v);
        } else if ((r = cli_opt(&a, "--target", &v)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            if (tfp_targets_parse(&ea->est.targets, v, &err) != TFP_OK)
                return cli_usage_error(a.cmd, "%s", err.msg);
        } else if ((r = cli_opt(&a, "--table", &v)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            if (strcmp(v, "all") == 0)
                ea->table = TABLE_ALL;
            else if (strcmp(v, "annual") == 0)
                ea->table = TABLE_ANNUAL;
            else if (strcmp(v, "summary") == 0)
                ea->table = TABLE_SUMMARY;
            else if (strcmp(v, "targets") == 0)
                ea->table = TABLE_TARGETS;
            else
                return cli_usage_error(a.cmd,
                                       "--table: expected all, annual, summary or targets, "
                                       "found \"%s\"",
                                       v);
            ea->table_set = 1;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error(a.cmd, "unknown option \"%s\"", arg);
        } else {
            if (ea->file != NULL)
                return cli_usage_error(a.cmd, "more than one input file (\"%s\" and \"%s\")",
                                       ea->file, arg);
            ea->file = arg;
            a.i++;
        }
    }
    if (ea->est.from != 0 && ea->est.to != 0 && ea->est.from > ea->est.to)
        return cli_usage_error(a.cmd, "--from %d is after --to %d", ea->est.from, ea->est.to);
    if (!ea->table_set)
        ea->table = ea->out.format == TFP_FORMAT_CSV ? TABLE_ANNUAL : TABLE_ALL;
    if (ea->table == TABLE_ALL && ea->out.format == TFP_FORMAT_CSV)
        return cli_usage_error(a.cmd, "--format csv holds one table: choose --table annual, "
                                      "summary or targets");
    return EXIT_OK;
}

/* "%g" with the language's decimal mark. */
static const char *
fmt_num(char *buf, size_t n, double v, tfp_lang lang)
{
    snprintf(buf, n, "%g", v);
    if (lang == TFP_LANG_VI)
        for (char *p = buf; *p; p++)
            if (*p == '.')
                *p = ',';
    return buf;
}

static const char *
fmt_pct(char *buf, size_t n, double v, tfp_lang lang)
{
    snprintf(buf, n, "%.4g", 100.0 * v);
    if (lang == TFP_LANG_VI)
        for (char *p = buf; *p; p++)
            if (*p == '.')
                *p = ',';
    return buf;
}

/* The labour-input descriptions of tfp_prep_labour_input, in Vietnamese. */
static const char *
labour_vi(const char *desc)
{
    static const char *const pairs[][2] = {
        {"employment x hours x human capital", "số lao động x giờ làm việc x vốn nhân lực"},
        {"employment x hours", "số lao động x giờ làm việc"},
        {"employment x human capital", "số lao động x vốn nhân lực"},
        {"employment (persons)", "số lao động (người)"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (strcmp(desc, pairs[i][0]) == 0)
            return pairs[i][1];
    return desc;
}

/* Metadata lines: what was computed and how, always printed with results. */
typedef struct meta_text {
    char data[512], method[160], share[160], labour[160], capital[200], period[96], targets[160];
} meta_text;

static size_t
build_meta(const estimate_args *ea,
           const tfp_estimate *e,
           int is_default,
           meta_text *mt,
           tfp_doc_meta *m)
{
    tfp_lang vi = ea->out.render.lang;
    int is_vi = vi == TFP_LANG_VI;
    char a[32], b[32], c[32];
    const tfp_estimate_opts *o = &e->opts;
    int log_form = o->growth.form == TFP_GROWTH_LOG;
    size_t k = 0;

    if (is_default)
        snprintf(mt->data, sizeof mt->data, "%s (%s)", e->panel->path,
                 is_vi ? "Penn World Table 9.1, Feenstra, Inklaar và Timmer (2015), CC BY 4.0"
                       : "Penn World Table 9.1, Feenstra, Inklaar and Timmer (2015), CC BY 4.0");
    else
        snprintf(mt->data, sizeof mt->data, "%s", e->panel->path);
    if (o->growth.method == TFP_METHOD_GSO)
        snprintf(mt->method, sizeof mt->method, "%s",
                 is_vi ? (log_form ? "gso: hệ số cố định, tăng trưởng logarit"
                                   : "gso (Tổng cục Thống kê): hệ số cố định, tốc độ tăng đơn")
                       : (log_form ? "gso: fixed shares, log growth"
                                   : "gso (statistics office): fixed shares, simple growth"));
    else
        snprintf(mt->method, sizeof mt->method, "%s",
                 is_vi ? (log_form ? "tornqvist: tỷ phần lao động bình quân hai năm, tăng trưởng "
                                     "logarit"
                                   : "tornqvist: tỷ phần lao động bình quân hai năm, tốc độ tăng "
                                     "đơn")
                       : (log_form ? "tornqvist: two-period labour shares, log growth"
                                   : "tornqvist: two-period labour shares, simple growth"));
    if (o->growth.method == TFP_METHOD_TORNQVIST && e->panel->x[TFP_ROLE_LABOUR_SHARE] != NULL)
        snprintf(mt->share, sizeof mt->share,
                 is_vi ? "1 - tỷ phần lao động (cột %s)" : "1 - labour share (column %s)",
                 e->panel->column[TFP_ROLE_LABOUR_SHARE]);
    else
        snprintf(mt->share, sizeof mt->share, "%s",
                 fmt_num(a, sizeof a, o->growth.capital_share, vi));
    snprintf(mt->labour, sizeof mt->labour, "%s",
             is_vi ? labour_vi(e->labour_desc) : e->labour_desc);
    if (e->capital_from_pim) {
        if (isfinite(o->k0))
            snprintf(mt->capital, sizeof mt->capital,
                     is_vi ? "kiểm kê liên tục từ đầu tư, khấu hao %s, K0 = %s"
                           : "perpetual inventory from investment, depreciation %s, K0 = %s",
                     fmt_num(a, sizeof a, o->delta, vi), fmt_num(b, sizeof b, o->k0, vi));
        else
            snprintf(mt->capital, sizeof mt->capital,
                     is_vi ? "kiểm kê liên tục từ đầu tư, khấu hao %s, K0 theo Harberger"
                           : "perpetual inventory from investment, depreciation %s, Harberger K0",
                     fmt_num(a, sizeof a, o->delta, vi));
    } else {
        snprintf(mt->capital, sizeof mt->capital, is_vi ? "cột %s" : "column %s",
                 e->panel->column[TFP_ROLE_CAPITAL]);
    }
    snprintf(mt->period, sizeof mt->period, is_vi ? "%d-%d (năm gốc %d)" : "%d-%d (base year %d)",
             o->from, o->to, o->from - 1);
    snprintf(mt->targets, sizeof mt->targets,
             is_vi ? "NSLĐ tăng %s %%/năm; đóng góp TFP %s-%s %%"
                   : "labour productivity +%s %%/year; TFP share of growth %s-%s %%",
             fmt_pct(a, sizeof a, o->targets.lp, vi), fmt_pct(b, sizeof b, o->targets.tfp_lo, vi),
             fmt_pct(c, sizeof c, o->targets.tfp_hi, vi));
    m[k++] = (tfp_doc_meta){"data", "Data", "Dữ liệu", mt->data};
    m[k++] = (tfp_doc_meta){"method", "Method", "Phương pháp", mt->method};
    m[k++] = (tfp_doc_meta){"capital_share", "Capital share", "Hệ số vốn", mt->share};
    m[k++] = (tfp_doc_meta){"labour_input", "Labour input", "Lao động đầu vào", mt->labour};
    m[k++] = (tfp_doc_meta){"capital", "Capital", "Vốn", mt->capital};
    m[k++] = (tfp_doc_meta){"period", "Period", "Giai đoạn", mt->period};
    m[k++] = (tfp_doc_meta){"targets", "Targets", "Mục tiêu", mt->targets};
    return k;
}

int
cmd_estimate(int argc, char **argv)
{
    estimate_args ea;
    tfp_error err;
    tfp_panel *panel = NULL;
    tfp_estimate *e = NULL;
    tfp_table *tables[3] = {NULL, NULL, NULL};
    tfp_doc_meta meta[8];
    meta_text mt;
    tfp_doc doc;
    tfp_strbuf sb;
    size_t nt = 0;
    int rc, is_default = 0;

    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return EXIT_OK;
        }
    memset(&ea, 0, sizeof ea);
    tfp_panel_opts_init(&ea.panel);
    tfp_estimate_opts_init(&ea.est);
    cli_output_init(&ea.out);
    rc = parse_args(argc, argv, &ea);
    if (rc != EXIT_OK)
        return rc;
    if (ea.file == NULL) {
        ea.file = cli_default_data();
        is_default = 1;
        if (ea.file == NULL) {
            fputs("tfp: the bundled data set was not found; give a FILE or set TFP_DATADIR\n",
                  stderr);
            return EXIT_IO;
        }
    }
    tfp_error_init(&err);
    ea.panel.required =
        TFP_ROLE_BIT(TFP_ROLE_YEAR) | TFP_ROLE_BIT(TFP_ROLE_OUTPUT) | TFP_ROLE_BIT(TFP_ROLE_LABOUR);
    ea.panel.need_one_of = TFP_ROLE_BIT(TFP_ROLE_CAPITAL) | TFP_ROLE_BIT(TFP_ROLE_INVESTMENT);
    if (tfp_panel_read(ea.file, &ea.panel, &panel, &err) != TFP_OK)
        return cli_report_error(&err);
    if (tfp_estimate_run(panel, &ea.est, &e, &err) != TFP_OK)
        return cli_report_error(&err);

    {
        int text = ea.out.format == TFP_FORMAT_TEXT || ea.out.format == TFP_FORMAT_MD;
        unsigned compact = text ? TFP_TABLE_COMPACT : 0;
        if (ea.table == TABLE_ALL || ea.table == TABLE_ANNUAL) {
            unsigned fl = compact | (ea.table == TABLE_ALL && text ? TFP_TABLE_PERIOD_ONLY : 0);
            if ((tables[nt++] = tfp_table_estimate_annual(e, fl, &err)) == NULL)
                goto fail;
        }
        if (ea.table == TABLE_ALL || ea.table == TABLE_SUMMARY)
            if ((tables[nt++] = tfp_table_estimate_summary(e, compact, &err)) == NULL)
                goto fail;
        if (ea.table == TABLE_ALL || ea.table == TABLE_TARGETS)
            if ((tables[nt++] = tfp_table_estimate_targets(e, compact, &err)) == NULL)
                goto fail;
    }
    memset(&doc, 0, sizeof doc);
    doc.title_en = "tfp estimate: growth accounting, labour productivity and plan targets";
    doc.title_vi = "tfp estimate: hạch toán tăng trưởng, năng suất lao động và chỉ tiêu kế hoạch";
    doc.nmeta = ea.out.format == TFP_FORMAT_CSV ? 0 : build_meta(&ea, e, is_default, &mt, meta);
    doc.meta = meta;
    doc.tables = (const tfp_table *const *)tables;
    doc.ntables = nt;
    doc.warnings = &e->warnings;
    tfp_strbuf_init(&sb);
    if (tfp_doc_render(&doc, ea.out.format, &ea.out.render, &sb, &err) != TFP_OK) {
        tfp_strbuf_fini(&sb);
        goto fail;
    }
    if (ea.out.format == TFP_FORMAT_CSV)
        for (size_t i = 0; i < e->warnings.n; i++)
            fprintf(stderr, "tfp: warning: %s\n", e->warnings.msg[i]);
    rc = cli_write(&ea.out, &sb);
    tfp_strbuf_fini(&sb);
    for (size_t i = 0; i < nt; i++)
        tfp_table_free(tables[i]);
    tfp_estimate_free(e);
    return rc;
fail:
    rc = cli_report_error(&err);
    for (size_t i = 0; i < nt; i++)
        tfp_table_free(tables[i]);
    tfp_estimate_free(e);
    return rc;
}
