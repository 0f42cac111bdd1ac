/*
 * `tfp sensitivity` (cli layer): the period TFP share over a grid of
 * capital share x depreciation x initial capital, and the bands of capital
 * shares in which each status of the TFP-share target holds.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tfp/config.h"
#include "tfp/sensitivity.h"
#include "tfp/tables.h"

static const char usage[] =
    "Usage: tfp sensitivity [FILE] [options]\n"
    "\n"
    "How the period TFP share, and whether it meets the plan's band, depends on the\n"
    "assumptions: the capital share, and for capital built from investment the\n"
    "depreciation rate and the initial stock. Without FILE: the bundled data.\n"
    "\n"
    "Grid:\n"
    "  --capital-shares FROM:TO:STEP  capital shares (default 0.30:0.55:0.05)\n"
    "  --deltas FROM:TO:STEP          depreciation rates (default 0.03:0.10:0.01); only\n"
    "                                 for capital built from investment\n"
    "  --k0-methods LIST              initial capital: harberger, given (the --k0\n"
    "                                 value), half, double (default: all that apply)\n"
    "Input, method, period and targets: as for tfp estimate (--map, --delimiter,\n"
    "  --decimal, --method, --growth, --labour-input, --delta and --k0 for the\n"
    "  baseline, --from, --to, --target tfp=LO:HI).\n"
    "Output:\n"
    "  --table all|grid|bands (default all; csv needs one table, default grid)\n"
    "  --format text|csv|md|json, -o FILE, --lang en|vi, --digits N\n"
    "\n"
    "Exit codes: 0 success, 1 usage, 2 bad input data, 3 numerical failure, 4 I/O.\n";

enum { TABLE_ALL, TABLE_GRID, TABLE_BANDS };

typedef struct sens_args {
    cli_estimate ce;
    cli_output out;
    tfp_sensitivity_opts so;
    int table, table_set;
} sens_args;

/* FROM[:TO[:STEP]] into from, to, step (step kept when not given). */
static int
parse_range(const char *cmd, const char *opt, const char *v, double *from, double *to, double *step)
{
    char buf[128], *part[3], *save = NULL, *tok;
    size_t n = 0;
    double x[3];
    if (strlen(v) >= sizeof buf)
        return cli_usage_error(cmd, "%s: expected FROM:TO:STEP, found \"%s\"", opt, v);
    snprintf(buf, sizeof buf, "%s", v);
    for (tok = strtok_r(buf, ":", &save); tok != NULL && n < 3; tok = strtok_r(NULL, ":", &save))
        part[n++] = tok;
    if (n == 0 || tok != NULL || v[strlen(v) - 1] == ':' || strstr(v, "::") != NULL)
        return cli_usage_error(cmd, "%s: expected FROM:TO:STEP, found \"%s\"", opt, v);
    for (size_t i = 0; i < n; i++)
        if (cli_parse_double(cmd, opt, part[i], &x[i]) != 0)
            return EXIT_USAGE;
    *from = x[0];
    *to = n > 1 ? x[1] : x[0];
    if (n > 2)
        *step = x[2];
    return EXIT_OK;
}

int
cli_sensitivity_opt(cli_args *a, tfp_sensitivity_opts *so, const char **given)
{
    const char *v = NULL;
    tfp_error err;
    int r;
    if ((r = cli_opt(a, "--capital-shares", &v)) != 0) {
        if (r < 0 || parse_range(a->cmd, "--capital-shares", v, &so->share_from, &so->share_to,
                                 &so->share_step) != EXIT_OK)
            return -1;
        *given = "--capital-shares";
        return 1;
    }
    if ((r = cli_opt(a, "--deltas", &v)) != 0) {
        if (r < 0 || parse_range(a->cmd, "--deltas", v, &so->delta_from, &so->delta_to,
                                 &so->delta_step) != EXIT_OK)
            return -1;
        *given = "--deltas";
        return 1;
    }
    if ((r = cli_opt(a, "--k0-methods", &v)) != 0) {
        char buf[128], *save = NULL, *tok;
        if (r < 0)
            return -1;
        snprintf(buf, sizeof buf, "%s", v);
        so->k0_methods = 0;
        for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
            tfp_k0_method m;
            tfp_error_init(&err);
            if (tfp_k0_method_parse(tok, &m, &err) != TFP_OK)
                return cli_usage_error(a->cmd, "--k0-methods: %s", err.msg), -1;
            so->k0_methods |= 1u << m;
        }
        if (so->k0_methods == 0)
            return cli_usage_error(a->cmd, "--k0-methods: expected a list such as "
                                           "harberger,half,double"),
                   -1;
        *given = "--k0-methods";
        return 1;
    }
    return 0;
}

int
cli_sensitivity_check(const char *cmd, const tfp_sensitivity_opts *so, const cli_estimate *ce)
{
    if ((so->k0_methods & (1u << TFP_K0_GIVEN)) && !isfinite(ce->est.k0) &&
        so->k0_methods != (1u << TFP_K0_COUNT) - 1u)
        return cli_usage_error(cmd, "--k0-methods given needs --k0 K");
    return EXIT_OK;
}

static int
parse_args(int argc, char **argv, sens_args *sa)
{
    cli_args a = {argc, argv, 1, "sensitivity"};
    while (a.i < argc) {
        const char *v = NULL, *arg = argv[a.i], *given = NULL;
        int r;
        if ((r = cli_estimate_opt(&a, &sa->ce)) != 0 || (r = cli_output_opt(&a, &sa->out)) != 0 ||
            (r = cli_sensitivity_opt(&a, &sa->so, &given)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
        } else if ((r = cli_opt(&a, "--table", &v)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            {
                static const char *const tables[] = {"all", "grid", "bands"};
                int k = cli_choice(a.cmd, "--table", v, tables, sizeof tables / sizeof tables[0]);
                if (k < 0)
                    return EXIT_USAGE;
                sa->table = k; /* the names are in the enum's order */
            }
            sa->table_set = 1;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error(a.cmd, "unknown option \"%s\"", arg);
        } else {
            if (cli_operand(&a, &sa->ce.file) < 0)
                return EXIT_USAGE;
        }
    }
    if (cli_estimate_check(a.cmd, &sa->ce) != EXIT_OK)
        return EXIT_USAGE;
    if (cli_sensitivity_check(a.cmd, &sa->so, &sa->ce) != EXIT_OK)
        return EXIT_USAGE;
    if (!sa->table_set)
        sa->table = sa->out.format == TFP_FORMAT_CSV ? TABLE_GRID : TABLE_ALL;
    if (sa->table == TABLE_ALL && sa->out.format == TFP_FORMAT_CSV)
        return cli_usage_error(a.cmd, "--format csv holds one table: choose --table grid or bands");
    return EXIT_OK;
}

int
cmd_sensitivity(int argc, char **argv)
{
    sens_args sa;
    tfp_error err;
    tfp_estimate *e = NULL;
    tfp_sensitivity *s = NULL;
    tfp_table *tables[2] = {NULL, NULL};
    cli_meta mt;
    tfp_doc_meta meta[16];
    char grid[640];
    tfp_doc doc;
    tfp_strbuf sb;
    size_t nt = 0;
    int rc;

    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return EXIT_OK;
        }
    memset(&sa, 0, sizeof sa);
    cli_estimate_init(&sa.ce);
    cli_output_init(&sa.out);
    tfp_sensitivity_opts_init(&sa.so);
    rc = parse_args(argc, argv, &sa);
    if (rc != EXIT_OK)
        return rc;
    rc = cli_estimate_load(&sa.ce, &e);
    if (rc != EXIT_OK)
        return rc;
    tfp_error_init(&err);
    if (tfp_sensitivity_run(e, &sa.so, &s, &err) != TFP_OK)
        goto fail;
    if (tfp_warnings_extend(&e->warnings, &s->warnings) != TFP_OK) {
        tfp_fail(&err, TFP_ENOMEM, "out of memory");
        goto fail;
    }
    {
        int text = sa.out.format == TFP_FORMAT_TEXT || sa.out.format == TFP_FORMAT_MD;
        unsigned compact = text ? TFP_TABLE_COMPACT : 0;
        if (sa.table != TABLE_BANDS &&
            (tables[nt++] = tfp_table_sensitivity_grid(s, compact, &err)) == NULL)
            goto fail;
        if (sa.table != TABLE_GRID &&
            (tables[nt++] = tfp_table_sensitivity_bands(s, compact, &err)) == NULL)
            goto fail;
    }
    memset(&doc, 0, sizeof doc);
    doc.title_en = "tfp sensitivity: the TFP share under other assumptions";
    doc.title_vi = "tfp sensitivity: đóng góp của TFP theo các giả định khác";
    doc.nmeta =
        sa.out.format == TFP_FORMAT_CSV ? 0 : cli_estimate_meta(&sa.ce, e, sa.out.render.lang, &mt);
    if (doc.nmeta > 0 && doc.nmeta + 2 <= sizeof meta / sizeof meta[0]) {
        memcpy(meta, mt.m, doc.nmeta * sizeof *meta);
        meta[doc.nmeta++] =
            (tfp_doc_meta){"grid", "Grid", "Lưới giả định",
                           tfp_sensitivity_grid_text(s, sa.out.render.lang, grid, sizeof grid)};
        meta[doc.nmeta++] = (tfp_doc_meta){"note", "Note", "Ghi chú",
                                           tfp_sensitivity_note_text(sa.out.render.lang)};
        doc.meta = meta;
    } else {
        doc.meta = mt.m;
    }
    doc.tables = (const tfp_table *const *)tables;
    doc.ntables = nt;
    doc.warnings = &e->warnings;
    tfp_strbuf_init(&sb);
    if (tfp_doc_render(&doc, sa.out.format, &sa.out.render, &sb, &err) != TFP_OK) {
        tfp_strbuf_fini(&sb);
        goto fail;
    }
    if (sa.out.format == TFP_FORMAT_CSV)
        for (size_t i = 0; i < e->warnings.n; i++)
            fprintf(stderr, "tfp: warning: %s\n", e->warnings.msg[i]);
    rc = cli_write(&sa.out, &sb);
    tfp_strbuf_fini(&sb);
    for (size_t i = 0; i < nt; i++)
        tfp_table_free(tables[i]);
    tfp_sensitivity_free(s);
    tfp_estimate_free(e);
    return rc;
fail:
    rc = cli_report_error(&err);
    for (size_t i = 0; i < nt; i++)
        tfp_table_free(tables[i]);
    tfp_sensitivity_free(s);
    tfp_estimate_free(e);
    return rc;
}
