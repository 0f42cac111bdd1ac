/*
 * Sensitivity grid of the period TFP share (analysis layer): capital share
 * x depreciation x initial capital, by re-running the estimate on copies of
 * its input, and the exact bands of capital shares where each target
 * status holds. References: OECD (2009), Measuring Capital, ch. 6 (PIM);
 * Harberger (1978) for K_0; DESIGN section 3 for the period summary.
 */
#include "tfp/sensitivity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/growth.h"
#include "tfp/prep.h"
#include "tfp/targets.h"

static const char *const k0_names[TFP_K0_COUNT] = {"harberger", "given", "harberger_x0.5",
                                                   "harberger_x2"};

const char *
tfp_k0_method_name(tfp_k0_method m)
{
    return (unsigned)m < TFP_K0_COUNT ? k0_names[m] : "";
}

int
tfp_k0_method_parse(const char *s, tfp_k0_method *m, tfp_error *err)
{
    for (int k = 0; k < TFP_K0_COUNT; k++)
        if (strcmp(s, k0_names[k]) == 0) {
            *m = (tfp_k0_method)k;
            return TFP_OK;
        }
    if (strcmp(s, "half") == 0) {
        *m = TFP_K0_HALF;
        return TFP_OK;
    }
    if (strcmp(s, "double") == 0) {
        *m = TFP_K0_DOUBLE;
        return TFP_OK;
    }
    return tfp_fail(err, TFP_EINVAL,
                    "unknown initial-capital method \"%s\" (known: harberger, given, half, double)",
                    s);
}

void
tfp_sensitivity_opts_init(tfp_sensitivity_opts *o)
{
    o->share_from = TFP_DEFAULT_SENS_SHARE_FROM;
    o->share_to = TFP_DEFAULT_SENS_SHARE_TO;
    o->share_step = TFP_DEFAULT_SENS_SHARE_STEP;
    o->delta_from = TFP_DEFAULT_SENS_DELTA_FROM;
    o->delta_to = TFP_DEFAULT_SENS_DELTA_TO;
    o->delta_step = TFP_DEFAULT_SENS_DELTA_STEP;
    o->k0_methods = (1u << TFP_K0_COUNT) - 1u;
}

/* x rounded to 12 significant digits (the nearest double to that decimal). */
static double
round12(double x)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.12g", x);
    return strtod(buf, NULL);
}

int
tfp_sensitivity_points(double from,
                       double to,
                       double step,
                       double *out,
                       size_t max,
                       size_t *n,
                       tfp_error *err)
{
    double count;
    *n = 0;
    if (!isfinite(from) || !isfinite(to) || to < from)
        return tfp_fail(err, TFP_EINVAL, "a grid runs from a number to a larger one, got %g:%g",
                        from, to);
    if (from == to) {
        if (max < 1)
            return tfp_fail(err, TFP_EINVAL, "no room for a grid point");
        out[(*n)++] = from;
        return TFP_OK;
    }
    if (!(step > 0.0) || !isfinite(step))
        return tfp_fail(err, TFP_EINVAL, "a grid step must be positive, got %g", step);
    count = floor((to - from) / step + 1e-9) + 1.0;
    if (count > (double)max)
        return tfp_fail(err, TFP_EINVAL, "the grid %g:%g:%g has more than %zu points", from, to,
                        step, max);
    for (size_t i = 0; i < (size_t)count; i++)
        out[(*n)++] = round12(from + (double)i * step);
    return TFP_OK;
}

void
tfp_sensitivity_free(tfp_sensitivity *s)
{
    if (s == NULL)
        return;
    tfp_free(s->cell);
    tfp_free(s->band);
    tfp_warnings_fini(&s->warnings);
    tfp_free(s);
}

/* A copy of the input of an estimate, for a re-run: capital left out when
 * the perpetual inventory built it. NULL with err on failure. */
static tfp_panel *
panel_copy(const tfp_panel *p, int drop_capital, tfp_error *err)
{
    tfp_panel *q = tfp_panel_alloc_like(p, p->n, 1, err);
    size_t m;
    if (q == NULL)
        return NULL;
    m = p->n == 0 ? 1 : p->n;
    memcpy(q->year, p->year, p->n * sizeof *p->year);
    memcpy(q->region, p->region, p->n * sizeof *p->region);
    memcpy(q->sector, p->sector, p->n * sizeof *p->sector);
    memcpy(q->line, p->line, p->n * sizeof *p->line);
    for (int k = 0; k < TFP_ROLE_COUNT; k++)
        if (p->x[k] != NULL && q->x[k] != NULL)
            memcpy(q->x[k], p->x[k], m * sizeof(double));
    if (drop_capital) {
        tfp_free(q->x[TFP_ROLE_CAPITAL]);
        q->x[TFP_ROLE_CAPITAL] = NULL;
    }
    if (tfp_panel_finish(q, err) != TFP_OK) {
        tfp_panel_free(q);
        return NULL;
    }
    return q;
}

/* Capital of q by perpetual inventory for one (delta, K_0) point: K_0 the
 * Harberger stock times scale, or k0 when given. */
static int
pim_capital(tfp_panel *q, double delta, tfp_k0_method m, double k0, tfp_error *err)
{
    const double *I = q->x[TFP_ROLE_INVESTMENT];
    double *K = tfp_mallocn(q->n == 0 ? 1 : q->n, sizeof *K);
    double scale = m == TFP_K0_HALF ? 0.5 : (m == TFP_K0_DOUBLE ? 2.0 : 1.0);
    if (K == NULL)
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    for (size_t u = 0; u < q->nunit; u++) {
        size_t s = q->unit_start[u], n = q->unit_start[u + 1] - s, broken;
        int rc = tfp_pim_series(q->year + s, I + s, n, delta, m == TFP_K0_GIVEN ? k0 : TFP_NAN,
                                K + s, &broken, err);
        if (rc == TFP_OK && scale != 1.0 && n > 0)
            rc = tfp_pim_series(q->year + s, I + s, n, delta, scale * K[s], K + s, &broken, err);
        if (rc != TFP_OK) {
            tfp_free(K);
            return rc;
        }
    }
    q->x[TFP_ROLE_CAPITAL] = K;
    return TFP_OK;
}

/* The status of a TFP share v, as tfp_targets_check gives it. */
static const char *
status_of(double v, const tfp_targets *t, int complete)
{
    tfp_growth_summary s;
    tfp_target_check c[TFP_TARGET_COUNT];
    memset(&s, 0, sizeof s);
    s.complete = complete;
    s.lp_compound = TFP_NAN;
    s.share_A = v;
    s.share_A_last = TFP_NAN;
    tfp_targets_check(&s, t, c);
    return c[TFP_TARGET_TFP_PERIOD].status;
}

/*
 * The bands of one region's summary s over capital shares [bmin, bmax]:
 * share(b) = a - c b with a = (g_Y - g_L)/g_Y, c = (g_K - g_L)/g_Y; the
 * statuses change only where share(b) meets a goal, b = (a - goal)/c.
 * Writes at most 3 bands (one per status) to out; returns how many.
 */
static size_t
bands_of(const tfp_growth_summary *s,
         const tfp_targets *t,
         double bmin,
         double bmax,
         tfp_sensitivity_band *out)
{
    double a = (s->g_Y - s->g_L) / s->g_Y, c = (s->g_K - s->g_L) / s->g_Y;
    double cut[4];
    size_t ncut = 0, nb = 0, i, j;
    if (!isfinite(a) || !isfinite(c) || fabs(s->g_Y) <= TFP_SHARE_DENOM_EPS) {
        out[0].status = "undefined";
        out[0].from = bmin;
        out[0].to = bmax;
        return 1;
    }
    cut[ncut++] = bmin;
    if (c != 0.0) {
        double g[2] = {t->tfp_lo, t->tfp_hi};
        for (i = 0; i < (s->complete ? 2u : 1u); i++) {
            double b = (a - g[i]) / c;
            if (b > bmin && b < bmax)
                cut[ncut++] = b;
        }
    }
    cut[ncut++] = bmax;
    /* Sort the inner cuts (at most two). */
    if (ncut == 4 && cut[1] > cut[2]) {
        double x = cut[1];
        cut[1] = cut[2];
        cut[2] = x;
    }
    for (i = 0; i + 1 < ncut; i++) {
        double mid = 0.5 * (cut[i] + cut[i + 1]);
        const char *st = status_of(a - c * mid, t, s->complete);
        if (cut[i + 1] <= cut[i] && ncut > 2)
            continue;
        for (j = 0; j < nb && strcmp(out[j].status, st) != 0; j++)
            ;
        if (j < nb) {
            out[j].to = cut[i + 1];
            continue;
        }
        out[nb].status = st;
        out[nb].from = cut[i];
        out[nb].to = cut[i + 1];
        nb++;
    }
    return nb;
}

static int
is_total(const tfp_estimate *e, size_t u)
{
    return !e->has_sectors || e->unit[u].sector == NULL;
}

int
tfp_sensitivity_run(const tfp_estimate *base,
                    const tfp_sensitivity_opts *o,
                    tfp_sensitivity **out,
                    tfp_error *err)
{
    tfp_sensitivity *S;
    double shares[TFP_SENS_MAX_POINTS], deltas[TFP_SENS_MAX_POINTS];
    int k0s[TFP_K0_COUNT];
    size_t ns = 0, nd = 0, nk = 0, nreg = 0, u, di, ki;
    int rc;
    *out = NULL;
    S = tfp_calloc(1, sizeof *S);
    if (S == NULL)
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    tfp_warnings_init(&S->warnings);
    S->opts = *o;
    S->capital_from_pim = base->capital_from_pim;
    S->share_varies = !(base->opts.growth.method == TFP_METHOD_TORNQVIST &&
                        base->panel->x[TFP_ROLE_LABOUR_SHARE] != NULL);
    rc = TFP_OK;
    if (S->share_varies) {
        rc = tfp_sensitivity_points(o->share_from, o->share_to, o->share_step, shares,
                                    TFP_SENS_MAX_POINTS, &ns, err);
        if (rc == TFP_OK && !(shares[0] > 0.0 && shares[ns - 1] < 1.0))
            rc = tfp_fail(err, TFP_EINVAL, "capital shares must lie in (0, 1), got %g:%g",
                          shares[0], shares[ns - 1]);
    } else {
        shares[ns++] = base->opts.growth.capital_share;
    }
    if (rc == TFP_OK && S->capital_from_pim) {
        rc = tfp_sensitivity_points(o->delta_from, o->delta_to, o->delta_step, deltas,
                                    TFP_SENS_MAX_POINTS, &nd, err);
        if (rc == TFP_OK && !(deltas[0] >= 0.0 && deltas[nd - 1] < 1.0))
            rc = tfp_fail(err, TFP_EINVAL, "depreciation rates must lie in [0, 1), got %g:%g",
                          deltas[0], deltas[nd - 1]);
        for (int k = 0; k < TFP_K0_COUNT; k++)
            if ((o->k0_methods & (1u << k)) && (k != TFP_K0_GIVEN || isfinite(base->opts.k0)))
                k0s[nk++] = k;
        if (rc == TFP_OK && nk == 0)
            rc = tfp_fail(err, TFP_EINVAL, "no initial-capital method left (given needs --k0)");
        S->opts.k0_methods = 0;
        for (ki = 0; ki < nk; ki++)
            S->opts.k0_methods |= 1u << k0s[ki];
    } else {
        deltas[nd++] = TFP_NAN;
        k0s[nk++] = -1;
    }
    for (u = 0; u < base->nunit; u++)
        nreg += (size_t)is_total(base, u);
    S->nshare = ns;
    S->ndelta = nd;
    S->nk0 = nk;
    if (rc == TFP_OK) {
        S->ncell = nreg * nd * nk * ns;
        S->cell = tfp_calloc(S->ncell == 0 ? 1 : S->ncell, sizeof *S->cell);
        S->band = tfp_calloc(nreg * nd * nk * 3 + 1, sizeof *S->band);
        if (S->cell == NULL || S->band == NULL)
            rc = tfp_fail(err, TFP_ENOMEM, "out of memory");
    }
    for (di = 0; rc == TFP_OK && di < nd; di++)
        for (ki = 0; rc == TFP_OK && ki < nk; ki++) {
            tfp_estimate_opts eo = base->opts;
            tfp_estimate *e = NULL;
            tfp_growth_result *g = NULL;
            tfp_panel *q = panel_copy(base->panel, S->capital_from_pim, err);
            tfp_error local;
            size_t reg = 0, nmax = 1, si;
            int failed = 0;
            if (q == NULL) {
                rc = err != NULL && err->code != TFP_OK ? err->code : TFP_ENOMEM;
                break;
            }
            tfp_error_init(&local);
            if (S->capital_from_pim) {
                eo.delta = deltas[di];
                rc = pim_capital(q, deltas[di], (tfp_k0_method)k0s[ki], base->opts.k0, &local);
            }
            if (rc == TFP_OK) {
                rc = tfp_estimate_run(q, &eo, &e, &local); /* takes q */
                q = NULL;
            }
            tfp_panel_free(q);
            if (rc == TFP_ENUMERIC || rc == TFP_EINPUT) {
                /* This point cannot be estimated: its cells stay undefined. */
                if (tfp_warnings_add(&S->warnings, "depreciation %g, %s initial capital: %s",
                                     deltas[di], tfp_k0_method_name((tfp_k0_method)k0s[ki]),
                                     local.msg) != TFP_OK)
                    rc = tfp_fail(err, TFP_ENOMEM, "out of memory");
                else
                    rc = TFP_OK;
                failed = 1;
            } else if (rc != TFP_OK) {
                tfp_fail(err, rc, "%s", local.msg);
                break;
            }
            for (u = 0; !failed && u < e->nunit; u++)
                nmax = e->unit[u].in.n > nmax ? e->unit[u].in.n : nmax;
            if (!failed) {
                g = tfp_growth_result_alloc(nmax, err);
                if (g == NULL)
                    rc = TFP_ENOMEM;
            }
            for (u = 0; rc == TFP_OK && u < base->nunit; u++) {
                const tfp_unit *un;
                tfp_sensitivity_band bands[3];
                size_t nb, b;
                if (!is_total(base, u))
                    continue;
                un = failed ? NULL : &e->unit[u];
                for (si = 0; rc == TFP_OK && si < ns; si++) {
                    size_t at = ((reg * nd + di) * nk + ki) * ns + si;
                    tfp_sensitivity_cell *c = &S->cell[at];
                    tfp_growth_opts go = failed ? base->opts.growth : e->opts.growth;
                    tfp_growth_summary s;
                    c->region = base->unit[u].region;
                    c->capital_share = S->share_varies ? shares[si] : TFP_NAN;
                    c->delta = deltas[di];
                    c->k0 = k0s[ki];
                    c->tfp_share = TFP_NAN;
                    c->status = "undefined";
                    if (failed)
                        continue;
                    go.capital_share = shares[si];
                    rc = tfp_growth_fit(&un->in, &go, g, err);
                    if (rc == TFP_OK)
                        rc = tfp_growth_summarize(&un->in, g, &go, e->opts.from, e->opts.to, NULL,
                                                  &s, NULL, err);
                    if (rc == TFP_OK) {
                        c->tfp_share = s.share_A;
                        c->status = status_of(s.share_A, &e->opts.targets, s.complete);
                    }
                    if (rc == TFP_OK && si == 0) {
                        /* The bands, from the averages (which b does not change). */
                        if (S->share_varies) {
                            nb = bands_of(&s, &e->opts.targets, shares[0], shares[ns - 1], bands);
                        } else {
                            bands[0].status = c->status;
                            bands[0].from = bands[0].to = TFP_NAN;
                            nb = 1;
                        }
                        for (b = 0; b < nb; b++) {
                            tfp_sensitivity_band *d = &S->band[S->nband++];
                            *d = bands[b];
                            d->region = c->region;
                            d->delta = deltas[di];
                            d->k0 = k0s[ki];
                        }
                    }
                }
                if (failed) {
                    tfp_sensitivity_band *d = &S->band[S->nband++];
                    d->region = base->unit[u].region;
                    d->delta = deltas[di];
                    d->k0 = k0s[ki];
                    d->status = "undefined";
                    d->from = S->share_varies ? shares[0] : TFP_NAN;
                    d->to = S->share_varies ? shares[ns - 1] : TFP_NAN;
                }
                reg++;
            }
            tfp_growth_result_free(g);
            tfp_estimate_free(e);
        }
    if (rc == TFP_OK && S->nband > 0) {
        /* Bands were made point by point; list them region by region. */
        tfp_sensitivity_band *sorted = tfp_mallocn(S->nband, sizeof *sorted);
        size_t k = 0, b;
        if (sorted == NULL) {
            rc = tfp_fail(err, TFP_ENOMEM, "out of memory");
        } else {
            for (u = 0; u < base->nunit; u++)
                for (b = 0; is_total(base, u) && b < S->nband; b++)
                    if (S->band[b].region == base->unit[u].region)
                        sorted[k++] = S->band[b];
            tfp_free(S->band);
            S->band = sorted;
        }
    }
    if (rc != TFP_OK) {
        tfp_sensitivity_free(S);
        return rc;
    }
    *out = S;
    return TFP_OK;
}
