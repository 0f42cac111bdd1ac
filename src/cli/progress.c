/*
 * Progress bar on standard error (cli layer), for long work: reading a big
 * input, writing a large workbook, drawing many charts. Shown only when
 * standard error is a terminal and --quiet is not given, redrawn in place
 * with a carriage return and erased when the work ends.
 */
#include <stdio.h>
#include <unistd.h>

#include "cli.h"

#define BAR_WIDTH 30

void
cli_progress_init(cli_progress *p, int quiet)
{
    p->on = !quiet && isatty(fileno(stderr));
    p->shown = 0;
    p->last = -1;
    p->stage = NULL;
}

void
cli_progress_stage(cli_progress *p, const char *what)
{
    if (!p->on)
        return;
    fprintf(stderr, "\r\033[Ktfp: %s...", what);
    fflush(stderr);
    p->shown = 1;
    p->last = -1;
    p->stage = what;
}

void
cli_progress_cb(void *ctx, const char *stage, size_t done, size_t total)
{
    cli_progress *p = ctx;
    char bar[BAR_WIDTH + 1];
    int pct, fill, i;
    if (!p->on || total == 0)
        return;
    pct = (int)(done >= total ? 100 : (100 * done) / total);
    if (pct == p->last && stage == p->stage)
        return;
    fill = pct * BAR_WIDTH / 100;
    for (i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < fill ? '#' : '-';
    bar[BAR_WIDTH] = '\0';
    fprintf(stderr, "\r\033[Ktfp: [%s] %3d%% %s", bar, pct, stage);
    fflush(stderr);
    p->shown = 1;
    p->last = pct;
    p->stage = stage;
}

void
cli_progress_end(cli_progress *p)
{
    if (p->on && p->shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    p->shown = 0;
}
