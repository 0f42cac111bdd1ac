/*
 * Merged regions (prep layer): a mapping from former to new regions (Viet
 * Nam merged its provinces in 2025) and the panel of the new units, built by
 * the same kernel as sector totals (aggregate.c): sums of output, labour,
 * capital and investment; the labour share output-weighted; hours and
 * human capital employment-weighted. Sectors are kept.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "prep_int.h"
#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/io.h"
#include "tfp/prep.h"

/* Header names of the mapping's two columns, in order of preference. */
static const char *const old_names[] = {"old", "old_region", "region", NULL};
static const char *const new_names[] = {"new", "new_region", NULL};

void
tfp_merge_map_free(tfp_merge_map *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->n; i++) {
        tfp_free(m->old_name[i]);
        tfp_free(m->new_name[i]);
    }
    tfp_free(m->old_name);
    tfp_free(m->new_name);
    tfp_free(m->line);
    tfp_free(m->path);
    tfp_free(m);
}

static size_t
find_column(const tfp_csv_reader *r, const char *const *names)
{
    size_t n = tfp_csv_reader_ncol(r);
    for (size_t k = 0; names[k] != NULL; k++)
        for (size_t j = 0; j < n; j++)
            if (strcasecmp(tfp_csv_reader_name(r, j), names[k]) == 0)
                return j;
    return SIZE_MAX;
}

/* Row order by old name, then line: duplicates become neighbours. */
typedef struct map_key {
    const char *name;
    size_t row;
} map_key;

static int
cmp_map_key(const void *pa, const void *pb)
{
    const map_key *a = pa, *b = pb;
    int c = strcmp(a->name, b->name);
    if (c != 0)
        return c;
    return a->row < b->row ? -1 : (a->row > b->row);
}

int
tfp_merge_map_read(const char *path, const tfp_csv_opts *csv, tfp_merge_map **out, tfp_error *err)
{
    tfp_csv_reader *r;
    tfp_frame *f = NULL;
    tfp_merge_map *m = NULL;
    map_key *keys = NULL;
    size_t jo, jn, i;
    int rc;
    *out = NULL;
    r = tfp_csv_reader_alloc(path, csv, err);
    if (r == NULL)
        return err != NULL && err->code != TFP_OK ? err->code : TFP_EIO;
    jo = find_column(r, old_names);
    jn = find_column(r, new_names);
    if (jo == SIZE_MAX || jn == SIZE_MAX) {
        rc = tfp_fail_at(err, TFP_EINPUT, path, 1, 0, "merge mapping: no %s column (looked for %s)",
                         jo == SIZE_MAX ? "former region" : "new region",
                         jo == SIZE_MAX ? "old, old_region, region" : "new, new_region");
        goto done;
    }
    if ((rc = tfp_csv_reader_set_kind(r, jo, TFP_COL_TEXT)) != TFP_OK ||
        (rc = tfp_csv_reader_set_kind(r, jn, TFP_COL_TEXT)) != TFP_OK) {
        rc = tfp_fail(err, rc, "cannot read the merge mapping");
        goto done;
    }
    rc = tfp_csv_reader_read(r, &f, err);
    if (rc != TFP_OK)
        goto done;
    if (f->nrow == 0) {
        rc = tfp_fail_at(err, TFP_EINPUT, path, 2, 0, "merge mapping: no rows after the header");
        goto done;
    }
    for (i = 0; i < f->nrow; i++) {
        size_t j = f->col[jo].levels[f->col[jo].code[i]][0] == '\0'   ? jo
                   : f->col[jn].levels[f->col[jn].code[i]][0] == '\0' ? jn
                                                                      : SIZE_MAX;
        if (j != SIZE_MAX) {
            rc = tfp_fail_at(err, TFP_EINPUT, path, f->line[i], tfp_frame_locate(f, i, j),
                             "merge mapping: column \"%s\" is empty", f->col[j].name);
            goto done;
        }
    }
    /* Each former region may appear once: two targets would double it. */
    keys = tfp_mallocn(f->nrow, sizeof *keys);
    if (keys == NULL)
        goto nomem;
    for (i = 0; i < f->nrow; i++) {
        keys[i].name = f->col[jo].levels[f->col[jo].code[i]];
        keys[i].row = i;
    }
    qsort(keys, f->nrow, sizeof *keys, cmp_map_key);
    for (i = 1; i < f->nrow; i++) {
        if (strcmp(keys[i].name, keys[i - 1].name) == 0) {
            size_t row = keys[i].row;
            rc = tfp_fail_at(err, TFP_EINPUT, path, f->line[row], tfp_frame_locate(f, row, jo),
                             "merge mapping: region \"%s\" is mapped twice (first at line %zu)",
                             keys[i].name, f->line[keys[i - 1].row]);
            goto done;
        }
    }
    m = tfp_calloc(1, sizeof *m);
    if (m == NULL)
        goto nomem;
    m->path = tfp_strdup(path);
    m->old_name = tfp_calloc(f->nrow, sizeof *m->old_name);
    m->new_name = tfp_calloc(f->nrow, sizeof *m->new_name);
    m->line = tfp_mallocn(f->nrow, sizeof *m->line);
    if (m->path == NULL || m->old_name == NULL || m->new_name == NULL || m->line == NULL)
        goto nomem;
    for (i = 0; i < f->nrow; i++) {
        m->old_name[i] = tfp_strdup(f->col[jo].levels[f->col[jo].code[i]]);
        m->new_name[i] = tfp_strdup(f->col[jn].levels[f->col[jn].code[i]]);
        m->n = i + 1;
        if (m->old_name[i] == NULL || m->new_name[i] == NULL)
            goto nomem;
        m->line[i] = f->line[i];
    }
    *out = m;
    m = NULL;
    rc = TFP_OK;
    goto done;
nomem:
    rc = tfp_fail(err, TFP_ENOMEM, "out of memory");
done:
    tfp_free(keys);
    tfp_merge_map_free(m);
    tfp_frame_free(f);
    tfp_csv_reader_free(r);
    return rc;
}

static int
cmp_str(const void *pa, const void *pb)
{
    return strcmp(*(char *const *)pa, *(char *const *)pb);
}

/* Position of name in the sorted array names[0..n), or SIZE_MAX. */
static size_t
find_name(char *const *names, size_t n, const char *name)
{
    char *const *hit = bsearch(&name, names, n, sizeof *names, cmp_str);
    return hit != NULL ? (size_t)(hit - names) : SIZE_MAX;
}

typedef struct merge_ws {
    size_t *target;     /* nregion of p: index into m of each former region */
    char **new_sorted;  /* distinct new names, sorted (borrowed from m) */
    uint32_t *new_code; /* m->n: code of each pair's new name */
    uint32_t *key_group;
    uint32_t *unit_group, *group_region, *group_sector;
} merge_ws;

static void
merge_ws_free(merge_ws *w)
{
    tfp_free(w->target);
    tfp_free(w->new_sorted);
    tfp_free(w->new_code);
    tfp_free(w->key_group);
    tfp_free(w->unit_group);
    tfp_free(w->group_region);
    tfp_free(w->group_sector);
}

/* The first data line of region r (rows are sorted by region, then sector,
 * so the smallest line of its rows). */
static size_t
first_line(const tfp_panel *p, uint32_t r)
{
    size_t best = 0;
    for (size_t i = 0; i < p->n; i++)
        if (p->region[i] == r && p->line[i] > 0 && (best == 0 || p->line[i] < best))
            best = p->line[i];
    return best;
}

int
tfp_prep_merge(const tfp_panel *p, const tfp_merge_map *m, tfp_panel **out, tfp_error *err)
{
    merge_ws w;
    tfp_prep_groups g;
    tfp_panel *q = NULL;
    tfp_warnings warn;
    size_t nnew = 0, S = p->nsector > 0 ? p->nsector : 1, nkey, ng = 0, i, missing = 0;
    uint32_t first_missing = UINT32_MAX;
    int rc = TFP_ENOMEM;
    *out = NULL;
    memset(&w, 0, sizeof w);
    tfp_warnings_init(&warn);
    if (p->column[TFP_ROLE_REGION] == NULL)
        return tfp_fail_at(err, TFP_EINPUT, p->path, 1, 0,
                           "--merge needs a region column in the data");
    w.target = tfp_mallocn(p->nregion, sizeof *w.target);
    w.new_sorted = tfp_mallocn(m->n == 0 ? 1 : m->n, sizeof *w.new_sorted);
    w.new_code = tfp_mallocn(m->n == 0 ? 1 : m->n, sizeof *w.new_code);
    if (w.target == NULL || w.new_sorted == NULL || w.new_code == NULL)
        goto done;
    for (i = 0; i < p->nregion; i++)
        w.target[i] = SIZE_MAX;
    /* Pairs: which former region goes where; pairs naming no region of the
     * data are noted and left out. */
    rc = tfp_warnings_extend(&warn, &p->warnings);
    for (i = 0; i < m->n && rc == TFP_OK; i++) {
        size_t r = find_name(p->region_names, p->nregion, m->old_name[i]);
        if (r != SIZE_MAX)
            w.target[r] = i;
        else
            rc = tfp_warnings_add(&warn, "%s:%zu: region \"%s\" is not in the data; line ignored",
                                  m->path, m->line[i], m->old_name[i]);
    }
    if (rc != TFP_OK)
        goto done;
    for (i = 0; i < p->nregion; i++) {
        if (w.target[i] == SIZE_MAX && missing++ == 0)
            first_missing = (uint32_t)i;
    }
    if (missing > 0) {
        rc = tfp_fail_at(err, TFP_EINPUT, p->path, first_line(p, first_missing), 0,
                         "region \"%s\" is not in the merge mapping %s (add a line \"%s,NEW\", "
                         "or \"%s,%s\" to keep it)%s",
                         p->region_names[first_missing], m->path, p->region_names[first_missing],
                         p->region_names[first_missing], p->region_names[first_missing],
                         missing > 1 ? "; other regions are missing too" : "");
        goto done;
    }
    /* The new regions, sorted by name: the merged panel's region codes. */
    for (i = 0; i < m->n; i++)
        w.new_sorted[i] = m->new_name[i];
    qsort(w.new_sorted, m->n, sizeof *w.new_sorted, cmp_str);
    for (i = 0; i < m->n; i++)
        if (nnew == 0 || strcmp(w.new_sorted[i], w.new_sorted[nnew - 1]) != 0)
            w.new_sorted[nnew++] = w.new_sorted[i];
    for (i = 0; i < m->n; i++)
        w.new_code[i] = (uint32_t)find_name(w.new_sorted, nnew, m->new_name[i]);
    /* Groups: (new region, sector) pairs that occur, in key order. */
    if (nnew > SIZE_MAX / S) {
        rc = TFP_ENOMEM;
        goto done;
    }
    nkey = nnew * S;
    w.key_group = tfp_mallocn(nkey, sizeof *w.key_group);
    w.unit_group = tfp_mallocn(p->nunit == 0 ? 1 : p->nunit, sizeof *w.unit_group);
    w.group_region = tfp_mallocn(p->nunit == 0 ? 1 : p->nunit, sizeof *w.group_region);
    w.group_sector = tfp_mallocn(p->nunit == 0 ? 1 : p->nunit, sizeof *w.group_sector);
    if (w.key_group == NULL || w.unit_group == NULL || w.group_region == NULL ||
        w.group_sector == NULL) {
        rc = TFP_ENOMEM;
        goto done;
    }
    for (i = 0; i < nkey; i++)
        w.key_group[i] = UINT32_MAX;
    for (size_t u = 0; u < p->nunit; u++) {
        size_t s = p->unit_start[u];
        w.key_group[(size_t)w.new_code[w.target[p->region[s]]] * S + p->sector[s]] = 0;
    }
    for (i = 0; i < nkey; i++) {
        if (w.key_group[i] == UINT32_MAX)
            continue;
        w.group_region[ng] = (uint32_t)(i / S);
        w.group_sector[ng] = (uint32_t)(i % S);
        w.key_group[i] = (uint32_t)ng++;
    }
    for (size_t u = 0; u < p->nunit; u++) {
        size_t s = p->unit_start[u];
        w.unit_group[u] =
            w.key_group[(size_t)w.new_code[w.target[p->region[s]]] * S + p->sector[s]];
    }
    memset(&g, 0, sizeof g);
    g.ngroup = ng;
    g.unit_group = w.unit_group;
    g.group_region = w.group_region;
    g.group_sector = w.group_sector;
    g.region_names = w.new_sorted;
    g.nregion = nnew;
    g.keep_sectors = 1;
    g.member_word = "former regions";
    g.total_word = "the merged value";
    rc = tfp_prep_combine(p, &g, &q, err);
    if (rc != TFP_OK)
        goto done;
    /* The merged panel's warnings: the input's, the mapping's, then the
     * kernel's own. */
    rc = tfp_warnings_extend(&warn, &q->warnings);
    if (rc == TFP_OK) {
        tfp_warnings tmp = q->warnings;
        q->warnings = warn;
        warn = tmp;
    }
done:
    if (rc == TFP_ENOMEM)
        tfp_fail(err, TFP_ENOMEM, "out of memory");
    tfp_warnings_fini(&warn);
    merge_ws_free(&w);
    if (rc != TFP_OK) {
        tfp_panel_free(q);
        return rc;
    }
    *out = q;
    return TFP_OK;
}
