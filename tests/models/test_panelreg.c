/*
 * models layer: panel regressions (src/models/panelreg.c) against R plm 2.6 on Produc
 * (Munnell 1990), balanced and unbalanced: estimates, classic, White HC1 and clustered
 * standard errors, R^2, variance components and theta (tests/fixtures/reference/
 * plm_produc_*.csv from scripts/reference/plm_produc.R, fit_produc_extra.csv from
 * scripts/reference/fit_produc.R); translog elasticities at the mean with delta-method SEs
 * and CRS against R lm plus the hand formulas (the same script); CRS on a constructed
 * example whose answer is known by hand; absorbed terms and other error paths; OOM.
 *
 * Measured agreement with plm (maximum relative difference, GCC 12 / x86-64) is printed by
 * `build/tests/unit --filter 'panelreg/...' --verbose` (all tests of the suite); see README.md,
 * section fit.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/logging.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include "tfp/alloc.h"
#include "tfp/error.h"
#include "tfp/formula.h"
#include "tfp/io.h"
#include "tfp/panelreg.h"
#include "tfp_test.h"

TestSuite(panelreg, .init = quiet_gsl);

/* The bar of the issue: plm's estimates and standard errors to 1e-8 relative. The measured
 * differences are far smaller (about 1e-13, printed with --verbose). */
#define PLM_RTOL 1e-8

static const char *const produc_formula = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp";
static const char *const balanced_path = "datasets/plm/Produc.csv";
static const char *const unbalanced_path = "tests/fixtures/reference/produc_unbalanced10.csv";

/* ---- data ----------------------------------------------------------------------------------- */

typedef struct panel_data {
    tfp_frame *frame;
    tfp_formula *f;
    tfp_design d;
    uint32_t *unit, *time;
    size_t nunits, ntimes;
    double tval[64];
    char tlabel[64][24];
    const char *tname[64];
    tfp_panelreg_data data;
} panel_data;

static int
lookup(void *ctx, const char *name, const double **x)
{
    const tfp_frame *fr = ctx;
    size_t j = tfp_frame_find(fr, name);
    if (j == SIZE_MAX || fr->col[j].num == NULL)
        return 1;
    *x = fr->col[j].num;
    return 0;
}

/* Reads path (below the source tree, or absolute) with the text column idcol and every other
 * column numeric, and builds the design of formula with unit ids (the codes of idcol) and
 * time ids (the ranks of the distinct values of timecol). */
static void
load(panel_data *P, const char *path, const char *formula, const char *idcol, const char *timecol)
{
    tfp_error err;
    tfp_csv_reader *r;
    size_t j, i, k, jid = SIZE_MAX, jt = SIZE_MAX;
    const double *tv;
    memset(P, 0, sizeof *P);
    tfp_error_init(&err);
    r = tfp_csv_reader_alloc(path[0] == '/' ? path : tfp_test_path(path), NULL, &err);
    cr_assert_not_null(r, "%s", err.msg);
    for (j = 0; j < tfp_csv_reader_ncol(r); j++) {
        int text = strcmp(tfp_csv_reader_name(r, j), idcol) == 0;
        cr_assert_eq(tfp_csv_reader_set_kind(r, j, text ? TFP_COL_TEXT : TFP_COL_NUMBER), TFP_OK);
    }
    cr_assert_eq(tfp_csv_reader_read(r, &P->frame, &err), TFP_OK, "%s", err.msg);
    tfp_csv_reader_free(r);
    cr_assert_eq(tfp_formula_parse(formula, &P->f, &err), TFP_OK, "%s", err.msg);
    tfp_design_init(&P->d);
    cr_assert_eq(tfp_formula_design(P->f, P->frame->nrow, lookup, P->frame, &P->d, &err), TFP_OK,
                 "%s", err.msg);
    jid = tfp_frame_find(P->frame, idcol);
    jt = tfp_frame_find(P->frame, timecol);
    cr_assert_neq(jid, SIZE_MAX);
    cr_assert_neq(jt, SIZE_MAX);
    tv = P->frame->col[jt].num;
    P->unit = malloc(P->d.n * sizeof *P->unit);
    P->time = malloc(P->d.n * sizeof *P->time);
    P->nunits = P->frame->col[jid].nlevels;
    /* Time ids: the distinct values of the time column, in increasing order. */
    P->ntimes = 0;
    for (i = 0; i < P->frame->nrow; i++) {
        for (k = 0; k < P->ntimes && P->tval[k] != tv[i]; k++)
            ;
        if (k == P->ntimes) {
            cr_assert_lt(P->ntimes, 64);
            P->tval[P->ntimes++] = tv[i];
        }
    }
    for (i = 0; i < P->d.n; i++) {
        size_t rank = 0;
        P->unit[i] = P->frame->col[jid].code[tfp_design_row(&P->d, i)];
        for (k = 0; k < P->ntimes; k++)
            rank += P->tval[k] < tv[tfp_design_row(&P->d, i)];
        P->time[i] = (uint32_t)rank;
    }
    for (k = 0; k < P->ntimes; k++) {
        size_t rank = 0, m;
        for (m = 0; m < P->ntimes; m++)
            rank += P->tval[m] < P->tval[k];
        snprintf(P->tlabel[rank], sizeof P->tlabel[rank], "%g", P->tval[k]);
        P->tname[rank] = P->tlabel[rank];
    }
    tfp_panelreg_data_set(&P->data, &P->d);
    P->data.unit = P->unit;
    P->data.nunits = P->nunits;
    P->data.time = P->time;
    P->data.ntimes = P->ntimes;
    P->data.time_names = P->tname;
}

static void
unload(panel_data *P)
{
    free(P->unit);
    free(P->time);
    tfp_design_fini(&P->d);
    tfp_formula_free(P->f);
    tfp_frame_free(P->frame);
}

/* Fits model with se_type on P; returns a result the caller frees. */
static tfp_panelreg_result *
fit(const panel_data *P, tfp_panelreg_model model, tfp_ols_se_type se, tfp_ols_cluster_adj adj)
{
    tfp_panelreg_opts o;
    tfp_error err;
    tfp_panelreg_ws *w = tfp_panelreg_ws_alloc(P->d.n, P->d.p, P->nunits, P->ntimes, NULL);
    tfp_panelreg_result *res = tfp_panelreg_result_alloc(P->d.p, P->d.n, P->nunits, NULL);
    cr_assert_not_null(w);
    cr_assert_not_null(res);
    tfp_panelreg_opts_init(&o);
    o.model = model;
    o.se_type = se;
    o.cluster_adj = adj;
    tfp_error_init(&err);
    cr_assert_eq(tfp_panelreg_fit(&P->data, &o, w, res, &err), TFP_OK, "%s", err.msg);
    tfp_panelreg_ws_free(w);
    return res;
}

/* ---- reference files ------------------------------------------------------------------------- */

#define MAXREF 512

typedef struct ref_table {
    size_t n;
    char key[MAXREF][160]; /* "data|model|term|statistic" or "model|term|statistic" */
    double v[MAXREF];
} ref_table;

static ref_table *
ref_load(const char *rel)
{
    static ref_table t;
    char line[512];
    FILE *fp = fopen(tfp_test_path(rel), "r");
    cr_assert_not_null(fp, "cannot open %s", rel);
    t.n = 0;
    cr_assert_not_null(fgets(line, sizeof line, fp));
    while (fgets(line, sizeof line, fp) != NULL) {
        char *last = strrchr(line, ','), *p;
        cr_assert_not_null(last);
        *last = '\0';
        for (p = line; *p; p++)
            if (*p == ',')
                *p = '|';
        cr_assert_lt(t.n, MAXREF);
        cr_assert_lt(strlen(line), sizeof t.key[t.n]);
        memcpy(t.key[t.n], line, strlen(line) + 1);
        t.v[t.n] = last[1] == '\n' || last[1] == '\0' ? (double)NAN : strtod(last + 1, NULL);
        t.n++;
    }
    fclose(fp);
    return &t;
}

static double
ref_get(const ref_table *t, const char *a, const char *b, const char *c, const char *d)
{
    char key[160];
    size_t i;
    if (d != NULL)
        snprintf(key, sizeof key, "%s|%s|%s|%s", a, b, c, d);
    else
        snprintf(key, sizeof key, "%s|%s|%s", a, b, c);
    for (i = 0; i < t->n; i++)
        if (strcmp(t->key[i], key) == 0)
            return t->v[i];
    cr_assert_fail("no reference value %s", key);
    return (double)NAN;
}

/* The largest relative difference seen, by kind, for the log. */
static double maxrel[8];
static const char *const maxrel_name[8] = {"estimate",     "classic SE",     "cluster SE (HC1)",
                                           "white HC1 SE", "sss cluster SE", "R^2, rss, sigma2",
                                           "theta",        "log-lik"};

static void
check(double got, double want, double rtol, int kind, const char *what)
{
    double rel = fabs(got - want) / fabs(want);
    if (rel > maxrel[kind])
        maxrel[kind] = rel;
    cr_assert(tfp_test_rel_ok(got, want, rtol), "%s = %.17g, want %.17g (rel %.3g)", what, got,
              want, rel);
}

static void
log_maxrel(const char *what)
{
    size_t k;
    for (k = 0; k < 8; k++)
        if (maxrel[k] > 0.0)
            cr_log_info("%s: max relative difference, %s: %.3g", what, maxrel_name[k], maxrel[k]);
}

static const char *const model_name[4] = {"pooling", "within", "twoways", "random"};

/* Every number of plm_produc_<tag>.csv for one model. */
static void
check_plm(const panel_data *P, const ref_table *ref, tfp_panelreg_model model, int balanced)
{
    const char *m = model_name[model];
    tfp_panelreg_result *res = fit(P, model, TFP_OLS_SE_CLASSIC, TFP_OLS_CLUSTER_HC1);
    tfp_panelreg_result *rc = fit(P, model, TFP_OLS_SE_CLUSTER, TFP_OLS_CLUSTER_HC1);
    size_t j, u, nref = 0;
    char what[200];
    cr_assert_eq(res->fit->p,
                 model == TFP_PANELREG_WITHIN || model == TFP_PANELREG_TWOWAYS ? 4 : 5);
    for (j = 0; j < res->fit->p; j++) {
        const char *t = res->name[j];
        snprintf(what, sizeof what, "%s %s estimate", m, t);
        check(res->fit->beta[j], ref_get(ref, m, t, "estimate", NULL), PLM_RTOL, 0, what);
        snprintf(what, sizeof what, "%s %s classic SE", m, t);
        check(res->fit->se[j], ref_get(ref, m, t, "std_error", NULL), PLM_RTOL, 1, what);
        snprintf(what, sizeof what, "%s %s cluster SE", m, t);
        check(rc->fit->se[j], ref_get(ref, m, t, "std_error_hc1_cluster", NULL), PLM_RTOL, 2, what);
        cr_assert(tfp_test_rel_ok(rc->fit->beta[j], res->fit->beta[j], 1e-15));
        nref += 3;
    }
    cr_assert_eq((double)res->fit->n, ref_get(ref, m, ".", "n", NULL));
    cr_assert_eq((double)res->fit->df_residual, ref_get(ref, m, ".", "df_residual", NULL));
    check(res->fit->r_squared, ref_get(ref, m, ".", "r_squared", NULL), PLM_RTOL, 5, "r_squared");
    check(res->fit->adj_r_squared, ref_get(ref, m, ".", "adj_r_squared", NULL), PLM_RTOL, 5,
          "adj_r_squared");
    check(res->fit->rss, ref_get(ref, m, ".", "rss", NULL), PLM_RTOL, 5, "rss");
    cr_assert_eq(res->balanced, balanced);
    cr_assert_eq(res->nunits, 48);
    cr_assert_eq(res->ntimes, 17);
    if (model == TFP_PANELREG_RANDOM) {
        check(res->sigma2_idios, ref_get(ref, m, ".", "sigma2_idios", NULL), PLM_RTOL, 5,
              "sigma2_idios");
        check(res->sigma2_indiv, ref_get(ref, m, ".", "sigma2_indiv", NULL), PLM_RTOL, 5,
              "sigma2_indiv");
        for (u = 0; u < P->nunits; u++) {
            const char *state = P->frame->col[tfp_frame_find(P->frame, "state")].levels[u];
            double want = balanced ? ref_get(ref, m, ".", "theta", NULL)
                                   : ref_get(ref, m, state, "theta", NULL);
            snprintf(what, sizeof what, "theta %s", state);
            check(res->theta[u], want, PLM_RTOL, 6, what);
        }
        cr_assert_leq(res->theta_min, res->theta_max);
    } else {
        cr_assert(isnan(res->sigma2_idios) && isnan(res->theta_min));
    }
    cr_assert_eq(res->absorbed, model == TFP_PANELREG_WITHIN    ? 48
                                : model == TFP_PANELREG_TWOWAYS ? 48 + 16
                                                                : 0);
    tfp_panelreg_result_free(res);
    tfp_panelreg_result_free(rc);
}

/* The numbers of fit_produc_extra.csv for one panel model. */
static void
check_extra(const panel_data *P, const ref_table *ref, const char *tag, tfp_panelreg_model model)
{
    const char *m = model_name[model];
    tfp_panelreg_result *rw = fit(P, model, TFP_OLS_SE_HC1, TFP_OLS_CLUSTER_HC1);
    tfp_panelreg_result *rs = fit(P, model, TFP_OLS_SE_CLUSTER, TFP_OLS_CLUSTER_STATA);
    size_t j;
    char what[200];
    for (j = 0; j < rw->fit->p; j++) {
        const char *t = rw->name[j];
        snprintf(what, sizeof what, "%s %s %s white HC1 SE", tag, m, t);
        check(rw->fit->se[j], ref_get(ref, tag, m, t, "std_error_hc1"), PLM_RTOL, 3, what);
        snprintf(what, sizeof what, "%s %s %s sss cluster SE", tag, m, t);
        check(rs->fit->se[j], ref_get(ref, tag, m, t, "std_error_sss_cluster"), PLM_RTOL, 4, what);
    }
    snprintf(what, sizeof what, "%s %s log_lik", tag, m);
    check(rw->fit->log_lik, ref_get(ref, tag, m, ".", "log_lik"), 1e-12, 7, what);
    check(rw->fit->aic, ref_get(ref, tag, m, ".", "aic"), 1e-12, 7, what);
    check(rw->fit->bic, ref_get(ref, tag, m, ".", "bic"), 1e-12, 7, what);
    tfp_panelreg_result_free(rw);
    tfp_panelreg_result_free(rs);
}

/* ---- plm on Produc ------------------------------------------------------------------------- */

Test(panelreg, produc_balanced_matches_plm)
{
    panel_data P;
    ref_table *ref = ref_load("tests/fixtures/reference/plm_produc_balanced.csv");
    int m;
    load(&P, balanced_path, produc_formula, "state", "year");
    cr_assert_eq(P.d.n, 816);
    for (m = 0; m < 4; m++)
        check_plm(&P, ref, (tfp_panelreg_model)m, 1);
    log_maxrel("balanced");
    unload(&P);
}

/* tfp_panelreg_data.overwrite: the within model demeans a writable copy of the design in
 * place (X compacted to the n x k slopes); the fit equals the copying fit to the bit and
 * plm's, on the unbalanced panel with clustered SEs; the copy holds the transformed slopes. */
Test(panelreg, within_in_place_equals_the_copying_fit)
{
    panel_data P;
    ref_table *ref = ref_load("tests/fixtures/reference/plm_produc_unbalanced.csv");
    tfp_panelreg_result *a, *b;
    tfp_panelreg_opts o;
    tfp_panelreg_ws *w;
    tfp_panelreg_data d;
    tfp_error err;
    double *X, *y;
    size_t j, n, p;
    load(&P, unbalanced_path, produc_formula, "state", "year");
    n = P.d.n;
    p = P.d.p;
    a = fit(&P, TFP_PANELREG_WITHIN, TFP_OLS_SE_CLUSTER, TFP_OLS_CLUSTER_HC1);
    X = tfp_mallocn(n, p * sizeof(double));
    y = tfp_mallocn(n, sizeof(double));
    cr_assert(X != NULL && y != NULL);
    memcpy(X, P.d.X, n * p * sizeof(double));
    memcpy(y, P.d.y, n * sizeof(double));
    d = P.data;
    d.X = X;
    d.y = y;
    d.overwrite = 1;
    w = tfp_panelreg_ws_alloc(n, p, P.nunits, P.ntimes, NULL);
    b = tfp_panelreg_result_alloc(p, 0, P.nunits, NULL);
    cr_assert(w != NULL && b != NULL);
    tfp_panelreg_opts_init(&o);
    o.model = TFP_PANELREG_WITHIN;
    o.se_type = TFP_OLS_SE_CLUSTER;
    o.cluster_adj = TFP_OLS_CLUSTER_HC1;
    tfp_error_init(&err);
    cr_assert_eq(tfp_panelreg_fit(&d, &o, w, b, &err), TFP_OK, "%s", err.msg);
    cr_assert_eq(b->fit->p, 4);
    for (j = 0; j < 4; j++) {
        cr_assert_eq(memcmp(&a->fit->beta[j], &b->fit->beta[j], sizeof(double)), 0);
        cr_assert_eq(memcmp(&a->fit->se[j], &b->fit->se[j], sizeof(double)), 0);
        check(b->fit->beta[j], ref_get(ref, "within", b->name[j], "estimate", NULL), PLM_RTOL, 0,
              "in-place estimate");
        check(b->fit->se[j], ref_get(ref, "within", b->name[j], "std_error_hc1_cluster", NULL),
              PLM_RTOL, 2, "in-place cluster SE");
    }
    cr_assert_eq(memcmp(&a->fit->rss, &b->fit->rss, sizeof(double)), 0);
    cr_assert_eq(memcmp(&a->fit->r_squared, &b->fit->r_squared, sizeof(double)), 0);
    /* Row 0 of the copy now holds unit 0's demeaned slopes (columns 1..4 of the design). */
    {
        double m = 0.0;
        size_t i, cnt = 0;
        for (i = 0; i < n; i++)
            if (P.unit[i] == P.unit[0]) {
                m += P.d.X[i * p + 1];
                cnt++;
            }
        tfp_test_rel(X[0], P.d.X[1] - m / (double)cnt, 1e-12);
    }
    tfp_panelreg_result_free(a);
    tfp_panelreg_result_free(b);
    tfp_panelreg_ws_free(w);
    tfp_free(X);
    tfp_free(y);
    unload(&P);
}

/*
 * Unit ids with no rows (here every even id: unit u becomes 2u + 1 of 2N + 1) must not change
 * any fit: the compact ids are then built, where otherwise the data's own serve.
 */
Test(panelreg, unit_ids_without_rows_give_the_same_fits)
{
    static const tfp_panelreg_model models[] = {TFP_PANELREG_WITHIN, TFP_PANELREG_TWOWAYS,
                                                TFP_PANELREG_RANDOM};
    panel_data P;
    uint32_t *sparse;
    size_t i, j, m, n, N;
    load(&P, unbalanced_path, produc_formula, "state", "year");
    n = P.d.n;
    N = P.nunits;
    sparse = malloc(n * sizeof *sparse);
    cr_assert_not_null(sparse);
    for (i = 0; i < n; i++)
        sparse[i] = 2 * P.unit[i] + 1;
    for (m = 0; m < sizeof models / sizeof models[0]; m++) {
        tfp_panelreg_result *a = fit(&P, models[m], TFP_OLS_SE_CLUSTER, TFP_OLS_CLUSTER_HC1), *b;
        P.data.unit = sparse;
        P.data.nunits = P.nunits = 2 * N + 1;
        b = fit(&P, models[m], TFP_OLS_SE_CLUSTER, TFP_OLS_CLUSTER_HC1);
        P.data.unit = P.unit;
        P.data.nunits = P.nunits = N;
        cr_assert_eq(a->fit->p, b->fit->p);
        cr_assert_eq(a->nunits, b->nunits);
        for (j = 0; j < a->fit->p; j++) {
            cr_assert_eq(memcmp(&a->fit->beta[j], &b->fit->beta[j], sizeof(double)), 0,
                         "model %zu beta %zu", m, j);
            cr_assert_eq(memcmp(&a->fit->se[j], &b->fit->se[j], sizeof(double)), 0,
                         "model %zu se %zu", m, j);
        }
        cr_assert_eq(memcmp(&a->fit->rss, &b->fit->rss, sizeof(double)), 0, "model %zu", m);
        cr_assert_eq(memcmp(&a->fit->r_squared, &b->fit->r_squared, sizeof(double)), 0, "model %zu",
                     m);
        tfp_panelreg_result_free(a);
        tfp_panelreg_result_free(b);
    }
    free(sparse);
    unload(&P);
}

/* A deterministic generator for the large panel below (Knuth's MMIX LCG, top 53 bits). */
static double
lcg_uniform(uint64_t *s)
{
    *s = *s * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    return (double)(*s >> 11) * 0x1.0p-53;
}

/*
 * A panel of 240,000 rows (20,000 units x 12 years, sorted by unit) runs the unit means and
 * the demeaning in groups of whole units on the processors. The within slopes equal an
 * independent long-double computation (unit means, demeaned cross-products, a 3 x 3 solve)
 * to 1e-10, and the in-place fit of a design with an intercept column (whose groups then run
 * one after the other) equals the copying fit (whose groups run in parallel) to the bit.
 */
Test(panelreg, grouped_within_fit_of_a_large_sorted_panel)
{
    const size_t U = 20000, T = 12, n = U * T, p = 4, k = 3;
    double *X = malloc(n * p * sizeof *X), *y = malloc(n * sizeof *y);
    double *X2 = malloc(n * p * sizeof *X2), *y2 = malloc(n * sizeof *y2);
    uint32_t *unit = malloc(n * sizeof *unit);
    long double A[3][4], m[4];
    uint64_t seed = 42;
    size_t i, j, c, u, t;
    tfp_panelreg_data d;
    tfp_panelreg_opts o;
    tfp_panelreg_result *a, *b;
    tfp_panelreg_ws *w;
    tfp_error err;
    cr_assert(X != NULL && y != NULL && X2 != NULL && y2 != NULL && unit != NULL);
    for (u = 0; u < U; u++) {
        double effect = 2.0 * lcg_uniform(&seed);
        for (t = 0; t < T; t++) {
            double *x = X + (u * T + t) * p;
            i = u * T + t;
            unit[i] = (uint32_t)u;
            x[0] = 1.0;
            x[1] = 3.0 + effect + lcg_uniform(&seed);
            x[2] = 2.0 + 0.5 * effect + lcg_uniform(&seed);
            x[3] = (double)(2000 + t);
            y[i] = effect + 0.35 * x[1] + 0.6 * x[2] + 0.015 * x[3] + 0.1 * lcg_uniform(&seed);
        }
    }
    memcpy(X2, X, n * p * sizeof *X);
    memcpy(y2, y, n * sizeof *y);
    /* The reference: demeaned normal equations in long double. */
    memset(A, 0, sizeof A);
    for (u = 0; u < U; u++) {
        for (c = 0; c < 4; c++)
            m[c] = 0.0L;
        for (t = 0; t < T; t++) {
            i = u * T + t;
            for (c = 0; c < 3; c++)
                m[c] += X[i * p + 1 + c];
            m[3] += y[i];
        }
        for (c = 0; c < 4; c++)
            m[c] /= (long double)T;
        for (t = 0; t < T; t++) {
            long double v[4];
            i = u * T + t;
            for (c = 0; c < 3; c++)
                v[c] = X[i * p + 1 + c] - m[c];
            v[3] = y[i] - m[3];
            for (j = 0; j < 3; j++)
                for (c = 0; c < 4; c++)
                    A[j][c] += v[j] * v[c];
        }
    }
    for (j = 0; j < 3; j++) /* Gaussian elimination (the matrix is positive definite) */
        for (i = j + 1; i < 3; i++) {
            long double f = A[i][j] / A[j][j];
            for (c = j; c < 4; c++)
                A[i][c] -= f * A[j][c];
        }
    for (j = 3; j-- > 0;) {
        for (c = j + 1; c < 3; c++)
            A[j][3] -= A[j][c] * A[c][3];
        A[j][3] /= A[j][j];
    }
    memset(&d, 0, sizeof d);
    d.n = n;
    d.p = p;
    d.X = X;
    d.y = y;
    d.intercept = 1;
    d.unit = unit;
    d.nunits = U;
    tfp_panelreg_opts_init(&o);
    o.model = TFP_PANELREG_WITHIN;
    w = tfp_panelreg_ws_alloc(n, p, U, 0, NULL);
    a = tfp_panelreg_result_alloc(p, 0, U, NULL);
    b = tfp_panelreg_result_alloc(p, 0, U, NULL);
    cr_assert(w != NULL && a != NULL && b != NULL);
    tfp_error_init(&err);
    cr_assert_eq(tfp_panelreg_fit(&d, &o, w, a, &err), TFP_OK, "%s", err.msg);
    d.X = X2;
    d.y = y2;
    d.overwrite = 1;
    cr_assert_eq(tfp_panelreg_fit(&d, &o, w, b, &err), TFP_OK, "%s", err.msg);
    cr_assert_eq(a->fit->p, k);
    for (j = 0; j < k; j++) {
        check(a->fit->beta[j], (double)A[j][3], 1e-10, 0, "grouped within slope");
        cr_assert_eq(memcmp(&a->fit->beta[j], &b->fit->beta[j], sizeof(double)), 0);
        cr_assert_eq(memcmp(&a->fit->se[j], &b->fit->se[j], sizeof(double)), 0);
    }
    cr_assert_eq(memcmp(&a->fit->r_squared, &b->fit->r_squared, sizeof(double)), 0);
    tfp_panelreg_result_free(a);
    tfp_panelreg_result_free(b);
    tfp_panelreg_ws_free(w);
    free(X);
    free(y);
    free(X2);
    free(y2);
    free(unit);
}

/*
 * Random effects with a time trend on the balanced Produc panel: the trend's unit means are
 * all the same, so it is aliased with the intercept in the Swamy-Arora between regression
 * (which leaves it out, as plm does) while the model estimates it. Reference: R plm 2.6
 * (scripts/reference/plm_produc_trend.R).
 */
Test(panelreg, random_with_a_trend_on_a_balanced_panel_matches_plm)
{
    static const char *const terms[] = {"(Intercept)", "log(pcap)", "log(pc)",
                                        "log(emp)",    "unemp",     "year"};
    panel_data P;
    ref_table *ref = ref_load("tests/fixtures/reference/plm_produc_trend.csv");
    tfp_panelreg_result *res;
    size_t j;
    load(&P, balanced_path, "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp + year", "state",
         "year");
    P.data.time = NULL; /* the random model needs no time ids */
    res = fit(&P, TFP_PANELREG_RANDOM, TFP_OLS_SE_CLASSIC, TFP_OLS_CLUSTER_HC1);
    cr_assert_eq(res->fit->p, 6);
    for (j = 0; j < 6; j++) {
        cr_assert_str_eq(res->name[j], terms[j]);
        check(res->fit->beta[j], ref_get(ref, "random", terms[j], "estimate", NULL), PLM_RTOL, 0,
              "trend model estimate");
        check(res->fit->se[j], ref_get(ref, "random", terms[j], "std_error", NULL), PLM_RTOL, 1,
              "trend model SE");
    }
    check(res->sigma2_idios, ref_get(ref, "random", ".", "sigma2_idios", NULL), PLM_RTOL, 5,
          "trend model sigma2_idios");
    check(res->sigma2_indiv, ref_get(ref, "random", ".", "sigma2_indiv", NULL), PLM_RTOL, 5,
          "trend model sigma2_indiv");
    check(res->theta_min, ref_get(ref, "random", ".", "theta", NULL), PLM_RTOL, 6,
          "trend model theta");
    cr_assert_eq(res->theta_min, res->theta_max);
    tfp_panelreg_result_free(res);
    unload(&P);
}

Test(panelreg, produc_unbalanced_matches_plm)
{
    panel_data P;
    ref_table *ref = ref_load("tests/fixtures/reference/plm_produc_unbalanced.csv");
    int m;
    load(&P, unbalanced_path, produc_formula, "state", "year");
    cr_assert_eq(P.d.n, 735);
    for (m = 0; m < 4; m++)
        check_plm(&P, ref, (tfp_panelreg_model)m, 0);
    log_maxrel("unbalanced");
    unload(&P);
}

Test(panelreg, produc_white_hc1_stata_cluster_and_loglik_match_r)
{
    panel_data P, U;
    ref_table *ref = ref_load("tests/fixtures/reference/fit_produc_extra.csv");
    int m;
    load(&P, balanced_path, produc_formula, "state", "year");
    load(&U, unbalanced_path, produc_formula, "state", "year");
    for (m = 0; m < 4; m++) {
        check_extra(&P, ref, "balanced", (tfp_panelreg_model)m);
        check_extra(&U, ref, "unbalanced", (tfp_panelreg_model)m);
    }
    log_maxrel("extra");
    unload(&P);
    unload(&U);
}

/* plm's pooling model is R's lm; its White HC1 is sandwich::vcovHC(lm, type = "HC1"). */
Test(panelreg, pooling_hc1_matches_sandwich)
{
    panel_data P;
    ref_table *ref = ref_load("tests/fixtures/reference/plm_produc_balanced.csv");
    tfp_panelreg_result *res;
    size_t j;
    load(&P, balanced_path, produc_formula, "state", "year");
    res = fit(&P, TFP_PANELREG_POOLING, TFP_OLS_SE_HC1, TFP_OLS_CLUSTER_HC1);
    for (j = 0; j < 5; j++)
        check(res->fit->se[j], ref_get(ref, "pooling", res->name[j], "std_error_hc1", NULL),
              PLM_RTOL, 3, res->name[j]);
    tfp_panelreg_result_free(res);
    unload(&P);
}

/* ---- translog and CRS ----------------------------------------------------------------------- */

static void
check_translog(tfp_panelreg_model model, const char *refmodel)
{
    panel_data P, T;
    ref_table *ref = ref_load("tests/fixtures/reference/fit_produc_extra.csv");
    tfp_formula *tl = NULL;
    tfp_panelreg_result *res;
    tfp_panelreg_derived out[8];
    tfp_error err;
    size_t j, nout;
    char what[2048];
    load(&P, balanced_path, produc_formula, "state", "year");
    tfp_error_init(&err);
    cr_assert_eq(tfp_panelreg_translog_alloc(P.f, &tl, &err), TFP_OK, "%s", err.msg);
    cr_assert_str_eq(tfp_formula_text(tl),
                     "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp + I(log(pcap)^2) + "
                     "I(log(pc)^2) + I(log(emp)^2) + log(pcap):log(pc) + log(pcap):log(emp) + "
                     "log(pc):log(emp)");
    load(&T, balanced_path, tfp_formula_text(tl), "state", "year");
    tfp_formula_free(tl);
    res = fit(&T, model, TFP_OLS_SE_CLASSIC, TFP_OLS_CLUSTER_HC1);
    for (j = 0; j < res->fit->p; j++) {
        snprintf(what, sizeof what, "%s %s", refmodel, res->name[j]);
        check(res->fit->beta[j], ref_get(ref, "balanced", refmodel, res->name[j], "estimate"),
              PLM_RTOL, 0, what);
        check(res->fit->se[j], ref_get(ref, "balanced", refmodel, res->name[j], "std_error"),
              PLM_RTOL, 1, what);
    }
    cr_assert_eq(tfp_panelreg_translog_get(&T.data, res, out, 8, &nout, &err), TFP_OK, "%s",
                 err.msg);
    cr_assert_eq(nout, 4);
    cr_assert_str_eq(out[0].term, "elasticity(log(pcap))");
    cr_assert_str_eq(out[2].term, "elasticity(log(emp))");
    cr_assert_str_eq(out[3].term, "returns_to_scale");
    for (j = 0; j < nout; j++) {
        snprintf(what, sizeof what, "%s %s", refmodel, out[j].term);
        check(out[j].estimate, ref_get(ref, "balanced", refmodel, out[j].term, "estimate"),
              PLM_RTOL, 0, what);
        check(out[j].std_error, ref_get(ref, "balanced", refmodel, out[j].term, "std_error"),
              PLM_RTOL, 1, what);
    }
    cr_assert_eq(tfp_panelreg_translog_get(&T.data, res, out, 3, &nout, &err), TFP_EINVAL);
    log_maxrel(refmodel);
    tfp_panelreg_result_free(res);
    unload(&T);
    unload(&P);
}

Test(panelreg, translog_elasticities_match_r_lm_and_delta_method)
{
    check_translog(TFP_PANELREG_POOLING, "translog_pooling");
}

Test(panelreg, translog_within_elasticities_match_r_plm_and_delta_method)
{
    check_translog(TFP_PANELREG_WITHIN, "translog_within");
}

Test(panelreg, crs_matches_r_lm)
{
    panel_data C;
    ref_table *ref = ref_load("tests/fixtures/reference/fit_produc_extra.csv");
    tfp_formula *f = NULL, *crs = NULL;
    tfp_panelreg_crs names;
    tfp_panelreg_derived lab;
    tfp_panelreg_result *res;
    tfp_error err;
    size_t j;
    tfp_error_init(&err);
    cr_assert_eq(tfp_formula_parse("log(gsp) ~ log(pc) + log(emp) + unemp", &f, &err), TFP_OK);
    cr_assert_eq(tfp_panelreg_crs_alloc(f, "pc", "emp", &crs, &names, &err), TFP_OK, "%s", err.msg);
    cr_assert_str_eq(tfp_formula_text(crs), "log(gsp/emp) ~ log(pc/emp) + unemp");
    cr_assert_str_eq(names.ratio_term, "log(pc/emp)");
    cr_assert_str_eq(names.labour_term, "log(emp)");
    load(&C, balanced_path, tfp_formula_text(crs), "state", "year");
    res = fit(&C, TFP_PANELREG_POOLING, TFP_OLS_SE_CLASSIC, TFP_OLS_CLUSTER_HC1);
    for (j = 0; j < res->fit->p; j++) {
        check(res->fit->beta[j], ref_get(ref, "balanced", "crs", res->name[j], "estimate"),
              PLM_RTOL, 0, res->name[j]);
        check(res->fit->se[j], ref_get(ref, "balanced", "crs", res->name[j], "std_error"), PLM_RTOL,
              1, res->name[j]);
    }
    cr_assert_eq(tfp_panelreg_crs_get(res, &names, &lab, &err), TFP_OK);
    cr_assert_str_eq(lab.term, "elasticity(log(emp))");
    check(lab.estimate, ref_get(ref, "balanced", "crs", lab.term, "estimate"), PLM_RTOL, 0,
          lab.term);
    check(lab.std_error, ref_get(ref, "balanced", "crs", lab.term, "std_error"), PLM_RTOL, 1,
          lab.term);
    tfp_panelreg_result_free(res);
    unload(&C);
    tfp_formula_free(crs);
    tfp_formula_free(f);
}

/*
 * A constructed CRS example whose answer is known by hand: Y = A K^a L^(1-a) e^u with
 * a = 0.35, A = e^0.8, x_i = log(K_i/L_i) = 0.1 i (i = 1..6) and u = 0.01 (1, -2, 1, 1, -2, 1).
 * u is orthogonal to [1, x]: sum u = 0 and sum x u = 0.001 (1 - 4 + 3 + 4 - 10 + 6) = 0. So the
 * least-squares fit of log(Y/L) = log A + a x + u returns a = 0.35 and log A = 0.8 exactly,
 * the labour elasticity is 1 - a = 0.65, and SE(a) = sqrt(u'u / (n - 2) / Sxx) with
 * u'u = 1e-4 * 12 = 1.2e-3 and Sxx = sum (x - xbar)^2 = 0.01 * 17.5 = 0.175.
 */
Test(panelreg, crs_recovers_a_constructed_elasticity)
{
    static const double u[6] = {0.01, -0.02, 0.01, 0.01, -0.02, 0.01};
    char csv[1024];
    size_t len = 0, i;
    const char *path;
    panel_data P;
    tfp_formula *crs = NULL;
    tfp_panelreg_crs names;
    tfp_panelreg_derived lab;
    tfp_panelreg_result *res;
    tfp_error err;
    len += (size_t)snprintf(csv + len, sizeof csv - len, "firm,year,output,capital,labour\n");
    for (i = 1; i <= 6; i++) {
        double x = 0.1 * (double)i, L = 100.0 + 37.0 * (double)i, K = L * exp(x);
        double Y = L * exp(0.8 + 0.35 * x + u[i - 1]);
        len += (size_t)snprintf(csv + len, sizeof csv - len, "a,%zu,%.17g,%.17g,%.17g\n", 2000 + i,
                                Y, K, L);
    }
    path = tfp_test_tmpfile(0, csv, len);
    cr_assert_not_null(path);
    load(&P, path, "log(output) ~ log(capital) + log(labour)", "firm", "year");
    tfp_error_init(&err);
    cr_assert_eq(tfp_panelreg_crs_alloc(P.f, "capital", "labour", &crs, &names, &err), TFP_OK);
    unload(&P);
    load(&P, path, tfp_formula_text(crs), "firm", "year");
    res = fit(&P, TFP_PANELREG_POOLING, TFP_OLS_SE_CLASSIC, TFP_OLS_CLUSTER_HC1);
    cr_assert(fabs(res->fit->beta[0] - 0.8) < 1e-13, "%.17g", res->fit->beta[0]);
    cr_assert(fabs(res->fit->beta[1] - 0.35) < 1e-13, "%.17g", res->fit->beta[1]);
    tfp_test_rel(res->fit->se[1], sqrt(1.2e-3 / 4.0 / 0.175), 1e-12);
    cr_assert_eq(tfp_panelreg_crs_get(res, &names, &lab, &err), TFP_OK);
    cr_assert_str_eq(lab.term, "elasticity(log(labour))");
    cr_assert(fabs(lab.estimate - 0.65) < 1e-13, "%.17g", lab.estimate);
    tfp_test_rel(lab.std_error, res->fit->se[1], 1e-15);
    tfp_panelreg_result_free(res);
    tfp_formula_free(crs);
    unload(&P);
    remove(path);
}

Test(panelreg, crs_and_translog_formulas_are_checked)
{
    tfp_formula *f = NULL, *out = NULL;
    tfp_error err;
    tfp_error_init(&err);
    cr_assert_eq(tfp_formula_parse("y ~ log(k) + log(l) - 1", &f, &err), TFP_OK);
    cr_assert_eq(tfp_panelreg_crs_alloc(f, "k", "l", &out, NULL, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "response log(output)"), "%s", err.msg);
    tfp_formula_free(f);
    tfp_error_init(&err);
    cr_assert_eq(tfp_formula_parse("log(y + 1) ~ log(k) + log(l) + t - 1", &f, &err), TFP_OK);
    cr_assert_eq(tfp_panelreg_crs_alloc(f, "k", "l", &out, NULL, &err), TFP_OK, "%s", err.msg);
    cr_assert_str_eq(tfp_formula_text(out), "log((y + 1)/l) ~ log(k/l) + t - 1");
    tfp_formula_free(out);
    tfp_error_init(&err);
    cr_assert_eq(tfp_panelreg_crs_alloc(f, "k", "m", &out, NULL, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "log(m) (labour)"), "%s", err.msg);
    tfp_error_init(&err);
    cr_assert_eq(tfp_panelreg_crs_alloc(f, "q", "l", &out, NULL, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "log(q) (capital)"), "%s", err.msg);
    tfp_error_init(&err);
    cr_assert_eq(tfp_panelreg_translog_alloc(f, &out, &err), TFP_OK);
    cr_assert_str_eq(tfp_formula_text(out), "log(y + 1) ~ log(k) + log(l) + t + I(log(k)^2) + "
                                            "I(log(l)^2) + log(k):log(l) - 1");
    tfp_formula_free(out);
    tfp_formula_free(f);
    tfp_error_init(&err);
    cr_assert_eq(tfp_formula_parse("y ~ k + log(k * l)", &f, &err), TFP_OK);
    cr_assert_eq(tfp_panelreg_translog_alloc(f, &out, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "log inputs"), "%s", err.msg);
    tfp_formula_free(f);
    /* A backquoted name and a nested log. */
    tfp_error_init(&err);
    cr_assert_eq(tfp_formula_parse("log(`gdp x`) ~ log(`k (real)`) + log(log(l))", &f, &err),
                 TFP_OK, "%s", err.msg);
    cr_assert_eq(tfp_panelreg_translog_alloc(f, &out, &err), TFP_OK, "%s", err.msg);
    cr_assert_str_eq(tfp_formula_text(out),
                     "log(`gdp x`) ~ log(`k (real)`) + log(log(l)) + I(log(`k (real)`)^2)");
    tfp_formula_free(out);
    tfp_formula_free(f);
}

/* ---- error paths ----------------------------------------------------------------------------- */

/* Fits formula on the file with model (units idcol, times timecol); returns the code, the
 * message in err. */
static int
fit_code_ids(const char *path,
             const char *formula,
             const char *idcol,
             const char *timecol,
             tfp_panelreg_model model,
             tfp_error *err)
{
    panel_data P;
    tfp_panelreg_opts o;
    tfp_panelreg_ws *w;
    tfp_panelreg_result *res;
    int rc;
    load(&P, path, formula, idcol, timecol);
    w = tfp_panelreg_ws_alloc(P.d.n, P.d.p, P.nunits, P.ntimes, NULL);
    res = tfp_panelreg_result_alloc(P.d.p, P.d.n, P.nunits, NULL);
    tfp_panelreg_opts_init(&o);
    o.model = model;
    tfp_error_init(err);
    rc = tfp_panelreg_fit(&P.data, &o, w, res, err);
    tfp_panelreg_ws_free(w);
    tfp_panelreg_result_free(res);
    unload(&P);
    return rc;
}

/* As fit_code_ids on Produc (units state, times year). */
static int
fit_code(const char *path, const char *formula, tfp_panelreg_model model, tfp_error *err)
{
    return fit_code_ids(path, formula, "state", "year", model, err);
}

Test(panelreg, absorbed_terms_are_named)
{
    tfp_error err;
    /* region (a census region code) does not vary within a state. */
    cr_assert_eq(fit_code(balanced_path, "log(gsp) ~ log(pc) + region", TFP_PANELREG_WITHIN, &err),
                 TFP_ENUMERIC);
    cr_assert_str_eq(err.msg, "term \"region\" does not vary within units: the unit fixed "
                              "effects absorb it (aliased)");
    cr_assert_eq(
        fit_code(unbalanced_path, "log(gsp) ~ log(pc) + region", TFP_PANELREG_TWOWAYS, &err),
        TFP_ENUMERIC);
    cr_assert_not_null(strstr(err.msg, "\"region\" does not vary within units"), "%s", err.msg);
    /* A linear trend is absorbed by the time effects: balanced by the check, unbalanced by
     * the QR (the time columns come first). */
    cr_assert_eq(fit_code(balanced_path, "log(gsp) ~ log(pc) + year", TFP_PANELREG_TWOWAYS, &err),
                 TFP_ENUMERIC);
    cr_assert_str_eq(err.msg,
                     "term \"year\" is absorbed by the unit and time fixed effects (aliased)");
    cr_assert_eq(fit_code(unbalanced_path, "log(gsp) ~ log(pc) + year", TFP_PANELREG_TWOWAYS, &err),
                 TFP_ENUMERIC);
    cr_assert_not_null(strstr(err.msg, "\"year\""), "%s", err.msg);
    cr_assert_not_null(strstr(err.msg, "aliased"), "%s", err.msg);
    /* Rank deficiency in the pooled model names the aliased term. */
    cr_assert_eq(
        fit_code(balanced_path, "log(gsp) ~ log(pc) + I(2 * log(pc))", TFP_PANELREG_POOLING, &err),
        TFP_ENUMERIC);
    cr_assert_not_null(strstr(err.msg, "\"I(2 * log(pc))\""), "%s", err.msg);
    /* The random model keeps a time-invariant regressor (its within part leaves it out). */
    cr_assert_eq(fit_code(balanced_path, "log(gsp) ~ log(pc) + region", TFP_PANELREG_RANDOM, &err),
                 TFP_OK, "%s", err.msg);
    cr_assert_eq(fit_code(balanced_path, "log(gsp) ~ log(pc) - 1", TFP_PANELREG_RANDOM, &err),
                 TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "needs an intercept"), "%s", err.msg);
    cr_assert_eq(fit_code(balanced_path, "log(gsp) ~ 1", TFP_PANELREG_WITHIN, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "at least one slope"), "%s", err.msg);
}

Test(panelreg, arguments_are_validated)
{
    panel_data P;
    tfp_panelreg_opts o;
    tfp_panelreg_ws *w;
    tfp_panelreg_result *res;
    tfp_panelreg_data d;
    tfp_error err;
    load(&P, balanced_path, produc_formula, "state", "year");
    w = tfp_panelreg_ws_alloc(P.d.n, P.d.p, P.nunits, P.ntimes, NULL);
    res = tfp_panelreg_result_alloc(P.d.p, P.d.n, P.nunits, NULL);
    tfp_panelreg_opts_init(&o);
    o.model = TFP_PANELREG_WITHIN;
    d = P.data;
    d.unit = NULL;
    tfp_error_init(&err);
    cr_assert_eq(tfp_panelreg_fit(&d, &o, w, res, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "unit ids"), "%s", err.msg);
    o.model = TFP_PANELREG_TWOWAYS;
    d = P.data;
    d.time = NULL;
    tfp_error_init(&err);
    cr_assert_eq(tfp_panelreg_fit(&d, &o, w, res, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "time ids"), "%s", err.msg);
    d = P.data;
    d.nunits = 3;
    tfp_error_init(&err);
    cr_assert_eq(tfp_panelreg_fit(&d, &o, w, res, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "is not below 3"), "%s", err.msg);
    d = P.data;
    d.p = P.d.p + 1;
    tfp_error_init(&err);
    cr_assert_eq(tfp_panelreg_fit(&d, &o, w, res, &err), TFP_EINVAL);
    o.model = (tfp_panelreg_model)9;
    tfp_error_init(&err);
    cr_assert_eq(tfp_panelreg_fit(&P.data, &o, w, res, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "unknown model 9"), "%s", err.msg);
    /* Pooled OLS with clustered SEs needs the unit ids; without them it needs none. */
    o.model = TFP_PANELREG_POOLING;
    o.se_type = TFP_OLS_SE_CLUSTER;
    d = P.data;
    d.unit = NULL;
    d.time = NULL;
    tfp_error_init(&err);
    cr_assert_eq(tfp_panelreg_fit(&d, &o, w, res, &err), TFP_EINVAL);
    o.se_type = TFP_OLS_SE_CLASSIC;
    tfp_error_init(&err);
    cr_assert_eq(tfp_panelreg_fit(&d, NULL, w, res, &err), TFP_OK, "%s", err.msg);
    tfp_error_init(&err);
    cr_assert_null(tfp_panelreg_ws_alloc(3, 4, 1, 1, &err));
    cr_assert_eq(err.code, TFP_EINVAL);
    tfp_error_init(&err);
    cr_assert_null(tfp_panelreg_result_alloc(0, 3, 1, &err));
    cr_assert_eq(err.code, TFP_EINVAL);
    tfp_panelreg_ws_free(w);
    tfp_panelreg_result_free(res);
    unload(&P);
}

/* The random model's between regression needs more units than coefficients. */
Test(panelreg, random_needs_more_units_than_coefficients)
{
    static const char csv[] = "id,t,y,x\n"
                              "a,1,1.5,0.3\na,2,1.9,0.7\na,3,2.6,1.2\n"
                              "b,1,2.2,0.4\nb,2,2.0,0.9\nb,3,3.1,1.7\n";
    const char *path = tfp_test_tmpfile(1, csv, sizeof csv - 1);
    panel_data P;
    tfp_panelreg_opts o;
    tfp_panelreg_ws *w;
    tfp_panelreg_result *res;
    tfp_error err;
    load(&P, path, "y ~ x", "id", "t");
    w = tfp_panelreg_ws_alloc(P.d.n, P.d.p, P.nunits, P.ntimes, NULL);
    res = tfp_panelreg_result_alloc(P.d.p, P.d.n, P.nunits, NULL);
    tfp_panelreg_opts_init(&o);
    o.model = TFP_PANELREG_RANDOM;
    tfp_error_init(&err);
    cr_assert_eq(tfp_panelreg_fit(&P.data, &o, w, res, &err), TFP_ENUMERIC);
    cr_assert_not_null(strstr(err.msg, "more units (N = 2)"), "%s", err.msg);
    tfp_panelreg_ws_free(w);
    tfp_panelreg_result_free(res);
    unload(&P);
    remove(path);
}

/* ---- allocation failures -----------------------------------------------------------------------
 */

Test(panelreg, allocation_failures_are_reported_without_leaks)
{
    size_t k;
    for (k = 1; k < 200; k++) {
        tfp_panelreg_ws *w;
        tfp_panelreg_result *res;
        tfp_error e1, e2;
        tfp_error_init(&e1);
        tfp_error_init(&e2);
        tfp_alloc_fail_at(k, 1);
        w = tfp_panelreg_ws_alloc(100, 5, 10, 10, &e1);
        res = tfp_panelreg_result_alloc(5, 100, 10, &e2);
        tfp_alloc_fail_at(0, 0);
        if (w != NULL && res != NULL) {
            tfp_panelreg_ws_free(w);
            tfp_panelreg_result_free(res);
            cr_assert_gt(k, 10);
#if defined(__SANITIZE_ADDRESS__)
            cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked (report above)");
#endif
            return;
        }
        cr_assert(w == NULL ? e1.code == TFP_ENOMEM : e2.code == TFP_ENOMEM);
        tfp_panelreg_ws_free(w);
        tfp_panelreg_result_free(res);
    }
    cr_assert_fail("allocation never succeeded");
}

/* Units a, b observed in times 1-2 and c, d, e in times 3-4: the time effects of the two
 * groups cannot be told apart from the unit effects. */
Test(panelreg, disconnected_twoways_panel_is_rejected)
{
    static const char csv[] = "u,t,y,x\na,1,1.5,0.3\na,2,1.9,0.7\nb,1,2.6,1.2\nb,2,2.2,0.4\n"
                              "c,3,1.1,0.9\nc,4,1.7,0.2\nd,3,2.1,0.5\nd,4,2.8,1.1\ne,3,2.0,0.8\n";
    const char *path = tfp_test_tmpfile(2, csv, sizeof csv - 1);
    tfp_error err;
    cr_assert_eq(fit_code_ids(path, "y ~ x", "u", "t", TFP_PANELREG_TWOWAYS, &err), TFP_ENUMERIC);
    cr_assert_not_null(strstr(err.msg, "the time effects are not identified"), "%s", err.msg);
    remove(path);
}

/* The formula helpers under allocation failures: TFP_ENOMEM and no leak, until they succeed. */
Test(panelreg, formula_helpers_fail_cleanly_without_memory)
{
    tfp_formula *f = NULL;
    tfp_error err;
    size_t k;
    int h;
    tfp_error_init(&err);
    cr_assert_eq(tfp_formula_parse("log(y) ~ log(k) + log(l) + t", &f, &err), TFP_OK);
    for (h = 0; h < 2; h++) {
        for (k = 1; k < 1000; k++) {
            tfp_formula *out = NULL;
            int rc;
            tfp_error_init(&err);
            tfp_alloc_fail_at(k, 1);
            rc = h == 0 ? tfp_panelreg_crs_alloc(f, "k", "l", &out, NULL, &err)
                        : tfp_panelreg_translog_alloc(f, &out, &err);
            tfp_alloc_fail_at(0, 0);
            if (rc == TFP_OK) {
                cr_assert_not_null(out);
                tfp_formula_free(out);
                break;
            }
            cr_assert_eq(rc, TFP_ENOMEM, "allocation %zu: %d %s", k, rc, err.msg);
            cr_assert_null(out);
        }
        cr_assert_lt(k, 1000);
    }
    tfp_formula_free(f);
#if defined(__SANITIZE_ADDRESS__)
    cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked (report above)");
#endif
}
