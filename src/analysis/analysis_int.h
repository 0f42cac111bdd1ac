/*
 * analysis layer, private: the bootstrap's inner kernels (bootstrap_kernel.c,
 * compiled at -O3 so that GCC vectorises them; see the Makefile). Data are
 * laid out structure-of-arrays over the K units of a batch.
 */
#ifndef TFP_ANALYSIS_INT_H
#define TFP_ANALYSIS_INT_H

#include <stddef.h>
#include <stdint.h>

/* Series summed per unit: log growth of output, labour input and capital;
 * of persons employed when they are not the labour input (labour
 * productivity's log growth is output's minus employment's); with labour
 * shares from the data also a_t and the contributions c_K,t and c_L,t (in
 * the method's form), from series s_a on. At most TFP_BS_MAX series. */
enum { TFP_BS_Y = 0, TFP_BS_L, TFP_BS_K, TFP_BS_P, TFP_BS_MAX = 7 };

/* acc[j] = sum over t < n of c[t] X[t m + j], j < m: one replicate's sums
 * (years with a zero count skipped). Each acc[j] adds its terms in the order
 * of t, whatever m, so a column's sum never depends on its batch. */
void tfp_boot_accumulate(size_t n,
                         size_t m,
                         const uint16_t *restrict c,
                         const double *restrict X,
                         double *restrict acc);

/* The same for four replicates at once: counts c[r n + t] and sums
 * acc[r m + j] for r < 4, the values equal to four tfp_boot_accumulate
 * calls; cw is a workspace of 4 n doubles. */
void tfp_boot_accumulate4(size_t n,
                          size_t m,
                          const uint16_t *restrict c,
                          const double *restrict X,
                          double *restrict acc,
                          double *restrict cw);

/* What the figures of a batch need, fixed over its replicates. */
typedef struct tfp_boot_batch {
    size_t K;          /* units */
    double n, inv_n;   /* annual growth rates per unit, and 1/n */
    int log_form;      /* means of log growths (else compound rates) */
    int const_share;   /* a = b (else a_t from the data) */
    int last_varies;   /* the last year's share moves (const_share and b drawn) */
    int p_is_l;        /* employment is the labour input: no series of its own */
    size_t s_a;        /* series of a_t (then c_K, c_L) when !const_share */
    const double *gYl; /* K: last year's growths (method's form) */
    const double *gKl;
    const double *gLl;
    const int *complete;    /* K: complete periods */
    double tfp_lo, tfp_hi;  /* the TFP share band */
    double lp_goal, lp_log; /* the LP goal and log1p of it */
    double tie_eps;         /* see TFP_BOOT_TIE_EPS */
} tfp_boot_batch;

/*
 * One replicate's period figures (DESIGN section 3, method's form) from its
 * sums acc[s K + k] and capital share b: v[f K + k] for the TFP_BOOT_*
 * figures f (growth figures in the simple form as mean log growths, their
 * expm1 taken later), and met[j K + k] incremented for each target j met.
 */
void tfp_boot_figures(const tfp_boot_batch *bt,
                      const double *restrict acc,
                      double b,
                      double *restrict v,
                      size_t *restrict met);

/* The two value windows of one figure for K units (structure of arrays):
 * window w of unit k is [lo[w][k], hi[w][k]]; its values are kept at
 * store + k stride + w (cap[0] + 1), at most cap[w] of them (slot cap[w] is
 * a spare that takes the writes past it). Counts of values below a window
 * and of defined values are doubles (exact to 2^53, and SSE2 vectorises
 * compares that add doubles, not those that add integers). */
typedef struct tfp_boot_windows {
    size_t K;
    const double *lo[2], *hi[2]; /* K bounds each */
    double *below[2];            /* K: defined values below each window */
    size_t *cnt[2];              /* K: values in each window (may exceed cap) */
    double *nok;                 /* K: defined values */
    double *flag;                /* K: workspace */
    size_t *idx;                 /* max(K, pilot) indices: workspace */
    double *store;
    size_t stride;
    size_t cap[2];
} tfp_boot_windows;

/* Counts and keeps one value of each of the K units (x[k]; NaN = undefined).
 * The counts are exact whatever the capacities: a window whose count
 * exceeds its capacity has lost values, which the caller checks. */
void tfp_boot_classify(const tfp_boot_windows *wv, const double *restrict x);

/* The same for n values of one unit (wv->K == 1): x[0..n-1]. */
void tfp_boot_classify_one(const tfp_boot_windows *wv, const double *restrict x, size_t n);

#endif /* TFP_ANALYSIS_INT_H */
