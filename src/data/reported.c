/*
 * Reported yearly indicators (data layer): column resolution, unit
 * conversion (percent to fractions), sorting by region and year, and the
 * checks of include/tfp/reported.h. Reads through the io layer; computes
 * nothing but order, units and validity.
 */
#include "tfp/reported.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/panel.h"

static const char *const ind_names[TFP_IND_COUNT] = {
    "labour_productivity", "labour_productivity_growth", "tfp_share", "output_growth"};

/* Default column names, in order of preference. The growth and share
 * names include the "_pct" forms statistics releases use (the bundled Bac
 * Giang file's among them). A level at current prices is no default: its
 * growth would include inflation. */
static const char *const ind_default[TFP_IND_COUNT][8] = {
    {"labour_productivity", "lp", "nang_suat_lao_dong", NULL},
    {"labour_productivity_growth", "labour_productivity_growth_pct", "lp_growth", NULL},
    {"tfp_share", "tfp_contribution", "tfp_contribution_pct", "tfp_share_pct", NULL},
    {"output_growth", "output_growth_pct", "grdp_growth", "grdp_growth_pct", "gdp_growth",
     "gdp_growth_pct", NULL}};

static const char *const ind_default_text[TFP_IND_COUNT] = {
    "labour_productivity, lp, nang_suat_lao_dong",
    "labour_productivity_growth, labour_productivity_growth_pct, lp_growth",
    "tfp_share, tfp_contribution, tfp_contribution_pct, tfp_share_pct",
    "output_growth, output_growth_pct, grdp_growth, grdp_growth_pct, gdp_growth, gdp_growth_pct"};

const char *
tfp_indicator_name(tfp_indicator k)
{
    return (unsigned)k < TFP_IND_COUNT ? ind_names[k] : "?";
}

const char *
tfp_indicator_defaults(tfp_indicator k)
{
    return (unsigned)k < TFP_IND_COUNT ? ind_default_text[k] : "";
}

void
tfp_reported_opts_init(tfp_reported_opts *o)
{
    memset(o, 0, sizeof *o);
    tfp_csv_opts_init(&o->csv);
}

int
tfp_reported_opts_map(tfp_reported_opts *o, const char *spec, tfp_error *err)
{
    const char *eq = strchr(spec, '=');
    const char **slot = NULL;
    size_t n;
    if (eq == NULL || eq == spec || eq[1] == '\0')
        return tfp_fail(err, TFP_EINVAL, "--map: expected NAME=COLUMN, found \"%s\"", spec);
    n = (size_t)(eq - spec);
    if (n == 4 && strncasecmp(spec, "year", 4) == 0)
        slot = &o->map_year;
    else if (n == 6 && strncasecmp(spec, "region", 6) == 0)
        slot = &o->map_region;
    for (int k = 0; slot == NULL && k < TFP_IND_COUNT; k++)
        if (strlen(ind_names[k]) == n && strncasecmp(spec, ind_names[k], n) == 0)
            slot = &o->map[k];
    if (slot == NULL)
        return tfp_fail(err, TFP_EINVAL,
                        "--map: unknown name \"%.*s\" (names: year, region, labour_productivity, "
                        "labour_productivity_growth, tfp_share, output_growth)",
                        (int)n, spec);
    if (*slot != NULL)
        return tfp_fail(err, TFP_EINVAL, "--map: \"%.*s\" is mapped twice", (int)n, spec);
    *slot = eq + 1;
    return TFP_OK;
}

void
tfp_reported_free(tfp_reported *r)
{
    if (r == NULL)
        return;
    tfp_free(r->path);
    tfp_free(r->year);
    tfp_free(r->region);
    tfp_free(r->line);
    for (size_t i = 0; r->region_names != NULL && i < r->nregion; i++)
        tfp_free(r->region_names[i]);
    tfp_free(r->region_names);
    tfp_free(r->region_start);
    for (int k = 0; k < TFP_IND_COUNT; k++) {
        tfp_free(r->x[k]);
        tfp_free(r->column[k]);
    }
    tfp_free(r);
}

/* ---- columns ------------------------------------------------------------ */

/* Is name one of the comma-and-space separated names in list? */
static int
in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    while (*list != '\0') {
        size_t len = strcspn(list, ",");
        if (len == n && strncasecmp(list, name, n) == 0)
            return 1;
        list += len;
        while (*list == ',' || *list == ' ')
            list++;
    }
    return 0;
}

static size_t
find_named(const tfp_csv_reader *r, const char *name, size_t *count)
{
    size_t j, idx = SIZE_MAX, n = tfp_csv_reader_ncol(r);
    *count = 0;
    for (j = 0; j < n; j++)
        if (strcasecmp(tfp_csv_reader_name(r, j), name) == 0 && (*count)++ == 0)
            idx = j;
    return idx;
}

/* Resolves one column: the mapped name, or the first header matching one of
 * the defaults (a list, or a NULL-terminated array). SIZE_MAX when absent. */
static int
resolve(const tfp_csv_reader *r,
        const char *path,
        const char *what,
        const char *mapped,
        const char *list,
        const char *const *names,
        size_t *col,
        tfp_error *err)
{
    size_t j, count, n = tfp_csv_reader_ncol(r);
    *col = SIZE_MAX;
    if (mapped != NULL) {
        j = find_named(r, mapped, &count);
        if (count == 0)
            return tfp_fail_at(err, TFP_EINPUT, path, 1, 0,
                               "--map %s=%s: no column named \"%s\" in the header", what, mapped,
                               mapped);
        if (count > 1)
            return tfp_fail_at(err, TFP_EINPUT, path, 1, tfp_csv_reader_name_col(r, j),
                               "--map %s=%s: the header has %zu columns named \"%s\"", what, mapped,
                               count, mapped);
        *col = j;
        return TFP_OK;
    }
    for (j = 0; j < n; j++) {
        const char *h = tfp_csv_reader_name(r, j);
        int match = 0;
        if (list != NULL)
            match = in_list(list, h);
        for (size_t d = 0; names != NULL && names[d] != NULL && !match; d++)
            match = strcasecmp(h, names[d]) == 0;
        if (!match)
            continue;
        if (*col != SIZE_MAX)
            return tfp_fail_at(err, TFP_EINPUT, path, 1, tfp_csv_reader_name_col(r, j),
                               "columns \"%s\" and \"%s\" both look like the %s; choose one with "
                               "--map %s=COLUMN",
                               tfp_csv_reader_name(r, *col), h, what, what);
        *col = j;
    }
    return TFP_OK;
}

static int
ends_with_pct(const char *s)
{
    size_t n = strlen(s);
    return n >= 4 && strcasecmp(s + n - 4, "_pct") == 0;
}

/* ---- rows --------------------------------------------------------------- */

typedef struct row_key {
    uint32_t region;
    int year;
    size_t row;
} row_key;

static int
cmp_row(const void *pa, const void *pb)
{
    const row_key *a = pa, *b = pb;
    if (a->region != b->region)
        return a->region < b->region ? -1 : 1;
    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    return a->row < b->row ? -1 : (a->row > b->row);
}

typedef struct level_rank {
    const char *name;
    uint32_t code;
} level_rank;

static int
cmp_level(const void *pa, const void *pb)
{
    return strcmp(((const level_rank *)pa)->name, ((const level_rank *)pb)->name);
}

static int
fail_value(const tfp_frame *f, size_t i, size_t j, const char *what, double v, tfp_error *err)
{
    return tfp_fail_at(err, TFP_EINPUT, f->path, f->line[i], tfp_frame_locate(f, i, j),
                       "column \"%s\": expected %s, found %.15g", f->col[j].name, what, v);
}

/* Checks the values of the numeric columns (before any unit conversion, so
 * that messages show what the file holds). */
static int
check_values(const tfp_frame *f, size_t jy, const size_t *jx, int percent, tfp_error *err)
{
    double floor_rate = percent ? -TFP_PERCENT : -1.0;
    for (size_t i = 0; i < f->nrow; i++) {
        double y = f->col[jy].num[i];
        if (isnan(y))
            return tfp_fail_at(err, TFP_EINPUT, f->path, f->line[i], tfp_frame_locate(f, i, jy),
                               "column \"%s\": expected a year, found an empty value",
                               f->col[jy].name);
        if (y != floor(y) || y < TFP_YEAR_MIN || y > TFP_YEAR_MAX)
            return fail_value(f, i, jy, "a whole year from 1000 to 9999", y, err);
        for (int k = 0; k < TFP_IND_COUNT; k++) {
            double v;
            if (jx[k] == SIZE_MAX)
                continue;
            v = f->col[jx[k]].num[i];
            if (isnan(v))
                continue;
            if (k == TFP_IND_LP && !(v > 0.0))
                return fail_value(f, i, jx[k], "a positive labour productivity", v, err);
            if ((k == TFP_IND_LP_GROWTH || k == TFP_IND_OUTPUT_GROWTH) && !(v > floor_rate))
                return fail_value(f, i, jx[k],
                                  percent ? "a growth rate above -100 (percent)"
                                          : "a growth rate above -1 (a fraction)",
                                  v, err);
        }
    }
    return TFP_OK;
}

static int
build(tfp_reported *r,
      const tfp_frame *f,
      size_t jy,
      size_t jr,
      const size_t *jx,
      const char *region_name,
      tfp_error *err)
{
    size_t i, n = f->nrow, nl = jr != SIZE_MAX ? f->col[jr].nlevels : 1, k = 0;
    uint32_t *rank = tfp_mallocn(nl, sizeof *rank);
    level_rank *lr = tfp_mallocn(nl, sizeof *lr);
    row_key *keys = tfp_mallocn(n, sizeof *keys);
    int rc = TFP_ENOMEM;
    r->n = n;
    r->year = tfp_mallocn(n, sizeof *r->year);
    r->region = tfp_mallocn(n, sizeof *r->region);
    r->line = tfp_mallocn(n, sizeof *r->line);
    r->region_names = tfp_calloc(nl, sizeof *r->region_names);
    r->region_start = tfp_mallocn(nl + 1, sizeof *r->region_start);
    if (rank == NULL || lr == NULL || keys == NULL || r->year == NULL || r->region == NULL ||
        r->line == NULL || r->region_names == NULL || r->region_start == NULL)
        goto done;
    r->nregion = nl;
    for (i = 0; i < nl; i++) {
        lr[i].name = jr != SIZE_MAX ? f->col[jr].levels[i] : region_name;
        lr[i].code = (uint32_t)i;
    }
    qsort(lr, nl, sizeof *lr, cmp_level);
    for (i = 0; i < nl; i++) {
        rank[lr[i].code] = (uint32_t)i;
        if ((r->region_names[i] = tfp_strdup(lr[i].name)) == NULL)
            goto done;
    }
    for (int x = 0; x < TFP_IND_COUNT; x++) {
        if (jx[x] == SIZE_MAX)
            continue;
        if ((r->x[x] = tfp_mallocn(n, sizeof(double))) == NULL ||
            (r->column[x] = tfp_strdup(f->col[jx[x]].name)) == NULL)
            goto done;
    }
    for (i = 0; i < n; i++) {
        keys[i].region = jr != SIZE_MAX ? rank[f->col[jr].code[i]] : 0;
        keys[i].year = (int)f->col[jy].num[i];
        keys[i].row = i;
    }
    qsort(keys, n, sizeof *keys, cmp_row);
    for (i = 0; i < n; i++) {
        size_t src = keys[i].row;
        if (i > 0 && keys[i].region == keys[i - 1].region && keys[i].year == keys[i - 1].year) {
            size_t first = keys[i - 1].row;
            char where[300] = "";
            if (jr != SIZE_MAX)
                snprintf(where, sizeof where, "region \"%s\", ", r->region_names[keys[i].region]);
            rc = tfp_fail_at(err, TFP_EINPUT, f->path, f->line[src], tfp_frame_locate(f, src, jy),
                             "duplicate row for %syear %d (first at line %zu)", where, keys[i].year,
                             f->line[first]);
            goto done;
        }
        r->year[i] = keys[i].year;
        r->region[i] = keys[i].region;
        r->line[i] = f->line[src];
        for (int x = 0; x < TFP_IND_COUNT; x++) {
            double v;
            if (r->x[x] == NULL)
                continue;
            v = f->col[jx[x]].num[src];
            /* Rates are fractions inside the library (STYLE). */
            r->x[x][i] = r->percent && x != TFP_IND_LP ? v / TFP_PERCENT : v;
        }
    }
    for (i = 0; i < n; i++)
        if (i == 0 || r->region[i] != r->region[i - 1])
            r->region_start[k++] = i;
    r->region_start[k] = n;
    rc = TFP_OK;
done:
    if (rc == TFP_ENOMEM)
        tfp_fail(err, TFP_ENOMEM, "out of memory");
    tfp_free(rank);
    tfp_free(lr);
    tfp_free(keys);
    return rc;
}

int
tfp_reported_read(const char *path, const tfp_reported_opts *o, tfp_reported **out, tfp_error *err)
{
    tfp_csv_reader *rd;
    tfp_frame *f = NULL;
    tfp_reported *r = NULL;
    size_t jy, jr, jx[TFP_IND_COUNT];
    int rc, any = 0;
    *out = NULL;
    rd = tfp_csv_reader_alloc(path, &o->csv, err);
    if (rd == NULL)
        return err != NULL && err->code != TFP_OK ? err->code : TFP_EIO;
    rc = resolve(rd, path, "year", o->map_year, tfp_role_defaults(TFP_ROLE_YEAR), NULL, &jy, err);
    if (rc == TFP_OK)
        rc = resolve(rd, path, "region", o->map_region, tfp_role_defaults(TFP_ROLE_REGION), NULL,
                     &jr, err);
    for (int k = 0; rc == TFP_OK && k < TFP_IND_COUNT; k++) {
        rc = resolve(rd, path, ind_names[k], o->map[k], NULL, ind_default[k], &jx[k], err);
        any |= rc == TFP_OK && jx[k] != SIZE_MAX;
    }
    if (rc == TFP_OK && jy == SIZE_MAX)
        rc = tfp_fail_at(err, TFP_EINPUT, path, 1, 0,
                         "no year column (looked for %s); name it with --map year=COLUMN",
                         tfp_role_defaults(TFP_ROLE_YEAR));
    if (rc == TFP_OK && jr != SIZE_MAX && o->region_name != NULL)
        rc = tfp_fail_at(err, TFP_EINPUT, path, 1, tfp_csv_reader_name_col(rd, jr),
                         "--region names the region of a file without a region column, and "
                         "column \"%s\" is one",
                         tfp_csv_reader_name(rd, jr));
    if (rc == TFP_OK && !any)
        rc = tfp_fail_at(err, TFP_EINPUT, path, 1, 0,
                         "no indicator column (labour_productivity, labour_productivity_growth, "
                         "tfp_share or output_growth); name one with --map NAME=COLUMN");
    for (int k = 0; rc == TFP_OK && k < TFP_IND_COUNT; k++) {
        /* A share written 31.5 read as a fraction would be 3150 %: refuse
         * the likely mistake rather than print nonsense. */
        if (jx[k] != SIZE_MAX && k != TFP_IND_LP && !o->percent &&
            ends_with_pct(tfp_csv_reader_name(rd, jx[k])))
            rc = tfp_fail_at(err, TFP_EINPUT, path, 1, tfp_csv_reader_name_col(rd, jx[k]),
                             "column \"%s\" is named as a percentage: add --percent if its values "
                             "are percent (12.5 for 12.5 %%)",
                             tfp_csv_reader_name(rd, jx[k]));
    }
    if (rc == TFP_OK)
        rc = tfp_csv_reader_set_kind(rd, jy, TFP_COL_NUMBER);
    if (rc == TFP_OK && jr != SIZE_MAX)
        rc = tfp_csv_reader_set_kind(rd, jr, TFP_COL_TEXT);
    for (int k = 0; rc == TFP_OK && k < TFP_IND_COUNT; k++)
        if (jx[k] != SIZE_MAX)
            rc = tfp_csv_reader_set_kind(rd, jx[k], TFP_COL_NUMBER);
    if (rc != TFP_OK && (err == NULL || err->code == TFP_OK))
        rc = tfp_fail(err, rc, "cannot set up the reader of %s", path);
    if (rc == TFP_OK)
        rc = tfp_csv_reader_read(rd, &f, err);
    if (rc == TFP_OK && f->nrow == 0)
        rc = tfp_fail_at(err, TFP_EINPUT, path, 2, 0, "no data rows after the header");
    if (rc == TFP_OK)
        rc = check_values(f, jy, jx, o->percent, err);
    if (rc == TFP_OK) {
        r = tfp_calloc(1, sizeof *r);
        if (r == NULL || (r->path = tfp_strdup(path)) == NULL)
            rc = tfp_fail(err, TFP_ENOMEM, "out of memory");
    }
    if (rc == TFP_OK) {
        r->percent = o->percent;
        rc = build(r, f, jy, jr, jx, o->region_name != NULL ? o->region_name : "", err);
    }
    tfp_frame_free(f);
    tfp_csv_reader_free(rd);
    if (rc != TFP_OK) {
        tfp_reported_free(r);
        return rc;
    }
    *out = r;
    return TFP_OK;
}
