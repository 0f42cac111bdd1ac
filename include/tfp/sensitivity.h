/*
 * analysis layer: sensitivity of the period TFP share to the assumptions
 * behind it: the capital share, and, when capital is built from investment
 * by perpetual inventory, the depreciation rate and the initial stock.
 * A grid of re-estimates, and the exact band of capital shares in which
 * each status of the TFP-share target holds (the share is linear in b_K).
 */
#ifndef TFP_SENSITIVITY_H
#define TFP_SENSITIVITY_H

#include <stddef.h>

#include "tfp/error.h"
#include "tfp/estimate.h"
#include "tfp/strbuf.h"

/* How the initial capital stock K_0 of the perpetual inventory is set. */
typedef enum {
    TFP_K0_HARBERGER = 0, /* I_0 / (g_I + delta) for each unit */
    TFP_K0_GIVEN,         /* the estimate's k0 (--k0), the same for every unit */
    TFP_K0_HALF,          /* half the Harberger stock */
    TFP_K0_DOUBLE,        /* twice the Harberger stock */
    TFP_K0_COUNT
} tfp_k0_method;

/* "harberger", "given", "harberger_x0.5", "harberger_x2"; static. */
const char *tfp_k0_method_name(tfp_k0_method m);
/* Parses one of those names (also "half", "double"); TFP_EINVAL otherwise. */
int tfp_k0_method_parse(const char *s, tfp_k0_method *m, tfp_error *err);

typedef struct tfp_sensitivity_opts {
    double share_from, share_to, share_step; /* capital shares, in (0, 1) */
    double delta_from, delta_to, delta_step; /* depreciation rates, in [0, 1) */
    unsigned k0_methods; /* bit set of (1u << tfp_k0_method); GIVEN needs a finite k0 */
} tfp_sensitivity_opts;

/* Defaults (include/tfp/config.h): shares 0.30..0.55 by 0.05, depreciation
 * 0.03..0.10 by 0.01, K_0 by Harberger, halved and doubled (and given, when
 * the estimate has a k0). */
void tfp_sensitivity_opts_init(tfp_sensitivity_opts *o);

/*
 * The points from, from + step, ... up to to (inclusive within a relative
 * 1e-9 of step), each rounded to 12 significant digits so that 0.30 + 0.05
 * prints as 0.35. At most max points (TFP_EINVAL beyond, or when step <= 0
 * or to < from; from == to gives one point and ignores step).
 */
int tfp_sensitivity_points(double from,
                           double to,
                           double step,
                           double *out,
                           size_t max,
                           size_t *n,
                           tfp_error *err);

typedef struct tfp_sensitivity_cell {
    const char *region;   /* borrowed from the base estimate */
    double capital_share; /* b_K; NaN when the shares come from the data */
    double delta;         /* NaN when capital is a column (no PIM) */
    int k0;               /* tfp_k0_method, or -1 when capital is a column */
    double tfp_share;     /* the period TFP share (NaN when undefined) */
    const char *status;   /* static: the tfp_share_period status */
} tfp_sensitivity_cell;

/* The capital shares in [from, to] (the grid's range) where a status holds;
 * from/to NaN when the capital share does not vary. */
typedef struct tfp_sensitivity_band {
    const char *region;
    double delta; /* as in cells */
    int k0;
    const char *status;
    double from, to;
} tfp_sensitivity_band;

typedef struct tfp_sensitivity {
    tfp_sensitivity_opts opts; /* as used (GIVEN dropped without a k0) */
    int capital_from_pim;      /* delta and K_0 vary */
    int share_varies;          /* the capital share is the constant one (not from the data) */
    size_t nshare, ndelta, nk0;
    size_t ncell;
    tfp_sensitivity_cell *cell; /* owned: region, delta, k0, capital share order */
    size_t nband;
    tfp_sensitivity_band *band; /* owned: region, delta, k0, then by capital share */
    tfp_warnings warnings;      /* grid points that could not be estimated */
} tfp_sensitivity;

/*
 * The grid for the region totals of base (borrowed, read only; the cells
 * borrow its region names, so keep it until tfp_sensitivity_free). Each
 * (delta, K_0) point re-runs the estimate on a copy of base's input with
 * capital rebuilt by perpetual inventory; each capital share re-runs the
 * growth accounting of every region (tfp_growth_fit, tfp_growth_summarize)
 * and checks the TFP-share target. Capital from a column: only the share
 * varies. Törnqvist with a labour_share column: the share does not vary.
 *
 * Bands: with a constant capital share b the period TFP share is linear in
 * b in both growth forms, share(b) = (g_Y - g_L)/g_Y - b (g_K - g_L)/g_Y
 * (g the period averages, which b does not change), so each status holds on
 * one interval of b, found exactly and clipped to [share_from, share_to].
 * A (delta, K_0) point whose estimate fails numerically (a Harberger stock
 * with g_I + delta <= 0) leaves its cells undefined, with a warning.
 * TFP_EINVAL for a bad grid, TFP_ENOMEM.
 */
int tfp_sensitivity_run(const tfp_estimate *base,
                        const tfp_sensitivity_opts *o,
                        tfp_sensitivity **out,
                        tfp_error *err);

void tfp_sensitivity_free(tfp_sensitivity *s);

#endif /* TFP_SENSITIVITY_H */
