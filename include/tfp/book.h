/*
 * report layer: a report book, the one model behind the Excel workbook, the
 * HTML report and the Markdown report of `tfp report`. A book has a title,
 * metadata lines and sections; a section (an Excel sheet, an HTML or
 * Markdown section) is an ordered list of items: tables (tfp_table), text
 * (headings, paragraphs, notes) and charts drawn from rows of a table.
 * Every text is held in English and Vietnamese and the language is chosen
 * when rendering, as for tfp_table.
 *
 * Optional parts (bootstrap intervals, a sensitivity grid, model
 * comparisons) are added by whoever computes them, with the same calls:
 * a table in an existing section (tfp_book_section(b, "summary")) or a new
 * section; renderers show whatever the book holds, in order.
 *
 * Renderers:
 *   workbook  one sheet per section; numbers as numbers with number formats
 *             (percent for FRACTION, thousands separators for NUMBER), a
 *             bold title row above each table, frozen header row and key
 *             columns and an autofilter when a sheet holds one table, column
 *             widths fitted to the cells, STATUS cells filled with their
 *             status colour, and native Excel charts referring to the cells
 *             of their table (libxlsxwriter). Written atomically.
 *   HTML      one self-contained file: styles inline, charts as inline SVG
 *             drawn with cairo, no scripts and no external references;
 *             tables scroll sideways on a phone and print on A4.
 *   Markdown  pipe tables and links to the charts as SVG files.
 * Charts are drawn by cairo's SVG surface (a kept library rather than
 * hand-built markup): text is embedded as glyph outlines, so a chart looks
 * the same without the fonts installed.
 */
#ifndef TFP_BOOK_H
#define TFP_BOOK_H

#include <stddef.h>

#include "tfp/error.h"
#include "tfp/progress.h"
#include "tfp/report.h"
#include "tfp/strbuf.h"

typedef struct tfp_book tfp_book;

typedef enum {
    TFP_TEXT_HEADING = 0, /* a heading inside a section */
    TFP_TEXT_PARAGRAPH,   /* a paragraph */
    TFP_TEXT_NOTE         /* one note of a list (warnings) */
} tfp_text_kind;

typedef enum {
    TFP_SERIES_COLUMN = 0, /* columns side by side */
    TFP_SERIES_STACKED,    /* columns stacked on each other (positive up, negative down) */
    TFP_SERIES_LINE,       /* a line with markers */
    TFP_SERIES_TARGET      /* a dashed line without markers: a goal */
} tfp_series_kind;

#define TFP_CHART_MAX_SERIES 8

typedef struct tfp_chart_series {
    const char *col; /* key of the table column with the values; its label names the series */
    tfp_series_kind kind;
    unsigned long rgb; /* colour 0xRRGGBB */
} tfp_chart_series;

/* A chart over rows row0 .. row0 + nrow - 1 of table `table` (0-based among
 * the tables of section `section`), with the categories (x axis, years) in
 * column cat_col. A chart is one kind: all its series are COLUMN, or all
 * STACKED, or all lines (LINE and TARGET), with one value axis: Debian 12's
 * libxlsxwriter (1.1.4) has neither combined charts nor secondary axes,
 * and the SVG chart shows what the workbook shows. With band set, the first
 * two TARGET series bound a shaded band (two dashed lines in the
 * workbook). The axis shows percent when the first series' column is a
 * FRACTION. Strings are copied. */
typedef struct tfp_chart {
    const char *key; /* unique, [A-Za-z0-9_-]: HTML ids */
    const char *title_en, *title_vi;
    const char *axis_en, *axis_vi; /* value axis title, may be NULL */
    size_t section, table;
    size_t row0, nrow;
    const char *cat_col;
    tfp_chart_series series[TFP_CHART_MAX_SERIES];
    size_t nseries;
    int band;
} tfp_chart;

/* A new book with a title (a NULL Vietnamese title falls back to the
 * English one). Strings are copied. NULL with err on failure. */
tfp_book *tfp_book_alloc(const char *title_en, const char *title_vi, tfp_error *err);
void tfp_book_free(tfp_book *b);

/* A metadata line shown under the title ("Method: gso ..."); the value is
 * shown in every language as given. Strings are copied. */
int tfp_book_add_meta(tfp_book *b,
                      const char *label_en,
                      const char *label_vi,
                      const char *value,
                      tfp_error *err);

/* Appends a section; key (unique, [A-Za-z0-9_-]) names it in HTML ids, the
 * title names the sheet (at most 31 characters, none of []:*?/\) and the
 * heading. Its index in *sec (may be NULL). TFP_EINVAL, TFP_ENOMEM. */
int tfp_book_add_section(tfp_book *b,
                         const char *key,
                         const char *title_en,
                         const char *title_vi,
                         size_t *sec,
                         tfp_error *err);
/* Index of the section with key, or SIZE_MAX. */
size_t tfp_book_section(const tfp_book *b, const char *key);

/* Appends table t to section sec; the book owns t from this call on, also
 * when it fails. Its index among the section's tables in *index (may be
 * NULL). */
int tfp_book_add_table(tfp_book *b, size_t sec, tfp_table *t, size_t *index, tfp_error *err);
/* Appends a text item (a NULL Vietnamese text falls back to the English). */
int tfp_book_add_text(tfp_book *b,
                      size_t sec,
                      tfp_text_kind kind,
                      const char *en,
                      const char *vi,
                      tfp_error *err);
/* Appends chart c to section sec (where it is shown; its data may live in
 * another section). Checked: the table, the rows and every column exist,
 * numeric columns, 1..TFP_CHART_MAX_SERIES series of one kind, a unique
 * key. */
int tfp_book_add_chart(tfp_book *b, size_t sec, const tfp_chart *c, tfp_error *err);

size_t tfp_book_nsection(const tfp_book *b);
size_t tfp_book_nchart(const tfp_book *b);
/* The i-th table of section sec (borrowed), or NULL. */
const tfp_table *tfp_book_table(const tfp_book *b, size_t sec, size_t i);

typedef struct tfp_book_opts {
    tfp_render_opts render; /* language and percent decimals of HTML and Markdown */
    size_t max_rows;        /* HTML and Markdown show at most this many rows of a table,
                               with a note (0: TFP_BOOK_MAX_ROWS); the workbook has all */
    tfp_progress progress;  /* rows written, charts drawn */
} tfp_book_opts;

void tfp_book_opts_init(tfp_book_opts *o);

/* Writes the workbook to path atomically (a temporary file beside it, then
 * rename: a failure keeps any old file and leaves no partial one). A table
 * longer than a sheet (1,048,575 data rows) is cut there with a note.
 * TFP_EIO (cannot write), TFP_EINVAL, TFP_ENOMEM. */
int
tfp_book_write_xlsx(const tfp_book *b, const tfp_book_opts *o, const char *path, tfp_error *err);

/* Appends the self-contained HTML document to out. */
int
tfp_book_render_html(const tfp_book *b, const tfp_book_opts *o, tfp_strbuf *out, tfp_error *err);

/* Appends the Markdown document to out; chart i (0-based) is linked as
 * "<chart_base>_chart<i+1>.svg" (chart_base: the file name without
 * directory or extension, escaped for a link by the caller's choice of
 * name). */
int tfp_book_render_md(const tfp_book *b,
                       const tfp_book_opts *o,
                       const char *chart_base,
                       tfp_strbuf *out,
                       tfp_error *err);

/* Appends chart i (0-based, in the order added) as a standalone SVG
 * document to out. */
int tfp_book_chart_svg(const tfp_book *b,
                       size_t i,
                       const tfp_book_opts *o,
                       tfp_strbuf *out,
                       tfp_error *err);

#endif /* TFP_BOOK_H */
