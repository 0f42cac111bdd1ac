/*
 * Charts as SVG (report layer), drawn with cairo's SVG surface into a memory
 * stream: columns (side by side or stacked), lines with markers, dashed
 * target lines and a shaded target band, a value axis with "nice"
 * ticks (steps of 1, 2 or 5 times a power of ten), year categories and a
 * legend. Text is set in DejaVu Sans, which has Vietnamese letters; cairo
 * stores each glyph as an outline, so the SVG needs no font to display.
 * Reference: cairo 1.16 API, cairo_svg_surface_create_for_stream.
 */
#include <cairo-svg.h>
#include <cairo.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_math.h>

#include "book_int.h"
#include "tfp/alloc.h"
#include "tfp/config.h"

#define FONT           "DejaVu Sans"
#define TITLE_SIZE     14.0
#define LABEL_SIZE     12.0
#define MIN_TITLE_SIZE 8.0
#define TICKS          5    /* about this many intervals on a value axis */
#define MARGIN         12.0 /* around the drawing */
#define GAP            6.0  /* between an axis and its labels */
#define BAND_ALPHA     0.15 /* opacity of the target band */
#define GROUP          0.7  /* share of a category's width that its columns fill */
#define MAX_XLABEL     12   /* more categories than this: label every k-th */
#define GRID_RGB       0xDDDDDDul
#define AXIS_RGB       0x444444ul
#define TEXT_RGB       0x222222ul

typedef struct axis {
    int present;     /* some series is drawn against this axis */
    int used;        /* and has a value */
    int percent;     /* FRACTION values shown in percent */
    double lo, hi;   /* data range */
    double min, max; /* axis range (whole ticks) */
    double step;
    int decimals;       /* of the tick labels, in the shown unit */
    double label_width; /* widest tick label */
} axis;

typedef struct chart_data {
    const tfp_chart *c;
    const tfp_table *t;
    size_t n;    /* categories */
    double *cat; /* n category values (years) */
    double *v;   /* nseries x n values */
    int has_cols;
    size_t ncolumns; /* side-by-side column series */
    axis ax;         /* the value axis */
    tfp_lang lang;
} chart_data;

static void
set_rgb(cairo_t *cr, unsigned long rgb)
{
    cairo_set_source_rgb(cr, (double)((rgb >> 16) & 0xFFu) / 255.0,
                         (double)((rgb >> 8) & 0xFFu) / 255.0, (double)(rgb & 0xFFu) / 255.0);
}

static int
is_column(tfp_series_kind k)
{
    return k == TFP_SERIES_COLUMN || k == TFP_SERIES_STACKED;
}

/* "Nice" ticks: a step of 1, 2 or 5 times a power of ten giving about
 * TICKS intervals (Heckbert, "Nice numbers for graph labels", Graphics
 * Gems, 1990). */
static void
axis_ticks(axis *a, int has_cols)
{
    double range, raw, mag, f, unit;
    if (!a->used || !(a->lo <= a->hi)) {
        a->lo = 0.0;
        a->hi = 1.0;
    }
    if (has_cols) {
        if (a->lo > 0.0)
            a->lo = 0.0;
        if (a->hi < 0.0)
            a->hi = 0.0;
    }
    range = a->hi - a->lo;
    if (range <= 0.0)
        range = a->hi != 0.0 ? fabs(a->hi) : 1.0;
    raw = range / TICKS;
    mag = pow(10.0, floor(log10(raw)));
    f = raw / mag;
    a->step = (f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0) * mag;
    a->min = floor(a->lo / a->step) * a->step;
    a->max = ceil(a->hi / a->step) * a->step;
    if (a->max - a->min < a->step / 2) {
        a->min -= a->step;
        a->max += a->step;
    }
    /* Decimals of the labels: those of the step, in the shown unit. */
    unit = a->percent ? a->step * 100.0 : a->step;
    a->decimals = unit >= 1.0 ? 0 : (int)ceil(-log10(unit) - 1e-9);
    if (a->decimals > 4)
        a->decimals = 4;
}

static const char *
tick_label(const chart_data *d, const axis *a, double v, char *buf)
{
    size_t n;
    if (fabs(v) < a->step * 1e-9)
        v = 0.0;
    if (a->percent) {
        tfp_report_fixed(v * 100.0, a->decimals, d->lang, buf);
        n = strlen(buf);
        if (n + 1 < TFP_REPORT_CELL_SIZE) {
            buf[n] = '%';
            buf[n + 1] = '\0';
        }
        return buf;
    }
    return tfp_report_fixed(v, a->decimals, d->lang, buf);
}

static double
text_width(cairo_t *cr, const char *s)
{
    cairo_text_extents_t te;
    cairo_text_extents(cr, s, &te);
    return te.x_advance;
}

/* Draws s with its baseline at y: align 0 left, 1 centre, 2 right of x. */
static void
text_at(cairo_t *cr, const char *s, double x, double y, int align)
{
    double w = text_width(cr, s);
    cairo_move_to(cr, align == 0 ? x : align == 1 ? x - w / 2 : x - w, y);
    cairo_show_text(cr, s);
}

static double
value(const chart_data *d, size_t s, size_t i)
{
    return d->v[s * d->n + i];
}

static void
widen(axis *a, double v)
{
    if (!isfinite(v))
        return;
    if (!a->used || v < a->lo)
        a->lo = v;
    if (!a->used || v > a->hi)
        a->hi = v;
    a->used = 1;
}

/* Reads the chart's cells and finds the range of the value axis. */
static int
load(chart_data *d, tfp_error *err)
{
    const tfp_chart *c = d->c;
    size_t s, i, cat_col = tfp_table_col(d->t, c->cat_col);
    d->n = c->nrow;
    d->cat = tfp_mallocn(d->n, sizeof *d->cat);
    d->v = tfp_mallocn(c->nseries * d->n, sizeof *d->v);
    if (d->cat == NULL || d->v == NULL)
        return tfp_fail(err, TFP_ENOMEM, "out of memory drawing chart \"%s\"", c->key);
    for (i = 0; i < d->n; i++)
        d->cat[i] = tfp_table_num(d->t, c->row0 + i, cat_col);
    for (s = 0; s < c->nseries; s++) {
        size_t col = tfp_table_col(d->t, c->series[s].col);
        axis *a = &d->ax;
        /* The first series on an axis sets its unit. */
        if (!a->present)
            a->percent = d->t->cols[col].type == TFP_CELL_FRACTION;
        a->present = 1;
        for (i = 0; i < d->n; i++)
            d->v[s * d->n + i] = tfp_table_num(d->t, c->row0 + i, col);
        if (c->series[s].kind == TFP_SERIES_COLUMN)
            d->ncolumns++;
        if (is_column(c->series[s].kind))
            d->has_cols = 1;
        if (c->series[s].kind != TFP_SERIES_STACKED)
            for (i = 0; i < d->n; i++)
                widen(a, value(d, s, i));
    }
    /* Stacks: the positive parts pile up from 0, the negative parts down. */
    for (i = 0; i < d->n; i++) {
        double up = 0.0, down = 0.0;
        int any = 0;
        for (s = 0; s < c->nseries; s++) {
            double v = value(d, s, i);
            if (c->series[s].kind != TFP_SERIES_STACKED || !isfinite(v))
                continue;
            any = 1;
            if (v >= 0.0)
                up += v;
            else
                down += v;
        }
        if (any) {
            widen(&d->ax, up);
            widen(&d->ax, down);
        }
    }
    return TFP_OK;
}

typedef struct plot {
    double x0, y0, x1, y1; /* plot area: left, top, right, bottom */
} plot;

static double
ypos(const plot *p, const axis *a, double v)
{
    return p->y1 - (v - a->min) / (a->max - a->min) * (p->y1 - p->y0);
}

static double
xcentre(const plot *p, size_t n, size_t i)
{
    return p->x0 + ((double)i + 0.5) * (p->x1 - p->x0) / (double)n;
}

/* Legend entries flow in lines centred under the plot; returns the height
 * used. With draw unset, only measures. */
static double
legend(cairo_t *cr, const chart_data *d, double width, double top, int draw)
{
    const double swatch = 14.0, pad = 5.0, space = 16.0, line_h = LABEL_SIZE + 6.0;
    double widths[TFP_CHART_MAX_SERIES];
    size_t s, first = 0, nlines = 0;
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, LABEL_SIZE);
    for (s = 0; s < d->c->nseries; s++) {
        size_t col = tfp_table_col(d->t, d->c->series[s].col);
        widths[s] = swatch + pad + text_width(cr, tfp_report_label(d->t, col, d->lang));
    }
    while (first < d->c->nseries) {
        double w = widths[first], x, y;
        size_t last = first + 1;
        while (last < d->c->nseries && w + space + widths[last] <= width - 2 * MARGIN)
            w += space + widths[last++];
        x = (width - w) / 2;
        y = top + (double)nlines * line_h;
        for (s = first; draw && s < last; s++) {
            const tfp_chart_series *se = &d->c->series[s];
            size_t col = tfp_table_col(d->t, se->col);
            double ym = y + line_h / 2;
            set_rgb(cr, se->rgb);
            if (is_column(se->kind)) {
                cairo_rectangle(cr, x, ym - 5, swatch, 10);
                cairo_fill(cr);
            } else {
                double dash[] = {4.0, 3.0};
                cairo_set_line_width(cr, 2.0);
                cairo_set_dash(cr, dash, se->kind == TFP_SERIES_TARGET ? 2 : 0, 0);
                cairo_move_to(cr, x, ym);
                cairo_line_to(cr, x + swatch, ym);
                cairo_stroke(cr);
                cairo_set_dash(cr, NULL, 0, 0);
                if (se->kind == TFP_SERIES_LINE) {
                    cairo_arc(cr, x + swatch / 2, ym, 2.5, 0, 2 * M_PI);
                    cairo_fill(cr);
                }
            }
            set_rgb(cr, TEXT_RGB);
            text_at(cr, tfp_report_label(d->t, col, d->lang), x + swatch + pad, ym + 3.5, 0);
            x += widths[s] + space;
        }
        nlines++;
        first = last;
    }
    return (double)nlines * line_h;
}

static void
draw_axis_labels(cairo_t *cr, const chart_data *d, const plot *p)
{
    const axis *a = &d->ax;
    char buf[TFP_REPORT_CELL_SIZE];
    double v;
    size_t i, nticks = (size_t)llround((a->max - a->min) / a->step);
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, LABEL_SIZE);
    for (i = 0; i <= nticks; i++) {
        v = a->min + (double)i * a->step;
        double y = ypos(p, a, v);
        set_rgb(cr, i == 0 || fabs(v) < a->step * 1e-9 ? AXIS_RGB : GRID_RGB);
        cairo_set_line_width(cr, fabs(v) < a->step * 1e-9 ? 1.0 : 0.6);
        cairo_move_to(cr, p->x0, y);
        cairo_line_to(cr, p->x1, y);
        cairo_stroke(cr);
        set_rgb(cr, TEXT_RGB);
        text_at(cr, tick_label(d, a, v, buf), p->x0 - GAP, y + 3.5, 2);
    }
}

static void
axis_title(cairo_t *cr, const char *s, double x, double ymid)
{
    if (s == NULL)
        return;
    cairo_save(cr);
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, LABEL_SIZE);
    set_rgb(cr, TEXT_RGB);
    cairo_translate(cr, x, ymid);
    cairo_rotate(cr, -M_PI / 2);
    text_at(cr, s, 0, 0, 1);
    cairo_restore(cr);
}

static double
max_tick_width(cairo_t *cr, const chart_data *d, const axis *a)
{
    char buf[TFP_REPORT_CELL_SIZE];
    double w = 0.0, v;
    size_t i, nticks = (size_t)llround((a->max - a->min) / a->step);
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, LABEL_SIZE);
    for (i = 0; i <= nticks; i++) {
        v = a->min + (double)i * a->step;
        double tw = text_width(cr, tick_label(d, a, v, buf));
        if (tw > w)
            w = tw;
    }
    return w;
}

static void
draw_series(cairo_t *cr, const chart_data *d, const plot *p)
{
    const tfp_chart *c = d->c;
    double band = (p->x1 - p->x0) / (double)d->n, groupw = band * GROUP;
    double colw = d->ncolumns > 0 ? groupw / (double)d->ncolumns : groupw;
    size_t s, i, kcol = 0, nband = 0, band_s[2] = {0, 0};
    const axis *a0 = &d->ax;

    /* The band under everything else. */
    for (s = 0; s < c->nseries && nband < 2; s++)
        if (c->band && c->series[s].kind == TFP_SERIES_TARGET)
            band_s[nband++] = s;
    if (nband == 2) {
        /* The band's edges run from the plot's left edge to its right one
         * through the categories where both bounds are known. */
        const axis *a = a0;
        size_t first = SIZE_MAX, last = 0;
        for (i = 0; i < d->n; i++)
            if (isfinite(value(d, band_s[0], i)) && isfinite(value(d, band_s[1], i))) {
                if (first == SIZE_MAX)
                    first = i;
                last = i;
            }
        if (first != SIZE_MAX) {
            cairo_move_to(cr, p->x0, ypos(p, a, value(d, band_s[0], first)));
            for (i = first; i <= last; i++)
                if (isfinite(value(d, band_s[0], i)) && isfinite(value(d, band_s[1], i)))
                    cairo_line_to(cr, xcentre(p, d->n, i), ypos(p, a, value(d, band_s[0], i)));
            cairo_line_to(cr, p->x1, ypos(p, a, value(d, band_s[0], last)));
            cairo_line_to(cr, p->x1, ypos(p, a, value(d, band_s[1], last)));
            for (i = last + 1; i-- > first;)
                if (isfinite(value(d, band_s[0], i)) && isfinite(value(d, band_s[1], i)))
                    cairo_line_to(cr, xcentre(p, d->n, i), ypos(p, a, value(d, band_s[1], i)));
            cairo_line_to(cr, p->x0, ypos(p, a, value(d, band_s[1], first)));
            cairo_close_path(cr);
            {
                unsigned long rgb = c->series[band_s[0]].rgb;
                cairo_set_source_rgba(cr, (double)((rgb >> 16) & 0xFFu) / 255.0,
                                      (double)((rgb >> 8) & 0xFFu) / 255.0,
                                      (double)(rgb & 0xFFu) / 255.0, BAND_ALPHA);
            }
            cairo_fill(cr);
        }
    }

    /* Columns. */
    for (i = 0; i < d->n; i++) {
        double up = 0.0, down = 0.0;
        kcol = 0;
        for (s = 0; s < c->nseries; s++) {
            const tfp_chart_series *se = &c->series[s];
            double v = value(d, s, i), x, yb, yt;
            if (!is_column(se->kind))
                continue;
            if (se->kind == TFP_SERIES_COLUMN) {
                x = xcentre(p, d->n, i) - groupw / 2 + (double)kcol++ * colw;
                if (!isfinite(v))
                    continue;
                yb = ypos(p, a0, 0.0);
                yt = ypos(p, a0, v);
                cairo_rectangle(cr, x + 0.5, fmin(yb, yt), colw - 1.0, fabs(yb - yt));
            } else {
                if (!isfinite(v))
                    continue;
                x = xcentre(p, d->n, i) - groupw / 2;
                if (v >= 0.0) {
                    yb = ypos(p, a0, up);
                    up += v;
                    yt = ypos(p, a0, up);
                } else {
                    yb = ypos(p, a0, down);
                    down += v;
                    yt = ypos(p, a0, down);
                }
                cairo_rectangle(cr, x, fmin(yb, yt), groupw, fabs(yb - yt));
            }
            set_rgb(cr, se->rgb);
            cairo_fill(cr);
        }
    }

    /* Lines and targets on top, broken where a value is missing. */
    for (s = 0; s < c->nseries; s++) {
        const tfp_chart_series *se = &c->series[s];
        const axis *a = a0;
        double dash[] = {6.0, 4.0};
        int pen = 0;
        if (is_column(se->kind))
            continue;
        set_rgb(cr, se->rgb);
        cairo_set_line_width(cr, se->kind == TFP_SERIES_TARGET ? 1.5 : 2.0);
        cairo_set_dash(cr, dash, se->kind == TFP_SERIES_TARGET ? 2 : 0, 0);
        for (i = 0; i < d->n; i++) {
            double v = value(d, s, i);
            if (!isfinite(v)) {
                pen = 0;
                continue;
            }
            /* A target spans the whole plot, from edge to edge. */
            if (se->kind == TFP_SERIES_TARGET && !pen)
                cairo_move_to(cr, p->x0, ypos(p, a, v));
            if (pen || se->kind == TFP_SERIES_TARGET)
                cairo_line_to(cr, xcentre(p, d->n, i), ypos(p, a, v));
            else
                cairo_move_to(cr, xcentre(p, d->n, i), ypos(p, a, v));
            if (se->kind == TFP_SERIES_TARGET && (i + 1 == d->n || !isfinite(value(d, s, i + 1))))
                cairo_line_to(cr, p->x1, ypos(p, a, v));
            pen = 1;
        }
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        if (se->kind != TFP_SERIES_LINE)
            continue;
        for (i = 0; i < d->n; i++) {
            double v = value(d, s, i);
            if (!isfinite(v))
                continue;
            cairo_arc(cr, xcentre(p, d->n, i), ypos(p, a, v), 3.0, 0, 2 * M_PI);
            cairo_fill(cr);
        }
    }
}

static void
draw(cairo_t *cr, chart_data *d)
{
    const tfp_chart *c = d->c;
    const double W = TFP_CHART_WIDTH, H = TFP_CHART_HEIGHT;
    const char *title = tfp_book_lang(c->title_en, c->title_vi, d->lang);
    const char *t0 = tfp_book_lang(c->axis_en, c->axis_vi, d->lang);
    char buf[TFP_REPORT_CELL_SIZE];
    double legend_h, w0, top;
    size_t i, every, cat_col = tfp_table_col(d->t, c->cat_col);
    int any = 0, cat_fraction = d->t->cols[cat_col].type == TFP_CELL_FRACTION;
    plot p;

    cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
    cairo_paint(cr);
    axis_ticks(&d->ax, d->has_cols);
    for (i = 0; i < c->nseries * d->n; i++)
        any |= isfinite(d->v[i]);

    /* The title, in a smaller size when it is wider than the chart (a long
     * region name). */
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, TITLE_SIZE);
    set_rgb(cr, TEXT_RGB);
    top = MARGIN + TITLE_SIZE;
    if (title != NULL) {
        double tw = text_width(cr, title);
        if (tw > W - 2 * MARGIN)
            cairo_set_font_size(cr, fmax(MIN_TITLE_SIZE, TITLE_SIZE * (W - 2 * MARGIN) / tw));
        text_at(cr, title, W / 2, top, 1);
    }
    top += 14.0;

    legend_h = legend(cr, d, W, 0, 0);
    w0 = max_tick_width(cr, d, &d->ax);
    p.x0 = MARGIN + (t0 != NULL ? LABEL_SIZE + GAP : 0.0) + w0 + GAP;
    p.x1 = W - MARGIN - 8.0;
    p.y0 = top;
    p.y1 = H - MARGIN - legend_h - GAP - LABEL_SIZE - GAP;

    if (!any) {
        cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(cr, LABEL_SIZE);
        set_rgb(cr, TEXT_RGB);
        text_at(cr, tfp_book_word_get(TFP_BOOK_WORD_NO_DATA, d->lang), W / 2, (p.y0 + p.y1) / 2, 1);
    }
    draw_axis_labels(cr, d, &p);
    axis_title(cr, t0, MARGIN + LABEL_SIZE, (p.y0 + p.y1) / 2);

    /* Year labels, every k-th when crowded. */
    every = d->n > MAX_XLABEL ? (d->n + MAX_XLABEL - 1) / MAX_XLABEL : 1;
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, LABEL_SIZE);
    set_rgb(cr, TEXT_RGB);
    for (i = 0; i < d->n; i += every) {
        if (!isfinite(d->cat[i]))
            continue;
        if (cat_fraction) {
            /* A share as the workbook's axis shows it: percent, with a
             * decimal only where the value needs one (0.325 -> 32.5%). */
            double pct = 100.0 * d->cat[i];
            size_t n;
            tfp_report_fixed(pct, fabs(pct - round(pct)) < 1e-9 ? 0 : 1, d->lang, buf);
            n = strlen(buf);
            buf[n] = '%';
            buf[n + 1] = '\0';
        } else {
            snprintf(buf, sizeof buf, "%.0f", d->cat[i]);
        }
        text_at(cr, buf, xcentre(&p, d->n, i), p.y1 + GAP + LABEL_SIZE, 1);
    }
    cairo_save(cr);
    cairo_rectangle(cr, p.x0, p.y0 - 1, p.x1 - p.x0, p.y1 - p.y0 + 2);
    cairo_clip(cr);
    draw_series(cr, d, &p);
    cairo_restore(cr);
    set_rgb(cr, AXIS_RGB);
    cairo_set_line_width(cr, 1.0);
    cairo_move_to(cr, p.x0, p.y0);
    cairo_line_to(cr, p.x0, p.y1);
    cairo_line_to(cr, p.x1, p.y1);
    cairo_stroke(cr);
    legend(cr, d, W, H - MARGIN - legend_h, 1);
}

static cairo_status_t
write_cb(void *closure, const unsigned char *data, unsigned int n)
{
    tfp_strbuf *sb = closure;
    tfp_strbuf_append(sb, (const char *)data, n);
    return tfp_strbuf_status(sb) == TFP_OK ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* Appends svg (cairo's output) to out with every id, href="#..." and
 * url(#...) given the prefix, and without the XML declaration unless
 * standalone; the <svg> element gets role="img" and aria-label. */
static void
put_prefixed(tfp_strbuf *out,
             const char *svg,
             const char *prefix,
             int standalone,
             const char *label)
{
    static const char *const marks[] = {"id=\"", "href=\"#", "url(#"};
    const char *p = svg, *q;
    if (!standalone && strncmp(p, "<?xml", 5) == 0) {
        q = strstr(p, "?>");
        if (q != NULL) {
            p = q + 2;
            while (*p == '\n')
                p++;
        }
    }
    for (;;) {
        const char *best = NULL;
        size_t k, mk = 0;
        for (k = 0; k < sizeof marks / sizeof marks[0]; k++) {
            q = strstr(p, marks[k]);
            if (q != NULL && (best == NULL || q < best)) {
                best = q;
                mk = k;
            }
        }
        q = strstr(p, "<svg ");
        if (q != NULL && (best == NULL || q < best)) {
            tfp_strbuf_append(out, p, (size_t)(q - p) + 5);
            tfp_strbuf_puts(out, "role=\"img\" aria-label=\"");
            for (const char *l = label != NULL ? label : ""; *l != '\0'; l++) {
                if (*l == '"')
                    tfp_strbuf_puts(out, "&quot;");
                else if (*l == '&')
                    tfp_strbuf_puts(out, "&amp;");
                else if (*l == '<')
                    tfp_strbuf_puts(out, "&lt;");
                else
                    tfp_strbuf_putc(out, *l);
            }
            tfp_strbuf_puts(out, "\" ");
            p = q + 5;
            continue;
        }
        if (best == NULL) {
            tfp_strbuf_puts(out, p);
            return;
        }
        tfp_strbuf_append(out, p, (size_t)(best - p) + strlen(marks[mk]));
        tfp_strbuf_puts(out, prefix);
        p = best + strlen(marks[mk]);
    }
}

int
tfp_book_chart_draw(const tfp_book *b,
                    const tfp_chart *c,
                    const tfp_render_opts *o,
                    const char *id_prefix,
                    int standalone,
                    tfp_strbuf *out,
                    tfp_error *err)
{
    chart_data d;
    tfp_strbuf raw;
    cairo_surface_t *surface;
    cairo_t *cr;
    cairo_status_t st;
    size_t start = out->len;
    int rc;
    memset(&d, 0, sizeof d);
    d.c = c;
    d.t = tfp_book_chart_table(b, c);
    d.lang = o->lang;
    if (d.t == NULL)
        return tfp_fail(err, TFP_EINVAL, "chart \"%s\" has no table", c->key);
    rc = load(&d, err);
    if (rc != TFP_OK) {
        tfp_free(d.cat);
        tfp_free(d.v);
        return rc;
    }
    tfp_strbuf_init(&raw);
    surface =
        cairo_svg_surface_create_for_stream(write_cb, &raw, TFP_CHART_WIDTH, TFP_CHART_HEIGHT);
    cr = cairo_create(surface);
    draw(cr, &d);
    st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    tfp_free(d.cat);
    tfp_free(d.v);
    if (st != CAIRO_STATUS_SUCCESS || tfp_strbuf_status(&raw) != TFP_OK) {
        tfp_strbuf_fini(&raw);
        return tfp_fail(err,
                        st == CAIRO_STATUS_NO_MEMORY || st == CAIRO_STATUS_WRITE_ERROR ? TFP_ENOMEM
                                                                                       : TFP_EINVAL,
                        "cannot draw chart \"%s\": %s", c->key, cairo_status_to_string(st));
    }
    put_prefixed(out, tfp_strbuf_cstr(&raw), id_prefix != NULL ? id_prefix : "", standalone,
                 tfp_book_lang(c->title_en, c->title_vi, o->lang));
    tfp_strbuf_fini(&raw);
    if (tfp_strbuf_status(out) != TFP_OK) {
        if (out->data != NULL && out->len >= start) {
            out->len = start;
            out->data[start] = '\0';
        }
        return tfp_fail(err, TFP_ENOMEM, "out of memory drawing chart \"%s\"", c->key);
    }
    return TFP_OK;
}

int
tfp_book_chart_svg(const tfp_book *b,
                   size_t i,
                   const tfp_book_opts *o,
                   tfp_strbuf *out,
                   tfp_error *err)
{
    tfp_book_opts v;
    int rc;
    if (b == NULL || out == NULL || i >= b->ncharts)
        return tfp_fail(err, TFP_EINVAL, "no chart %zu in the report", i);
    rc = tfp_book_opts_check(o, &v, err);
    if (rc != TFP_OK)
        return rc;
    return tfp_book_chart_draw(b, &b->charts[i], &v.render, "", 1, out, err);
}
