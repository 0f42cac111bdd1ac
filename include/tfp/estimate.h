/*
 * analysis layer: the estimate pipeline on a panel. Capital by perpetual
 * inventory where needed, sector totals, labour input, growth accounting per
 * unit, period summaries and target checks (DESIGN sections 3 and 4), and
 * with sectors the shift-share decomposition of labour productivity.
 */
#ifndef TFP_ESTIMATE_H
#define TFP_ESTIMATE_H

#include <stddef.h>

#include "tfp/elasticity.h"
#include "tfp/error.h"
#include "tfp/growth.h"
#include "tfp/panel.h"
#include "tfp/prep.h"
#include "tfp/shiftshare.h"
#include "tfp/strbuf.h"
#include "tfp/targets.h"

typedef struct tfp_estimate_opts {
    tfp_growth_opts growth;
    tfp_labour_input labour_input; /* DEFAULT: persons for gso, quality for tornqvist */
    double delta;                  /* depreciation for the PIM and the stock check */
    double k0;                     /* initial capital for the PIM; NaN = Harberger */
    int from, to;                  /* plan period; 0 = default (tfp_estimate_period) */
    tfp_targets targets;
    const char *tax_sector; /* product-tax sector (borrowed); NULL = TFP_DEFAULT_TAX_SECTOR */
    tfp_share_source share_source; /* FIXED: growth.capital_share; else estimated from a fit */
} tfp_estimate_opts;

void tfp_estimate_opts_init(tfp_estimate_opts *o);

/* One unit: a region total (sector NULL) or one sector of a region. */
typedef struct tfp_unit {
    const char *region;   /* borrowed from the panel */
    const char *sector;   /* NULL for a region total or data without sectors */
    tfp_growth_series in; /* views into the estimate's arrays */
    tfp_growth_result *g; /* owned */
    tfp_growth_summary s;
    tfp_target_check t[TFP_TARGET_COUNT];
} tfp_unit;

typedef struct tfp_estimate {
    tfp_estimate_opts opts; /* as used: defaults resolved */
    tfp_panel *panel;  /* owned: the input (PIM capital when derived; product-tax rows moved out) */
    tfp_panel *totals; /* owned: region totals when the input has sectors, else NULL */
    tfp_panel *taxes;  /* owned: the product-tax rows moved out of panel, else NULL */
    tfp_shiftshare *shiftshare; /* owned: LP decomposition when the input has sectors, else NULL */
    double *L_panel, *L_totals; /* owned labour inputs */
    const char *labour_desc;    /* static: what the labour input is */
    int capital_from_pim;       /* capital was built from investment */
    tfp_elasticity fitted;      /* the fit behind the capital share (source FIXED: none) */
    int has_sectors;
    size_t nunit;
    tfp_unit *unit; /* region totals first (sorted by region), then sectors */
    tfp_warnings warnings;
} tfp_estimate;

/*
 * The default plan period for a panel: TFP_DEFAULT_FROM..TFP_DEFAULT_TO when
 * the data reach into it, else the last TFP_DEFAULT_PERIOD_YEARS years.
 */
void tfp_estimate_period(const tfp_panel *p, int *from, int *to);

/*
 * Runs the pipeline. Takes ownership of panel (freed with the estimate, also
 * on failure). *out is freed with tfp_estimate_free.
 */
int
tfp_estimate_run(tfp_panel *panel, const tfp_estimate_opts *o, tfp_estimate **out, tfp_error *err);

void tfp_estimate_free(tfp_estimate *e);

#endif /* TFP_ESTIMATE_H */
