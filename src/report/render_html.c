/*
 * HTML renderer of a report book (report layer): one self-contained file,
 * the styles in a <style> element and each chart as inline SVG (cairo,
 * chart_svg.c), with no script and no reference outside the file, so that
 * it opens offline and passes through e-mail. The layout follows the width
 * of the screen (tables scroll sideways inside their box on a phone; charts
 * flow in a grid) and prints on A4 (@page), one section per page.
 * Reference: WHATWG HTML Living Standard; CSS Paged Media Level 3.
 */
#include <stdio.h>
#include <string.h>

#include "book_int.h"
#include "tfp/config.h"

static const char css[] =
    ":root{--fg:#222;--muted:#5a5a5a;--line:#d9d9d9;--head:#f2f4f7;--accent:#0072b2}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0 auto;max-width:1120px;padding:0 14px 28px;color:var(--fg);background:#fff;"
    "font:15px/1.45 'DejaVu Sans',system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}\n"
    "h1{font-size:1.45em;margin:.9em 0 .5em;line-height:1.25}\n"
    "h2{font-size:1.25em;margin:1.8em 0 .6em;padding-bottom:.15em;"
    "border-bottom:2px solid var(--accent)}\n"
    "h3{font-size:1.05em;margin:1.4em 0 .4em}\n"
    "dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2em .9em;margin:0 0 1em}\n"
    "dl.meta dt{font-weight:bold}dl.meta dd{margin:0;overflow-wrap:anywhere}\n"
    "nav ol{margin:.3em 0;padding-left:1.4em;columns:2}\n"
    "nav a{color:var(--accent)}\n"
    ".table-wrap{overflow-x:auto;margin:.6em 0 1.3em;-webkit-overflow-scrolling:touch}\n"
    "table{border-collapse:collapse;font-size:.84em}\n"
    "caption{text-align:left;font-weight:bold;padding:.3em 0;font-size:1.1em}\n"
    "th,td{padding:.28em .6em;border-bottom:1px solid var(--line);white-space:nowrap}\n"
    "th{background:var(--head);text-align:left;vertical-align:bottom}\n"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "td.st{font-weight:bold}\n"
    "p.note{color:var(--muted);font-size:.9em}\n"
    "ul.notes li{margin:.2em 0;overflow-wrap:anywhere}\n"
    ".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,480px),1fr));"
    "gap:14px;margin:1em 0}\n"
    "figure.chart{margin:0;border:1px solid var(--line);border-radius:4px;padding:4px;"
    "background:#fff;break-inside:avoid}\n"
    "figure.chart svg{display:block;width:100%;height:auto}\n"
    "footer{margin-top:2em;color:var(--muted);font-size:.85em}\n"
    "@media (max-width:600px){body{font-size:14px;padding:0 10px 20px}"
    "dl.meta{grid-template-columns:1fr}dl.meta dd{margin-bottom:.35em}nav ol{columns:1}}\n"
    "@page{size:A4;margin:14mm 12mm}\n"
    "@media print{body{max-width:none;padding:0;font-size:10pt}nav{display:none}"
    ".table-wrap{overflow:visible}table{font-size:6.5pt}"
    "th,td{white-space:normal;padding:1px 3px}thead{display:table-header-group}"
    "tr,figure.chart{break-inside:avoid}h2,h3,caption{break-after:avoid}"
    "section+section{break-before:page}"
    ".charts{grid-template-columns:1fr 1fr;gap:8px}a{color:inherit;text-decoration:none}}\n";

/* Appends s escaped for HTML text and attribute values; control
 * characters become spaces. */
static void
put_html(tfp_strbuf *out, const char *s)
{
    const char *p = s, *q;
    if (s == NULL)
        return;
    for (;;) {
        for (q = p; *q != '\0' && *q != '&' && *q != '<' && *q != '>' && *q != '"' &&
                    (unsigned char)*q >= 0x20 && *q != 0x7f;
             q++)
            ;
        tfp_strbuf_append(out, p, (size_t)(q - p));
        switch (*q) {
        case '\0':
            return;
        case '&':
            tfp_strbuf_puts(out, "&amp;");
            break;
        case '<':
            tfp_strbuf_puts(out, "&lt;");
            break;
        case '>':
            tfp_strbuf_puts(out, "&gt;");
            break;
        case '"':
            tfp_strbuf_puts(out, "&quot;");
            break;
        default:
            tfp_strbuf_putc(out, ' ');
            break;
        }
        p = q + 1;
    }
}

static void
put_table(tfp_strbuf *out, const tfp_table *t, const tfp_book_opts *o)
{
    char buf[TFP_REPORT_CELL_SIZE], note[512];
    const char *title = tfp_report_title(t, o->render.lang);
    size_t i, j, n = t->nrow < o->max_rows ? t->nrow : o->max_rows;
    tfp_strbuf_puts(out, "<div class=\"table-wrap\"><table id=\"tbl-");
    put_html(out, t->key);
    tfp_strbuf_puts(out, "\">");
    if (title != NULL) {
        tfp_strbuf_puts(out, "<caption>");
        put_html(out, title);
        tfp_strbuf_puts(out, "</caption>");
    }
    tfp_strbuf_puts(out, "\n<thead><tr>");
    for (j = 0; j < t->ncol; j++) {
        tfp_strbuf_puts(out, tfp_report_col_numeric(t, j) ? "<th class=\"n\" scope=\"col\">"
                                                          : "<th scope=\"col\">");
        put_html(out, tfp_report_label(t, j, o->render.lang));
        if (t->cols[j].type == TFP_CELL_FRACTION)
            tfp_strbuf_puts(out, " (%)");
        tfp_strbuf_puts(out, "</th>");
    }
    tfp_strbuf_puts(out, "</tr></thead>\n<tbody>\n");
    for (i = 0; i < n; i++) {
        tfp_strbuf_puts(out, "<tr>");
        for (j = 0; j < t->ncol; j++) {
            const char *s = tfp_report_cell_display(t, i, j, &o->render, buf);
            unsigned long fill, text;
            if (t->cols[j].type == TFP_CELL_STATUS &&
                tfp_report_status_rgb(tfp_table_text(t, i, j), &fill, &text)) {
                tfp_strbuf_printf(out,
                                  "<td class=\"st st-%s\" style=\"background:#%06lx;"
                                  "color:#%06lx\">",
                                  tfp_table_text(t, i, j), fill, text);
            } else {
                tfp_strbuf_puts(out, tfp_report_col_numeric(t, j) ? "<td class=\"n\">" : "<td>");
            }
            put_html(out, s);
            tfp_strbuf_puts(out, "</td>");
        }
        tfp_strbuf_puts(out, "</tr>\n");
    }
    tfp_strbuf_puts(out, "</tbody></table></div>\n");
    if (n < t->nrow) {
        snprintf(note, sizeof note, tfp_book_word_get(TFP_BOOK_WORD_ROWS_SHOWN, o->render.lang), n,
                 t->nrow);
        tfp_strbuf_puts(out, "<p class=\"note\">");
        put_html(out, note);
        tfp_strbuf_puts(out, "</p>\n");
    }
}

int
tfp_book_render_html(const tfp_book *b, const tfp_book_opts *o, tfp_strbuf *out, tfp_error *err)
{
    tfp_book_opts v;
    tfp_lang lang;
    const char *title;
    char made[128];
    size_t start, s, k, drawn = 0;
    int rc;
    if (b == NULL || out == NULL)
        return tfp_fail(err, TFP_EINVAL, "no report or no output buffer to render to");
    rc = tfp_book_opts_check(o, &v, err);
    if (rc != TFP_OK)
        return rc;
    lang = v.render.lang;
    title = tfp_book_lang(b->title_en, b->title_vi, lang);
    start = out->len;
    tfp_strbuf_printf(out,
                      "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<meta name=\"generator\" content=\"tfp %s\">\n<title>",
                      lang == TFP_LANG_VI ? "vi" : "en", TFP_VERSION);
    put_html(out, title);
    tfp_strbuf_printf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>", css);
    put_html(out, title);
    tfp_strbuf_puts(out, "</h1>\n");
    if (b->nmeta > 0) {
        tfp_strbuf_puts(out, "<dl class=\"meta\">\n");
        for (k = 0; k < b->nmeta; k++) {
            tfp_strbuf_puts(out, "<dt>");
            put_html(out, tfp_book_lang(b->meta[k].label_en, b->meta[k].label_vi, lang));
            tfp_strbuf_puts(out, "</dt><dd>");
            put_html(out, b->meta[k].value);
            tfp_strbuf_puts(out, "</dd>\n");
        }
        tfp_strbuf_puts(out, "</dl>\n");
    }
    tfp_strbuf_puts(out, "<nav><h2>");
    put_html(out, tfp_book_word_get(TFP_BOOK_WORD_CONTENTS, lang));
    tfp_strbuf_puts(out, "</h2><ol>\n");
    for (s = 0; s < b->nsec; s++) {
        tfp_strbuf_puts(out, "<li><a href=\"#sec-");
        put_html(out, b->sec[s].key);
        tfp_strbuf_puts(out, "\">");
        put_html(out, tfp_book_lang(b->sec[s].title_en, b->sec[s].title_vi, lang));
        tfp_strbuf_puts(out, "</a></li>\n");
    }
    tfp_strbuf_puts(out, "</ol></nav>\n</header>\n<main>\n");

    for (s = 0; s < b->nsec; s++) {
        const tfp_book_sec *sec = &b->sec[s];
        tfp_strbuf_puts(out, "<section id=\"sec-");
        put_html(out, sec->key);
        tfp_strbuf_puts(out, "\">\n<h2>");
        put_html(out, tfp_book_lang(sec->title_en, sec->title_vi, lang));
        tfp_strbuf_puts(out, "</h2>\n");
        for (k = 0; k < sec->nitems; k++) {
            const tfp_book_item *it = &sec->items[k];
            const tfp_book_item *prev = k > 0 ? &sec->items[k - 1] : NULL;
            const tfp_book_item *next = k + 1 < sec->nitems ? &sec->items[k + 1] : NULL;
            if (it->kind == BOOK_ITEM_TABLE) {
                put_table(out, sec->tables[it->index], &v);
            } else if (it->kind == BOOK_ITEM_TEXT) {
                const tfp_book_text *t = &b->texts[it->index];
                const char *txt = tfp_book_lang(t->en, t->vi, lang);
                int in_list = prev != NULL && prev->kind == BOOK_ITEM_TEXT &&
                              b->texts[prev->index].kind == TFP_TEXT_NOTE;
                int list_ends = next == NULL || next->kind != BOOK_ITEM_TEXT ||
                                b->texts[next->index].kind != TFP_TEXT_NOTE;
                if (t->kind == TFP_TEXT_NOTE) {
                    if (!in_list)
                        tfp_strbuf_puts(out, "<ul class=\"notes\">\n");
                    tfp_strbuf_puts(out, "<li>");
                    put_html(out, txt);
                    tfp_strbuf_puts(out, "</li>\n");
                    if (list_ends)
                        tfp_strbuf_puts(out, "</ul>\n");
                } else {
                    tfp_strbuf_puts(out, t->kind == TFP_TEXT_HEADING ? "<h3>" : "<p>");
                    put_html(out, txt);
                    tfp_strbuf_puts(out, t->kind == TFP_TEXT_HEADING ? "</h3>\n" : "</p>\n");
                }
            } else {
                const tfp_chart *c = &b->charts[it->index];
                char prefix[64];
                if (prev == NULL || prev->kind != BOOK_ITEM_CHART)
                    tfp_strbuf_puts(out, "<div class=\"charts\">\n");
                tfp_strbuf_puts(out, "<figure class=\"chart\" id=\"chart-");
                put_html(out, c->key);
                tfp_strbuf_puts(out, "\">\n");
                /* Ids inside each SVG get the chart's key, so that the
                 * glyphs of one chart never stand in for another's. */
                snprintf(prefix, sizeof prefix, "%s-", c->key);
                rc = tfp_book_chart_draw(b, c, &v.render, prefix, 0, out, err);
                if (rc != TFP_OK)
                    goto fail;
                tfp_strbuf_puts(out, "</figure>\n");
                if (next == NULL || next->kind != BOOK_ITEM_CHART)
                    tfp_strbuf_puts(out, "</div>\n");
                tfp_progress_report(&v.progress, "charts", ++drawn, b->ncharts);
            }
        }
        tfp_strbuf_puts(out, "</section>\n");
    }
    snprintf(made, sizeof made, tfp_book_word_get(TFP_BOOK_WORD_MADE_BY, lang), TFP_VERSION);
    tfp_strbuf_puts(out, "</main>\n<footer><p>");
    put_html(out, made);
    tfp_strbuf_puts(out, "</p></footer>\n</body>\n</html>\n");
    if (tfp_strbuf_status(out) != TFP_OK) {
        rc = tfp_fail(err, TFP_ENOMEM, "out of memory rendering the report");
        goto fail;
    }
    return TFP_OK;
fail:
    if (out->data != NULL && out->len >= start) {
        out->len = start;
        out->data[start] = '\0';
    }
    return rc;
}
