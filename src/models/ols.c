/*
 * Ordinary least squares (models layer): tall-skinny Householder QR, refinement of the
 * augmented system with double-double residuals, refined (X'X)^-1, sandwich covariances.
 * References: Golub & Van Loan, Matrix Computations, 4th ed., 5.1-5.3 (Householder QR);
 * Demmel, Grigori, Hoemmen & Langou, SIAM J. Sci. Comput. 34 (2012) (sequential TSQR);
 * Bjorck, BIT 7 (1967) and Numerical Methods for Least Squares Problems (1996) 2.9 (refinement);
 * Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., 12 and 20; Ogita, Rump &
 * Oishi, SIAM J. Sci. Comput. 26 (2005) (Dot2).
 */
#include "tfp/ols.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_math.h>

#include "models_int.h"
#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/error.h"
#include "tfp/parallel.h"

/*
 * Design.
 *
 * Factorisation. X is copied into w->qr and cut into nb row blocks of B rows (the last takes
 * the remainder, so every block has at least p rows). Each block is reduced by Householder
 * reflectors to a p x p triangle R_k (reflector vectors below the diagonal, LAPACK's layout,
 * scalars in w->tau). The triangles are then combined by a flat tree: [R_0; R_k] -> R_0 for
 * k = 1..nb-1, each step a "triangle on triangle" QR whose reflector vectors overwrite R_k's
 * upper triangle in place (scalars in w->ttau). This is the sequential TSQR of Demmel et al.:
 * no stacked copy of the R factors is needed, every block streams through the cache once,
 * and X is never handed to LAPACK (Debian's OpenBLAS 0.3.21 returns wrong least squares
 * above ~2.1 million rows). With n < 2B there is one block and the same code runs.
 *
 * Refinement. Refining beta alone (recomputing r = y - X beta in extra precision and solving
 * min ||X d - r|| for the correction) leaves the kappa^2 ||r|| term of a large-residual
 * problem in place (Golub & Wilkinson 1966), and the seminormal equations R'R d = X'r square
 * kappa at working precision. The refinement used here is Bjorck's, of the augmented system
 *     [I  X] [s]   [b]
 *     [X' 0] [z] = [c],   for beta: b = y, c = 0, z = beta, s = r:
 * with f = b - s - X z and g = c - X's accumulated in double-double (Dot2) and rounded, the
 * correction is solved with the same QR: (u1, u2) = Q'f, R'h = g, R dz = u1 - h,
 * ds = Q (h, u2). The reflectors are kept (n p doubles), so Q and Q' are applied exactly as
 * in the factorisation. The iteration contracts by about kappa(X D) u per step (D the
 * column scaling) and converges to the least-squares solution of the double data to full
 * working accuracy, for both z and s, whatever the size of the residual (Bjorck 1967;
 * Higham 20.5). It starts from z = 0, s = 0, so that its first step is the plain QR
 * solution, and stops when a correction reaches rounding level (TFP_OLS_REFINE_TOL) or stops
 * shrinking by TFP_OLS_REFINE_RATIO (the last correction is then kept only if it was
 * smaller than the one before). An exact fit (Wampler1) drives r to zero, not to rounding
 * noise: each step multiplies the spurious residual by about u. The iteration contracts
 * linearly, so it also stops when the next correction, estimated from the last two as
 * d_k (d_k / d_{k-1}) (the first solve counting as d_0 = 1), would be at rounding level: a
 * well-conditioned X then needs one correction, not a second one found negligible.
 *
 * Covariance. The standard errors need (X'X)^-1 = R^-1 R^-T. R^-1 is computed explicitly (p
 * is small) and gives the 1-norm condition number kappa of the column-equilibrated R (the
 * kappa of Householder error bounds, which are columnwise). When kappa u <=
 * TFP_OLS_SE_REFINE_KU, R^-1 R^-T is used: its error is about kappa u (measured 0.03 to 0.3
 * kappa u on 1e3 to 1e6 rows with kappa from 1e3 to 1e7), so the standard errors keep 12 or
 * more digits; NIST's Norris and Pontius are here (kappa u 4e-16 and 3e-15) and meet their
 * bars. Otherwise column j of Z = (X'X)^-1 solves the same augmented system with b = 0,
 * c = -e_j (s + X z = 0 and X's = -e_j give z = (X'X)^-1 e_j), refined by the same code, so
 * Z is exact to working accuracy for the double data (Longley, Wampler1, Filip), at the cost
 * of p more refinements. Refining every column cost 1.7 s of the 1.9 s of a 3e6 x 4 fit.
 * Two other routes were measured and rejected: the row norms of R^-1 alone carry the error
 * of R itself; and refining Z against X'X accumulated in double-double loses kappa^2 u^2 in
 * the residual I - (X'X) Z (12 digits instead of 15 on exact data with kappa ~ 1e8, a
 * degree-4 polynomial in the years 1990-2029).
 * rss, tss and mss are summed in double-double from y and the refined residual vector.
 *
 * Speed. The block reflectors are applied in p + 1 passes over a block (block_apply_qt) with
 * the rows in row-major order, the block cached between passes; the double-double loops run
 * with hardware fma where the processor has it (models_int.h); the Householder norms are plain
 * sums of squares unless they would overflow or underflow.
 *
 * Threads. The blocks form G = min(nb, TFP_OLS_GROUPS) groups of consecutive blocks. Every
 * pass over the rows (copying X, factoring, applying Q' and Q, residuals, updates, sums of
 * squares) works group by group, each group's partial results (double-double sums, maxima,
 * the first bad value) in its own slots, added up afterwards in group order; each group's
 * triangles meet in a flat tree, and the groups' in a second flat tree. The groups depend on
 * n and the block height only, so the threads (tfp_ols_opts.threads) change the speed, never
 * the bits. With G = 1 (n < 2 B) this is the single flat tree of the sequential TSQR.
 */

struct tfp_ols_ws {
    size_t nmax;
    size_t pmax;
    size_t nbmax;
    double *qr;       /* nmax x pmax: X, then block reflectors, R_0 and tree reflectors; allocated
                       * by the first fit that keeps the reflectors (or needs cluster scores) */
    double *tau;      /* nbmax x pmax: scalars of the block reflectors */
    double *ttau;     /* nbmax x pmax: scalars of the tree reflectors (row 0 unused) */
    double *r;        /* nmax: residual iterate (cluster flags before a fit) */
    double *f;        /* nmax: augmented residual, then corrections; with qr */
    double *s;        /* nmax: the s part of the augmented systems for (X'X)^-1; with qr */
    double *lean;     /* the reflector-free factorisation: TFP_OLS_GROUPS triangles (pmax x pmax)
                       * and TFP_OLS_GROUPS block copies (2 B x pmax); allocated by its first use */
    size_t lean_rows; /* the block rows lean was allocated for (2 B) */
    double *scores;   /* cluster scores of a lean fit (no qr to hold them), scores_cap doubles */
    size_t scores_cap;
    double *R;              /* pmax x pmax: the triangular factor */
    double *Z;              /* pmax x pmax: (X'X)^-1 */
    double *S;              /* pmax x pmax: scratch (rank check, corrections, meat) */
    double *T;              /* pmax x pmax: scratch */
    double *small;          /* 6 pmax: column norms and vectors */
    double *gwv;            /* TFP_OLS_GROUPS x pmax: each row group's Householder scratch */
    tfp_dd *acc;            /* TFP_OLS_GROUPS x pmax double-double accumulators, by group */
    unsigned char *aliased; /* pmax flags */
    /* What each row group's pass leaves for the calling thread to combine, in group order. */
    tfp_dd gsum[TFP_OLS_GROUPS][3];
    double gmax[TFP_OLS_GROUPS][2];
    size_t gbad[TFP_OLS_GROUPS][2]; /* first non-finite value: row + 1 (0: none), column */
};

/* Row-block geometry of one fit. */
typedef struct layout {
    size_t n;
    size_t p;
    size_t B;  /* rows per block (the last block has B..2B-1 rows) */
    size_t nb; /* number of blocks */
    size_t G;  /* row groups: runs of whole blocks, min(nb, TFP_OLS_GROUPS) */
    size_t T;  /* threads the groups are shared out to, 1 <= T <= G */
} layout;

static size_t
block_start(const layout *L, size_t k)
{
    return k * L->B;
}

static size_t
block_rows(const layout *L, size_t k)
{
    return k + 1 < L->nb ? L->B : L->n - k * L->B;
}

/* The first block and the first row of group g (g = G: nb and n). */
static size_t
group_block(const layout *L, size_t g)
{
    return g * L->nb / L->G;
}

static size_t
group_row(const layout *L, size_t g)
{
    return g >= L->G ? L->n : block_start(L, group_block(L, g));
}

/*
 * A pass over the row groups: fn(ps, g) for every group, the groups shared out in contiguous
 * runs to L->T threads (the calling thread takes the first run). A group's work touches only
 * its own rows and its own slots of the workspace (gwv, acc, gsum, gmax, gbad), and the calling
 * thread combines the slots in group order afterwards, so no result depends on T.
 */
typedef struct pass pass;
struct pass {
    void (*fn)(pass *ps, size_t g);
    const layout *L;
    tfp_ols_ws *w;
    const double *X;
    const double *b; /* y, or NULL for 0 */
    const double *z;
    double *f;
    double *s;
    size_t col;
    int first;
    int intercept;
    tfp_dd mean[2];
};

/* Group g of a pass, as tfp_run_groups calls it. */
static void
pass_group(void *arg, size_t g)
{
    pass *ps = arg;
    ps->fn(ps, g);
}

static void
run_pass(pass *ps)
{
    tfp_run_groups(ps->L->G, ps->L->T, pass_group, ps);
}

void
tfp_ols_opts_init(tfp_ols_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->intercept = 1;
    opts->se_type = TFP_OLS_SE_CLASSIC;
    opts->cluster = NULL;
    opts->nclusters = 0;
    opts->refine_steps = TFP_OLS_REFINE_STEPS;
    opts->extra_df = 0;
    opts->cluster_adj = TFP_OLS_CLUSTER_STATA;
    opts->nuisance_cols = 0;
    opts->names = NULL;
    opts->rank_tol = TFP_OLS_RANK_TOL;
    opts->block_rows = TFP_OLS_BLOCK_ROWS;
    opts->threads = 0;
    opts->qr_mode = TFP_OLS_QR_AUTO;
}

/* ---- allocation ------------------------------------------------------------------------ */

tfp_ols_ws *
tfp_ols_ws_alloc(size_t nmax, size_t pmax, tfp_error *err)
{
    tfp_ols_ws *w;
    size_t nbmax, pp;
    if (nmax == 0 || pmax == 0 || pmax > nmax) {
        tfp_fail(err, TFP_EINVAL,
                 "ols workspace needs 1 <= pmax <= nmax (got nmax = %zu, pmax = %zu)", nmax, pmax);
        return NULL;
    }
    if (pmax > SIZE_MAX / pmax / 8) {
        tfp_fail(err, TFP_EINVAL, "ols workspace: pmax = %zu is too large", pmax);
        return NULL;
    }
    pp = pmax * pmax;
    nbmax = nmax / TFP_OLS_MIN_BLOCK_ROWS;
    if (nbmax == 0)
        nbmax = 1;
    w = tfp_calloc(1, sizeof *w);
    if (w == NULL)
        goto nomem;
    w->nmax = nmax;
    w->pmax = pmax;
    w->nbmax = nbmax;
    w->tau = tfp_mallocn(nbmax, 2 * pmax * sizeof(double));
    if (w->tau == NULL)
        goto nomem;
    w->ttau = w->tau + nbmax * pmax;
    w->r = tfp_mallocn(nmax, sizeof(double));
    if (w->r == NULL)
        goto nomem;
    w->R = tfp_mallocn(4 * pp + (6 + TFP_OLS_GROUPS) * pmax, sizeof(double));
    if (w->R == NULL)
        goto nomem;
    w->Z = w->R + pp;
    w->S = w->Z + pp;
    w->T = w->S + pp;
    w->small = w->T + pp;
    w->gwv = w->small + 6 * pmax;
    w->acc = tfp_mallocn(pmax, TFP_OLS_GROUPS * sizeof(tfp_dd) + 1);
    if (w->acc == NULL)
        goto nomem;
    w->aliased = (unsigned char *)(w->acc + TFP_OLS_GROUPS * pmax);
    return w;
nomem:
    tfp_ols_ws_free(w);
    tfp_fail(err, TFP_ENOMEM, "out of memory for an ols workspace of %zu x %zu", nmax, pmax);
    return NULL;
}

void
tfp_ols_ws_free(tfp_ols_ws *w)
{
    if (w == NULL)
        return;
    tfp_free(w->qr);
    tfp_free(w->f);
    tfp_free(w->tau);
    tfp_free(w->r);
    tfp_free(w->lean);
    tfp_free(w->scores);
    tfp_free(w->R);
    tfp_free(w->acc);
    tfp_free(w);
}

tfp_ols_result *
tfp_ols_result_alloc(size_t pmax, size_t nmax, tfp_error *err)
{
    tfp_ols_result *res;
    if (pmax == 0 || pmax > SIZE_MAX / pmax / 8) {
        tfp_fail(err, TFP_EINVAL, "ols result: bad pmax = %zu", pmax);
        return NULL;
    }
    res = tfp_calloc(1, sizeof *res);
    if (res == NULL)
        goto nomem;
    res->pmax = pmax;
    res->nmax = nmax;
    res->beta = tfp_mallocn(pmax * (2 * pmax + 2), sizeof(double));
    if (res->beta == NULL)
        goto nomem;
    res->se = res->beta + pmax;
    res->vcov = res->se + pmax;
    res->xtx_inv = res->vcov + pmax * pmax;
    if (nmax > 0) {
        res->residuals = tfp_mallocn(nmax, sizeof(double));
        if (res->residuals == NULL)
            goto nomem;
    }
    return res;
nomem:
    tfp_ols_result_free(res);
    tfp_fail(err, TFP_ENOMEM, "out of memory for an ols result");
    return NULL;
}

void
tfp_ols_result_free(tfp_ols_result *res)
{
    if (res == NULL)
        return;
    tfp_free(res->beta);
    tfp_free(res->residuals);
    tfp_free(res);
}

/* ---- Householder QR, blocked by rows ----------------------------------------------------- */

/* Bounds of a sum of squares computed without scaling (house_gen). */
#define HOUSE_SSQ_LO (DBL_MIN / (DBL_EPSILON * DBL_EPSILON))
#define HOUSE_SSQ_HI (DBL_MAX * DBL_EPSILON)

/*
 * Generates a reflector H = I - tau v v', v = (1, v_2..v_m+1), with H (alpha, x) = (beta, 0)
 * (LAPACK dlarfg). x has m entries at stride s; on return *alpha = beta and x holds v_2...
 * Returns tau; 0 (H = I) when x = 0. The norm is computed scaled, so neither overflow nor
 * underflow of squares can occur; v = x / (alpha - beta) divides by a number of modulus at
 * least |x|, so it cannot overflow either.
 */
static double
house_gen(double *alpha, double *x, size_t m, size_t s)
{
    double xmax = 0.0, scale, ssq = 0.0, t, norm, beta, tau, d, aa = *alpha * *alpha;
    size_t i;
    int plain;
    /* The plain sum of squares first: when it and alpha^2 lie in [HOUSE_SSQ_LO, HOUSE_SSQ_HI]
     * no square overflowed, and those that underflowed weigh less than u^2 of the sum, so it
     * is as accurate as the scaled sum, without its divisions (a tenth of the fit's time). */
    for (i = 0; i < m; i++)
        ssq += x[i * s] * x[i * s];
    plain = ssq >= HOUSE_SSQ_LO && ssq <= HOUSE_SSQ_HI && aa <= HOUSE_SSQ_HI;
    if (plain) {
        norm = sqrt(aa + ssq);
    } else {
        for (i = 0; i < m; i++) {
            t = fabs(x[i * s]);
            if (t > xmax)
                xmax = t;
        }
        if (xmax == 0.0)
            return 0.0;
        scale = fmax(xmax, fabs(*alpha));
        t = *alpha / scale;
        ssq = t * t;
        for (i = 0; i < m; i++) {
            t = x[i * s] / scale;
            ssq += t * t;
        }
        norm = scale * sqrt(ssq);
    }
    beta = *alpha >= 0.0 ? -norm : norm;
    tau = (beta - *alpha) / beta;
    d = *alpha - beta;
    if (plain) {
        /* |d| >= norm >= sqrt(HOUSE_SSQ_LO): 1 / d is finite (LAPACK's dlarfg also scales by
         * the reciprocal). */
        d = 1.0 / d;
        for (i = 0; i < m; i++)
            x[i * s] *= d;
    } else {
        for (i = 0; i < m; i++)
            x[i * s] /= d;
    }
    *alpha = beta;
    return tau;
}

/*
 * Householder QR of the m x p row-major block A (m >= p) in place: R in the upper triangle,
 * reflector vectors below the diagonal, their scalars in tau (Golub & Van Loan Alg. 5.2.1).
 * wv: p scratch.
 */
static void
block_qr(double *A, size_t m, size_t p, double *tau, double *wv)
{
    size_t i, j, c;
    for (j = 0; j < p; j++) {
        double t = house_gen(&A[j * p + j], &A[(j + 1) * p + j], m - j - 1, p);
        tau[j] = t;
        if (t == 0.0 || j + 1 == p)
            continue;
        for (c = j + 1; c < p; c++)
            wv[c] = A[j * p + c];
        for (i = j + 1; i < m; i++) {
            double v = A[i * p + j];
            const double *a = A + i * p;
            for (c = j + 1; c < p; c++)
                wv[c] += v * a[c];
        }
        for (c = j + 1; c < p; c++) {
            wv[c] *= t;
            A[j * p + c] -= wv[c];
        }
        for (i = j + 1; i < m; i++) {
            double v = A[i * p + j];
            double *a = A + i * p;
            for (c = j + 1; c < p; c++)
                a[c] -= v * wv[c];
        }
    }
}

/*
 * One flat-tree TSQR step: QR of [R0; Rk], both p x p upper triangular with row stride p.
 * R0 becomes the combined triangle; the reflector for column j is (e_j, u_j) with u_j in
 * rows 0..j of column j of Rk (overwriting Rk's upper triangle, which is no longer needed;
 * Rk's strict lower triangle keeps its block's reflectors). LAPACK dtpqrt with l = n.
 */
static void
tree_qr(double *R0, double *Rk, size_t p, double *tau, double *wv)
{
    size_t i, j, c;
    for (j = 0; j < p; j++) {
        double t = house_gen(&R0[j * p + j], &Rk[j], j + 1, p);
        tau[j] = t;
        if (t == 0.0)
            continue;
        for (c = j + 1; c < p; c++)
            wv[c] = R0[j * p + c];
        for (i = 0; i <= j; i++) {
            double v = Rk[i * p + j];
            for (c = j + 1; c < p; c++)
                wv[c] += v * Rk[i * p + c];
        }
        for (c = j + 1; c < p; c++) {
            wv[c] *= t;
            R0[j * p + c] -= wv[c];
        }
        for (i = 0; i <= j; i++) {
            double v = Rk[i * p + j];
            for (c = j + 1; c < p; c++)
                Rk[i * p + c] -= v * wv[c];
        }
    }
}

/* Group g's blocks, each reduced to its triangle, then combined by a flat tree into the
 * triangle of the group's first block. */
static void
qr_group(pass *ps, size_t g)
{
    const layout *L = ps->L;
    tfp_ols_ws *w = ps->w;
    size_t k, p = L->p, k0 = group_block(L, g), k1 = group_block(L, g + 1);
    double *wv = w->gwv + g * w->pmax, *R0 = w->qr + block_start(L, k0) * p;
    for (k = k0; k < k1; k++)
        block_qr(w->qr + block_start(L, k) * p, block_rows(L, k), p, w->tau + k * p, wv);
    for (k = k0 + 1; k < k1; k++)
        tree_qr(R0, w->qr + block_start(L, k) * p, p, w->ttau + k * p, wv);
}

/* Factors w->qr (already holding X) and copies R into w->R. The groups' triangles are then
 * combined, in group order, into block 0's: a two-level tree, one level if G = 1. Every block
 * but block 0 keeps one set of tree reflectors: a group's other blocks those of its flat tree,
 * a group's first block those of the second level. */
static void
tsqr(const layout *L, tfp_ols_ws *w)
{
    pass ps;
    size_t g, i, p = L->p;
    memset(&ps, 0, sizeof ps);
    ps.fn = qr_group;
    ps.L = L;
    ps.w = w;
    run_pass(&ps);
    for (g = 1; g < L->G; g++) {
        size_t k = group_block(L, g);
        tree_qr(w->qr, w->qr + block_start(L, k) * p, p, w->ttau + k * p, w->gwv);
    }
    for (i = 0; i < p * p; i++)
        w->R[i] = (i % p >= i / p) ? w->qr[i] : 0.0;
}

/*
 * The lean factorisation: tsqr without keeping the reflectors. Each block is copied into its
 * group's block buffer (rows checked for non-finite values on the way), reduced there, and its
 * triangle merged at once into the group's running triangle by the same flat-tree step; the
 * groups' triangles are then combined in group order. The operations and their order are
 * those of tsqr (tree_qr reads only the upper triangle of its first argument), so R is the
 * same to the bit; Q is not kept, and the workspace needs no copy of X.
 */
static int copy_rows(pass *ps, size_t g, size_t i0, size_t i1, double *dst);

static void
lean_qr_group(pass *ps, size_t g)
{
    const layout *L = ps->L;
    tfp_ols_ws *w = ps->w;
    size_t k, i, p = L->p, pp = p * p, k0 = group_block(L, g), k1 = group_block(L, g + 1);
    double *Rg = w->lean + g * pp, *wv = w->gwv + g * w->pmax;
    double *A = w->lean + TFP_OLS_GROUPS * w->pmax * w->pmax + g * w->lean_rows * w->pmax;
    w->gbad[g][0] = 0;
    for (k = k0; k < k1; k++) {
        size_t m = block_rows(L, k), r0 = block_start(L, k);
        if (!copy_rows(ps, g, r0, r0 + m, A))
            return;
        block_qr(A, m, p, w->tau + k * p, wv);
        if (k == k0) {
            for (i = 0; i < pp; i++)
                Rg[i] = (i % p >= i / p) ? A[i] : 0.0;
        } else {
            tree_qr(Rg, A, p, w->ttau + k * p, wv);
        }
    }
}

/* Block buffers for the lean factorisation, (re)allocated when the blocks grew. */
static int
ensure_lean(tfp_ols_ws *w, const layout *L, tfp_error *err)
{
    size_t rows = 2 * L->B, per = TFP_OLS_GROUPS * w->pmax;
    if (w->lean != NULL && w->lean_rows >= rows)
        return TFP_OK;
    tfp_free(w->lean);
    w->lean_rows = 0;
    if (rows > SIZE_MAX / sizeof(double) / per - w->pmax)
        return tfp_fail(err, TFP_EINVAL, "ols: block of %zu rows is too large", L->B);
    w->lean = tfp_mallocn(per * (w->pmax + rows), sizeof(double));
    if (w->lean == NULL)
        return tfp_fail(err, TFP_ENOMEM, "out of memory for the ols block buffers");
    w->lean_rows = rows;
    return TFP_OK;
}

/* The stored-reflector path's copy of X and its two n-vectors, allocated by its first use. */
static int
ensure_stored(tfp_ols_ws *w, tfp_error *err)
{
    if (w->qr != NULL)
        return TFP_OK;
    w->qr = tfp_mallocn(w->nmax, w->pmax * sizeof(double));
    w->f = tfp_mallocn(w->nmax, 2 * sizeof(double));
    if (w->qr == NULL || w->f == NULL) {
        tfp_free(w->qr);
        tfp_free(w->f);
        w->qr = w->f = NULL;
        return tfp_fail(err, TFP_ENOMEM, "out of memory for an ols workspace of %zu x %zu", w->nmax,
                        w->pmax);
    }
    w->s = w->f + w->nmax;
    return TFP_OK;
}

/* v_j'y for the block reflector j of block A (m rows): y[j] + sum_{i > j} A[i][j] y[i]. */
static double
block_dot(const double *A, size_t m, size_t p, size_t j, const double *y)
{
    size_t i;
    double s = y[j];
    for (i = j + 1; i < m; i++)
        s += A[i * p + j] * y[i];
    return s;
}

/*
 * y := Q_k'y = H_{p-1} ... H_0 y for the reflectors of block A (m >= p rows, scalars tau) and
 * its segment y. H_j y = y - v_j (tau_j v_j'y). Each pass over the rows subtracts reflector
 * j's multiple and, with the updated entries, accumulates v_{j+1}'y, so p + 1 passes do the
 * work of 2p, with the same operations in the same order (the same bits as one reflector at
 * a time); the rows of the block stay in the cache between passes.
 */
static void
block_apply_qt(const double *A, size_t m, size_t p, const double *tau, double *y)
{
    size_t i, j;
    double s = tau[0] != 0.0 ? block_dot(A, m, p, 0, y) : 0.0;
    for (j = 0; j < p; j++) {
        int next = j + 1 < p && tau[j + 1] != 0.0;
        double sj, t;
        if (tau[j] == 0.0) {
            if (next)
                s = block_dot(A, m, p, j + 1, y);
            continue;
        }
        sj = s * tau[j];
        y[j] -= sj;
        if (!next) {
            for (i = j + 1; i < m; i++)
                y[i] -= A[i * p + j] * sj;
            continue;
        }
        /* m >= p > j + 1: row j + 1 exists. */
        y[j + 1] -= A[(j + 1) * p + j] * sj;
        t = y[j + 1];
        for (i = j + 2; i < m; i++) {
            y[i] -= A[i * p + j] * sj;
            t += A[i * p + j + 1] * y[i];
        }
        s = t;
    }
}

/* y := Q_k y = H_0 ... H_{p-1} y, fused as block_apply_qt: the pass subtracting reflector
 * j's multiple accumulates v_{j-1}'y (rows j - 1 and up; H_j leaves row j - 1 alone). */
static void
block_apply_q(const double *A, size_t m, size_t p, const double *tau, double *y)
{
    size_t i, j;
    double s = tau[p - 1] != 0.0 ? block_dot(A, m, p, p - 1, y) : 0.0;
    for (j = p; j-- > 0;) {
        int next = j > 0 && tau[j - 1] != 0.0;
        double sj, t;
        if (tau[j] == 0.0) {
            if (next)
                s = block_dot(A, m, p, j - 1, y);
            continue;
        }
        sj = s * tau[j];
        y[j] -= sj;
        if (!next) {
            for (i = j + 1; i < m; i++)
                y[i] -= A[i * p + j] * sj;
            continue;
        }
        t = y[j - 1] + A[j * p + j - 1] * y[j];
        for (i = j + 1; i < m; i++) {
            y[i] -= A[i * p + j] * sj;
            t += A[i * p + j - 1] * y[i];
        }
        s = t;
    }
}

/* Applies the tree reflector j of step k (vectors in Rk) to (y0[0..p), yk[0..p)). */
static void
apply_tree_reflector(const double *Rk, size_t p, size_t j, double tau, double *y0, double *yk)
{
    size_t i;
    double s = y0[j];
    for (i = 0; i <= j; i++)
        s += Rk[i * p + j] * yk[i];
    s *= tau;
    y0[j] -= s;
    for (i = 0; i <= j; i++)
        yk[i] -= Rk[i * p + j] * s;
}

/* The tree reflectors stored in block k, applied to the rows 0..p of the blocks k0 and k,
 * in order (qt) or in reverse (q). */
static void
tree_apply(const layout *L, const tfp_ols_ws *w, size_t k0, size_t k, int qt, double *y)
{
    size_t j, p = L->p;
    const double *Rk = w->qr + block_start(L, k) * p, *t = w->ttau + k * p;
    double *y0 = y + block_start(L, k0), *yk = y + block_start(L, k);
    for (j = 0; j < p; j++) {
        size_t jj = qt ? j : p - 1 - j;
        if (t[jj] != 0.0)
            apply_tree_reflector(Rk, p, jj, t[jj], y0, yk);
    }
}

/* Q'y on group g: its blocks' reflectors, then its flat tree's. */
static void
qt_group(pass *ps, size_t g)
{
    const layout *L = ps->L;
    const tfp_ols_ws *w = ps->w;
    size_t k, p = L->p, k0 = group_block(L, g), k1 = group_block(L, g + 1);
    for (k = k0; k < k1; k++)
        block_apply_qt(w->qr + block_start(L, k) * p, block_rows(L, k), p, w->tau + k * p,
                       ps->f + block_start(L, k));
    for (k = k0 + 1; k < k1; k++)
        tree_apply(L, w, k0, k, 1, ps->f);
}

/* Q y on group g: the reflectors of qt_group in reverse order. */
static void
q_group(pass *ps, size_t g)
{
    const layout *L = ps->L;
    const tfp_ols_ws *w = ps->w;
    size_t k, p = L->p, k0 = group_block(L, g), k1 = group_block(L, g + 1);
    for (k = k1; k-- > k0 + 1;)
        tree_apply(L, w, k0, k, 0, ps->f);
    for (k = k0; k < k1; k++)
        block_apply_q(w->qr + block_start(L, k) * p, block_rows(L, k), p, w->tau + k * p,
                      ps->f + block_start(L, k));
}

/* y := Q'y. Afterwards y[0..p) holds Q_1'y; the other entries are coordinates in the
 * orthogonal complement of range(X). */
static void
apply_qt(const layout *L, tfp_ols_ws *w, double *y)
{
    pass ps;
    size_t g;
    memset(&ps, 0, sizeof ps);
    ps.fn = qt_group;
    ps.L = L;
    ps.w = w;
    ps.f = y;
    run_pass(&ps);
    for (g = 1; g < L->G; g++)
        tree_apply(L, w, 0, group_block(L, g), 1, y);
}

/* y := Q y (the reflectors of apply_qt in reverse order). */
static void
apply_q(const layout *L, tfp_ols_ws *w, double *y)
{
    pass ps;
    size_t g;
    for (g = L->G; g-- > 1;)
        tree_apply(L, w, 0, group_block(L, g), 0, y);
    memset(&ps, 0, sizeof ps);
    ps.fn = q_group;
    ps.L = L;
    ps.w = w;
    ps.f = y;
    run_pass(&ps);
}

/* Solves R x = b in place (R upper triangular, row-major p x p). */
static void
solve_r(const double *R, size_t p, double *x)
{
    size_t i, j;
    for (i = p; i-- > 0;) {
        double s = x[i];
        for (j = i + 1; j < p; j++)
            s -= R[i * p + j] * x[j];
        x[i] = s / R[i * p + i];
    }
}

/* Solves R'x = b in place. */
static void
solve_rt(const double *R, size_t p, double *x)
{
    size_t i, j;
    for (i = 0; i < p; i++) {
        double s = x[i];
        for (j = 0; j < i; j++)
            s -= R[j * p + i] * x[j];
        x[i] = s / R[i * p + i];
    }
}

/* ---- validation and rank ------------------------------------------------------------------ */

/* Writes "\"name\" (j+1)" or "j+1" for column j into buf. */
static void
column_label(char *buf, size_t size, const char *const *names, size_t j)
{
    if (names != NULL && names[j] != NULL)
        snprintf(buf, size, "\"%s\" (%zu)", names[j], j + 1);
    else
        snprintf(buf, size, "%zu", j + 1);
}

/* Copies rows [i0, i1) of X to dst (row i0 first), stopping at the first non-finite value
 * of y or X, which it records in group g's gbad slot (row + 1, column; p for y). Returns 0
 * then, 1 when every value was finite. */
static int
copy_rows(pass *ps, size_t g, size_t i0, size_t i1, double *dst)
{
    const double *X = ps->X, *y = ps->b;
    size_t i, j, p = ps->L->p;
    for (i = i0; i < i1; i++) {
        const double *x = X + i * p;
        double *d = dst + (i - i0) * p;
        if (!isfinite(y[i])) {
            ps->w->gbad[g][0] = i + 1;
            ps->w->gbad[g][1] = p;
            return 0;
        }
        for (j = 0; j < p; j++) {
            if (!isfinite(x[j])) {
                ps->w->gbad[g][0] = i + 1;
                ps->w->gbad[g][1] = j;
                return 0;
            }
            d[j] = x[j];
        }
    }
    return 1;
}

/* Copies group g's rows of X into w->qr, stopping at the first non-finite value of y or X. */
static void
load_group(pass *ps, size_t g)
{
    size_t i0 = group_row(ps->L, g);
    ps->w->gbad[g][0] = 0;
    copy_rows(ps, g, i0, group_row(ps->L, g + 1), ps->w->qr + i0 * ps->L->p);
}

/* The first non-finite value of y or X in row order, from the groups' gbad slots. */
static int
fail_nonfinite(const layout *L, const tfp_ols_opts *opts, const tfp_ols_ws *w, tfp_error *err)
{
    size_t g;
    char label[160];
    for (g = 0; g < L->G; g++) {
        size_t row = w->gbad[g][0], j = w->gbad[g][1];
        if (row == 0)
            continue;
        if (j == L->p)
            return tfp_fail(err, TFP_EINPUT, "non-finite value in y at row %zu", row);
        column_label(label, sizeof label, opts->names, j);
        return tfp_fail(err, TFP_EINPUT, "non-finite value in X at row %zu, column %s", row, label);
    }
    return TFP_OK;
}

/* Copies X into w->qr, rejecting the first non-finite value of y or X in row order. */
static int
load_design(const double *X,
            const double *y,
            const layout *L,
            const tfp_ols_opts *opts,
            tfp_ols_ws *w,
            tfp_error *err)
{
    pass ps;
    memset(&ps, 0, sizeof ps);
    ps.fn = load_group;
    ps.L = L;
    ps.w = w;
    ps.X = X;
    ps.b = y;
    run_pass(&ps);
    return fail_nonfinite(L, opts, w, err);
}

/* The lean factorisation (lean_qr_group) into w->R, or the first non-finite value. */
static int
lean_tsqr(const double *X,
          const double *y,
          const layout *L,
          const tfp_ols_opts *opts,
          tfp_ols_ws *w,
          tfp_error *err)
{
    pass ps;
    size_t g, i, p = L->p, pp = p * p;
    int rc;
    memset(&ps, 0, sizeof ps);
    ps.fn = lean_qr_group;
    ps.L = L;
    ps.w = w;
    ps.X = X;
    ps.b = y;
    run_pass(&ps);
    rc = fail_nonfinite(L, opts, w, err);
    if (rc != TFP_OK)
        return rc;
    for (g = 1; g < L->G; g++)
        tree_qr(w->lean, w->lean + g * pp, p, w->ttau + group_block(L, g) * p, w->gwv);
    for (i = 0; i < pp; i++)
        w->R[i] = (i % p >= i / p) ? w->lean[i] : 0.0;
    return TFP_OK;
}

/* The column norms ||X_j|| = ||R e_j|| (Q is orthogonal), scaled by the column maxima so that
 * no square overflows or underflows. */
static void
column_norms(const double *R, size_t p, double *colnorm)
{
    size_t i, j;
    for (j = 0; j < p; j++) {
        double xmax = 0.0, ssq = 0.0;
        for (i = 0; i <= j; i++)
            xmax = fmax(xmax, fabs(R[i * p + j]));
        if (xmax > 0.0)
            for (i = 0; i <= j; i++) {
                double t = R[i * p + j] / xmax;
                ssq += t * t;
            }
        colnorm[j] = xmax * sqrt(ssq);
    }
}

/*
 * Finds the aliased columns: QR of R with R's limited pivoting (LINPACK dqrdc2 as used by
 * lm): columns are taken in order, and one whose remaining part has norm <= tol * ||X_j||
 * is set aside instead of pivoted. As R'R = X'X, this is the rank decision for X, and it
 * does not depend on the row blocking. Returns the rank; flags in w->aliased.
 */
static size_t
find_aliased(size_t p, const double *colnorm, double tol, tfp_ols_ws *w)
{
    double *T = w->S, *wv = w->small + 5 * w->pmax;
    size_t k = 0, c, i, cc;
    memcpy(T, w->R, p * p * sizeof(double));
    for (c = 0; c < p; c++) {
        double xmax = 0.0, ssq = 0.0, nrm = 0.0, t;
        for (i = k; i < p; i++)
            xmax = fmax(xmax, fabs(T[i * p + c]));
        if (xmax > 0.0) {
            for (i = k; i < p; i++) {
                double q = T[i * p + c] / xmax;
                ssq += q * q;
            }
            nrm = xmax * sqrt(ssq);
        }
        if (!(nrm > tol * colnorm[c])) {
            w->aliased[c] = 1;
            continue;
        }
        w->aliased[c] = 0;
        t = house_gen(&T[k * p + c], &T[(k + 1) * p + c], p - k - 1, p);
        if (t != 0.0) {
            for (cc = c + 1; cc < p; cc++) {
                double s = T[k * p + cc];
                for (i = k + 1; i < p; i++)
                    s += T[i * p + c] * T[i * p + cc];
                wv[cc] = s * t;
            }
            for (cc = c + 1; cc < p; cc++) {
                T[k * p + cc] -= wv[cc];
                for (i = k + 1; i < p; i++)
                    T[i * p + cc] -= T[i * p + c] * wv[cc];
            }
        }
        k++;
    }
    return k;
}

static int
fail_aliased(size_t p, size_t rank, const char *const *names, const tfp_ols_ws *w, tfp_error *err)
{
    char msg[TFP_ERROR_MSG_SIZE], label[160];
    size_t j, len, nal = p - rank, shown = 0;
    int k = snprintf(msg, sizeof msg, "design matrix has rank %zu < %zu: %s ", rank, p,
                     nal == 1 ? "column" : "columns");
    len = k > 0 ? (size_t)k : 0;
    for (j = 0; j < p && len < sizeof msg; j++) {
        if (!w->aliased[j])
            continue;
        column_label(label, sizeof label, names, j);
        k = snprintf(msg + len, sizeof msg - len, "%s%s", shown > 0 ? ", " : "", label);
        len += k > 0 ? (size_t)k : 0;
        shown++;
    }
    if (len < sizeof msg)
        snprintf(msg + len, sizeof msg - len, " %s",
                 nal == 1 ? "is a linear combination of earlier columns (aliased)"
                          : "are linear combinations of earlier columns (aliased)");
    return tfp_fail(err, TFP_ENUMERIC, "%s", msg);
}

/* ---- refinement ------------------------------------------------------------------------------ */

static double
rel(double a, double b)
{
    if (a == 0.0)
        return 0.0;
    return b > 0.0 ? a / b : HUGE_VAL;
}

static double
max_abs(const double *x, size_t n)
{
    double m = 0.0;
    size_t i;
    for (i = 0; i < n; i++) {
        double a = fabs(x[i]);
        m = a > m ? a : m;
    }
    return m;
}

/* f = b - s - X z, and gacc += -X's, each accumulated in double-double (Dot2); f rounded
 * once. b NULL is 0. gacc: p accumulators. The hot loop of the refinement: one pass over X, s
 * and b. */
static TFP_ALWAYS_INLINE void
aug_residual_body(const double *X,
                  const double *b,
                  const double *s,
                  const double *z,
                  size_t n,
                  size_t p,
                  double *f,
                  tfp_dd *gacc)
{
    size_t i, j;
    for (i = 0; i < n; i++) {
        const double *x = X + i * p;
        tfp_dd a;
        double si = s[i];
        tfp_two_sum(b != NULL ? b[i] : 0.0, -si, &a.hi, &a.lo);
        for (j = 0; j < p; j++) {
            tfp_dd_add_prod(&a, -x[j], z[j]);
            tfp_dd_add_prod(&gacc[j], -x[j], si);
        }
        f[i] = a.hi + a.lo;
    }
}

#if TFP_FMA_DISPATCH
TFP_TARGET_FMA static void
aug_residual_fma(const double *X,
                 const double *b,
                 const double *s,
                 const double *z,
                 size_t n,
                 size_t p,
                 double *f,
                 tfp_dd *gacc)
{
    aug_residual_body(X, b, s, z, n, p, f, gacc);
}
#endif

/* The residuals of group g; its accumulators start at c = -e_col in group 0, at 0 in the
 * others, and refine_aug adds them up in group order. */
static void
resid_group(pass *ps, size_t g)
{
    const layout *L = ps->L;
    size_t j, p = L->p, r0 = group_row(L, g), m = group_row(L, g + 1) - r0;
    tfp_dd *gacc = ps->w->acc + g * ps->w->pmax;
    const double *b = ps->b != NULL ? ps->b + r0 : NULL;
    for (j = 0; j < p; j++) {
        gacc[j].hi = g == 0 && j == ps->col ? -1.0 : 0.0;
        gacc[j].lo = 0.0;
    }
#if TFP_FMA_DISPATCH
    if (TFP_HAS_FMA()) {
        aug_residual_fma(ps->X + r0 * p, b, ps->s + r0, ps->z, m, p, ps->f + r0, gacc);
        return;
    }
#endif
    aug_residual_body(ps->X + r0 * p, b, ps->s + r0, ps->z, m, p, ps->f + r0, gacc);
}

/* s += f on group g (s = f on the first step), with the largest |s| and |f| into gmax. */
static void
update_group(pass *ps, size_t g)
{
    const layout *L = ps->L;
    size_t i, end = group_row(L, g + 1);
    double sn = 0.0, dsn = 0.0, *s = ps->s;
    const double *f = ps->f;
    for (i = group_row(L, g); i < end; i++) {
        double t = ps->first ? f[i] : s[i] + f[i], at = fabs(t), dt = fabs(f[i]);
        s[i] = t;
        sn = at > sn ? at : sn;
        dsn = dt > dsn ? dt : dsn;
    }
    ps->w->gmax[g][0] = sn;
    ps->w->gmax[g][1] = dsn;
}

/* What a refinement does after a correction of relative size d, the one before dprev (HUGE_VAL
 * for none), at step k (0: the first solve). */
typedef enum { REFINE_GO_ON, REFINE_STOP, REFINE_CONVERGED } refine_next;

static refine_next
refine_decide(size_t k, double d, double dprev, int *take)
{
    *take = 1;
    /* A correction not below REFINE_RATIO of the one before: the iteration no longer
     * contracts; the correction is kept only if it was still smaller. */
    if (k >= 2 && d > TFP_OLS_REFINE_RATIO * dprev) {
        *take = d < dprev;
        return d <= TFP_OLS_REFINE_TOL ? REFINE_CONVERGED : REFINE_STOP;
    }
    if (d <= TFP_OLS_REFINE_TOL)
        return REFINE_CONVERGED;
    /* The iteration contracts linearly, by about the relative accuracy of one solve, and the
     * last two corrections estimate that rate: when the next correction, d * (d / dprev),
     * would be at rounding level, the solution already is (Demmel et al. 2006 stop on the
     * same ratio). For a well-conditioned X this ends after the first correction, instead of
     * computing a second one only to find it negligible. */
    if (k >= 1 && d * (d / dprev) <= TFP_OLS_REFINE_TOL)
        return REFINE_CONVERGED;
    return REFINE_GO_ON;
}

/*
 * Refinement of the augmented system (Bjorck 1967)
 *     [I  X] [s]   [b]
 *     [X' 0] [z] = [c]
 * from s = 0, z = 0 (see the design note at the top). b is y (then z = beta, s = r) or NULL
 * for b = 0; c is 0 when col = p, else -e_col (then z = (X'X)^-1 e_col, s = -X z). z (p) and
 * s (n) receive the solution; f (n) is scratch. Returns the corrections applied after the
 * first solve; *converged tells whether the last one reached rounding level.
 */
static size_t
refine_aug(const double *X,
           const double *b,
           size_t col,
           const layout *L,
           tfp_ols_ws *w,
           size_t maxsteps,
           double *z,
           double *s,
           double *f,
           int *converged)
{
    size_t n = L->n, p = L->p, i, j, k, gi, steps = 0;
    double *dz = w->small + w->pmax, *g = w->small + 2 * w->pmax;
    double floor_s = b != NULL ? DBL_EPSILON * max_abs(b, n) : 0.0, dprev = HUGE_VAL;
    pass ps;
    memset(&ps, 0, sizeof ps);
    ps.L = L;
    ps.w = w;
    ps.X = X;
    ps.b = b;
    ps.z = z;
    ps.f = f;
    ps.s = s;
    ps.col = col;
    for (j = 0; j < p; j++)
        z[j] = 0.0;
    *converged = 0;
    for (k = 0; k <= maxsteps; k++) {
        double zn = 0.0, dzn = 0.0, sn = 0.0, dsn = 0.0, d;
        int take;
        refine_next next;
        /* f = b - s - X z and g = c - X's, each accumulated in double-double, then rounded.
         * At the start (s = 0, z = 0) they are b and c exactly. */
        if (k == 0) {
            for (j = 0; j < p; j++)
                g[j] = j == col ? -1.0 : 0.0;
            for (i = 0; i < n; i++)
                f[i] = b != NULL ? b[i] : 0.0;
        } else {
            ps.fn = resid_group;
            run_pass(&ps);
            for (j = 0; j < p; j++) {
                tfp_dd acc = w->acc[j];
                for (gi = 1; gi < L->G; gi++)
                    tfp_dd_add_dd(&acc, w->acc[gi * w->pmax + j]);
                g[j] = acc.hi + acc.lo;
            }
        }
        /* The correction: (u1, u2) = Q'f, R'h = g, R dz = u1 - h, ds = Q (h, u2). Q'0 = 0. */
        if (k > 0 || b != NULL)
            apply_qt(L, w, f);
        solve_rt(w->R, p, g);
        for (j = 0; j < p; j++) {
            dz[j] = f[j] - g[j];
            f[j] = g[j];
        }
        solve_r(w->R, p, dz);
        apply_q(L, w, f);
        for (j = 0; j < p; j++) {
            zn = fmax(zn, fabs(z[j] + dz[j]));
            dzn = fmax(dzn, fabs(dz[j]));
        }
        /* s is updated in the same pass (and restored, to rounding, in the rare case of a step
         * not taken); s starts at 0, so the first step sets it. */
        ps.fn = update_group;
        ps.first = k == 0;
        run_pass(&ps);
        for (gi = 0; gi < L->G; gi++) {
            sn = fmax(sn, w->gmax[gi][0]);
            dsn = fmax(dsn, w->gmax[gi][1]);
        }
        /* The change of s is measured against its own size, or against the rounding level
         * of b when s is (nearly) zero, as for the residual of an exact fit. */
        d = fmax(rel(dzn, zn), rel(dsn, fmax(sn, floor_s)));
        next = refine_decide(k, d, dprev, &take);
        if (take) {
            for (j = 0; j < p; j++)
                z[j] += dz[j];
            if (k > 0)
                steps++;
        } else {
            for (i = 0; i < n; i++)
                s[i] -= f[i];
        }
        if (next != REFINE_GO_ON) {
            *converged = next == REFINE_CONVERGED;
            break;
        }
        dprev = d;
    }
    return steps;
}

/* The largest p whose accumulators normal_residual_body keeps in locals. */
#define NORMAL_SMALL_P 4

/* r = fl(y - X z) and gacc + glo = X'(y - X z), the residual kept in double-double for the
 * products (its low part's products summed in plain double: they are u times smaller). The
 * hot loop of the lean refinement: one pass over X and y. For p <= NORMAL_SMALL_P the
 * accumulators are copied to locals, which the compiler keeps in registers where p is a
 * constant (normal_residual_any); through gacc they would go to memory and back for every
 * row, as r may alias them. The same operations in the same order either way. */
static TFP_ALWAYS_INLINE void
normal_residual_body(const double *X,
                     const double *y,
                     const double *z,
                     size_t n,
                     size_t p,
                     double *r,
                     tfp_dd *gacc,
                     double *glo)
{
    tfp_dd accl[NORMAL_SMALL_P];
    double lol[NORMAL_SMALL_P], zl[NORMAL_SMALL_P];
    const int local = p <= NORMAL_SMALL_P;
    tfp_dd *acc = local ? accl : gacc;
    double *lo = local ? lol : glo;
    const double *zz = local ? zl : z;
    size_t i, j;
    for (j = 0; local && j < p; j++) {
        accl[j] = gacc[j];
        lol[j] = glo[j];
        zl[j] = z[j];
    }
    for (i = 0; i < n; i++) {
        const double *x = X + i * p;
        tfp_dd a = {y[i], 0.0};
        double h, l;
        for (j = 0; j < p; j++)
            tfp_dd_add_prod(&a, -x[j], zz[j]);
        tfp_two_sum(a.hi, a.lo, &h, &l);
        for (j = 0; j < p; j++) {
            tfp_dd_add_prod(&acc[j], x[j], h);
            lo[j] += x[j] * l;
        }
        r[i] = h;
    }
    for (j = 0; local && j < p; j++) {
        gacc[j] = accl[j];
        glo[j] = lol[j];
    }
}

/* normal_residual_body with p a constant for the common small p. */
static TFP_ALWAYS_INLINE void
normal_residual_any(const double *X,
                    const double *y,
                    const double *z,
                    size_t n,
                    size_t p,
                    double *r,
                    tfp_dd *gacc,
                    double *glo)
{
    switch (p) {
    case 1:
        normal_residual_body(X, y, z, n, 1, r, gacc, glo);
        break;
    case 2:
        normal_residual_body(X, y, z, n, 2, r, gacc, glo);
        break;
    case 3:
        normal_residual_body(X, y, z, n, 3, r, gacc, glo);
        break;
    case 4:
        normal_residual_body(X, y, z, n, 4, r, gacc, glo);
        break;
    default:
        normal_residual_body(X, y, z, n, p, r, gacc, glo);
        break;
    }
}

#if TFP_FMA_DISPATCH
TFP_TARGET_FMA static void
normal_residual_fma(const double *X,
                    const double *y,
                    const double *z,
                    size_t n,
                    size_t p,
                    double *r,
                    tfp_dd *gacc,
                    double *glo)
{
    normal_residual_any(X, y, z, n, p, r, gacc, glo);
}
#endif

/* The residuals and X'r of group g, into ps->s and the group's accumulators. */
static void
normal_group(pass *ps, size_t g)
{
    const layout *L = ps->L;
    size_t j, p = L->p, r0 = group_row(L, g), m = group_row(L, g + 1) - r0;
    tfp_dd *gacc = ps->w->acc + g * ps->w->pmax;
    double *glo = ps->w->gwv + g * ps->w->pmax;
    for (j = 0; j < p; j++) {
        gacc[j].hi = gacc[j].lo = 0.0;
        glo[j] = 0.0;
    }
#if TFP_FMA_DISPATCH
    if (TFP_HAS_FMA())
        normal_residual_fma(ps->X + r0 * p, ps->b + r0, ps->z, m, p, ps->s + r0, gacc, glo);
    else
#endif
        normal_residual_any(ps->X + r0 * p, ps->b + r0, ps->z, m, p, ps->s + r0, gacc, glo);
    for (j = 0; j < p; j++)
        tfp_dd_add(&gacc[j], glo[j]);
}

/*
 * The lean refinement: corrected seminormal equations (Bjorck 1987; Numerical Methods for
 * Least Squares Problems 2.5.4) with double-double residuals. From z = 0, each step computes
 * g = X'(y - X z) in one pass (the residual and the products in double-double) and solves
 * R'R dz = g with the triangle alone. The fixed point is the least-squares solution of the
 * double data, as for refine_aug; the iteration contracts by about kappa(X D)^2 u per step
 * (the squared condition enters through R'R), so tfp_ols_fit takes this path only when kappa
 * u <= TFP_OLS_SE_REFINE_KU (contraction below 4e-8: two or three steps). Stops as
 * refine_aug does. r receives fl(y - X z) for the returned z.
 */
static size_t
refine_normal(const double *X,
              const double *y,
              const layout *L,
              tfp_ols_ws *w,
              size_t maxsteps,
              double *z,
              double *r,
              int *converged)
{
    size_t p = L->p, j, gi, k, steps = 0;
    double *dz = w->small + w->pmax, dprev = HUGE_VAL;
    int done = 0;
    pass ps;
    memset(&ps, 0, sizeof ps);
    ps.fn = normal_group;
    ps.L = L;
    ps.w = w;
    ps.X = X;
    ps.b = y;
    ps.z = z;
    ps.s = r;
    for (j = 0; j < p; j++)
        z[j] = 0.0;
    *converged = 0;
    for (k = 0;; k++) {
        double zn = 0.0, dzn = 0.0, d;
        int take;
        refine_next next;
        run_pass(&ps); /* r and X'r for the current z */
        if (done)
            break;
        for (j = 0; j < p; j++) {
            tfp_dd acc = w->acc[j];
            for (gi = 1; gi < L->G; gi++)
                tfp_dd_add_dd(&acc, w->acc[gi * w->pmax + j]);
            dz[j] = acc.hi + acc.lo;
        }
        solve_rt(w->R, p, dz);
        solve_r(w->R, p, dz);
        for (j = 0; j < p; j++) {
            zn = fmax(zn, fabs(z[j] + dz[j]));
            dzn = fmax(dzn, fabs(dz[j]));
        }
        d = rel(dzn, zn);
        next = refine_decide(k, d, dprev, &take);
        if (take) {
            for (j = 0; j < p; j++)
                z[j] += dz[j];
            if (k > 0)
                steps++;
        }
        *converged = next == REFINE_CONVERGED;
        done = next != REFINE_GO_ON || k >= maxsteps;
        if (done && !take)
            break; /* z unchanged: r is its residual */
        dprev = d;
    }
    return steps;
}

/*
 * R^-1 into Rinv (upper triangular, explicitly: p is small, and triangular inversion is as
 * accurate as the triangle allows, Higham 8.3) and the 1-norm condition number of the column-
 * equilibrated R, kappa_1(R D^-1) = ||R D^-1||_1 ||D R^-1||_1 with D = diag(||X_j||): the
 * accuracy of a Householder solution depends on X's columns only through their directions
 * (the backward error is columnwise small), so this is the kappa of the error bounds.
 */
static double
invert_r(const double *R, const double *colnorm, size_t p, double *Rinv)
{
    double a = 0.0, b = 0.0;
    size_t i, j, k;
    for (j = 0; j < p; j++) {
        for (i = j + 1; i < p; i++)
            Rinv[i * p + j] = 0.0;
        for (i = j + 1; i-- > 0;) {
            double t = i == j ? 1.0 : 0.0;
            for (k = i + 1; k <= j; k++)
                t -= R[i * p + k] * Rinv[k * p + j];
            Rinv[i * p + j] = t / R[i * p + i];
        }
    }
    for (j = 0; j < p; j++) {
        double ca = 0.0, cb = 0.0;
        for (i = 0; i <= j; i++) {
            ca += fabs(R[i * p + j]);
            cb += colnorm[i] * fabs(Rinv[i * p + j]);
        }
        a = fmax(a, ca / colnorm[j]);
        b = fmax(b, cb);
    }
    return a * b;
}

/*
 * Z = (X'X)^-1. When kappa u <= TFP_OLS_SE_REFINE_KU (kappa from invert_r), Z = R^-1 R^-T,
 * accurate to about kappa u, which is then below the threshold. Otherwise column by column
 * through the augmented system with c = -e_j, refined as beta is. Either way symmetrised (the
 * two triangles agree to rounding level). Only the columns j >= m are refined (m =
 * nuisance_cols): the entries of the other columns below or right of row m are filled by
 * symmetry, the nuisance block itself is NaN. Returns 1 when Z is accurate to
 * TFP_OLS_SE_REFINE_KU or every column's refinement converged.
 */
static int
inverse_gram(const double *X,
             const layout *L,
             tfp_ols_ws *w,
             size_t maxsteps,
             const double *colnorm,
             size_t m)
{
    size_t p = L->p, i, j, k;
    double *z = w->small + 3 * w->pmax, *Rinv = w->T;
    int conv, all = 1;
    if (invert_r(w->R, colnorm, p, Rinv) * (0.5 * DBL_EPSILON) <= TFP_OLS_SE_REFINE_KU) {
        for (i = 0; i < p; i++)
            for (j = i; j < p; j++) {
                double t = 0.0;
                for (k = j; k < p; k++)
                    t += Rinv[i * p + k] * Rinv[j * p + k];
                w->Z[i * p + j] = w->Z[j * p + i] = t;
            }
        for (i = 0; i < m; i++)
            for (j = 0; j < m; j++)
                w->Z[i * p + j] = (double)NAN;
        return 1;
    }
    for (j = m; j < p; j++) {
        refine_aug(X, NULL, j, L, w, maxsteps, z, w->s, w->f, &conv);
        all = all && conv;
        for (i = 0; i < p; i++)
            w->Z[i * p + j] = z[i];
    }
    for (i = 0; i < p; i++)
        for (j = i + 1; j < p; j++) {
            if (j < m) {
                w->Z[i * p + j] = w->Z[j * p + i] = (double)NAN;
            } else if (i < m) {
                w->Z[j * p + i] = w->Z[i * p + j];
            } else {
                double t = 0.5 * (w->Z[i * p + j] + w->Z[j * p + i]);
                w->Z[i * p + j] = w->Z[j * p + i] = t;
            }
        }
    for (i = 0; i < m; i++)
        w->Z[i * p + i] = (double)NAN;
    return all;
}

/* ---- summary statistics -------------------------------------------------------------------- */

/* The mean of a double-double sum over n terms, as a double-double. */
static tfp_dd
dd_mean(tfp_dd sum, size_t n)
{
    tfp_dd m;
    double dn = (double)n, e;
    m.hi = sum.hi / dn;
    e = fma(-m.hi, dn, sum.hi) + sum.lo;
    m.lo = e / dn;
    return m;
}

/* a - b in double-double. */
static tfp_dd
dd_diff(tfp_dd a, tfp_dd b)
{
    tfp_dd d;
    double s, e;
    tfp_two_sum(a.hi, -b.hi, &s, &e);
    e += a.lo - b.lo;
    tfp_fast_two_sum(s, e, &d.hi, &d.lo);
    return d;
}

/* The sums of y and of the fitted values y_i - r_i (exact as double-double pairs) over group
 * g, into gsum[g][0..1]. */
static void
means_group(pass *ps, size_t g)
{
    const double *y = ps->b, *r = ps->s;
    tfp_dd ysum = {0.0, 0.0}, fsum = {0.0, 0.0};
    size_t i, end = group_row(ps->L, g + 1);
    for (i = group_row(ps->L, g); i < end; i++) {
        tfp_dd fi;
        tfp_dd_add(&ysum, y[i]);
        tfp_two_sum(y[i], -r[i], &fi.hi, &fi.lo);
        tfp_dd_add_dd(&fsum, fi);
    }
    ps->w->gsum[g][0] = ysum;
    ps->w->gsum[g][1] = fsum;
}

/* rss, tss and mss over rows [i0, i1), about the means ybar and fbar (0 without intercept). */
static TFP_ALWAYS_INLINE void
squares_body(const double *y,
             const double *r,
             size_t i0,
             size_t i1,
             tfp_dd ybar,
             tfp_dd fbar,
             tfp_dd *out)
{
    tfp_dd rss = {0.0, 0.0}, tss = {0.0, 0.0}, mss = {0.0, 0.0};
    size_t i;
    for (i = i0; i < i1; i++) {
        tfp_dd ri = {r[i], 0.0}, yi = {y[i], 0.0}, fi;
        tfp_two_sum(y[i], -r[i], &fi.hi, &fi.lo);
        tfp_dd_add_sq(&rss, ri);
        tfp_dd_add_sq(&tss, dd_diff(yi, ybar));
        tfp_dd_add_sq(&mss, dd_diff(fi, fbar));
    }
    out[0] = rss;
    out[1] = tss;
    out[2] = mss;
}

#if TFP_FMA_DISPATCH
TFP_TARGET_FMA static void
squares_fma(const double *y,
            const double *r,
            size_t i0,
            size_t i1,
            tfp_dd ybar,
            tfp_dd fbar,
            tfp_dd *out)
{
    squares_body(y, r, i0, i1, ybar, fbar, out);
}
#endif

static void
squares_group(pass *ps, size_t g)
{
    size_t i0 = group_row(ps->L, g), i1 = group_row(ps->L, g + 1);
#if TFP_FMA_DISPATCH
    if (TFP_HAS_FMA()) {
        squares_fma(ps->b, ps->s, i0, i1, ps->mean[0], ps->mean[1], ps->w->gsum[g]);
        return;
    }
#endif
    squares_body(ps->b, ps->s, i0, i1, ps->mean[0], ps->mean[1], ps->w->gsum[g]);
}

/* rss, tss and mss (R's summary.lm) in double-double from y and the refined residuals r,
 * summed by group and the groups' sums added in group order. */
static void
sums_of_squares(const layout *L,
                tfp_ols_ws *w,
                const double *y,
                double *r,
                int intercept,
                tfp_ols_result *res)
{
    pass ps;
    tfp_dd sum[3];
    size_t g, k;
    memset(&ps, 0, sizeof ps);
    ps.L = L;
    ps.w = w;
    ps.b = y;
    ps.s = r;
    if (intercept) {
        ps.fn = means_group;
        run_pass(&ps);
        sum[0] = w->gsum[0][0];
        sum[1] = w->gsum[0][1];
        for (g = 1; g < L->G; g++)
            for (k = 0; k < 2; k++)
                tfp_dd_add_dd(&sum[k], w->gsum[g][k]);
        ps.mean[0] = dd_mean(sum[0], L->n);
        ps.mean[1] = dd_mean(sum[1], L->n);
    }
    ps.fn = squares_group;
    run_pass(&ps);
    for (k = 0; k < 3; k++) {
        sum[k] = w->gsum[0][k];
        for (g = 1; g < L->G; g++)
            tfp_dd_add_dd(&sum[k], w->gsum[g][k]);
    }
    res->rss = sum[0].hi + sum[0].lo;
    res->tss = sum[1].hi + sum[1].lo;
    res->mss = sum[2].hi + sum[2].lo;
}

/* ---- covariance ---------------------------------------------------------------------------- */

/* V = factor * Z M Z, with M (symmetric) in w->S; result in V. Only the block of rows and
 * columns >= m is computed (m = nuisance_cols); the other entries are NaN. */
static void
sandwich(size_t p, size_t m, tfp_ols_ws *w, double factor, double *V)
{
    const double *Z = w->Z, *M = w->S;
    double *T = w->T;
    size_t i, j, c;
    for (i = m; i < p; i++)
        for (c = 0; c < p; c++) {
            double s = 0.0;
            for (j = 0; j < p; j++)
                s += Z[i * p + j] * M[j * p + c];
            T[i * p + c] = s;
        }
    for (i = 0; i < p; i++)
        for (c = 0; c < p; c++) {
            double s = 0.0;
            if (i < m || c < m) {
                V[i * p + c] = (double)NAN;
                continue;
            }
            for (j = 0; j < p; j++)
                s += T[i * p + j] * Z[j * p + c];
            V[i * p + c] = factor * s;
        }
    for (i = m; i < p; i++)
        for (c = i + 1; c < p; c++) {
            double s = 0.5 * (V[i * p + c] + V[c * p + i]);
            V[i * p + c] = V[c * p + i] = s;
        }
}

/* Meat of HC1: sum_i r_i^2 x_i x_i'. */
static void
meat_hc(const double *X, const double *r, size_t n, size_t p, double *M)
{
    size_t i, j, c;
    for (j = 0; j < p * p; j++)
        M[j] = 0.0;
    for (i = 0; i < n; i++) {
        const double *x = X + i * p;
        double r2 = r[i] * r[i];
        for (j = 0; j < p; j++)
            for (c = j; c < p; c++)
                M[j * p + c] += r2 * x[j] * x[c];
    }
    for (j = 0; j < p; j++)
        for (c = j + 1; c < p; c++)
            M[c * p + j] = M[j * p + c];
}

/* Meat of the cluster sandwich: sum_g s_g s_g', s_g = sum_{i in g} r_i x_i (empty clusters
 * add nothing). The scores s (nclusters x p) are scratch: w->qr, free once the refinements are
 * done, or a buffer of the lean path. */
static void
meat_cluster(const double *X,
             const double *r,
             size_t n,
             size_t p,
             const uint32_t *cl,
             size_t ncl,
             double *s,
             double *M)
{
    size_t i, j, c, g;
    for (i = 0; i < ncl * p; i++)
        s[i] = 0.0;
    for (i = 0; i < n; i++) {
        const double *x = X + i * p;
        double *sg = s + (size_t)cl[i] * p;
        for (j = 0; j < p; j++)
            sg[j] += r[i] * x[j];
    }
    for (j = 0; j < p * p; j++)
        M[j] = 0.0;
    for (g = 0; g < ncl; g++) {
        const double *sg = s + g * p;
        for (j = 0; j < p; j++)
            for (c = j; c < p; c++)
                M[j * p + c] += sg[j] * sg[c];
    }
    for (j = 0; j < p; j++)
        for (c = j + 1; c < p; c++)
            M[c * p + j] = M[j * p + c];
}

/* ---- the fit ------------------------------------------------------------------------------- */

/* The factorisation into w->R, lean (R only) or with the reflectors kept (w->qr), each
 * allocating its buffers on first use; TFP_EINPUT at the first non-finite value. */
static int
factor_lean(const double *X,
            const double *y,
            const layout *L,
            const tfp_ols_opts *o,
            tfp_ols_ws *w,
            tfp_error *err)
{
    int rc = ensure_lean(w, L, err);
    return rc != TFP_OK ? rc : lean_tsqr(X, y, L, o, w, err);
}

static int
factor_stored(const double *X,
              const double *y,
              const layout *L,
              const tfp_ols_opts *o,
              tfp_ols_ws *w,
              tfp_error *err)
{
    int rc = ensure_stored(w, err);
    if (rc == TFP_OK)
        rc = load_design(X, y, L, o, w, err);
    if (rc == TFP_OK)
        tsqr(L, w);
    return rc;
}

/* Threads for a fit of n rows in G groups: 1 below TFP_OLS_PARALLEL_MIN_ROWS (starting them
 * would cost more than they save), else opts.threads or the online processors, at most G. */
static size_t
fit_threads(size_t threads, size_t n, size_t G)
{
    size_t t = threads > 0 ? threads : tfp_online_cpus(0);
    if (n < TFP_OLS_PARALLEL_MIN_ROWS)
        return 1;
    return t < G ? t : G;
}

/* Validates sizes and options before any work (liblinear's check_parameter); for clustered
 * SEs also counts the non-empty clusters into *G, using w->r as flags. */
static int
check_args(const double *X,
           const double *y,
           size_t n,
           size_t p,
           const tfp_ols_opts *o,
           tfp_ols_ws *w,
           const tfp_ols_result *res,
           size_t *G,
           tfp_error *err)
{
    size_t i;
    if (X == NULL || y == NULL || w == NULL || res == NULL)
        return tfp_fail(err, TFP_EINVAL, "ols: NULL argument");
    if (p == 0)
        return tfp_fail(err, TFP_EINVAL, "ols: the design has no columns");
    if (n < p)
        return tfp_fail(err, TFP_ENUMERIC,
                        "fewer observations (n = %zu) than coefficients (p = %zu)", n, p);
    if (n > w->nmax || p > w->pmax)
        return tfp_fail(err, TFP_EINVAL, "ols: %zu x %zu design exceeds the workspace (%zu x %zu)",
                        n, p, w->nmax, w->pmax);
    if (p > res->pmax || (res->nmax > 0 && n > res->nmax))
        return tfp_fail(err, TFP_EINVAL, "ols: %zu x %zu design exceeds the result (%zu x %zu)", n,
                        p, res->nmax, res->pmax);
    if (o->extra_df > n - p)
        return tfp_fail(err, TFP_ENUMERIC,
                        "no residual degrees of freedom: n = %zu, p = %zu, absorbed = %zu", n, p,
                        o->extra_df);
    if (o->se_type != TFP_OLS_SE_CLASSIC && o->se_type != TFP_OLS_SE_HC1 &&
        o->se_type != TFP_OLS_SE_CLUSTER)
        return tfp_fail(err, TFP_EINVAL, "ols: unknown standard-error type %d", (int)o->se_type);
    if (o->qr_mode != TFP_OLS_QR_AUTO && o->qr_mode != TFP_OLS_QR_LEAN &&
        o->qr_mode != TFP_OLS_QR_STORED)
        return tfp_fail(err, TFP_EINVAL, "ols: unknown factorisation mode %d", (int)o->qr_mode);
    if (o->cluster_adj != TFP_OLS_CLUSTER_STATA && o->cluster_adj != TFP_OLS_CLUSTER_HC1)
        return tfp_fail(err, TFP_EINVAL, "ols: unknown cluster adjustment %d", (int)o->cluster_adj);
    if (o->nuisance_cols > p)
        return tfp_fail(err, TFP_EINVAL, "ols: %zu nuisance columns of %zu", o->nuisance_cols, p);
    if (o->se_type == TFP_OLS_SE_CLUSTER) {
        if (o->cluster == NULL || o->nclusters == 0)
            return tfp_fail(err, TFP_EINVAL, "ols: clustered standard errors need cluster ids");
        if (o->nclusters > w->nmax)
            return tfp_fail(err, TFP_EINVAL, "ols: %zu cluster ids exceed the workspace's %zu",
                            o->nclusters, w->nmax);
        for (i = 0; i < o->nclusters; i++)
            w->r[i] = 0.0;
        *G = 0;
        for (i = 0; i < n; i++) {
            if (o->cluster[i] >= o->nclusters)
                return tfp_fail(err, TFP_EINVAL, "ols: cluster id %lu at row %zu is not below %zu",
                                (unsigned long)o->cluster[i], i + 1, o->nclusters);
            if (w->r[o->cluster[i]] == 0.0) {
                w->r[o->cluster[i]] = 1.0;
                (*G)++;
            }
        }
        if (*G < 2)
            return tfp_fail(err, TFP_ENUMERIC,
                            "clustered standard errors need at least 2 clusters (found %zu)", *G);
    }
    return TFP_OK;
}

int
tfp_ols_fit(const double *X,
            const double *y,
            size_t n,
            size_t p,
            const tfp_ols_opts *opts,
            tfp_ols_ws *w,
            tfp_ols_result *res,
            tfp_error *err)
{
    tfp_ols_opts defaults;
    const tfp_ols_opts *o = opts;
    layout L;
    size_t rank, i, j, df, k, G = 0;
    double *colnorm, sigma, nn;
    int rc, lean;

    if (o == NULL) {
        tfp_ols_opts_init(&defaults);
        o = &defaults;
    }
    rc = check_args(X, y, n, p, o, w, res, &G, err);
    if (rc != TFP_OK)
        return rc;
    colnorm = w->small;
    L.n = n;
    L.p = p;
    L.B = o->block_rows > 0 ? o->block_rows : TFP_OLS_BLOCK_ROWS;
    if (L.B < TFP_OLS_MIN_BLOCK_ROWS)
        L.B = TFP_OLS_MIN_BLOCK_ROWS;
    if (L.B < p)
        L.B = p;
    L.nb = n / L.B;
    if (L.nb == 0)
        L.nb = 1;
    L.G = L.nb < TFP_OLS_GROUPS ? L.nb : TFP_OLS_GROUPS;
    L.T = fit_threads(o->threads, n, L.G);

    /* The lean path first where it may apply: R without the reflectors; it is kept when
     * kappa u <= TFP_OLS_SE_REFINE_KU, where the seminormal refinement converges in a few
     * steps and (X'X)^-1 = R^-1 R^-T needs no refinement. Otherwise the stored-reflector path
     * factors again (the same R) and keeps Q. */
    lean = o->qr_mode == TFP_OLS_QR_LEAN ||
           (o->qr_mode == TFP_OLS_QR_AUTO && n >= TFP_OLS_LEAN_MIN_ROWS);
    rc = lean ? factor_lean(X, y, &L, o, w, err) : factor_stored(X, y, &L, o, w, err);
    if (rc != TFP_OK)
        return rc;
    column_norms(w->R, p, colnorm);
    rank = find_aliased(p, colnorm, o->rank_tol, w);
    if (rank < p)
        return fail_aliased(p, rank, o->names, w, err);
    if (lean && invert_r(w->R, colnorm, p, w->T) * (0.5 * DBL_EPSILON) > TFP_OLS_SE_REFINE_KU) {
        /* Too ill-conditioned for the seminormal refinement: the same R again, with Q kept. */
        lean = 0;
        rc = factor_stored(X, y, &L, o, w, err);
        if (rc != TFP_OK)
            return rc;
    }
    res->lean = lean;

    if (lean)
        res->refine_steps =
            refine_normal(X, y, &L, w, o->refine_steps, res->beta, w->r, &res->refine_converged);
    else
        res->refine_steps = refine_aug(X, y, p, &L, w, o->refine_steps, res->beta, w->r, w->f,
                                       &res->refine_converged);
    if (!inverse_gram(X, &L, w, o->refine_steps, colnorm, o->nuisance_cols))
        res->refine_converged = 0;

    res->n = n;
    res->p = p;
    df = n - p - o->extra_df;
    res->df_residual = df;
    sums_of_squares(&L, w, y, w->r, o->intercept, res);
    nn = (double)n;
    res->r_squared = res->mss + res->rss > 0.0 ? res->mss / (res->mss + res->rss) : (double)NAN;
    res->adj_r_squared =
        df > 0 ? 1.0 - (1.0 - res->r_squared) * ((nn - (o->intercept ? 1.0 : 0.0)) / (double)df)
               : (double)NAN;
    sigma = df > 0 ? sqrt(res->rss / (double)df) : (double)NAN;
    res->sigma = sigma;
    /* R's logLik.lm (unit weights) with k = p + 1 (the coefficients and sigma). */
    res->log_lik = -0.5 * nn * (log(2.0 * M_PI) + 1.0 - log(nn) + log(res->rss));
    res->aic = -2.0 * res->log_lik + 2.0 * (double)(p + 1);
    res->bic = -2.0 * res->log_lik + log(nn) * (double)(p + 1);
    if (res->residuals != NULL)
        memcpy(res->residuals, w->r, n * sizeof(double));
    memcpy(res->xtx_inv, w->Z, p * p * sizeof(double));

    if (o->se_type == TFP_OLS_SE_CLASSIC) {
        for (i = 0; i < p * p; i++)
            res->vcov[i] = sigma * sigma * w->Z[i];
        for (j = 0; j < p; j++)
            res->se[j] = sigma * sqrt(w->Z[j * p + j]);
        return TFP_OK;
    }
    /* The sandwich factors count k = p - nuisance_cols parameters (plm counts the slopes). */
    k = p - o->nuisance_cols;
    if (o->se_type == TFP_OLS_SE_HC1) {
        double factor = n > p ? nn / (double)(n - k) : (double)NAN;
        meat_hc(X, w->r, n, p, w->S);
        sandwich(p, o->nuisance_cols, w, factor, res->vcov);
    } else {
        /* STATA: G/(G-1) (n-1)/(n-k), plm vcovHC(type = "sss", cluster = "group");
         * HC1: n/(n-k), plm vcovHC(type = "HC1", cluster = "group"). */
        double factor = n <= p ? (double)NAN
                        : o->cluster_adj == TFP_OLS_CLUSTER_HC1
                            ? nn / (double)(n - k)
                            : ((double)G / (double)(G - 1)) * ((nn - 1.0) / (double)(n - k));
        double *scores = w->qr;
        if (scores == NULL) {
            /* The lean path keeps no copy of X: the scores get their own buffer, kept for
             * later fits as the reflectors are. */
            if (w->scores_cap < o->nclusters * p) {
                tfp_free(w->scores);
                w->scores_cap = 0;
                w->scores = tfp_mallocn(o->nclusters, p * sizeof(double));
                if (w->scores == NULL)
                    return tfp_fail(err, TFP_ENOMEM, "out of memory for %zu cluster scores",
                                    o->nclusters);
                w->scores_cap = o->nclusters * p;
            }
            scores = w->scores;
        }
        meat_cluster(X, w->r, n, p, o->cluster, o->nclusters, scores, w->S);
        sandwich(p, o->nuisance_cols, w, factor, res->vcov);
    }
    for (j = 0; j < p; j++)
        res->se[j] = sqrt(res->vcov[j * p + j]);
    return TFP_OK;
}
