/*
 * R-style model formulas (models layer): a recursive-descent parser into a pool of expression
 * nodes, terms as sets of distinct factors, and the row-wise evaluation of the response and
 * the design matrix, dropping rows as R's na.omit would. See include/tfp/formula.h.
 * References: Wilkinson and Rogers (1973), Applied Statistics 22(3); R's ?formula,
 * terms.formula (stats/src/model.c), deparse (main/deparse.c) and R_pow (main/arithmetic.c).
 */
#include "tfp/formula.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/parallel.h"
#include "tfp/strbuf.h"

/* Expression nodes. The functions are unary nodes; N_PAREN keeps the user's parentheses so
 * that names print as written (R keeps "(" as a call for the same reason). */
enum { N_NUM, N_VAR, N_NEG, N_ADD, N_SUB, N_MUL, N_DIV, N_POW, N_PAREN, N_LOG, N_EXP, N_SQRT, N_I };

#define NONE ((size_t)-1)

typedef struct node {
    int kind;
    size_t a, b;  /* children, indices into the pool (NONE when absent) */
    size_t var;   /* N_VAR: index into var */
    double num;   /* N_NUM */
    size_t depth; /* nodes on the longest path down to a leaf, this one included */
} node;

typedef struct var {
    size_t name; /* offset in str */
    size_t col;  /* 1-based character column of the first appearance */
} var;

/* A factor is a distinct expression used as a whole: the response (factor 0) or an operand
 * of ":" on the right-hand side. R calls these the formula's variables. */
typedef struct factor {
    size_t root;
    size_t label; /* offset in str */
} factor;

/* A term is a set of factors, f->tf[first .. first + nf), sorted by factor index. */
typedef struct term {
    size_t first;
    size_t nf;
    size_t label;
} term;

struct tfp_formula {
    tfp_strbuf str; /* every name and label, each NUL-terminated, found by offset */
    node *node;
    size_t nnode, cap_node;
    var *var;
    size_t nvar, cap_var;
    factor *fac;
    size_t nfac, cap_fac;
    size_t *tf;
    size_t ntf, cap_tf;
    term *term;
    size_t nterm, cap_term;
    int intercept;
    size_t text; /* offset of the canonical text */
};

/* ---- small helpers ------------------------------------------------------------------ */

/* p grown to hold need elements of size bytes (capacity doubling), or NULL with p intact. */
static void *
grow(void *p, size_t *cap, size_t need, size_t size)
{
    size_t c;
    void *q;
    if (need <= *cap)
        return p;
    c = *cap != 0 ? *cap : 8;
    while (c < need)
        c *= 2;
    q = tfp_reallocn(p, c, size);
    if (q == NULL)
        return NULL;
    *cap = c;
    return q;
}

static const char *
str_at(const tfp_formula *f, size_t off)
{
    return f->str.data + off;
}

/* Appends the string at offset off of sb to sb itself. The append may move sb's data, so
 * the source is read through sb one byte at a time, never through a saved pointer. */
static void
append_own(tfp_strbuf *sb, size_t off)
{
    size_t k, len = strlen(sb->data + off);
    for (k = 0; k < len; k++)
        tfp_strbuf_putc(sb, sb->data[off + k]);
}

static int
is_name_start(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '.';
}

static int
is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int
is_name_char(int c)
{
    return is_name_start(c) || is_digit(c);
}

/* ---- lexer -------------------------------------------------------------------------- */

enum {
    T_END,
    T_NUM,
    T_NAME,
    T_TILDE,
    T_PLUS,
    T_MINUS,
    T_STAR,
    T_SLASH,
    T_CARET,
    T_COLON,
    T_LPAREN,
    T_RPAREN,
    T_COMMA
};

typedef struct token {
    int kind;
    const char *at;  /* first byte of the token (a backquote for a quoted name) */
    const char *end; /* one past its last byte */
    const char *s;   /* T_NAME: the name, without backquotes */
    size_t len;      /* T_NAME: its length in bytes */
    double num;      /* T_NUM */
} token;

typedef struct parser {
    const char *src;
    const char *p; /* next unread byte */
    token tok;     /* the current token */
    size_t depth;  /* recursion depth of parse_unary */
    tfp_formula *f;
    tfp_error *err;
} parser;

/* Records a syntax error at byte at and returns TFP_EINVAL. */
static int fail(parser *ps, const char *at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int
fail(parser *ps, const char *at, const char *fmt, ...)
{
    char msg[TFP_ERROR_MSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return tfp_fail_at(ps->err, TFP_EINVAL, "formula", 1,
                       tfp_utf8_chars(ps->src, (size_t)(at - ps->src)) + 1, "%s", msg);
}

static int
oom(tfp_error *err)
{
    return tfp_fail(err, TFP_ENOMEM, "out of memory");
}

/* Token text as quoted in messages: at most this many bytes of it. */
#define SHOW 64

/* "unexpected X" for the current token. */
static int
unexpected(parser *ps)
{
    const token *t = &ps->tok;
    int len = (int)(t->end - t->at < SHOW ? t->end - t->at : SHOW);
    if (t->kind == T_END)
        return fail(ps, t->at, "unexpected end of formula");
    if (t->kind == T_NUM)
        return fail(ps, t->at, "unexpected number \"%.*s\"", len, t->at);
    return fail(ps, t->at, "unexpected \"%.*s\"", len, t->at);
}

static int
lex_number(parser *ps)
{
    const char *q = ps->p;
    char *end;
    while (is_digit(*q))
        q++;
    if (*q == '.')
        for (q++; is_digit(*q);)
            q++;
    if ((*q == 'e' || *q == 'E') &&
        (is_digit(q[1]) || ((q[1] == '+' || q[1] == '-') && is_digit(q[2])))) {
        q += 2;
        while (is_digit(*q))
            q++;
    }
    if (is_name_char(*q)) {
        while (is_name_char(*q))
            q++;
        return fail(ps, ps->p, "malformed number \"%.*s\"",
                    (int)(q - ps->p < SHOW ? q - ps->p : SHOW), ps->p);
    }
    /* The text is a plain decimal literal followed by a character that cannot continue it
     * (so strtod cannot read more of it, as in hexadecimal "0x1"). */
    ps->tok.num = strtod(ps->p, &end);
    if (end != q || !isfinite(ps->tok.num))
        return fail(ps, ps->p, "number out of range \"%.*s\"",
                    (int)(q - ps->p < SHOW ? q - ps->p : SHOW), ps->p);
    ps->tok.kind = T_NUM;
    ps->p = q;
    return TFP_OK;
}

/* Reads the next token into ps->tok. */
static int
lex(parser *ps)
{
    const char *q;
    unsigned char c;
    token *t = &ps->tok;
    while (*ps->p == ' ' || *ps->p == '\t')
        ps->p++;
    t->at = ps->p;
    c = (unsigned char)*ps->p;
    if (c == '\0') {
        t->kind = T_END;
    } else if (is_digit(c) || (c == '.' && is_digit(ps->p[1]))) {
        int rc = lex_number(ps);
        if (rc != TFP_OK)
            return rc;
    } else if (is_name_start(c)) {
        for (q = ps->p; is_name_char(*q);)
            q++;
        t->kind = T_NAME;
        t->s = ps->p;
        t->len = (size_t)(q - ps->p);
        ps->p = q;
    } else if (c == '`') {
        q = strchr(ps->p + 1, '`');
        if (q == NULL)
            return fail(ps, ps->p, "unterminated name: no closing \"`\"");
        if (q == ps->p + 1)
            return fail(ps, ps->p, "empty name \"``\"");
        t->kind = T_NAME;
        t->s = ps->p + 1;
        t->len = (size_t)(q - t->s);
        ps->p = q + 1;
    } else {
        static const char ops[] = "~+-*/^:(),";
        static const int kinds[] = {T_TILDE, T_PLUS,  T_MINUS,  T_STAR,   T_SLASH,
                                    T_CARET, T_COLON, T_LPAREN, T_RPAREN, T_COMMA};
        const char *o = strchr(ops, (int)c);
        if (o == NULL) {
            size_t k = 1;
            if (c < 0x20 || c == 0x7f)
                return fail(ps, ps->p, "unexpected control character 0x%02x", (unsigned)c);
            while (k < 4 && ((unsigned char)ps->p[k] & 0xC0) == 0x80)
                k++;
            return fail(ps, ps->p, "unexpected character \"%.*s\"", (int)k, ps->p);
        }
        t->kind = kinds[o - ops];
        ps->p++;
    }
    t->end = ps->p;
    return TFP_OK;
}

/* ---- building the formula ---------------------------------------------------------- */

/* Appends a node; its depth is checked against TFP_FORMULA_MAX_DEPTH, blaming byte at. */
static int
add_node(parser *ps, int kind, size_t a, size_t b, const char *at, size_t *out)
{
    tfp_formula *f = ps->f;
    node *nd;
    size_t depth = 0;
    node *q = grow(f->node, &f->cap_node, f->nnode + 1, sizeof *q);
    if (q == NULL)
        return oom(ps->err);
    f->node = q;
    if (a != NONE)
        depth = f->node[a].depth;
    if (b != NONE && f->node[b].depth > depth)
        depth = f->node[b].depth;
    if (depth + 1 > TFP_FORMULA_MAX_DEPTH)
        return fail(ps, at, "expression nested too deeply (more than %d levels)",
                    TFP_FORMULA_MAX_DEPTH);
    nd = &f->node[f->nnode];
    nd->kind = kind;
    nd->a = a;
    nd->b = b;
    nd->var = NONE;
    nd->num = 0.0;
    nd->depth = depth + 1;
    *out = f->nnode++;
    return TFP_OK;
}

/* The index of the column called s[0..len), added at byte at when new. */
static int
intern_var(parser *ps, const char *s, size_t len, const char *at, size_t *out)
{
    tfp_formula *f = ps->f;
    size_t k, off;
    var *q;
    for (k = 0; k < f->nvar; k++) {
        const char *name = str_at(f, f->var[k].name);
        if (strlen(name) == len && memcmp(name, s, len) == 0) {
            *out = k;
            return TFP_OK;
        }
    }
    q = grow(f->var, &f->cap_var, f->nvar + 1, sizeof *q);
    if (q == NULL)
        return oom(ps->err);
    f->var = q;
    off = f->str.len;
    tfp_strbuf_append(&f->str, s, len);
    tfp_strbuf_putc(&f->str, '\0');
    if (tfp_strbuf_status(&f->str) != TFP_OK)
        return oom(ps->err);
    f->var[f->nvar].name = off;
    f->var[f->nvar].col = tfp_utf8_chars(ps->src, (size_t)(at - ps->src)) + 1;
    *out = f->nvar++;
    return TFP_OK;
}

/* ---- deparsing (names as R prints them) -------------------------------------------- */

/* A number as R's deparse() writes it: 15 significant digits at most, trailing zeros
 * dropped, fixed notation unless scientific is narrower (R's formatReal, scipen = 0). */
static void
format_number(double v, char *buf, size_t n)
{
    char e[32];
    const char *x;
    int d, ex, rgt, wF, wE;
    if (v == 0.0) {
        snprintf(buf, n, "0");
        return;
    }
    snprintf(e, sizeof e, "%.14e", v); /* d.dddddddddddddde+XX: 15 significant digits */
    x = strchr(e, 'e');
    ex = atoi(x + 1);
    for (d = 15; d > 1 && e[d] == '0';) /* e[d] is the d-th significant digit (e[1] is '.') */
        d--;
    if (ex >= 0) {
        rgt = d - 1 - ex > 0 ? d - 1 - ex : 0;
        wF = ex + 1 + (rgt > 0 ? rgt + 1 : 0);
    } else {
        rgt = d - 1 - ex;
        wF = 2 + rgt;
    }
    wE = d + (d > 1 ? 1 : 0) + 2 + (ex >= 100 || ex <= -100 ? 3 : 2);
    if (wF <= wE)
        snprintf(buf, n, "%.*f", rgt, v);
    else
        snprintf(buf, n, "%.*e", d - 1, v);
}

/* Whether R would print name without backquotes (a syntactic name, not a reserved word). */
static int
is_syntactic(const char *s)
{
    static const char *const reserved[] = {
        "if",          "else",     "repeat",        "while",       "function", "for", "next",
        "break",       "TRUE",     "FALSE",         "NULL",        "Inf",      "NaN", "NA",
        "NA_integer_", "NA_real_", "NA_character_", "NA_complex_", "in",       "..."};
    size_t k;
    const char *q;
    if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '.'))
        return 0;
    if (s[0] == '.' && is_digit(s[1]))
        return 0;
    for (q = s; *q != '\0'; q++)
        if (!is_name_char(*q))
            return 0;
    for (k = 0; k < sizeof reserved / sizeof reserved[0]; k++)
        if (strcmp(s, reserved[k]) == 0)
            return 0;
    return 1;
}

static void
deparse(const tfp_formula *f, size_t k, tfp_strbuf *sb)
{
    static const char *const binop[] = {" + ", " - ", " * ", "/", "^"};
    static const char *const fun[] = {"log(", "exp(", "sqrt(", "I("};
    const node *nd = &f->node[k];
    char buf[40];
    switch (nd->kind) {
    case N_NUM:
        format_number(nd->num, buf, sizeof buf);
        tfp_strbuf_puts(sb, buf);
        break;
    case N_VAR: {
        size_t name = f->var[nd->var].name;
        int quote = !is_syntactic(str_at(f, name));
        if (quote)
            tfp_strbuf_putc(sb, '`');
        append_own(sb, name);
        if (quote)
            tfp_strbuf_putc(sb, '`');
        break;
    }
    case N_NEG:
        tfp_strbuf_putc(sb, '-');
        deparse(f, nd->a, sb);
        break;
    case N_ADD:
    case N_SUB:
    case N_MUL:
    case N_DIV:
    case N_POW:
        deparse(f, nd->a, sb);
        tfp_strbuf_puts(sb, binop[nd->kind - N_ADD]);
        deparse(f, nd->b, sb);
        break;
    case N_PAREN:
        tfp_strbuf_putc(sb, '(');
        deparse(f, nd->a, sb);
        tfp_strbuf_putc(sb, ')');
        break;
    default: /* N_LOG .. N_I */
        tfp_strbuf_puts(sb, fun[nd->kind - N_LOG]);
        deparse(f, nd->a, sb);
        tfp_strbuf_putc(sb, ')');
        break;
    }
}

/* The index of the factor whose expression is root: an existing one with the same text,
 * or a new one. */
static int
add_factor(parser *ps, size_t root, size_t *out)
{
    tfp_formula *f = ps->f;
    size_t k, off = f->str.len;
    factor *q = grow(f->fac, &f->cap_fac, f->nfac + 1, sizeof *q);
    if (q == NULL)
        return oom(ps->err);
    f->fac = q;
    deparse(f, root, &f->str);
    tfp_strbuf_putc(&f->str, '\0');
    if (tfp_strbuf_status(&f->str) != TFP_OK)
        return oom(ps->err);
    for (k = 0; k < f->nfac; k++)
        if (strcmp(str_at(f, f->fac[k].label), str_at(f, off)) == 0) {
            f->str.len = off;
            *out = k;
            return TFP_OK;
        }
    f->fac[f->nfac].root = root;
    f->fac[f->nfac].label = off;
    *out = f->nfac++;
    return TFP_OK;
}

/* ---- parser: arithmetic expressions ------------------------------------------------ */

static int parse_expr(parser *ps, size_t *out);

/* name "(" expr ")" with the current token on "(" and t the name. */
static int
parse_call(parser *ps, const token *t, size_t *out)
{
    static const char *const names[] = {"log", "exp", "sqrt", "I"};
    static const int kinds[] = {N_LOG, N_EXP, N_SQRT, N_I};
    size_t k, a;
    int rc, kind = -1;
    for (k = 0; k < sizeof names / sizeof names[0]; k++)
        if (strlen(names[k]) == t->len && memcmp(names[k], t->s, t->len) == 0)
            kind = kinds[k];
    if (kind < 0)
        return fail(ps, t->at, "unknown function \"%.*s\" (log, exp, sqrt and I are known)",
                    (int)(t->len < SHOW ? t->len : SHOW), t->s);
    if ((rc = lex(ps)) != TFP_OK || (rc = parse_expr(ps, &a)) != TFP_OK)
        return rc;
    if (ps->tok.kind != T_RPAREN)
        return fail(ps, ps->tok.at, "expected \")\"");
    if ((rc = add_node(ps, kind, a, NONE, t->at, out)) != TFP_OK)
        return rc;
    return lex(ps);
}

/* number | name | name "(" expr ")" | "(" expr ")" */
static int
parse_atom(parser *ps, size_t *out)
{
    token t = ps->tok;
    size_t a;
    int rc;
    switch (t.kind) {
    case T_NUM:
        if ((rc = add_node(ps, N_NUM, NONE, NONE, t.at, out)) != TFP_OK)
            return rc;
        ps->f->node[*out].num = t.num;
        return lex(ps);
    case T_NAME:
        if ((rc = lex(ps)) != TFP_OK)
            return rc;
        if (ps->tok.kind == T_LPAREN)
            return parse_call(ps, &t, out);
        if ((rc = intern_var(ps, t.s, t.len, t.at, &a)) != TFP_OK ||
            (rc = add_node(ps, N_VAR, NONE, NONE, t.at, out)) != TFP_OK)
            return rc;
        ps->f->node[*out].var = a;
        return TFP_OK;
    case T_LPAREN:
        if ((rc = lex(ps)) != TFP_OK || (rc = parse_expr(ps, &a)) != TFP_OK)
            return rc;
        if (ps->tok.kind != T_RPAREN)
            return fail(ps, ps->tok.at, "expected \")\"");
        if ((rc = add_node(ps, N_PAREN, a, NONE, t.at, out)) != TFP_OK)
            return rc;
        return lex(ps);
    default:
        return unexpected(ps);
    }
}

static int parse_unary(parser *ps, size_t *out);

/* atom ("^" unary)?: right-associative, and binding tighter than unary minus on its left. */
static int
parse_power(parser *ps, size_t *out)
{
    size_t a, b;
    const char *at;
    int rc;
    if ((rc = parse_atom(ps, &a)) != TFP_OK)
        return rc;
    if (ps->tok.kind != T_CARET) {
        *out = a;
        return TFP_OK;
    }
    at = ps->tok.at;
    if ((rc = lex(ps)) != TFP_OK || (rc = parse_unary(ps, &b)) != TFP_OK)
        return rc;
    return add_node(ps, N_POW, a, b, at, out);
}

/* "-" unary | power. Every recursive path of the expression grammar passes through here,
 * so the depth count bounds the parser's stack. */
static int
parse_unary(parser *ps, size_t *out)
{
    size_t a;
    const char *at = ps->tok.at;
    int rc;
    if (++ps->depth > TFP_FORMULA_MAX_DEPTH)
        return fail(ps, at, "expression nested too deeply (more than %d levels)",
                    TFP_FORMULA_MAX_DEPTH);
    if (ps->tok.kind == T_MINUS) {
        if ((rc = lex(ps)) != TFP_OK || (rc = parse_unary(ps, &a)) != TFP_OK ||
            (rc = add_node(ps, N_NEG, a, NONE, at, out)) != TFP_OK)
            return rc;
    } else if ((rc = parse_power(ps, out)) != TFP_OK) {
        return rc;
    }
    ps->depth--;
    return TFP_OK;
}

/* unary (("*" | "/") unary)* */
static int
parse_product(parser *ps, size_t *out)
{
    size_t a, b;
    int rc;
    if ((rc = parse_unary(ps, &a)) != TFP_OK)
        return rc;
    while (ps->tok.kind == T_STAR || ps->tok.kind == T_SLASH) {
        int kind = ps->tok.kind == T_STAR ? N_MUL : N_DIV;
        const char *at = ps->tok.at;
        if ((rc = lex(ps)) != TFP_OK || (rc = parse_unary(ps, &b)) != TFP_OK ||
            (rc = add_node(ps, kind, a, b, at, &a)) != TFP_OK)
            return rc;
    }
    *out = a;
    return TFP_OK;
}

/* product (("+" | "-") product)* */
static int
parse_expr(parser *ps, size_t *out)
{
    size_t a, b;
    int rc;
    if ((rc = parse_product(ps, &a)) != TFP_OK)
        return rc;
    while (ps->tok.kind == T_PLUS || ps->tok.kind == T_MINUS) {
        int kind = ps->tok.kind == T_PLUS ? N_ADD : N_SUB;
        const char *at = ps->tok.at;
        if ((rc = lex(ps)) != TFP_OK || (rc = parse_product(ps, &b)) != TFP_OK ||
            (rc = add_node(ps, kind, a, b, at, &a)) != TFP_OK)
            return rc;
    }
    *out = a;
    return TFP_OK;
}

/* ---- parser: the right-hand side --------------------------------------------------- */

static int
number_in_term(parser *ps)
{
    const token *t = &ps->tok;
    return fail(ps, t->at,
                "unexpected number \"%.*s\" (only 0 or 1, for the intercept, can "
                "stand alone; use I() for arithmetic)",
                (int)(t->end - t->at < SHOW ? t->end - t->at : SHOW), t->at);
}

/* primary ("^" k)?, registered as a factor. */
static int
parse_factor(parser *ps, size_t *out)
{
    size_t root, e, pw;
    const char *at = ps->tok.at;
    int rc;
    if (ps->tok.kind == T_NUM)
        return number_in_term(ps);
    if (ps->tok.kind == T_LPAREN)
        return fail(ps, at, "unexpected \"(\" (use I() for arithmetic in a term)");
    if (ps->tok.kind != T_NAME)
        return unexpected(ps);
    if ((rc = parse_atom(ps, &root)) != TFP_OK)
        return rc;
    if (ps->tok.kind == T_CARET) {
        const char *caret = ps->tok.at;
        double k;
        if ((rc = lex(ps)) != TFP_OK)
            return rc;
        k = ps->tok.num;
        if (ps->tok.kind != T_NUM || k < 1.0 || floor(k) != k)
            return fail(ps, ps->tok.at, "expected a positive integer after \"^\"");
        if ((rc = lex(ps)) != TFP_OK)
            return rc;
        if (k != 1.0) {
            /* x^k is the elementwise power, as R's I(x^k), and is named so. */
            if ((rc = add_node(ps, N_NUM, NONE, NONE, caret, &e)) != TFP_OK)
                return rc;
            ps->f->node[e].num = k;
            if ((rc = add_node(ps, N_POW, root, e, caret, &pw)) != TFP_OK ||
                (rc = add_node(ps, N_I, pw, NONE, caret, &root)) != TFP_OK)
                return rc;
        }
    }
    return add_factor(ps, root, out);
}

static int
cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* factor (":" factor)*: a set of factors, kept unless an equal term exists. */
static int
parse_term(parser *ps)
{
    tfp_formula *f = ps->f;
    const char *at = ps->tok.at;
    size_t first = f->ntf, nf, k, j, off, fi;
    term *tq;
    int rc;
    for (;;) {
        size_t *q;
        if ((rc = parse_factor(ps, &fi)) != TFP_OK)
            return rc;
        q = grow(f->tf, &f->cap_tf, f->ntf + 1, sizeof *q);
        if (q == NULL)
            return oom(ps->err);
        f->tf = q;
        f->tf[f->ntf++] = fi;
        if (ps->tok.kind != T_COLON)
            break;
        if ((rc = lex(ps)) != TFP_OK)
            return rc;
    }
    /* R orders the factors of an interaction by first appearance, and a:a is a. */
    nf = f->ntf - first;
    qsort(f->tf + first, nf, sizeof f->tf[0], cmp_size);
    for (j = k = 1; k < nf; k++)
        if (f->tf[first + k] != f->tf[first + j - 1])
            f->tf[first + j++] = f->tf[first + k];
    nf = j;
    f->ntf = first + nf;
    if (f->tf[first] == 0)
        return fail(ps, at, "the response \"%s\" cannot be a term", str_at(f, f->fac[0].label));
    for (k = 0; k < f->nterm; k++)
        if (f->term[k].nf == nf &&
            memcmp(f->tf + f->term[k].first, f->tf + first, nf * sizeof f->tf[0]) == 0) {
            f->ntf = first; /* a duplicate: kept once, where it first appeared */
            return TFP_OK;
        }
    tq = grow(f->term, &f->cap_term, f->nterm + 1, sizeof *tq);
    if (tq == NULL)
        return oom(ps->err);
    f->term = tq;
    off = f->str.len;
    for (k = 0; k < nf; k++) {
        if (k > 0)
            tfp_strbuf_putc(&f->str, ':');
        append_own(&f->str, f->fac[f->tf[first + k]].label);
    }
    tfp_strbuf_putc(&f->str, '\0');
    if (tfp_strbuf_status(&f->str) != TFP_OK)
        return oom(ps->err);
    f->term[f->nterm].first = first;
    f->term[f->nterm].nf = nf;
    f->term[f->nterm].label = off;
    f->nterm++;
    return TFP_OK;
}

/* One item of the right-hand side after a sign: 0 or 1 (the intercept), or a term. */
static int
parse_item(parser *ps, int minus)
{
    if (ps->tok.kind == T_NUM) {
        double v = ps->tok.num;
        const char *end = ps->tok.end;
        while (*end == ' ' || *end == '\t')
            end++;
        if ((v != 0.0 && v != 1.0) || *end == ':' || *end == '^')
            return number_in_term(ps);
        /* "+ 1" or "- 0" keep the intercept, "+ 0" or "- 1" drop it; the last one wins. */
        ps->f->intercept = (v == 1.0) != minus;
        return lex(ps);
    }
    if (minus)
        return fail(ps, ps->tok.at, "only the intercept can be removed (\"- 1\")");
    return parse_term(ps);
}

static int
parse_rhs(parser *ps)
{
    int rc, minus = 0;
    if (ps->tok.kind == T_MINUS) {
        minus = 1;
        if ((rc = lex(ps)) != TFP_OK)
            return rc;
    }
    for (;;) {
        if ((rc = parse_item(ps, minus)) != TFP_OK)
            return rc;
        if (ps->tok.kind != T_PLUS && ps->tok.kind != T_MINUS)
            break;
        minus = ps->tok.kind == T_MINUS;
        if ((rc = lex(ps)) != TFP_OK)
            return rc;
    }
    switch (ps->tok.kind) {
    case T_END:
        return TFP_OK;
    case T_STAR:
        return fail(ps, ps->tok.at,
                    "unexpected \"*\" (crossing is not supported: write a + b + a:b, and use "
                    "I() for arithmetic)");
    case T_SLASH:
        return fail(ps, ps->tok.at,
                    "unexpected \"/\" (nesting is not supported: use I() for arithmetic)");
    default:
        return unexpected(ps);
    }
}

/* Orders the terms by their number of factors, stably (R's keep.order = FALSE). */
static int
order_terms(tfp_formula *f, tfp_error *err)
{
    size_t k, j, maxnf = 0, nt = f->nterm;
    term *sorted;
    if (nt < 2)
        return TFP_OK;
    sorted = tfp_mallocn(nt, sizeof *sorted);
    if (sorted == NULL)
        return oom(err);
    for (k = 0; k < nt; k++)
        maxnf = f->term[k].nf > maxnf ? f->term[k].nf : maxnf;
    for (j = 0, k = 1; k <= maxnf; k++) {
        size_t t;
        for (t = 0; t < nt; t++)
            if (f->term[t].nf == k)
                sorted[j++] = f->term[t];
    }
    memcpy(f->term, sorted, nt * sizeof *sorted);
    tfp_free(sorted);
    return TFP_OK;
}

static int
build_text(tfp_formula *f, tfp_error *err)
{
    size_t k;
    f->text = f->str.len;
    append_own(&f->str, f->fac[0].label);
    tfp_strbuf_puts(&f->str, " ~ ");
    for (k = 0; k < f->nterm; k++) {
        if (k > 0)
            tfp_strbuf_puts(&f->str, " + ");
        append_own(&f->str, f->term[k].label);
    }
    if (f->nterm == 0)
        tfp_strbuf_putc(&f->str, f->intercept ? '1' : '0');
    else if (!f->intercept)
        tfp_strbuf_puts(&f->str, " - 1");
    tfp_strbuf_putc(&f->str, '\0');
    return tfp_strbuf_status(&f->str) != TFP_OK ? oom(err) : TFP_OK;
}

static int
parse(parser *ps)
{
    size_t root, fi;
    int rc;
    if ((rc = lex(ps)) != TFP_OK)
        return rc;
    if (ps->tok.kind == T_END)
        return fail(ps, ps->tok.at, "empty formula");
    if (ps->tok.kind == T_TILDE)
        return fail(ps, ps->tok.at, "expected a response before \"~\"");
    if ((rc = parse_expr(ps, &root)) != TFP_OK || (rc = add_factor(ps, root, &fi)) != TFP_OK)
        return rc;
    if (ps->tok.kind != T_TILDE)
        return fail(ps, ps->tok.at, "expected \"~\"");
    if ((rc = lex(ps)) != TFP_OK || (rc = parse_rhs(ps)) != TFP_OK ||
        (rc = order_terms(ps->f, ps->err)) != TFP_OK)
        return rc;
    return build_text(ps->f, ps->err);
}

int
tfp_formula_parse(const char *text, tfp_formula **out, tfp_error *err)
{
    parser ps;
    tfp_formula *f;
    int rc;
    if (out == NULL)
        return tfp_fail(err, TFP_EINVAL, "tfp_formula_parse: out is NULL");
    *out = NULL;
    if (text == NULL)
        return tfp_fail(err, TFP_EINVAL, "tfp_formula_parse: text is NULL");
    f = tfp_calloc(1, sizeof *f);
    if (f == NULL)
        return oom(err);
    tfp_strbuf_init(&f->str);
    f->intercept = 1;
    memset(&ps, 0, sizeof ps);
    ps.src = text;
    ps.p = text;
    ps.f = f;
    ps.err = err;
    rc = parse(&ps);
    if (rc != TFP_OK) {
        tfp_formula_free(f);
        return rc;
    }
    *out = f;
    return TFP_OK;
}

void
tfp_formula_free(tfp_formula *f)
{
    if (f == NULL)
        return;
    tfp_strbuf_fini(&f->str);
    tfp_free(f->node);
    tfp_free(f->var);
    tfp_free(f->fac);
    tfp_free(f->tf);
    tfp_free(f->term);
    tfp_free(f);
}

const char *
tfp_formula_text(const tfp_formula *f)
{
    return str_at(f, f->text);
}

const char *
tfp_formula_response(const tfp_formula *f)
{
    return str_at(f, f->fac[0].label);
}

int
tfp_formula_intercept(const tfp_formula *f)
{
    return f->intercept;
}

size_t
tfp_formula_nterms(const tfp_formula *f)
{
    return f->nterm;
}

const char *
tfp_formula_term(const tfp_formula *f, size_t k)
{
    return k < f->nterm ? str_at(f, f->term[k].label) : NULL;
}

size_t
tfp_formula_nvars(const tfp_formula *f)
{
    return f->nvar;
}

const char *
tfp_formula_var(const tfp_formula *f, size_t k)
{
    return k < f->nvar ? str_at(f, f->var[k].name) : NULL;
}

size_t
tfp_formula_var_col(const tfp_formula *f, size_t k)
{
    return k < f->nvar ? f->var[k].col : 0;
}

/* ---- the design matrix ------------------------------------------------------------- */

const char *
tfp_formula_drop_str(int reason)
{
    switch (reason) {
    case TFP_FORMULA_DROP_MISSING:
        return "missing value";
    case TFP_FORMULA_DROP_LOG:
        return "log of a non-positive value";
    case TFP_FORMULA_DROP_SQRT:
        return "square root of a negative value";
    case TFP_FORMULA_DROP_DIV:
        return "division by zero";
    case TFP_FORMULA_DROP_RANGE:
        return "non-finite value";
    default:
        return "unknown reason";
    }
}

void
tfp_design_init(tfp_design *d)
{
    memset(d, 0, sizeof *d);
}

void
tfp_design_fini(tfp_design *d)
{
    if (d == NULL)
        return;
    tfp_free(d->y);
    tfp_free(d->X);
    tfp_free(d->row);
    tfp_free(d->name);
    tfp_free(d->drop);
    tfp_free(d->strings);
    tfp_design_init(d);
}

/* The value of node k in row i. When a non-finite value arises from finite operands, *why
 * (if still negative) records the cause, so that the drop count can name it; the caller
 * uses it only when the final value is not finite. */
static double
eval(const tfp_formula *f, size_t k, const double *const *xs, size_t i, int *why)
{
    const node *nd = &f->node[k];
    double a = 0.0, b = 0.0, r;
    int cause = TFP_FORMULA_DROP_RANGE;
    switch (nd->kind) {
    case N_NUM:
        return nd->num;
    case N_VAR:
        return xs[nd->var][i];
    case N_NEG:
        return -eval(f, nd->a, xs, i, why);
    case N_PAREN:
    case N_I:
        return eval(f, nd->a, xs, i, why);
    case N_LOG:
        a = eval(f, nd->a, xs, i, why);
        r = log(a);
        if (a <= 0.0)
            cause = TFP_FORMULA_DROP_LOG;
        break;
    case N_EXP:
        a = eval(f, nd->a, xs, i, why);
        r = exp(a);
        break;
    case N_SQRT:
        a = eval(f, nd->a, xs, i, why);
        r = sqrt(a);
        if (a < 0.0)
            cause = TFP_FORMULA_DROP_SQRT;
        break;
    default:
        a = eval(f, nd->a, xs, i, why);
        b = eval(f, nd->b, xs, i, why);
        switch (nd->kind) {
        case N_ADD:
            r = a + b;
            break;
        case N_SUB:
            r = a - b;
            break;
        case N_MUL:
            r = a * b;
            break;
        case N_DIV:
            r = a / b;
            if (b == 0.0)
                cause = TFP_FORMULA_DROP_DIV;
            break;
        default: /* N_POW: R_pow takes x * x for x^2 (exact rounding), pow() otherwise */
            r = b == 2.0 ? a * a : pow(a, b);
            break;
        }
        break;
    }
    if (!isfinite(r) && isfinite(a) && isfinite(b) && *why < 0)
        *why = cause;
    return r;
}

/* Copies s to *q and advances *q past its NUL; returns the copy. */
static const char *
put_string(char **q, const char *s)
{
    char *at = *q;
    size_t n = strlen(s) + 1;
    memcpy(at, s, n);
    *q += n;
    return at;
}

/*
 * The rows of the design, in parts of consecutive rows evaluated in parallel: part t
 * evaluates rows [i0, i1) and writes the rows it keeps from X[i0 p], y[i0], row[i0] on (it
 * keeps at most i1 - i0), counting its dropped rows by place and reason; the parts' kept rows
 * are then moved down to follow each other, and the counts added. Each row is computed by the
 * same operations whatever the parts, so the design is the same to the bit for any number of
 * threads; with no row dropped nothing moves.
 *
 * The row map is written only from a part's first dropped row on: the rows it kept before
 * are their own input rows, filled in afterwards if any row was dropped at all; with none the
 * map is freed untouched (NULL, the identity), so a design without drops never fills it
 * (8 MB less of fresh memory per million rows).
 */
typedef struct design_part {
    const tfp_formula *f;
    const double *const *xs;
    tfp_design *d;
    size_t p;
    size_t i0, i1; /* rows evaluated */
    size_t kept;   /* rows kept, written from row i0 of X, y and row */
    size_t ident;  /* the first kept rows, kept before any drop: row[] not written */
    size_t *cnt;   /* (nvar + nfac + nterm) x TFP_FORMULA_NDROP_REASONS drop counts */
    double *fv;    /* nfac factor values of the current row */
} design_part;

static void *
design_part_run(void *arg)
{
    design_part *pt = arg;
    const tfp_formula *f = pt->f;
    const double *const *xs = pt->xs;
    const size_t R = TFP_FORMULA_NDROP_REASONS, nv = f->nvar, nf = f->nfac, nt = f->nterm;
    const size_t p = pt->p, c0 = p - f->nterm; /* 1 with the intercept column */
    double *fv = pt->fv;
    size_t i, j, k, kept = 0;
    int dropped = 0;
    for (i = pt->i0; i < pt->i1; i++) {
        double *x = pt->d->X + (pt->i0 + kept) * p;
        size_t w = NONE;
        int why = -1;
        /* First the columns, so that a missing value is named as such. */
        for (k = 0; k < nv && w == NONE; k++)
            if (!isfinite(xs[k][i])) {
                w = k;
                why = isnan(xs[k][i]) ? TFP_FORMULA_DROP_MISSING : TFP_FORMULA_DROP_RANGE;
            }
        for (k = 0; k < nf && w == NONE; k++) {
            why = -1;
            fv[k] = eval(f, f->fac[k].root, xs, i, &why);
            if (!isfinite(fv[k])) {
                w = nv + k;
                why = why < 0 ? TFP_FORMULA_DROP_RANGE : why;
            }
        }
        /* An interaction is the product of its factors (its own overflow is RANGE). */
        for (k = 0; k < nt && w == NONE; k++) {
            const term *t = &f->term[k];
            double v = fv[f->tf[t->first]];
            for (j = 1; j < t->nf; j++)
                v *= fv[f->tf[t->first + j]];
            if (!isfinite(v)) {
                w = nv + nf + k;
                why = TFP_FORMULA_DROP_RANGE;
            }
            x[c0 + k] = v;
        }
        if (w != NONE) {
            pt->cnt[w * R + (size_t)why]++;
            if (!dropped)
                pt->ident = kept;
            dropped = 1;
            continue;
        }
        if (c0)
            x[0] = 1.0;
        pt->d->y[pt->i0 + kept] = fv[0];
        if (dropped)
            pt->d->row[pt->i0 + kept] = i;
        kept++;
    }
    pt->kept = kept;
    if (!dropped)
        pt->ident = kept;
    return NULL;
}

/* Parts for n rows: the online processors (at most TFP_FORMULA_MAX_THREADS) from
 * TFP_FORMULA_PARALLEL_MIN_ROWS rows on, else 1. */
static size_t
design_nparts(size_t n)
{
    return n < TFP_FORMULA_PARALLEL_MIN_ROWS ? 1 : tfp_online_cpus(TFP_FORMULA_MAX_THREADS);
}

/* Rows of a block of the design when its inputs are discarded as it goes: 2 MiB of a column
 * of doubles, a whole huge page of one allocated as tfp_malloc allocates large blocks. */
#define DISCARD_BLOCK_ROWS ((size_t)1 << 18)

/*
 * The design's rows in blocks of consecutive rows, one after the other, each evaluated in
 * parts (design_part_run); one block unless discard is set, when each block's input rows are
 * given back to the system (tfp_discard) once evaluated, so that the design's own pages, and
 * later allocations, reuse theirs: the memory is about that of the inputs instead of the
 * inputs and the design together. The parts' kept rows are moved down to follow each other
 * at the end; the design is the same to the bit for any blocks and parts.
 */
static int
design_rows(const tfp_formula *f,
            const double *const *xs,
            size_t n,
            size_t p,
            int discard,
            tfp_design *d,
            size_t *cnt,
            size_t *kept,
            tfp_error *err)
{
    const size_t R = TFP_FORMULA_NDROP_REASONS, nw = f->nvar + f->nfac + f->nterm;
    size_t T = design_nparts(n), t, k, at, b;
    size_t B = discard && n > DISCARD_BLOCK_ROWS ? (n - 1) / DISCARD_BLOCK_ROWS + 1 : 1;
    size_t np = B * T, done = 0;
    design_part *part = tfp_mallocn(np, sizeof *part);
    size_t *pcnt = tfp_calloc(np * nw * R + 1, sizeof *pcnt);
    double *fv = tfp_mallocn(T * f->nfac + 1, sizeof *fv);
    if (part == NULL || pcnt == NULL || fv == NULL) {
        tfp_free(part);
        tfp_free(pcnt);
        tfp_free(fv);
        return oom(err);
    }
    for (b = 0; b < B; b++) {
        size_t b0 = B == 1 ? 0 : b * DISCARD_BLOCK_ROWS, b1 = B == 1 ? n : b0 + DISCARD_BLOCK_ROWS;
        design_part *pb = part + b * T;
        if (b1 > n)
            b1 = n;
        for (t = 0; t < T; t++) {
            pb[t].f = f;
            pb[t].xs = xs;
            pb[t].d = d;
            pb[t].p = p;
            pb[t].i0 = b0 + t * (b1 - b0) / T;
            pb[t].i1 = b0 + (t + 1) * (b1 - b0) / T;
            pb[t].cnt = pcnt + (b * T + t) * nw * R;
            pb[t].fv = fv + t * f->nfac;
        }
        tfp_run_parts(design_part_run, pb, sizeof *pb, T);
        if (discard) {
            /* The rows read so far, from the end of the last discarded range (a page that
             * straddles two blocks goes with the later one). */
            for (k = 0; k < f->nvar; k++)
                tfp_discard((void *)(uintptr_t)(xs[k] + done), (b1 - done) * sizeof(double));
            done = b1;
        }
    }
    at = 0;
    for (t = 0; t < np; t++)
        at += part[t].kept;
    if (at == n) {
        tfp_free(d->row);
        d->row = NULL;
    } else {
        for (t = 0; t < np; t++)
            for (k = 0; k < part[t].ident; k++)
                d->row[part[t].i0 + k] = part[t].i0 + k;
    }
    at = part[0].kept;
    for (t = 1; t < np; t++) {
        if (at != part[t].i0 && part[t].kept > 0) {
            memmove(d->X + at * p, d->X + part[t].i0 * p, part[t].kept * p * sizeof *d->X);
            memmove(d->y + at, d->y + part[t].i0, part[t].kept * sizeof *d->y);
            memmove(d->row + at, d->row + part[t].i0, part[t].kept * sizeof *d->row);
        }
        at += part[t].kept;
    }
    for (t = 0; t < np; t++)
        for (k = 0; k < nw * R; k++)
            cnt[k] += part[t].cnt[k];
    *kept = at;
    tfp_free(part);
    tfp_free(pcnt);
    tfp_free(fv);
    return TFP_OK;
}

int
tfp_formula_design_flags(const tfp_formula *f,
                         size_t n,
                         tfp_formula_lookup look,
                         void *ctx,
                         unsigned flags,
                         tfp_design *d,
                         tfp_error *err)
{
    static const char icpt[] = "(Intercept)";
    const size_t R = TFP_FORMULA_NDROP_REASONS;
    const double **xs = NULL;
    size_t *cnt = NULL;
    size_t nv, nf, nt, p, nw, k, j, bytes, kept = 0;
    char *q;
    const char **where = NULL;
    int rc = TFP_OK, intercept;

    if (d == NULL)
        return tfp_fail(err, TFP_EINVAL, "tfp_formula_design: d is NULL");
    tfp_design_init(d);
    if (f == NULL || look == NULL)
        return tfp_fail(err, TFP_EINVAL, "tfp_formula_design: formula or lookup is NULL");
    nv = f->nvar;
    nf = f->nfac;
    nt = f->nterm;
    intercept = f->intercept && !(flags & TFP_DESIGN_NO_INTERCEPT);
    p = (size_t)(intercept != 0) + nt;
    nw = nv + nf + nt; /* the places a row can fail: columns, factors, terms */

    xs = tfp_calloc(nv, sizeof *xs);
    if (xs == NULL)
        goto nomem;
    for (k = 0; k < nv; k++)
        if (look(ctx, str_at(f, f->var[k].name), &xs[k]) != 0) {
            rc = tfp_fail_at(err, TFP_EINVAL, "formula", 1, f->var[k].col, "unknown column \"%s\"",
                             str_at(f, f->var[k].name));
            goto done;
        }

    /* One block for the names: "(Intercept)", then every place in order (columns, factors
     * with the response first, terms), so that design and drop names point into it. */
    bytes = sizeof icpt;
    for (k = 0; k < nv; k++)
        bytes += strlen(str_at(f, f->var[k].name)) + 1;
    for (k = 0; k < nf; k++)
        bytes += strlen(str_at(f, f->fac[k].label)) + 1;
    for (k = 0; k < nt; k++)
        bytes += strlen(str_at(f, f->term[k].label)) + 1;
    if (p != 0 && n > SIZE_MAX / p)
        goto nomem;
    d->strings = tfp_malloc(bytes);
    d->name = tfp_mallocn(p, sizeof *d->name);
    where = tfp_mallocn(nw, sizeof *where);
    d->y = tfp_mallocn(n, sizeof *d->y);
    d->X = tfp_mallocn(n * p, sizeof *d->X);
    d->row = tfp_mallocn(n, sizeof *d->row);
    cnt = tfp_calloc(nw * R, sizeof *cnt);
    if (d->strings == NULL || d->name == NULL || where == NULL || d->y == NULL || d->X == NULL ||
        d->row == NULL || cnt == NULL)
        goto nomem;
    q = d->strings;
    j = 0;
    if (intercept)
        d->name[j++] = put_string(&q, icpt);
    for (k = 0; k < nv; k++)
        where[k] = put_string(&q, str_at(f, f->var[k].name));
    for (k = 0; k < nf; k++)
        where[nv + k] = put_string(&q, str_at(f, f->fac[k].label));
    for (k = 0; k < nt; k++)
        d->name[j++] = where[nv + nf + k] = put_string(&q, str_at(f, f->term[k].label));
    d->response = where[nv];

    rc = design_rows(f, xs, n, p, (flags & TFP_DESIGN_DISCARD_INPUTS) != 0, d, cnt, &kept, err);
    if (rc != TFP_OK)
        goto done;

    for (k = 0; k < nw * R; k++)
        d->ndrop += cnt[k] != 0;
    d->drop = tfp_mallocn(d->ndrop, sizeof *d->drop);
    if (d->drop == NULL)
        goto nomem;
    for (j = 0, k = 0; k < nw * R; k++)
        if (cnt[k] != 0) {
            d->drop[j].reason = (int)(k % R);
            d->drop[j].where = where[k / R];
            d->drop[j].count = cnt[k];
            j++;
        }
    d->n_in = n;
    d->n = kept;
    d->p = p;
    d->intercept = intercept != 0;
    goto done;

nomem:
    rc = oom(err);
done:
    tfp_free(xs);
    tfp_free(cnt);
    tfp_free(where);
    if (rc != TFP_OK)
        tfp_design_fini(d);
    return rc;
}

int
tfp_formula_design(const tfp_formula *f,
                   size_t n,
                   tfp_formula_lookup look,
                   void *ctx,
                   tfp_design *d,
                   tfp_error *err)
{
    return tfp_formula_design_flags(f, n, look, ctx, 0, d, err);
}
