/*
 * `tfp estimate` (cli layer): reads a panel, runs the estimate pipeline and
 * prints the annual, summary and target tables (DESIGN section 4).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tfp/bootstrap.h"
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
    "Uncertainty (tfp estimate --bootstrap B):\n"
    "  --bootstrap B          B bootstrap replicates: the summary gains COLUMN_lo and\n"
    "                         COLUMN_hi for each period figure, the targets table the\n"
    "                         probability that each target is met\n"
    "  --seed S               random seed (default 0): the same seed, the same output\n"
    "  --threads N            worker threads (default: the processors online); the\n"
    "                         output does not depend on N\n"
    "  --level L              interval coverage (default 0.90: 5 % and 95 % quantiles)\n"
    "  --resample years|none  resample the period's years in moving blocks (default),\n"
    "                         or keep them (then the capital share must be drawn)\n"
    "  --block L              block length in years (default round(n^(1/3)))\n"
    "  --capital-share-sd SD  draw the capital share from N(A, SD^2) truncated to (0, 1);\n"
    "                         SD 'fit': the standard error of --capital-share fit[:MODEL]\n"
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
    cli_boot boot;
} estimate_args;

static int
parse_args(int argc, char **argv, estimate_args *ea)
{
    cli_args a = {argc, argv, 1, "estimate"};
    while (a.i < argc) {
        const char *v = NULL, *arg = argv[a.i];
        int r;
        if ((r = cli_boot_opt(&a, &ea->boot)) != 0 || (r = cli_estimate_opt(&a, &ea->ce)) != 0 ||
            (r = cli_output_opt(&a, &ea->out)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
        } else if ((r = cli_opt(&a, "--table", &v)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            {
                static const char *const tables[] = {"all", "annual", "summary", "targets",
                                                     "shiftshare"};
                int k = cli_choice(a.cmd, "--table", v, tables, sizeof tables / sizeof tables[0]);
                if (k < 0)
                    return EXIT_USAGE;
                ea->table = k; /* the names are in the enum's order */
            }
            ea->table_set = 1;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error(a.cmd, "unknown option \"%s\"", arg);
        } else {
            if (cli_operand(&a, &ea->ce.file) < 0)
                return EXIT_USAGE;
        }
    }
    if (cli_estimate_check(a.cmd, &ea->ce) != EXIT_OK)
        return EXIT_USAGE;
    if (cli_boot_check(a.cmd, &ea->boot, &ea->ce) != EXIT_OK)
        return EXIT_USAGE;
    if (!ea->table_set)
        ea->table = ea->out.format == TFP_FORMAT_CSV ? TABLE_ANNUAL : TABLE_ALL;
    if (ea->table == TABLE_ALL && ea->out.format == TFP_FORMAT_CSV)
        return cli_usage_error(a.cmd, "--format csv holds one table: choose --table annual, "
                                      "summary, targets or shiftshare");
    return EXIT_OK;
}

/* RESULT line of the peer benchmark harness (../shared/benchmarks/README.md),
 * on stderr when TFP_BENCH is set: means over region totals of the period
 * TFP growth and of 100 x the TFP share, and the bootstrap standard error and
 * 95 % type-7 interval of that mean contribution. */
static void
bench_result(const cli_estimate *ce, const tfp_estimate *e, const tfp_bootstrap *b, double boot_s)
{
    size_t u, r, nreg = 0, B = b != NULL ? b->opts.replicates : 0;
    double sA = 0.0, sC = 0.0, *nat = NULL, se = TFP_NAN, q[2] = {TFP_NAN, TFP_NAN};
    uint32_t *hist = NULL;
    for (u = 0; u < e->nunit; u++) {
        if (e->unit[u].sector != NULL && e->has_sectors)
            continue;
        sA += e->unit[u].s.g_A;
        sC += 100.0 * e->unit[u].s.share_A;
        nreg++;
    }
    if (b != NULL && nreg > 0) {
        nat = calloc(B, sizeof *nat);
        hist = malloc(TFP_BOOT_HIST_BINS * sizeof *hist);
    }
    if (nat != NULL && hist != NULL) {
        double mean = 0.0, ss = 0.0, p[2] = {0.025, 0.975};
        for (u = 0; u < e->nunit; u++)
            for (r = 0; b->unit[u].share != NULL && r < B; r++)
                nat[r] += 100.0 * b->unit[u].share[r] / (double)nreg;
        for (r = 0; r < B; r++)
            mean += nat[r] / (double)B;
        for (r = 0; r < B; r++)
            ss += (nat[r] - mean) * (nat[r] - mean);
        se = B > 1 ? sqrt(ss / (double)(B - 1)) : TFP_NAN;
        tfp_bootstrap_quantiles(nat, B, p, 2, NULL, q, hist, NULL);
    }
    fprintf(stderr,
            "RESULT read_s=%.4f est_s=%.4f rows=%zu mean_tfp_growth=%.15g mean_contrib=%.15g "
            "boot_se=%.15g boot_lo=%.15g boot_hi=%.15g\n",
            ce->read_s, ce->est_s + boot_s, e->panel->n, sA / (double)nreg, sC / (double)nreg, se,
            q[0], q[1]);
    free(nat);
    free(hist);
}

int
cmd_estimate(int argc, char **argv)
{
    estimate_args ea;
    tfp_error err;
    tfp_estimate *e = NULL;
    tfp_bootstrap *b = NULL;
    tfp_table *tables[4] = {NULL, NULL, NULL, NULL};
    cli_meta mt;
    tfp_doc_meta meta[16];
    char boot_line[400];
    tfp_doc doc;
    tfp_strbuf sb;
    size_t nt = 0;
    double boot_s = 0.0;
    int rc, bench = getenv("TFP_BENCH") != NULL && getenv("TFP_BENCH")[0] != '\0';

    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return EXIT_OK;
        }
    memset(&ea, 0, sizeof ea);
    cli_estimate_init(&ea.ce);
    cli_output_init(&ea.out);
    cli_boot_init(&ea.boot);
    rc = parse_args(argc, argv, &ea);
    if (rc != EXIT_OK)
        return rc;
    rc = cli_estimate_load(&ea.ce, &e);
    if (rc != EXIT_OK)
        return rc;
    tfp_error_init(&err);
    {
        double t0 = cli_now();
        ea.boot.o.keep_share = bench;
        if (cli_boot_run(&ea.boot, e, 0, &b, &err) != TFP_OK)
            goto fail;
        boot_s = cli_now() - t0;
    }
    {
        int text = ea.out.format == TFP_FORMAT_TEXT || ea.out.format == TFP_FORMAT_MD;
        unsigned compact = text ? TFP_TABLE_COMPACT : 0;
        if (ea.table == TABLE_ALL || ea.table == TABLE_ANNUAL) {
            unsigned fl = compact | (ea.table == TABLE_ALL && text ? TFP_TABLE_PERIOD_ONLY : 0);
            if ((tables[nt++] = tfp_table_estimate_annual(e, fl, &err)) == NULL)
                goto fail;
        }
        if (ea.table == TABLE_ALL || ea.table == TABLE_SUMMARY)
            if ((tables[nt++] = tfp_table_estimate_summary_ci(e, b, compact, &err)) == NULL)
                goto fail;
        if (ea.table == TABLE_ALL || ea.table == TABLE_TARGETS)
            if ((tables[nt++] = tfp_table_estimate_targets_ci(e, b, compact, &err)) == NULL)
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
    if (b != NULL && doc.nmeta > 0 && doc.nmeta < sizeof meta / sizeof meta[0]) {
        memcpy(meta, mt.m, doc.nmeta * sizeof *meta);
        meta[doc.nmeta++] =
            (tfp_doc_meta){"bootstrap", "Bootstrap", "Bootstrap",
                           cli_boot_meta(b, e, ea.out.render.lang, boot_line, sizeof boot_line)};
        doc.meta = meta;
    }
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
    if (bench)
        bench_result(&ea.ce, e, b, boot_s);
    rc = cli_write(&ea.out, &sb);
    tfp_strbuf_fini(&sb);
    for (size_t i = 0; i < nt; i++)
        tfp_table_free(tables[i]);
    tfp_bootstrap_free(b);
    tfp_estimate_free(e);
    return rc;
fail:
    rc = cli_report_error(&err);
    for (size_t i = 0; i < nt; i++)
        tfp_table_free(tables[i]);
    tfp_bootstrap_free(b);
    tfp_estimate_free(e);
    return rc;
}
