/*
 * report layer: the indicator tables of an estimate (DESIGN section 4
 * column sets) and of a check on reported figures, with English and
 * Vietnamese labels.
 */
#ifndef TFP_TABLES_H
#define TFP_TABLES_H

#include "tfp/book.h"
#include "tfp/bootstrap.h"
#include "tfp/check.h"
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

/* The shift-share decomposition of labour productivity, one row per region
 * (data with sectors; no rows otherwise): region,from,to,lp_base,lp_last,
 * total,within,static,dynamic,product_taxes (base year from - 1; to the last
 * year used; product_taxes empty for a region without product-tax rows). */
tfp_table *tfp_table_estimate_shiftshare(const tfp_estimate *e, unsigned flags, tfp_error *err);

/* tfp check: the target checks on reported figures, with the targets
 * table's columns (region,target,value,goal_low,goal_high,status,
 * required_growth). */
tfp_table *tfp_table_check_targets(const tfp_check *c, tfp_error *err);

/* tfp check: what each value rests on, region,target,basis,column,weights,
 * years,first,last (basis one of levels, growth_rates, mean, weighted_mean,
 * last_year, none). */
tfp_table *tfp_table_check_basis(const tfp_check *c, tfp_error *err);
/* The methods of `tfp compare` and of the report's Models section, in
 * their order: gso with b_K 0.30, 0.40, 0.50; tornqvist (for data with
 * labour shares); gso with b_K from crs, within and twoways fits. The key
 * is the method code (its label: tfp_status_label). */
typedef struct tfp_compare_method {
    const char *key;
    tfp_method method;
    double capital_share;    /* the fixed share, or the fallback of a fit */
    tfp_share_source source; /* FIXED, or the fit that estimates the share */
} tfp_compare_method;

/* The methods (static) and their number in *n. */
const tfp_compare_method *tfp_compare_methods(size_t *n);

/* The methods table without rows: method,region,capital_share,
 * capital_share_se,tfp_share,tfp_status,tfp_share_last_year,lp_growth,
 * lp_status,r_squared,n. NULL with err on failure. */
tfp_table *tfp_table_compare_alloc(tfp_error *err);

/* Appends one row per region total of e, estimated by method m (the
 * capital share used: the period mean of a_t; the fit's standard error,
 * R² and observations when the share was estimated). */
int tfp_table_compare_add(tfp_table *t,
                          const tfp_compare_method *m,
                          const tfp_estimate *e,
                          tfp_error *err);

/* What a report says about how it was made (its About sheet). Everything
 * is borrowed for the call. */
typedef struct tfp_book_info {
    tfp_lang lang;             /* language of the words inside cells (About items) */
    const char *version;       /* tfp version */
    const char *command;       /* the command line, quoted for a shell */
    const char *input_sha256;  /* hex digest of the input file; NULL when not known */
    const char *source;        /* where the data come from; NULL: the input file */
    const tfp_doc_meta *meta;  /* lines shown under the title (method, period, ...), */
    size_t nmeta;              /* with values in lang */
    const tfp_doc_meta *param; /* options that the estimate does not hold (--lang, */
    size_t nparam;             /* --delimiter ...): label_en is the option, value its value */
    /* Optional parts; NULL leaves each out. */
    const tfp_bootstrap *bootstrap;     /* of the estimate: intervals and probabilities */
    const tfp_sensitivity *sensitivity; /* of the estimate: the Sensitivity section */
    const tfp_table *models;            /* tfp_table_compare_alloc/_add: the Models section
                                           (copied) */
    const tfp_warnings *models_notes;   /* methods left out of models; may be NULL */
} tfp_book_info;

/*
 * The report of an estimate, in sections (keys in brackets):
 *   Summary [summary]        an introduction, the target checks (status
 *                            colours), the period summary, a chart per region
 *                            of labour productivity and its growth against the
 *                            target, and the notes: the estimate's warnings.
 *   Annual [annual]          the annual table (all units and years).
 *   Contributions [contributions]
 *                            region totals over the plan period (base year to
 *                            the last year with data): output growth, the
 *                            contributions of capital, labour and TFP, the TFP
 *                            share and its target band, labour productivity,
 *                            its growth and target; per region a chart of
 *                            stacked contributions and one of the TFP share
 *                            against the band.
 *   Sensitivity [sensitivity] (with info->sensitivity) the grid in words,
 *                            the grid and bands tables of tfp sensitivity,
 *                            and per region (charts as for the others) a
 *                            chart of the TFP share by capital share, one
 *                            line per depreciation rate with Harberger
 *                            initial capital (at most TFP_BOOK_SENS_LINES,
 *                            spread over the grid), against the target band.
 *   Models [models]          (with info->models) the methods table of tfp
 *                            compare and the methods left out.
 *   Data [data]              the panel as read, columns named by role.
 *   About [about]            version, command line, input file and digest,
 *                            every parameter (the bootstrap's too), column
 *                            mapping, sources.
 * With info->bootstrap the Summary's tables are those of
 * tfp_table_estimate_summary_ci and tfp_table_estimate_targets_ci, after a
 * paragraph that says so.
 * NULL with err on failure.
 */
tfp_book *tfp_book_estimate(const tfp_estimate *e, const tfp_book_info *info, tfp_error *err);
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

/* The grid of a sensitivity run in words ("capital share 0.3-0.55 by
 * 0.05; depreciation 0.03-0.1 by 0.01; initial capital harberger ..."),
 * in lang, into buf (n bytes); returns buf. */
const char *tfp_sensitivity_grid_text(const tfp_sensitivity *s, tfp_lang lang, char *buf, size_t n);

/* The note under a sensitivity grid (what does not depend on it, and why
 * the bands are exact), in lang; static. */
const char *tfp_sensitivity_note_text(tfp_lang lang);

#endif /* TFP_TABLES_H */
