/*
 * `tfp check` (cli layer): plan targets on reported yearly indicators (the
 * published labour-productivity growth, TFP share and output growth) for
 * offices without the inputs; the estimate's targets table, and a table of
 * the reported figures each value rests on.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tfp/check.h"
#include "tfp/config.h"
#include "tfp/reported.h"
#include "tfp/tables.h"

/* The bundled figures: Bac Giang's own releases (datasets/vietnam). */
#define CHECK_DEFAULT_DATA "vietnam/bac_giang_reported.csv"

static const char usage[] =
    "Usage: tfp check [FILE] [options]\n"
    "\n"
    "Plan targets checked on reported yearly indicators, for offices that have the\n"
    "published figures but not output, employment and capital: the same targets,\n"
    "statuses and required growth as 'tfp estimate --table targets'. FILE has a year\n"
    "column, optionally a region column, and any of\n"
    "  labour_productivity         a level at constant prices (per person employed)\n"
    "  labour_productivity_growth  yearly growth (also labour_productivity_growth_pct)\n"
    "  tfp_share                   TFP share of output growth (also tfp_contribution,\n"
    "                              tfp_contribution_pct)\n"
    "  output_growth               yearly output growth (also grdp_growth, grdp_growth_pct)\n"
    "Without FILE: Bac Giang's reported figures (datasets/vietnam, in percent).\n"
    "FILE '-' reads standard input.\n"
    "\n"
    "Input:\n"
    "  --map NAME=COLUMN      take an indicator (or year, region) from COLUMN\n"
    "  --percent              rates are in percent (12.5 = 12.5 %); default fractions\n"
    "  --region NAME          the region of a file without a region column\n"
    "  --delimiter C          ',' ';' or tab (default: detected from the header)\n"
    "  --decimal C            '.' (default) or ',' for numbers written 1.234,5\n"
    "Period and targets:\n"
    "  --from Y, --to Y       plan period (default 2021-2025 when the data reach\n"
    "                         2021, else the last 5 years of data); base year Y-1\n"
    "  --target lp=G          labour-productivity growth goal (default lp=0.125)\n"
    "  --target tfp=LO:HI     TFP share of growth band (default tfp=0.30:0.35)\n"
    "Output:\n"
    "  --table all|targets|basis\n"
    "                         (default all; csv needs one table, default targets)\n"
    "  --format text|csv|md|json\n"
    "  -o, --output FILE      write FILE atomically instead of standard output\n"
    "  --lang en|vi           labels and statuses in English or Vietnamese\n"
    "  --digits N             significant digits in csv and json (default 17)\n"
    "\n"
    "lp_growth comes from labour-productivity levels (base year and the last year)\n"
    "when there are both, else from the yearly growth rates reported in the period;\n"
    "the period TFP share is the mean of the yearly shares, weighted by output growth\n"
    "when that is reported too. The basis table says which figures were used.\n"
    "\n"
    "Exit codes: 0 success, 1 usage, 2 bad input data, 3 numerical failure, 4 I/O.\n";

enum { TABLE_ALL, TABLE_TARGETS, TABLE_BASIS };

typedef struct check_args {
    const char *file;
    int is_default;
    tfp_reported_opts in;
    tfp_panel_opts panel; /* for the shared --delimiter and --decimal */
    tfp_check_opts chk;
    cli_output out;
    int table, table_set;
} check_args;

static int
parse_args(int argc, char **argv, check_args *ca)
{
    cli_args a = {argc, argv, 1, "check"};
    tfp_error err;
    tfp_error_init(&err);
    while (a.i < argc) {
        const char *v = NULL, *arg = argv[a.i];
        int r;
        if ((r = cli_opt(&a, "--map", &v)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            if (tfp_reported_opts_map(&ca->in, v, &err) != TFP_OK)
                return cli_usage_error(a.cmd, "%s", err.msg);
        } else if ((r = cli_opt(&a, "--region", &v)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            if (v[0] == '\0')
                return cli_usage_error(a.cmd, "--region: expected a name");
            ca->in.region_name = v;
        } else if ((r = cli_opt(&a, "--percent", NULL)) != 0) {
            ca->in.percent = 1;
        } else if ((r = cli_opt(&a, "--from", &v)) != 0) {
            if (r < 0 || cli_parse_year(a.cmd, "--from", v, &ca->chk.from) < 0)
                return EXIT_USAGE;
        } else if ((r = cli_opt(&a, "--to", &v)) != 0) {
            if (r < 0 || cli_parse_year(a.cmd, "--to", v, &ca->chk.to) < 0)
                return EXIT_USAGE;
        } else if ((r = cli_opt(&a, "--target", &v)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            if (tfp_targets_parse(&ca->chk.targets, v, &err) != TFP_OK)
                return cli_usage_error(a.cmd, "%s", err.msg);
        } else if ((r = cli_opt(&a, "--table", &v)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            {
                static const char *const tables[] = {"all", "targets", "basis"};
                int k = cli_choice(a.cmd, "--table", v, tables, sizeof tables / sizeof tables[0]);
                if (k < 0)
                    return EXIT_USAGE;
                ca->table = k; /* the names are in the enum's order */
            }
            ca->table_set = 1;
        } else if ((r = cli_panel_opt(&a, &ca->panel)) != 0 ||
                   (r = cli_output_opt(&a, &ca->out)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error(a.cmd, "unknown option \"%s\"", arg);
        } else {
            if (cli_operand(&a, &ca->file) < 0)
                return EXIT_USAGE;
        }
    }
    if (ca->chk.from != 0 && ca->chk.to != 0 && ca->chk.from > ca->chk.to)
        return cli_usage_error(a.cmd, "--from %d is after --to %d", ca->chk.from, ca->chk.to);
    if (!ca->table_set)
        ca->table = ca->out.format == TFP_FORMAT_CSV ? TABLE_TARGETS : TABLE_ALL;
    if (ca->table == TABLE_ALL && ca->out.format == TFP_FORMAT_CSV)
        return cli_usage_error(a.cmd,
                               "--format csv holds one table: choose --table targets or basis");
    ca->in.csv = ca->panel.csv;
    return EXIT_OK;
}

int
cmd_check(int argc, char **argv)
{
    check_args ca;
    tfp_error err;
    tfp_reported *data = NULL;
    tfp_check *c = NULL;
    tfp_table *tables[2] = {NULL, NULL};
    tfp_doc_meta meta[4];
    char data_line[600], period[96], targets[160];
    tfp_doc doc;
    tfp_strbuf sb;
    size_t nt = 0;
    int rc, vi;

    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return EXIT_OK;
        }
    memset(&ca, 0, sizeof ca);
    tfp_reported_opts_init(&ca.in);
    tfp_panel_opts_init(&ca.panel);
    tfp_check_opts_init(&ca.chk);
    cli_output_init(&ca.out);
    rc = parse_args(argc, argv, &ca);
    if (rc != EXIT_OK)
        return rc;
    if (ca.file == NULL) {
        ca.file = cli_dataset(CHECK_DEFAULT_DATA);
        ca.is_default = 1;
        ca.in.percent = 1; /* the bundled file's unit */
        if (ca.in.region_name == NULL)
            ca.in.region_name = "Bắc Giang";
        if (ca.file == NULL) {
            fputs("tfp: the bundled data set was not found; give a FILE or set TFP_DATADIR\n",
                  stderr);
            return EXIT_IO;
        }
    }
    tfp_error_init(&err);
    if (tfp_reported_read(ca.file, &ca.in, &data, &err) != TFP_OK)
        return cli_report_error(&err);
    if (tfp_check_run(data, &ca.chk, &c, &err) != TFP_OK)
        return cli_report_error(&err);
    if (ca.table != TABLE_BASIS && (tables[nt++] = tfp_table_check_targets(c, &err)) == NULL)
        goto fail;
    if (ca.table != TABLE_TARGETS && (tables[nt++] = tfp_table_check_basis(c, &err)) == NULL)
        goto fail;

    vi = ca.out.render.lang == TFP_LANG_VI;
    if (ca.is_default)
        snprintf(data_line, sizeof data_line, "%s (%s)", c->data->path,
                 vi ? "Bắc Giang: số liệu công bố, nguồn từng giá trị trong bac_giang_sources.csv"
                    : "Bac Giang's reported figures, each value's source in "
                      "bac_giang_sources.csv");
    else
        snprintf(data_line, sizeof data_line, "%s", c->data->path);
    snprintf(period, sizeof period, vi ? "%d-%d (năm gốc %d)" : "%d-%d (base year %d)",
             c->opts.from, c->opts.to, c->opts.from - 1);
    cli_targets_text(&c->opts.targets, ca.out.render.lang, targets, sizeof targets);
    meta[0] = (tfp_doc_meta){"data", "Data", "Dữ liệu", data_line};
    meta[1] = (tfp_doc_meta){
        "units", "Units", "Đơn vị",
        c->data->percent ? (vi ? "phần trăm" : "percent")
                         : (vi ? "phân số (0,125 = 12,5 %)" : "fractions (0.125 = 12.5 %)")};
    meta[2] = (tfp_doc_meta){"period", "Period", "Giai đoạn", period};
    meta[3] = (tfp_doc_meta){"targets", "Targets", "Mục tiêu", targets};
    memset(&doc, 0, sizeof doc);
    doc.title_en = "tfp check: reported indicators against plan targets";
    doc.title_vi = "tfp check: chỉ tiêu đã công bố so với mục tiêu kế hoạch";
    doc.meta = meta;
    doc.nmeta = ca.out.format == TFP_FORMAT_CSV ? 0 : 4;
    doc.tables = (const tfp_table *const *)tables;
    doc.ntables = nt;
    doc.warnings = &c->warnings;
    tfp_strbuf_init(&sb);
    if (tfp_doc_render(&doc, ca.out.format, &ca.out.render, &sb, &err) != TFP_OK) {
        tfp_strbuf_fini(&sb);
        goto fail;
    }
    if (ca.out.format == TFP_FORMAT_CSV)
        for (size_t i = 0; i < c->warnings.n; i++)
            fprintf(stderr, "tfp: warning: %s\n", c->warnings.msg[i]);
    rc = cli_write(&ca.out, &sb);
    tfp_strbuf_fini(&sb);
    for (size_t i = 0; i < nt; i++)
        tfp_table_free(tables[i]);
    tfp_check_free(c);
    return rc;
fail:
    rc = cli_report_error(&err);
    for (size_t i = 0; i < nt; i++)
        tfp_table_free(tables[i]);
    tfp_check_free(c);
    return rc;
}
