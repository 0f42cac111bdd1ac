/*
 * `tfp forecast` (cli layer): TFP growth and labour-productivity growth of
 * each region, forecast by drift, log-linear trend, AR(1) and Holt's linear
 * trend with prediction intervals; or (--backtest) each model's rolling-origin
 * forecast errors on the series' own history.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/forecast.h"

static const char usage[] =
    "Usage: tfp forecast [FILE] [options]\n"
    "\n"
    "Forecasts each region's TFP growth and labour-productivity growth (from the\n"
    "estimate's annual results, years with data only) with four simple models:\n"
    "drift (the mean growth), a log-linear trend, AR(1) and Holt's linear trend,\n"
    "each with a normal prediction interval; or, with --backtest, scores each\n"
    "model's forecasts from rolling origins on the series' own history (MAE,\n"
    "RMSE, MAPE), so that you see which model has forecast the region best.\n"
    "\n"
    "Forecast options:\n"
    "  --horizon N            years ahead (default 5)\n"
    "  --level P              interval coverage in (0, 1) (default 0.80)\n"
    "  --backtest             rolling-origin forecast errors instead of forecasts\n"
    "  --min-train N          shortest training window of the backtest, in growth\n"
    "                         rates (default 8, at least 4)\n"
    "Input and method: as tfp estimate (--map, --delimiter, --decimal, --method,\n"
    "  --capital-share, --growth, --labour-input, --delta, --k0); the series use\n"
    "  the method's growth form. --from, --to and --target are accepted and do\n"
    "  not change the forecasts (every year with data is used).\n"
    "Output: --format text|csv|md|json, -o FILE, --lang en|vi, --digits N\n"
    "\n"
    "Exit codes: 0 success, 1 usage, 2 bad input data, 3 numerical failure, 4 I/O.\n";

typedef struct forecast_args {
    cli_estimate ce;
    cli_output out;
    int horizon;
    double level;
    int backtest;
    int min_train;
} forecast_args;

static int
parse_args(int argc, char **argv, forecast_args *fa)
{
    cli_args a = {argc, argv, 1, "forecast"};
    while (a.i < argc) {
        const char *v = NULL, *arg = argv[a.i];
        int r;
        if ((r = cli_estimate_opt(&a, &fa->ce)) != 0 || (r = cli_output_opt(&a, &fa->out)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
        } else if ((r = cli_opt(&a, "--horizon", &v)) != 0) {
            if (r < 0 || cli_parse_int(a.cmd, "--horizon", v, &fa->horizon) != 0)
                return EXIT_USAGE;
            if (fa->horizon < 1 || fa->horizon > 100)
                return cli_usage_error(a.cmd, "--horizon: expected 1 to 100 years, found \"%s\"",
                                       v);
        } else if ((r = cli_opt(&a, "--level", &v)) != 0) {
            if (r < 0 || cli_parse_double(a.cmd, "--level", v, &fa->level) != 0)
                return EXIT_USAGE;
            if (!(fa->level > 0.0 && fa->level < 1.0))
                return cli_usage_error(a.cmd,
                                       "--level: expected a coverage in (0, 1) such as 0.95, "
                                       "found \"%s\"",
                                       v);
        } else if ((r = cli_opt(&a, "--min-train", &v)) != 0) {
            if (r < 0 || cli_parse_int(a.cmd, "--min-train", v, &fa->min_train) != 0)
                return EXIT_USAGE;
            if (fa->min_train < TFP_FORECAST_MIN_OBS)
                return cli_usage_error(a.cmd, "--min-train: expected at least %d, found \"%s\"",
                                       TFP_FORECAST_MIN_OBS, v);
        } else if ((r = cli_opt(&a, "--backtest", NULL)) != 0) {
            fa->backtest = 1;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error(a.cmd, "unknown option \"%s\"", arg);
        } else {
            if (cli_operand(&a, &fa->ce.file) < 0)
                return EXIT_USAGE;
        }
    }
    if (cli_estimate_check(a.cmd, &fa->ce) != EXIT_OK)
        return EXIT_USAGE;
    return EXIT_OK;
}

enum { SERIES_TFP = 0, SERIES_LP, NSERIES };
static const char *const series_code[NSERIES] = {"tfp_growth", "labour_productivity_growth"};

/* The series' longest run of consecutive years with a value, ending at its
 * last value: *start and *m (0 when none). */
static void
trailing_run(const tfp_unit *u, const double *x, size_t *start, size_t *m)
{
    size_t n = u->in.n, end = n, s;
    while (end > 0 && !isfinite(x[end - 1]))
        end--;
    s = end;
    while (s > 0 && isfinite(x[s - 1]) && (s == end || u->in.year[s] == u->in.year[s - 1] + 1))
        s--;
    *start = s;
    *m = end - s;
}

typedef struct col_def {
    const char *key, *en, *vi;
    tfp_cell_type type;
} col_def;

static tfp_table *
make_table(const char *key,
           const char *en,
           const char *vi,
           const col_def *defs,
           size_t n,
           tfp_error *err)
{
    tfp_table *t = tfp_table_alloc(key, en, vi, err);
    if (t == NULL)
        return NULL;
    for (size_t j = 0; j < n; j++)
        if (tfp_table_add_col(t, defs[j].key, defs[j].en, defs[j].vi, defs[j].type, err) !=
            TFP_OK) {
            tfp_table_free(t);
            return NULL;
        }
    return t;
}

static const col_def forecast_cols[] = {
    {"region", "Region", "Địa phương", TFP_CELL_TEXT},
    {"series", "Series", "Chỉ tiêu", TFP_CELL_STATUS},
    {"model", "Model", "Mô hình", TFP_CELL_STATUS},
    {"year", "Year", "Năm", TFP_CELL_INT},
    {"forecast", "Forecast", "Dự báo", TFP_CELL_FRACTION},
    {"lower", "Lower", "Cận dưới", TFP_CELL_FRACTION},
    {"upper", "Upper", "Cận trên", TFP_CELL_FRACTION},
};

static const col_def backtest_cols[] = {
    {"region", "Region", "Địa phương", TFP_CELL_TEXT},
    {"series", "Series", "Chỉ tiêu", TFP_CELL_STATUS},
    {"model", "Model", "Mô hình", TFP_CELL_STATUS},
    {"horizon", "Years ahead", "Số năm dự báo trước", TFP_CELL_INT},
    {"forecasts", "Forecasts", "Số lần dự báo", TFP_CELL_INT},
    {"mae", "MAE", "MAE", TFP_CELL_FRACTION},
    {"rmse", "RMSE", "RMSE", TFP_CELL_FRACTION},
    {"mape", "MAPE", "MAPE", TFP_CELL_FRACTION},
    {"rank", "Rank (RMSE)", "Xếp hạng (RMSE)", TFP_CELL_INT},
};

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

static int
add_text(tfp_table *t, size_t row, size_t col, const char *s, tfp_error *err)
{
    return tfp_table_set_text(t, row, col, s, err);
}

/* Forecast rows of one series. */
static int
forecast_series(tfp_table *t,
                const char *region,
                int series,
                const double *x,
                size_t m,
                int last_year,
                const forecast_args *fa,
                const tfp_forecast_opts *fo,
                tfp_forecast_ws *w,
                double *buf,
                tfp_error *err)
{
    size_t h = (size_t)fa->horizon;
    double *mean = buf, *lo = buf + h, *hi = buf + 2 * h;
    for (int k = 0; k < TFP_FORECAST_NMODEL; k++) {
        int rc =
            tfp_forecast_predict((tfp_forecast_model)k, x, m, h, fo, w, mean, lo, hi, NULL, err);
        if (rc != TFP_OK)
            return rc;
        for (size_t j = 0; j < h; j++) {
            size_t row;
            if (tfp_table_add_row(t, &row, err) != TFP_OK ||
                add_text(t, row, 0, region, err) != TFP_OK ||
                add_text(t, row, 1, series_code[series], err) != TFP_OK ||
                add_text(t, row, 2, tfp_forecast_model_name((tfp_forecast_model)k), err) != TFP_OK)
                return err->code;
            tfp_table_set_num(t, row, 3, (double)(last_year + 1 + (int)j));
            tfp_table_set_num(t, row, 4, mean[j]);
            tfp_table_set_num(t, row, 5, lo[j]);
            tfp_table_set_num(t, row, 6, hi[j]);
        }
    }
    return TFP_OK;
}

/* Backtest rows of one series; notes MAPE left out for zero actuals. */
static int
backtest_series(tfp_table *t,
                const char *region,
                int series,
                const double *x,
                size_t m,
                const forecast_args *fa,
                const tfp_forecast_opts *fo,
                tfp_forecast_ws *w,
                tfp_forecast_accuracy *acc,
                tfp_warnings *warn,
                tfp_error *err)
{
    size_t h = (size_t)fa->horizon, zeros = 0;
    for (int k = 0; k < TFP_FORECAST_NMODEL; k++) {
        int rc = tfp_forecast_backtest((tfp_forecast_model)k, x, m, (size_t)fa->min_train, h, fo, w,
                                       acc + (size_t)k * h, err);
        if (rc != TFP_OK)
            return rc;
    }
    for (size_t j = 0; j < h; j++) {
        if (acc[j].n == 0)
            continue;
        zeros += acc[j].zero_count;
        for (int k = 0; k < TFP_FORECAST_NMODEL; k++) {
            const tfp_forecast_accuracy *a = &acc[(size_t)k * h + j];
            size_t row, rank = 1;
            /* Rank by RMSE among the models at this horizon (1 = smallest). */
            for (int q = 0; q < TFP_FORECAST_NMODEL; q++) {
                double o = acc[(size_t)q * h + j].rmse;
                if (o < a->rmse || (o == a->rmse && q < k))
                    rank++;
            }
            if (tfp_table_add_row(t, &row, err) != TFP_OK ||
                add_text(t, row, 0, region, err) != TFP_OK ||
                add_text(t, row, 1, series_code[series], err) != TFP_OK ||
                add_text(t, row, 2, tfp_forecast_model_name((tfp_forecast_model)k), err) != TFP_OK)
                return err->code;
            tfp_table_set_num(t, row, 3, (double)(j + 1));
            tfp_table_set_num(t, row, 4, (double)a->n);
            tfp_table_set_num(t, row, 5, a->mae);
            tfp_table_set_num(t, row, 6, a->rmse);
            tfp_table_set_num(t, row, 7, a->mape);
            tfp_table_set_num(t, row, 8, (double)rank);
        }
    }
    if (zeros > 0 && tfp_warnings_add(warn,
                                      "%s, %s: an actual growth of exactly 0 leaves MAPE "
                                      "undefined (empty)",
                                      region[0] ? region : "data", series_code[series]) != TFP_OK)
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    return TFP_OK;
}

int
cmd_forecast(int argc, char **argv)
{
    forecast_args fa;
    tfp_error err;
    tfp_estimate *e = NULL;
    tfp_table *table = NULL;
    tfp_forecast_ws *w = NULL;
    tfp_forecast_accuracy *acc = NULL;
    tfp_forecast_opts fo;
    tfp_warnings warn;
    double *buf = NULL;
    cli_meta mt;
    tfp_doc_meta meta[12];
    char level[64], horizon[64];
    tfp_doc doc;
    tfp_strbuf sb;
    size_t nm = 0, nmax = 1;
    int rc, vi;

    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return EXIT_OK;
        }
    memset(&fa, 0, sizeof fa);
    cli_estimate_init(&fa.ce);
    cli_output_init(&fa.out);
    fa.horizon = TFP_FORECAST_HORIZON;
    fa.level = TFP_FORECAST_LEVEL;
    fa.min_train = TFP_FORECAST_MIN_TRAIN;
    rc = parse_args(argc, argv, &fa);
    if (rc != EXIT_OK)
        return rc;
    rc = cli_estimate_load(&fa.ce, &e);
    if (rc != EXIT_OK)
        return rc;
    tfp_error_init(&err);
    tfp_warnings_init(&warn);
    tfp_forecast_opts_init(&fo);
    fo.form = tfp_growth_form_of(&e->opts.growth);
    fo.level = fa.level;
    for (size_t u = 0; u < e->nunit; u++)
        nmax = e->unit[u].in.n > nmax ? e->unit[u].in.n : nmax;
    w = tfp_forecast_ws_alloc(nmax, &err);
    buf = tfp_mallocn(3 * (size_t)fa.horizon, sizeof *buf);
    acc = tfp_mallocn((size_t)TFP_FORECAST_NMODEL * (size_t)fa.horizon, sizeof *acc);
    if (w == NULL || buf == NULL || acc == NULL) {
        tfp_fail(&err, TFP_ENOMEM, "out of memory");
        goto fail;
    }
    if (tfp_warnings_extend(&warn, &e->panel->warnings) != TFP_OK ||
        (e->totals != NULL && tfp_warnings_extend(&warn, &e->totals->warnings) != TFP_OK)) {
        tfp_fail(&err, TFP_ENOMEM, "out of memory");
        goto fail;
    }
    if (fa.backtest)
        table = make_table("backtest", "Rolling-origin forecast errors",
                           "Sai số dự báo kiểm định trượt (rolling origin)", backtest_cols,
                           NCOLS(backtest_cols), &err);
    else
        table = make_table("forecast", "Growth forecasts", "Dự báo tốc độ tăng", forecast_cols,
                           NCOLS(forecast_cols), &err);
    if (table == NULL)
        goto fail;
    for (size_t u = 0; u < e->nunit; u++) {
        const tfp_unit *un = &e->unit[u];
        const char *rname = un->region[0] ? un->region : "data";
        if (un->sector != NULL)
            continue;
        for (int s = 0; s < NSERIES; s++) {
            const double *x = s == SERIES_TFP ? un->g->g_A : un->g->g_LP;
            size_t start, m, first_finite = 0;
            trailing_run(un, x, &start, &m);
            while (first_finite < un->in.n && !isfinite(x[first_finite]))
                first_finite++;
            if (m > 0 && first_finite < start &&
                tfp_warnings_add(&warn,
                                 "%s, %s: only %d-%d used (the years before are broken by "
                                 "a gap or a missing value)",
                                 rname, series_code[s], un->in.year[start],
                                 un->in.year[start + m - 1]) != TFP_OK) {
                tfp_fail(&err, TFP_ENOMEM, "out of memory");
                goto fail;
            }
            if (m < TFP_FORECAST_MIN_OBS || (fa.backtest && m <= (size_t)fa.min_train)) {
                if (tfp_warnings_add(
                        &warn,
                        "%s, %s: %zu consecutive growth rates, too few for %s (%d "
                        "needed)",
                        rname, series_code[s], m, fa.backtest ? "a backtest" : "a forecast",
                        fa.backtest ? fa.min_train + 1 : TFP_FORECAST_MIN_OBS) != TFP_OK) {
                    tfp_fail(&err, TFP_ENOMEM, "out of memory");
                    goto fail;
                }
                continue;
            }
            if (fa.backtest)
                rc = backtest_series(table, un->region, s, x + start, m, &fa, &fo, w, acc, &warn,
                                     &err);
            else
                rc = forecast_series(table, un->region, s, x + start, m, un->in.year[start + m - 1],
                                     &fa, &fo, w, buf, &err);
            if (rc != TFP_OK)
                goto fail;
        }
    }
    vi = fa.out.render.lang == TFP_LANG_VI;
    memset(&doc, 0, sizeof doc);
    if (fa.out.format != TFP_FORMAT_CSV) {
        size_t n = cli_estimate_meta(&fa.ce, e, fa.out.render.lang, &mt);
        /* Data, method, capital share, labour input, capital; not the plan period and targets,
         * which a forecast does not use. */
        for (size_t i = 0; i < n; i++)
            if (strcmp(mt.m[i].key, "period") != 0 && strcmp(mt.m[i].key, "targets") != 0)
                meta[nm++] = mt.m[i];
        snprintf(level, sizeof level, vi ? "%g %%, phân phối chuẩn" : "%g %%, normal",
                 100.0 * fa.level);
        if (vi)
            for (char *p = level; *p; p++)
                *p = *p == '.' ? ',' : *p;
        if (fa.backtest)
            snprintf(horizon, sizeof horizon,
                     vi ? "1-%d năm trước, cửa sổ huấn luyện từ %d năm"
                        : "1-%d years ahead, training windows of %d years and more",
                     fa.horizon, fa.min_train);
        else
            snprintf(horizon, sizeof horizon, vi ? "%d năm" : "%d year%s", fa.horizon,
                     vi || fa.horizon == 1 ? "" : "s");
        meta[nm++] = (tfp_doc_meta){"horizon", "Horizon", "Tầm dự báo", horizon};
        if (!fa.backtest)
            meta[nm++] = (tfp_doc_meta){"interval", "Prediction interval", "Khoảng dự báo", level};
    }
    doc.title_en = fa.backtest ? "tfp forecast --backtest: which model has forecast best"
                               : "tfp forecast: TFP and labour-productivity growth forecasts";
    doc.title_vi = fa.backtest ? "tfp forecast --backtest: mô hình nào dự báo tốt nhất"
                               : "tfp forecast: dự báo tăng TFP và năng suất lao động";
    doc.meta = meta;
    doc.nmeta = nm;
    doc.tables = (const tfp_table *const *)&table;
    doc.ntables = 1;
    doc.warnings = &warn;
    tfp_strbuf_init(&sb);
    if (tfp_doc_render(&doc, fa.out.format, &fa.out.render, &sb, &err) != TFP_OK) {
        tfp_strbuf_fini(&sb);
        goto fail;
    }
    if (fa.out.format == TFP_FORMAT_CSV)
        for (size_t i = 0; i < warn.n; i++)
            fprintf(stderr, "tfp: warning: %s\n", warn.msg[i]);
    rc = cli_write(&fa.out, &sb);
    tfp_strbuf_fini(&sb);
    goto done;
fail:
    rc = cli_report_error(&err);
done:
    tfp_table_free(table);
    tfp_forecast_ws_free(w);
    tfp_free(buf);
    tfp_free(acc);
    tfp_warnings_fini(&warn);
    tfp_estimate_free(e);
    return rc;
}
