/*
 * report layer, private: the table's storage, validated render options,
 * cell formatting shared by the renderers, UTF-8 helpers and the per-format
 * entry points that tfp_table_render and tfp_doc_render dispatch to.
 * Nothing here leaves src/report (DESIGN section 1; STYLE "Layout").
 */
#ifndef TFP_REPORT_INT_H
#define TFP_REPORT_INT_H

#include <stddef.h>

#include "tfp/error.h"
#include "tfp/report.h"
#include "tfp/strbuf.h"

/* Text and Markdown show a NUMBER cell with this many significant digits
 * when its magnitude is below 1000 (trailing zeros dropped), and never with
 * more than TFP_REPORT_MAX_DECIMALS decimals; from 1000 up it is a whole
 * number with thousands separators. */
#define TFP_REPORT_SIG_DIGITS   4
#define TFP_REPORT_MAX_DECIMALS 6
/* Default and upper bound of tfp_render_opts.pct_decimals. */
#define TFP_REPORT_PCT_DECIMALS     2
#define TFP_REPORT_MAX_PCT_DECIMALS 10
/* Room for any formatted cell: DBL_MAX printed in full has 309 digits, plus
 * 103 separators, a sign, a decimal mark and TFP_REPORT_MAX_PCT_DECIMALS + 2. */
#define TFP_REPORT_CELL_SIZE 512

/* One column. label_vi may be NULL (the English label is used). text_slot
 * is the column's index among text-valued (TEXT and STATUS) columns, or
 * SIZE_MAX for numeric ones. */
typedef struct tfp_report_col {
    char *key;      /* owned */
    char *label_en; /* owned; NULL falls back to key */
    char *label_vi; /* owned; NULL falls back to label_en */
    tfp_cell_type type;
    size_t text_slot;
} tfp_report_col;

/* Cells are stored compactly: num holds one double per cell (row-major,
 * nrow x ncol; NaN when missing, unused for text columns), text one owned
 * string per text-valued cell (row-major, nrow x ntext; NULL when missing).
 * Both arrays hold rowcap rows and grow geometrically. */
struct tfp_table {
    char *key;      /* owned */
    char *title_en; /* owned, may be NULL */
    char *title_vi; /* owned, may be NULL */
    tfp_report_col *cols;
    size_t ncol, colcap;
    size_t ntext;
    double *num;
    char **text;
    size_t nrow, rowcap;
};

/* Copies o (NULL: defaults) into *v with digits clamped to 1..17 and
 * pct_decimals to 0..TFP_REPORT_MAX_PCT_DECIMALS; TFP_EINVAL for an unknown
 * language or a delimiter that cannot separate CSV fields. */
int tfp_report_opts_check(const tfp_render_opts *o, tfp_render_opts *v, tfp_error *err);

/* A deep copy of src (keys, titles, labels, types and cells); NULL with
 * err on failure (TFP_ENOMEM). */
tfp_table *tfp_report_table_copy(const tfp_table *src, tfp_error *err);

/* The table title, or a column label, in lang: the Vietnamese text falls back
 * to the English one, which falls back to the key (labels) or to NULL
 * (titles). Borrowed from the table. */
const char *tfp_report_title(const tfp_table *t, tfp_lang lang);
const char *tfp_report_label(const tfp_table *t, size_t col, tfp_lang lang);
/* Non-zero when the column is shown right-aligned (INT, NUMBER, FRACTION). */
int tfp_report_col_numeric(const tfp_table *t, size_t col);

/* A cell as text and Markdown show it: numbers formatted for lang (see
 * report.h), statuses translated, "-" when missing. The result points into
 * buf (TFP_REPORT_CELL_SIZE bytes), into the table, or to a static string. */
const char *tfp_report_cell_display(const tfp_table *t,
                                    size_t row,
                                    size_t col,
                                    const tfp_render_opts *o,
                                    char *buf);
/* A numeric cell as CSV and JSON write it: "%.*g" with digits significant
 * digits, INT as a whole number. NULL when the cell is missing or not
 * finite, or the column is not numeric. buf has TFP_REPORT_CELL_SIZE bytes. */
const char *
tfp_report_cell_number(const tfp_table *t, size_t row, size_t col, int digits, char *buf);

/* A number in lang with decimals decimals and the language's separators:
 * 1234.5 -> "1,234.5" / "1.234,5"; no sign when every digit shown is zero.
 * buf has TFP_REPORT_CELL_SIZE bytes; |v| must be below 1e300. */
const char *tfp_report_fixed(double v, int decimals, tfp_lang lang, char *buf);

/* The colours of a status code (0xRRGGBB fill and text), as in Excel's
 * Good / Bad / Neutral styles: met, within and on-track good; below and
 * off-track bad; above neutral; undefined grey. Returns 0 when the code has
 * no colour (target names). */
int tfp_report_status_rgb(const char *code, unsigned long *fill, unsigned long *text);

/* Decodes the UTF-8 sequence at s (n > 0 bytes available): stores the code
 * point in *cp and returns the number of bytes used, or returns 0 when the
 * first byte does not start a valid, shortest-form sequence. */
size_t tfp_report_utf8_decode(const char *s, size_t n, unsigned long *cp);
/* Display width of s on a terminal: code points, with combining marks
 * U+0300-U+036F counting 0 and each invalid byte 1. */
size_t tfp_report_width(const char *s);
/* Appends s with each control character replaced by a space, so that a
 * cell stays on its line. */
void tfp_report_put_clean(tfp_strbuf *sb, const char *s);

/* Words of the surrounding document, per language (strings.c). */
typedef enum { TFP_REPORT_WORD_WARNING = 0, TFP_REPORT_WORD_WARNINGS } tfp_report_word;
const char *tfp_report_word_get(tfp_report_word w, tfp_lang lang);

/* Renderers: append one table (with its title for text and Markdown) to
 * out. Options are already validated. Any allocation failure shows in
 * tfp_strbuf_status(out) or in the returned code. */
int tfp_report_text_render(const tfp_table *t,
                           const tfp_render_opts *o,
                           tfp_strbuf *out,
                           tfp_error *err);
void tfp_report_csv_render(const tfp_table *t, const tfp_render_opts *o, tfp_strbuf *out);
void tfp_report_md_render(const tfp_table *t, const tfp_render_opts *o, tfp_strbuf *out);
/* The pipe table alone (no title), its first nrow rows. */
void
tfp_report_md_table(const tfp_table *t, const tfp_render_opts *o, size_t nrow, tfp_strbuf *out);
/* JSON: an array of row objects, one per line, indented by indent spaces
 * (the closing bracket) and indent + 2 (the rows); no final newline. */
void
tfp_report_json_rows(const tfp_table *t, const tfp_render_opts *o, size_t indent, tfp_strbuf *out);
/* Appends s as a JSON string: quotes, backslashes and control characters
 * escaped, UTF-8 passed through, invalid bytes replaced by U+FFFD. NULL is
 * written as null. */
void tfp_report_json_string(tfp_strbuf *out, const char *s);

#endif /* TFP_REPORT_INT_H */
