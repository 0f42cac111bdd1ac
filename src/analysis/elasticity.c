/*
 * The capital elasticity from a production-function fit (analysis layer):
 * builds the design from a panel's arrays and calls the panel regressions
 * of the models layer. See include/tfp/elasticity.h.
 */
#include "tfp/elasticity.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/panelreg.h"

const char *
tfp_share_source_name(tfp_share_source s)
{
    switch (s) {
    case TFP_SHARE_FIT_CRS:
        return "crs";
    case TFP_SHARE_FIT_WITHIN:
        return "within";
    case TFP_SHARE_FIT_TWOWAYS:
        return "twoways";
    default:
        return "fixed";
    }
}

int
tfp_share_source_parse(const char *s, tfp_share_source *src, tfp_error *err)
{
    if (strcmp(s, "fit") == 0 || strcmp(s, "fit:crs") == 0)
        *src = TFP_SHARE_FIT_CRS;
    else if (strcmp(s, "fit:within") == 0)
        *src = TFP_SHARE_FIT_WITHIN;
    else if (strcmp(s, "fit:twoways") == 0)
        *src = TFP_SHARE_FIT_TWOWAYS;
    else
        return tfp_fail(err, TFP_EINVAL,
                        "capital share \"%s\": expected a number or fit, fit:crs, fit:within, "
                        "fit:twoways",
                        s);
    return TFP_OK;
}

static int
usable(const tfp_panel *p, const double *L, size_t i)
{
    const double *Y = p->x[TFP_ROLE_OUTPUT], *K = p->x[TFP_ROLE_CAPITAL];
    return Y[i] > 0.0 && L[i] > 0.0 && K[i] > 0.0 && isfinite(Y[i]) && isfinite(L[i]) &&
           isfinite(K[i]);
}

int
tfp_elasticity_fit(const tfp_panel *p,
                   const double *L,
                   tfp_share_source src,
                   tfp_elasticity *out,
                   tfp_error *err)
{
    static const char *const names_crs[] = {"(Intercept)", "log(K/L)", "year"};
    static const char *const names_within[] = {"(Intercept)", "log(K)", "log(L)", "year"};
    const double *Y = p->x[TFP_ROLE_OUTPUT], *K = p->x[TFP_ROLE_CAPITAL];
    tfp_panelreg_data d;
    tfp_panelreg_opts o;
    tfp_panelreg_ws *w = NULL;
    tfp_panelreg_result *res = NULL;
    double *X = NULL, *y = NULL, ybar = 0.0;
    uint32_t *unit = NULL, *time = NULL;
    size_t i, n = 0, k, pc = src == TFP_SHARE_FIT_CRS ? 3 : (src == TFP_SHARE_FIT_WITHIN ? 4 : 3);
    int ymin = 0, ymax = 0, rc = TFP_OK;

    memset(out, 0, sizeof *out);
    out->source = src;
    out->b = out->se = out->r_squared = TFP_NAN;
    if (src == TFP_SHARE_FIXED)
        return tfp_fail(err, TFP_EINVAL, "no fit asked for");
    if (K == NULL)
        return tfp_fail(err, TFP_EINVAL, "no capital series to fit");
    for (i = 0; i < p->n; i++) {
        if (!usable(p, L, i))
            continue;
        if (n == 0 || p->year[i] < ymin)
            ymin = p->year[i];
        if (n == 0 || p->year[i] > ymax)
            ymax = p->year[i];
        ybar += p->year[i];
        n++;
    }
    if (n <= pc + (src != TFP_SHARE_FIT_CRS ? p->nregion : 0))
        return tfp_fail(err, TFP_ENUMERIC,
                        "too few observations (%zu) to estimate the capital elasticity by a %s "
                        "fit",
                        n, tfp_share_source_name(src));
    ybar /= (double)n;
    X = tfp_mallocn(n, pc * sizeof *X);
    y = tfp_mallocn(n, sizeof *y);
    unit = tfp_mallocn(n, sizeof *unit);
    time = tfp_mallocn(n, sizeof *time);
    if (X == NULL || y == NULL || unit == NULL || time == NULL) {
        rc = tfp_fail(err, TFP_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0, k = 0; i < p->n; i++) {
        double *x = X + k * pc;
        if (!usable(p, L, i))
            continue;
        unit[k] = p->region[i];
        time[k] = (uint32_t)(p->year[i] - ymin);
        x[0] = 1.0;
        if (src == TFP_SHARE_FIT_CRS) {
            /* log(Y/L) = c + b log(K/L) + g (year - mean year) */
            y[k] = log(Y[i] / L[i]);
            x[1] = log(K[i] / L[i]);
            x[2] = p->year[i] - ybar;
        } else {
            y[k] = log(Y[i]);
            x[1] = log(K[i]);
            x[2] = log(L[i]);
            if (src == TFP_SHARE_FIT_WITHIN)
                x[3] = p->year[i] - ybar;
        }
        k++;
    }
    memset(&d, 0, sizeof d);
    d.n = n;
    d.p = pc;
    d.X = X;
    d.y = y;
    d.intercept = 1;
    d.names = src == TFP_SHARE_FIT_CRS ? names_crs : names_within;
    d.unit = unit;
    d.nunits = p->nregion;
    d.time = time;
    d.ntimes = (size_t)(ymax - ymin + 1);
    tfp_panelreg_opts_init(&o);
    o.model = src == TFP_SHARE_FIT_CRS      ? TFP_PANELREG_POOLING
              : src == TFP_SHARE_FIT_WITHIN ? TFP_PANELREG_WITHIN
                                            : TFP_PANELREG_TWOWAYS;
    w = tfp_panelreg_ws_alloc(n, pc, d.nunits, d.ntimes, err);
    res = w != NULL ? tfp_panelreg_result_alloc(pc, 0, d.nunits, err) : NULL;
    if (w == NULL || res == NULL) {
        rc = err != NULL && err->code != TFP_OK ? err->code : TFP_ENOMEM;
        goto done;
    }
    rc = tfp_panelreg_fit(&d, &o, w, res, err);
    if (rc != TFP_OK)
        goto done;
    k = tfp_panelreg_coef_get(res, src == TFP_SHARE_FIT_CRS ? "log(K/L)" : "log(K)");
    if (k == SIZE_MAX) {
        rc = tfp_fail(err, TFP_ENUMERIC, "the capital coefficient was not estimated");
        goto done;
    }
    out->b = res->fit->beta[k];
    out->se = res->fit->se[k];
    out->r_squared = res->fit->r_squared;
    out->n = n;
    out->nunits = res->nunits;
done:
    tfp_panelreg_result_free(res);
    tfp_panelreg_ws_free(w);
    tfp_free(X);
    tfp_free(y);
    tfp_free(unit);
    tfp_free(time);
    return rc;
}
