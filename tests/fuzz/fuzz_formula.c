/*
 * libFuzzer target: the formula parser and design builder on arbitrary
 * text, over a fixed four-column table with a zero, a negative and a NaN.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tfp/config.h"
#include "tfp/formula.h"

static const char *const names[] = {"output", "capital", "labour", "year"};

static int
lookup(void *ctx, const char *name, const double **x)
{
    const double(*cols)[5] = ctx;
    for (size_t k = 0; k < 4; k++)
        if (strcmp(name, names[k]) == 0) {
            *x = cols[k];
            return 0;
        }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static double cols[4][5] = {{2.5, 3.75, 0.0, 9.5, 11.25},
                                {1.5, -2.0, 4.25, 8.0, 16.5},
                                {7.0, 7.5, 8.0, 8.5, 9.0},
                                {2001, 2002, 2003, 2004, 2005}};
    char *text;
    tfp_formula *f = NULL;
    tfp_error err;
    if (size > 4096)
        return 0;
    cols[1][4] = TFP_NAN;
    text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    tfp_error_init(&err);
    if (tfp_formula_parse(text, &f, &err) == TFP_OK) {
        tfp_design d;
        tfp_design_init(&d);
        (void)tfp_formula_design(f, 5, lookup, cols, &d, &err);
        tfp_design_fini(&d);
        (void)tfp_formula_design_flags(f, 5, lookup, cols, TFP_DESIGN_NO_INTERCEPT, &d, &err);
        tfp_design_fini(&d);
        tfp_formula_free(f);
    } else if (err.msg[0] == '\0') {
        abort();
    }
    free(text);
    return 0;
}
