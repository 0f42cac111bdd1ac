/*
 * tfp: the command-line entry point (cli layer). Dispatches subcommands;
 * turns GSL's abort-on-error handler off for the whole process, since the
 * library checks every GSL status itself.
 *
 * Two programs are built from this file. `tfp-report` has every command.
 * `tfp` (compiled with TFP_REPORT_EXEC) has every command but `report`, which
 * it hands to `tfp-report` by exec: only the report links cairo, fontconfig
 * and libxlsxwriter, 22 shared libraries whose loading would otherwise add
 * about 13 ms to the start of every command (benchmarks/README.md), as git
 * hands its subcommands to git-* programs. tfp-report is looked up beside the
 * running tfp, then in ../libexec/tfp/ (make install puts it there).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "cli.h"
#include "tfp/config.h"

static const char usage[] =
    "Usage: tfp COMMAND [FILE] [options]\n"
    "\n"
    "Productivity analytics from provincial statistics: growth accounting,\n"
    "labour productivity, TFP contribution and plan-target checks.\n"
    "\n"
    "Commands:\n"
    "  estimate   growth accounting and target checks (tfp estimate --help)\n"
    "  check      plan targets on reported indicators (tfp check --help)\n"
    "  fit        production functions: OLS and panel models (tfp fit --help)\n"
    "  compare    the same data through every applicable method (tfp compare --help)\n"
    "  scenario   projections under scenarios; growth required by the targets\n"
    "  forecast   TFP and labour-productivity growth forecasts, with backtests\n"
    "  report     Excel workbook, HTML or Markdown report (tfp report --help)\n"
    "  sensitivity the TFP share over a grid of assumptions (tfp sensitivity --help)\n"
    "\n"
    "Options:\n"
    "  --help     this text;  tfp COMMAND --help for a command's options\n"
    "  --version  the version\n"
    "\n"
    "Exit codes: 0 success, 1 usage, 2 bad input data, 3 numerical failure, 4 I/O.\n";

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
} command;

#ifdef TFP_REPORT_EXEC
/* `tfp report ARGS`: runs `tfp-report report ARGS` in this process's place. */
static int
cmd_report_exec(int argc, char **argv)
{
    static const char *const rel[] = {"tfp-report", "../libexec/tfp/tfp-report"};
    char self[PATH_MAX], path[PATH_MAX + 32];
    char **args = calloc((size_t)argc + 2, sizeof *args);
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    char *slash;
    int saved = ENOENT;
    if (args == NULL) {
        fputs("tfp: report: out of memory\n", stderr);
        return EXIT_IO;
    }
    if (len > 0)
        self[len] = '\0';
    if (len <= 0 || (slash = strrchr(self, '/')) == NULL) {
        fprintf(stderr, "tfp: report: cannot find the running program (/proc/self/exe): %s\n",
                strerror(errno));
        free(args);
        return EXIT_IO;
    }
    slash[1] = '\0';
    for (int i = 0; i < argc; i++)
        args[i + 1] = argv[i];
    fflush(NULL);
    for (size_t k = 0; k < sizeof rel / sizeof rel[0]; k++) {
        snprintf(path, sizeof path, "%s%s", self, rel[k]);
        args[0] = path;
        execv(path, args);
        if (errno != ENOENT)
            saved = errno;
    }
    fprintf(stderr,
            "tfp: report: cannot run the report writer %stfp-report (nor "
            "%s../libexec/tfp/tfp-report): %s\n",
            self, self, strerror(saved));
    free(args);
    return EXIT_IO;
}
#define CMD_REPORT cmd_report_exec
#else
#define CMD_REPORT cmd_report
#endif

static const command commands[] = {
    {"estimate", cmd_estimate}, {"check", cmd_check},
    {"fit", cmd_fit},           {"compare", cmd_compare},
    {"scenario", cmd_scenario}, {"forecast", cmd_forecast},
    {"report", CMD_REPORT},     {"sensitivity", cmd_sensitivity},
};

int
main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("tfp %s\n", TFP_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    return cli_usage_error(NULL, "unknown command \"%s\"", argv[1]);
}
