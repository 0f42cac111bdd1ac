/*
 * Growable byte strings and warning lists (util layer). A tfp_strbuf keeps
 * its first allocation failure: later appends are no-ops and
 * tfp_strbuf_status reports TFP_ENOMEM, so callers check once at the end.
 */
#ifndef TFP_STRBUF_H
#define TFP_STRBUF_H

#include <stddef.h>

typedef struct tfp_strbuf {
    char *data; /* owned; NUL-terminated when len > 0 or after any append */
    size_t len;
    size_t cap;
    int failed; /* non-zero after an allocation failure */
} tfp_strbuf;

/* The characters in the n bytes at s, a UTF-8 sequence counted once (the 1-based column of
 * a byte offset in messages is this count + 1). */
size_t tfp_utf8_chars(const char *s, size_t n);

void tfp_strbuf_init(tfp_strbuf *sb);
void tfp_strbuf_fini(tfp_strbuf *sb);
void tfp_strbuf_reset(tfp_strbuf *sb);
void tfp_strbuf_append(tfp_strbuf *sb, const char *s, size_t n);
void tfp_strbuf_puts(tfp_strbuf *sb, const char *s);
void tfp_strbuf_putc(tfp_strbuf *sb, char c);
void tfp_strbuf_printf(tfp_strbuf *sb, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* TFP_OK, or TFP_ENOMEM when any append failed. */
int tfp_strbuf_status(const tfp_strbuf *sb);
/* The contents ("" when empty); borrowed, valid until the next append. */
const char *tfp_strbuf_cstr(const tfp_strbuf *sb);

/* An append-only list of messages (non-fatal findings: gap years, flows
 * that look like stocks). Duplicates are kept once. */
typedef struct tfp_warnings {
    char **msg; /* owned */
    size_t n;
    size_t cap;
} tfp_warnings;

void tfp_warnings_init(tfp_warnings *w);
void tfp_warnings_fini(tfp_warnings *w);
/* Adds a formatted message; returns TFP_OK or TFP_ENOMEM. */
int tfp_warnings_add(tfp_warnings *w, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Appends copies of all of src's messages to dst. */
int tfp_warnings_extend(tfp_warnings *dst, const tfp_warnings *src);

#endif /* TFP_STRBUF_H */
