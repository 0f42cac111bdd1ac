/*
 * Capital by the perpetual inventory method and the stock/flow check (prep
 * layer). References: OECD (2009), Measuring Capital, ch. 6; Harberger
 * (1978) for the initial stock K_0 = I_0 / (g_I + delta).
 */
#include <math.h>
#include <stdio.h>

#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/prep.h"

int
tfp_pim_series(const int *year,
               const double *I,
               size_t n,
               double delta,
               double k0,
               double *K,
               size_t *broken,
               tfp_error *err)
{
    size_t t, m = 0;
    *broken = n;
    if (n == 0)
        return TFP_OK;
    if (!(delta >= 0.0 && delta < 1.0))
        return tfp_fail(err, TFP_EINVAL, "depreciation rate must be in [0, 1), got %g", delta);
    if (!isfinite(k0)) {
        double g_I = 0.0;
        /* Harberger: compound investment growth over the first consecutive
         * years with positive investment, at most TFP_HARBERGER_YEARS. */
        while (m + 1 < n && m < TFP_HARBERGER_YEARS && year[m + 1] == year[m] + 1 &&
               I[m + 1] > 0.0 && I[0] > 0.0)
            m++;
        if (m > 0)
            g_I = pow(I[m] / I[0], 1.0 / (double)m) - 1.0;
        if (!(g_I + delta > 0.0))
            return tfp_fail(err, TFP_ENUMERIC,
                            "Harberger initial capital undefined: investment growth %.4g plus "
                            "depreciation %.4g is not positive; give --k0",
                            g_I, delta);
        k0 = I[0] / (g_I + delta);
    }
    if (!(k0 >= 0.0) || !isfinite(I[0])) {
        *broken = 0;
        for (t = 0; t < n; t++)
            K[t] = TFP_NAN;
        return TFP_OK;
    }
    K[0] = k0;
    for (t = 1; t < n; t++) {
        if (*broken < n || year[t] != year[t - 1] + 1 || !isfinite(I[t])) {
            if (*broken == n)
                *broken = t;
            K[t] = TFP_NAN;
            continue;
        }
        K[t] = (1.0 - delta) * K[t - 1] + I[t];
    }
    return TFP_OK;
}

static const char *
unit_name(const tfp_panel *p, size_t row, char *buf, size_t n)
{
    const char *r = p->region_names[p->region[row]];
    if (p->nsector > 0)
        snprintf(buf, n, "%s / %s", r[0] ? r : "data", p->sector_names[p->sector[row]]);
    else
        snprintf(buf, n, "%s", r[0] ? r : "data");
    return buf;
}

int
tfp_prep_pim(tfp_panel *p, double delta, double k0, tfp_error *err)
{
    const double *I = p->x[TFP_ROLE_INVESTMENT];
    double *K;
    char name[160];
    if (p->x[TFP_ROLE_CAPITAL] != NULL || I == NULL)
        return TFP_OK;
    K = tfp_mallocn(p->n == 0 ? 1 : p->n, sizeof *K);
    if (K == NULL)
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    for (size_t u = 0; u < p->nunit; u++) {
        size_t s = p->unit_start[u], n = p->unit_start[u + 1] - s, broken;
        int rc = tfp_pim_series(p->year + s, I + s, n, delta, k0, K + s, &broken, err);
        if (rc != TFP_OK) {
            tfp_free(K);
            return rc;
        }
        if (broken < n &&
            tfp_warnings_add(&p->warnings,
                             "%s: investment missing or a gap in %d; capital by perpetual "
                             "inventory undefined from then on",
                             unit_name(p, s, name, sizeof name), p->year[s + broken]) != TFP_OK) {
            tfp_free(K);
            return tfp_fail(err, TFP_ENOMEM, "out of memory");
        }
    }
    p->x[TFP_ROLE_CAPITAL] = K;
    return TFP_OK;
}

int
tfp_prep_check_capital(tfp_panel *p, double delta, tfp_error *err)
{
    const double *K = p->x[TFP_ROLE_CAPITAL];
    char name[160];
    if (K == NULL)
        return TFP_OK;
    for (size_t u = 0; u < p->nunit; u++) {
        size_t s = p->unit_start[u], e = p->unit_start[u + 1], count = 0, first = 0;
        for (size_t t = s + 1; t < e; t++) {
            if (p->year[t] == p->year[t - 1] + 1 && K[t] < (1.0 - delta) * K[t - 1]) {
                if (count++ == 0)
                    first = t;
            }
        }
        if (count > 0 &&
            tfp_warnings_add(&p->warnings,
                             "%s: capital falls faster than %.3g depreciation allows in %d "
                             "(%zu year%s in all); is this column a flow (investment) rather "
                             "than a stock?",
                             unit_name(p, s, name, sizeof name), delta, p->year[first], count,
                             count == 1 ? "" : "s") != TFP_OK)
            return tfp_fail(err, TFP_ENOMEM, "out of memory");
    }
    return TFP_OK;
}
