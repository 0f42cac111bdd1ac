/*
 * report layer, private: the storage of a tfp_book, shared by the model
 * (book.c) and its renderers (render_xlsx.c, render_html.c,
 * render_book_md.c, chart_svg.c). Nothing here leaves src/report.
 */
#ifndef TFP_BOOK_INT_H
#define TFP_BOOK_INT_H

#include <stddef.h>

#include "report_int.h"
#include "tfp/book.h"

typedef enum { BOOK_ITEM_TABLE = 0, BOOK_ITEM_TEXT, BOOK_ITEM_CHART } tfp_book_item_kind;

typedef struct tfp_book_item {
    tfp_book_item_kind kind;
    size_t index; /* into the section's tables, the book's texts or the book's charts */
} tfp_book_item;

typedef struct tfp_book_text {
    tfp_text_kind kind;
    const char *en, *vi; /* pooled */
} tfp_book_text;

typedef struct tfp_book_sec {
    const char *key, *title_en, *title_vi; /* pooled */
    tfp_table **tables;                    /* owned */
    size_t ntables, tablecap;
    tfp_book_item *items;
    size_t nitems, itemcap;
} tfp_book_sec;

typedef struct tfp_book_meta {
    const char *label_en, *label_vi, *value; /* pooled */
} tfp_book_meta;

/* Every string of a book is a copy kept in pool (freed with the book), so
 * that items can point at them without owning them. */
struct tfp_book {
    const char *title_en, *title_vi;
    tfp_book_meta *meta;
    size_t nmeta, metacap;
    tfp_book_sec *sec;
    size_t nsec, seccap;
    tfp_book_text *texts;
    size_t ntexts, textcap;
    tfp_chart *charts; /* strings pooled */
    size_t *chart_sec; /* the section each chart is shown in */
    size_t ncharts, chartcap;
    char **pool;
    size_t npool, poolcap;
};

/* The text of a language with the fallbacks of tfp_table: Vietnamese falls
 * back to English and English to Vietnamese. */
const char *tfp_book_lang(const char *en, const char *vi, tfp_lang lang);

/* Options with defaults filled in and the render options checked. */
int tfp_book_opts_check(const tfp_book_opts *o, tfp_book_opts *v, tfp_error *err);

/* The table a chart draws from, and the index of a column of it. */
const tfp_table *tfp_book_chart_table(const tfp_book *b, const tfp_chart *c);

/* Draws chart c as a standalone SVG document appended to out (cairo). The
 * ids inside it (glyphs, clip paths) start with id_prefix, so that several
 * charts can live in one HTML document; an XML declaration is written only
 * when standalone is set. */
int tfp_book_chart_draw(const tfp_book *b,
                        const tfp_chart *c,
                        const tfp_render_opts *o,
                        const char *id_prefix,
                        int standalone,
                        tfp_strbuf *out,
                        tfp_error *err);

/* Words of the book renderers and of the estimate report, one table per
 * language in strings.c, indexed alike. Strings with %zu or %s are
 * printf formats. */
typedef enum {
    TFP_BOOK_WORD_CONTENTS = 0,
    TFP_BOOK_WORD_ROWS_SHOWN,
    TFP_BOOK_WORD_ROWS_CUT,
    TFP_BOOK_WORD_MADE_BY,
    TFP_BOOK_WORD_CHART,
    TFP_BOOK_WORD_NO_DATA,
    TFP_BOOK_WORD_BOOK_TITLE,
    TFP_BOOK_WORD_SEC_SUMMARY,
    TFP_BOOK_WORD_SEC_ANNUAL,
    TFP_BOOK_WORD_SEC_CONTRIB,
    TFP_BOOK_WORD_SEC_DATA,
    TFP_BOOK_WORD_SEC_ABOUT,
    TFP_BOOK_WORD_NOTES,
    TFP_BOOK_WORD_NO_WARNINGS,
    TFP_BOOK_WORD_SUMMARY_INTRO,
    TFP_BOOK_WORD_CONTRIB_TITLE,
    TFP_BOOK_WORD_CONTRIB_INTRO,
    TFP_BOOK_WORD_COL_REGION,
    TFP_BOOK_WORD_COL_SECTOR,
    TFP_BOOK_WORD_COL_YEAR,
    TFP_BOOK_WORD_COL_OUTPUT_GROWTH,
    TFP_BOOK_WORD_COL_CAPITAL_CONTRIB,
    TFP_BOOK_WORD_COL_LABOUR_CONTRIB,
    TFP_BOOK_WORD_COL_TFP_CONTRIB,
    TFP_BOOK_WORD_COL_TFP_SHARE,
    TFP_BOOK_WORD_COL_TFP_TARGET_LOW,
    TFP_BOOK_WORD_COL_TFP_TARGET_HIGH,
    TFP_BOOK_WORD_COL_LP,
    TFP_BOOK_WORD_COL_LP_GROWTH,
    TFP_BOOK_WORD_COL_LP_TARGET,
    TFP_BOOK_WORD_CHART_LP,
    TFP_BOOK_WORD_CHART_LP_GROWTH,
    TFP_BOOK_WORD_CHART_CONTRIB,
    TFP_BOOK_WORD_CHART_TFP_SHARE,
    TFP_BOOK_WORD_AXIS_LP,
    TFP_BOOK_WORD_AXIS_GROWTH,
    TFP_BOOK_WORD_AXIS_POINTS,
    TFP_BOOK_WORD_AXIS_SHARE,
    TFP_BOOK_WORD_DATA_TITLE,
    TFP_BOOK_WORD_DATA_INTRO,
    TFP_BOOK_WORD_COL_LINE,
    TFP_BOOK_WORD_ROLE_OUTPUT,
    TFP_BOOK_WORD_ROLE_LABOUR,
    TFP_BOOK_WORD_ROLE_CAPITAL,
    TFP_BOOK_WORD_ROLE_INVESTMENT,
    TFP_BOOK_WORD_ROLE_LABOUR_SHARE,
    TFP_BOOK_WORD_ROLE_HUMAN_CAPITAL,
    TFP_BOOK_WORD_ROLE_HOURS,
    TFP_BOOK_WORD_PIM,
    TFP_BOOK_WORD_ABOUT_TITLE,
    TFP_BOOK_WORD_COL_ITEM,
    TFP_BOOK_WORD_COL_VALUE,
    TFP_BOOK_WORD_ABOUT_VERSION,
    TFP_BOOK_WORD_ABOUT_COMMAND,
    TFP_BOOK_WORD_ABOUT_INPUT,
    TFP_BOOK_WORD_ABOUT_SHA,
    TFP_BOOK_WORD_ABOUT_ROWS,
    TFP_BOOK_WORD_ABOUT_SOURCE,
    TFP_BOOK_WORD_ABOUT_SOURCE_FILE,
    TFP_BOOK_WORD_ABOUT_METHODS,
    TFP_BOOK_WORD_ABOUT_PARAM,
    TFP_BOOK_WORD_ABOUT_COLUMN,
    TFP_BOOK_WORD_NOT_KNOWN,
    TFP_BOOK_WORD_HARBERGER,
    TFP_BOOK_WORD_CHARTS_CUT,
    /* the optional parts of tfp report: bootstrap, sensitivity, models */
    TFP_BOOK_WORD_BOOT_INTRO,
    TFP_BOOK_WORD_BOOT_BLOCK_DEFAULT,
    TFP_BOOK_WORD_SEC_SENS,
    TFP_BOOK_WORD_SENS_INTRO,
    TFP_BOOK_WORD_SENS_GRID,
    TFP_BOOK_WORD_SENS_NOTE,
    TFP_BOOK_WORD_SENS_CHART_TITLE,
    TFP_BOOK_WORD_COL_CAPITAL_SHARE,
    TFP_BOOK_WORD_COL_SENS_DELTA,
    TFP_BOOK_WORD_CHART_SENS,
    TFP_BOOK_WORD_CHART_SENS_NO_PIM,
    TFP_BOOK_WORD_AXIS_CAPITAL_SHARE,
    TFP_BOOK_WORD_SEC_MODELS,
    TFP_BOOK_WORD_MODELS_INTRO,
    TFP_BOOK_WORD_MODELS_LEFT_OUT,
    TFP_BOOK_WORD_COUNT
} tfp_book_word;
const char *tfp_book_word_get(tfp_book_word w, tfp_lang lang);

#endif /* TFP_BOOK_INT_H */
