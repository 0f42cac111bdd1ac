/*
 * Command-line layer, private interface: argument scanning, exit codes,
 * output. The only part of tfp that reads argv, prints, or exits.
 */
#ifndef TFP_CLI_H
#define TFP_CLI_H

#include <stddef.h>

#include "tfp/bootstrap.h"
#include "tfp/error.h"
#include "tfp/estimate.h"
#include "tfp/panel.h"
#include "tfp/report.h"
#include "tfp/sensitivity.h"
#include "tfp/strbuf.h"

/* DESIGN section 4 exit codes. */
enum { EXIT_OK = 0, EXIT_USAGE = 1, EXIT_INPUT = 2, EXIT_NUMERIC = 3, EXIT_IO = 4 };

/* Maps a library error code to an exit code. */
int cli_exit_code(int code);

/* Prints "tfp: FILE:LINE:COL: message" to stderr and returns the exit code. */
int cli_report_error(const tfp_error *err);

/* Prints "tfp: message" (a usage error) and a hint; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Argument scanner over argv[1..]: options before or after operands. */
typedef struct cli_args {
    int argc;
    char **argv;
    int i;           /* current index */
    const char *cmd; /* subcommand name, for messages */
} cli_args;

/* If argv[i] is option name (given as "--name"), consumes it and, when
 * val is not NULL, its value ("--name V" or "--name=V"), and returns 1.
 * Returns 0 when it is another argument, -1 when the value is missing
 * (a usage error has been printed). */
int cli_opt(cli_args *a, const char *name, const char **val);

/* The index of v among the n names, or -1 after printing "OPT: expected
 * a, b or c, found \"v\"" (a usage error). */
int cli_choice(const char *cmd, const char *opt, const char *v, const char *const *names, size_t n);

/* Takes argv[i] as the input FILE into *file: 1, or -1 after a usage error
 * when a FILE was already given. */
int cli_operand(cli_args *a, const char **file);

/* Parsers for option values; on error they print a usage error and return
 * non-zero. */
int cli_parse_double(const char *cmd, const char *opt, const char *s, double *v);
int cli_parse_int(const char *cmd, const char *opt, const char *s, int *v);

/* Options shared by commands that read a panel: --map, --delimiter,
 * --decimal. Returns 1 when argv[i] was one (consumed), 0 when not, -1 on
 * error (printed). */
int cli_panel_opt(cli_args *a, tfp_panel_opts *o);

/* Output options: --format, -o/--output, --lang, --digits. */
typedef struct cli_output {
    tfp_format format;
    int format_set;
    const char *path; /* NULL or "-" = standard output */
    tfp_render_opts render;
} cli_output;

void cli_output_init(cli_output *o);
int cli_output_opt(cli_args *a, cli_output *o);

/* Writes the rendered text to the output: stdout, or atomically to a file.
 * Returns an exit code (printing any error). */
int cli_write(const cli_output *o, const tfp_strbuf *sb);

/* The bundled default data set's path (static buffer), or NULL. */
const char *cli_default_data(void);
/* The path of a bundled data file, rel below datasets/ ("vietnam/x.csv"):
 * under TFP_DATADIR when set, else next to the binary or installed
 * (static buffer, shared with cli_default_data), or NULL when not found. */
const char *cli_dataset(const char *rel);

/* Options and pipeline of the commands built on an estimate. */
typedef struct cli_estimate {
    const char *file; /* NULL: the bundled data */
    int is_default;   /* the bundled data were used */
    double read_s;    /* seconds spent reading the file (cli_estimate_load) */
    double est_s;     /* seconds spent in the estimate pipeline */
    tfp_panel_opts panel;
    tfp_estimate_opts est;
    const char *merge;           /* --merge mapping file, or NULL */
    size_t merge_from, merge_to; /* regions before and after the merge */
} cli_estimate;

void cli_estimate_init(cli_estimate *ce);
/* --map --delimiter --decimal --method --capital-share --growth
 * --labour-input --delta --k0 --from --to --target --tax-sector --merge:
 * 1 consumed, 0 not one of these, -1 error (printed). */
int cli_estimate_opt(cli_args *a, cli_estimate *ce);
/* Cross-option checks after parsing; an exit code. */
int cli_estimate_check(const char *cmd, const cli_estimate *ce);
/* A plan year for --from/--to: 1 on success, -1 on error (printed). */
int cli_parse_year(const char *cmd, const char *opt, const char *v, int *y);
/* Reads the file (or the bundled data), merges regions (--merge) and runs
 * the pipeline; an exit code (errors printed). */
/* Reads ce->file (not NULL) with ce's panel options, merged by ce->merge when given:
 * the panel every estimate runs on. A TFP_* code with err (nothing printed). */
int cli_estimate_read(cli_estimate *ce, tfp_panel **out, tfp_error *err);
int cli_estimate_load(cli_estimate *ce, tfp_estimate **out);

/* Metadata lines (data, method, shares, labour, capital, period, targets). */
typedef struct cli_meta {
    char data[512], method[160], share[160], labour[160], capital[200], period[96], targets[160];
    char merge[600], taxes[200];
    tfp_doc_meta m[10];
    size_t n;
} cli_meta;
size_t
cli_estimate_meta(const cli_estimate *ce, const tfp_estimate *e, tfp_lang lang, cli_meta *mt);
/* The targets line ("labour productivity +12.5 %/year; ...") into buf. */
const char *cli_targets_text(const tfp_targets *t, tfp_lang lang, char *buf, size_t n);

/* The bootstrap options of the commands built on an estimate (estimate,
 * report): --bootstrap --seed --threads --level --block --resample
 * --capital-share-sd. */
typedef struct cli_boot {
    tfp_bootstrap_opts o;
    int on;          /* --bootstrap given */
    const char *opt; /* a bootstrap option given (for the check), or NULL */
    int sd_fit;      /* --capital-share-sd fit: the SE of --capital-share fit */
} cli_boot;

/* Library defaults, with as many threads as processors online. */
void cli_boot_init(cli_boot *cb);
/* 1 consumed, 0 not one of these, -1 error (printed). */
int cli_boot_opt(cli_args *a, cli_boot *cb);
/* Cross-option checks after parsing; an exit code (usage error printed). */
int cli_boot_check(const char *cmd, const cli_boot *cb, const cli_estimate *ce);
/* Runs the bootstrap of e when --bootstrap was given (else *out = NULL),
 * with a progress bar on standard error once it has taken a second (unless
 * quiet), and appends its warnings to e's. A TFP_* code, err filled. */
int cli_boot_run(cli_boot *cb, tfp_estimate *e, int quiet, tfp_bootstrap **out, tfp_error *err);
/* The bootstrap's metadata line ("200 replicates, seed 1; ...") into buf. */
const char *
cli_boot_meta(const tfp_bootstrap *b, const tfp_estimate *e, tfp_lang lang, char *buf, size_t n);

/* tfp compare's runs (cmd_compare.c): the data of base through every
 * method of tfp_compare_methods, one table row per method and region
 * total. The first method reads the data as estimate does (its errors
 * stop the run); a later method that does not apply becomes a line of
 * notes. On success *out (the table) and *first (the first method's
 * estimate, for metadata) are the caller's, and base holds the file
 * read; else an exit code (errors printed). */
int cli_compare_run(cli_estimate *base, tfp_table **out, tfp_estimate **first, tfp_warnings *notes);

/* The grid options of tfp sensitivity (cmd_sensitivity.c), shared with
 * report: --capital-shares FROM:TO:STEP, --deltas FROM:TO:STEP,
 * --k0-methods LIST. 1 consumed (*given: the option's name), 0 not one of
 * these, -1 error (printed). */
int cli_sensitivity_opt(cli_args *a, tfp_sensitivity_opts *so, const char **given);
/* Cross-option checks after parsing; an exit code (usage error printed). */
int cli_sensitivity_check(const char *cmd, const tfp_sensitivity_opts *so, const cli_estimate *ce);

/* A progress bar on standard error, when it is a terminal and not quiet
 * (progress.c). cli_progress_cb is a tfp_progress callback (ctx: the
 * cli_progress); a stage without a measure shows as "tfp: reading...". */
typedef struct cli_progress {
    int on, shown, last;
    const char *stage;
} cli_progress;
void cli_progress_init(cli_progress *p, int quiet);
void cli_progress_stage(cli_progress *p, const char *what);
void cli_progress_cb(void *ctx, const char *stage, size_t done, size_t total);
/* Erases the bar (before any other message is printed). */
void cli_progress_end(cli_progress *p);

/* Seconds on a monotonic clock. */
double cli_now(void);

int cmd_estimate(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_fit(int argc, char **argv);
int cmd_scenario(int argc, char **argv);
int cmd_forecast(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_sensitivity(int argc, char **argv);

#endif /* TFP_CLI_H */
