/*
 * Panel construction and validation (data layer): column roles, key
 * sorting, and the checks of DESIGN section 2. Reads through the io layer;
 * computes nothing but order and validity.
 */
#include "tfp/panel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tfp/alloc.h"
#include "tfp/config.h"

static const char *const role_names[TFP_ROLE_COUNT] = {
    "year",    "region",     "sector",       "output",        "labour",
    "capital", "investment", "labour_share", "human_capital", "hours"};

/* DESIGN section 2: default column names per role, in order. */
static const char *const role_default[TFP_ROLE_COUNT][6] = {
    {"year", "nam", NULL},
    {"region", "province", "tinh", "country", "countrycode", NULL},
    {"sector", "nganh", NULL},
    {"output", "grdp", "gdp", "va", NULL},
    {"labour", "labor", "employment", "emp", "lao_dong", NULL},
    {"capital", "capital_stock", "k", NULL},
    {"investment", "gfcf", "von_dau_tu", NULL},
    {"labour_share", "labsh", NULL},
    {"human_capital", "hc", NULL},
    {"hours", "avh", NULL}};

static const char *const role_default_text[TFP_ROLE_COUNT] = {
    "year, nam",
    "region, province, tinh, country, countrycode",
    "sector, nganh",
    "output, grdp, gdp, va",
    "labour, labor, employment, emp, lao_dong",
    "capital, capital_stock, k",
    "investment, gfcf, von_dau_tu",
    "labour_share, labsh",
    "human_capital, hc",
    "hours, avh"};

const char *
tfp_role_name(tfp_role r)
{
    return (unsigned)r < TFP_ROLE_COUNT ? role_names[r] : "?";
}

const char *
tfp_role_defaults(tfp_role r)
{
    return (unsigned)r < TFP_ROLE_COUNT ? role_default_text[r] : "";
}

int
tfp_role_parse(const char *name, tfp_role *r, tfp_error *err)
{
    for (int k = 0; k < TFP_ROLE_COUNT; k++) {
        if (strcasecmp(name, role_names[k]) == 0 ||
            (k == TFP_ROLE_LABOUR && strcasecmp(name, "labor") == 0)) {
            *r = (tfp_role)k;
            return TFP_OK;
        }
    }
    return tfp_fail(err, TFP_EINVAL,
                    "unknown role \"%s\" (roles: year, region, sector, output, labour, capital, "
                    "investment, labour_share, human_capital, hours)",
                    name);
}

void
tfp_panel_opts_init(tfp_panel_opts *o)
{
    memset(o, 0, sizeof *o);
    tfp_csv_opts_init(&o->csv);
}

static int
is_numeric_role(int k)
{
    return k != TFP_ROLE_REGION && k != TFP_ROLE_SECTOR;
}

void
tfp_panel_free(tfp_panel *p)
{
    size_t i;
    if (p == NULL)
        return;
    tfp_free(p->path);
    tfp_free(p->year);
    tfp_free(p->region);
    tfp_free(p->sector);
    for (i = 0; p->region_names != NULL && i < p->nregion; i++)
        tfp_free(p->region_names[i]);
    tfp_free(p->region_names);
    for (i = 0; p->sector_names != NULL && i < p->nsector; i++)
        tfp_free(p->sector_names[i]);
    tfp_free(p->sector_names);
    for (i = 0; i < TFP_ROLE_COUNT; i++) {
        tfp_free(p->x[i]);
        tfp_free(p->column[i]);
    }
    tfp_free(p->line);
    tfp_free(p->unit_start);
    tfp_warnings_fini(&p->warnings);
    tfp_free(p);
}

static char **
copy_names(char *const *names, size_t n)
{
    char **out = tfp_calloc(n == 0 ? 1 : n, sizeof *out);
    size_t i;
    if (out == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        out[i] = tfp_strdup(names[i]);
        if (out[i] == NULL) {
            while (i-- > 0)
                tfp_free(out[i]);
            tfp_free(out);
            return NULL;
        }
    }
    return out;
}

/* Allocates the row arrays of p for n rows, and numeric role arrays for
 * the roles flagged in present. Returns TFP_OK or TFP_ENOMEM. */
static int
alloc_rows(tfp_panel *p, size_t n, const int *present)
{
    size_t m = n == 0 ? 1 : n;
    p->n = n;
    p->year = tfp_mallocn(m, sizeof *p->year);
    p->region = tfp_calloc(m, sizeof *p->region);
    p->sector = tfp_calloc(m, sizeof *p->sector);
    p->line = tfp_calloc(m, sizeof *p->line);
    if (p->year == NULL || p->region == NULL || p->sector == NULL || p->line == NULL)
        return TFP_ENOMEM;
    for (int k = 0; k < TFP_ROLE_COUNT; k++) {
        if (!present[k] || !is_numeric_role(k) || k == TFP_ROLE_YEAR)
            continue;
        p->x[k] = tfp_mallocn(m, sizeof(double));
        if (p->x[k] == NULL)
            return TFP_ENOMEM;
    }
    return TFP_OK;
}

tfp_panel *
tfp_panel_alloc_like(const tfp_panel *p, size_t n, int keep_sectors, tfp_error *err)
{
    tfp_panel *q = tfp_calloc(1, sizeof *q);
    int present[TFP_ROLE_COUNT];
    if (q == NULL)
        goto oom;
    tfp_warnings_init(&q->warnings);
    for (int k = 0; k < TFP_ROLE_COUNT; k++) {
        present[k] = p->x[k] != NULL;
        if (p->column[k] != NULL && (keep_sectors || k != TFP_ROLE_SECTOR)) {
            q->column[k] = tfp_strdup(p->column[k]);
            if (q->column[k] == NULL)
                goto oom;
        }
    }
    q->path = tfp_strdup(p->path);
    q->region_names = copy_names(p->region_names, p->nregion);
    if (q->region_names != NULL)
        q->nregion = p->nregion; /* counted at once, so that a later failure frees them */
    if (q->path == NULL || q->region_names == NULL)
        goto oom;
    if (keep_sectors && p->nsector > 0) {
        q->sector_names = copy_names(p->sector_names, p->nsector);
        if (q->sector_names == NULL)
            goto oom;
        q->nsector = p->nsector;
    }
    if (alloc_rows(q, n, present) != TFP_OK)
        goto oom;
    return q;
oom:
    tfp_panel_free(q);
    tfp_fail(err, TFP_ENOMEM, "out of memory");
    return NULL;
}

int
tfp_panel_finish(tfp_panel *p, tfp_error *err)
{
    size_t i, k = 0, nunit = 0;
    for (i = 0; i < p->n; i++)
        if (i == 0 || p->region[i] != p->region[i - 1] || p->sector[i] != p->sector[i - 1])
            nunit++;
    tfp_free(p->unit_start);
    p->unit_start = tfp_mallocn(nunit + 1, sizeof *p->unit_start);
    if (p->unit_start == NULL)
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    for (i = 0; i < p->n; i++)
        if (i == 0 || p->region[i] != p->region[i - 1] || p->sector[i] != p->sector[i - 1])
            p->unit_start[k++] = i;
    p->unit_start[k] = p->n;
    p->nunit = nunit;
    return TFP_OK;
}

/* ---- reading ------------------------------------------------------------ */

typedef struct reader_ctx {
    const char *path;
    tfp_csv_reader *r;
    size_t col[TFP_ROLE_COUNT]; /* header index per role, SIZE_MAX when absent */
} reader_ctx;

static int
find_header(const tfp_csv_reader *r, const char *name, size_t *idx, size_t *count)
{
    size_t j, n = tfp_csv_reader_ncol(r);
    *count = 0;
    for (j = 0; j < n; j++) {
        if (strcasecmp(tfp_csv_reader_name(r, j), name) == 0) {
            if (*count == 0)
                *idx = j;
            (*count)++;
        }
    }
    return *count > 0;
}

static int
resolve_roles(reader_ctx *c, const tfp_panel_opts *o, tfp_error *err)
{
    const tfp_csv_reader *r = c->r;
    for (int k = 0; k < TFP_ROLE_COUNT; k++) {
        size_t idx = SIZE_MAX, count = 0;
        c->col[k] = SIZE_MAX;
        if (o->map[k] != NULL) {
            if (!find_header(r, o->map[k], &idx, &count))
                return tfp_fail_at(err, TFP_EINPUT, c->path, 1, 0,
                                   "--map %s=%s: no column named \"%s\" in the header",
                                   role_names[k], o->map[k], o->map[k]);
            if (count > 1)
                return tfp_fail_at(err, TFP_EINPUT, c->path, 1, tfp_csv_reader_name_col(r, idx),
                                   "--map %s=%s: the header has %zu columns named \"%s\"",
                                   role_names[k], o->map[k], count, o->map[k]);
            c->col[k] = idx;
            continue;
        }
        for (int d = 0; role_default[k][d] != NULL; d++) {
            size_t j, cnt;
            if (!find_header(r, role_default[k][d], &j, &cnt))
                continue;
            if (c->col[k] != SIZE_MAX || cnt > 1) {
                size_t other = c->col[k] != SIZE_MAX ? c->col[k] : j;
                size_t second = j;
                if (cnt > 1 && c->col[k] == SIZE_MAX) {
                    size_t n = tfp_csv_reader_ncol(r);
                    for (second = j + 1; second < n; second++)
                        if (strcasecmp(tfp_csv_reader_name(r, second), role_default[k][d]) == 0)
                            break;
                }
                return tfp_fail_at(err, TFP_EINPUT, c->path, 1, tfp_csv_reader_name_col(r, second),
                                   "columns \"%s\" and \"%s\" both look like the %s; choose one "
                                   "with --map %s=COLUMN",
                                   tfp_csv_reader_name(r, other), tfp_csv_reader_name(r, second),
                                   role_names[k], role_names[k]);
            }
            c->col[k] = j;
        }
    }
    /* A column may serve one role only. */
    for (int a = 0; a < TFP_ROLE_COUNT; a++)
        for (int b = a + 1; b < TFP_ROLE_COUNT; b++)
            if (c->col[a] != SIZE_MAX && c->col[a] == c->col[b])
                return tfp_fail_at(err, TFP_EINPUT, c->path, 1,
                                   tfp_csv_reader_name_col(r, c->col[a]),
                                   "column \"%s\" is used both as %s and as %s",
                                   tfp_csv_reader_name(r, c->col[a]), role_names[a], role_names[b]);
    for (int k = 0; k < TFP_ROLE_COUNT; k++)
        if ((o->required & TFP_ROLE_BIT(k)) && c->col[k] == SIZE_MAX)
            return tfp_fail_at(err, TFP_EINPUT, c->path, 1, 0,
                               "no %s column (looked for %s); name it with --map %s=COLUMN",
                               role_names[k], role_default_text[k], role_names[k]);
    if (o->need_one_of != 0) {
        int found = 0;
        char names[256] = "";
        for (int k = 0; k < TFP_ROLE_COUNT; k++) {
            if (!(o->need_one_of & TFP_ROLE_BIT(k)))
                continue;
            found |= c->col[k] != SIZE_MAX;
            if (names[0] != '\0')
                strncat(names, " or ", sizeof names - strlen(names) - 1);
            strncat(names, role_names[k], sizeof names - strlen(names) - 1);
        }
        if (!found)
            return tfp_fail_at(err, TFP_EINPUT, c->path, 1, 0,
                               "no %s column; name one with --map ROLE=COLUMN", names);
    }
    return TFP_OK;
}

typedef struct sort_key {
    uint32_t region, sector;
    int year;
    size_t row;
} sort_key;

static int
cmp_key(const void *pa, const void *pb)
{
    const sort_key *a = pa, *b = pb;
    if (a->region != b->region)
        return a->region < b->region ? -1 : 1;
    if (a->sector != b->sector)
        return a->sector < b->sector ? -1 : 1;
    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    return a->row < b->row ? -1 : (a->row > b->row);
}

typedef struct name_rank {
    const char *name;
    uint32_t code;
} name_rank;

static int
cmp_name(const void *pa, const void *pb)
{
    const name_rank *a = pa, *b = pb;
    return strcmp(a->name, b->name);
}

/* Sorts a text column's levels by name: rank[code] = position; names out. */
static int
rank_levels(const tfp_column *col, uint32_t **rank, char ***names)
{
    size_t i, n = col->nlevels;
    name_rank *nr = tfp_mallocn(n == 0 ? 1 : n, sizeof *nr);
    *rank = tfp_mallocn(n == 0 ? 1 : n, sizeof **rank);
    *names = tfp_calloc(n == 0 ? 1 : n, sizeof **names);
    if (nr == NULL || *rank == NULL || *names == NULL) {
        tfp_free(nr);
        return TFP_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        nr[i].name = col->levels[i];
        nr[i].code = (uint32_t)i;
    }
    qsort(nr, n, sizeof *nr, cmp_name);
    for (i = 0; i < n; i++) {
        (*rank)[nr[i].code] = (uint32_t)i;
        (*names)[i] = tfp_strdup(nr[i].name);
        if ((*names)[i] == NULL) {
            tfp_free(nr);
            return TFP_ENOMEM;
        }
    }
    tfp_free(nr);
    return TFP_OK;
}

static int
fail_cell(const tfp_frame *f, size_t row, size_t j, tfp_error *err, const char *what, double v)
{
    char found[64];
    if (isnan(v))
        snprintf(found, sizeof found, "an empty value");
    else
        snprintf(found, sizeof found, "%.15g", v);
    return tfp_fail_at(err, TFP_EINPUT, f->path, f->line[row], tfp_frame_locate(f, row, j),
                       "column \"%s\": expected %s, found %s", f->col[j].name, what, found);
}

/* Checks every value of a numeric role against its domain. */
static int
check_values(const tfp_frame *f, const reader_ctx *c, tfp_error *err)
{
    size_t i;
    for (int k = 0; k < TFP_ROLE_COUNT; k++) {
        size_t j = c->col[k];
        const double *x;
        if (j == SIZE_MAX || !is_numeric_role(k))
            continue;
        x = f->col[j].num;
        for (i = 0; i < f->nrow; i++) {
            double v = x[i];
            if (k == TFP_ROLE_YEAR) {
                if (isnan(v))
                    return fail_cell(f, i, j, err, "a year", v);
                if (v != floor(v) || v < TFP_YEAR_MIN || v > TFP_YEAR_MAX)
                    return fail_cell(f, i, j, err, "a whole year from 1000 to 9999", v);
                continue;
            }
            if (isnan(v))
                continue;
            switch (k) {
            case TFP_ROLE_LABOUR_SHARE:
                if (!(v > 0.0 && v < 1.0))
                    return fail_cell(f, i, j, err, "a labour share between 0 and 1", v);
                break;
            case TFP_ROLE_INVESTMENT:
                if (v < 0.0)
                    return fail_cell(f, i, j, err, "a non-negative investment", v);
                break;
            default:
                if (!(v > 0.0))
                    return fail_cell(f, i, j, err, "a positive number", v);
                break;
            }
        }
    }
    return TFP_OK;
}

static int
build(tfp_panel *p, const tfp_frame *f, const reader_ctx *c, tfp_error *err)
{
    size_t i, n = f->nrow;
    uint32_t *rrank = NULL, *srank = NULL;
    sort_key *keys = NULL;
    int present[TFP_ROLE_COUNT];
    int rc = TFP_ENOMEM;
    const tfp_column *rcol =
        c->col[TFP_ROLE_REGION] != SIZE_MAX ? &f->col[c->col[TFP_ROLE_REGION]] : NULL;
    const tfp_column *scol =
        c->col[TFP_ROLE_SECTOR] != SIZE_MAX ? &f->col[c->col[TFP_ROLE_SECTOR]] : NULL;
    const double *yr = f->col[c->col[TFP_ROLE_YEAR]].num;

    for (int k = 0; k < TFP_ROLE_COUNT; k++) {
        present[k] = c->col[k] != SIZE_MAX;
        if (present[k]) {
            p->column[k] = tfp_strdup(f->col[c->col[k]].name);
            if (p->column[k] == NULL)
                goto done;
        }
    }
    if (rcol != NULL) {
        /* The count first: a partial failure leaves NULL names to free. */
        p->nregion = rcol->nlevels;
        if (rank_levels(rcol, &rrank, &p->region_names) != TFP_OK)
            goto done;
    } else {
        p->region_names = tfp_calloc(1, sizeof *p->region_names);
        if (p->region_names == NULL || (p->region_names[0] = tfp_strdup("")) == NULL)
            goto done;
        p->nregion = 1;
    }
    if (scol != NULL) {
        p->nsector = scol->nlevels;
        if (rank_levels(scol, &srank, &p->sector_names) != TFP_OK)
            goto done;
    }
    keys = tfp_mallocn(n == 0 ? 1 : n, sizeof *keys);
    if (keys == NULL || alloc_rows(p, n, present) != TFP_OK)
        goto done;
    for (i = 0; i < n; i++) {
        keys[i].region = rcol != NULL ? rrank[rcol->code[i]] : 0;
        keys[i].sector = scol != NULL ? srank[scol->code[i]] : 0;
        keys[i].year = (int)yr[i];
        keys[i].row = i;
    }
    qsort(keys, n, sizeof *keys, cmp_key);
    for (i = 0; i < n; i++) {
        size_t src = keys[i].row;
        if (i > 0 && keys[i].region == keys[i - 1].region && keys[i].sector == keys[i - 1].sector &&
            keys[i].year == keys[i - 1].year) {
            size_t first = keys[i - 1].row < src ? keys[i - 1].row : src;
            size_t dup = keys[i - 1].row < src ? src : keys[i - 1].row;
            char where[256] = "";
            if (rcol != NULL)
                snprintf(where, sizeof where, "region \"%s\", ", p->region_names[keys[i].region]);
            if (scol != NULL)
                snprintf(where + strlen(where), sizeof where - strlen(where), "sector \"%s\", ",
                         p->sector_names[keys[i].sector]);
            rc = tfp_fail_at(err, TFP_EINPUT, f->path, f->line[dup],
                             tfp_frame_locate(f, dup, c->col[TFP_ROLE_YEAR]),
                             "duplicate row for %syear %d (first at line %zu)", where, keys[i].year,
                             f->line[first]);
            goto done;
        }
        p->year[i] = keys[i].year;
        p->region[i] = keys[i].region;
        p->sector[i] = keys[i].sector;
        p->line[i] = f->line[src];
        for (int k = 0; k < TFP_ROLE_COUNT; k++)
            if (p->x[k] != NULL)
                p->x[k][i] = f->col[c->col[k]].num[src];
    }
    rc = tfp_panel_finish(p, err);
    if (rc != TFP_OK)
        goto done;
    /* Gaps are allowed; growth across them is undefined, so say where. */
    for (size_t u = 0; u < p->nunit; u++) {
        for (i = p->unit_start[u] + 1; i < p->unit_start[u + 1]; i++) {
            if (p->year[i] != p->year[i - 1] + 1) {
                const char *rn = p->region_names[p->region[i]];
                rc = tfp_warnings_add(&p->warnings,
                                      "%s%s%s: no data for %d-%d; growth across the gap is "
                                      "undefined",
                                      rn[0] ? rn : "data", p->nsector ? " / " : "",
                                      p->nsector ? p->sector_names[p->sector[i]] : "",
                                      p->year[i - 1] + 1, p->year[i] - 1);
                if (rc != TFP_OK)
                    goto done;
            }
        }
    }
    rc = TFP_OK;
done:
    if (rc == TFP_ENOMEM)
        tfp_fail(err, TFP_ENOMEM, "out of memory");
    tfp_free(rrank);
    tfp_free(srank);
    tfp_free(keys);
    return rc;
}

int
tfp_panel_read(const char *path, const tfp_panel_opts *o, tfp_panel **out, tfp_error *err)
{
    reader_ctx c;
    tfp_frame *f = NULL;
    tfp_panel *p = NULL;
    int rc;
    *out = NULL;
    c.path = path;
    c.r = tfp_csv_reader_alloc(path, &o->csv, err);
    if (c.r == NULL)
        return err != NULL && err->code != TFP_OK ? err->code : TFP_EIO;
    rc = resolve_roles(&c, o, err);
    if (rc == TFP_OK && c.col[TFP_ROLE_YEAR] == SIZE_MAX)
        rc = tfp_fail_at(err, TFP_EINPUT, path, 1, 0,
                         "no year column (looked for %s); name it with --map year=COLUMN",
                         role_default_text[TFP_ROLE_YEAR]);
    for (int k = 0; rc == TFP_OK && k < TFP_ROLE_COUNT; k++)
        if (c.col[k] != SIZE_MAX)
            rc = tfp_csv_reader_set_kind(c.r, c.col[k],
                                         is_numeric_role(k) ? TFP_COL_NUMBER : TFP_COL_TEXT);
    if (rc == TFP_OK)
        rc = tfp_csv_reader_read(c.r, &f, err);
    if (rc == TFP_OK && f->nrow == 0)
        rc = tfp_fail_at(err, TFP_EINPUT, path, 2, 0, "no data rows after the header");
    if (rc == TFP_OK)
        rc = check_values(f, &c, err);
    if (rc == TFP_OK) {
        p = tfp_calloc(1, sizeof *p);
        if (p == NULL)
            rc = tfp_fail(err, TFP_ENOMEM, "out of memory");
    }
    if (rc == TFP_OK) {
        tfp_warnings_init(&p->warnings);
        p->path = tfp_strdup(path);
        rc = p->path == NULL ? tfp_fail(err, TFP_ENOMEM, "out of memory") : build(p, f, &c, err);
    }
    tfp_frame_free(f);
    tfp_csv_reader_free(c.r);
    if (rc != TFP_OK) {
        tfp_panel_free(p);
        return rc;
    }
    *out = p;
    return TFP_OK;
}
