/*
 * Error codes and located error messages (util layer). A fallible function
 * returns TFP_OK or a code and fills the caller's tfp_error; the first error
 * recorded wins (SQLite's parse context). The library never prints or exits.
 */
#ifndef TFP_ERROR_H
#define TFP_ERROR_H

#include <stddef.h>

enum {
    TFP_OK = 0,
    TFP_EINVAL = 1,   /* bad argument or option (usage) */
    TFP_EINPUT = 2,   /* bad input data: the message names file, line, column */
    TFP_ENUMERIC = 3, /* singular design, no convergence, too few years */
    TFP_EIO = 4,      /* cannot read or write a file */
    TFP_ENOMEM = 5    /* out of memory */
};

#define TFP_ERROR_MSG_SIZE  320
#define TFP_ERROR_PATH_SIZE 256

/* Where and what. line and col are 1-based; 0 means unknown. */
typedef struct tfp_error {
    int code;
    char file[TFP_ERROR_PATH_SIZE];
    size_t line;
    size_t col;
    char msg[TFP_ERROR_MSG_SIZE];
} tfp_error;

/* Clears err (code TFP_OK, empty message). err may be NULL. */
void tfp_error_init(tfp_error *err);

/* Records code and a printf-style message in err unless err already holds an
 * error, and returns code. err may be NULL. */
int tfp_fail(tfp_error *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* As tfp_fail, with the input position: file (borrowed, copied), 1-based line
 * and column (0 when unknown). */
int tfp_fail_at(tfp_error *err,
                int code,
                const char *file,
                size_t line,
                size_t col,
                const char *fmt,
                ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Formats err as "FILE:LINE:COL: message" (parts that are unknown are left
 * out) into buf of size n; returns buf. */
char *tfp_error_format(const tfp_error *err, char *buf, size_t n);

/* A static description of a code ("bad input data", ...). */
const char *tfp_strerror(int code);

#endif /* TFP_ERROR_H */
