/*
 * io layer: streaming CSV reading into columns (libcsv callbacks, one
 * physical line per csv_parse call so that errors carry line and column;
 * large files without quotes in chunks, in parallel, with the same results),
 * locale-independent number parsing, and atomic file writing.
 * References: RFC 4180; Clinger (1990), "How to read floating point numbers
 * accurately", PLDI '90 (the exact fast path of tfp_number_parse).
 */
#ifndef TFP_IO_H
#define TFP_IO_H

#include <stddef.h>
#include <stdint.h>

#include "tfp/error.h"
#include "tfp/sha256.h"

/* ---- numbers ------------------------------------------------------------ */

enum {
    TFP_NUM_OK = 0,      /* *out holds the value */
    TFP_NUM_MISSING = 1, /* empty, NA, .., -, #N/A (after trimming blanks): *out = NaN */
    TFP_NUM_BAD = 2,     /* not a number in the accepted grammar */
    TFP_NUM_RANGE = 3    /* overflows a double (1e999) */
};

/*
 * Parses the n bytes at s (not necessarily NUL-terminated) as a decimal
 * number. decimal is '.' or ','; the other of the two is accepted as a
 * thousands separator between groups of exactly three digits ("1,234.5" or,
 * with ',', "1.234,5"); the first group holds 1-3 digits and may not start
 * with 0 ("0,123" is BAD: most likely a decimal written with the other mark).
 * Leading and trailing blanks (space, tab) are ignored; a leading '+' or '-'
 * is accepted; "inf", "nan", hexadecimal and percent signs are not.
 * The result is the correctly rounded double (identical to strtod's in the C
 * locale, whatever the current locale): an exact fast path (Clinger) decides
 * most inputs, strtod the rest. Negative zero keeps its sign; underflow gives
 * 0 or a subnormal and is TFP_NUM_OK.
 * Returns a TFP_NUM_* code; *out is the value (OK), NaN (MISSING, BAD) or
 * +-HUGE_VAL (RANGE).
 */
int tfp_number_parse(const char *s, size_t n, char decimal, double *out);

/* ---- CSV reading ---------------------------------------------------------- */

typedef struct tfp_csv_opts {
    char delimiter;         /* ',', ';' or '\t'; 0 = detect from the header line */
    char decimal;           /* '.' (default) or ',' */
    size_t max_rows;        /* error past this many data rows; > 0 */
    size_t max_field_bytes; /* error on a longer field; > 0 */
    /* Chunked reading (tfp_csv_reader_read): a regular file whose data after the header are
     * at least parallel_min_bytes long and hold no quote character is split at line
     * boundaries into `threads` chunks, parsed in parallel and merged into the frame the
     * line-by-line reader gives (same values, levels, codes, lines and first error).
     * threads: 0 = the online processors, at most TFP_CSV_MAX_THREADS (larger values are
     * capped); 1 = one chunk parsed in the calling thread, no thread started.
     * parallel_min_bytes: 0 = TFP_CSV_PARALLEL_MIN_BYTES; SIZE_MAX = always line by line.
     * window_bytes: bytes a chunk reads at a time (it grows for a longer line); 0 = 256 KiB.
     * A tuning and test knob: every value gives the same frame. */
    size_t threads;
    size_t parallel_min_bytes;
    size_t window_bytes;
    /* Non-zero: the frame keeps no line index (frame->line is NULL, tfp_frame_locate gives 0),
     * for a caller that reports no position after reading: on a 1e6-row file, 8 MB less to
     * fill. Errors while reading still name their line and column. Default 0. */
    int no_lines;
} tfp_csv_opts;

/* Defaults: detect the delimiter, '.' decimal, limits from tfp/config.h, threads 0 (the
 * online processors), parallel_min_bytes 0 (TFP_CSV_PARALLEL_MIN_BYTES), window_bytes 0,
 * a line index (no_lines 0). */
void tfp_csv_opts_init(tfp_csv_opts *opts);

typedef enum { TFP_COL_SKIP = 0, TFP_COL_NUMBER, TFP_COL_TEXT } tfp_col_kind;

typedef struct tfp_column {
    char *name;        /* owned: the header text, trimmed */
    size_t header_col; /* 1-based character column of the name in the header line */
    tfp_col_kind kind;
    double *num;    /* NUMBER: nrow values, NaN where missing; owned (NULL otherwise) */
    uint32_t *code; /* TEXT: nrow indices into levels; owned (NULL otherwise) */
    char **levels;  /* TEXT: distinct values in order of first appearance; owned */
    size_t nlevels;
} tfp_column;

typedef struct tfp_frame {
    char *path; /* owned copy of the path as given ("-" for standard input) */
    char delimiter;
    char decimal;
    size_t header_line; /* physical line of the header (1) */
    size_t ncol;
    size_t nrow;
    tfp_column *col; /* ncol columns; SKIP columns hold no data */
    size_t *line;    /* nrow: physical line where each record starts; NULL with no_lines */
    void *source;    /* private: what tfp_frame_locate re-reads */
} tfp_frame;

typedef struct tfp_csv_reader tfp_csv_reader;

/*
 * Opens path ("-" = standard input, spooled to a temporary file so that
 * positions can be found later; messages call it "<stdin>") and reads its
 * header line (the first non-blank one). Lines end with LF, CRLF or a lone
 * CR; a UTF-8 BOM is skipped and not counted as a column. Rejects an empty
 * file, UTF-16/32 (asks to save as UTF-8), NUL bytes and invalid UTF-8 with
 * TFP_EINPUT and position; a file that cannot be opened, or a directory, is
 * TFP_EIO; bad options are TFP_EINVAL. opts may be NULL (defaults).
 * Returns NULL on error.
 */
tfp_csv_reader *tfp_csv_reader_alloc(const char *path, const tfp_csv_opts *opts, tfp_error *err);
void tfp_csv_reader_free(tfp_csv_reader *r);

size_t tfp_csv_reader_ncol(const tfp_csv_reader *r);
/* The j-th header name (borrowed) and its 1-based character column. */
const char *tfp_csv_reader_name(const tfp_csv_reader *r, size_t j);
size_t tfp_csv_reader_name_col(const tfp_csv_reader *r, size_t j);
/* The delimiter in use (given or detected). */
char tfp_csv_reader_delimiter(const tfp_csv_reader *r);
/* Chooses how column j is read; all columns start as TFP_COL_SKIP, whose
 * contents are never looked at. TEXT keeps a field as libcsv gives it
 * (unquoted fields trimmed of blanks). TFP_EINVAL for a bad j or kind, or
 * after tfp_csv_reader_read. */
int tfp_csv_reader_set_kind(tfp_csv_reader *r, size_t j, tfp_col_kind kind);

/*
 * Reads every record into a new frame (*out, owned by the caller, free with
 * tfp_frame_free; NULL on error). Blank lines are skipped. A record with
 * another number of fields than the header, an unterminated quote, a field
 * over max_field_bytes, more than max_rows rows, or a NUMBER field that is
 * neither a number nor a missing marker is TFP_EINPUT naming file, line, the
 * character column where the field starts (its first non-blank character;
 * for too few fields, where the missing one would start), the column name
 * (or "column 3" when the header name is empty) and the text:
 *   column "labour": expected a number, found "12,5a"
 * Call once per reader (TFP_EINVAL after that).
 */
int tfp_csv_reader_read(tfp_csv_reader *r, tfp_frame **out, tfp_error *err);

void tfp_frame_free(tfp_frame *f);

/* Index of the column named name (ASCII case-insensitive), or SIZE_MAX. */
size_t tfp_frame_find(const tfp_frame *f, const char *name);

/*
 * The 1-based character column where field j of row starts, found by
 * re-reading that record from the source (for error messages about values
 * found valid as text but wrong as data). The line is f->line[row]. Returns 0
 * when it cannot be found, and when the field starts on a later physical line
 * than the record (after a quoted line break), where a column on the
 * record's line would mislead. Not thread-safe for standard input's spool.
 */
size_t tfp_frame_locate(const tfp_frame *f, size_t row, size_t j);

/* ---- writing ---------------------------------------------------------- */

/*
 * Writes n bytes to path through a temporary file in the same directory
 * (".NAME.XXXXXX", fsync'ed), then renames it over path, so that a failure
 * leaves any existing file untouched and no partial file. An existing file
 * keeps its mode; a new one gets 0644. An existing device or FIFO (/dev/null,
 * /dev/full) is written in place, never replaced. TFP_EIO with "cannot write
 * PATH: reason" on failure; TFP_EINVAL for "-" (standard output is the
 * caller's to write) or an empty path.
 */
int tfp_file_write_atomic(const char *path, const char *data, size_t n, tfp_error *err);

/*
 * The same replacement in two steps, for writers that open the output
 * themselves (a library that takes a file name). tfp_file_tmp_create checks
 * path as above and creates an empty temporary file beside it
 * (".NAME.XXXXXX"); *tmp is its name (owned, released by commit or
 * discard; NULL on failure). tfp_file_tmp_commit gives it path's mode (0644
 * for a new file), fsyncs it and renames it over path, or copies it into an
 * existing device or FIFO; it removes the temporary file and frees tmp
 * whatever happens (TFP_EIO "cannot write PATH: reason" on failure).
 * tfp_file_tmp_discard removes and frees it (tmp may be NULL).
 */
int tfp_file_tmp_create(const char *path, char **tmp, tfp_error *err);
int tfp_file_tmp_commit(char *tmp, const char *path, tfp_error *err);
void tfp_file_tmp_discard(char *tmp);

/* The SHA-256 of the file's bytes as 64 lower-case hex digits into hex.
 * TFP_EIO "cannot read PATH: reason"; TFP_EINVAL for "-" (standard input
 * cannot be read again). */
int tfp_file_sha256(const char *path, char hex[TFP_SHA256_HEX], tfp_error *err);

/* Appends s as one CSV field to sb, quoted when it holds the delimiter, a
 * quote, CR or LF (RFC 4180), or starts or ends with a blank (which readers
 * trim from unquoted fields). s NULL is an empty field. sb is a tfp_strbuf. */
struct tfp_strbuf;
void tfp_csv_put_field(struct tfp_strbuf *sb, const char *s, char delimiter);

#endif /* TFP_IO_H */
