/*
 * Linear panel regressions (models layer): pooled OLS, unit fixed effects (within), unit and
 * time fixed effects (twoways; exact for unbalanced panels), Swamy-Arora random effects (the
 * Baltagi-Chang form for unbalanced panels); CRS and translog production-function helpers.
 * References: Baltagi, Econometric Analysis of Panel Data, 6th ed., 2.2-2.3, 3.2-3.3, 9.2-9.3;
 * Baltagi & Chang, J. Econometrics 62 (1994); Croissant & Millo (2019) and R plm 2.6 (ercomp,
 * vcovG); Frisch & Waugh (1933), Lovell (1963). See include/tfp/panelreg.h.
 */
#include "tfp/panelreg.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_math.h>

#include "models_int.h"
#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/parallel.h"
#include "tfp/strbuf.h"

/*
 * Design.
 *
 * Every model is a transformation of (X, y) followed by one call of tfp_ols_fit, so the
 * coefficients and covariances inherit its accuracy (Householder QR, refined to the
 * least-squares solution of the transformed double data). The transformations subtract means
 * accumulated in double-double and round once, so a demeaned value is the correctly rounded
 * difference of the value and its exact group mean (to about 2^-100 relative).
 *
 * A column that the effects absorb (a time-invariant regressor under unit effects, a common
 * trend under time effects) leaves only rounding noise after demeaning, and noise is not
 * rank-deficient to a QR. So every slope is checked before the fit: it is absorbed when the
 * norm of its transformed column is at most rank_tol times that of the original column (the
 * same criterion the QR applies to the part of a column outside the earlier columns).
 *
 * Unbalanced two-way panels: the exact within estimator is the regression on unit and time
 * dummies. Demeaning by unit absorbs the unit dummies exactly; the T - 1 time dummies (all
 * times but the first), demeaned by unit, are then fitted as explicit leading columns. By
 * Frisch-Waugh-Lovell the slopes equal the dummy-variable regression's, the slope block of
 * (W'W)^-1 is (X~'X~)^-1 for X~ the exact two-way within transformation, and the slope block
 * of a sandwich (A W' Omega W A) is (X~'X~)^-1 X~' Omega X~ (X~'X~)^-1, since the rows of A W'
 * for the slopes are (X~'X~)^-1 X~'. So the HC1 and clustered covariances equal plm's once
 * their factor counts only the slopes (tfp_ols_opts.nuisance_cols). The memory is n (T + p)
 * doubles, which suits provincial and firm panels with years as the time index.
 *
 * All fits go through the workspace's auxiliary result (room for the time columns); the
 * reported block is then copied to res->fit.
 */

/* Characters of a time label in the names of the time columns ("time 1975"). */
#define TNAME_SIZE 48

struct tfp_panelreg_ws {
    size_t nmax, pmax, nunits, ntimes, cmax;
    tfp_ols_ws *ols;
    tfp_ols_result *aux; /* cmax coefficients; nmax residuals once the random model needs them */
    double *Xt;          /* nmax x xt_cols: the transformed design, allocated by the first
                          * model that needs it (need_xt), then kept */
    size_t xt_cols;
    double *yt;         /* nmax: the transformed response (with Xt) */
    uint32_t *ucode;    /* nmax: compact unit ids (units with rows, in id order), filled
                         * only when some unit id has no rows */
    const uint32_t *uc; /* the compact unit ids: ucode, or the data's own when they are */
    tfp_dd ysum, yss;   /* sum and sum of squares of the unit-demeaned y (demean_units) */
    size_t G;           /* row groups of whole units (1, or TFP_PANEL_GROUPS: prepare_ids) */
    size_t gstart[TFP_PANEL_GROUPS + 1]; /* first row of each group; gstart[G] = n */
    double *gss; /* TFP_PANEL_GROUPS x pmax: per group, the columns' sums of squares */
    tfp_dd gys[TFP_PANEL_GROUPS][2]; /* per group: sum and sum of squares of the new y */
    double *xnorm;                   /* pmax: norms of the data's slope columns (check_absorbed) */
    double *tnorm;                   /* pmax: norms of the transformed slope columns */
    size_t *ucnt;                    /* nunits: rows of each unit id */
    uint32_t *umap;                  /* nunits: compact id of each unit id */
    size_t *Tc;                      /* nunits: rows of each compact unit */
    size_t *cnt;                     /* nunits: scratch counts */
    size_t *tcnt;                    /* ntimes: rows of each time id */
    long *tcol;                      /* ntimes: time-dummy column of each time id, -1 for none */
    tfp_dd *umean;                   /* nunits x (pmax + 1): unit means by compact id, y last */
    tfp_dd *tmean;                   /* ntimes x (pmax + 1): time means by time id, y last */
    double *rowbuf;                  /* TFP_PANEL_GROUPS x pmax: one transformed row per group */
    tfp_dd *gmean;                   /* pmax + 1: grand means, y last */
    double *Zb;                      /* nunits x pmax: the weighted between design */
    double *yb;                      /* nunits: the weighted between response */
    double *thc;                     /* nunits: theta by compact unit */
    size_t *cols;                    /* pmax: the data columns fitted */
    const char **names;              /* cmax: names of the fitted columns */
    char *tname;                     /* ntimes x TNAME_SIZE: "time <label>" */
};

void
tfp_panelreg_opts_init(tfp_panelreg_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->model = TFP_PANELREG_POOLING;
    opts->se_type = TFP_OLS_SE_CLASSIC;
    opts->cluster_adj = TFP_OLS_CLUSTER_HC1;
    opts->rank_tol = TFP_OLS_RANK_TOL;
}

void
tfp_panelreg_data_set(tfp_panelreg_data *data, const tfp_design *d)
{
    memset(data, 0, sizeof *data);
    data->n = d->n;
    data->p = d->p;
    data->X = d->X;
    data->y = d->y;
    data->intercept = d->intercept;
    data->names = d->name;
}

/* ---- allocation ---------------------------------------------------------------------------- */

tfp_panelreg_ws *
tfp_panelreg_ws_alloc(size_t nmax, size_t pmax, size_t nunits, size_t ntimes, tfp_error *err)
{
    tfp_panelreg_ws *w;
    size_t nu = nunits > 0 ? nunits : 1, nt = ntimes > 0 ? ntimes : 1, cmax;
    if (nmax == 0 || pmax == 0 || pmax > nmax) {
        tfp_fail(err, TFP_EINVAL, "panel workspace needs 1 <= pmax <= nmax (got %zu, %zu)", nmax,
                 pmax);
        return NULL;
    }
    if (ntimes > SIZE_MAX / 4 - pmax || nunits > SIZE_MAX / 4 / (pmax + 1) ||
        ntimes > SIZE_MAX / 4 / (pmax + 1))
        goto toolarge;
    cmax = pmax + ntimes;
    if (cmax > nmax)
        cmax = nmax;
    w = tfp_calloc(1, sizeof *w);
    if (w == NULL)
        goto nomem;
    w->nmax = nmax;
    w->pmax = pmax;
    w->nunits = nunits;
    w->ntimes = ntimes;
    w->cmax = cmax;
    w->ols = tfp_ols_ws_alloc(nmax, cmax, err);
    if (w->ols == NULL) {
        tfp_panelreg_ws_free(w);
        return NULL;
    }
    w->aux = tfp_ols_result_alloc(cmax, 0, err);
    if (w->aux == NULL) {
        tfp_panelreg_ws_free(w);
        return NULL;
    }
    w->ucode = tfp_mallocn(nmax, sizeof(uint32_t));
    w->xnorm = tfp_mallocn(pmax, 2 * sizeof(double));
    w->ucnt = tfp_mallocn(nu, 3 * sizeof(size_t));
    w->umap = tfp_mallocn(nu, sizeof(uint32_t));
    w->tcnt = tfp_mallocn(nt, sizeof(size_t));
    w->tcol = tfp_mallocn(nt, sizeof(long));
    w->umean = tfp_mallocn(nu, (pmax + 1) * sizeof(tfp_dd));
    w->tmean = tfp_mallocn(nt, (pmax + 1) * sizeof(tfp_dd));
    w->gmean = tfp_mallocn(pmax + 1, sizeof(tfp_dd));
    w->rowbuf = tfp_mallocn(TFP_PANEL_GROUPS * pmax, sizeof(double));
    w->gss = tfp_mallocn(TFP_PANEL_GROUPS * pmax, sizeof(double));
    w->Zb = tfp_mallocn(nu, (pmax + 2) * sizeof(double));
    w->cols = tfp_mallocn(pmax, sizeof(size_t));
    w->names = tfp_mallocn(cmax, sizeof(const char *));
    w->tname = tfp_mallocn(nt, TNAME_SIZE);
    if (w->ucode == NULL || w->xnorm == NULL || w->ucnt == NULL || w->umap == NULL ||
        w->tcnt == NULL || w->tcol == NULL || w->umean == NULL || w->tmean == NULL ||
        w->gmean == NULL || w->rowbuf == NULL || w->gss == NULL || w->Zb == NULL ||
        w->cols == NULL || w->names == NULL || w->tname == NULL)
        goto nomem;
    w->tnorm = w->xnorm + pmax;
    w->Tc = w->ucnt + nu;
    w->cnt = w->Tc + nu;
    w->yb = w->Zb + nu * pmax;
    w->thc = w->yb + nu;
    return w;
nomem:
    tfp_panelreg_ws_free(w);
    tfp_fail(err, TFP_ENOMEM, "out of memory for a panel workspace of %zu x %zu", nmax, pmax);
    return NULL;
toolarge:
    tfp_fail(err, TFP_EINVAL, "panel workspace: %zu units, %zu times are too many", nunits, ntimes);
    return NULL;
}

void
tfp_panelreg_ws_free(tfp_panelreg_ws *w)
{
    if (w == NULL)
        return;
    tfp_ols_ws_free(w->ols);
    tfp_ols_result_free(w->aux);
    tfp_free(w->Xt);
    tfp_free(w->yt);
    tfp_free(w->ucode);
    tfp_free(w->xnorm);
    tfp_free(w->ucnt);
    tfp_free(w->umap);
    tfp_free(w->tcnt);
    tfp_free(w->tcol);
    tfp_free(w->umean);
    tfp_free(w->tmean);
    tfp_free(w->gmean);
    tfp_free(w->rowbuf);
    tfp_free(w->gss);
    tfp_free(w->Zb);
    tfp_free(w->cols);
    tfp_free(w->names);
    tfp_free(w->tname);
    tfp_free(w);
}

tfp_panelreg_result *
tfp_panelreg_result_alloc(size_t pmax, size_t nmax, size_t nunits, tfp_error *err)
{
    tfp_panelreg_result *res;
    size_t nu = nunits > 0 ? nunits : 1;
    if (pmax == 0) {
        tfp_fail(err, TFP_EINVAL, "panel result: pmax = 0");
        return NULL;
    }
    res = tfp_calloc(1, sizeof *res);
    if (res == NULL)
        goto nomem;
    res->fit = tfp_ols_result_alloc(pmax, nmax, err);
    if (res->fit == NULL) {
        tfp_panelreg_result_free(res);
        return NULL;
    }
    res->col = tfp_mallocn(pmax, sizeof(size_t));
    res->name = tfp_mallocn(pmax, sizeof(const char *));
    res->theta = tfp_mallocn(nu, sizeof(double));
    if (res->col == NULL || res->name == NULL || res->theta == NULL)
        goto nomem;
    res->nunits_cap = nunits;
    return res;
nomem:
    tfp_panelreg_result_free(res);
    tfp_fail(err, TFP_ENOMEM, "out of memory for a panel result");
    return NULL;
}

void
tfp_panelreg_result_free(tfp_panelreg_result *res)
{
    if (res == NULL)
        return;
    tfp_ols_result_free(res->fit);
    tfp_free(res->col);
    tfp_free(res->name);
    tfp_free(res->theta);
    tfp_free(res);
}

/* ---- double-double helpers ------------------------------------------------------------------- */

/* sum / m as a double-double (the remainder of the division recovered by fma). */
static tfp_dd
dd_div(tfp_dd sum, double m)
{
    tfp_dd q;
    double e;
    q.hi = sum.hi / m;
    e = fma(-q.hi, m, sum.hi) + sum.lo;
    q.lo = e / m;
    return q;
}

/* x - a, rounded once. */
static double
sub_dd(double x, tfp_dd a)
{
    tfp_dd acc = {x, 0.0};
    tfp_dd_add(&acc, -a.hi);
    tfp_dd_add(&acc, -a.lo);
    return acc.hi + acc.lo;
}

/* x - a - b + c, rounded once. */
static double
sub2_dd(double x, tfp_dd a, tfp_dd b, tfp_dd c)
{
    tfp_dd acc = {x, 0.0};
    tfp_dd_add(&acc, -a.hi);
    tfp_dd_add(&acc, -b.hi);
    tfp_dd_add(&acc, c.hi);
    tfp_dd_add(&acc, -a.lo);
    tfp_dd_add(&acc, -b.lo);
    tfp_dd_add(&acc, c.lo);
    return acc.hi + acc.lo;
}

/* x - t a, rounded once. */
static double
sub_scaled_dd(double x, double t, tfp_dd a)
{
    tfp_dd acc = {x, 0.0};
    tfp_dd_add_prod(&acc, -t, a.hi);
    tfp_dd_add_prod(&acc, -t, a.lo);
    return acc.hi + acc.lo;
}

/* The norm of column j of the n x ld row-major A, scaled against overflow. */
static double
col_norm(const double *A, size_t n, size_t ld, size_t j)
{
    double m = 0.0, s = 0.0;
    size_t i;
    for (i = 0; i < n; i++)
        m = fmax(m, fabs(A[i * ld + j]));
    if (m == 0.0)
        return 0.0;
    for (i = 0; i < n; i++) {
        double t = A[i * ld + j] / m;
        s += t * t;
    }
    return m * sqrt(s);
}

/* The norms of k columns of the n x ld row-major A (column cols[j] + off, or j + off when
 * cols is NULL) from their plain sums of squares in out (summed in row order): the square
 * root where a sum lies in [NORM_SSQ_LO, NORM_SSQ_HI] (no square overflowed; those that
 * underflowed weigh less than u^2 of the sum), else col_norm's scaled two passes. */
#define NORM_SSQ_LO (DBL_MIN / (DBL_EPSILON * DBL_EPSILON))
#define NORM_SSQ_HI (DBL_MAX * DBL_EPSILON)
static void
norms_finish(const double *A,
             size_t n,
             size_t ld,
             const size_t *cols,
             size_t off,
             size_t k,
             double *out)
{
    size_t j;
    for (j = 0; j < k; j++) {
        size_t c = (cols != NULL ? cols[j] : j) + off;
        if (out[j] >= NORM_SSQ_LO && out[j] <= NORM_SSQ_HI)
            out[j] = sqrt(out[j]);
        else
            out[j] = col_norm(A, n, ld, c);
    }
}

/* The norms of those k columns into out, in one pass over the rows (norms_finish). */
static void
col_norms(const double *A,
          size_t n,
          size_t ld,
          const size_t *cols,
          size_t off,
          size_t k,
          double *out)
{
    size_t i, j;
    for (j = 0; j < k; j++)
        out[j] = 0.0;
    for (i = 0; i < n; i++) {
        const double *a = A + i * ld + off;
        for (j = 0; j < k; j++) {
            double x = a[cols != NULL ? cols[j] : j];
            out[j] += x * x;
        }
    }
    norms_finish(A, n, ld, cols, off, k, out);
}

/* The sum of squares of v about its mean, in double-double. */
static double
centred_ss(const double *v, size_t n)
{
    tfp_dd s = {0.0, 0.0}, ss = {0.0, 0.0}, m;
    size_t i;
    for (i = 0; i < n; i++)
        tfp_dd_add(&s, v[i]);
    m = dd_div(s, (double)n);
    for (i = 0; i < n; i++) {
        double d = sub_dd(v[i], m);
        tfp_dd_add_prod(&ss, d, d);
    }
    return ss.hi + ss.lo;
}

/* The squared correlation of y and y - r (the fitted values). */
static double
squared_correlation(const double *y, const double *r, size_t n)
{
    tfp_dd sy = {0.0, 0.0}, sf = {0.0, 0.0}, syy = {0.0, 0.0}, sff = {0.0, 0.0}, syf = {0.0, 0.0};
    tfp_dd my, mf;
    double a, b, c;
    size_t i;
    for (i = 0; i < n; i++) {
        tfp_dd_add(&sy, y[i]);
        tfp_dd_add(&sf, y[i]);
        tfp_dd_add(&sf, -r[i]);
    }
    my = dd_div(sy, (double)n);
    mf = dd_div(sf, (double)n);
    for (i = 0; i < n; i++) {
        double dy = sub_dd(y[i], my);
        tfp_dd fi = {y[i], 0.0};
        double df;
        tfp_dd_add(&fi, -r[i]);
        tfp_dd_add(&fi, -mf.hi);
        tfp_dd_add(&fi, -mf.lo);
        df = fi.hi + fi.lo;
        tfp_dd_add_prod(&syy, dy, dy);
        tfp_dd_add_prod(&sff, df, df);
        tfp_dd_add_prod(&syf, dy, df);
    }
    a = syf.hi + syf.lo;
    b = syy.hi + syy.lo;
    c = sff.hi + sff.lo;
    return b > 0.0 && c > 0.0 ? (a / b) * (a / c) : TFP_NAN;
}

/* ---- preparation ------------------------------------------------------------------------------
 */

static int
check_args(const tfp_panelreg_data *d,
           const tfp_panelreg_opts *o,
           const tfp_panelreg_ws *w,
           const tfp_panelreg_result *res,
           tfp_error *err)
{
    size_t i;
    int need_unit, need_time;
    if (d == NULL || w == NULL || res == NULL || d->X == NULL || d->y == NULL)
        return tfp_fail(err, TFP_EINVAL, "panel fit: NULL argument");
    if (o->model != TFP_PANELREG_POOLING && o->model != TFP_PANELREG_WITHIN &&
        o->model != TFP_PANELREG_TWOWAYS && o->model != TFP_PANELREG_RANDOM)
        return tfp_fail(err, TFP_EINVAL, "panel fit: unknown model %d", (int)o->model);
    if (d->p == 0)
        return tfp_fail(err, TFP_EINVAL, "panel fit: the design has no columns");
    if (d->n > w->nmax || d->p > w->pmax || d->nunits > w->nunits || d->ntimes > w->ntimes)
        return tfp_fail(err, TFP_EINVAL,
                        "panel fit: data (%zu x %zu, %zu units, %zu times) exceed the workspace",
                        d->n, d->p, d->nunits, d->ntimes);
    if (d->p > res->fit->pmax || (d->n > res->fit->nmax && res->fit->nmax > 0) ||
        d->nunits > res->nunits_cap)
        return tfp_fail(err, TFP_EINVAL, "panel fit: data exceed the result");
    need_unit = o->model != TFP_PANELREG_POOLING || o->se_type == TFP_OLS_SE_CLUSTER;
    need_time = o->model == TFP_PANELREG_TWOWAYS;
    if (need_unit && (d->unit == NULL || d->nunits == 0))
        return tfp_fail(err, TFP_EINVAL, "panel fit: the model needs unit ids");
    if (need_time && (d->time == NULL || d->ntimes == 0))
        return tfp_fail(err, TFP_EINVAL, "panel fit: the two-way model needs time ids");
    if (o->model == TFP_PANELREG_RANDOM && !d->intercept)
        return tfp_fail(err, TFP_EINVAL, "the random-effects model needs an intercept");
    for (i = 0; i < d->n; i++) {
        if (d->unit != NULL && d->unit[i] >= d->nunits)
            return tfp_fail(err, TFP_EINVAL, "panel fit: unit id %lu at row %zu is not below %zu",
                            (unsigned long)d->unit[i], i + 1, d->nunits);
        if (d->time != NULL && d->time[i] >= d->ntimes)
            return tfp_fail(err, TFP_EINVAL, "panel fit: time id %lu at row %zu is not below %zu",
                            (unsigned long)d->time[i], i + 1, d->ntimes);
    }
    return TFP_OK;
}

static int
cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The transformed design with room for cols columns, and the transformed response. */
static int
need_xt(tfp_panelreg_ws *w, size_t cols, tfp_error *err)
{
    if (cols == 0)
        cols = 1;
    if (w->Xt != NULL && w->xt_cols >= cols)
        return TFP_OK;
    tfp_free(w->Xt);
    w->xt_cols = 0;
    w->Xt = tfp_mallocn(w->nmax, cols * sizeof(double));
    if (w->yt == NULL)
        w->yt = tfp_mallocn(w->nmax, sizeof(double));
    if (w->Xt == NULL || w->yt == NULL)
        return tfp_fail(err, TFP_ENOMEM, "out of memory for a transformed design of %zu x %zu",
                        w->nmax, cols);
    w->xt_cols = cols;
    return TFP_OK;
}

/* The auxiliary result with room for nmax residuals (the random model's R^2 needs them). */
static int
need_aux_residuals(tfp_panelreg_ws *w, tfp_error *err)
{
    tfp_ols_result *a;
    if (w->aux->residuals != NULL)
        return TFP_OK;
    a = tfp_ols_result_alloc(w->cmax, w->nmax, err);
    if (a == NULL)
        return err != NULL ? err->code : TFP_ENOMEM;
    tfp_ols_result_free(w->aux);
    w->aux = a;
    return TFP_OK;
}

/*
 * The row groups of the unit means and the demeaning: TFP_PANEL_GROUPS groups of whole units
 * when every unit's rows are consecutive (one run of equal ids per unit, as in a panel sorted
 * by unit) and there are at least TFP_PANEL_PARALLEL_MIN_ROWS rows, else one group. Group g
 * starts at the first unit boundary at or after g n / G, so each unit's sums are made by one
 * group in row order, as in one pass; a group may be empty.
 */
static void
unit_groups(size_t n, size_t N, tfp_panelreg_ws *w)
{
    size_t i, g, runs = n > 0;
    w->G = 1;
    w->gstart[0] = 0;
    w->gstart[1] = n;
    if (n < TFP_PANEL_PARALLEL_MIN_ROWS)
        return;
    for (i = 1; i < n; i++)
        runs += w->uc[i] != w->uc[i - 1];
    if (runs != N)
        return;
    w->G = TFP_PANEL_GROUPS;
    for (g = 1, i = 0; g < w->G; g++) {
        if (i < g * (n / w->G))
            i = g * (n / w->G);
        while (i > 0 && i < n && w->uc[i] == w->uc[i - 1])
            i++;
        w->gstart[g] = i;
    }
    w->gstart[w->G] = n;
}

/* Runs fn(arg, g) for every group g of w on the online processors (tfp_run_groups); with
 * serial, all in the calling thread, in order (the same results: a group's work is its own). */
static void
run_groups(const tfp_panelreg_ws *w, int serial, void (*fn)(void *arg, size_t g), void *arg)
{
    tfp_run_groups(w->G, serial ? 1 : tfp_online_cpus(w->G), fn, arg);
}

/* The groups' sums of squares of k columns (w->gss), added in group order, into out. */
static void
group_ss(const tfp_panelreg_ws *w, size_t k, double *out)
{
    size_t g, j;
    for (j = 0; j < k; j++) {
        out[j] = 0.0;
        for (g = 0; g < w->G; g++)
            out[j] += w->gss[g * w->pmax + j];
    }
}

/* Unit and time counts, compact unit ids, the balance check (with a sorted copy of the
 * unit-time keys, allocated for the check). N into *nunits. */
static int
prepare_ids(const tfp_panelreg_data *d,
            tfp_panelreg_ws *w,
            tfp_panelreg_result *res,
            size_t *nunits,
            tfp_error *err)
{
    size_t i, u, t, N = 0, T = 0;
    res->nunits = res->ntimes = 0;
    res->balanced = 0;
    *nunits = 0;
    w->uc = NULL;
    w->G = 1;
    w->gstart[0] = 0;
    w->gstart[1] = d->n;
    if (d->unit == NULL)
        return TFP_OK;
    for (u = 0; u < d->nunits; u++)
        w->ucnt[u] = 0;
    for (i = 0; i < d->n; i++)
        w->ucnt[d->unit[i]]++;
    for (u = 0; u < d->nunits; u++) {
        w->umap[u] = UINT32_MAX;
        if (w->ucnt[u] > 0) {
            w->Tc[N] = w->ucnt[u];
            w->umap[u] = (uint32_t)N++;
        }
    }
    /* With every unit id present the compact ids are the data's own. */
    w->uc = d->unit;
    if (N < d->nunits) {
        for (i = 0; i < d->n; i++)
            w->ucode[i] = w->umap[d->unit[i]];
        w->uc = w->ucode;
    }
    unit_groups(d->n, N, w);
    res->nunits = N;
    *nunits = N;
    if (d->time == NULL)
        return TFP_OK;
    for (t = 0; t < d->ntimes; t++)
        w->tcnt[t] = 0;
    for (i = 0; i < d->n; i++)
        w->tcnt[d->time[i]]++;
    for (t = 0; t < d->ntimes; t++)
        T += w->tcnt[t] > 0;
    res->ntimes = T;
    if (d->n == N * T) {
        uint64_t *keys = tfp_mallocn(d->n, sizeof *keys);
        if (keys == NULL)
            return tfp_fail(err, TFP_ENOMEM, "out of memory for the balance check");
        for (i = 0; i < d->n; i++)
            keys[i] = (uint64_t)d->unit[i] * (uint64_t)d->ntimes + d->time[i];
        qsort(keys, d->n, sizeof *keys, cmp_u64);
        res->balanced = 1;
        for (i = 1; i < d->n; i++)
            if (keys[i] == keys[i - 1]) {
                res->balanced = 0;
                break;
            }
        tfp_free(keys);
    }
    return TFP_OK;
}

/* What the grouped passes share: the data, the workspace and the columns. */
typedef struct group_pass {
    const tfp_panelreg_data *d;
    tfp_panelreg_ws *w;
    size_t k;
    double *Xt; /* demean_units: the output, stride ld, offset off */
    size_t ld, off;
    double *yt;
} group_pass;

/* Group g of unit_means: its units' sums (no other group has rows of them) and its part of
 * the columns' sums of squares. */
static void
unit_sums_group(void *arg, size_t g)
{
    const group_pass *gp = arg;
    const tfp_panelreg_data *d = gp->d;
    tfp_panelreg_ws *w = gp->w;
    size_t S = w->pmax + 1, i, j, k = gp->k;
    double *ss = w->gss + g * w->pmax;
    for (j = 0; j < k; j++)
        ss[j] = 0.0;
    for (i = w->gstart[g]; i < w->gstart[g + 1]; i++) {
        tfp_dd *m = w->umean + (size_t)w->uc[i] * S;
        const double *x = d->X + i * d->p;
        for (j = 0; j < k; j++) {
            double v = x[w->cols[j]];
            tfp_dd_add(&m[j], v);
            ss[j] += v * v;
        }
        tfp_dd_add(&m[w->pmax], d->y[i]);
    }
}

/* Unit means (by compact id) of the k data columns cols[] and of y (index pmax), and the
 * columns' norms into w->xnorm (check_absorbed), in one pass over the row groups (each unit's
 * sums in row order; the groups' sums of squares added in group order). */
static void
unit_means(const tfp_panelreg_data *d, size_t k, size_t N, tfp_panelreg_ws *w)
{
    size_t S = w->pmax + 1, j, u;
    group_pass gp;
    for (u = 0; u < N * S; u++)
        w->umean[u].hi = w->umean[u].lo = 0.0;
    memset(&gp, 0, sizeof gp);
    gp.d = d;
    gp.w = w;
    gp.k = k;
    run_groups(w, 0, unit_sums_group, &gp);
    group_ss(w, k, w->xnorm);
    norms_finish(d->X, d->n, d->p, w->cols, 0, k, w->xnorm);
    for (u = 0; u < N; u++) {
        tfp_dd *m = w->umean + u * S;
        for (j = 0; j < k; j++)
            m[j] = dd_div(m[j], (double)w->Tc[u]);
        m[w->pmax] = dd_div(m[w->pmax], (double)w->Tc[u]);
    }
}

/* Time means (by time id) and grand means of the same columns. */
static void
time_means(const tfp_panelreg_data *d, size_t k, tfp_panelreg_ws *w)
{
    size_t S = w->pmax + 1, i, j, t;
    for (t = 0; t < d->ntimes * S; t++)
        w->tmean[t].hi = w->tmean[t].lo = 0.0;
    for (j = 0; j < S; j++)
        w->gmean[j].hi = w->gmean[j].lo = 0.0;
    for (i = 0; i < d->n; i++) {
        tfp_dd *m = w->tmean + (size_t)d->time[i] * S;
        for (j = 0; j < k; j++) {
            double x = d->X[i * d->p + w->cols[j]];
            tfp_dd_add(&m[j], x);
            tfp_dd_add(&w->gmean[j], x);
        }
        tfp_dd_add(&m[w->pmax], d->y[i]);
        tfp_dd_add(&w->gmean[w->pmax], d->y[i]);
    }
    for (t = 0; t < d->ntimes; t++) {
        tfp_dd *m = w->tmean + t * S;
        if (w->tcnt[t] == 0)
            continue;
        for (j = 0; j < k; j++)
            m[j] = dd_div(m[j], (double)w->tcnt[t]);
        m[w->pmax] = dd_div(m[w->pmax], (double)w->tcnt[t]);
    }
    for (j = 0; j < k; j++)
        w->gmean[j] = dd_div(w->gmean[j], (double)d->n);
    w->gmean[w->pmax] = dd_div(w->gmean[w->pmax], (double)d->n);
}

/* Rejects a transformed column that the effects absorbed: its norm (w->tnorm) at most tol
 * times the data column's (w->xnorm, from unit_means). */
static int
check_absorbed(const tfp_panelreg_data *d,
               const tfp_panelreg_ws *w,
               size_t k,
               double tol,
               const char *what,
               tfp_error *err)
{
    size_t j;
    char label[64];
    for (j = 0; j < k; j++) {
        double a = w->tnorm[j], b = w->xnorm[j];
        if (a <= tol * b) {
            const char *name = d->names != NULL ? d->names[w->cols[j]] : NULL;
            if (name == NULL) {
                snprintf(label, sizeof label, "column %zu", w->cols[j] + 1);
                name = label;
            }
            return tfp_fail(err, TFP_ENUMERIC, "term \"%s\" %s (aliased)", name, what);
        }
    }
    return TFP_OK;
}

/* Names of the fitted columns cols[0..k) into w->names + off. */
static void
set_names(const tfp_panelreg_data *d, tfp_panelreg_ws *w, size_t k, size_t off)
{
    size_t j;
    for (j = 0; j < k; j++)
        w->names[off + j] = d->names != NULL ? d->names[w->cols[j]] : NULL;
}

/* OLS options for a fit of the transformed data. */
static void
ols_opts(const tfp_panelreg_opts *o, const tfp_panelreg_ws *w, size_t N, tfp_ols_opts *oo)
{
    tfp_ols_opts_init(oo);
    oo->intercept = 0;
    oo->se_type = o->se_type;
    oo->cluster_adj = o->cluster_adj;
    if (o->se_type == TFP_OLS_SE_CLUSTER) {
        oo->cluster = w->uc;
        oo->nclusters = N;
    }
    oo->names = w->names;
    oo->rank_tol = o->rank_tol;
}

/* Fails early, with the OLS message, when the fit would have more columns than rows. */
static int
check_size(size_t n, size_t p, tfp_error *err)
{
    if (n < p)
        return tfp_fail(err, TFP_ENUMERIC,
                        "fewer observations (n = %zu) than coefficients (p = %zu)", n, p);
    return TFP_OK;
}

/* Copies the k columns from offset off of the auxiliary fit (P columns) to res->fit. */
static void
report(const tfp_panelreg_data *d,
       tfp_panelreg_ws *w,
       tfp_panelreg_result *res,
       size_t P,
       size_t off,
       size_t k)
{
    const tfp_ols_result *a = w->aux;
    tfp_ols_result *f = res->fit;
    size_t i, j;
    for (i = 0; i < k; i++) {
        f->beta[i] = a->beta[off + i];
        f->se[i] = a->se[off + i];
        for (j = 0; j < k; j++) {
            f->vcov[i * k + j] = a->vcov[(off + i) * P + off + j];
            f->xtx_inv[i * k + j] = a->xtx_inv[(off + i) * P + off + j];
        }
        res->col[i] = w->cols[i];
        res->name[i] = d->names != NULL ? d->names[w->cols[i]] : NULL;
    }
    f->n = d->n;
    f->p = k;
    if (f->residuals != NULL)
        memcpy(f->residuals, a->residuals, d->n * sizeof(double));
    f->rss = a->rss;
    f->tss = a->tss;
    f->mss = a->mss;
    f->r_squared = a->r_squared;
    f->adj_r_squared = a->adj_r_squared;
    f->sigma = a->sigma;
    f->df_residual = a->df_residual;
    f->log_lik = a->log_lik;
    f->aic = a->aic;
    f->bic = a->bic;
    f->refine_steps = a->refine_steps;
    f->refine_converged = a->refine_converged;
}

/* The model statistics of a transformed fit: R^2 from tss (or given), the likelihood with
 * m parameters and the extra log-likelihood term ll_extra. */
static void
model_stats(tfp_panelreg_result *res, double tss, double r2, size_t m, double ll_extra)
{
    tfp_ols_result *f = res->fit;
    double n = (double)f->n;
    f->tss = tss;
    f->mss = tss - f->rss;
    f->r_squared = isnan(r2) ? (tss > 0.0 ? 1.0 - f->rss / tss : TFP_NAN) : r2;
    f->adj_r_squared = f->df_residual > 0
                           ? 1.0 - (1.0 - f->r_squared) * ((n - 1.0) / (double)f->df_residual)
                           : TFP_NAN;
    f->log_lik = -0.5 * n * (log(2.0 * M_PI) + 1.0 - log(n) + log(f->rss)) + ll_extra;
    f->aic = -2.0 * f->log_lik + 2.0 * (double)m;
    f->bic = -2.0 * f->log_lik + log(n) * (double)m;
}

/* The slope columns: every column but the intercept. Returns their number. */
static size_t
slope_cols(const tfp_panelreg_data *d, tfp_panelreg_ws *w)
{
    size_t c, k = 0;
    for (c = 0; c < d->p; c++)
        if (!(d->intercept && c == 0))
            w->cols[k++] = c;
    return k;
}

/* ---- models ------------------------------------------------------------------------------------
 */

static int
fit_pooling(const tfp_panelreg_data *d,
            const tfp_panelreg_opts *o,
            tfp_panelreg_ws *w,
            tfp_panelreg_result *res,
            size_t N,
            tfp_error *err)
{
    tfp_ols_opts oo;
    size_t j;
    int rc;
    for (j = 0; j < d->p; j++)
        w->cols[j] = j;
    set_names(d, w, d->p, 0);
    ols_opts(o, w, N, &oo);
    oo.intercept = d->intercept;
    rc = tfp_ols_fit(d->X, d->y, d->n, d->p, &oo, w->ols, w->aux, err);
    if (rc != TFP_OK)
        return rc;
    report(d, w, res, d->p, 0, d->p);
    return TFP_OK;
}

/* Group g of demean_units: its rows, its part of the sums of squares of the new columns and
 * of the sum and sum of squares of the new y. */
static void
demean_group(void *arg, size_t g)
{
    const group_pass *gp = arg;
    const tfp_panelreg_data *d = gp->d;
    tfp_panelreg_ws *w = gp->w;
    size_t S = w->pmax + 1, i, j, k = gp->k;
    double *t = w->rowbuf + g * w->pmax, *ss = w->gss + g * w->pmax, *Xt = gp->Xt;
    tfp_dd ysum = {0.0, 0.0}, yss = {0.0, 0.0};
    for (j = 0; j < k; j++)
        ss[j] = 0.0;
    for (i = w->gstart[g]; i < w->gstart[g + 1]; i++) {
        const tfp_dd *m = w->umean + (size_t)w->uc[i] * S;
        const double *x = d->X + i * d->p;
        double v = sub_dd(d->y[i], m[w->pmax]);
        for (j = 0; j < k; j++)
            t[j] = sub_dd(x[w->cols[j]], m[j]);
        for (j = 0; j < k; j++) {
            Xt[i * gp->ld + gp->off + j] = t[j];
            ss[j] += t[j] * t[j];
        }
        gp->yt[i] = v;
        tfp_dd_add(&ysum, v);
        tfp_dd_add_prod(&yss, v, v);
    }
    w->gys[g][0] = ysum;
    w->gys[g][1] = yss;
}

/*
 * Demeans the k columns cols[] and y by unit into Xt (stride ld, offset off) and yt, which
 * may be the caller's X and y themselves (d->overwrite, with ld = k and off = 0: X becomes
 * the n x k transformed design). Row i is read whole (from X[i p + cols[j]], at or after
 * X[i k + j] as cols[j] >= j and p >= k) before it is written, and earlier rows write only
 * below it, so nothing is read after being overwritten; the groups run in parallel only when
 * each row's output is exactly where its input was (k = p), or elsewhere.
 * The same pass gives the norms of the transformed columns (w->tnorm, as col_norms would) and
 * the sum and sum of squares of the transformed y (w->ysum, w->yss, for the within R^2's
 * total sum of squares), the groups' parts added in group order.
 */
static void
demean_units(const tfp_panelreg_data *d,
             tfp_panelreg_ws *w,
             size_t k,
             double *Xt,
             size_t ld,
             size_t off,
             double *yt)
{
    size_t g;
    group_pass gp;
    memset(&gp, 0, sizeof gp);
    gp.d = d;
    gp.w = w;
    gp.k = k;
    gp.Xt = Xt;
    gp.ld = ld;
    gp.off = off;
    gp.yt = yt;
    /* In place with fewer columns than the data's (an intercept column set aside), a group
     * writes below its own rows, where the group before it may not have read yet. */
    run_groups(w, Xt == d->X && ld != d->p, demean_group, &gp);
    w->ysum = w->gys[0][0];
    w->yss = w->gys[0][1];
    for (g = 1; g < w->G; g++) {
        tfp_dd_add_dd(&w->ysum, w->gys[g][0]);
        tfp_dd_add_dd(&w->yss, w->gys[g][1]);
    }
    group_ss(w, k, w->tnorm);
    norms_finish(Xt, d->n, ld, NULL, off, k, w->tnorm);
}

/* The sum of squares about its mean of the n values whose sum and sum of squares (in
 * double-double) are s and q: q - s^2 / n. */
static double
centred_from_sums(tfp_dd s, tfp_dd q, size_t n)
{
    tfp_dd m = dd_div(s, (double)n);
    tfp_dd_add_prod(&q, -m.hi, s.hi);
    tfp_dd_add_prod(&q, -m.hi, s.lo);
    tfp_dd_add_prod(&q, -m.lo, s.hi);
    return q.hi + q.lo;
}

static int
fit_within(const tfp_panelreg_data *d,
           const tfp_panelreg_opts *o,
           tfp_panelreg_ws *w,
           tfp_panelreg_result *res,
           size_t N,
           tfp_error *err)
{
    tfp_ols_opts oo;
    size_t k = slope_cols(d, w);
    double *Xt, *yt;
    int rc;
    if (k == 0)
        return tfp_fail(err, TFP_EINVAL, "the within model needs at least one slope term");
    unit_means(d, k, N, w);
    if (d->overwrite) {
        Xt = (double *)(uintptr_t)d->X; /* the caller's, writable (tfp_panelreg_data) */
        yt = (double *)(uintptr_t)d->y;
    } else {
        if ((rc = need_xt(w, k, err)) != TFP_OK)
            return rc;
        Xt = w->Xt;
        yt = w->yt;
    }
    demean_units(d, w, k, Xt, k, 0, yt);
    rc = check_absorbed(d, w, k, o->rank_tol,
                        "does not vary within units: the unit fixed effects absorb it", err);
    if (rc != TFP_OK)
        return rc;
    if ((rc = check_size(d->n, k + N, err)) != TFP_OK)
        return rc;
    set_names(d, w, k, 0);
    ols_opts(o, w, N, &oo);
    oo.extra_df = N;
    rc = tfp_ols_fit(Xt, yt, d->n, k, &oo, w->ols, w->aux, err);
    if (rc != TFP_OK)
        return rc;
    report(d, w, res, k, 0, k);
    res->absorbed = N;
    model_stats(res, centred_from_sums(w->ysum, w->yss, d->n), TFP_NAN, k + N + 1, 0.0);
    return TFP_OK;
}

/* The unit-demeaned dummies of the times with tcol >= 0 into Xt (stride ld, columns 0..q). */
static void
time_dummies(const tfp_panelreg_data *d, tfp_panelreg_ws *w, size_t N, size_t ld)
{
    size_t t, i, u;
    for (t = 0; t < d->ntimes; t++) {
        long c = w->tcol[t];
        if (c < 0)
            continue;
        for (u = 0; u < N; u++)
            w->cnt[u] = 0;
        for (i = 0; i < d->n; i++)
            if (d->time[i] == t)
                w->cnt[w->uc[i]]++;
        for (i = 0; i < d->n; i++) {
            u = w->uc[i];
            w->Xt[i * ld + (size_t)c] =
                (d->time[i] == t ? 1.0 : 0.0) - (double)w->cnt[u] / (double)w->Tc[u];
        }
    }
}

static int
fit_twoways(const tfp_panelreg_data *d,
            const tfp_panelreg_opts *o,
            tfp_panelreg_ws *w,
            tfp_panelreg_result *res,
            size_t N,
            tfp_error *err)
{
    tfp_ols_opts oo;
    size_t k = slope_cols(d, w), T = res->ntimes, S = w->pmax + 1, q, P, i, j, t;
    double tss;
    int rc;
    if (k == 0)
        return tfp_fail(err, TFP_EINVAL, "the twoways model needs at least one slope term");
    unit_means(d, k, N, w);
    if ((rc = need_xt(w, res->balanced ? k : k + (T > 0 ? T - 1 : 0), err)) != TFP_OK)
        return rc;
    if (res->balanced) {
        /* Balanced: x - xbar_i - xbar_t + xbar (Baltagi 3.2). */
        time_means(d, k, w);
        for (i = 0; i < d->n; i++) {
            const tfp_dd *mu = w->umean + (size_t)w->uc[i] * S;
            const tfp_dd *mt = w->tmean + (size_t)d->time[i] * S;
            for (j = 0; j < k; j++)
                w->Xt[i * k + j] = sub2_dd(d->X[i * d->p + w->cols[j]], mu[j], mt[j], w->gmean[j]);
            w->yt[i] = sub2_dd(d->y[i], mu[w->pmax], mt[w->pmax], w->gmean[w->pmax]);
        }
        col_norms(w->Xt, d->n, k, NULL, 0, k, w->tnorm);
        rc = check_absorbed(d, w, k, o->rank_tol, "is absorbed by the unit and time fixed effects",
                            err);
        if (rc != TFP_OK)
            return rc;
        if ((rc = check_size(d->n, k + N + T - 1, err)) != TFP_OK)
            return rc;
        set_names(d, w, k, 0);
        ols_opts(o, w, N, &oo);
        oo.extra_df = N + T - 1;
        rc = tfp_ols_fit(w->Xt, w->yt, d->n, k, &oo, w->ols, w->aux, err);
        if (rc != TFP_OK)
            return rc;
        report(d, w, res, k, 0, k);
        res->absorbed = N + T - 1;
        model_stats(res, centred_ss(w->yt, d->n), TFP_NAN, k + N + T, 0.0);
        return TFP_OK;
    }
    /* Unbalanced: the unit-demeaned time dummies as explicit columns (see the design note). */
    q = T - 1;
    P = q + k;
    if ((rc = check_size(d->n, P + N, err)) != TFP_OK)
        return rc;
    if (P > w->cmax)
        return tfp_fail(err, TFP_EINVAL, "panel fit: %zu columns exceed the workspace", P);
    {
        size_t c = 0, first = 1;
        for (t = 0; t < d->ntimes; t++) {
            w->tcol[t] = -1;
            if (w->tcnt[t] == 0)
                continue;
            if (first) {
                first = 0;
                continue;
            }
            w->tcol[t] = (long)c;
            snprintf(w->tname + c * TNAME_SIZE, TNAME_SIZE, "time %s",
                     d->time_names != NULL && d->time_names[t] != NULL ? d->time_names[t] : "");
            if (d->time_names == NULL)
                snprintf(w->tname + c * TNAME_SIZE, TNAME_SIZE, "time id %zu", t);
            w->names[c] = w->tname + c * TNAME_SIZE;
            c++;
        }
    }
    /* The within R^2's tss: the residual sum of squares of the unit-demeaned y on the
     * unit-demeaned time dummies (the exact two-way within transformation of y). */
    demean_units(d, w, k, w->Xt, P, q, w->yt);
    rc = check_absorbed(d, w, k, o->rank_tol,
                        "does not vary within units: the unit fixed effects absorb it", err);
    if (rc != TFP_OK)
        return rc;
    if (q > 0) {
        tfp_ols_opts ot;
        time_dummies(d, w, N, q);
        tfp_ols_opts_init(&ot);
        ot.intercept = 0;
        ot.nuisance_cols = q; /* only its rss is needed */
        ot.names = w->names;
        ot.rank_tol = o->rank_tol;
        rc = tfp_ols_fit(w->Xt, w->yt, d->n, q, &ot, w->ols, w->aux, err);
        if (rc == TFP_ENUMERIC && err != NULL &&
            strncmp(err->msg, "design matrix has rank", 22) == 0) {
            /* Aliased time effects: the units and times fall into separate groups. */
            char msg[TFP_ERROR_MSG_SIZE];
            snprintf(msg, sizeof msg,
                     "the time effects are not identified: the panel's units and times form "
                     "more than one connected group (%.200s)",
                     err->msg);
            memcpy(err->msg, msg, sizeof msg);
        }
        if (rc != TFP_OK)
            return rc;
        tss = w->aux->rss;
        /* The first pass wrote the dummies with stride q over the demeaned slopes: redo. */
        demean_units(d, w, k, w->Xt, P, q, w->yt);
        time_dummies(d, w, N, P);
    } else {
        tss = centred_from_sums(w->ysum, w->yss, d->n);
    }
    set_names(d, w, k, q);
    ols_opts(o, w, N, &oo);
    oo.extra_df = N;
    oo.nuisance_cols = q;
    rc = tfp_ols_fit(w->Xt, w->yt, d->n, P, &oo, w->ols, w->aux, err);
    if (rc == TFP_ENUMERIC && err != NULL && q > 0 &&
        strncmp(err->msg, "design matrix has rank", 22) == 0) {
        /* The QR numbers the columns of the augmented design: say what the first ones are. */
        size_t len = strlen(err->msg);
        snprintf(err->msg + len, sizeof err->msg - len, "; columns 1-%zu are the time effects", q);
    }
    if (rc != TFP_OK)
        return rc;
    report(d, w, res, P, q, k);
    res->absorbed = N + q;
    model_stats(res, tss, TFP_NAN, k + N + T, 0.0);
    return TFP_OK;
}

/*
 * The between regression of the random-effects model: y's weighted unit means (w->yb) on the
 * columns of the weighted unit means (w->Zb, N x p) that are not aliased there. A regressor
 * whose unit means are the same for every unit (a time trend in a balanced panel) is a
 * multiple of the intercept's column in the between regression while it varies in the model
 * itself; as plm (whose between fit drops such coefficients and counts the others), the
 * between regression leaves it out. Columns are taken in order, each kept when the fit of
 * the kept ones and it has full rank. The kept columns go to w->Xt (N x *Kb, which has room:
 * n >= N rows of p), the fit to w->aux; an error when none is left to fit.
 */
static int
between_fit(const tfp_panelreg_data *d,
            const tfp_panelreg_opts *o,
            tfp_panelreg_ws *w,
            size_t N,
            size_t *Kb,
            tfp_error *err)
{
    size_t p = d->p, u, j, c, K = 0;
    tfp_ols_opts oo;
    tfp_error probe;
    int rc = TFP_OK;
    tfp_ols_opts_init(&oo);
    oo.intercept = 0;
    oo.rank_tol = o->rank_tol;
    for (j = 0; j < p; j++) {
        for (u = 0; u < N; u++) {
            for (c = 0; c < K; c++)
                w->Xt[u * (K + 1) + c] = w->Zb[u * p + w->cols[c]];
            w->Xt[u * (K + 1) + K] = w->Zb[u * p + j];
        }
        w->cols[K] = j;
        set_names(d, w, K + 1, 0);
        oo.names = w->names;
        tfp_error_init(&probe);
        rc = tfp_ols_fit(w->Xt, w->yb, N, K + 1, &oo, w->ols, w->aux, &probe);
        if (rc == TFP_OK)
            K++;
        else if (rc != TFP_ENUMERIC || strncmp(probe.msg, "design matrix has rank", 22) != 0) {
            if (err != NULL)
                *err = probe;
            return rc;
        }
    }
    if (K == 0)
        return tfp_fail(err, TFP_ENUMERIC,
                        "the between regression of the random-effects model has no column to "
                        "fit");
    /* The last fit may have been a rejected column's: fit the kept ones again. */
    for (u = 0; u < N; u++)
        for (c = 0; c < K; c++)
            w->Xt[u * K + c] = w->Zb[u * p + w->cols[c]];
    set_names(d, w, K, 0);
    oo.names = w->names;
    rc = tfp_ols_fit(w->Xt, w->yb, N, K, &oo, w->ols, w->aux, err);
    *Kb = K;
    return rc;
}

static int
fit_random(const tfp_panelreg_data *d,
           const tfp_panelreg_opts *o,
           tfp_panelreg_ws *w,
           tfp_panelreg_result *res,
           size_t N,
           tfp_error *err)
{
    tfp_ols_opts oo;
    size_t p = d->p, S = w->pmax + 1, K = 0, Kb = 0, n = d->n, i, j, u, c;
    double rss_w, s2nu, s2eta, qB, tr = 0.0, ll_extra = 0.0;
    int rc;
    /* Unit means of every column (the intercept's is 1) and of y. */
    for (j = 0; j < p; j++)
        w->cols[j] = j;
    unit_means(d, p, N, w);
    if ((rc = check_size(n, p, err)) != TFP_OK)
        return rc;
    if ((rc = need_xt(w, p, err)) != TFP_OK || (rc = need_aux_residuals(w, err)) != TFP_OK)
        return rc;
    /* (1) sigma^2_nu from the within regression on the slopes the unit effects leave. */
    for (i = 0; i < n; i++) {
        const tfp_dd *m = w->umean + (size_t)w->uc[i] * S;
        for (j = 1; j < p; j++)
            w->Xt[i * (p - 1) + j - 1] = sub_dd(d->X[i * p + j], m[j]);
        w->yt[i] = sub_dd(d->y[i], m[w->pmax]);
    }
    for (j = 1; j < p; j++) {
        double a = col_norm(w->Xt, n, p - 1, j - 1), b = col_norm(d->X, n, p, j);
        if (!(a <= o->rank_tol * b))
            w->cols[K++] = j;
    }
    if (K < p - 1) /* compact the kept columns in place (new index <= old index) */
        for (i = 0; i < n; i++)
            for (c = 0; c < K; c++)
                w->Xt[i * K + c] = w->Xt[i * (p - 1) + w->cols[c] - 1];
    if (n <= N + K)
        return tfp_fail(err, TFP_ENUMERIC,
                        "no residual degrees of freedom for the within regression of the "
                        "random-effects model (n = %zu, N = %zu, K = %zu)",
                        n, N, K);
    if (K > 0) {
        set_names(d, w, K, 0);
        tfp_ols_opts_init(&oo);
        oo.intercept = 0;
        oo.extra_df = N;
        oo.nuisance_cols = K; /* only its rss is needed */
        oo.names = w->names;
        oo.rank_tol = o->rank_tol;
        rc = tfp_ols_fit(w->Xt, w->yt, n, K, &oo, w->ols, w->aux, err);
        if (rc != TFP_OK)
            return rc;
        rss_w = w->aux->rss;
    } else {
        tfp_dd s = {0.0, 0.0};
        for (i = 0; i < n; i++)
            tfp_dd_add_prod(&s, w->yt[i], w->yt[i]);
        rss_w = s.hi + s.lo;
    }
    s2nu = rss_w / (double)(n - N - K);
    /* (2) the between regression: unit means weighted by T_i (rows sqrt(T_i) zbar_i). */
    if (N <= p)
        return tfp_fail(err, TFP_ENUMERIC,
                        "the random-effects model needs more units (N = %zu) than coefficients "
                        "(p = %zu)",
                        N, p);
    for (u = 0; u < N; u++) {
        const tfp_dd *m = w->umean + u * S;
        double s = sqrt((double)w->Tc[u]);
        for (j = 0; j < p; j++)
            w->Zb[u * p + j] = s * (m[j].hi + m[j].lo);
        w->yb[u] = s * (m[w->pmax].hi + m[w->pmax].lo);
    }
    if ((rc = between_fit(d, o, w, N, &Kb, err)) != TFP_OK)
        return rc;
    qB = w->aux->rss;
    /* tr[(sum T_i zbar zbar')^-1 sum T_i^2 zbar zbar'] = sum_i T_i h_i, h_i the leverage of
     * row i of the weighted between design (Baltagi & Chang 1994), of its Kb columns. */
    for (u = 0; u < N; u++) {
        const double *z = w->Xt + u * Kb, *A = w->aux->xtx_inv;
        double h = 0.0;
        for (j = 0; j < Kb; j++)
            for (c = 0; c < Kb; c++)
                h += z[j] * A[j * Kb + c] * z[c];
        tr += (double)w->Tc[u] * h;
    }
    s2eta = (qB - (double)(N - Kb) * s2nu) / ((double)n - tr);
    for (j = 0; j < p; j++) /* the model's columns again, for the fit and report below */
        w->cols[j] = j;
    set_names(d, w, p, 0);
    if (!(s2eta > 0.0)) /* plm sets a negative estimate to 0 (pooled OLS) */
        s2eta = 0.0;
    res->sigma2_idios = s2nu;
    res->sigma2_indiv = s2eta;
    /* (3) theta_i and the quasi-demeaned regression. */
    res->theta_min = HUGE_VAL;
    res->theta_max = -HUGE_VAL;
    for (u = 0; u < N; u++) {
        double th = 1.0 - sqrt(s2nu / (s2nu + (double)w->Tc[u] * s2eta));
        w->thc[u] = th;
        res->theta_min = fmin(res->theta_min, th);
        res->theta_max = fmax(res->theta_max, th);
        ll_extra += log1p(-th);
    }
    for (u = 0; u < d->nunits; u++)
        res->theta[u] = w->umap[u] != UINT32_MAX ? w->thc[w->umap[u]] : TFP_NAN;
    for (i = 0; i < n; i++) {
        const tfp_dd *m = w->umean + (size_t)w->uc[i] * S;
        double th = w->thc[w->uc[i]];
        for (j = 0; j < p; j++)
            w->Xt[i * p + j] = sub_scaled_dd(d->X[i * p + j], th, m[j]);
        w->yt[i] = sub_scaled_dd(d->y[i], th, m[w->pmax]);
    }
    ols_opts(o, w, N, &oo);
    rc = tfp_ols_fit(w->Xt, w->yt, n, p, &oo, w->ols, w->aux, err);
    if (rc != TFP_OK)
        return rc;
    report(d, w, res, p, 0, p);
    model_stats(res, centred_ss(w->yt, n), squared_correlation(w->yt, w->aux->residuals, n), p + 2,
                ll_extra);
    return TFP_OK;
}

int
tfp_panelreg_fit(const tfp_panelreg_data *data,
                 const tfp_panelreg_opts *opts,
                 tfp_panelreg_ws *w,
                 tfp_panelreg_result *res,
                 tfp_error *err)
{
    tfp_panelreg_opts defaults;
    const tfp_panelreg_opts *o = opts;
    size_t N, u;
    int rc;
    if (o == NULL) {
        tfp_panelreg_opts_init(&defaults);
        o = &defaults;
    }
    rc = check_args(data, o, w, res, err);
    if (rc != TFP_OK)
        return rc;
    /* The residuals come through the auxiliary result: room for them when the caller keeps
     * them. */
    if (res->fit->residuals != NULL && (rc = need_aux_residuals(w, err)) != TFP_OK)
        return rc;
    rc = prepare_ids(data, w, res, &N, err);
    if (rc != TFP_OK)
        return rc;
    res->model = o->model;
    res->absorbed = 0;
    res->sigma2_idios = res->sigma2_indiv = TFP_NAN;
    res->theta_min = res->theta_max = TFP_NAN;
    for (u = 0; u < data->nunits; u++)
        res->theta[u] = TFP_NAN;
    switch (o->model) {
    case TFP_PANELREG_WITHIN:
        return fit_within(data, o, w, res, N, err);
    case TFP_PANELREG_TWOWAYS:
        return fit_twoways(data, o, w, res, N, err);
    case TFP_PANELREG_RANDOM:
        return fit_random(data, o, w, res, N, err);
    default:
        return fit_pooling(data, o, w, res, N, err);
    }
}

/* ---- derived quantities ------------------------------------------------------------------------
 */

void
tfp_panelreg_lincomb_get(const tfp_panelreg_result *res,
                         double c0,
                         const double *g,
                         double *estimate,
                         double *std_error)
{
    const tfp_ols_result *f = res->fit;
    size_t p = f->p, i, j;
    tfp_dd e = {c0, 0.0};
    double v = 0.0;
    for (i = 0; i < p; i++) {
        tfp_dd_add_prod(&e, g[i], f->beta[i]);
        for (j = 0; j < p; j++)
            v += g[i] * f->vcov[i * p + j] * g[j];
    }
    *estimate = e.hi + e.lo;
    *std_error = v >= 0.0 ? sqrt(v) : TFP_NAN;
}

size_t
tfp_panelreg_coef_get(const tfp_panelreg_result *res, const char *name)
{
    size_t j;
    for (j = 0; j < res->fit->p; j++)
        if (res->name[j] != NULL && strcmp(res->name[j], name) == 0)
            return j;
    return SIZE_MAX;
}

/* ---- production-function helpers ---------------------------------------------------------------
 */

/* If label is "log(inner)" with the parentheses matching, sets *inner and *len. Backquoted
 * names may hold parentheses. */
static int
log_call(const char *label, const char **inner, size_t *len)
{
    size_t n = strlen(label), i, depth = 1;
    int quoted = 0;
    if (n < 6 || strncmp(label, "log(", 4) != 0 || label[n - 1] != ')')
        return 0;
    for (i = 4; i < n; i++) {
        char c = label[i];
        if (c == '`')
            quoted = !quoted;
        else if (!quoted && c == '(')
            depth++;
        else if (!quoted && c == ')' && --depth == 0)
            break;
    }
    if (i != n - 1)
        return 0;
    *inner = label + 4;
    *len = n - 5;
    return 1;
}

/* Non-zero when text[0..len) names variable v of f, bare or in backquotes. */
static int
names_var(const char *text, size_t len, const char *v)
{
    size_t m = strlen(v);
    if (len == m && strncmp(text, v, m) == 0)
        return 1;
    return len == m + 2 && text[0] == '`' && text[len - 1] == '`' && strncmp(text + 1, v, m) == 0;
}

/* Non-zero when text[0..len) names some variable of f. */
static int
is_var(const tfp_formula *f, const char *text, size_t len)
{
    size_t k;
    for (k = 0; k < tfp_formula_nvars(f); k++)
        if (names_var(text, len, tfp_formula_var(f, k)))
            return 1;
    return 0;
}

/* The index of f's term log(v), or SIZE_MAX. */
static size_t
log_term_of(const tfp_formula *f, const char *v)
{
    size_t k, len;
    const char *in;
    for (k = 0; k < tfp_formula_nterms(f); k++)
        if (log_call(tfp_formula_term(f, k), &in, &len) && names_var(in, len, v))
            return k;
    return SIZE_MAX;
}

/* Parses the text built in sb into *out. */
static int
parse_built(tfp_strbuf *sb, tfp_formula **out, tfp_error *err)
{
    int rc;
    if (tfp_strbuf_status(sb) != TFP_OK) {
        tfp_strbuf_fini(sb);
        return tfp_fail(err, TFP_ENOMEM, "out of memory building a formula");
    }
    rc = tfp_formula_parse(tfp_strbuf_cstr(sb), out, err);
    tfp_strbuf_fini(sb);
    return rc;
}

int
tfp_panelreg_crs_alloc(const tfp_formula *f,
                       const char *capital,
                       const char *labour,
                       tfp_formula **out,
                       tfp_panelreg_crs *crs,
                       tfp_error *err)
{
    size_t kK, kL, k, ylen, Klen, Llen;
    const char *yin, *Kin, *Lin;
    tfp_strbuf sb;
    *out = NULL;
    if (!log_call(tfp_formula_response(f), &yin, &ylen))
        return tfp_fail(err, TFP_EINVAL, "the crs model needs the response log(output), not %s",
                        tfp_formula_response(f));
    kK = log_term_of(f, capital);
    kL = log_term_of(f, labour);
    if (kK == SIZE_MAX)
        return tfp_fail(err, TFP_EINVAL, "the crs model needs the term log(%s) (capital)", capital);
    if (kL == SIZE_MAX)
        return tfp_fail(err, TFP_EINVAL, "the crs model needs the term log(%s) (labour)", labour);
    if (kK == kL)
        return tfp_fail(err, TFP_EINVAL, "the crs model needs different capital and labour");
    log_call(tfp_formula_term(f, kK), &Kin, &Klen);
    log_call(tfp_formula_term(f, kL), &Lin, &Llen);
    tfp_strbuf_init(&sb);
    /* log(Y/L): a response that is not a single variable keeps its parentheses. */
    if (is_var(f, yin, ylen))
        tfp_strbuf_printf(&sb, "log(%.*s/%.*s) ~ ", (int)ylen, yin, (int)Llen, Lin);
    else
        tfp_strbuf_printf(&sb, "log((%.*s)/%.*s) ~ ", (int)ylen, yin, (int)Llen, Lin);
    tfp_strbuf_printf(&sb, "log(%.*s/%.*s)", (int)Klen, Kin, (int)Llen, Lin);
    if (crs != NULL) {
        snprintf(crs->ratio_term, sizeof crs->ratio_term, "log(%.*s/%.*s)", (int)Klen, Kin,
                 (int)Llen, Lin);
        snprintf(crs->labour_term, sizeof crs->labour_term, "%s", tfp_formula_term(f, kL));
    }
    for (k = 0; k < tfp_formula_nterms(f); k++)
        if (k != kK && k != kL)
            tfp_strbuf_printf(&sb, " + %s", tfp_formula_term(f, k));
    if (!tfp_formula_intercept(f))
        tfp_strbuf_puts(&sb, " - 1");
    return parse_built(&sb, out, err);
}

int
tfp_panelreg_translog_alloc(const tfp_formula *f, tfp_formula **out, tfp_error *err)
{
    size_t nt = tfp_formula_nterms(f), k, l, len, ninputs = 0;
    const char *in;
    tfp_strbuf sb;
    *out = NULL;
    tfp_strbuf_init(&sb);
    tfp_strbuf_printf(&sb, "%s ~ ", tfp_formula_response(f));
    for (k = 0; k < nt; k++)
        tfp_strbuf_printf(&sb, "%s%s", k > 0 ? " + " : "", tfp_formula_term(f, k));
    for (k = 0; k < nt; k++) {
        const char *a = tfp_formula_term(f, k);
        if (!log_call(a, &in, &len) || !is_var(f, in, len))
            continue;
        ninputs++;
        tfp_strbuf_printf(&sb, " + %s^2", a);
    }
    if (ninputs == 0) {
        tfp_strbuf_fini(&sb);
        return tfp_fail(err, TFP_EINVAL,
                        "the translog model needs log inputs: terms log(x) of columns");
    }
    for (k = 0; k < nt; k++) {
        const char *a = tfp_formula_term(f, k);
        if (!log_call(a, &in, &len) || !is_var(f, in, len))
            continue;
        for (l = k + 1; l < nt; l++) {
            const char *b = tfp_formula_term(f, l);
            if (log_call(b, &in, &len) && is_var(f, in, len))
                tfp_strbuf_printf(&sb, " + %s:%s", a, b);
        }
    }
    if (!tfp_formula_intercept(f))
        tfp_strbuf_puts(&sb, " - 1");
    return parse_built(&sb, out, err);
}

int
tfp_panelreg_crs_get(const tfp_panelreg_result *res,
                     const tfp_panelreg_crs *crs,
                     tfp_panelreg_derived *out,
                     tfp_error *err)
{
    size_t j = tfp_panelreg_coef_get(res, crs->ratio_term);
    if (j == SIZE_MAX)
        return tfp_fail(err, TFP_EINVAL, "no coefficient %s in the fit", crs->ratio_term);
    snprintf(out->term, sizeof out->term, "elasticity(%s)", crs->labour_term);
    /* 1 - b_K: the variance of b_K itself. */
    out->estimate = 1.0 - res->fit->beta[j];
    out->std_error = res->fit->se[j];
    return TFP_OK;
}

/* Index of the coefficient "a:b" or "b:a", or SIZE_MAX. */
static size_t
cross_coef(const tfp_panelreg_result *res, const char *a, const char *b, char *buf, size_t n)
{
    size_t j;
    snprintf(buf, n, "%s:%s", a, b);
    j = tfp_panelreg_coef_get(res, buf);
    if (j != SIZE_MAX)
        return j;
    snprintf(buf, n, "%s:%s", b, a);
    return tfp_panelreg_coef_get(res, buf);
}

int
tfp_panelreg_translog_get(const tfp_panelreg_data *data,
                          const tfp_panelreg_result *res,
                          tfp_panelreg_derived *out,
                          size_t cap,
                          size_t *nout,
                          tfp_error *err)
{
    const tfp_ols_result *f = res->fit;
    size_t p = f->p, j, k, i, ni = 0, in[TFP_PANELREG_TRANSLOG_PMAX],
           sq[TFP_PANELREG_TRANSLOG_PMAX];
    double m[TFP_PANELREG_TRANSLOG_PMAX], g[TFP_PANELREG_TRANSLOG_PMAX],
        gsum[TFP_PANELREG_TRANSLOG_PMAX];
    char buf[400];
    *nout = 0;
    if (p > TFP_PANELREG_TRANSLOG_PMAX)
        return tfp_fail(err, TFP_EINVAL, "translog: %zu coefficients, at most %d", p,
                        TFP_PANELREG_TRANSLOG_PMAX);
    for (j = 0; j < p; j++) {
        size_t s;
        if (res->name[j] == NULL || strncmp(res->name[j], "log(", 4) != 0)
            continue;
        snprintf(buf, sizeof buf, "I(%s^2)", res->name[j]);
        s = tfp_panelreg_coef_get(res, buf);
        if (s == SIZE_MAX)
            continue;
        in[ni] = j;
        sq[ni] = s;
        ni++;
    }
    if (ni == 0)
        return tfp_fail(err, TFP_EINVAL, "no translog inputs (terms log(x) with I(log(x)^2))");
    if (cap < ni + 1)
        return tfp_fail(err, TFP_EINVAL, "translog: room for %zu results, %zu needed", cap, ni + 1);
    /* The means of the log inputs over the fitted rows, in double-double. */
    for (k = 0; k < ni; k++) {
        tfp_dd s = {0.0, 0.0};
        size_t c = res->col[in[k]];
        for (i = 0; i < data->n; i++)
            tfp_dd_add(&s, data->X[i * data->p + c]);
        m[k] = (s.hi + s.lo) / (double)data->n;
    }
    for (j = 0; j < p; j++)
        gsum[j] = 0.0;
    for (k = 0; k < ni; k++) {
        /* e_k = b_k + 2 b_kk m_k + sum_{l != k} b_kl m_l; g its gradient. */
        for (j = 0; j < p; j++)
            g[j] = 0.0;
        g[in[k]] = 1.0;
        g[sq[k]] = 2.0 * m[k];
        for (j = 0; j < ni; j++) {
            size_t c;
            if (j == k)
                continue;
            c = cross_coef(res, res->name[in[k]], res->name[in[j]], buf, sizeof buf);
            if (c != SIZE_MAX)
                g[c] = m[j];
        }
        snprintf(out[k].term, sizeof out[k].term, "elasticity(%s)", res->name[in[k]]);
        tfp_panelreg_lincomb_get(res, 0.0, g, &out[k].estimate, &out[k].std_error);
        for (j = 0; j < p; j++)
            gsum[j] += g[j];
    }
    snprintf(out[ni].term, sizeof out[ni].term, "returns_to_scale");
    tfp_panelreg_lincomb_get(res, 0.0, gsum, &out[ni].estimate, &out[ni].std_error);
    *nout = ni + 1;
    return TFP_OK;
}
