/*
 * Growth accounting for one unit and its period summary (models layer).
 * Pure functions of borrowed arrays: no I/O, no allocation outside
 * tfp_growth_result_alloc. Formulas follow DESIGN section 3 (OECD 2001;
 * Feenstra, Inklaar and Timmer 2015; GSO indicator metadata).
 */
#include "tfp/growth.h"

#include <math.h>
#include <stdint.h>

#include "tfp/alloc.h"
#include "tfp/config.h"

void
tfp_growth_opts_init(tfp_growth_opts *o)
{
    o->method = TFP_METHOD_GSO;
    o->form = TFP_GROWTH_DEFAULT;
    o->capital_share = TFP_DEFAULT_CAPITAL_SHARE;
}

tfp_growth_form
tfp_growth_form_of(const tfp_growth_opts *o)
{
    if (o->form != TFP_GROWTH_DEFAULT)
        return o->form;
    return o->method == TFP_METHOD_TORNQVIST ? TFP_GROWTH_LOG : TFP_GROWTH_SIMPLE;
}

#define NARRAYS 13

tfp_growth_result *
tfp_growth_result_alloc(size_t nmax, tfp_error *err)
{
    tfp_growth_result *r = tfp_calloc(1, sizeof *r);
    double *block;
    double **slots[NARRAYS];
    size_t i;
    if (r == NULL) {
        tfp_fail(err, TFP_ENOMEM, "out of memory");
        return NULL;
    }
    /* One block for all arrays: one allocation to fail, one to free. */
    block = tfp_mallocn(nmax == 0 ? 1 : nmax, NARRAYS * sizeof *block);
    if (block == NULL) {
        tfp_free(r);
        tfp_fail(err, TFP_ENOMEM, "out of memory");
        return NULL;
    }
    slots[0] = &r->g_Y;
    slots[1] = &r->g_L;
    slots[2] = &r->g_K;
    slots[3] = &r->a;
    slots[4] = &r->c_K;
    slots[5] = &r->c_L;
    slots[6] = &r->g_A;
    slots[7] = &r->share_K;
    slots[8] = &r->share_L;
    slots[9] = &r->share_A;
    slots[10] = &r->LP;
    slots[11] = &r->g_LP;
    slots[12] = NULL;
    for (i = 0; i < NARRAYS - 1; i++)
        *slots[i] = block + i * nmax;
    r->nmax = nmax;
    return r;
}

void
tfp_growth_result_free(tfp_growth_result *r)
{
    if (r == NULL)
        return;
    tfp_free(r->g_Y); /* the block's start */
    tfp_free(r);
}

/* v, or NaN when it is not finite: a figure beyond the doubles (levels or growths near 1e308)
 * is undefined, never an infinity in a table. */
static double
finite_or_nan(double v)
{
    return isfinite(v) ? v : TFP_NAN;
}

double
tfp_growth_rate(double x0, double x1, tfp_growth_form form)
{
    if (!(x0 > 0.0) || !(x1 > 0.0) || !isfinite(x0) || !isfinite(x1))
        return TFP_NAN;
    if (form == TFP_GROWTH_LOG) {
        /* STYLE: log growth as log1p((x1 - x0) / x0), the most accurate form
         * near no change; for a fall or rise by more than half, log x1 - log x0,
         * since (x1 - x0) / x0 rounds to -1 (log1p = -inf) once x1 / x0 drops
         * below the epsilon, and x1 / x0 itself can underflow or overflow. */
        double d = (x1 - x0) / x0;
        if (d > -0.5 && d < 1.0)
            return log1p(d);
        return log(x1) - log(x0);
    }
    return finite_or_nan(x1 / x0 - 1.0); /* the ratio overflows beyond ~1e308 */
}

/* c / g, or NaN when g is (numerically) zero: a share of no growth is undefined. */
static double
share_of(double c, double g)
{
    if (!isfinite(c) || !isfinite(g) || fabs(g) <= TFP_SHARE_DENOM_EPS)
        return TFP_NAN;
    return finite_or_nan(c / g); /* growths near 1e308: a share beyond the doubles */
}

int
tfp_growth_fit(const tfp_growth_series *in,
               const tfp_growth_opts *o,
               tfp_growth_result *r,
               tfp_error *err)
{
    tfp_growth_form form = tfp_growth_form_of(o);
    double b_K = o->capital_share;
    size_t t;
    if (in->n > r->nmax)
        return tfp_fail(err, TFP_EINVAL, "growth result holds %zu years, %zu given", r->nmax,
                        in->n);
    if (!(b_K > 0.0 && b_K < 1.0))
        return tfp_fail(err, TFP_EINVAL, "capital share must be in (0, 1), got %g", b_K);
    r->n = in->n;
    for (t = 0; t < in->n; t++) {
        double P = in->P[t];
        /* Y / P beyond the doubles is undefined too (tfp_growth_summarize warns). */
        r->LP[t] = (P > 0.0 && isfinite(P)) ? finite_or_nan(in->Y[t] / P) : TFP_NAN;
        if (t == 0 || in->year[t] != in->year[t - 1] + 1) {
            /* First year or after a gap: no growth is defined. */
            r->g_Y[t] = r->g_L[t] = r->g_K[t] = r->a[t] = TFP_NAN;
            r->c_K[t] = r->c_L[t] = r->g_A[t] = TFP_NAN;
            r->share_K[t] = r->share_L[t] = r->share_A[t] = r->g_LP[t] = TFP_NAN;
            continue;
        }
        r->g_Y[t] = tfp_growth_rate(in->Y[t - 1], in->Y[t], form);
        r->g_L[t] = tfp_growth_rate(in->L[t - 1], in->L[t], form);
        r->g_K[t] = tfp_growth_rate(in->K[t - 1], in->K[t], form);
        r->g_LP[t] = tfp_growth_rate(r->LP[t - 1], r->LP[t], form);
        if (o->method == TFP_METHOD_TORNQVIST && in->s_L != NULL)
            /* DESIGN section 3 Törnqvist: a_t = 1 - (s_L,t + s_L,t-1) / 2. */
            r->a[t] = 1.0 - 0.5 * (in->s_L[t] + in->s_L[t - 1]);
        else
            r->a[t] = b_K;
        r->c_K[t] = r->a[t] * r->g_K[t];
        r->c_L[t] = (1.0 - r->a[t]) * r->g_L[t];
        /* contributions near 1e308 each: the residual may overflow */
        r->g_A[t] = finite_or_nan(r->g_Y[t] - r->c_K[t] - r->c_L[t]);
        r->share_K[t] = share_of(r->c_K[t], r->g_Y[t]);
        r->share_L[t] = share_of(r->c_L[t], r->g_Y[t]);
        r->share_A[t] = share_of(r->g_A[t], r->g_Y[t]);
    }
    return TFP_OK;
}

static int
has_inputs(const tfp_growth_series *in, size_t t)
{
    return isfinite(in->Y[t]) && isfinite(in->L[t]) && isfinite(in->K[t]) && isfinite(in->P[t]);
}

static double
compound(double x0, double x1, int years)
{
    if (!(x0 > 0.0) || !(x1 > 0.0) || years <= 0)
        return TFP_NAN;
    return finite_or_nan(pow(x1 / x0, 1.0 / years) - 1.0); /* x1 / x0 beyond the doubles */
}

static void
summary_clear(tfp_growth_summary *s)
{
    s->g_Y = s->g_L = s->g_K = s->a = s->g_A = TFP_NAN;
    s->share_K = s->share_L = s->share_A = s->share_A_last = TFP_NAN;
    s->g_LP = s->lp_compound = s->LP_base = s->LP_last = TFP_NAN;
}

int
tfp_growth_summarize(const tfp_growth_series *in,
                     const tfp_growth_result *r,
                     const tfp_growth_opts *o,
                     int from,
                     int to,
                     const char *unit,
                     tfp_growth_summary *s,
                     tfp_warnings *w,
                     tfp_error *err)
{
    tfp_growth_form form = tfp_growth_form_of(o);
    const char *u = unit != NULL ? unit : "data";
    size_t t, ib = SIZE_MAX, il = SIZE_MAX;
    int wrc = TFP_OK;
    if (from > to)
        return tfp_fail(err, TFP_EINVAL, "period starts in %d after it ends in %d", from, to);
    if (r->n != in->n)
        return tfp_fail(err, TFP_EINVAL, "growth result does not match the series");
    s->from = from;
    s->to = to;
    s->base = from - 1;
    s->last = 0;
    s->years = 0;
    s->complete = 0;
    summary_clear(s);
    for (t = 0; t < in->n; t++) {
        double P = in->P[t], Y = in->Y[t];
        if (w != NULL && isnan(r->LP[t]) && P > 0.0 && isfinite(P) && isfinite(Y)) {
            wrc = tfp_warnings_add(w,
                                   "%s: labour productivity in %d (output %g per %g of labour) is "
                                   "beyond the range of numbers; left undefined",
                                   u, in->year[t], Y, P);
            if (wrc != TFP_OK)
                return tfp_fail(err, wrc, "out of memory");
            break;
        }
    }
    for (t = 0; t < in->n; t++) {
        if (in->year[t] == s->base && has_inputs(in, t))
            ib = t;
        if (in->year[t] >= from && in->year[t] <= to && has_inputs(in, t))
            il = t;
    }
    if (il == SIZE_MAX) {
        if (w != NULL)
            wrc = tfp_warnings_add(w, "%s: no complete data in %d-%d; period figures undefined", u,
                                   from, to);
        return wrc == TFP_OK ? TFP_OK : tfp_fail(err, wrc, "out of memory");
    }
    s->last = in->year[il];
    s->years = s->last - s->base;
    s->complete = s->last == to;
    s->share_A_last = r->share_A[il];
    s->LP_last = r->LP[il];
    if (ib == SIZE_MAX) {
        if (w != NULL)
            wrc = tfp_warnings_add(w,
                                   "%s: no complete data for the base year %d; period averages "
                                   "undefined",
                                   u, s->base);
        return wrc == TFP_OK ? TFP_OK : tfp_fail(err, wrc, "out of memory");
    }
    s->LP_base = r->LP[ib];
    s->lp_compound = compound(s->LP_base, s->LP_last, s->years);
    if (form == TFP_GROWTH_SIMPLE) {
        /* DESIGN section 3, simple growth: compound rates from the base year,
         * g_A = g_Y - a g_K - (1 - a) g_L with the period's capital share. */
        double a_sum = 0.0;
        for (t = ib + 1; t <= il; t++)
            a_sum += r->a[t];
        s->a = o->method == TFP_METHOD_GSO ? o->capital_share : a_sum / (double)(il - ib);
        s->g_Y = compound(in->Y[ib], in->Y[il], s->years);
        s->g_L = compound(in->L[ib], in->L[il], s->years);
        s->g_K = compound(in->K[ib], in->K[il], s->years);
        s->g_LP = s->lp_compound;
        /* compound growths near 1e308: the residual may overflow */
        s->g_A = finite_or_nan(s->g_Y - s->a * s->g_K - (1.0 - s->a) * s->g_L);
        s->share_K = share_of(s->a * s->g_K, s->g_Y);
        s->share_L = share_of((1.0 - s->a) * s->g_L, s->g_Y);
        s->share_A = share_of(s->g_A, s->g_Y);
    } else {
        /* Log growth: means of annual log growths; shares are sums over sums. */
        double sY = 0, sL = 0, sK = 0, sa = 0, scK = 0, scL = 0, sA = 0, sLP = 0;
        size_t k = 0;
        for (t = ib + 1; t <= il; t++) {
            sY += r->g_Y[t];
            sL += r->g_L[t];
            sK += r->g_K[t];
            sa += r->a[t];
            scK += r->c_K[t];
            scL += r->c_L[t];
            sA += r->g_A[t];
            sLP += r->g_LP[t];
            k++;
        }
        if ((int)k != s->years || !isfinite(sA)) {
            if (w != NULL)
                wrc = tfp_warnings_add(w,
                                       "%s: gaps or missing values in %d-%d; period averages "
                                       "undefined",
                                       u, from, s->last);
            return wrc == TFP_OK ? TFP_OK : tfp_fail(err, wrc, "out of memory");
        }
        s->g_Y = sY / (double)k;
        s->g_L = sL / (double)k;
        s->g_K = sK / (double)k;
        s->a = sa / (double)k;
        s->g_A = sA / (double)k;
        s->g_LP = sLP / (double)k;
        s->share_K = share_of(scK, sY);
        s->share_L = share_of(scL, sY);
        s->share_A = share_of(sA, sY);
    }
    if (isnan(s->share_A) && isfinite(s->g_A) && w != NULL)
        wrc = tfp_warnings_add(w, "%s: output did not grow in %d-%d; contribution shares undefined",
                               u, from, s->last);
    if (isnan(s->share_A_last) && w != NULL && wrc == TFP_OK)
        wrc = tfp_warnings_add(
            w, "%s: TFP share undefined in %d (no output growth or missing data)", u, s->last);
    return wrc == TFP_OK ? TFP_OK : tfp_fail(err, wrc, "out of memory");
}
