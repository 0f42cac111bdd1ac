/*
 * The bootstrap's inner loops (analysis layer): a replicate's count-weighted
 * sums and its period figures, structure-of-arrays over a batch's units.
 * Compiled at -O3 (Makefile): GCC 12's -O2 vectorises no loop whose trip
 * count is unknown, and these two loops are most of a bootstrap's time
 * (measured: the sums 2.7 times faster). Vectorising across units changes
 * no result: every value is computed with the same operations in the same
 * order as the scalar loop would, and C11 mode keeps -ffp-contract=off.
 * On x86-64 with GCC each kernel also has an AVX2 clone, chosen at load
 * time (target_clones): the same operations, four doubles at a time, so
 * the results are the same on every machine (no FMA: contraction is off).
 */
#include <float.h>
#include <math.h>

#include "analysis_int.h"
#include "tfp/bootstrap.h"
#include "tfp/config.h"
#include "tfp/targets.h"

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) &&                             \
    !defined(__SANITIZE_ADDRESS__)
#define KERNEL __attribute__((target_clones("avx2", "default")))
#else
#define KERNEL
#endif

KERNEL void
tfp_boot_accumulate(size_t n,
                    size_t m,
                    const uint16_t *restrict c,
                    const double *restrict X,
                    double *restrict acc)
{
    size_t t, j;
    for (j = 0; j < m; j++)
        acc[j] = 0.0;
    for (t = 0; t < n; t++) {
        const double *restrict xt = X + t * m;
        double ct;
        if (c[t] == 0)
            continue;
        ct = (double)c[t];
        for (j = 0; j < m; j++)
            acc[j] += ct * xt[j];
    }
}

/* Columns a tile of tfp_boot_accumulate4 keeps in registers. */
#define TILE 8

KERNEL void
tfp_boot_accumulate4(size_t n,
                     size_t m,
                     const uint16_t *restrict c,
                     const double *restrict X,
                     double *restrict acc,
                     double *restrict cw)
{
    size_t t, j, i, r;
    for (t = 0; t < n; t++)
        for (r = 0; r < 4; r++)
            cw[t * 4 + r] = (double)c[r * n + t];
    for (j = 0; j + TILE <= m; j += TILE) {
        /* A tile of 4 replicates x TILE columns stays in registers over
         * the years: each value of X is loaded once for four replicates. A
         * zero count adds 0 x value = +-0, which leaves a sum that started
         * at +0 unchanged, so the result is tfp_boot_accumulate's. */
        double a[4][TILE] = {{0.0}};
        for (t = 0; t < n; t++) {
            const double *restrict xt = X + t * m + j;
            const double *restrict wt = cw + t * 4;
            for (r = 0; r < 4; r++)
                for (i = 0; i < TILE; i++)
                    a[r][i] += wt[r] * xt[i];
        }
        for (r = 0; r < 4; r++)
            for (i = 0; i < TILE; i++)
                acc[r * m + j + i] = a[r][i];
    }
    for (; j < m; j++)
        for (r = 0; r < 4; r++) {
            double s = 0.0;
            for (t = 0; t < n; t++)
                s += cw[t * 4 + r] * X[t * m + j];
            acc[r * m + j] = s;
        }
}

/* growth.c's share_of without branches: c / g, NaN when |g| is (numerically)
 * zero or the share is beyond the doubles (the inputs here are finite). */
static inline double
ratio(double c, double inv_g, double g)
{
    double r = c * inv_g;
    return fabs(g) > TFP_SHARE_DENOM_EPS && fabs(r) <= DBL_MAX ? r : TFP_NAN;
}

/* A TFP share meets the band: within [lo, hi] for a complete period (>= lo
 * for a one-sided goal, hi == lo), on-track (>= lo) for an incomplete one. */
static inline size_t
meets(double v, double lo, double hi, int complete)
{
    return (size_t)(v >= lo && (!complete || hi == lo || v <= hi));
}

KERNEL void
tfp_boot_figures(const tfp_boot_batch *bt,
                 const double *restrict acc,
                 double b,
                 double *restrict v,
                 size_t *restrict met)
{
    size_t K = bt->K, k;
    const double *sY = acc + TFP_BS_Y * K, *sL = acc + TFP_BS_L * K, *sK = acc + TFP_BS_K * K;
    const double *sP = bt->p_is_l ? sL : acc + TFP_BS_P * K;
    const double *sA_ = acc + bt->s_a * K, *sCK = sA_ + K, *sCL = sA_ + 2 * K;
    double *gY = v + TFP_BOOT_G_Y * K, *gL = v + TFP_BOOT_G_L * K, *gK = v + TFP_BOOT_G_K * K;
    double *a = v + TFP_BOOT_A * K, *gA = v + TFP_BOOT_G_A * K;
    double *shK = v + TFP_BOOT_SHARE_K * K, *shL = v + TFP_BOOT_SHARE_L * K;
    double *shA = v + TFP_BOOT_SHARE_A * K, *shAl = v + TFP_BOOT_SHARE_A_LAST * K;
    double *gLP = v + TFP_BOOT_G_LP * K;
    size_t *mLP = met + TFP_TARGET_LP * K, *mP = met + TFP_TARGET_TFP_PERIOD * K;
    size_t *mL = met + TFP_TARGET_TFP_LAST * K;
    double inv_n = bt->inv_n, lo = bt->tfp_lo, hi = bt->tfp_hi;
    int ties = 0;

    if (bt->log_form) {
        /* Log growth: means of the annual log growths; shares are sums of
         * contributions over the sum of output growth. */
        for (k = 0; k < K; k++) {
            double ak, cK, cL, sA, inv = 1.0 / sY[k];
            if (bt->const_share) {
                ak = b;
                cK = ak * sK[k];
                cL = (1.0 - ak) * sL[k];
            } else {
                ak = sA_[k] * inv_n;
                cK = sCK[k];
                cL = sCL[k];
            }
            sA = sY[k] - cK - cL;
            gY[k] = sY[k] * inv_n;
            gL[k] = sL[k] * inv_n;
            gK[k] = sK[k] * inv_n;
            a[k] = ak;
            gA[k] = sA * inv_n;
            shK[k] = ratio(cK, inv, sY[k]);
            shL[k] = ratio(cL, inv, sY[k]);
            shA[k] = ratio(sA, inv, sY[k]);
        }
    } else {
        /* Simple growth: compound rates exp(mean log(1 + g)) - 1 and
         * g_A = g_Y - a g_K - (1 - a) g_L with the period's capital share. */
        for (k = 0; k < K; k++) {
            double mY = sY[k] * inv_n, mL2 = sL[k] * inv_n, mK = sK[k] * inv_n;
            double y = expm1(mY), l = expm1(mL2), c = expm1(mK), ak, g, inv = 1.0 / y;
            ak = bt->const_share ? b : sA_[k] * inv_n;
            g = y - ak * c - (1.0 - ak) * l;
            gY[k] = mY;
            gL[k] = mL2;
            gK[k] = mK;
            a[k] = ak;
            gA[k] = g;
            shK[k] = ratio(ak * c, inv, y);
            shL[k] = ratio((1.0 - ak) * l, inv, y);
            shA[k] = ratio(g, inv, y);
        }
    }
    for (k = 0; k < K; k++) {
        /* lp_growth is met when expm1(mean log LP growth) >= goal, compared
         * as mean > log1p(goal); near-ties are settled exactly below. */
        /* ln(Y/P) growth = ln Y growth - ln P growth. */
        double lp = (sY[k] - sP[k]) * inv_n, d = lp - bt->lp_log;
        int tie = fabs(d) <= bt->tie_eps;
        gLP[k] = lp;
        mLP[k] += (size_t)(d > 0.0 && !tie);
        ties |= tie;
        mP[k] += meets(shA[k], lo, hi, bt->complete[k]);
    }
    if (ties)
        for (k = 0; k < K; k++)
            if (fabs(gLP[k] - bt->lp_log) <= bt->tie_eps)
                mLP[k] += (size_t)(expm1(gLP[k]) >= bt->lp_goal);
    if (bt->last_varies) {
        /* The last year is not resampled; only a drawn share moves it. */
        for (k = 0; k < K; k++) {
            double g = bt->gYl[k] - b * bt->gKl[k] - (1.0 - b) * bt->gLl[k];
            shAl[k] = ratio(g, 1.0 / bt->gYl[k], bt->gYl[k]);
            mL[k] += meets(shAl[k], lo, hi, bt->complete[k]);
        }
    }
}

/* Keeps x in a window of one unit: stores it at the window's next slot and
 * counts it when it falls inside [lo, hi]; branch-free, the spare slot
 * taking the writes of a full window. */
static inline void
keep(double *store, size_t *cnt, size_t cap, double x, double lo, double hi)
{
    size_t c = *cnt;
    store[c < cap ? c : cap] = x;
    *cnt = c + ((size_t)(x >= lo) & (size_t)(x <= hi));
}

/* The vectorised half of classify: the counts below each window, and which
 * windows each value falls in (1, 2 or 3; selects, not &&, which would stop
 * the vectoriser). A separate function with restrict parameters: GCC 12
 * does not vectorise the loop over pointers read from the struct. */
static inline void
count_windows(size_t K,
              const double *restrict x,
              const double *restrict l0,
              const double *restrict h0,
              const double *restrict l1,
              const double *restrict h1,
              double *restrict b0,
              double *restrict b1,
              double *restrict in)
{
    for (size_t k = 0; k < K; k++) {
        double a0 = x[k] >= l0[k] ? 1.0 : 0.0, a1 = x[k] >= l1[k] ? 2.0 : 0.0;
        b0[k] += x[k] < l0[k] ? 1.0 : 0.0;
        b1[k] += x[k] < l1[k] ? 1.0 : 0.0;
        in[k] = (x[k] <= h0[k] ? a0 : 0.0) + (x[k] <= h1[k] ? a1 : 0.0);
    }
}

static inline void
count_defined(size_t K, const double *restrict x, double *restrict nok)
{
    for (size_t k = 0; k < K; k++)
        nok[k] += x[k] == x[k] ? 1.0 : 0.0;
}

KERNEL void
tfp_boot_classify(const tfp_boot_windows *wv, const double *restrict x)
{
    size_t K = wv->K, k, off1 = wv->cap[0] + 1, m = 0, *idx = wv->idx;
    const double *in = wv->flag;
    count_windows(K, x, wv->lo[0], wv->hi[0], wv->lo[1], wv->hi[1], wv->below[0], wv->below[1],
                  wv->flag);
    count_defined(K, x, wv->nok);
    /* Scalar, for the few values inside a window: their indices first,
     * without branches (a branch per value mispredicts on the ~12 % in a
     * window), then both windows' keeps, also without branches. */
    for (k = 0; k < K; k++) {
        idx[m] = k;
        m += (size_t)(in[k] != 0.0);
    }
    for (size_t i = 0; i < m; i++) {
        double *store = wv->store + idx[i] * wv->stride;
        k = idx[i];
        keep(store, &wv->cnt[0][k], wv->cap[0], x[k], wv->lo[0][k], wv->hi[0][k]);
        keep(store + off1, &wv->cnt[1][k], wv->cap[1], x[k], wv->lo[1][k], wv->hi[1][k]);
    }
}

KERNEL void
tfp_boot_classify_one(const tfp_boot_windows *wv, const double *restrict x, size_t n)
{
    double l0 = wv->lo[0][0], l1 = wv->lo[1][0], h0 = wv->hi[0][0], h1 = wv->hi[1][0];
    double c0[4] = {0.0, 0.0, 0.0, 0.0}, c1[4] = {0.0, 0.0, 0.0, 0.0};
    size_t i, j, n4 = n - n % 4, off1 = wv->cap[0] + 1;
    /* Counts in four lanes: each lane's sum is exact and needs no
     * reassociation, so the loop vectorises. */
    for (i = 0; i < n4; i += 4)
        for (j = 0; j < 4; j++) {
            c0[j] += x[i + j] < l0 ? 1.0 : 0.0;
            c1[j] += x[i + j] < l1 ? 1.0 : 0.0;
        }
    for (; i < n; i++) {
        c0[0] += x[i] < l0 ? 1.0 : 0.0;
        c1[0] += x[i] < l1 ? 1.0 : 0.0;
    }
    wv->below[0][0] += (c0[0] + c0[1]) + (c0[2] + c0[3]);
    wv->below[1][0] += (c1[0] + c1[1]) + (c1[2] + c1[3]);
    wv->nok[0] += (double)n; /* the pilot keeps only defined values */
    for (i = 0, j = 0; i < n; i++) {
        wv->idx[j] = i;
        j += (size_t)((x[i] >= l0 && x[i] <= h0) || (x[i] >= l1 && x[i] <= h1));
    }
    for (size_t q = 0; q < j; q++) {
        double v = x[wv->idx[q]];
        keep(wv->store, &wv->cnt[0][0], wv->cap[0], v, l0, h0);
        keep(wv->store + off1, &wv->cnt[1][0], wv->cap[1], v, l1, h1);
    }
}
