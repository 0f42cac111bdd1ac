/*
 * Forecasts of a growth series and their backtests (models layer): drift,
 * log-linear trend, AR(1) and Holt's linear trend, on the log scale, with
 * normal prediction intervals. References in include/tfp/forecast.h
 * (Hyndman and Athanasopoulos, FPP3; Hyndman, Koehler, Ord and Snyder 2008).
 */
#include "tfp/forecast.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_vector.h>

#include "tfp/alloc.h"
#include "tfp/config.h"

struct tfp_forecast_ws {
    size_t nmax;
    double *x;    /* nmax log growth rates */
    double *z;    /* nmax + 1 log levels */
    double *t;    /* nmax + 1 time indices 0, 1, ... */
    double *mean; /* nmax scratch forecasts for the backtest */
    double *lo, *hi;
    gsl_multimin_fminimizer *nm; /* 2-parameter Nelder-Mead (Holt) */
    gsl_vector *start, *step;
};

static const char *const model_names[TFP_FORECAST_NMODEL] = {"drift", "trend", "ar1", "holt"};

const char *
tfp_forecast_model_name(tfp_forecast_model m)
{
    return (unsigned)m < TFP_FORECAST_NMODEL ? model_names[m] : "?";
}

void
tfp_forecast_opts_init(tfp_forecast_opts *o)
{
    o->form = TFP_GROWTH_SIMPLE;
    o->level = TFP_FORECAST_LEVEL;
    o->holt_alpha = TFP_NAN;
    o->holt_beta = TFP_NAN;
}

void
tfp_forecast_ws_free(tfp_forecast_ws *w)
{
    if (w == NULL)
        return;
    tfp_free(w->x);
    if (w->nm != NULL)
        gsl_multimin_fminimizer_free(w->nm);
    if (w->start != NULL)
        gsl_vector_free(w->start);
    if (w->step != NULL)
        gsl_vector_free(w->step);
    tfp_free(w);
}

tfp_forecast_ws *
tfp_forecast_ws_alloc(size_t nmax, tfp_error *err)
{
    tfp_forecast_ws *w = tfp_calloc(1, sizeof *w);
    size_t n = nmax == 0 ? 1 : nmax;
    if (w == NULL)
        goto nomem;
    w->nmax = nmax;
    /* One block: x (n), z (n + 1), t (n + 1), mean, lo, hi (n each). */
    w->x = tfp_mallocn(6 * n + 2, sizeof *w->x);
    if (w->x == NULL)
        goto nomem;
    w->z = w->x + n;
    w->t = w->z + n + 1;
    w->mean = w->t + n + 1;
    w->lo = w->mean + n;
    w->hi = w->lo + n;
    for (size_t i = 0; i <= n; i++)
        w->t[i] = (double)i;
    /* GSL allocates with malloc, outside tfp_malloc's failure hook; a NULL
     * from it is still reported as out of memory. */
    w->nm = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, 2);
    w->start = gsl_vector_alloc(2);
    w->step = gsl_vector_alloc(2);
    if (w->nm == NULL || w->start == NULL || w->step == NULL)
        goto nomem;
    return w;
nomem:
    tfp_forecast_ws_free(w);
    tfp_fail(err, TFP_ENOMEM, "out of memory");
    return NULL;
}

/* ---- the models, on the log scale -------------------------------------------- */

/* Each fills mu[k] and se[k] (k = 0..h-1) for x_{m+k+1} from x_1..x_m and
 * z_0..z_m, and returns TFP_OK or a code. */

static void
drift_predict(const double *x, size_t m, size_t h, double *mu, double *se, tfp_forecast_fit *f)
{
    double mean = 0.0, ss = 0.0, s2;
    size_t t;
    for (t = 0; t < m; t++)
        mean += x[t];
    mean /= (double)m;
    for (t = 0; t < m; t++)
        ss += (x[t] - mean) * (x[t] - mean);
    s2 = ss / (double)(m - 1);
    /* z_{m+k} - z_{m+k-1} = d + e_{m+k}; with d estimated by the mean of m
     * growth rates, the error d + e - mean has variance s^2 (1 + 1/m). FPP3
     * 5.5 gives the level's s^2 h (1 + h/T); this is its annual difference. */
    for (size_t k = 0; k < h; k++) {
        mu[k] = mean;
        se[k] = sqrt(s2 * (1.0 + 1.0 / (double)m));
    }
    f->sigma = sqrt(s2);
    f->p[0] = mean;
    f->p[1] = TFP_NAN;
}

static int
trend_predict(tfp_forecast_ws *w, size_t m, size_t h, double *mu, double *se, tfp_forecast_fit *f)
{
    size_t N = m + 1;
    double c0, c1, cov00, cov01, cov11, rss, s2, tbar, Sxx, tn;
    int st = gsl_fit_linear(w->t, 1, w->z, 1, N, &c0, &c1, &cov00, &cov01, &cov11, &rss);
    if (st != GSL_SUCCESS || !isfinite(c0) || !isfinite(c1))
        return TFP_ENUMERIC;
    s2 = rss / (double)(N - 2);
    tbar = 0.5 * (double)m;
    /* Sxx = sum (t - t_bar)^2 over t = 0..m = N (N^2 - 1) / 12. */
    Sxx = (double)N * ((double)N * (double)N - 1.0) / 12.0;
    tn = (double)(m + 1);
    /* Year m+1: z_{m+1} - z_m with z_m observed, so the error is that of the
     * level, u_{m+1} - (c0-hat - c0) - (c1-hat - c1)(m + 1): the textbook
     * prediction variance s^2 (1 + 1/N + (t - t_bar)^2 / Sxx). Later years:
     * c1 + u_{m+k} - u_{m+k-1} against c1-hat: s^2 (2 + 1/Sxx). */
    mu[0] = c0 + c1 * tn - w->z[m];
    se[0] = sqrt(s2 * (1.0 + 1.0 / (double)N + (tn - tbar) * (tn - tbar) / Sxx));
    for (size_t k = 1; k < h; k++) {
        mu[k] = c1;
        se[k] = sqrt(s2 * (2.0 + 1.0 / Sxx));
    }
    f->sigma = sqrt(s2);
    f->p[0] = c0;
    f->p[1] = c1;
    return TFP_OK;
}

static int
ar1_predict(const double *x, size_t m, size_t h, double *mu, double *se, tfp_forecast_fit *f)
{
    /* Conditional least squares: x_t = c + phi x_{t-1} + e_t, t = 2..m. */
    size_t n = m - 1;
    double c, phi, cov00, cov01, cov11, rss, s2, v = 0.0, p2 = 1.0, prev;
    double mx = 0.0, sxx = 0.0, xmax = 0.0;
    for (size_t t = 0; t < n; t++) {
        mx += x[t];
        xmax = fabs(x[t]) > xmax ? fabs(x[t]) : xmax;
    }
    mx /= (double)n;
    for (size_t t = 0; t < n; t++)
        sxx += (x[t] - mx) * (x[t] - mx);
    if (!(sqrt(sxx / (double)n) > TFP_FORECAST_FLAT_EPS * xmax)) {
        /* x_1..x_{m-1} all equal: phi is not identified; take phi = 0 and
         * c the mean of x_2..x_m. */
        double ss = 0.0;
        phi = 0.0;
        c = 0.0;
        for (size_t t = 1; t < m; t++)
            c += x[t];
        c /= (double)n;
        for (size_t t = 1; t < m; t++)
            ss += (x[t] - c) * (x[t] - c);
        rss = ss;
    } else {
        int st = gsl_fit_linear(x, 1, x + 1, 1, n, &c, &phi, &cov00, &cov01, &cov11, &rss);
        if (st != GSL_SUCCESS || !isfinite(c) || !isfinite(phi))
            return TFP_ENUMERIC;
    }
    s2 = rss / (double)(m - 3);
    /* FPP3 9.8: x-hat_{m+k} = c + phi x-hat_{m+k-1}, variance s^2 sum_{j<k}
     * phi^(2j) (the MA(infinity) weights psi_j = phi^j). */
    prev = x[m - 1];
    for (size_t k = 0; k < h; k++) {
        mu[k] = c + phi * prev;
        prev = mu[k];
        v += p2;
        p2 *= phi * phi;
        se[k] = sqrt(s2 * v);
    }
    f->sigma = sqrt(s2);
    f->p[0] = c;
    f->p[1] = phi;
    return TFP_OK;
}

/* Holt's recursion in error-correction form (FPP3 8.2, 8.5), from l_0 = z_0
 * and b_0 = z_1 - z_0 (so e_1 = 0):
 *   e_t = z_t - (l_{t-1} + b_{t-1}),
 *   l_t = l_{t-1} + b_{t-1} + alpha e_t,
 *   b_t = b_{t-1} + alpha beta* e_t.
 * Returns the sum of e_t^2, t = 2..m; the last level, trend and error. */
static double
holt_filter(const double *z, size_t m, double alpha, double beta, double *l, double *b, double *e)
{
    double lv = z[0], tr = z[1] - z[0], sse = 0.0, err = 0.0;
    for (size_t t = 1; t <= m; t++) {
        double pred = lv + tr;
        err = z[t] - pred;
        lv = pred + alpha * err;
        tr += alpha * beta * err;
        if (t >= 2)
            sse += err * err;
    }
    *l = lv;
    *b = tr;
    *e = err;
    return sse;
}

typedef struct holt_data {
    const double *z;
    size_t m;
} holt_data;

static double
logistic(double u)
{
    return 1.0 / (1.0 + exp(-u));
}

static double
holt_sse(const gsl_vector *v, void *p)
{
    const holt_data *d = p;
    double l, b, e;
    return holt_filter(d->z, d->m, logistic(gsl_vector_get(v, 0)), logistic(gsl_vector_get(v, 1)),
                       &l, &b, &e);
}

/* Nelder-Mead from (a0, b0) on the logits, restarted from its best point
 * while that lowers the SSE; the best SSE, and the point in w->start. */
static double
holt_descend(tfp_forecast_ws *w,
             gsl_multimin_function *fn,
             double a0,
             double b0,
             int fix_a,
             int fix_b)
{
    double best = HUGE_VAL;
    gsl_vector_set(w->start, 0, log(a0 / (1.0 - a0)));
    gsl_vector_set(w->start, 1, log(b0 / (1.0 - b0)));
    gsl_vector_set(w->step, 0, fix_a ? 0.0 : 1.0);
    gsl_vector_set(w->step, 1, fix_b ? 0.0 : 1.0);
    for (int restart = 0; restart <= TFP_HOLT_RESTARTS; restart++) {
        size_t it = 0;
        int st;
        double fv;
        if (gsl_multimin_fminimizer_set(w->nm, fn, w->start, w->step) != GSL_SUCCESS)
            return TFP_NAN;
        do {
            it++;
            if (gsl_multimin_fminimizer_iterate(w->nm) != GSL_SUCCESS)
                break; /* no further progress: keep the best point so far */
            st = gsl_multimin_test_size(gsl_multimin_fminimizer_size(w->nm), TFP_HOLT_SIMPLEX_TOL);
        } while (st == GSL_CONTINUE && it < TFP_HOLT_MAX_ITER);
        fv = w->nm->fval;
        if (!(fv < best))
            break;
        gsl_vector_memcpy(w->start, w->nm->x);
        if (!(fv < best - TFP_HOLT_RESTART_TOL * fabs(best))) {
            best = fv;
            break;
        }
        best = fv;
    }
    return best;
}

static int
holt_predict(tfp_forecast_ws *w,
             size_t m,
             size_t h,
             const tfp_forecast_opts *o,
             double *mu,
             double *se,
             tfp_forecast_fit *f)
{
    double alpha = o->holt_alpha, bstar = o->holt_beta, beta, l, b, e, sse, s2, q;
    int fix_a = !isnan(alpha), fix_b = !isnan(bstar);
    if (!fix_a || !fix_b) {
        /* The SSE can have several local minima (a corner at alpha = 1,
         * beta* = 0 is common on short series). Nelder-Mead on the logits
         * (so that the parameters stay in (0, 1); a fixed one is held by a
         * zero step) starts from the best point of a grid in each quadrant
         * of the (alpha, beta*) square; the lowest SSE wins. */
        holt_data d = {w->z, m};
        gsl_multimin_function fn = {holt_sse, 2, &d};
        double qa[4], qb[4], qv[4] = {HUGE_VAL, HUGE_VAL, HUGE_VAL, HUGE_VAL};
        double best = HUGE_VAL, ua = 0.0, ub = 0.0;
        for (int i = 0; i < TFP_HOLT_GRID; i++)
            for (int j = 0; j < TFP_HOLT_GRID; j++) {
                double ga = fix_a ? alpha : (i + 0.5) / TFP_HOLT_GRID;
                double gb = fix_b ? bstar : (j + 0.5) / TFP_HOLT_GRID;
                int k = 2 * (2 * i >= TFP_HOLT_GRID) + (2 * j >= TFP_HOLT_GRID);
                double v = holt_filter(w->z, m, ga, gb, &l, &b, &e);
                if (v < qv[k]) {
                    qv[k] = v;
                    qa[k] = ga;
                    qb[k] = gb;
                }
            }
        for (int k = 0; k < 4; k++) {
            double v;
            if (qv[k] == HUGE_VAL)
                continue;
            v = holt_descend(w, &fn, qa[k], qb[k], fix_a, fix_b);
            if (isnan(v))
                return TFP_ENUMERIC;
            if (v < best) {
                best = v;
                ua = gsl_vector_get(w->start, 0);
                ub = gsl_vector_get(w->start, 1);
            }
        }
        if (!fix_a)
            alpha = logistic(ua);
        if (!fix_b)
            bstar = logistic(ub);
    }
    sse = holt_filter(w->z, m, alpha, bstar, &l, &b, &e);
    s2 = sse / (double)(m - 3);
    beta = alpha * bstar;
    /* Growth in year m+1: l_m + b_m - z_m = b_m + (alpha - 1) e_m; later:
     * b_m. Variances from the innovations form (Hyndman et al. 2008, ch. 6):
     * the level's error at step k is e_{m+k} + sum_{i<k} (alpha + beta i)
     * e_{m+k-i}, whose variance is FPP3 Table 8.8's s^2 [1 + (k - 1)(alpha^2
     * + alpha beta k + beta^2 k (2k - 1) / 6)]. The growth's error is the
     * difference of the level errors at k and k - 1: e_{m+k} + (alpha + beta
     * - 1) e_{m+k-1} + beta (e_{m+k-2} + ... + e_{m+1}), variance s^2 [1 +
     * (alpha + beta - 1)^2 + (k - 2) beta^2] for k >= 2, s^2 for k = 1. */
    q = alpha + beta - 1.0;
    for (size_t k = 0; k < h; k++) {
        mu[k] = k == 0 ? b + (alpha - 1.0) * e : b;
        se[k] = k == 0 ? sqrt(s2) : sqrt(s2 * (1.0 + q * q + (double)(k - 1) * beta * beta));
    }
    f->sigma = sqrt(s2);
    f->p[0] = alpha;
    f->p[1] = bstar;
    f->level = l;
    f->trend = b;
    return TFP_OK;
}

/* ---- public entry points ------------------------------------------------------ */

static int
check_opts(const tfp_forecast_opts *o, tfp_error *err)
{
    if (!(o->level > 0.0 && o->level < 1.0))
        return tfp_fail(err, TFP_EINVAL, "interval level must be in (0, 1), got %g", o->level);
    if (!isnan(o->holt_alpha) && !(o->holt_alpha > 0.0 && o->holt_alpha < 1.0))
        return tfp_fail(err, TFP_EINVAL, "Holt alpha must be in (0, 1), got %g", o->holt_alpha);
    if (!isnan(o->holt_beta) && !(o->holt_beta > 0.0 && o->holt_beta < 1.0))
        return tfp_fail(err, TFP_EINVAL, "Holt beta must be in (0, 1), got %g", o->holt_beta);
    return TFP_OK;
}

static int
is_log(const tfp_forecast_opts *o)
{
    return o->form == TFP_GROWTH_LOG;
}

/* Loads g_1..g_m into w->x (log growth) and w->z (levels from 0). */
static int
load(tfp_forecast_ws *w, const double *g, size_t m, const tfp_forecast_opts *o, tfp_error *err)
{
    w->z[0] = 0.0;
    for (size_t t = 0; t < m; t++) {
        if (!isfinite(g[t]) || (!is_log(o) && !(g[t] > -1.0)))
            return tfp_fail(err, TFP_EINPUT, "growth rate %zu of the series is %g: %s", t + 1, g[t],
                            isfinite(g[t]) ? "a fall of 100 % or more" : "not a number");
        w->x[t] = is_log(o) ? g[t] : log1p(g[t]);
        w->z[t + 1] = w->z[t] + w->x[t];
    }
    return TFP_OK;
}

/* The forecasts of the loaded series, log scale: mu, se (h each). */
static int
predict_loaded(tfp_forecast_model model,
               tfp_forecast_ws *w,
               size_t m,
               size_t h,
               const tfp_forecast_opts *o,
               double *mu,
               double *se,
               tfp_forecast_fit *f,
               tfp_error *err)
{
    int rc = TFP_OK;
    f->level = f->trend = TFP_NAN;
    switch (model) {
    case TFP_FORECAST_DRIFT:
        drift_predict(w->x, m, h, mu, se, f);
        break;
    case TFP_FORECAST_TREND:
        rc = trend_predict(w, m, h, mu, se, f);
        break;
    case TFP_FORECAST_AR1:
        rc = ar1_predict(w->x, m, h, mu, se, f);
        break;
    case TFP_FORECAST_HOLT:
        rc = holt_predict(w, m, h, o, mu, se, f);
        break;
    default:
        return tfp_fail(err, TFP_EINVAL, "unknown forecast model %d", (int)model);
    }
    if (rc != TFP_OK)
        return tfp_fail(err, rc, "%s model: least squares failed on %zu growth rates",
                        tfp_forecast_model_name(model), m);
    return TFP_OK;
}

int
tfp_forecast_predict(tfp_forecast_model model,
                     const double *g,
                     size_t m,
                     size_t h,
                     const tfp_forecast_opts *o,
                     tfp_forecast_ws *w,
                     double *mean,
                     double *lo,
                     double *hi,
                     tfp_forecast_fit *fit,
                     tfp_error *err)
{
    tfp_forecast_fit f;
    double zq;
    int rc = check_opts(o, err);
    if (rc != TFP_OK)
        return rc;
    if (h == 0)
        return tfp_fail(err, TFP_EINVAL, "forecast horizon must be at least 1 year");
    if (m > w->nmax)
        return tfp_fail(err, TFP_EINVAL, "forecast workspace holds %zu growth rates, %zu given",
                        w->nmax, m);
    if (m < TFP_FORECAST_MIN_OBS)
        return tfp_fail(err, TFP_ENUMERIC,
                        "%s model needs at least %d growth rates, the series has %zu",
                        tfp_forecast_model_name(model), TFP_FORECAST_MIN_OBS, m);
    rc = load(w, g, m, o, err);
    if (rc == TFP_OK)
        rc = predict_loaded(model, w, m, h, o, mean, hi, &f, err); /* hi holds se for now */
    if (rc != TFP_OK)
        return rc;
    zq = gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * o->level);
    for (size_t k = 0; k < h; k++) {
        double mu = mean[k], se = hi[k];
        if (is_log(o)) {
            lo[k] = mu - zq * se;
            hi[k] = mu + zq * se;
        } else {
            /* exp(x) - 1 is increasing: the interval's ends map to the ends. */
            mean[k] = expm1(mu);
            lo[k] = expm1(mu - zq * se);
            hi[k] = expm1(mu + zq * se);
        }
    }
    if (fit != NULL)
        *fit = f;
    return TFP_OK;
}

int
tfp_forecast_backtest(tfp_forecast_model model,
                      const double *g,
                      size_t m,
                      size_t min_train,
                      size_t h,
                      const tfp_forecast_opts *o,
                      tfp_forecast_ws *w,
                      tfp_forecast_accuracy *acc,
                      tfp_error *err)
{
    int rc;
    size_t k;
    if (min_train < TFP_FORECAST_MIN_OBS)
        return tfp_fail(err, TFP_EINVAL, "backtest training window must be at least %d years",
                        TFP_FORECAST_MIN_OBS);
    if (h == 0)
        return tfp_fail(err, TFP_EINVAL, "forecast horizon must be at least 1 year");
    if (m > w->nmax)
        return tfp_fail(err, TFP_EINVAL, "forecast workspace holds %zu growth rates, %zu given",
                        w->nmax, m);
    /* Sums per horizon, kept in acc until the end: mae = sum |e|, rmse =
     * sum e^2, mape = sum |e / actual|. */
    for (k = 0; k < h; k++) {
        acc[k].n = 0;
        acc[k].zero_count = 0;
        acc[k].mae = acc[k].rmse = acc[k].mape = 0.0;
    }
    for (size_t origin = min_train; origin < m; origin++) {
        size_t steps = m - origin < h ? m - origin : h;
        rc = tfp_forecast_predict(model, g, origin, steps, o, w, w->mean, w->lo, w->hi, NULL, err);
        if (rc != TFP_OK)
            return rc;
        for (k = 0; k < steps; k++) {
            double actual = g[origin + k], e = actual - w->mean[k];
            acc[k].n++;
            acc[k].mae += fabs(e);
            acc[k].rmse += e * e;
            if (actual == 0.0)
                acc[k].zero_count++;
            else
                acc[k].mape += fabs(e / actual);
        }
    }
    for (k = 0; k < h; k++) {
        double n = (double)acc[k].n;
        if (acc[k].n == 0) {
            acc[k].mae = acc[k].rmse = acc[k].mape = TFP_NAN;
            continue;
        }
        acc[k].mae /= n;
        acc[k].rmse = sqrt(acc[k].rmse / n);
        acc[k].mape = acc[k].zero_count > 0 ? TFP_NAN : acc[k].mape / n;
    }
    return TFP_OK;
}
