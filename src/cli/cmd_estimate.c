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
    "  --max-rows N, --max-field-bytes N\n"
    "                         input limits (defaults 100000000 rows, 1048576 bytes)\n"
    "Method:\n"
    "  --method gso|tornqvist fixed shares and simple growth (gso, default), or\n"
    "                         two-period labour shares and log growth (tornqvist)\n"
    "  --capital-share A      capital share b_K in (0, 1) (default 0.4), or fit[:MODEL]:\n"
    "                         the capital elasticity of a crs (default), within or\n"
    "                         twoways production-function fit of the same data\n"
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
    "Structure:\n"
    "  --tax-sector NAME      the sector holding product taxes less subsidies:\n"
    "                         output only, no labour (default product_taxes)\n"
    "  --merge MAPPING.csv    merge former regions into new ones (columns old,new\n"
    "                         or region,new_region) before everything else\n"
    "Output:\n"
    "  --table all|annual|summary|targets|shiftshare\n"
    "                         (default all; csv needs one table, default annual;\n"
    "                         shiftshare needs a sector column)\n"
    "  --format text|csv|md|json\n"
    "  -o, --output FILE      write FILE atomically instead of standard output\n"
    "  --lang en|vi           labels and statuses in English or Vietnamese\n"
    "  --digits N             significant digits in csv and json (default 17)\n"
    "\n"
    "Exit codes: 0 success, 1 usage, 2 bad input data, 3 numerical failure, 4 I/O.\n";

enum { TABLE_ALL, TABLE_ANNUAL, TABLE_SUMMARY, TABLE_TARGETS, TABLE_SHIFTSHARE };

typedef struct estimate_args {
    cli_estimate ce;
    cli_output out;
    int table;
    int table_set;
} estimate_args;

static int
parse_args(int argc, char **argv, estimate_args *ea)
{
    cli_args a = {argc, argv, 1, "estimate"};
    while (a.i < argc) {
        const char *v = NULL, *arg = argv[a.i];
        int r;
        if ((r = cli_estimate_opt(&a, &ea->ce)) != 0 || (r = cli_output_opt(&a, &ea->out)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
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
            else if (strcmp(v, "shiftshare") == 0)
                ea->table = TABLE_SHIFTSHARE;
            else
                return cli_usage_error(a.cmd,
                                       "--table: expected all, annual, summary, targets or "
                                       "shiftshare, found \"%s\"",
                                       v);
            ea->table_set = 1;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error(a.cmd, "unknown option \"%s\"", arg);
        } else {
            if (ea->ce.file != NULL)
                return cli_usage_error(a.cmd, "more than one input file (\"%s\" and \"%s\")",
                                       ea->ce.file, arg);
            ea->ce.file = arg;
            a.i++;
        }
    }
    if (cli_estimate_check(a.cmd, &ea->ce) != EXIT_OK)
        return EXIT_USAGE;
    if (!ea->table_set)
        ea->table = ea->out.format == TFP_FORMAT_CSV ? TABLE_ANNUAL : TABLE_ALL;
    if (ea->table == TABLE_ALL && ea->out.format == TFP_FORMAT_CSV)
        return cli_usage_error(a.cmd, "--format csv holds one table: choose --table annual, "
                                      "summary, targets or shiftshare");
    return EXIT_OK;
}

int
cmd_estimate(int argc, char **argv)
{
    estimate_args ea;
    tfp_error err;
    tfp_estimate *e = NULL;
    tfp_table *tables[4] = {NULL, NULL, NULL, NULL};
    cli_meta mt;
    tfp_doc doc;
    tfp_strbuf sb;
    size_t nt = 0;
    int rc;

    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return EXIT_OK;
        }
    memset(&ea, 0, sizeof ea);
    cli_estimate_init(&ea.ce);
    cli_output_init(&ea.out);
    rc = parse_args(argc, argv, &ea);
    if (rc != EXIT_OK)
        return rc;
    rc = cli_estimate_load(&ea.ce, &e);
    if (rc != EXIT_OK)
        return rc;
    tfp_error_init(&err);
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
        if (ea.table == TABLE_SHIFTSHARE && !e->has_sectors) {
            tfp_fail(&err, TFP_EINPUT,
                     "--table shiftshare needs a sector column (looked for %s); name it with "
                     "--map sector=COLUMN",
                     tfp_role_defaults(TFP_ROLE_SECTOR));
            goto fail;
        }
        if ((ea.table == TABLE_ALL && e->has_sectors) || ea.table == TABLE_SHIFTSHARE)
            if ((tables[nt++] = tfp_table_estimate_shiftshare(e, compact, &err)) == NULL)
                goto fail;
    }
    memset(&doc, 0, sizeof doc);
    doc.title_en = "tfp estimate: growth accounting, labour productivity and plan targets";
    doc.title_vi = "tfp estimate: hạch toán tăng trưởng, năng suất lao động và chỉ tiêu kế hoạch";
    doc.nmeta =
        ea.out.format == TFP_FORMAT_CSV ? 0 : cli_estimate_meta(&ea.ce, e, ea.out.render.lang, &mt);
    doc.meta = mt.m;
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
