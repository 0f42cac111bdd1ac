/*
 * Shift-share decomposition of aggregate labour productivity (analysis
 * layer): within-sector, static and dynamic structural effects and the
 * product-tax term, per region over a plan period (include/tfp/shiftshare.h
 * for the formulas and references).
 */
#include "tfp/shiftshare.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "tfp/alloc.h"
#include "tfp/config.h"

int
tfp_shiftshare_fit(size_t k,
                   const double *Y0,
                   const double *L0,
                   const double *Y1,
                   const double *L1,
                   double T0,
                   double T1,
                   tfp_shiftshare_parts *out,
                   tfp_error *err)
{
    double sY0 = T0, sY1 = T1, sL0 = 0.0, sL1 = 0.0;
    double within = 0.0, stat = 0.0, dyn = 0.0;
    size_t i;
    if (k == 0)
        return tfp_fail(err, TFP_EINVAL, "shift-share needs at least one sector");
    for (i = 0; i < k; i++) {
        sY0 += Y0[i];
        sY1 += Y1[i];
        sL0 += L0[i];
        sL1 += L1[i];
        if (!(L0[i] > 0.0) || !(L1[i] > 0.0))
            sL0 = sL1 = TFP_NAN; /* a sector without labour has no productivity */
    }
    out->lp_base = sY0 / sL0;
    out->lp_last = sY1 / sL1;
    out->total = out->lp_last - out->lp_base;
    for (i = 0; i < k; i++) {
        double P0 = Y0[i] / L0[i], P1 = Y1[i] / L1[i];
        double S0 = L0[i] / sL0, S1 = L1[i] / sL1;
        double dP = P1 - P0, dS = S1 - S0;
        within += dP * S0;
        stat += P0 * dS;
        dyn += dP * dS;
    }
    out->within = within;
    out->static_shift = stat;
    out->dynamic_shift = dyn;
    out->taxes = T1 / sL1 - T0 / sL0;
    if (!isfinite(out->lp_base) || !isfinite(out->lp_last) || !isfinite(out->total) ||
        !isfinite(out->within) || !isfinite(out->static_shift) || !isfinite(out->dynamic_shift) ||
        !isfinite(out->taxes)) {
        /* Productivities beyond the doubles (a labour input near zero): undefined, not inf. */
        out->lp_base = out->lp_last = out->total = TFP_NAN;
        out->within = out->static_shift = out->dynamic_shift = out->taxes = TFP_NAN;
    }
    return TFP_OK;
}

void
tfp_shiftshare_free(tfp_shiftshare *s)
{
    if (s == NULL)
        return;
    tfp_free(s->region);
    tfp_free(s);
}

/* The row of unit u of p with year y, or SIZE_MAX (rows are sorted by year). */
static size_t
find_year(const tfp_panel *p, size_t u, int y)
{
    size_t lo = p->unit_start[u], hi = p->unit_start[u + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->year[mid] < y)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->unit_start[u + 1] && p->year[lo] == y ? lo : SIZE_MAX;
}

/* One region's sectors (units u0..u1 of p) and product taxes (unit v of
 * taxes, SIZE_MAX when none) in year y: 1 when all have output and labour,
 * with Y, L and *T filled. */
static int
gather(const tfp_panel *p,
       size_t u0,
       size_t u1,
       const tfp_panel *taxes,
       size_t v,
       int y,
       double *Y,
       double *L,
       double *T)
{
    const double *py = p->x[TFP_ROLE_OUTPUT], *pl = p->x[TFP_ROLE_LABOUR];
    *T = 0.0;
    for (size_t u = u0; u < u1; u++) {
        size_t i = find_year(p, u, y);
        if (i == SIZE_MAX || !isfinite(py[i]) || !isfinite(pl[i]))
            return 0;
        Y[u - u0] = py[i];
        L[u - u0] = pl[i];
    }
    if (v != SIZE_MAX) {
        size_t i = find_year(taxes, v, y);
        if (i == SIZE_MAX || !isfinite(taxes->x[TFP_ROLE_OUTPUT][i]))
            return 0;
        *T = taxes->x[TFP_ROLE_OUTPUT][i];
    }
    return 1;
}

static void
parts_clear(tfp_shiftshare_parts *x)
{
    x->lp_base = x->lp_last = x->total = TFP_NAN;
    x->within = x->static_shift = x->dynamic_shift = x->taxes = TFP_NAN;
}

int
tfp_shiftshare_run(const tfp_panel *p,
                   const tfp_panel *taxes,
                   int from,
                   int to,
                   tfp_shiftshare **out,
                   tfp_warnings *w,
                   tfp_error *err)
{
    tfp_shiftshare *s;
    double *ws;
    size_t u0, u1, v = 0, m = p->nunit == 0 ? 1 : p->nunit;
    int rc = TFP_OK;
    *out = NULL;
    if (p->nsector == 0)
        return tfp_fail(err, TFP_EINVAL, "shift-share needs data by sector");
    if (from > to)
        return tfp_fail(err, TFP_EINVAL, "period starts in %d after it ends in %d", from, to);
    s = tfp_calloc(1, sizeof *s);
    ws = tfp_mallocn(m, 4 * sizeof *ws);
    if (s == NULL || ws == NULL || (s->region = tfp_calloc(m, sizeof *s->region)) == NULL) {
        tfp_free(ws);
        tfp_shiftshare_free(s);
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    }
    for (u0 = 0; u0 < p->nunit && rc == TFP_OK; u0 = u1) {
        uint32_t r = p->region[p->unit_start[u0]];
        tfp_shiftshare_region *x = &s->region[s->n++];
        const char *rn = p->region_names[r];
        double *Y0 = ws, *L0 = ws + m, *Y1 = ws + 2 * m, *L1 = ws + 3 * m, T0, T1;
        size_t tv = SIZE_MAX;
        int have_base;
        for (u1 = u0; u1 < p->nunit && p->region[p->unit_start[u1]] == r; u1++)
            ;
        while (taxes != NULL && v < taxes->nunit && taxes->region[taxes->unit_start[v]] < r)
            v++;
        if (taxes != NULL && v < taxes->nunit && taxes->region[taxes->unit_start[v]] == r)
            tv = v;
        x->region = rn;
        x->from = from;
        x->to = to;
        x->base = from - 1;
        x->last = 0;
        x->nsector = u1 - u0;
        x->has_taxes = tv != SIZE_MAX;
        parts_clear(&x->parts);
        for (int y = to; y >= from && x->last == 0; y--)
            if (gather(p, u0, u1, taxes, tv, y, Y1, L1, &T1))
                x->last = y;
        have_base = gather(p, u0, u1, taxes, tv, x->base, Y0, L0, &T0);
        if (x->last == 0) {
            if (w != NULL)
                rc = tfp_warnings_add(w,
                                      "%s: no year in %d-%d with output and labour for every "
                                      "sector; shift-share undefined",
                                      rn[0] ? rn : "data", from, to);
            continue;
        }
        if (!have_base) {
            if (w != NULL)
                rc = tfp_warnings_add(w,
                                      "%s: output or labour missing for a sector in the base year "
                                      "%d; shift-share undefined",
                                      rn[0] ? rn : "data", x->base);
            continue;
        }
        rc = tfp_shiftshare_fit(u1 - u0, Y0, L0, Y1, L1, T0, T1, &x->parts, err);
    }
    tfp_free(ws);
    if (rc != TFP_OK) {
        tfp_shiftshare_free(s);
        return rc == TFP_ENOMEM ? tfp_fail(err, rc, "out of memory") : rc;
    }
    *out = s;
    return TFP_OK;
}
