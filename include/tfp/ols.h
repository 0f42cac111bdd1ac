/*
 * Ordinary least squares (models layer): Householder QR by row blocks (tall-skinny QR, TSQR)
 * followed by iterative refinement with double-double residuals; classic, HC1 and
 * cluster-robust standard errors; R's lm() summary statistics. Never the normal equations.
 * References: Golub & Van Loan, Matrix Computations, 4th ed., 5.1-5.3; Demmel, Grigori,
 * Hoemmen & Langou, "Communication-optimal parallel and sequential QR and LU factorizations",
 * SIAM J. Sci. Comput. 34 (2012); Bjorck, "Iterative refinement of linear least squares
 * solutions I", BIT 7 (1967); Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed.
 */
#ifndef TFP_OLS_H
#define TFP_OLS_H

#include <stddef.h>
#include <stdint.h>

#include "tfp/error.h"

typedef enum tfp_ols_se_type {
    TFP_OLS_SE_CLASSIC = 0, /* sigma^2 (X'X)^-1, sigma^2 = rss / df_residual (R's vcov.lm) */
    TFP_OLS_SE_HC1 = 1,     /* White: n/(n-k) (X'X)^-1 [sum r_i^2 x_i x_i'] (X'X)^-1 */
    TFP_OLS_SE_CLUSTER = 2  /* c (X'X)^-1 [sum_g s_g s_g'] (X'X)^-1, c from tfp_ols_cluster_adj */
} tfp_ols_se_type;

/*
 * The small-sample factor c of clustered standard errors (k = p - nuisance_cols, G clusters).
 * Both conventions are in use and differ by G/(G-1) (n-1)/n, about 2 % with 48 clusters:
 * STATA  c = G/(G-1) (n-1)/(n-k): Stata's vce(cluster) (regress), Cameron & Miller's CR1,
 *        R plm vcovHC(type = "sss", cluster = "group"), sandwich::vcovCL(type = "HC1").
 * HC1    c = n/(n-k): R plm vcovHC(type = "HC1", cluster = "group"), the default of plm's
 *        vcovHC for panel models (method "arellano"); no G/(G-1) factor. `tfp fit` uses it.
 * The zero value is STATA, so zeroed options keep the factor this library used first.
 */
typedef enum tfp_ols_cluster_adj {
    TFP_OLS_CLUSTER_STATA = 0,
    TFP_OLS_CLUSTER_HC1 = 1
} tfp_ols_cluster_adj;

/*
 * Options. Initialise with tfp_ols_opts_init, then change what differs.
 *
 * intercept     non-zero when X contains a constant column (any position). It selects R's
 *               definitions: with an intercept, tss and mss are centred (about the mean of y
 *               and of the fitted values) and adj_r_squared uses n - 1; without, they are
 *               uncentred sums of squares and adj_r_squared uses n (R's summary.lm).
 * se_type       which covariance fills vcov and se (see tfp_ols_se_type):
 *               HC1: sandwich with factor n / (n - k), k = p - nuisance_cols, as R's
 *                 sandwich::vcovHC(type = "HC1") for lm and plm's vcovHC(method = "white1",
 *                 type = "HC1"); absorbed effects (extra_df) are not counted in k, as in
 *                 plm for within models.
 *               CLUSTER: the meat sums the outer products of the cluster scores
 *                 s_g = sum_{i in g} r_i x_i; the factor is chosen by cluster_adj, with G the
 *                 number of non-empty clusters and k = p - nuisance_cols (extra_df is never
 *                 counted: plm's within models count only the slopes).
 * cluster_adj   CLUSTER only: TFP_OLS_CLUSTER_STATA (default) or TFP_OLS_CLUSTER_HC1.
 * cluster       CLUSTER only: n cluster ids in [0, nclusters); borrowed for the call.
 * nclusters     CLUSTER only: the id range, at most the workspace's nmax.
 * refine_steps  maximum number of refinement corrections after the first QR solve (0 gives
 *               the plain Householder solution); default TFP_OLS_REFINE_STEPS.
 * extra_df      parameters absorbed before the fit (the fixed effects a within transformation
 *               removed): df_residual = n - p - extra_df. Affects sigma, classic SEs and
 *               adj_r_squared; not the HC1/cluster factors or the AIC/BIC count.
 * nuisance_cols the first nuisance_cols columns of X are effects fitted explicitly but not
 *               reported (the time dummies of an unbalanced two-way panel model): they count
 *               in p and df_residual, but the HC1 and cluster factors use k = p -
 *               nuisance_cols, as plm counts only the slopes. The sandwich block of the
 *               other columns then equals the one computed from those columns with the
 *               nuisance columns partialled out (Frisch-Waugh-Lovell). The columns of
 *               (X'X)^-1 of nuisance columns are not refined (each costs a refinement, a few
 *               passes over X): their block of xtx_inv and vcov and their se are NaN, and so
 *               are the cross entries of a sandwich vcov. At most p; p gives beta, the
 *               residuals and the sums of squares without any covariance. Default 0.
 * names         optional p column names, borrowed for the call, used only in the message
 *               that names aliased columns; NULL gives "column 3".
 * rank_tol      a column is aliased when the part of it not explained by the earlier
 *               columns has norm <= rank_tol * its own norm; default TFP_OLS_RANK_TOL.
 * block_rows    TSQR row-block height; default TFP_OLS_BLOCK_ROWS. Values below
 *               max(TFP_OLS_MIN_BLOCK_ROWS, p) are raised to it. A tuning and test knob:
 *               results agree for every block height to rounding level.
 * threads       threads a fit of at least TFP_OLS_PARALLEL_MIN_ROWS rows uses: 0 (the
 *               default) = the online processors, 1 = the calling thread only. The rows are
 *               cut into min(blocks, TFP_OLS_GROUPS) groups whatever the number of threads,
 *               so the results are the same, to the bit, for every value.
 * qr_mode       TFP_OLS_QR_AUTO (default), TFP_OLS_QR_LEAN or TFP_OLS_QR_STORED: see
 *               tfp_ols_qr_mode. Results of the two paths agree to rounding level.
 */
/*
 * How the QR factorisation is kept. STORED keeps the Householder reflectors (a copy of X in
 * the workspace) and refines the augmented system (Bjorck 1967): accurate to working
 * precision for every kappa(X D) u < 1. LEAN keeps only R (no copy of X: the workspace is
 * O(n) instead of O(n p)) and refines the corrected seminormal equations with double-double
 * residuals (Bjorck 1987), which converge to the same least-squares solution when kappa u is
 * small; a fit whose kappa u exceeds TFP_OLS_SE_REFINE_KU factors again with STORED. R is
 * the same to the bit either way. AUTO (the default) is LEAN from TFP_OLS_LEAN_MIN_ROWS rows
 * on, STORED below (where the copy costs little).
 */
typedef enum tfp_ols_qr_mode {
    TFP_OLS_QR_AUTO = 0,
    TFP_OLS_QR_LEAN = 1,
    TFP_OLS_QR_STORED = 2
} tfp_ols_qr_mode;

typedef struct tfp_ols_opts {
    int intercept;
    tfp_ols_se_type se_type;
    const uint32_t *cluster;
    size_t nclusters;
    size_t refine_steps;
    size_t extra_df;
    tfp_ols_cluster_adj cluster_adj;
    size_t nuisance_cols;
    const char *const *names;
    double rank_tol;
    size_t block_rows;
    size_t threads;
    tfp_ols_qr_mode qr_mode;
} tfp_ols_opts;

/*
 * Results, allocated by tfp_ols_result_alloc (owned by the caller, freed with
 * tfp_ols_result_free). All arrays are owned by the result. Matrices are row-major p x p.
 * Sums of squares follow R's summary.lm: rss = sum r_i^2; tss = sum (y_i - mean y)^2 with an
 * intercept, sum y_i^2 without; mss likewise from the fitted values; r_squared =
 * mss / (mss + rss); adj_r_squared = 1 - (1 - r_squared) (n - i) / df_residual with i = 1 with
 * an intercept, 0 without. log_lik, aic and bic are R's logLik/AIC/BIC for lm with
 * k = p + 1 parameters: log_lik = -n/2 (log(2 pi) + 1 - log(n) + log(rss)),
 * aic = -2 log_lik + 2k, bic = -2 log_lik + log(n) k. Undefined values (sigma and the classic
 * SEs when df_residual = 0, HC1/cluster SEs when n = p, r_squared when mss + rss = 0) are NaN.
 */
typedef struct tfp_ols_result {
    size_t pmax; /* capacity of beta, se, vcov */
    size_t nmax; /* capacity of residuals (0: residuals not kept) */
    size_t n;
    size_t p;
    double *beta;      /* p coefficients */
    double *se;        /* p standard errors: sqrt(diag(vcov)) */
    double *vcov;      /* p x p covariance of beta, of the requested se_type */
    double *xtx_inv;   /* p x p (X'X)^-1, refined as beta (classic vcov = sigma^2 xtx_inv) */
    double *residuals; /* n residuals y - X beta (refined), or NULL when nmax = 0 */
    double rss;
    double tss;
    double mss;
    double r_squared;
    double adj_r_squared;
    double sigma; /* residual standard error sqrt(rss / df_residual) */
    size_t df_residual;
    double log_lik;
    double aic;
    double bic;
    size_t refine_steps;  /* refinement corrections applied to beta after the first solve */
    int lean;             /* non-zero when the fit took the lean path (tfp_ols_qr_mode) */
    int refine_converged; /* non-zero when the refinement of beta ended at rounding level and
                             (X'X)^-1 needed none (kappa u <= TFP_OLS_SE_REFINE_KU) or each of
                             its columns' did too; zero when one stopped because its
                             corrections no longer shrank (kappa(X) u near 1) or ran out of
                             refine_steps: the results are then only as good as that allows */
} tfp_ols_result;

/* Workspace: opaque; its size depends on nmax and pmax only. */
typedef struct tfp_ols_ws tfp_ols_ws;

/* Sets the defaults: intercept on, classic SEs, no cluster, TFP_OLS_REFINE_STEPS,
 * extra_df 0, TFP_OLS_CLUSTER_STATA, nuisance_cols 0, no names, TFP_OLS_RANK_TOL,
 * TFP_OLS_BLOCK_ROWS, threads 0, TFP_OLS_QR_AUTO. */
void tfp_ols_opts_init(tfp_ols_opts *opts);

/*
 * A workspace for fits of up to nmax rows and pmax columns (1 <= pmax <= nmax). It holds an
 * n-vector (the residuals) and O(p^2) scratch: about 8 nmax (1 + pmax / 8) bytes allocated,
 * of which the lean path (tfp_ols_qr_mode) touches 8 nmax and a fixed 16 x 2 x 4096 x pmax
 * block buffer. The first fit that stores the reflectors adds a copy of X and two more
 * n-vectors, 8 nmax (pmax + 2) bytes (180 MB for nmax = 3e6, pmax = 4), kept for later fits.
 * Returns NULL and fills err (TFP_EINVAL, TFP_ENOMEM) on failure. One workspace per thread;
 * a workspace can be reused for any n <= nmax, p <= pmax.
 */
tfp_ols_ws *tfp_ols_ws_alloc(size_t nmax, size_t pmax, tfp_error *err);
void tfp_ols_ws_free(tfp_ols_ws *w);

/* A result for up to pmax coefficients, keeping up to nmax residuals (nmax = 0: none).
 * Returns NULL and fills err on failure. */
tfp_ols_result *tfp_ols_result_alloc(size_t pmax, size_t nmax, tfp_error *err);
void tfp_ols_result_free(tfp_ols_result *res);

/*
 * Fits y = X beta + e by least squares.
 *
 * Inputs:  X     n x p design, row-major, borrowed (not modified);
 *          y     n responses, borrowed;
 *          opts  options, or NULL for the defaults of tfp_ols_opts_init;
 *          w     a workspace with n <= nmax and p <= pmax (contents overwritten);
 * Output:  res   filled (res->pmax >= p; residuals kept when res->nmax >= n, and
 *                res->nmax must be 0 or >= n).
 * Returns  TFP_OK;
 *          TFP_EINVAL   sizes beyond the workspace or result, p = 0, bad cluster ids,
 *                       nuisance_cols > p, an unknown se_type or cluster_adj;
 *          TFP_EINPUT   a NaN or infinity in X or y (the message gives row and column);
 *          TFP_ENUMERIC n < p, n - p - extra_df < 0, fewer than two clusters, or a
 *                       rank-deficient X: the message names every aliased column (a column
 *                       that is, to rank_tol, a combination of the columns before it, as
 *                       R's lm would set to NA); nothing is dropped silently.
 *
 * Method: Householder QR of row blocks of X, their R factors combined by a flat tree within
 * each of up to TFP_OLS_GROUPS groups of blocks and a flat tree across the groups (TSQR; the
 * groups run in parallel, opts.threads); the same code serves a single block. Then
 * refinement of the augmented system [I X; X' 0][r; beta] = [y; 0] (Bjorck 1967) with both
 * residuals accumulated in double-double (fma), solving the corrections with the stored
 * reflectors; it stops when a correction reaches rounding level, when the next one would (the
 * last two give the rate of convergence), or when they stop shrinking. (X'X)^-1 is R^-1 R^-T,
 * accurate to about kappa u, when kappa u <= TFP_OLS_SE_REFINE_KU (kappa: the 1-norm condition
 * number of the column-equilibrated R, from R^-1); otherwise each of its columns is refined
 * as beta is (right-hand side [0; -e_j]). On the NIST StRD sets beta and the standard errors
 * agree with the certified values to 13.5-15 digits, as far as the double data allow
 * (tests/models/test_ols.c). A well-conditioned X costs one correction, a few passes over X in
 * all (benchmarks/README.md). LAPACK is never called, so tall X is safe (Debian's OpenBLAS
 * 0.3.21 LAPACK least squares fails above ~2.1 million rows). The lean path (tfp_ols_qr_mode)
 * keeps R only and refines the seminormal equations R'R dz = X'(y - X z), the residual in
 * double-double, to the same solution. A fit allocates only the workspace buffers of its path
 * (and cluster scores) the first time the workspace needs them (TFP_ENOMEM if that fails);
 * later fits of no larger size allocate nothing. With more than one thread it starts threads
 * for its passes and joins them before returning.
 */
int tfp_ols_fit(const double *X,
                const double *y,
                size_t n,
                size_t p,
                const tfp_ols_opts *opts,
                tfp_ols_ws *w,
                tfp_ols_result *res,
                tfp_error *err);

#endif /* TFP_OLS_H */
