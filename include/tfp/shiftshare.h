/*
 * analysis layer: the shift-share decomposition of aggregate labour
 * productivity into the within-sector effect, the static and the dynamic
 * structural effects, and the product-tax term. In levels, with
 * P_i = Y_i / L_i, S_i = L_i / L and product taxes less subsidies T (output
 * without labour):
 *   LP = sum_i P_i S_i + T / L,
 *   LP_1 - LP_0 = sum dP_i S_i,0          (within)
 *               + sum P_i,0 dS_i          (static structural)
 *               + sum dP_i dS_i           (dynamic structural)
 *               + d(T / L)                (product taxes),
 * an identity: the parts sum to the total exactly.
 * References: Fabricant (1942), Employment in Manufacturing 1899-1939, NBER;
 * Timmer and Szirmai (2000), "Productivity growth in Asian manufacturing:
 * the structural bonus hypothesis examined", Structural Change and Economic
 * Dynamics 11(4) (the static and dynamic shift effects); de Vries, Timmer
 * and de Vries (2015), "Structural transformation in Africa", Journal of
 * Development Studies 51(6).
 */
#ifndef TFP_SHIFTSHARE_H
#define TFP_SHIFTSHARE_H

#include <stddef.h>

#include "tfp/error.h"
#include "tfp/panel.h"
#include "tfp/strbuf.h"

/* The parts of one change, in units of labour productivity (output per
 * person employed). */
typedef struct tfp_shiftshare_parts {
    double lp_base, lp_last; /* aggregate LP = (sum Y_i + T) / sum L_i */
    double total;            /* lp_last - lp_base */
    double within;           /* sum (P_i,1 - P_i,0) S_i,0 */
    double static_shift;     /* sum P_i,0 (S_i,1 - S_i,0) */
    double dynamic_shift;    /* sum (P_i,1 - P_i,0) (S_i,1 - S_i,0) */
    double taxes;            /* T_1 / L_1 - T_0 / L_0 (0 without product taxes) */
} tfp_shiftshare_parts;

/*
 * Decomposes the change from year 0 to year 1 of k sectors: outputs Y0, Y1
 * and persons employed L0, L1 (k values each, borrowed), product taxes T0,
 * T1 (0 when there are none). A NaN or a non-positive labour gives NaN
 * parts (NaN in, NaN out); k = 0 is TFP_EINVAL.
 */
int tfp_shiftshare_fit(size_t k,
                       const double *Y0,
                       const double *L0,
                       const double *Y1,
                       const double *L1,
                       double T0,
                       double T1,
                       tfp_shiftshare_parts *out,
                       tfp_error *err);

/* One region's decomposition over a plan period. */
typedef struct tfp_shiftshare_region {
    const char *region; /* borrowed from the panel */
    int from, to;       /* the period asked for */
    int base, last;     /* base year from - 1 and the last complete year <= to (0: none) */
    size_t nsector;     /* production sectors (product taxes not counted) */
    int has_taxes;      /* the region has product-tax rows */
    tfp_shiftshare_parts parts;
} tfp_shiftshare_region;

typedef struct tfp_shiftshare {
    size_t n;
    tfp_shiftshare_region *region; /* n, owned, in the panel's region order */
} tfp_shiftshare;

/*
 * The decomposition for every region of p (a panel with sectors, product
 * taxes moved out by tfp_prep_split_taxes) between the base year from - 1
 * and the last year <= to in which every sector of the region (and its
 * product taxes, when it has any) has output and labour (persons employed).
 * taxes may be NULL. A region without such a year or without a complete
 * base year gets NaN parts and a warning in w (may be NULL). *out is freed
 * with tfp_shiftshare_free. TFP_EINVAL when p has no sectors or from > to.
 */
int tfp_shiftshare_run(const tfp_panel *p,
                       const tfp_panel *taxes,
                       int from,
                       int to,
                       tfp_shiftshare **out,
                       tfp_warnings *w,
                       tfp_error *err);

void tfp_shiftshare_free(tfp_shiftshare *s);

#endif /* TFP_SHIFTSHARE_H */
