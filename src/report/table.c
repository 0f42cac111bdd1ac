/*
 * The table model (report layer): typed columns with English and Vietnamese
 * labels, cells stored as one double per cell plus one owned string per
 * text-valued cell, rows grown geometrically. Also the cell formatting that
 * every renderer shares, so that one number reads the same in every format.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "tfp/alloc.h"
#include "tfp/config.h"

/* ---- building ------------------------------------------------------------ */

static char *
dup_or_null(const char *s, int *failed)
{
    char *d;
    if (s == NULL)
        return NULL;
    d = tfp_strdup(s);
    if (d == NULL)
        *failed = 1;
    return d;
}

tfp_table *
tfp_table_alloc(const char *key, const char *title_en, const char *title_vi, tfp_error *err)
{
    tfp_table *t;
    int failed = 0;
    if (key == NULL || key[0] == '\0') {
        tfp_fail(err, TFP_EINVAL, "a table needs a non-empty key");
        return NULL;
    }
    t = tfp_calloc(1, sizeof *t);
    if (t == NULL) {
        tfp_fail(err, TFP_ENOMEM, "out of memory allocating table \"%s\"", key);
        return NULL;
    }
    t->key = dup_or_null(key, &failed);
    t->title_en = dup_or_null(title_en, &failed);
    t->title_vi = dup_or_null(title_vi, &failed);
    if (failed) {
        tfp_table_free(t);
        tfp_fail(err, TFP_ENOMEM, "out of memory allocating table \"%s\"", key);
        return NULL;
    }
    return t;
}

void
tfp_table_free(tfp_table *t)
{
    size_t i;
    if (t == NULL)
        return;
    for (i = 0; i < t->ncol; i++) {
        tfp_free(t->cols[i].key);
        tfp_free(t->cols[i].label_en);
        tfp_free(t->cols[i].label_vi);
    }
    for (i = 0; i < t->nrow * t->ntext; i++)
        tfp_free(t->text[i]);
    tfp_free(t->cols);
    tfp_free(t->num);
    tfp_free(t->text);
    tfp_free(t->key);
    tfp_free(t->title_en);
    tfp_free(t->title_vi);
    tfp_free(t);
}

static int
is_text_type(tfp_cell_type type)
{
    return type == TFP_CELL_TEXT || type == TFP_CELL_STATUS;
}

int
tfp_table_add_col(tfp_table *t,
                  const char *key,
                  const char *label_en,
                  const char *label_vi,
                  tfp_cell_type type,
                  tfp_error *err)
{
    tfp_report_col *c;
    int failed = 0;
    if (t == NULL || key == NULL || key[0] == '\0')
        return tfp_fail(err, TFP_EINVAL, "a column needs a table and a non-empty key");
    if ((int)type < (int)TFP_CELL_TEXT || (int)type > (int)TFP_CELL_STATUS)
        return tfp_fail(err, TFP_EINVAL, "column \"%s\": unknown cell type %d", key, (int)type);
    if (t->nrow > 0 || t->rowcap > 0)
        return tfp_fail(err, TFP_EINVAL, "column \"%s\": columns must be added before rows", key);
    if (tfp_table_col(t, key) != SIZE_MAX)
        return tfp_fail(err, TFP_EINVAL, "table \"%s\" already has a column \"%s\"", t->key, key);
    if (t->ncol == t->colcap) {
        size_t cap = t->colcap ? 2 * t->colcap : 8;
        tfp_report_col *p = tfp_reallocn(t->cols, cap, sizeof *p);
        if (p == NULL)
            return tfp_fail(err, TFP_ENOMEM, "out of memory adding column \"%s\"", key);
        t->cols = p;
        t->colcap = cap;
    }
    c = &t->cols[t->ncol];
    c->key = dup_or_null(key, &failed);
    c->label_en = dup_or_null(label_en, &failed);
    c->label_vi = dup_or_null(label_vi, &failed);
    if (failed) {
        tfp_free(c->key);
        tfp_free(c->label_en);
        tfp_free(c->label_vi);
        return tfp_fail(err, TFP_ENOMEM, "out of memory adding column \"%s\"", key);
    }
    c->type = type;
    c->text_slot = is_text_type(type) ? t->ntext++ : SIZE_MAX;
    t->ncol++;
    return TFP_OK;
}

int
tfp_table_add_row(tfp_table *t, size_t *row, tfp_error *err)
{
    size_t j;
    double *num;
    if (t == NULL)
        return tfp_fail(err, TFP_EINVAL, "no table to add a row to");
    if (t->nrow == t->rowcap) {
        size_t cap = t->rowcap ? 2 * t->rowcap : 16;
        char **text;
        if (cap < t->rowcap)
            return tfp_fail(err, TFP_ENOMEM, "table \"%s\" has too many rows", t->key);
        if (t->ncol > 0 && cap > SIZE_MAX / t->ncol)
            return tfp_fail(err, TFP_ENOMEM, "table \"%s\" has too many rows", t->key);
        /* Each array is replaced as soon as its reallocation succeeds, so a
         * failure of the second leaves the first larger but consistent. */
        num = tfp_reallocn(t->num, cap * t->ncol, sizeof *num);
        if (num == NULL)
            return tfp_fail(err, TFP_ENOMEM, "out of memory adding a row to \"%s\"", t->key);
        t->num = num;
        text = tfp_reallocn(t->text, cap * t->ntext, sizeof *text);
        if (text == NULL)
            return tfp_fail(err, TFP_ENOMEM, "out of memory adding a row to \"%s\"", t->key);
        t->text = text;
        t->rowcap = cap;
    }
    for (j = 0; j < t->ncol; j++)
        t->num[t->nrow * t->ncol + j] = NAN;
    for (j = 0; j < t->ntext; j++)
        t->text[t->nrow * t->ntext + j] = NULL;
    if (row != NULL)
        *row = t->nrow;
    t->nrow++;
    return TFP_OK;
}

int
tfp_table_set_num(tfp_table *t, size_t row, size_t col, double v)
{
    if (t == NULL || row >= t->nrow || col >= t->ncol || is_text_type(t->cols[col].type))
        return TFP_EINVAL;
    t->num[row * t->ncol + col] = v;
    return TFP_OK;
}

int
tfp_table_set_text(tfp_table *t, size_t row, size_t col, const char *s, tfp_error *err)
{
    char **cell;
    char *copy = NULL;
    if (t == NULL || row >= t->nrow || col >= t->ncol)
        return tfp_fail(err, TFP_EINVAL, "no cell (%zu, %zu) in the table", row, col);
    if (!is_text_type(t->cols[col].type))
        return tfp_fail(err, TFP_EINVAL, "column \"%s\" holds numbers, not text", t->cols[col].key);
    if (s != NULL) {
        copy = tfp_strdup(s);
        if (copy == NULL)
            return tfp_fail(err, TFP_ENOMEM, "out of memory setting a cell of \"%s\"",
                            t->cols[col].key);
    }
    cell = &t->text[row * t->ntext + t->cols[col].text_slot];
    tfp_free(*cell);
    *cell = copy;
    return TFP_OK;
}

tfp_table *
tfp_report_table_copy(const tfp_table *src, tfp_error *err)
{
    tfp_table *t;
    size_t i, j;
    if (src == NULL) {
        tfp_fail(err, TFP_EINVAL, "no table to copy");
        return NULL;
    }
    t = tfp_table_alloc(src->key, src->title_en, src->title_vi, err);
    if (t == NULL)
        return NULL;
    for (j = 0; j < src->ncol; j++)
        if (tfp_table_add_col(t, src->cols[j].key, src->cols[j].label_en, src->cols[j].label_vi,
                              src->cols[j].type, err) != TFP_OK)
            goto fail;
    for (i = 0; i < src->nrow; i++) {
        size_t row;
        if (tfp_table_add_row(t, &row, err) != TFP_OK)
            goto fail;
        for (j = 0; j < src->ncol; j++) {
            if (!is_text_type(src->cols[j].type))
                t->num[row * t->ncol + j] = src->num[i * src->ncol + j];
            else if (tfp_table_set_text(t, row, j, tfp_table_text(src, i, j), err) != TFP_OK)
                goto fail;
        }
    }
    return t;
fail:
    tfp_table_free(t);
    return NULL;
}

/* ---- reading --------------------------------------------------------------- */

size_t
tfp_table_ncol(const tfp_table *t)
{
    return t != NULL ? t->ncol : 0;
}

size_t
tfp_table_nrow(const tfp_table *t)
{
    return t != NULL ? t->nrow : 0;
}

size_t
tfp_table_col(const tfp_table *t, const char *key)
{
    size_t j;
    if (t == NULL || key == NULL)
        return SIZE_MAX;
    for (j = 0; j < t->ncol; j++)
        if (strcmp(t->cols[j].key, key) == 0)
            return j;
    return SIZE_MAX;
}

double
tfp_table_num(const tfp_table *t, size_t row, size_t col)
{
    if (t == NULL || row >= t->nrow || col >= t->ncol || is_text_type(t->cols[col].type))
        return NAN;
    return t->num[row * t->ncol + col];
}

const char *
tfp_table_text(const tfp_table *t, size_t row, size_t col)
{
    if (t == NULL || row >= t->nrow || col >= t->ncol || !is_text_type(t->cols[col].type))
        return NULL;
    return t->text[row * t->ntext + t->cols[col].text_slot];
}

const char *
tfp_report_title(const tfp_table *t, tfp_lang lang)
{
    if (lang == TFP_LANG_VI && t->title_vi != NULL)
        return t->title_vi;
    return t->title_en != NULL ? t->title_en : t->title_vi;
}

const char *
tfp_report_label(const tfp_table *t, size_t col, tfp_lang lang)
{
    const tfp_report_col *c = &t->cols[col];
    if (lang == TFP_LANG_VI && c->label_vi != NULL)
        return c->label_vi;
    if (c->label_en != NULL)
        return c->label_en;
    return c->label_vi != NULL ? c->label_vi : c->key;
}

int
tfp_report_col_numeric(const tfp_table *t, size_t col)
{
    return !is_text_type(t->cols[col].type);
}

/* ---- options --------------------------------------------------------------- */

void
tfp_render_opts_init(tfp_render_opts *o)
{
    o->lang = TFP_LANG_EN;
    o->digits = TFP_DEFAULT_DIGITS;
    o->pct_decimals = TFP_REPORT_PCT_DECIMALS;
    o->delimiter = ',';
}

int
tfp_report_opts_check(const tfp_render_opts *o, tfp_render_opts *v, tfp_error *err)
{
    if (o == NULL)
        tfp_render_opts_init(v);
    else
        *v = *o;
    if (v->lang != TFP_LANG_EN && v->lang != TFP_LANG_VI)
        return tfp_fail(err, TFP_EINVAL, "unknown output language %d", (int)v->lang);
    /* A delimiter that can occur inside a quoted field's syntax, or none at
     * all, would make the CSV ambiguous. */
    if (v->delimiter == '\0' || v->delimiter == '"' || v->delimiter == '\n' || v->delimiter == '\r')
        return tfp_fail(err, TFP_EINVAL, "the CSV delimiter cannot be NUL, '\"', CR or LF");
    if (v->digits < 1)
        v->digits = 1;
    if (v->digits > TFP_DEFAULT_DIGITS)
        v->digits = TFP_DEFAULT_DIGITS;
    if (v->pct_decimals < 0)
        v->pct_decimals = 0;
    if (v->pct_decimals > TFP_REPORT_MAX_PCT_DECIMALS)
        v->pct_decimals = TFP_REPORT_MAX_PCT_DECIMALS;
    return TFP_OK;
}

/* ---- cell formatting --------------------------------------------------------- */

/* Rewrites the plain number s ("-"? digits ("." digits)?, '.' as decimal
 * point) for display in lang: thousands separators between groups of three
 * integer digits (',' in English, '.' in Vietnamese), the language's decimal
 * mark ('.' or ','), and no sign when every digit is zero ("-0.00" would
 * claim a sign the rounded value does not have). Writes into out. */
static const char *
localize(const char *s, tfp_lang lang, char *out)
{
    char sep = lang == TFP_LANG_VI ? '.' : ',';
    char mark = lang == TFP_LANG_VI ? ',' : '.';
    const char *p = s, *dot;
    size_t nint, i, k = 0;
    int neg = 0, nonzero = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    dot = strchr(p, '.');
    nint = dot != NULL ? (size_t)(dot - p) : strlen(p);
    for (i = 0; p[i] != '\0'; i++)
        if (p[i] >= '1' && p[i] <= '9')
            nonzero = 1;
    if (neg && nonzero)
        out[k++] = '-';
    for (i = 0; i < nint; i++) {
        if (i > 0 && (nint - i) % 3 == 0)
            out[k++] = sep;
        out[k++] = p[i];
    }
    if (dot != NULL) {
        out[k++] = mark;
        for (i = 1; dot[i] != '\0'; i++)
            out[k++] = dot[i];
    }
    out[k] = '\0';
    return out;
}

/* NUMBER for display: TFP_REPORT_SIG_DIGITS significant digits below 1000,
 * at most TFP_REPORT_MAX_DECIMALS decimals, trailing zeros dropped; a whole
 * number from 1000 up. The rounding position comes from "%.3e", whose
 * exponent is that of the value already rounded, so that 999.96 becomes
 * "1,000" and not "1000.0"; "%.*f" then rounds at that same position. */
static const char *
format_number(double v, tfp_lang lang, char *buf)
{
    char tmp[TFP_REPORT_CELL_SIZE];
    const char *e;
    long exp10;
    int decimals = 0;
    size_t n;
    snprintf(tmp, sizeof tmp, "%.*e", TFP_REPORT_SIG_DIGITS - 1, v);
    e = strchr(tmp, 'e');
    exp10 = e != NULL ? strtol(e + 1, NULL, 10) : 0;
    if (exp10 < TFP_REPORT_SIG_DIGITS - 1)
        decimals = TFP_REPORT_SIG_DIGITS - 1 - (int)exp10;
    if (decimals > TFP_REPORT_MAX_DECIMALS)
        decimals = TFP_REPORT_MAX_DECIMALS;
    snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
    if (decimals > 0) {
        n = strlen(tmp);
        while (tmp[n - 1] == '0')
            tmp[--n] = '\0';
        if (tmp[n - 1] == '.')
            tmp[--n] = '\0';
    }
    return localize(tmp, lang, buf);
}

/* FRACTION for display, in percent with d decimals. The fraction is printed
 * with d + 2 decimals and the decimal point moved two places right, which
 * rounds the exact binary value once: 0.12345 (stored as 0.123450000000000004)
 * gives "12.35", where printing 0.12345 * 100 = 12.344999999999999 would
 * give "12.34". */
static const char *
format_percent(double v, int d, tfp_lang lang, char *buf)
{
    char tmp[TFP_REPORT_CELL_SIZE], digits[TFP_REPORT_CELL_SIZE], shifted[TFP_REPORT_CELL_SIZE];
    const char *p = tmp, *dot, *q;
    size_t k = 0;
    snprintf(tmp, sizeof tmp, "%.*f", d + 2, v);
    if (*p == '-')
        p++;
    dot = strchr(p, '.');
    /* The integer digits followed by the first two decimals ... */
    memcpy(digits, p, (size_t)(dot - p));
    digits[dot - p] = dot[1];
    digits[dot - p + 1] = dot[2];
    digits[dot - p + 2] = '\0';
    /* ... without leading zeros ("0.0001" -> "000" -> "0"), */
    q = digits;
    while (q[0] == '0' && q[1] != '\0')
        q++;
    if (tmp[0] == '-')
        shifted[k++] = '-';
    memcpy(shifted + k, q, strlen(q));
    k += strlen(q);
    /* ... then the remaining d decimals. */
    if (d > 0) {
        shifted[k++] = '.';
        memcpy(shifted + k, dot + 3, (size_t)d);
        k += (size_t)d;
    }
    shifted[k] = '\0';
    return localize(shifted, lang, buf);
}

const char *
tfp_report_fixed(double v, int decimals, tfp_lang lang, char *buf)
{
    char tmp[TFP_REPORT_CELL_SIZE];
    if (decimals < 0)
        decimals = 0;
    if (decimals > TFP_REPORT_MAX_DECIMALS)
        decimals = TFP_REPORT_MAX_DECIMALS;
    if (!isfinite(v) || fabs(v) >= 1e300) {
        buf[0] = '\0';
        return buf;
    }
    snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
    return localize(tmp, lang, buf);
}

const char *
tfp_report_cell_display(const tfp_table *t,
                        size_t row,
                        size_t col,
                        const tfp_render_opts *o,
                        char *buf)
{
    const tfp_report_col *c = &t->cols[col];
    const char *s;
    double v;
    if (c->type == TFP_CELL_TEXT || c->type == TFP_CELL_STATUS) {
        s = t->text[row * t->ntext + c->text_slot];
        if (s == NULL)
            return "-";
        return c->type == TFP_CELL_STATUS ? tfp_status_label(s, o->lang) : s;
    }
    v = t->num[row * t->ncol + col];
    if (!isfinite(v))
        return "-";
    switch (c->type) {
    case TFP_CELL_INT:
        /* Whole numbers are years and counts: no thousands separators, so
         * that 2021 does not read "2,021". */
        snprintf(buf, TFP_REPORT_CELL_SIZE, "%.0f", v);
        return strcmp(buf, "-0") == 0 ? "0" : buf;
    case TFP_CELL_FRACTION:
        return format_percent(v, o->pct_decimals, o->lang, buf);
    default:
        return format_number(v, o->lang, buf);
    }
}

const char *
tfp_report_cell_number(const tfp_table *t, size_t row, size_t col, int digits, char *buf)
{
    const tfp_report_col *c = &t->cols[col];
    double v;
    if (is_text_type(c->type))
        return NULL;
    v = t->num[row * t->ncol + col];
    if (!isfinite(v))
        return NULL;
    if (c->type == TFP_CELL_INT) {
        snprintf(buf, TFP_REPORT_CELL_SIZE, "%.0f", v);
        return strcmp(buf, "-0") == 0 ? "0" : buf;
    }
    snprintf(buf, TFP_REPORT_CELL_SIZE, "%.*g", digits, v);
    return buf;
}

/* ---- UTF-8 ------------------------------------------------------------------- */

size_t
tfp_report_utf8_decode(const char *s, size_t n, unsigned long *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned long c, min;
    size_t len, i;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    if (u[0] >= 0xC2 && u[0] <= 0xDF) {
        len = 2;
        c = u[0] & 0x1Fu;
        min = 0x80;
    } else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
        len = 3;
        c = u[0] & 0x0Fu;
        min = 0x800;
    } else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
        len = 4;
        c = u[0] & 0x07u;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((u[i] & 0xC0u) != 0x80)
            return 0;
        c = (c << 6) | (u[i] & 0x3Fu);
    }
    /* Overlong forms, UTF-16 surrogates and code points past U+10FFFF are
     * not UTF-8 (RFC 3629 section 3). */
    if (c < min || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
        return 0;
    *cp = c;
    return len;
}

size_t
tfp_report_width(const char *s)
{
    size_t n = strlen(s), i = 0, w = 0, len;
    unsigned long cp;
    while (i < n) {
        len = tfp_report_utf8_decode(s + i, n - i, &cp);
        if (len == 0) {
            w++;
            i++;
            continue;
        }
        /* Combining diacritical marks sit on the previous character. */
        if (!(cp >= 0x300 && cp <= 0x36F))
            w++;
        i += len;
    }
    return w;
}

void
tfp_report_put_clean(tfp_strbuf *sb, const char *s)
{
    const char *p = s;
    while (*p != '\0') {
        const char *q = p;
        while (*q != '\0' && (unsigned char)*q >= 0x20 && *q != 0x7f)
            q++;
        tfp_strbuf_append(sb, p, (size_t)(q - p));
        if (*q == '\0')
            break;
        tfp_strbuf_putc(sb, ' ');
        p = q + 1;
    }
}

void
tfp_table_set_num_mapped(tfp_table *t, const size_t *map, size_t row, size_t j, double v)
{
    if (map[j] != SIZE_MAX)
        tfp_table_set_num(t, row, map[j], v);
}

int
tfp_table_set_text_mapped(tfp_table *t,
                          const size_t *map,
                          size_t row,
                          size_t j,
                          const char *s,
                          tfp_error *err)
{
    if (map[j] == SIZE_MAX || s == NULL)
        return TFP_OK;
    return tfp_table_set_text(t, row, map[j], s, err);
}
