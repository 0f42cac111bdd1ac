/*
 * Error recording (util layer): first error wins; messages are formatted
 * into the caller's tfp_error, never printed. See include/tfp/error.h.
 */
#include "tfp/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
tfp_error_init(tfp_error *err)
{
    if (err == NULL)
        return;
    memset(err, 0, sizeof *err);
}

static int
record(tfp_error *err,
       int code,
       const char *file,
       size_t line,
       size_t col,
       const char *fmt,
       va_list ap)
{
    if (err == NULL || err->code != TFP_OK)
        return code;
    err->code = code;
    err->line = line;
    err->col = col;
    if (file != NULL)
        snprintf(err->file, sizeof err->file, "%s", file);
    else
        err->file[0] = '\0';
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    return code;
}

int
tfp_fail(tfp_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    record(err, code, NULL, 0, 0, fmt, ap);
    va_end(ap);
    return code;
}

int
tfp_fail_at(tfp_error *err,
            int code,
            const char *file,
            size_t line,
            size_t col,
            const char *fmt,
            ...)
{
    va_list ap;
    va_start(ap, fmt);
    record(err, code, file, line, col, fmt, ap);
    va_end(ap);
    return code;
}

char *
tfp_error_format(const tfp_error *err, char *buf, size_t n)
{
    size_t k = 0;
    int w;
    if (n == 0)
        return buf;
    buf[0] = '\0';
    if (err == NULL)
        return buf;
    if (err->file[0] != '\0') {
        if (err->line > 0 && err->col > 0)
            w = snprintf(buf, n, "%s:%zu:%zu: ", err->file, err->line, err->col);
        else if (err->line > 0)
            w = snprintf(buf, n, "%s:%zu: ", err->file, err->line);
        else
            w = snprintf(buf, n, "%s: ", err->file);
        if (w > 0)
            k = (size_t)w < n ? (size_t)w : n - 1;
    }
    snprintf(buf + k, n - k, "%s", err->msg[0] != '\0' ? err->msg : tfp_strerror(err->code));
    return buf;
}

const char *
tfp_strerror(int code)
{
    switch (code) {
    case TFP_OK:
        return "success";
    case TFP_EINVAL:
        return "invalid argument";
    case TFP_EINPUT:
        return "bad input data";
    case TFP_ENUMERIC:
        return "numerical failure";
    case TFP_EIO:
        return "input/output error";
    case TFP_ENOMEM:
        return "out of memory";
    default:
        return "unknown error";
    }
}
