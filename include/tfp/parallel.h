/*
 * Work shared out to threads (util layer): the one fan-out that the CSV reader's chunks, the
 * design's row parts, the least squares' row groups and the panel models' unit groups use.
 */
#ifndef TFP_PARALLEL_H
#define TFP_PARALLEL_H

#include <stddef.h>

/* Parts one call of tfp_run_parts starts threads for; more run in the calling thread. */
#define TFP_PARALLEL_MAX_PARTS 64

/* The online processors, at least 1 and at most cap (0: no cap). */
size_t tfp_online_cpus(size_t cap);

/*
 * Runs fn on each of the nparts parts, part k at (char *)parts + k * size: parts 1 .. in new
 * threads, part 0 in the calling thread, then, in order, every part whose thread could not
 * start (or beyond TFP_PARALLEL_MAX_PARTS). Returns when all have run. Whatever fn returns is
 * ignored: a part reports through its own struct.
 */
void tfp_run_parts(void *(*fn)(void *), void *parts, size_t size, size_t nparts);

/*
 * Runs fn(arg, g) for every g < G, the g shared out in T contiguous runs (run t takes g from
 * t G / T up to (t + 1) G / T; run 0 in the calling thread), through tfp_run_parts. T is
 * clamped to [1, min(G, TFP_PARALLEL_MAX_PARTS)]. A g's work must touch only what is its own,
 * so that no result depends on T.
 */
void tfp_run_groups(size_t G, size_t T, void (*fn)(void *arg, size_t g), void *arg);

#endif /* TFP_PARALLEL_H */
