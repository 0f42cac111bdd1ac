/*
 * Work shared out to threads (util layer): see include/tfp/parallel.h.
 */
#include "tfp/parallel.h"

#include <pthread.h>
#include <unistd.h>

size_t
tfp_online_cpus(size_t cap)
{
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    size_t t = online > 0 ? (size_t)online : 1;
    return cap > 0 && t > cap ? cap : t;
}

void
tfp_run_parts(void *(*fn)(void *), void *parts, size_t size, size_t nparts)
{
    pthread_t tid[TFP_PARALLEL_MAX_PARTS];
    int started[TFP_PARALLEL_MAX_PARTS];
    char *at = parts;
    size_t k, m = nparts < TFP_PARALLEL_MAX_PARTS ? nparts : TFP_PARALLEL_MAX_PARTS;
    for (k = 1; k < m; k++)
        started[k] = pthread_create(&tid[k], NULL, fn, at + k * size) == 0;
    if (nparts > 0)
        fn(at);
    for (k = 1; k < m; k++) {
        if (started[k])
            pthread_join(tid[k], NULL);
        else
            fn(at + k * size);
    }
    for (k = m; k < nparts; k++)
        fn(at + k * size);
}

typedef struct group_run {
    void (*fn)(void *arg, size_t g);
    void *arg;
    size_t g0, g1;
} group_run;

static void *
group_main(void *p)
{
    group_run *gr = p;
    size_t g;
    for (g = gr->g0; g < gr->g1; g++)
        gr->fn(gr->arg, g);
    return NULL;
}

void
tfp_run_groups(size_t G, size_t T, void (*fn)(void *arg, size_t g), void *arg)
{
    group_run gr[TFP_PARALLEL_MAX_PARTS];
    size_t t;
    if (T > G)
        T = G;
    if (T > TFP_PARALLEL_MAX_PARTS)
        T = TFP_PARALLEL_MAX_PARTS;
    if (T == 0)
        T = 1;
    for (t = 0; t < T; t++) {
        gr[t].fn = fn;
        gr[t].arg = arg;
        gr[t].g0 = t * G / T;
        gr[t].g1 = (t + 1) * G / T;
    }
    tfp_run_parts(group_main, gr, sizeof *gr, T);
}
