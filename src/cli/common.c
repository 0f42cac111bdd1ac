/*
 * Shared command-line machinery (cli layer): argument scanning, value
 * parsing, error printing with exit codes, output to stdout or a file
 * written atomically, and the location of the bundled data.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "tfp/io.h"

int
cli_exit_code(int code)
{
    switch (code) {
    case TFP_OK:
        return EXIT_OK;
    case TFP_EINVAL:
        return EXIT_USAGE;
    case TFP_EINPUT:
        return EXIT_INPUT;
    case TFP_ENUMERIC:
        return EXIT_NUMERIC;
    case TFP_EIO:
    case TFP_ENOMEM:
    default:
        return EXIT_IO;
    }
}

int
cli_report_error(const tfp_error *err)
{
    char buf[TFP_ERROR_MSG_SIZE + TFP_ERROR_PATH_SIZE + 64];
    fprintf(stderr, "tfp: %s\n", tfp_error_format(err, buf, sizeof buf));
    return cli_exit_code(err->code);
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("tfp: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (cmd != NULL)
        fprintf(stderr, "\ntfp: see 'tfp %s --help'\n", cmd);
    else
        fputs("\ntfp: see 'tfp --help'\n", stderr);
    return EXIT_USAGE;
}

int
cli_opt(cli_args *a, const char *name, const char **val)
{
    const char *arg = a->argv[a->i];
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return 0;
    if (arg[n] == '\0') {
        a->i++;
        if (val == NULL)
            return 1;
        if (a->i >= a->argc) {
            cli_usage_error(a->cmd, "option %s needs a value", name);
            return -1;
        }
        *val = a->argv[a->i++];
        return 1;
    }
    if (arg[n] == '=' && val != NULL) {
        *val = arg + n + 1;
        a->i++;
        return 1;
    }
    return 0;
}

int
cli_parse_double(const char *cmd, const char *opt, const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || *v != *v) {
        cli_usage_error(cmd, "%s: expected a number, found \"%s\"", opt, s);
        return 1;
    }
    return 0;
}

int
cli_parse_int(const char *cmd, const char *opt, const char *s, int *v)
{
    char *end;
    long l;
    errno = 0;
    l = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE || l < INT_MIN || l > INT_MAX) {
        cli_usage_error(cmd, "%s: expected a whole number, found \"%s\"", opt, s);
        return 1;
    }
    *v = (int)l;
    return 0;
}

/* A positive size limit: 1 on success, -1 on error (printed). */
static int
parse_limit(const char *cmd, const char *opt, const char *v, size_t *dst)
{
    char *end;
    unsigned long long n;
    errno = 0;
    n = strtoull(v, &end, 10);
    if (end == v || *end != '\0' || errno == ERANGE || n == 0 || v[0] == '-' ||
        n > (unsigned long long)SIZE_MAX) {
        cli_usage_error(cmd, "%s: expected a positive whole number, found \"%s\"", opt, v);
        return -1;
    }
    *dst = (size_t)n;
    return 1;
}

int
cli_panel_opt(cli_args *a, tfp_panel_opts *o)
{
    const char *v = NULL;
    int r;
    if ((r = cli_opt(a, "--map", &v)) != 0) {
        const char *eq;
        char role[64];
        tfp_role k;
        tfp_error err;
        if (r < 0)
            return -1;
        eq = strchr(v, '=');
        if (eq == NULL || eq == v || eq[1] == '\0' || (size_t)(eq - v) >= sizeof role) {
            cli_usage_error(a->cmd, "--map: expected ROLE=COLUMN, found \"%s\"", v);
            return -1;
        }
        memcpy(role, v, (size_t)(eq - v));
        role[eq - v] = '\0';
        tfp_error_init(&err);
        if (tfp_role_parse(role, &k, &err) != TFP_OK) {
            cli_usage_error(a->cmd, "--map: %s", err.msg);
            return -1;
        }
        if (o->map[k] != NULL) {
            cli_usage_error(a->cmd, "--map: role %s is mapped twice", tfp_role_name(k));
            return -1;
        }
        o->map[k] = eq + 1;
        return 1;
    }
    if ((r = cli_opt(a, "--delimiter", &v)) != 0) {
        if (r < 0)
            return -1;
        if (strcmp(v, ",") == 0 || strcmp(v, ";") == 0)
            o->csv.delimiter = v[0];
        else if (strcmp(v, "\\t") == 0 || strcmp(v, "\t") == 0 || strcmp(v, "tab") == 0)
            o->csv.delimiter = '\t';
        else {
            cli_usage_error(a->cmd, "--delimiter: expected ',', ';' or tab, found \"%s\"", v);
            return -1;
        }
        return 1;
    }
    if ((r = cli_opt(a, "--max-rows", &v)) != 0)
        return r < 0 ? -1 : parse_limit(a->cmd, "--max-rows", v, &o->csv.max_rows);
    if ((r = cli_opt(a, "--max-field-bytes", &v)) != 0)
        return r < 0 ? -1 : parse_limit(a->cmd, "--max-field-bytes", v, &o->csv.max_field_bytes);
    if ((r = cli_opt(a, "--decimal", &v)) != 0) {
        if (r < 0)
            return -1;
        if (strcmp(v, ".") != 0 && strcmp(v, ",") != 0) {
            cli_usage_error(a->cmd, "--decimal: expected '.' or ',', found \"%s\"", v);
            return -1;
        }
        o->csv.decimal = v[0];
        return 1;
    }
    return 0;
}

void
cli_output_init(cli_output *o)
{
    memset(o, 0, sizeof *o);
    o->format = TFP_FORMAT_TEXT;
    tfp_render_opts_init(&o->render);
}

int
cli_output_opt(cli_args *a, cli_output *o)
{
    const char *v = NULL;
    int r;
    if ((r = cli_opt(a, "--format", &v)) != 0) {
        if (r < 0)
            return -1;
        if (strcmp(v, "text") == 0)
            o->format = TFP_FORMAT_TEXT;
        else if (strcmp(v, "csv") == 0)
            o->format = TFP_FORMAT_CSV;
        else if (strcmp(v, "md") == 0 || strcmp(v, "markdown") == 0)
            o->format = TFP_FORMAT_MD;
        else if (strcmp(v, "json") == 0)
            o->format = TFP_FORMAT_JSON;
        else {
            cli_usage_error(a->cmd, "--format: expected text, csv, md or json, found \"%s\"", v);
            return -1;
        }
        o->format_set = 1;
        return 1;
    }
    if ((r = cli_opt(a, "--output", &v)) != 0 || (r = cli_opt(a, "-o", &v)) != 0) {
        if (r < 0)
            return -1;
        o->path = v;
        return 1;
    }
    if ((r = cli_opt(a, "--lang", &v)) != 0) {
        if (r < 0)
            return -1;
        if (strcmp(v, "en") == 0)
            o->render.lang = TFP_LANG_EN;
        else if (strcmp(v, "vi") == 0)
            o->render.lang = TFP_LANG_VI;
        else {
            cli_usage_error(a->cmd, "--lang: expected en or vi, found \"%s\"", v);
            return -1;
        }
        return 1;
    }
    if ((r = cli_opt(a, "--digits", &v)) != 0) {
        int d;
        if (r < 0 || cli_parse_int(a->cmd, "--digits", v, &d) != 0)
            return -1;
        if (d < 1 || d > 17) {
            cli_usage_error(a->cmd, "--digits: expected 1 to 17, found %d", d);
            return -1;
        }
        o->render.digits = d;
        return 1;
    }
    return 0;
}

int
cli_write(const cli_output *o, const tfp_strbuf *sb)
{
    tfp_error err;
    tfp_error_init(&err);
    if (tfp_strbuf_status(sb) != TFP_OK) {
        tfp_fail(&err, TFP_ENOMEM, "out of memory");
        return cli_report_error(&err);
    }
    if (o->path == NULL || strcmp(o->path, "-") == 0) {
        if (fwrite(tfp_strbuf_cstr(sb), 1, sb->len, stdout) != sb->len || fflush(stdout) != 0) {
            tfp_fail(&err, TFP_EIO, "cannot write to standard output: %s", strerror(errno));
            return cli_report_error(&err);
        }
        return EXIT_OK;
    }
    if (tfp_file_write_atomic(o->path, tfp_strbuf_cstr(sb), sb->len, &err) != TFP_OK)
        return cli_report_error(&err);
    return EXIT_OK;
}

const char *
cli_dataset(const char *rel)
{
    static char path[PATH_MAX + 64];
    static const char *const dirs[] = {"/../datasets/", "/../share/tfp/datasets/"};
    char exe[PATH_MAX];
    const char *env = getenv("TFP_DATADIR");
    ssize_t n;
    if (env != NULL && env[0] != '\0') {
        snprintf(path, sizeof path, "%s/%s", env, rel);
        return path;
    }
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        char *slash;
        exe[n] = '\0';
        slash = strrchr(exe, '/');
        if (slash != NULL)
            *slash = '\0';
        for (size_t k = 0; k < sizeof dirs / sizeof dirs[0]; k++) {
            snprintf(path, sizeof path, "%s%s%s", exe, dirs[k], rel);
            if (access(path, R_OK) == 0) {
                char real[PATH_MAX];
                if (realpath(path, real) != NULL)
                    snprintf(path, sizeof path, "%s", real);
                return path;
            }
        }
    }
    return NULL;
}

const char *
cli_default_data(void)
{
    return cli_dataset("pwt/pwt91_asia5_tfp.csv");
}

int
cli_choice(const char *cmd, const char *opt, const char *v, const char *const *names, size_t n)
{
    char list[256] = "";
    for (size_t k = 0; k < n; k++)
        if (strcmp(v, names[k]) == 0)
            return (int)k;
    for (size_t k = 0; k < n; k++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", k == 0 ? "" : (k + 1 == n ? " or " : ", "),
                 names[k]);
    }
    cli_usage_error(cmd, "%s: expected %s, found \"%s\"", opt, list, v);
    return -1;
}

int
cli_operand(cli_args *a, const char **file)
{
    const char *arg = a->argv[a->i];
    if (*file != NULL) {
        cli_usage_error(a->cmd, "more than one input file (\"%s\" and \"%s\")", *file, arg);
        return -1;
    }
    *file = arg;
    a->i++;
    return 1;
}
