/*
 * Private helpers of the models layer: double-double ("dd") accumulation for residuals and
 * cross products, the error-free transformations behind it.
 * References: Dekker, "A floating-point technique for extending the available precision",
 * Numer. Math. 18 (1971); Knuth, TAOCP vol. 2, 4.2.2 (TwoSum); Ogita, Rump & Oishi, "Accurate
 * sum and dot product", SIAM J. Sci. Comput. 26 (2005) (Dot2, TwoProduct by fma).
 */
#ifndef TFP_MODELS_INT_H
#define TFP_MODELS_INT_H

#include <math.h>

/*
 * These transformations are exact only under IEEE double arithmetic with round-to-nearest and
 * without contraction of a * b + c into an fma by the compiler: the build uses -std=c11, under
 * which GCC does not contract, and nothing here may be compiled with -ffast-math.
 */

/*
 * The double-double loops (residuals of the refinement, sums of squares) are compiled twice on
 * x86-64 with GCC or Clang: for processors with FMA, where fma() is one instruction, and for
 * the rest, where it is a call into libm (exact, but about ten times slower). A loop's body is
 * written once as an always-inline function, wrapped in a TFP_TARGET_FMA function and a plain
 * one, and TFP_HAS_FMA() picks at run time (no ifunc: its resolver runs before a sanitizer's
 * runtime is up). Both give the same bits: fma rounds once either way, and -std=c11 keeps the
 * compiler from contracting any other a * b + c.
 */
#if defined(__GNUC__) && defined(__x86_64__)
#define TFP_FMA_DISPATCH  1
#define TFP_TARGET_FMA    __attribute__((target("fma")))
#define TFP_ALWAYS_INLINE __attribute__((always_inline)) inline
#define TFP_HAS_FMA()     __builtin_cpu_supports("fma")
#else
#define TFP_FMA_DISPATCH  0
#define TFP_ALWAYS_INLINE inline
#define TFP_HAS_FMA()     0
#endif

/* A double-double value hi + lo, |lo| <= ulp(hi) / 2 once normalised; during a Dot2
 * accumulation lo gathers the error terms and the pair is normalised only at the end. */
typedef struct tfp_dd {
    double hi;
    double lo;
} tfp_dd;

/* TwoSum (Knuth): s + e = a + b exactly, s = fl(a + b). */
static inline void
tfp_two_sum(double a, double b, double *s, double *e)
{
    double x = a + b;
    double z = x - a;
    *e = (a - (x - z)) + (b - z);
    *s = x;
}

/* FastTwoSum (Dekker): as TwoSum when |a| >= |b| or a = 0. */
static inline void
tfp_fast_two_sum(double a, double b, double *s, double *e)
{
    double x = a + b;
    *e = b - (x - a);
    *s = x;
}

/* TwoProduct with fma (Ogita-Rump-Oishi): p + e = a * b exactly, barring underflow. */
static inline void
tfp_two_prod(double a, double b, double *p, double *e)
{
    double x = a * b;
    *e = fma(a, b, -x);
    *p = x;
}

/* acc += a * b (one Dot2 step: the product's error and the sum's error go to lo). */
static inline void
tfp_dd_add_prod(tfp_dd *acc, double a, double b)
{
    double p, ep, s, es;
    tfp_two_prod(a, b, &p, &ep);
    tfp_two_sum(acc->hi, p, &s, &es);
    acc->hi = s;
    acc->lo += ep + es;
}

/* acc += a (one Sum2 step). */
static inline void
tfp_dd_add(tfp_dd *acc, double a)
{
    double s, es;
    tfp_two_sum(acc->hi, a, &s, &es);
    acc->hi = s;
    acc->lo += es;
}

/* Normalises acc so that hi = fl(hi + lo); returns hi. */
static inline double
tfp_dd_norm(tfp_dd *acc)
{
    double s, e;
    tfp_two_sum(acc->hi, acc->lo, &s, &e);
    acc->hi = s;
    acc->lo = e;
    return s;
}

/* acc += b where b is a double-double (accurate sum of two dd values, Dekker's add2). */
static inline void
tfp_dd_add_dd(tfp_dd *acc, tfp_dd b)
{
    double s, e;
    tfp_two_sum(acc->hi, b.hi, &s, &e);
    e += acc->lo + b.lo;
    tfp_fast_two_sum(s, e, &acc->hi, &acc->lo);
}

/* acc += a * a for a dd value a (the square's error terms kept to second order). */
static inline void
tfp_dd_add_sq(tfp_dd *acc, tfp_dd a)
{
    tfp_dd sq;
    double p, ep;
    tfp_two_prod(a.hi, a.hi, &p, &ep);
    ep += 2.0 * a.hi * a.lo;
    tfp_fast_two_sum(p, ep, &sq.hi, &sq.lo);
    tfp_dd_add_dd(acc, sq);
}

#endif /* TFP_MODELS_INT_H */
