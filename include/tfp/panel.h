/*
 * data layer: a columnar panel keyed by (region, sector, year), built from a
 * CSV frame through column roles (DESIGN section 2), sorted by key and
 * validated: duplicate keys, whole years, positive levels where growth
 * needs a ratio, labour shares in (0, 1). Values stay NaN where missing.
 */
#ifndef TFP_PANEL_H
#define TFP_PANEL_H

#include <stddef.h>
#include <stdint.h>

#include "tfp/error.h"
#include "tfp/io.h"
#include "tfp/strbuf.h"

typedef enum {
    TFP_ROLE_YEAR = 0,
    TFP_ROLE_REGION,
    TFP_ROLE_SECTOR,
    TFP_ROLE_OUTPUT,
    TFP_ROLE_LABOUR,
    TFP_ROLE_CAPITAL,
    TFP_ROLE_INVESTMENT,
    TFP_ROLE_LABOUR_SHARE,
    TFP_ROLE_HUMAN_CAPITAL,
    TFP_ROLE_HOURS,
    TFP_ROLE_COUNT
} tfp_role;

#define TFP_ROLE_BIT(r) (1u << (r))

/* The role's name ("labour_share"); static. */
const char *tfp_role_name(tfp_role r);
/* Looks a role up by name (ASCII case-insensitive); TFP_EINVAL if unknown. */
int tfp_role_parse(const char *name, tfp_role *r, tfp_error *err);
/* The role's default column names, comma separated ("labour, labor, ..."); static. */
const char *tfp_role_defaults(tfp_role r);

typedef struct tfp_panel_opts {
    tfp_csv_opts csv;
    const char *map[TFP_ROLE_COUNT]; /* column for a role (--map), borrowed; NULL = defaults */
    unsigned required;               /* TFP_ROLE_BIT set of roles that must be present */
    unsigned need_one_of;            /* at least one of these must be present (0 = none) */
} tfp_panel_opts;

void tfp_panel_opts_init(tfp_panel_opts *o);

typedef struct tfp_panel {
    char *path;          /* owned */
    size_t n;            /* observations, sorted by region, sector, year */
    int *year;           /* n */
    uint32_t *region;    /* n codes into region_names (sorted by name) */
    uint32_t *sector;    /* n codes into sector_names; all 0 without a sector column */
    char **region_names; /* owned; one "" when the data have no region column */
    size_t nregion;
    char **sector_names;          /* owned; NULL when no sector column */
    size_t nsector;               /* 0 when no sector column */
    double *x[TFP_ROLE_COUNT];    /* numeric roles, n values each; NULL when absent */
    char *column[TFP_ROLE_COUNT]; /* the input column used for each role; NULL when absent */
    size_t *line;                 /* n source lines (0 for derived rows) */
    size_t nunit;                 /* units: runs of equal (region, sector) */
    size_t *unit_start;           /* nunit + 1 offsets into the rows */
    tfp_warnings warnings;        /* non-fatal findings from reading */
} tfp_panel;

/*
 * Reads path into a panel (*out, free with tfp_panel_free). TFP_EINPUT with
 * file, line and column for: a --map column that does not exist or is
 * ambiguous, two roles on one column, a missing required role, two columns
 * that both match a role's default names, a header without data rows, a
 * missing or non-whole year, a duplicate (region, sector, year), a
 * non-positive output, labour, capital, hours or human capital, a negative
 * investment, a labour share outside (0, 1). Gaps in the years are allowed
 * and noted in warnings.
 */
int tfp_panel_read(const char *path, const tfp_panel_opts *o, tfp_panel **out, tfp_error *err);

/* An empty panel shaped like p (same names and roles present), with room
 * for n rows; the caller fills it and calls tfp_panel_finish. Used to build
 * derived panels (sector totals, merged regions). */
tfp_panel *tfp_panel_alloc_like(const tfp_panel *p, size_t n, int keep_sectors, tfp_error *err);
/* Recomputes the unit offsets after rows were filled in key order. */
int tfp_panel_finish(tfp_panel *p, tfp_error *err);

void tfp_panel_free(tfp_panel *p);

#endif /* TFP_PANEL_H */
