/*
 * models/formula: R-style formulas. Canonical text and R's term names and order, intercept
 * markers, column lists with positions, design values derived by hand (40-digit decimal
 * arithmetic), row dropping by cause, every syntax error with its column, and OOM loops.
 * References: R's ?formula and terms() (names, order); Wilkinson and Rogers (1973).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/error.h"
#include "tfp/formula.h"
#include "tfp_test.h"

TestSuite(formula, .init = quiet_gsl);

static tfp_formula *
parse_ok(const char *text)
{
    tfp_formula *f = NULL;
    tfp_error err;
    int rc;
    tfp_error_init(&err);
    rc = tfp_formula_parse(text, &f, &err);
    cr_assert_eq(rc, TFP_OK, "parse \"%s\": %s (col %zu)", text, err.msg, err.col);
    cr_assert_not_null(f);
    return f;
}

/* Parses text, expects canon as its canonical text, and the canonical text to parse to
 * itself. */
static void
round_trip(const char *text, const char *canon)
{
    tfp_formula *f = parse_ok(text), *g;
    cr_assert_str_eq(tfp_formula_text(f), canon, "\"%s\"", text);
    g = parse_ok(tfp_formula_text(f));
    cr_assert_str_eq(tfp_formula_text(g), canon);
    tfp_formula_free(g);
    tfp_formula_free(f);
}

/* Parses text and expects canon as its canonical text. */
static void
canonical(const char *text, const char *canon)
{
    tfp_formula *f = parse_ok(text);
    cr_assert_str_eq(tfp_formula_text(f), canon, "\"%s\"", text);
    tfp_formula_free(f);
}

/* Expects a syntax error (TFP_EINVAL) at col whose message contains sub. */
static void
syntax_error(const char *text, size_t col, const char *sub)
{
    static char sentinel;
    tfp_formula *f = (tfp_formula *)(void *)&sentinel; /* must be reset to NULL */
    tfp_error err;
    int rc;
    tfp_error_init(&err);
    rc = tfp_formula_parse(text, &f, &err);
    cr_assert_eq(rc, TFP_EINVAL, "\"%s\": rc %d", text, rc);
    cr_assert_null(f);
    cr_assert_eq(err.code, TFP_EINVAL);
    cr_assert_str_eq(err.file, "formula");
    cr_assert_eq(err.line, 1);
    cr_assert_eq(err.col, col, "\"%s\": col %zu, want %zu (%s)", text, err.col, col, err.msg);
    cr_assert_not_null(strstr(err.msg, sub), "\"%s\": message \"%s\" lacks \"%s\"", text, err.msg,
                       sub);
}

/* A table for the lookup callback: ncol named columns of n values. */
typedef struct table {
    size_t ncol;
    const char *const *names;
    const double *const *cols;
} table;

static int
lookup(void *ctx, const char *name, const double **x)
{
    const table *t = ctx;
    size_t k;
    for (k = 0; k < t->ncol; k++)
        if (strcmp(t->names[k], name) == 0) {
            *x = t->cols[k];
            return 0;
        }
    return 1;
}

/* ---- text, names and order ---------------------------------------------------------- */

Test(formula, canonical_text_round_trips)
{
    round_trip("log(output) ~ log(capital) + log(labour) + year",
               "log(output) ~ log(capital) + log(labour) + year");
    round_trip("log( output )~log(capital)+log (labour)+ year",
               "log(output) ~ log(capital) + log(labour) + year");
    round_trip("log(output/labour) ~ log(capital/labour) + I(year - 2000)",
               "log(output/labour) ~ log(capital/labour) + I(year - 2000)");
    /* R's deparse: spaces around + - *, none around / ^, unary minus tight, parentheses
     * kept as written. */
    round_trip("y ~ I(2*x) + I(x/2) + I(-x^2) + I((x+1)^2) + I(x - -1)",
               "y ~ I(2 * x) + I(x/2) + I(-x^2) + I((x + 1)^2) + I(x - -1)");
    round_trip("y ~ exp(sqrt(log(x)))", "y ~ exp(sqrt(log(x)))");
    round_trip("log(y) - log(l) ~ x", "log(y) - log(l) ~ x");
}

Test(formula, numbers_print_as_r_deparse)
{
    /* R: deparse(1e5) "1e+05" (5 characters beat 6), deparse(123456) "123456",
     * deparse(0.0001) "1e-04", deparse(0.001) "0.001" (a tie goes to fixed), deparse(.5)
     * "0.5", deparse(2000.0) "2000", deparse(1/3) "0.333333333333333" (15 digits). */
    round_trip("y ~ I(x*1e5) + I(x + 123456) + I(x*0.0001) + I(x*1e-3) + I(x*.5) + "
               "I(x - 2000.0) + I(x*0.333333333333333333)",
               "y ~ I(x * 1e+05) + I(x + 123456) + I(x * 1e-04) + I(x * 0.001) + I(x * 0.5) + "
               "I(x - 2000) + I(x * 0.333333333333333)");
    round_trip("y ~ I(x*1.5e-7) + I(x*2.5E+300)", "y ~ I(x * 1.5e-07) + I(x * 2.5e+300)");
}

Test(formula, powers_are_named_as_r_I)
{
    tfp_formula *f = parse_ok("log(Y) ~ log(K)^2 + x^3 + x^1 + log(L)");
    /* x^1 is x; the powers are elementwise, named I(...^k) as R would need to write them. */
    cr_assert_eq(tfp_formula_nterms(f), 4);
    cr_assert_str_eq(tfp_formula_term(f, 0), "I(log(K)^2)");
    cr_assert_str_eq(tfp_formula_term(f, 1), "I(x^3)");
    cr_assert_str_eq(tfp_formula_term(f, 2), "x");
    cr_assert_str_eq(tfp_formula_term(f, 3), "log(L)");
    cr_assert_null(tfp_formula_term(f, 4));
    tfp_formula_free(f);
}

Test(formula, interactions_follow_r_terms_order)
{
    /* R: labels(terms(y ~ b:a + a)) is c("a", "b:a"): terms by degree, and the factors of
     * an interaction in order of first appearance (y, b, a). */
    tfp_formula *f = parse_ok("y ~ b:a + a"), *g;
    cr_assert_str_eq(tfp_formula_text(f), "y ~ a + b:a");
    /* Parsed again, a comes first, and the same interaction is named a:b, as in R. */
    g = parse_ok(tfp_formula_text(f));
    cr_assert_str_eq(tfp_formula_text(g), "y ~ a + a:b");
    tfp_formula_free(g);
    tfp_formula_free(f);
    /* a:b after a + b is b:a's set: kept once. a:a is a. */
    round_trip("y ~ a + b + b:a + a:b", "y ~ a + b + a:b");
    round_trip("y ~ a:a", "y ~ a");
    round_trip("y ~ x + x + log(x) + log(x)", "y ~ x + log(x)");
    /* Terms by degree; names by first appearance in the text as written. */
    canonical("y ~ a:b:c + c + a:b", "y ~ c + a:b + a:b:c");
    round_trip("log(Y) ~ log(K) + log(L) + log(K)^2 + log(K):log(L)",
               "log(Y) ~ log(K) + log(L) + I(log(K)^2) + log(K):log(L)");
    round_trip("y ~ x^2:z", "y ~ I(x^2):z");
}

Test(formula, intercept_markers)
{
    static const struct {
        const char *text;
        int intercept;
        const char *canon;
    } cases[] = {
        {"y ~ x", 1, "y ~ x"},           {"y ~ x - 1", 0, "y ~ x - 1"},
        {"y ~ x -1", 0, "y ~ x - 1"},    {"y ~ 0 + x", 0, "y ~ x - 1"},
        {"y ~ -1 + x", 0, "y ~ x - 1"},  {"y ~ x + 0", 0, "y ~ x - 1"},
        {"y ~ 1 + x", 1, "y ~ x"},       {"y ~ x - 1 + 1", 1, "y ~ x"},
        {"y ~ 0 + x - 0", 1, "y ~ x"},   {"y ~ 1", 1, "y ~ 1"},
        {"y ~ 0", 0, "y ~ 0"},           {"y ~ -1", 0, "y ~ 0"},
        {"y ~ x - 1.0", 0, "y ~ x - 1"},
    };
    size_t k;
    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        tfp_formula *f = parse_ok(cases[k].text);
        cr_assert_eq(tfp_formula_intercept(f), cases[k].intercept, "%s", cases[k].text);
        cr_assert_str_eq(tfp_formula_text(f), cases[k].canon, "%s", cases[k].text);
        tfp_formula_free(f);
        round_trip(cases[k].canon, cases[k].canon);
    }
}

Test(formula, columns_are_listed_with_their_first_position)
{
    /* Columns counted by hand: "log(" is 1-4, output 5; ") ~ log(" 11-18, capital 19;
     * capital ends at 25, ") + log(" 26-33, labour 34; labour ends at 39, ") + " 40-43,
     * year 44. The interaction repeats capital and year. */
    tfp_formula *f = parse_ok("log(output) ~ log(capital) + log(labour) + year + "
                              "log(capital):year");
    cr_assert_eq(tfp_formula_nvars(f), 4);
    cr_assert_str_eq(tfp_formula_var(f, 0), "output");
    cr_assert_str_eq(tfp_formula_var(f, 1), "capital");
    cr_assert_str_eq(tfp_formula_var(f, 2), "labour");
    cr_assert_str_eq(tfp_formula_var(f, 3), "year");
    cr_assert_eq(tfp_formula_var_col(f, 0), 5);
    cr_assert_eq(tfp_formula_var_col(f, 1), 19);
    cr_assert_eq(tfp_formula_var_col(f, 2), 34);
    cr_assert_eq(tfp_formula_var_col(f, 3), 44);
    cr_assert_null(tfp_formula_var(f, 4));
    cr_assert_eq(tfp_formula_var_col(f, 4), 0);
    cr_assert_str_eq(tfp_formula_response(f), "log(output)");
    tfp_formula_free(f);
}

Test(formula, backquoted_names)
{
    /* Names R would not accept bare print in backquotes: a space, a leading "_", a
     * reserved word, and (unlike R in a UTF-8 locale) any non-ASCII letter, which this
     * parser reads only in backquotes; "x" does not need them. Columns count characters: "sản
     * lượng" is 9 characters (14 bytes), so with its backquotes it ends at 11, "log(" is 15-18 and
     * the backquote before vốn is at 19. */
    tfp_formula *f = parse_ok("`sản lượng` ~ log(`vốn`) + `gdp pc` + _t + `if` + `x`");
    cr_assert_str_eq(tfp_formula_text(f), "`sản lượng` ~ log(`vốn`) + `gdp pc` + `_t` + `if` + x");
    cr_assert_eq(tfp_formula_nvars(f), 6);
    cr_assert_str_eq(tfp_formula_var(f, 0), "sản lượng");
    cr_assert_str_eq(tfp_formula_var(f, 1), "vốn");
    cr_assert_str_eq(tfp_formula_var(f, 2), "gdp pc");
    cr_assert_str_eq(tfp_formula_var(f, 3), "_t");
    cr_assert_str_eq(tfp_formula_var(f, 4), "if");
    cr_assert_str_eq(tfp_formula_var(f, 5), "x");
    cr_assert_eq(tfp_formula_var_col(f, 1), 19);
    tfp_formula_free(f);
}

/* ---- syntax errors -------------------------------------------------------------------- */

Test(formula, syntax_errors_point_at_the_token)
{
    /* Columns by hand: "log(output ~ x": the "~" that should have been ")" is the 12th
     * character. */
    syntax_error("log(output ~ x", 12, "expected \")\"");
    syntax_error("y ~ log(x, 2)", 10, "expected \")\"");
    syntax_error("y ~ I((x + 1)", 14, "expected \")\"");
    syntax_error("y x", 3, "expected \"~\"");
    syntax_error("y", 2, "expected \"~\"");
    syntax_error("~ x", 1, "expected a response before \"~\"");
    syntax_error("", 1, "empty formula");
    syntax_error("   ", 4, "empty formula");
    syntax_error("y ~ x +", 8, "unexpected end of formula");
    syntax_error("y ~", 4, "unexpected end of formula");
    syntax_error("y ~ x:", 7, "unexpected end of formula");
    syntax_error("y ~ x + + z", 9, "unexpected \"+\"");
    syntax_error("y ~ x ~ z", 7, "unexpected \"~\"");
    syntax_error("y ~ I(x) z", 10, "unexpected \"z\"");
    syntax_error("y ~ log()", 9, "unexpected \")\"");
    syntax_error("y ~ lg(x)", 5, "unknown function \"lg\"");
    syntax_error("y ~ x^0", 7, "expected a positive integer after \"^\"");
    syntax_error("y ~ x^2.5", 7, "expected a positive integer after \"^\"");
    syntax_error("y ~ x^-1", 7, "expected a positive integer after \"^\"");
    syntax_error("y ~ x^", 7, "expected a positive integer after \"^\"");
    syntax_error("y ~ 2 + x", 5, "unexpected number \"2\"");
    syntax_error("y ~ 1:x", 5, "unexpected number \"1\"");
    syntax_error("y ~ x:2", 7, "unexpected number \"2\"");
    syntax_error("y ~ x - z", 9, "only the intercept can be removed");
    syntax_error("y ~ a * b", 7, "unexpected \"*\" (crossing is not supported");
    syntax_error("y ~ a / b", 7, "unexpected \"/\"");
    syntax_error("y ~ (a + b)", 5, "unexpected \"(\"");
    syntax_error("y ~ `x", 5, "unterminated name");
    syntax_error("y ~ `` + x", 5, "empty name");
    syntax_error("y ~ x $ z", 7, "unexpected character \"$\"");
    syntax_error("y ~ x\n", 6, "unexpected control character 0x0a");
    syntax_error("y ~ 1x", 5, "malformed number \"1x\"");
    syntax_error("y ~ I(0x1F)", 7, "malformed number \"0x1F\"");
    syntax_error("y ~ I(x * 1e999)", 11, "number out of range");
    syntax_error("y ~ y + x", 5, "the response \"y\" cannot be a term");
    syntax_error("log(y) ~ x:log(y)", 10, "the response \"log(y)\" cannot be a term");
}

Test(formula, error_columns_count_characters_not_bytes)
{
    /* "`sản lượng` ~ x é": the backquoted name is 11 characters (16 bytes), then " ~ x "
     * is 12-16, so "é" is the 17th character. */
    syntax_error("`sản lượng` ~ x é", 17, "unexpected character \"é\"");
    syntax_error("`vốn` ~ log(`vốn`", 18, "expected \")\"");
}

Test(formula, deep_nesting_is_an_error_not_a_crash)
{
    char text[4096];
    size_t k, len = 0;
    len += (size_t)snprintf(text + len, sizeof text - len, "y ~ I(");
    for (k = 0; k < 1000; k++)
        text[len++] = '(';
    text[len++] = 'x';
    text[len] = '\0';
    /* "y ~ I(" is 6 characters; the k-th "(" (1-based), at 6 + k, opens nesting level k, and
     * level MAX + 1 is refused. */
    syntax_error(text, 6 + TFP_FORMULA_MAX_DEPTH + 1, "nested too deeply");

    /* A long left-associative sum: the parser loops, the tree grows one level a term. */
    len = (size_t)snprintf(text, sizeof text, "y ~ I(x");
    for (k = 0; k < TFP_FORMULA_MAX_DEPTH + 10; k++)
        len += (size_t)snprintf(text + len, sizeof text - len, "+x");
    snprintf(text + len, sizeof text - len, ")");
    /* The sum reaches depth MAX + 1 at the operator after MAX x's: "y ~ I(x" is 7
     * characters, and the k-th "+" (1-based) is at 6 + 2k. */
    syntax_error(text, 6 + 2 * TFP_FORMULA_MAX_DEPTH, "nested too deeply");
}

Test(formula, null_arguments_and_null_err)
{
    tfp_formula *f = NULL;
    tfp_error err;
    tfp_error_init(&err);
    cr_assert_eq(tfp_formula_parse(NULL, &f, &err), TFP_EINVAL);
    cr_assert_null(f);
    cr_assert_eq(tfp_formula_parse("y ~", &f, NULL), TFP_EINVAL);
    cr_assert_null(f);
    tfp_formula_free(NULL);
    tfp_design_fini(NULL);
}

/* ---- the design matrix ---------------------------------------------------------------- */

/* Four rows with high-entropy values; output / labour is 3.2, 2.4, 2.3, 2.56 exactly in
 * decimal, year - 2000 is 1 .. 4. */
static const double output4[] = {2.72, 3.6, 5.175, 6.4};
static const double labour4[] = {0.85, 1.5, 2.25, 2.5};
static const double capital4[] = {1.25, 2.385, 3.7, 4.125};
static const double year4[] = {2001, 2002, 2003, 2004};
static const char *const names4[] = {"year", "output", "capital", "labour"};
static const double *const cols4[] = {year4, output4, capital4, labour4};

Test(formula, design_values_match_hand_derivation)
{
    table t = {4, names4, cols4};
    tfp_design d;
    tfp_error err;
    size_t i;
    /* Expected values by 40-digit decimal arithmetic, rounded to 17 digits:
     * y = ln(output / labour) = ln 3.2, ln 2.4, ln 2.3, ln 2.56;
     * ln(capital) = ln 1.25, ln 2.385, ln 3.7, ln 4.125;
     * capital^2 = 1.5625, 5.688225, 13.69, 17.015625 (exact decimals);
     * the interaction is ln(capital) * (year - 2000). */
    static const double y[] = {1.1631508098056809, 0.87546873735389994, 0.83290912293510401,
                               0.94000725849147111};
    static const double lnK[] = {0.22314355131420976, 0.86919912434030454, 1.3083328196501788,
                                 1.4170660197866443};
    static const double K2[] = {1.5625, 5.688225, 13.69, 17.015625};
    static const double lnKt[] = {0.22314355131420976, 1.7383982486806091, 3.9249984589505363,
                                  5.6682640791465772};
    tfp_formula *f = parse_ok("log(output/labour) ~ log(capital) + I(year - 2000) + "
                              "log(capital):I(year - 2000) + capital^2");
    tfp_error_init(&err);
    cr_assert_eq(tfp_formula_design(f, 4, lookup, &t, &d, &err), TFP_OK, "%s", err.msg);
    cr_assert_eq(d.n_in, 4);
    cr_assert_eq(d.n, 4);
    cr_assert_eq(d.p, 5);
    cr_assert_eq(d.intercept, 1);
    cr_assert_eq(d.ndrop, 0);
    cr_assert_str_eq(d.response, "log(output/labour)");
    cr_assert_str_eq(d.name[0], "(Intercept)");
    cr_assert_str_eq(d.name[1], "log(capital)");
    cr_assert_str_eq(d.name[2], "I(year - 2000)");
    cr_assert_str_eq(d.name[3], "I(capital^2)");
    cr_assert_str_eq(d.name[4], "log(capital):I(year - 2000)");
    cr_assert_null(d.row, "no row dropped: no row map");
    for (i = 0; i < 4; i++) {
        const double *x = d.X + i * d.p;
        cr_assert_eq(tfp_design_row(&d, i), i);
        tfp_test_rel(d.y[i], y[i], 1e-15);
        tfp_test_rel(x[0], 1.0, 0.0);
        tfp_test_rel(x[1], lnK[i], 1e-15);
        tfp_test_rel(x[2], (double)(i + 1), 0.0);
        tfp_test_rel(x[3], K2[i], 1e-15);
        tfp_test_rel(x[4], lnKt[i], 1e-15);
    }
    tfp_design_fini(&d);
    cr_assert_null(d.X);
    tfp_design_fini(&d); /* a second fini is harmless */
    tfp_formula_free(f);
}

Test(formula, design_without_intercept_and_other_functions)
{
    table t = {4, names4, cols4};
    tfp_design d;
    size_t i;
    /* By 40-digit decimal arithmetic: sqrt(output), exp(labour), capital / labour. */
    static const double y[] = {1.6492422502470642, 1.8973665961010276, 2.2748626332154652,
                               2.5298221281347035};
    static const double eL[] = {2.3396468519259909, 4.4816890703380648, 9.4877358363585257,
                                12.182493960703473};
    static const double KL[] = {1.4705882352941176, 1.59, 1.6444444444444444, 1.65};
    tfp_formula *f = parse_ok("sqrt(output) ~ 0 + exp(labour) + I(capital/labour) + "
                              "I(-capital^2)");
    cr_assert_eq(tfp_formula_design(f, 4, lookup, &t, &d, NULL), TFP_OK);
    cr_assert_eq(d.p, 3);
    cr_assert_eq(d.intercept, 0);
    cr_assert_str_eq(d.name[0], "exp(labour)");
    for (i = 0; i < 4; i++) {
        const double *x = d.X + i * d.p;
        tfp_test_rel(d.y[i], y[i], 1e-15);
        tfp_test_rel(x[0], eL[i], 1e-15);
        tfp_test_rel(x[1], KL[i], 1e-15);
        /* -capital^2 is -(capital^2) (R's precedence): -1.5625, -5.688225, ... */
        tfp_test_rel(x[2], -capital4[i] * capital4[i], 1e-15);
    }
    tfp_design_fini(&d);
    tfp_formula_free(f);
}

/* The design without the intercept column equals the full design less its first column, for
 * a formula with or without an intercept, drops included. */
Test(formula, absorbed_design_is_the_design_without_the_intercept_column)
{
    static const double x[] = {2.385, TFP_NAN, 0.5, 4.5, -1.25, 3.3};
    static const double yv[] = {1.5, 2.5, 3.5, 4.25, 4.5, 5.5};
    static const char *const names[] = {"x", "y"};
    static const char *const texts[] = {"log(y) ~ log(x) + I(x^2)", "log(y) ~ 0 + log(x) + I(x^2)"};
    const double *cols[] = {x, yv};
    table t = {2, names, cols};
    size_t m, i, j;
    for (m = 0; m < 2; m++) {
        tfp_formula *f = parse_ok(texts[m]);
        tfp_design a, b;
        size_t c0 = m == 0;
        cr_assert_eq(tfp_formula_design(f, 6, lookup, &t, &a, NULL), TFP_OK);
        cr_assert_eq(tfp_formula_design_flags(f, 6, lookup, &t, TFP_DESIGN_NO_INTERCEPT, &b, NULL),
                     TFP_OK);
        cr_assert_eq(a.p, 2 + c0);
        cr_assert_eq(b.p, 2);
        cr_assert_eq(b.intercept, 0);
        cr_assert_eq(b.n, a.n);
        cr_assert_eq(b.n, 4);
        cr_assert_eq(b.ndrop, a.ndrop);
        for (j = 0; j < 2; j++)
            cr_assert_str_eq(b.name[j], a.name[c0 + j]);
        for (i = 0; i < b.n; i++) {
            cr_assert_eq(tfp_design_row(&b, i), tfp_design_row(&a, i));
            cr_assert_eq(b.y[i], a.y[i]);
            for (j = 0; j < 2; j++)
                cr_assert_eq(b.X[i * 2 + j], a.X[i * a.p + c0 + j]);
        }
        tfp_design_fini(&a);
        tfp_design_fini(&b);
        tfp_formula_free(f);
    }
}

Test(formula, rows_with_missing_values_or_log_of_nonpositive_are_dropped_and_counted)
{
    /* Row 1: x missing; row 2: log(0); row 3: y missing; row 4: log of -1.25. Rows 0 and 5
     * are kept: y = 1.5, 5.5 and log(x) = ln 2.385, ln 3.3 (40-digit decimal arithmetic). */
    static const double x[] = {2.385, TFP_NAN, 0.0, 4.5, -1.25, 3.3};
    static const double yv[] = {1.5, 2.5, 3.5, TFP_NAN, 4.5, 5.5};
    static const char *const names[] = {"x", "y"};
    const double *cols[] = {x, yv};
    table t = {2, names, cols};
    tfp_design d;
    tfp_formula *f = parse_ok("y ~ log(x)");
    cr_assert_eq(tfp_formula_design(f, 6, lookup, &t, &d, NULL), TFP_OK);
    cr_assert_eq(d.n_in, 6);
    cr_assert_eq(d.n, 2);
    cr_assert_eq(d.row[0], 0);
    cr_assert_eq(d.row[1], 5);
    tfp_test_rel(d.y[0], 1.5, 0.0);
    tfp_test_rel(d.y[1], 5.5, 0.0);
    tfp_test_rel(d.X[1], 0.86919912434030454, 1e-15);
    tfp_test_rel(d.X[3], 1.1939224684724346, 1e-15);
    /* Causes in column order (y, x), then the factors: each row counted once. */
    cr_assert_eq(d.ndrop, 3);
    cr_assert_eq(d.drop[0].reason, TFP_FORMULA_DROP_MISSING);
    cr_assert_str_eq(d.drop[0].where, "y");
    cr_assert_eq(d.drop[0].count, 1);
    cr_assert_eq(d.drop[1].reason, TFP_FORMULA_DROP_MISSING);
    cr_assert_str_eq(d.drop[1].where, "x");
    cr_assert_eq(d.drop[1].count, 1);
    cr_assert_eq(d.drop[2].reason, TFP_FORMULA_DROP_LOG);
    cr_assert_str_eq(d.drop[2].where, "log(x)");
    cr_assert_eq(d.drop[2].count, 2);
    {
        /* The warning the caller composes from a drop entry. */
        char msg[128];
        snprintf(msg, sizeof msg, "%zu rows dropped: %s in %s", d.drop[2].count,
                 tfp_formula_drop_str(d.drop[2].reason), d.drop[2].where);
        cr_assert_str_eq(msg, "2 rows dropped: log of a non-positive value in log(x)");
    }
    tfp_design_fini(&d);
    tfp_formula_free(f);
}

/*
 * A design of 300,007 rows (above TFP_FORMULA_PARALLEL_MIN_ROWS: evaluated in parts, one
 * thread each) with rows dropped in every part: every 7th row has x missing, every 11th (not
 * 7th) a non-positive x. The kept rows follow each other in input order, each with
 * y = log(x) and x^2 computed here, and the counts are those of the rule.
 */
/*
 * The row map of a parallel design is filled only from a part's first dropped row on: with no
 * row dropped there is none; with one dropped row near the end (in the last part), every row
 * before it, in every part, maps to itself and every row after it to the next input row.
 */
Test(formula, parallel_row_map_is_the_identity_before_the_first_drop)
{
    const size_t n = 300007;
    static const char *const names[] = {"x", "y"};
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    const double *cols[2];
    table t = {2, names, cols};
    tfp_design d;
    tfp_formula *f = parse_ok("log(y) ~ x");
    size_t i, gone = n - 5;
    cr_assert(x != NULL && y != NULL);
    for (i = 0; i < n; i++) {
        x[i] = (double)i;
        y[i] = 1.0 + (double)i;
    }
    cols[0] = x;
    cols[1] = y;
    cr_assert_eq(tfp_formula_design(f, n, lookup, &t, &d, NULL), TFP_OK);
    cr_assert_eq(d.n, n);
    cr_assert_null(d.row);
    tfp_design_fini(&d);
    y[gone] = 0.0; /* log(0): dropped */
    cr_assert_eq(tfp_formula_design(f, n, lookup, &t, &d, NULL), TFP_OK);
    cr_assert_eq(d.n, n - 1);
    cr_assert_not_null(d.row);
    for (i = 0; i < d.n; i++) {
        size_t want = i < gone ? i : i + 1;
        cr_assert_eq(d.row[i], want, "row %zu maps to %zu, want %zu", i, d.row[i], want);
        cr_assert_eq(d.X[i * 2 + 1], x[want]);
    }
    tfp_design_fini(&d);
    tfp_formula_free(f);
    free(x);
    free(y);
}

/*
 * With TFP_DESIGN_DISCARD_INPUTS the design of 700,001 rows (three blocks and a bit, each in
 * parts) is the same to the bit as without, drops in every block included; the inputs are
 * the test's own tfp_malloc arrays, given back as the rows are read.
 */
Test(formula, discarding_the_inputs_gives_the_same_design)
{
    const size_t n = 700001;
    static const char *const names[] = {"x", "y"};
    double *x = tfp_mallocn(n, sizeof *x), *y = tfp_mallocn(n, sizeof *y);
    const double *cols[2];
    table t = {2, names, cols};
    tfp_design a, b;
    tfp_formula *f = parse_ok("log(y) ~ log(x) + I(x^2)");
    size_t i;
    cr_assert(x != NULL && y != NULL);
    for (i = 0; i < n; i++) {
        x[i] = i % 9973 == 5 ? TFP_NAN : 1.0 + (double)(i % 1000) / 7.0;
        y[i] = i % 7919 == 3 ? -1.0 : 2.0 + (double)(i % 313);
    }
    cols[0] = x;
    cols[1] = y;
    cr_assert_eq(tfp_formula_design(f, n, lookup, &t, &a, NULL), TFP_OK);
    cr_assert_eq(tfp_formula_design_flags(f, n, lookup, &t, TFP_DESIGN_DISCARD_INPUTS, &b, NULL),
                 TFP_OK);
    cr_assert_lt(a.n, n);
    cr_assert_eq(b.n, a.n);
    cr_assert_eq(b.p, a.p);
    cr_assert_eq(b.ndrop, a.ndrop);
    for (i = 0; i < a.ndrop; i++)
        cr_assert_eq(b.drop[i].count, a.drop[i].count);
    cr_assert_eq(memcmp(b.y, a.y, a.n * sizeof *a.y), 0);
    cr_assert_eq(memcmp(b.X, a.X, a.n * a.p * sizeof *a.X), 0);
    cr_assert_eq(memcmp(b.row, a.row, a.n * sizeof *a.row), 0);
    tfp_design_fini(&a);
    tfp_design_fini(&b);
    tfp_formula_free(f);
    tfp_free(x);
    tfp_free(y);
}

Test(formula, parallel_parts_keep_input_order_and_count_drops)
{
    const size_t n = 300007;
    static const char *const names[] = {"x", "y"};
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    const double *cols[2];
    table t = {2, names, cols};
    tfp_design d;
    tfp_formula *f = parse_ok("log(y) ~ log(x) + I(x^2)");
    size_t i, k = 0, miss = 0, nonpos = 0;
    cr_assert(x != NULL && y != NULL);
    for (i = 0; i < n; i++) {
        x[i] = 1.0 + (double)(i % 1000) / 7.0;
        y[i] = 2.0 + (double)(i % 313);
        if (i % 7 == 0) {
            x[i] = TFP_NAN;
            miss++;
        } else if (i % 11 == 0) {
            x[i] = -(double)i;
            nonpos++;
        }
    }
    cols[0] = x;
    cols[1] = y;
    cr_assert_eq(tfp_formula_design(f, n, lookup, &t, &d, NULL), TFP_OK);
    cr_assert_eq(d.n, n - miss - nonpos);
    cr_assert_eq(d.p, 3);
    for (i = 0; i < n; i++) {
        if (i % 7 == 0 || i % 11 == 0)
            continue;
        cr_assert_eq(d.row[k], i, "kept row %zu is input row %zu, want %zu", k, d.row[k], i);
        cr_assert_eq(d.X[k * 3], 1.0);
        tfp_test_rel(d.y[k], log(y[i]), 1e-15);
        tfp_test_rel(d.X[k * 3 + 1], log(x[i]), 1e-15);
        tfp_test_rel(d.X[k * 3 + 2], x[i] * x[i], 1e-15);
        k++;
    }
    cr_assert_eq(k, d.n);
    cr_assert_eq(d.ndrop, 2);
    cr_assert_str_eq(d.drop[0].where, "x");
    cr_assert_eq(d.drop[0].count, miss);
    cr_assert_str_eq(d.drop[1].where, "log(x)");
    cr_assert_eq(d.drop[1].count, nonpos);
    tfp_design_fini(&d);
    tfp_formula_free(f);
    free(x);
    free(y);
}

Test(formula, every_drop_cause_is_named_and_counts_sum_to_the_rows_dropped)
{
    /* Row 0 kept; 1: sqrt(-2.385); 2: 1.75 / 0; 3: exp(800) overflows (e^800 > DBL_MAX);
     * 4: an infinite input; 5: exp(log(0)) = exp(-Inf) = 0 is finite, so the row stays, as
     * in R; 6: sqrt(-2.385) again, before (-2.385)^0.5 (NaN) is reached. */
    static const double a[] = {2.385, -2.385, 2.385, 2.385, (double)INFINITY, 2.385, -2.385};
    static const double b[] = {1.75, 1.75, 0.0, 800.0, 1.75, 1.75, 1.75};
    static const double c[] = {1.75, 1.75, 1.75, 1.75, 1.75, 0.0, 1.75};
    static const double yv[] = {1.25, 1.25, 1.25, 1.25, 1.25, 1.25, 1.25};
    static const char *const names[] = {"a", "b", "c", "y"};
    const double *cols[] = {a, b, c, yv};
    table t = {4, names, cols};
    tfp_design d;
    size_t k, sum = 0;
    tfp_formula *f = parse_ok("y ~ sqrt(a) + I(1.75/b) + exp(b) + exp(log(c)) + I(a^0.5)");
    cr_assert_eq(tfp_formula_design(f, 7, lookup, &t, &d, NULL), TFP_OK);
    cr_assert_eq(d.n, 2);
    cr_assert_eq(d.row[0], 0);
    cr_assert_eq(d.row[1], 5);
    cr_assert_eq(d.ndrop, 4);
    cr_assert_eq(d.drop[0].reason, TFP_FORMULA_DROP_RANGE);
    cr_assert_str_eq(d.drop[0].where, "a");
    cr_assert_eq(d.drop[1].reason, TFP_FORMULA_DROP_SQRT);
    cr_assert_str_eq(d.drop[1].where, "sqrt(a)");
    cr_assert_eq(d.drop[1].count, 2); /* rows 1 and 6: sqrt(a) comes before I(a^0.5) */
    cr_assert_eq(d.drop[2].reason, TFP_FORMULA_DROP_DIV);
    cr_assert_str_eq(d.drop[2].where, "I(1.75/b)");
    cr_assert_eq(d.drop[3].reason, TFP_FORMULA_DROP_RANGE);
    cr_assert_str_eq(d.drop[3].where, "exp(b)");
    for (k = 0; k < d.ndrop; k++)
        sum += d.drop[k].count;
    cr_assert_eq(sum, d.n_in - d.n);
    tfp_test_rel(d.X[1 * d.p + 4], 0.0, 0.0); /* row 5's exp(log(0)), kept as row 1 */
    tfp_design_fini(&d);
    tfp_formula_free(f);

    /* A negative number to a fractional power, alone: a non-finite value. */
    f = parse_ok("y ~ I(a^0.5)");
    cr_assert_eq(tfp_formula_design(f, 7, lookup, &t, &d, NULL), TFP_OK);
    cr_assert_eq(d.ndrop, 2);
    cr_assert_str_eq(d.drop[0].where, "a");
    cr_assert_eq(d.drop[1].reason, TFP_FORMULA_DROP_RANGE);
    cr_assert_str_eq(d.drop[1].where, "I(a^0.5)");
    cr_assert_eq(d.drop[1].count, 2);
    cr_assert_str_eq(tfp_formula_drop_str(TFP_FORMULA_DROP_RANGE), "non-finite value");
    tfp_design_fini(&d);
    tfp_formula_free(f);
}

Test(formula, unknown_column_points_at_its_first_appearance)
{
    static const char *const names[] = {"y", "capital"};
    const double *cols[] = {output4, capital4};
    table ty = {2, names, cols};
    table t = {4, names4, cols4};
    tfp_design d;
    tfp_error err;
    char buf[512];
    tfp_formula *f = parse_ok("y ~ captial");
    tfp_error_init(&err);
    cr_assert_eq(tfp_formula_design(f, 4, lookup, &ty, &d, &err), TFP_EINVAL);
    cr_assert_eq(err.col, 5);
    cr_assert_str_eq(err.msg, "unknown column \"captial\"");
    /* Without a y either, the columns are looked up in order: "y" at column 1 first. */
    tfp_error_init(&err);
    cr_assert_eq(tfp_formula_design(f, 4, lookup, &t, &d, &err), TFP_EINVAL);
    cr_assert_eq(err.col, 1);
    cr_assert_str_eq(err.msg, "unknown column \"y\"");
    tfp_formula_free(f);

    f = parse_ok("output ~ captial");
    tfp_error_init(&err);
    cr_assert_eq(tfp_formula_design(f, 4, lookup, &t, &d, &err), TFP_EINVAL);
    cr_assert_null(d.X);
    cr_assert_eq(err.line, 1);
    cr_assert_eq(err.col, 10);
    cr_assert_str_eq(tfp_error_format(&err, buf, sizeof buf),
                     "formula:1:10: unknown column \"captial\"");
    tfp_formula_free(f);

    /* The example: "log(output) ~ " is 14 characters, "log(" 15-18, so the name
     * starts at 19; a later repetition does not move it. */
    f = parse_ok("log(output) ~ log(captial) + log(labour) + log(captial):log(labour)");
    tfp_error_init(&err);
    cr_assert_eq(tfp_formula_design(f, 4, lookup, &t, &d, &err), TFP_EINVAL);
    cr_assert_str_eq(tfp_error_format(&err, buf, sizeof buf),
                     "formula:1:19: unknown column \"captial\"");
    tfp_formula_free(f);
}

Test(formula, interaction_overflow_is_blamed_on_the_term)
{
    /* Row 1: 2.5e200 * 3.5e200 exceeds DBL_MAX (about 1.8e308) although both factors are
     * finite; row 0: 2.5 * 3.5 = 8.75. Intercept only: p = 1, a column of ones. */
    static const double a[] = {2.5, 2.5e200};
    static const double b[] = {3.5, 3.5e200};
    static const double y[] = {1.25, 2.25};
    static const char *const names[] = {"a", "b", "y"};
    const double *cols[] = {a, b, y};
    table t = {3, names, cols};
    tfp_design d;
    tfp_formula *f = parse_ok("y ~ a:b - 1");
    cr_assert_eq(tfp_formula_design(f, 2, lookup, &t, &d, NULL), TFP_OK);
    cr_assert_eq(d.n, 1);
    cr_assert_eq(d.p, 1);
    tfp_test_rel(d.X[0], 8.75, 0.0);
    cr_assert_eq(d.ndrop, 1);
    cr_assert_eq(d.drop[0].reason, TFP_FORMULA_DROP_RANGE);
    cr_assert_str_eq(d.drop[0].where, "a:b");
    tfp_design_fini(&d);
    tfp_formula_free(f);

    f = parse_ok("b ~ 1");
    cr_assert_eq(tfp_formula_design(f, 2, lookup, &t, &d, NULL), TFP_OK);
    cr_assert_eq(d.n, 2);
    cr_assert_eq(d.p, 1);
    cr_assert_str_eq(d.name[0], "(Intercept)");
    tfp_test_rel(d.X[0], 1.0, 0.0);
    tfp_test_rel(d.X[1], 1.0, 0.0);
    tfp_test_rel(d.y[1], 3.5e200, 0.0);
    tfp_design_fini(&d);
    tfp_formula_free(f);
}

Test(formula, empty_table_gives_an_empty_design)
{
    table t = {4, names4, cols4};
    tfp_design d;
    tfp_formula *f = parse_ok("log(output) ~ log(capital)");
    cr_assert_eq(tfp_formula_design(f, 0, lookup, &t, &d, NULL), TFP_OK);
    cr_assert_eq(d.n, 0);
    cr_assert_eq(d.p, 2);
    cr_assert_eq(d.ndrop, 0);
    tfp_design_fini(&d);
    tfp_formula_free(f);
}

/* ---- out of memory -------------------------------------------------------------------- */

Test(formula, parse_and_design_survive_every_allocation_failure)
{
    static const char text[] = "log(output/labour) ~ log(capital) + I(year - 2000) + "
                               "log(capital):I(year - 2000) + capital^2 + `gdp` - 1";
    static const double gdp[] = {1.0, TFP_NAN, 3.0, 4.0};
    static const char *const names[] = {"year", "output", "capital", "labour", "gdp"};
    const double *cols[] = {year4, output4, capital4, labour4, gdp};
    table t = {5, names, cols};
    tfp_formula *f = NULL;
    tfp_design d;
    tfp_error err;
    size_t k;
    int rc, sticky;
    for (sticky = 0; sticky <= 1; sticky++) {
        for (k = 1;; k++) {
            tfp_error_init(&err);
            tfp_alloc_fail_at(k, sticky);
            rc = tfp_formula_parse(text, &f, &err);
            tfp_alloc_fail_at(0, 0);
            if (rc == TFP_OK)
                break;
            cr_assert_eq(rc, TFP_ENOMEM, "parse, k = %zu: rc %d (%s)", k, rc, err.msg);
            cr_assert_eq(err.code, TFP_ENOMEM);
            cr_assert_null(f);
        }
        cr_assert_gt(k, 5, "parse made only %zu allocations", k - 1);
        cr_assert_str_eq(tfp_formula_text(f),
                         "log(output/labour) ~ log(capital) + I(year - 2000) + I(capital^2) + "
                         "gdp + log(capital):I(year - 2000) - 1");
        for (k = 1;; k++) {
            tfp_error_init(&err);
            tfp_alloc_fail_at(k, sticky);
            rc = tfp_formula_design(f, 4, lookup, &t, &d, &err);
            tfp_alloc_fail_at(0, 0);
            if (rc == TFP_OK)
                break;
            cr_assert_eq(rc, TFP_ENOMEM, "design, k = %zu: rc %d (%s)", k, rc, err.msg);
            cr_assert_eq(err.code, TFP_ENOMEM);
            cr_assert_null(d.X);
            cr_assert_null(d.strings);
        }
        cr_assert_gt(k, 5, "design made only %zu allocations", k - 1);
        cr_assert_eq(d.n, 3);
        cr_assert_eq(d.ndrop, 1);
        tfp_design_fini(&d);
        tfp_formula_free(f);
        f = NULL;
    }
}
