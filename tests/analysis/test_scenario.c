/*
 * analysis/scenario: the scenario reader (rows, order, every error with its
 * position), projections against hand derivations, carried-forward and
 * default paths, and the reverse solve against closed forms derived by hand.
 *
 * The data are the growth test's hand example (tests/fixtures/cli/hand.csv):
 * Alpha 2019-2021, output 100 110 121, persons 50 51 52.02, capital 200 220
 * 242 (output +10 %, labour +2 %, capital +10 % a year), gso, b_K = 0.4,
 * plan 2021-2025 (base year 2020).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/estimate.h"
#include "tfp/scenario.h"
#include "tfp_test.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define assert_no_leaks() cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked")
#else
#define assert_no_leaks() ((void)0)
#endif

TestSuite(scenario, .init = quiet_gsl);

static const char hand_csv[] = "region,year,output,labour,capital\n"
                               "Alpha,2019,100,50,200\n"
                               "Alpha,2020,110,51,220\n"
                               "Alpha,2021,121,52.02,242\n";

/* Two regions: Alpha as above, Beta with data to 2025 (the whole plan). */
static const char two_csv[] = "region,year,output,labour,capital\n"
                              "Alpha,2019,100,50,200\n"
                              "Alpha,2020,110,51,220\n"
                              "Alpha,2021,121,52.02,242\n"
                              "Beta,2019,50,20,90\n"
                              "Beta,2020,52,20.2,93\n"
                              "Beta,2021,54,20.4,96\n"
                              "Beta,2022,56,20.6,99\n"
                              "Beta,2023,58,20.8,102\n"
                              "Beta,2024,60,21,105\n"
                              "Beta,2025,62,21.2,108\n";

static tfp_estimate *
estimate_of(const char *csv, tfp_method method, int from, int to, double lp, double tfp_lo)
{
    tfp_panel_opts po;
    tfp_estimate_opts eo;
    tfp_panel *p = NULL;
    tfp_estimate *e = NULL;
    tfp_error err;
    tfp_error_init(&err);
    tfp_panel_opts_init(&po);
    cr_assert_eq(tfp_panel_read(tfp_test_tmpfile(0, csv, strlen(csv)), &po, &p, &err), TFP_OK, "%s",
                 err.msg);
    tfp_estimate_opts_init(&eo);
    eo.growth.method = method;
    eo.from = from;
    eo.to = to;
    eo.targets.lp = lp;
    eo.targets.tfp_lo = tfp_lo;
    eo.targets.tfp_hi = tfp_lo > 0.35 ? tfp_lo : 0.35;
    cr_assert_eq(tfp_estimate_run(p, &eo, &e, &err), TFP_OK, "%s", err.msg);
    return e;
}

static tfp_scenario_set *
set_of(const char *csv)
{
    tfp_scenario_set *s = NULL;
    tfp_error err;
    tfp_error_init(&err);
    cr_assert_eq(tfp_scenario_set_read(tfp_test_tmpfile(1, csv, strlen(csv)), NULL, &s, &err),
                 TFP_OK, "%s", err.msg);
    return s;
}

/* Reads a scenario file that must fail: the code, line, column and a part
 * of the message. */
static void
read_fails(const char *csv, int code, size_t line, size_t col, const char *part)
{
    tfp_scenario_set *s = NULL;
    tfp_error err;
    tfp_error_init(&err);
    cr_assert_eq(tfp_scenario_set_read(tfp_test_tmpfile(1, csv, strlen(csv)), NULL, &s, &err), code,
                 "%s", csv);
    cr_assert_null(s);
    cr_assert_eq(err.line, line, "line %zu, want %zu: %s", err.line, line, err.msg);
    cr_assert_eq(err.col, col, "col %zu, want %zu: %s", err.col, col, err.msg);
    cr_assert(strstr(err.msg, part) != NULL, "message \"%s\" lacks \"%s\"", err.msg, part);
}

/* ---- reading ---------------------------------------------------------------------- */

Test(scenario, reads_rows_sorted_with_every_region_first)
{
    tfp_scenario_set *s = set_of("scenario,region,year,labour_growth,tfp_growth,note\n"
                                 "high,Alpha,2023,0.01,,text; ignored\n"
                                 "base,,2022,0.02,0.01,\n"
                                 "high,,2022,0.03,0.02,\"a, quoted note\"\n"
                                 "high,Alpha,2022,,0.04,\n");
    cr_assert_eq(s->nscenario, 2);
    cr_assert_str_eq(s->scenario[0], "high"); /* order of first appearance */
    cr_assert_str_eq(s->scenario[1], "base");
    cr_assert_eq(s->nrow, 4);
    /* high: "" 2022, Alpha 2022, Alpha 2023; then base: "" 2022. */
    cr_assert_eq(s->row[0].scenario, 0);
    cr_assert_str_eq(s->row[0].region, "");
    cr_assert_str_eq(s->row[1].region, "Alpha");
    cr_assert_eq(s->row[1].year, 2022);
    cr_assert(isnan(s->row[1].v[TFP_SCEN_LABOUR_GROWTH]));
    tfp_test_rel(s->row[1].v[TFP_SCEN_TFP_GROWTH], 0.04, 0);
    cr_assert_eq(s->row[2].year, 2023);
    cr_assert_eq(s->row[3].scenario, 1);
    cr_assert(isnan(s->row[0].v[TFP_SCEN_INVESTMENT]), "absent column reads as not stated");
    cr_assert_eq(s->col_var[TFP_SCEN_INVESTMENT], SIZE_MAX);
    cr_assert_str_eq(tfp_scenario_var_name(TFP_SCEN_CAPITAL_SHARE), "capital_share");
    cr_assert_str_eq(tfp_scenario_var_name(99), "?");
    tfp_scenario_set_free(s);
    tfp_scenario_set_free(NULL);
}

Test(scenario, reader_errors_are_located)
{
    read_fails("scenario,year,labor_growth\nx,2022,0.01\n", TFP_EINPUT, 1, 15,
               "unknown column \"labor_growth\"");
    read_fails("scenario,year,tfp_growth,TFP_growth\nx,2022,0.01,0.01\n", TFP_EINPUT, 1, 26,
               "appears twice");
    read_fails("year,tfp_growth\n2022,0.01\n", TFP_EINPUT, 1, 0, "no scenario column");
    read_fails("scenario,tfp_growth\nx,0.01\n", TFP_EINPUT, 1, 0, "no year column");
    read_fails("scenario,year,note\nx,2022,a\n", TFP_EINPUT, 1, 0, "no value column");
    read_fails("scenario,year,tfp_growth\n", TFP_EINPUT, 2, 0, "no data rows");
    read_fails("scenario,year,tfp_growth\nx,2022,0.01\n,2023,0.01\n", TFP_EINPUT, 3, 1,
               "expected a scenario name");
    read_fails("scenario,year,tfp_growth\nx,2022.5,0.01\n", TFP_EINPUT, 2, 3, "whole year");
    read_fails("scenario,year,tfp_growth\nx,,0.01\n", TFP_EINPUT, 2, 3, "expected a year");
    read_fails("scenario,year,labour_growth\nx,2022,1.5\n", TFP_EINPUT, 2, 8,
               "a growth rate as a fraction in (-1, 1), such as 0.075");
    read_fails("scenario,year,investment\nx,2022,-3\n", TFP_EINPUT, 2, 8, "non-negative");
    read_fails("scenario,year,capital_share\nx,2022,1.2\n", TFP_EINPUT, 2, 8, "between 0 and 1");
    read_fails("scenario,year,output_growth,tfp_growth\nx,2022,0.05,0.01\n", TFP_EINPUT, 2, 13,
               "both output_growth and tfp_growth");
    read_fails("scenario,year,capital_growth,investment\nx,2022,0.05,12\n", TFP_EINPUT, 2, 13,
               "both capital_growth and investment");
    read_fails("scenario,region,year,tfp_growth\nx,A,2022,0.01\nx,,2022,0.01\nx,A,2022,0.02\n",
               TFP_EINPUT, 4, 5,
               "duplicate row for scenario \"x\", region \"A\", year 2022 (first "
               "at line 2)");
    read_fails("scenario,year,tfp_growth\nx,2022,abc\n", TFP_EINPUT, 2, 8, "expected a number");
}

Test(scenario, missing_file_is_io)
{
    tfp_scenario_set *s = NULL;
    tfp_error err;
    tfp_error_init(&err);
    cr_assert_eq(tfp_scenario_set_read("/nonexistent/s.csv", NULL, &s, &err), TFP_EIO);
}

/* ---- projection ------------------------------------------------------------------- */

/* The index of year y in a unit's series. */
static size_t
at(const tfp_scenario_unit *u, int y)
{
    for (size_t i = 0; i < u->in.n; i++)
        if (u->in.year[i] == y)
            return i;
    cr_assert_fail("year %d not in the series", y);
    return 0;
}

Test(scenario, tfp_path_continues_the_hand_example)
{
    /* g_A = 0.048, labour +2 %, capital +10 %: g_Y = 0.048 + 0.4 * 0.1 + 0.6
     * * 0.02 = 0.1, so output keeps growing 10 %: Y_2025 = 121 * 1.1^4 =
     * 177.1561. The period (base 2020) has g_Y 0.1, TFP share 0.48 (above
     * the 30-35 % band), LP growth 1.1/1.02 - 1 = 4/51 (below 12.5 %). */
    tfp_estimate *e = estimate_of(hand_csv, TFP_METHOD_GSO, 2021, 2025, 0.125, 0.30);
    tfp_scenario_set *s = set_of("scenario,year,tfp_growth,labour_growth,capital_growth\n"
                                 "base,2022,0.048,0.02,0.1\n");
    tfp_scenario_result *r = NULL;
    const tfp_scenario_unit *u;
    cr_assert_eq(tfp_scenario_run(e, s, 0, &r, NULL), TFP_OK);
    cr_assert_eq(r->nunit, 1);
    cr_assert_eq(r->horizon, 2025);
    u = &r->unit[0];
    cr_assert_str_eq(u->scenario, "base");
    cr_assert_str_eq(u->region, "Alpha");
    cr_assert_eq(u->last_data, 2021);
    cr_assert_eq(u->in.n, 7);
    tfp_test_rel(u->in.Y[at(u, 2025)], 177.1561, 1e-14);
    tfp_test_rel(u->in.K[at(u, 2025)], 242.0 * 1.4641, 1e-14);
    tfp_test_rel(u->in.P[at(u, 2025)], 52.02 * pow(1.02, 4), 1e-14);
    for (int y = 2022; y <= 2025; y++) {
        /* The estimate's own growth accounting recovers the stated TFP growth. */
        tfp_test_rel(u->g->g_A[at(u, y)], 0.048, 1e-12);
        tfp_test_rel(u->g->share_A[at(u, y)], 0.48, 1e-12);
    }
    cr_assert(u->s.complete);
    cr_assert_eq(u->s.years, 5);
    tfp_test_rel(u->s.g_Y, 0.1, 1e-13);
    tfp_test_rel(u->s.share_A, 0.48, 1e-12);
    tfp_test_rel(u->s.lp_compound, 4.0 / 51.0, 1e-13);
    cr_assert_str_eq(u->t[TFP_TARGET_LP].status, "below");
    cr_assert_str_eq(u->t[TFP_TARGET_TFP_PERIOD].status, "above");
    cr_assert_str_eq(u->t[TFP_TARGET_TFP_LAST].status, "above");
    cr_assert_eq(r->warnings.n, 0, "%s", r->warnings.n ? r->warnings.msg[0] : "");
    tfp_scenario_result_free(r);
    tfp_scenario_set_free(s);
    tfp_estimate_free(e);
}

Test(scenario, output_and_investment_paths)
{
    /* Output +5 % a year; capital by perpetual inventory, delta 0.05,
     * investment 30: K_2022 = 0.95 * 242 + 30 = 259.9, K_2023 = 0.95 * 259.9
     * + 30 = 276.905. Horizon 2023 < to: the period is incomplete. */
    tfp_estimate *e = estimate_of(hand_csv, TFP_METHOD_GSO, 2021, 2025, 0.125, 0.30);
    tfp_scenario_set *s = set_of("scenario,year,output_growth,labour_growth,investment\n"
                                 "inv,2022,0.05,0.01,30\n");
    tfp_scenario_result *r = NULL;
    const tfp_scenario_unit *u;
    cr_assert_eq(tfp_scenario_run(e, s, 2023, &r, NULL), TFP_OK);
    u = &r->unit[0];
    cr_assert_eq(u->in.n, 5);
    tfp_test_rel(u->in.K[at(u, 2022)], 259.9, 1e-14);
    tfp_test_rel(u->in.K[at(u, 2023)], 276.905, 1e-14);
    tfp_test_rel(u->in.Y[at(u, 2023)], 121.0 * 1.05 * 1.05, 1e-14);
    tfp_test_rel(u->g->g_Y[at(u, 2023)], 0.05, 1e-13);
    /* 2022: g_A = 0.05 - 0.4 (259.9/242 - 1) - 0.6 * 0.01. */
    tfp_test_rel(u->g->g_A[at(u, 2022)], 0.05 - 0.4 * (259.9 / 242.0 - 1.0) - 0.006, 1e-12);
    cr_assert(!u->s.complete);
    cr_assert_eq(u->s.last, 2023);
    cr_assert_str_eq(u->t[TFP_TARGET_LP].status, "off-track");
    cr_assert(isfinite(u->t[TFP_TARGET_LP].required_growth));
    tfp_scenario_result_free(r);
    tfp_scenario_set_free(s);
    tfp_estimate_free(e);
}

Test(scenario, values_carry_forward_and_region_rows_override)
{
    /* Every-region rows: labour +1 % from 2022, +3 % from 2024; Alpha's own
     * row states labour +2 % in 2023 (only labour: its capital and output
     * stay with the every-region rows). Expected labour growth: 2022 1 %,
     * 2023 2 %, 2024 3 %, 2025 3 %. */
    tfp_estimate *e = estimate_of(hand_csv, TFP_METHOD_GSO, 2021, 2025, 0.125, 0.30);
    tfp_scenario_set *s = set_of("scenario,region,year,tfp_growth,labour_growth,capital_growth\n"
                                 "s,,2022,0.02,0.01,0.05\n"
                                 "s,,2024,,0.03,\n"
                                 "s,Alpha,2023,,0.02,\n");
    tfp_scenario_result *r = NULL;
    const tfp_scenario_unit *u;
    static const double gl[] = {0.01, 0.02, 0.03, 0.03};
    cr_assert_eq(tfp_scenario_run(e, s, 2025, &r, NULL), TFP_OK);
    u = &r->unit[0];
    for (int y = 2022; y <= 2025; y++) {
        tfp_test_rel(u->g->g_L[at(u, y)], gl[y - 2022], 1e-12);
        tfp_test_rel(u->g->g_K[at(u, y)], 0.05, 1e-12);
        tfp_test_rel(u->g->g_A[at(u, y)], 0.02, 1e-11);
    }
    tfp_scenario_result_free(r);
    tfp_scenario_set_free(s);
    tfp_estimate_free(e);
}

Test(scenario, unstated_paths_follow_the_recent_average_with_a_warning)
{
    /* Only capital is stated. Labour follows its 2020-2021 average (base
     * 2019, the first year: the data are shorter than 5 years): (52.02/50)^
     * (1/2) - 1 = 0.02; TFP growth its average, 0.1 - 0.4 * 0.1 - 0.6 * 0.02
     * = 0.048. */
    tfp_estimate *e = estimate_of(hand_csv, TFP_METHOD_GSO, 2021, 2025, 0.125, 0.30);
    tfp_scenario_set *s = set_of("scenario,year,capital_growth\ns,2022,0.07\n");
    tfp_scenario_result *r = NULL;
    const tfp_scenario_unit *u;
    cr_assert_eq(tfp_scenario_run(e, s, 2024, &r, NULL), TFP_OK);
    u = &r->unit[0];
    cr_assert_eq(u->trend_from, 2020);
    tfp_test_rel(u->trend_g_L, 0.02, 1e-13);
    tfp_test_rel(u->trend_g_A, 0.048, 1e-12);
    tfp_test_rel(u->g->g_L[at(u, 2024)], 0.02, 1e-12);
    tfp_test_rel(u->g->g_A[at(u, 2024)], 0.048, 1e-11);
    tfp_test_rel(u->g->g_K[at(u, 2024)], 0.07, 1e-12);
    cr_assert_eq(r->warnings.n, 2);
    cr_assert(strstr(r->warnings.msg[0], "Alpha (scenario s): no output_growth or tfp_growth "
                                         "stated for 2022-2024; TFP growth at its 2020-2021 "
                                         "average 0.048") != NULL,
              "%s", r->warnings.msg[0]);
    cr_assert(strstr(r->warnings.msg[1], "no labour_growth stated for 2022-2024") != NULL, "%s",
              r->warnings.msg[1]);
    tfp_scenario_result_free(r);
    tfp_scenario_set_free(s);
    tfp_estimate_free(e);
}

Test(scenario, scenarios_cover_their_regions_only)
{
    /* Scenario a: every region; b: Beta only. Beta's data reach 2025, so
     * it has no projected year. */
    tfp_estimate *e = estimate_of(two_csv, TFP_METHOD_GSO, 2021, 2025, 0.125, 0.30);
    tfp_scenario_set *s = set_of("scenario,region,year,tfp_growth,labour_growth,capital_growth\n"
                                 "a,,2022,0.01,0.01,0.05\n"
                                 "b,Beta,2026,0.01,0.01,0.05\n");
    tfp_scenario_result *r = NULL;
    cr_assert_eq(tfp_scenario_run(e, s, 2026, &r, NULL), TFP_OK);
    cr_assert_eq(r->nunit, 3);
    cr_assert_str_eq(r->unit[0].region, "Alpha");
    cr_assert_str_eq(r->unit[1].region, "Beta");
    cr_assert_str_eq(r->unit[2].scenario, "b");
    cr_assert_eq(r->unit[1].last_data, 2025);
    cr_assert_eq(r->unit[1].in.n, 8);
    tfp_test_rel(r->unit[2].in.Y[7], 62.0 * 1.036, 1e-14); /* 0.01 + 0.4*0.05 + 0.6*0.01 */
    tfp_scenario_result_free(r);
    tfp_scenario_set_free(s);
    tfp_estimate_free(e);
}

Test(scenario, unknown_region_is_an_input_error_at_its_row)
{
    tfp_estimate *e = estimate_of(two_csv, TFP_METHOD_GSO, 2021, 2025, 0.125, 0.30);
    tfp_scenario_set *s = set_of("scenario,region,year,tfp_growth\n"
                                 "a,,2022,0.01\n"
                                 "a,Gamma,2022,0.01\n");
    tfp_scenario_result *r = NULL;
    tfp_solve_result *q = NULL;
    tfp_error err;
    tfp_error_init(&err);
    cr_assert_eq(tfp_scenario_run(e, s, 0, &r, &err), TFP_EINPUT);
    cr_assert_null(r);
    cr_assert_eq(err.line, 3);
    cr_assert_eq(err.col, 3);
    cr_assert(strstr(err.msg, "region \"Gamma\" is not in the data (regions: Alpha, Beta)") != NULL,
              "%s", err.msg);
    tfp_error_init(&err);
    cr_assert_eq(tfp_scenario_solve(e, s, TFP_SOLVE_TFP, &q, &err), TFP_EINPUT);
    cr_assert_null(q);
    tfp_scenario_set_free(s);
    tfp_estimate_free(e);
}

Test(scenario, gso_takes_one_capital_share)
{
    /* capital_share 0.3 replaces b_K for the whole run, history included:
     * 2021 g_A = 0.1 - 0.3 * 0.1 - 0.7 * 0.02 = 0.056. */
    tfp_estimate *e = estimate_of(hand_csv, TFP_METHOD_GSO, 2021, 2025, 0.125, 0.30);
    tfp_scenario_set *s = set_of("scenario,year,tfp_growth,labour_growth,capital_growth,"
                                 "capital_share\ns,2022,0.05,0.02,0.1,0.3\n");
    tfp_scenario_set *bad = set_of("scenario,year,tfp_growth,capital_share\n"
                                   "s,2022,0.05,0.3\n"
                                   "s,2024,0.05,0.35\n");
    tfp_scenario_result *r = NULL;
    tfp_error err;
    cr_assert_eq(tfp_scenario_run(e, s, 0, &r, NULL), TFP_OK);
    tfp_test_rel(r->unit[0].growth.capital_share, 0.3, 0);
    tfp_test_rel(r->unit[0].g->g_A[at(&r->unit[0], 2021)], 0.056, 1e-13);
    tfp_test_rel(r->unit[0].s.a, 0.3, 0);
    tfp_scenario_result_free(r);
    tfp_error_init(&err);
    cr_assert_eq(tfp_scenario_run(e, bad, 0, &r, &err), TFP_EINPUT);
    cr_assert_eq(err.line, 3);
    cr_assert_eq(err.col, 13);
    cr_assert(strstr(err.msg, "with --method gso the capital share is one constant") != NULL, "%s",
              err.msg);
    tfp_scenario_set_free(bad);
    tfp_scenario_set_free(s);
    tfp_estimate_free(e);
}

Test(scenario, tornqvist_projects_in_logs_with_two_year_shares)
{
    /* tornqvist, no labour-share column: the data use b_K = 0.4 (labour share
     * 0.6). From 2022 the scenario's capital share is 0.3 (labour share 0.7):
     * a_2022 = 1 - (0.7 + 0.6)/2 = 0.35, a_2023 = 0.3. Log growth: g_A 0.02,
     * g_L 0.01, g_K 0.05: ln(Y_2022/Y_2021) = 0.02 + 0.35 * 0.05 + 0.65 * 0.01,
     * ln(Y_2023/Y_2022) = 0.02 + 0.3 * 0.05 + 0.7 * 0.01. */
    tfp_estimate *e = estimate_of(hand_csv, TFP_METHOD_TORNQVIST, 2021, 2025, 0.125, 0.30);
    tfp_scenario_set *s = set_of("scenario,year,tfp_growth,labour_growth,capital_growth,"
                                 "capital_share\ns,2022,0.02,0.01,0.05,0.3\n");
    tfp_scenario_result *r = NULL;
    const tfp_scenario_unit *u;
    cr_assert_eq(tfp_scenario_run(e, s, 2023, &r, NULL), TFP_OK);
    u = &r->unit[0];
    tfp_test_rel(u->in.L[at(u, 2023)], 52.02 * exp(0.02), 1e-14);
    tfp_test_rel(u->g->a[at(u, 2022)], 0.35, 1e-14);
    tfp_test_rel(u->g->a[at(u, 2023)], 0.3, 1e-14);
    tfp_test_rel(log(u->in.Y[at(u, 2022)] / 121.0), 0.02 + 0.35 * 0.05 + 0.65 * 0.01, 1e-13);
    tfp_test_rel(log(u->in.Y[at(u, 2023)] / u->in.Y[at(u, 2022)]), 0.02 + 0.3 * 0.05 + 0.7 * 0.01,
                 1e-13);
    tfp_test_rel(u->g->g_A[at(u, 2023)], 0.02, 1e-12);
    tfp_test_rel(u->g->a[at(u, 2021)], 0.4, 1e-15);
    tfp_scenario_result_free(r);
    tfp_scenario_set_free(s);
    tfp_estimate_free(e);
}

Test(scenario, sector_data_project_region_totals)
{
    tfp_estimate *e = NULL;
    tfp_panel *p = NULL;
    tfp_panel_opts po;
    tfp_estimate_opts eo;
    tfp_scenario_set *s = set_of("scenario,year,tfp_growth,labour_growth,capital_growth\n"
                                 "s,2022,0.01,0.01,0.05\n");
    tfp_scenario_result *r = NULL;
    tfp_panel_opts_init(&po);
    cr_assert_eq(tfp_panel_read(tfp_test_path("tests/fixtures/cli/sectors.csv"), &po, &p, NULL),
                 TFP_OK);
    tfp_estimate_opts_init(&eo);
    eo.from = 2021;
    eo.to = 2025;
    cr_assert_eq(tfp_estimate_run(p, &eo, &e, NULL), TFP_OK);
    cr_assert_eq(tfp_scenario_run(e, s, 0, &r, NULL), TFP_OK);
    cr_assert_eq(r->nunit, 1);
    cr_assert_str_eq(r->unit[0].region, "North");
    /* Total output 2021 = 42.436 + 78.564 = 121. */
    tfp_test_rel(r->unit[0].in.Y[at(&r->unit[0], 2021)], 121.0, 1e-14);
    tfp_scenario_result_free(r);
    tfp_scenario_set_free(s);
    tfp_estimate_free(e);
}

/* ---- the reverse solve -------------------------------------------------------------- */

static const char paths_csv[] = "scenario,year,labour_growth,capital_growth,tfp_growth\n"
                                "s,2022,0.02,0.1,0.5\n";

Test(scenario, solve_tfp_matches_the_closed_forms)
{
    /* Projected 2022-2025 (4 years) with g_L = 0.02, g_K = 0.1; base 2020,
     * n = 5 (the stated tfp_growth is ignored by the solve).
     * LP: LP_2025 / LP_2020 = 1.125^5 with LP_2020 = 110/51, LP_2025 = 121
     * (1 + g_Y)^4 / (52.02 * 1.02^4), so (1 + g_Y)^4 = 1.125^5 1.02^5 / 1.1,
     * and g_A = g_Y - 0.4 * 0.1 - 0.6 * 0.02 = g_Y - 0.052.
     * TFP share: inputs add c = 0.4 * 0.1 + 0.6 * 0.02 = 0.052 on average
     * (both grew at these rates in 2021 too); share = 1 - c/G >= 0.3 needs
     * G = 0.052/0.7, and 110 (1 + G)^5 = 121 (1 + g_Y)^4. */
    tfp_estimate *e = estimate_of(hand_csv, TFP_METHOD_GSO, 2021, 2025, 0.125, 0.30);
    tfp_scenario_set *s = set_of(paths_csv);
    tfp_solve_result *q = NULL;
    double gy_lp = pow(pow(1.125, 5) * pow(1.02, 5) / 1.1, 0.25) - 1.0;
    double G = 0.052 / 0.7, gy_tfp = pow(pow(1.0 + G, 5) / 1.1, 0.25) - 1.0;
    cr_assert_eq(tfp_scenario_solve(e, s, TFP_SOLVE_TFP, &q, NULL), TFP_OK);
    cr_assert_eq(q->n, 1);
    cr_assert_eq(q->row[0].last_data, 2021);
    cr_assert(fabs(q->row[0].required_lp - (gy_lp - 0.052)) < 1e-11, "%.17g",
              q->row[0].required_lp);
    cr_assert(fabs(q->row[0].required_tfp - (gy_tfp - 0.052)) < 1e-11, "%.17g",
              q->row[0].required_tfp);
    cr_assert_str_eq(q->row[0].binding, "lp_growth");
    tfp_test_rel(q->row[0].required, q->row[0].required_lp, 0);
    cr_assert_eq(q->warnings.n, 0);
    tfp_solve_result_free(q);

    /* Output growth instead: the same thresholds on g_Y. */
    cr_assert_eq(tfp_scenario_solve(e, s, TFP_SOLVE_OUTPUT, &q, NULL), TFP_OK);
    cr_assert(fabs(q->row[0].required - gy_lp) < 1e-11, "%.17g", q->row[0].required);
    cr_assert(fabs(q->row[0].required_tfp - gy_tfp) < 1e-11, "%.17g", q->row[0].required_tfp);
    tfp_solve_result_free(q);
    tfp_scenario_set_free(s);
    tfp_estimate_free(e);
}

Test(scenario, solve_tfp_share_binds_under_a_low_lp_goal)
{
    /* lp = 0.02: the LP requirement (1 + g_Y)^4 = 1.02^5 1.02^5 / 1.1 falls
     * below the TFP share's, which binds. */
    tfp_estimate *e = estimate_of(hand_csv, TFP_METHOD_GSO, 2021, 2025, 0.02, 0.30);
    tfp_scenario_set *s = set_of(paths_csv);
    tfp_solve_result *q = NULL;
    double gy_lp = pow(pow(1.02, 10) / 1.1, 0.25) - 1.0;
    double G = 0.052 / 0.7, gy_tfp = pow(pow(1.0 + G, 5) / 1.1, 0.25) - 1.0;
    cr_assert_eq(tfp_scenario_solve(e, s, TFP_SOLVE_TFP, &q, NULL), TFP_OK);
    cr_assert(fabs(q->row[0].required_lp - (gy_lp - 0.052)) < 1e-11);
    cr_assert(fabs(q->row[0].required - (gy_tfp - 0.052)) < 1e-11, "%.17g", q->row[0].required);
    cr_assert_str_eq(q->row[0].binding, "tfp_share");
    tfp_solve_result_free(q);
    tfp_scenario_set_free(s);
    tfp_estimate_free(e);
}

Test(scenario, solution_meets_both_targets_when_projected)
{
    /* Feeding the required TFP growth back as the scenario's tfp_growth, the
     * same summary and checks report the LP goal met and the share at least
     * the band's low end; a hair less misses the binding goal. */
    tfp_estimate *e = estimate_of(hand_csv, TFP_METHOD_GSO, 2021, 2025, 0.125, 0.30);
    tfp_scenario_set *s = set_of(paths_csv), *s2;
    tfp_solve_result *q = NULL;
    tfp_scenario_result *r = NULL;
    char csv[256];
    cr_assert_eq(tfp_scenario_solve(e, s, TFP_SOLVE_TFP, &q, NULL), TFP_OK);
    snprintf(csv, sizeof csv,
             "scenario,year,labour_growth,capital_growth,tfp_growth\n"
             "at,2022,0.02,0.1,%.17g\nbelow,2022,0.02,0.1,%.17g\n",
             q->row[0].required, q->row[0].required - 1e-9);
    s2 = set_of(csv);
    cr_assert_eq(tfp_scenario_run(e, s2, 0, &r, NULL), TFP_OK);
    cr_assert_str_eq(r->unit[0].t[TFP_TARGET_LP].status, "met");
    cr_assert(r->unit[0].t[TFP_TARGET_TFP_PERIOD].value >= 0.30);
    cr_assert_str_eq(r->unit[1].t[TFP_TARGET_LP].status, "below");
    tfp_scenario_result_free(r);
    tfp_scenario_set_free(s2);
    tfp_solve_result_free(q);
    tfp_scenario_set_free(s);
    tfp_estimate_free(e);
}

Test(scenario, solve_in_log_growth_matches_the_closed_form)
{
    /* tornqvist (log growth, a = 0.4 without labour shares): ln(LP_2025 /
     * LP_2020) = ln(1.1/1.02) + 4 (g_A + 0.4 g_K + 0.6 g_L - g_L) must reach
     * 5 ln 1.125, with g_K = 0.1, g_L = 0.02 as log rates:
     * g_A = (5 ln 1.125 - ln(1.1/1.02)) / 4 - 0.4 (0.1 - 0.02). */
    tfp_estimate *e = estimate_of(hand_csv, TFP_METHOD_TORNQVIST, 2021, 2025, 0.125, 0.30);
    tfp_scenario_set *s = set_of(paths_csv);
    tfp_solve_result *q = NULL;
    double want = (5.0 * log(1.125) - log(1.1 / 1.02)) / 4.0 - 0.4 * 0.08;
    cr_assert_eq(tfp_scenario_solve(e, s, TFP_SOLVE_TFP, &q, NULL), TFP_OK);
    cr_assert(fabs(q->row[0].required_lp - want) < 1e-11, "%.17g vs %.17g", q->row[0].required_lp,
              want);
    cr_assert_str_eq(q->row[0].binding, "lp_growth");
    tfp_solve_result_free(q);
    tfp_scenario_set_free(s);
    tfp_estimate_free(e);
}

Test(scenario, solve_when_inputs_shrink_requires_growing_output)
{
    /* Labour -5 %, capital -2 % a year from 2022: each projected year's
     * inputs add c_t = 0.4 (-0.02) + 0.6 (-0.05) = -0.038, and over the
     * period (with 2021's growth) c < 0, so any growing output gives a TFP
     * share of at least 1: the requirement is where output stops falling,
     * 121 (1 + g_Y)^4 = 110, g_A = g_Y + 0.038. A low LP goal (-0.5) leaves
     * the share binding, with a warning. */
    tfp_estimate *e = estimate_of(hand_csv, TFP_METHOD_GSO, 2021, 2025, -0.5, 0.30);
    tfp_scenario_set *s = set_of("scenario,year,labour_growth,capital_growth\n"
                                 "down,2022,-0.05,-0.02\n");
    tfp_solve_result *q = NULL;
    double want = pow(110.0 / 121.0, 0.25) - 1.0 + 0.038;
    cr_assert_eq(tfp_scenario_solve(e, s, TFP_SOLVE_TFP, &q, NULL), TFP_OK);
    cr_assert(fabs(q->row[0].required - want) < 1e-11, "%.17g vs %.17g", q->row[0].required, want);
    cr_assert_str_eq(q->row[0].binding, "tfp_share");
    cr_assert_eq(q->warnings.n, 1);
    cr_assert(strstr(q->warnings.msg[0], "labour and capital add nothing on average") != NULL, "%s",
              q->warnings.msg[0]);
    tfp_solve_result_free(q);
    tfp_scenario_set_free(s);
    tfp_estimate_free(e);
}

Test(scenario, solve_unreachable_share_and_covered_regions)
{
    /* A TFP share band of exactly 1 with inputs that grow (c > 0) cannot be
     * reached: 1 - c/G < 1. Beta's data cover 2021-2025: nothing to solve. */
    tfp_estimate *e = estimate_of(two_csv, TFP_METHOD_GSO, 2021, 2025, 0.125, 1.0);
    tfp_scenario_set *s = set_of(paths_csv);
    tfp_solve_result *q = NULL;
    cr_assert_eq(tfp_scenario_solve(e, s, TFP_SOLVE_TFP, &q, NULL), TFP_OK);
    cr_assert_eq(q->n, 2);
    cr_assert(isnan(q->row[0].required));
    cr_assert_null(q->row[0].binding);
    cr_assert(isfinite(q->row[0].required_lp));
    cr_assert_str_eq(q->row[1].region, "Beta");
    cr_assert_eq(q->row[1].last_data, 2025);
    cr_assert(isnan(q->row[1].required));
    cr_assert_null(q->row[1].binding);
    cr_assert_eq(q->warnings.n, 1);
    cr_assert(strstr(q->warnings.msg[0], "the TFP share's low goal cannot be met") != NULL, "%s",
              q->warnings.msg[0]);
    tfp_solve_result_free(q);
    tfp_scenario_set_free(s);
    tfp_estimate_free(e);
}

Test(scenario, oom_is_enomem_without_leaks)
{
    tfp_estimate *e = estimate_of(two_csv, TFP_METHOD_GSO, 2021, 2025, 0.125, 0.30);
    const char *csv = "scenario,region,year,tfp_growth,labour_growth\n"
                      "a,,2022,0.01,0.01\nb,Alpha,2023,0.02,\n";
    const char *path = tfp_test_tmpfile(2, csv, strlen(csv));
    size_t k;
    int rc = TFP_ENOMEM;
    for (k = 1; k < 400 && rc != TFP_OK; k++) {
        tfp_scenario_set *s = NULL;
        tfp_scenario_result *r = NULL;
        tfp_solve_result *q = NULL;
        tfp_error err;
        tfp_error_init(&err);
        tfp_alloc_fail_at(k, 0);
        rc = tfp_scenario_set_read(path, NULL, &s, &err);
        if (rc == TFP_OK)
            rc = tfp_scenario_run(e, s, 2026, &r, &err);
        if (rc == TFP_OK)
            rc = tfp_scenario_solve(e, s, TFP_SOLVE_TFP, &q, &err);
        tfp_alloc_fail_at(0, 0);
        if (rc != TFP_OK) {
            cr_assert_eq(rc, TFP_ENOMEM, "allocation %zu: code %d (%s)", k, rc, err.msg);
            cr_assert_eq(err.code, TFP_ENOMEM);
        }
        tfp_solve_result_free(q);
        tfp_scenario_result_free(r);
        tfp_scenario_set_free(s);
    }
    cr_assert_eq(rc, TFP_OK);
    cr_assert_gt(k, 2);
    tfp_estimate_free(e);
    assert_no_leaks();
}
