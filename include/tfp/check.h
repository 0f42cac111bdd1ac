/*
 * analysis layer: plan targets checked on reported indicators (tfp check),
 * for offices that have the published figures but not the inputs. The same
 * targets, statuses and required growth as the estimate's (DESIGN section
 * 4, tfp_targets_check), from:
 *   lp_growth            the compound rate (LP_last / LP_base)^(1/n) - 1 from
 *                        labour-productivity levels when the base year and a
 *                        year of the period have one; else the compound
 *                        average of the reported yearly growth rates,
 *                        (prod (1 + g_t))^(1/m) - 1 over the m years present;
 *   tfp_share_period     the mean of the yearly TFP shares reported in the
 *                        period, weighted by output growth when it is
 *                        reported for each of those years:
 *                        sum s_t g_t / sum g_t = sum (TFP growth) / sum g_t,
 *                        the period share as sums of contributions over the
 *                        sum of growth (DESIGN section 3, log form), which
 *                        keeps a year of little growth from swaying it;
 *                        else the plain mean;
 *   tfp_share_last_year  the share of the last year reported in the period.
 * The growth still required is computed only when the data give LP_last /
 * LP_base: from levels, or from growth rates for every year from the period's
 * start to the last one reported.
 */
#ifndef TFP_CHECK_H
#define TFP_CHECK_H

#include <stddef.h>

#include "tfp/error.h"
#include "tfp/reported.h"
#include "tfp/strbuf.h"
#include "tfp/targets.h"

typedef enum {
    TFP_BASIS_NONE = 0,      /* no data: the value is undefined */
    TFP_BASIS_LEVELS,        /* labour-productivity levels, base and last year */
    TFP_BASIS_GROWTH,        /* yearly growth rates, compounded */
    TFP_BASIS_MEAN,          /* plain mean of yearly shares */
    TFP_BASIS_WEIGHTED_MEAN, /* mean of yearly shares weighted by output growth */
    TFP_BASIS_LAST_YEAR      /* the last year's share */
} tfp_basis;

/* The basis's code ("levels", "growth_rates", "mean", "weighted_mean",
 * "last_year", "none"); static. */
const char *tfp_basis_name(tfp_basis b);

/* Which reported figures a value rests on. */
typedef struct tfp_check_source {
    tfp_basis basis;
    const char *column;  /* the input column used (borrowed), NULL when none */
    const char *weights; /* the output-growth column of a weighted mean, else NULL */
    int years;           /* years reported and used (growth years for levels) */
    int first, last;     /* first and last year used (the base year for levels); 0 when none */
} tfp_check_source;

typedef struct tfp_check_region {
    const char *region; /* borrowed from the data */
    tfp_target_check t[TFP_TARGET_COUNT];
    tfp_check_source src[TFP_TARGET_COUNT];
} tfp_check_region;

typedef struct tfp_check_opts {
    int from, to; /* plan period; 0 = default (tfp_targets_period on the data's last year) */
    tfp_targets targets;
} tfp_check_opts;

void tfp_check_opts_init(tfp_check_opts *o);

typedef struct tfp_check {
    tfp_check_opts opts;      /* as used: the period resolved */
    tfp_reported *data;       /* owned */
    size_t n;                 /* regions */
    tfp_check_region *region; /* n, owned, sorted by region */
    tfp_warnings warnings;    /* how values were formed where data are missing */
} tfp_check;

/*
 * Checks every region of data (ownership taken, freed with the result, also
 * on failure) against o's targets. *out is freed with tfp_check_free.
 * TFP_EINVAL when from > to.
 */
int tfp_check_run(tfp_reported *data, const tfp_check_opts *o, tfp_check **out, tfp_error *err);

void tfp_check_free(tfp_check *c);

#endif /* TFP_CHECK_H */
