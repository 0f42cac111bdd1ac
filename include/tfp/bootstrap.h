/*
 * analysis layer: uncertainty of an estimate's period figures by the moving
 * block bootstrap of annual growth rates (Kuensch 1989; Hall, Horowitz and
 * Jing 1995 for the n^(1/3) block length) and a normal draw of the capital
 * share, with percentile intervals (Hyndman and Fan 1996, type 7, R's
 * default) and the share of replicates meeting each plan target.
 * Replicate r draws from its own GSL stream (gsl_rng_taus2, L'Ecuyer 1996)
 * seeded from (seed, r), so results do not depend on the number of threads.
 */
#ifndef TFP_BOOTSTRAP_H
#define TFP_BOOTSTRAP_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "tfp/error.h"
#include "tfp/estimate.h"
#include "tfp/progress.h"
#include "tfp/strbuf.h"
#include "tfp/targets.h"

typedef enum {
    TFP_RESAMPLE_YEARS = 0, /* moving blocks of annual growth rates within each unit */
    TFP_RESAMPLE_NONE = 1   /* keep the years: only the capital share is drawn */
} tfp_resample;

typedef struct tfp_bootstrap_opts {
    size_t replicates;       /* B, 1..TFP_BOOT_MAX_REPLICATES */
    uint64_t seed;           /* any value; the same seed gives the same output */
    size_t threads;          /* worker threads, 1..TFP_BOOT_MAX_THREADS */
    double level;            /* interval coverage in (0, 1), default 0.90 */
    tfp_resample resample;   /* default TFP_RESAMPLE_YEARS */
    size_t block;            /* block length in years; 0 = round(n^(1/3)) per unit */
    double capital_share_sd; /* sd of the capital-share draw; 0 = the share is fixed */
    int keep_share;          /* keep each region total's replicate TFP shares */
    /* Stage "bootstrap", in unit-replicates (B x units bootstrapped): called
     * only from the thread that called tfp_bootstrap_run, about every
     * TFP_BOOT_PROGRESS_MS while it runs and once at the end with done ==
     * total. fn may be NULL; ctx is borrowed. */
    tfp_progress progress;
} tfp_bootstrap_opts;

/* Defaults: 1000 replicates, seed 0, 1 thread, level 0.90, years resampled
 * in blocks of round(n^(1/3)), the capital share fixed, no progress. */
void tfp_bootstrap_opts_init(tfp_bootstrap_opts *o);

/* The period figures that get intervals, in the summary table's order. */
enum {
    TFP_BOOT_G_Y = 0,      /* output_growth */
    TFP_BOOT_G_L,          /* labour_growth */
    TFP_BOOT_G_K,          /* capital_growth */
    TFP_BOOT_A,            /* capital_share */
    TFP_BOOT_G_A,          /* tfp_growth */
    TFP_BOOT_SHARE_K,      /* capital_contribution_share */
    TFP_BOOT_SHARE_L,      /* labour_contribution_share */
    TFP_BOOT_SHARE_A,      /* tfp_share */
    TFP_BOOT_SHARE_A_LAST, /* tfp_share_last_year */
    TFP_BOOT_G_LP,         /* labour_productivity_growth */
    TFP_BOOT_NFIG
};

typedef struct tfp_bootstrap_unit {
    int done;     /* 1 when the unit was bootstrapped; else all figures NaN */
    size_t n;     /* annual growth rates in the period (the resampled years) */
    size_t block; /* block length used (<= n) */
    double lo[TFP_BOOT_NFIG], hi[TFP_BOOT_NFIG]; /* percentile interval; NaN if undefined */
    size_t nvalid[TFP_BOOT_NFIG];                /* replicates where the figure is defined */
    double prob[TFP_TARGET_COUNT];               /* share of all B replicates meeting each */
    double *share; /* keep_share and a region total: the B replicate TFP shares
                      (NaN where undefined), in replicate order; owned; else NULL */
} tfp_bootstrap_unit;

typedef struct tfp_bootstrap {
    tfp_bootstrap_opts opts;  /* as used (progress cleared) */
    double p_lo, p_hi;        /* quantile probabilities (1 - level)/2, (1 + level)/2 */
    int share_drawn;          /* the capital-share draw reached at least one unit */
    size_t nfallback;         /* figures whose quantiles needed the full recomputation */
    size_t nunit;             /* as the estimate's; unit[u] belongs to e->unit[u] */
    tfp_bootstrap_unit *unit; /* owned */
    tfp_warnings warnings;    /* units left out, blocks shortened, draws without effect */
} tfp_bootstrap;

/*
 * Bootstraps the period figures of every unit of e (borrowed; read only).
 *
 * Resampling (o->resample == TFP_RESAMPLE_YEARS): a unit's n annual growth
 * observations of the period (years from..last, each growth over the year
 * before) are resampled by the moving block bootstrap: ceil(n / l) blocks of
 * l consecutive years, starts uniform on 0..n-l, joined and cut to n. A
 * replicate uses the same block starts for every unit with the same n (the
 * years are drawn for all regions at once, which keeps a year's common
 * shocks together; each unit's own distribution is that of resampling its
 * years alone). The period figures are recomputed from the resampled years
 * in the method's form: log growth averages the annual log growths (shares
 * are sums over sums); simple growth takes the compound rate of the
 * resampled (1 + g) products, exp(mean log(1 + g)) - 1, which for the
 * original sample is (X_last / X_base)^(1/n) - 1. The last year's TFP share
 * is one year's figure and is not resampled.
 *
 * Capital share (o->capital_share_sd > 0): each replicate draws one b_K ~
 * N(b, sd^2) truncated to (0, 1) (b = e->opts.growth.capital_share; by
 * rejection) and uses it for every unit whose share is the constant one
 * (gso, or tornqvist without a labour_share column); with labour shares
 * from the data the draw has no effect, and a warning says so.
 *
 * Intervals: type-7 quantiles at p_lo and p_hi of the replicates where a
 * figure is defined. Probabilities: the share of all B replicates in which
 * the target's status would be the one sought: lp_growth met (the compound
 * LP growth >= goal); a TFP share within [goal_low, goal_high] (>= goal_low
 * when the goal is one-sided, goal_high == goal_low); for an incomplete
 * period, on-track (>= goal_low). An undefined replicate counts as not met.
 *
 * Units with no period summary, a gap or a missing value in the period get
 * no intervals (done == 0) and a warning. Memory: about min(B * 80 bytes
 * per unit, TFP_BOOT_STORE_BYTES) per thread plus 2 bytes per replicate and
 * year. TFP_EINVAL for options out of range, TFP_ENOMEM. *out is freed with
 * tfp_bootstrap_free.
 */
int tfp_bootstrap_run(const tfp_estimate *e,
                      const tfp_bootstrap_opts *o,
                      tfp_bootstrap **out,
                      tfp_error *err);

void tfp_bootstrap_free(tfp_bootstrap *b);

/* ---- the building blocks, pure functions ------------------------------------- */

/* The default block length for n annual growth rates: round(n^(1/3)), at
 * least 1 (1 for n <= 3, 2 for 4..15, 3 for 16..42, ...). */
size_t tfp_bootstrap_block_default(size_t n);

/* The 32-bit seed of replicate r's stream: fmix32(h + r mod 2^32) with h a
 * 64-bit finaliser of seed (MurmurHash3's fmix), so that the replicates of
 * one run have distinct seeds (for r < 2^32). */
uint32_t tfp_bootstrap_stream_seed(uint64_t seed, size_t r);

/* Draws one moving-block resample of n positions with blocks of length l
 * (1 <= l <= n) from rng and writes how often each position was drawn to
 * count[0..n-1] (the counts sum to n). */
void tfp_bootstrap_block_counts(gsl_rng *rng, size_t n, size_t l, uint16_t *count);

/* One draw from N(mean, sd^2) truncated to (0, 1), by rejection from
 * gsl_ran_gaussian_ziggurat: mean in (0, 1) and 0 < sd <= TFP_BOOT_SHARE_SD_MAX
 * keep the acceptance rate above 0.34. */
double tfp_bootstrap_draw_share(gsl_rng *rng, double mean, double sd);

/*
 * Type-7 sample quantiles (Hyndman and Fan 1996; R's quantile() default):
 * for p in [0, 1], index = 1 + (n - 1) p, j = floor(index), h = index - j,
 * Q = (1 - h) x_(j) + h x_(j+1) (1-based order statistics; x_(j) alone when
 * h = 0 or the two are equal), computed as R computes it. x (n >= 1 values,
 * none NaN) is reordered; p holds np <= TFP_BOOT_MAX_PROBS probabilities; f,
 * when not NULL, is an increasing function applied to the order statistics
 * before interpolating, which gives the type-7 quantiles of f(x). hist is a
 * workspace of TFP_BOOT_HIST_BINS counts; scratch, of n doubles, may be NULL
 * (it enables the sampled-window path for large n). Exact selection by
 * histogram refinement, O(n) per call.
 */
void tfp_bootstrap_quantiles(double *x,
                             size_t n,
                             const double *p,
                             size_t np,
                             double (*f)(double),
                             double *q,
                             uint32_t *hist,
                             double *scratch);

#endif /* TFP_BOOTSTRAP_H */
