/*
 * Compares a tfp_table with a reference CSV made by an independent program
 * (the R scripts in scripts/reference): rows matched by key columns, every column the two
 * share compared (numbers to a tolerance, text exactly, empty with missing).
 */
#ifndef TFP_REF_COMPARE_H
#define TFP_REF_COMPARE_H

#include <stddef.h>

#include "tfp/report.h"

/* Asserts (Criterion) that every row of the reference file at ref_path has a
 * matching row in t (same values in the nkeys key columns) and that every
 * column both have agrees: |got - want| <= rtol |want| + atol, or both
 * missing. Returns the number of reference rows checked; *ncols (may be
 * NULL) receives the number of shared columns compared. */
size_t tfp_test_compare_table(const tfp_table *t,
                              const char *ref_path,
                              const char *const *keys,
                              size_t nkeys,
                              double rtol,
                              double atol,
                              size_t *ncols);

#endif /* TFP_REF_COMPARE_H */
