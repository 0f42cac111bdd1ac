/*
 * prep/aggregate: sector totals with product taxes (output only) against
 * sums by hand; a missing tax row; clean failure under allocation failure.
 */
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/prep.h"
#include "tfp_test.h"

TestSuite(aggregate, .init = quiet_gsl);

static tfp_panel *
read_text(int slot, const char *text)
{
    tfp_panel_opts o;
    tfp_panel *p = NULL;
    tfp_error err;
    tfp_error_init(&err);
    tfp_panel_opts_init(&o);
    cr_assert_eq(tfp_panel_read(tfp_test_tmpfile(slot, text, strlen(text)), &o, &p, &err), TFP_OK,
                 "%s", err.msg);
    return p;
}

/*
 * Two sectors plus product taxes; 2021 lacks its tax row:
 *   2020: output 10 + 30 + 2.5 (taxes) = 42.5, labour 5 + 4 = 9 (taxes have none),
 *         capital 20 + 50 = 70, labour share (10 x 0.6 + 30 x 0.4) / 40 = 18 / 40 = 0.45
 *         (weighted by the sectors' output: taxes carry no labour share)
 *   2021: sectors complete, taxes missing: output undefined, with a warning;
 *         labour 5.5 + 4.5 = 10 stays defined.
 */
Test(aggregate, product_taxes_add_to_output_only)
{
    tfp_panel *p = read_text(0, "region,sector,year,output,labour,capital,labour_share\n"
                                "R,agri,2020,10,5,20,0.6\n"
                                "R,agri,2021,11,5.5,21,0.6\n"
                                "R,industry,2020,30,4,50,0.4\n"
                                "R,industry,2021,33,4.5,52,0.4\n"
                                "R,product_taxes,2020,2.5,,,\n");
    tfp_panel *taxes = NULL, *t = NULL;
    tfp_error err;
    tfp_error_init(&err);
    cr_assert_eq(tfp_prep_split_taxes(p, "Product_Taxes", &taxes, &err), TFP_OK, "%s", err.msg);
    cr_assert_not_null(taxes);
    cr_assert_eq(taxes->n, 1);
    cr_assert_eq(p->n, 4);
    cr_assert_eq(p->nunit, 2);
    cr_assert_eq(tfp_prep_sector_totals(p, &t, &err), TFP_OK, "%s", err.msg);
    cr_assert_eq(tfp_prep_add_taxes(t, taxes, &err), TFP_OK, "%s", err.msg);
    cr_assert_eq(t->n, 2);
    tfp_test_rel(t->x[TFP_ROLE_OUTPUT][0], 42.5, 1e-15);
    tfp_test_rel(t->x[TFP_ROLE_LABOUR][0], 9.0, 1e-15);
    tfp_test_rel(t->x[TFP_ROLE_CAPITAL][0], 70.0, 1e-15);
    tfp_test_rel(t->x[TFP_ROLE_LABOUR_SHARE][0], 0.45, 1e-15);
    cr_assert(isnan(t->x[TFP_ROLE_OUTPUT][1]));
    tfp_test_rel(t->x[TFP_ROLE_LABOUR][1], 10.0, 1e-15);
    cr_assert_eq(t->warnings.n, 1);
    cr_assert_str_eq(t->warnings.msg[0],
                     "R: no product-tax row for 2021; the region total is undefined that year");
    tfp_panel_free(t);
    tfp_panel_free(taxes);
    tfp_panel_free(p);
}

Test(aggregate, no_tax_sector_leaves_the_panel_alone)
{
    tfp_panel *p = read_text(0, "region,sector,year,output,labour,capital\n"
                                "R,agri,2020,10,5,20\n"
                                "R,industry,2020,30,4,50\n");
    tfp_panel *taxes = NULL;
    uint32_t code;
    cr_assert_eq(tfp_prep_tax_sector(p, TFP_DEFAULT_TAX_SECTOR, &code), 0);
    cr_assert_eq(code, UINT32_MAX);
    cr_assert_eq(tfp_prep_split_taxes(p, TFP_DEFAULT_TAX_SECTOR, &taxes, NULL), TFP_OK);
    cr_assert_null(taxes);
    cr_assert_eq(p->n, 2);
    tfp_panel_free(p);
}

Test(aggregate, only_product_taxes_is_an_input_error)
{
    tfp_panel *p = read_text(0, "region,sector,year,output,labour,capital\n"
                                "R,product_taxes,2020,10,,\n");
    tfp_panel *taxes = NULL;
    tfp_error err;
    tfp_error_init(&err);
    cr_assert_eq(tfp_prep_split_taxes(p, TFP_DEFAULT_TAX_SECTOR, &taxes, &err), TFP_EINPUT);
    cr_assert(strstr(err.msg, "every row is in sector \"product_taxes\"") != NULL, "%s", err.msg);
    tfp_panel_free(p);
}

Test(aggregate, fails_cleanly_when_every_later_allocation_fails)
{
    tfp_panel *p = read_text(0, "region,sector,year,output,labour,capital\n"
                                "R,agri,2020,10,5,20\n"
                                "R,agri,2021,11,5.5,21\n"
                                "R,industry,2020,30,4,50\n"
                                "R,industry,2021,33,4.5,52\n"
                                "R,product_taxes,2020,2.5,,\n"
                                "S,agri,2021,11,5.5,21\n");
    tfp_panel *taxes = NULL;
    tfp_error err;
    tfp_error_init(&err);
    cr_assert_eq(tfp_prep_split_taxes(p, TFP_DEFAULT_TAX_SECTOR, &taxes, &err), TFP_OK);
    for (size_t k = 1; k < 1000; k++) {
        tfp_panel *t = NULL;
        int rc;
        tfp_error_init(&err);
        tfp_alloc_fail_at(k, 1);
        rc = tfp_prep_sector_totals(p, &t, &err);
        if (rc == TFP_OK)
            rc = tfp_prep_add_taxes(t, taxes, &err);
        tfp_alloc_fail_at(0, 0);
        if (rc == TFP_OK) {
            cr_assert_gt(k, 3);
            tfp_test_rel(t->x[TFP_ROLE_OUTPUT][0], 42.5, 1e-15);
            tfp_panel_free(t);
            tfp_panel_free(taxes);
            tfp_panel_free(p);
#if defined(__SANITIZE_ADDRESS__)
            cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked (report above)");
#endif
            return;
        }
        tfp_panel_free(t);
        cr_assert_eq(rc, TFP_ENOMEM, "allocation %zu: code %d (%s)", k, rc, err.msg);
    }
    cr_assert_fail("never succeeded");
}
