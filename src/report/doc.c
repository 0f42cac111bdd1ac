/*
 * Rendering entry points (report layer): tfp_table_render for one table and
 * tfp_doc_render for a document (title, metadata, tables, warnings) in text,
 * Markdown, JSON or CSV. Options and documents are checked before anything
 * is written; on failure the output buffer is cut back to its entry length.
 */
#include <string.h>

#include "report_int.h"

/* Turns a failed buffer into TFP_ENOMEM and undoes a failed call's output. */
static int
finish(tfp_strbuf *out, size_t start, int rc, tfp_error *err)
{
    if (rc == TFP_OK && tfp_strbuf_status(out) != TFP_OK)
        rc = tfp_fail(err, TFP_ENOMEM, "out of memory while rendering");
    if (rc != TFP_OK && out->data != NULL && out->len >= start) {
        out->len = start;
        out->data[start] = '\0';
    }
    return rc;
}

int
tfp_table_render(const tfp_table *t,
                 tfp_format fmt,
                 const tfp_render_opts *o,
                 tfp_strbuf *out,
                 tfp_error *err)
{
    tfp_render_opts v;
    size_t start;
    int rc;
    if (t == NULL || out == NULL)
        return tfp_fail(err, TFP_EINVAL, "no table or no output buffer to render to");
    rc = tfp_report_opts_check(o, &v, err);
    if (rc != TFP_OK)
        return rc;
    start = out->len;
    switch (fmt) {
    case TFP_FORMAT_TEXT:
        rc = tfp_report_text_render(t, &v, out, err);
        break;
    case TFP_FORMAT_CSV:
        tfp_report_csv_render(t, &v, out);
        break;
    case TFP_FORMAT_MD:
        tfp_report_md_render(t, &v, out);
        break;
    case TFP_FORMAT_JSON:
        tfp_report_json_rows(t, &v, 0, out);
        tfp_strbuf_putc(out, '\n');
        break;
    default:
        return tfp_fail(err, TFP_EINVAL, "unknown output format %d", (int)fmt);
    }
    return finish(out, start, rc, err);
}

/* ---- documents ------------------------------------------------------------------ */

static const char *
doc_title(const tfp_doc *d, tfp_lang lang)
{
    if (lang == TFP_LANG_VI && d->title_vi != NULL)
        return d->title_vi;
    return d->title_en != NULL ? d->title_en : d->title_vi;
}

static const char *
meta_label(const tfp_doc_meta *m, tfp_lang lang)
{
    if (lang == TFP_LANG_VI && m->label_vi != NULL)
        return m->label_vi;
    if (m->label_en != NULL)
        return m->label_en;
    return m->label_vi != NULL ? m->label_vi : m->key;
}

static size_t
nwarnings(const tfp_doc *d)
{
    return d->warnings != NULL ? d->warnings->n : 0;
}

/* Keys name JSON members, so they must exist and differ; checked for every
 * format, so that a document valid as text is valid as JSON. */
static int
doc_check(const tfp_doc *d, tfp_format fmt, tfp_error *err)
{
    size_t i, j;
    if (d == NULL)
        return tfp_fail(err, TFP_EINVAL, "no document to render");
    if ((d->nmeta > 0 && d->meta == NULL) || (d->ntables > 0 && d->tables == NULL))
        return tfp_fail(err, TFP_EINVAL, "document counts metadata or tables it does not hold");
    for (i = 0; i < d->nmeta; i++) {
        if (d->meta[i].key == NULL || d->meta[i].key[0] == '\0')
            return tfp_fail(err, TFP_EINVAL, "metadata line %zu has no key", i + 1);
        for (j = 0; j < i; j++)
            if (strcmp(d->meta[i].key, d->meta[j].key) == 0)
                return tfp_fail(err, TFP_EINVAL, "metadata key \"%s\" is used twice",
                                d->meta[i].key);
    }
    for (i = 0; i < d->ntables; i++) {
        if (d->tables[i] == NULL)
            return tfp_fail(err, TFP_EINVAL, "document table %zu is missing", i + 1);
        for (j = 0; j < i; j++)
            if (strcmp(d->tables[i]->key, d->tables[j]->key) == 0)
                return tfp_fail(err, TFP_EINVAL, "table key \"%s\" is used twice",
                                d->tables[i]->key);
    }
    if (fmt == TFP_FORMAT_CSV && d->ntables != 1)
        return tfp_fail(err, TFP_EINVAL, "CSV output holds exactly one table, not %zu", d->ntables);
    if (fmt < TFP_FORMAT_TEXT || fmt > TFP_FORMAT_JSON)
        return tfp_fail(err, TFP_EINVAL, "unknown output format %d", (int)fmt);
    return TFP_OK;
}

/* Separates the sections of a text or Markdown document by one blank line. */
static void
section(tfp_strbuf *out, size_t start)
{
    if (out->len > start)
        tfp_strbuf_putc(out, '\n');
}

static int
doc_text(const tfp_doc *d, const tfp_render_opts *o, tfp_strbuf *out, tfp_error *err)
{
    const char *title = doc_title(d, o->lang);
    size_t start = out->len, i, w, wmax = 0;
    int rc;
    if (title != NULL) {
        tfp_report_put_clean(out, title);
        tfp_strbuf_putc(out, '\n');
    }
    if (d->nmeta > 0) {
        section(out, start);
        for (i = 0; i < d->nmeta; i++) {
            w = tfp_report_width(meta_label(&d->meta[i], o->lang));
            if (w > wmax)
                wmax = w;
        }
        /* "Label:" padded so that the values line up one space after the
         * longest label's colon. */
        for (i = 0; i < d->nmeta; i++) {
            const char *label = meta_label(&d->meta[i], o->lang);
            tfp_report_put_clean(out, label);
            tfp_strbuf_putc(out, ':');
            for (w = tfp_report_width(label); w <= wmax; w++)
                tfp_strbuf_putc(out, ' ');
            tfp_report_put_clean(out, d->meta[i].value != NULL ? d->meta[i].value : "-");
            tfp_strbuf_putc(out, '\n');
        }
    }
    for (i = 0; i < d->ntables; i++) {
        section(out, start);
        rc = tfp_report_text_render(d->tables[i], o, out, err);
        if (rc != TFP_OK)
            return rc;
    }
    if (nwarnings(d) > 0) {
        section(out, start);
        for (i = 0; i < nwarnings(d); i++) {
            tfp_strbuf_puts(out, tfp_report_word_get(TFP_REPORT_WORD_WARNING, o->lang));
            tfp_strbuf_puts(out, ": ");
            tfp_report_put_clean(out, d->warnings->msg[i]);
            tfp_strbuf_putc(out, '\n');
        }
    }
    return TFP_OK;
}

static void
doc_md(const tfp_doc *d, const tfp_render_opts *o, tfp_strbuf *out)
{
    const char *title = doc_title(d, o->lang);
    size_t start = out->len, i;
    if (title != NULL) {
        tfp_strbuf_puts(out, "# ");
        tfp_report_put_clean(out, title);
        tfp_strbuf_putc(out, '\n');
    }
    if (d->nmeta > 0) {
        section(out, start);
        for (i = 0; i < d->nmeta; i++) {
            tfp_strbuf_puts(out, "- **");
            tfp_report_put_clean(out, meta_label(&d->meta[i], o->lang));
            tfp_strbuf_puts(out, ":** ");
            tfp_report_put_clean(out, d->meta[i].value != NULL ? d->meta[i].value : "-");
            tfp_strbuf_putc(out, '\n');
        }
    }
    for (i = 0; i < d->ntables; i++) {
        section(out, start);
        tfp_report_md_render(d->tables[i], o, out);
    }
    if (nwarnings(d) > 0) {
        section(out, start);
        tfp_strbuf_puts(out, "### ");
        tfp_strbuf_puts(out, tfp_report_word_get(TFP_REPORT_WORD_WARNINGS, o->lang));
        tfp_strbuf_puts(out, "\n\n");
        for (i = 0; i < nwarnings(d); i++) {
            tfp_strbuf_puts(out, "- ");
            tfp_report_put_clean(out, d->warnings->msg[i]);
            tfp_strbuf_putc(out, '\n');
        }
    }
}

static void
doc_json(const tfp_doc *d, const tfp_render_opts *o, tfp_strbuf *out)
{
    size_t i;
    tfp_strbuf_puts(out, "{\n  \"meta\": {");
    for (i = 0; i < d->nmeta; i++) {
        tfp_strbuf_puts(out, i > 0 ? ",\n    " : "\n    ");
        tfp_report_json_string(out, d->meta[i].key);
        tfp_strbuf_puts(out, ": ");
        tfp_report_json_string(out, d->meta[i].value);
    }
    tfp_strbuf_puts(out, d->nmeta > 0 ? "\n  },\n  \"tables\": {" : "},\n  \"tables\": {");
    for (i = 0; i < d->ntables; i++) {
        tfp_strbuf_puts(out, i > 0 ? ",\n    " : "\n    ");
        tfp_report_json_string(out, d->tables[i]->key);
        tfp_strbuf_puts(out, ": ");
        tfp_report_json_rows(d->tables[i], o, 4, out);
    }
    tfp_strbuf_puts(out, d->ntables > 0 ? "\n  },\n  \"warnings\": [" : "},\n  \"warnings\": [");
    for (i = 0; i < nwarnings(d); i++) {
        tfp_strbuf_puts(out, i > 0 ? ",\n    " : "\n    ");
        tfp_report_json_string(out, d->warnings->msg[i]);
    }
    tfp_strbuf_puts(out, nwarnings(d) > 0 ? "\n  ]\n}\n" : "]\n}\n");
}

int
tfp_doc_render(const tfp_doc *d,
               tfp_format fmt,
               const tfp_render_opts *o,
               tfp_strbuf *out,
               tfp_error *err)
{
    tfp_render_opts v;
    size_t start;
    int rc;
    if (out == NULL)
        return tfp_fail(err, TFP_EINVAL, "no output buffer to render to");
    rc = doc_check(d, fmt, err);
    if (rc == TFP_OK)
        rc = tfp_report_opts_check(o, &v, err);
    if (rc != TFP_OK)
        return rc;
    start = out->len;
    switch (fmt) {
    case TFP_FORMAT_TEXT:
        rc = doc_text(d, &v, out, err);
        break;
    case TFP_FORMAT_CSV:
        /* CSV has no place for a title, metadata or warnings. */
        tfp_report_csv_render(d->tables[0], &v, out);
        break;
    case TFP_FORMAT_MD:
        doc_md(d, &v, out);
        break;
    default:
        doc_json(d, &v, out);
        break;
    }
    return finish(out, start, rc, err);
}
