/*
 * tfp configuration: version, limits and numerical tolerances in one place
 * (as luaconf.h does for Lua). Every tolerance is named here, scaled by
 * DBL_EPSILON where it is a relative one, so no module hides a magic number.
 */
#ifndef TFP_CONFIG_H
#define TFP_CONFIG_H

#include <float.h>
#include <math.h>

#define TFP_VERSION       "0.1.0"
#define TFP_VERSION_MAJOR 0
#define TFP_VERSION_MINOR 1
#define TFP_VERSION_PATCH 0

/* Default plan period and targets: Bac Giang's 2021-2025 socio-economic plan
 * (labour productivity +12.5 % a year on average; TFP share of growth 30-35 %). */
#define TFP_DEFAULT_FROM          2021
#define TFP_DEFAULT_TO            2025
#define TFP_DEFAULT_TARGET_LP     0.125
#define TFP_DEFAULT_TARGET_TFP_LO 0.30
#define TFP_DEFAULT_TARGET_TFP_HI 0.35
/* Without the default period in the data: the last this many years. */
#define TFP_DEFAULT_PERIOD_YEARS 5

/* Growth accounting defaults (DESIGN section 3). */
#define TFP_DEFAULT_CAPITAL_SHARE 0.4
#define TFP_DEFAULT_DELTA         0.05
/* Harberger initial capital: average investment growth over at most this
 * many first growth rates. */
#define TFP_HARBERGER_YEARS 5

/* Years accepted in input data. */
#define TFP_YEAR_MIN 1000
#define TFP_YEAR_MAX 9999

/* Input limits: generous defaults that stop hostile input before memory runs out. */
#define TFP_DEFAULT_MAX_ROWS        100000000u
#define TFP_DEFAULT_MAX_FIELD_BYTES (1u << 20)
#define TFP_MAX_COLUMNS             65536u

/* Relative tolerance under which an output growth is treated as zero when it
 * is the denominator of a share: shares of a zero growth are undefined. */
#define TFP_SHARE_DENOM_EPS (64.0 * DBL_EPSILON)

/* A quiet NaN as a double (NAN is a float constant: -Wdouble-promotion). */
#define TFP_NAN ((double)NAN)

/* Number of significant digits in CSV and JSON output (round-trip exact). */
#define TFP_DEFAULT_DIGITS 17

/* Report books (tfp report: src/report/book.c and its renderers). HTML and
 * Markdown show at most this many rows of a table (the workbook has all);
 * a sheet holds at most TFP_XLSX_MAX_ROWS rows (Excel's limit, 2^20). */
#define TFP_BOOK_MAX_ROWS 2000
#define TFP_XLSX_MAX_ROWS 1048576u
/* Chart size in points (SVG) and in pixels (Excel's default is 480 x 288). */
#define TFP_CHART_WIDTH  640
#define TFP_CHART_HEIGHT 360
/* Charts are drawn for at most this many regions (every province of Viet Nam). */
#define TFP_BOOK_MAX_CHART_REGIONS 64
/* tfp report --sensitivity: at most this many depreciation rates, spread
 * over the grid, are drawn as lines of a region's TFP-share chart (a chart
 * holds 8 series and the target band takes two). */
#define TFP_BOOK_SENS_LINES 6
/* Progress is reported every this many rows written. */
#define TFP_BOOK_PROGRESS_ROWS 4096

/* Least squares (src/models/ols.c). A column is aliased when the norm of its part outside
 * the span of the earlier columns is at most this fraction of its own norm (about 9e-13).
 * Measured: exact dependencies built in double leave 5e-16 to 6e-15 (3e6 rows, any row
 * blocking); Filip's degree-10 polynomial, the most collinear NIST design, has 5.2e-8 (R's
 * lm, with 1e-7, declares it singular). A column just above it still refines to the exact
 * least-squares solution (in four steps, measured), as kappa(X D) u stays well below 1. */
#define TFP_OLS_RANK_TOL (4096.0 * DBL_EPSILON)
/* Maximum refinement corrections after the first QR solve; three or four are typical. */
#define TFP_OLS_REFINE_STEPS 10
/* A correction whose relative size (infinity norm) is at most this has reached rounding
 * level and ends the refinement. */
#define TFP_OLS_REFINE_TOL (2.0 * DBL_EPSILON)
/* Refinement also ends when a correction is not below this fraction of the one before it
 * (Demmel et al. 2006, "Error bounds from extra-precise iterative refinement"). */
#define TFP_OLS_REFINE_RATIO 0.5
/* TSQR row-block height (rows x p doubles should sit in the L2 cache for small p), and the
 * smallest height accepted from tfp_ols_opts (it sizes the workspace's reflector scalars). */
#define TFP_OLS_BLOCK_ROWS     4096
#define TFP_OLS_MIN_BLOCK_ROWS 16

/* Structure (shift-share, merged provinces, reported indicators): the sector
 * that holds product taxes less subsidies (output only, no labour), and the
 * divisor of values given in percent (tfp check --percent). */
#define TFP_DEFAULT_TAX_SECTOR "product_taxes"
#define TFP_PERCENT            100.0
/* Scenarios, the reverse solve and forecasts (src/analysis/scenario.c,
 * src/models/forecast.c). */
/* A path a scenario does not state (labour, capital, TFP growth) follows the
 * region's average over its last this many years of data. */
#define TFP_SCENARIO_TREND_YEARS 5
/* The reverse solve stops when the bracket around the required growth is
 * this narrow (an absolute rate: 1e-12 = 1e-10 percentage points). */
#define TFP_SOLVE_XTOL     1e-12
#define TFP_SOLVE_MAX_ITER 400
/* The bracket is widened up to this rate (1000 % a year) before the solve
 * reports that a target cannot be reached. */
#define TFP_SOLVE_RATE_MAX 10.0
/* Forecast defaults: horizon in years, interval coverage, and the shortest
 * training window of a backtest (growth rates). */
#define TFP_FORECAST_HORIZON   5
#define TFP_FORECAST_LEVEL     0.80
#define TFP_FORECAST_MIN_TRAIN 8
/* The fewest growth rates a forecast model is fitted to: AR(1) and Holt
 * estimate two parameters from m - 1 one-step errors, leaving m - 3 degrees
 * of freedom for the variance. */
#define TFP_FORECAST_MIN_OBS 4
/* Holt's smoothing parameters by Nelder-Mead on their logits. The SSE can
 * have several local minima (a corner at alpha = 1, beta* = 0 is common on
 * short series), so the search starts from the best point of a grid of
 * TFP_HOLT_GRID values of each parameter, (i + 1/2) / n, in each quadrant of
 * the square. A run stops when the simplex is TFP_HOLT_SIMPLEX_TOL small or
 * after TFP_HOLT_MAX_ITER iterations (the best point is used either way);
 * as a simplex can collapse early (the SSE flattens in the logit near alpha
 * = 1), it is restarted from its best point, at most TFP_HOLT_RESTARTS
 * times, until a restart gains no more than TFP_HOLT_RESTART_TOL relative. */
#define TFP_HOLT_GRID        10
#define TFP_HOLT_SIMPLEX_TOL 1e-10
#define TFP_HOLT_MAX_ITER    5000
#define TFP_HOLT_RESTARTS    10
#define TFP_HOLT_RESTART_TOL (16.0 * DBL_EPSILON)
/* AR(1): the lagged series counts as constant (phi not identified) when its
 * standard deviation is at most this fraction of its largest magnitude. */
#define TFP_FORECAST_FLAT_EPS (64.0 * DBL_EPSILON)
/* Bootstrap and sensitivity grids (src/analysis/bootstrap.c, sensitivity.c; feature
 * "uncertainty"). */
#define TFP_DEFAULT_BOOT_REPLICATES 1000
#define TFP_DEFAULT_BOOT_LEVEL      0.90
#define TFP_BOOT_MAX_REPLICATES     1000000u
#define TFP_BOOT_MAX_THREADS        256u
/* A capital-share sd above 1 says nothing a share in (0, 1) could use; up to it the
 * truncated-normal rejection sampler accepts at least 34 % of its draws. */
#define TFP_BOOT_SHARE_SD_MAX 1.0
/* Replicate figures a thread keeps at once (bytes): units are processed in batches that
 * fit, each batch with all B replicates, so memory stays bounded for large B. */
#define TFP_BOOT_STORE_BYTES (16u << 20)
/* Most units a thread sums at once (the vectorised loop runs over units x series; more
 * units a batch vectorise better but touch more fresh memory, which costs more here). */
#define TFP_BOOT_BATCH_UNITS 16u
/* Quantile selection: histogram bins per refinement pass, the size below which a
 * subset is sorted instead, and the most probabilities per call. */
#define TFP_BOOT_HIST_BINS  2048u
#define TFP_BOOT_SORT_SMALL 48u
#define TFP_BOOT_MAX_PROBS  4u
/* Replicates between progress updates, and the longest wait between calls (ms). */
#define TFP_BOOT_PROGRESS_STEP 256u
#define TFP_BOOT_PROGRESS_MS   100
/* A replicate's LP growth is compared with the goal in the log domain unless it lies
 * within this relative distance of it; then exactly, as the point estimate is. */
#define TFP_BOOT_TIE_EPS (64.0 * DBL_EPSILON)
/* Sensitivity grid defaults: capital share 0.30..0.55 by 0.05, depreciation
 * 0.03..0.10 by 0.01, and the largest grid accepted per dimension. */
#define TFP_DEFAULT_SENS_SHARE_FROM 0.30
#define TFP_DEFAULT_SENS_SHARE_TO   0.55
#define TFP_DEFAULT_SENS_SHARE_STEP 0.05
#define TFP_DEFAULT_SENS_DELTA_FROM 0.03
#define TFP_DEFAULT_SENS_DELTA_TO   0.10
#define TFP_DEFAULT_SENS_DELTA_STEP 0.01
#define TFP_SENS_MAX_POINTS         1000u
/* ---- perf: chunked CSV reading and adaptive least squares ------------------------------ */

/* CSV data after the header of at least this many bytes, in a regular file without quote
 * characters, are read in chunks split at line boundaries, one thread each (below it the
 * line-by-line reader is as fast: starting threads and a counting pass cost about as much). */
#define TFP_CSV_PARALLEL_MIN_BYTES (1u << 20)
/* Most chunk threads a reader starts; the default is the online processors up to this. */
#define TFP_CSV_MAX_THREADS 16
/* Least squares: (X'X)^-1, and so the standard errors, come from R^-1 R^-T, accurate to about
 * kappa u (kappa of the column-equilibrated R, u = DBL_EPSILON / 2), when kappa u is at most
 * this; above it each column is refined as beta is (p more refinements). */
#define TFP_OLS_SE_REFINE_KU 1e-12
/* Least squares in parallel: the rows are cut into at most this many groups of whole blocks
 * (their triangles combined by a two-level tree), shared out to the threads; fits of fewer
 * rows than TFP_OLS_PARALLEL_MIN_ROWS run in the calling thread. */
#define TFP_OLS_GROUPS            16
#define TFP_OLS_PARALLEL_MIN_ROWS 131072
/* The panel models' unit means and demeaning run in TFP_PANEL_GROUPS groups of whole units
 * (rows of a unit consecutive in the data, as in a panel sorted by unit), shared out to the
 * online processors, from TFP_PANEL_PARALLEL_MIN_ROWS rows on; otherwise in one pass. The
 * groups do not depend on the processors, so neither do the results. */
#define TFP_PANEL_GROUPS            8
#define TFP_PANEL_PARALLEL_MIN_ROWS 131072
/* Least squares of at least this many rows take the lean path (R only, seminormal refinement;
 * tfp_ols_qr_mode) when the design is well conditioned: below it the copy of X costs little,
 * and small reference problems keep the stored-reflector path. */
#define TFP_OLS_LEAN_MIN_ROWS 131072
/* A formula's design matrix is evaluated in parts of consecutive rows, one thread each (the
 * online processors, at most TFP_FORMULA_MAX_THREADS), from this many rows on. */
#define TFP_FORMULA_PARALLEL_MIN_ROWS 131072
#define TFP_FORMULA_MAX_THREADS       16
/* Allocations of at least this many bytes are advised into transparent huge pages
 * (src/util/alloc.c): a page fault per 2 MiB instead of per 4 KiB. */
#define TFP_HUGEPAGE_MIN_BYTES (2u << 20)

#endif /* TFP_CONFIG_H */
