/*
 * Sector totals (prep layer): a region's output, labour, capital and
 * investment are the sums of its sectors'; intensive series are weighted
 * means (labour share by output, hours and human capital by employment).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/prep.h"

static int
is_additive(int k)
{
    return k == TFP_ROLE_OUTPUT || k == TFP_ROLE_LABOUR || k == TFP_ROLE_CAPITAL ||
           k == TFP_ROLE_INVESTMENT;
}

/* The weight of an intensive role's mean: output for the labour share,
 * employment for hours and human capital. */
static int
weight_role(int k)
{
    return k == TFP_ROLE_LABOUR_SHARE ? TFP_ROLE_OUTPUT : TFP_ROLE_LABOUR;
}

typedef struct region_acc {
    int ymin, ymax;
    size_t nyears;
    size_t *rows; /* rows seen per year */
    double *sum;  /* TFP_ROLE_COUNT x nyears */
    double *wsum; /* weights of weighted means, TFP_ROLE_COUNT x nyears */
} region_acc;

int
tfp_prep_sector_totals(const tfp_panel *p, tfp_panel **out, tfp_error *err)
{
    tfp_panel *q = NULL;
    region_acc acc = {0, 0, 0, NULL, NULL, NULL};
    size_t nout = 0, i, r0, r1, row = 0;
    int rc = TFP_OK;
    *out = NULL;
    /* Count output rows: distinct (region, year) pairs. */
    for (r0 = 0; r0 < p->n; r0 = r1) {
        int ymin = p->year[r0], ymax = p->year[r0];
        for (r1 = r0; r1 < p->n && p->region[r1] == p->region[r0]; r1++) {
            ymin = p->year[r1] < ymin ? p->year[r1] : ymin;
            ymax = p->year[r1] > ymax ? p->year[r1] : ymax;
        }
        nout += (size_t)(ymax - ymin + 1);
    }
    q = tfp_panel_alloc_like(p, nout, 0, err);
    if (q == NULL)
        return err != NULL ? err->code : TFP_ENOMEM;
    for (r0 = 0; r0 < p->n && rc == TFP_OK; r0 = r1) {
        size_t nsect = 0;
        uint32_t last_sector = UINT32_MAX;
        acc.ymin = acc.ymax = p->year[r0];
        for (r1 = r0; r1 < p->n && p->region[r1] == p->region[r0]; r1++) {
            acc.ymin = p->year[r1] < acc.ymin ? p->year[r1] : acc.ymin;
            acc.ymax = p->year[r1] > acc.ymax ? p->year[r1] : acc.ymax;
            if (p->sector[r1] != last_sector) {
                nsect++;
                last_sector = p->sector[r1];
            }
        }
        acc.nyears = (size_t)(acc.ymax - acc.ymin + 1);
        acc.rows = tfp_calloc(acc.nyears, sizeof *acc.rows);
        acc.sum = tfp_calloc(acc.nyears * TFP_ROLE_COUNT, sizeof *acc.sum);
        acc.wsum = tfp_calloc(acc.nyears * TFP_ROLE_COUNT, sizeof *acc.wsum);
        if (acc.rows == NULL || acc.sum == NULL || acc.wsum == NULL) {
            rc = tfp_fail(err, TFP_ENOMEM, "out of memory");
            break;
        }
        for (i = r0; i < r1; i++) {
            size_t y = (size_t)(p->year[i] - acc.ymin);
            acc.rows[y]++;
            for (int k = 0; k < TFP_ROLE_COUNT; k++) {
                const double *x = p->x[k];
                if (x == NULL || k == TFP_ROLE_YEAR)
                    continue;
                if (is_additive(k)) {
                    acc.sum[(size_t)k * acc.nyears + y] += x[i];
                } else {
                    const double *wx = p->x[weight_role(k)];
                    double wt = wx != NULL ? wx[i] : 1.0;
                    acc.sum[(size_t)k * acc.nyears + y] += wt * x[i];
                    acc.wsum[(size_t)k * acc.nyears + y] += wt;
                }
            }
        }
        for (size_t y = 0; y < acc.nyears; y++) {
            int year = acc.ymin + (int)y;
            q->year[row] = year;
            q->region[row] = p->region[r0];
            q->sector[row] = 0;
            q->line[row] = 0;
            for (int k = 0; k < TFP_ROLE_COUNT; k++) {
                double v;
                if (q->x[k] == NULL || k == TFP_ROLE_YEAR)
                    continue;
                v = acc.sum[(size_t)k * acc.nyears + y];
                if (!is_additive(k))
                    v = acc.wsum[(size_t)k * acc.nyears + y] > 0.0
                            ? v / acc.wsum[(size_t)k * acc.nyears + y]
                            : TFP_NAN;
                /* NaN propagates through the sums; a missing sector row
                 * makes the total undefined too. */
                q->x[k][row] = acc.rows[y] == nsect ? v : TFP_NAN;
            }
            if (acc.rows[y] > 0 && acc.rows[y] < nsect) {
                const char *rn = p->region_names[p->region[r0]];
                rc = tfp_warnings_add(&q->warnings,
                                      "%s: %zu of %zu sectors have data for %d; the region total "
                                      "is undefined that year",
                                      rn[0] ? rn : "data", acc.rows[y], nsect, year);
                if (rc != TFP_OK) {
                    rc = tfp_fail(err, rc, "out of memory");
                    break;
                }
            }
            row++;
        }
        tfp_free(acc.rows);
        tfp_free(acc.sum);
        tfp_free(acc.wsum);
        acc.rows = NULL;
        acc.sum = acc.wsum = NULL;
    }
    tfp_free(acc.rows);
    tfp_free(acc.sum);
    tfp_free(acc.wsum);
    /* Years absent from every sector were emitted as all-missing rows: keep
     * them (they are gaps, and growth across them is undefined). */
    if (rc == TFP_OK)
        rc = tfp_panel_finish(q, err);
    if (rc != TFP_OK) {
        tfp_panel_free(q);
        return rc;
    }
    *out = q;
    return TFP_OK;
}
