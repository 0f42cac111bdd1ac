/*
 * Markdown renderer of a report book (report layer): "# title", metadata
 * bullets, "## section" headings, tables as "### title" and a pipe table,
 * text as paragraphs and bullets, and each chart as an image link to an SVG
 * file that the caller writes beside the document (tfp_book_chart_svg).
 */
#include <stdio.h>
#include <string.h>

#include "book_int.h"
#include "tfp/config.h"

/* Appends s with the characters that Markdown would read as markup at the
 * start of a line or inside emphasis escaped, and control characters as
 * spaces: a paragraph stays one paragraph of plain text. */
static void
put_md_text(tfp_strbuf *out, const char *s)
{
    const char *p;
    for (p = s; *p != '\0'; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            tfp_strbuf_putc(out, ' ');
        else {
            if (strchr("\\`*_[]<>|#", *p) != NULL)
                tfp_strbuf_putc(out, '\\');
            tfp_strbuf_putc(out, *p);
        }
    }
}

int
tfp_book_render_md(const tfp_book *b,
                   const tfp_book_opts *o,
                   const char *chart_base,
                   tfp_strbuf *out,
                   tfp_error *err)
{
    tfp_book_opts v;
    tfp_lang lang;
    char note[512];
    size_t start, s, k;
    int rc;
    if (b == NULL || out == NULL || chart_base == NULL)
        return tfp_fail(err, TFP_EINVAL, "no report, chart name or output buffer to render to");
    rc = tfp_book_opts_check(o, &v, err);
    if (rc != TFP_OK)
        return rc;
    lang = v.render.lang;
    start = out->len;
    tfp_strbuf_puts(out, "# ");
    put_md_text(out, tfp_book_lang(b->title_en, b->title_vi, lang));
    tfp_strbuf_puts(out, "\n\n");
    for (k = 0; k < b->nmeta; k++) {
        tfp_strbuf_puts(out, "- **");
        put_md_text(out, tfp_book_lang(b->meta[k].label_en, b->meta[k].label_vi, lang));
        tfp_strbuf_puts(out, ":** ");
        put_md_text(out, b->meta[k].value);
        tfp_strbuf_putc(out, '\n');
    }
    for (s = 0; s < b->nsec; s++) {
        const tfp_book_sec *sec = &b->sec[s];
        tfp_strbuf_puts(out, "\n## ");
        put_md_text(out, tfp_book_lang(sec->title_en, sec->title_vi, lang));
        tfp_strbuf_puts(out, "\n");
        for (k = 0; k < sec->nitems; k++) {
            const tfp_book_item *it = &sec->items[k];
            const tfp_book_item *prev = k > 0 ? &sec->items[k - 1] : NULL;
            int after_note = prev != NULL && prev->kind == BOOK_ITEM_TEXT &&
                             b->texts[prev->index].kind == TFP_TEXT_NOTE;
            if (it->kind == BOOK_ITEM_TABLE) {
                const tfp_table *t = sec->tables[it->index];
                const char *title = tfp_report_title(t, lang);
                size_t n = t->nrow < v.max_rows ? t->nrow : v.max_rows;
                tfp_strbuf_puts(out, "\n");
                if (title != NULL) {
                    tfp_strbuf_puts(out, "### ");
                    put_md_text(out, title);
                    tfp_strbuf_puts(out, "\n\n");
                }
                tfp_report_md_table(t, &v.render, n, out);
                if (n < t->nrow) {
                    snprintf(note, sizeof note, tfp_book_word_get(TFP_BOOK_WORD_ROWS_SHOWN, lang),
                             n, t->nrow);
                    tfp_strbuf_puts(out, "\n");
                    put_md_text(out, note);
                    tfp_strbuf_puts(out, "\n");
                }
            } else if (it->kind == BOOK_ITEM_TEXT) {
                const tfp_book_text *t = &b->texts[it->index];
                if (t->kind == TFP_TEXT_NOTE) {
                    tfp_strbuf_puts(out, after_note ? "- " : "\n- ");
                } else {
                    tfp_strbuf_puts(out, t->kind == TFP_TEXT_HEADING ? "\n### " : "\n");
                }
                put_md_text(out, tfp_book_lang(t->en, t->vi, lang));
                tfp_strbuf_putc(out, '\n');
            } else {
                const tfp_chart *c = &b->charts[it->index];
                tfp_strbuf_puts(out, "\n![");
                put_md_text(out, tfp_book_lang(c->title_en, c->title_vi, lang));
                tfp_strbuf_printf(out, "](%s_chart%zu.svg)\n", chart_base, it->index + 1);
            }
        }
    }
    if (tfp_strbuf_status(out) != TFP_OK) {
        if (out->data != NULL && out->len >= start) {
            out->len = start;
            out->data[start] = '\0';
        }
        return tfp_fail(err, TFP_ENOMEM, "out of memory rendering the report");
    }
    return TFP_OK;
}
