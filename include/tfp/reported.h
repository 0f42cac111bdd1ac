/*
 * data layer: reported yearly indicators, the published figures most
 * offices have instead of the inputs: labour productivity (a level at
 * constant prices), its growth, the TFP share of output growth and output
 * growth, by year and optionally by region. Read from a CSV through column
 * names (defaults or a map), sorted by region and year, validated; rates
 * are stored as fractions whatever the file's unit.
 */
#ifndef TFP_REPORTED_H
#define TFP_REPORTED_H

#include <stddef.h>
#include <stdint.h>

#include "tfp/error.h"
#include "tfp/io.h"
#include "tfp/strbuf.h"

typedef enum {
    TFP_IND_LP = 0,        /* labour_productivity: output per person, constant prices */
    TFP_IND_LP_GROWTH,     /* labour_productivity_growth: yearly growth rate */
    TFP_IND_TFP_SHARE,     /* tfp_share: TFP share of output growth in the year */
    TFP_IND_OUTPUT_GROWTH, /* output_growth: yearly growth of output (GRDP) */
    TFP_IND_COUNT
} tfp_indicator;

/* The indicator's name ("tfp_share"); static. */
const char *tfp_indicator_name(tfp_indicator k);
/* Its default column names, comma separated ("tfp_share, tfp_contribution,
 * ..."); static. */
const char *tfp_indicator_defaults(tfp_indicator k);

typedef struct tfp_reported_opts {
    tfp_csv_opts csv;
    const char *map_year;           /* year column (borrowed); NULL: year, nam */
    const char *map_region;         /* region column; NULL: the panel's region defaults */
    const char *map[TFP_IND_COUNT]; /* column per indicator; NULL: defaults */
    int percent;                    /* rates are written in percent (12.5 = 12.5 %) */
    const char *region_name;        /* the region of a file without a region column
                                       (borrowed); NULL: "" */
} tfp_reported_opts;

void tfp_reported_opts_init(tfp_reported_opts *o);

/*
 * Applies one "NAME=COLUMN" (--map) to o: NAME an indicator, year or region;
 * COLUMN borrowed from spec. TFP_EINVAL for an unknown name, a missing
 * "=", or a name mapped twice.
 */
int tfp_reported_opts_map(tfp_reported_opts *o, const char *spec, tfp_error *err);

typedef struct tfp_reported {
    char *path;                  /* owned */
    size_t n;                    /* rows, sorted by region, then year */
    int *year;                   /* n */
    uint32_t *region;            /* n codes into region_names (sorted by name) */
    size_t *line;                /* n source lines */
    char **region_names;         /* owned; one "" when the file has no region column */
    size_t nregion;              /* every region has at least one row */
    size_t *region_start;        /* nregion + 1 offsets into the rows */
    double *x[TFP_IND_COUNT];    /* n values each (rates as fractions); NULL when absent */
    char *column[TFP_IND_COUNT]; /* the input column of each indicator; NULL when absent */
    int percent;                 /* the file's rates were in percent */
} tfp_reported;

/*
 * Reads path into *out (free with tfp_reported_free). Rates (everything but
 * labour_productivity) are divided by 100 when o->percent is set. TFP_EINPUT
 * with file, line and column for: a --map column that does not exist, two
 * columns that both match an indicator's default names, no year column, no
 * indicator column at all, a rate column named like a percentage (ending
 * in "_pct") without o->percent, a missing or non-whole year, a duplicate
 * (region, year), a non-positive labour productivity, a growth rate at or
 * below -100 %, or o->region_name set for a file that has a region column.
 * Columns no indicator uses are ignored.
 */
int
tfp_reported_read(const char *path, const tfp_reported_opts *o, tfp_reported **out, tfp_error *err);

void tfp_reported_free(tfp_reported *r);

#endif /* TFP_REPORTED_H */
