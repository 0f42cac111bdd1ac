/*
 * The estimate pipeline (analysis layer): prep, growth accounting per unit,
 * period summaries and target checks, in the order DESIGN section 1 draws.
 */
#include "tfp/estimate.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tfp/alloc.h"
#include "tfp/config.h"

void
tfp_estimate_opts_init(tfp_estimate_opts *o)
{
    memset(o, 0, sizeof *o);
    tfp_growth_opts_init(&o->growth);
    o->labour_input = TFP_LABOUR_DEFAULT;
    o->delta = TFP_DEFAULT_DELTA;
    o->k0 = TFP_NAN;
    tfp_targets_init(&o->targets);
}

void
tfp_estimate_period(const tfp_panel *p, int *from, int *to)
{
    int ymax = p->n > 0 ? p->year[0] : TFP_DEFAULT_TO;
    for (size_t i = 1; i < p->n; i++)
        ymax = p->year[i] > ymax ? p->year[i] : ymax;
    tfp_targets_period(ymax, from, to);
}

void
tfp_estimate_free(tfp_estimate *e)
{
    if (e == NULL)
        return;
    for (size_t u = 0; u < e->nunit; u++)
        tfp_growth_result_free(e->unit[u].g);
    tfp_free(e->unit);
    tfp_free(e->L_panel);
    tfp_free(e->L_totals);
    tfp_panel_free(e->panel);
    tfp_panel_free(e->totals);
    tfp_panel_free(e->taxes);
    tfp_shiftshare_free(e->shiftshare);
    tfp_warnings_fini(&e->warnings);
    tfp_free(e);
}

static int
run_unit(tfp_estimate *e,
         tfp_unit *u,
         const tfp_panel *p,
         const double *L,
         size_t k,
         tfp_error *err)
{
    size_t s = p->unit_start[k], n = p->unit_start[k + 1] - s;
    char name[200];
    int rc;
    u->region = p->region_names[p->region[s]];
    u->sector = p->nsector > 0 ? p->sector_names[p->sector[s]] : NULL;
    u->in.n = n;
    u->in.year = p->year + s;
    u->in.Y = p->x[TFP_ROLE_OUTPUT] + s;
    u->in.L = L + s;
    u->in.K = p->x[TFP_ROLE_CAPITAL] + s;
    u->in.P = p->x[TFP_ROLE_LABOUR] + s;
    u->in.s_L = p->x[TFP_ROLE_LABOUR_SHARE] != NULL ? p->x[TFP_ROLE_LABOUR_SHARE] + s : NULL;
    u->g = tfp_growth_result_alloc(n, err);
    if (u->g == NULL)
        return TFP_ENOMEM;
    rc = tfp_growth_fit(&u->in, &e->opts.growth, u->g, err);
    if (rc != TFP_OK)
        return rc;
    if (u->sector != NULL)
        snprintf(name, sizeof name, "%s / %s", u->region[0] ? u->region : "data", u->sector);
    else
        snprintf(name, sizeof name, "%s", u->region[0] ? u->region : "data");
    rc = tfp_growth_summarize(&u->in, u->g, &e->opts.growth, e->opts.from, e->opts.to, name, &u->s,
                              &e->warnings, err);
    if (rc != TFP_OK)
        return rc;
    tfp_targets_check(&u->s, &e->opts.targets, u->t);
    return TFP_OK;
}

static double *
labour_input(const tfp_panel *p, tfp_labour_input mode, const char **desc, tfp_error *err)
{
    double *L = tfp_mallocn(p->n == 0 ? 1 : p->n, sizeof *L);
    if (L == NULL) {
        tfp_fail(err, TFP_ENOMEM, "out of memory");
        return NULL;
    }
    tfp_prep_labour_input(p, mode, L, desc);
    return L;
}

/* Moves the product-tax rows out of the panel (DESIGN section 3, sector
 * decomposition): they add to the region totals' output and to the
 * shift-share's tax term, and are no production unit of their own. */
static int
split_taxes(tfp_estimate *e, tfp_error *err)
{
    const char *name = e->opts.tax_sector != NULL ? e->opts.tax_sector : TFP_DEFAULT_TAX_SECTOR;
    uint32_t code;
    if (e->panel->nsector == 0 || !tfp_prep_tax_sector(e->panel, name, &code)) {
        if (e->opts.tax_sector != NULL &&
            tfp_warnings_add(&e->warnings, "tax sector \"%s\": %s; no product-tax term",
                             e->opts.tax_sector,
                             e->panel->nsector == 0 ? "the data have no sector column"
                                                    : "no sector has that name") != TFP_OK)
            return tfp_fail(err, TFP_ENOMEM, "out of memory");
        return TFP_OK;
    }
    return tfp_prep_split_taxes(e->panel, name, &e->taxes, err);
}

int
tfp_estimate_run(tfp_panel *panel, const tfp_estimate_opts *o, tfp_estimate **out, tfp_error *err)
{
    tfp_estimate *e = tfp_calloc(1, sizeof *e);
    const tfp_panel *base;
    size_t k, nunit;
    int rc;
    *out = NULL;
    if (e == NULL) {
        tfp_panel_free(panel);
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    }
    tfp_warnings_init(&e->warnings);
    e->panel = panel;
    e->opts = *o;
    if (e->opts.labour_input == TFP_LABOUR_DEFAULT)
        e->opts.labour_input =
            e->opts.growth.method == TFP_METHOD_TORNQVIST ? TFP_LABOUR_QUALITY : TFP_LABOUR_PERSONS;
    if (e->opts.growth.form == TFP_GROWTH_DEFAULT)
        e->opts.growth.form = tfp_growth_form_of(&e->opts.growth);
    if (e->opts.from == 0 && e->opts.to == 0)
        tfp_estimate_period(panel, &e->opts.from, &e->opts.to);
    else if (e->opts.from == 0)
        e->opts.from = e->opts.to - TFP_DEFAULT_PERIOD_YEARS + 1;
    else if (e->opts.to == 0)
        e->opts.to = e->opts.from + TFP_DEFAULT_PERIOD_YEARS - 1;
    rc = TFP_OK;
    if (e->opts.from > e->opts.to)
        rc = tfp_fail(err, TFP_EINVAL, "--from %d is after --to %d", e->opts.from, e->opts.to);
    if (rc == TFP_OK && !(e->opts.growth.capital_share > 0.0 && e->opts.growth.capital_share < 1.0))
        rc = tfp_fail(err, TFP_EINVAL, "capital share must be in (0, 1), got %g",
                      e->opts.growth.capital_share);
    if (rc == TFP_OK)
        rc = split_taxes(e, err);
    if (rc == TFP_OK && panel->x[TFP_ROLE_CAPITAL] == NULL) {
        e->capital_from_pim = 1;
        rc = tfp_prep_pim(panel, e->opts.delta, e->opts.k0, err);
    } else if (rc == TFP_OK) {
        rc = tfp_prep_check_capital(panel, e->opts.delta, err);
    }
    if (rc == TFP_OK && e->opts.growth.method == TFP_METHOD_TORNQVIST &&
        panel->x[TFP_ROLE_LABOUR_SHARE] == NULL &&
        tfp_warnings_add(&e->warnings,
                         "no labour_share column: Törnqvist uses the constant capital share %g",
                         e->opts.growth.capital_share) != TFP_OK)
        rc = tfp_fail(err, TFP_ENOMEM, "out of memory");
    if (rc == TFP_OK && tfp_warnings_extend(&e->warnings, &panel->warnings) != TFP_OK)
        rc = tfp_fail(err, TFP_ENOMEM, "out of memory");
    e->has_sectors = panel->nsector > 0;
    if (rc == TFP_OK && e->has_sectors) {
        rc = tfp_prep_sector_totals(panel, &e->totals, err);
        if (rc == TFP_OK)
            rc = tfp_prep_add_taxes(e->totals, e->taxes, err);
        if (rc == TFP_OK && tfp_warnings_extend(&e->warnings, &e->totals->warnings) != TFP_OK)
            rc = tfp_fail(err, TFP_ENOMEM, "out of memory");
    }
    if (rc != TFP_OK)
        goto fail;
    base = e->totals != NULL ? e->totals : panel;
    e->L_panel = labour_input(panel, e->opts.labour_input, &e->labour_desc, err);
    if (e->L_panel == NULL)
        goto fail_nomem;
    if (e->totals != NULL) {
        e->L_totals = labour_input(e->totals, e->opts.labour_input, &e->labour_desc, err);
        if (e->L_totals == NULL)
            goto fail_nomem;
    }
    e->fitted.source = TFP_SHARE_FIXED;
    if (e->opts.share_source != TFP_SHARE_FIXED) {
        /* The capital share from a production-function fit of the region
         * totals, replacing the fixed share for every unit. */
        rc = tfp_elasticity_fit(base, e->totals ? e->L_totals : e->L_panel, e->opts.share_source,
                                &e->fitted, err);
        if (rc != TFP_OK)
            goto fail;
        if (!(e->fitted.b > 0.0 && e->fitted.b < 1.0)) {
            char se[32] = "SE undefined";
            if (isfinite(e->fitted.se))
                snprintf(se, sizeof se, "SE %.2g", e->fitted.se);
            rc = tfp_fail(err, TFP_ENUMERIC,
                          "the %s fit gives a capital elasticity of %.4g (%s), outside (0, "
                          "1): it cannot serve as a capital share; give a fixed --capital-share",
                          tfp_share_source_name(e->opts.share_source), e->fitted.b, se);
            goto fail;
        }
        e->opts.growth.capital_share = e->fitted.b;
    }
    nunit = base->nunit + (e->totals != NULL ? panel->nunit : 0);
    e->unit = tfp_calloc(nunit == 0 ? 1 : nunit, sizeof *e->unit);
    if (e->unit == NULL)
        goto fail_nomem;
    for (k = 0; k < base->nunit; k++) {
        rc = run_unit(e, &e->unit[e->nunit++], base, e->totals ? e->L_totals : e->L_panel, k, err);
        if (rc != TFP_OK)
            goto fail;
    }
    if (e->totals != NULL) {
        for (k = 0; k < panel->nunit; k++) {
            rc = run_unit(e, &e->unit[e->nunit++], panel, e->L_panel, k, err);
            if (rc != TFP_OK)
                goto fail;
        }
    }
    if (e->has_sectors) {
        rc = tfp_shiftshare_run(panel, e->taxes, e->opts.from, e->opts.to, &e->shiftshare,
                                &e->warnings, err);
        if (rc != TFP_OK)
            goto fail;
    }
    *out = e;
    return TFP_OK;
fail_nomem:
    rc = TFP_ENOMEM;
fail:
    tfp_estimate_free(e);
    return rc;
}
