/*
 * Plan-target checks (analysis layer): statuses and the growth still
 * required, DESIGN section 4. Pure functions of a period summary.
 */
#include "tfp/targets.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tfp/config.h"

void
tfp_targets_init(tfp_targets *t)
{
    t->lp = TFP_DEFAULT_TARGET_LP;
    t->tfp_lo = TFP_DEFAULT_TARGET_TFP_LO;
    t->tfp_hi = TFP_DEFAULT_TARGET_TFP_HI;
}

void
tfp_targets_period(int ymax, int *from, int *to)
{
    if (ymax >= TFP_DEFAULT_FROM) {
        *from = TFP_DEFAULT_FROM;
        *to = TFP_DEFAULT_TO;
    } else {
        *from = ymax - TFP_DEFAULT_PERIOD_YEARS + 1;
        *to = ymax;
    }
}

/* Parses a whole string as a finite double; returns 1 on success. */
static int
parse_rate(const char *s, const char *end, double *v)
{
    char buf[64];
    char *stop;
    size_t n = (size_t)(end - s);
    if (n == 0 || n >= sizeof buf)
        return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    *v = strtod(buf, &stop);
    return *stop == '\0' && isfinite(*v);
}

int
tfp_targets_parse(tfp_targets *t, const char *spec, tfp_error *err)
{
    const char *eq = strchr(spec, '=');
    const char *val, *colon, *end;
    double lo, hi;
    if (eq == NULL)
        return tfp_fail(err, TFP_EINVAL,
                        "target \"%s\": expected NAME=VALUE (lp=0.125 or "
                        "tfp=0.30:0.35)",
                        spec);
    val = eq + 1;
    end = val + strlen(val);
    colon = strchr(val, ':');
    if (!parse_rate(val, colon != NULL ? colon : end, &lo) ||
        (colon != NULL && !parse_rate(colon + 1, end, &hi)))
        return tfp_fail(err, TFP_EINVAL, "target \"%s\": expected a fraction such as 0.125", spec);
    if (colon == NULL)
        hi = lo;
    if ((size_t)(eq - spec) == 2 && strncmp(spec, "lp", 2) == 0) {
        if (colon != NULL)
            return tfp_fail(err, TFP_EINVAL, "target \"%s\": lp takes one value", spec);
        if (!(lo > -1.0 && lo < 1.0))
            return tfp_fail(err, TFP_EINVAL,
                            "target \"%s\": growth must be a fraction in (-1, 1), such as 0.125",
                            spec);
        t->lp = lo;
        return TFP_OK;
    }
    if ((size_t)(eq - spec) == 3 && strncmp(spec, "tfp", 3) == 0) {
        if (!(lo <= hi) || lo < -1.0 || hi > 1.0)
            return tfp_fail(err, TFP_EINVAL,
                            "target \"%s\": expected LOW:HIGH shares with LOW <= HIGH, such as "
                            "0.30:0.35",
                            spec);
        t->tfp_lo = lo;
        t->tfp_hi = hi;
        return TFP_OK;
    }
    return tfp_fail(err, TFP_EINVAL, "target \"%s\": unknown target (known: lp, tfp)", spec);
}

static const char *
band_status(double v, double lo, double hi, int complete)
{
    if (isnan(v))
        return "undefined";
    if (!complete)
        return v >= lo ? "on-track" : "off-track";
    if (v < lo)
        return "below";
    return v > hi ? "above" : "within";
}

void
tfp_targets_check(const tfp_growth_summary *s,
                  const tfp_targets *t,
                  tfp_target_check out[TFP_TARGET_COUNT])
{
    tfp_target_check *lp = &out[TFP_TARGET_LP];
    int remaining = s->to - s->last;

    lp->target = "lp_growth";
    lp->value = s->lp_compound;
    lp->goal_low = t->lp;
    lp->goal_high = TFP_NAN;
    lp->required_growth = TFP_NAN;
    if (isnan(lp->value))
        lp->status = "undefined";
    else if (s->complete)
        lp->status = lp->value >= t->lp ? "met" : "below";
    else
        lp->status = lp->value >= t->lp ? "on-track" : "off-track";
    if (!s->complete && s->years > 0 && remaining > 0 && s->LP_base > 0.0 && s->LP_last > 0.0) {
        /* DESIGN section 4: the level the goal implies at `to`, reached from
         * the last level in the remaining years. */
        double need = pow(1.0 + t->lp, (double)(s->to - s->from + 1)) * s->LP_base / s->LP_last;
        lp->required_growth = pow(need, 1.0 / remaining) - 1.0;
        if (!isfinite(lp->required_growth)) /* levels beyond the doubles: undefined */
            lp->required_growth = TFP_NAN;
    }

    out[TFP_TARGET_TFP_PERIOD].target = "tfp_share_period";
    out[TFP_TARGET_TFP_PERIOD].value = s->share_A;
    out[TFP_TARGET_TFP_LAST].target = "tfp_share_last_year";
    out[TFP_TARGET_TFP_LAST].value = s->share_A_last;
    for (int k = TFP_TARGET_TFP_PERIOD; k <= TFP_TARGET_TFP_LAST; k++) {
        out[k].goal_low = t->tfp_lo;
        out[k].goal_high = t->tfp_hi;
        out[k].required_growth = TFP_NAN;
        out[k].status = band_status(out[k].value, t->tfp_lo, t->tfp_hi, s->complete);
    }
}
