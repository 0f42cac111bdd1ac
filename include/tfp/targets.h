/*
 * analysis layer: checks a unit's period summary against plan targets
 * (DESIGN section 4): labour-productivity growth against its goal, and the
 * TFP share of output growth, for the period and for the last year, against
 * a band. Defaults are Bac Giang's 2021-2025 plan (include/tfp/config.h).
 */
#ifndef TFP_TARGETS_H
#define TFP_TARGETS_H

#include "tfp/error.h"
#include "tfp/growth.h"

typedef struct tfp_targets {
    double lp;     /* average annual labour-productivity growth goal (0.125) */
    double tfp_lo; /* TFP share band, low and high (0.30, 0.35) */
    double tfp_hi;
} tfp_targets;

void tfp_targets_init(tfp_targets *t);

/*
 * The default plan period for data whose last year is ymax:
 * TFP_DEFAULT_FROM..TFP_DEFAULT_TO when the data reach into it, else the
 * last TFP_DEFAULT_PERIOD_YEARS years.
 */
void tfp_targets_period(int ymax, int *from, int *to);

/*
 * Parses one "--target" specification into t: "lp=0.125", "tfp=0.30:0.35"
 * or "tfp=0.30" (a one-sided goal: high = low). Percent signs are not
 * accepted: rates are fractions. TFP_EINVAL with a message on error.
 */
int tfp_targets_parse(tfp_targets *t, const char *spec, tfp_error *err);

enum { TFP_TARGET_LP = 0, TFP_TARGET_TFP_PERIOD, TFP_TARGET_TFP_LAST, TFP_TARGET_COUNT };

typedef struct tfp_target_check {
    const char *target;         /* static: lp_growth, tfp_share_period, tfp_share_last_year */
    double value;               /* achieved (NaN when undefined) */
    double goal_low, goal_high; /* goal_high NaN for lp_growth */
    const char *status;         /* static: met below within above on-track off-track undefined */
    double required_growth;     /* lp_growth, incomplete period only; else NaN */
} tfp_target_check;

/*
 * Fills out[TFP_TARGET_COUNT] from s. A complete period (s->last == s->to)
 * gets met/below and below/within/above; an incomplete one on-track or
 * off-track (the value so far against the low goal) and, for lp_growth, the
 * average annual growth still required in the remaining years:
 *   ((1 + goal)^(to - from + 1) * LP_base / LP_last)^(1 / (to - last)) - 1.
 */
void tfp_targets_check(const tfp_growth_summary *s,
                       const tfp_targets *t,
                       tfp_target_check out[TFP_TARGET_COUNT]);

#endif /* TFP_TARGETS_H */
