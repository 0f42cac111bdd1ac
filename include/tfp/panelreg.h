/*
 * models layer: linear panel regressions (pooled OLS; entity fixed effects, "within"; entity
 * and time fixed effects, "twoways"; Swamy-Arora random effects), balanced or not, on top of
 * the least-squares core (ols.h); and the production-function helpers of `tfp fit`: constant
 * returns to scale (CRS) and translog formulas, with elasticities by the delta method.
 * References: Baltagi, Econometric Analysis of Panel Data, 6th ed. (2021), 2.2-2.3, 3.2-3.3,
 * 9.2-9.3; Swamy & Arora, Econometrica 40 (1972); Baltagi & Chang, J. Econometrics 62 (1994)
 * (Swamy-Arora for unbalanced panels); Croissant & Millo, Panel Data Econometrics with R
 * (2019) and R package plm 2.6 (the definitions matched, to 1e-8 relative); Frisch & Waugh,
 * Econometrica 1 (1933) and Lovell, JASA 58 (1963) (partialled-out effects); Christensen,
 * Jorgenson & Lau, Rev. Econ. Stat. 55 (1973) (translog).
 */
#ifndef TFP_PANELREG_H
#define TFP_PANELREG_H

#include <stddef.h>
#include <stdint.h>

#include "tfp/error.h"
#include "tfp/formula.h"
#include "tfp/ols.h"

typedef enum tfp_panelreg_model {
    TFP_PANELREG_POOLING = 0, /* OLS on the data as they are (plm "pooling", R's lm) */
    TFP_PANELREG_WITHIN = 1,  /* unit fixed effects (plm "within", effect "individual") */
    TFP_PANELREG_TWOWAYS = 2, /* unit and time fixed effects (plm "within", "twoways") */
    TFP_PANELREG_RANDOM = 3   /* unit random effects, Swamy-Arora (plm "random", "swar") */
} tfp_panelreg_model;

/*
 * Options. Initialise with tfp_panelreg_opts_init, then change what differs.
 *
 * model        see tfp_panelreg_model.
 * se_type      classic (sigma^2 (X'X)^-1 of the transformed model), HC1 (White, plm's
 *              vcovHC(method = "white1", type = "HC1")) or CLUSTER (by unit, plm's
 *              vcovHC(type = "HC1", cluster = "group") with cluster_adj HC1).
 * cluster_adj  the factor of clustered SEs: TFP_OLS_CLUSTER_HC1 (default, plm: n/(n-k)) or
 *              TFP_OLS_CLUSTER_STATA (G/(G-1) (n-1)/(n-k)). k counts the reported
 *              coefficients: the slopes for within and twoways models, all columns for the
 *              pooled and random models; absorbed effects are never counted (plm).
 * rank_tol     relative tolerance of the rank decisions (see tfp_ols_opts.rank_tol), also
 *              used to decide that a column is absorbed by the effects; default
 *              TFP_OLS_RANK_TOL.
 */
typedef struct tfp_panelreg_opts {
    tfp_panelreg_model model;
    tfp_ols_se_type se_type;
    tfp_ols_cluster_adj cluster_adj;
    double rank_tol;
} tfp_panelreg_opts;

/* Defaults: pooling, classic SEs, TFP_OLS_CLUSTER_HC1, TFP_OLS_RANK_TOL. */
void tfp_panelreg_opts_init(tfp_panelreg_opts *opts);

/*
 * The data of one fit; everything is borrowed for the call. A tfp_design fills the first
 * six fields (tfp_panelreg_data_set).
 *
 * n, p        rows and columns of X (p >= 1);
 * X, y        the design (row-major n x p) and the response, as for tfp_ols_fit;
 * intercept   non-zero when column 0 of X is the intercept (all ones). Within and twoways
 *             models drop it (the effects absorb it); the random model requires it;
 * names       p column names (used in the output and in messages), or NULL;
 * unit        n unit ids in [0, nunits); needed by the within, twoways and random models and
 *             by clustered SEs, else may be NULL. Rows need not be sorted; ids without rows
 *             are allowed and ignored;
 * time        n time ids in [0, ntimes); needed by the twoways model, else may be NULL;
 * time_names  ntimes labels of the time ids ("1975"), for messages about the time effects,
 *             or NULL;
 * overwrite   non-zero when X and y are writable storage the caller no longer needs after
 *             the fit: the within model then demeans them in place (X becomes the n x k
 *             transformed slopes) instead of into a copy, saving n (k + 1) doubles. Zero
 *             (tfp_panelreg_data_set's default) leaves them untouched.
 */
typedef struct tfp_panelreg_data {
    size_t n;
    size_t p;
    const double *X;
    const double *y;
    int intercept;
    const char *const *names;
    const uint32_t *unit;
    size_t nunits;
    const uint32_t *time;
    size_t ntimes;
    const char *const *time_names;
    int overwrite;
} tfp_panelreg_data;

/* Sets n, p, X, y, intercept and names from a design (borrowed); clears the rest. */
void tfp_panelreg_data_set(tfp_panelreg_data *data, const tfp_design *d);

/*
 * Results (tfp_panelreg_result_alloc; owned by the caller; arrays owned by the result).
 *
 * fit holds the reported coefficients and their covariance: fit->p of them, the data's
 * columns col[0..fit->p) (within and twoways models leave out the intercept), named name[j]
 * (borrowed from the data's names; NULL without names). Its statistics are the model's:
 *   n, df_residual  n - fit->p - absorbed: n - p (pooling, random), n - N - k (within),
 *                   n - N - T + 1 - k (twoways), with k the slopes;
 *   rss, sigma      of the transformed model (within, quasi-demeaned), sigma^2 = rss / df;
 *   r_squared       pooling: R's summary.lm; within, twoways: 1 - rss / tss with tss the
 *                   centred sum of squares of the transformed response (the "within R^2");
 *                   random: the squared correlation of the transformed response and its
 *                   fitted values (plm's default; 1 - rss / tss when the panel is balanced);
 *   adj_r_squared   1 - (1 - r_squared) (n - 1) / df_residual (plm; pooling: R's lm);
 *   tss, mss        panel models: the tss of r_squared above and tss - rss;
 *   log_lik         the Gaussian log-likelihood -n/2 (log(2 pi) + 1 - log(n) + log(rss)),
 *                   for within and twoways that of the least-squares dummy-variable model;
 *                   for random the likelihood of the random-effects model at its estimates,
 *                   profiled over the scale at the Swamy-Arora variance ratio: the same
 *                   expression plus sum_i log(1 - theta_i) (the Jacobian of the
 *                   quasi-demeaning);
 *   aic, bic        -2 log_lik + c m with c = 2 or log(n), m the parameters: coefficients +
 *                   absorbed effects + 1 (sigma), and + 2 for random (sigma and the ratio).
 *   xtx_inv         (X~'X~)^-1 of the transformed reported columns.
 * residuals (fit->residuals, n of them) are those of the transformed model (for within and
 * twoways, equal to the dummy-variable regression's).
 *
 * nunits, ntimes  the units (N) and times (T) with at least one row (times only when time
 *                 ids were given);
 * balanced        non-zero when every unit has one row at every time (only known when time
 *                 ids were given; otherwise zero);
 * absorbed        effects absorbed by the transformation: N (within), N + T - 1 (twoways; a
 *                 panel whose units and times form separate groups, where fewer effects
 *                 are identified, is rejected: TFP_ENUMERIC), 0 (pooling, random);
 * sigma2_idios, sigma2_indiv  random: the variance components (sigma^2_nu, sigma^2_eta;
 *                 a negative estimate of sigma^2_eta is set to 0, as plm does); NaN otherwise;
 * theta           random: nunits_cap values theta_i = 1 - sqrt(s2_idios / (s2_idios +
 *                 T_i s2_indiv)) for the unit ids (NaN for ids without rows); NaN otherwise;
 * theta_min, theta_max  the range of theta_i over the units with rows (equal when balanced).
 */
typedef struct tfp_panelreg_result {
    tfp_ols_result *fit;
    size_t *col;
    const char **name;
    tfp_panelreg_model model;
    size_t nunits;
    size_t ntimes;
    int balanced;
    size_t absorbed;
    double sigma2_idios;
    double sigma2_indiv;
    size_t nunits_cap;
    double *theta;
    double theta_min;
    double theta_max;
} tfp_panelreg_result;

/* Workspace: opaque. */
typedef struct tfp_panelreg_ws tfp_panelreg_ws;

/*
 * A workspace for fits of up to nmax rows, pmax columns, unit ids below nunits and time ids
 * below ntimes (0 when no model will use them). It holds an OLS workspace for nmax x
 * (pmax + ntimes) fits, compact unit ids (nmax) and O((nunits + ntimes) pmax) more. The
 * transformed copy of the data (nmax x the model's columns: the slopes, for an unbalanced
 * two-way model also the time effects as explicit columns) is allocated by the first fit
 * that needs one (none for pooling, nor for within with tfp_panelreg_data.overwrite).
 * Returns NULL and fills err (TFP_EINVAL, TFP_ENOMEM) on failure.
 */
tfp_panelreg_ws *
tfp_panelreg_ws_alloc(size_t nmax, size_t pmax, size_t nunits, size_t ntimes, tfp_error *err);
void tfp_panelreg_ws_free(tfp_panelreg_ws *w);

/* A result for up to pmax coefficients, nmax residuals and nunits unit ids. NULL and err on
 * failure. */
tfp_panelreg_result *
tfp_panelreg_result_alloc(size_t pmax, size_t nmax, size_t nunits, tfp_error *err);
void tfp_panelreg_result_free(tfp_panelreg_result *res);

/*
 * Fits a panel model.
 *
 * Inputs:  data  the data (borrowed; see tfp_panelreg_data);
 *          opts  options, or NULL for the defaults;
 *          w     a workspace large enough for the data (contents overwritten).
 * Output:  res   filled (see tfp_panelreg_result).
 * Returns  TFP_OK;
 *          TFP_EINVAL   sizes beyond the workspace or the result, missing unit ids (within,
 *                       twoways, random, clustered SEs) or time ids (twoways), ids out of
 *                       range, a random model without an intercept;
 *          TFP_EINPUT   a NaN or infinity in X or y;
 *          TFP_ENUMERIC no residual degrees of freedom; too few units for the random
 *                       model's between regression (N <= p); fewer than two clusters; a
 *                       column absorbed by the effects ("term \"year\" does not vary within
 *                       units: ..."); a rank-deficient design (the message names the
 *                       aliased columns). Nothing is dropped silently.
 *
 * Methods (k slopes, N units with T_i rows each, n rows):
 * - within: each column and y minus its unit mean (accumulated in double-double), then OLS
 *   with df_residual = n - N - k;
 * - twoways, balanced: x - unit mean - time mean + grand mean, df_residual = n - N - T + 1 - k;
 *   unbalanced: the unit-demeaned time dummies (all times but the first) enter as explicit
 *   columns before the slopes; by Frisch-Waugh-Lovell the slopes, their classic, HC1 and
 *   clustered covariances (with k = the slopes in the factors) and the residuals are those of
 *   the exact two-way within estimator (the dummy-variable regression), not an iterative
 *   approximation. The tss of the within R^2 comes from a second regression of the
 *   unit-demeaned y on those dummies;
 * - random: Swamy-Arora with the Baltagi-Chang denominators (the textbook ones when
 *   balanced): s2_idios = rss_within / (n - N - K), K the slopes left after demeaning;
 *   the between regression of the unit means, weighted by T_i, gives q_B = sum T_i e_i^2 and
 *   s2_indiv = (q_B - (N - K' - 1) s2_idios) / (n - tr[(sum T_i zbar_i zbar_i')^-1
 *   sum T_i^2 zbar_i zbar_i']) (K' = p - 1); then OLS of y - theta_i ybar_i on
 *   z - theta_i zbar_i.
 */
int tfp_panelreg_fit(const tfp_panelreg_data *data,
                     const tfp_panelreg_opts *opts,
                     tfp_panelreg_ws *w,
                     tfp_panelreg_result *res,
                     tfp_error *err);

/*
 * A linear combination of the coefficients: *estimate = c0 + sum_j g[j] beta_j and
 * *std_error = sqrt(g' V g), V = res->fit->vcov (the delta method for a linear function;
 * exact). g has res->fit->p entries.
 */
void tfp_panelreg_lincomb_get(const tfp_panelreg_result *res,
                              double c0,
                              const double *g,
                              double *estimate,
                              double *std_error);

/* The index of the reported coefficient named name, or SIZE_MAX. */
size_t tfp_panelreg_coef_get(const tfp_panelreg_result *res, const char *name);

/* ---- production-function helpers --------------------------------------------------------- */

/* A derived quantity: "elasticity(log(capital))", "returns_to_scale". */
typedef struct tfp_panelreg_derived {
    char term[200];
    double estimate;
    double std_error;
} tfp_panelreg_derived;

/* The terms of a CRS formula (tfp_panelreg_crs_alloc). */
typedef struct tfp_panelreg_crs {
    char ratio_term[160];  /* the regressor log(K/L): "log(capital/labour)" */
    char labour_term[160]; /* the original formula's labour term: "log(labour)" */
} tfp_panelreg_crs;

/*
 * Constant returns to scale: from "log(Y) ~ log(K) + log(L) + other terms" makes
 * "log(Y/L) ~ log(K/L) + other terms" (the intercept as in f). capital and labour are names
 * of variables of f (tfp_formula_var); f must have the terms log(capital) and log(labour)
 * and a response log(Y).
 * Output:  *out  a new formula (free with tfp_formula_free);
 *          crs   the names of the terms (may be NULL).
 * Returns  TFP_OK; TFP_EINVAL with a message naming what is missing; TFP_ENOMEM.
 */
int tfp_panelreg_crs_alloc(const tfp_formula *f,
                           const char *capital,
                           const char *labour,
                           tfp_formula **out,
                           tfp_panelreg_crs *crs,
                           tfp_error *err);

/*
 * Translog: adds to f's terms the square of every term log(v) of a variable v (the "log
 * inputs", at least one) and the products of every pair: "log(Y) ~ log(K) + log(L) + t" gives
 * "log(Y) ~ log(K) + log(L) + t + I(log(K)^2) + I(log(L)^2) + log(K):log(L)". Terms already
 * present are kept once. Output and returns as tfp_panelreg_crs_alloc.
 */
int tfp_panelreg_translog_alloc(const tfp_formula *f, tfp_formula **out, tfp_error *err);

/*
 * The labour elasticity of a CRS fit, 1 minus the coefficient of crs->ratio_term, with the
 * same standard error, named "elasticity(" labour_term ")". TFP_EINVAL when res has no such
 * coefficient.
 */
int tfp_panelreg_crs_get(const tfp_panelreg_result *res,
                         const tfp_panelreg_crs *crs,
                         tfp_panelreg_derived *out,
                         tfp_error *err);

/* The most coefficients a translog fit may have for tfp_panelreg_translog_get (10 inputs
 * with their squares and products, and other terms, fit comfortably). */
#define TFP_PANELREG_TRANSLOG_PMAX 256

/*
 * Output elasticities of a translog at the sample means of the log inputs. The inputs are
 * the reported coefficients "log(v)" whose square "I(log(v)^2)" is also reported; the
 * elasticity of input j at the means m (of the data's columns, over the fitted rows) is
 * e_j = b_j + 2 b_jj m_j + sum_{k != j} b_jk m_k (a cross product not in the model counts
 * as 0), its standard error sqrt(g' V g) with g the gradient (exact for this linear
 * function of beta). Writes one entry per input, "elasticity(log(v))", then
 * "returns_to_scale" (the sum), into out (capacity cap), their number into *nout.
 * Returns TFP_OK; TFP_EINVAL when no input is found, cap is too small or the fit has more
 * than TFP_PANELREG_TRANSLOG_PMAX coefficients.
 */
int tfp_panelreg_translog_get(const tfp_panelreg_data *data,
                              const tfp_panelreg_result *res,
                              tfp_panelreg_derived *out,
                              size_t cap,
                              size_t *nout,
                              tfp_error *err);

#endif /* TFP_PANELREG_H */
