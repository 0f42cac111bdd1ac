/*
 * models layer: growth accounting for one unit (a region, or a region's
 * sector) over consecutive observations, and its period summary.
 * References: OECD (2001), Measuring Productivity, ch. 3 and 5; Feenstra,
 * Inklaar and Timmer (2015), "The Next Generation of the Penn World Table",
 * AER 105(10) (Törnqvist TFP); GSO (Vietnam) national indicator metadata for
 * the TFP contribution (fixed shares b_K + b_L = 1, simple growth rates).
 */
#ifndef TFP_GROWTH_H
#define TFP_GROWTH_H

#include <stddef.h>

#include "tfp/error.h"
#include "tfp/strbuf.h"

typedef enum {
    TFP_METHOD_GSO = 0,      /* fixed capital share, simple growth (GSO) */
    TFP_METHOD_TORNQVIST = 1 /* two-period average shares, log growth */
} tfp_method;

typedef enum { TFP_GROWTH_DEFAULT = 0, TFP_GROWTH_SIMPLE, TFP_GROWTH_LOG } tfp_growth_form;

typedef struct tfp_growth_opts {
    tfp_method method;
    tfp_growth_form form; /* DEFAULT: simple for gso, log for tornqvist */
    double capital_share; /* b_K in (0, 1): gso's share, tornqvist's fallback */
} tfp_growth_opts;

void tfp_growth_opts_init(tfp_growth_opts *o);
/* The growth form in force for o (resolves DEFAULT). */
tfp_growth_form tfp_growth_form_of(const tfp_growth_opts *o);

/*
 * One unit's series, borrowed, n observations sorted by year (gaps allowed:
 * growth across a gap is undefined). Missing values are NaN. Y output, L the
 * labour input (persons, hours or quality-adjusted), K capital, P persons
 * employed (labour productivity is Y / P), s_L the labour share (NULL when
 * the data have none).
 */
typedef struct tfp_growth_series {
    size_t n;
    const int *year;
    const double *Y;
    const double *L;
    const double *K;
    const double *P;
    const double *s_L;
} tfp_growth_series;

/*
 * Annual results, arrays of nmax owned by the result (alloc/free). Entry t
 * refers to year[t]; growth entries are NaN for the first year, across a gap
 * and where an input is missing; shares are NaN where |g_Y| is zero.
 */
typedef struct tfp_growth_result {
    size_t nmax;
    size_t n;
    double *g_Y, *g_L, *g_K;             /* growth of output, labour input, capital */
    double *a;                           /* capital share used in year t */
    double *c_K, *c_L;                   /* contributions a g_K and (1 - a) g_L */
    double *g_A;                         /* TFP growth g_Y - c_K - c_L */
    double *share_K, *share_L, *share_A; /* contributions / g_Y */
    double *LP, *g_LP;                   /* labour productivity Y / P and its growth */
} tfp_growth_result;

tfp_growth_result *tfp_growth_result_alloc(size_t nmax, tfp_error *err);
void tfp_growth_result_free(tfp_growth_result *r);

/* Growth of x1 over x0 in the given form: x1/x0 - 1 (NaN when it overflows) or the log
 * growth (log1p((x1-x0)/x0) near no change, log x1 - log x0 beyond a halving or doubling).
 * NaN when either is missing or not positive. */
double tfp_growth_rate(double x0, double x1, tfp_growth_form form);

/*
 * Annual growth accounting (DESIGN section 3):
 *   g_A = g_Y - a g_K - (1 - a) g_L,
 * a = b_K (gso) or a_t = 1 - (s_L,t + s_L,t-1)/2 (tornqvist; b_K where the
 * labour share is missing). Fails with TFP_EINVAL when n > r->nmax or the
 * capital share is outside (0, 1).
 */
int tfp_growth_fit(const tfp_growth_series *in,
                   const tfp_growth_opts *o,
                   tfp_growth_result *r,
                   tfp_error *err);

/* Period summary for from..to (base year from - 1), DESIGN section 3. */
typedef struct tfp_growth_summary {
    int from, to;                     /* the plan period asked for */
    int base, last;                   /* base year (from - 1) and last year with data <= to */
    int years;                        /* last - base; 0 when the period has no data */
    int complete;                     /* last == to */
    double g_Y, g_L, g_K;             /* average annual growth (method's growth form) */
    double a;                         /* capital share (mean of a_t) */
    double g_A;                       /* average TFP growth */
    double share_K, share_L, share_A; /* period contribution shares */
    double share_A_last;              /* TFP share in the last year */
    double g_LP;                      /* LP growth in the method's form */
    double lp_compound;               /* (LP_last / LP_base)^(1/years) - 1, always */
    double LP_base, LP_last;
} tfp_growth_summary;

/*
 * Summarises r (from tfp_growth_fit on in) over from..to. A missing base
 * year, no data in the period, or zero output growth leave the affected
 * figures NaN and add a warning naming unit (may be NULL) to w (may be
 * NULL). Simple growth: compound rates from the base year; log growth:
 * means of the annual log growths, shares as sums over sums.
 */
int tfp_growth_summarize(const tfp_growth_series *in,
                         const tfp_growth_result *r,
                         const tfp_growth_opts *o,
                         int from,
                         int to,
                         const char *unit,
                         tfp_growth_summary *s,
                         tfp_warnings *w,
                         tfp_error *err);

#endif /* TFP_GROWTH_H */
