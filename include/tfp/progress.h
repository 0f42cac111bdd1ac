/*
 * Progress reports (util layer): long work (writing a large workbook,
 * bootstrap replicates) calls back with how far it has gone, and the caller
 * decides what to show; the library itself never prints (STYLE "Errors").
 */
#ifndef TFP_PROGRESS_H
#define TFP_PROGRESS_H

#include <stddef.h>

/* fn (may be NULL) is called with ctx, a static name of the stage in
 * English ("workbook", "charts"), the units done and the units in all
 * (done <= total; total 0 when unknown). It must not call back into the
 * work that reports. */
typedef struct tfp_progress {
    void (*fn)(void *ctx, const char *stage, size_t done, size_t total);
    void *ctx;
} tfp_progress;

/* Calls p->fn when there is one; p may be NULL. */
static inline void
tfp_progress_report(const tfp_progress *p, const char *stage, size_t done, size_t total)
{
    if (p != NULL && p->fn != NULL)
        p->fn(p->ctx, stage, done, total);
}

#endif /* TFP_PROGRESS_H */
