/*
 * Terminal text renderer (report layer): the title, then an aligned table
 * with headers in the chosen language, numbers right-aligned and text
 * left-aligned. Widths count code points, not bytes, so that Vietnamese
 * (NFC) lines up; combining marks count zero (report_int.h).
 */
#include <string.h>

#include "report_int.h"
#include "tfp/alloc.h"

/* Space between two columns. */
#define GUTTER "  "
/* Appended to the header of a FRACTION column, whose cells are percents. */
#define PCT_SUFFIX " (%)"

static void
pad(tfp_strbuf *out, size_t n)
{
    static const char spaces[] = "                                ";
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        tfp_strbuf_append(out, spaces, k);
        n -= k;
    }
}

static void
put_rule(tfp_strbuf *out, size_t n)
{
    static const char dashes[] = "--------------------------------";
    while (n > 0) {
        size_t k = n < sizeof dashes - 1 ? n : sizeof dashes - 1;
        tfp_strbuf_append(out, dashes, k);
        n -= k;
    }
}

/* One cell: s followed by suffix (may be ""), of display width w, in a
 * column of width width. A left-aligned last cell gets no padding, so that
 * no line ends in blanks. */
static void
put_cell(tfp_strbuf *out,
         const char *s,
         const char *suffix,
         size_t w,
         size_t width,
         int right,
         int last)
{
    if (right)
        pad(out, width - w);
    tfp_report_put_clean(out, s);
    tfp_strbuf_puts(out, suffix);
    if (!right && !last)
        pad(out, width - w);
}

static const char *
header_suffix(const tfp_table *t, size_t j)
{
    return t->cols[j].type == TFP_CELL_FRACTION ? PCT_SUFFIX : "";
}

int
tfp_report_text_render(const tfp_table *t,
                       const tfp_render_opts *o,
                       tfp_strbuf *out,
                       tfp_error *err)
{
    char buf[TFP_REPORT_CELL_SIZE];
    const char *title = tfp_report_title(t, o->lang);
    size_t *width, i, j, w;
    if (title != NULL) {
        tfp_report_put_clean(out, title);
        tfp_strbuf_putc(out, '\n');
    }
    if (t->ncol == 0)
        return TFP_OK;
    width = tfp_calloc(t->ncol, sizeof *width);
    if (width == NULL)
        return tfp_fail(err, TFP_ENOMEM, "out of memory rendering table \"%s\"", t->key);

    /* First pass: the widest header or cell of each column. */
    for (j = 0; j < t->ncol; j++)
        width[j] = tfp_report_width(tfp_report_label(t, j, o->lang)) + strlen(header_suffix(t, j));
    for (i = 0; i < t->nrow; i++)
        for (j = 0; j < t->ncol; j++) {
            w = tfp_report_width(tfp_report_cell_display(t, i, j, o, buf));
            if (w > width[j])
                width[j] = w;
        }

    /* Second pass: header, rule, rows. */
    for (j = 0; j < t->ncol; j++) {
        const char *label = tfp_report_label(t, j, o->lang);
        const char *suffix = header_suffix(t, j);
        if (j > 0)
            tfp_strbuf_puts(out, GUTTER);
        put_cell(out, label, suffix, tfp_report_width(label) + strlen(suffix), width[j],
                 tfp_report_col_numeric(t, j), j + 1 == t->ncol);
    }
    tfp_strbuf_putc(out, '\n');
    for (j = 0; j < t->ncol; j++) {
        if (j > 0)
            tfp_strbuf_puts(out, GUTTER);
        put_rule(out, width[j]);
    }
    tfp_strbuf_putc(out, '\n');
    for (i = 0; i < t->nrow; i++) {
        for (j = 0; j < t->ncol; j++) {
            const char *s = tfp_report_cell_display(t, i, j, o, buf);
            if (j > 0)
                tfp_strbuf_puts(out, GUTTER);
            put_cell(out, s, "", tfp_report_width(s), width[j], tfp_report_col_numeric(t, j),
                     j + 1 == t->ncol);
        }
        tfp_strbuf_putc(out, '\n');
    }
    tfp_free(width);
    return TFP_OK;
}
