/*
 * report layer: the indicator tables of an estimate (DESIGN section 4
 * column sets), with English and Vietnamese labels.
 */
#ifndef TFP_TABLES_H
#define TFP_TABLES_H

#include "tfp/bootstrap.h"
#include "tfp/error.h"
#include "tfp/estimate.h"
#include "tfp/report.h"
#include "tfp/sensitivity.h"

enum {
    TFP_TABLE_PERIOD_ONLY = 1u, /* annual rows from the base year to the period's end only */
    TFP_TABLE_COMPACT = 2u      /* terminal view: no levels but labour productivity, no
                                   constant columns, no empty sector column */
};

/* The annual table: region,sector,year,output,labour,capital,
 * labour_productivity,output_growth,labour_growth,capital_growth,
 * capital_share,capital_contribution,labour_contribution,tfp_growth,
 * tfp_share,labour_productivity_growth. NULL with err on failure. */
tfp_table *tfp_table_estimate_annual(const tfp_estimate *e, unsigned flags, tfp_error *err);

/* The period summary: region,sector,from,to,years,output_growth,
 * labour_growth,capital_growth,capital_share,tfp_growth,
 * capital_contribution_share,labour_contribution_share,tfp_share,
 * tfp_share_last_year,labour_productivity_growth. */
tfp_table *tfp_table_estimate_summary(const tfp_estimate *e, unsigned flags, tfp_error *err);

/* The target checks, region totals only: region,target,value,goal_low,
 * goal_high,status,required_growth. */
tfp_table *tfp_table_estimate_targets(const tfp_estimate *e, unsigned flags, tfp_error *err);

/* The summary with bootstrap intervals (b may be NULL: the plain summary):
 * after each period figure (output_growth .. labour_productivity_growth)
 * its <column>_lo and <column>_hi, from b->unit[u].lo/hi. The compact view
 * keeps the intervals of output growth, TFP growth, the TFP shares (the last
 * year's only when the capital share is drawn) and LP growth. */
tfp_table *tfp_table_estimate_summary_ci(const tfp_estimate *e,
                                         const tfp_bootstrap *b,
                                         unsigned flags,
                                         tfp_error *err);

/* The targets with a probability column after status (b may be NULL): the
 * share of bootstrap replicates meeting each target, b->unit[u].prob. */
tfp_table *tfp_table_estimate_targets_ci(const tfp_estimate *e,
                                         const tfp_bootstrap *b,
                                         unsigned flags,
                                         tfp_error *err);

/* A sensitivity grid: region,capital_share,delta,k0_method,tfp_share,
 * tfp_status, one row per cell (region, delta, K_0 method, capital share).
 * The compact view leaves out delta and k0_method when capital is a column,
 * and capital_share when the shares come from the data. */
tfp_table *tfp_table_sensitivity_grid(const tfp_sensitivity *s, unsigned flags, tfp_error *err);

/* The bands: region,delta,k0_method,status,capital_share_from,
 * capital_share_to, one row per region, (delta, K_0) point and status. */
tfp_table *tfp_table_sensitivity_bands(const tfp_sensitivity *s, unsigned flags, tfp_error *err);

#endif /* TFP_TABLES_H */
