/*
 * `tfp report` (cli layer): runs an estimate and writes it as documents
 * that planners open without a terminal: an Excel workbook, a
 * self-contained HTML file, or Markdown with its charts as SVG files.
 * Every output file is written atomically.
 */
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tfp/alloc.h"
#include "tfp/book.h"
#include "tfp/config.h"
#include "tfp/io.h"
#include "tfp/sensitivity.h"
#include "tfp/tables.h"

static const char usage[] =
    "Usage: tfp report [FILE] -o NAME.xlsx|NAME.html|NAME.md [options]\n"
    "\n"
    "Runs the estimate (the options of 'tfp estimate') and writes it as a report:\n"
    "an Excel workbook (sheets Summary, Annual, Contributions, [Sensitivity],\n"
    "[Models], Data, About, with native charts), one self-contained HTML file\n"
    "(opens offline, fits a phone, prints on A4), or Markdown with the charts as\n"
    "NAME_chart1.svg, ... beside it.\n"
    "\n"
    "Output:\n"
    "  -o, --output FILE      the report; its extension chooses the format\n"
    "                         (.xlsx, .html or .htm, .md); '-' is standard output\n"
    "                         for HTML and Markdown without charts\n"
    "  --format xlsx|html|md  the format, whatever the extension\n"
    "  --lang en|vi           English or Vietnamese (labels, notes, number format)\n"
    "  --quiet                no progress bar (shown when standard error is a terminal)\n"
    "Input, method, period and targets: as for 'tfp estimate' (--map --delimiter\n"
    "  --decimal --method --capital-share --growth --labour-input --delta --k0\n"
    "  --from --to --target).\n"
    "Optional parts:\n"
    "  --bootstrap B          intervals of the period figures (COLUMN_lo, COLUMN_hi)\n"
    "                         and the probability of meeting each target, in the\n"
    "                         Summary; with --seed --threads --level --resample\n"
    "                         --block --capital-share-sd as for 'tfp estimate'\n"
    "  --sensitivity          a Sensitivity section: the grid and bands of\n"
    "                         'tfp sensitivity' and a chart per region; the grid\n"
    "                         as there (--capital-shares --deltas --k0-methods)\n"
    "  --compare              a Models section: the table of 'tfp compare'\n"
    "\n"
    "Examples:\n"
    "  tfp report -o report.xlsx\n"
    "  tfp report grdp.csv --lang vi --from 2021 --to 2025 -o bao_cao.html\n"
    "  tfp report --bootstrap 1000 --seed 1 --sensitivity --compare -o full.xlsx\n"
    "\n"
    "Exit codes: 0 success, 1 usage, 2 bad input data, 3 numerical failure, 4 I/O.\n";

typedef enum { REPORT_NONE = 0, REPORT_XLSX, REPORT_HTML, REPORT_MD } report_format;

typedef struct report_args {
    cli_estimate ce;
    cli_output out;
    report_format format;
    int quiet;
    const char *delimiter, *decimal; /* as given, for the About sheet */
    cli_boot boot;                   /* --bootstrap and its options */
    int sensitivity, compare;        /* --sensitivity, --compare */
    tfp_sensitivity_opts so;         /* the grid (--capital-shares ...) */
    const char *sens_opt;            /* a grid option given, or NULL */
} report_args;

static int
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++) {
        char c = s[n - k + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != suffix[i])
            return 0;
    }
    return 1;
}

static int
parse_args(int argc, char **argv, report_args *ra)
{
    cli_args a = {argc, argv, 1, "report"};
    while (a.i < argc) {
        const char *v = NULL, *arg = argv[a.i];
        int r;
        if (strcmp(arg, "--delimiter") == 0 && a.i + 1 < argc)
            ra->delimiter = argv[a.i + 1];
        else if (strncmp(arg, "--delimiter=", 12) == 0)
            ra->delimiter = arg + 12;
        if (strcmp(arg, "--decimal") == 0 && a.i + 1 < argc)
            ra->decimal = argv[a.i + 1];
        else if (strncmp(arg, "--decimal=", 10) == 0)
            ra->decimal = arg + 10;
        if ((r = cli_opt(&a, "--format", &v)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            if (strcmp(v, "xlsx") == 0)
                ra->format = REPORT_XLSX;
            else if (strcmp(v, "html") == 0)
                ra->format = REPORT_HTML;
            else if (strcmp(v, "md") == 0 || strcmp(v, "markdown") == 0)
                ra->format = REPORT_MD;
            else
                return cli_usage_error(a.cmd, "--format: expected xlsx, html or md, found \"%s\"",
                                       v);
        } else if ((r = cli_opt(&a, "--quiet", NULL)) != 0) {
            ra->quiet = 1;
        } else if ((r = cli_opt(&a, "--sensitivity", NULL)) != 0) {
            ra->sensitivity = 1;
        } else if ((r = cli_opt(&a, "--compare", NULL)) != 0) {
            ra->compare = 1;
        } else if ((r = cli_estimate_opt(&a, &ra->ce)) != 0 ||
                   (r = cli_output_opt(&a, &ra->out)) != 0 ||
                   (r = cli_boot_opt(&a, &ra->boot)) != 0 ||
                   (r = cli_sensitivity_opt(&a, &ra->so, &ra->sens_opt)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error(a.cmd, "unknown option \"%s\"", arg);
        } else {
            if (cli_operand(&a, &ra->ce.file) < 0)
                return EXIT_USAGE;
        }
    }
    if (cli_estimate_check(a.cmd, &ra->ce) != EXIT_OK ||
        cli_boot_check(a.cmd, &ra->boot, &ra->ce) != EXIT_OK ||
        cli_sensitivity_check(a.cmd, &ra->so, &ra->ce) != EXIT_OK)
        return EXIT_USAGE;
    if (ra->sens_opt != NULL && !ra->sensitivity)
        return cli_usage_error(a.cmd, "%s needs --sensitivity", ra->sens_opt);
    if (ra->out.path == NULL)
        return cli_usage_error(a.cmd, "name the report with -o NAME.xlsx, NAME.html or NAME.md");
    if (ra->format == REPORT_NONE) {
        if (ends_with(ra->out.path, ".xlsx"))
            ra->format = REPORT_XLSX;
        else if (ends_with(ra->out.path, ".html") || ends_with(ra->out.path, ".htm"))
            ra->format = REPORT_HTML;
        else if (ends_with(ra->out.path, ".md"))
            ra->format = REPORT_MD;
        else
            return cli_usage_error(a.cmd,
                                   "cannot tell the format of \"%s\": end it in .xlsx, .html or "
                                   ".md, or give --format",
                                   ra->out.path);
    }
    if (ra->format == REPORT_XLSX && strcmp(ra->out.path, "-") == 0)
        return cli_usage_error(a.cmd, "a workbook is written to a file, not to standard output");
    return EXIT_OK;
}

/* The command line as typed, each argument quoted for a POSIX shell when it
 * holds anything but letters, digits and _ . / = : , + - @ %. */
static char *
command_line(int argc, char **argv)
{
    tfp_strbuf sb;
    char *s;
    tfp_strbuf_init(&sb);
    tfp_strbuf_puts(&sb, "tfp");
    for (int i = 0; i < argc; i++) {
        const char *p = argv[i];
        size_t ok = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                              "_./=:,+-@%");
        tfp_strbuf_putc(&sb, ' ');
        if (p[0] != '\0' && p[ok] == '\0') {
            tfp_strbuf_puts(&sb, p);
            continue;
        }
        tfp_strbuf_putc(&sb, '\'');
        for (; *p != '\0'; p++) {
            if (*p == '\'')
                tfp_strbuf_puts(&sb, "'\\''");
            else
                tfp_strbuf_putc(&sb, *p);
        }
        tfp_strbuf_putc(&sb, '\'');
    }
    if (tfp_strbuf_status(&sb) != TFP_OK) {
        tfp_strbuf_fini(&sb);
        return NULL;
    }
    s = sb.data; /* handed over: freed with tfp_free */
    return s;
}

/* NAME.md -> NAME (the chart files' stem, with its directory) and the
 * stem's last component (the link target in the document). */
static void
chart_stem(const char *path, char *stem, size_t n, const char **base)
{
    size_t len = strlen(path);
    const char *slash;
    if (ends_with(path, ".md"))
        len -= 3;
    if (len >= n)
        len = n - 1;
    memcpy(stem, path, len);
    stem[len] = '\0';
    slash = strrchr(stem, '/');
    *base = slash != NULL ? slash + 1 : stem;
}

static int
write_md(const tfp_book *book, const tfp_book_opts *bo, const report_args *ra)
{
    tfp_error err;
    tfp_strbuf md, *svg = NULL;
    size_t i, n = tfp_book_nchart(book);
    char stem[4096], path[4200];
    const char *base;
    int rc = EXIT_OK, to_stdout = strcmp(ra->out.path, "-") == 0;
    tfp_error_init(&err);
    if (to_stdout)
        snprintf(stem, sizeof stem, "report"), base = stem;
    else
        chart_stem(ra->out.path, stem, sizeof stem, &base);
    tfp_strbuf_init(&md);
    if (tfp_book_render_md(book, bo, base, &md, &err) != TFP_OK) {
        tfp_strbuf_fini(&md);
        return cli_report_error(&err);
    }
    /* Every chart is drawn before any file is written, so that a failure
     * to draw leaves no file. */
    if (!to_stdout && n > 0) {
        svg = tfp_calloc(n, sizeof *svg);
        if (svg == NULL) {
            tfp_strbuf_fini(&md);
            tfp_fail(&err, TFP_ENOMEM, "out of memory");
            return cli_report_error(&err);
        }
        for (i = 0; i < n; i++)
            tfp_strbuf_init(&svg[i]);
        for (i = 0; i < n && err.code == TFP_OK; i++) {
            tfp_book_chart_svg(book, i, bo, &svg[i], &err);
            tfp_progress_report(&bo->progress, "charts", i + 1, n);
        }
        cli_progress_end(bo->progress.ctx);
        if (err.code != TFP_OK)
            rc = cli_report_error(&err);
        for (i = 0; i < n && rc == EXIT_OK; i++) {
            snprintf(path, sizeof path, "%s_chart%zu.svg", stem, i + 1);
            if (tfp_file_write_atomic(path, tfp_strbuf_cstr(&svg[i]), svg[i].len, &err) != TFP_OK)
                rc = cli_report_error(&err);
        }
        for (i = 0; i < n; i++)
            tfp_strbuf_fini(&svg[i]);
        tfp_free(svg);
    }
    if (rc == EXIT_OK)
        rc = cli_write(&ra->out, &md);
    tfp_strbuf_fini(&md);
    return rc;
}

int
cmd_report(int argc, char **argv)
{
    report_args ra;
    tfp_error err;
    tfp_estimate *e = NULL;
    tfp_book *book = NULL;
    tfp_book_opts bo;
    tfp_book_info info;
    tfp_doc_meta param[3], meta[16];
    tfp_bootstrap *boot = NULL;
    tfp_sensitivity *sens = NULL;
    tfp_table *models = NULL;
    tfp_estimate *first = NULL;
    tfp_warnings notes;
    char boot_line[400];
    cli_meta mt;
    cli_progress prog;
    char sha[TFP_SHA256_HEX], *cmdline = NULL;
    const char *source = NULL;
    int rc;

    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return EXIT_OK;
        }
    memset(&ra, 0, sizeof ra);
    cli_estimate_init(&ra.ce);
    cli_output_init(&ra.out);
    cli_boot_init(&ra.boot);
    tfp_sensitivity_opts_init(&ra.so);
    rc = parse_args(argc, argv, &ra);
    if (rc != EXIT_OK)
        return rc;
    tfp_warnings_init(&notes);
    cli_progress_init(&prog, ra.quiet);
    cli_progress_stage(&prog, "estimating");
    rc = cli_estimate_load(&ra.ce, &e);
    cli_progress_end(&prog);
    if (rc != EXIT_OK)
        return rc;

    /* The optional parts, all computed before any file is written. */
    tfp_error_init(&err);
    if (cli_boot_run(&ra.boot, e, ra.quiet, &boot, &err) != TFP_OK) {
        rc = cli_report_error(&err);
        goto done;
    }
    if (ra.sensitivity) {
        cli_progress_stage(&prog, "sensitivity grid");
        if (tfp_sensitivity_run(e, &ra.so, &sens, &err) != TFP_OK ||
            tfp_warnings_extend(&e->warnings, &sens->warnings) != TFP_OK) {
            cli_progress_end(&prog);
            if (err.code == TFP_OK)
                tfp_fail(&err, TFP_ENOMEM, "out of memory");
            rc = cli_report_error(&err);
            goto done;
        }
        cli_progress_end(&prog);
    }
    if (ra.compare) {
        cli_estimate base = ra.ce;
        cli_progress_stage(&prog, "comparing methods");
        rc = cli_compare_run(&base, &models, &first, &notes);
        cli_progress_end(&prog);
        if (rc != EXIT_OK)
            goto done;
    }

    tfp_error_init(&err);
    memset(&info, 0, sizeof info);
    info.lang = ra.out.render.lang;
    info.version = TFP_VERSION;
    cmdline = command_line(argc, argv);
    info.command = cmdline;
    if (strcmp(e->panel->path, "-") != 0 && tfp_file_sha256(e->panel->path, sha, &err) == TFP_OK)
        info.input_sha256 = sha;
    tfp_error_init(&err);
    if (ra.ce.is_default)
        source = "Penn World Table 9.1: Feenstra, R. C., Inklaar, R. and Timmer, M. P. (2015), "
                 "The Next Generation of the Penn World Table, American Economic Review "
                 "105(10), 3150-3182, www.ggdc.net/pwt (CC BY 4.0)";
    info.source = source;
    info.nmeta = cli_estimate_meta(&ra.ce, e, ra.out.render.lang, &mt);
    info.meta = mt.m;
    if (boot != NULL && info.nmeta < sizeof meta / sizeof meta[0]) {
        memcpy(meta, mt.m, info.nmeta * sizeof *meta);
        meta[info.nmeta++] =
            (tfp_doc_meta){"bootstrap", "Bootstrap", "Bootstrap",
                           cli_boot_meta(boot, e, ra.out.render.lang, boot_line, sizeof boot_line)};
        info.meta = meta;
    }
    info.bootstrap = boot;
    info.sensitivity = sens;
    info.models = models;
    info.models_notes = &notes;
    param[0] =
        (tfp_doc_meta){"lang", "--lang", NULL, ra.out.render.lang == TFP_LANG_VI ? "vi" : "en"};
    param[1] = (tfp_doc_meta){"delimiter", "--delimiter", NULL,
                              ra.delimiter != NULL ? ra.delimiter : "detected"};
    param[2] = (tfp_doc_meta){"decimal", "--decimal", NULL, ra.decimal != NULL ? ra.decimal : "."};
    info.param = param;
    info.nparam = 3;
    book = tfp_book_estimate(e, &info, &err);
    if (book == NULL) {
        rc = cli_report_error(&err);
        goto done;
    }

    tfp_book_opts_init(&bo);
    bo.render = ra.out.render;
    bo.progress.fn = cli_progress_cb;
    bo.progress.ctx = &prog;
    if (ra.format == REPORT_XLSX) {
        if (tfp_book_write_xlsx(book, &bo, ra.out.path, &err) != TFP_OK) {
            cli_progress_end(&prog);
            rc = cli_report_error(&err);
        }
    } else if (ra.format == REPORT_HTML) {
        tfp_strbuf sb;
        tfp_strbuf_init(&sb);
        if (tfp_book_render_html(book, &bo, &sb, &err) != TFP_OK) {
            cli_progress_end(&prog);
            rc = cli_report_error(&err);
        } else {
            cli_progress_end(&prog);
            rc = cli_write(&ra.out, &sb);
        }
        tfp_strbuf_fini(&sb);
    } else {
        rc = write_md(book, &bo, &ra);
    }
    cli_progress_end(&prog);
done:
    tfp_free(cmdline);
    tfp_book_free(book);
    tfp_table_free(models);
    tfp_estimate_free(first);
    tfp_warnings_fini(&notes);
    tfp_sensitivity_free(sens);
    tfp_bootstrap_free(boot);
    tfp_estimate_free(e);
    /* cairo and fontconfig keep the font they found in static caches for the
     * life of the process; handing them back before exit lets AddressSanitizer
     * and valgrind see a process that frees everything it took. */
    cairo_debug_reset_static_data();
    FcFini();
    return rc;
}
