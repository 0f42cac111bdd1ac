/*
 * Scenarios and the reverse solve (analysis layer): reads a scenario file,
 * extends each region's series along the stated paths, and runs the
 * extended series through the estimate's own growth accounting, summary and
 * target checks. References in include/tfp/scenario.h.
 */
#include "tfp/scenario.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "tfp/alloc.h"
#include "tfp/config.h"

static const char *const var_names[TFP_SCEN_NVAR] = {"output_growth", "tfp_growth",
                                                     "labour_growth", "capital_growth",
                                                     "investment",    "capital_share"};

#define KNOWN_COLUMNS                                                                              \
    "scenario, region, year, output_growth, tfp_growth, labour_growth, capital_growth, "           \
    "investment, capital_share, note"

const char *
tfp_scenario_var_name(int v)
{
    return v >= 0 && v < TFP_SCEN_NVAR ? var_names[v] : "?";
}

/* ---- reading ------------------------------------------------------------------- */

void
tfp_scenario_set_free(tfp_scenario_set *s)
{
    if (s == NULL)
        return;
    tfp_frame_free(s->frame);
    tfp_free(s->row);
    tfp_free(s);
}

static int
cmp_row(const void *pa, const void *pb)
{
    const tfp_scenario_row *a = pa, *b = pb;
    int c;
    if (a->scenario != b->scenario)
        return a->scenario < b->scenario ? -1 : 1;
    c = strcmp(a->region, b->region);
    if (c != 0)
        return c;
    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    return a->src < b->src ? -1 : (a->src > b->src);
}

static int
bad_cell(const tfp_frame *f, size_t row, size_t j, const char *what, double v, tfp_error *err)
{
    return tfp_fail_at(err, TFP_EINPUT, f->path, f->line[row], tfp_frame_locate(f, row, j),
                       "column \"%s\": expected %s, found %.15g", f->col[j].name, what, v);
}

/* Checks one value of variable k; TFP_OK or TFP_EINPUT. */
static int
check_value(const tfp_frame *f, size_t row, size_t j, int k, double v, tfp_error *err)
{
    if (isnan(v))
        return TFP_OK;
    switch (k) {
    case TFP_SCEN_INVESTMENT:
        if (!(v >= 0.0) || !isfinite(v))
            return bad_cell(f, row, j, "a non-negative investment", v, err);
        return TFP_OK;
    case TFP_SCEN_CAPITAL_SHARE:
        if (!(v > 0.0 && v < 1.0))
            return bad_cell(f, row, j, "a capital share between 0 and 1", v, err);
        return TFP_OK;
    default:
        if (!(v > -1.0 && v < 1.0))
            return bad_cell(f, row, j, "a growth rate as a fraction in (-1, 1), such as 0.075", v,
                            err);
        return TFP_OK;
    }
}

/* Matches the header to the known columns. */
static int
map_header(tfp_csv_reader *r,
           const char *path,
           tfp_scenario_set *s,
           size_t *col_scen,
           tfp_error *err)
{
    size_t ncol = tfp_csv_reader_ncol(r), j, note = SIZE_MAX;
    int nvar = 0;
    *col_scen = SIZE_MAX;
    s->col_region = s->col_year = SIZE_MAX;
    for (int k = 0; k < TFP_SCEN_NVAR; k++)
        s->col_var[k] = SIZE_MAX;
    for (j = 0; j < ncol; j++) {
        const char *name = tfp_csv_reader_name(r, j);
        size_t *slot = NULL;
        if (strcasecmp(name, "note") == 0)
            slot = &note; /* free text for the reader of the file; never read */
        else if (strcasecmp(name, "scenario") == 0)
            slot = col_scen;
        else if (strcasecmp(name, "region") == 0)
            slot = &s->col_region;
        else if (strcasecmp(name, "year") == 0)
            slot = &s->col_year;
        for (int k = 0; slot == NULL && k < TFP_SCEN_NVAR; k++)
            if (strcasecmp(name, var_names[k]) == 0)
                slot = &s->col_var[k];
        if (slot == NULL)
            return tfp_fail_at(
                err, TFP_EINPUT, path, 1, tfp_csv_reader_name_col(r, j),
                "unknown column \"%s\" in a scenario file (known: " KNOWN_COLUMNS ")", name);
        if (*slot != SIZE_MAX)
            return tfp_fail_at(err, TFP_EINPUT, path, 1, tfp_csv_reader_name_col(r, j),
                               "column \"%s\" appears twice (also column %zu)", name,
                               tfp_csv_reader_name_col(r, *slot));
        *slot = j;
    }
    if (*col_scen == SIZE_MAX)
        return tfp_fail_at(err, TFP_EINPUT, path, 1, 0, "no scenario column in a scenario file");
    if (s->col_year == SIZE_MAX)
        return tfp_fail_at(err, TFP_EINPUT, path, 1, 0, "no year column in a scenario file");
    for (int k = 0; k < TFP_SCEN_NVAR; k++)
        nvar += s->col_var[k] != SIZE_MAX;
    if (nvar == 0)
        return tfp_fail_at(err, TFP_EINPUT, path, 1, 0,
                           "no value column in a scenario file (one of output_growth, tfp_growth, "
                           "labour_growth, capital_growth, investment, capital_share)");
    for (j = 0; j < ncol; j++) {
        int rc;
        if (j == note)
            continue;
        rc = tfp_csv_reader_set_kind(
            r, j, (j == *col_scen || j == s->col_region) ? TFP_COL_TEXT : TFP_COL_NUMBER);
        if (rc != TFP_OK)
            return tfp_fail(err, rc, "cannot set up the scenario reader");
    }
    return TFP_OK;
}

/* A row may state one variable of a class: output (output_growth or
 * tfp_growth) and capital (capital_growth or investment). */
static int
check_exclusive(const tfp_scenario_set *s, const tfp_scenario_row *rw, int a, int b, tfp_error *err)
{
    const tfp_frame *f = s->frame;
    if (isnan(rw->v[a]) || isnan(rw->v[b]))
        return TFP_OK;
    return tfp_fail_at(err, TFP_EINPUT, f->path, f->line[rw->src],
                       tfp_frame_locate(f, rw->src, s->col_var[b]),
                       "a row states both %s and %s: give one of them", var_names[a], var_names[b]);
}

static int
build_rows(tfp_scenario_set *s, size_t col_scen, tfp_error *err)
{
    const tfp_frame *f = s->frame;
    const tfp_column *sc = &f->col[col_scen];
    const tfp_column *rg = s->col_region != SIZE_MAX ? &f->col[s->col_region] : NULL;
    const double *yr = f->col[s->col_year].num;
    size_t i;
    int rc;
    s->row = tfp_calloc(f->nrow, sizeof *s->row);
    if (s->row == NULL)
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    s->nrow = f->nrow;
    s->nscenario = sc->nlevels;
    s->scenario = (const char *const *)sc->levels;
    for (i = 0; i < f->nrow; i++) {
        tfp_scenario_row *rw = &s->row[i];
        double y = yr[i];
        rw->src = i;
        rw->scenario = sc->code[i];
        rw->region = rg != NULL ? rg->levels[rg->code[i]] : "";
        if (sc->levels[sc->code[i]][0] == '\0')
            return tfp_fail_at(
                err, TFP_EINPUT, f->path, f->line[i], tfp_frame_locate(f, i, col_scen),
                "column \"%s\": expected a scenario name, found an empty value", sc->name);
        if (isnan(y))
            return tfp_fail_at(
                err, TFP_EINPUT, f->path, f->line[i], tfp_frame_locate(f, i, s->col_year),
                "column \"%s\": expected a year, found an empty value", f->col[s->col_year].name);
        if (y != floor(y) || y < TFP_YEAR_MIN || y > TFP_YEAR_MAX)
            return bad_cell(f, i, s->col_year, "a whole year from 1000 to 9999", y, err);
        rw->year = (int)y;
        for (int k = 0; k < TFP_SCEN_NVAR; k++) {
            size_t j = s->col_var[k];
            rw->v[k] = j != SIZE_MAX ? f->col[j].num[i] : TFP_NAN;
            if (j != SIZE_MAX && (rc = check_value(f, i, j, k, rw->v[k], err)) != TFP_OK)
                return rc;
        }
        if ((rc = check_exclusive(s, rw, TFP_SCEN_OUTPUT_GROWTH, TFP_SCEN_TFP_GROWTH, err)) !=
                TFP_OK ||
            (rc = check_exclusive(s, rw, TFP_SCEN_CAPITAL_GROWTH, TFP_SCEN_INVESTMENT, err)) !=
                TFP_OK)
            return rc;
    }
    qsort(s->row, s->nrow, sizeof *s->row, cmp_row);
    for (i = 1; i < s->nrow; i++) {
        const tfp_scenario_row *a = &s->row[i - 1], *b = &s->row[i];
        if (a->scenario == b->scenario && strcmp(a->region, b->region) == 0 && a->year == b->year)
            return tfp_fail_at(err, TFP_EINPUT, f->path, f->line[b->src],
                               tfp_frame_locate(f, b->src, s->col_year),
                               "duplicate row for scenario \"%s\", %s%s%syear %d (first at line "
                               "%zu)",
                               s->scenario[b->scenario], b->region[0] ? "region \"" : "", b->region,
                               b->region[0] ? "\", " : "", b->year, f->line[a->src]);
    }
    return TFP_OK;
}

int
tfp_scenario_set_read(const char *path,
                      const tfp_csv_opts *csv,
                      tfp_scenario_set **out,
                      tfp_error *err)
{
    tfp_csv_reader *r;
    tfp_scenario_set *s;
    size_t col_scen;
    int rc;
    *out = NULL;
    r = tfp_csv_reader_alloc(path, csv, err);
    if (r == NULL)
        return err != NULL && err->code != TFP_OK ? err->code : TFP_EIO;
    s = tfp_calloc(1, sizeof *s);
    if (s == NULL) {
        tfp_csv_reader_free(r);
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    }
    rc = map_header(r, path, s, &col_scen, err);
    if (rc == TFP_OK)
        rc = tfp_csv_reader_read(r, &s->frame, err);
    if (rc == TFP_OK && s->frame->nrow == 0)
        rc = tfp_fail_at(err, TFP_EINPUT, path, 2, 0, "no data rows after the header");
    if (rc == TFP_OK)
        rc = build_rows(s, col_scen, err);
    tfp_csv_reader_free(r);
    if (rc != TFP_OK) {
        tfp_scenario_set_free(s);
        return rc;
    }
    *out = s;
    return TFP_OK;
}

/* ---- one region under one scenario ---------------------------------------------- */

/* How a projected year's output is set: by its growth or by TFP growth. */
enum { MODE_RUN = 0, MODE_SOLVE_TFP, MODE_SOLVE_OUTPUT };

typedef struct unit_work {
    const tfp_estimate *e;
    const tfp_scenario_set *set;
    const tfp_unit *src; /* the estimate's region total */
    uint32_t sc;
    const char *region;
    char name[256];                          /* "REGION (scenario S)" for messages */
    size_t spec_lo, spec_hi, gen_lo, gen_hi; /* row ranges of the region's and every-region rows */
    size_t nd, m, n;                         /* observed years kept, projected, total */
    int last_data;
    tfp_growth_opts growth;
    tfp_growth_form form;
    int tornqvist_shares; /* a_t from labour shares (tornqvist) */
    int *year;            /* n */
    double *blk;          /* Y L K P sL (5 n) */
    double *Y, *L, *K, *P, *sL;
    tfp_growth_result *g;
    tfp_growth_series in;
    /* Paths, m each: labour growth; capital and output (variable and value);
     * the labour share of the year (NaN = carry the previous). */
    double *gL, *kval, *oval, *sLp;
    int *kvar, *ovar;
    int trend_from;
    double trend_g_L, trend_g_K, trend_g_A;
    double min_c; /* smallest a g_K + (1 - a) g_L of a projected year */
} unit_work;

static void
uw_fini(unit_work *uw)
{
    tfp_free(uw->year);
    tfp_free(uw->blk);
    tfp_free(uw->gL);
    tfp_free(uw->kvar);
    tfp_growth_result_free(uw->g);
    memset(uw, 0, sizeof *uw);
}

static double
grow(double g, tfp_growth_form form)
{
    return form == TFP_GROWTH_LOG ? exp(g) : 1.0 + g;
}

/* Rows [lo, hi) of scenario sc and region r (set rows are sorted). */
static void
row_range(const tfp_scenario_set *set, uint32_t sc, const char *r, size_t *lo, size_t *hi)
{
    size_t i = 0;
    while (i < set->nrow && (set->row[i].scenario < sc ||
                             (set->row[i].scenario == sc && strcmp(set->row[i].region, r) < 0)))
        i++;
    *lo = i;
    while (i < set->nrow && set->row[i].scenario == sc && strcmp(set->row[i].region, r) == 0)
        i++;
    *hi = i;
}

static int
complete(const tfp_growth_series *in, size_t t, int need_sL)
{
    return isfinite(in->Y[t]) && in->Y[t] > 0.0 && isfinite(in->L[t]) && in->L[t] > 0.0 &&
           isfinite(in->K[t]) && in->K[t] > 0.0 && isfinite(in->P[t]) && in->P[t] > 0.0 &&
           (!need_sL || in->s_L == NULL || isfinite(in->s_L[t]));
}

/* Under gso the capital share is one constant: the scenario's for the
 * region (its own rows first), else the estimate's. */
static int
gso_share(unit_work *uw, double *share, tfp_error *err)
{
    const tfp_scenario_set *set = uw->set;
    const tfp_frame *f = set->frame;
    size_t lo = uw->spec_lo, hi = uw->spec_hi, i, first = SIZE_MAX;
    for (i = lo; i < hi && first == SIZE_MAX; i++)
        if (!isnan(set->row[i].v[TFP_SCEN_CAPITAL_SHARE]))
            first = i;
    if (first == SIZE_MAX) {
        lo = uw->gen_lo;
        hi = uw->gen_hi;
        for (i = lo; i < hi && first == SIZE_MAX; i++)
            if (!isnan(set->row[i].v[TFP_SCEN_CAPITAL_SHARE]))
                first = i;
    }
    if (first == SIZE_MAX)
        return TFP_OK;
    *share = set->row[first].v[TFP_SCEN_CAPITAL_SHARE];
    for (i = first + 1; i < hi; i++) {
        double v = set->row[i].v[TFP_SCEN_CAPITAL_SHARE];
        if (!isnan(v) && v != *share)
            return tfp_fail_at(
                err, TFP_EINPUT, f->path, f->line[set->row[i].src],
                tfp_frame_locate(f, set->row[i].src, set->col_var[TFP_SCEN_CAPITAL_SHARE]),
                "%s: with --method gso the capital share is one constant, but the "
                "scenario gives %g (line %zu) and %g",
                uw->name, *share, f->line[set->row[first].src], v);
    }
    return TFP_OK;
}

/* Fits and summarises the first n years into r and s (warnings to w when
 * not NULL). */
static int
uw_fit(unit_work *uw,
       size_t n,
       int from,
       int to,
       tfp_growth_summary *s,
       tfp_warnings *w,
       tfp_error *err)
{
    int rc;
    uw->in.n = n;
    rc = tfp_growth_fit(&uw->in, &uw->growth, uw->g, err);
    if (rc == TFP_OK)
        rc = tfp_growth_summarize(&uw->in, uw->g, &uw->growth, from, to, uw->name, s, w, err);
    return rc;
}

/* Sets up the observed part and the historical averages. Returns 1 (in
 * *skip) when the scenario does not cover the region or it has no complete
 * year. */
static int
uw_setup(unit_work *uw,
         const tfp_estimate *e,
         const tfp_scenario_set *set,
         uint32_t sc,
         const tfp_unit *u,
         int end,
         int *skip,
         tfp_warnings *w,
         tfp_error *err)
{
    const tfp_growth_series *in = &u->in;
    size_t t, last = SIZE_MAX;
    tfp_growth_summary ts;
    int rc;
    memset(uw, 0, sizeof *uw);
    *skip = 1;
    uw->e = e;
    uw->set = set;
    uw->src = u;
    uw->sc = sc;
    uw->region = u->region;
    snprintf(uw->name, sizeof uw->name, "%s (scenario %s)", u->region[0] ? u->region : "data",
             set->scenario[sc]);
    row_range(set, sc, u->region, &uw->spec_lo, &uw->spec_hi);
    row_range(set, sc, "", &uw->gen_lo, &uw->gen_hi);
    if (u->region[0] == '\0')
        uw->spec_lo = uw->spec_hi = uw->gen_lo; /* one range serves both */
    if (uw->spec_lo == uw->spec_hi && uw->gen_lo == uw->gen_hi)
        return TFP_OK;
    uw->growth = e->opts.growth;
    uw->form = tfp_growth_form_of(&uw->growth);
    uw->growth.form = uw->form;
    uw->tornqvist_shares = uw->growth.method == TFP_METHOD_TORNQVIST;
    for (t = in->n; t-- > 0;)
        if (complete(in, t, uw->tornqvist_shares)) {
            last = t;
            break;
        }
    if (last == SIZE_MAX) {
        if (w != NULL && tfp_warnings_add(w, "%s: no year with complete data; not projected",
                                          uw->name) != TFP_OK)
            return tfp_fail(err, TFP_ENOMEM, "out of memory");
        return TFP_OK;
    }
    *skip = 0;
    if (uw->growth.method == TFP_METHOD_GSO &&
        (rc = gso_share(uw, &uw->growth.capital_share, err)) != TFP_OK)
        return rc;
    uw->nd = last + 1;
    uw->last_data = in->year[last];
    uw->m = end > uw->last_data ? (size_t)(end - uw->last_data) : 0;
    uw->n = uw->nd + uw->m;
    if (w != NULL && uw->nd < in->n &&
        tfp_warnings_add(w, "%s: data after %d are incomplete; the projection starts from %d",
                         uw->name, uw->last_data, uw->last_data) != TFP_OK)
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    uw->year = tfp_mallocn(uw->n, sizeof *uw->year);
    uw->blk = tfp_mallocn(uw->n, 5 * sizeof *uw->blk);
    uw->gL = tfp_mallocn(uw->m == 0 ? 1 : uw->m, 4 * sizeof *uw->gL);
    uw->kvar = tfp_mallocn(uw->m == 0 ? 1 : uw->m, 2 * sizeof *uw->kvar);
    if (uw->year == NULL || uw->blk == NULL || uw->gL == NULL || uw->kvar == NULL)
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    uw->g = tfp_growth_result_alloc(uw->n, err);
    if (uw->g == NULL)
        return TFP_ENOMEM;
    uw->Y = uw->blk;
    uw->L = uw->Y + uw->n;
    uw->K = uw->L + uw->n;
    uw->P = uw->K + uw->n;
    uw->sL = uw->P + uw->n;
    uw->kval = uw->gL + (uw->m == 0 ? 1 : uw->m);
    uw->oval = uw->kval + (uw->m == 0 ? 1 : uw->m);
    uw->sLp = uw->oval + (uw->m == 0 ? 1 : uw->m);
    uw->ovar = uw->kvar + (uw->m == 0 ? 1 : uw->m);
    for (t = 0; t < uw->nd; t++) {
        uw->year[t] = in->year[t];
        uw->Y[t] = in->Y[t];
        uw->L[t] = in->L[t];
        uw->K[t] = in->K[t];
        uw->P[t] = in->P[t];
        /* Without a labour-share column Törnqvist uses the constant share:
         * a labour share of 1 - b_K gives the same a_t. */
        uw->sL[t] = in->s_L != NULL ? in->s_L[t] : 1.0 - uw->growth.capital_share;
    }
    for (t = uw->nd; t < uw->n; t++) {
        uw->year[t] = uw->year[t - 1] + 1;
        uw->Y[t] = uw->L[t] = uw->K[t] = uw->P[t] = uw->sL[t] = TFP_NAN;
    }
    uw->in.year = uw->year;
    uw->in.Y = uw->Y;
    uw->in.L = uw->L;
    uw->in.K = uw->K;
    uw->in.P = uw->P;
    uw->in.s_L = uw->tornqvist_shares ? uw->sL : NULL;
    /* Averages of the last TFP_SCENARIO_TREND_YEARS years: the same period
     * summary as the estimate's, for unstated paths. */
    uw->trend_from = uw->last_data - TFP_SCENARIO_TREND_YEARS + 1;
    if (uw->trend_from <= uw->year[0])
        uw->trend_from = uw->year[0] + 1;
    uw->trend_g_L = uw->trend_g_K = uw->trend_g_A = TFP_NAN;
    if (uw->trend_from <= uw->last_data) {
        rc = uw_fit(uw, uw->nd, uw->trend_from, uw->last_data, &ts, NULL, err);
        if (rc != TFP_OK)
            return rc;
        uw->trend_g_L = ts.g_L;
        uw->trend_g_K = ts.g_K;
        uw->trend_g_A = ts.g_A;
    }
    return TFP_OK;
}

enum { CL_OUTPUT = 0, CL_LABOUR, CL_CAPITAL, NCLASS };

typedef struct path_state {
    int ovar, kvar; /* -1 = not stated yet */
    double oval, kval, lval, share;
} path_state;

static void
apply_row(path_state *ps, const tfp_scenario_row *rw)
{
    if (!isnan(rw->v[TFP_SCEN_OUTPUT_GROWTH])) {
        ps->ovar = TFP_SCEN_OUTPUT_GROWTH;
        ps->oval = rw->v[TFP_SCEN_OUTPUT_GROWTH];
    } else if (!isnan(rw->v[TFP_SCEN_TFP_GROWTH])) {
        ps->ovar = TFP_SCEN_TFP_GROWTH;
        ps->oval = rw->v[TFP_SCEN_TFP_GROWTH];
    }
    if (!isnan(rw->v[TFP_SCEN_LABOUR_GROWTH]))
        ps->lval = rw->v[TFP_SCEN_LABOUR_GROWTH];
    if (!isnan(rw->v[TFP_SCEN_CAPITAL_GROWTH])) {
        ps->kvar = TFP_SCEN_CAPITAL_GROWTH;
        ps->kval = rw->v[TFP_SCEN_CAPITAL_GROWTH];
    } else if (!isnan(rw->v[TFP_SCEN_INVESTMENT])) {
        ps->kvar = TFP_SCEN_INVESTMENT;
        ps->kval = rw->v[TFP_SCEN_INVESTMENT];
    }
    if (!isnan(rw->v[TFP_SCEN_CAPITAL_SHARE]))
        ps->share = rw->v[TFP_SCEN_CAPITAL_SHARE];
}

static const char *const class_what[NCLASS] = {"output_growth or tfp_growth", "labour_growth",
                                               "capital_growth or investment"};

/*
 * The paths of the m projected years: each class from the latest statement
 * up to the year (the region's row over the every-region row in the same
 * year), else the historical average. need_output = 0 leaves output alone
 * (the solve sets it). Notes the years that fell back to an average.
 */
static int
uw_paths(unit_work *uw, int need_output, tfp_warnings *w, tfp_error *err)
{
    const tfp_scenario_row *row = uw->set->row;
    size_t is = uw->spec_lo, ig = uw->gen_lo;
    path_state ps = {-1, -1, TFP_NAN, TFP_NAN, TFP_NAN, TFP_NAN};
    int dfirst[NCLASS] = {0, 0, 0}, dlast[NCLASS] = {0, 0, 0};
    const double trend[NCLASS] = {uw->trend_g_A, uw->trend_g_L, uw->trend_g_K};
    const char *const trend_what[NCLASS] = {"TFP growth", "labour growth", "capital growth"};
    int region_rows = uw->region[0] != '\0';
    for (size_t j = 0; j < uw->m; j++) {
        int y = uw->last_data + 1 + (int)j;
        int dflt[NCLASS];
        for (;;) {
            int ys = region_rows && is < uw->spec_hi ? row[is].year : INT_MAX;
            int yg = ig < uw->gen_hi ? row[ig].year : INT_MAX;
            if ((ys < yg ? ys : yg) > y)
                break;
            if (yg <= ys)
                apply_row(&ps, &row[ig++]);
            else
                apply_row(&ps, &row[is++]);
        }
        dflt[CL_OUTPUT] = need_output && ps.ovar < 0;
        dflt[CL_LABOUR] = isnan(ps.lval);
        dflt[CL_CAPITAL] = ps.kvar < 0;
        uw->ovar[j] = ps.ovar < 0 ? TFP_SCEN_TFP_GROWTH : ps.ovar;
        uw->oval[j] = ps.ovar < 0 ? uw->trend_g_A : ps.oval;
        uw->gL[j] = isnan(ps.lval) ? uw->trend_g_L : ps.lval;
        uw->kvar[j] = ps.kvar < 0 ? TFP_SCEN_CAPITAL_GROWTH : ps.kvar;
        uw->kval[j] = ps.kvar < 0 ? uw->trend_g_K : ps.kval;
        uw->sLp[j] = isnan(ps.share) ? TFP_NAN : 1.0 - ps.share;
        for (int c = 0; c < NCLASS; c++) {
            if (!dflt[c])
                continue;
            if (isnan(trend[c]))
                return tfp_fail(err, TFP_ENUMERIC,
                                "%s: no %s stated for %d, and the region's average %s is "
                                "undefined (too few years of data)",
                                uw->name, class_what[c], y, trend_what[c]);
            if (dfirst[c] == 0)
                dfirst[c] = y;
            dlast[c] = y;
        }
    }
    for (int c = 0; c < NCLASS && w != NULL; c++) {
        char years[32];
        if (dfirst[c] == 0)
            continue;
        if (dfirst[c] == dlast[c])
            snprintf(years, sizeof years, "%d", dfirst[c]);
        else
            snprintf(years, sizeof years, "%d-%d", dfirst[c], dlast[c]);
        if (tfp_warnings_add(w, "%s: no %s stated for %s; %s at its %d-%d average %.4g", uw->name,
                             class_what[c], years, trend_what[c], uw->trend_from, uw->last_data,
                             trend[c]) != TFP_OK)
            return tfp_fail(err, TFP_ENOMEM, "out of memory");
    }
    return TFP_OK;
}

/*
 * Fills the projected years. mode MODE_RUN takes output from the paths;
 * MODE_SOLVE_TFP sets g_A = x, MODE_SOLVE_OUTPUT g_Y = x. Returns 0, or -1
 * when a level is not positive and finite (the year in *bad).
 */
static int
uw_project(unit_work *uw, int mode, double x, int *bad)
{
    double b_K = uw->growth.capital_share;
    uw->min_c = HUGE_VAL;
    for (size_t j = 0; j < uw->m; j++) {
        size_t i = uw->nd + j;
        double a, g_K, g_L, g_Y, c;
        uw->L[i] = uw->L[i - 1] * grow(uw->gL[j], uw->form);
        uw->P[i] = uw->P[i - 1] * grow(uw->gL[j], uw->form);
        if (uw->kvar[j] == TFP_SCEN_INVESTMENT)
            /* Perpetual inventory (OECD 2009, ch. 6), as tfp_pim_series. */
            uw->K[i] = (1.0 - uw->e->opts.delta) * uw->K[i - 1] + uw->kval[j];
        else
            uw->K[i] = uw->K[i - 1] * grow(uw->kval[j], uw->form);
        uw->sL[i] = isnan(uw->sLp[j]) ? uw->sL[i - 1] : uw->sLp[j];
        /* The capital share tfp_growth_fit will use for the year. */
        a = uw->tornqvist_shares ? 1.0 - 0.5 * (uw->sL[i] + uw->sL[i - 1]) : b_K;
        g_K = tfp_growth_rate(uw->K[i - 1], uw->K[i], uw->form);
        g_L = tfp_growth_rate(uw->L[i - 1], uw->L[i], uw->form);
        c = a * g_K + (1.0 - a) * g_L;
        uw->min_c = c < uw->min_c ? c : uw->min_c;
        if (mode == MODE_SOLVE_OUTPUT)
            g_Y = x;
        else if (mode == MODE_SOLVE_TFP)
            g_Y = x + c;
        else if (uw->ovar[j] == TFP_SCEN_OUTPUT_GROWTH)
            g_Y = uw->oval[j];
        else
            g_Y = uw->oval[j] + c; /* g_Y = g_A + a g_K + (1 - a) g_L */
        uw->Y[i] = uw->Y[i - 1] * grow(g_Y, uw->form);
        if (!(uw->Y[i] > 0.0 && isfinite(uw->Y[i])) || !(uw->K[i] > 0.0 && isfinite(uw->K[i])) ||
            !(uw->L[i] > 0.0 && isfinite(uw->L[i])) || !(uw->P[i] > 0.0 && isfinite(uw->P[i]))) {
            *bad = uw->year[i];
            return -1;
        }
    }
    return 0;
}

/* Every region named in the scenario file must be in the data. */
static int
check_regions(const tfp_estimate *e, const tfp_scenario_set *set, tfp_error *err)
{
    const tfp_frame *f = set->frame;
    for (size_t i = 0; i < set->nrow; i++) {
        const tfp_scenario_row *rw = &set->row[i];
        int found = 0;
        char list[160] = "";
        size_t len = 0;
        if (rw->region[0] == '\0' || (i > 0 && strcmp(rw->region, set->row[i - 1].region) == 0 &&
                                      rw->scenario == set->row[i - 1].scenario))
            continue;
        for (size_t u = 0; u < e->nunit && !found; u++)
            found = e->unit[u].sector == NULL && strcmp(e->unit[u].region, rw->region) == 0;
        if (found)
            continue;
        for (size_t u = 0; u < e->nunit && len + 8 < sizeof list; u++) {
            if (e->unit[u].sector != NULL)
                continue;
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "",
                                    e->unit[u].region);
        }
        if (len >= sizeof list)
            len = sizeof list - 1;
        return tfp_fail_at(err, TFP_EINPUT, f->path, f->line[rw->src],
                           tfp_frame_locate(f, rw->src, set->col_region),
                           "region \"%s\" is not in the data (%s%s)", rw->region,
                           e->unit[0].region[0] ? "regions: " : "the data have no region column",
                           e->unit[0].region[0] ? list : "");
    }
    return TFP_OK;
}

/* ---- the projection ------------------------------------------------------------ */

void
tfp_scenario_result_free(tfp_scenario_result *r)
{
    if (r == NULL)
        return;
    for (size_t u = 0; u < r->nunit; u++) {
        tfp_free((void *)r->unit[u].in.year);
        tfp_free((void *)r->unit[u].in.Y);
        tfp_growth_result_free(r->unit[u].g);
    }
    tfp_free(r->unit);
    tfp_warnings_fini(&r->warnings);
    tfp_free(r);
}

static int
data_warnings(const tfp_estimate *e, tfp_warnings *w, tfp_error *err)
{
    if (tfp_warnings_extend(w, &e->panel->warnings) != TFP_OK ||
        (e->totals != NULL && tfp_warnings_extend(w, &e->totals->warnings) != TFP_OK))
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    return TFP_OK;
}

int
tfp_scenario_run(const tfp_estimate *e,
                 const tfp_scenario_set *set,
                 int horizon,
                 tfp_scenario_result **out,
                 tfp_error *err)
{
    tfp_scenario_result *r;
    unit_work uw;
    int rc;
    *out = NULL;
    memset(&uw, 0, sizeof uw);
    if (horizon == 0)
        horizon = e->opts.to;
    if (horizon < TFP_YEAR_MIN || horizon > TFP_YEAR_MAX)
        return tfp_fail(err, TFP_EINVAL, "horizon %d is not a year from %d to %d", horizon,
                        TFP_YEAR_MIN, TFP_YEAR_MAX);
    r = tfp_calloc(1, sizeof *r);
    if (r == NULL)
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    tfp_warnings_init(&r->warnings);
    r->from = e->opts.from;
    r->to = e->opts.to;
    r->horizon = horizon;
    rc = check_regions(e, set, err);
    if (rc == TFP_OK)
        rc = data_warnings(e, &r->warnings, err);
    if (rc == TFP_OK) {
        r->unit = tfp_calloc(set->nscenario * e->nunit + 1, sizeof *r->unit);
        if (r->unit == NULL)
            rc = tfp_fail(err, TFP_ENOMEM, "out of memory");
    }
    for (uint32_t sc = 0; rc == TFP_OK && sc < set->nscenario; sc++) {
        for (size_t k = 0; rc == TFP_OK && k < e->nunit; k++) {
            tfp_scenario_unit *su;
            int skip, bad = 0;
            if (e->unit[k].sector != NULL)
                continue;
            rc = uw_setup(&uw, e, set, sc, &e->unit[k], horizon, &skip, &r->warnings, err);
            if (rc == TFP_OK && !skip)
                rc = uw_paths(&uw, 1, &r->warnings, err);
            if (rc == TFP_OK && !skip && uw_project(&uw, MODE_RUN, 0.0, &bad) != 0)
                rc = tfp_fail(err, TFP_ENUMERIC,
                              "%s: projected output, labour or capital is not positive in %d",
                              uw.name, bad);
            if (rc != TFP_OK || skip) {
                uw_fini(&uw);
                continue;
            }
            su = &r->unit[r->nunit];
            rc = uw_fit(&uw, uw.n, e->opts.from, e->opts.to, &su->s, &r->warnings, err);
            if (rc != TFP_OK) {
                uw_fini(&uw);
                continue;
            }
            tfp_targets_check(&su->s, &e->opts.targets, su->t);
            su->scenario = set->scenario[sc];
            su->region = uw.region;
            su->last_data = uw.last_data;
            su->trend_from = uw.trend_from;
            su->growth = uw.growth;
            su->trend_g_L = uw.trend_g_L;
            su->trend_g_K = uw.trend_g_K;
            su->trend_g_A = uw.trend_g_A;
            su->in = uw.in;
            su->g = uw.g;
            r->nunit++;
            /* The unit now owns the series (year, and the block starting at Y). */
            uw.year = NULL;
            uw.blk = NULL;
            uw.g = NULL;
            uw_fini(&uw);
        }
    }
    if (rc != TFP_OK) {
        tfp_scenario_result_free(r);
        return rc;
    }
    *out = r;
    return TFP_OK;
}

/* ---- the reverse solve ------------------------------------------------------------ */

void
tfp_solve_result_free(tfp_solve_result *r)
{
    if (r == NULL)
        return;
    tfp_free(r->row);
    tfp_warnings_fini(&r->warnings);
    tfp_free(r);
}

typedef struct solve_ctx {
    unit_work *uw;
    int mode;
    int which;        /* 0: LP growth minus its goal; 1: period output growth minus G* */
    double threshold; /* the goal or G* */
    int failed;       /* a projection or a summary failed */
} solve_ctx;

static double
solve_fn(double x, void *p)
{
    solve_ctx *c = p;
    unit_work *uw = c->uw;
    tfp_growth_summary s;
    int bad;
    if (uw_project(uw, c->mode, x, &bad) != 0 ||
        uw_fit(uw, uw->n, uw->e->opts.from, uw->e->opts.to, &s, NULL, NULL) != TFP_OK) {
        c->failed = 1;
        return TFP_NAN;
    }
    return (c->which == 0 ? s.lp_compound : s.g_Y) - c->threshold;
}

/*
 * The smallest x with f(x) >= 0 for an increasing f, x > xmin. *root is
 * -HUGE_VAL when f >= 0 down to xmin (or far below 0: met whatever x), NaN
 * when f < 0 up to TFP_SOLVE_RATE_MAX (cannot be met). Returns TFP_OK or
 * TFP_ENUMERIC.
 */
static int
find_root(solve_ctx *c, gsl_root_fsolver *fs, double xmin, double *root, tfp_error *err)
{
    double lo = -0.5, hi = 0.5, flo, fhi;
    gsl_function fn = {solve_fn, c};
    int st, k;
    if (hi <= xmin)
        hi = xmin + 1.0;
    if (lo <= xmin)
        lo = xmin + 0.5 * (hi - xmin);
    /* Down to where f < 0: halve the distance to xmin, or double below 0. */
    for (k = 0, flo = solve_fn(lo, c); !c->failed && flo >= 0.0 && k < 200; k++)
        flo = solve_fn(lo = isfinite(xmin) ? xmin + 0.5 * (lo - xmin) : 2.0 * lo - 1.0, c);
    if (c->failed)
        goto failed;
    if (flo >= 0.0) {
        *root = -HUGE_VAL;
        return TFP_OK;
    }
    for (fhi = solve_fn(hi, c); !c->failed && fhi < 0.0 && hi < TFP_SOLVE_RATE_MAX;) {
        lo = hi;
        hi = 2.0 * hi < TFP_SOLVE_RATE_MAX ? 2.0 * hi : TFP_SOLVE_RATE_MAX;
        fhi = solve_fn(hi, c);
    }
    if (c->failed)
        goto failed;
    if (fhi < 0.0) {
        *root = TFP_NAN;
        return TFP_OK;
    }
    if (fhi == 0.0) {
        *root = hi;
        return TFP_OK;
    }
    if (gsl_root_fsolver_set(fs, &fn, lo, hi) != GSL_SUCCESS)
        goto failed;
    for (k = 0; k < TFP_SOLVE_MAX_ITER; k++) {
        if (gsl_root_fsolver_iterate(fs) != GSL_SUCCESS || c->failed)
            goto failed;
        lo = gsl_root_fsolver_x_lower(fs);
        hi = gsl_root_fsolver_x_upper(fs);
        st = gsl_root_test_interval(lo, hi, TFP_SOLVE_XTOL, 0.0);
        if (st == GSL_SUCCESS)
            break;
    }
    if (k == TFP_SOLVE_MAX_ITER)
        goto failed;
    /* f is increasing and the bracket keeps a sign change: at its upper end
     * f >= 0, so the reported rate meets the target. */
    *root = hi;
    return TFP_OK;
failed:
    return tfp_fail(err, TFP_ENUMERIC, "%s: the solve for the required growth did not converge",
                    c->uw->name);
}

/* Solves one region under one scenario into row. */
static int
solve_unit(unit_work *uw,
           tfp_solve_for what,
           gsl_root_fsolver *fs,
           tfp_solve_row *row,
           tfp_warnings *w,
           tfp_error *err)
{
    const tfp_targets *tg = &uw->e->opts.targets;
    int mode = what == TFP_SOLVE_TFP ? MODE_SOLVE_TFP : MODE_SOLVE_OUTPUT;
    solve_ctx c = {uw, mode, 0, tg->lp, 0};
    tfp_growth_summary s;
    double xmin, cin, gstar, x_lp, x_tfp;
    const char *var = what == TFP_SOLVE_TFP ? "TFP growth" : "output growth";
    int bad, rc;
    /* The inputs' average contribution c = G - g_A does not depend on x. */
    if (uw_project(uw, mode, 0.0, &bad) != 0)
        return tfp_fail(err, TFP_ENUMERIC, "%s: projected labour or capital is not positive in %d",
                        uw->name, bad);
    rc = uw_fit(uw, uw->n, uw->e->opts.from, uw->e->opts.to, &s, NULL, err);
    if (rc != TFP_OK)
        return rc;
    if (isnan(s.g_Y) || isnan(s.g_A) || isnan(s.lp_compound)) {
        if (tfp_warnings_add(w, "%s: no data for the base year %d; nothing to solve", uw->name,
                             uw->e->opts.from - 1) != TFP_OK)
            return tfp_fail(err, TFP_ENOMEM, "out of memory");
        return TFP_OK;
    }
    cin = s.g_Y - s.g_A;
    /* Simple growth needs each year's 1 + g_Y > 0: g_Y = x + c_t for TFP,
     * g_Y = x for output. */
    if (uw->form == TFP_GROWTH_LOG)
        xmin = -HUGE_VAL;
    else
        xmin = mode == MODE_SOLVE_TFP ? -1.0 - uw->min_c : -1.0;
    rc = find_root(&c, fs, xmin, &x_lp, err);
    if (rc != TFP_OK)
        return rc;
    /* Period TFP share = 1 - c / G (both growth forms): with G > 0 it reaches
     * the low goal when G >= c / (1 - low) (c > 0); for c <= 0 every G > 0
     * gives a share of 1 or more, and the requirement is the infimum G = 0. */
    if (cin > 0.0 && !(tg->tfp_lo < 1.0)) {
        x_tfp = TFP_NAN;
        gstar = TFP_NAN;
    } else {
        gstar = cin > 0.0 ? cin / (1.0 - tg->tfp_lo) : 0.0;
        c.which = 1;
        c.threshold = gstar;
        rc = find_root(&c, fs, xmin, &x_tfp, err);
        if (rc != TFP_OK)
            return rc;
    }
    row->required_lp = x_lp;
    row->required_tfp = x_tfp;
    if (isnan(x_lp) || isnan(x_tfp)) {
        if (tfp_warnings_add(w, "%s: %s cannot be met by any %s up to %g a year", uw->name,
                             isnan(x_lp) ? "the labour-productivity goal"
                                         : "the TFP share's low goal",
                             var, TFP_SOLVE_RATE_MAX) != TFP_OK)
            return tfp_fail(err, TFP_ENOMEM, "out of memory");
        return TFP_OK;
    }
    if (x_lp >= x_tfp) {
        row->required = x_lp;
        row->binding = "lp_growth";
    } else {
        row->required = x_tfp;
        row->binding = "tfp_share";
        if (gstar == 0.0 &&
            tfp_warnings_add(w,
                             "%s: labour and capital add nothing on average, so any %s above "
                             "%.6g (where output stops falling) gives a TFP share of 1 or more",
                             uw->name, var, x_tfp) != TFP_OK)
            return tfp_fail(err, TFP_ENOMEM, "out of memory");
    }
    return TFP_OK;
}

int
tfp_scenario_solve(const tfp_estimate *e,
                   const tfp_scenario_set *set,
                   tfp_solve_for what,
                   tfp_solve_result **out,
                   tfp_error *err)
{
    tfp_solve_result *r;
    gsl_root_fsolver *fs = NULL;
    unit_work uw;
    int rc;
    *out = NULL;
    memset(&uw, 0, sizeof uw);
    r = tfp_calloc(1, sizeof *r);
    if (r == NULL)
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    tfp_warnings_init(&r->warnings);
    r->what = what;
    r->from = e->opts.from;
    r->to = e->opts.to;
    rc = check_regions(e, set, err);
    if (rc == TFP_OK)
        rc = data_warnings(e, &r->warnings, err);
    if (rc == TFP_OK) {
        r->row = tfp_calloc(set->nscenario * e->nunit + 1, sizeof *r->row);
        fs = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
        if (r->row == NULL || fs == NULL)
            rc = tfp_fail(err, TFP_ENOMEM, "out of memory");
    }
    for (uint32_t sc = 0; rc == TFP_OK && sc < set->nscenario; sc++) {
        for (size_t k = 0; rc == TFP_OK && k < e->nunit; k++) {
            tfp_solve_row *row;
            int skip;
            if (e->unit[k].sector != NULL)
                continue;
            rc = uw_setup(&uw, e, set, sc, &e->unit[k], e->opts.to, &skip, &r->warnings, err);
            if (rc != TFP_OK || skip) {
                uw_fini(&uw);
                continue;
            }
            row = &r->row[r->n++];
            row->scenario = set->scenario[sc];
            row->region = uw.region;
            row->last_data = uw.last_data;
            row->required = row->required_lp = row->required_tfp = TFP_NAN;
            row->binding = NULL;
            if (uw.last_data < e->opts.to) {
                rc = uw_paths(&uw, 0, &r->warnings, err);
                if (rc == TFP_OK)
                    rc = solve_unit(&uw, what, fs, row, &r->warnings, err);
            }
            uw_fini(&uw);
        }
    }
    if (fs != NULL)
        gsl_root_fsolver_free(fs);
    if (rc != TFP_OK) {
        tfp_solve_result_free(r);
        return rc;
    }
    *out = r;
    return TFP_OK;
}
