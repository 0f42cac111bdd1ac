/*
 * util layer: error recording, allocator overflow and fault injection,
 * string buffers and warning lists.
 */
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tfp/alloc.h"
#include "tfp/error.h"
#include "tfp/parallel.h"
#include "tfp/strbuf.h"
#include "tfp_test.h"

TestSuite(util, .init = quiet_gsl);

Test(util, first_error_wins_and_formats_position)
{
    tfp_error err;
    char buf[512];
    tfp_error_init(&err);
    cr_assert_eq(tfp_fail_at(&err, TFP_EINPUT, "gdp.csv", 14, 23, "column \"%s\": bad", "labour"),
                 TFP_EINPUT);
    cr_assert_eq(tfp_fail(&err, TFP_ENUMERIC, "later"), TFP_ENUMERIC);
    cr_assert_eq(err.code, TFP_EINPUT);
    cr_assert_str_eq(tfp_error_format(&err, buf, sizeof buf),
                     "gdp.csv:14:23: column \"labour\": bad");
}

Test(util, error_without_position_is_plain_message)
{
    tfp_error err;
    char buf[64];
    tfp_error_init(&err);
    tfp_fail(&err, TFP_ENUMERIC, "design matrix has rank %d < %d", 2, 3);
    cr_assert_str_eq(tfp_error_format(&err, buf, sizeof buf), "design matrix has rank 2 < 3");
    cr_assert_eq(tfp_fail(NULL, TFP_EIO, "x"), TFP_EIO);
}

Test(util, allocator_rejects_overflowing_sizes)
{
    cr_assert_null(tfp_mallocn(SIZE_MAX / 2, 3));
    cr_assert_null(tfp_calloc(SIZE_MAX / 8, 16));
}

Test(util, fault_injection_fails_the_kth_allocation)
{
    void *a, *b, *c;
    tfp_alloc_fail_at(2, 0);
    a = tfp_malloc(8);
    b = tfp_malloc(8);
    c = tfp_malloc(8);
    tfp_alloc_fail_at(0, 0);
    cr_assert_not_null(a);
    cr_assert_null(b);
    cr_assert_not_null(c);
    tfp_free(a);
    tfp_free(c);
}

/* tfp_discard gives back only the whole pages inside the range: the bytes around them keep
 * their values (a block's neighbours and the allocator's own data live there), the block
 * stays usable and freeable, and on Linux the discarded pages read as zeros. */
Test(util, discard_gives_back_only_whole_pages_inside_the_range)
{
    const size_t size = (size_t)3 << 20, from = 100, len = (size_t)2 << 20;
    unsigned char *p = tfp_malloc(size);
    size_t i, zeros = 0;
    cr_assert_not_null(p);
    memset(p, 0xAB, size);
    tfp_discard(p + from, len);
    for (i = 0; i < size; i++) {
        if (i < from || i >= from + len)
            cr_assert_eq(p[i], 0xAB, "byte %zu outside the range changed", i);
        else if (p[i] == 0)
            zeros++;
        else
            cr_assert_eq(p[i], 0xAB, "byte %zu is neither kept nor zero", i);
    }
#if defined(__linux__)
    /* Every page wholly inside: all but less than two pages' worth at the ends. */
    cr_assert_gt(zeros, len - 2 * 65536, "%zu of %zu bytes discarded", zeros, len);
#endif
    memset(p, 0x5C, size); /* still writable */
    cr_assert_eq(p[from + len / 2], 0x5C);
    tfp_discard(NULL, 10);
    tfp_discard(p, 0);
    tfp_free(p);
}

typedef struct part_probe {
    size_t index;
    size_t runs;
    char pad[48]; /* parts of a real size, walked by stride */
} part_probe;

static void *
part_probe_run(void *arg)
{
    part_probe *pp = arg;
    pp->runs++;
    return NULL;
}

/* tfp_run_parts runs every part exactly once, by the stride given: none, one, a few, and more
 * than it starts threads for (the rest run in the calling thread). */
Test(util, run_parts_runs_every_part_once)
{
    static const size_t counts[] = {0, 1, 2, 7, TFP_PARALLEL_MAX_PARTS + 9};
    part_probe parts[TFP_PARALLEL_MAX_PARTS + 9];
    size_t c, k;
    for (c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        memset(parts, 0, sizeof parts);
        for (k = 0; k < counts[c]; k++)
            parts[k].index = k;
        tfp_run_parts(part_probe_run, parts, sizeof parts[0], counts[c]);
        for (k = 0; k < sizeof parts / sizeof parts[0]; k++)
            cr_assert_eq(parts[k].runs, k < counts[c] ? 1u : 0u,
                         "%zu parts: part %zu ran %zu times", counts[c], k, parts[k].runs);
    }
    cr_assert_geq(tfp_online_cpus(0), 1);
    cr_assert_eq(tfp_online_cpus(1), 1);
}

static void
group_probe_run(void *arg, size_t g)
{
    size_t *runs = arg;
    runs[g]++;
}

/* tfp_run_groups runs every g < G exactly once, with T from 0 to more than G. */
Test(util, run_groups_runs_every_group_once)
{
    static const size_t Gs[] = {0, 1, 5, 16}, Ts[] = {0, 1, 2, 3, 40};
    size_t runs[16], a, b, g;
    for (a = 0; a < sizeof Gs / sizeof Gs[0]; a++)
        for (b = 0; b < sizeof Ts / sizeof Ts[0]; b++) {
            memset(runs, 0, sizeof runs);
            tfp_run_groups(Gs[a], Ts[b], group_probe_run, runs);
            for (g = 0; g < 16; g++)
                cr_assert_eq(runs[g], g < Gs[a] ? 1u : 0u, "G %zu, T %zu: group %zu ran %zu times",
                             Gs[a], Ts[b], g, runs[g]);
        }
}

Test(util, strbuf_grows_and_reports_oom_once)
{
    tfp_strbuf sb;
    int i;
    tfp_strbuf_init(&sb);
    for (i = 0; i < 1000; i++)
        tfp_strbuf_printf(&sb, "%d,", i % 10);
    cr_assert_eq(sb.len, 2000);
    cr_assert_eq(tfp_strbuf_status(&sb), TFP_OK);
    tfp_strbuf_fini(&sb);

    tfp_strbuf_init(&sb);
    tfp_alloc_fail_at(1, 1);
    tfp_strbuf_puts(&sb, "abc");
    tfp_strbuf_puts(&sb, "def");
    tfp_alloc_fail_at(0, 0);
    cr_assert_eq(tfp_strbuf_status(&sb), TFP_ENOMEM);
    cr_assert_str_eq(tfp_strbuf_cstr(&sb), "");
    tfp_strbuf_fini(&sb);
}

Test(util, warnings_are_kept_once)
{
    tfp_warnings w;
    tfp_warnings_init(&w);
    tfp_warnings_add(&w, "gap in years %d-%d", 2001, 2003);
    tfp_warnings_add(&w, "gap in years %d-%d", 2001, 2003);
    tfp_warnings_add(&w, "other");
    cr_assert_eq(w.n, 2);
    cr_assert_str_eq(w.msg[0], "gap in years 2001-2003");
    tfp_warnings_fini(&w);
}
