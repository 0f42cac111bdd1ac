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
/* Allocations of at least this many bytes are advised into transparent huge pages
 * (src/util/alloc.c): a page fault per 2 MiB instead of per 4 KiB. */
#define TFP_HUGEPAGE_MIN_BYTES (4u << 20)

#endif /* TFP_CONFIG_H */
