/*
 * Labour input (prep layer): employment, times hours, times a human-capital
 * index (Feenstra, Inklaar and Timmer 2015 build PWT's labour input as
 * emp x avh x hc).
 */
#include <string.h>

#include "tfp/prep.h"

int
tfp_labour_input_parse(const char *s, tfp_labour_input *mode, tfp_error *err)
{
    if (strcmp(s, "persons") == 0)
        *mode = TFP_LABOUR_PERSONS;
    else if (strcmp(s, "hours") == 0)
        *mode = TFP_LABOUR_HOURS;
    else if (strcmp(s, "quality") == 0)
        *mode = TFP_LABOUR_QUALITY;
    else
        return tfp_fail(err, TFP_EINVAL,
                        "--labour-input: expected persons, hours or quality, "
                        "found \"%s\"",
                        s);
    return TFP_OK;
}

void
tfp_prep_labour_input(const tfp_panel *p, tfp_labour_input mode, double *L, const char **desc)
{
    const double *emp = p->x[TFP_ROLE_LABOUR];
    const double *h = mode != TFP_LABOUR_PERSONS ? p->x[TFP_ROLE_HOURS] : NULL;
    const double *hc = mode == TFP_LABOUR_QUALITY ? p->x[TFP_ROLE_HUMAN_CAPITAL] : NULL;
    for (size_t i = 0; i < p->n; i++) {
        double v = emp[i];
        if (h != NULL)
            v *= h[i];
        if (hc != NULL)
            v *= hc[i];
        L[i] = v;
    }
    if (h != NULL && hc != NULL)
        *desc = "employment x hours x human capital";
    else if (h != NULL)
        *desc = "employment x hours";
    else if (hc != NULL)
        *desc = "employment x human capital";
    else
        *desc = "employment (persons)";
}
