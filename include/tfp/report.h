/*
 * report layer: one table model (typed columns with English and Vietnamese
 * labels) and renderers to text, CSV, Markdown and JSON. A tfp_doc groups
 * metadata lines, tables and warnings into one output.
 * Numbers: fractions are rates (0.075); text and Markdown show them in
 * percent, CSV and JSON as fractions with `digits` significant digits
 * (17 = round-trip exact). A missing value (NaN) renders empty in CSV, as
 * null in JSON and as "-" in text and Markdown: never "nan" or "inf".
 */
#ifndef TFP_REPORT_H
#define TFP_REPORT_H

#include <stddef.h>

#include "tfp/error.h"
#include "tfp/strbuf.h"

typedef enum { TFP_LANG_EN = 0, TFP_LANG_VI = 1 } tfp_lang;

typedef enum {
    TFP_FORMAT_TEXT = 0,
    TFP_FORMAT_CSV,
    TFP_FORMAT_MD,
    TFP_FORMAT_JSON
} tfp_format;

typedef enum {
    TFP_CELL_TEXT = 0, /* free text */
    TFP_CELL_INT,      /* whole number (years, counts) */
    TFP_CELL_NUMBER,   /* a level (output, productivity): %.*g in CSV/JSON */
    TFP_CELL_FRACTION, /* a rate or share: percent in text/Markdown */
    TFP_CELL_STATUS    /* a status code (met, below, ...): translated in text/Markdown */
} tfp_cell_type;

typedef struct tfp_table tfp_table;

/* A new empty table. key names it in JSON ("annual"); titles are shown in
 * text and Markdown. Strings are copied. NULL with err on failure. */
tfp_table *tfp_table_alloc(const char *key,
                           const char *title_en,
                           const char *title_vi,
                           tfp_error *err);
void tfp_table_free(tfp_table *t);

/* Adds a column: key (CSV header and JSON name), labels (text/Markdown
 * headers), type. Columns are added before rows. Returns TFP_OK or code. */
int tfp_table_add_col(tfp_table *t,
                      const char *key,
                      const char *label_en,
                      const char *label_vi,
                      tfp_cell_type type,
                      tfp_error *err);
/* Appends an empty row (every cell missing); its index in *row. */
int tfp_table_add_row(tfp_table *t, size_t *row, tfp_error *err);
/* Sets a cell. NaN means missing. Text is copied; NULL means missing. */
int tfp_table_set_num(tfp_table *t, size_t row, size_t col, double v);
int tfp_table_set_text(tfp_table *t, size_t row, size_t col, const char *s, tfp_error *err);

size_t tfp_table_ncol(const tfp_table *t);
size_t tfp_table_nrow(const tfp_table *t);
/* Index of the column with key, or SIZE_MAX. */
size_t tfp_table_col(const tfp_table *t, const char *key);
/* Cell values: NaN / NULL when missing. Borrowed. */
double tfp_table_num(const tfp_table *t, size_t row, size_t col);
const char *tfp_table_text(const tfp_table *t, size_t row, size_t col);

typedef struct tfp_render_opts {
    tfp_lang lang;
    int digits;      /* significant digits in CSV/JSON (1..17) */
    int pct_decimals; /* decimals of percent values in text/Markdown (default 2) */
    char delimiter;  /* CSV delimiter (default ',') */
} tfp_render_opts;

void tfp_render_opts_init(tfp_render_opts *o);

/* Renders one table, appending to out. */
int tfp_table_render(const tfp_table *t,
                     tfp_format fmt,
                     const tfp_render_opts *o,
                     tfp_strbuf *out,
                     tfp_error *err);

/* A status code's label in a language ("met" -> "đạt"); the code itself
 * when unknown. */
const char *tfp_status_label(const char *code, tfp_lang lang);

/* A document: metadata lines, then tables, then warnings. Everything is
 * borrowed; the caller keeps it alive while rendering. */
typedef struct tfp_doc_meta {
    const char *key;      /* JSON name */
    const char *label_en; /* text/Markdown label */
    const char *label_vi;
    const char *value;    /* shown as is */
} tfp_doc_meta;

typedef struct tfp_doc {
    const char *title_en;
    const char *title_vi;
    const tfp_doc_meta *meta;
    size_t nmeta;
    const tfp_table *const *tables;
    size_t ntables;
    const tfp_warnings *warnings; /* may be NULL */
} tfp_doc;

/* Renders a document. CSV takes exactly one table (TFP_EINVAL otherwise)
 * and no metadata; JSON is one object {"meta":{...},"tables":{KEY:[rows]},
 * "warnings":[...]} with one object per row keyed by column key. */
int tfp_doc_render(const tfp_doc *d,
                   tfp_format fmt,
                   const tfp_render_opts *o,
                   tfp_strbuf *out,
                   tfp_error *err);

#endif /* TFP_REPORT_H */
