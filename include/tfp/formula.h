/*
 * models layer: R-style model formulas ("log(output) ~ log(capital) + log(labour) + year")
 * parsed into terms, and the response vector and design matrix they describe.
 * References: Wilkinson and Rogers (1973), "Symbolic description of factorial models for
 * analysis of variance", Applied Statistics 22(3); R's ?formula, ?terms.object, ?model.matrix
 * (term labels, "(Intercept)", term order), and R's deparse() for the text of expressions.
 */
#ifndef TFP_FORMULA_H
#define TFP_FORMULA_H

#include <stddef.h>

#include "tfp/error.h"

/*
 * Syntax (a subset of R's; whitespace is free between tokens):
 *
 *   formula  := expr "~" rhs
 *   rhs      := item (("+" | "-") item)*     the first item may be preceded by "-"
 *   item     := "0" | "1" | term             after "-", only "1" (or "0") may follow
 *   term     := factor (":" factor)*         an interaction: the elementwise product
 *   factor   := primary ("^" k)?             k a positive integer: the elementwise power
 *   primary  := name | fun "(" expr ")"      fun one of log, exp, sqrt, I
 *   expr     := arithmetic with + - * / ^, unary minus, numbers, names, parentheses and
 *               the functions above, with R's precedence (^ binds tightest and is
 *               right-associative; -a^2 is -(a^2))
 *   name     := [A-Za-z_.][A-Za-z0-9_.]* (not a number such as .5), or `any name` in
 *               backquotes (a name may not contain a backquote)
 *
 * Intercept: present unless the right-hand side holds "- 1", "-1", "+ 0" or a leading "0 +"
 * (or is just "0"); "1" (or "- 0") restores it, and the last such marker wins, as in R.
 * Other numbers cannot be terms: arithmetic belongs inside I(), log(), exp() or sqrt().
 * R's crossing operators ("*" and "^" of a group), "%in%", "." and the removal of terms other
 * than the intercept are not supported and are reported as errors.
 *
 * Powers and interactions differ from R on purpose: in R, x^2 in a formula means the
 * crossing of x with itself, which is just x; here x^2 is the elementwise square, as R's
 * I(x^2), and is named that way. x^1 is x.
 *
 * Names and order (as R's terms() and model.matrix() print them):
 * - Expressions are written as R's deparse() writes them: spaces around binary + - *, none
 *   around / and ^, "-x" for unary minus, parentheses where the formula had them, numbers
 *   with up to 15 significant digits in R's fixed or scientific form, whichever is shorter
 *   (2000, 0.5, 1e+05), and names that R would not accept bare in backquotes (`gdp pc`).
 * - A power x^k is named "I(x^k)": log(capital)^2 gives "I(log(capital)^2)".
 * - An interaction joins its factors' names with ":" in the order in which the factors
 *   first appear in the formula (the response counts first): "log(capital):log(labour)".
 *   b:a after a + b is named "a:b"; a:a is a.
 * - A term that appears twice (b:a and a:b alike) is kept once, where it first appears.
 * - Terms are ordered by the number of factors, and in order of appearance among terms with
 *   the same number (R's keep.order = FALSE): "y ~ a:b + c" has the terms c, a:b.
 * - The canonical text is "response ~ t1 + t2 + ...", followed by " - 1" when there is no
 *   intercept; "y ~ 1" and "y ~ 0" when there are no terms. Parsing the canonical text gives
 *   the same terms in the same order; only an interaction's name may change, because the
 *   order of first appearance changes with the terms' order (as in R: "y ~ b:a + a" prints
 *   as "y ~ a + b:a", which parses to the terms a and a:b).
 *
 * Positions: errors are reported with tfp_fail_at(err, TFP_EINVAL, "formula", 1, col, ...)
 * where col is the 1-based column, counted in characters (UTF-8 code points), of the first
 * character of the offending token: "formula:1:17: unknown column \"captial\"".
 */

/* The deepest expression (nodes from the root to a leaf) accepted. It bounds the recursion
 * of the parser and of the evaluator, so a hostile formula cannot overflow the stack; real
 * formulas are a handful of levels deep. */
#define TFP_FORMULA_MAX_DEPTH 200

/* A parsed formula: opaque, immutable after parsing. */
typedef struct tfp_formula tfp_formula;

/*
 * Parses text.
 *
 * Inputs:  text  the formula, NUL-terminated, borrowed for the call.
 * Output:  out   a new formula, owned by the caller (free with tfp_formula_free); NULL on
 *                failure.
 * Returns  TFP_OK;
 *          TFP_EINVAL  a syntax error, with the column of the offending token in err->col
 *                      and a message such as `expected ")"`, `unexpected "+"`,
 *                      `expected "~"`, `unknown function "lg"`;
 *          TFP_ENOMEM  out of memory.
 */
int tfp_formula_parse(const char *text, tfp_formula **out, tfp_error *err);
void tfp_formula_free(tfp_formula *f);

/* The canonical text (see above). Every string returned by the accessors below is borrowed
 * and lives as long as f. */
const char *tfp_formula_text(const tfp_formula *f);
/* The response's name: "log(output)", "log(output/labour)". */
const char *tfp_formula_response(const tfp_formula *f);
/* Non-zero when the model has an intercept. */
int tfp_formula_intercept(const tfp_formula *f);
/* The number of terms (design columns without the intercept), and the name of term k,
 * 0 <= k < nterms, in design-column order. */
size_t tfp_formula_nterms(const tfp_formula *f);
const char *tfp_formula_term(const tfp_formula *f, size_t k);
/* The distinct column names the formula references (response included), in order of first
 * appearance, and the 1-based character column where name k first appears. */
size_t tfp_formula_nvars(const tfp_formula *f);
const char *tfp_formula_var(const tfp_formula *f, size_t k);
size_t tfp_formula_var_col(const tfp_formula *f, size_t k);

/* Why a row left the design. Each dropped row is counted once, for the first cause found:
 * the columns in tfp_formula_var order, then the response and the terms' factors (log(K),
 * I(K^2)) in order of first appearance, then the products that form interactions. */
typedef enum tfp_formula_drop_reason {
    TFP_FORMULA_DROP_MISSING = 0, /* a NaN (missing value) in a column */
    TFP_FORMULA_DROP_LOG = 1,     /* log of a non-positive value */
    TFP_FORMULA_DROP_SQRT = 2,    /* sqrt of a negative value */
    TFP_FORMULA_DROP_DIV = 3,     /* division by zero */
    TFP_FORMULA_DROP_RANGE = 4    /* any other non-finite value: overflow, an infinite input,
                                   * a negative number to a fractional power */
} tfp_formula_drop_reason;
#define TFP_FORMULA_NDROP_REASONS 5

/* A static description: "missing value", "log of a non-positive value", ... */
const char *tfp_formula_drop_str(int reason);

typedef struct tfp_design_drop {
    int reason;        /* a tfp_formula_drop_reason */
    const char *where; /* the column (MISSING, RANGE of an input), or the response or term
                        * whose value was not finite: "log(capital)"; owned by the design */
    size_t count;      /* rows dropped for this cause; count > 0 */
} tfp_design_drop;

/*
 * The response and design matrix of a formula on a table, in caller storage: the struct
 * lives where the caller puts it, its arrays are owned by it and released by
 * tfp_design_fini. Row i of X and y[i] come from input row tfp_design_row(d, i).
 */
typedef struct tfp_design {
    size_t n_in;           /* rows offered */
    size_t n;              /* rows kept (n_in minus those dropped) */
    size_t p;              /* columns of X: the intercept (first, when present) and terms */
    int intercept;         /* non-zero when column 0 is the intercept, named "(Intercept)" */
    double *y;             /* n responses, owned */
    double *X;             /* n x p, row-major, owned (allocated for n_in rows) */
    size_t *row;           /* n indices of the kept rows in the input, increasing, owned;
                            * NULL when no row was dropped (row i is input row i) */
    const char *response;  /* the response's name, owned */
    const char **name;     /* p column names, owned */
    size_t ndrop;          /* entries in drop */
    tfp_design_drop *drop; /* why rows were dropped, in the order above; the counts sum
                            * to n_in - n; owned */
    char *strings;         /* private: the storage behind the names */
} tfp_design;

/* The input row of design row i < d->n. */
static inline size_t
tfp_design_row(const tfp_design *d, size_t i)
{
    return d->row != NULL ? d->row[i] : i;
}

/* Makes d empty, so that tfp_design_fini may be called on it. */
void tfp_design_init(tfp_design *d);
/* Frees what d owns and makes it empty. */
void tfp_design_fini(tfp_design *d);

/*
 * Looks up the column called name (borrowed for the call) and sets *x to its n values
 * (borrowed, NaN where missing; must stay valid until tfp_formula_design returns). Returns 0,
 * or non-zero when there is no such column. ctx is the caller's.
 */
typedef int (*tfp_formula_lookup)(void *ctx, const char *name, const double **x);

/*
 * Evaluates the response y and the design matrix X of f on a table of n rows.
 *
 * Inputs:  f     the formula, borrowed;
 *          n     rows in the table;
 *          look  column lookup (each name of tfp_formula_var is looked up once, in order);
 *          ctx   passed to look.
 * Output:  d     filled; whatever d held before is overwritten, not freed (call
 *                tfp_design_fini first to reuse one). Owned by the caller, who releases it
 *                with tfp_design_fini. Left empty on failure.
 * Returns  TFP_OK (also when every row is dropped: then d->n = 0);
 *          TFP_EINVAL  a name that look does not know: "unknown column \"captial\"", with
 *                      the file "formula", line 1 and the column where the name first
 *                      appears in the formula;
 *          TFP_ENOMEM  out of memory.
 *
 * A row is dropped, as R's lm() drops rows with NA (na.omit), when a column the formula uses
 * is NaN or infinite there, or when the response or a term is not finite (log(0) is -Inf in
 * R, log(-1) NaN). A non-finite intermediate that does not reach the result (exp(log(0)) = 0)
 * does not drop the row. Each dropped row is counted in d->drop under its first cause, so
 * the caller can warn "12 rows dropped: log of a non-positive value in log(capital)".
 * Values follow C's log, exp and sqrt; a^b is a * a when b = 2 and pow(a, b) otherwise, as in
 * R's R_pow.
 */
int tfp_formula_design(const tfp_formula *f,
                       size_t n,
                       tfp_formula_lookup look,
                       void *ctx,
                       tfp_design *d,
                       tfp_error *err);

/* Options of tfp_formula_design_flags. */
enum {
    /* No intercept column, whether or not f has an intercept: the design of a model whose
     * fixed effects absorb the constant (the within and twoways panel models), which would
     * only compute a column of ones to set it aside. d->intercept is then 0. */
    TFP_DESIGN_NO_INTERCEPT = 1u,
    /* The columns look gives are the caller's own arrays, not needed after the call: their
     * pages are given back to the system (tfp_discard) block by block as the rows are
     * evaluated, so that the design reuses them (its memory is then about the inputs' alone,
     * not the inputs' and the design's). Their contents are undefined afterwards; the arrays
     * stay valid to free. A column that the caller reads later must not be given. */
    TFP_DESIGN_DISCARD_INPUTS = 2u
};

/* tfp_formula_design with flags (an OR of the options above; 0 is tfp_formula_design). The
 * design is the same to the bit with any flags, but for the intercept column. */
int tfp_formula_design_flags(const tfp_formula *f,
                             size_t n,
                             tfp_formula_lookup look,
                             void *ctx,
                             unsigned flags,
                             tfp_design *d,
                             tfp_error *err);

#endif /* TFP_FORMULA_H */
