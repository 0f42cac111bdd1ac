/*
 * Options and pipeline shared by the commands that run an estimate
 * (estimate, and those built on it): method, period, targets and input
 * options; loading the panel and running the pipeline; metadata lines.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "tfp/config.h"
#include "tfp/parallel.h"

void
cli_estimate_init(cli_estimate *ce)
{
    memset(ce, 0, sizeof *ce);
    tfp_panel_opts_init(&ce->panel);
    tfp_estimate_opts_init(&ce->est);
}

int
cli_parse_year(const char *cmd, const char *opt, const char *v, int *y)
{
    if (cli_parse_int(cmd, opt, v, y) != 0)
        return -1;
    if (*y < TFP_YEAR_MIN + 1 || *y > TFP_YEAR_MAX) {
        cli_usage_error(cmd, "%s: expected a year, found \"%s\"", opt, v);
        return -1;
    }
    return 1;
}

int
cli_estimate_opt(cli_args *a, cli_estimate *ce)
{
    const char *v = NULL;
    int r;
    tfp_error err;
    tfp_error_init(&err);
    if ((r = cli_panel_opt(a, &ce->panel)) != 0)
        return r;
    if ((r = cli_opt(a, "--method", &v)) != 0) {
        if (r < 0)
            return -1;
        if (strcmp(v, "gso") == 0)
            ce->est.growth.method = TFP_METHOD_GSO;
        else if (strcmp(v, "tornqvist") == 0)
            ce->est.growth.method = TFP_METHOD_TORNQVIST;
        else
            return cli_usage_error(a->cmd, "--method: expected gso or tornqvist, found \"%s\"", v),
                   -1;
        return 1;
    }
    if ((r = cli_opt(a, "--capital-share", &v)) != 0) {
        if (r < 0)
            return -1;
        if (strncmp(v, "fit", 3) == 0) {
            if (tfp_share_source_parse(v, &ce->est.share_source, &err) != TFP_OK)
                return cli_usage_error(a->cmd, "--capital-share: %s", err.msg), -1;
            return 1;
        }
        ce->est.share_source = TFP_SHARE_FIXED;
        if (cli_parse_double(a->cmd, "--capital-share", v, &ce->est.growth.capital_share) != 0)
            return -1;
        if (!(ce->est.growth.capital_share > 0.0 && ce->est.growth.capital_share < 1.0))
            return cli_usage_error(a->cmd,
                                   "--capital-share: expected a share in (0, 1) or fit[:MODEL], "
                                   "found \"%s\"",
                                   v),
                   -1;
        return 1;
    }
    if ((r = cli_opt(a, "--growth", &v)) != 0) {
        if (r < 0)
            return -1;
        if (strcmp(v, "simple") == 0)
            ce->est.growth.form = TFP_GROWTH_SIMPLE;
        else if (strcmp(v, "log") == 0)
            ce->est.growth.form = TFP_GROWTH_LOG;
        else
            return cli_usage_error(a->cmd, "--growth: expected simple or log, found \"%s\"", v), -1;
        return 1;
    }
    if ((r = cli_opt(a, "--labour-input", &v)) != 0) {
        if (r < 0)
            return -1;
        if (tfp_labour_input_parse(v, &ce->est.labour_input, &err) != TFP_OK)
            return cli_usage_error(a->cmd, "%s", err.msg), -1;
        return 1;
    }
    if ((r = cli_opt(a, "--delta", &v)) != 0) {
        if (r < 0 || cli_parse_double(a->cmd, "--delta", v, &ce->est.delta) != 0)
            return -1;
        if (!(ce->est.delta >= 0.0 && ce->est.delta < 1.0))
            return cli_usage_error(a->cmd, "--delta: expected a rate in [0, 1), found \"%s\"", v),
                   -1;
        return 1;
    }
    if ((r = cli_opt(a, "--k0", &v)) != 0) {
        if (r < 0 || cli_parse_double(a->cmd, "--k0", v, &ce->est.k0) != 0)
            return -1;
        if (!(ce->est.k0 >= 0.0) || !isfinite(ce->est.k0))
            return cli_usage_error(a->cmd, "--k0: expected a non-negative stock, found \"%s\"", v),
                   -1;
        return 1;
    }
    if ((r = cli_opt(a, "--from", &v)) != 0)
        return r < 0 ? -1 : cli_parse_year(a->cmd, "--from", v, &ce->est.from);
    if ((r = cli_opt(a, "--to", &v)) != 0)
        return r < 0 ? -1 : cli_parse_year(a->cmd, "--to", v, &ce->est.to);
    if ((r = cli_opt(a, "--tax-sector", &v)) != 0) {
        if (r < 0)
            return -1;
        if (v[0] == '\0')
            return cli_usage_error(a->cmd, "--tax-sector: expected a sector name"), -1;
        ce->est.tax_sector = v;
        return 1;
    }
    if ((r = cli_opt(a, "--merge", &v)) != 0) {
        if (r < 0)
            return -1;
        if (v[0] == '\0')
            return cli_usage_error(a->cmd, "--merge: expected a mapping file"), -1;
        ce->merge = v;
        return 1;
    }
    if ((r = cli_opt(a, "--target", &v)) != 0) {
        if (r < 0)
            return -1;
        if (tfp_targets_parse(&ce->est.targets, v, &err) != TFP_OK)
            return cli_usage_error(a->cmd, "%s", err.msg), -1;
        return 1;
    }
    return 0;
}

int
cli_estimate_check(const char *cmd, const cli_estimate *ce)
{
    if (ce->est.from != 0 && ce->est.to != 0 && ce->est.from > ce->est.to)
        return cli_usage_error(cmd, "--from %d is after --to %d", ce->est.from, ce->est.to);
    return EXIT_OK;
}

double
cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int
cli_estimate_read(cli_estimate *ce, tfp_panel **out, tfp_error *err)
{
    tfp_panel *panel = NULL;
    int rc;
    *out = NULL;
    ce->panel.required =
        TFP_ROLE_BIT(TFP_ROLE_YEAR) | TFP_ROLE_BIT(TFP_ROLE_OUTPUT) | TFP_ROLE_BIT(TFP_ROLE_LABOUR);
    ce->panel.need_one_of = TFP_ROLE_BIT(TFP_ROLE_CAPITAL) | TFP_ROLE_BIT(TFP_ROLE_INVESTMENT);
    rc = tfp_panel_read(ce->file, &ce->panel, &panel, err);
    if (rc != TFP_OK)
        return rc;
    if (ce->merge != NULL) {
        /* Merged regions: everything after this runs on the new units. */
        tfp_merge_map *m = NULL;
        tfp_panel *merged = NULL;
        tfp_csv_opts csv;
        tfp_csv_opts_init(&csv); /* the mapping's own delimiter, detected */
        if ((rc = tfp_merge_map_read(ce->merge, &csv, &m, err)) != TFP_OK ||
            (rc = tfp_prep_merge(panel, m, &merged, err)) != TFP_OK) {
            tfp_merge_map_free(m);
            tfp_panel_free(panel);
            return rc;
        }
        ce->merge_from = panel->nregion;
        ce->merge_to = merged->nregion;
        tfp_merge_map_free(m);
        tfp_panel_free(panel);
        panel = merged;
    }
    *out = panel;
    return TFP_OK;
}

int
cli_estimate_load(cli_estimate *ce, tfp_estimate **out)
{
    tfp_error err;
    tfp_panel *panel = NULL;
    double t0, t1;
    *out = NULL;
    if (ce->file == NULL) {
        ce->file = cli_default_data();
        ce->is_default = 1;
        if (ce->file == NULL) {
            fputs("tfp: the bundled data set was not found; give a FILE or set TFP_DATADIR\n",
                  stderr);
            return EXIT_IO;
        }
    }
    tfp_error_init(&err);
    t0 = cli_now();
    if (cli_estimate_read(ce, &panel, &err) != TFP_OK)
        return cli_report_error(&err);
    t1 = cli_now();
    ce->read_s = t1 - t0;
    if (tfp_estimate_run(panel, &ce->est, out, &err) != TFP_OK)
        return cli_report_error(&err);
    ce->est_s = cli_now() - t1;
    return EXIT_OK;
}

/* "%g" with the language's decimal mark. */
static const char *
fmt_num(char *buf, size_t n, double v, tfp_lang lang)
{
    snprintf(buf, n, "%g", v);
    if (lang == TFP_LANG_VI)
        for (char *p = buf; *p; p++)
            if (*p == '.')
                *p = ',';
    return buf;
}

static const char *
fmt_pct(char *buf, size_t n, double v, tfp_lang lang)
{
    snprintf(buf, n, "%.4g", 100.0 * v);
    if (lang == TFP_LANG_VI)
        for (char *p = buf; *p; p++)
            if (*p == '.')
                *p = ',';
    return buf;
}

/* The labour-input descriptions of tfp_prep_labour_input, in Vietnamese. */
static const char *
labour_vi(const char *desc)
{
    static const char *const pairs[][2] = {
        {"employment x hours x human capital", "số lao động x giờ làm việc x vốn nhân lực"},
        {"employment x hours", "số lao động x giờ làm việc"},
        {"employment x human capital", "số lao động x vốn nhân lực"},
        {"employment (persons)", "số lao động (người)"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (strcmp(desc, pairs[i][0]) == 0)
            return pairs[i][1];
    return desc;
}

const char *
cli_targets_text(const tfp_targets *t, tfp_lang lang, char *buf, size_t n)
{
    char a[32], b[32], c[32];
    snprintf(buf, n,
             lang == TFP_LANG_VI ? "NSLĐ tăng %s %%/năm; đóng góp TFP %s-%s %%"
                                 : "labour productivity +%s %%/year; TFP share of growth %s-%s %%",
             fmt_pct(a, sizeof a, t->lp, lang), fmt_pct(b, sizeof b, t->tfp_lo, lang),
             fmt_pct(c, sizeof c, t->tfp_hi, lang));
    return buf;
}

size_t
cli_estimate_meta(const cli_estimate *ce, const tfp_estimate *e, tfp_lang lang, cli_meta *mt)
{
    tfp_lang vi = lang;
    tfp_doc_meta *m = mt->m;
    int is_default = ce->is_default;
    int is_vi = vi == TFP_LANG_VI;
    char a[32], b[32];
    const tfp_estimate_opts *o = &e->opts;
    int log_form = o->growth.form == TFP_GROWTH_LOG;
    size_t k = 0;

    if (is_default)
        snprintf(mt->data, sizeof mt->data, "%s (%s)", e->panel->path,
                 is_vi ? "Penn World Table 9.1, Feenstra, Inklaar và Timmer (2015), CC BY 4.0"
                       : "Penn World Table 9.1, Feenstra, Inklaar and Timmer (2015), CC BY 4.0");
    else
        snprintf(mt->data, sizeof mt->data, "%s", e->panel->path);
    if (o->growth.method == TFP_METHOD_GSO)
        snprintf(mt->method, sizeof mt->method, "%s",
                 is_vi ? (log_form ? "gso: hệ số cố định, tăng trưởng logarit"
                                   : "gso (Tổng cục Thống kê): hệ số cố định, tốc độ tăng đơn")
                       : (log_form ? "gso: fixed shares, log growth"
                                   : "gso (statistics office): fixed shares, simple growth"));
    else
        snprintf(mt->method, sizeof mt->method, "%s",
                 is_vi ? (log_form ? "tornqvist: tỷ phần lao động bình quân hai năm, tăng trưởng "
                                     "logarit"
                                   : "tornqvist: tỷ phần lao động bình quân hai năm, tốc độ tăng "
                                     "đơn")
                       : (log_form ? "tornqvist: two-period labour shares, log growth"
                                   : "tornqvist: two-period labour shares, simple growth"));
    if (o->growth.method == TFP_METHOD_TORNQVIST && e->panel->x[TFP_ROLE_LABOUR_SHARE] != NULL)
        snprintf(mt->share, sizeof mt->share,
                 is_vi ? "1 - tỷ phần lao động (cột %s)" : "1 - labour share (column %s)",
                 e->panel->column[TFP_ROLE_LABOUR_SHARE]);
    else if (e->fitted.source != TFP_SHARE_FIXED)
        snprintf(mt->share, sizeof mt->share,
                 is_vi ? "%s (sai số chuẩn %s), ước lượng hàm sản xuất %s, %zu quan sát"
                       : "%s (SE %s), estimated by a %s production-function fit, %zu observations",
                 fmt_num(a, sizeof a, e->fitted.b, vi), fmt_num(b, sizeof b, e->fitted.se, vi),
                 tfp_share_source_name(e->fitted.source), e->fitted.n);
    else
        snprintf(mt->share, sizeof mt->share, "%s",
                 fmt_num(a, sizeof a, o->growth.capital_share, vi));
    snprintf(mt->labour, sizeof mt->labour, "%s",
             is_vi ? labour_vi(e->labour_desc) : e->labour_desc);
    if (e->capital_from_pim) {
        if (isfinite(o->k0))
            snprintf(mt->capital, sizeof mt->capital,
                     is_vi ? "kiểm kê liên tục từ đầu tư, khấu hao %s, K0 = %s"
                           : "perpetual inventory from investment, depreciation %s, K0 = %s",
                     fmt_num(a, sizeof a, o->delta, vi), fmt_num(b, sizeof b, o->k0, vi));
        else
            snprintf(mt->capital, sizeof mt->capital,
                     is_vi ? "kiểm kê liên tục từ đầu tư, khấu hao %s, K0 theo Harberger"
                           : "perpetual inventory from investment, depreciation %s, Harberger K0",
                     fmt_num(a, sizeof a, o->delta, vi));
    } else {
        snprintf(mt->capital, sizeof mt->capital, is_vi ? "cột %s" : "column %s",
                 e->panel->column[TFP_ROLE_CAPITAL]);
    }
    snprintf(mt->period, sizeof mt->period, is_vi ? "%d-%d (năm gốc %d)" : "%d-%d (base year %d)",
             o->from, o->to, o->from - 1);
    cli_targets_text(&o->targets, vi, mt->targets, sizeof mt->targets);
    m[k++] = (tfp_doc_meta){"data", "Data", "Dữ liệu", mt->data};
    m[k++] = (tfp_doc_meta){"method", "Method", "Phương pháp", mt->method};
    m[k++] = (tfp_doc_meta){"capital_share", "Capital share", "Hệ số vốn", mt->share};
    m[k++] = (tfp_doc_meta){"labour_input", "Labour input", "Lao động đầu vào", mt->labour};
    m[k++] = (tfp_doc_meta){"capital", "Capital", "Vốn", mt->capital};
    m[k++] = (tfp_doc_meta){"period", "Period", "Giai đoạn", mt->period};
    m[k++] = (tfp_doc_meta){"targets", "Targets", "Mục tiêu", mt->targets};
    if (ce->merge != NULL) {
        snprintf(mt->merge, sizeof mt->merge,
                 is_vi ? "%s (%zu tỉnh cũ thành %zu tỉnh mới)"
                       : "%s (%zu former regions into %zu new ones)",
                 ce->merge, ce->merge_from, ce->merge_to);
        m[k++] = (tfp_doc_meta){"merge", "Merged regions", "Sáp nhập tỉnh", mt->merge};
    }
    if (e->taxes != NULL) {
        snprintf(mt->taxes, sizeof mt->taxes,
                 is_vi ? "ngành \"%s\": cộng vào sản lượng, không có lao động"
                       : "sector \"%s\": added to output, no labour",
                 e->taxes->sector_names[e->taxes->sector[0]]);
        m[k++] = (tfp_doc_meta){"product_taxes", "Product taxes", "Thuế sản phẩm", mt->taxes};
    }
    mt->n = k;
    return k;
}

/* ---- bootstrap options (estimate, report) ------------------------------------------ */

/* A whole number in [lo, hi] for opt; 0 on success (usage error printed). */
static int
parse_size(const char *cmd, const char *opt, const char *v, size_t lo, size_t hi, size_t *out)
{
    char *end;
    unsigned long long x;
    errno = 0;
    x = strtoull(v, &end, 10);
    if (v[0] == '-' || v[0] == '+' || end == v || *end != '\0' || errno == ERANGE || x < lo ||
        x > hi) {
        cli_usage_error(cmd, "%s: expected a whole number from %zu to %zu, found \"%s\"", opt, lo,
                        hi, v);
        return 1;
    }
    *out = (size_t)x;
    return 0;
}

static size_t
default_threads(void)
{
    return tfp_online_cpus(TFP_BOOT_MAX_THREADS);
}

int
cli_boot_opt(cli_args *a, cli_boot *cb)
{
    const char *v = NULL;
    int r;
    if ((r = cli_opt(a, "--bootstrap", &v)) != 0) {
        if (r < 0 || parse_size(a->cmd, "--bootstrap", v, 1, TFP_BOOT_MAX_REPLICATES,
                                &cb->o.replicates) != 0)
            return -1;
        cb->on = 1;
        return 1;
    }
    if ((r = cli_opt(a, "--seed", &v)) != 0) {
        char *end;
        if (r < 0)
            return -1;
        errno = 0;
        cb->o.seed = (uint64_t)strtoull(v, &end, 10);
        if (v[0] == '-' || v[0] == '+' || end == v || *end != '\0' || errno == ERANGE)
            return cli_usage_error(
                       a->cmd,
                       "--seed: expected a whole number from 0 to 18446744073709551615, "
                       "found \"%s\"",
                       v),
                   -1;
        cb->opt = "--seed";
        return 1;
    }
    if ((r = cli_opt(a, "--threads", &v)) != 0) {
        if (r < 0 ||
            parse_size(a->cmd, "--threads", v, 1, TFP_BOOT_MAX_THREADS, &cb->o.threads) != 0)
            return -1;
        cb->opt = "--threads";
        return 1;
    }
    if ((r = cli_opt(a, "--level", &v)) != 0) {
        if (r < 0 || cli_parse_double(a->cmd, "--level", v, &cb->o.level) != 0)
            return -1;
        if (!(cb->o.level > 0.0 && cb->o.level < 1.0))
            return cli_usage_error(a->cmd, "--level: expected a coverage in (0, 1), found \"%s\"",
                                   v),
                   -1;
        cb->opt = "--level";
        return 1;
    }
    if ((r = cli_opt(a, "--block", &v)) != 0) {
        if (r < 0 || parse_size(a->cmd, "--block", v, 1, TFP_YEAR_MAX, &cb->o.block) != 0)
            return -1;
        cb->opt = "--block";
        return 1;
    }
    if ((r = cli_opt(a, "--resample", &v)) != 0) {
        if (r < 0)
            return -1;
        if (strcmp(v, "years") == 0)
            cb->o.resample = TFP_RESAMPLE_YEARS;
        else if (strcmp(v, "none") == 0)
            cb->o.resample = TFP_RESAMPLE_NONE;
        else
            return cli_usage_error(a->cmd, "--resample: expected years or none, found \"%s\"", v),
                   -1;
        cb->opt = "--resample";
        return 1;
    }
    if ((r = cli_opt(a, "--capital-share-sd", &v)) != 0) {
        if (r < 0)
            return -1;
        cb->opt = "--capital-share-sd";
        if (strcmp(v, "fit") == 0) {
            cb->sd_fit = 1;
            return 1;
        }
        if (cli_parse_double(a->cmd, "--capital-share-sd", v, &cb->o.capital_share_sd) != 0)
            return -1;
        if (!(cb->o.capital_share_sd >= 0.0 && cb->o.capital_share_sd <= TFP_BOOT_SHARE_SD_MAX))
            return cli_usage_error(a->cmd,
                                   "--capital-share-sd: expected a standard deviation in [0, %g], "
                                   "found \"%s\"",
                                   TFP_BOOT_SHARE_SD_MAX, v),
                   -1;
        return 1;
    }
    return 0;
}

/* The progress bar (progress.c), shown once the work has taken a second. */
typedef struct bar {
    double start;
    cli_progress p;
} bar;

static void
bar_update(void *ctx, const char *stage, size_t done, size_t total)
{
    bar *b = ctx;
    if (done < total && cli_now() - b->start < 1.0)
        return;
    if (done >= total)
        cli_progress_end(&b->p);
    else
        cli_progress_cb(&b->p, stage, done, total);
}

const char *
cli_boot_meta(const tfp_bootstrap *b, const tfp_estimate *e, tfp_lang lang, char *buf, size_t n)
{
    const tfp_bootstrap_opts *o = &b->opts;
    int vi = lang == TFP_LANG_VI;
    size_t l = 0, u, len;
    int same = 1;
    char blocks[96], share[160];
    for (u = 0; u < b->nunit; u++) {
        if (!b->unit[u].done)
            continue;
        if (l == 0)
            l = b->unit[u].block;
        else if (b->unit[u].block != l)
            same = 0;
    }
    if (o->resample == TFP_RESAMPLE_NONE)
        snprintf(blocks, sizeof blocks, "%s", vi ? "không lấy mẫu lại các năm" : "years kept");
    else if (same && l > 0)
        snprintf(blocks, sizeof blocks,
                 vi ? "lấy mẫu lại các năm theo khối %zu năm" : "years resampled in blocks of %zu",
                 l);
    else
        snprintf(blocks, sizeof blocks, "%s",
                 vi ? "lấy mẫu lại các năm theo khối round(n^(1/3)) năm"
                    : "years resampled in blocks of round(n^(1/3))");
    if (b->share_drawn)
        snprintf(share, sizeof share,
                 vi ? "; hệ số vốn ~ N(%g; %g^2) cắt cụt trong (0; 1)"
                    : "; capital share ~ N(%g, %g^2) truncated to (0, 1)",
                 e->opts.growth.capital_share, o->capital_share_sd);
    else
        share[0] = '\0';
    snprintf(buf, n,
             vi ? "%zu lần lặp, hạt giống %llu; %s%s; khoảng phân vị %g %%"
                : "%zu replicates, seed %llu; %s%s; %g %% percentile intervals",
             o->replicates, (unsigned long long)o->seed, blocks, share, 100.0 * o->level);
    if (vi)
        for (len = 0; buf[len]; len++)
            if (buf[len] == '.' && len > 0 && buf[len - 1] >= '0' && buf[len - 1] <= '9')
                buf[len] = ',';
    return buf;
}

void
cli_boot_init(cli_boot *cb)
{
    memset(cb, 0, sizeof *cb);
    tfp_bootstrap_opts_init(&cb->o);
    cb->o.threads = default_threads();
}

int
cli_boot_check(const char *cmd, const cli_boot *cb, const cli_estimate *ce)
{
    if (cb->opt != NULL && !cb->on)
        return cli_usage_error(cmd, "%s needs --bootstrap B", cb->opt);
    if (cb->sd_fit && ce->est.share_source == TFP_SHARE_FIXED)
        return cli_usage_error(cmd, "--capital-share-sd fit needs --capital-share fit[:MODEL]");
    if (cb->on && cb->o.resample == TFP_RESAMPLE_NONE && !(cb->o.capital_share_sd > 0.0) &&
        !cb->sd_fit)
        return cli_usage_error(cmd, "--resample none leaves nothing to draw: give "
                                    "--capital-share-sd");
    return EXIT_OK;
}

int
cli_boot_run(cli_boot *cb, tfp_estimate *e, int quiet, tfp_bootstrap **out, tfp_error *err)
{
    bar pb;
    *out = NULL;
    if (cb->sd_fit) {
        /* The capital share's own standard error, from the fit behind it. */
        cb->o.capital_share_sd = e->fitted.se;
        if (!(e->fitted.se > 0.0 && e->fitted.se <= TFP_BOOT_SHARE_SD_MAX))
            return tfp_fail(err, TFP_ENUMERIC,
                            "the fitted capital share's standard error %g cannot be the sd of a "
                            "draw (needs (0, %g])",
                            e->fitted.se, TFP_BOOT_SHARE_SD_MAX);
    }
    if (!cb->on)
        return TFP_OK;
    pb.start = cli_now();
    cli_progress_init(&pb.p, quiet);
    cb->o.progress.fn = bar_update;
    cb->o.progress.ctx = &pb;
    if (tfp_bootstrap_run(e, &cb->o, out, err) != TFP_OK) {
        cli_progress_end(&pb.p);
        return err->code;
    }
    cb->o.progress.fn = NULL;
    cb->o.progress.ctx = NULL;
    if (tfp_warnings_extend(&e->warnings, &(*out)->warnings) != TFP_OK)
        return tfp_fail(err, TFP_ENOMEM, "out of memory");
    return TFP_OK;
}
