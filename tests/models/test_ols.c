/*
 * models layer: least squares (src/models/ols.c) against the NIST StRD certified values,
 * error paths, HC1 and cluster sandwiches, TSQR blocking, 3e6 rows, out-of-memory.
 * References: NIST StRD linear regression (datasets/nist/PROVENANCE.md); McCullough,
 * "Assessing the reliability of statistical software", Am. Stat. 52 (1998) (LRE);
 * White, Econometrica 48 (1980) (HC); Cameron & Miller, J. Human Resources 50 (2015) (CR1).
 *
 * Measured LRE (correct significant digits, capped at 15; minimum over all coefficients,
 * and over all standard errors), design powers rounded once, GCC 12 / x86-64:
 *
 *   dataset   coef   se     sigma  R^2    bar    plain QR (refine_steps = 0): coef / se
 *   Norris    14.06  13.92  14.03  15.00  13.6   12.47 / 13.99
 *   Pontius   13.51  13.75  13.78  15.00  13.0   12.29 / 12.61
 *   Filip      7.61   7.63   9.57  11.75   7.1    7.04 /  7.10
 *   Longley   14.62  14.89  15.00  15.00  14.5   13.05 / 13.96
 *   Wampler1  15.00  15.00  15.00  15.00  14.5    8.94 /  9.81
 *
 * kappa u of the column-equilibrated R (ols.c, invert_r): Norris 4.4e-16, Pontius 3.0e-15,
 * Wampler1 3.8e-13, Longley 3.7e-12, Filip 8.7e-7. Norris's and Pontius's (X'X)^-1 is
 * R^-1 R^-T (below TFP_OLS_SE_REFINE_KU = 1e-12); the other three have it refined column by
 * column. The plain-QR column changed in its last digits when the Householder norms stopped
 * scaling by the column maximum (same accuracy, other rounding).
 *
 * These are the ceilings the double data allow: the exact rational least-squares solution of
 * the same double design (scripts/reference/ols_exact_gmp.c, GMP, not part of this suite)
 * scores the same, and the refined fit agrees with it to LRE 15 in every coefficient and
 * standard error on all five sets. Longley's 14.62 lies within the rounding of the 15-digit
 * certified value -2.02022980381683 itself. (With powers by plain repeated multiplication,
 * Filip's design changes and scores 7.90 / 8.65.)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/error.h"
#include "tfp/ols.h"
#include "tfp_test.h"

TestSuite(ols, .init = quiet_gsl);

/* ---- NIST files ------------------------------------------------------------------------- */

#define NIST_MAXN 128
#define NIST_MAXP 12

/* Reads a header line and rows of numbers (strtod) from datasets/nist/<name>.csv into v;
 * returns the number of rows, the number of columns in *ncol. */
static size_t
read_nist_csv(const char *name, double *v, size_t cap, size_t *ncol)
{
    char rel[128], line[1024];
    size_t n = 0, k = 0, nc = 1, j;
    FILE *fp;
    snprintf(rel, sizeof rel, "datasets/nist/%s.csv", name);
    fp = fopen(tfp_test_path(rel), "r");
    cr_assert_not_null(fp, "cannot open %s", rel);
    cr_assert_not_null(fgets(line, sizeof line, fp));
    for (j = 0; line[j] != '\0'; j++)
        nc += line[j] == ',';
    while (fgets(line, sizeof line, fp) != NULL) {
        char *s = line, *end;
        if (line[0] == '\n' || line[0] == '\r')
            continue;
        for (j = 0; j < nc; j++) {
            cr_assert_lt(k, cap);
            v[k++] = strtod(s, &end);
            cr_assert_neq(end, s, "%s: bad number in row %zu", rel, n + 1);
            s = end + (*end == ',');
        }
        n++;
    }
    fclose(fp);
    *ncol = nc;
    return n;
}

/* Reads datasets/nist/<name>.certified.json into a static buffer. */
static const char *
read_nist_json(const char *name)
{
    static char text[16384];
    char rel[128];
    size_t len;
    FILE *fp;
    snprintf(rel, sizeof rel, "datasets/nist/%s.certified.json", name);
    fp = fopen(tfp_test_path(rel), "r");
    cr_assert_not_null(fp, "cannot open %s", rel);
    len = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    text[len] = '\0';
    return text;
}

/*
 * The exact decimal strings of a key (a string or an array of strings), after the first
 * occurrence of anchor (NULL: from the start), each parsed with strtod: "coef_str",
 * "se_str", "residual_sd_str", "r_squared_str". Returns the count.
 */
static size_t
json_strings(const char *json, const char *anchor, const char *key, double *out, size_t cap)
{
    char pat[64];
    const char *s = anchor != NULL ? strstr(json, anchor) : json;
    size_t k = 0;
    cr_assert_not_null(s);
    snprintf(pat, sizeof pat, "\"%s\"", key);
    s = strstr(s, pat);
    cr_assert_not_null(s, "no key %s", key);
    s += strlen(pat);
    while (*s == ' ' || *s == ':')
        s++;
    if (*s == '"') {
        out[0] = strtod(s + 1, NULL);
        return 1;
    }
    cr_assert_eq(*s, '[');
    for (;;) {
        while (*s != '\0' && *s != '"' && *s != ']')
            s++;
        if (*s != '"')
            break;
        cr_assert_lt(k, cap);
        out[k++] = strtod(s + 1, NULL);
        s = strchr(s + 1, '"');
        cr_assert_not_null(s);
        s++;
    }
    return k;
}

/* LRE as in datasets/nist/PROVENANCE.md: -log10(|x - c| / |c|), or -log10|x - c| when
 * c = 0, capped at 15 (and at 0 below). */
static double
lre(double got, double want)
{
    double d = fabs(got - want), l;
    if (isnan(got))
        return 0.0;
    if (d == 0.0)
        return 15.0;
    l = want == 0.0 ? -log10(d) : -log10(d / fabs(want));
    return l > 15.0 ? 15.0 : (l < 0.0 ? 0.0 : l);
}

/* x^k rounded once: repeated multiplication carried in double-double (fma), so that the
 * design does not depend on the libm's pow. */
static double
power_once(double x, int k)
{
    double hi = 1.0, lo = 0.0;
    int i;
    for (i = 0; i < k; i++) {
        double p = hi * x, e = fma(hi, x, -p) + lo * x;
        hi = p + e;
        lo = e - (hi - p);
    }
    return hi;
}

typedef struct nist_fit {
    double coef;  /* minimum LRE over the coefficients */
    double se;    /* minimum LRE over the standard errors */
    double sigma; /* LRE of the residual SD */
    double r2;    /* LRE of R-squared */
    int lean;     /* the fit took the lean path */
} nist_fit;

/*
 * Fits a NIST set: degree > 0 builds 1, x, ..., x^degree from the single x column; degree 0
 * uses the columns as given, after an intercept. The certified coefficients fix p.
 */
static nist_fit
fit_nist_mode(const char *name, int degree, size_t refine_steps, tfp_ols_qr_mode mode)
{
    static double v[NIST_MAXN * (NIST_MAXP + 1)], X[NIST_MAXN * NIST_MAXP], y[NIST_MAXN];
    double coef[NIST_MAXP], se[NIST_MAXP], sd, r2;
    const char *json = read_nist_json(name);
    size_t nc, n = read_nist_csv(name, v, sizeof v / sizeof v[0], &nc), p, i, j;
    tfp_ols_opts opts;
    tfp_ols_ws *w;
    tfp_ols_result *res;
    tfp_error err;
    nist_fit out = {15.0, 15.0, 15.0, 15.0, 0};

    p = json_strings(json, NULL, "coef_str", coef, NIST_MAXP);
    cr_assert_eq(json_strings(json, NULL, "se_str", se, NIST_MAXP), p);
    json_strings(json, NULL, "residual_sd_str", &sd, 1);
    json_strings(json, NULL, "r_squared_str", &r2, 1);
    cr_assert_eq(degree > 0 ? (size_t)degree + 1 : nc, p);
    for (i = 0; i < n; i++) {
        y[i] = v[i * nc + nc - 1];
        X[i * p] = 1.0;
        for (j = 1; j < p; j++)
            X[i * p + j] = degree > 0 ? power_once(v[i * nc], (int)j) : v[i * nc + j - 1];
    }
    tfp_error_init(&err);
    w = tfp_ols_ws_alloc(n, p, &err);
    res = tfp_ols_result_alloc(p, 0, &err);
    cr_assert_not_null(w);
    cr_assert_not_null(res);
    tfp_ols_opts_init(&opts);
    opts.refine_steps = refine_steps;
    opts.qr_mode = mode;
    cr_assert_eq(tfp_ols_fit(X, y, n, p, &opts, w, res, &err), TFP_OK, "%s: %s", name, err.msg);
    out.lean = res->lean;
    for (j = 0; j < p; j++) {
        out.coef = fmin(out.coef, lre(res->beta[j], coef[j]));
        out.se = fmin(out.se, lre(res->se[j], se[j]));
    }
    out.sigma = lre(res->sigma, sd);
    out.r2 = lre(res->r_squared, r2);
    cr_log_info("%s: LRE coef %.4f se %.4f sigma %.2f R2 %.2f (refinement steps %zu, %s)", name,
                out.coef, out.se, out.sigma, out.r2, res->refine_steps,
                res->lean ? "lean" : "stored");
    tfp_ols_result_free(res);
    tfp_ols_ws_free(w);
    return out;
}

static nist_fit
fit_nist(const char *name, int degree, size_t refine_steps)
{
    return fit_nist_mode(name, degree, refine_steps, TFP_OLS_QR_AUTO);
}

#define assert_lre(got, bar, what)                                                                 \
    cr_assert((got) >= (bar), "%s: LRE %.2f below the bar %.2f", (what), (got), (bar))

/* Bars: the requirement's (issue 3) for coefficients and SEs; for sigma and R^2 the measured
 * value less about half a digit. */
Test(ols, norris_matches_nist_certified)
{
    nist_fit f = fit_nist("Norris", 1, TFP_OLS_REFINE_STEPS);
    assert_lre(f.coef, 13.6, "coef");
    assert_lre(f.se, 13.6, "se");
    assert_lre(f.sigma, 13.5, "sigma");
    assert_lre(f.r2, 14.5, "R^2");
}

Test(ols, pontius_matches_nist_certified)
{
    nist_fit f = fit_nist("Pontius", 2, TFP_OLS_REFINE_STEPS);
    assert_lre(f.coef, 13.0, "coef");
    assert_lre(f.se, 13.0, "se");
    assert_lre(f.sigma, 13.0, "sigma");
    assert_lre(f.r2, 14.5, "R^2");
}

Test(ols, filip_matches_nist_certified)
{
    nist_fit f = fit_nist("Filip", 10, TFP_OLS_REFINE_STEPS);
    assert_lre(f.coef, 7.1, "coef");
    assert_lre(f.se, 7.1, "se");
    assert_lre(f.sigma, 9.0, "sigma");
    assert_lre(f.r2, 11.0, "R^2");
}

Test(ols, longley_matches_nist_certified)
{
    nist_fit f = fit_nist("Longley", 0, TFP_OLS_REFINE_STEPS);
    assert_lre(f.coef, 14.5, "coef");
    assert_lre(f.se, 14.5, "se");
    assert_lre(f.sigma, 14.5, "sigma");
    assert_lre(f.r2, 14.5, "R^2");
}

Test(ols, wampler1_exact_fit_matches_nist_certified)
{
    nist_fit f = fit_nist("Wampler1", 5, TFP_OLS_REFINE_STEPS);
    assert_lre(f.coef, 14.5, "coef");
    assert_lre(f.se, 14.5, "se (certified 0)");
    assert_lre(f.sigma, 14.5, "sigma (certified 0)");
    assert_lre(f.r2, 14.5, "R^2");
}

/*
 * The lean path (R only, seminormal refinement with double-double residuals) forced on the
 * five sets: the same bars. Norris, Pontius and Wampler1 (its exact fit included) have kappa u
 * below TFP_OLS_SE_REFINE_KU and stay on it; Filip and Longley exceed it and must fall back to
 * the stored reflectors (the seminormal iteration would contract too slowly or not at all).
 */
Test(ols, lean_path_meets_the_same_nist_bars_or_falls_back)
{
    nist_fit f = fit_nist_mode("Norris", 1, TFP_OLS_REFINE_STEPS, TFP_OLS_QR_LEAN);
    cr_assert(f.lean);
    assert_lre(f.coef, 13.6, "Norris coef");
    assert_lre(f.se, 13.6, "Norris se");
    assert_lre(f.sigma, 13.5, "Norris sigma");
    f = fit_nist_mode("Pontius", 2, TFP_OLS_REFINE_STEPS, TFP_OLS_QR_LEAN);
    cr_assert(f.lean);
    assert_lre(f.coef, 13.0, "Pontius coef");
    assert_lre(f.se, 13.0, "Pontius se");
    assert_lre(f.sigma, 13.0, "Pontius sigma");
    f = fit_nist_mode("Filip", 10, TFP_OLS_REFINE_STEPS, TFP_OLS_QR_LEAN);
    cr_assert(!f.lean);
    assert_lre(f.coef, 7.1, "Filip coef");
    assert_lre(f.se, 7.1, "Filip se");
    f = fit_nist_mode("Longley", 0, TFP_OLS_REFINE_STEPS, TFP_OLS_QR_LEAN);
    cr_assert(!f.lean);
    assert_lre(f.coef, 14.5, "Longley coef");
    assert_lre(f.se, 14.5, "Longley se");
    f = fit_nist_mode("Wampler1", 5, TFP_OLS_REFINE_STEPS, TFP_OLS_QR_LEAN);
    cr_assert(f.lean);
    assert_lre(f.coef, 14.5, "Wampler1 coef");
    assert_lre(f.se, 14.5, "Wampler1 se");
}

/* The plain Householder solution (refine_steps = 0) is what GSL's QR delivers: Wampler1's
 * 9 digits, and Filip below the bar in its coefficients or SEs; the refinement is what meets
 * the requirement (and gains half a digit on Filip). */
Test(ols, refinement_recovers_what_plain_qr_loses)
{
    nist_fit plain = fit_nist("Wampler1", 5, 0), refined = fit_nist("Wampler1", 5, 10);
    cr_assert_lt(plain.coef, 12.0);
    assert_lre(refined.coef, 14.5, "refined coef");
    plain = fit_nist("Filip", 10, 0);
    refined = fit_nist("Filip", 10, 10);
    cr_assert_lt(fmin(plain.coef, plain.se), 7.1);
    cr_assert_gt(fmin(refined.coef, refined.se), fmin(plain.coef, plain.se) + 0.4);
}

/* logLik, AIC and BIC by R's formulas for lm (k = p + 1) evaluated at Longley's certified
 * residual sum of squares. */
Test(ols, loglik_aic_bic_follow_r_lm)
{
    static double v[NIST_MAXN * 8], X[NIST_MAXN * 7], y[NIST_MAXN];
    const char *json = read_nist_json("Longley");
    double rss, ll, n;
    size_t nc, rows = read_nist_csv("Longley", v, sizeof v / sizeof v[0], &nc), i, j;
    tfp_ols_ws *w = tfp_ols_ws_alloc(rows, 7, NULL);
    tfp_ols_result *res = tfp_ols_result_alloc(7, 0, NULL);
    json_strings(json, "\"residual\"", "ss", &rss, 1);
    for (i = 0; i < rows; i++) {
        y[i] = v[i * nc + 6];
        X[i * 7] = 1.0;
        for (j = 1; j < 7; j++)
            X[i * 7 + j] = v[i * nc + j - 1];
    }
    cr_assert_eq(tfp_ols_fit(X, y, rows, 7, NULL, w, res, NULL), TFP_OK);
    n = (double)rows;
    ll = -0.5 * n * (log(2.0 * 3.14159265358979323846) + 1.0 - log(n) + log(rss));
    tfp_test_rel(res->rss, rss, 1e-13);
    tfp_test_rel(res->log_lik, ll, 1e-13);
    tfp_test_rel(res->aic, -2.0 * ll + 2.0 * 8.0, 1e-13);
    tfp_test_rel(res->bic, -2.0 * ll + log(n) * 8.0, 1e-13);
    cr_assert_eq(res->df_residual, 9);
    tfp_ols_result_free(res);
    tfp_ols_ws_free(w);
}

/* ---- errors ----------------------------------------------------------------------------- */

/* A small design with high-entropy values: 1, x1, x2 (and room for more columns). */
static const double x1_data[12] = {2.385, 3.117, 4.902, 1.733, 6.281, 5.514,
                                   7.046, 2.871, 8.339, 4.127, 9.652, 3.498};
static const double x2_data[12] = {0.913,  -1.274, 2.608, 0.337,  -0.752, 1.891,
                                   -2.143, 1.462,  0.218, -0.965, 2.774,  -1.581};
static const double y_data[12] = {4.711, 3.902, 9.287,  3.556, 7.013,  9.404,
                                  6.118, 6.921, 10.742, 4.385, 15.227, 3.064};

Test(ols, duplicate_column_is_named_as_aliased)
{
    double X[12 * 4];
    const char *names[4] = {"(Intercept)", "log_K", "log_L", "log_K_copy"};
    tfp_ols_opts opts;
    tfp_ols_ws *w = tfp_ols_ws_alloc(12, 4, NULL);
    tfp_ols_result *res = tfp_ols_result_alloc(4, 0, NULL);
    tfp_error err;
    size_t i;
    for (i = 0; i < 12; i++) {
        X[i * 4] = 1.0;
        X[i * 4 + 1] = x1_data[i];
        X[i * 4 + 2] = x2_data[i];
        X[i * 4 + 3] = x1_data[i];
    }
    tfp_ols_opts_init(&opts);
    opts.names = names;
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 4, &opts, w, res, &err), TFP_ENUMERIC);
    cr_assert_eq(err.code, TFP_ENUMERIC);
    cr_assert_not_null(strstr(err.msg, "rank 3 < 4"), "%s", err.msg);
    cr_assert_not_null(strstr(err.msg, "column \"log_K_copy\" (4) is a linear combination"), "%s",
                       err.msg);
    cr_assert_null(strstr(err.msg, "\"log_L\""), "%s", err.msg);
    tfp_ols_result_free(res);
    tfp_ols_ws_free(w);
}

/* A combination that is exact only up to the rounding of building it, and a zero column,
 * are both aliased; without names the columns are numbered. */
Test(ols, combination_and_zero_column_are_aliased)
{
    double X[12 * 5];
    tfp_ols_ws *w = tfp_ols_ws_alloc(12, 5, NULL);
    tfp_ols_result *res = tfp_ols_result_alloc(5, 0, NULL);
    tfp_error err;
    size_t i;
    for (i = 0; i < 12; i++) {
        X[i * 5] = 1.0;
        X[i * 5 + 1] = x1_data[i];
        X[i * 5 + 2] = 0.0;
        X[i * 5 + 3] = x2_data[i];
        X[i * 5 + 4] = 2.1 + 0.3 * x1_data[i] - 1.7 * x2_data[i];
    }
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 5, NULL, w, res, &err), TFP_ENUMERIC);
    cr_assert_str_eq(err.msg, "design matrix has rank 3 < 5: columns 3, 5 are linear "
                              "combinations of earlier columns (aliased)");
    tfp_ols_result_free(res);
    tfp_ols_ws_free(w);
}

Test(ols, fewer_rows_than_columns_is_numeric_error)
{
    double X[3 * 4] = {1, 2.385, 0.913, 5.1, 1, 3.117, -1.274, 2.2, 1, 4.902, 2.608, 7.3};
    tfp_ols_ws *w = tfp_ols_ws_alloc(10, 4, NULL);
    tfp_ols_result *res = tfp_ols_result_alloc(4, 0, NULL);
    tfp_error err;
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(X, y_data, 3, 4, NULL, w, res, &err), TFP_ENUMERIC);
    cr_assert_not_null(strstr(err.msg, "n = 3"), "%s", err.msg);
    cr_assert_not_null(strstr(err.msg, "p = 4"), "%s", err.msg);
    tfp_ols_result_free(res);
    tfp_ols_ws_free(w);
}

Test(ols, absorbed_parameters_beyond_the_data_are_numeric_error)
{
    double X[12 * 2];
    tfp_ols_opts opts;
    tfp_ols_ws *w = tfp_ols_ws_alloc(12, 2, NULL);
    tfp_ols_result *res = tfp_ols_result_alloc(2, 0, NULL);
    tfp_error err;
    size_t i;
    for (i = 0; i < 12; i++) {
        X[i * 2] = 1.0;
        X[i * 2 + 1] = x1_data[i];
    }
    tfp_ols_opts_init(&opts);
    opts.extra_df = 11;
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 2, &opts, w, res, &err), TFP_ENUMERIC);
    cr_assert_not_null(strstr(err.msg, "degrees of freedom"), "%s", err.msg);
    tfp_ols_result_free(res);
    tfp_ols_ws_free(w);
}

Test(ols, nan_in_design_is_input_error_with_position)
{
    double X[12 * 2], y[12];
    const char *names[2] = {"(Intercept)", "log_K"};
    tfp_ols_opts opts;
    tfp_ols_ws *w = tfp_ols_ws_alloc(12, 2, NULL);
    tfp_ols_result *res = tfp_ols_result_alloc(2, 0, NULL);
    tfp_error err;
    size_t i;
    for (i = 0; i < 12; i++) {
        X[i * 2] = 1.0;
        X[i * 2 + 1] = x1_data[i];
        y[i] = y_data[i];
    }
    X[6 * 2 + 1] = NAN;
    tfp_ols_opts_init(&opts);
    opts.names = names;
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(X, y, 12, 2, &opts, w, res, &err), TFP_EINPUT);
    cr_assert_str_eq(err.msg, "non-finite value in X at row 7, column \"log_K\" (2)");
    X[6 * 2 + 1] = 1.0;
    y[11] = INFINITY;
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(X, y, 12, 2, &opts, w, res, &err), TFP_EINPUT);
    cr_assert_str_eq(err.msg, "non-finite value in y at row 12");
    tfp_ols_result_free(res);
    tfp_ols_ws_free(w);
}

Test(ols, sizes_beyond_workspace_or_result_are_invalid)
{
    double X[12 * 3];
    tfp_ols_ws *w = tfp_ols_ws_alloc(10, 3, NULL);
    tfp_ols_result *small = tfp_ols_result_alloc(2, 0, NULL);
    tfp_ols_result *res = tfp_ols_result_alloc(3, 5, NULL);
    tfp_error err;
    size_t i;
    for (i = 0; i < 12 * 3; i++)
        X[i] = x1_data[i % 12] + (double)(i % 3);
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 3, NULL, w, res, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "workspace"), "%s", err.msg);
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(X, y_data, 10, 3, NULL, w, small, &err), TFP_EINVAL);
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(X, y_data, 10, 3, NULL, w, res, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "result"), "%s", err.msg);
    cr_assert_null(tfp_ols_ws_alloc(3, 4, NULL));
    tfp_ols_result_free(small);
    tfp_ols_result_free(res);
    tfp_ols_ws_free(w);
}

/* ---- an independent long-double reference --------------------------------------------------- */

/* Inverts the p x p matrix A (row-major) into B by Gauss-Jordan with partial pivoting. */
static void
ld_invert(const long double *A, long double *B, size_t p)
{
    long double M[8][16];
    size_t i, j, k;
    cr_assert_leq(p, 8);
    for (i = 0; i < p; i++)
        for (j = 0; j < 2 * p; j++)
            M[i][j] = j < p ? A[i * p + j] : (j - p == i ? 1.0L : 0.0L);
    for (k = 0; k < p; k++) {
        size_t piv = k;
        for (i = k + 1; i < p; i++)
            if (fabsl(M[i][k]) > fabsl(M[piv][k]))
                piv = i;
        for (j = 0; j < 2 * p; j++) {
            long double t = M[k][j];
            M[k][j] = M[piv][j];
            M[piv][j] = t;
        }
        for (j = 0; j < 2 * p; j++)
            if (j != k)
                M[k][j] /= M[k][k];
        M[k][k] = 1.0L;
        for (i = 0; i < p; i++)
            if (i != k && M[i][k] != 0.0L) {
                long double m = M[i][k];
                for (j = 0; j < 2 * p; j++)
                    M[i][j] -= m * M[k][j];
            }
    }
    for (i = 0; i < p; i++)
        for (j = 0; j < p; j++)
            B[i * p + j] = M[i][p + j];
}

/*
 * The textbook formulas in long double (64-bit mantissa), independent of the library:
 * beta = (X'X)^-1 X'y; r = y - X beta; classic V = s^2 (X'X)^-1; HC1 V = n/(n-p) (X'X)^-1
 * [sum r_i^2 x_i x_i'] (X'X)^-1 (White 1980, MacKinnon & White 1985); cluster V =
 * c (X'X)^-1 [sum_g s_g s_g'] (X'X)^-1, s_g = sum_{i in g} r_i x_i, with Stata's factor
 * c = G/(G-1) (n-1)/(n-p) (Cameron & Miller 2015, CR1), G the non-empty clusters, or plm's
 * HC1 factor c = n/(n-p) when adj is TFP_OLS_CLUSTER_HC1. Gi receives (X'X)^-1.
 * For the well-conditioned designs used here the normal equations in long double are
 * accurate to about 1e-17.
 */
static void
ld_reference(const double *X,
             const double *y,
             size_t n,
             size_t p,
             tfp_ols_se_type type,
             const uint32_t *cl,
             size_t ncl,
             tfp_ols_cluster_adj adj,
             double *beta,
             double *V,
             double *Ginv)
{
    long double G[64], Gi[64], b[8], M[64], sc[16][8], r, rss = 0.0L, f;
    size_t i, j, k, g, ng = 0;
    int seen[16] = {0};
    memset(G, 0, sizeof G);
    memset(M, 0, sizeof M);
    memset(sc, 0, sizeof sc);
    for (j = 0; j < p; j++) {
        long double t = 0.0L;
        for (i = 0; i < n; i++)
            t += (long double)X[i * p + j] * y[i];
        b[j] = t;
        for (k = 0; k < p; k++) {
            long double s = 0.0L;
            for (i = 0; i < n; i++)
                s += (long double)X[i * p + j] * X[i * p + k];
            G[j * p + k] = s;
        }
    }
    ld_invert(G, Gi, p);
    if (Ginv != NULL)
        for (j = 0; j < p * p; j++)
            Ginv[j] = (double)Gi[j];
    for (j = 0; j < p; j++) {
        long double t = 0.0L;
        for (k = 0; k < p; k++)
            t += Gi[j * p + k] * b[k];
        beta[j] = (double)t;
    }
    for (i = 0; i < n; i++) {
        r = y[i];
        for (j = 0; j < p; j++)
            r -= (long double)X[i * p + j] * beta[j];
        rss += r * r;
        for (j = 0; j < p; j++) {
            for (k = 0; k < p; k++)
                M[j * p + k] += r * r * X[i * p + j] * X[i * p + k];
            if (cl != NULL)
                sc[cl[i]][j] += r * X[i * p + j];
        }
        if (cl != NULL)
            seen[cl[i]] = 1;
    }
    if (type == TFP_OLS_SE_CLUSTER) {
        memset(M, 0, sizeof M);
        for (g = 0; g < ncl; g++) {
            ng += (size_t)seen[g];
            for (j = 0; j < p; j++)
                for (k = 0; k < p; k++)
                    M[j * p + k] += sc[g][j] * sc[g][k];
        }
        f = adj == TFP_OLS_CLUSTER_HC1 ? (long double)n / (long double)(n - p)
                                       : ((long double)ng / (long double)(ng - 1)) *
                                             ((long double)(n - 1) / (long double)(n - p));
    } else {
        f = (long double)n / (long double)(n - p);
    }
    for (j = 0; j < p; j++)
        for (k = 0; k < p; k++) {
            long double t = 0.0L;
            size_t a, c;
            if (type == TFP_OLS_SE_CLASSIC) {
                V[j * p + k] = (double)(rss / (long double)(n - p) * Gi[j * p + k]);
                continue;
            }
            for (a = 0; a < p; a++)
                for (c = 0; c < p; c++)
                    t += Gi[j * p + a] * M[a * p + c] * Gi[c * p + k];
            V[j * p + k] = (double)(f * t);
        }
}

static void
small_design(double *X)
{
    size_t i;
    for (i = 0; i < 12; i++) {
        X[i * 3] = 1.0;
        X[i * 3 + 1] = x1_data[i];
        X[i * 3 + 2] = x2_data[i];
    }
}

Test(ols, invalid_arguments_are_rejected)
{
    static const uint32_t cl[12] = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2};
    double X[36];
    tfp_ols_opts opts;
    tfp_ols_ws *w = tfp_ols_ws_alloc(12, 3, NULL);
    tfp_ols_result *res = tfp_ols_result_alloc(3, 0, NULL);
    tfp_error err;
    small_design(X);
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(NULL, y_data, 12, 3, NULL, w, res, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "NULL"), "%s", err.msg);
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 0, NULL, w, res, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "no columns"), "%s", err.msg);
    tfp_ols_opts_init(&opts);
    opts.se_type = (tfp_ols_se_type)7;
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 3, &opts, w, res, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "standard-error type 7"), "%s", err.msg);
    opts.se_type = TFP_OLS_SE_CLUSTER;
    opts.cluster = cl;
    opts.nclusters = 13;
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 3, &opts, w, res, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "13 cluster ids"), "%s", err.msg);
    tfp_error_init(&err);
    cr_assert_null(tfp_ols_result_alloc(0, 0, &err));
    cr_assert_eq(err.code, TFP_EINVAL);
    tfp_error_init(&err);
    cr_assert_null(tfp_ols_ws_alloc(0, 0, &err));
    cr_assert_eq(err.code, TFP_EINVAL);
    tfp_ols_result_free(res);
    tfp_ols_ws_free(w);
}

static void
check_against_reference(tfp_ols_se_type type,
                        const uint32_t *cl,
                        size_t ncl,
                        tfp_ols_cluster_adj adj)
{
    double X[36], beta[3], V[9], Gi[9];
    tfp_ols_opts opts;
    tfp_ols_ws *w = tfp_ols_ws_alloc(12, 3, NULL);
    tfp_ols_result *res = tfp_ols_result_alloc(3, 0, NULL);
    tfp_error err;
    size_t j;
    small_design(X);
    ld_reference(X, y_data, 12, 3, type, cl, ncl, adj, beta, V, Gi);
    tfp_ols_opts_init(&opts);
    opts.se_type = type;
    opts.cluster = cl;
    opts.nclusters = ncl;
    opts.cluster_adj = adj;
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 3, &opts, w, res, &err), TFP_OK, "%s", err.msg);
    for (j = 0; j < 3; j++) {
        tfp_test_rel(res->beta[j], beta[j], 1e-14);
        tfp_test_rel(res->se[j], sqrt(V[j * 3 + j]), 1e-13);
    }
    for (j = 0; j < 9; j++) {
        tfp_test_rel(res->vcov[j], V[j], 1e-12);
        tfp_test_rel(res->xtx_inv[j], Gi[j], 1e-13);
    }
    tfp_ols_result_free(res);
    tfp_ols_ws_free(w);
}

Test(ols, classic_vcov_matches_long_double_reference)
{
    check_against_reference(TFP_OLS_SE_CLASSIC, NULL, 0, TFP_OLS_CLUSTER_STATA);
}

Test(ols, hc1_matches_long_double_sandwich)
{
    check_against_reference(TFP_OLS_SE_HC1, NULL, 0, TFP_OLS_CLUSTER_STATA);
}

/* Four non-empty clusters among ids 0..4 (id 3 unused), rows not sorted by cluster: G = 4. */
Test(ols, cluster_matches_long_double_sandwich_with_stata_factor)
{
    static const uint32_t cl[12] = {2, 0, 1, 4, 0, 2, 1, 4, 2, 0, 4, 1};
    check_against_reference(TFP_OLS_SE_CLUSTER, cl, 5, TFP_OLS_CLUSTER_STATA);
}

/* plm's vcovHC(type = "HC1", cluster = "group"): the factor n/(n-p) without G/(G-1). */
Test(ols, cluster_matches_long_double_sandwich_with_plm_hc1_factor)
{
    static const uint32_t cl[12] = {2, 0, 1, 4, 0, 2, 1, 4, 2, 0, 4, 1};
    check_against_reference(TFP_OLS_SE_CLUSTER, cl, 5, TFP_OLS_CLUSTER_HC1);
}

/*
 * nuisance_cols: with the intercept as a nuisance column (k = 2), the slope block of the HC1
 * and cluster sandwiches equals the long-double sandwich of the centred design (the intercept
 * partialled out, Frisch-Waugh-Lovell) with the factor counting k = 2 columns, and the slope
 * block of (X'X)^-1 that of the centred design.
 */
Test(ols, nuisance_columns_are_not_counted_in_the_sandwich_factor)
{
    static const uint32_t cl[12] = {2, 0, 1, 4, 0, 2, 1, 4, 2, 0, 4, 1};
    double X[36], Xc[24], yc[12], beta[2], beta3[3], V[9], Gi[9], m1 = 0.0, m2 = 0.0, my = 0.0;
    tfp_ols_opts opts;
    tfp_ols_ws *w = tfp_ols_ws_alloc(12, 3, NULL);
    tfp_ols_result *res = tfp_ols_result_alloc(3, 0, NULL);
    tfp_error err;
    size_t i, j, t;
    small_design(X);
    for (i = 0; i < 12; i++) {
        m1 += x1_data[i] / 12.0;
        m2 += x2_data[i] / 12.0;
        my += y_data[i] / 12.0;
    }
    for (i = 0; i < 12; i++) {
        Xc[2 * i] = x1_data[i] - m1;
        Xc[2 * i + 1] = x2_data[i] - m2;
        yc[i] = y_data[i] - my;
    }
    for (t = 0; t < 2; t++) {
        tfp_ols_se_type type = t == 0 ? TFP_OLS_SE_HC1 : TFP_OLS_SE_CLUSTER;
        ld_reference(Xc, yc, 12, 2, type, cl, 5, TFP_OLS_CLUSTER_HC1, beta, V, Gi);
        tfp_ols_opts_init(&opts);
        opts.se_type = type;
        opts.cluster = cl;
        opts.nclusters = 5;
        opts.cluster_adj = TFP_OLS_CLUSTER_HC1;
        opts.nuisance_cols = 1;
        tfp_error_init(&err);
        cr_assert_eq(tfp_ols_fit(X, y_data, 12, 3, &opts, w, res, &err), TFP_OK, "%s", err.msg);
        for (j = 0; j < 2; j++) {
            tfp_test_rel(res->beta[1 + j], beta[j], 1e-13);
            for (i = 0; i < 2; i++) {
                tfp_test_rel(res->vcov[(1 + j) * 3 + 1 + i], V[j * 2 + i], 1e-12);
                tfp_test_rel(res->xtx_inv[(1 + j) * 3 + 1 + i], Gi[j * 2 + i], 1e-12);
            }
        }
    }
    /* The nuisance column's own entries are not computed. */
    cr_assert(isnan(res->se[0]) && isnan(res->vcov[0]) && isnan(res->vcov[1]) &&
              isnan(res->xtx_inv[0]));
    cr_assert(!isnan(res->xtx_inv[1]) && !isnan(res->xtx_inv[3]));
    /* All columns nuisance: beta and the residual sum of squares, no covariance. */
    opts.se_type = TFP_OLS_SE_CLASSIC;
    opts.nuisance_cols = 3;
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 3, &opts, w, res, &err), TFP_OK, "%s", err.msg);
    for (j = 0; j < 3; j++)
        cr_assert(isnan(res->se[j]));
    ld_reference(X, y_data, 12, 3, TFP_OLS_SE_CLASSIC, NULL, 0, TFP_OLS_CLUSTER_HC1, beta3, V, Gi);
    for (j = 0; j < 3; j++)
        tfp_test_rel(res->beta[j], beta3[j], 1e-13);
    opts.nuisance_cols = 4;
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 3, &opts, w, res, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "nuisance"), "%s", err.msg);
    opts.nuisance_cols = 0;
    opts.cluster_adj = (tfp_ols_cluster_adj)5;
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 3, &opts, w, res, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "cluster adjustment 5"), "%s", err.msg);
    tfp_ols_result_free(res);
    tfp_ols_ws_free(w);
}

Test(ols, cluster_ids_are_validated)
{
    static const uint32_t bad[12] = {0, 1, 2, 0, 1, 2, 0, 1, 7, 0, 1, 2};
    static const uint32_t one[12] = {0};
    double X[36];
    tfp_ols_opts opts;
    tfp_ols_ws *w = tfp_ols_ws_alloc(12, 3, NULL);
    tfp_ols_result *res = tfp_ols_result_alloc(3, 0, NULL);
    tfp_error err;
    small_design(X);
    tfp_ols_opts_init(&opts);
    opts.se_type = TFP_OLS_SE_CLUSTER;
    opts.cluster = bad;
    opts.nclusters = 3;
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 3, &opts, w, res, &err), TFP_EINVAL);
    cr_assert_not_null(strstr(err.msg, "cluster id 7 at row 9"), "%s", err.msg);
    opts.cluster = one;
    opts.nclusters = 1;
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 3, &opts, w, res, &err), TFP_ENUMERIC);
    cr_assert_not_null(strstr(err.msg, "at least 2 clusters"), "%s", err.msg);
    opts.cluster = NULL;
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 3, &opts, w, res, &err), TFP_EINVAL);
    tfp_ols_result_free(res);
    tfp_ols_ws_free(w);
}

/* y ~ 0 + x by hand: beta = sum xy / sum x^2; R's summary.lm without an intercept uses
 * mss = sum fitted^2 and adj R^2 = 1 - (1 - R^2) n / (n - 1). */
Test(ols, no_intercept_uses_uncentred_sums_as_r)
{
    double X[12], res_r[12];
    long double sxy = 0.0L, sxx = 0.0L, b, rss = 0.0L, mss = 0.0L, tss = 0.0L, r2;
    tfp_ols_opts opts;
    tfp_ols_ws *w = tfp_ols_ws_alloc(12, 1, NULL);
    tfp_ols_result *res = tfp_ols_result_alloc(1, 12, NULL);
    size_t i;
    for (i = 0; i < 12; i++) {
        X[i] = x1_data[i];
        sxy += (long double)x1_data[i] * y_data[i];
        sxx += (long double)x1_data[i] * x1_data[i];
        tss += (long double)y_data[i] * y_data[i];
    }
    b = sxy / sxx;
    for (i = 0; i < 12; i++) {
        long double fit = b * x1_data[i], r = y_data[i] - fit;
        res_r[i] = (double)r;
        rss += r * r;
        mss += fit * fit;
    }
    r2 = mss / (mss + rss);
    tfp_ols_opts_init(&opts);
    opts.intercept = 0;
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 1, &opts, w, res, NULL), TFP_OK);
    tfp_test_rel(res->beta[0], (double)b, 1e-15);
    tfp_test_rel(res->rss, (double)rss, 1e-13);
    tfp_test_rel(res->mss, (double)mss, 1e-14);
    tfp_test_rel(res->tss, (double)tss, 1e-15);
    tfp_test_rel(res->r_squared, (double)r2, 1e-14);
    tfp_test_rel(res->adj_r_squared, (double)(1.0L - (1.0L - r2) * 12.0L / 11.0L), 1e-14);
    tfp_test_rel(res->sigma, (double)sqrtl(rss / 11.0L), 1e-14);
    for (i = 0; i < 12; i++)
        tfp_test_rel(res->residuals[i], res_r[i], 1e-12);
    tfp_ols_result_free(res);
    tfp_ols_ws_free(w);
}

/* extra_df: a within model passes its absorbed effects; sigma^2 = rss / (n - p - extra_df),
 * and R's adj R^2 = 1 - (1 - R^2) (n - 1) / df_residual. */
Test(ols, absorbed_parameters_reduce_residual_df)
{
    double X[36];
    tfp_ols_opts opts;
    tfp_ols_ws *w = tfp_ols_ws_alloc(12, 3, NULL);
    tfp_ols_result *a = tfp_ols_result_alloc(3, 0, NULL), *b = tfp_ols_result_alloc(3, 0, NULL);
    size_t j;
    small_design(X);
    tfp_ols_opts_init(&opts);
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 3, &opts, w, a, NULL), TFP_OK);
    opts.extra_df = 4;
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 3, &opts, w, b, NULL), TFP_OK);
    cr_assert_eq(a->df_residual, 9);
    cr_assert_eq(b->df_residual, 5);
    tfp_test_rel(b->rss, a->rss, 1e-15);
    tfp_test_rel(b->sigma * b->sigma * 5.0, b->rss, 1e-14);
    tfp_test_rel(b->adj_r_squared, 1.0 - (1.0 - b->r_squared) * 11.0 / 5.0, 1e-14);
    for (j = 0; j < 3; j++)
        tfp_test_rel(b->se[j], a->se[j] * sqrt(9.0 / 5.0), 1e-14);
    tfp_ols_result_free(a);
    tfp_ols_result_free(b);
    tfp_ols_ws_free(w);
}

/* Identities: the residuals are y - X beta and orthogonal to every column; tss = mss + rss
 * with an intercept; a workspace that has fitted once allocates nothing more (every
 * allocation made to fail). */
Test(ols, residuals_are_orthogonal_and_sums_add_up)
{
    double X[36];
    tfp_ols_ws *w = tfp_ols_ws_alloc(12, 3, NULL);
    tfp_ols_result *res = tfp_ols_result_alloc(3, 12, NULL);
    size_t i, j;
    small_design(X);
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 3, NULL, w, res, NULL), TFP_OK);
    tfp_alloc_fail_at(1, 1);
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 3, NULL, w, res, NULL), TFP_OK);
    tfp_alloc_fail_at(0, 0);
    for (j = 0; j < 3; j++) {
        long double s = 0.0L, sa = 0.0L;
        for (i = 0; i < 12; i++) {
            s += (long double)X[i * 3 + j] * res->residuals[i];
            sa += fabsl((long double)X[i * 3 + j] * res->residuals[i]);
        }
        cr_assert_leq(fabsl(s), 4.0L * DBL_EPSILON * sa, "column %zu: X'r = %Lg", j, s);
    }
    for (i = 0; i < 12; i++) {
        double fit = res->beta[0] + res->beta[1] * X[i * 3 + 1] + res->beta[2] * X[i * 3 + 2];
        cr_assert(fabs(y_data[i] - fit - res->residuals[i]) <= 1e-14 * fabs(y_data[i]));
    }
    tfp_test_rel(res->mss + res->rss, res->tss, 1e-14);
    tfp_ols_result_free(res);
    tfp_ols_ws_free(w);
}

/* ---- TSQR ------------------------------------------------------------------------------- */

static uint64_t
xorshift64(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Uniform on [0, 1) with 53 random bits. */
static double
uniform01(uint64_t *s)
{
    return (double)(xorshift64(s) >> 11) * 0x1.0p-53;
}

/*
 * Row blocks of 16 (62 blocks, the last of 24 rows) and of 37 against a single block. The
 * refined solutions agree to 1e-14; the plain QR solutions (refine_steps = 0) differ by
 * rounding amplified by kappa(X D) (about 1e3 here, x and x^2 on [3, 5]), so to 1e-12.
 */
Test(ols, tsqr_blocked_equals_unblocked)
{
    enum { N = 1000, P = 5 };
    static double X[N * P], y[N];
    static const size_t blocks[2] = {16, 37};
    static const size_t steps[2] = {TFP_OLS_REFINE_STEPS, 0};
    static const double rtol[2] = {1e-14, 1e-12};
    uint64_t s = 0x9e3779b97f4a7c15u;
    tfp_ols_opts opts;
    tfp_ols_ws *w = tfp_ols_ws_alloc(N, P, NULL);
    tfp_ols_result *one = tfp_ols_result_alloc(P, 0, NULL), *blk = tfp_ols_result_alloc(P, 0, NULL);
    size_t i, j, b, k;
    for (i = 0; i < N; i++) {
        X[i * P] = 1.0;
        X[i * P + 1] = 3.0 + 2.0 * uniform01(&s);
        X[i * P + 2] = 100.0 * uniform01(&s) - 40.0;
        X[i * P + 3] = X[i * P + 1] * X[i * P + 1];
        X[i * P + 4] = log1p(9.0 * uniform01(&s));
        y[i] = 1.25 + 0.8 * X[i * P + 1] - 0.011 * X[i * P + 2] + 0.07 * X[i * P + 3] +
               2.3 * X[i * P + 4] + (uniform01(&s) - 0.5);
    }
    for (k = 0; k < 2; k++) {
        tfp_ols_opts_init(&opts);
        opts.refine_steps = steps[k];
        opts.block_rows = N;
        cr_assert_eq(tfp_ols_fit(X, y, N, P, &opts, w, one, NULL), TFP_OK);
        for (b = 0; b < 2; b++) {
            opts.block_rows = blocks[b];
            cr_assert_eq(tfp_ols_fit(X, y, N, P, &opts, w, blk, NULL), TFP_OK);
            for (j = 0; j < P; j++) {
                tfp_test_rel(blk->beta[j], one->beta[j], rtol[k]);
                tfp_test_rel(blk->se[j], one->se[j], rtol[k]);
            }
            tfp_test_rel(blk->rss, one->rss, rtol[k]);
        }
    }
    tfp_ols_result_free(one);
    tfp_ols_result_free(blk);
    tfp_ols_ws_free(w);
}

/*
 * The refinement stops when the next correction would be at rounding level: it contracts by
 * about the relative size of the last correction (ols.c, refine_aug). On this design
 * (kappa u = 6.5e-16) the first correction is about 1e-15 of beta, so it is the only one.
 */
Test(ols, well_conditioned_fit_stops_after_one_correction)
{
    double X[36];
    tfp_ols_ws *w = tfp_ols_ws_alloc(12, 3, NULL);
    tfp_ols_result *res = tfp_ols_result_alloc(3, 0, NULL);
    small_design(X);
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 3, NULL, w, res, NULL), TFP_OK);
    cr_assert_eq(res->refine_steps, 1);
    cr_assert(res->refine_converged);
    tfp_ols_result_free(res);
    tfp_ols_ws_free(w);
}

/*
 * Columns scaled by 2^530 and 2^-530 (their squares overflow and underflow, so the Householder
 * norms must take the scaled route) give the least-squares solution of the scaled data, which
 * is exactly the unscaled one divided by the scales (hand derivation: X D b' = X b for
 * b' = D^-1 b, and the residuals are the same). The unscaled column keeps its standard error;
 * those of the scaled columns are beyond a double ((X'X)^-1 holds 2^-1060 and 2^1060).
 */
Test(ols, columns_near_overflow_and_underflow_fit_as_exact_rescalings)
{
    const double scale[3] = {0x1p530, 0x1p-530, 1.0};
    double X[36], Xs[36];
    tfp_ols_ws *w = tfp_ols_ws_alloc(12, 3, NULL);
    tfp_ols_result *a = tfp_ols_result_alloc(3, 0, NULL), *b = tfp_ols_result_alloc(3, 0, NULL);
    size_t i, j;
    small_design(X);
    for (i = 0; i < 12; i++)
        for (j = 0; j < 3; j++)
            Xs[i * 3 + j] = X[i * 3 + j] * scale[j];
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 3, NULL, w, a, NULL), TFP_OK);
    cr_assert_eq(tfp_ols_fit(Xs, y_data, 12, 3, NULL, w, b, NULL), TFP_OK);
    for (j = 0; j < 3; j++)
        tfp_test_rel(b->beta[j] * scale[j], a->beta[j], 1e-14);
    tfp_test_rel(b->se[2], a->se[2], 1e-13);
    tfp_test_rel(b->rss, a->rss, 1e-14);
    tfp_ols_result_free(a);
    tfp_ols_result_free(b);
    tfp_ols_ws_free(w);
}

/*
 * Threads share out row groups fixed by the data's size alone (TFP_OLS_GROUPS of whole
 * blocks), so the fit is the same to the bit for any number of threads: here 200,000 rows
 * (above TFP_OLS_PARALLEL_MIN_ROWS) in 16 groups of 12,500-row blocks, with 1, 2, 3 and 7
 * threads, and for each a clustered covariance. The groups' two-level tree gives the unblocked
 * solution to rounding level (as tsqr_blocked_equals_unblocked shows for blocks).
 */
Test(ols, results_do_not_depend_on_the_number_of_threads)
{
    enum { P = 3 };
    static const size_t threads[] = {1, 2, 3, 7};
    const size_t n = 200000;
    double *X = tfp_mallocn(n, P * sizeof(double)), *y = tfp_mallocn(n, sizeof(double));
    uint32_t *cl = tfp_mallocn(n, sizeof(uint32_t));
    uint64_t s = 0x9e3779b97f4a7c15u;
    tfp_ols_ws *w = tfp_ols_ws_alloc(n, P, NULL);
    tfp_ols_result *ref = tfp_ols_result_alloc(P, n, NULL), *res = tfp_ols_result_alloc(P, n, NULL);
    tfp_ols_opts opts;
    size_t i, t;
    cr_assert(X != NULL && y != NULL && cl != NULL && w != NULL && ref != NULL && res != NULL);
    for (i = 0; i < n; i++) {
        X[i * P] = 1.0;
        X[i * P + 1] = 3.0 + 2.0 * uniform01(&s);
        X[i * P + 2] = log1p(9.0 * uniform01(&s));
        y[i] = 0.25 + 1.5 * X[i * P + 1] - 0.7 * X[i * P + 2] + (uniform01(&s) - 0.5);
        cl[i] = (uint32_t)(i / 40);
    }
    tfp_ols_opts_init(&opts);
    opts.block_rows = 12500;
    opts.se_type = TFP_OLS_SE_CLUSTER;
    opts.cluster = cl;
    opts.nclusters = n / 40;
    for (t = 0; t < sizeof threads / sizeof threads[0]; t++) {
        tfp_ols_result *r = t == 0 ? ref : res;
        opts.threads = threads[t];
        cr_assert_eq(tfp_ols_fit(X, y, n, P, &opts, w, r, NULL), TFP_OK);
        if (t == 0)
            continue;
        cr_assert_eq(memcmp(r->beta, ref->beta, P * sizeof(double)), 0, "%zu threads", threads[t]);
        cr_assert_eq(memcmp(r->vcov, ref->vcov, P * P * sizeof(double)), 0, "%zu threads",
                     threads[t]);
        cr_assert_eq(memcmp(r->residuals, ref->residuals, n * sizeof(double)), 0);
        cr_assert_eq(memcmp(&r->rss, &ref->rss, sizeof r->rss), 0);
        cr_assert_eq(memcmp(&r->mss, &ref->mss, sizeof r->mss), 0);
        cr_assert_eq(r->refine_steps, ref->refine_steps);
    }
    /* One block, one group: the same solution to rounding level. */
    opts.block_rows = n;
    opts.threads = 1;
    cr_assert_eq(tfp_ols_fit(X, y, n, P, &opts, w, res, NULL), TFP_OK);
    for (i = 0; i < P; i++) {
        tfp_test_rel(res->beta[i], ref->beta[i], 1e-14);
        tfp_test_rel(res->se[i], ref->se[i], 1e-13);
    }
    tfp_ols_result_free(ref);
    tfp_ols_result_free(res);
    tfp_ols_ws_free(w);
    tfp_free(X);
    tfp_free(y);
    tfp_free(cl);
}

/*
 * 3,000,000 rows (above the ~2.1 million where Debian's OpenBLAS 0.3.21 LAPACK least squares
 * goes wrong), 4 columns, a deterministic generator with known coefficients and noise of
 * SD 0.25 (sum of three uniforms). Checked against the normal equations in long double
 * (sums blocked by 4096 rows to keep their rounding small; kappa(X'X) is about 1e4 here) to
 * 1e-9, and against the generating coefficients within 5 SE.
 */
Test(ols, three_million_rows_match_long_double_normal_equations, .timeout = 60)
{
    enum { P = 4 };
    static const double truth[P] = {2.385, 0.731, -0.0127, 1.93};
    const size_t n = 3000000;
    double *X = tfp_mallocn(n, P * sizeof(double)), *y = tfp_mallocn(n, sizeof(double));
    long double G[P * P] = {0}, Gi[P * P], c[P] = {0}, bG[P * P], bc[P], rss = 0.0L;
    double beta[P];
    uint64_t s = 0x2545f4914f6cdd1du;
    tfp_ols_ws *w;
    tfp_ols_result *res;
    tfp_error err;
    size_t i, j, k;
    cr_assert_not_null(X);
    cr_assert_not_null(y);
    for (i = 0; i < n; i++) {
        double *x = X + i * P;
        x[0] = 1.0;
        x[1] = 10.0 + 5.0 * uniform01(&s);
        x[2] = 100.0 * uniform01(&s) - 50.0;
        x[3] = log1p(9.0 * uniform01(&s));
        y[i] = truth[0] + truth[1] * x[1] + truth[2] * x[2] + truth[3] * x[3] +
               0.5 * (uniform01(&s) + uniform01(&s) + uniform01(&s) - 1.5);
    }
    for (i = 0; i < n; i += 4096) {
        size_t end = i + 4096 < n ? i + 4096 : n, r;
        memset(bG, 0, sizeof bG);
        memset(bc, 0, sizeof bc);
        for (r = i; r < end; r++)
            for (j = 0; j < P; j++) {
                bc[j] += (long double)X[r * P + j] * y[r];
                for (k = 0; k < P; k++)
                    bG[j * P + k] += (long double)X[r * P + j] * X[r * P + k];
            }
        for (j = 0; j < P; j++) {
            c[j] += bc[j];
            for (k = 0; k < P; k++)
                G[j * P + k] += bG[j * P + k];
        }
    }
    ld_invert(G, Gi, P);
    for (j = 0; j < P; j++) {
        long double t = 0.0L;
        for (k = 0; k < P; k++)
            t += Gi[j * P + k] * c[k];
        beta[j] = (double)t;
    }
    for (i = 0; i < n; i++) {
        long double r = y[i];
        for (j = 0; j < P; j++)
            r -= (long double)X[i * P + j] * beta[j];
        rss += r * r;
    }

    tfp_error_init(&err);
    w = tfp_ols_ws_alloc(n, P, &err);
    res = tfp_ols_result_alloc(P, 0, &err);
    cr_assert_not_null(w, "%s", err.msg);
    cr_assert_not_null(res);
    cr_assert_eq(tfp_ols_fit(X, y, n, P, NULL, w, res, &err), TFP_OK, "%s", err.msg);
    cr_assert(res->refine_converged);
    for (j = 0; j < P; j++) {
        double se = (double)sqrtl(rss / (long double)(n - P) * Gi[j * P + j]);
        tfp_test_rel(res->beta[j], beta[j], 1e-9);
        tfp_test_rel(res->se[j], se, 1e-9);
        cr_assert(fabs(res->beta[j] - truth[j]) <= 5.0 * res->se[j],
                  "beta[%zu] = %.17g, truth %.17g, se %.3g", j, res->beta[j], truth[j], res->se[j]);
    }
    tfp_test_rel(res->rss, (double)rss, 1e-9);
    tfp_ols_result_free(res);
    tfp_ols_ws_free(w);
    tfp_free(X);
    tfp_free(y);
}

/*
 * The lean path (R only, seminormal refinement) against the stored reflectors on 200,000 rows
 * (AUTO picks lean there): a large-residual problem (noise SD 40 against a signal of about
 * 10, the case where refining beta alone would keep a kappa^2 |r| error) with a moderately
 * collinear design. beta, the classic, HC1 and cluster SEs, the residuals and rss agree to
 * rounding level; the STORED fit reports lean = 0, the AUTO fit lean = 1.
 */
Test(ols, lean_path_agrees_with_stored_reflectors)
{
    enum { P = 4 };
    static const tfp_ols_se_type types[] = {TFP_OLS_SE_CLASSIC, TFP_OLS_SE_HC1, TFP_OLS_SE_CLUSTER};
    const size_t n = 200000;
    double *X = tfp_mallocn(n, P * sizeof(double)), *y = tfp_mallocn(n, sizeof(double));
    uint32_t *cl = tfp_mallocn(n, sizeof(uint32_t));
    uint64_t s = 0x853c49e6748fea9bu;
    tfp_ols_ws *wa = tfp_ols_ws_alloc(n, P, NULL), *wb = tfp_ols_ws_alloc(n, P, NULL);
    tfp_ols_result *a = tfp_ols_result_alloc(P, n, NULL), *b = tfp_ols_result_alloc(P, n, NULL);
    tfp_ols_opts opts;
    size_t i, j, t;
    double ymax = 0.0;
    cr_assert(X != NULL && y != NULL && cl != NULL && wa != NULL && wb != NULL && a != NULL &&
              b != NULL);
    for (i = 0; i < n; i++) {
        double u = uniform01(&s);
        X[i * P] = 1.0;
        X[i * P + 1] = 2000.0 + 24.0 * u; /* a year: collinear with the intercept */
        X[i * P + 2] = log1p(9.0 * uniform01(&s));
        X[i * P + 3] = X[i * P + 2] + 0.05 * uniform01(&s); /* nearly a copy of column 2 */
        y[i] = 3.0 + 0.01 * X[i * P + 1] + 0.6 * X[i * P + 2] - 0.2 * X[i * P + 3] +
               40.0 * (uniform01(&s) + uniform01(&s) - 1.0);
        ymax = fmax(ymax, fabs(y[i]));
        cl[i] = (uint32_t)(i / 25);
    }
    tfp_ols_opts_init(&opts);
    opts.cluster = cl;
    opts.nclusters = n / 25;
    for (t = 0; t < sizeof types / sizeof types[0]; t++) {
        opts.se_type = types[t];
        opts.qr_mode = TFP_OLS_QR_AUTO;
        cr_assert_eq(tfp_ols_fit(X, y, n, P, &opts, wa, a, NULL), TFP_OK);
        opts.qr_mode = TFP_OLS_QR_STORED;
        cr_assert_eq(tfp_ols_fit(X, y, n, P, &opts, wb, b, NULL), TFP_OK);
        cr_assert(a->lean && !b->lean);
        cr_assert(a->refine_converged && b->refine_converged);
        for (j = 0; j < P; j++) {
            tfp_test_rel(a->beta[j], b->beta[j], 1e-14);
            tfp_test_rel(a->se[j], b->se[j], 1e-10);
        }
        for (i = 0; i < n; i++)
            cr_assert_leq(fabs(a->residuals[i] - b->residuals[i]), 4.0 * DBL_EPSILON * ymax,
                          "row %zu: %.17g vs %.17g", i, a->residuals[i], b->residuals[i]);
        tfp_test_rel(a->rss, b->rss, 1e-14);
        tfp_test_rel(a->r_squared, b->r_squared, 1e-12);
    }
    tfp_ols_result_free(a);
    tfp_ols_result_free(b);
    tfp_ols_ws_free(wa);
    tfp_ols_ws_free(wb);
    tfp_free(X);
    tfp_free(y);
    tfp_free(cl);
}

/* A non-finite value met by the lean factorisation is reported at the same place as by the
 * stored path's copy: the first in row order, whichever group finds it. */
Test(ols, lean_path_reports_the_first_non_finite_value)
{
    enum { P = 3 };
    const size_t n = 150000;
    double *X = tfp_mallocn(n, P * sizeof(double)), *y = tfp_mallocn(n, sizeof(double));
    tfp_ols_ws *w = tfp_ols_ws_alloc(n, P, NULL);
    tfp_ols_result *res = tfp_ols_result_alloc(P, 0, NULL);
    tfp_ols_opts opts;
    tfp_error err;
    uint64_t s = 1;
    size_t i;
    cr_assert(X != NULL && y != NULL && w != NULL && res != NULL);
    for (i = 0; i < n; i++) {
        X[i * P] = 1.0;
        X[i * P + 1] = uniform01(&s);
        X[i * P + 2] = uniform01(&s);
        y[i] = uniform01(&s);
    }
    X[140001 * P + 2] = TFP_NAN; /* a later group */
    y[90000] = HUGE_VAL;         /* an earlier one: this is the first */
    tfp_ols_opts_init(&opts);
    opts.qr_mode = TFP_OLS_QR_LEAN;
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(X, y, n, P, &opts, w, res, &err), TFP_EINPUT);
    cr_assert_str_eq(err.msg, "non-finite value in y at row 90001");
    y[90000] = 0.5;
    tfp_error_init(&err);
    cr_assert_eq(tfp_ols_fit(X, y, n, P, &opts, w, res, &err), TFP_EINPUT);
    cr_assert_str_eq(err.msg, "non-finite value in X at row 140002, column 3");
    tfp_ols_result_free(res);
    tfp_ols_ws_free(w);
    tfp_free(X);
    tfp_free(y);
}

/* ---- out of memory ---------------------------------------------------------------------- */

/* A fit allocates its path's buffers on a workspace's first use: failing the k-th allocation
 * of that fit, k = 1, 2, ..., gives TFP_ENOMEM and no leak (ASan), for both paths and the
 * lean path's cluster scores, until the fit succeeds. */
Test(ols, first_fit_allocations_fail_cleanly)
{
    static const uint32_t cl[12] = {2, 0, 1, 4, 0, 2, 1, 4, 2, 0, 4, 1};
    static const tfp_ols_qr_mode modes[] = {TFP_OLS_QR_STORED, TFP_OLS_QR_LEAN};
    double X[36];
    tfp_ols_opts opts;
    tfp_error err;
    size_t m, k;
    small_design(X);
    tfp_ols_opts_init(&opts);
    opts.se_type = TFP_OLS_SE_CLUSTER;
    opts.cluster = cl;
    opts.nclusters = 5;
    for (m = 0; m < 2; m++) {
        int rc = TFP_ENOMEM;
        opts.qr_mode = modes[m];
        for (k = 1; rc != TFP_OK; k++) {
            tfp_ols_ws *w = tfp_ols_ws_alloc(12, 3, NULL);
            tfp_ols_result *res = tfp_ols_result_alloc(3, 12, NULL);
            cr_assert(w != NULL && res != NULL);
            cr_assert_lt(k, 20);
            tfp_error_init(&err);
            tfp_alloc_fail_at(k, 0);
            rc = tfp_ols_fit(X, y_data, 12, 3, &opts, w, res, &err);
            tfp_alloc_fail_at(0, 0);
            cr_assert(rc == TFP_OK || rc == TFP_ENOMEM, "k = %zu: %d %s", k, rc, err.msg);
            if (rc == TFP_OK)
                cr_assert_eq(res->lean, m == 1);
            tfp_ols_result_free(res);
            tfp_ols_ws_free(w);
        }
    }
}

/* SQLite's OOM loop: fail the k-th allocation for k = 1, 2, ... until the call succeeds;
 * every failure is TFP_ENOMEM and leaks nothing (checked under ASan). */
Test(ols, allocations_fail_cleanly_until_they_succeed)
{
    double X[36];
    tfp_ols_ws *w = NULL;
    tfp_ols_result *res = NULL;
    tfp_error err;
    size_t k;
    small_design(X);
    for (k = 1; w == NULL; k++) {
        cr_assert_lt(k, 50);
        tfp_error_init(&err);
        tfp_alloc_fail_at(k, 0);
        w = tfp_ols_ws_alloc(12, 3, &err);
        tfp_alloc_fail_at(0, 0);
        if (w == NULL)
            cr_assert_eq(err.code, TFP_ENOMEM);
    }
    for (k = 1; res == NULL; k++) {
        cr_assert_lt(k, 50);
        tfp_error_init(&err);
        tfp_alloc_fail_at(k, 0);
        res = tfp_ols_result_alloc(3, 12, &err);
        tfp_alloc_fail_at(0, 0);
        if (res == NULL)
            cr_assert_eq(err.code, TFP_ENOMEM);
    }
    cr_assert_eq(tfp_ols_fit(X, y_data, 12, 3, NULL, w, res, NULL), TFP_OK);
    tfp_ols_result_free(res);
    tfp_ols_ws_free(w);
}
