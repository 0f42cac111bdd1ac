/*
 * tfp: the command-line entry point (cli layer). Dispatches subcommands;
 * turns GSL's abort-on-error handler off for the whole process, since the
 * library checks every GSL status itself.
 */
#include <stdio.h>
#include <string.h>

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

static const command commands[] = {
    {"estimate", cmd_estimate}, {"check", cmd_check},       {"fit", cmd_fit},
    {"compare", cmd_compare},   {"scenario", cmd_scenario}, {"forecast", cmd_forecast},
    {"estimate", cmd_estimate}, {"report", cmd_report},     {"sensitivity", cmd_sensitivity},
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
