/*
 * prep layer, private: the one aggregation kernel behind sector totals
 * (src/prep/aggregate.c) and merged regions (src/prep/merge.c), so that both
 * sum and weight alike. Nothing here leaves src/prep.
 */
#ifndef TFP_PREP_INT_H
#define TFP_PREP_INT_H

#include <stddef.h>
#include <stdint.h>

#include "tfp/error.h"
#include "tfp/panel.h"

/*
 * How the units of a panel p combine into groups. Every unit (run of equal
 * region and sector) belongs to one group and is one of its members; the
 * groups are numbered in the key order of the rows they produce (region
 * code, then sector code, both into the output's names).
 */
typedef struct tfp_prep_groups {
    size_t ngroup;
    const uint32_t *unit_group;   /* p->nunit: the group of each unit, borrowed */
    const uint32_t *group_region; /* ngroup: region code of the group's rows, borrowed */
    const uint32_t *group_sector; /* ngroup: sector code (0 without sectors), borrowed */
    char *const *region_names;    /* the output's region names (copied); NULL: p's */
    size_t nregion;
    int keep_sectors;        /* the output keeps p's sector column and names */
    const char *member_word; /* for warnings: "sectors", "former regions" */
    const char *total_word;  /* for warnings: "the region total", "the merged value" */
} tfp_prep_groups;

/*
 * Combines p's rows by group and year into a new panel (*out, owned): one
 * row per group and year from the group's first to its last year. Output,
 * labour, capital and investment are sums; the labour share is the
 * output-weighted mean, hours and human capital the employment-weighted
 * means (unweighted when the weight column is absent). A NaN anywhere in a
 * sum or a weighted mean makes the result NaN. A year in which only some of
 * a group's members have a row gets NaN throughout and a warning in
 * (*out)->warnings; a year in which none has a row is kept as a gap (all
 * NaN, no warning). Rows of the output have line 0.
 */
int tfp_prep_combine(const tfp_panel *p, const tfp_prep_groups *g, tfp_panel **out, tfp_error *err);

/* The display name of a panel's unit at row i: "region", "region / sector",
 * or "data" for an unnamed region; written to buf (n bytes). */
const char *tfp_prep_unit_name(const tfp_panel *p, size_t i, char *buf, size_t n);

#endif /* TFP_PREP_INT_H */
