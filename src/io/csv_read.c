/*
 * Streaming CSV reader (io layer): libcsv callbacks fill columnar arrays, one
 * physical line per csv_parse call so that every callback knows its line, and
 * error paths rescan the record's text to find the column (in characters).
 * Large regular files without quotes are split at line boundaries and parsed
 * in parallel, window by window (see "chunked reading" below).
 * References: RFC 4180; libcsv 3.0.3 (csv(3)); the Unicode Standard, table
 * 3-7 (well-formed UTF-8); GNU Coding Standards, "Formatting Error Messages".
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <csv.h>

#include "io_int.h"
#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/error.h"
#include "tfp/io.h"
#include "tfp/parallel.h"
#include "tfp/strbuf.h"

/* Bytes read from the file at a time: large enough that fread and memchr
 * dominate, small enough to stay in cache. */
#define READ_BLOCK 65536
/* Rows allocated before the first doubling. */
#define INITIAL_ROWS 64
/* Growth step of libcsv's field buffer (csv_set_blk_size); also the slack
 * in the test for a field still growing past max_field_bytes. */
#define LIBCSV_BLOCK 256
/* A header line longer than this many times max_field_bytes is not a
 * header (a binary file, or a quote that never closes). */
#define HEADER_FIELDS_MAX_BYTES 64
/* Characters of a field's text shown in a message before "...". */
#define SHOW_CHARS 40

/* Results of src_line besides 1 (a line) and 0 (end of input). */
enum { SRC_EIO = -1, SRC_ENOMEM = -2, SRC_TOO_LONG = -3 };

/* ---- growable bytes ----------------------------------------------------- */

typedef struct bytes {
    char *p;
    size_t len;
    size_t cap;
} bytes;

static int
bytes_reserve(bytes *b, size_t extra)
{
    size_t need = b->len + extra, cap;
    char *p;
    if (need < b->len)
        return 0;
    if (need <= b->cap)
        return 1;
    cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap * 2 > cap ? cap * 2 : need;
    p = tfp_reallocn(b->p, cap, 1);
    if (p == NULL)
        return 0;
    b->p = p;
    b->cap = cap;
    return 1;
}

static int
bytes_append(bytes *b, const char *s, size_t n)
{
    /* An empty line appends nothing, and b->p may still be NULL. */
    if (n == 0)
        return 1;
    if (!bytes_reserve(b, n))
        return 0;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    return 1;
}

/* ---- physical lines ------------------------------------------------------ */

/* A block reader that returns physical lines ended by LF, CRLF or a lone CR
 * (old Mac files), so that line numbers match what an editor shows. When
 * spool is set, every block read is copied there (standard input, which
 * tfp_frame_locate must be able to read again). */
typedef struct line_src {
    FILE *fp;
    FILE *spool;
    unsigned char *blk;
    size_t blen;
    size_t bpos;
    int eof;
    int err;       /* errno of a failed read or spool write */
    size_t lineno; /* physical lines returned so far */
    off_t off;     /* offset in the input of blk[0] */
} line_src;

/* 1 when bytes are buffered, 0 at end of input, SRC_EIO on error. */
static int
src_fill(line_src *s)
{
    size_t n;
    if (s->bpos < s->blen)
        return 1;
    if (s->eof)
        return 0;
    s->off += (off_t)s->blen;
    n = fread(s->blk, 1, READ_BLOCK, s->fp);
    s->bpos = 0;
    s->blen = n;
    if (n == 0) {
        if (ferror(s->fp)) {
            s->err = errno != 0 ? errno : EIO;
            return SRC_EIO;
        }
        s->eof = 1;
        return 0;
    }
    if (s->spool != NULL && fwrite(s->blk, 1, n, s->spool) != n) {
        s->err = errno != 0 ? errno : EIO;
        return SRC_EIO;
    }
    return 1;
}

/* Appends the next physical line, without its terminator, to b; fails with
 * SRC_TOO_LONG once b would exceed cap bytes. Returns 1 after a line (the
 * last one may lack a terminator), 0 at the end of input. */
static int
src_line(line_src *s, bytes *b, size_t cap)
{
    int got = 0, rc;
    for (;;) {
        const unsigned char *p, *nl, *cr;
        size_t n, k;
        rc = src_fill(s);
        if (rc < 0)
            return rc;
        if (rc == 0) {
            if (got)
                s->lineno++;
            return got;
        }
        got = 1;
        p = s->blk + s->bpos;
        n = s->blen - s->bpos;
        nl = memchr(p, '\n', n);
        k = nl != NULL ? (size_t)(nl - p) : n;
        cr = memchr(p, '\r', k);
        if (cr != NULL)
            k = (size_t)(cr - p);
        if (b->len + k > cap)
            return SRC_TOO_LONG;
        if (!bytes_append(b, (const char *)p, k))
            return SRC_ENOMEM;
        if (cr != NULL) {
            /* CR ends the line; a CR LF pair counts once, even when the LF
             * starts the next block. */
            s->bpos += k + 1;
            rc = src_fill(s);
            if (rc < 0)
                return rc;
            if (rc > 0 && s->blk[s->bpos] == '\n')
                s->bpos++;
            s->lineno++;
            return 1;
        }
        if (nl != NULL) {
            s->bpos += k + 1;
            s->lineno++;
            return 1;
        }
        s->bpos = s->blen;
    }
}

/* Skips a UTF-8 byte order mark. Returns 0, or 16 or 32 when the data start
 * with a UTF-16 or UTF-32 byte order mark, or SRC_EIO. */
static int
src_skip_bom(line_src *s)
{
    const unsigned char *p;
    size_t n;
    int rc = src_fill(s);
    if (rc <= 0)
        return rc;
    p = s->blk + s->bpos;
    n = s->blen - s->bpos;
    if (n >= 4 && ((p[0] == 0xFF && p[1] == 0xFE && p[2] == 0 && p[3] == 0) ||
                   (p[0] == 0 && p[1] == 0 && p[2] == 0xFE && p[3] == 0xFF)))
        return 32;
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
        return 16;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        s->bpos += 3;
    return 0;
}

/* ---- text checks and positions ------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at p (n bytes left), or 0
 * (Unicode table 3-7: no overlong forms, surrogates or values past U+10FFFF). */
static size_t
utf8_seq(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    unsigned lo = 0x80, hi = 0xBF;
    size_t len, i;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4;
    else
        return 0;
    if (n < len)
        return 0;
    if (c == 0xE0)
        lo = 0xA0;
    else if (c == 0xED)
        hi = 0x9F;
    else if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return len;
}

/* Returns 0 when s holds well-formed UTF-8 without NUL bytes, else 1 (NUL)
 * or 2 (invalid UTF-8) with the offending offset in *bad. ASCII is skipped
 * eight bytes at a time, since it is nearly all of any statistics table. */
static int
check_text(const char *s, size_t n, size_t *bad)
{
    const unsigned char *p = (const unsigned char *)s;
    const uint64_t ones = UINT64_C(0x0101010101010101);
    const uint64_t highs = UINT64_C(0x8080808080808080);
    size_t i = 0;
    while (i < n) {
        size_t len;
        if (n - i >= 8) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            /* No byte >= 0x80 and no zero byte (the classic haszero test). */
            if (((w | ((w - ones) & ~w)) & highs) == 0) {
                i += 8;
                continue;
            }
        }
        if (p[i] == 0) {
            *bad = i;
            return 1;
        }
        len = utf8_seq(p + i, n - i);
        if (len == 0) {
            *bad = i;
            return 2;
        }
        i += len;
    }
    return 0;
}

/* The line (0-based, counting '\n' in s) and 1-based character column of
 * byte offset off in the record text s. */
static void
offset_pos(const char *s, size_t off, size_t *dline, size_t *col)
{
    size_t i, start = 0, nl = 0;
    for (i = 0; i < off; i++) {
        if (s[i] == '\n') {
            nl++;
            start = i + 1;
        }
    }
    *dline = nl;
    *col = tfp_utf8_chars(s + start, off - start) + 1;
}

enum { SC_NOT_BEGUN, SC_BEGUN, SC_MIGHT_HAVE_ENDED };

/*
 * Walks one record of normalized text (lines joined by '\n') with the state
 * machine of libcsv 3.0.3 in its default, non-strict mode, so that field k
 * here is field k there. A field starts at its first non-blank character (the
 * opening quote of a quoted field), or at the delimiter ending it when empty.
 * Stores the start of fields first .. first+count-1 in starts[] and their
 * number in *nfields; returns the offset of the '\n' ending the record, or n
 * when a quoted field is still open at the end of the text.
 */
static size_t
scan_record(const char *s,
            size_t n,
            char delim,
            size_t first,
            size_t count,
            size_t *starts,
            size_t *nfields)
{
    size_t i, k = 0;
    int state = SC_NOT_BEGUN, quoted = 0, spaces = 0;
    for (i = 0; i < n; i++) {
        char c = s[i];
        switch (state) {
        case SC_NOT_BEGUN:
            if ((c == ' ' || c == '\t') && c != delim)
                continue;
            if (k >= first && k - first < count)
                starts[k - first] = i;
            if (c == '\n') {
                *nfields = k + 1;
                return i;
            }
            if (c == delim) {
                k++;
            } else {
                state = SC_BEGUN;
                quoted = c == '"';
            }
            break;
        case SC_BEGUN:
            if (c == '"' && quoted) {
                state = SC_MIGHT_HAVE_ENDED;
                spaces = 0;
            } else if (c == delim && !quoted) {
                k++;
                state = SC_NOT_BEGUN;
            } else if (c == '\n' && !quoted) {
                *nfields = k + 1;
                return i;
            }
            break;
        default: /* SC_MIGHT_HAVE_ENDED: a quote inside a quoted field */
            if (c == delim) {
                k++;
                state = SC_NOT_BEGUN;
            } else if (c == '\n') {
                *nfields = k + 1;
                return i;
            } else if (c == ' ' || c == '\t') {
                spaces = 1;
            } else if (c == '"') {
                if (spaces)
                    spaces = 0;
                else
                    state = SC_BEGUN;
            } else {
                state = SC_BEGUN;
            }
            break;
        }
    }
    *nfields = k + 1;
    return n;
}

/* Copies s (n bytes of valid UTF-8) into out as a quoted, escaped excerpt
 * for a message, cut with "..." after SHOW_CHARS characters or when out
 * (cap >= 8) would overflow. */
static void
show_text(char *out, size_t cap, const char *s, size_t n)
{
    size_t i = 0, k = 0, chars = 0;
    out[k++] = '"';
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t len = 1;
        while (c >= 0x80 && i + len < n && ((unsigned char)s[i + len] & 0xC0) == 0x80)
            len++;
        /* This character takes at most max(len, 2) bytes, and "...", the
         * closing quote and the NUL 5 more. */
        if (chars == SHOW_CHARS || k + (len < 2 ? 2 : len) + 5 > cap) {
            memcpy(out + k, "...", 3);
            k += 3;
            break;
        }
        if (c == '"' || c == '\\') {
            out[k++] = '\\';
            out[k++] = (char)c;
        } else if (c == '\n' || c == '\t' || c == '\r') {
            out[k++] = '\\';
            out[k++] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
        } else if (c < 0x20 || c == 0x7F) {
            out[k++] = '?';
        } else {
            memcpy(out + k, s + i, len);
            k += len;
        }
        i += len;
        chars++;
    }
    out[k++] = '"';
    out[k] = '\0';
}

/* ---- text interning ------------------------------------------------------- */

/* Open addressing with linear probing, one table per TEXT column. A slot
 * holds the hash's upper 32 bits (to skip most string compares) and the level
 * code plus one; 0 marks an empty slot. Each level's hash is kept, so that a
 * growing table and the merge of the chunks' tables never hash a string again
 * (nor read it: an id column of 250,000 levels is that many cache misses). */
typedef struct intern {
    uint64_t *slot;
    size_t mask;    /* capacity - 1; capacity is 0 or a power of two */
    size_t *len;    /* byte length of each level */
    uint64_t *hash; /* hash_bytes of each level */
    size_t cap;     /* capacity of len, hash and the column's levels */
    uint32_t last;  /* the code text_field gave last (valid once a level exists) */
} intern;

static uint64_t
hash_bytes(const char *s, size_t n)
{
    uint64_t h = UINT64_C(0x9E3779B97F4A7C15) ^ (uint64_t)n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * UINT64_C(0xBF58476D1CE4E5B9);
        h ^= h >> 31;
        s += 8;
        n -= 8;
    }
    if (n > 0) {
        uint64_t w = 0;
        memcpy(&w, s, n);
        h = (h ^ w) * UINT64_C(0x94D049BB133111EB);
        h ^= h >> 29;
    }
    h ^= h >> 32;
    h *= UINT64_C(0xD6E8FEB86659FD93);
    h ^= h >> 32;
    return h;
}

static void
intern_fini(intern *t)
{
    tfp_free(t->slot);
    tfp_free(t->len);
    tfp_free(t->hash);
}

/* Doubles the slot array and reinserts every level. */
static int
intern_grow(intern *t, const tfp_column *c)
{
    size_t cap = t->mask ? 2 * (t->mask + 1) : 64, i;
    uint64_t *slot = tfp_calloc(cap, sizeof *slot);
    if (slot == NULL)
        return 0;
    for (i = 0; i < c->nlevels; i++) {
        uint64_t h = t->hash[i];
        size_t at = (size_t)h & (cap - 1);
        while (slot[at] != 0)
            at = (at + 1) & (cap - 1);
        slot[at] = (h >> 32 << 32) | (uint64_t)(i + 1);
    }
    tfp_free(t->slot);
    t->slot = slot;
    t->mask = cap - 1;
    return 1;
}

/* The code of s (whose hash_bytes is h) in column c, adding it as a new level
 * on first sight: a copy of s, or, when owned is not NULL, the string *owned
 * itself (s, NUL-terminated, allocated with tfp_malloc), which the column then
 * owns (*owned becomes NULL). Returns TFP_OK, TFP_ENOMEM or TFP_EINPUT (more
 * levels than a code holds). */
static int
intern_get_hashed(intern *t,
                  tfp_column *c,
                  const char *s,
                  size_t n,
                  uint64_t h,
                  char **owned,
                  uint32_t *code)
{
    uint64_t tag = h >> 32 << 32;
    size_t at;
    char *copy;
    /* Keep the load at most one half so probes stay short. */
    if (t->mask == 0 || 2 * (c->nlevels + 1) > t->mask + 1)
        if (!intern_grow(t, c))
            return TFP_ENOMEM;
    at = (size_t)h & t->mask;
    while (t->slot[at] != 0) {
        uint64_t v = t->slot[at];
        if ((v & ~UINT64_C(0xFFFFFFFF)) == tag) {
            size_t k = (size_t)(v & UINT64_C(0xFFFFFFFF)) - 1;
            if (t->len[k] == n && memcmp(c->levels[k], s, n) == 0) {
                *code = (uint32_t)k;
                return TFP_OK;
            }
        }
        at = (at + 1) & t->mask;
    }
    if (c->nlevels >= UINT32_MAX - 1)
        return TFP_EINPUT;
    if (c->nlevels == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        char **levels;
        size_t *len = tfp_reallocn(t->len, cap, sizeof *len);
        uint64_t *hash;
        if (len == NULL)
            return TFP_ENOMEM;
        t->len = len;
        hash = tfp_reallocn(t->hash, cap, sizeof *hash);
        if (hash == NULL)
            return TFP_ENOMEM;
        t->hash = hash;
        levels = tfp_reallocn(c->levels, cap, sizeof *levels);
        if (levels == NULL)
            return TFP_ENOMEM;
        c->levels = levels;
        t->cap = cap;
    }
    if (owned != NULL) {
        copy = *owned;
        *owned = NULL;
    } else {
        copy = tfp_strndup(s, n);
        if (copy == NULL)
            return TFP_ENOMEM;
    }
    c->levels[c->nlevels] = copy;
    t->len[c->nlevels] = n;
    t->hash[c->nlevels] = h;
    t->slot[at] = tag | (uint64_t)(c->nlevels + 1);
    *code = (uint32_t)c->nlevels;
    c->nlevels++;
    return TFP_OK;
}

/* intern_get_hashed, hashing s. */
static int
intern_get(intern *t, tfp_column *c, const char *s, size_t n, char **owned, uint32_t *code)
{
    return intern_get_hashed(t, c, s, n, hash_bytes(s, n), owned, code);
}

/* ---- reader ---------------------------------------------------------------- */

/* What tfp_frame_locate reads again: the file by its path, or the spooled
 * copy of standard input. */
typedef struct frame_source {
    FILE *spool; /* owned; NULL for a file read by path */
} frame_source;

struct tfp_csv_reader {
    char *path;        /* owned copy, as given */
    const char *where; /* file name in messages */
    tfp_csv_opts opts;
    line_src src;
    FILE *fp;    /* owned unless it is stdin */
    FILE *spool; /* owned until a frame takes it */
    struct csv_parser parser;
    int parser_live;
    char delimiter; /* 0 until given or detected */

    bytes rec;       /* the current record's lines, each ended by '\n' */
    size_t rec_line; /* physical line where the current record starts */
    size_t rec_cap;  /* longest record text accepted */
    int rec_open;    /* a quoted field runs on to the next line */
    int row_ended;   /* on_record ran during the last csv_parse */
    size_t fi;       /* fields seen so far in the current record */
    int status;      /* first error code; TFP_OK while none */
    tfp_error *err;  /* the caller's, for the running call; may be NULL */

    int in_header;
    size_t header_line;
    size_t ncol;
    size_t name_cap;
    char **name;
    size_t *name_col;
    tfp_col_kind *kind;

    int read_called;
    tfp_frame *frame; /* being filled by tfp_csv_reader_read */
    size_t row_cap;
    intern *tab; /* ncol tables; only TEXT columns use theirs */

    /* Chunked reading: a chunk parses with a copy of these settings whose frame
     * borrows its rows of the shared arrays (fixed_rows: never grown), and whose
     * records arrive a window of whole lines at a time (batch), their lines
     * numbered beforehand in frame->line. */
    int batch;
    int fixed_rows;
    size_t row_base;        /* data rows before this frame's first */
    const char *batch_text; /* the window being parsed (borrowed) */
    size_t batch_len;
    size_t batch_line0; /* physical lines before the window */
    size_t batch_row0;  /* frame->nrow when the window started */
    /* Trailing SKIP columns are not handed to libcsv (see cut_record): each record
     * is cut after its first cut_fields fields (0: never), and the record numbered
     * cut_row in the window (SIZE_MAX: none), whose cut part is wrong, fails in
     * on_record as cut_fail says, with cut_j (a field) or cut_nf (a count). */
    size_t cut_fields;
    size_t cut_row;
    int cut_fail;
    size_t cut_j;
    size_t cut_nf;
};

/* How the record cut_row fails (cut_fail). */
enum { CUT_UNCUT = 1, CUT_LONG_FIELD, CUT_COUNT };

static void *
csv_realloc(void *p, size_t n)
{
    return tfp_reallocn(p, n, 1);
}

static void
csv_free_block(void *p)
{
    tfp_free(p);
}

static size_t
sat_mul(size_t a, size_t b)
{
    return b != 0 && a > SIZE_MAX / b ? SIZE_MAX : a * b;
}

static size_t
sat_add(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static int
set_status(tfp_csv_reader *r, int code)
{
    if (r->status == TFP_OK)
        r->status = code;
    return code;
}

static int is_blank_line(const char *s, size_t n, char delim);

/* Next line terminator ('\n' or '\r') in d[i..n), or n. *cr caches the
 * position of the next '\r' at or after i (n when there is none), so that a
 * window of LF-terminated lines costs one memchr for '\r' in all. Start with
 * *cr = first_cr(d, n). */
static size_t
first_cr(const char *d, size_t n)
{
    const char *q = memchr(d, '\r', n);
    return q != NULL ? (size_t)(q - d) : n;
}

static size_t
next_term(const char *d, size_t i, size_t n, size_t *cr)
{
    const char *nl;
    if (*cr < i) {
        const char *q = memchr(d + i, '\r', n - i);
        *cr = q != NULL ? (size_t)(q - d) : n;
    }
    nl = memchr(d + i, '\n', *cr - i);
    return nl != NULL ? (size_t)(nl - d) : *cr;
}

/* The start of the line after the one ended by the terminator at t < n (a CR
 * LF pair is one terminator). */
static size_t
after_term(const char *d, size_t t, size_t n)
{
    return d[t] == '\r' && t + 1 < n && d[t + 1] == '\n' ? t + 2 : t + 1;
}

/* The text (without terminator) and physical line of the current record of a
 * window: its (nrow - batch_row0)-th non-blank line. Error path only. */
static void
batch_record(const tfp_csv_reader *r, const char **text, size_t *len, size_t *line)
{
    const char *d = r->batch_text;
    size_t n = r->batch_len, i = 0, k = r->frame->nrow - r->batch_row0, ln = r->batch_line0;
    size_t cr = first_cr(d, n);
    while (i < n) {
        size_t t = next_term(d, i, n, &cr);
        ln++;
        if (!is_blank_line(d + i, t - i, r->delimiter)) {
            if (k == 0) {
                *text = d + i;
                *len = t - i;
                *line = ln;
                return;
            }
            k--;
        }
        if (t == n)
            break;
        i = after_term(d, t, n);
    }
    *text = d + n;
    *len = 0;
    *line = ln;
}

/* Records an input error at the start of field j of the current record
 * (or at the record's end when it has fewer fields). */
static int fail_field(tfp_csv_reader *r, size_t j, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int
fail_field(tfp_csv_reader *r, size_t j, const char *fmt, ...)
{
    char msg[TFP_ERROR_MSG_SIZE];
    const char *text = r->rec.p;
    size_t len = r->rec.len, line = r->rec_line, start = 0, nf, end, off, dline, col;
    va_list ap;
    if (r->status != TFP_OK)
        return r->status;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->batch)
        batch_record(r, &text, &len, &line);
    end = scan_record(text, len, r->delimiter, j, 1, &start, &nf);
    off = j < nf ? start : end;
    offset_pos(text, off, &dline, &col);
    tfp_fail_at(r->err, TFP_EINPUT, r->where, line + dline, col, "%s", msg);
    return set_status(r, TFP_EINPUT);
}

/* The rows of a chunk are sized by a first pass over the file: more records
 * than counted there means the file changed under the reader. */
static int
fail_changed(tfp_csv_reader *r)
{
    if (r->status == TFP_OK)
        tfp_fail_at(r->err, TFP_EIO, r->where, 0, 0,
                    "cannot read: the file changed while it was read");
    return set_status(r, TFP_EIO);
}

/* A NUL byte (kind 1) or invalid UTF-8 (kind 2) at byte bad of the line s. */
static int
fail_text(tfp_csv_reader *r, size_t line, const char *s, size_t bad, int kind)
{
    size_t col = tfp_utf8_chars(s, bad) + 1;
    if (kind == 1)
        tfp_fail_at(r->err, TFP_EINPUT, r->where, line, col,
                    "NUL byte in text; is this a binary file?");
    else
        tfp_fail_at(r->err, TFP_EINPUT, r->where, line, col,
                    "invalid UTF-8 (byte 0x%02X); save the file as UTF-8",
                    (unsigned)(unsigned char)s[bad]);
    return set_status(r, TFP_EINPUT);
}

static int
fail_nomem(tfp_csv_reader *r)
{
    if (r->status == TFP_OK)
        tfp_fail(r->err, TFP_ENOMEM, "out of memory reading %s", r->where);
    return set_status(r, TFP_ENOMEM);
}

/* 'column "labour"', or 'column 3' when the header name is empty. */
static void
column_label(const tfp_csv_reader *r, size_t j, char *out, size_t cap)
{
    char shown[96];
    if (r->name[j][0] == '\0') {
        snprintf(out, cap, "column %zu", j + 1);
        return;
    }
    show_text(shown, sizeof shown, r->name[j], strlen(r->name[j]));
    snprintf(out, cap, "column %s", shown);
}

static int
is_blank_line(const char *s, size_t n, char delim)
{
    size_t i;
    for (i = 0; i < n; i++)
        if ((s[i] != ' ' && s[i] != '\t') || s[i] == delim)
            return 0;
    return 1;
}

/* The delimiter of the header line: the most frequent of ',', ';' and tab
 * outside quotes; ',' when none is, or on a tie for the most. */
static char
detect_delimiter(const char *s, size_t n)
{
    size_t i, comma = 0, semi = 0, tab = 0;
    int quoted = 0;
    for (i = 0; i < n; i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted && s[i] == ',')
            comma++;
        else if (!quoted && s[i] == ';')
            semi++;
        else if (!quoted && s[i] == '\t')
            tab++;
    }
    if (semi > comma && semi > tab)
        return ';';
    if (tab > comma && tab > semi)
        return '\t';
    return ',';
}

static int
grow_rows(tfp_csv_reader *r)
{
    tfp_frame *f = r->frame;
    size_t cap = r->row_cap ? 2 * r->row_cap : INITIAL_ROWS, j;
    size_t *line;
    if (cap < r->row_cap)
        return TFP_ENOMEM;
    for (j = 0; j < f->ncol; j++) {
        tfp_column *c = &f->col[j];
        if (c->kind == TFP_COL_NUMBER) {
            double *num = tfp_reallocn(c->num, cap, sizeof *num);
            if (num == NULL)
                return TFP_ENOMEM;
            c->num = num;
        } else if (c->kind == TFP_COL_TEXT) {
            uint32_t *code = tfp_reallocn(c->code, cap, sizeof *code);
            if (code == NULL)
                return TFP_ENOMEM;
            c->code = code;
        }
    }
    if (!r->opts.no_lines) {
        line = tfp_reallocn(f->line, cap, sizeof *line);
        if (line == NULL)
            return TFP_ENOMEM;
        f->line = line;
    }
    r->row_cap = cap;
    return TFP_OK;
}

static void
header_field(tfp_csv_reader *r, const char *s, size_t n)
{
    size_t j = r->ncol;
    if (j == TFP_MAX_COLUMNS) {
        fail_field(r, j, "more than %u columns", (unsigned)TFP_MAX_COLUMNS);
        return;
    }
    if (j == r->name_cap) {
        size_t cap = r->name_cap ? 2 * r->name_cap : 16;
        char **name = tfp_reallocn(r->name, cap, sizeof *name);
        if (name == NULL) {
            fail_nomem(r);
            return;
        }
        r->name = name;
        r->name_cap = cap;
    }
    /* libcsv trims unquoted fields; quoted names are trimmed here. */
    while (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    r->name[j] = tfp_strndup(s, n);
    if (r->name[j] == NULL) {
        fail_nomem(r);
        return;
    }
    r->ncol++;
}

/* The numbers tfp_number_parse_simple leaves, and the errors. Kept out of
 * line so that the common case pays for none of its stack. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void
number_field_slow(tfp_csv_reader *r, size_t j, const char *s, size_t n)
{
    char label[128], shown[128];
    double v;
    int rc = tfp_number_parse(s, n, r->opts.decimal, &v);
    if (rc == TFP_NUM_OK || rc == TFP_NUM_MISSING) {
        r->frame->col[j].num[r->frame->nrow] = v;
        return;
    }
    column_label(r, j, label, sizeof label);
    show_text(shown, sizeof shown, s, n);
    if (rc == TFP_NUM_RANGE)
        fail_field(r, j, "%s: number out of range, found %s", label, shown);
    else
        fail_field(r, j, "%s: expected a number, found %s", label, shown);
}

static void
text_field(tfp_csv_reader *r, size_t j, const char *s, size_t n)
{
    intern *t = &r->tab[j];
    tfp_column *c = &r->frame->col[j];
    uint32_t code;
    int rc;
    /* A panel sorted by unit repeats the row above's value in most rows: compared first, it
     * spares the hash (the code is the one the table would give). */
    if (c->nlevels > 0 && t->len[t->last] == n && memcmp(c->levels[t->last], s, n) == 0) {
        c->code[r->frame->nrow] = t->last;
        return;
    }
    rc = intern_get(t, c, s, n, NULL, &code);
    if (rc == TFP_OK) {
        c->code[r->frame->nrow] = code;
        t->last = code;
        return;
    }
    if (rc == TFP_ENOMEM) {
        fail_nomem(r);
        return;
    }
    fail_field(r, j, "more than %lu distinct values in one column", (unsigned long)UINT32_MAX - 1);
}

/* libcsv's field callback: the hot path of reading. */
static void
on_field(void *data, size_t n, void *arg)
{
    tfp_csv_reader *r = arg;
    const char *s = data != NULL ? data : "";
    size_t j = r->fi++;
    if (r->status != TFP_OK)
        return;
    if (n > r->opts.max_field_bytes) {
        fail_field(r, j, "field longer than %zu bytes", r->opts.max_field_bytes);
        return;
    }
    if (r->in_header) {
        header_field(r, s, n);
        return;
    }
    if (j == 0) {
        if (r->row_base + r->frame->nrow >= r->opts.max_rows) {
            fail_field(r, 0, "more than %zu data rows", r->opts.max_rows);
            return;
        }
        if (r->frame->nrow == r->row_cap) {
            if (r->fixed_rows) {
                fail_changed(r);
                return;
            }
            if (grow_rows(r) != TFP_OK) {
                fail_nomem(r);
                return;
            }
        }
    }
    /* Fields past the header's count are counted; on_record reports them. */
    if (j >= r->ncol)
        return;
    switch (r->kind[j]) {
    case TFP_COL_NUMBER: {
        /* The common form inline; tfp_number_parse for the rest (same values). */
        double v;
        if (tfp_number_parse_simple(s, n, r->opts.decimal, &v))
            r->frame->col[j].num[r->frame->nrow] = v;
        else
            number_field_slow(r, j, s, n);
        break;
    }
    case TFP_COL_TEXT:
        text_field(r, j, s, n);
        break;
    default:
        break;
    }
}

/* libcsv's record callback. */
static void
on_record(int c, void *arg)
{
    tfp_csv_reader *r = arg;
    size_t nf = r->fi;
    (void)c;
    r->fi = 0;
    r->row_ended = 1;
    if (r->status != TFP_OK)
        return;
    if (r->in_header) {
        r->in_header = 0;
        return;
    }
    if (r->cut_fields > 0) {
        /* libcsv saw the first cut_fields fields; the rest were counted when cut. */
        if (r->frame->nrow - r->batch_row0 != r->cut_row) {
            nf += r->ncol - r->cut_fields;
        } else if (r->cut_fail == CUT_LONG_FIELD) {
            fail_field(r, r->cut_j, "field longer than %zu bytes", r->opts.max_field_bytes);
            return;
        } else if (r->cut_fail == CUT_COUNT) {
            nf += r->cut_nf;
        }
    }
    if (nf != r->ncol) {
        /* Point at the first extra field, or where the missing one would be. */
        fail_field(r, nf > r->ncol ? r->ncol : nf,
                   "expected %zu fields as in the header, found %zu", r->ncol, nf);
        return;
    }
    /* A window's lines were numbered before it was parsed. */
    if (!r->batch && r->frame->line != NULL)
        r->frame->line[r->frame->nrow] = r->rec_line;
    r->frame->nrow++;
}

static int
fail_src(tfp_csv_reader *r, int rc)
{
    char reason[128];
    if (rc == SRC_ENOMEM)
        return fail_nomem(r);
    if (rc == SRC_TOO_LONG) {
        tfp_fail_at(r->err, TFP_EINPUT, r->where, r->src.lineno + 1, 0,
                    "record longer than %zu bytes; is a closing quote missing?", r->rec_cap);
        return set_status(r, TFP_EINPUT);
    }
    if (strerror_r(r->src.err, reason, sizeof reason) != 0)
        snprintf(reason, sizeof reason, "error %d", r->src.err);
    tfp_fail_at(r->err, TFP_EIO, r->where, 0, 0, "cannot read: %s", reason);
    return set_status(r, TFP_EIO);
}

/*
 * Reads the next physical line into the record text and feeds it to libcsv.
 * Returns 1 after a line, 0 at the end of input, -1 after an error (in
 * r->status). Blank lines outside quotes are skipped before libcsv sees them.
 */
static int
feed_line(tfp_csv_reader *r)
{
    const char *line;
    size_t start, n, bad, parsed;
    int rc;
    if (!r->rec_open)
        r->rec.len = 0;
    start = r->rec.len;
    rc = src_line(&r->src, &r->rec, r->rec_cap);
    if (rc == 0)
        return 0;
    if (rc < 0) {
        fail_src(r, rc);
        return -1;
    }
    n = r->rec.len - start;
    /* An empty first line leaves the buffer unallocated: no pointer
     * arithmetic on NULL (UBSan, found by fuzzing). */
    line = r->rec.p != NULL ? r->rec.p + start : "";
    rc = check_text(line, n, &bad);
    if (rc != 0) {
        fail_text(r, r->src.lineno, line, bad, rc);
        return -1;
    }
    if (!r->rec_open) {
        if (is_blank_line(line, n, r->delimiter))
            return 1;
        r->rec_line = r->src.lineno;
    }
    if (r->delimiter == 0) {
        r->delimiter = detect_delimiter(line, n);
        csv_set_delim(&r->parser, (unsigned char)r->delimiter);
    }
    if (!bytes_append(&r->rec, "\n", 1)) {
        fail_nomem(r);
        return -1;
    }
    r->row_ended = 0;
    parsed = csv_parse(&r->parser, r->rec.p + start, n + 1, on_field, on_record, r);
    if (r->status != TFP_OK)
        return -1;
    if (parsed < n + 1) {
        fail_nomem(r);
        return -1;
    }
    /* A quoted field still open can outgrow the limit without a callback;
     * libcsv's buffer only grows past max + LIBCSV_BLOCK for such a field. */
    if (csv_get_buffer_size(&r->parser) > sat_add(r->opts.max_field_bytes, LIBCSV_BLOCK)) {
        fail_field(r, r->fi, "field longer than %zu bytes", r->opts.max_field_bytes);
        return -1;
    }
    r->rec_open = !r->row_ended;
    return 1;
}

static int
fail_unterminated(tfp_csv_reader *r)
{
    return fail_field(r, r->fi, "unterminated quote: the field runs to the end of the file");
}

void
tfp_csv_opts_init(tfp_csv_opts *opts)
{
    opts->delimiter = 0;
    opts->decimal = '.';
    opts->max_rows = TFP_DEFAULT_MAX_ROWS;
    opts->max_field_bytes = TFP_DEFAULT_MAX_FIELD_BYTES;
    opts->threads = 0;
    opts->parallel_min_bytes = 0;
    opts->window_bytes = 0;
    opts->no_lines = 0;
}

static int
open_source(tfp_csv_reader *r)
{
    char reason[128];
    struct stat st;
    int rc;
    if (strcmp(r->path, "-") == 0) {
        r->src.fp = stdin;
        r->spool = tmpfile();
        if (r->spool == NULL) {
            if (strerror_r(errno, reason, sizeof reason) != 0)
                reason[0] = '\0';
            tfp_fail_at(r->err, TFP_EIO, r->where, 0, 0,
                        "cannot create a temporary file to hold standard input: %s", reason);
            return set_status(r, TFP_EIO);
        }
        r->src.spool = r->spool;
    } else {
        r->fp = fopen(r->path, "rb");
        if (r->fp == NULL) {
            if (strerror_r(errno, reason, sizeof reason) != 0)
                reason[0] = '\0';
            tfp_fail_at(r->err, TFP_EIO, r->where, 0, 0, "cannot open: %s", reason);
            return set_status(r, TFP_EIO);
        }
        if (fstat(fileno(r->fp), &st) == 0 && S_ISDIR(st.st_mode)) {
            tfp_fail_at(r->err, TFP_EIO, r->where, 0, 0, "is a directory");
            return set_status(r, TFP_EIO);
        }
        r->src.fp = r->fp;
    }
    r->src.blk = tfp_malloc(READ_BLOCK);
    if (r->src.blk == NULL)
        return fail_nomem(r);
    rc = src_skip_bom(&r->src);
    if (rc < 0)
        return fail_src(r, rc);
    if (rc == 16 || rc == 32) {
        tfp_fail_at(r->err, TFP_EINPUT, r->where, 1, 1, "file is UTF-%d; save it as UTF-8", rc);
        return set_status(r, TFP_EINPUT);
    }
    return TFP_OK;
}

/* Reads up to the end of the header record and records the names' columns. */
static int
read_header(tfp_csv_reader *r)
{
    size_t *starts, nf, j, dline;
    int rc;
    r->in_header = 1;
    r->rec_cap = sat_mul(r->opts.max_field_bytes, HEADER_FIELDS_MAX_BYTES);
    do {
        rc = feed_line(r);
        if (rc < 0)
            return r->status;
        if (rc == 0) {
            if (r->rec_open)
                return fail_unterminated(r);
            tfp_fail_at(r->err, TFP_EINPUT, r->where, 0, 0, "%s",
                        r->src.lineno == 0 ? "file is empty"
                                           : "file has only blank lines; expected a header");
            return set_status(r, TFP_EINPUT);
        }
    } while (r->in_header);
    r->header_line = r->rec_line;
    r->name_col = tfp_calloc(r->ncol, sizeof *r->name_col);
    r->kind = tfp_calloc(r->ncol, sizeof *r->kind);
    starts = tfp_calloc(r->ncol, sizeof *starts);
    if (r->name_col == NULL || r->kind == NULL || starts == NULL) {
        tfp_free(starts);
        return fail_nomem(r);
    }
    scan_record(r->rec.p, r->rec.len, r->delimiter, 0, r->ncol, starts, &nf);
    for (j = 0; j < r->ncol && j < nf; j++)
        offset_pos(r->rec.p, starts[j], &dline, &r->name_col[j]);
    tfp_free(starts);
    return TFP_OK;
}

tfp_csv_reader *
tfp_csv_reader_alloc(const char *path, const tfp_csv_opts *opts, tfp_error *err)
{
    tfp_csv_reader *r;
    tfp_csv_opts o;
    if (opts != NULL)
        o = *opts;
    else
        tfp_csv_opts_init(&o);
    if (path == NULL) {
        tfp_fail(err, TFP_EINVAL, "no input path given");
        return NULL;
    }
    if (o.delimiter != 0 && o.delimiter != ',' && o.delimiter != ';' && o.delimiter != '\t') {
        tfp_fail(err, TFP_EINVAL, "delimiter must be ',', ';' or tab");
        return NULL;
    }
    if (o.decimal != '.' && o.decimal != ',') {
        tfp_fail(err, TFP_EINVAL, "decimal mark must be '.' or ','");
        return NULL;
    }
    if (o.max_rows == 0 || o.max_field_bytes == 0) {
        tfp_fail(err, TFP_EINVAL, "max_rows and max_field_bytes must be positive");
        return NULL;
    }
    r = tfp_calloc(1, sizeof *r);
    if (r == NULL) {
        tfp_fail(err, TFP_ENOMEM, "out of memory");
        return NULL;
    }
    r->opts = o;
    r->err = err;
    r->where = strcmp(path, "-") == 0 ? "<stdin>" : path;
    r->path = tfp_strdup(path);
    if (r->path == NULL) {
        fail_nomem(r);
        goto fail;
    }
    if (r->where == path)
        r->where = r->path;
    csv_init(&r->parser, CSV_APPEND_NULL);
    csv_set_realloc_func(&r->parser, csv_realloc);
    csv_set_free_func(&r->parser, csv_free_block);
    csv_set_blk_size(&r->parser, LIBCSV_BLOCK);
    r->parser_live = 1;
    r->delimiter = o.delimiter;
    if (r->delimiter != 0)
        csv_set_delim(&r->parser, (unsigned char)r->delimiter);
    if (open_source(r) != TFP_OK || read_header(r) != TFP_OK)
        goto fail;
    r->err = NULL;
    return r;
fail:
    tfp_csv_reader_free(r);
    return NULL;
}

void
tfp_csv_reader_free(tfp_csv_reader *r)
{
    size_t j;
    if (r == NULL)
        return;
    if (r->parser_live)
        csv_free(&r->parser);
    if (r->fp != NULL)
        fclose(r->fp);
    if (r->spool != NULL)
        fclose(r->spool);
    tfp_free(r->src.blk);
    tfp_free(r->rec.p);
    for (j = 0; j < r->ncol; j++)
        tfp_free(r->name[j]);
    tfp_free(r->name);
    tfp_free(r->name_col);
    tfp_free(r->kind);
    if (r->tab != NULL) {
        for (j = 0; j < r->ncol; j++)
            intern_fini(&r->tab[j]);
        tfp_free(r->tab);
    }
    tfp_frame_free(r->frame);
    tfp_free(r->path);
    tfp_free(r);
}

size_t
tfp_csv_reader_ncol(const tfp_csv_reader *r)
{
    return r->ncol;
}

const char *
tfp_csv_reader_name(const tfp_csv_reader *r, size_t j)
{
    return j < r->ncol ? r->name[j] : NULL;
}

size_t
tfp_csv_reader_name_col(const tfp_csv_reader *r, size_t j)
{
    return j < r->ncol ? r->name_col[j] : 0;
}

char
tfp_csv_reader_delimiter(const tfp_csv_reader *r)
{
    return r->delimiter;
}

int
tfp_csv_reader_set_kind(tfp_csv_reader *r, size_t j, tfp_col_kind kind)
{
    if (j >= r->ncol || (kind != TFP_COL_SKIP && kind != TFP_COL_NUMBER && kind != TFP_COL_TEXT))
        return TFP_EINVAL;
    if (r->read_called)
        return TFP_EINVAL;
    r->kind[j] = kind;
    return TFP_OK;
}

/* An empty frame with the header's columns, ready to be filled. */
static int
frame_start(tfp_csv_reader *r)
{
    tfp_frame *f;
    size_t j;
    f = tfp_calloc(1, sizeof *f);
    if (f == NULL)
        return TFP_ENOMEM;
    r->frame = f;
    f->delimiter = r->delimiter;
    f->decimal = r->opts.decimal;
    f->header_line = r->header_line;
    f->path = tfp_strdup(r->path);
    f->col = tfp_calloc(r->ncol, sizeof *f->col);
    f->source = tfp_calloc(1, sizeof(frame_source));
    r->tab = tfp_calloc(r->ncol, sizeof *r->tab);
    if (f->path == NULL || f->col == NULL || f->source == NULL || r->tab == NULL)
        return TFP_ENOMEM;
    /* ncol is set as names are copied, so that tfp_frame_free frees only
     * what exists. */
    for (j = 0; j < r->ncol; j++) {
        f->col[j].name = tfp_strdup(r->name[j]);
        if (f->col[j].name == NULL)
            return TFP_ENOMEM;
        f->ncol++;
        f->col[j].header_col = r->name_col[j];
        f->col[j].kind = r->kind[j];
    }
    return TFP_OK;
}

/* Gives back the spare capacity of the arrays; a failure to shrink only
 * leaves the larger block in place. */
static void
frame_shrink(tfp_frame *f)
{
    size_t n = f->nrow > 0 ? f->nrow : 1, j;
    void *p;
    for (j = 0; j < f->ncol; j++) {
        tfp_column *c = &f->col[j];
        if (c->num != NULL && (p = tfp_reallocn(c->num, n, sizeof *c->num)) != NULL)
            c->num = p;
        if (c->code != NULL && (p = tfp_reallocn(c->code, n, sizeof *c->code)) != NULL)
            c->code = p;
    }
    if (f->line != NULL && (p = tfp_reallocn(f->line, n, sizeof *f->line)) != NULL)
        f->line = p;
}

/* ---- chunked reading ----------------------------------------------------------------------- */

/*
 * Design. A large regular file is read in C chunks, one thread each, when its
 * data (after the header, which the line-by-line reader has already read) hold
 * no quote character: then every record is one physical line, and a split at
 * a line start is a split between records. A quoted field may hold a line
 * break, so a quote anywhere sends the whole file to the line-by-line path.
 *
 * Phase 1 (count): each chunk counts its physical lines (LF, CR LF or a lone
 * CR, as src_line) and its non-blank ones, and looks for quotes. The prefix
 * sums give each chunk its first line number and first row, so the frame's
 * arrays are allocated once, at their final size, and each chunk writes its
 * rows in place: the numbers are stored once (no per-chunk copies to
 * concatenate), which keeps the memory at the frame itself.
 *
 * Phase 2 (parse): each chunk reads windows of whole lines with pread (no
 * mmap: a file truncated under the reader gives an error, not SIGBUS), numbers
 * the window's non-blank lines into frame->line, checks line lengths and text
 * (as feed_line does, in the same order), and hands the window to its own
 * libcsv parser in one csv_parse call: one call per window instead of one per
 * line. The callbacks are the line-by-line reader's, running on a copy of the
 * reader's settings (batch mode); on an error, batch_record finds the record's
 * text again, so messages, lines and columns are the line-by-line reader's.
 * TEXT columns are interned per chunk; the merge walks the chunks in order and
 * interns each chunk's levels in their order of first appearance, which is the
 * order of first appearance in the file, then maps the chunk's codes.
 *
 * Columns after the last one read (all SKIP) are cut off each line before
 * libcsv sees it (cut_record): libcsv costs about 40 instructions a byte, and
 * on the firm panel those columns are a quarter of the bytes. Without quotes a
 * field is the text between delimiters less the blanks libcsv trims, so the
 * cut fields' number and lengths are checked exactly as the callbacks would,
 * and a failure is reported by on_record after the fields libcsv did see, in
 * the line-by-line reader's order.
 *
 * Errors: a chunk stops at its first error; the first failed chunk's error is
 * the file's first (every chunk before it parsed cleanly), and the row limit
 * is checked against global row numbers, so it fails on the same record too.
 */

/* Bytes a chunk reads at a time (it grows only for a longer line), unless
 * opts.window_bytes says otherwise. */
#define CHUNK_WINDOW (256u << 10)
/* read_chunked declines: the caller reads line by line. */
#define CHUNK_DECLINED (-1)

typedef struct chunk_shared {
    atomic_int quote;     /* phase 1: a chunk found a quote character */
    atomic_size_t failed; /* phase 2: lowest index of a failed chunk, or SIZE_MAX */
} chunk_shared;

typedef struct chunk {
    size_t index;
    chunk_shared *sh;
    int fd;
    off_t begin; /* a line start */
    off_t end;   /* a line start, or the end of the file */
    char delimiter;
    char *buf; /* owned window */
    size_t cap;
    char *stage;   /* owned: the cut records handed to libcsv, cap + 1 bytes */
    size_t nlines; /* phase 1: physical lines */
    size_t nrows;  /* phase 1: non-blank lines, the records */
    int quote;
    int read_errno; /* phase 1: a failed pread */
    size_t line0;   /* physical lines before the chunk */
    size_t row0;    /* records before the chunk */
    tfp_csv_reader ctx;
    tfp_error err;
} chunk;

/* Reads up to n bytes at off; returns the count, short only at the end of the
 * file, or -1 with errno set. */
static ssize_t
read_at(int fd, char *buf, size_t n, off_t off)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = pread(fd, buf + got, n - got, off + (off_t)got);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (k == 0)
            break;
        got += (size_t)k;
    }
    return (ssize_t)got;
}

/* The first line start at or after t (lo < t < hi): the byte after the first
 * terminator at or after t - 1, past the LF of a CR LF. hi when there is none,
 * or on a read error (which phase 1 then meets and reports). */
static off_t
line_start_after(int fd, off_t t, off_t hi)
{
    char b[4096];
    off_t at = t - 1;
    while (at < hi) {
        size_t want = hi - at < (off_t)sizeof b ? (size_t)(hi - at) : sizeof b, i;
        ssize_t n = read_at(fd, b, want, at);
        if (n <= 0)
            return hi;
        for (i = 0; i < (size_t)n; i++) {
            if (b[i] == '\n')
                return at + (off_t)i + 1;
            if (b[i] == '\r') {
                char next;
                off_t q = at + (off_t)i + 1;
                if (q >= hi)
                    return hi;
                if (i + 1 < (size_t)n)
                    next = b[i + 1];
                else if (read_at(fd, &next, 1, q) != 1)
                    return hi;
                return next == '\n' ? q + 1 : q;
            }
        }
        at += n;
    }
    return hi;
}

/* Phase 1 on one window: counts lines and non-blank lines. The state carried
 * between windows: a CR ended the last window (its LF may start this one), the
 * current line has a non-blank character, or any byte. */
static void
count_window(chunk *c, const char *d, size_t n, int *cr_pending, int *content, int *any)
{
    size_t i = 0, cr = first_cr(d, n);
    if (*cr_pending) {
        *cr_pending = 0;
        if (n > 0 && d[0] == '\n')
            i = 1;
    }
    while (i < n) {
        size_t t = next_term(d, i, n, &cr);
        if (t > i) {
            *any = 1;
            if (!*content && !is_blank_line(d + i, t - i, c->delimiter))
                *content = 1;
        }
        if (t == n)
            break;
        c->nlines++;
        c->nrows += (size_t)*content;
        *content = 0;
        *any = 0;
        if (d[t] == '\r' && t + 1 == n) {
            *cr_pending = 1;
            break;
        }
        i = after_term(d, t, n);
    }
}

static void *
count_main(void *arg)
{
    chunk *c = arg;
    off_t pos = c->begin;
    int cr_pending = 0, content = 0, any = 0;
    while (pos < c->end) {
        size_t want = c->end - pos < (off_t)c->cap ? (size_t)(c->end - pos) : c->cap;
        ssize_t n;
        if (atomic_load(&c->sh->quote))
            return NULL;
        n = read_at(c->fd, c->buf, want, pos);
        if (n < 0) {
            c->read_errno = errno != 0 ? errno : EIO;
            return NULL;
        }
        if (n == 0)
            break;
        if (memchr(c->buf, '"', (size_t)n) != NULL) {
            c->quote = 1;
            atomic_store(&c->sh->quote, 1);
            return NULL;
        }
        count_window(c, c->buf, (size_t)n, &cr_pending, &content, &any);
        pos += n;
    }
    if (any) {
        c->nlines++;
        c->nrows += (size_t)content;
    }
    return NULL;
}

/* The end of the last whole line of d[0..n): just past its terminator; 0 when
 * there is none. A CR in the last byte may be the first half of a CR LF, so it
 * ends a line only at the end of the chunk (at_end), where everything does. */
static size_t
find_cut(const char *d, size_t n, int at_end)
{
    size_t t = n;
    if (at_end)
        return n;
    if (t > 0 && d[t - 1] == '\r')
        t--;
    while (t > 0 && d[t - 1] != '\n' && d[t - 1] != '\r')
        t--;
    return t;
}

/* Records the chunk's failure for the others to see (they stop when a chunk
 * before them has failed) and returns its status. */
static int
chunk_failed(chunk *c)
{
    size_t cur = atomic_load(&c->sh->failed);
    while (c->index < cur && !atomic_compare_exchange_weak(&c->sh->failed, &cur, c->index))
        ;
    return c->ctx.status;
}

/* Offset in s[0..n) of the k-th delimiter (k >= 1), or n when there are fewer. */
static size_t
nth_delim(const char *s, size_t n, char delim, size_t k)
{
    size_t i = 0;
    for (;;) {
        const char *q = memchr(s + i, delim, n - i);
        if (q == NULL)
            return n;
        if (--k == 0)
            return (size_t)(q - s);
        i = (size_t)(q - s) + 1;
    }
}

/* Length of s[0..n) without the blanks libcsv trims from an unquoted field. */
static size_t
trimmed_len(const char *s, size_t n, char delim)
{
    size_t a = 0;
    while (a < n && (s[a] == ' ' || s[a] == '\t') && s[a] != delim)
        a++;
    while (n > a && (s[n - 1] == ' ' || s[n - 1] == '\t') && s[n - 1] != delim)
        n--;
    return n - a;
}

/*
 * Cuts the non-blank line s[0..n) after its first r->cut_fields fields: the
 * part libcsv gets, plus '\n', goes to out; returns its length. Without
 * quotes, libcsv's fields are the text between delimiters less the blanks it
 * trims, so the fields cut off (SKIP columns all) are checked here as
 * on_field and on_record would: each no longer than max_field_bytes, then
 * their number. Returns in *fail 0, or the CUT_* failure of this record (and
 * sets r->cut_j or r->cut_nf), which on_record reports after the fields libcsv
 * saw, so that errors keep their order.
 */
static size_t
cut_record(tfp_csv_reader *r, const char *s, size_t n, char *out, int *fail)
{
    char delim = r->delimiter;
    size_t e = nth_delim(s, n, delim, r->cut_fields), tn, nf = 1, start, i;
    const char *t;
    *fail = 0;
    if (e == n) {
        /* Too few fields: libcsv sees them all, and on_record counts them. */
        memcpy(out, s, n);
        out[n] = '\n';
        *fail = CUT_UNCUT;
        return n + 1;
    }
    memcpy(out, s, e);
    out[e] = '\n';
    t = s + e + 1;
    tn = n - e - 1;
    if (tn <= r->opts.max_field_bytes) {
        /* No field can be too long: count the delimiters. */
        const char *q = t, *end = t + tn;
        while ((q = memchr(q, delim, (size_t)(end - q))) != NULL) {
            nf++;
            q++;
        }
    } else {
        for (start = 0, i = 0; i <= tn; i++) {
            if (i < tn && t[i] != delim)
                continue;
            if (*fail == 0 && trimmed_len(t + start, i - start, delim) > r->opts.max_field_bytes) {
                *fail = CUT_LONG_FIELD;
                r->cut_j = r->cut_fields + nf - 1;
            }
            if (i < tn) {
                nf++;
                start = i + 1;
            }
        }
    }
    if (*fail == 0 && nf != r->ncol - r->cut_fields) {
        *fail = CUT_COUNT;
        r->cut_nf = nf;
    }
    return e + 1;
}

/* Why parse_window stopped before the end of its window. */
enum { STOP_NONE, STOP_LONG_LINE, STOP_TEXT, STOP_CUT };

/*
 * Phase 2 on one window of whole lines d[0..n), the first after *line lines:
 * numbers its records, checks each line as feed_line does (length, then text),
 * and parses the lines before the first that fails in one csv_parse call, so
 * that an error of the parse comes before the failing line's. With cut_fields
 * set, the records go to libcsv cut (cut_record), from c->stage.
 */
static int
parse_window(chunk *c, const char *d, size_t n, size_t *line)
{
    tfp_csv_reader *r = &c->ctx;
    tfp_frame *f = r->frame;
    size_t i = 0, k = 0, bad = n, cr, ln = *line, t = 0, staged = 0;
    int text = 0, stop = STOP_NONE;
    if (memchr(d, '"', n) != NULL)
        return fail_changed(r);
    text = check_text(d, n, &bad);
    if (text == 0)
        bad = n;
    cr = first_cr(d, n);
    r->cut_row = SIZE_MAX;
    while (i < n && stop == STOP_NONE) {
        t = next_term(d, i, n, &cr);
        ln++;
        if (t - i > r->rec_cap) {
            stop = STOP_LONG_LINE;
            break;
        }
        if (bad < t) {
            stop = STOP_TEXT;
            break;
        }
        if (!is_blank_line(d + i, t - i, r->delimiter)) {
            if (f->line != NULL && f->nrow + k < r->row_cap)
                f->line[f->nrow + k] = ln;
            if (r->cut_fields > 0) {
                int fail;
                staged += cut_record(r, d + i, t - i, c->stage + staged, &fail);
                if (fail != 0) {
                    /* The record fails: the window ends with it. */
                    r->cut_row = k;
                    r->cut_fail = fail;
                    stop = STOP_CUT;
                }
            }
            k++;
        }
        i = t == n ? n : after_term(d, t, n);
    }
    r->batch_text = d;
    r->batch_len = i;
    r->batch_line0 = *line;
    r->batch_row0 = f->nrow;
    if (r->cut_fields > 0) {
        if (staged > 0 && csv_parse(&r->parser, c->stage, staged, on_field, on_record, r) < staged)
            fail_nomem(r);
    } else if (i > 0) {
        size_t parsed = csv_parse(&r->parser, d, i, on_field, on_record, r);
        if (r->status == TFP_OK && parsed < i)
            fail_nomem(r);
        /* The last line of the file may lack a terminator (feed_line adds one). */
        if (r->status == TFP_OK && d[i - 1] != '\n' && d[i - 1] != '\r' &&
            csv_parse(&r->parser, "\n", 1, on_field, on_record, r) < 1)
            fail_nomem(r);
    }
    if (r->status != TFP_OK)
        return r->status;
    /* Every record became a row, and a record cut_record found wrong has failed. */
    if (f->nrow != r->batch_row0 + k || stop == STOP_CUT)
        return fail_changed(r);
    if (stop == STOP_LONG_LINE) {
        tfp_fail_at(r->err, TFP_EINPUT, r->where, ln, 0,
                    "record longer than %zu bytes; is a closing quote missing?", r->rec_cap);
        return set_status(r, TFP_EINPUT);
    }
    if (stop == STOP_TEXT)
        return fail_text(r, ln, d + i, bad - i, text);
    *line = ln;
    return TFP_OK;
}

static void *
parse_main(void *arg)
{
    chunk *c = arg;
    tfp_csv_reader *r = &c->ctx;
    off_t pos = c->begin;
    size_t len = 0, line = c->line0;
    for (;;) {
        size_t cut;
        if (len < c->cap && pos < c->end) {
            size_t want =
                c->end - pos < (off_t)(c->cap - len) ? (size_t)(c->end - pos) : c->cap - len;
            ssize_t got = read_at(c->fd, c->buf + len, want, pos);
            if (got < 0) {
                char reason[128];
                if (strerror_r(errno, reason, sizeof reason) != 0)
                    reason[0] = '\0';
                tfp_fail_at(r->err, TFP_EIO, r->where, 0, 0, "cannot read: %s", reason);
                set_status(r, TFP_EIO);
                break;
            }
            if ((size_t)got < want)
                c->end = pos + got; /* the file shrank: it ends here */
            pos += got;
            len += (size_t)got;
        }
        if (len == 0 || atomic_load(&c->sh->failed) < c->index)
            break;
        cut = find_cut(c->buf, len, pos >= c->end);
        if (cut == 0) {
            /* One line fills the window: grow it, up to the longest line accepted. */
            size_t content = len - (c->buf[len - 1] == '\r'), cap;
            char *p;
            if (content > r->rec_cap) {
                tfp_fail_at(r->err, TFP_EINPUT, r->where, line + 1, 0,
                            "record longer than %zu bytes; is a closing quote missing?",
                            r->rec_cap);
                set_status(r, TFP_EINPUT);
                break;
            }
            cap = sat_mul(c->cap, 2);
            p = tfp_reallocn(c->buf, cap, 1);
            if (p == NULL) {
                fail_nomem(r);
                break;
            }
            c->buf = p;
            c->cap = cap;
            if (c->stage != NULL) {
                p = tfp_reallocn(c->stage, sat_add(cap, 1), 1);
                if (p == NULL) {
                    fail_nomem(r);
                    break;
                }
                c->stage = p;
            }
            continue;
        }
        if (parse_window(c, c->buf, cut, &line) != TFP_OK)
            break;
        memmove(c->buf, c->buf + cut, len - cut);
        len -= cut;
    }
    if (r->status != TFP_OK)
        chunk_failed(c);
    return NULL;
}

/* The parse state of a chunk: the reader's settings, its own libcsv parser and
 * intern tables, and a frame over rows [row0, row0 + rows) of the reader's
 * arrays (row0 <= the arrays' size). */
static int
chunk_ctx_init(chunk *c, const tfp_csv_reader *r, size_t row0, size_t rows)
{
    tfp_csv_reader *w = &c->ctx;
    const tfp_frame *g = r->frame;
    tfp_frame *f;
    size_t j;
    memset(w, 0, sizeof *w);
    tfp_error_init(&c->err);
    w->path = r->path;
    w->where = r->where;
    w->opts = r->opts;
    w->err = &c->err;
    w->delimiter = r->delimiter;
    w->rec_cap = r->rec_cap;
    w->ncol = r->ncol;
    w->name = r->name;
    w->name_col = r->name_col;
    w->kind = r->kind;
    w->read_called = 1;
    w->batch = 1;
    w->fixed_rows = 1;
    w->row_base = c->row0;
    w->row_cap = rows;
    w->cut_fields = r->cut_fields;
    w->cut_row = SIZE_MAX;
    if (csv_init(&w->parser, CSV_APPEND_NULL) != 0)
        return TFP_ENOMEM;
    csv_set_realloc_func(&w->parser, csv_realloc);
    csv_set_free_func(&w->parser, csv_free_block);
    csv_set_blk_size(&w->parser, LIBCSV_BLOCK);
    csv_set_delim(&w->parser, (unsigned char)r->delimiter);
    w->parser_live = 1;
    f = tfp_calloc(1, sizeof *f);
    w->frame = f;
    if (f == NULL)
        return TFP_ENOMEM;
    f->col = tfp_calloc(r->ncol, sizeof *f->col);
    w->tab = tfp_calloc(r->ncol, sizeof *w->tab);
    if (f->col == NULL || w->tab == NULL)
        return TFP_ENOMEM;
    f->ncol = r->ncol;
    for (j = 0; j < r->ncol; j++) {
        f->col[j].kind = g->col[j].kind;
        if (g->col[j].num != NULL)
            f->col[j].num = g->col[j].num + row0;
        if (g->col[j].code != NULL)
            f->col[j].code = g->col[j].code + row0;
    }
    f->line = g->line != NULL ? g->line + row0 : NULL;
    return TFP_OK;
}

/* Frees what chunk_ctx_init and the parse built; the rows are the reader's. */
static void
chunk_ctx_fini(tfp_csv_reader *w)
{
    size_t j, k;
    if (w->parser_live)
        csv_free(&w->parser);
    if (w->frame != NULL && w->frame->col != NULL) {
        for (j = 0; j < w->frame->ncol; j++) {
            tfp_column *c = &w->frame->col[j];
            for (k = 0; k < c->nlevels; k++)
                tfp_free(c->levels[k]);
            tfp_free(c->levels);
        }
        tfp_free(w->frame->col);
    }
    tfp_free(w->frame);
    if (w->tab != NULL) {
        for (j = 0; j < w->ncol; j++)
            intern_fini(&w->tab[j]);
        tfp_free(w->tab);
    }
}

/* Interns each chunk's levels of TEXT column j, in chunk order, into the
 * reader's column (taking the strings it adds), and maps the chunk's codes.
 * The reader's column holds no level yet, so the first chunk's levels, table
 * and codes are already what interning them would give: they are taken as
 * they are, and the other chunks' levels are added with the hashes their own
 * tables kept (no level string is hashed twice). */
static int
merge_text(tfp_csv_reader *r, chunk *c, size_t C, size_t j)
{
    tfp_column *gc = &r->frame->col[j];
    size_t k = 0, l, i;
    if (gc->nlevels == 0 && C > 0) {
        tfp_column *wc = &c[0].ctx.frame->col[j];
        intern tmp = r->tab[j];
        tfp_free(gc->levels);
        gc->levels = wc->levels;
        gc->nlevels = wc->nlevels;
        wc->levels = NULL;
        wc->nlevels = 0;
        r->tab[j] = c[0].ctx.tab[j];
        c[0].ctx.tab[j] = tmp; /* the reader's empty table, freed with the chunk */
        k = 1;
    }
    for (; k < C; k++) {
        tfp_column *wc = &c[k].ctx.frame->col[j];
        const size_t *len = c[k].ctx.tab[j].len;
        const uint64_t *hash = c[k].ctx.tab[j].hash;
        uint32_t *map = tfp_mallocn(wc->nlevels > 0 ? wc->nlevels : 1, sizeof *map);
        int identity = 1, rc = TFP_OK;
        if (map == NULL)
            return fail_nomem(r);
        for (l = 0; l < wc->nlevels && rc == TFP_OK; l++) {
            rc = intern_get_hashed(&r->tab[j], gc, wc->levels[l], len[l], hash[l], &wc->levels[l],
                                   &map[l]);
            identity = identity && map[l] == l;
        }
        if (rc == TFP_OK && !identity)
            for (i = 0; i < c[k].nrows; i++)
                wc->code[i] = map[wc->code[i]];
        tfp_free(map);
        if (rc == TFP_ENOMEM)
            return fail_nomem(r);
        if (rc != TFP_OK) {
            tfp_fail(r->err, TFP_EINPUT, "more than %lu distinct values in column %zu",
                     (unsigned long)UINT32_MAX - 1, j + 1);
            return set_status(r, TFP_EINPUT);
        }
    }
    return TFP_OK;
}

/* The number of chunks: opts.threads, or the online processors, capped. */
static size_t
chunk_threads(const tfp_csv_opts *o)
{
    size_t t = o->threads > 0 ? o->threads : tfp_online_cpus(0);
    return t < TFP_CSV_MAX_THREADS ? t : TFP_CSV_MAX_THREADS;
}

/*
 * Reads the data rows of a regular file in chunks (see the design note above).
 * Returns CHUNK_DECLINED, leaving the reader as it was, for standard input,
 * data shorter than parallel_min_bytes, a quote in the data or a row limit
 * beyond what a level code holds; else TFP_OK or the error's code.
 */
static int
read_chunked(tfp_csv_reader *r)
{
    tfp_frame *f = r->frame;
    chunk_shared sh;
    chunk *c = NULL;
    struct stat st;
    off_t start, span;
    size_t C = 0, k, j, rows = 0, nrow, line, min_bytes = r->opts.parallel_min_bytes;
    int fd, rc = TFP_OK;
    char reason[128];

    if (r->fp == NULL || r->opts.max_rows > UINT32_MAX - 1)
        return CHUNK_DECLINED;
    fd = fileno(r->fp);
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return CHUNK_DECLINED;
    start = r->src.off + (off_t)r->src.bpos;
    span = st.st_size - start;
    if (min_bytes == 0)
        min_bytes = TFP_CSV_PARALLEL_MIN_BYTES;
    if (span <= 0 || (uintmax_t)span < (uintmax_t)min_bytes)
        return CHUNK_DECLINED;
    C = chunk_threads(&r->opts);
    if ((uintmax_t)C > (uintmax_t)span)
        C = (size_t)span;
    atomic_init(&sh.quote, 0);
    atomic_init(&sh.failed, SIZE_MAX);
    c = tfp_calloc(C, sizeof *c);
    if (c == NULL)
        return fail_nomem(r);
    for (k = 0; k < C; k++) {
        c[k].index = k;
        c[k].sh = &sh;
        c[k].fd = fd;
        c[k].delimiter = r->delimiter;
        c[k].cap = r->opts.window_bytes > 0 ? r->opts.window_bytes : CHUNK_WINDOW;
        c[k].buf = tfp_malloc(c[k].cap);
        if (c[k].buf == NULL) {
            rc = fail_nomem(r);
            goto done;
        }
        c[k].begin =
            k == 0 ? start : line_start_after(fd, start + span / (off_t)C * (off_t)k, st.st_size);
        if (k > 0 && c[k].begin < c[k - 1].begin)
            c[k].begin = c[k - 1].begin;
        if (k > 0)
            c[k - 1].end = c[k].begin;
    }
    c[C - 1].end = st.st_size;

    tfp_run_parts(count_main, c, sizeof *c, C);
    for (k = 0; k < C; k++) {
        if (c[k].quote) {
            rc = CHUNK_DECLINED;
            goto done;
        }
        if (c[k].read_errno != 0) {
            if (strerror_r(c[k].read_errno, reason, sizeof reason) != 0)
                reason[0] = '\0';
            tfp_fail_at(r->err, TFP_EIO, r->where, 0, 0, "cannot read: %s", reason);
            rc = set_status(r, TFP_EIO);
            goto done;
        }
    }
    /* Rows past max_rows are never stored: the chunk that reaches the limit fails there. */
    line = r->src.lineno;
    for (k = 0; k < C; k++) {
        c[k].line0 = line;
        c[k].row0 = rows;
        line += c[k].nlines;
        rows += c[k].nrows;
    }
    nrow = rows < r->opts.max_rows ? rows : r->opts.max_rows;
    r->row_cap = nrow;
    for (j = 0; j < f->ncol; j++) {
        if (f->col[j].kind == TFP_COL_NUMBER &&
            (f->col[j].num = tfp_mallocn(nrow > 0 ? nrow : 1, sizeof(double))) == NULL)
            goto nomem;
        if (f->col[j].kind == TFP_COL_TEXT &&
            (f->col[j].code = tfp_mallocn(nrow > 0 ? nrow : 1, sizeof(uint32_t))) == NULL)
            goto nomem;
    }
    if (!r->opts.no_lines && (f->line = tfp_mallocn(nrow > 0 ? nrow : 1, sizeof *f->line)) == NULL)
        goto nomem;
    /* Columns after the last one read are cut off before libcsv sees them
     * (cut_record): for the firm panel, a quarter of the bytes. */
    for (j = f->ncol; j-- > 0 && f->col[j].kind == TFP_COL_SKIP;)
        ;
    r->cut_fields = j + 1 < f->ncol && j != SIZE_MAX ? j + 1 : 0;
    for (k = 0; k < C; k++) {
        if (r->cut_fields > 0 && (c[k].stage = tfp_malloc(c[k].cap + 1)) == NULL)
            goto nomem;
    }
    for (k = 0; k < C; k++) {
        size_t lo = c[k].row0 < nrow ? c[k].row0 : nrow;
        size_t hi = c[k].row0 + c[k].nrows < nrow ? c[k].row0 + c[k].nrows : nrow;
        if (chunk_ctx_init(&c[k], r, lo, hi - lo) != TFP_OK)
            goto nomem;
    }

    tfp_run_parts(parse_main, c, sizeof *c, C);
    for (k = 0; k < C; k++) {
        if (c[k].ctx.status != TFP_OK) {
            if (r->err != NULL && r->err->code == TFP_OK)
                *r->err = c[k].err;
            rc = set_status(r, c[k].ctx.status);
            goto done;
        }
    }
    /* A file that shrank after the count leaves a chunk short of its rows. */
    for (k = 0; k < C; k++)
        if (c[k].ctx.frame->nrow != c[k].nrows) {
            rc = fail_changed(r);
            goto done;
        }
    for (j = 0; j < f->ncol; j++)
        if (f->col[j].kind == TFP_COL_TEXT && (rc = merge_text(r, c, C, j)) != TFP_OK)
            goto done;
    f->nrow = rows;
    goto done;
nomem:
    rc = fail_nomem(r);
done:
    r->cut_fields = 0;
    for (k = 0; k < C; k++) {
        chunk_ctx_fini(&c[k].ctx);
        tfp_free(c[k].buf);
        tfp_free(c[k].stage);
    }
    tfp_free(c);
    return rc;
}

int
tfp_csv_reader_read(tfp_csv_reader *r, tfp_frame **out, tfp_error *err)
{
    size_t per_field;
    int rc;
    *out = NULL;
    if (r->read_called)
        return tfp_fail(err, TFP_EINVAL, "tfp_csv_reader_read called twice on one reader");
    r->read_called = 1;
    r->err = err;
    if (r->status != TFP_OK)
        return tfp_fail(err, r->status, "reader is in an error state");
    if (frame_start(r) != TFP_OK)
        return fail_nomem(r);
    /* A record holds ncol fields, each at most max_field_bytes, doubled when
     * every character is an escaped quote, plus quotes, delimiter and blanks
     * around it; anything longer is an error however it is split. */
    per_field = sat_add(sat_mul(r->opts.max_field_bytes, 2), 8);
    r->rec_cap = sat_mul(r->ncol, per_field);
    rc = read_chunked(r);
    if (rc == CHUNK_DECLINED) {
        if (grow_rows(r) != TFP_OK)
            return fail_nomem(r);
        while ((rc = feed_line(r)) > 0)
            ;
        if (rc < 0)
            return r->status;
        if (r->rec_open)
            return fail_unterminated(r);
    } else if (rc != TFP_OK) {
        return rc;
    }
    frame_shrink(r->frame);
    ((frame_source *)r->frame->source)->spool = r->spool;
    r->spool = NULL;
    *out = r->frame;
    r->frame = NULL;
    r->err = NULL;
    return TFP_OK;
}

void
tfp_frame_free(tfp_frame *f)
{
    size_t j, k;
    if (f == NULL)
        return;
    for (j = 0; j < f->ncol; j++) {
        tfp_column *c = &f->col[j];
        tfp_free(c->name);
        tfp_free(c->num);
        tfp_free(c->code);
        for (k = 0; k < c->nlevels; k++)
            tfp_free(c->levels[k]);
        tfp_free(c->levels);
    }
    tfp_free(f->col);
    tfp_free(f->line);
    if (f->source != NULL) {
        frame_source *src = f->source;
        if (src->spool != NULL)
            fclose(src->spool);
        tfp_free(src);
    }
    tfp_free(f->path);
    tfp_free(f);
}

/* ASCII case-insensitive equality, independent of the locale. */
static int
ascii_eq_nocase(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return 0;
        if (x == '\0')
            return 1;
    }
}

size_t
tfp_frame_find(const tfp_frame *f, const char *name)
{
    size_t j;
    if (f == NULL || name == NULL || name[0] == '\0')
        return SIZE_MAX;
    for (j = 0; j < f->ncol; j++)
        if (ascii_eq_nocase(f->col[j].name, name))
            return j;
    return SIZE_MAX;
}

size_t
tfp_frame_locate(const tfp_frame *f, size_t row, size_t j)
{
    frame_source *fs;
    line_src s;
    bytes b = {NULL, 0, 0};
    size_t target, col = 0;
    int rc;
    if (f == NULL || row >= f->nrow || j >= f->ncol || f->source == NULL || f->line == NULL)
        return 0;
    fs = f->source;
    target = f->line[row];
    memset(&s, 0, sizeof s);
    if (fs->spool != NULL) {
        if (fseek(fs->spool, 0, SEEK_SET) != 0)
            return 0;
        s.fp = fs->spool;
    } else {
        s.fp = fopen(f->path, "rb");
        if (s.fp == NULL)
            return 0;
    }
    s.blk = tfp_malloc(READ_BLOCK);
    if (s.blk == NULL || src_skip_bom(&s) != 0)
        goto done;
    /* Skip to the record's first line. */
    do {
        b.len = 0;
        rc = src_line(&s, &b, SIZE_MAX);
    } while (rc > 0 && s.lineno < target);
    if (rc <= 0)
        goto done;
    /* Add lines until field j has started or the record has ended. */
    for (;;) {
        size_t start = 0, nf, end, dline;
        if (!bytes_append(&b, "\n", 1))
            goto done;
        end = scan_record(b.p, b.len, f->delimiter, j, 1, &start, &nf);
        if (j < nf) {
            offset_pos(b.p, start, &dline, &col);
            /* A column on a later line than the record's would mislead. */
            if (dline != 0)
                col = 0;
            goto done;
        }
        if (end < b.len || src_line(&s, &b, SIZE_MAX) <= 0)
            goto done;
    }
done:
    tfp_free(b.p);
    tfp_free(s.blk);
    if (fs->spool == NULL)
        fclose(s.fp);
    return col;
}
