/*
 * Growable strings and warning lists (util layer). See include/tfp/strbuf.h.
 */
#include "tfp/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tfp/alloc.h"
#include "tfp/error.h"

void
tfp_strbuf_init(tfp_strbuf *sb)
{
    sb->data = NULL;
    sb->len = 0;
    sb->cap = 0;
    sb->failed = 0;
}

void
tfp_strbuf_fini(tfp_strbuf *sb)
{
    tfp_free(sb->data);
    tfp_strbuf_init(sb);
}

void
tfp_strbuf_reset(tfp_strbuf *sb)
{
    sb->len = 0;
    if (sb->data != NULL)
        sb->data[0] = '\0';
}

static int
reserve(tfp_strbuf *sb, size_t extra)
{
    size_t need, cap;
    char *p;
    if (sb->failed)
        return 0;
    need = sb->len + extra + 1;
    if (need < sb->len) {
        sb->failed = 1;
        return 0;
    }
    if (need <= sb->cap)
        return 1;
    cap = sb->cap ? sb->cap : 64;
    while (cap < need)
        cap = cap * 2 > cap ? cap * 2 : need;
    p = tfp_reallocn(sb->data, cap, 1);
    if (p == NULL) {
        sb->failed = 1;
        return 0;
    }
    sb->data = p;
    sb->cap = cap;
    return 1;
}

void
tfp_strbuf_append(tfp_strbuf *sb, const char *s, size_t n)
{
    if (!reserve(sb, n))
        return;
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void
tfp_strbuf_puts(tfp_strbuf *sb, const char *s)
{
    tfp_strbuf_append(sb, s, strlen(s));
}

void
tfp_strbuf_putc(tfp_strbuf *sb, char c)
{
    tfp_strbuf_append(sb, &c, 1);
}

void
tfp_strbuf_printf(tfp_strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    int n;
    char small[256];
    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        sb->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        tfp_strbuf_append(sb, small, (size_t)n);
        return;
    }
    if (!reserve(sb, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

int
tfp_strbuf_status(const tfp_strbuf *sb)
{
    return sb->failed ? TFP_ENOMEM : TFP_OK;
}

const char *
tfp_strbuf_cstr(const tfp_strbuf *sb)
{
    return sb->data != NULL ? sb->data : "";
}

void
tfp_warnings_init(tfp_warnings *w)
{
    w->msg = NULL;
    w->n = 0;
    w->cap = 0;
}

void
tfp_warnings_fini(tfp_warnings *w)
{
    size_t i;
    for (i = 0; i < w->n; i++)
        tfp_free(w->msg[i]);
    tfp_free(w->msg);
    tfp_warnings_init(w);
}

static int
push(tfp_warnings *w, const char *text)
{
    size_t i;
    char *copy;
    for (i = 0; i < w->n; i++)
        if (strcmp(w->msg[i], text) == 0)
            return TFP_OK;
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 8;
        char **p = tfp_reallocn(w->msg, cap, sizeof *p);
        if (p == NULL)
            return TFP_ENOMEM;
        w->msg = p;
        w->cap = cap;
    }
    copy = tfp_strdup(text);
    if (copy == NULL)
        return TFP_ENOMEM;
    w->msg[w->n++] = copy;
    return TFP_OK;
}

int
tfp_warnings_add(tfp_warnings *w, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return push(w, text);
}

int
tfp_warnings_extend(tfp_warnings *dst, const tfp_warnings *src)
{
    size_t i;
    for (i = 0; i < src->n; i++)
        if (push(dst, src->msg[i]) != TFP_OK)
            return TFP_ENOMEM;
    return TFP_OK;
}

size_t
tfp_utf8_chars(const char *s, size_t n)
{
    size_t i, c = 0;
    for (i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}
