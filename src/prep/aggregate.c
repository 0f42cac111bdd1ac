/*
 * Aggregation (prep layer): one kernel that combines units of a panel into
 * groups (sums of output, labour, capital and investment; the labour share
 * output-weighted, hours and human capital employment-weighted), used for
 * sector totals here and for merged regions in merge.c; and the product-tax
 * rows, which add to a region's output but have no labour or capital.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "prep_int.h"
#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/prep.h"

static int
is_additive(int k)
{
    return k == TFP_ROLE_OUTPUT || k == TFP_ROLE_LABOUR || k == TFP_ROLE_CAPITAL ||
           k == TFP_ROLE_INVESTMENT;
}

/* The weight of an intensive role's mean: output for the labour share,
 * employment for hours and human capital. */
static int
weight_role(int k)
{
    return k == TFP_ROLE_LABOUR_SHARE ? TFP_ROLE_OUTPUT : TFP_ROLE_LABOUR;
}

const char *
tfp_prep_unit_name(const tfp_panel *p, size_t i, char *buf, size_t n)
{
    const char *r = p->region_names[p->region[i]];
    if (p->nsector > 0)
        snprintf(buf, n, "%s / %s", r[0] ? r : "data", p->sector_names[p->sector[i]]);
    else
        snprintf(buf, n, "%s", r[0] ? r : "data");
    return buf;
}

/* Per group: first year, number of years, members; offsets of its rows. */
typedef struct combine_ws {
    int *ymin;
    size_t *nyears, *nmember, *off;
    size_t *rows; /* per output row: member rows seen */
    double *sum;  /* TFP_ROLE_COUNT x nout */
    double *wsum; /* weights of the weighted means, TFP_ROLE_COUNT x nout */
} combine_ws;

static void
combine_ws_free(combine_ws *w)
{
    tfp_free(w->ymin);
    tfp_free(w->nyears);
    tfp_free(w->nmember);
    tfp_free(w->off);
    tfp_free(w->rows);
    tfp_free(w->sum);
    tfp_free(w->wsum);
}

static int
replace_region_names(tfp_panel *q, char *const *names, size_t n)
{
    char **copy = tfp_calloc(n == 0 ? 1 : n, sizeof *copy);
    if (copy == NULL)
        return TFP_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        copy[i] = tfp_strdup(names[i]);
        if (copy[i] == NULL) {
            while (i-- > 0)
                tfp_free(copy[i]);
            tfp_free(copy);
            return TFP_ENOMEM;
        }
    }
    for (size_t i = 0; i < q->nregion; i++)
        tfp_free(q->region_names[i]);
    tfp_free(q->region_names);
    q->region_names = copy;
    q->nregion = n;
    return TFP_OK;
}

int
tfp_prep_combine(const tfp_panel *p, const tfp_prep_groups *g, tfp_panel **out, tfp_error *err)
{
    combine_ws w;
    tfp_panel *q = NULL;
    size_t ng = g->ngroup, m = ng == 0 ? 1 : ng, nout = 0, u, i, row;
    int rc = TFP_ENOMEM;
    *out = NULL;
    memset(&w, 0, sizeof w);
    w.ymin = tfp_mallocn(m, sizeof *w.ymin);
    w.nyears = tfp_calloc(m, sizeof *w.nyears);
    w.nmember = tfp_calloc(m, sizeof *w.nmember);
    w.off = tfp_calloc(m + 1, sizeof *w.off);
    if (w.ymin == NULL || w.nyears == NULL || w.nmember == NULL || w.off == NULL)
        goto done;
    /* Each group's span of years: from its members' first to last year. */
    for (u = 0; u < p->nunit; u++) {
        size_t s = p->unit_start[u], e = p->unit_start[u + 1], k = g->unit_group[u];
        int y0 = p->year[s], y1 = p->year[e - 1], ymax;
        if (w.nmember[k]++ == 0) {
            w.ymin[k] = y0;
            w.nyears[k] = (size_t)(y1 - y0 + 1);
            continue;
        }
        ymax = w.ymin[k] + (int)w.nyears[k] - 1;
        ymax = y1 > ymax ? y1 : ymax;
        w.ymin[k] = y0 < w.ymin[k] ? y0 : w.ymin[k];
        w.nyears[k] = (size_t)(ymax - w.ymin[k] + 1);
    }
    for (size_t k = 0; k < ng; k++) {
        w.off[k] = nout;
        nout += w.nyears[k];
    }
    w.off[ng] = nout;
    w.rows = tfp_calloc(nout == 0 ? 1 : nout, sizeof *w.rows);
    w.sum = tfp_calloc((nout == 0 ? 1 : nout) * TFP_ROLE_COUNT, sizeof *w.sum);
    w.wsum = tfp_calloc((nout == 0 ? 1 : nout) * TFP_ROLE_COUNT, sizeof *w.wsum);
    if (w.rows == NULL || w.sum == NULL || w.wsum == NULL)
        goto done;
    q = tfp_panel_alloc_like(p, nout, g->keep_sectors, err);
    if (q == NULL) {
        rc = err != NULL && err->code != TFP_OK ? err->code : TFP_ENOMEM;
        goto done;
    }
    if (g->region_names != NULL && replace_region_names(q, g->region_names, g->nregion) != TFP_OK)
        goto done;
    /* Accumulate in the panel's row order, so that a region total sums its
     * sectors in sector order. */
    for (u = 0; u < p->nunit; u++) {
        size_t k = g->unit_group[u];
        for (i = p->unit_start[u]; i < p->unit_start[u + 1]; i++) {
            size_t y = w.off[k] + (size_t)(p->year[i] - w.ymin[k]);
            w.rows[y]++;
            for (int r = 0; r < TFP_ROLE_COUNT; r++) {
                const double *x = p->x[r];
                if (x == NULL || r == TFP_ROLE_YEAR)
                    continue;
                if (is_additive(r)) {
                    w.sum[(size_t)r * nout + y] += x[i];
                } else {
                    const double *wx = p->x[weight_role(r)];
                    double wt = wx != NULL ? wx[i] : 1.0;
                    w.sum[(size_t)r * nout + y] += wt * x[i];
                    w.wsum[(size_t)r * nout + y] += wt;
                }
            }
        }
    }
    rc = TFP_OK;
    for (size_t k = 0; k < ng && rc == TFP_OK; k++) {
        for (size_t t = 0; t < w.nyears[k]; t++) {
            int year = w.ymin[k] + (int)t;
            row = w.off[k] + t;
            q->year[row] = year;
            q->region[row] = g->group_region[k];
            q->sector[row] = g->group_sector[k];
            q->line[row] = 0;
            for (int r = 0; r < TFP_ROLE_COUNT; r++) {
                double v;
                if (q->x[r] == NULL || r == TFP_ROLE_YEAR)
                    continue;
                v = w.sum[(size_t)r * nout + row];
                if (!is_additive(r))
                    v = w.wsum[(size_t)r * nout + row] > 0.0 ? v / w.wsum[(size_t)r * nout + row]
                                                             : TFP_NAN;
                /* NaN propagates through the sums; a missing member row
                 * makes the combined value undefined too. */
                q->x[r][row] = w.rows[row] == w.nmember[k] ? v : TFP_NAN;
            }
            if (w.rows[row] > 0 && w.rows[row] < w.nmember[k]) {
                const char *rn = q->region_names[q->region[row]];
                char name[300];
                if (g->keep_sectors && q->nsector > 0)
                    snprintf(name, sizeof name, "%s / %s", rn[0] ? rn : "data",
                             q->sector_names[q->sector[row]]);
                else
                    snprintf(name, sizeof name, "%s", rn[0] ? rn : "data");
                rc = tfp_warnings_add(&q->warnings,
                                      "%s: %zu of %zu %s have data for %d; %s is undefined that "
                                      "year",
                                      name, w.rows[row], w.nmember[k], g->member_word, year,
                                      g->total_word);
                if (rc != TFP_OK)
                    break;
            }
        }
    }
    if (rc == TFP_OK)
        rc = tfp_panel_finish(q, err);
done:
    if (rc == TFP_ENOMEM)
        tfp_fail(err, TFP_ENOMEM, "out of memory");
    combine_ws_free(&w);
    if (rc != TFP_OK) {
        tfp_panel_free(q);
        return rc;
    }
    *out = q;
    return TFP_OK;
}

int
tfp_prep_sector_totals(const tfp_panel *p, tfp_panel **out, tfp_error *err)
{
    tfp_prep_groups g;
    uint32_t *unit_group, *group_region, *group_sector;
    size_t ng = 0;
    int rc;
    *out = NULL;
    unit_group = tfp_mallocn(p->nunit == 0 ? 1 : p->nunit, sizeof *unit_group);
    group_region = tfp_mallocn(p->nunit == 0 ? 1 : p->nunit, sizeof *group_region);
    group_sector = tfp_calloc(p->nunit == 0 ? 1 : p->nunit, sizeof *group_sector);
    if (unit_group == NULL || group_region == NULL || group_sector == NULL) {
        tfp_free(unit_group);
        tfp_free(group_region);
        tfp_free(group_sector);
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    }
    /* One group per region: the panel's units are sorted by region. */
    for (size_t u = 0; u < p->nunit; u++) {
        uint32_t r = p->region[p->unit_start[u]];
        if (ng == 0 || group_region[ng - 1] != r)
            group_region[ng++] = r;
        unit_group[u] = (uint32_t)(ng - 1);
    }
    memset(&g, 0, sizeof g);
    g.ngroup = ng;
    g.unit_group = unit_group;
    g.group_region = group_region;
    g.group_sector = group_sector;
    g.member_word = "sectors";
    g.total_word = "the region total";
    rc = tfp_prep_combine(p, &g, out, err);
    tfp_free(unit_group);
    tfp_free(group_region);
    tfp_free(group_sector);
    return rc;
}

/* ---- product taxes ------------------------------------------------------ */

int
tfp_prep_tax_sector(const tfp_panel *p, const char *name, uint32_t *code)
{
    *code = UINT32_MAX;
    if (p->nsector == 0 || name == NULL)
        return 0;
    for (size_t s = 0; s < p->nsector; s++) {
        if (strcasecmp(p->sector_names[s], name) == 0) {
            *code = (uint32_t)s;
            return 1;
        }
    }
    return 0;
}

int
tfp_prep_split_taxes(tfp_panel *p, const char *name, tfp_panel **taxes, tfp_error *err)
{
    static const int no_input[] = {TFP_ROLE_LABOUR,       TFP_ROLE_CAPITAL, TFP_ROLE_INVESTMENT,
                                   TFP_ROLE_LABOUR_SHARE, TFP_ROLE_HOURS,   TFP_ROLE_HUMAN_CAPITAL};
    tfp_panel *t;
    uint32_t code;
    size_t i, ntax = 0, k = 0, j = 0;
    int rc;
    *taxes = NULL;
    if (!tfp_prep_tax_sector(p, name, &code))
        return TFP_OK;
    for (i = 0; i < p->n; i++)
        ntax += p->sector[i] == code;
    if (ntax == p->n)
        return tfp_fail_at(err, TFP_EINPUT, p->path, 0, 0,
                           "every row is in sector \"%s\", the product taxes; no sector has "
                           "labour",
                           p->sector_names[code]);
    for (i = 0; i < p->n; i++) {
        if (p->sector[i] != code)
            continue;
        /* Product taxes less subsidies are output without inputs: a value
         * in an input column would count labour or capital that produced
         * no value added. */
        for (size_t r = 0; r < sizeof no_input / sizeof no_input[0]; r++) {
            const double *x = p->x[no_input[r]];
            if (x != NULL && !isnan(x[i]))
                return tfp_fail_at(err, TFP_EINPUT, p->path, p->line[i], 0,
                                   "sector \"%s\" holds product taxes less subsidies, which have "
                                   "no %s: column \"%s\" must be empty (found %.15g); name "
                                   "another sector with --tax-sector",
                                   p->sector_names[code], tfp_role_name((tfp_role)no_input[r]),
                                   p->column[no_input[r]], x[i]);
        }
    }
    t = tfp_panel_alloc_like(p, ntax, 1, err);
    if (t == NULL)
        return err != NULL && err->code != TFP_OK ? err->code : TFP_ENOMEM;
    /* Move the tax rows to t and close the gaps they leave in p. */
    for (i = 0; i < p->n; i++) {
        size_t dst;
        int is_tax = p->sector[i] == code;
        dst = is_tax ? k++ : j++;
        tfp_panel *to = is_tax ? t : p;
        to->year[dst] = p->year[i];
        to->region[dst] = p->region[i];
        to->sector[dst] = p->sector[i];
        to->line[dst] = p->line[i];
        for (int r = 0; r < TFP_ROLE_COUNT; r++)
            if (p->x[r] != NULL)
                to->x[r][dst] = p->x[r][i];
    }
    p->n = j;
    rc = tfp_panel_finish(p, err);
    if (rc == TFP_OK)
        rc = tfp_panel_finish(t, err);
    if (rc != TFP_OK) {
        tfp_panel_free(t);
        return rc;
    }
    *taxes = t;
    return TFP_OK;
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

int
tfp_prep_add_taxes(tfp_panel *totals, const tfp_panel *taxes, tfp_error *err)
{
    double *Y = totals->x[TFP_ROLE_OUTPUT];
    size_t u = 0, v, i;
    if (taxes == NULL)
        return TFP_OK;
    for (v = 0; v < taxes->nunit; v++) {
        uint32_t r = taxes->region[taxes->unit_start[v]];
        const char *rn = taxes->region_names[r];
        int ymin, ymax;
        while (u < totals->nunit && totals->region[totals->unit_start[u]] < r)
            u++;
        if (u == totals->nunit || totals->region[totals->unit_start[u]] != r) {
            if (tfp_warnings_add(&totals->warnings,
                                 "%s: product taxes but no other sector; they are left out",
                                 rn[0] ? rn : "data") != TFP_OK)
                return tfp_fail(err, TFP_ENOMEM, "out of memory");
            continue;
        }
        ymin = totals->year[totals->unit_start[u]];
        ymax = totals->year[totals->unit_start[u + 1] - 1];
        for (i = totals->unit_start[u]; i < totals->unit_start[u + 1]; i++) {
            size_t t = find_year(taxes, v, totals->year[i]);
            if (t != SIZE_MAX) {
                Y[i] += taxes->x[TFP_ROLE_OUTPUT][t];
            } else if (!isnan(Y[i])) {
                /* GRDP without its product taxes would understate output. */
                Y[i] = TFP_NAN;
                if (tfp_warnings_add(&totals->warnings,
                                     "%s: no product-tax row for %d; the region total is "
                                     "undefined that year",
                                     rn[0] ? rn : "data", totals->year[i]) != TFP_OK)
                    return tfp_fail(err, TFP_ENOMEM, "out of memory");
            }
        }
        for (i = taxes->unit_start[v]; i < taxes->unit_start[v + 1]; i++)
            if ((taxes->year[i] < ymin || taxes->year[i] > ymax) &&
                tfp_warnings_add(&totals->warnings,
                                 "%s: product taxes for %d, a year without sector data; left out",
                                 rn[0] ? rn : "data", taxes->year[i]) != TFP_OK)
                return tfp_fail(err, TFP_ENOMEM, "out of memory");
    }
    return TFP_OK;
}
