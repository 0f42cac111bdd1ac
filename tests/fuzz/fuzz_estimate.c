/*
 * libFuzzer target: the whole estimate pipeline (read, validate, prep,
 * growth accounting, summaries, targets, tables, every renderer) on
 * arbitrary CSV bytes. Property: success or a located error, never a crash,
 * no infinite value in a table, and every renderer succeeds.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "tfp/estimate.h"
#include "tfp/tables.h"

/* No computed cell may be infinite (NaN is "undefined" and renders empty;
 * the renderers' own tests check that), and every renderer must succeed. */
static void
check_render(const tfp_table *t)
{
    static const tfp_format fmts[] = {TFP_FORMAT_TEXT, TFP_FORMAT_CSV, TFP_FORMAT_MD,
                                      TFP_FORMAT_JSON};
    tfp_render_opts ro;
    for (size_t i = 0; i < tfp_table_nrow(t); i++)
        for (size_t j = 0; j < tfp_table_ncol(t); j++)
            if (tfp_table_text(t, i, j) == NULL && isinf(tfp_table_num(t, i, j)))
                abort();
    tfp_render_opts_init(&ro);
    for (size_t k = 0; k < 4; k++) {
        tfp_strbuf sb;
        tfp_strbuf_init(&sb);
        if (tfp_table_render(t, fmts[k], &ro, &sb, NULL) != TFP_OK)
            abort();
        tfp_strbuf_fini(&sb);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write_file(data, size);
    tfp_panel_opts po;
    tfp_estimate_opts eo;
    tfp_panel *p = NULL;
    tfp_estimate *e = NULL;
    tfp_error err;
    if (path == NULL)
        return 0;
    tfp_panel_opts_init(&po);
    po.csv.max_rows = 5000;
    po.csv.max_field_bytes = 4096;
    po.required =
        TFP_ROLE_BIT(TFP_ROLE_YEAR) | TFP_ROLE_BIT(TFP_ROLE_OUTPUT) | TFP_ROLE_BIT(TFP_ROLE_LABOUR);
    po.need_one_of = TFP_ROLE_BIT(TFP_ROLE_CAPITAL) | TFP_ROLE_BIT(TFP_ROLE_INVESTMENT);
    tfp_error_init(&err);
    if (tfp_panel_read(path, &po, &p, &err) != TFP_OK) {
        if (err.msg[0] == '\0')
            abort();
        return 0;
    }
    tfp_estimate_opts_init(&eo);
    eo.growth.method = (size & 1) ? TFP_METHOD_TORNQVIST : TFP_METHOD_GSO;
    if (tfp_estimate_run(p, &eo, &e, &err) != TFP_OK) {
        if (err.msg[0] == '\0')
            abort();
        return 0;
    }
    {
        tfp_table *t[3] = {tfp_table_estimate_annual(e, 0, NULL),
                           tfp_table_estimate_summary(e, 0, NULL),
                           tfp_table_estimate_targets(e, 0, NULL)};
        for (size_t k = 0; k < 3; k++) {
            if (t[k] == NULL)
                abort();
            check_render(t[k]);
            tfp_table_free(t[k]);
        }
    }
    tfp_estimate_free(e);
    return 0;
}
