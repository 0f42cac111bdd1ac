/*
 * report layer: one table model (typed columns with English and Vietnamese
 * labels) and renderers to text, CSV, Markdown and JSON. A tfp_doc groups
 * metadata lines, tables and warnings into one output.
 * Numbers: fractions are rates (0.075); text and Markdown show them in
 * percent, CSV and JSON as fractions with `digits` significant digits
 * (17 = round-trip exact). A missing value (NaN) renders empty in CSV, as
 * null in JSON and as "-" in text and Markdown: never "nan" or "inf"; an
 * infinite NUMBER or FRACTION renders as missing too.
 *
 * Text and Markdown number rules (English / Vietnamese):
 *   FRACTION  percent with pct_decimals decimals, the exact binary value
 *             rounded once: 0.12345 -> "12.35" / "12,35".
 *   NUMBER    |v| < 1000 after rounding: 4 significant digits, at most 6
 *             decimals, trailing zeros dropped: 52.38461 -> "52.38",
 *             12.5 -> "12.5", 0.0123456 -> "0.01235"; otherwise a whole
 *             number with thousands separators: 1234567.8 -> "1,234,568" /
 *             "1.234.568"; 999.96 -> "1,000".
 *   INT       whole number without separators (years): 2021.
 *   Vietnamese uses ',' as the decimal mark and '.' between thousands. A
 *   value that shows only zeros has no sign ("0", "0.00"). Rounding is
 *   printf's (to nearest, ties to even on the exact binary value).
 * CSV and JSON: "%.*g" with digits significant digits (locale-free '.'),
 * INT as a whole number, FRACTION as the fraction, STATUS as its code.
 * Text and Markdown show a control character inside a cell as a space;
 * JSON escapes it and replaces bytes that are not UTF-8 by U+FFFD.
 */
#ifndef TFP_REPORT_H
#define TFP_REPORT_H

#include <stddef.h>

#include "tfp/error.h"
#include "tfp/strbuf.h"

typedef enum { TFP_LANG_EN = 0, TFP_LANG_VI = 1 } tfp_lang;

typedef enum { TFP_FORMAT_TEXT = 0, TFP_FORMAT_CSV, TFP_FORMAT_MD, TFP_FORMAT_JSON } tfp_format;

typedef enum {
    TFP_CELL_TEXT = 0, /* free text */
    TFP_CELL_INT,      /* whole number (years, counts) */
    TFP_CELL_NUMBER,   /* a level (output, productivity): %.*g in CSV/JSON */
    TFP_CELL_FRACTION, /* a rate or share: percent in text/Markdown */
    TFP_CELL_STATUS    /* a status code (met, below, ...): translated in text/Markdown */
} tfp_cell_type;

typedef struct tfp_table tfp_table;

/* A new empty table. key (non-empty) names it in JSON ("annual"); titles
 * are shown in text and Markdown (a NULL Vietnamese title falls back to the
 * English one; with neither there is no title line). Strings are copied.
 * NULL with err on failure (TFP_EINVAL, TFP_ENOMEM). */
tfp_table *
tfp_table_alloc(const char *key, const char *title_en, const char *title_vi, tfp_error *err);
void tfp_table_free(tfp_table *t);

/* Adds a column: key (CSV header and JSON name, unique and non-empty),
 * labels (text/Markdown headers; a NULL Vietnamese label falls back to the
 * English one, a NULL English label to the key), type. Strings are copied.
 * Columns are added before rows. TFP_OK, TFP_EINVAL (duplicate key, rows
 * already added, unknown type) or TFP_ENOMEM. */
int tfp_table_add_col(tfp_table *t,
                      const char *key,
                      const char *label_en,
                      const char *label_vi,
                      tfp_cell_type type,
                      tfp_error *err);
/* Appends an empty row (every cell missing); its index in *row. */
int tfp_table_add_row(tfp_table *t, size_t *row, tfp_error *err);
/* Sets a cell. NaN means missing. Text is copied; NULL means missing.
 * set_num takes INT, NUMBER and FRACTION columns (an INT is shown rounded
 * to a whole number); set_text takes TEXT and STATUS columns (a STATUS cell
 * holds its code, "met", ...). TFP_EINVAL for a cell outside the table or
 * a column of the other kind; set_text may also return TFP_ENOMEM. */
int tfp_table_set_num(tfp_table *t, size_t row, size_t col, double v);
int tfp_table_set_text(tfp_table *t, size_t row, size_t col, const char *s, tfp_error *err);
/* The same through a view's column map: map[j] is the table column of the
 * view's column j, or SIZE_MAX when the view leaves it out (then nothing is
 * set and TFP_OK returned). */
void tfp_table_set_num_mapped(tfp_table *t, const size_t *map, size_t row, size_t j, double v);
int tfp_table_set_text_mapped(tfp_table *t,
                              const size_t *map,
                              size_t row,
                              size_t j,
                              const char *s,
                              tfp_error *err);

size_t tfp_table_ncol(const tfp_table *t);
size_t tfp_table_nrow(const tfp_table *t);
/* Index of the column with key, or SIZE_MAX. */
size_t tfp_table_col(const tfp_table *t, const char *key);
/* Cell values: NaN / NULL when missing, outside the table, or of the other
 * kind of column. The text is borrowed, valid until the cell is set again
 * or the table freed. */
double tfp_table_num(const tfp_table *t, size_t row, size_t col);
const char *tfp_table_text(const tfp_table *t, size_t row, size_t col);

typedef struct tfp_render_opts {
    tfp_lang lang;
    int digits;       /* significant digits in CSV/JSON (1..17) */
    int pct_decimals; /* decimals of percent values in text/Markdown (default 2, 0..10) */
    char delimiter;   /* CSV delimiter (default ','; not NUL, '"', CR or LF) */
} tfp_render_opts;

/* Defaults: English, 17 digits, 2 percent decimals, ','. Rendering clamps
 * digits to 1..17 and pct_decimals to 0..10, and returns TFP_EINVAL for an
 * unknown language or format or an unusable delimiter. */
void tfp_render_opts_init(tfp_render_opts *o);

/* Renders one table, appending to out; o may be NULL (defaults). Text:
 * the title line (when there is a title), the headers, a rule of dashes and
 * one line per row, columns two spaces apart, widths in code points. CSV:
 * the header of keys and one line per row, "\n" line ends, RFC 4180 quoting
 * (a row of one missing field is written "" so that it is not a blank line).
 * Markdown: "## title", a blank line, a pipe table. JSON: an array with one
 * row object per line. TFP_OK, TFP_EINVAL or TFP_ENOMEM; on failure out is
 * cut back to its length on entry. */
int tfp_table_render(const tfp_table *t,
                     tfp_format fmt,
                     const tfp_render_opts *o,
                     tfp_strbuf *out,
                     tfp_error *err);

/* A status code's label in a language ("met" -> "đạt"); the code itself
 * when unknown. */
const char *tfp_status_label(const char *code, tfp_lang lang);

/* A document: metadata lines, then tables, then warnings. Everything is
 * borrowed; the caller keeps it alive while rendering. Meta keys and table
 * keys must be unique (they are JSON names). A missing title or label falls
 * back as for tables; a NULL value shows as "-" (null in JSON). */
typedef struct tfp_doc_meta {
    const char *key;      /* JSON name */
    const char *label_en; /* text/Markdown label */
    const char *label_vi;
    const char *value; /* shown as is */
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

/* Renders a document, appending to out. Text: the title, a blank line,
 * aligned "Label: value" lines, a blank line, each table (blank lines
 * between), a blank line and "Warning: ..." ("Cảnh báo: ...") lines.
 * Markdown: "# title", "- **Label:** value" bullets, the tables, then
 * "### Warnings" ("### Cảnh báo") and a bullet per warning. CSV takes
 * exactly one table (TFP_EINVAL otherwise) and leaves out the title,
 * metadata and warnings; JSON is one object {"meta":{...},"tables":
 * {KEY:[rows]},"warnings":[...]}, indented by 2 spaces, with one object per
 * row keyed by column key. Errors and out as for tfp_table_render. */
int tfp_doc_render(const tfp_doc *d,
                   tfp_format fmt,
                   const tfp_render_opts *o,
                   tfp_strbuf *out,
                   tfp_error *err);

#endif /* TFP_REPORT_H */
