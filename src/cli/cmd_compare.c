/*
 * `tfp compare` (cli layer): the same data through every applicable method
 * (GSO fixed shares 0.3, 0.4 and 0.5; Törnqvist where labour shares exist;
 * the capital share estimated by crs, within and twoways fits), one row per
 * method and region, so a planner sees how much the answer depends on the
 * method.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tfp/config.h"
#include "tfp/estimate.h"

static const char usage[] =
    "Usage: tfp compare [FILE] [options]\n"
    "\n"
    "Runs the same data through several methods and prints, per method and region,\n"
    "the capital share used (with its standard error when estimated), the period TFP\n"
    "share and its status, the labour-productivity growth and its status, and the\n"
    "fit statistics. Methods: gso with b_K = 0.30, 0.40, 0.50; tornqvist (when the\n"
    "data have labour shares); gso with b_K estimated by crs, within and twoways\n"
    "fits (see tfp estimate --capital-share fit). A method that does not apply to\n"
    "the data is left out with a note.\n"
    "\n"
    "Options: those of tfp estimate for input, period and targets (--map,\n"
    "--delimiter, --decimal, --labour-input, --delta, --k0, --from, --to, --target),\n"
    "and --format text|csv|md|json, -o FILE, --lang en|vi, --digits N.\n";

typedef struct method {
    const char *key; /* the method code; its labels are the report layer's */
    tfp_method m;
    double b_K;
    tfp_share_source src;
} method;

static const method methods[] = {
    {"gso_0.30", TFP_METHOD_GSO, 0.30, TFP_SHARE_FIXED},
    {"gso_0.40", TFP_METHOD_GSO, 0.40, TFP_SHARE_FIXED},
    {"gso_0.50", TFP_METHOD_GSO, 0.50, TFP_SHARE_FIXED},
    {"tornqvist", TFP_METHOD_TORNQVIST, 0.40, TFP_SHARE_FIXED},
    {"fit_crs", TFP_METHOD_GSO, 0.40, TFP_SHARE_FIT_CRS},
    {"fit_within", TFP_METHOD_GSO, 0.40, TFP_SHARE_FIT_WITHIN},
    {"fit_twoways", TFP_METHOD_GSO, 0.40, TFP_SHARE_FIT_TWOWAYS},
};
#define NMETHODS (sizeof methods / sizeof methods[0])

static const struct {
    const char *key, *en, *vi;
    tfp_cell_type type;
} cols[] = {
    {"method", "Method", "Phương pháp", TFP_CELL_STATUS},
    {"region", "Region", "Địa phương", TFP_CELL_TEXT},
    {"capital_share", "Capital share", "Hệ số vốn", TFP_CELL_FRACTION},
    {"capital_share_se", "SE", "Sai số chuẩn", TFP_CELL_FRACTION},
    {"tfp_share", "TFP share of growth", "Đóng góp TFP", TFP_CELL_FRACTION},
    {"tfp_status", "TFP status", "Đánh giá TFP", TFP_CELL_STATUS},
    {"tfp_share_last_year", "TFP share, last year", "Đóng góp TFP năm cuối", TFP_CELL_FRACTION},
    {"lp_growth", "LP growth", "Tăng NSLĐ", TFP_CELL_FRACTION},
    {"lp_status", "LP status", "Đánh giá NSLĐ", TFP_CELL_STATUS},
    {"r_squared", "Fit R²", "R² ước lượng", TFP_CELL_NUMBER},
    {"n", "Observations", "Số quan sát", TFP_CELL_INT},
};
#define NCOLS (sizeof cols / sizeof cols[0])

/* Adds one row per region total of e for method m. */
static int
add_rows(tfp_table *t, const method *m, const tfp_estimate *e, tfp_error *err)
{
    for (size_t u = 0; u < e->nunit; u++) {
        const tfp_unit *un = &e->unit[u];
        size_t row;
        int fitted = e->fitted.source != TFP_SHARE_FIXED;
        if (un->sector != NULL && e->has_sectors)
            continue;
        if (tfp_table_add_row(t, &row, err) != TFP_OK ||
            tfp_table_set_text(t, row, 0, m->key, err) != TFP_OK ||
            tfp_table_set_text(t, row, 1, un->region, err) != TFP_OK ||
            tfp_table_set_text(t, row, 5, un->t[TFP_TARGET_TFP_PERIOD].status, err) != TFP_OK ||
            tfp_table_set_text(t, row, 8, un->t[TFP_TARGET_LP].status, err) != TFP_OK)
            return err != NULL ? err->code : TFP_ENOMEM;
        /* The share used: the period mean of a_t (Törnqvist), else b_K. */
        tfp_table_set_num(t, row, 2, un->s.a);
        tfp_table_set_num(t, row, 3, fitted ? e->fitted.se : TFP_NAN);
        tfp_table_set_num(t, row, 4, un->s.share_A);
        tfp_table_set_num(t, row, 6, un->s.share_A_last);
        tfp_table_set_num(t, row, 7, un->s.lp_compound);
        tfp_table_set_num(t, row, 9, fitted ? e->fitted.r_squared : TFP_NAN);
        tfp_table_set_num(t, row, 10, fitted ? (double)e->fitted.n : TFP_NAN);
    }
    return TFP_OK;
}

int
cmd_compare(int argc, char **argv)
{
    cli_estimate base;
    cli_output out;
    cli_args a = {argc, argv, 1, "compare"};
    tfp_error err;
    tfp_table *t = NULL;
    tfp_estimate *first = NULL;
    tfp_warnings notes;
    cli_meta mt;
    tfp_doc doc;
    tfp_strbuf sb;
    int rc = EXIT_OK;

    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return EXIT_OK;
        }
    cli_estimate_init(&base);
    cli_output_init(&out);
    while (a.i < argc) {
        const char *arg = argv[a.i];
        int r;
        if ((r = cli_estimate_opt(&a, &base)) != 0 || (r = cli_output_opt(&a, &out)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error(a.cmd, "unknown option \"%s\"", arg);
        } else {
            if (cli_operand(&a, &base.file) < 0)
                return EXIT_USAGE;
        }
    }
    if (cli_estimate_check(a.cmd, &base) != EXIT_OK)
        return EXIT_USAGE;

    tfp_error_init(&err);
    tfp_warnings_init(&notes);
    t = tfp_table_alloc("compare", "Methods compared", "So sánh phương pháp", &err);
    for (size_t j = 0; t != NULL && j < NCOLS; j++)
        if (tfp_table_add_col(t, cols[j].key, cols[j].en, cols[j].vi, cols[j].type, &err) != TFP_OK)
            goto fail;
    if (t == NULL)
        goto fail;
    for (size_t k = 0; k < NMETHODS; k++) {
        cli_estimate ce = base;
        tfp_estimate *e = NULL;
        tfp_error e2;
        tfp_panel *panel = NULL;
        ce.est.growth.method = methods[k].m;
        ce.est.growth.capital_share = methods[k].b_K;
        ce.est.share_source = methods[k].src;
        if (methods[k].m == TFP_METHOD_TORNQVIST)
            ce.est.labour_input = base.est.labour_input;
        if (k == 0) {
            /* The first run reads the data as estimate does: errors in the
             * input stop the command. */
            rc = cli_estimate_load(&ce, &e);
            if (rc != EXIT_OK)
                goto done;
            base.file = ce.file;
            base.is_default = ce.is_default;
            base.panel = ce.panel;
            first = e;
            rc = add_rows(t, &methods[k], e, &err);
            if (rc != TFP_OK)
                goto fail;
            continue;
        }
        if (methods[k].m == TFP_METHOD_TORNQVIST &&
            first->panel->x[TFP_ROLE_LABOUR_SHARE] == NULL) {
            tfp_warnings_add(&notes, "tornqvist left out: the data have no labour_share column");
            continue;
        }
        /* Later runs: a method that does not apply (a fit that is not
         * identified, an estimate outside (0, 1)) becomes a note. */
        tfp_error_init(&e2);
        if (tfp_panel_read(ce.file, &ce.panel, &panel, &e2) != TFP_OK ||
            tfp_estimate_run(panel, &ce.est, &e, &e2) != TFP_OK) {
            if (e2.code == TFP_ENOMEM) {
                err = e2;
                goto fail;
            }
            tfp_warnings_add(&notes, "%s left out: %s", methods[k].key, e2.msg);
            continue;
        }
        rc = add_rows(t, &methods[k], e, &err);
        tfp_estimate_free(e);
        if (rc != TFP_OK)
            goto fail;
    }
    if (tfp_warnings_extend(&notes, &first->warnings) != TFP_OK) {
        tfp_fail(&err, TFP_ENOMEM, "out of memory");
        goto fail;
    }
    memset(&doc, 0, sizeof doc);
    doc.title_en = "tfp compare: one data set through several methods";
    doc.title_vi = "tfp compare: một bộ số liệu qua nhiều phương pháp";
    if (out.format != TFP_FORMAT_CSV) {
        size_t nm = cli_estimate_meta(&base, first, out.render.lang, &mt), k = 0;
        /* Every metadata line but the method and the share, which vary by row. */
        for (size_t i = 0; i < nm; i++)
            if (strcmp(mt.m[i].key, "method") != 0 && strcmp(mt.m[i].key, "capital_share") != 0)
                mt.m[k++] = mt.m[i];
        doc.meta = mt.m;
        doc.nmeta = k;
    }
    doc.tables = (const tfp_table *const *)&t;
    doc.ntables = 1;
    doc.warnings = &notes;
    tfp_strbuf_init(&sb);
    if (tfp_doc_render(&doc, out.format, &out.render, &sb, &err) != TFP_OK) {
        tfp_strbuf_fini(&sb);
        goto fail;
    }
    if (out.format == TFP_FORMAT_CSV)
        for (size_t i = 0; i < notes.n; i++)
            fprintf(stderr, "tfp: note: %s\n", notes.msg[i]);
    rc = cli_write(&out, &sb);
    tfp_strbuf_fini(&sb);
    goto done;
fail:
    rc = cli_report_error(&err);
done:
    tfp_table_free(t);
    tfp_estimate_free(first);
    tfp_warnings_fini(&notes);
    return rc;
}
