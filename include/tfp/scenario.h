/*
 * analysis layer: scenarios and the reverse solve. A scenario file states
 * growth paths (output, TFP, labour, capital or investment, capital share)
 * by scenario, region and year; each region's data are extended from the
 * last observed year to a horizon along those paths, and the extended
 * series goes through the estimate's own growth accounting, period summary
 * and target checks (tfp_growth_fit, tfp_growth_summarize,
 * tfp_targets_check), so projected statuses and TFP shares come from the
 * same code as observed ones. The reverse solve finds the smallest constant
 * TFP growth (or output growth) over the years after the data that meets
 * both period targets.
 * References: DESIGN sections 3 and 4; OECD (2001), Measuring Productivity,
 * ch. 3 (g_Y = g_A + a g_K + (1 - a) g_L); OECD (2009), Measuring Capital,
 * ch. 6 (perpetual inventory); Brent (1973), Algorithms for Minimization
 * without Derivatives, ch. 4 (the root finder, GSL's gsl_root_fsolver_brent).
 */
#ifndef TFP_SCENARIO_H
#define TFP_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "tfp/error.h"
#include "tfp/estimate.h"
#include "tfp/growth.h"
#include "tfp/io.h"
#include "tfp/strbuf.h"
#include "tfp/targets.h"

/* The value columns of a scenario file. Growth rates are fractions in the
 * estimate's growth form (simple for gso, log for tornqvist). */
enum {
    TFP_SCEN_OUTPUT_GROWTH = 0, /* output growth */
    TFP_SCEN_TFP_GROWTH,        /* TFP growth; output by growth accounting (an extension) */
    TFP_SCEN_LABOUR_GROWTH,     /* growth of employment (and of the labour input) */
    TFP_SCEN_CAPITAL_GROWTH,    /* growth of the capital stock */
    TFP_SCEN_INVESTMENT,        /* real investment: capital by perpetual inventory */
    TFP_SCEN_CAPITAL_SHARE,     /* capital share a in (0, 1) */
    TFP_SCEN_NVAR
};

/* The column name of a scenario variable ("output_growth"); static. */
const char *tfp_scenario_var_name(int v);

typedef struct tfp_scenario_row {
    uint32_t scenario;       /* index into the set's scenario names */
    const char *region;      /* borrowed from the set; "" = every region */
    int year;                /* the year the values are for */
    double v[TFP_SCEN_NVAR]; /* NaN = not stated */
    size_t src;              /* row of the frame (for error positions) */
} tfp_scenario_row;

typedef struct tfp_scenario_set {
    tfp_frame *frame;              /* owned: the file as read, for error positions */
    size_t col_region;             /* frame column of region; SIZE_MAX when absent */
    size_t col_year;               /* frame column of year */
    size_t col_var[TFP_SCEN_NVAR]; /* frame column of each variable; SIZE_MAX when absent */
    size_t nscenario;              /* scenario names, in order of first appearance */
    const char *const *scenario;   /* borrowed from the frame */
    size_t nrow;                   /* rows, sorted by scenario, region ("" first), year */
    tfp_scenario_row *row;         /* owned */
} tfp_scenario_set;

/*
 * Reads a scenario file (*out, free with tfp_scenario_set_free). Columns,
 * case-insensitive: scenario and year (required), region (optional: absent
 * or empty = every region), and at least one of output_growth, tfp_growth,
 * labour_growth, capital_growth, investment, capital_share; a column "note"
 * holds free text and is not read. csv may be NULL (defaults). TFP_EINPUT with file, line and
 * column for: an unknown or repeated column, a missing required one, no value column, no data rows,
 * an empty scenario name, a year that is not whole in 1000-9999, a growth
 * rate outside (-1, 1) (rates are fractions: 0.075, not 7.5), a negative
 * investment, a capital share outside (0, 1), a row stating both
 * output_growth and tfp_growth or both capital_growth and investment, and a
 * repeated (scenario, region, year). TFP_EIO when the file cannot be read.
 */
int tfp_scenario_set_read(const char *path,
                          const tfp_csv_opts *csv,
                          tfp_scenario_set **out,
                          tfp_error *err);
void tfp_scenario_set_free(tfp_scenario_set *s);

/* One region under one scenario: the observed series up to the last year
 * with complete data, extended by projected years. */
typedef struct tfp_scenario_unit {
    const char *scenario;   /* borrowed from the set */
    const char *region;     /* borrowed from the estimate */
    int last_data;          /* last year with complete data; later years are projected */
    int trend_from;         /* the years whose averages stand in for unstated paths */
    tfp_growth_opts growth; /* as used (under gso, the scenario's capital share) */
    double trend_g_L, trend_g_K, trend_g_A; /* those averages (the method's growth form) */
    tfp_growth_series in;                   /* owned arrays: year, Y, L, K, P (s_L for tornqvist) */
    tfp_growth_result *g;                   /* owned */
    tfp_growth_summary s;
    tfp_target_check t[TFP_TARGET_COUNT];
} tfp_scenario_unit;

typedef struct tfp_scenario_result {
    int from, to; /* the plan period (the estimate's) */
    int horizon;  /* the last projected year */
    size_t nunit;
    tfp_scenario_unit *unit; /* by scenario (file order), then region (the estimate's order) */
    tfp_warnings warnings;   /* the data's warnings, then the scenarios' */
} tfp_scenario_result;

/*
 * Projects every region total of e under every scenario of set that covers
 * it (rows for the region or for every region), to horizon (0 = the plan's
 * `to`), and summarises and checks each against e's period and targets.
 * For each projected year, from the scenario's statement for that year (the
 * region's own row before the every-region row, class by class), else the
 * previous year's (carried forward), else the region's average over its last
 * TFP_SCENARIO_TREND_YEARS years of data (with a warning):
 *   labour   L_t = L_{t-1} (1 + g_L) (simple) or exp(g_L) (log); employment
 *            likewise (hours and human capital held);
 *   capital  K_t = K_{t-1} (1 + g_K), or K_t = (1 - delta) K_{t-1} + I_t;
 *   output   Y_t = Y_{t-1} (1 + g_Y) with g_Y stated, or by growth
 *            accounting g_Y = g_A + a g_K + (1 - a) g_L with g_A stated (or
 *            the average);
 *   share    under gso one constant (replacing --capital-share); under
 *            tornqvist the labour share of a projected year is 1 - a.
 * TFP_EINPUT (with the scenario file's position) for a row naming a region
 * that is not in the data, or (gso) capital shares that differ within a
 * scenario and region; TFP_ENUMERIC when a needed average is undefined
 * (too few years) or a projected level is not positive.
 */
int tfp_scenario_run(const tfp_estimate *e,
                     const tfp_scenario_set *set,
                     int horizon,
                     tfp_scenario_result **out,
                     tfp_error *err);
void tfp_scenario_result_free(tfp_scenario_result *r);

typedef enum { TFP_SOLVE_TFP = 0, TFP_SOLVE_OUTPUT } tfp_solve_for;

typedef struct tfp_solve_row {
    const char *scenario, *region; /* borrowed */
    int last_data;                 /* last year with data */
    double required;     /* smallest constant growth meeting both targets; NaN when the data
                            cover the period, or when a target cannot be reached */
    double required_lp;  /* the labour-productivity goal's own requirement (-inf: met anyway) */
    double required_tfp; /* the TFP-share lower bound's own requirement */
    const char *binding; /* static: "lp_growth" or "tfp_share" (the larger); NULL with NaN */
} tfp_solve_row;

typedef struct tfp_solve_result {
    tfp_solve_for what;
    int from, to;
    size_t n;
    tfp_solve_row *row; /* by scenario, then region */
    tfp_warnings warnings;
} tfp_solve_result;

/*
 * The reverse solve. For each scenario and region whose data end before the
 * plan's `to`: the smallest x such that, with TFP growth g_A = x (what =
 * TFP_SOLVE_TFP; output by growth accounting) or output growth g_Y = x
 * (TFP_SOLVE_OUTPUT) in every year after the data up to `to`, and the
 * scenario's labour and capital paths (as in tfp_scenario_run; its output
 * and TFP statements are ignored):
 *   (1) the labour-productivity growth from the base year, (LP_to /
 *       LP_base)^(1/n) - 1, reaches the lp goal, and
 *   (2) the period TFP share reaches the low end of the band, with output
 *       growing over the period.
 * Both figures come from tfp_growth_summarize on the extended series. Output
 * at `to` rises strictly with x while labour and capital do not depend on
 * it, so (1) holds above one threshold; writing the period TFP share as 1 -
 * c / G, with G the period output growth and c the (fixed) average input
 * contribution, (2) holds exactly when G >= c / (1 - low) (c > 0), or G > 0
 * (c <= 0, where every positive G gives a share of at least 1: the
 * requirement is then the infimum G = 0). Each threshold is found by Brent's
 * method to TFP_SOLVE_XTOL; `binding` names the larger.
 */
int tfp_scenario_solve(const tfp_estimate *e,
                       const tfp_scenario_set *set,
                       tfp_solve_for what,
                       tfp_solve_result **out,
                       tfp_error *err);
void tfp_solve_result_free(tfp_solve_result *r);

#endif /* TFP_SCENARIO_H */
