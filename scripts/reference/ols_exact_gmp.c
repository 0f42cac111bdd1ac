/*
 * Reference check for src/models/ols.c (not part of the build): the exact least-squares
 * solution of a NIST StRD design as held in doubles, by rational arithmetic (GMP), against
 * tfp_ols_fit and the certified values. It separates what the double data allow (the
 * "ceiling") from what the method loses. References: NIST StRD; McCullough (1998) (LRE).
 *
 *   make build/libtfp.a
 *   cc -std=c11 -O2 -Iinclude scripts/reference/ols_exact_gmp.c build/libtfp.a \
 *      -lgmp -lgsl -lopenblas -lm -o /tmp/ols_exact
 *   /tmp/ols_exact Norris 1; /tmp/ols_exact Pontius 2; /tmp/ols_exact Filip 10
 *   /tmp/ols_exact Longley 0; /tmp/ols_exact Wampler1 5      (run from the source root)
 *
 * The second argument is the polynomial degree in x (0: the columns as given), always with
 * an intercept. Prints the minimum LRE of coefficients and SEs: exact vs certified (the
 * ceiling), tfp vs certified, and tfp vs exact.
 */
#include <gmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfp/ols.h"

#define MAXN 128
#define MAXP 12

static double
lre(double got, double want)
{
    double d = fabs(got - want), l;
    if (d == 0.0)
        return 15.0;
    l = want == 0.0 ? -log10(d) : -log10(d / fabs(want));
    return l > 15.0 ? 15.0 : (l < 0.0 ? 0.0 : l);
}

/* q rounded to the nearest double (mpq_get_d truncates). */
static double
q_to_double(const mpq_t q)
{
    double d = mpq_get_d(q), e = nextafter(d, mpq_sgn(q) >= 0 ? HUGE_VAL : -HUGE_VAL);
    mpq_t a, b;
    int closer;
    mpq_init(a);
    mpq_init(b);
    mpq_set_d(a, d);
    mpq_sub(a, q, a);
    mpq_abs(a, a);
    mpq_set_d(b, e);
    mpq_sub(b, q, b);
    mpq_abs(b, b);
    closer = mpq_cmp(b, a) < 0;
    mpq_clear(a);
    mpq_clear(b);
    return closer ? e : d;
}

/* sqrt of a positive rational, to the nearest double: truncated from 256-bit mpf, then moved
 * up one ulp when q exceeds the square of the midpoint. */
static double
q_sqrt_to_double(const mpq_t q)
{
    mpf_t f;
    mpq_t m, h;
    double d, e;
    int up;
    mpf_init2(f, 256);
    mpf_set_q(f, q);
    mpf_sqrt(f, f);
    d = mpf_get_d(f);
    mpf_clear(f);
    e = nextafter(d, HUGE_VAL);
    mpq_init(m);
    mpq_init(h);
    mpq_set_d(m, d);
    mpq_set_d(h, e);
    mpq_add(m, m, h);
    mpq_div_2exp(m, m, 1);
    mpq_mul(m, m, m);
    up = mpq_cmp(q, m) > 0;
    mpq_clear(m);
    mpq_clear(h);
    return up ? e : d;
}

/* x^k rounded once (as in tests/models/test_ols.c). */
static double
power_once(double x, int k)
{
    mpq_t p, xq;
    double d;
    int i;
    mpq_init(p);
    mpq_init(xq);
    mpq_set_ui(p, 1, 1);
    mpq_set_d(xq, x);
    for (i = 0; i < k; i++)
        mpq_mul(p, p, xq);
    d = q_to_double(p);
    mpq_clear(p);
    mpq_clear(xq);
    return d;
}

static size_t
json_strings(const char *json, const char *key, double *out)
{
    char pat[64];
    const char *s;
    size_t k = 0;
    snprintf(pat, sizeof pat, "\"%s\"", key);
    s = strstr(json, pat);
    if (s == NULL)
        return 0;
    s += strlen(pat);
    while (*s == ' ' || *s == ':')
        s++;
    if (*s == '"') {
        out[0] = strtod(s + 1, NULL);
        return 1;
    }
    for (;;) {
        while (*s != '\0' && *s != '"' && *s != ']')
            s++;
        if (*s != '"' || k == MAXP)
            break;
        out[k++] = strtod(s + 1, NULL);
        s = strchr(s + 1, '"') + 1;
    }
    return k;
}

int
main(int argc, char **argv)
{
    static double v[MAXN * (MAXP + 1)], X[MAXN * MAXP], y[MAXN];
    static char json[16384];
    double coef[MAXP], se[MAXP], eb[MAXP], es[MAXP];
    double m_exact_c = 15, m_exact_s = 15, m_tfp_c = 15, m_tfp_s = 15, m_diff_c = 15, m_diff_s = 15;
    char path[256], line[1024];
    size_t n = 0, nc = 1, p, i, j, k, cnt = 0;
    int degree;
    FILE *fp;
    mpq_t A[MAXP][2 * MAXP + 1], t, u, rss;
    tfp_ols_ws *w;
    tfp_ols_result *res;

    if (argc != 3) {
        fprintf(stderr, "usage: %s NAME DEGREE\n", argv[0]);
        return 2;
    }
    degree = atoi(argv[2]);
    snprintf(path, sizeof path, "datasets/nist/%s.csv", argv[1]);
    fp = fopen(path, "r");
    if (fp == NULL || fgets(line, sizeof line, fp) == NULL) {
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }
    for (i = 0; line[i] != '\0'; i++)
        nc += line[i] == ',';
    while (n < MAXN && fgets(line, sizeof line, fp) != NULL) {
        char *s = line, *end;
        for (j = 0; j < nc; j++) {
            v[cnt++] = strtod(s, &end);
            s = end + (*end == ',');
        }
        n++;
    }
    fclose(fp);
    snprintf(path, sizeof path, "datasets/nist/%s.certified.json", argv[1]);
    fp = fopen(path, "r");
    if (fp == NULL) {
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }
    json[fread(json, 1, sizeof json - 1, fp)] = '\0';
    fclose(fp);
    p = json_strings(json, "coef_str", coef);
    json_strings(json, "se_str", se);
    for (i = 0; i < n; i++) {
        y[i] = v[i * nc + nc - 1];
        X[i * p] = 1.0;
        for (j = 1; j < p; j++)
            X[i * p + j] = degree > 0 ? power_once(v[i * nc], (int)j) : v[i * nc + j - 1];
    }

    /* [X'X | X'y | I] reduced by exact Gauss-Jordan: beta and (X'X)^-1. */
    mpq_init(t);
    mpq_init(u);
    mpq_init(rss);
    for (j = 0; j < p; j++)
        for (k = 0; k < 2 * p + 1; k++)
            mpq_init(A[j][k]);
    for (i = 0; i < n; i++)
        for (j = 0; j < p; j++) {
            mpq_set_d(t, X[i * p + j]);
            for (k = 0; k < p; k++) {
                mpq_set_d(u, X[i * p + k]);
                mpq_mul(u, u, t);
                mpq_add(A[j][k], A[j][k], u);
            }
            mpq_set_d(u, y[i]);
            mpq_mul(u, u, t);
            mpq_add(A[j][p], A[j][p], u);
        }
    for (j = 0; j < p; j++)
        mpq_set_ui(A[j][p + 1 + j], 1, 1);
    for (k = 0; k < p; k++) {
        size_t piv = k, c;
        while (piv < p && mpq_sgn(A[piv][k]) == 0)
            piv++;
        if (piv == p) {
            fprintf(stderr, "singular\n");
            return 1;
        }
        for (c = 0; c < 2 * p + 1; c++)
            mpq_swap(A[k][c], A[piv][c]);
        for (j = 0; j < p; j++) {
            if (j == k || mpq_sgn(A[j][k]) == 0)
                continue;
            mpq_div(t, A[j][k], A[k][k]);
            for (c = k; c < 2 * p + 1; c++) {
                mpq_mul(u, t, A[k][c]);
                mpq_sub(A[j][c], A[j][c], u);
            }
        }
    }
    for (j = 0; j < p; j++) {
        mpq_div(A[j][p], A[j][p], A[j][j]);
        eb[j] = q_to_double(A[j][p]);
    }
    for (i = 0; i < n; i++) {
        mpq_set_d(t, y[i]);
        for (j = 0; j < p; j++) {
            mpq_set_d(u, X[i * p + j]);
            mpq_mul(u, u, A[j][p]);
            mpq_sub(t, t, u);
        }
        mpq_mul(t, t, t);
        mpq_add(rss, rss, t);
    }
    mpq_set_ui(u, (unsigned long)(n - p), 1);
    mpq_div(rss, rss, u); /* sigma^2 */
    for (j = 0; j < p; j++) {
        mpq_div(t, A[j][p + 1 + j], A[j][j]);
        mpq_mul(t, t, rss);
        es[j] = q_sqrt_to_double(t);
    }

    w = tfp_ols_ws_alloc(n, p, NULL);
    res = tfp_ols_result_alloc(p, 0, NULL);
    if (w == NULL || res == NULL || tfp_ols_fit(X, y, n, p, NULL, w, res, NULL) != TFP_OK) {
        fprintf(stderr, "tfp_ols_fit failed\n");
        return 1;
    }
    for (j = 0; j < p; j++) {
        m_exact_c = fmin(m_exact_c, lre(eb[j], coef[j]));
        m_exact_s = fmin(m_exact_s, lre(es[j], se[j]));
        m_tfp_c = fmin(m_tfp_c, lre(res->beta[j], coef[j]));
        m_tfp_s = fmin(m_tfp_s, lre(res->se[j], se[j]));
        m_diff_c = fmin(m_diff_c, lre(res->beta[j], eb[j]));
        m_diff_s = fmin(m_diff_s, lre(res->se[j], es[j]));
    }
    printf("%-9s exact vs certified: coef %5.2f se %5.2f | tfp vs certified: coef %5.2f se %5.2f "
           "| tfp vs exact: coef %5.2f se %5.2f\n",
           argv[1], m_exact_c, m_exact_s, m_tfp_c, m_tfp_s, m_diff_c, m_diff_s);
    tfp_ols_result_free(res);
    tfp_ols_ws_free(w);
    return 0;
}
