/*
 * The report book (report layer): sections of tables, text and charts, the
 * model that the workbook, HTML and Markdown renderers share (book.h).
 * Every string is copied into the book's pool; items point at the copies.
 */
#include <stdint.h>
#include <string.h>

#include "book_int.h"
#include "tfp/alloc.h"
#include "tfp/config.h"

/* Grows an array of *cap elements of size sz to hold n + 1; 0 or -1. */
static int
grow(void **p, size_t *cap, size_t n, size_t sz)
{
    size_t c;
    void *q;
    if (n < *cap)
        return 0;
    c = *cap ? 2 * *cap : 8;
    q = tfp_reallocn(*p, c, sz);
    if (q == NULL)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* A pooled copy of s (NULL stays NULL); *failed set on failure. */
static const char *
keep(tfp_book *b, const char *s, int *failed)
{
    char *d;
    if (s == NULL || *failed)
        return NULL;
    if (grow((void **)&b->pool, &b->poolcap, b->npool, sizeof *b->pool) != 0) {
        *failed = 1;
        return NULL;
    }
    d = tfp_strdup(s);
    if (d == NULL) {
        *failed = 1;
        return NULL;
    }
    b->pool[b->npool++] = d;
    return d;
}

tfp_book *
tfp_book_alloc(const char *title_en, const char *title_vi, tfp_error *err)
{
    tfp_book *b = tfp_calloc(1, sizeof *b);
    int failed = 0;
    if (b == NULL) {
        tfp_fail(err, TFP_ENOMEM, "out of memory allocating a report");
        return NULL;
    }
    b->title_en = keep(b, title_en, &failed);
    b->title_vi = keep(b, title_vi, &failed);
    if (failed) {
        tfp_book_free(b);
        tfp_fail(err, TFP_ENOMEM, "out of memory allocating a report");
        return NULL;
    }
    return b;
}

void
tfp_book_free(tfp_book *b)
{
    size_t i, j;
    if (b == NULL)
        return;
    for (i = 0; i < b->nsec; i++) {
        for (j = 0; j < b->sec[i].ntables; j++)
            tfp_table_free(b->sec[i].tables[j]);
        tfp_free(b->sec[i].tables);
        tfp_free(b->sec[i].items);
    }
    for (i = 0; i < b->npool; i++)
        tfp_free(b->pool[i]);
    tfp_free(b->pool);
    tfp_free(b->sec);
    tfp_free(b->meta);
    tfp_free(b->texts);
    tfp_free(b->charts);
    tfp_free(b->chart_sec);
    tfp_free(b);
}

int
tfp_book_add_meta(tfp_book *b,
                  const char *label_en,
                  const char *label_vi,
                  const char *value,
                  tfp_error *err)
{
    tfp_book_meta m;
    int failed = 0;
    if (b == NULL || (label_en == NULL && label_vi == NULL))
        return tfp_fail(err, TFP_EINVAL, "a metadata line needs a book and a label");
    m.label_en = keep(b, label_en, &failed);
    m.label_vi = keep(b, label_vi, &failed);
    m.value = keep(b, value != NULL ? value : "-", &failed);
    if (failed || grow((void **)&b->meta, &b->metacap, b->nmeta, sizeof *b->meta) != 0)
        return tfp_fail(err, TFP_ENOMEM, "out of memory adding a metadata line");
    b->meta[b->nmeta++] = m;
    return TFP_OK;
}

/* Keys become HTML ids and file names: letters, digits, '_' and '-'. */
static int
key_ok(const char *k)
{
    const char *p;
    if (k == NULL || k[0] == '\0')
        return 0;
    for (p = k; *p != '\0'; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-'))
            return 0;
    return 1;
}

/* Excel sheet names: 1-31 characters, none of []:*?/\ (counted in code
 * points, as Excel does for the BMP). */
static int
sheet_name_ok(const char *s)
{
    if (s == NULL || s[0] == '\0' || tfp_report_width(s) > 31 || strpbrk(s, "[]:*?/\\") != NULL)
        return 0;
    return s[0] != '\'';
}

size_t
tfp_book_section(const tfp_book *b, const char *key)
{
    size_t i;
    if (b == NULL || key == NULL)
        return SIZE_MAX;
    for (i = 0; i < b->nsec; i++)
        if (strcmp(b->sec[i].key, key) == 0)
            return i;
    return SIZE_MAX;
}

int
tfp_book_add_section(tfp_book *b,
                     const char *key,
                     const char *title_en,
                     const char *title_vi,
                     size_t *sec,
                     tfp_error *err)
{
    tfp_book_sec s;
    int failed = 0;
    if (b == NULL || !key_ok(key))
        return tfp_fail(err, TFP_EINVAL, "a section needs a key of letters, digits, '_' or '-'");
    if (tfp_book_section(b, key) != SIZE_MAX)
        return tfp_fail(err, TFP_EINVAL, "the report already has a section \"%s\"", key);
    if (!sheet_name_ok(title_en) || (title_vi != NULL && !sheet_name_ok(title_vi)))
        return tfp_fail(err, TFP_EINVAL,
                        "section \"%s\": a title names a sheet: 1 to 31 characters, none of "
                        "[]:*?/\\",
                        key);
    memset(&s, 0, sizeof s);
    s.key = keep(b, key, &failed);
    s.title_en = keep(b, title_en, &failed);
    s.title_vi = keep(b, title_vi, &failed);
    if (failed || grow((void **)&b->sec, &b->seccap, b->nsec, sizeof *b->sec) != 0)
        return tfp_fail(err, TFP_ENOMEM, "out of memory adding section \"%s\"", key);
    b->sec[b->nsec] = s;
    if (sec != NULL)
        *sec = b->nsec;
    b->nsec++;
    return TFP_OK;
}

static int
add_item(tfp_book_sec *s, tfp_book_item_kind kind, size_t index)
{
    if (grow((void **)&s->items, &s->itemcap, s->nitems, sizeof *s->items) != 0)
        return -1;
    s->items[s->nitems].kind = kind;
    s->items[s->nitems].index = index;
    s->nitems++;
    return 0;
}

int
tfp_book_add_table(tfp_book *b, size_t sec, tfp_table *t, size_t *index, tfp_error *err)
{
    tfp_book_sec *s;
    if (b == NULL || t == NULL || sec >= b->nsec) {
        tfp_table_free(t);
        return tfp_fail(err, TFP_EINVAL, "no table, or no section %zu in the report", sec);
    }
    s = &b->sec[sec];
    /* The item first: a table that is stored is always reachable. */
    if (grow((void **)&s->tables, &s->tablecap, s->ntables, sizeof *s->tables) != 0 ||
        add_item(s, BOOK_ITEM_TABLE, s->ntables) != 0) {
        tfp_table_free(t);
        return tfp_fail(err, TFP_ENOMEM, "out of memory adding a table to \"%s\"", s->key);
    }
    s->tables[s->ntables] = t;
    if (index != NULL)
        *index = s->ntables;
    s->ntables++;
    return TFP_OK;
}

int
tfp_book_add_text(tfp_book *b,
                  size_t sec,
                  tfp_text_kind kind,
                  const char *en,
                  const char *vi,
                  tfp_error *err)
{
    tfp_book_text t;
    int failed = 0;
    if (b == NULL || sec >= b->nsec || (en == NULL && vi == NULL))
        return tfp_fail(err, TFP_EINVAL, "a text needs a section and some text");
    if ((int)kind < (int)TFP_TEXT_HEADING || (int)kind > (int)TFP_TEXT_NOTE)
        return tfp_fail(err, TFP_EINVAL, "unknown text kind %d", (int)kind);
    t.kind = kind;
    t.en = keep(b, en, &failed);
    t.vi = keep(b, vi, &failed);
    if (failed || grow((void **)&b->texts, &b->textcap, b->ntexts, sizeof *b->texts) != 0 ||
        add_item(&b->sec[sec], BOOK_ITEM_TEXT, b->ntexts) != 0)
        return tfp_fail(err, TFP_ENOMEM, "out of memory adding text to \"%s\"", b->sec[sec].key);
    b->texts[b->ntexts++] = t;
    return TFP_OK;
}

const tfp_table *
tfp_book_chart_table(const tfp_book *b, const tfp_chart *c)
{
    if (c->section >= b->nsec || c->table >= b->sec[c->section].ntables)
        return NULL;
    return b->sec[c->section].tables[c->table];
}

static int
chart_check(const tfp_book *b, const tfp_chart *c, tfp_error *err)
{
    const tfp_table *t;
    size_t i, j;
    unsigned kinds = 0;
    if (!key_ok(c->key))
        return tfp_fail(err, TFP_EINVAL, "a chart needs a key of letters, digits, '_' or '-'");
    for (i = 0; i < b->ncharts; i++)
        if (strcmp(b->charts[i].key, c->key) == 0)
            return tfp_fail(err, TFP_EINVAL, "the report already has a chart \"%s\"", c->key);
    t = tfp_book_chart_table(b, c);
    if (t == NULL)
        return tfp_fail(err, TFP_EINVAL, "chart \"%s\": no table %zu in section %zu", c->key,
                        c->table, c->section);
    if (c->nrow == 0 || c->row0 >= t->nrow || c->nrow > t->nrow - c->row0)
        return tfp_fail(err, TFP_EINVAL, "chart \"%s\": rows %zu..%zu are not in the table", c->key,
                        c->row0, c->row0 + c->nrow);
    j = tfp_table_col(t, c->cat_col);
    if (j == SIZE_MAX)
        return tfp_fail(err, TFP_EINVAL, "chart \"%s\": no category column \"%s\"", c->key,
                        c->cat_col != NULL ? c->cat_col : "");
    if (c->nseries == 0 || c->nseries > TFP_CHART_MAX_SERIES)
        return tfp_fail(err, TFP_EINVAL, "chart \"%s\": %zu series (1 to %d)", c->key, c->nseries,
                        TFP_CHART_MAX_SERIES);
    for (i = 0; i < c->nseries; i++) {
        const tfp_chart_series *s = &c->series[i];
        j = tfp_table_col(t, s->col);
        if (j == SIZE_MAX || !tfp_report_col_numeric(t, j))
            return tfp_fail(err, TFP_EINVAL, "chart \"%s\": no numeric column \"%s\"", c->key,
                            s->col != NULL ? s->col : "");
        if ((int)s->kind < (int)TFP_SERIES_COLUMN || (int)s->kind > (int)TFP_SERIES_TARGET)
            return tfp_fail(err, TFP_EINVAL, "chart \"%s\": unknown series kind %d", c->key,
                            (int)s->kind);
        /* LINE and TARGET are one kind: lines. */
        kinds |= 1u << (s->kind == TFP_SERIES_TARGET ? TFP_SERIES_LINE : s->kind);
    }
    if (kinds != 1u << TFP_SERIES_COLUMN && kinds != 1u << TFP_SERIES_STACKED &&
        kinds != 1u << TFP_SERIES_LINE)
        return tfp_fail(err, TFP_EINVAL,
                        "chart \"%s\": series of one kind only (columns, stacked columns or lines)",
                        c->key);
    return TFP_OK;
}

int
tfp_book_add_chart(tfp_book *b, size_t sec, const tfp_chart *c, tfp_error *err)
{
    tfp_chart k;
    size_t i;
    int failed = 0, rc;
    if (b == NULL || c == NULL || sec >= b->nsec)
        return tfp_fail(err, TFP_EINVAL, "no chart, or no section %zu in the report", sec);
    rc = chart_check(b, c, err);
    if (rc != TFP_OK)
        return rc;
    k = *c;
    k.key = keep(b, c->key, &failed);
    k.title_en = keep(b, c->title_en, &failed);
    k.title_vi = keep(b, c->title_vi, &failed);
    k.axis_en = keep(b, c->axis_en, &failed);
    k.axis_vi = keep(b, c->axis_vi, &failed);
    k.cat_col = keep(b, c->cat_col, &failed);
    for (i = 0; i < c->nseries; i++)
        k.series[i].col = keep(b, c->series[i].col, &failed);
    if (failed) {
        return tfp_fail(err, TFP_ENOMEM, "out of memory adding chart \"%s\"", c->key);
    }
    {
        size_t cap = b->chartcap;
        if (grow((void **)&b->charts, &cap, b->ncharts, sizeof *b->charts) != 0)
            return tfp_fail(err, TFP_ENOMEM, "out of memory adding chart \"%s\"", c->key);
        /* chart_sec grows alongside, to the same capacity. */
        if (cap != b->chartcap) {
            size_t *p = tfp_reallocn(b->chart_sec, cap, sizeof *p);
            if (p == NULL)
                return tfp_fail(err, TFP_ENOMEM, "out of memory adding chart \"%s\"", c->key);
            b->chart_sec = p;
            b->chartcap = cap;
        }
    }
    if (add_item(&b->sec[sec], BOOK_ITEM_CHART, b->ncharts) != 0)
        return tfp_fail(err, TFP_ENOMEM, "out of memory adding chart \"%s\"", c->key);
    b->charts[b->ncharts] = k;
    b->chart_sec[b->ncharts] = sec;
    b->ncharts++;
    return TFP_OK;
}

size_t
tfp_book_nsection(const tfp_book *b)
{
    return b != NULL ? b->nsec : 0;
}

size_t
tfp_book_nchart(const tfp_book *b)
{
    return b != NULL ? b->ncharts : 0;
}

const tfp_table *
tfp_book_table(const tfp_book *b, size_t sec, size_t i)
{
    if (b == NULL || sec >= b->nsec || i >= b->sec[sec].ntables)
        return NULL;
    return b->sec[sec].tables[i];
}

const char *
tfp_book_lang(const char *en, const char *vi, tfp_lang lang)
{
    if (lang == TFP_LANG_VI && vi != NULL)
        return vi;
    return en != NULL ? en : vi;
}

void
tfp_book_opts_init(tfp_book_opts *o)
{
    memset(o, 0, sizeof *o);
    tfp_render_opts_init(&o->render);
    o->max_rows = TFP_BOOK_MAX_ROWS;
}

int
tfp_book_opts_check(const tfp_book_opts *o, tfp_book_opts *v, tfp_error *err)
{
    if (o == NULL)
        tfp_book_opts_init(v);
    else
        *v = *o;
    if (v->max_rows == 0)
        v->max_rows = TFP_BOOK_MAX_ROWS;
    return tfp_report_opts_check(&v->render, &v->render, err);
}
