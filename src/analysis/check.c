/*
 * Plan targets on reported indicators (analysis layer): the period values
 * of include/tfp/check.h from yearly published figures, then the statuses
 * and required growth of tfp_targets_check, the one implementation shared
 * with the estimate.
 */
#include "tfp/check.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/growth.h"

static const char *const basis_names[] = {"none", "levels",        "growth_rates",
                                          "mean", "weighted_mean", "last_year"};

const char *
tfp_basis_name(tfp_basis b)
{
    return (unsigned)b < sizeof basis_names / sizeof basis_names[0] ? basis_names[b] : "?";
}

void
tfp_check_opts_init(tfp_check_opts *o)
{
    memset(o, 0, sizeof *o);
    tfp_targets_init(&o->targets);
}

void
tfp_check_free(tfp_check *c)
{
    if (c == NULL)
        return;
    tfp_reported_free(c->data);
    tfp_free(c->region);
    tfp_warnings_fini(&c->warnings);
    tfp_free(c);
}

/* Writes the years of from..to missing from have[] (indexed year - from) as
 * ranges, "2021-2022, 2024", into buf. */
static const char *
missing_years(const unsigned char *have, int from, int to, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int y = from; y <= to; y++) {
        int z = y;
        if (have[y - from])
            continue;
        while (z + 1 <= to && !have[z + 1 - from])
            z++;
        if (len < n)
            len += (size_t)snprintf(buf + len, n - len, z > y ? "%s%d-%d" : "%s%d",
                                    len > 0 ? ", " : "", y, z);
        y = z;
    }
    return buf;
}

typedef struct region_rows {
    const tfp_reported *d;
    size_t s, e; /* rows of the region */
    const char *name;
} region_rows;

/* The row of year y, or SIZE_MAX. */
static size_t
row_of(const region_rows *g, int y)
{
    for (size_t i = g->s; i < g->e; i++)
        if (g->d->year[i] == y)
            return i;
    return SIZE_MAX;
}

/* lp_growth: levels when they give a base and a last year, else growth
 * rates; fills the LP part of s and the source. */
static int
lp_value(const region_rows *g,
         const tfp_check_opts *o,
         tfp_growth_summary *s,
         tfp_check_source *src,
         tfp_warnings *w)
{
    const double *LP = g->d->x[TFP_IND_LP], *gl = g->d->x[TFP_IND_LP_GROWTH];
    int base = o->from - 1, rc;
    unsigned char have[TFP_YEAR_MAX - TFP_YEAR_MIN + 1];
    char years[200];
    if (LP != NULL) {
        size_t ib = row_of(g, base), il = SIZE_MAX;
        for (size_t i = g->s; i < g->e; i++)
            if (g->d->year[i] >= o->from && g->d->year[i] <= o->to && isfinite(LP[i]))
                il = i;
        if (ib != SIZE_MAX && isfinite(LP[ib]) && il != SIZE_MAX) {
            s->last = g->d->year[il];
            s->years = s->last - base;
            s->LP_base = LP[ib];
            s->LP_last = LP[il];
            /* DESIGN section 4: the compound rate plan targets are stated in. */
            s->lp_compound = pow(s->LP_last / s->LP_base, 1.0 / s->years) - 1.0;
            src->basis = TFP_BASIS_LEVELS;
            src->column = g->d->column[TFP_IND_LP];
            src->years = s->years;
            src->first = base;
            src->last = s->last;
            return TFP_OK;
        }
    }
    if (gl != NULL) {
        double prod = 1.0;
        int m = 0, first = 0, last = 0;
        memset(have, 0, (size_t)(o->to - o->from + 1));
        for (size_t i = g->s; i < g->e; i++) {
            int y = g->d->year[i];
            if (y < o->from || y > o->to || !isfinite(gl[i]))
                continue;
            prod *= 1.0 + gl[i];
            have[y - o->from] = 1;
            first = m++ == 0 ? y : first;
            last = y;
        }
        if (m > 0) {
            s->last = last;
            s->years = last - base;
            s->lp_compound = pow(prod, 1.0 / m) - 1.0;
            src->basis = TFP_BASIS_GROWTH;
            src->column = g->d->column[TFP_IND_LP_GROWTH];
            src->years = m;
            src->first = first;
            src->last = last;
            if (LP != NULL &&
                (rc = tfp_warnings_add(w,
                                       "%s: %s has no level for the base year %d or none in "
                                       "%d-%d; lp_growth is from the growth rates in %s",
                                       g->name, g->d->column[TFP_IND_LP], base, o->from, o->to,
                                       src->column)) != TFP_OK)
                return rc;
            if (m == s->years) {
                /* Every year from the period's start: the level ratio is
                 * known, and with it the growth still required. */
                s->LP_base = 1.0;
                s->LP_last = prod;
                return TFP_OK;
            }
            return tfp_warnings_add(w,
                                    "%s: %s has %d of the %d years %d-%d (none for %s): lp_growth "
                                    "is the average of the years reported, and the growth still "
                                    "required, which needs them all, is not computed",
                                    g->name, src->column, m, s->years, o->from, last,
                                    missing_years(have, o->from, last, years, sizeof years));
        }
    }
    if (LP != NULL)
        return tfp_warnings_add(w,
                                "%s: %s needs a level for the base year %d and one in %d-%d; "
                                "lp_growth undefined",
                                g->name, g->d->column[TFP_IND_LP], base, o->from, o->to);
    return tfp_warnings_add(w, "%s: no labour-productivity figures for %d-%d; lp_growth undefined",
                            g->name, o->from, o->to);
}

/* The TFP shares: period mean (weighted by output growth when it is
 * reported for each year) and the last year's. */
static int
tfp_value(const region_rows *g,
          const tfp_check_opts *o,
          tfp_growth_summary *s,
          tfp_check_source src[TFP_TARGET_COUNT],
          tfp_warnings *w)
{
    const double *sh = g->d->x[TFP_IND_TFP_SHARE], *gy = g->d->x[TFP_IND_OUTPUT_GROWTH];
    double sum = 0.0, wsum = 0.0, wts = 0.0;
    int m = 0, first = 0, last = 0, weighted = gy != NULL;
    size_t il = SIZE_MAX;
    tfp_check_source *sp = &src[TFP_TARGET_TFP_PERIOD], *sl = &src[TFP_TARGET_TFP_LAST];
    if (sh == NULL)
        return TFP_OK;
    for (size_t i = g->s; i < g->e; i++) {
        int y = g->d->year[i];
        if (y < o->from || y > o->to || !isfinite(sh[i]))
            continue;
        sum += sh[i];
        if (weighted && isfinite(gy[i])) {
            wsum += sh[i] * gy[i];
            wts += gy[i];
        } else {
            weighted = 0;
        }
        first = m++ == 0 ? y : first;
        last = y;
        il = i;
    }
    if (m == 0)
        return tfp_warnings_add(w, "%s: no TFP share reported for %d-%d; TFP targets undefined",
                                g->name, o->from, o->to);
    s->last = last;
    s->years = last - (o->from - 1);
    s->share_A_last = sh[il];
    sp->column = sl->column = g->d->column[TFP_IND_TFP_SHARE];
    sp->years = m;
    sp->first = first;
    sp->last = last;
    sl->basis = TFP_BASIS_LAST_YEAR;
    sl->years = 1;
    sl->first = sl->last = last;
    if (weighted && fabs(wts) > TFP_SHARE_DENOM_EPS) {
        s->share_A = wsum / wts;
        sp->basis = TFP_BASIS_WEIGHTED_MEAN;
        sp->weights = g->d->column[TFP_IND_OUTPUT_GROWTH];
        return TFP_OK;
    }
    s->share_A = sum / m;
    sp->basis = TFP_BASIS_MEAN;
    if (gy == NULL)
        return TFP_OK;
    return tfp_warnings_add(w,
                            "%s: %s %s in %d-%d; tfp_share_period is the plain mean of the "
                            "yearly shares",
                            g->name, g->d->column[TFP_IND_OUTPUT_GROWTH],
                            weighted ? "sums to zero" : "is missing for a year with a TFP share",
                            o->from, last);
}

static void
summary_init(tfp_growth_summary *s, const tfp_check_opts *o)
{
    memset(s, 0, sizeof *s);
    s->from = o->from;
    s->to = o->to;
    s->base = o->from - 1;
    s->g_Y = s->g_L = s->g_K = s->a = s->g_A = TFP_NAN;
    s->share_K = s->share_L = s->share_A = s->share_A_last = TFP_NAN;
    s->g_LP = s->lp_compound = s->LP_base = s->LP_last = TFP_NAN;
}

int
tfp_check_run(tfp_reported *data, const tfp_check_opts *o, tfp_check **out, tfp_error *err)
{
    tfp_check *c = tfp_calloc(1, sizeof *c);
    int rc = TFP_OK;
    *out = NULL;
    if (c == NULL) {
        tfp_reported_free(data);
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    }
    tfp_warnings_init(&c->warnings);
    c->data = data;
    c->opts = *o;
    if (c->opts.from == 0 || c->opts.to == 0) {
        int ymax = data->year[0];
        for (size_t i = 1; i < data->n; i++)
            ymax = data->year[i] > ymax ? data->year[i] : ymax;
        if (c->opts.from == 0 && c->opts.to == 0)
            tfp_targets_period(ymax, &c->opts.from, &c->opts.to);
        else if (c->opts.from == 0)
            c->opts.from = c->opts.to - TFP_DEFAULT_PERIOD_YEARS + 1;
        else
            c->opts.to = c->opts.from + TFP_DEFAULT_PERIOD_YEARS - 1;
    }
    if (c->opts.from < TFP_YEAR_MIN + 1 || c->opts.to > TFP_YEAR_MAX) {
        rc = tfp_fail(err, TFP_EINVAL, "plan period %d-%d outside the years %d-%d", c->opts.from,
                      c->opts.to, TFP_YEAR_MIN + 1, TFP_YEAR_MAX);
        goto fail;
    }
    if (c->opts.from > c->opts.to) {
        rc = tfp_fail(err, TFP_EINVAL, "--from %d is after --to %d", c->opts.from, c->opts.to);
        goto fail;
    }
    c->region = tfp_calloc(data->nregion, sizeof *c->region);
    if (c->region == NULL) {
        rc = tfp_fail(err, TFP_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t r = 0; r < data->nregion; r++) {
        tfp_check_region *x = &c->region[c->n++];
        region_rows g;
        tfp_growth_summary s_lp, s_tfp;
        tfp_target_check tmp[TFP_TARGET_COUNT];
        g.d = data;
        g.s = data->region_start[r];
        g.e = data->region_start[r + 1];
        g.name = data->region_names[r][0] ? data->region_names[r] : "data";
        x->region = data->region_names[r];
        summary_init(&s_lp, &c->opts);
        summary_init(&s_tfp, &c->opts);
        rc = lp_value(&g, &c->opts, &s_lp, &x->src[TFP_TARGET_LP], &c->warnings);
        if (rc == TFP_OK)
            rc = tfp_value(&g, &c->opts, &s_tfp, x->src, &c->warnings);
        if (rc != TFP_OK) {
            rc = tfp_fail(err, rc, "out of memory");
            goto fail;
        }
        /* One status logic for estimate and check: the labour-productivity
         * part and the TFP part each ends in its own last year. */
        s_lp.complete = s_lp.last == s_lp.to;
        s_tfp.complete = s_tfp.last == s_tfp.to;
        tfp_targets_check(&s_lp, &c->opts.targets, tmp);
        x->t[TFP_TARGET_LP] = tmp[TFP_TARGET_LP];
        tfp_targets_check(&s_tfp, &c->opts.targets, tmp);
        x->t[TFP_TARGET_TFP_PERIOD] = tmp[TFP_TARGET_TFP_PERIOD];
        x->t[TFP_TARGET_TFP_LAST] = tmp[TFP_TARGET_TFP_LAST];
    }
    *out = c;
    return TFP_OK;
fail:
    tfp_check_free(c);
    return rc;
}
