/*
 * `tfp fit` (cli layer): an R-style formula and a model (pooled OLS, unit fixed effects, unit
 * and time fixed effects, Swamy-Arora random effects, and the CRS and translog helpers) fitted
 * to the columns of a CSV file; prints the coefficient table with standard errors, Student-t
 * statistics and p-values, and the fit statistics (DESIGN sections 3 and 4).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <gsl/gsl_cdf.h>

#include "cli.h"
#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/formula.h"
#include "tfp/io.h"
#include "tfp/panel.h"
#include "tfp/panelreg.h"

static const char usage[] =
    "Usage: tfp fit FILE --formula F [options]\n"
    "\n"
    "Estimates a production function by least squares from the columns of a CSV file:\n"
    "an R-style formula and a model; prints the coefficients with standard errors,\n"
    "t statistics and p-values, and the fit statistics. FILE '-' reads standard input.\n"
    "\n"
    "Model:\n"
    "  --formula F            'log(output) ~ log(capital) + log(labour) + year'; '0 +' or\n"
    "                         '- 1' drops the intercept; x^k powers; a:b interactions;\n"
    "                         log() exp() sqrt() I(). Names are the file's columns, or\n"
    "                         role names (output, capital, labour, ...; see --map)\n"
    "  --model M              ols (default): pooled least squares\n"
    "                         within: unit fixed effects (needs --id)\n"
    "                         twoways: unit and time fixed effects (--id, --time)\n"
    "                         random: Swamy-Arora random effects (--id)\n"
    "                         crs: log(Y/L) ~ log(K/L) + the other terms (constant\n"
    "                         returns), labour elasticity 1 - capital's\n"
    "                         translog: adds the squares and products of the log\n"
    "                         inputs; elasticities at the sample means\n"
    "  --effects E            for crs and translog: none (default), within, twoways, random\n"
    "  --id COL               the unit column (default: the region column, if any)\n"
    "  --time COL             the time column (default: the year column, if any)\n"
    "  --se classic|hc1|cluster\n"
    "                         standard errors: classic (default), White HC1, or\n"
    "                         clustered by --id with plm's HC1 factor n/(n-k)\n"
    "Input:\n"
    "  --map ROLE=COLUMN      the column a role name in the formula stands for\n"
    "  --delimiter C          ',' ';' or tab (default: detected from the header)\n"
    "  --decimal C            '.' (default) or ',' for numbers written 1.234,5\n"
    "Output:\n"
    "  --format text|csv|md|json\n"
    "  -o, --output FILE      write FILE atomically instead of standard output\n"
    "  --lang en|vi           labels in English or Vietnamese\n"
    "  --digits N             significant digits in csv and json (default 17)\n"
    "  --timing               print the seconds spent reading and estimating on stderr\n"
    "\n"
    "Exit codes: 0 success, 1 usage or formula error, 2 bad input data, 3 numerical\n"
    "failure (rank-deficient design: the aliased terms are named), 4 I/O.\n";

enum { HELPER_NONE, HELPER_CRS, HELPER_TRANSLOG };

typedef struct fit_args {
    const char *file;
    const char *formula;
    const char *id;
    const char *time;
    tfp_panelreg_model model;
    int helper;
    int effects_set;
    tfp_ols_se_type se;
    tfp_panel_opts panel;
    cli_output out;
    int timing; /* --timing: seconds spent reading and estimating, on stderr */
} fit_args;

/* ---- arguments --------------------------------------------------------------------------- */

static int
parse_model(const char *cmd, const char *v, fit_args *fa)
{
    static const struct {
        const char *name;
        tfp_panelreg_model model;
        int helper;
    } models[] = {{"ols", TFP_PANELREG_POOLING, HELPER_NONE},
                  {"pooling", TFP_PANELREG_POOLING, HELPER_NONE},
                  {"within", TFP_PANELREG_WITHIN, HELPER_NONE},
                  {"twoways", TFP_PANELREG_TWOWAYS, HELPER_NONE},
                  {"random", TFP_PANELREG_RANDOM, HELPER_NONE},
                  {"crs", TFP_PANELREG_POOLING, HELPER_CRS},
                  {"translog", TFP_PANELREG_POOLING, HELPER_TRANSLOG}};
    for (size_t k = 0; k < sizeof models / sizeof models[0]; k++)
        if (strcmp(v, models[k].name) == 0) {
            fa->helper = models[k].helper;
            if (!fa->effects_set)
                fa->model = models[k].model;
            return 0;
        }
    return cli_usage_error(
        cmd, "--model: expected ols, within, twoways, random, crs or translog, found \"%s\"", v);
}

static int
parse_args(int argc, char **argv, fit_args *fa)
{
    cli_args a = {argc, argv, 1, "fit"};
    while (a.i < argc) {
        const char *v = NULL, *arg = argv[a.i];
        int r;
        if ((r = cli_panel_opt(&a, &fa->panel)) != 0 || (r = cli_output_opt(&a, &fa->out)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
        } else if ((r = cli_opt(&a, "--formula", &v)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            fa->formula = v;
        } else if ((r = cli_opt(&a, "--model", &v)) != 0) {
            if (r < 0 || parse_model(a.cmd, v, fa) != 0)
                return EXIT_USAGE;
        } else if ((r = cli_opt(&a, "--effects", &v)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            if (strcmp(v, "none") == 0)
                fa->model = TFP_PANELREG_POOLING;
            else if (strcmp(v, "within") == 0)
                fa->model = TFP_PANELREG_WITHIN;
            else if (strcmp(v, "twoways") == 0)
                fa->model = TFP_PANELREG_TWOWAYS;
            else if (strcmp(v, "random") == 0)
                fa->model = TFP_PANELREG_RANDOM;
            else
                return cli_usage_error(
                    a.cmd, "--effects: expected none, within, twoways or random, found \"%s\"", v);
            fa->effects_set = 1;
        } else if ((r = cli_opt(&a, "--id", &v)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            fa->id = v;
        } else if ((r = cli_opt(&a, "--time", &v)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            fa->time = v;
        } else if ((r = cli_opt(&a, "--timing", NULL)) != 0) {
            fa->timing = 1;
        } else if ((r = cli_opt(&a, "--se", &v)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            if (strcmp(v, "classic") == 0)
                fa->se = TFP_OLS_SE_CLASSIC;
            else if (strcmp(v, "hc1") == 0)
                fa->se = TFP_OLS_SE_HC1;
            else if (strcmp(v, "cluster") == 0)
                fa->se = TFP_OLS_SE_CLUSTER;
            else
                return cli_usage_error(a.cmd,
                                       "--se: expected classic, hc1 or cluster, found \"%s\"", v);
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error(a.cmd, "unknown option \"%s\"", arg);
        } else {
            if (cli_operand(&a, &fa->file) < 0)
                return EXIT_USAGE;
        }
    }
    if (fa->file == NULL)
        return cli_usage_error(a.cmd, "no input file");
    if (fa->formula == NULL)
        return cli_usage_error(a.cmd, "no --formula (e.g. --formula 'log(output) ~ "
                                      "log(capital) + log(labour)')");
    if (fa->effects_set && fa->helper == HELPER_NONE)
        return cli_usage_error(a.cmd, "--effects goes with --model crs or translog");
    return EXIT_OK;
}

/* ---- columns ------------------------------------------------------------------------------ */

#define NOCOL SIZE_MAX

typedef struct columns {
    tfp_csv_reader *r;
    const char *path;
    size_t role[TFP_ROLE_COUNT]; /* resolved role columns, NOCOL when absent */
    int role_done[TFP_ROLE_COUNT];
} columns;

/* The header column named name: exactly, else ASCII case-insensitively (the first). */
static size_t
header_find(const tfp_csv_reader *r, const char *name)
{
    size_t j, n = tfp_csv_reader_ncol(r);
    for (j = 0; j < n; j++)
        if (strcmp(tfp_csv_reader_name(r, j), name) == 0)
            return j;
    for (j = 0; j < n; j++)
        if (strcasecmp(tfp_csv_reader_name(r, j), name) == 0)
            return j;
    return NOCOL;
}

/* The column of a role: --map, else the one header column among the role's default names.
 * Returns TFP_OK with *col (NOCOL when there is none) or TFP_EINPUT. */
static int
role_column(columns *c, const tfp_panel_opts *po, tfp_role role, size_t *col, tfp_error *err)
{
    if (!c->role_done[role]) {
        const char *d = tfp_role_defaults(role);
        size_t found = NOCOL;
        c->role_done[role] = 1;
        if (po->map[role] != NULL) {
            found = header_find(c->r, po->map[role]);
            if (found == NOCOL)
                return tfp_fail_at(err, TFP_EINPUT, c->path, 1, 0, "--map %s=%s: no column \"%s\"",
                                   tfp_role_name(role), po->map[role], po->map[role]);
        } else {
            while (*d != '\0') {
                char name[64];
                size_t len = strcspn(d, ","), j, n = tfp_csv_reader_ncol(c->r);
                if (len < sizeof name) {
                    memcpy(name, d, len);
                    name[len] = '\0';
                    for (j = 0; j < n; j++) {
                        if (strcasecmp(tfp_csv_reader_name(c->r, j), name) != 0 || j == found)
                            continue;
                        if (found != NOCOL)
                            return tfp_fail_at(
                                err, TFP_EINPUT, c->path, 1, tfp_csv_reader_name_col(c->r, j),
                                "columns \"%s\" and \"%s\" both match the role %s; choose one "
                                "with --map %s=COLUMN",
                                tfp_csv_reader_name(c->r, found), tfp_csv_reader_name(c->r, j),
                                tfp_role_name(role), tfp_role_name(role));
                        found = j;
                    }
                }
                d += len;
                while (*d == ',' || *d == ' ')
                    d++;
            }
        }
        c->role[role] = found;
    }
    *col = c->role[role];
    return TFP_OK;
}

/* A name of the formula or an option: a column, else a role name. */
static int
resolve(columns *c, const tfp_panel_opts *po, const char *name, size_t *col, tfp_error *err)
{
    tfp_role role;
    *col = header_find(c->r, name);
    if (*col != NOCOL)
        return TFP_OK;
    if (tfp_role_parse(name, &role, NULL) == TFP_OK)
        return role_column(c, po, role, col, err);
    return TFP_OK;
}

/* Resolves every variable of f into cols (tfp_formula_nvars entries). */
static int
resolve_formula(columns *c,
                const tfp_panel_opts *po,
                const tfp_formula *f,
                size_t *cols,
                tfp_error *err)
{
    for (size_t k = 0; k < tfp_formula_nvars(f); k++) {
        int rc = resolve(c, po, tfp_formula_var(f, k), &cols[k], err);
        if (rc != TFP_OK)
            return rc;
        if (cols[k] == NOCOL)
            return tfp_fail_at(err, TFP_EINVAL, "formula", 1, tfp_formula_var_col(f, k),
                               "unknown column \"%s\"", tfp_formula_var(f, k));
    }
    return TFP_OK;
}

/* The formula variable whose column is the role's, for the CRS helper; NULL when none. */
static const char *
role_var(columns *c,
         const tfp_panel_opts *po,
         const tfp_formula *f,
         const size_t *cols,
         tfp_role role,
         tfp_error *err)
{
    size_t col, k;
    if (role_column(c, po, role, &col, err) != TFP_OK || col == NOCOL)
        return NULL;
    for (k = 0; k < tfp_formula_nvars(f); k++)
        if (cols[k] == col)
            return tfp_formula_var(f, k);
    return NULL;
}

/* ---- ids ------------------------------------------------------------------------------------ */

typedef struct ids {
    uint32_t *code;  /* n ids in [0, nlev) */
    size_t nlev;     /* distinct ids among the kept rows */
    char **label;    /* nlev labels (owned strings) */
    const char *col; /* the column's name */
} ids;

static void
ids_fini(ids *x)
{
    if (x->label != NULL)
        for (size_t k = 0; k < x->nlev; k++)
            tfp_free(x->label[k]);
    tfp_free(x->label);
    tfp_free(x->code);
    memset(x, 0, sizeof *x);
}

/* Which rows of an id column are missing: NaN numbers, or text levels that are a missing
 * marker (each level parsed once, not each row). */
typedef struct id_miss {
    const tfp_column *col;
    unsigned char *level; /* TEXT: per level, non-zero for a missing marker; owned */
} id_miss;

static int
id_miss_init(id_miss *m, const tfp_column *col)
{
    size_t k;
    double v;
    m->col = col;
    m->level = NULL;
    if (col == NULL || col->kind != TFP_COL_TEXT)
        return TFP_OK;
    m->level = tfp_malloc(col->nlevels > 0 ? col->nlevels : 1);
    if (m->level == NULL)
        return TFP_ENOMEM;
    for (k = 0; k < col->nlevels; k++)
        m->level[k] =
            tfp_number_parse(col->levels[k], strlen(col->levels[k]), '.', &v) == TFP_NUM_MISSING;
    return TFP_OK;
}

/* Non-zero when row's id is missing (never without a column). */
static int
id_missing(const id_miss *m, size_t row)
{
    if (m->col == NULL)
        return 0;
    if (m->level != NULL)
        return m->level[m->col->code[row]];
    return isnan(m->col->num[row]);
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Ids of the design's rows in column col: text in order of first appearance, numbers in
 * increasing order. With consume, text ids are written over the column's codes, which x
 * then owns (col->code becomes NULL): design row i comes from input row r >= i, and rows
 * are taken in increasing order, so no code is overwritten before it is read. The level
 * strings in use go to x as well (NULL in the column, which frees the rest). */
static int
ids_build(tfp_column *col, const tfp_design *d, int consume, ids *x, tfp_error *err)
{
    size_t i, k, n = d->n;
    char buf[64];
    x->col = col->name;
    if (col->kind == TFP_COL_TEXT) {
        const uint32_t *in = col->code;
        uint32_t *map;
        if (consume) {
            x->code = col->code;
            col->code = NULL;
        } else if ((x->code = tfp_mallocn(n > 0 ? n : 1, sizeof *x->code)) == NULL) {
            goto nomem;
        }
        map = tfp_mallocn(col->nlevels > 0 ? col->nlevels : 1, sizeof *map);
        if (map == NULL)
            goto nomem;
        for (k = 0; k < col->nlevels; k++)
            map[k] = UINT32_MAX;
        x->label = tfp_calloc(col->nlevels > 0 ? col->nlevels : 1, sizeof *x->label);
        if (x->label == NULL) {
            tfp_free(map);
            goto nomem;
        }
        for (i = 0; i < n; i++) {
            uint32_t c = in[tfp_design_row(d, i)];
            if (map[c] == UINT32_MAX) {
                /* Consumed, the column gives its level strings away too. */
                if (consume) {
                    x->label[x->nlev] = col->levels[c];
                    col->levels[c] = NULL;
                } else {
                    x->label[x->nlev] = tfp_strdup(col->levels[c]);
                }
                if (x->label[x->nlev] == NULL) {
                    tfp_free(map);
                    goto nomem;
                }
                map[c] = (uint32_t)x->nlev++;
            }
            x->code[i] = map[c];
        }
        tfp_free(map);
        return TFP_OK;
    }
    x->code = tfp_mallocn(n > 0 ? n : 1, sizeof *x->code);
    if (x->code == NULL)
        goto nomem;
    {
        double *v = tfp_mallocn(n > 0 ? n : 1, sizeof *v);
        size_t m = 0;
        if (v == NULL)
            goto nomem;
        for (i = 0; i < n; i++)
            v[i] = col->num[tfp_design_row(d, i)];
        qsort(v, n, sizeof *v, cmp_double);
        for (i = 0; i < n; i++)
            if (m == 0 || v[i] != v[m - 1])
                v[m++] = v[i];
        x->label = tfp_calloc(m > 0 ? m : 1, sizeof *x->label);
        if (x->label == NULL) {
            tfp_free(v);
            goto nomem;
        }
        for (k = 0; k < m; k++) {
            snprintf(buf, sizeof buf, "%.15g", v[k]);
            x->label[k] = tfp_strdup(buf);
            x->nlev = k + 1;
            if (x->label[k] == NULL) {
                tfp_free(v);
                goto nomem;
            }
        }
        for (i = 0; i < n; i++) {
            double *hit = bsearch(&col->num[tfp_design_row(d, i)], v, m, sizeof *v, cmp_double);
            x->code[i] = (uint32_t)(hit - v);
        }
        tfp_free(v);
        return TFP_OK;
    }
nomem:
    return tfp_fail(err, TFP_ENOMEM, "out of memory");
}

typedef struct pair {
    uint64_t key;
    size_t row;
} pair;

static int
cmp_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->key != y->key)
        return (x->key > y->key) - (x->key < y->key);
    return (x->row > y->row) - (x->row < y->row);
}

/* Rejects two rows with the same (unit, time). */
static int
check_duplicates(const tfp_frame *fr,
                 const tfp_design *d,
                 const ids *u,
                 const ids *t,
                 tfp_error *err)
{
    size_t i, n = d->n;
    pair *p = tfp_mallocn(n > 0 ? n : 1, sizeof *p);
    int rc = TFP_OK;
    if (p == NULL)
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        p[i].key = (uint64_t)u->code[i] * (uint64_t)t->nlev + t->code[i];
        p[i].row = tfp_design_row(d, i);
    }
    qsort(p, n, sizeof *p, cmp_pair);
    for (i = 1; i < n; i++)
        if (p[i].key == p[i - 1].key) {
            rc = tfp_fail_at(err, TFP_EINPUT, fr->path, fr->line[p[i].row], 0,
                             "(%s, %s) = (%s, %s) appears twice: also on line %zu", u->col, t->col,
                             u->label[p[i].key / t->nlev], t->label[p[i].key % t->nlev],
                             fr->line[p[i - 1].row]);
            break;
        }
    tfp_free(p);
    return rc;
}

/* ---- output --------------------------------------------------------------------------------- */

/* %.6g with the language's decimal mark. */
static const char *
fmt_stat(char *buf, size_t n, double v, tfp_lang lang)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "-");
        return buf;
    }
    snprintf(buf, n, "%.6g", v);
    if (lang == TFP_LANG_VI)
        for (char *p = buf; *p; p++)
            if (*p == '.')
                *p = ',';
    return buf;
}

/* A coefficient row: the statistic est / se and its two-sided p-value, from Student's t
 * with df degrees of freedom, or from the standard normal when df is 0 (the random-effects
 * model, whose GLS inference is asymptotic: plm's summary uses the normal there too). */
static int
add_coef_row(tfp_table *t, const char *term, double est, double se, size_t df, tfp_error *err)
{
    size_t r;
    double stat = se > 0.0 ? est / se : TFP_NAN;
    double p = !isfinite(stat) ? TFP_NAN
               : df > 0        ? 2.0 * gsl_cdf_tdist_Q(fabs(stat), (double)df)
                               : 2.0 * gsl_cdf_ugaussian_Q(fabs(stat));
    int rc = tfp_table_add_row(t, &r, err);
    if (rc == TFP_OK)
        rc = tfp_table_set_text(t, r, 0, term, err);
    if (rc == TFP_OK) {
        tfp_table_set_num(t, r, 1, est);
        tfp_table_set_num(t, r, 2, se);
        tfp_table_set_num(t, r, 3, stat);
        tfp_table_set_num(t, r, 4, p);
    }
    return rc;
}

static tfp_table *
coef_table(const tfp_panelreg_result *res,
           const tfp_panelreg_derived *dv,
           size_t ndv,
           tfp_error *err)
{
    int z = res->model == TFP_PANELREG_RANDOM;
    size_t df = z ? 0 : res->fit->df_residual;
    static const struct {
        const char *key, *en, *vi;
    } cols[] = {{"term", "Term", "Biến"},
                {"estimate", "Estimate", "Ước lượng"},
                {"std_error", "Std. error", "Sai số chuẩn"},
                {"statistic", "t value", "Giá trị t"},
                {"statistic", "z value", "Giá trị z"},
                {"p_value", "p-value", "Giá trị p"}};
    tfp_table *t = tfp_table_alloc("coefficients", "Coefficients", "Hệ số ước lượng", err);
    size_t j;
    if (t == NULL)
        return NULL;
    for (j = 0; j < 6; j++) {
        if (j == (z ? 3u : 4u))
            continue;
        if (tfp_table_add_col(t, cols[j].key, cols[j].en, cols[j].vi,
                              j == 0 ? TFP_CELL_TEXT : TFP_CELL_NUMBER, err) != TFP_OK)
            goto fail;
    }
    for (j = 0; j < res->fit->p; j++)
        if (add_coef_row(t, res->name[j], res->fit->beta[j], res->fit->se[j], df, err) != TFP_OK)
            goto fail;
    for (j = 0; j < ndv; j++)
        if (add_coef_row(t, dv[j].term, dv[j].estimate, dv[j].std_error, df, err) != TFP_OK)
            goto fail;
    return t;
fail:
    tfp_table_free(t);
    return NULL;
}

/* The statistics as a one-row table (JSON, where they are numbers). */
static tfp_table *
stats_table(const tfp_panelreg_result *res, tfp_error *err)
{
    const tfp_ols_result *f = res->fit;
    int random = res->model == TFP_PANELREG_RANDOM, panel = res->model != TFP_PANELREG_POOLING;
    struct {
        const char *key;
        tfp_cell_type type;
        double v;
        int on;
    } c[] = {
        {"n", TFP_CELL_INT, (double)f->n, 1},
        {"df_residual", TFP_CELL_INT, (double)f->df_residual, 1},
        {"sigma", TFP_CELL_NUMBER, f->sigma, 1},
        {"r_squared", TFP_CELL_NUMBER, f->r_squared, 1},
        {"adj_r_squared", TFP_CELL_NUMBER, f->adj_r_squared, 1},
        {"log_lik", TFP_CELL_NUMBER, f->log_lik, 1},
        {"aic", TFP_CELL_NUMBER, f->aic, 1},
        {"bic", TFP_CELL_NUMBER, f->bic, 1},
        {"units", TFP_CELL_INT, (double)res->nunits, panel},
        {"times", TFP_CELL_INT, (double)res->ntimes, res->model == TFP_PANELREG_TWOWAYS},
        {"sigma2_idios", TFP_CELL_NUMBER, res->sigma2_idios, random},
        {"sigma2_indiv", TFP_CELL_NUMBER, res->sigma2_indiv, random},
        {"theta", TFP_CELL_NUMBER, res->theta_min == res->theta_max ? res->theta_min : TFP_NAN,
         random},
        {"theta_min", TFP_CELL_NUMBER, res->theta_min, random},
        {"theta_max", TFP_CELL_NUMBER, res->theta_max, random},
    };
    tfp_table *t = tfp_table_alloc("statistics", "Fit statistics", "Thống kê", err);
    size_t j, r, col = 0;
    if (t == NULL)
        return NULL;
    for (j = 0; j < sizeof c / sizeof c[0]; j++)
        if (c[j].on && tfp_table_add_col(t, c[j].key, NULL, NULL, c[j].type, err) != TFP_OK)
            goto fail;
    if (tfp_table_add_row(t, &r, err) != TFP_OK)
        goto fail;
    for (j = 0; j < sizeof c / sizeof c[0]; j++)
        if (c[j].on)
            tfp_table_set_num(t, r, col++, c[j].v);
    return t;
fail:
    tfp_table_free(t);
    return NULL;
}

typedef struct fit_meta {
    char model[256], se[160], obs[96], units[96], s[12][48];
    tfp_doc_meta m[24];
    size_t n;
} fit_meta;

static void
meta_add(fit_meta *mt, const char *key, const char *en, const char *vi, const char *value)
{
    mt->m[mt->n++] = (tfp_doc_meta){key, en, vi, value};
}

static const char *
model_text(const fit_args *fa,
           tfp_lang lang,
           const char *idcol,
           const char *timecol,
           char *buf,
           size_t n)
{
    int vi = lang == TFP_LANG_VI;
    const char *base = "";
    char eff[200];
    switch (fa->model) {
    case TFP_PANELREG_WITHIN:
        snprintf(eff, sizeof eff,
                 vi ? "hiệu ứng cố định theo đơn vị (%s)" : "unit fixed effects (%s)", idcol);
        break;
    case TFP_PANELREG_TWOWAYS:
        snprintf(eff, sizeof eff,
                 vi ? "hiệu ứng cố định theo đơn vị và thời gian (%s, %s)"
                    : "unit and time fixed effects (%s, %s)",
                 idcol, timecol);
        break;
    case TFP_PANELREG_RANDOM:
        snprintf(eff, sizeof eff,
                 vi ? "hiệu ứng ngẫu nhiên Swamy-Arora (%s)" : "Swamy-Arora random effects (%s)",
                 idcol);
        break;
    default:
        snprintf(eff, sizeof eff, "%s", vi ? "bình phương nhỏ nhất gộp" : "pooled least squares");
        break;
    }
    if (fa->helper == HELPER_CRS)
        base = vi ? "crs: lợi suất không đổi theo quy mô, " : "crs: constant returns to scale, ";
    else if (fa->helper == HELPER_TRANSLOG)
        base = vi ? "translog (hệ số co giãn tại trung bình mẫu), "
                  : "translog (elasticities at the sample means), ";
    else if (fa->model == TFP_PANELREG_POOLING)
        base = "ols: ";
    else if (fa->model == TFP_PANELREG_WITHIN)
        base = "within: ";
    else if (fa->model == TFP_PANELREG_TWOWAYS)
        base = "twoways: ";
    else
        base = "random: ";
    snprintf(buf, n, "%s%s", base, eff);
    return buf;
}

static size_t
fit_meta_build(const fit_args *fa,
               const tfp_formula *f,
               const tfp_panelreg_result *res,
               const char *idcol,
               const char *timecol,
               size_t dropped,
               int with_stats,
               fit_meta *mt)
{
    tfp_lang lang = fa->out.render.lang;
    int vi = lang == TFP_LANG_VI;
    const tfp_ols_result *ft = res->fit;
    size_t k = 0;
    mt->n = 0;
    meta_add(mt, "data", "Data", "Dữ liệu", fa->file);
    meta_add(mt, "formula", "Formula", "Công thức", tfp_formula_text(f));
    meta_add(mt, "model", "Model", "Mô hình",
             model_text(fa, lang, idcol, timecol, mt->model, sizeof mt->model));
    if (fa->se == TFP_OLS_SE_CLASSIC)
        snprintf(mt->se, sizeof mt->se, "%s", vi ? "cổ điển" : "classic");
    else if (fa->se == TFP_OLS_SE_HC1)
        snprintf(mt->se, sizeof mt->se, "%s",
                 vi ? "HC1 (White), hệ số n/(n-k)" : "HC1 (White), factor n/(n-k)");
    else
        snprintf(mt->se, sizeof mt->se,
                 vi ? "theo cụm %s, HC1 (plm), hệ số n/(n-k)"
                    : "clustered by %s, HC1 (plm), "
                      "factor n/(n-k)",
                 idcol);
    meta_add(mt, "se", "Standard errors", "Sai số chuẩn", mt->se);
    snprintf(mt->obs, sizeof mt->obs, vi ? "%zu (bỏ %zu dòng)" : "%zu (%zu rows dropped)", ft->n,
             dropped);
    meta_add(mt, "observations", "Observations", "Số quan sát", mt->obs);
    if (res->model != TFP_PANELREG_POOLING) {
        const char *us = res->nunits == 1 ? "" : "s", *ts = res->ntimes == 1 ? "" : "s";
        const char *bal =
            res->balanced ? (vi ? "cân bằng" : "balanced") : (vi ? "không cân bằng" : "unbalanced");
        if (res->ntimes > 0 && vi)
            snprintf(mt->units, sizeof mt->units, "%zu đơn vị, %zu thời điểm (%s)", res->nunits,
                     res->ntimes, bal);
        else if (res->ntimes > 0)
            snprintf(mt->units, sizeof mt->units, "%zu unit%s, %zu time%s (%s)", res->nunits, us,
                     res->ntimes, ts, bal);
        else if (vi)
            snprintf(mt->units, sizeof mt->units, "%zu đơn vị", res->nunits);
        else
            snprintf(mt->units, sizeof mt->units, "%zu unit%s", res->nunits, us);
        meta_add(mt, "panel", "Panel", "Dữ liệu bảng", mt->units);
    }
    if (!with_stats)
        return mt->n;
    meta_add(mt, "df_residual", "Residual df", "Bậc tự do phần dư",
             fmt_stat(mt->s[k++], sizeof mt->s[0], (double)ft->df_residual, lang));
    meta_add(mt, "sigma", "Residual std. error", "Sai số chuẩn phần dư",
             fmt_stat(mt->s[k++], sizeof mt->s[0], ft->sigma, lang));
    meta_add(mt, "r_squared",
             res->model == TFP_PANELREG_WITHIN || res->model == TFP_PANELREG_TWOWAYS
                 ? "R-squared (within)"
                 : "R-squared",
             res->model == TFP_PANELREG_WITHIN || res->model == TFP_PANELREG_TWOWAYS
                 ? "R bình phương (trong nhóm)"
                 : "R bình phương",
             fmt_stat(mt->s[k++], sizeof mt->s[0], ft->r_squared, lang));
    meta_add(mt, "adj_r_squared", "Adjusted R-squared", "R bình phương hiệu chỉnh",
             fmt_stat(mt->s[k++], sizeof mt->s[0], ft->adj_r_squared, lang));
    meta_add(mt, "log_lik", "Log-likelihood", "Log hàm hợp lý",
             fmt_stat(mt->s[k++], sizeof mt->s[0], ft->log_lik, lang));
    meta_add(mt, "aic", "AIC", "AIC", fmt_stat(mt->s[k++], sizeof mt->s[0], ft->aic, lang));
    meta_add(mt, "bic", "BIC", "BIC", fmt_stat(mt->s[k++], sizeof mt->s[0], ft->bic, lang));
    if (res->model == TFP_PANELREG_RANDOM) {
        meta_add(mt, "sigma2_idios", "Idiosyncratic variance", "Phương sai đặc thù",
                 fmt_stat(mt->s[k++], sizeof mt->s[0], res->sigma2_idios, lang));
        meta_add(mt, "sigma2_indiv", "Individual variance", "Phương sai theo đơn vị",
                 fmt_stat(mt->s[k++], sizeof mt->s[0], res->sigma2_indiv, lang));
        if (res->theta_min == res->theta_max) {
            meta_add(mt, "theta", "Theta", "Theta",
                     fmt_stat(mt->s[k++], sizeof mt->s[0], res->theta_min, lang));
        } else {
            char a[24], b[24];
            snprintf(mt->s[k], sizeof mt->s[0], "%s .. %s",
                     fmt_stat(a, sizeof a, res->theta_min, lang),
                     fmt_stat(b, sizeof b, res->theta_max, lang));
            meta_add(mt, "theta", "Theta (by unit)", "Theta (theo đơn vị)", mt->s[k++]);
        }
    }
    return mt->n;
}

/* ---- the command -------------------------------------------------------------------------------
 */

typedef struct lookup_ctx {
    const tfp_frame *fr;
    const tfp_formula *f;
    const size_t *cols;
} lookup_ctx;

static int
lookup(void *ctx, const char *name, const double **x)
{
    const lookup_ctx *c = ctx;
    for (size_t k = 0; k < tfp_formula_nvars(c->f); k++)
        if (strcmp(tfp_formula_var(c->f, k), name) == 0 && c->fr->col[c->cols[k]].num != NULL) {
            *x = c->fr->col[c->cols[k]].num;
            return 0;
        }
    return 1;
}

typedef struct fit_state {
    columns c;
    tfp_formula *f0, *f;
    size_t *cols;
    tfp_frame *fr;
    tfp_design d;
    ids uid, tid;
    tfp_panelreg_ws *w;
    tfp_panelreg_result *res;
    tfp_table *tables[2];
} fit_state;

static void
state_fini(fit_state *s)
{
    tfp_csv_reader_free(s->c.r);
    if (s->f != s->f0)
        tfp_formula_free(s->f);
    tfp_formula_free(s->f0);
    tfp_free(s->cols);
    tfp_frame_free(s->fr);
    tfp_design_fini(&s->d);
    ids_fini(&s->uid);
    ids_fini(&s->tid);
    tfp_panelreg_ws_free(s->w);
    tfp_panelreg_result_free(s->res);
    tfp_table_free(s->tables[0]);
    tfp_table_free(s->tables[1]);
}

/* Drops the design rows whose unit or time id is missing, counting them in *dropped. */
static int
drop_missing_ids(tfp_design *d,
                 const tfp_column *u,
                 const tfp_column *t,
                 size_t *dropped,
                 tfp_error *err)
{
    size_t i, k, m = 0, p = d->p;
    id_miss mu, mt;
    int rc = TFP_OK;
    if (id_miss_init(&mu, u) != TFP_OK || id_miss_init(&mt, t) != TFP_OK) {
        tfp_free(mu.level);
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    }
    for (i = 0; i < d->n; i++) {
        size_t r = tfp_design_row(d, i);
        if (id_missing(&mu, r) || id_missing(&mt, r)) {
            if (d->row == NULL) {
                /* The first row dropped: the rows before it were their own input rows. */
                d->row = tfp_mallocn(d->n, sizeof *d->row);
                if (d->row == NULL) {
                    rc = tfp_fail(err, TFP_ENOMEM, "out of memory");
                    break;
                }
                for (k = 0; k < i; k++)
                    d->row[k] = k;
            }
            continue;
        }
        if (m != i) {
            memmove(d->X + m * p, d->X + i * p, p * sizeof(double));
            d->y[m] = d->y[i];
            d->row[m] = r;
        }
        m++;
    }
    tfp_free(mu.level);
    tfp_free(mt.level);
    if (rc != TFP_OK)
        return rc;
    *dropped = d->n - m;
    d->n = m;
    return TFP_OK;
}

/* Frees the frame's data but that of the columns idcol and timecol (NOCOL: none), and its line
 * index; names and sizes stay. */
static void
release_inputs(tfp_frame *fr, size_t idcol, size_t timecol)
{
    size_t j;
    for (j = 0; j < fr->ncol; j++) {
        if (j == idcol || j == timecol)
            continue;
        tfp_free(fr->col[j].num);
        fr->col[j].num = NULL;
        tfp_free(fr->col[j].code);
        fr->col[j].code = NULL;
    }
    tfp_free(fr->line);
    fr->line = NULL;
}

/* A monotonic clock in seconds, for --timing. */
static double
now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int
cmd_fit(int argc, char **argv)
{
    double t0, t1 = 0.0;
    fit_args fa;
    fit_state s;
    tfp_error err;
    tfp_csv_opts copts;
    tfp_panelreg_opts po;
    tfp_panelreg_data data;
    tfp_panelreg_crs crs;
    tfp_panelreg_derived dv[TFP_PANELREG_TRANSLOG_PMAX];
    size_t ndv = 0, idcol = NOCOL, timecol = NOCOL, k, dropped = 0, id_dropped = 0;
    int need_id, need_time, rc;
    fit_meta mt;
    tfp_doc doc;
    tfp_strbuf sb;
    lookup_ctx lc;

    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return EXIT_OK;
        }
    memset(&fa, 0, sizeof fa);
    tfp_panel_opts_init(&fa.panel);
    cli_output_init(&fa.out);
    fa.model = TFP_PANELREG_POOLING;
    fa.se = TFP_OLS_SE_CLASSIC;
    rc = parse_args(argc, argv, &fa);
    if (rc != EXIT_OK)
        return rc;

    t0 = now_seconds();
    memset(&s, 0, sizeof s);
    tfp_design_init(&s.d);
    tfp_error_init(&err);
    if (tfp_formula_parse(fa.formula, &s.f0, &err) != TFP_OK)
        goto fail;
    s.f = s.f0;
    copts = fa.panel.csv;
    /* Only the twoways model's duplicate check reports a line after reading. */
    copts.no_lines = fa.model != TFP_PANELREG_TWOWAYS;
    s.c.path = fa.file;
    s.c.r = tfp_csv_reader_alloc(fa.file, &copts, &err);
    if (s.c.r == NULL)
        goto fail;
    s.cols = tfp_mallocn(tfp_formula_nvars(s.f0) + 1, sizeof *s.cols);
    if (s.cols == NULL) {
        tfp_fail(&err, TFP_ENOMEM, "out of memory");
        goto fail;
    }
    if (resolve_formula(&s.c, &fa.panel, s.f0, s.cols, &err) != TFP_OK)
        goto fail;

    /* The helpers rewrite the formula. */
    if (fa.helper == HELPER_CRS) {
        const char *K = role_var(&s.c, &fa.panel, s.f0, s.cols, TFP_ROLE_CAPITAL, &err);
        const char *L = role_var(&s.c, &fa.panel, s.f0, s.cols, TFP_ROLE_LABOUR, &err);
        if (err.code != TFP_OK)
            goto fail;
        if (K == NULL || L == NULL) {
            tfp_fail(&err, TFP_EINVAL,
                     "crs: no %s column among the formula's variables: call it %s in the formula "
                     "or name its column with --map %s=COLUMN",
                     K == NULL ? "capital" : "labour", K == NULL ? "capital" : "labour",
                     K == NULL ? "capital" : "labour");
            goto fail;
        }
        if (tfp_panelreg_crs_alloc(s.f0, K, L, &s.f, &crs, &err) != TFP_OK)
            goto fail;
    } else if (fa.helper == HELPER_TRANSLOG) {
        if (tfp_panelreg_translog_alloc(s.f0, &s.f, &err) != TFP_OK)
            goto fail;
    }
    if (s.f != s.f0) {
        tfp_free(s.cols);
        s.cols = tfp_mallocn(tfp_formula_nvars(s.f) + 1, sizeof *s.cols);
        if (s.cols == NULL) {
            tfp_fail(&err, TFP_ENOMEM, "out of memory");
            goto fail;
        }
        if (resolve_formula(&s.c, &fa.panel, s.f, s.cols, &err) != TFP_OK)
            goto fail;
    }

    /* Unit and time columns. */
    need_id = fa.model != TFP_PANELREG_POOLING || fa.se == TFP_OLS_SE_CLUSTER;
    need_time = fa.model == TFP_PANELREG_TWOWAYS;
    if (fa.id != NULL) {
        if (resolve(&s.c, &fa.panel, fa.id, &idcol, &err) != TFP_OK)
            goto fail;
        if (idcol == NOCOL) {
            tfp_fail_at(&err, TFP_EINPUT, fa.file, 1, 0, "--id: no column \"%s\"", fa.id);
            goto fail;
        }
    } else if (need_id) {
        if (role_column(&s.c, &fa.panel, TFP_ROLE_REGION, &idcol, &err) != TFP_OK)
            goto fail;
        if (idcol != NOCOL)
            fprintf(stderr,
                    "tfp: note: units from the column \"%s\" (the region column; "
                    "--id COL chooses another)\n",
                    tfp_csv_reader_name(s.c.r, idcol));
        if (idcol == NOCOL) {
            state_fini(&s);
            return cli_usage_error("fit", "%s needs the unit column: give --id COL",
                                   fa.se == TFP_OLS_SE_CLUSTER && fa.model == TFP_PANELREG_POOLING
                                       ? "--se cluster"
                                       : "the panel model");
        }
    }
    if (fa.time != NULL) {
        if (resolve(&s.c, &fa.panel, fa.time, &timecol, &err) != TFP_OK)
            goto fail;
        if (timecol == NOCOL) {
            tfp_fail_at(&err, TFP_EINPUT, fa.file, 1, 0, "--time: no column \"%s\"", fa.time);
            goto fail;
        }
    } else if (need_time) {
        if (role_column(&s.c, &fa.panel, TFP_ROLE_YEAR, &timecol, &err) != TFP_OK)
            goto fail;
        if (timecol != NOCOL)
            fprintf(stderr,
                    "tfp: note: times from the column \"%s\" (the year column; "
                    "--time COL chooses another)\n",
                    tfp_csv_reader_name(s.c.r, timecol));
        if (timecol == NOCOL) {
            state_fini(&s);
            return cli_usage_error("fit", "the twoways model needs the time column: give "
                                          "--time COL");
        }
    }
    if (!need_id)
        idcol = NOCOL;
    if (!need_time)
        timecol = NOCOL;

    /* Read only the columns used: the formula's as numbers, the ids as text (or as numbers
     * when the formula also uses them). */
    for (k = 0; k < tfp_formula_nvars(s.f); k++)
        tfp_csv_reader_set_kind(s.c.r, s.cols[k], TFP_COL_NUMBER);
    {
        int id_num = 0, time_num = 0;
        for (k = 0; k < tfp_formula_nvars(s.f); k++) {
            id_num |= s.cols[k] == idcol;
            time_num |= s.cols[k] == timecol;
        }
        if (idcol != NOCOL && !id_num)
            tfp_csv_reader_set_kind(s.c.r, idcol, TFP_COL_TEXT);
        if (timecol != NOCOL && !time_num)
            tfp_csv_reader_set_kind(s.c.r, timecol, TFP_COL_TEXT);
    }
    if (tfp_csv_reader_read(s.c.r, &s.fr, &err) != TFP_OK)
        goto fail;
    t1 = now_seconds();

    lc.fr = s.fr;
    lc.f = s.f;
    lc.cols = s.cols;
    /* The unit (and time) effects absorb the constant: no column of ones to set aside. The
     * formula's columns are read only here, unless they hold the ids, so the design may
     * reuse their pages as it goes. */
    {
        unsigned flags = fa.model == TFP_PANELREG_WITHIN || fa.model == TFP_PANELREG_TWOWAYS
                             ? TFP_DESIGN_NO_INTERCEPT
                             : 0u;
        int ids_in_formula = 0;
        for (k = 0; k < tfp_formula_nvars(s.f); k++)
            ids_in_formula |= s.cols[k] == idcol || s.cols[k] == timecol;
        if (!ids_in_formula)
            flags |= TFP_DESIGN_DISCARD_INPUTS;
        if (tfp_formula_design_flags(s.f, s.fr->nrow, lookup, &lc, flags, &s.d, &err) != TFP_OK)
            goto fail;
    }
    for (k = 0; k < s.d.ndrop; k++) {
        fprintf(stderr, "tfp: warning: %zu %s dropped: %s in %s\n", s.d.drop[k].count,
                s.d.drop[k].count == 1 ? "row" : "rows", tfp_formula_drop_str(s.d.drop[k].reason),
                s.d.drop[k].where);
        dropped += s.d.drop[k].count;
    }
    if (drop_missing_ids(&s.d, idcol != NOCOL ? &s.fr->col[idcol] : NULL,
                         timecol != NOCOL ? &s.fr->col[timecol] : NULL, &id_dropped,
                         &err) != TFP_OK)
        goto fail;
    if (id_dropped > 0)
        fprintf(stderr, "tfp: warning: %zu %s dropped: missing value in %s\n", id_dropped,
                id_dropped == 1 ? "row" : "rows",
                timecol == NOCOL ? s.fr->col[idcol].name
                : idcol == NOCOL ? s.fr->col[timecol].name
                                 : "the id or time");
    dropped += id_dropped;
    if (s.d.n == 0) {
        tfp_fail_at(&err, TFP_EINPUT, fa.file, 0, 0, "no rows left to fit (%zu dropped)", dropped);
        goto fail;
    }

    tfp_panelreg_data_set(&data, &s.d);
    if (idcol != NOCOL) {
        /* The unit codes replace the column's when the time ids are not read from it. */
        if (ids_build(&s.fr->col[idcol], &s.d, idcol != timecol, &s.uid, &err) != TFP_OK)
            goto fail;
        data.unit = s.uid.code;
        data.nunits = s.uid.nlev;
    }
    if (timecol != NOCOL) {
        if (ids_build(&s.fr->col[timecol], &s.d, 1, &s.tid, &err) != TFP_OK)
            goto fail;
        data.time = s.tid.code;
        data.ntimes = s.tid.nlev;
        data.time_names = (const char *const *)s.tid.label;
        if (check_duplicates(s.fr, &s.d, &s.uid, &s.tid, &err) != TFP_OK)
            goto fail;
    }

    /* The input's numbers are in the design now: release every column but the ids, and the
     * line index (only the duplicate check above reports lines), before the fit allocates
     * its own (what a 5e6-row fit's peak memory is made of: benchmarks/README.md). The
     * design's row map goes too; the within model may demean the design in place (the
     * translog elasticities read the design's means after the fit, so not with it). */
    release_inputs(s.fr, idcol, timecol);
    tfp_free(s.d.row);
    s.d.row = NULL;
    data.overwrite = fa.helper != HELPER_TRANSLOG;

    /* Room for at least p rows, so that too few observations is the fit's numerical error
     * (exit 3), not a workspace size error. */
    s.w =
        tfp_panelreg_ws_alloc(s.d.n > s.d.p ? s.d.n : s.d.p, s.d.p, data.nunits, data.ntimes, &err);
    if (s.w == NULL)
        goto fail;
    s.res = tfp_panelreg_result_alloc(s.d.p, 0, data.nunits, &err); /* no residuals kept */
    if (s.res == NULL)
        goto fail;
    tfp_panelreg_opts_init(&po);
    po.model = fa.model;
    po.se_type = fa.se;
    if (tfp_panelreg_fit(&data, &po, s.w, s.res, &err) != TFP_OK)
        goto fail;
    if (fa.timing)
        fprintf(stderr, "tfp: timing: read %.6f s, estimate %.6f s, %zu rows read, %zu fitted\n",
                t1 - t0, now_seconds() - t1, s.fr->nrow, s.d.n);

    if (fa.helper == HELPER_CRS) {
        if (tfp_panelreg_crs_get(s.res, &crs, &dv[0], &err) != TFP_OK)
            goto fail;
        ndv = 1;
    } else if (fa.helper == HELPER_TRANSLOG) {
        if (tfp_panelreg_translog_get(&data, s.res, dv, sizeof dv / sizeof dv[0], &ndv, &err) !=
            TFP_OK)
            goto fail;
    }

    s.tables[0] = coef_table(s.res, dv, ndv, &err);
    if (s.tables[0] == NULL)
        goto fail;
    memset(&doc, 0, sizeof doc);
    doc.title_en = "tfp fit: production function estimates";
    doc.title_vi = "tfp fit: ước lượng hàm sản xuất";
    doc.tables = (const tfp_table *const *)s.tables;
    doc.ntables = 1;
    if (fa.out.format != TFP_FORMAT_CSV) {
        doc.nmeta = fit_meta_build(&fa, s.f, s.res, idcol != NOCOL ? s.fr->col[idcol].name : "",
                                   timecol != NOCOL ? s.fr->col[timecol].name : "", dropped,
                                   fa.out.format != TFP_FORMAT_JSON, &mt);
        doc.meta = mt.m;
    }
    if (fa.out.format == TFP_FORMAT_JSON) {
        s.tables[1] = stats_table(s.res, &err);
        if (s.tables[1] == NULL)
            goto fail;
        doc.ntables = 2;
    }
    tfp_strbuf_init(&sb);
    if (tfp_doc_render(&doc, fa.out.format, &fa.out.render, &sb, &err) != TFP_OK) {
        tfp_strbuf_fini(&sb);
        goto fail;
    }
    rc = cli_write(&fa.out, &sb);
    tfp_strbuf_fini(&sb);
    state_fini(&s);
    return rc;
fail:
    rc = cli_report_error(&err);
    state_fini(&s);
    return rc;
}
