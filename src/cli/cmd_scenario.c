/*
 * `tfp scenario` (cli layer): projects each region under the scenarios of a
 * file to a horizon and checks the plan targets, or (--solve) finds the
 * smallest constant TFP or output growth that meets them.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tfp/config.h"
#include "tfp/scenario.h"

static const char usage[] =
    "Usage: tfp scenario [FILE] --scenarios S.csv [options]\n"
    "\n"
    "Projects output, capital, labour, labour productivity and the TFP share of\n"
    "each region from its last year of data to a horizon under the scenarios of\n"
    "S.csv, and checks the plan targets for each scenario; or, with --solve,\n"
    "finds the smallest constant TFP growth (or output growth) over the years\n"
    "after the data that meets both period targets.\n"
    "\n"
    "Scenario file (CSV): columns scenario, year, optionally region (empty = every\n"
    "region), and any of output_growth, tfp_growth, labour_growth,\n"
    "capital_growth, investment, capital_share. Rates are fractions (0.075) in\n"
    "the method's growth form. A year without a value keeps the previous year's;\n"
    "a path never stated follows the region's average of its last 5 years.\n"
    "\n"
    "Scenario options:\n"
    "  --scenarios FILE       the scenario file (required)\n"
    "  --horizon YEAR         last projected year (default: the plan's --to)\n"
    "  --solve tfp|output     required constant TFP (or output) growth after the\n"
    "                         data to --to, and the binding target\n"
    "  --table all|projection|summary|targets\n"
    "                         (default all; csv needs one, default projection)\n"
    "Period and targets (default period 2021-2025, the plan's):\n"
    "  --from Y, --to Y, --target lp=G, --target tfp=LO:HI\n"
    "Input and method: as tfp estimate (--map, --delimiter, --decimal, --method,\n"
    "  --capital-share, --growth, --labour-input, --delta, --k0); --delta is also\n"
    "  the depreciation of projected capital built from investment.\n"
    "Output: --format text|csv|md|json, -o FILE, --lang en|vi, --digits N\n"
    "\n"
    "Exit codes: 0 success, 1 usage, 2 bad input data, 3 numerical failure, 4 I/O.\n";

enum { TABLE_ALL, TABLE_PROJECTION, TABLE_SUMMARY, TABLE_TARGETS };

typedef struct scenario_args {
    cli_estimate ce;
    cli_output out;
    const char *scenarios;
    int horizon;
    int solve; /* -1 none, else a tfp_solve_for */
    int table;
    int table_set;
} scenario_args;

static int
parse_args(int argc, char **argv, scenario_args *sa)
{
    cli_args a = {argc, argv, 1, "scenario"};
    while (a.i < argc) {
        const char *v = NULL, *arg = argv[a.i];
        int r;
        if ((r = cli_estimate_opt(&a, &sa->ce)) != 0 || (r = cli_output_opt(&a, &sa->out)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
        } else if ((r = cli_opt(&a, "--scenarios", &v)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            sa->scenarios = v;
        } else if ((r = cli_opt(&a, "--horizon", &v)) != 0) {
            if (r < 0 || cli_parse_int(a.cmd, "--horizon", v, &sa->horizon) != 0)
                return EXIT_USAGE;
            if (sa->horizon < TFP_YEAR_MIN || sa->horizon > TFP_YEAR_MAX)
                return cli_usage_error(a.cmd, "--horizon: expected a year, found \"%s\"", v);
        } else if ((r = cli_opt(&a, "--solve", &v)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            if (strcmp(v, "tfp") == 0)
                sa->solve = TFP_SOLVE_TFP;
            else if (strcmp(v, "output") == 0)
                sa->solve = TFP_SOLVE_OUTPUT;
            else
                return cli_usage_error(a.cmd, "--solve: expected tfp or output, found \"%s\"", v);
        } else if ((r = cli_opt(&a, "--table", &v)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            {
                static const char *const tables[] = {"all", "projection", "summary", "targets"};
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
    if (sa->scenarios == NULL)
        return cli_usage_error(a.cmd, "--scenarios FILE is required");
    if (sa->scenarios[0] == '-' && sa->scenarios[1] == '\0' && sa->ce.file != NULL &&
        strcmp(sa->ce.file, "-") == 0)
        return cli_usage_error(a.cmd, "the data and the scenarios cannot both be standard input");
    if (sa->solve >= 0 && sa->table_set)
        return cli_usage_error(a.cmd, "--solve prints one table: leave out --table");
    if (!sa->table_set)
        sa->table = sa->out.format == TFP_FORMAT_CSV ? TABLE_PROJECTION : TABLE_ALL;
    if (sa->solve < 0 && sa->table == TABLE_ALL && sa->out.format == TFP_FORMAT_CSV)
        return cli_usage_error(a.cmd, "--format csv holds one table: choose --table projection, "
                                      "summary or targets");
    /* A scenario looks forward: without --from and --to, the plan period. */
    if (sa->ce.est.from == 0 && sa->ce.est.to == 0) {
        sa->ce.est.from = TFP_DEFAULT_FROM;
        sa->ce.est.to = TFP_DEFAULT_TO;
    }
    return EXIT_OK;
}

/* Column definitions: key, labels, type, dropped in the terminal view. */
typedef struct col_def {
    const char *key, *en, *vi;
    tfp_cell_type type;
    int drop_compact;
} col_def;

static tfp_table *
make_table(const char *key,
           const char *en,
           const char *vi,
           const col_def *defs,
           size_t n,
           int compact,
           size_t *map,
           tfp_error *err)
{
    tfp_table *t = tfp_table_alloc(key, en, vi, err);
    size_t k = 0;
    if (t == NULL)
        return NULL;
    for (size_t j = 0; j < n; j++) {
        if (compact && defs[j].drop_compact) {
            map[j] = SIZE_MAX;
            continue;
        }
        if (tfp_table_add_col(t, defs[j].key, defs[j].en, defs[j].vi, defs[j].type, err) !=
            TFP_OK) {
            tfp_table_free(t);
            return NULL;
        }
        map[j] = k++;
    }
    return t;
}

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

static const col_def projection_cols[] = {
    {"scenario", "Scenario", "Kịch bản", TFP_CELL_TEXT, 0},
    {"region", "Region", "Địa phương", TFP_CELL_TEXT, 0},
    {"year", "Year", "Năm", TFP_CELL_INT, 0},
    {"source", "Source", "Nguồn", TFP_CELL_STATUS, 0},
    {"output", "Output", "Sản lượng", TFP_CELL_NUMBER, 0},
    {"labour", "Labour input", "Lao động", TFP_CELL_NUMBER, 1},
    {"capital", "Capital", "Vốn", TFP_CELL_NUMBER, 1},
    {"labour_productivity", "Labour productivity", "Năng suất lao động", TFP_CELL_NUMBER, 0},
    {"output_growth", "Output growth", "Tăng trưởng sản lượng", TFP_CELL_FRACTION, 0},
    {"labour_growth", "Labour growth", "Tăng lao động", TFP_CELL_FRACTION, 0},
    {"capital_growth", "Capital growth", "Tăng vốn", TFP_CELL_FRACTION, 0},
    {"tfp_growth", "TFP growth", "Tăng TFP", TFP_CELL_FRACTION, 0},
    {"tfp_share", "TFP share of growth", "Đóng góp TFP", TFP_CELL_FRACTION, 0},
    {"labour_productivity_growth", "LP growth", "Tăng NSLĐ", TFP_CELL_FRACTION, 0},
};

static tfp_table *
projection_table(const tfp_scenario_result *r, int compact, tfp_error *err)
{
    size_t map[NCOLS(projection_cols)];
    tfp_table *t = make_table("projection", "Projection", "Dự kiến theo kịch bản", projection_cols,
                              NCOLS(projection_cols), compact, map, err);
    if (t == NULL)
        return NULL;
    for (size_t u = 0; u < r->nunit; u++) {
        const tfp_scenario_unit *su = &r->unit[u];
        int first = r->from - 1 < su->last_data ? r->from - 1 : su->last_data;
        for (size_t i = 0; i < su->in.n; i++) {
            size_t row;
            int y = su->in.year[i];
            if (y < first)
                continue;
            if (tfp_table_add_row(t, &row, err) != TFP_OK ||
                tfp_table_set_text_mapped(t, map, row, 0, su->scenario, err) != TFP_OK ||
                tfp_table_set_text_mapped(t, map, row, 1, su->region, err) != TFP_OK ||
                tfp_table_set_text_mapped(t, map, row, 3, y > su->last_data ? "projected" : "data",
                                          err) != TFP_OK) {
                tfp_table_free(t);
                return NULL;
            }
            tfp_table_set_num_mapped(t, map, row, 2, (double)y);
            tfp_table_set_num_mapped(t, map, row, 4, su->in.Y[i]);
            tfp_table_set_num_mapped(t, map, row, 5, su->in.L[i]);
            tfp_table_set_num_mapped(t, map, row, 6, su->in.K[i]);
            tfp_table_set_num_mapped(t, map, row, 7, su->g->LP[i]);
            tfp_table_set_num_mapped(t, map, row, 8, su->g->g_Y[i]);
            tfp_table_set_num_mapped(t, map, row, 9, su->g->g_L[i]);
            tfp_table_set_num_mapped(t, map, row, 10, su->g->g_K[i]);
            tfp_table_set_num_mapped(t, map, row, 11, su->g->g_A[i]);
            tfp_table_set_num_mapped(t, map, row, 12, su->g->share_A[i]);
            tfp_table_set_num_mapped(t, map, row, 13, su->g->g_LP[i]);
        }
    }
    return t;
}

static const col_def summary_cols[] = {
    {"scenario", "Scenario", "Kịch bản", TFP_CELL_TEXT, 0},
    {"region", "Region", "Địa phương", TFP_CELL_TEXT, 0},
    {"from", "From", "Từ năm", TFP_CELL_INT, 0},
    {"to", "To", "Đến năm", TFP_CELL_INT, 0},
    {"years", "Years", "Số năm", TFP_CELL_INT, 0},
    {"last_data", "Data to", "Số liệu đến", TFP_CELL_INT, 0},
    {"output_growth", "Output growth", "Tăng trưởng sản lượng", TFP_CELL_FRACTION, 0},
    {"labour_growth", "Labour growth", "Tăng lao động", TFP_CELL_FRACTION, 0},
    {"capital_growth", "Capital growth", "Tăng vốn", TFP_CELL_FRACTION, 0},
    {"capital_share", "Capital coef.", "Hệ số vốn", TFP_CELL_FRACTION, 0},
    {"tfp_growth", "TFP growth", "Tăng TFP", TFP_CELL_FRACTION, 0},
    {"capital_contribution_share", "Capital share of growth", "Tỷ trọng đóng góp của vốn",
     TFP_CELL_FRACTION, 0},
    {"labour_contribution_share", "Labour share of growth", "Tỷ trọng đóng góp của lao động",
     TFP_CELL_FRACTION, 0},
    {"tfp_share", "TFP share of growth", "Tỷ trọng đóng góp của TFP", TFP_CELL_FRACTION, 0},
    {"tfp_share_last_year", "TFP share, last year", "Đóng góp TFP năm cuối", TFP_CELL_FRACTION, 0},
    {"labour_productivity_growth", "LP growth", "Tăng NSLĐ", TFP_CELL_FRACTION, 0},
};

static tfp_table *
summary_table(const tfp_scenario_result *r, int compact, tfp_error *err)
{
    size_t map[NCOLS(summary_cols)];
    tfp_table *t = make_table("summary", "Period summary under each scenario",
                              "Tổng hợp cả giai đoạn theo kịch bản", summary_cols,
                              NCOLS(summary_cols), compact, map, err);
    if (t == NULL)
        return NULL;
    for (size_t u = 0; u < r->nunit; u++) {
        const tfp_scenario_unit *su = &r->unit[u];
        const tfp_growth_summary *s = &su->s;
        size_t row;
        if (tfp_table_add_row(t, &row, err) != TFP_OK ||
            tfp_table_set_text_mapped(t, map, row, 0, su->scenario, err) != TFP_OK ||
            tfp_table_set_text_mapped(t, map, row, 1, su->region, err) != TFP_OK) {
            tfp_table_free(t);
            return NULL;
        }
        tfp_table_set_num_mapped(t, map, row, 2, (double)s->from);
        tfp_table_set_num_mapped(t, map, row, 3, s->years > 0 ? (double)s->last : TFP_NAN);
        tfp_table_set_num_mapped(t, map, row, 4, (double)s->years);
        tfp_table_set_num_mapped(t, map, row, 5, (double)su->last_data);
        tfp_table_set_num_mapped(t, map, row, 6, s->g_Y);
        tfp_table_set_num_mapped(t, map, row, 7, s->g_L);
        tfp_table_set_num_mapped(t, map, row, 8, s->g_K);
        tfp_table_set_num_mapped(t, map, row, 9, s->a);
        tfp_table_set_num_mapped(t, map, row, 10, s->g_A);
        tfp_table_set_num_mapped(t, map, row, 11, s->share_K);
        tfp_table_set_num_mapped(t, map, row, 12, s->share_L);
        tfp_table_set_num_mapped(t, map, row, 13, s->share_A);
        tfp_table_set_num_mapped(t, map, row, 14, s->share_A_last);
        tfp_table_set_num_mapped(t, map, row, 15, s->g_LP);
    }
    return t;
}

static const col_def target_cols[] = {
    {"scenario", "Scenario", "Kịch bản", TFP_CELL_TEXT, 0},
    {"region", "Region", "Địa phương", TFP_CELL_TEXT, 0},
    {"target", "Target", "Chỉ tiêu", TFP_CELL_STATUS, 0},
    {"value", "Value", "Giá trị", TFP_CELL_FRACTION, 0},
    {"goal_low", "Goal (low)", "Mục tiêu (thấp)", TFP_CELL_FRACTION, 0},
    {"goal_high", "Goal (high)", "Mục tiêu (cao)", TFP_CELL_FRACTION, 0},
    {"status", "Status", "Đánh giá", TFP_CELL_STATUS, 0},
    {"required_growth", "Required growth", "Tăng trưởng cần đạt", TFP_CELL_FRACTION, 0},
};

static tfp_table *
targets_table(const tfp_scenario_result *r, tfp_error *err)
{
    size_t map[NCOLS(target_cols)];
    tfp_table *t = make_table("targets", "Plan targets under each scenario",
                              "Đánh giá chỉ tiêu kế hoạch theo kịch bản", target_cols,
                              NCOLS(target_cols), 0, map, err);
    if (t == NULL)
        return NULL;
    for (size_t u = 0; u < r->nunit; u++) {
        for (int k = 0; k < TFP_TARGET_COUNT; k++) {
            const tfp_target_check *c = &r->unit[u].t[k];
            size_t row;
            if (tfp_table_add_row(t, &row, err) != TFP_OK ||
                tfp_table_set_text_mapped(t, map, row, 0, r->unit[u].scenario, err) != TFP_OK ||
                tfp_table_set_text_mapped(t, map, row, 1, r->unit[u].region, err) != TFP_OK ||
                tfp_table_set_text_mapped(t, map, row, 2, c->target, err) != TFP_OK ||
                tfp_table_set_text_mapped(t, map, row, 6, c->status, err) != TFP_OK) {
                tfp_table_free(t);
                return NULL;
            }
            tfp_table_set_num_mapped(t, map, row, 3, c->value);
            tfp_table_set_num_mapped(t, map, row, 4, c->goal_low);
            tfp_table_set_num_mapped(t, map, row, 5, c->goal_high);
            tfp_table_set_num_mapped(t, map, row, 7, c->required_growth);
        }
    }
    return t;
}

static tfp_table *
solve_table(const tfp_solve_result *r, tfp_error *err)
{
    const col_def cols[] = {
        {"scenario", "Scenario", "Kịch bản", TFP_CELL_TEXT, 0},
        {"region", "Region", "Địa phương", TFP_CELL_TEXT, 0},
        r->what == TFP_SOLVE_TFP ? (col_def){"required_tfp_growth", "Required TFP growth",
                                             "Tăng TFP cần đạt", TFP_CELL_FRACTION, 0}
                                 : (col_def){"required_output_growth", "Required output growth",
                                             "Tăng trưởng sản lượng cần đạt", TFP_CELL_FRACTION, 0},
        {"binding", "Binding target", "Chỉ tiêu quyết định", TFP_CELL_STATUS, 0},
    };
    size_t map[NCOLS(cols)];
    tfp_table *t =
        make_table("solve", "Growth required to meet the targets",
                   "Tăng trưởng cần đạt để hoàn thành chỉ tiêu", cols, NCOLS(cols), 0, map, err);
    if (t == NULL)
        return NULL;
    for (size_t i = 0; i < r->n; i++) {
        const tfp_solve_row *sr = &r->row[i];
        size_t row;
        if (tfp_table_add_row(t, &row, err) != TFP_OK ||
            tfp_table_set_text_mapped(t, map, row, 0, sr->scenario, err) != TFP_OK ||
            tfp_table_set_text_mapped(t, map, row, 1, sr->region, err) != TFP_OK ||
            tfp_table_set_text_mapped(t, map, row, 3, sr->binding, err) != TFP_OK) {
            tfp_table_free(t);
            return NULL;
        }
        tfp_table_set_num_mapped(t, map, row, 2, sr->required);
    }
    return t;
}

int
cmd_scenario(int argc, char **argv)
{
    scenario_args sa;
    tfp_error err;
    tfp_estimate *e = NULL;
    tfp_scenario_set *set = NULL;
    tfp_scenario_result *res = NULL;
    tfp_solve_result *sol = NULL;
    tfp_table *tables[3] = {NULL, NULL, NULL};
    const tfp_warnings *warnings;
    tfp_csv_opts csv;
    cli_meta mt;
    tfp_doc_meta meta[12];
    char horizon[96];
    tfp_doc doc;
    tfp_strbuf sb;
    size_t nt = 0, nm = 0;
    int rc, vi;

    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return EXIT_OK;
        }
    memset(&sa, 0, sizeof sa);
    sa.solve = -1;
    cli_estimate_init(&sa.ce);
    cli_output_init(&sa.out);
    rc = parse_args(argc, argv, &sa);
    if (rc != EXIT_OK)
        return rc;
    rc = cli_estimate_load(&sa.ce, &e);
    if (rc != EXIT_OK)
        return rc;
    tfp_error_init(&err);
    /* The scenario file's delimiter is detected; its decimal mark is the data's. */
    tfp_csv_opts_init(&csv);
    csv.decimal = sa.ce.panel.csv.decimal;
    if (tfp_scenario_set_read(sa.scenarios, &csv, &set, &err) != TFP_OK)
        goto fail;
    if (sa.solve >= 0) {
        if (tfp_scenario_solve(e, set, (tfp_solve_for)sa.solve, &sol, &err) != TFP_OK ||
            (tables[nt++] = solve_table(sol, &err)) == NULL)
            goto fail;
        warnings = &sol->warnings;
    } else {
        int compact = sa.out.format == TFP_FORMAT_TEXT || sa.out.format == TFP_FORMAT_MD;
        if (tfp_scenario_run(e, set, sa.horizon, &res, &err) != TFP_OK)
            goto fail;
        if ((sa.table == TABLE_ALL || sa.table == TABLE_PROJECTION) &&
            (tables[nt++] = projection_table(res, compact, &err)) == NULL)
            goto fail;
        if ((sa.table == TABLE_ALL || sa.table == TABLE_SUMMARY) &&
            (tables[nt++] = summary_table(res, compact, &err)) == NULL)
            goto fail;
        if ((sa.table == TABLE_ALL || sa.table == TABLE_TARGETS) &&
            (tables[nt++] = targets_table(res, &err)) == NULL)
            goto fail;
        warnings = &res->warnings;
    }
    vi = sa.out.render.lang == TFP_LANG_VI;
    memset(&doc, 0, sizeof doc);
    if (sa.out.format != TFP_FORMAT_CSV) {
        size_t n = cli_estimate_meta(&sa.ce, e, sa.out.render.lang, &mt);
        for (size_t i = 0; i < n; i++)
            meta[nm++] = mt.m[i];
        meta[nm++] = (tfp_doc_meta){"scenarios", "Scenarios", "Kịch bản", sa.scenarios};
        if (sol != NULL) {
            snprintf(horizon, sizeof horizon,
                     vi ? "tăng %s không đổi mỗi năm, từ sau năm cuối có số liệu đến %d"
                        : "constant %s growth each year from the end of the data to %d",
                     sol->what == TFP_SOLVE_TFP ? "TFP" : (vi ? "sản lượng" : "output"), sol->to);
            meta[nm++] = (tfp_doc_meta){"solve", "Solved for", "Giải cho", horizon};
        } else {
            snprintf(horizon, sizeof horizon, "%d", res->horizon);
            meta[nm++] = (tfp_doc_meta){"horizon", "Horizon", "Dự kiến đến năm", horizon};
        }
    }
    doc.title_en = sol != NULL ? "tfp scenario --solve: growth required to meet the plan targets"
                               : "tfp scenario: projections and plan targets";
    doc.title_vi = sol != NULL ? "tfp scenario --solve: tăng trưởng cần đạt để hoàn thành chỉ tiêu"
                               : "tfp scenario: dự kiến theo kịch bản và chỉ tiêu kế hoạch";
    doc.meta = meta;
    doc.nmeta = nm;
    doc.tables = (const tfp_table *const *)tables;
    doc.ntables = nt;
    doc.warnings = warnings;
    tfp_strbuf_init(&sb);
    if (tfp_doc_render(&doc, sa.out.format, &sa.out.render, &sb, &err) != TFP_OK) {
        tfp_strbuf_fini(&sb);
        goto fail;
    }
    if (sa.out.format == TFP_FORMAT_CSV)
        for (size_t i = 0; i < warnings->n; i++)
            fprintf(stderr, "tfp: warning: %s\n", warnings->msg[i]);
    rc = cli_write(&sa.out, &sb);
    tfp_strbuf_fini(&sb);
    goto done;
fail:
    rc = cli_report_error(&err);
done:
    for (size_t i = 0; i < nt; i++)
        tfp_table_free(tables[i]);
    tfp_scenario_result_free(res);
    tfp_solve_result_free(sol);
    tfp_scenario_set_free(set);
    tfp_estimate_free(e);
    return rc;
}
