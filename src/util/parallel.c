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
