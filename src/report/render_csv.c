/*
 * CSV renderer (report layer): a header of column keys, then one line per
 * row. Numbers carry `digits` significant digits ("%.*g"; 17 round-trips
 * every double), fractions stay fractions, statuses stay codes, and a
 * missing cell is an empty field. Quoting follows RFC 4180 section 2; the
 * io layer's writer is not used, so that report depends on util only.
 */
#include <string.h>

#include "report_int.h"

/* Writes one field, quoted when it contains the delimiter, a double quote,
 * CR or LF, with each inner double quote doubled (RFC 4180 rules 6 and 7). */
static void
put_field(tfp_strbuf *out, const char *s, char delim)
{
    const char *p, *q;
    char special[] = {delim, '"', '\r', '\n', '\0'};
    if (s[strcspn(s, special)] == '\0') {
        tfp_strbuf_puts(out, s);
        return;
    }
    tfp_strbuf_putc(out, '"');
    for (p = s; (q = strchr(p, '"')) != NULL; p = q + 1) {
        tfp_strbuf_append(out, p, (size_t)(q - p) + 1);
        tfp_strbuf_putc(out, '"');
    }
    tfp_strbuf_puts(out, p);
    tfp_strbuf_putc(out, '"');
}

void
tfp_report_csv_render(const tfp_table *t, const tfp_render_opts *o, tfp_strbuf *out)
{
    char buf[TFP_REPORT_CELL_SIZE];
    size_t i, j;
    const char *s;
    for (j = 0; j < t->ncol; j++) {
        if (j > 0)
            tfp_strbuf_putc(out, o->delimiter);
        put_field(out, t->cols[j].key, o->delimiter);
    }
    tfp_strbuf_putc(out, '\n');
    for (i = 0; i < t->nrow; i++) {
        for (j = 0; j < t->ncol; j++) {
            if (j > 0)
                tfp_strbuf_putc(out, o->delimiter);
            if (tfp_report_col_numeric(t, j))
                s = tfp_report_cell_number(t, i, j, o->digits, buf);
            else
                s = tfp_table_text(t, i, j);
            if (s != NULL)
                put_field(out, s, o->delimiter);
            else if (t->ncol == 1)
                /* An empty line is skipped by many readers: keep the row. */
                tfp_strbuf_puts(out, "\"\"");
        }
        tfp_strbuf_putc(out, '\n');
    }
}
