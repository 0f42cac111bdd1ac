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
#include "tfp/tables.h"

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

int
cli_compare_run(cli_estimate *base, tfp_table **out, tfp_estimate **first, tfp_warnings *notes)
{
    const tfp_compare_method *methods;
    size_t nmethods;
    tfp_error err;
    tfp_table *t;
    int rc = EXIT_OK;

    *out = NULL;
    *first = NULL;
    methods = tfp_compare_methods(&nmethods);
    tfp_error_init(&err);
    t = tfp_table_compare_alloc(&err);
    if (t == NULL)
        return cli_report_error(&err);
    for (size_t k = 0; k < nmethods; k++) {
        cli_estimate ce = *base;
        tfp_estimate *e = NULL;
        tfp_error e2;
        tfp_panel *panel = NULL;
        ce.est.growth.method = methods[k].method;
        ce.est.growth.capital_share = methods[k].capital_share;
        ce.est.share_source = methods[k].source;
        if (methods[k].method == TFP_METHOD_TORNQVIST)
            ce.est.labour_input = base->est.labour_input;
        if (k == 0) {
            /* The first run reads the data as estimate does: errors in the
             * input stop the command. */
            rc = cli_estimate_load(&ce, &e);
            if (rc != EXIT_OK)
                goto done;
            base->file = ce.file;
            base->is_default = ce.is_default;
            base->panel = ce.panel;
            *first = e;
            if (tfp_table_compare_add(t, &methods[k], e, &err) != TFP_OK)
                goto fail;
            continue;
        }
        if (methods[k].method == TFP_METHOD_TORNQVIST &&
            (*first)->panel->x[TFP_ROLE_LABOUR_SHARE] == NULL) {
            tfp_warnings_add(notes, "tornqvist left out: the data have no labour_share column");
            continue;
        }
        /* Later runs: a method that does not apply (a fit that is not
         * identified, an estimate outside (0, 1)) becomes a note. */
        tfp_error_init(&e2);
        if (cli_estimate_read(&ce, &panel, &e2) != TFP_OK ||
            tfp_estimate_run(panel, &ce.est, &e, &e2) != TFP_OK) {
            if (e2.code == TFP_ENOMEM) {
                err = e2;
                goto fail;
            }
            tfp_warnings_add(notes, "%s left out: %s", methods[k].key, e2.msg);
            continue;
        }
        rc = tfp_table_compare_add(t, &methods[k], e, &err);
        tfp_estimate_free(e);
        if (rc != TFP_OK)
            goto fail;
    }
    *out = t;
    return EXIT_OK;
fail:
    rc = cli_report_error(&err);
done:
    tfp_table_free(t);
    tfp_estimate_free(*first);
    *first = NULL;
    return rc;
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
    rc = cli_compare_run(&base, &t, &first, &notes);
    if (rc != EXIT_OK)
        goto done;
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
