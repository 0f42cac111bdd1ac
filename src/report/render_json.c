/*
 * JSON renderer (report layer): rows as objects keyed by column key, one
 * object per line. Strings are escaped per RFC 8259 section 7 and must be
 * UTF-8 (invalid bytes become U+FFFD); numbers carry `digits` significant
 * digits and a missing or non-finite one is null, as JSON has no NaN.
 */
#include <stdio.h>
#include <string.h>

#include "report_int.h"

void
tfp_report_json_string(tfp_strbuf *out, const char *s)
{
    const char *p, *run;
    unsigned long cp;
    size_t n, len;
    char esc[8];
    if (s == NULL) {
        tfp_strbuf_puts(out, "null");
        return;
    }
    n = strlen(s);
    tfp_strbuf_putc(out, '"');
    /* Runs of bytes that need no escape are appended at once. */
    for (p = run = s; *p != '\0';) {
        unsigned char c = (unsigned char)*p;
        const char *rep = NULL;
        if (c >= 0x80) {
            len = tfp_report_utf8_decode(p, n - (size_t)(p - s), &cp);
            if (len > 0) {
                p += len;
                continue;
            }
            rep = "\\ufffd";
        } else if (c == '"') {
            rep = "\\\"";
        } else if (c == '\\') {
            rep = "\\\\";
        } else if (c == '\n') {
            rep = "\\n";
        } else if (c == '\r') {
            rep = "\\r";
        } else if (c == '\t') {
            rep = "\\t";
        } else if (c == '\b') {
            rep = "\\b";
        } else if (c == '\f') {
            rep = "\\f";
        } else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", (unsigned)c);
            rep = esc;
        } else {
            p++;
            continue;
        }
        tfp_strbuf_append(out, run, (size_t)(p - run));
        tfp_strbuf_puts(out, rep);
        run = ++p;
    }
    tfp_strbuf_append(out, run, (size_t)(p - run));
    tfp_strbuf_putc(out, '"');
}

static void
indent_by(tfp_strbuf *out, size_t n)
{
    while (n-- > 0)
        tfp_strbuf_putc(out, ' ');
}

void
tfp_report_json_rows(const tfp_table *t, const tfp_render_opts *o, size_t indent, tfp_strbuf *out)
{
    char buf[TFP_REPORT_CELL_SIZE];
    const char *num;
    size_t i, j;
    if (t->nrow == 0) {
        tfp_strbuf_puts(out, "[]");
        return;
    }
    tfp_strbuf_puts(out, "[\n");
    for (i = 0; i < t->nrow; i++) {
        indent_by(out, indent + 2);
        tfp_strbuf_putc(out, '{');
        for (j = 0; j < t->ncol; j++) {
            if (j > 0)
                tfp_strbuf_puts(out, ", ");
            tfp_report_json_string(out, t->cols[j].key);
            tfp_strbuf_puts(out, ": ");
            if (tfp_report_col_numeric(t, j)) {
                num = tfp_report_cell_number(t, i, j, o->digits, buf);
                tfp_strbuf_puts(out, num != NULL ? num : "null");
            } else {
                tfp_report_json_string(out, tfp_table_text(t, i, j));
            }
        }
        tfp_strbuf_puts(out, i + 1 < t->nrow ? "},\n" : "}\n");
    }
    indent_by(out, indent);
    tfp_strbuf_putc(out, ']');
}
