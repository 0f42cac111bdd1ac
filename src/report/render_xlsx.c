/*
 * Workbook renderer of a report book (report layer), with libxlsxwriter:
 * one sheet per section, tables as real numbers with number formats (percent
 * for FRACTION, thousands separators for NUMBER, whole numbers for INT),
 * statuses filled with their colours, native charts whose series refer to
 * the cells of their table. A sheet with one table freezes its title and
 * header rows and its key columns, carries an autofilter, and has its charts
 * to the right of the table; other sheets flow top-down as the HTML does.
 * The file is written beside the target and renamed over it on success
 * (io.h, tfp_file_tmp_create). Rows are written in order, in
 * libxlsxwriter's constant-memory mode, so that a large Data sheet streams
 * through a temporary file instead of memory.
 * Reference: ECMA-376 (Office Open XML), Part 1, section 18 (SpreadsheetML).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "book_int.h"
#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/io.h"

/* Column widths in characters, and the header label width after which the
 * header wraps instead of widening its column. */
#define MIN_WIDTH    6.0
#define MAX_WIDTH    70.0
#define HEADER_WRAP  22.0
#define ROW_HEIGHT   15.0 /* points per line of a wrapped header */
#define CHART_W      480  /* pixels: Excel's default chart size */
#define CHART_H      288
#define CHART_GAP    12
#define CHARTS_ROW   2  /* charts side by side in a flowing sheet */
#define CHART_ROWS   16 /* rows that one band of charts takes in a flowing sheet */
#define NSTATUS      7
#define PAPER_A4     9      /* ECMA-376 paperSize code */
#define XLSX_STR_MAX 32767u /* characters in a cell (Excel specifications and limits) */

typedef struct table_pos {
    lxw_row_t header; /* the header row; data start on the next row */
    size_t nrow;      /* data rows written */
} table_pos;

typedef struct chart_anchor {
    lxw_row_t row;
    lxw_col_t col;
    int x, y; /* offsets in pixels */
} chart_anchor;

typedef struct writer {
    lxw_workbook *wb;
    const tfp_book *b;
    const tfp_book_opts *o;
    tfp_lang lang;
    lxw_format *title, *heading, *header, *bold, *wrap;
    lxw_format *f_int, *f_pct, *f_num0, *f_num2, *f_num4;
    lxw_format *status[NSTATUS];
    const char *status_code[NSTATUS];
    size_t nstatus;
    table_pos **pos;      /* per section, per table */
    chart_anchor *anchor; /* per chart */
    lxw_error lerr;       /* first libxlsxwriter error */
    size_t done, total;
} writer;

static void
note_err(writer *w, lxw_error e)
{
    if (e != LXW_NO_ERROR && w->lerr == LXW_NO_ERROR)
        w->lerr = e;
}

static void
put_string(writer *w, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
    char *cut;
    size_t n;
    if (s == NULL || s[0] == '\0')
        return;
    /* Excel's cells hold at most 32,767 characters and libxlsxwriter
     * refuses (and prints about) longer strings, which only a hostile
     * input would reach: they are cut at a character boundary. */
    n = strlen(s);
    if (n <= XLSX_STR_MAX) {
        note_err(w, worksheet_write_string(ws, r, c, s, f));
        return;
    }
    n = XLSX_STR_MAX;
    while (n > 0 && ((unsigned char)s[n] & 0xC0u) == 0x80u)
        n--;
    cut = tfp_strndup(s, n);
    if (cut == NULL) {
        note_err(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    note_err(w, worksheet_write_string(ws, r, c, cut, f));
    tfp_free(cut);
}

/* A format per status code with a colour, made on first use. */
static lxw_format *
status_format(writer *w, const char *code)
{
    unsigned long fill, text;
    lxw_format *f;
    size_t i;
    if (!tfp_report_status_rgb(code, &fill, &text))
        return NULL;
    for (i = 0; i < w->nstatus; i++)
        if (strcmp(w->status_code[i], code) == 0)
            return w->status[i];
    if (w->nstatus == NSTATUS)
        return NULL;
    f = workbook_add_format(w->wb);
    if (f == NULL)
        return NULL;
    format_set_bg_color(f, (lxw_color_t)fill);
    format_set_font_color(f, (lxw_color_t)text);
    format_set_pattern(f, LXW_PATTERN_SOLID);
    format_set_bold(f);
    w->status[w->nstatus] = f;
    w->status_code[w->nstatus++] = code;
    return f;
}

/* NUMBER columns: thousands separators, and decimals by magnitude, so that
 * 23,972 and 0.4521 both read well. The value stays exact in the cell. */
static lxw_format *
number_format(writer *w, const tfp_table *t, size_t j)
{
    double m = 0.0;
    size_t i;
    if (t->cols[j].type == TFP_CELL_INT)
        return w->f_int;
    if (t->cols[j].type == TFP_CELL_FRACTION)
        return w->f_pct;
    for (i = 0; i < t->nrow; i++) {
        double v = fabs(tfp_table_num(t, i, j));
        if (isfinite(v) && v > m)
            m = v;
    }
    return m >= 1000.0 ? w->f_num0 : m >= 1.0 ? w->f_num2 : w->f_num4;
}

static int
make_formats(writer *w)
{
    w->title = workbook_add_format(w->wb);
    w->heading = workbook_add_format(w->wb);
    w->header = workbook_add_format(w->wb);
    w->bold = workbook_add_format(w->wb);
    w->wrap = workbook_add_format(w->wb);
    w->f_int = workbook_add_format(w->wb);
    w->f_pct = workbook_add_format(w->wb);
    w->f_num0 = workbook_add_format(w->wb);
    w->f_num2 = workbook_add_format(w->wb);
    w->f_num4 = workbook_add_format(w->wb);
    if (w->title == NULL || w->heading == NULL || w->header == NULL || w->bold == NULL ||
        w->wrap == NULL || w->f_int == NULL || w->f_pct == NULL || w->f_num0 == NULL ||
        w->f_num2 == NULL || w->f_num4 == NULL)
        return -1;
    format_set_bold(w->title);
    format_set_font_size(w->title, 14);
    format_set_bold(w->heading);
    format_set_font_size(w->heading, 12);
    format_set_bold(w->header);
    format_set_text_wrap(w->header);
    format_set_align(w->header, LXW_ALIGN_VERTICAL_BOTTOM);
    format_set_bg_color(w->header, 0xF2F4F7);
    format_set_pattern(w->header, LXW_PATTERN_SOLID);
    format_set_bottom(w->header, LXW_BORDER_THIN);
    format_set_bold(w->bold);
    format_set_text_wrap(w->wrap);
    format_set_align(w->wrap, LXW_ALIGN_VERTICAL_TOP);
    format_set_num_format(w->f_int, "0");
    format_set_num_format(w->f_pct, "0.00%");
    format_set_num_format(w->f_num0, "#,##0");
    format_set_num_format(w->f_num2, "#,##0.00");
    format_set_num_format(w->f_num4, "0.0000");
    return 0;
}

/* Width of the widest cell of column j over the section's tables, and of
 * its header label (which wraps past HEADER_WRAP). */
static double
column_width(const writer *w, const tfp_book_sec *sec, size_t j, double *label_width)
{
    char buf[TFP_REPORT_CELL_SIZE];
    double cw = 0.0, lw = 0.0, x;
    size_t k, i;
    for (k = 0; k < sec->ntables; k++) {
        const tfp_table *t = sec->tables[k];
        size_t n = t->nrow < TFP_BOOK_MAX_ROWS ? t->nrow : TFP_BOOK_MAX_ROWS;
        if (j >= t->ncol)
            continue;
        x = (double)tfp_report_width(tfp_report_label(t, j, w->lang));
        if (x > lw)
            lw = x;
        /* The first rows are a fair sample; a huge Data sheet is not
         * scanned twice for its widths. */
        for (i = 0; i < n; i++) {
            x = (double)tfp_report_width(tfp_report_cell_display(t, i, j, &w->o->render, buf));
            if (t->cols[j].type == TFP_CELL_FRACTION)
                x += 1.0; /* the percent sign */
            if (x > cw)
                cw = x;
        }
    }
    *label_width = lw;
    return cw;
}

static void
set_widths(writer *w,
           lxw_worksheet *ws,
           const tfp_book_sec *sec,
           size_t ncol,
           double first_min,
           double *header_lines)
{
    size_t j;
    *header_lines = 1.0;
    for (j = 0; j < ncol; j++) {
        double lw, cw = column_width(w, sec, j, &lw), width, lines;
        /* The first column also holds the metadata labels of the first sheet. */
        if (j == 0 && first_min > cw)
            cw = first_min;
        width = fmax(cw, fmin(lw, HEADER_WRAP)) + 2.0;
        width = fmin(fmax(width, MIN_WIDTH), MAX_WIDTH);
        lines = ceil(lw / (width - 1.0));
        if (lines > *header_lines)
            *header_lines = lines;
        note_err(w, worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j, width, NULL));
    }
}

static void
progress(writer *w, size_t rows)
{
    size_t before = w->done / TFP_BOOK_PROGRESS_ROWS;
    w->done += rows;
    if (w->done / TFP_BOOK_PROGRESS_ROWS != before || w->done == w->total)
        tfp_progress_report(&w->o->progress, "workbook", w->done, w->total);
}

/* Writes a table from row *r: title, header and data rows; *r ends past
 * them. Returns the number of data rows written. */
static size_t
put_table(writer *w,
          lxw_worksheet *ws,
          const tfp_table *t,
          lxw_row_t *r,
          double header_lines,
          table_pos *pos)
{
    const char *title = tfp_report_title(t, w->lang);
    lxw_format *fmt[256];
    char note[512];
    size_t i, j, n, ncol = t->ncol < 256 ? t->ncol : 256;
    if (title != NULL)
        put_string(w, ws, (*r)++, 0, title, w->heading);
    note_err(w, worksheet_set_row(ws, *r, ROW_HEIGHT * header_lines, NULL));
    for (j = 0; j < ncol; j++) {
        put_string(w, ws, *r, (lxw_col_t)j, tfp_report_label(t, j, w->lang), w->header);
        fmt[j] = tfp_report_col_numeric(t, j) ? number_format(w, t, j) : NULL;
    }
    pos->header = (*r)++;
    /* A sheet ends at row 2^20; keep one row for the note. */
    n = t->nrow;
    if ((size_t)*r + n + 1 > TFP_XLSX_MAX_ROWS)
        n = TFP_XLSX_MAX_ROWS - 1 - (size_t)*r;
    for (i = 0; i < n; i++, (*r)++) {
        for (j = 0; j < ncol; j++) {
            if (tfp_report_col_numeric(t, j)) {
                double v = tfp_table_num(t, i, j);
                if (isfinite(v))
                    note_err(w, worksheet_write_number(ws, *r, (lxw_col_t)j, v, fmt[j]));
            } else if (t->cols[j].type == TFP_CELL_STATUS) {
                const char *code = tfp_table_text(t, i, j);
                if (code != NULL)
                    put_string(w, ws, *r, (lxw_col_t)j, tfp_status_label(code, w->lang),
                               status_format(w, code));
            } else {
                put_string(w, ws, *r, (lxw_col_t)j, tfp_table_text(t, i, j), NULL);
            }
        }
        if ((i + 1) % TFP_BOOK_PROGRESS_ROWS == 0)
            progress(w, TFP_BOOK_PROGRESS_ROWS);
    }
    progress(w, n % TFP_BOOK_PROGRESS_ROWS);
    pos->nrow = n;
    if (n < t->nrow) {
        snprintf(note, sizeof note, tfp_book_word_get(TFP_BOOK_WORD_ROWS_CUT, w->lang), n, t->nrow);
        put_string(w, ws, (*r)++, 0, note, w->bold);
    }
    return n;
}

/* The number of leading key columns (text and whole numbers: region,
 * sector, year) that stay in view when scrolling sideways. */
static lxw_col_t
key_columns(const tfp_table *t)
{
    size_t j;
    for (j = 0; j < t->ncol && j < 3; j++)
        if (t->cols[j].type != TFP_CELL_TEXT && t->cols[j].type != TFP_CELL_INT)
            break;
    return (lxw_col_t)j;
}

static lxw_chart *
make_chart(writer *w, const tfp_chart *c)
{
    const tfp_table *t = tfp_book_chart_table(w->b, c);
    const tfp_book_sec *dsec = &w->b->sec[c->section];
    const table_pos *pos = &w->pos[c->section][c->table];
    const char *sheet = tfp_book_lang(dsec->title_en, dsec->title_vi, w->lang);
    lxw_row_t r0 = pos->header + 1 + (lxw_row_t)c->row0, r1 = r0 + (lxw_row_t)c->nrow - 1;
    lxw_col_t cat = (lxw_col_t)tfp_table_col(t, c->cat_col);
    tfp_series_kind k0 = c->series[0].kind;
    uint8_t type = k0 == TFP_SERIES_COLUMN    ? LXW_CHART_COLUMN
                   : k0 == TFP_SERIES_STACKED ? LXW_CHART_COLUMN_STACKED
                                              : LXW_CHART_LINE;
    lxw_chart *ch;
    size_t s;
    int percent = t->cols[tfp_table_col(t, c->series[0].col)].type == TFP_CELL_FRACTION;
    /* Rows past the sheet's end were not written. */
    if (c->row0 + c->nrow > pos->nrow)
        return NULL;
    ch = workbook_add_chart(w->wb, type);
    if (ch == NULL)
        return NULL;
    for (s = 0; s < c->nseries; s++) {
        const tfp_chart_series *se = &c->series[s];
        lxw_col_t col = (lxw_col_t)tfp_table_col(t, se->col);
        lxw_chart_series *cs = chart_add_series(ch, NULL, NULL);
        if (cs == NULL)
            return NULL;
        chart_series_set_categories(cs, sheet, r0, cat, r1, cat);
        chart_series_set_values(cs, sheet, r0, col, r1, col);
        chart_series_set_name_range(cs, sheet, pos->header, col);
        if (se->kind == TFP_SERIES_COLUMN || se->kind == TFP_SERIES_STACKED) {
            lxw_chart_fill fill = {(lxw_color_t)se->rgb, 0, 0};
            chart_series_set_fill(cs, &fill);
        } else {
            lxw_chart_line line = {(lxw_color_t)se->rgb, 0, 2.25f, LXW_CHART_LINE_DASH_SOLID, 0};
            if (se->kind == TFP_SERIES_TARGET) {
                line.width = 1.5f;
                line.dash_type = LXW_CHART_LINE_DASH_DASH;
                chart_series_set_marker_type(cs, LXW_CHART_MARKER_NONE);
            } else {
                lxw_chart_fill mf = {(lxw_color_t)se->rgb, 0, 0};
                lxw_chart_line ml = {(lxw_color_t)se->rgb, 0, 0.75f, LXW_CHART_LINE_DASH_SOLID, 0};
                chart_series_set_marker_type(cs, LXW_CHART_MARKER_CIRCLE);
                chart_series_set_marker_size(cs, 5);
                chart_series_set_marker_fill(cs, &mf);
                chart_series_set_marker_line(cs, &ml);
            }
            chart_series_set_line(cs, &line);
        }
    }
    chart_title_set_name(ch, tfp_book_lang(c->title_en, c->title_vi, w->lang));
    {
        lxw_chart_font tf;
        memset(&tf, 0, sizeof tf);
        tf.size = 11;
        tf.bold = LXW_EXPLICIT_FALSE;
        chart_title_set_name_font(ch, &tf);
    }
    if (tfp_book_lang(c->axis_en, c->axis_vi, w->lang) != NULL)
        chart_axis_set_name(ch->y_axis, tfp_book_lang(c->axis_en, c->axis_vi, w->lang));
    chart_axis_set_num_format(ch->y_axis, percent ? "0%" : "#,##0");
    /* Columns of levels start from zero: a cut axis exaggerates growth. */
    if (k0 == TFP_SERIES_COLUMN && !percent)
        chart_axis_set_min(ch->y_axis, 0.0);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
    return ch;
}

static void
insert_chart(writer *w, lxw_worksheet *ws, const tfp_chart *c, const chart_anchor *at)
{
    lxw_chart_options opt;
    lxw_chart *ch = make_chart(w, c);
    if (ch == NULL) {
        note_err(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    memset(&opt, 0, sizeof opt);
    opt.x_offset = at->x;
    opt.y_offset = at->y;
    opt.x_scale = 1.0;
    opt.y_scale = 1.0;
    opt.description = (char *)(uintptr_t)tfp_book_lang(c->title_en, c->title_vi, w->lang);
    note_err(w, worksheet_insert_chart_opt(ws, at->row, at->col, ch, &opt));
}

/* The sheets' rows, in order, and where each chart goes. Charts need the
 * position of the tables they draw from, which may be on a later sheet, so
 * they are inserted afterwards (drawings are not rows). */
static void
write_sheets(writer *w, lxw_worksheet **ws)
{
    const tfp_book *b = w->b;
    size_t s, k, i;
    for (s = 0; s < b->nsec; s++) {
        const tfp_book_sec *sec = &b->sec[s];
        lxw_row_t r = 0;
        size_t ncol = 0, nchart = 0;
        double header_lines = 1.0;
        int single = sec->ntables == 1;
        for (k = 0; k < sec->ntables; k++)
            if (sec->tables[k]->ncol > ncol)
                ncol = sec->tables[k]->ncol;
        {
            double meta_w = 0.0;
            for (k = 0; s == 0 && k < b->nmeta; k++) {
                double x = (double)tfp_report_width(
                    tfp_book_lang(b->meta[k].label_en, b->meta[k].label_vi, w->lang));
                if (x > meta_w)
                    meta_w = x;
            }
            set_widths(w, ws[s], sec, ncol, meta_w, &header_lines);
        }
        /* Printing: A4 landscape, one page wide. */
        worksheet_set_landscape(ws[s]);
        worksheet_set_paper(ws[s], PAPER_A4);
        worksheet_fit_to_pages(ws[s], 1, 0);
        if (s == 0) {
            /* The first sheet opens with the book's title and metadata. */
            put_string(w, ws[s], r++, 0, tfp_book_lang(b->title_en, b->title_vi, w->lang),
                       w->title);
            for (k = 0; k < b->nmeta; k++, r++) {
                put_string(w, ws[s], r, 0,
                           tfp_book_lang(b->meta[k].label_en, b->meta[k].label_vi, w->lang),
                           w->bold);
                put_string(w, ws[s], r, 1, b->meta[k].value, NULL);
            }
            r++;
        }
        for (k = 0; k < sec->nitems; k++) {
            const tfp_book_item *it = &sec->items[k];
            if (it->kind == BOOK_ITEM_TABLE) {
                const tfp_table *t = sec->tables[it->index];
                table_pos *pos = &w->pos[s][it->index];
                put_table(w, ws[s], t, &r, header_lines, pos);
                if (single) {
                    worksheet_freeze_panes(ws[s], pos->header + 1, key_columns(t));
                    note_err(w, worksheet_repeat_rows(ws[s], pos->header, pos->header));
                    if (t->ncol > 0 && pos->nrow > 0)
                        note_err(w, worksheet_autofilter(ws[s], pos->header, 0,
                                                         pos->header + (lxw_row_t)pos->nrow,
                                                         (lxw_col_t)(t->ncol - 1)));
                }
                r++;
            } else if (it->kind == BOOK_ITEM_TEXT) {
                const tfp_book_text *t = &b->texts[it->index];
                const char *txt = tfp_book_lang(t->en, t->vi, w->lang);
                if (t->kind == TFP_TEXT_HEADING) {
                    put_string(w, ws[s], r++, 0, txt, w->heading);
                } else if (t->kind == TFP_TEXT_NOTE) {
                    size_t n = strlen(txt) + 8;
                    char *bullet = tfp_malloc(n);
                    if (bullet == NULL) {
                        note_err(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
                        continue;
                    }
                    snprintf(bullet, n, "\xE2\x80\xA2 %s", txt);
                    put_string(w, ws[s], r++, 0, bullet, NULL);
                    tfp_free(bullet);
                } else {
                    put_string(w, ws[s], r++, 0, txt, NULL);
                    r++;
                }
            } else if (!single) {
                /* A band of charts in the flow, CHARTS_ROW side by side. */
                size_t run = 0;
                while (k + run < sec->nitems && sec->items[k + run].kind == BOOK_ITEM_CHART)
                    run++;
                for (i = 0; i < run; i++) {
                    chart_anchor *at = &w->anchor[sec->items[k + i].index];
                    at->row = r + (lxw_row_t)((i / CHARTS_ROW) * CHART_ROWS);
                    at->col = 0;
                    at->x = (int)(i % CHARTS_ROW) * (CHART_W + CHART_GAP);
                    at->y = 0;
                }
                r += (lxw_row_t)(((run + CHARTS_ROW - 1) / CHARTS_ROW) * CHART_ROWS);
                k += run - 1;
            }
        }
        if (!single)
            continue;
        /* One table: its charts beside it, from its header row on. */
        for (k = 0; k < sec->nitems; k++) {
            chart_anchor *at;
            if (sec->items[k].kind != BOOK_ITEM_CHART)
                continue;
            at = &w->anchor[sec->items[k].index];
            at->row = w->pos[s][0].header;
            at->col = (lxw_col_t)(sec->tables[0]->ncol + 1);
            at->x = (int)(nchart % CHARTS_ROW) * (CHART_W + CHART_GAP);
            at->y = (int)(nchart / CHARTS_ROW) * (CHART_H + CHART_GAP);
            nchart++;
        }
    }
}

static void
insert_charts(writer *w, lxw_worksheet **ws)
{
    size_t i;
    for (i = 0; i < w->b->ncharts; i++)
        insert_chart(w, ws[w->b->chart_sec[i]], &w->b->charts[i], &w->anchor[i]);
}

static int
lxw_fail(tfp_error *err, lxw_error e, const char *path)
{
    int code = e == LXW_ERROR_MEMORY_MALLOC_FAILED ? TFP_ENOMEM : TFP_EIO;
    return tfp_fail(err, code, "cannot write %s: %s", path, lxw_strerror(e));
}

/* Sheet names must differ, ignoring ASCII case as Excel does; checked
 * here because libxlsxwriter would print its complaint. */
static int
sheet_names_differ(const tfp_book *b, tfp_lang lang, tfp_error *err)
{
    size_t i, j;
    for (i = 0; i < b->nsec; i++)
        for (j = 0; j < i; j++) {
            const char *x = tfp_book_lang(b->sec[i].title_en, b->sec[i].title_vi, lang);
            const char *y = tfp_book_lang(b->sec[j].title_en, b->sec[j].title_vi, lang);
            size_t k;
            for (k = 0; x[k] != '\0' && y[k] != '\0'; k++) {
                char cx = x[k] >= 'A' && x[k] <= 'Z' ? (char)(x[k] - 'A' + 'a') : x[k];
                char cy = y[k] >= 'A' && y[k] <= 'Z' ? (char)(y[k] - 'A' + 'a') : y[k];
                if (cx != cy)
                    break;
            }
            if (x[k] == '\0' && y[k] == '\0')
                return tfp_fail(err, TFP_EINVAL,
                                "sections \"%s\" and \"%s\" would both be the sheet \"%s\"",
                                b->sec[j].key, b->sec[i].key, x);
        }
    return TFP_OK;
}

int
tfp_book_write_xlsx(const tfp_book *b, const tfp_book_opts *o, const char *path, tfp_error *err)
{
    tfp_book_opts v;
    lxw_workbook_options wo;
    lxw_worksheet **ws = NULL;
    writer w;
    char *tmp = NULL;
    size_t s;
    int rc;
    if (b == NULL || b->nsec == 0)
        return tfp_fail(err, TFP_EINVAL, "no report, or a report without sections");
    rc = tfp_book_opts_check(o, &v, err);
    if (rc == TFP_OK)
        rc = sheet_names_differ(b, v.render.lang, err);
    if (rc != TFP_OK)
        return rc;
    memset(&w, 0, sizeof w);
    w.b = b;
    w.o = &v;
    w.lang = v.render.lang;
    w.pos = tfp_calloc(b->nsec, sizeof *w.pos);
    w.anchor = tfp_calloc(b->ncharts + 1, sizeof *w.anchor);
    ws = tfp_calloc(b->nsec, sizeof *ws);
    if (w.pos == NULL || w.anchor == NULL || ws == NULL) {
        rc = tfp_fail(err, TFP_ENOMEM, "out of memory writing %s", path);
        goto done;
    }
    for (s = 0; s < b->nsec; s++) {
        size_t k;
        w.pos[s] = tfp_calloc(b->sec[s].ntables + 1, sizeof **w.pos);
        if (w.pos[s] == NULL) {
            rc = tfp_fail(err, TFP_ENOMEM, "out of memory writing %s", path);
            goto done;
        }
        for (k = 0; k < b->sec[s].ntables; k++)
            w.total += b->sec[s].tables[k]->nrow;
    }
    rc = tfp_file_tmp_create(path, &tmp, err);
    if (rc != TFP_OK)
        goto done;
    memset(&wo, 0, sizeof wo);
    wo.constant_memory = LXW_TRUE;
    w.wb = workbook_new_opt(tmp, &wo);
    if (w.wb == NULL || make_formats(&w) != 0) {
        rc = tfp_fail(err, TFP_ENOMEM, "out of memory writing %s", path);
        goto done;
    }
    for (s = 0; s < b->nsec; s++) {
        const tfp_book_sec *sec = &b->sec[s];
        ws[s] = workbook_add_worksheet(w.wb, tfp_book_lang(sec->title_en, sec->title_vi, w.lang));
        if (ws[s] == NULL) {
            rc = tfp_fail(err, TFP_EINVAL, "cannot add sheet \"%s\"",
                          tfp_book_lang(sec->title_en, sec->title_vi, w.lang));
            goto done;
        }
    }
    write_sheets(&w, ws);
    insert_charts(&w, ws);
    if (w.lerr != LXW_NO_ERROR) {
        rc = lxw_fail(err, w.lerr, path);
        goto done;
    }
    {
        lxw_error e = workbook_close(w.wb);
        w.wb = NULL;
        if (e != LXW_NO_ERROR) {
            rc = lxw_fail(err, e, path);
            goto done;
        }
    }
    rc = tfp_file_tmp_commit(tmp, path, err);
    tmp = NULL;
done:
    if (w.wb != NULL) {
        /* Closing is the only way to free a workbook; what it writes goes
         * to the temporary file, which is removed. */
        workbook_close(w.wb);
    }
    tfp_file_tmp_discard(tmp);
    if (w.pos != NULL)
        for (s = 0; s < b->nsec; s++)
            tfp_free(w.pos[s]);
    tfp_free(w.pos);
    tfp_free(w.anchor);
    tfp_free(ws);
    return rc;
}
