/*
 * The Törnqvist method reproduces the Penn World Table's own TFP: on PWT 9.1
 * inputs (output rgdpna, capital services rkna, labour emp x avh x hc,
 * labour share labsh) the annual TFP log growth equals the log growth of
 * PWT's rtfpna wherever hours are published in both years. Reference:
 * Feenstra, Inklaar and Timmer (2015), AER 105(10); PWT 9.1 user guide.
 * rtfpna is PWT's published series, an independent computation.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tfp/estimate.h"
#include "tfp/io.h"
#include "tfp/panel.h"
#include "tfp_test.h"

TestSuite(pwt, .init = quiet_gsl);

#define PWT_FILE "datasets/pwt/pwt_asia5.csv"

/* Reads countrycode, year, avh and rtfpna straight from the file. */
static tfp_frame *
read_reference(size_t *jc, size_t *jy, size_t *jh, size_t *jt)
{
    tfp_csv_opts o;
    tfp_csv_reader *r;
    tfp_frame *f = NULL;
    tfp_csv_opts_init(&o);
    r = tfp_csv_reader_alloc(tfp_test_path(PWT_FILE), &o, NULL);
    cr_assert_not_null(r);
    for (size_t j = 0; j < tfp_csv_reader_ncol(r); j++) {
        const char *n = tfp_csv_reader_name(r, j);
        if (strcmp(n, "countrycode") == 0)
            tfp_csv_reader_set_kind(r, *jc = j, TFP_COL_TEXT);
        else if (strcmp(n, "year") == 0 || strcmp(n, "avh") == 0 || strcmp(n, "rtfpna") == 0)
            tfp_csv_reader_set_kind(r, j, TFP_COL_NUMBER);
        if (strcmp(n, "year") == 0)
            *jy = j;
        if (strcmp(n, "avh") == 0)
            *jh = j;
        if (strcmp(n, "rtfpna") == 0)
            *jt = j;
    }
    cr_assert_eq(tfp_csv_reader_read(r, &f, NULL), TFP_OK);
    tfp_csv_reader_free(r);
    return f;
}

Test(pwt, tornqvist_reproduces_rtfpna_where_hours_are_published)
{
    tfp_panel_opts po;
    tfp_estimate_opts eo;
    tfp_panel *p = NULL;
    tfp_estimate *e = NULL;
    tfp_error err;
    size_t jc = 0, jy = 0, jh = 0, jt = 0, checked = 0;
    double maxerr = 0.0;
    tfp_frame *f = read_reference(&jc, &jy, &jh, &jt);

    tfp_error_init(&err);
    tfp_panel_opts_init(&po);
    po.map[TFP_ROLE_REGION] = "countrycode";
    po.map[TFP_ROLE_OUTPUT] = "rgdpna";
    po.map[TFP_ROLE_CAPITAL] = "rkna";
    po.map[TFP_ROLE_LABOUR] = "emp";
    po.map[TFP_ROLE_HOURS] = "avh";
    po.map[TFP_ROLE_HUMAN_CAPITAL] = "hc";
    po.map[TFP_ROLE_LABOUR_SHARE] = "labsh";
    cr_assert_eq(tfp_panel_read(tfp_test_path(PWT_FILE), &po, &p, &err), TFP_OK, "%s", err.msg);
    tfp_estimate_opts_init(&eo);
    eo.growth.method = TFP_METHOD_TORNQVIST;
    cr_assert_eq(tfp_estimate_run(p, &eo, &e, &err), TFP_OK, "%s", err.msg);
    cr_assert_eq(e->opts.labour_input, TFP_LABOUR_QUALITY);

    for (size_t u = 0; u < e->nunit; u++) {
        const tfp_unit *un = &e->unit[u];
        for (size_t t = 1; t < un->in.n; t++) {
            /* Find rows (country, year-1) and (country, year) in the file. */
            double h0 = (double)NAN, h1 = (double)NAN, a0 = (double)NAN, a1 = (double)NAN;
            for (size_t i = 0; i < f->nrow; i++) {
                const char *cc = f->col[jc].levels[f->col[jc].code[i]];
                int y = (int)f->col[jy].num[i];
                if (strcmp(cc, un->region) != 0)
                    continue;
                if (y == un->in.year[t] - 1) {
                    h0 = f->col[jh].num[i];
                    a0 = f->col[jt].num[i];
                } else if (y == un->in.year[t]) {
                    h1 = f->col[jh].num[i];
                    a1 = f->col[jt].num[i];
                }
            }
            if (isnan(h0) || isnan(h1) || isnan(a0) || isnan(a1))
                continue;
            cr_assert(isfinite(un->g->g_A[t]), "%s %d: TFP growth undefined", un->region,
                      un->in.year[t]);
            double d = fabs(un->g->g_A[t] - log(a1 / a0));
            maxerr = d > maxerr ? d : maxerr;
            cr_assert_leq(d, 1e-6, "%s %d: tfp %.10g vs rtfpna %.10g", un->region, un->in.year[t],
                          un->g->g_A[t], log(a1 / a0));
            checked++;
        }
    }
    /* 201 country-year pairs have avh and rtfpna in both years (counted
     * with Python's csv module over datasets/pwt/pwt_asia5.csv); VNM has
     * no rtfpna. */
    cr_assert_eq(checked, 201, "checked %zu country-years", checked);
    cr_log_info("PWT rtfpna reproduction: %zu country-years, max |error| %.3g", checked, maxerr);
    tfp_estimate_free(e);
    tfp_frame_free(f);
}
