/*
 * models layer: forecasts of an annual growth series (TFP growth, labour-
 * productivity growth) from four simple models, each with normal prediction
 * intervals, and rolling-origin backtests of their accuracy.
 *
 * A growth series g_1..g_m (fractions; simple x/x0 - 1 or log growth) is
 * modelled through its log growth x_t = ln(1 + g_t) (x_t = g_t for log
 * growth) and the log level it implies, z_0 = 0, z_t = z_{t-1} + x_t:
 *   drift  random walk with drift on z: x forecast = mean of x (the mean of
 *          the differences of z);
 *   trend  log-linear trend, z_t = c0 + c1 t by least squares;
 *   ar1    AR(1) with mean on x, by conditional least squares;
 *   holt   Holt's linear trend on z (ETS(A,A,N)), from l_0 = z_0, b_0 = z_1 -
 *          z_0, smoothing parameters minimising the one-step squared errors
 *          (Nelder-Mead from grid starts; TFP_HOLT_* in config.h).
 * Forecasts and interval ends are mapped back to the series' form (exp(x) -
 * 1 for simple growth, a monotone map, so the interval keeps its coverage;
 * the point is then the median). The interval is for the growth in year m+h
 * (not for the level): x-hat +/- z_q se_h with z_q the normal quantile.
 *
 * References: Hyndman and Athanasopoulos (2021), Forecasting: Principles
 * and Practice, 3rd ed., OTexts (FPP3): 5.2 and 5.5 (drift and its
 * intervals), 5.8 and 5.10 (MAE, RMSE, MAPE; time-series cross-validation),
 * 7.4 (trend), 8.2 and 8.7 (Holt's method; ETS(A,A,N) variances, Table 8.8),
 * 9.3 and 9.8 (AR models and their forecast variance); Hyndman, Koehler,
 * Ord and Snyder (2008), Forecasting with Exponential Smoothing, Springer,
 * ch. 6 (the innovations form behind the Holt variances).
 */
#ifndef TFP_FORECAST_H
#define TFP_FORECAST_H

#include <stddef.h>

#include "tfp/error.h"
#include "tfp/growth.h"

typedef enum {
    TFP_FORECAST_DRIFT = 0,
    TFP_FORECAST_TREND,
    TFP_FORECAST_AR1,
    TFP_FORECAST_HOLT,
    TFP_FORECAST_NMODEL
} tfp_forecast_model;

/* The model's code ("drift", "trend", "ar1", "holt"); static. */
const char *tfp_forecast_model_name(tfp_forecast_model m);

typedef struct tfp_forecast_opts {
    tfp_growth_form form; /* the series' growth form; DEFAULT is taken as SIMPLE */
    double level;         /* interval coverage in (0, 1) (TFP_FORECAST_LEVEL) */
    double holt_alpha;    /* Holt's level parameter in (0, 1); NaN = estimated */
    double holt_beta;     /* Holt's trend parameter beta* in (0, 1); NaN = estimated */
} tfp_forecast_opts;

void tfp_forecast_opts_init(tfp_forecast_opts *o);

/* Workspace for series of at most nmax growth rates (buffers and the
 * Nelder-Mead minimiser). NULL with err (TFP_ENOMEM) on failure. */
typedef struct tfp_forecast_ws tfp_forecast_ws;
tfp_forecast_ws *tfp_forecast_ws_alloc(size_t nmax, tfp_error *err);
void tfp_forecast_ws_free(tfp_forecast_ws *w);

/* What a fit estimated, on the log scale x. */
typedef struct tfp_forecast_fit {
    double sigma;        /* residual standard deviation */
    double p[2];         /* drift: mean of x, -; trend: c0, c1; ar1: c, phi (x_t = c + phi x_{t-1});
                            holt: alpha, beta* */
    double level, trend; /* holt: the last level l_m and trend b_m; NaN for the others */
} tfp_forecast_fit;

/*
 * Fits model to the m growth rates g (borrowed; finite, > -1 for simple
 * growth) and forecasts the next h: mean[k], lo[k], hi[k] (k = 0..h-1, the
 * growth in year m+k+1, in the series' form). fit (may be NULL) receives the
 * estimates. Forecast variances of x_{m+k}, k = 1..h (derivations in
 * src/models/forecast.c):
 *   drift  s^2 (1 + 1/m), s^2 = sum (x - mean)^2 / (m - 1);
 *   trend  k = 1: s^2 (1 + 1/N + (m + 1 - t_bar)^2 / Sxx), k >= 2: s^2 (2 + 1/Sxx),
 *          N = m + 1 levels at t = 0..m, s^2 = RSS / (N - 2);
 *   ar1    s^2 sum_{j<k} phi^(2j), s^2 = RSS / (m - 3);
 *   holt   k = 1: s^2; k >= 2: s^2 (1 + (alpha + beta - 1)^2 + (k - 2) beta^2),
 *          beta = alpha beta*, s^2 = SSE / (m - 3).
 * Parameter uncertainty enters drift and trend (as in FPP3 5.5), not ar1 and
 * holt (as in FPP3 8.7 and 9.8). TFP_ENUMERIC when m < TFP_FORECAST_MIN_OBS,
 * TFP_EINPUT for a non-finite value or a simple growth <= -1, TFP_EINVAL
 * for m > the workspace's nmax, h == 0, a level outside (0, 1) or a fixed
 * Holt parameter outside (0, 1).
 */
int tfp_forecast_predict(tfp_forecast_model model,
                         const double *g,
                         size_t m,
                         size_t h,
                         const tfp_forecast_opts *o,
                         tfp_forecast_ws *w,
                         double *mean,
                         double *lo,
                         double *hi,
                         tfp_forecast_fit *fit,
                         tfp_error *err);

/* Accuracy at one forecast horizon. */
typedef struct tfp_forecast_accuracy {
    size_t n;          /* forecasts scored */
    double mae;        /* mean |e|, e = actual - forecast (in the series' form) */
    double rmse;       /* sqrt(mean e^2) */
    double mape;       /* mean |e / actual|; NaN when an actual is exactly 0 */
    size_t zero_count; /* actuals equal to 0 (MAPE undefined) */
} tfp_forecast_accuracy;

/*
 * Rolling-origin evaluation (FPP3 5.10): for each origin o = min_train ..
 * m - 1, fits model to g_1..g_o and forecasts g_{o+1}..g_{o+h} (those that
 * exist); acc[k] (k = 0..h-1) scores the (k+1)-step forecasts. Horizons with
 * no forecast get n = 0 and NaN measures. TFP_EINVAL when min_train <
 * TFP_FORECAST_MIN_OBS or h == 0; other errors as tfp_forecast_predict.
 */
int tfp_forecast_backtest(tfp_forecast_model model,
                          const double *g,
                          size_t m,
                          size_t min_train,
                          size_t h,
                          const tfp_forecast_opts *o,
                          tfp_forecast_ws *w,
                          tfp_forecast_accuracy *acc,
                          tfp_error *err);

#endif /* TFP_FORECAST_H */
