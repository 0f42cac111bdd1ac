/*
 * prep layer: derived inputs. Capital stock by the perpetual inventory
 * method (Harberger start), sector totals, the labour input (persons, hours
 * or quality-adjusted), a check that a capital column behaves as a stock,
 * product-tax rows, and merged regions.
 * References: OECD (2009), Measuring Capital, ch. 6 (PIM); Harberger (1978),
 * "Perspectives on capital and technology in less developed countries".
 */
#ifndef TFP_PREP_H
#define TFP_PREP_H

#include <stddef.h>
#include <stdint.h>

#include "tfp/error.h"
#include "tfp/io.h"
#include "tfp/panel.h"

/*
 * K_t = (1 - delta) K_{t-1} + I_t for the n consecutive years of I, with
 * K_0 = k0 when k0 is finite, else the Harberger start K_0 = I_0 / (g_I +
 * delta), g_I the compound growth of investment over its first
 * min(TFP_HARBERGER_YEARS, n - 1) years (0 for a single year). A missing
 * investment or a gap in years leaves K missing from there on (*broken set
 * to that index, else n). TFP_ENUMERIC when g_I + delta <= 0.
 */
int tfp_pim_series(const int *year,
                   const double *I,
                   size_t n,
                   double delta,
                   double k0,
                   double *K,
                   size_t *broken,
                   tfp_error *err);

/* Fills the capital role of p from its investment by tfp_pim_series, unit by
 * unit, when p has investment and no capital. Notes breaks in p->warnings. */
int tfp_prep_pim(tfp_panel *p, double delta, double k0, tfp_error *err);

/* Adds a warning to p for each unit whose capital falls faster than
 * depreciation allows (K_t < (1 - delta) K_{t-1}): a stock with
 * non-negative investment cannot, a flow (investment) can. */
int tfp_prep_check_capital(tfp_panel *p, double delta, tfp_error *err);

/* Region totals of a panel with sectors (*out, owned): sums of output,
 * labour, capital and investment; the labour share output-weighted; hours
 * and human capital labour-weighted. A year where one of the region's
 * sectors is missing, or a summed value is, gets NaN and a warning. */
int tfp_prep_sector_totals(const tfp_panel *p, tfp_panel **out, tfp_error *err);

/*
 * Product taxes less subsidies: provincial GRDP includes them, sector value
 * added does not, so statistics tables carry them as one more "sector" with
 * output and no labour or capital. tfp_prep_tax_sector finds the sector
 * named name (ASCII case-insensitive) in p: 1 and *code, or 0 and
 * *code = UINT32_MAX when there is none (also when p has no sectors or
 * name is NULL).
 */
int tfp_prep_tax_sector(const tfp_panel *p, const char *name, uint32_t *code);

/*
 * Moves the rows of the product-tax sector named name out of p into a new
 * panel (*taxes, owned; NULL when p has no such sector), so that growth
 * accounting, the perpetual inventory and sector units see production
 * sectors only. TFP_EINPUT with the line when a tax row has a value in an
 * input column (labour, capital, investment, labour share, hours, human
 * capital), or when every row is a tax row.
 */
int tfp_prep_split_taxes(tfp_panel *p, const char *name, tfp_panel **taxes, tfp_error *err);

/*
 * Adds the product taxes (from tfp_prep_split_taxes) to the output of the
 * region totals (from tfp_prep_sector_totals on the remaining sectors). A
 * region with tax rows whose total has no tax row in some year gets an
 * undefined output that year, with a warning in totals->warnings, as for a
 * missing sector. taxes may be NULL (nothing to do).
 */
int tfp_prep_add_taxes(tfp_panel *totals, const tfp_panel *taxes, tfp_error *err);

/*
 * Merged regions. A mapping from former regions to new ones, read from a
 * CSV whose header names the former region "old", "old_region" or "region"
 * and the new one "new" or "new_region" (ASCII case-insensitive; other
 * columns are ignored). TFP_EINPUT with line and column for a missing
 * column, an empty name, or a former region mapped twice.
 */
typedef struct tfp_merge_map {
    char *path;      /* owned: the file as given */
    size_t n;        /* pairs */
    char **old_name; /* n former regions, owned */
    char **new_name; /* n new regions, owned */
    size_t *line;    /* n lines of the mapping file */
} tfp_merge_map;

int
tfp_merge_map_read(const char *path, const tfp_csv_opts *csv, tfp_merge_map **out, tfp_error *err);
void tfp_merge_map_free(tfp_merge_map *m);

/*
 * The panel of the new regions (*out, owned), sectors kept: for each new
 * region, sector and year, output, labour, capital and investment are the
 * sums over its former regions, the labour share their output-weighted mean,
 * hours and human capital their employment-weighted means (the kernel of
 * tfp_prep_sector_totals). A year in which only some of the former regions
 * have a row is undefined (NaN) with a warning. TFP_EINPUT when the data
 * have no region column, or when a region of the data is not in the mapping
 * (the message names it, at the data line where it first appears). A pair
 * naming a region the data do not have gets a warning. The output's
 * warnings are p's, then the mapping's, then the merge's own.
 */
int tfp_prep_merge(const tfp_panel *p, const tfp_merge_map *m, tfp_panel **out, tfp_error *err);

typedef enum {
    TFP_LABOUR_DEFAULT = 0, /* persons for gso, quality for tornqvist */
    TFP_LABOUR_PERSONS,
    TFP_LABOUR_HOURS,
    TFP_LABOUR_QUALITY
} tfp_labour_input;

/* Parses persons|hours|quality; TFP_EINVAL otherwise. */
int tfp_labour_input_parse(const char *s, tfp_labour_input *mode, tfp_error *err);

/*
 * Writes the labour input of each of p's rows to L (n values): employment,
 * times hours (HOURS, QUALITY), times human capital (QUALITY), for whichever
 * of those columns p has. *desc (static) names what was used, such as
 * "employment x hours x human capital".
 */
void tfp_prep_labour_input(const tfp_panel *p, tfp_labour_input mode, double *L, const char **desc);

#endif /* TFP_PREP_H */
