/*
 * analysis layer: the capital elasticity estimated from the data, to feed
 * growth accounting instead of a fixed capital share. Three production
 * functions on the region totals (rows with positive output, labour and
 * capital): crs, log(Y/L) = c + b log(K/L) + g t (pooled OLS, constant
 * returns imposed); within, log Y = a_i + b log K + c log L + g t (region
 * fixed effects); twoways, log Y = a_i + d_t + b log K + c log L.
 * Reference: the fits are tfp_panelreg_fit's (checked against R plm).
 */
#ifndef TFP_ELASTICITY_H
#define TFP_ELASTICITY_H

#include <stddef.h>

#include "tfp/error.h"
#include "tfp/panel.h"

typedef enum {
    TFP_SHARE_FIXED = 0,  /* the capital share given */
    TFP_SHARE_FIT_CRS,    /* estimated by the crs fit */
    TFP_SHARE_FIT_WITHIN, /* estimated by the within fit */
    TFP_SHARE_FIT_TWOWAYS /* estimated by the twoways fit */
} tfp_share_source;

/* "crs", "within", "twoways" (static); "fixed" for TFP_SHARE_FIXED. */
const char *tfp_share_source_name(tfp_share_source s);
/* Parses "fit" (crs), "fit:crs", "fit:within", "fit:twoways"; TFP_EINVAL otherwise. */
int tfp_share_source_parse(const char *s, tfp_share_source *src, tfp_error *err);

typedef struct tfp_elasticity {
    tfp_share_source source;
    double b;         /* the capital elasticity */
    double se;        /* its classic standard error */
    double r_squared; /* of the fit (within R^2 for panel models) */
    size_t n;         /* observations used */
    size_t nunits;    /* regions used */
} tfp_elasticity;

/*
 * Fits the model of src on the panel p (region totals: sectors, if any, are
 * ignored as units) with labour input L (p->n values). TFP_ENUMERIC when
 * the fit is not identified (too few rows, a single region for twoways,
 * collinear inputs) with the reason. The estimate is returned whatever its
 * value; the caller decides whether it can serve as a share.
 */
int tfp_elasticity_fit(const tfp_panel *p,
                       const double *L,
                       tfp_share_source src,
                       tfp_elasticity *out,
                       tfp_error *err);

#endif /* TFP_ELASTICITY_H */
