/*
 * prep layer: derived inputs. Capital stock by the perpetual inventory
 * method (Harberger start), sector totals, the labour input (persons, hours
 * or quality-adjusted), and a check that a capital column behaves as a stock.
 * References: OECD (2009), Measuring Capital, ch. 6 (PIM); Harberger (1978),
 * "Perspectives on capital and technology in less developed countries".
 */
#ifndef TFP_PREP_H
#define TFP_PREP_H

#include <stddef.h>

#include "tfp/error.h"
#include "tfp/panel.h"

/*
 * K_t = (1 - delta) K_{t-1} + I_t for the n consecutive years of I, with
 * K_0 = k0 when k0 is finite, else the Harberger start K_0 = I_0 / (g_I +
 * delta), g_I the compound growth of investment over its first
 * min(TFP_HARBERGER_YEARS, n - 1) years (0 for a single year). A missing
 * investment or a gap in years leaves K missing from there on (*broken set
 * to that index, else n). TFP_ENUMERIC when g_I + delta <= 0.
 */
int tfp_pim_series(const int *year,
                   const double *I,
                   size_t n,
                   double delta,
                   double k0,
                   double *K,
                   size_t *broken,
                   tfp_error *err);

/* Fills the capital role of p from its investment by tfp_pim_series, unit by
 * unit, when p has investment and no capital. Notes breaks in p->warnings. */
int tfp_prep_pim(tfp_panel *p, double delta, double k0, tfp_error *err);

/* Adds a warning to p for each unit whose capital falls faster than
 * depreciation allows (K_t < (1 - delta) K_{t-1}): a stock with
 * non-negative investment cannot, a flow (investment) can. */
int tfp_prep_check_capital(tfp_panel *p, double delta, tfp_error *err);

/* Region totals of a panel with sectors (*out, owned): sums of output,
 * labour, capital and investment; the labour share output-weighted; hours
 * and human capital labour-weighted. A year where one of the region's
 * sectors is missing, or a summed value is, gets NaN and a warning. */
int tfp_prep_sector_totals(const tfp_panel *p, tfp_panel **out, tfp_error *err);

typedef enum {
    TFP_LABOUR_DEFAULT = 0, /* persons for gso, quality for tornqvist */
    TFP_LABOUR_PERSONS,
    TFP_LABOUR_HOURS,
    TFP_LABOUR_QUALITY
} tfp_labour_input;

/* Parses persons|hours|quality; TFP_EINVAL otherwise. */
int tfp_labour_input_parse(const char *s, tfp_labour_input *mode, tfp_error *err);

/*
 * Writes the labour input of each of p's rows to L (n values): employment,
 * times hours (HOURS, QUALITY), times human capital (QUALITY), for whichever
 * of those columns p has. *desc (static) names what was used, such as
 * "employment x hours x human capital".
 */
void tfp_prep_labour_input(const tfp_panel *p, tfp_labour_input mode, double *L, const char **desc);

#endif /* TFP_PREP_H */
