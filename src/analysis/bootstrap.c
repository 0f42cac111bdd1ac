/*
 * Bootstrap of an estimate's period figures (analysis layer): moving-block
 * resampling of annual growth rates, a truncated-normal capital share,
 * type-7 percentile intervals and target probabilities (references in
 * include/tfp/bootstrap.h).
 *
 * Design. Replicate r draws only from its own stream, seeded from (seed, r),
 * so the draws are fixed whatever thread makes them. Phase 1 draws every
 * replicate's block counts and capital share, in parallel over replicates.
 * Phase 2 runs in parallel over batches of units: a batch holds a few units
 * with all B replicates, sums each replicate's annual values as a count-
 * weighted sum over the years (one loop vectorised across units x series),
 * turns the sums into the period figures, and selects the quantiles. Every
 * number of a unit depends only on its own column and the draws, never on
 * the batch or the thread, so the output is byte-identical for any number
 * of threads. All memory is allocated before the threads start; the
 * replicate loop does not allocate, print or lock.
 */
#include "tfp/bootstrap.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_randist.h>

#include "analysis_int.h"
#include "tfp/alloc.h"
#include "tfp/config.h"

void
tfp_bootstrap_opts_init(tfp_bootstrap_opts *o)
{
    memset(o, 0, sizeof *o);
    o->replicates = TFP_DEFAULT_BOOT_REPLICATES;
    o->seed = 0;
    o->threads = 1;
    o->level = TFP_DEFAULT_BOOT_LEVEL;
    o->resample = TFP_RESAMPLE_YEARS;
    o->block = 0;
    o->capital_share_sd = 0.0;
}

/* ---- building blocks ------------------------------------------------------------ */

size_t
tfp_bootstrap_block_default(size_t n)
{
    size_t l = (size_t)floor(cbrt((double)n) + 0.5);
    return l < 1 ? 1 : l;
}

/* MurmurHash3's finalisers (Appleby 2011): bijections with full avalanche. */
static uint64_t
fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

static uint32_t
fmix32(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

uint32_t
tfp_bootstrap_stream_seed(uint64_t seed, size_t r)
{
    uint64_t h = fmix64(seed);
    /* h32 + r is distinct for distinct r < 2^32, and fmix32 is a bijection. */
    return fmix32((uint32_t)(h ^ (h >> 32)) + (uint32_t)r);
}

void
tfp_bootstrap_block_counts(gsl_rng *rng, size_t n, size_t l, uint16_t *count)
{
    size_t nb, span, j, i;
    if (l < 1)
        l = 1;
    if (l > n)
        l = n;
    nb = n == 0 ? 0 : (n + l - 1) / l;
    span = n - l + 1;
    memset(count, 0, n * sizeof *count);
    for (j = 0; j < nb; j++) {
        /* Kuensch (1989): block starts uniform on 0..n-l; the last block is cut
         * so that the resample has n years. */
        size_t s = span > 1 ? (size_t)gsl_rng_uniform_int(rng, (unsigned long)span) : 0;
        size_t len = (j + 1) * l <= n ? l : n - j * l;
        for (i = 0; i < len; i++)
            count[s + i]++;
    }
}

double
tfp_bootstrap_draw_share(gsl_rng *rng, double mean, double sd)
{
    if (!(sd > 0.0) || !(mean > 0.0 && mean < 1.0))
        return mean;
    for (;;) {
        double b = mean + gsl_ran_gaussian_ziggurat(rng, sd);
        if (b > 0.0 && b < 1.0)
            return b;
    }
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void
sort_small(double *x, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        double v = x[i];
        size_t j = i;
        while (j > 0 && x[j - 1] > v) {
            x[j] = x[j - 1];
            j--;
        }
        x[j] = v;
    }
}

/* The bin of v among nb bins from lo; values outside go to the end bins
 * (the sampled windows bin values below the sample's minimum). */
static size_t
bin_of(double v, double lo, double scale, size_t nb)
{
    double d = (v - lo) * scale;
    if (!(d > 0.0))
        return 0;
    return d < (double)nb ? (size_t)d : nb - 1;
}

#define MAX_RANKS (2 * TFP_BOOT_MAX_PROBS)
#define BIN_MARK  UINT32_MAX

/*
 * Writes the order statistics x_(rank[k]) (0-based; ranks ascending, each
 * < n) to out[k]. Each pass histograms the values over [min, max], keeps
 * only the bins that hold a wanted rank (moved to the front of x), and
 * renumbers the ranks within them; small subsets are sorted. A pass that
 * keeps everything (two clusters of values at the ends) sorts instead.
 */
static void
select_ranks(double *x, size_t n, size_t *rank, size_t nr, double *out, uint32_t *hist)
{
    size_t k, i;
    for (;;) {
        double lo, hi, scale;
        size_t rb[MAX_RANKS], newrank[MAX_RANKS], cum, b, off, off_prev, m;
        /* About four values a bin: fewer bins for small n save the clearing. */
        size_t nb = n / 4 < TFP_BOOT_HIST_BINS ? n / 4 : TFP_BOOT_HIST_BINS;
        if (n <= TFP_BOOT_SORT_SMALL) {
            sort_small(x, n);
            break;
        }
        lo = hi = x[0];
        for (i = 1; i < n; i++) {
            lo = x[i] < lo ? x[i] : lo;
            hi = x[i] > hi ? x[i] : hi;
        }
        if (!(hi > lo)) {
            for (k = 0; k < nr; k++)
                out[k] = lo;
            return;
        }
        scale = (double)nb / (hi - lo);
        if (!isfinite(scale) || !isfinite(hi - lo)) {
            qsort(x, n, sizeof *x, cmp_double);
            break;
        }
        memset(hist, 0, nb * sizeof *hist);
        for (i = 0; i < n; i++)
            hist[bin_of(x[i], lo, scale, nb)]++;
        cum = 0;
        b = 0;
        off = off_prev = 0;
        for (k = 0; k < nr; k++) {
            size_t before;
            while (cum + hist[b] <= rank[k])
                cum += hist[b++];
            before = cum;
            rb[k] = b;
            if (k > 0 && rb[k] == rb[k - 1]) {
                newrank[k] = off_prev + (rank[k] - before);
                continue;
            }
            off_prev = off;
            newrank[k] = off + (rank[k] - before);
            off += hist[b];
        }
        m = off;
        if (m == n) {
            qsort(x, n, sizeof *x, cmp_double);
            break;
        }
        for (k = 0; k < nr; k++)
            hist[rb[k]] = BIN_MARK;
        for (i = 0, k = 0; i < n; i++) {
            if (hist[bin_of(x[i], lo, scale, nb)] == BIN_MARK) {
                double t = x[k];
                x[k++] = x[i];
                x[i] = t;
            }
        }
        n = m;
        for (k = 0; k < nr; k++)
            rank[k] = newrank[k];
    }
    for (k = 0; k < nr; k++)
        out[k] = x[rank[k]];
}

/* Elements sampled to place the windows of the fast path, and the smallest
 * input that takes it. */
#define SAMPLE_N     512u
#define WINDOW_MIN_N 4096u

/*
 * The fast path for large n (Floyd and Rivest's idea): a sample of x places
 * a window of bins around each wanted rank (3.5 sampling standard deviations
 * each side), one pass counts the values below each window and copies those
 * inside it to scratch, and the ranks are selected within the windows. The
 * bins are a function of the value only, so the counts are exact; returns 0
 * (nothing written) when a rank falls outside its window, and the caller
 * selects from all of x instead.
 */
static int
select_windows(const double *x,
               size_t n,
               const size_t *rank,
               size_t nr,
               double *out,
               uint32_t *hist,
               double *scratch)
{
    size_t wl[MAX_RANKS], wh[MAX_RANKS], below[MAX_RANKS], cnt[MAX_RANKS], cap, nw = 0;
    size_t stride = n / SAMPLE_N, i, k, w, cum, b;
    double lo, hi, scale;
    lo = hi = x[0];
    for (i = 0; i < SAMPLE_N; i++) {
        double v = x[i * stride];
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    scale = (double)TFP_BOOT_HIST_BINS / (hi - lo);
    if (!(hi > lo) || !isfinite(scale) || !isfinite(hi - lo))
        return 0;
    memset(hist, 0, TFP_BOOT_HIST_BINS * sizeof *hist);
    for (i = 0; i < SAMPLE_N; i++)
        hist[bin_of(x[i * stride], lo, scale, TFP_BOOT_HIST_BINS)]++;
    for (k = 0; k < nr; k++) {
        /* The sample ranks that bracket rank k, then their bins. */
        double p = ((double)rank[k] + 0.5) / (double)n, js = p * SAMPLE_N;
        double margin = 3.5 * sqrt(SAMPLE_N * p * (1.0 - p)) + 3.0;
        double r0 = js - margin, r1 = js + margin;
        size_t b0 = 0, b1 = TFP_BOOT_HIST_BINS - 1;
        if (r0 > 0.0)
            for (cum = 0, b = 0; b < TFP_BOOT_HIST_BINS; b++) {
                cum += hist[b];
                if ((double)cum > r0) {
                    b0 = b;
                    break;
                }
            }
        if (r1 < (double)SAMPLE_N - 1.0)
            for (cum = 0, b = 0; b < TFP_BOOT_HIST_BINS; b++) {
                cum += hist[b];
                if ((double)cum > r1) {
                    b1 = b;
                    break;
                }
            }
        if (nw > 0 && b0 <= wh[nw - 1]) {
            wh[nw - 1] = b1 > wh[nw - 1] ? b1 : wh[nw - 1];
        } else {
            wl[nw] = b0;
            wh[nw++] = b1;
        }
    }
    cap = n / nw;
    for (w = 0; w < nw; w++)
        below[w] = cnt[w] = 0;
    for (i = 0; i < n; i++) {
        size_t bi = bin_of(x[i], lo, scale, TFP_BOOT_HIST_BINS);
        for (w = 0; w < nw; w++) {
            below[w] += (size_t)(bi < wl[w]);
            if (bi >= wl[w] && bi <= wh[w]) {
                if (cnt[w] == cap)
                    return 0;
                scratch[w * cap + cnt[w]++] = x[i];
            }
        }
    }
    /* Each rank must fall in its window; then select within the windows. */
    for (k = 0, w = 0; k < nr;) {
        size_t rr[MAX_RANKS], m = 0, first = k;
        while (w < nw && !(rank[k] < below[w] + cnt[w]))
            w++;
        if (w == nw || rank[k] < below[w])
            return 0;
        while (k < nr && rank[k] >= below[w] && rank[k] < below[w] + cnt[w])
            rr[m++] = rank[k++] - below[w];
        if (m == 0)
            return 0;
        select_ranks(scratch + w * cap, cnt[w], rr, m, out + first, hist);
    }
    return 1;
}

/* R's type-7 value from the order statistics at floor and ceiling of
 * index = 1 + (n - 1) p, after the increasing transform f (may be NULL). */
static double
type7_value(double idx, double xl, double xh, double (*f)(double))
{
    double h = idx - floor(idx);
    if (f != NULL) {
        xl = f(xl);
        xh = f(xh);
    }
    return (h > 0.0 && xh != xl) ? (1.0 - h) * xl + h * xh : xl;
}

void
tfp_bootstrap_quantiles(double *x,
                        size_t n,
                        const double *p,
                        size_t np,
                        double (*f)(double),
                        double *q,
                        uint32_t *hist,
                        double *scratch)
{
    size_t rank[MAX_RANKS], who[MAX_RANKS], nr = 0, i, j;
    double idx[TFP_BOOT_MAX_PROBS], os[MAX_RANKS], tmp[MAX_RANKS];
    if (np > TFP_BOOT_MAX_PROBS)
        np = TFP_BOOT_MAX_PROBS;
    if (n == 0) {
        for (i = 0; i < np; i++)
            q[i] = TFP_NAN;
        return;
    }
    /* R's quantile.default, type 7: index = 1 + (n - 1) p, lo = floor(index),
     * hi = ceiling(index) (1-based), computed as R does so that h agrees. */
    for (i = 0; i < np; i++) {
        double pi = p[i] < 0.0 ? 0.0 : (p[i] > 1.0 ? 1.0 : p[i]);
        idx[i] = 1.0 + (double)(n - 1) * pi;
        rank[nr] = (size_t)floor(idx[i]) - 1;
        who[nr++] = 2 * i;
        rank[nr] = (size_t)ceil(idx[i]) - 1;
        if (rank[nr] >= n)
            rank[nr] = n - 1;
        who[nr++] = 2 * i + 1;
    }
    /* Sort the wanted ranks (at most MAX_RANKS) with their owners. */
    for (i = 1; i < nr; i++) {
        size_t r = rank[i], w = who[i];
        for (j = i; j > 0 && rank[j - 1] > r; j--) {
            rank[j] = rank[j - 1];
            who[j] = who[j - 1];
        }
        rank[j] = r;
        who[j] = w;
    }
    if (scratch == NULL || n < WINDOW_MIN_N || !select_windows(x, n, rank, nr, tmp, hist, scratch))
        select_ranks(x, n, rank, nr, tmp, hist);
    for (i = 0; i < nr; i++)
        os[who[i]] = tmp[i];
    for (i = 0; i < np; i++)
        q[i] = type7_value(idx[i], os[2 * i], os[2 * i + 1], f);
}

/* ---- the run ---------------------------------------------------------------------- */

/*
 * How a batch finds its quantiles without keeping all B replicates. The
 * first PILOT replicates (independent draws, so a random sample) are kept
 * whole; from them each figure gets a window of values around each wanted
 * rank (WINDOW_SD sampling standard deviations of the pilot's order
 * statistic, plus 3, each side). The other replicates only count how many
 * values fall below each window and keep those inside it. At the end the
 * exact ranks are known from the counts; each must lie in its window, and
 * is selected there. If one does not (odds about 1e-4 per figure), or a
 * window overflows (a figure with many equal values), that unit's figure is
 * recomputed for all B replicates and selected from all of them. Every path
 * gives the exact type-7 quantile of all replicates.
 */
#define PILOT     1024u
#define WINDOW_SD 3.0
/* Replicates whose figures are staged replicate-major before being copied
 * figure-major (the copy then writes whole cache lines). */
#define STAGE 64u

typedef struct unit_plan {
    size_t u;             /* index into e->unit */
    size_t n;             /* annual growth rates in the period */
    size_t group;         /* its group: units with the same n share the draws */
    const double *v;      /* n x S annual values (in the run's vals) */
    double gYl, gKl, gLl; /* last year's growths, method's form */
    int complete;         /* complete period: within/met sought, else on-track */
} unit_plan;

typedef struct group {
    size_t n, l;     /* years and block length */
    uint16_t *count; /* B x n block counts when years are resampled, else NULL */
} group;

typedef struct batch {
    size_t group;
    size_t first, count; /* a run of the run's order[] */
} batch;

struct run;

/* A thread's workspace, sized for bu units; arrays over a batch's units
 * are indexed [slot][k] or [slot][window][k] (structure of arrays). */
typedef struct thread_ws {
    struct run *run;
    int caller;  /* the thread that called tfp_bootstrap_run */
    gsl_rng rng; /* state in rng_state: no gsl_rng_alloc, all heap via tfp_malloc */
    void *rng_state;
    double *X;        /* nmax x (S bu): a batch's annual values, X[t][s K + k] */
    double *acc;      /* 4 S bu: four replicates' sums */
    double *cw;       /* 4 nmax: their counts as doubles */
    double *v;        /* NFIG bu: one replicate's figures */
    size_t *met;      /* TFP_TARGET_COUNT x bu replicates meeting a target */
    double *gl;       /* 3 bu: last year's growths */
    int *complete;    /* bu */
    double *stage;    /* STAGE x nvary x bu staged figures */
    double *pil;      /* nvary x bu x PILOT: the pilot replicates, figure-major */
    size_t *pok;      /* nvary x bu: defined pilot values */
    double *lo, *hi;  /* 2 nvary bu: window bounds */
    double *below;    /* 2 nvary bu: defined values below the window (exact counts) */
    size_t *cnt;      /* 2 nvary bu: values kept in the window */
    double *nok;      /* nvary bu: defined values in all (exact count) */
    double *win;      /* nvary x bu x (cap0 + cap1): the windows' values */
    double *xs;       /* nvary bu: one replicate's varying figures, slot by slot */
    double *flag;     /* nvary bu: classify's workspace */
    size_t *idx;      /* max(nvary bu, PILOT): classify's workspace */
    double *full;     /* B: one figure's values, for the fallback */
    uint32_t *hist;   /* TFP_BOOT_HIST_BINS */
    double *scratch;  /* B: quantile workspace */
    double last_call; /* caller: time of the last progress call (s) */
    size_t nfallback; /* figures selected by the fallback */
    pthread_t tid;
} thread_ws;

typedef struct run {
    const tfp_estimate *e;
    tfp_bootstrap *res;
    tfp_progress progress;
    size_t B, S, T, P; /* replicates, series, threads, pilot replicates */
    int log_form;
    int const_share; /* the capital share is the constant, drawable one */
    int last_varies; /* the last year's share moves: const_share and b drawn */
    int p_is_l;      /* employment is the labour input */
    size_t s_a;      /* first data-share series */
    int resample;    /* years are resampled */
    double b0;       /* the point capital share */
    double *b;       /* B drawn shares, or NULL */
    unit_plan *plan;
    size_t nplan;
    double *vals;
    size_t *order;
    group *grp;
    size_t ngrp;
    batch *bat;
    size_t nbat;
    size_t bu, nvary, nmax;
    size_t cap[2];             /* window capacities (values) */
    uint16_t *ones;            /* nmax ones: the counts when the years are kept */
    int slot[TFP_BOOT_NFIG];   /* figure -> slot, -1 when no draw moves it */
    int fig_of[TFP_BOOT_NFIG]; /* slot -> figure */
    thread_ws *ws;
    int phase; /* 1: draws, 2: batches */
    size_t nitems;
    atomic_size_t next;
    atomic_size_t done;
    size_t total;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t running;
} run;

/* Replicates per work item of the draw phase. */
#define DRAW_CHUNK 256u

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Progress goes through the calling thread only, at most every
 * TFP_BOOT_PROGRESS_MS unless forced. */
static void
progress(run *R, thread_ws *w, int force)
{
    double t;
    if (R->progress.fn == NULL || !w->caller || R->phase != 2)
        return;
    t = now_s();
    if (!force && t - w->last_call < 1e-3 * TFP_BOOT_PROGRESS_MS)
        return;
    w->last_call = t;
    tfp_progress_report(&R->progress, "bootstrap", atomic_load(&R->done), R->total);
}

static void
count_progress(run *R, thread_ws *w, size_t *since, size_t K)
{
    if (++*since < TFP_BOOT_PROGRESS_STEP)
        return;
    atomic_fetch_add(&R->done, *since * K);
    *since = 0;
    progress(R, w, 0);
}

/* A TFP share meets the band (as the kernel's meets()). */
static int
share_meets(double v, const tfp_targets *t, int complete)
{
    return v >= t->tfp_lo && (!complete || t->tfp_hi == t->tfp_lo || v <= t->tfp_hi);
}

static int
is_growth(size_t f)
{
    return f == TFP_BOOT_G_Y || f == TFP_BOOT_G_L || f == TFP_BOOT_G_K || f == TFP_BOOT_G_LP;
}

/* Sets up the kernel's view of a batch and fills X. */
static void
batch_setup(run *R, thread_ws *w, const batch *bt, tfp_boot_batch *kb)
{
    const tfp_targets *tg = &R->e->opts.targets;
    size_t n = R->grp[bt->group].n, S = R->S, K = bt->count, m = K * S, k, t, j;
    /* X[t][s K + k]: year-major and structure-of-arrays, so that a
     * replicate's sums and figures run over contiguous memory. */
    for (k = 0; k < K; k++) {
        const unit_plan *pl = &R->plan[R->order[bt->first + k]];
        for (t = 0; t < n; t++)
            for (j = 0; j < S; j++)
                w->X[t * m + j * K + k] = pl->v[t * S + j];
        w->gl[k] = pl->gYl;
        w->gl[K + k] = pl->gKl;
        w->gl[2 * K + k] = pl->gLl;
        w->complete[k] = pl->complete;
    }
    kb->K = K;
    kb->n = (double)n;
    kb->inv_n = 1.0 / (double)n;
    kb->log_form = R->log_form;
    kb->const_share = R->const_share;
    kb->last_varies = R->last_varies;
    kb->p_is_l = R->p_is_l;
    kb->s_a = R->s_a;
    kb->gYl = w->gl;
    kb->gKl = w->gl + K;
    kb->gLl = w->gl + 2 * K;
    kb->complete = w->complete;
    kb->tfp_lo = tg->tfp_lo;
    kb->tfp_hi = tg->tfp_hi;
    kb->lp_goal = tg->lp;
    kb->lp_log = log1p(tg->lp);
    kb->tie_eps = TFP_BOOT_TIE_EPS * fmax(1.0, fabs(kb->lp_log));
}

/* The sums of replicates r..r+nr-1 (nr <= 4) into w->acc (m values each);
 * the fixed sums when the years are kept. */
static void
sums(run *R, thread_ws *w, const batch *bt, size_t r, size_t nr)
{
    const group *g = &R->grp[bt->group];
    size_t m = bt->count * R->S, q;
    if (!R->resample)
        return;
    if (nr == 4) {
        tfp_boot_accumulate4(g->n, m, g->count + r * g->n, w->X, w->acc, w->cw);
        return;
    }
    for (q = 0; q < nr; q++)
        tfp_boot_accumulate(g->n, m, g->count + (r + q) * g->n, w->X, w->acc + q * m);
}

/* Replicate r's figures (into w->v, targets into w->met) from the q-th sums. */
static void
figures(run *R, thread_ws *w, const batch *bt, const tfp_boot_batch *kb, size_t r, size_t q)
{
    const double *acc = R->resample ? w->acc + q * bt->count * R->S : w->acc;
    tfp_boot_figures(kb, acc, R->b != NULL ? R->b[r] : R->b0, w->v, w->met);
}

/* The pilot: replicates 0..P-1 kept whole, figure-major. */
static void
run_pilot(run *R, thread_ws *w, const batch *bt, const tfp_boot_batch *kb, size_t *since)
{
    size_t K = bt->count, nv = R->nvary, P = R->P, r, r0 = 0, k, sl, rr;
    int sa = R->slot[TFP_BOOT_SHARE_A];
    memset(w->pok, 0, nv * K * sizeof *w->pok);
    for (r = 0; r < P; r++) {
        if (r % 4 == 0)
            sums(R, w, bt, r, P - r < 4 ? P - r : 4);
        figures(R, w, bt, kb, r, r % 4);
        for (sl = 0; sl < nv; sl++)
            memcpy(w->stage + ((r - r0) * nv + sl) * K, w->v + (size_t)R->fig_of[sl] * K,
                   K * sizeof *w->v);
        if (r + 1 - r0 == STAGE || r + 1 == P) {
            for (sl = 0; sl < nv; sl++)
                for (k = 0; k < K; k++) {
                    double *dst = w->pil + (sl * K + k) * P;
                    size_t c = w->pok[sl * K + k];
                    for (rr = 0; rr < r + 1 - r0; rr++) {
                        double x = w->stage[(rr * nv + sl) * K + k];
                        if (x == x)
                            dst[c++] = x;
                    }
                    w->pok[sl * K + k] = c;
                }
            r0 = r + 1;
        }
        for (k = 0; sa >= 0 && k < K; k++) {
            double *keep = R->res->unit[R->plan[R->order[bt->first + k]].u].share;
            if (keep != NULL)
                keep[r] = w->v[TFP_BOOT_SHARE_A * K + k];
        }
        count_progress(R, w, since, K);
    }
}

/* Ranks (0-based) of the type-7 order statistics for p among n values. */
static void
type7_ranks(size_t n, double p, size_t *j0, size_t *j1)
{
    double idx = 1.0 + (double)(n - 1) * p;
    *j0 = (size_t)floor(idx) - 1;
    *j1 = (size_t)ceil(idx) - 1;
    if (*j1 >= n)
        *j1 = n - 1;
}

/* Where window x of slot sl, unit k lives in the windows' arrays: laid out
 * [window][slot][unit], so that one classify call covers every slot. */
static size_t
wat(size_t nv, size_t K, size_t x, size_t sl, size_t k)
{
    return (x * nv + sl) * K + k;
}

/* Places the windows of slot sl, unit k from its pilot values. */
static void
place_windows(run *R, thread_ws *w, size_t K, size_t sl, size_t k)
{
    double p[2] = {R->res->p_lo, R->res->p_hi}, os[4];
    size_t Pk = w->pok[sl * K + k], rank[4], who[4], i, wi;
    long r0[2], r1[2];
    double *x = w->scratch;
    for (wi = 0; wi < 2; wi++) {
        double c = p[wi] * (double)(Pk > 0 ? Pk - 1 : 0);
        double margin = WINDOW_SD * sqrt((double)Pk * p[wi] * (1.0 - p[wi])) + 3.0;
        r0[wi] = (long)floor(c - margin);
        r1[wi] = (long)ceil(c + 1.0 + margin);
    }
    for (wi = 0; wi < 4; wi++) {
        long r = wi % 2 == 0 ? r0[wi / 2] : r1[wi / 2];
        rank[wi] = r < 0 ? 0 : ((size_t)r >= Pk ? (Pk > 0 ? Pk - 1 : 0) : (size_t)r);
        who[wi] = wi;
    }
    /* Ascending for select_ranks, remembering whose each is. */
    for (i = 1; i < 4; i++)
        for (size_t j = i; j > 0 && rank[j - 1] > rank[j]; j--) {
            size_t t = rank[j];
            rank[j] = rank[j - 1];
            rank[j - 1] = t;
            t = who[j];
            who[j] = who[j - 1];
            who[j - 1] = t;
        }
    if (Pk > 0) {
        double got[4];
        memcpy(x, w->pil + (sl * K + k) * R->P, Pk * sizeof *x);
        select_ranks(x, Pk, rank, 4, got, w->hist);
        for (i = 0; i < 4; i++)
            os[who[i]] = got[i];
    }
    for (wi = 0; wi < 2; wi++) {
        size_t at = wat(R->nvary, K, wi, sl, k);
        w->lo[at] = Pk == 0 || r0[wi] < 0 ? -HUGE_VAL : os[2 * wi];
        w->hi[at] = Pk == 0 || r1[wi] >= (long)Pk ? HUGE_VAL : os[2 * wi + 1];
        w->below[at] = 0.0;
        w->cnt[at] = 0;
    }
}

/* The kernel's view of the windows from slot sl, unit k0 on, n elements:
 * one unit (n = 1), or every slot and unit of the batch (sl = k0 = 0,
 * n = nvary K: the arrays are contiguous over [slot][unit]). */
static void
windows_view(run *R, thread_ws *w, size_t K, size_t sl, size_t k0, size_t n, tfp_boot_windows *wv)
{
    size_t x;
    wv->K = n;
    for (x = 0; x < 2; x++) {
        size_t at = wat(R->nvary, K, x, sl, k0);
        wv->lo[x] = w->lo + at;
        wv->hi[x] = w->hi + at;
        wv->below[x] = w->below + at;
        wv->cnt[x] = w->cnt + at;
        wv->cap[x] = R->cap[x];
    }
    wv->nok = w->nok + sl * K + k0;
    wv->flag = w->flag;
    wv->idx = w->idx;
    wv->stride = R->cap[0] + R->cap[1] + 2;
    wv->store = w->win + (sl * K + k0) * wv->stride;
}

/* The fallback: slot sl of unit k recomputed for all B replicates into
 * w->full (defined values only); returns how many. Per unit, the sums and
 * figures are the batch's own, term by term. */
static size_t
recompute(run *R, thread_ws *w, const batch *bt, const tfp_boot_batch *kb, size_t sl, size_t k)
{
    const group *g = &R->grp[bt->group];
    size_t K = bt->count, S = R->S, n = g->n, m = K * S, r, t, s, f = (size_t)R->fig_of[sl];
    size_t c = 0, met1[TFP_TARGET_COUNT] = {0, 0, 0};
    double acc1[TFP_BS_MAX], v1[TFP_BOOT_NFIG];
    tfp_boot_batch k1 = *kb;
    k1.K = 1;
    k1.gYl = kb->gYl + k;
    k1.gKl = kb->gKl + k;
    k1.gLl = kb->gLl + k;
    k1.complete = kb->complete + k;
    for (r = 0; r < R->B; r++) {
        const uint16_t *cr = R->resample ? g->count + r * n : R->ones;
        for (s = 0; s < S; s++)
            acc1[s] = 0.0;
        for (t = 0; t < n; t++) {
            double ct;
            if (cr[t] == 0)
                continue;
            ct = (double)cr[t];
            for (s = 0; s < S; s++)
                acc1[s] += ct * w->X[t * m + s * K + k];
        }
        tfp_boot_figures(&k1, acc1, R->b != NULL ? R->b[r] : R->b0, v1, met1);
        if (v1[f] == v1[f])
            w->full[c++] = v1[f];
    }
    return c;
}

/* The quantiles of slot sl, unit k from its windows: 1 with q filled when
 * each wanted rank of the nok defined values lies in a window that kept all
 * its values, else 0 (the caller recomputes). */
static int
window_quantiles(run *R,
                 thread_ws *w,
                 size_t K,
                 size_t sl,
                 size_t k,
                 size_t nok,
                 double (*tr)(double),
                 double *q)
{
    double p[2] = {R->res->p_lo, R->res->p_hi}, os[4];
    size_t rank[4], wi[4], i, x, stride = R->cap[0] + R->cap[1] + 2;
    type7_ranks(nok, p[0], &rank[0], &rank[1]);
    type7_ranks(nok, p[1], &rank[2], &rank[3]);
    for (i = 0; i < 4; i++) {
        for (x = 0; x < 2; x++) {
            size_t at = wat(R->nvary, K, x, sl, k), c = w->cnt[at];
            size_t below = (size_t)w->below[at];
            if (c <= R->cap[x] && rank[i] >= below && rank[i] < below + c)
                break;
        }
        if (x == 2)
            return 0;
        wi[i] = x;
    }
    /* Select in each window the ranks that fall in it. */
    for (x = 0; x < 2; x++) {
        size_t at = wat(R->nvary, K, x, sl, k), rr[4], who[4], m = 0;
        double out[4];
        for (i = 0; i < 4; i++)
            if (wi[i] == x) {
                rr[m] = rank[i] - (size_t)w->below[at];
                who[m++] = i;
            }
        if (m == 0)
            continue;
        select_ranks(w->win + (sl * K + k) * stride + x * (R->cap[0] + 1), w->cnt[at], rr, m, out,
                     w->hist);
        for (i = 0; i < m; i++)
            os[who[i]] = out[i];
    }
    for (i = 0; i < 2; i++)
        q[i] = type7_value(1.0 + (double)(nok - 1) * p[i], os[2 * i], os[2 * i + 1], tr);
    return 1;
}

static void
finish_unit(run *R, thread_ws *w, const batch *bt, const tfp_boot_batch *kb, size_t k)
{
    const unit_plan *pl = &R->plan[R->order[bt->first + k]];
    const tfp_growth_summary *s = &R->e->unit[pl->u].s;
    const tfp_targets *tg = &R->e->opts.targets;
    tfp_bootstrap_unit *bu = &R->res->unit[pl->u];
    size_t K = bt->count, B = R->B, f, j;
    double p[2] = {R->res->p_lo, R->res->p_hi}, point[TFP_BOOT_NFIG];
    point[TFP_BOOT_G_Y] = s->g_Y;
    point[TFP_BOOT_G_L] = s->g_L;
    point[TFP_BOOT_G_K] = s->g_K;
    point[TFP_BOOT_A] = s->a;
    point[TFP_BOOT_G_A] = s->g_A;
    point[TFP_BOOT_SHARE_K] = s->share_K;
    point[TFP_BOOT_SHARE_L] = s->share_L;
    point[TFP_BOOT_SHARE_A] = s->share_A;
    point[TFP_BOOT_SHARE_A_LAST] = s->share_A_last;
    point[TFP_BOOT_G_LP] = s->g_LP;
    for (f = 0; f < TFP_BOOT_NFIG; f++) {
        /* Simple growth keeps mean log growths: expm1 of the order
         * statistics gives the quantiles of the compound rates. */
        double (*tr)(double) = is_growth(f) && !R->log_form ? expm1 : NULL;
        double q[2] = {TFP_NAN, TFP_NAN};
        size_t sl, nok;
        if (R->slot[f] < 0) {
            /* No draw moves this figure: its interval is the point. */
            bu->lo[f] = bu->hi[f] = point[f];
            bu->nvalid[f] = isfinite(point[f]) ? B : 0;
            continue;
        }
        sl = (size_t)R->slot[f];
        if (B == R->P) {
            /* All replicates are the pilot, kept whole. */
            nok = w->pok[sl * K + k];
            tfp_bootstrap_quantiles(w->pil + (sl * K + k) * R->P, nok, p, 2, tr, q, w->hist,
                                    w->scratch);
        } else {
            nok = (size_t)w->nok[sl * K + k];
            if (nok > 0 && !window_quantiles(R, w, K, sl, k, nok, tr, q)) {
                nok = recompute(R, w, bt, kb, sl, k);
                w->nfallback++;
                tfp_bootstrap_quantiles(w->full, nok, p, 2, tr, q, w->hist, w->scratch);
            }
        }
        bu->nvalid[f] = nok;
        bu->lo[f] = q[0];
        bu->hi[f] = q[1];
    }
    for (j = 0; j < TFP_TARGET_COUNT; j++)
        bu->prob[j] = (double)w->met[j * K + k] / (double)B;
    if (!R->last_varies)
        bu->prob[TFP_TARGET_TFP_LAST] = share_meets(s->share_A_last, tg, pl->complete) ? 1.0 : 0.0;
    bu->done = 1;
}

static void
process_batch(run *R, thread_ws *w, const batch *bt)
{
    size_t K = bt->count, nv = R->nvary, r, k, sl, since = 0;
    int sa = R->slot[TFP_BOOT_SHARE_A];
    tfp_boot_batch kb;
    batch_setup(R, w, bt, &kb);
    memset(w->met, 0, TFP_TARGET_COUNT * K * sizeof *w->met);
    if (!R->resample)
        tfp_boot_accumulate(R->grp[bt->group].n, K * R->S, R->ones, w->X, w->acc);
    run_pilot(R, w, bt, &kb, &since);
    if (R->B > R->P) {
        for (k = 0; k < nv * K; k++)
            w->nok[k] = 0.0;
        for (sl = 0; sl < nv; sl++)
            for (k = 0; k < K; k++)
                place_windows(R, w, K, sl, k);
        /* The pilot's values are counted like the others. */
        for (sl = 0; sl < nv; sl++)
            for (k = 0; k < K; k++) {
                tfp_boot_windows wv;
                const double *x = w->pil + (sl * K + k) * R->P;
                windows_view(R, w, K, sl, k, 1, &wv);
                tfp_boot_classify_one(&wv, x, w->pok[sl * K + k]);
            }
        {
            /* One view over every slot and unit: a replicate's figures are
             * gathered slot by slot into xs, then classified in one call. */
            tfp_boot_windows wv;
            windows_view(R, w, K, 0, 0, nv * K, &wv);
            for (r = R->P; r < R->B; r++) {
                if ((r - R->P) % 4 == 0)
                    sums(R, w, bt, r, R->B - r < 4 ? R->B - r : 4);
                figures(R, w, bt, &kb, r, (r - R->P) % 4);
                for (sl = 0; sl < nv; sl++)
                    memcpy(w->xs + sl * K, w->v + (size_t)R->fig_of[sl] * K, K * sizeof *w->xs);
                tfp_boot_classify(&wv, w->xs);
                for (k = 0; sa >= 0 && k < K; k++) {
                    double *keep = R->res->unit[R->plan[R->order[bt->first + k]].u].share;
                    if (keep != NULL)
                        keep[r] = w->v[TFP_BOOT_SHARE_A * K + k];
                }
                count_progress(R, w, &since, K);
            }
        }
    }
    atomic_fetch_add(&R->done, since * K);
    for (k = 0; k < K; k++)
        finish_unit(R, w, bt, &kb, k);
    for (k = 0; sa < 0 && k < K; k++) {
        /* No draw moves the TFP share: keep its point value. */
        const unit_plan *pl = &R->plan[R->order[bt->first + k]];
        double *keep = R->res->unit[pl->u].share;
        for (r = 0; keep != NULL && r < R->B; r++)
            keep[r] = R->e->unit[pl->u].s.share_A;
    }
}

static void
draw_chunk(run *R, thread_ws *w, size_t item)
{
    const tfp_bootstrap_opts *o = &R->res->opts;
    size_t r0 = item * DRAW_CHUNK, r1 = r0 + DRAW_CHUNK < R->B ? r0 + DRAW_CHUNK : R->B, r, gi;
    for (r = r0; r < r1; r++) {
        /* Replicate r's own stream, its draws in a fixed order: the share,
         * then each group's block starts by ascending n. */
        gsl_rng_set(&w->rng, tfp_bootstrap_stream_seed(o->seed, r));
        if (R->b != NULL)
            R->b[r] = tfp_bootstrap_draw_share(&w->rng, R->b0, o->capital_share_sd);
        for (gi = 0; R->resample && gi < R->ngrp; gi++)
            tfp_bootstrap_block_counts(&w->rng, R->grp[gi].n, R->grp[gi].l,
                                       R->grp[gi].count + r * R->grp[gi].n);
    }
}

static void *
worker(void *arg)
{
    thread_ws *w = arg;
    run *R = w->run;
    for (;;) {
        size_t item = atomic_fetch_add(&R->next, 1);
        if (item >= R->nitems)
            break;
        if (R->phase == 1)
            draw_chunk(R, w, item);
        else
            process_batch(R, w, &R->bat[item]);
    }
    if (!w->caller) {
        pthread_mutex_lock(&R->mu);
        R->running--;
        pthread_cond_signal(&R->cv);
        pthread_mutex_unlock(&R->mu);
    }
    return NULL;
}

/* Runs one phase on up to T threads, the caller being one of them. Work
 * items are taken dynamically, so a thread that cannot be created only
 * means fewer threads: the results are the same. */
static void
run_phase(run *R, int phase, size_t nitems)
{
    size_t i, started = 0;
    R->phase = phase;
    R->nitems = nitems;
    atomic_store(&R->next, 0);
    R->running = 0;
    for (i = 1; i < R->T && i < nitems; i++) {
        pthread_mutex_lock(&R->mu);
        R->running++;
        pthread_mutex_unlock(&R->mu);
        if (pthread_create(&R->ws[i].tid, NULL, worker, &R->ws[i]) != 0) {
            pthread_mutex_lock(&R->mu);
            R->running--;
            pthread_mutex_unlock(&R->mu);
            break;
        }
        started = i;
    }
    worker(&R->ws[0]);
    pthread_mutex_lock(&R->mu);
    while (R->running > 0) {
        if (R->progress.fn != NULL && phase == 2) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += TFP_BOOT_PROGRESS_MS * 1000000L;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&R->cv, &R->mu, &until);
            pthread_mutex_unlock(&R->mu);
            progress(R, &R->ws[0], 0);
            pthread_mutex_lock(&R->mu);
        } else {
            pthread_cond_wait(&R->cv, &R->mu);
        }
    }
    pthread_mutex_unlock(&R->mu);
    for (i = 1; i <= started; i++)
        pthread_join(R->ws[i].tid, NULL);
}

void
tfp_bootstrap_free(tfp_bootstrap *b)
{
    if (b == NULL)
        return;
    for (size_t u = 0; b->unit != NULL && u < b->nunit; u++)
        tfp_free(b->unit[u].share);
    tfp_free(b->unit);
    tfp_warnings_fini(&b->warnings);
    tfp_free(b);
}

static void
run_free(run *R)
{
    size_t i;
    for (i = 0; R->ws != NULL && i < R->T; i++) {
        thread_ws *w = &R->ws[i];
        void *all[] = {w->xs,  w->idx,  w->cw,   w->rng_state, w->X,      w->acc,
                       w->v,   w->met,  w->gl,   w->complete,  w->stage,  w->pil,
                       w->pok, w->lo,   w->hi,   w->below,     w->cnt,    w->nok,
                       w->win, w->flag, w->full, w->hist,      w->scratch};
        for (size_t j = 0; j < sizeof all / sizeof all[0]; j++)
            tfp_free(all[j]);
    }
    tfp_free(R->ws);
    tfp_free(R->ones);
    for (i = 0; R->grp != NULL && i < R->ngrp; i++)
        tfp_free(R->grp[i].count);
    tfp_free(R->grp);
    tfp_free(R->plan);
    tfp_free(R->vals);
    tfp_free(R->order);
    tfp_free(R->bat);
    tfp_free(R->b);
}

static const char *
unit_label(const tfp_unit *u, char *buf, size_t n)
{
    const char *r = u->region[0] ? u->region : "data";
    if (u->sector != NULL)
        snprintf(buf, n, "%s / %s", r, u->sector);
    else
        snprintf(buf, n, "%s", r);
    return buf;
}

/* Finds the period's annual values of unit u; 1 when it can be bootstrapped
 * (a summary, no gap, nothing missing), with the values written to v. */
static int
unit_values(const run *R, const tfp_unit *un, size_t ib, size_t n, double *v)
{
    const tfp_growth_series *in = &un->in;
    const tfp_growth_result *g = un->g;
    size_t S = R->S;
    for (size_t k = 0; k < n; k++) {
        size_t t = ib + 1 + k, j = TFP_BS_P;
        double *x = v + k * S;
        x[TFP_BS_Y] = tfp_growth_rate(in->Y[t - 1], in->Y[t], TFP_GROWTH_LOG);
        x[TFP_BS_L] = tfp_growth_rate(in->L[t - 1], in->L[t], TFP_GROWTH_LOG);
        x[TFP_BS_K] = tfp_growth_rate(in->K[t - 1], in->K[t], TFP_GROWTH_LOG);
        if (!R->p_is_l)
            x[j++] = tfp_growth_rate(in->P[t - 1], in->P[t], TFP_GROWTH_LOG);
        if (!R->const_share) {
            x[j++] = g->a[t];
            x[j++] = g->c_K[t];
            x[j++] = g->c_L[t];
        }
        for (j = 0; j < S; j++)
            if (!isfinite(x[j]))
                return 0;
    }
    return 1;
}

/* Whether employment is the labour input in every unit's period (then labour
 * productivity needs no series of its own). */
static int
persons_are_labour(const tfp_estimate *e)
{
    for (size_t u = 0; u < e->nunit; u++) {
        const tfp_growth_series *in = &e->unit[u].in;
        for (size_t t = 0; t < in->n; t++)
            if (!(in->L[t] == in->P[t]))
                return 0;
    }
    return 1;
}

static int
check_opts(const tfp_bootstrap_opts *o, tfp_error *err)
{
    if (o->replicates < 1 || o->replicates > TFP_BOOT_MAX_REPLICATES)
        return tfp_fail(err, TFP_EINVAL, "replicates must be 1 to %u, got %zu",
                        TFP_BOOT_MAX_REPLICATES, o->replicates);
    if (o->threads < 1 || o->threads > TFP_BOOT_MAX_THREADS)
        return tfp_fail(err, TFP_EINVAL, "threads must be 1 to %u, got %zu", TFP_BOOT_MAX_THREADS,
                        o->threads);
    if (!(o->level > 0.0 && o->level < 1.0))
        return tfp_fail(err, TFP_EINVAL, "confidence level must be in (0, 1), got %g", o->level);
    if (!(o->capital_share_sd >= 0.0 && o->capital_share_sd <= TFP_BOOT_SHARE_SD_MAX))
        return tfp_fail(err, TFP_EINVAL, "capital-share sd must be in [0, %g], got %g",
                        TFP_BOOT_SHARE_SD_MAX, o->capital_share_sd);
    if (o->resample != TFP_RESAMPLE_YEARS && o->resample != TFP_RESAMPLE_NONE)
        return tfp_fail(err, TFP_EINVAL, "unknown resampling mode %d", (int)o->resample);
    if (o->resample == TFP_RESAMPLE_NONE && !(o->capital_share_sd > 0.0))
        return tfp_fail(err, TFP_EINVAL,
                        "nothing to draw: without resampling years the capital share needs an sd");
    return TFP_OK;
}

/* Plans the units, groups and batches; the caller's thread, before any
 * worker starts. */
static int
plan_units(run *R, tfp_error *err)
{
    const tfp_estimate *e = R->e;
    size_t u, i, nvals = 0, off = 0;
    char name[200];
    R->plan = tfp_calloc(e->nunit == 0 ? 1 : e->nunit, sizeof *R->plan);
    if (R->plan == NULL)
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    for (u = 0; u < e->nunit; u++)
        if (e->unit[u].s.years > 0)
            nvals += (size_t)e->unit[u].s.years * R->S;
    R->vals = tfp_mallocn(nvals == 0 ? 1 : nvals, sizeof *R->vals);
    if (R->vals == NULL)
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    for (u = 0; u < e->nunit; u++) {
        const tfp_unit *un = &e->unit[u];
        const tfp_growth_summary *s = &un->s;
        size_t ib = SIZE_MAX, il = SIZE_MAX, n;
        unit_plan *p;
        for (i = 0; i < un->in.n; i++) {
            if (un->in.year[i] == s->base)
                ib = i;
            if (s->years > 0 && un->in.year[i] == s->last)
                il = i;
        }
        n = s->years > 0 ? (size_t)s->years : 0;
        if (n == 0 || ib == SIZE_MAX || il == SIZE_MAX || il - ib != n ||
            !unit_values(R, un, ib, n, R->vals + off)) {
            if (tfp_warnings_add(&R->res->warnings,
                                 "%s: no complete annual data in the period; no bootstrap "
                                 "intervals",
                                 unit_label(un, name, sizeof name)) != TFP_OK)
                return tfp_fail(err, TFP_ENOMEM, "out of memory");
            continue;
        }
        p = &R->plan[R->nplan++];
        p->u = u;
        p->n = n;
        p->v = R->vals + off;
        p->gYl = un->g->g_Y[il];
        p->gKl = un->g->g_K[il];
        p->gLl = un->g->g_L[il];
        p->complete = s->complete;
        off += n * R->S;
        R->nmax = n > R->nmax ? n : R->nmax;
    }
    return TFP_OK;
}

static int
plan_groups(run *R, tfp_error *err)
{
    const tfp_bootstrap_opts *o = &R->res->opts;
    size_t i, gi, k, nb = 0;
    /* Groups: the distinct n, ascending (at most nplan of them). */
    R->grp = tfp_calloc(R->nplan == 0 ? 1 : R->nplan, sizeof *R->grp);
    R->order = tfp_mallocn(R->nplan == 0 ? 1 : R->nplan, sizeof *R->order);
    if (R->grp == NULL || R->order == NULL)
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    for (i = 0; i < R->nplan; i++) {
        size_t n = R->plan[i].n;
        for (gi = 0; gi < R->ngrp && R->grp[gi].n < n; gi++)
            ;
        if (gi < R->ngrp && R->grp[gi].n == n)
            continue;
        memmove(R->grp + gi + 1, R->grp + gi, (R->ngrp - gi) * sizeof *R->grp);
        R->grp[gi].n = n;
        R->grp[gi].count = NULL;
        R->ngrp++;
    }
    for (gi = 0; gi < R->ngrp; gi++) {
        group *g = &R->grp[gi];
        g->l = o->block > 0 ? o->block : tfp_bootstrap_block_default(g->n);
        if (g->l > g->n) {
            if (tfp_warnings_add(&R->res->warnings,
                                 "blocks of %zu years are longer than the %zu annual growth "
                                 "rates of a period; blocks of %zu used",
                                 g->l, g->n, g->n) != TFP_OK)
                return tfp_fail(err, TFP_ENOMEM, "out of memory");
            g->l = g->n;
        }
        if (R->resample) {
            g->count = tfp_mallocn(R->B, g->n * sizeof *g->count);
            if (g->count == NULL)
                return tfp_fail(err, TFP_ENOMEM, "out of memory");
        }
    }
    /* Window capacities: 1.5 times a window's expected count plus 64 (the
     * share of values a window takes varies with the pilot by about an
     * eighth of itself; an overflow only sends the figure to the exact
     * fallback). Units per batch: what TFP_BOOT_STORE_BYTES holds, at most
     * TFP_BOOT_BATCH_UNITS (small buffers: first touches of memory are a
     * large part of a short run), and few enough that every thread gets work. */
    {
        double pp[2] = {R->res->p_lo, R->res->p_hi};
        size_t per, bu, share = (R->nplan + R->T - 1) / R->T;
        R->P = R->B < PILOT ? R->B : PILOT;
        for (i = 0; i < 2; i++) {
            double frac =
                (2.0 * (WINDOW_SD * sqrt((double)R->P * pp[i] * (1.0 - pp[i])) + 3.0) + 3.0) /
                (double)R->P;
            double c = ceil(1.5 * frac * (double)R->B) + 64.0;
            R->cap[i] = R->B == R->P ? 0 : (c < (double)R->B ? (size_t)c : R->B);
        }
        per = (R->nvary ? R->nvary : 1) * sizeof(double) * (R->P + R->cap[0] + R->cap[1]);
        bu = TFP_BOOT_STORE_BYTES / per;
        bu = bu < 1 ? 1 : bu;
        bu = bu > TFP_BOOT_BATCH_UNITS ? TFP_BOOT_BATCH_UNITS : bu;
        bu = share >= 1 && bu > share ? share : bu;
        R->bu = bu;
    }
    k = 0;
    for (gi = 0; gi < R->ngrp; gi++) {
        size_t first = k, cnt = 0;
        for (i = 0; i < R->nplan; i++)
            if (R->plan[i].n == R->grp[gi].n) {
                R->plan[i].group = gi;
                R->order[k++] = i;
            }
        cnt = k - first;
        nb += (cnt + R->bu - 1) / R->bu;
    }
    R->bat = tfp_calloc(nb == 0 ? 1 : nb, sizeof *R->bat);
    if (R->bat == NULL)
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    for (i = 0; i < R->nplan;) {
        batch *bt = &R->bat[R->nbat++];
        bt->group = R->plan[R->order[i]].group;
        bt->first = i;
        bt->count = 0;
        while (i < R->nplan && bt->count < R->bu && R->plan[R->order[i]].group == bt->group) {
            bt->count++;
            i++;
        }
    }
    return TFP_OK;
}

static int
alloc_workspaces(run *R, tfp_error *err)
{
    size_t i, K = R->bu, m = K * R->S, nv = R->nvary ? R->nvary : 1;
    R->ws = tfp_calloc(R->T, sizeof *R->ws);
    R->ones = tfp_mallocn(R->nmax == 0 ? 1 : R->nmax, sizeof *R->ones);
    if (R->ws == NULL || R->ones == NULL)
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    for (i = 0; i < R->nmax; i++)
        R->ones[i] = 1;
    for (i = 0; i < R->T; i++) {
        thread_ws *w = &R->ws[i];
        w->run = R;
        w->caller = i == 0;
        w->rng_state = tfp_malloc(gsl_rng_taus2->size);
        w->X = tfp_mallocn(R->nmax == 0 ? 1 : R->nmax, m * sizeof *w->X);
        w->acc = tfp_mallocn(4 * m, sizeof *w->acc);
        w->cw = tfp_mallocn(4 * (R->nmax == 0 ? 1 : R->nmax), sizeof *w->cw);
        w->v = tfp_mallocn(TFP_BOOT_NFIG * K, sizeof *w->v);
        w->met = tfp_mallocn(TFP_TARGET_COUNT * K, sizeof *w->met);
        w->gl = tfp_mallocn(3 * K, sizeof *w->gl);
        w->complete = tfp_mallocn(K, sizeof *w->complete);
        w->stage = tfp_mallocn(STAGE * nv, K * sizeof *w->stage);
        w->pil = tfp_mallocn(nv * K, R->P * sizeof *w->pil);
        w->pok = tfp_mallocn(nv * K, sizeof *w->pok);
        w->lo = tfp_mallocn(2 * nv * K, sizeof *w->lo);
        w->hi = tfp_mallocn(2 * nv * K, sizeof *w->hi);
        w->below = tfp_mallocn(2 * nv * K, sizeof *w->below);
        w->cnt = tfp_mallocn(2 * nv * K, sizeof *w->cnt);
        w->nok = tfp_mallocn(nv * K, sizeof *w->nok);
        w->win = tfp_mallocn(nv * K, (R->cap[0] + R->cap[1] + 2) * sizeof *w->win);
        w->xs = tfp_mallocn(nv * K, sizeof *w->xs);
        w->flag = tfp_mallocn(nv * K, sizeof *w->flag);
        w->idx = tfp_mallocn(nv * K > R->P ? nv * K : R->P, sizeof *w->idx);
        w->full = tfp_mallocn(R->B, sizeof *w->full);
        w->hist = tfp_mallocn(TFP_BOOT_HIST_BINS, sizeof *w->hist);
        w->scratch = tfp_mallocn(R->B, sizeof *w->scratch);
        if (w->rng_state == NULL || w->X == NULL || w->acc == NULL || w->cw == NULL ||
            w->v == NULL || w->met == NULL || w->gl == NULL || w->complete == NULL ||
            w->stage == NULL || w->pil == NULL || w->pok == NULL || w->lo == NULL ||
            w->hi == NULL || w->below == NULL || w->cnt == NULL || w->nok == NULL ||
            w->win == NULL || w->xs == NULL || w->flag == NULL || w->idx == NULL ||
            w->full == NULL || w->hist == NULL || w->scratch == NULL)
            return tfp_fail(err, TFP_ENOMEM, "out of memory");
        w->rng.type = gsl_rng_taus2;
        w->rng.state = w->rng_state;
        gsl_rng_set(&w->rng, 0);
    }
    return TFP_OK;
}

int
tfp_bootstrap_run(const tfp_estimate *e,
                  const tfp_bootstrap_opts *o,
                  tfp_bootstrap **out,
                  tfp_error *err)
{
    tfp_bootstrap *res;
    run R;
    size_t u, f, nslot = 0;
    int rc;
    *out = NULL;
    rc = check_opts(o, err);
    if (rc != TFP_OK)
        return rc;
    res = tfp_calloc(1, sizeof *res);
    if (res == NULL)
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    tfp_warnings_init(&res->warnings);
    res->opts = *o;
    res->opts.progress.fn = NULL;
    res->opts.progress.ctx = NULL;
    res->p_lo = 0.5 * (1.0 - o->level);
    res->p_hi = 0.5 * (1.0 + o->level);
    res->nunit = e->nunit;
    res->unit = tfp_calloc(e->nunit == 0 ? 1 : e->nunit, sizeof *res->unit);
    if (res->unit == NULL) {
        tfp_bootstrap_free(res);
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    }
    for (u = 0; u < e->nunit; u++) {
        tfp_bootstrap_unit *bu = &res->unit[u];
        for (f = 0; f < TFP_BOOT_NFIG; f++)
            bu->lo[f] = bu->hi[f] = TFP_NAN;
        for (f = 0; f < TFP_TARGET_COUNT; f++)
            bu->prob[f] = TFP_NAN;
    }

    memset(&R, 0, sizeof R);
    R.e = e;
    R.res = res;
    R.progress = o->progress;
    R.B = o->replicates;
    R.T = o->threads;
    R.log_form = e->opts.growth.form == TFP_GROWTH_LOG;
    R.const_share =
        !(e->opts.growth.method == TFP_METHOD_TORNQVIST && e->panel->x[TFP_ROLE_LABOUR_SHARE]);
    R.p_is_l = persons_are_labour(e);
    R.s_a = R.p_is_l ? TFP_BS_P : TFP_BS_P + 1;
    R.S = R.s_a + (R.const_share ? 0 : 3);
    R.resample = o->resample == TFP_RESAMPLE_YEARS;
    R.b0 = e->opts.growth.capital_share;
    /* Which figures a draw can move. */
    for (f = 0; f < TFP_BOOT_NFIG; f++) {
        int moves;
        int drawn = o->capital_share_sd > 0.0 && R.const_share;
        if (f == TFP_BOOT_A)
            moves = R.const_share ? drawn : R.resample;
        else if (f == TFP_BOOT_SHARE_A_LAST)
            moves = drawn;
        else if (f == TFP_BOOT_G_Y || f == TFP_BOOT_G_L || f == TFP_BOOT_G_K || f == TFP_BOOT_G_LP)
            moves = R.resample;
        else
            moves = R.resample || drawn;
        R.slot[f] = moves ? (int)nslot : -1;
        if (moves)
            R.fig_of[nslot++] = (int)f;
    }
    R.nvary = nslot;
    res->share_drawn = o->capital_share_sd > 0.0 && R.const_share;
    R.last_varies = res->share_drawn;
    if (o->capital_share_sd > 0.0 && !R.const_share &&
        tfp_warnings_add(&res->warnings,
                         "the capital share comes from the labour_share column: the "
                         "capital-share draw has no effect") != TFP_OK)
        rc = tfp_fail(err, TFP_ENOMEM, "out of memory");
    if (rc == TFP_OK && pthread_mutex_init(&R.mu, NULL) != 0)
        rc = tfp_fail(err, TFP_ENOMEM, "cannot create a mutex");
    if (rc == TFP_OK && pthread_cond_init(&R.cv, NULL) != 0) {
        pthread_mutex_destroy(&R.mu);
        rc = tfp_fail(err, TFP_ENOMEM, "cannot create a condition variable");
    }
    if (rc != TFP_OK) {
        tfp_bootstrap_free(res);
        return rc;
    }
    rc = plan_units(&R, err);
    if (rc == TFP_OK)
        rc = plan_groups(&R, err);
    if (rc == TFP_OK && res->share_drawn) {
        R.b = tfp_mallocn(R.B, sizeof *R.b);
        if (R.b == NULL)
            rc = tfp_fail(err, TFP_ENOMEM, "out of memory");
    }
    for (u = 0; rc == TFP_OK && o->keep_share && u < R.nplan; u++) {
        tfp_bootstrap_unit *bu = &res->unit[R.plan[u].u];
        if (e->has_sectors && e->unit[R.plan[u].u].sector != NULL)
            continue;
        bu->share = tfp_mallocn(R.B, sizeof *bu->share);
        if (bu->share == NULL)
            rc = tfp_fail(err, TFP_ENOMEM, "out of memory");
    }
    if (rc == TFP_OK)
        rc = alloc_workspaces(&R, err);
    if (rc == TFP_OK) {
        for (u = 0; u < R.nplan; u++) {
            res->unit[R.plan[u].u].n = R.plan[u].n;
            res->unit[R.plan[u].u].block = R.grp[R.plan[u].group].l;
        }
        R.total = R.B * R.nplan;
        atomic_store(&R.done, 0);
        if (R.b != NULL || R.resample)
            run_phase(&R, 1, (R.B + DRAW_CHUNK - 1) / DRAW_CHUNK);
        run_phase(&R, 2, R.nbat);
        progress(&R, &R.ws[0], 1);
        for (size_t i = 0; i < R.T; i++)
            res->nfallback += R.ws[i].nfallback;
    }
    pthread_cond_destroy(&R.cv);
    pthread_mutex_destroy(&R.mu);
    run_free(&R);
    if (rc != TFP_OK) {
        tfp_bootstrap_free(res);
        return rc;
    }
    *out = res;
    return TFP_OK;
}
