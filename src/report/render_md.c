/*
 * Markdown renderer (report layer): "## title", then a GitHub pipe table
 * with the labels of the chosen language as headers, numbers right-aligned
 * ("---:") and formatted as in text output. A '|' inside a cell is written
 * "\|" and a control character as a space, so that a cell can end neither
 * its row nor the table.
 */
#include "report_int.h"

/* Appends s escaped for a table cell, copying runs of ordinary bytes at once. */
static void
put_escaped(tfp_strbuf *out, const char *s)
{
    const char *p = s, *q;
    for (;;) {
        for (q = p; *q != '\0' && *q != '|' && (unsigned char)*q >= 0x20 && *q != 0x7f; q++)
            ;
        tfp_strbuf_append(out, p, (size_t)(q - p));
        if (*q == '\0')
            return;
        tfp_strbuf_puts(out, *q == '|' ? "\\|" : " ");
        p = q + 1;
    }
}

void
tfp_report_md_render(const tfp_table *t, const tfp_render_opts *o, tfp_strbuf *out)
{
    const char *title = tfp_report_title(t, o->lang);
    if (title != NULL) {
        tfp_strbuf_puts(out, "## ");
        tfp_report_put_clean(out, title);
        tfp_strbuf_puts(out, "\n\n");
    }
    tfp_report_md_table(t, o, t->nrow, out);
}

void
tfp_report_md_table(const tfp_table *t, const tfp_render_opts *o, size_t nrow, tfp_strbuf *out)
{
    char buf[TFP_REPORT_CELL_SIZE];
    size_t i, j;
    if (nrow > t->nrow)
        nrow = t->nrow;
    /* A pipe table needs at least one column. */
    if (t->ncol == 0)
        return;
    for (j = 0; j < t->ncol; j++) {
        tfp_strbuf_puts(out, "| ");
        put_escaped(out, tfp_report_label(t, j, o->lang));
        if (t->cols[j].type == TFP_CELL_FRACTION)
            tfp_strbuf_puts(out, " (%)");
        tfp_strbuf_putc(out, ' ');
    }
    tfp_strbuf_puts(out, "|\n");
    for (j = 0; j < t->ncol; j++)
        tfp_strbuf_puts(out, tfp_report_col_numeric(t, j) ? "|---:" : "|---");
    tfp_strbuf_puts(out, "|\n");
    for (i = 0; i < nrow; i++) {
        for (j = 0; j < t->ncol; j++) {
            tfp_strbuf_puts(out, "| ");
            put_escaped(out, tfp_report_cell_display(t, i, j, o, buf));
            tfp_strbuf_putc(out, ' ');
        }
        tfp_strbuf_puts(out, "|\n");
    }
}
