#!/bin/sh
# tfp forecast end to end. The PWT goldens hold the forecasts and backtest
# errors that tests/models/test_forecast.c checks against base R
# (scripts/reference/forecast_pwt.R): drift, trend and AR(1) to 1e-10, Holt to
# 1e-6 (forecasts) and 1e-3 (backtest errors).
. "$(dirname "$0")/lib.sh"
cd "$TFP_SRCDIR" || exit 1
HAND=tests/fixtures/cli/hand.csv

tfp forecast --help
expect_rc forecast_help 0
expect_out forecast_help "--backtest"
tfp --help
expect_out help_lists_forecast "forecast"
tfp forecast --horizon 0
expect_rc zero_horizon 1
tfp forecast --level 95
expect_rc level_percent 1
expect_err level_percent '--level: expected a coverage in (0, 1) such as 0.95, found "95"'
tfp forecast --min-train 2
expect_rc min_train 1
tfp forecast --bogus
expect_rc unknown_option 1

tfp forecast --horizon 3 --format csv
expect_rc pwt_forecast 0
expect_golden pwt_forecast "$T/out" forecast_pwt.csv
expect_no_nan pwt_forecast "$T/out"
tfp forecast --horizon 3 --backtest --format csv
expect_rc pwt_backtest 0
expect_golden pwt_backtest "$T/out" forecast_pwt_backtest.csv
# Text and Markdown name the data file: give it relative, so the goldens do not
# hold this checkout's absolute path.
PWT=datasets/pwt/pwt91_asia5_tfp.csv
tfp forecast $PWT --horizon 2 --backtest --min-train 40 --lang vi
expect_rc pwt_backtest_vi 0
expect_golden pwt_backtest_vi "$T/out" forecast_pwt_backtest_vi.txt
tfp forecast $PWT --horizon 1 --format md
expect_golden pwt_forecast_md "$T/out" forecast_pwt_h1.md

# A wider interval at 95 %: the drift row for VNM TFP growth (R's mean and sd of the
# 47 log growth rates, expm1(mean -+ 1.959964 sd sqrt(1 + 1/47))).
tfp forecast --horizon 1 --level 0.95 --format csv --digits 6
expect_out level_95 "VNM,tfp_growth,drift,2018,0.0161038,-0.0364852,0.0715631"

# Too short a series: a warning, no rows, exit 0.
tfp forecast $HAND --format csv
expect_rc hand_too_short 0
expect_err hand_too_short "Alpha, tfp_growth: 2 consecutive growth rates, too few for a forecast (4 needed)"
