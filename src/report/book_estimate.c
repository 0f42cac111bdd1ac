/*
 * The report book of an estimate (report layer): Summary, Annual,
 * Contributions, Data and About sections with their charts (tables.h).
 * Numbers are copied from the estimate as computed; every word comes from
 * the per-language tables of strings.c.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "book_int.h"
#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/tables.h"

/* Okabe and Ito's colours, told apart with any colour vision (Okabe and
 * Ito 2008, "Color Universal Design"). */
#define RGB_SKY       0x56B4E9ul
#define RGB_VERMILION 0xD55E00ul
#define RGB_BLUE      0x0072B2ul
#define RGB_ORANGE    0xE69F00ul
#define RGB_GREEN     0x009E73ul
#define RGB_GREY      0x666666ul
#define RGB_YELLOW    0xF0E442ul
#define RGB_PURPLE    0xCC79A7ul
#define RGB_BLACK     0x000000ul

#define EN(w) tfp_book_word_get(TFP_BOOK_WORD_##w, TFP_LANG_EN)
#define VI(w) tfp_book_word_get(TFP_BOOK_WORD_##w, TFP_LANG_VI)

/* Section indices, in the order they are added. */
/* The optional Sensitivity and Models sections come between Contributions
 * and Data, whose indices are therefore counted as the sections are added. */
enum { SEC_SUMMARY = 0, SEC_ANNUAL, SEC_CONTRIB };

/* Contributions table columns. */
enum {
    C_REGION = 0,
    C_YEAR,
    C_OUTPUT_GROWTH,
    C_CAPITAL,
    C_LABOUR,
    C_TFP,
    C_TFP_SHARE,
    C_TFP_LOW,
    C_TFP_HIGH,
    C_LP,
    C_LP_GROWTH,
    C_LP_TARGET,
    C_COUNT
};

static const struct {
    const char *key;
    tfp_book_word w;
    tfp_cell_type type;
} contrib_cols[C_COUNT] = {
    {"region", TFP_BOOK_WORD_COL_REGION, TFP_CELL_TEXT},
    {"year", TFP_BOOK_WORD_COL_YEAR, TFP_CELL_INT},
    {"output_growth", TFP_BOOK_WORD_COL_OUTPUT_GROWTH, TFP_CELL_FRACTION},
    {"capital_contribution", TFP_BOOK_WORD_COL_CAPITAL_CONTRIB, TFP_CELL_FRACTION},
    {"labour_contribution", TFP_BOOK_WORD_COL_LABOUR_CONTRIB, TFP_CELL_FRACTION},
    {"tfp_growth", TFP_BOOK_WORD_COL_TFP_CONTRIB, TFP_CELL_FRACTION},
    {"tfp_share", TFP_BOOK_WORD_COL_TFP_SHARE, TFP_CELL_FRACTION},
    {"tfp_target_low", TFP_BOOK_WORD_COL_TFP_TARGET_LOW, TFP_CELL_FRACTION},
    {"tfp_target_high", TFP_BOOK_WORD_COL_TFP_TARGET_HIGH, TFP_CELL_FRACTION},
    {"labour_productivity", TFP_BOOK_WORD_COL_LP, TFP_CELL_NUMBER},
    {"labour_productivity_growth", TFP_BOOK_WORD_COL_LP_GROWTH, TFP_CELL_FRACTION},
    {"lp_target", TFP_BOOK_WORD_COL_LP_TARGET, TFP_CELL_FRACTION},
};

/* The rows of each region in the contributions table. */
typedef struct region_rows {
    const char *region;
    size_t row0, nrow;
} region_rows;

static tfp_table *
contributions(const tfp_estimate *e, region_rows *rr, size_t *nrr, tfp_error *err)
{
    tfp_table *t = tfp_table_alloc("contributions", EN(CONTRIB_TITLE), VI(CONTRIB_TITLE), err);
    const tfp_targets *tg = &e->opts.targets;
    size_t j, u, i, row;
    *nrr = 0;
    if (t == NULL)
        return NULL;
    for (j = 0; j < C_COUNT; j++)
        if (tfp_table_add_col(t, contrib_cols[j].key,
                              tfp_book_word_get(contrib_cols[j].w, TFP_LANG_EN),
                              tfp_book_word_get(contrib_cols[j].w, TFP_LANG_VI),
                              contrib_cols[j].type, err) != TFP_OK)
            goto fail;
    for (u = 0; u < e->nunit; u++) {
        const tfp_unit *un = &e->unit[u];
        const tfp_growth_result *g = un->g;
        if (un->sector != NULL)
            continue;
        rr[*nrr].region = un->region;
        rr[*nrr].row0 = tfp_table_nrow(t);
        rr[*nrr].nrow = 0;
        for (i = 0; i < un->in.n; i++) {
            int y = un->in.year[i];
            if (y < e->opts.from - 1 || y > e->opts.to)
                continue;
            if (tfp_table_add_row(t, &row, err) != TFP_OK ||
                tfp_table_set_text(t, row, C_REGION, un->region, err) != TFP_OK)
                goto fail;
            tfp_table_set_num(t, row, C_YEAR, (double)y);
            tfp_table_set_num(t, row, C_OUTPUT_GROWTH, g->g_Y[i]);
            tfp_table_set_num(t, row, C_CAPITAL, g->c_K[i]);
            tfp_table_set_num(t, row, C_LABOUR, g->c_L[i]);
            tfp_table_set_num(t, row, C_TFP, g->g_A[i]);
            tfp_table_set_num(t, row, C_TFP_SHARE, g->share_A[i]);
            tfp_table_set_num(t, row, C_TFP_LOW, tg->tfp_lo);
            tfp_table_set_num(t, row, C_TFP_HIGH, tg->tfp_hi);
            tfp_table_set_num(t, row, C_LP, g->LP[i]);
            tfp_table_set_num(t, row, C_LP_GROWTH, g->g_LP[i]);
            tfp_table_set_num(t, row, C_LP_TARGET, tg->lp);
            rr[*nrr].nrow++;
        }
        (*nrr)++;
    }
    return t;
fail:
    tfp_table_free(t);
    return NULL;
}

/* A chart title naming the region; data without regions (one unit named
 * "") have the title without its ", %s". */
static void
titled(char *buf, size_t n, const char *fmt, const char *region)
{
    const char *slot = strstr(fmt, ", %s");
    if (region[0] == '\0' && slot != NULL) {
        size_t k = (size_t)(slot - fmt) < n - 1 ? (size_t)(slot - fmt) : n - 1;
        memcpy(buf, fmt, k);
        buf[k] = '\0';
        return;
    }
    snprintf(buf, n, fmt, region);
}

static int
region_charts(tfp_book *b, const region_rows *r, size_t k, tfp_error *err)
{
    char key[32], en[256], vi[256];
    tfp_chart c;
    int rc;
    /* Labour productivity: its level in columns, then its growth against
     * the goal. Both shown in the summary. */
    memset(&c, 0, sizeof c);
    snprintf(key, sizeof key, "lp-%zu", k + 1);
    titled(en, sizeof en, EN(CHART_LP), r->region);
    titled(vi, sizeof vi, VI(CHART_LP), r->region);
    c.key = key;
    c.title_en = en;
    c.title_vi = vi;
    c.axis_en = EN(AXIS_LP);
    c.axis_vi = VI(AXIS_LP);
    c.section = SEC_CONTRIB;
    c.table = 0;
    c.row0 = r->row0;
    c.nrow = r->nrow;
    c.cat_col = "year";
    c.series[0] = (tfp_chart_series){"labour_productivity", TFP_SERIES_COLUMN, RGB_SKY};
    c.nseries = 1;
    rc = tfp_book_add_chart(b, SEC_SUMMARY, &c, err);
    if (rc != TFP_OK)
        return rc;
    snprintf(key, sizeof key, "lp-growth-%zu", k + 1);
    titled(en, sizeof en, EN(CHART_LP_GROWTH), r->region);
    titled(vi, sizeof vi, VI(CHART_LP_GROWTH), r->region);
    c.axis_en = EN(AXIS_GROWTH);
    c.axis_vi = VI(AXIS_GROWTH);
    c.series[0] = (tfp_chart_series){"labour_productivity_growth", TFP_SERIES_LINE, RGB_VERMILION};
    c.series[1] = (tfp_chart_series){"lp_target", TFP_SERIES_TARGET, RGB_GREY};
    c.nseries = 2;
    rc = tfp_book_add_chart(b, SEC_SUMMARY, &c, err);
    if (rc != TFP_OK)
        return rc;
    /* The contributions and the TFP share start after the base year, which
     * has no growth. */
    if (r->nrow < 2)
        return TFP_OK;
    memset(&c, 0, sizeof c);
    snprintf(key, sizeof key, "contrib-%zu", k + 1);
    titled(en, sizeof en, EN(CHART_CONTRIB), r->region);
    titled(vi, sizeof vi, VI(CHART_CONTRIB), r->region);
    c.key = key;
    c.title_en = en;
    c.title_vi = vi;
    c.axis_en = EN(AXIS_POINTS);
    c.axis_vi = VI(AXIS_POINTS);
    c.section = SEC_CONTRIB;
    c.row0 = r->row0 + 1;
    c.nrow = r->nrow - 1;
    c.cat_col = "year";
    c.series[0] = (tfp_chart_series){"capital_contribution", TFP_SERIES_STACKED, RGB_BLUE};
    c.series[1] = (tfp_chart_series){"labour_contribution", TFP_SERIES_STACKED, RGB_ORANGE};
    c.series[2] = (tfp_chart_series){"tfp_growth", TFP_SERIES_STACKED, RGB_GREEN};
    c.nseries = 3;
    rc = tfp_book_add_chart(b, SEC_CONTRIB, &c, err);
    if (rc != TFP_OK)
        return rc;
    snprintf(key, sizeof key, "tfp-share-%zu", k + 1);
    titled(en, sizeof en, EN(CHART_TFP_SHARE), r->region);
    titled(vi, sizeof vi, VI(CHART_TFP_SHARE), r->region);
    c.axis_en = EN(AXIS_SHARE);
    c.axis_vi = VI(AXIS_SHARE);
    c.series[0] = (tfp_chart_series){"tfp_share", TFP_SERIES_LINE, RGB_GREEN};
    c.series[1] = (tfp_chart_series){"tfp_target_low", TFP_SERIES_TARGET, RGB_GREY};
    c.series[2] = (tfp_chart_series){"tfp_target_high", TFP_SERIES_TARGET, RGB_GREY};
    c.nseries = 3;
    c.band = 1;
    return tfp_book_add_chart(b, SEC_CONTRIB, &c, err);
}

/* ---- Data ------------------------------------------------------------------------ */

static const tfp_book_word role_word[TFP_ROLE_COUNT] = {
    TFP_BOOK_WORD_COL_YEAR,           TFP_BOOK_WORD_COL_REGION,
    TFP_BOOK_WORD_COL_SECTOR,         TFP_BOOK_WORD_ROLE_OUTPUT,
    TFP_BOOK_WORD_ROLE_LABOUR,        TFP_BOOK_WORD_ROLE_CAPITAL,
    TFP_BOOK_WORD_ROLE_INVESTMENT,    TFP_BOOK_WORD_ROLE_LABOUR_SHARE,
    TFP_BOOK_WORD_ROLE_HUMAN_CAPITAL, TFP_BOOK_WORD_ROLE_HOURS,
};

/* "Output (gdp)": the role's label and the input column it came from. */
static void
role_label(const tfp_estimate *e, tfp_role r, tfp_lang lang, char *buf, size_t n)
{
    const char *col = e->panel->column[r];
    const char *word = tfp_book_word_get(role_word[r], lang);
    if (col != NULL)
        snprintf(buf, n, "%s (%s)", word, col);
    else if (r == TFP_ROLE_CAPITAL && e->capital_from_pim)
        snprintf(buf, n, "%s (%s)", word, tfp_book_word_get(TFP_BOOK_WORD_PIM, lang));
    else
        snprintf(buf, n, "%s", word);
}

static tfp_table *
data_table(const tfp_estimate *e, tfp_error *err)
{
    const tfp_panel *p = e->panel;
    tfp_table *t = tfp_table_alloc("data", EN(DATA_TITLE), VI(DATA_TITLE), err);
    size_t i, j, row, col[TFP_ROLE_COUNT];
    char en[256], vi[256];
    int r;
    if (t == NULL)
        return NULL;
    if (tfp_table_add_col(t, "line", EN(COL_LINE), VI(COL_LINE), TFP_CELL_INT, err) != TFP_OK)
        goto fail;
    for (r = 0; r < TFP_ROLE_COUNT; r++) {
        tfp_cell_type type = r == TFP_ROLE_YEAR                             ? TFP_CELL_INT
                             : r == TFP_ROLE_REGION || r == TFP_ROLE_SECTOR ? TFP_CELL_TEXT
                                                                            : TFP_CELL_NUMBER;
        col[r] = SIZE_MAX;
        if (r == TFP_ROLE_REGION || r == TFP_ROLE_SECTOR) {
            if (p->column[r] == NULL)
                continue;
        } else if (r != TFP_ROLE_YEAR && p->x[r] == NULL) {
            continue;
        }
        role_label(e, (tfp_role)r, TFP_LANG_EN, en, sizeof en);
        role_label(e, (tfp_role)r, TFP_LANG_VI, vi, sizeof vi);
        if (tfp_table_add_col(t, tfp_role_name((tfp_role)r), en, vi, type, err) != TFP_OK)
            goto fail;
        col[r] = tfp_table_ncol(t) - 1;
    }
    for (i = 0; i < p->n; i++) {
        if (tfp_table_add_row(t, &row, err) != TFP_OK)
            goto fail;
        if (p->line != NULL && p->line[i] > 0)
            tfp_table_set_num(t, row, 0, (double)p->line[i]);
        for (r = 0; r < TFP_ROLE_COUNT; r++) {
            j = col[r];
            if (j == SIZE_MAX)
                continue;
            if (r == TFP_ROLE_YEAR)
                tfp_table_set_num(t, row, j, (double)p->year[i]);
            else if (r == TFP_ROLE_REGION) {
                if (tfp_table_set_text(t, row, j, p->region_names[p->region[i]], err) != TFP_OK)
                    goto fail;
            } else if (r == TFP_ROLE_SECTOR) {
                if (p->nsector > 0 &&
                    tfp_table_set_text(t, row, j, p->sector_names[p->sector[i]], err) != TFP_OK)
                    goto fail;
            } else {
                tfp_table_set_num(t, row, j, p->x[r][i]);
            }
        }
    }
    return t;
fail:
    tfp_table_free(t);
    return NULL;
}

/* ---- About ----------------------------------------------------------------------- */

static int
about_row(tfp_table *t, const char *item, const char *value, tfp_error *err)
{
    size_t row;
    if (tfp_table_add_row(t, &row, err) != TFP_OK ||
        tfp_table_set_text(t, row, 0, item, err) != TFP_OK ||
        tfp_table_set_text(t, row, 1, value != NULL ? value : "-", err) != TFP_OK)
        return err != NULL && err->code != TFP_OK ? err->code : TFP_ENOMEM;
    return TFP_OK;
}

/* "%.15g": the parameter as typed for the usual values (0.4, not
 * 0.40000000000000002), still exact to 15 digits. */
static const char *
num(char *buf, size_t n, double v)
{
    snprintf(buf, n, "%.15g", v);
    return buf;
}

static tfp_table *
about_table(const tfp_estimate *e, const tfp_book_info *in, tfp_error *err)
{
    static const char *const labour_name[] = {"default", "persons", "hours", "quality"};
    const tfp_estimate_opts *o = &e->opts;
    tfp_lang lang = in->lang;
    tfp_table *t = tfp_table_alloc("about", EN(ABOUT_TITLE), VI(ABOUT_TITLE), err);
    char a[64], b[160], item[256];
    size_t i;
    int r;
#define W(w) tfp_book_word_get(TFP_BOOK_WORD_##w, lang)
#define ROW(item_, value_)                                                                         \
    do {                                                                                           \
        if (about_row(t, (item_), (value_), err) != TFP_OK)                                        \
            goto fail;                                                                             \
    } while (0)
#define PARAM(opt, value_)                                                                         \
    do {                                                                                           \
        snprintf(item, sizeof item, W(ABOUT_PARAM), (opt));                                        \
        ROW(item, (value_));                                                                       \
    } while (0)
    if (t == NULL)
        return NULL;
    if (tfp_table_add_col(t, "item", EN(COL_ITEM), VI(COL_ITEM), TFP_CELL_TEXT, err) != TFP_OK ||
        tfp_table_add_col(t, "value", EN(COL_VALUE), VI(COL_VALUE), TFP_CELL_TEXT, err) != TFP_OK)
        goto fail;
    ROW(W(ABOUT_VERSION), in->version);
    ROW(W(ABOUT_COMMAND), in->command);
    ROW(W(ABOUT_INPUT), e->panel->path);
    ROW(W(ABOUT_SHA), in->input_sha256 != NULL ? in->input_sha256 : W(NOT_KNOWN));
    snprintf(a, sizeof a, "%zu", e->panel->n);
    ROW(W(ABOUT_ROWS), a);
    for (i = 0; i < in->nmeta; i++)
        ROW(tfp_book_lang(in->meta[i].label_en, in->meta[i].label_vi, lang), in->meta[i].value);
    PARAM("--method", o->growth.method == TFP_METHOD_GSO ? "gso" : "tornqvist");
    PARAM("--growth", o->growth.form == TFP_GROWTH_LOG ? "log" : "simple");
    PARAM("--capital-share", num(a, sizeof a, o->growth.capital_share));
    PARAM("--labour-input", (unsigned)o->labour_input < 4 ? labour_name[o->labour_input] : "-");
    PARAM("--delta", num(a, sizeof a, o->delta));
    PARAM("--k0", isfinite(o->k0) ? num(a, sizeof a, o->k0) : W(HARBERGER));
    snprintf(a, sizeof a, "%d", o->from);
    PARAM("--from", a);
    snprintf(a, sizeof a, "%d", o->to);
    PARAM("--to", a);
    snprintf(b, sizeof b, "lp=%s", num(a, sizeof a, o->targets.lp));
    PARAM("--target", b);
    {
        char hi[32];
        snprintf(b, sizeof b, "tfp=%s:%s", num(a, sizeof a, o->targets.tfp_lo),
                 num(hi, sizeof hi, o->targets.tfp_hi));
    }
    PARAM("--target", b);
    for (i = 0; i < in->nparam; i++)
        PARAM(in->param[i].label_en, in->param[i].value);
    if (in->bootstrap != NULL) {
        const tfp_bootstrap_opts *bo = &in->bootstrap->opts;
        snprintf(a, sizeof a, "%zu", bo->replicates);
        PARAM("--bootstrap", a);
        snprintf(a, sizeof a, "%llu", (unsigned long long)bo->seed);
        PARAM("--seed", a);
        snprintf(a, sizeof a, "%zu", bo->threads);
        PARAM("--threads", a);
        PARAM("--level", num(a, sizeof a, bo->level));
        PARAM("--resample", bo->resample == TFP_RESAMPLE_NONE ? "none" : "years");
        if (bo->block > 0)
            snprintf(a, sizeof a, "%zu", bo->block);
        PARAM("--block", bo->block > 0 ? a : W(BOOT_BLOCK_DEFAULT));
        PARAM("--capital-share-sd", num(a, sizeof a, bo->capital_share_sd));
    }
    if (in->sensitivity != NULL) {
        char grid[640];
        PARAM("--sensitivity", tfp_sensitivity_grid_text(in->sensitivity, lang, grid, sizeof grid));
    }
    if (in->models != NULL) {
        size_t nm, len = 0;
        const tfp_compare_method *cm = tfp_compare_methods(&nm);
        b[0] = '\0';
        for (i = 0; i < nm && len < sizeof b; i++)
            len += (size_t)snprintf(b + len, sizeof b - len, "%s%s", i > 0 ? " " : "", cm[i].key);
        PARAM("--compare", b);
    }
    for (r = 0; r < TFP_ROLE_COUNT; r++) {
        if (e->panel->column[r] == NULL)
            continue;
        snprintf(b, sizeof b, "--map %s", tfp_role_name((tfp_role)r));
        snprintf(item, sizeof item, W(ABOUT_COLUMN), b);
        ROW(item, e->panel->column[r]);
    }
    ROW(W(ABOUT_SOURCE), in->source != NULL ? in->source : W(ABOUT_SOURCE_FILE));
    ROW(W(ABOUT_METHODS),
        "OECD (2001), Measuring Productivity; Feenstra, Inklaar and Timmer (2015), The Next "
        "Generation of the Penn World Table, AER 105(10); GSO (Viet Nam), statistical indicator "
        "metadata on TFP growth and its contribution");
    return t;
fail:
    tfp_table_free(t);
    return NULL;
#undef PARAM
#undef ROW
#undef W
}

/* ---- optional parts: bootstrap, sensitivity, models -------------------------------- */

/* "90" / "97.5" ("97,5"): a coverage in percent. */
static const char *
level_pct(char *buf, size_t n, double level, tfp_lang lang)
{
    snprintf(buf, n, "%.10g", 100.0 * level);
    for (char *p = buf; lang == TFP_LANG_VI && *p; p++)
        if (*p == '.')
            *p = ',';
    return buf;
}

static int
boot_intro(tfp_book *b, const tfp_bootstrap *bs, tfp_error *err)
{
    char en[400], vi[400], a[32];
    snprintf(en, sizeof en, EN(BOOT_INTRO), level_pct(a, sizeof a, bs->opts.level, TFP_LANG_EN),
             bs->opts.replicates);
    snprintf(vi, sizeof vi, VI(BOOT_INTRO), level_pct(a, sizeof a, bs->opts.level, TFP_LANG_VI),
             bs->opts.replicates);
    return tfp_book_add_text(b, SEC_SUMMARY, TFP_TEXT_PARAGRAPH, en, vi, err);
}

/* "0.05" / "0,05". */
static const char *
num_lang(char *buf, size_t n, double v, tfp_lang lang)
{
    snprintf(buf, n, "%g", v);
    for (char *p = buf; lang == TFP_LANG_VI && *p; p++)
        if (*p == '.')
            *p = ',';
    return buf;
}

static const unsigned long sens_rgb[TFP_BOOK_SENS_LINES] = {
    RGB_BLUE, RGB_VERMILION, RGB_GREEN, RGB_ORANGE, RGB_PURPLE, RGB_SKY,
};

/*
 * The chart data of a sensitivity grid, table `index` of section sec: one
 * row per region and capital share, the TFP share at up to
 * TFP_BOOK_SENS_LINES depreciation rates spread over the grid (all of them
 * when there are no more; one column when capital is a column), with
 * Harberger initial capital, and the target band; and a chart per region.
 * Cells are in region, delta, K_0, capital-share order
 * (tfp_sensitivity_run), so cell ((r nd + d) nk + k) ns + j is region r's
 * d-th rate, k-th K_0 method and j-th share. No chart when the capital
 * share does not vary or Harberger is not in the grid.
 */
static int
sens_charts(tfp_book *b,
            size_t sec,
            const tfp_sensitivity *s,
            const tfp_targets *tg,
            tfp_error *err)
{
    size_t nd = s->ndelta, nk = s->nk0, ns = s->nshare, nreg, kh = SIZE_MAX,
           pick[TFP_BOOK_SENS_LINES];
    size_t np = 0, r, j, p, row, index;
    tfp_table *t;
    char key[32], en[256], vi[256], a[32];
    if (!s->share_varies || ns < 2 || nd * nk * ns == 0 || s->ncell == 0)
        return TFP_OK;
    nreg = s->ncell / (nd * nk * ns);
    for (j = 0; j < nk; j++)
        if (s->cell[j * ns].k0 == TFP_K0_HARBERGER || s->cell[j * ns].k0 < 0) {
            kh = j;
            break;
        }
    if (kh == SIZE_MAX)
        return TFP_OK;
    if (nd <= TFP_BOOK_SENS_LINES)
        for (np = 0; np < nd; np++)
            pick[np] = np;
    else
        for (np = 0; np < TFP_BOOK_SENS_LINES; np++)
            pick[np] = (np * (nd - 1) + (TFP_BOOK_SENS_LINES - 1) / 2) / (TFP_BOOK_SENS_LINES - 1);
    t = tfp_table_alloc("sensitivity_chart", EN(SENS_CHART_TITLE), VI(SENS_CHART_TITLE), err);
    if (t == NULL)
        return err != NULL ? err->code : TFP_ENOMEM;
    if (tfp_table_add_col(t, "region", EN(COL_REGION), VI(COL_REGION), TFP_CELL_TEXT, err) !=
            TFP_OK ||
        tfp_table_add_col(t, "capital_share", EN(COL_CAPITAL_SHARE), VI(COL_CAPITAL_SHARE),
                          TFP_CELL_FRACTION, err) != TFP_OK)
        goto fail;
    for (p = 0; p < np; p++) {
        double d = s->cell[(pick[p] * nk + kh) * ns].delta;
        snprintf(key, sizeof key, "tfp_share_%zu", p + 1);
        if (isnan(d)) {
            snprintf(en, sizeof en, "%s", EN(COL_TFP_SHARE));
            snprintf(vi, sizeof vi, "%s", VI(COL_TFP_SHARE));
        } else {
            snprintf(en, sizeof en, EN(COL_SENS_DELTA), num_lang(a, sizeof a, d, TFP_LANG_EN));
            snprintf(vi, sizeof vi, VI(COL_SENS_DELTA), num_lang(a, sizeof a, d, TFP_LANG_VI));
        }
        if (tfp_table_add_col(t, key, en, vi, TFP_CELL_FRACTION, err) != TFP_OK)
            goto fail;
    }
    if (tfp_table_add_col(t, "tfp_target_low", EN(COL_TFP_TARGET_LOW), VI(COL_TFP_TARGET_LOW),
                          TFP_CELL_FRACTION, err) != TFP_OK ||
        tfp_table_add_col(t, "tfp_target_high", EN(COL_TFP_TARGET_HIGH), VI(COL_TFP_TARGET_HIGH),
                          TFP_CELL_FRACTION, err) != TFP_OK)
        goto fail;
    for (r = 0; r < nreg; r++)
        for (j = 0; j < ns; j++) {
            const tfp_sensitivity_cell *c0 = &s->cell[((r * nd) * nk + kh) * ns + j];
            if (tfp_table_add_row(t, &row, err) != TFP_OK ||
                tfp_table_set_text(t, row, 0, c0->region, err) != TFP_OK)
                goto fail;
            tfp_table_set_num(t, row, 1, c0->capital_share);
            for (p = 0; p < np; p++)
                tfp_table_set_num(t, row, 2 + p,
                                  s->cell[((r * nd + pick[p]) * nk + kh) * ns + j].tfp_share);
            tfp_table_set_num(t, row, 2 + np, tg->tfp_lo);
            tfp_table_set_num(t, row, 3 + np, tg->tfp_hi);
        }
    if (tfp_book_add_table(b, sec, t, &index, err) != TFP_OK)
        return err != NULL ? err->code : TFP_ENOMEM;
    for (r = 0; r < nreg && r < TFP_BOOK_MAX_CHART_REGIONS; r++) {
        const char *region = s->cell[r * nd * nk * ns].region;
        tfp_chart c;
        char cols[TFP_BOOK_SENS_LINES][24];
        int rc;
        memset(&c, 0, sizeof c);
        snprintf(key, sizeof key, "sens-%zu", r + 1);
        titled(en, sizeof en, np > 1 ? EN(CHART_SENS) : EN(CHART_SENS_NO_PIM), region);
        titled(vi, sizeof vi, np > 1 ? VI(CHART_SENS) : VI(CHART_SENS_NO_PIM), region);
        c.key = key;
        c.title_en = en;
        c.title_vi = vi;
        c.axis_en = EN(AXIS_SHARE);
        c.axis_vi = VI(AXIS_SHARE);
        c.section = sec;
        c.table = index;
        c.row0 = r * ns;
        c.nrow = ns;
        c.cat_col = "capital_share";
        for (p = 0; p < np; p++) {
            snprintf(cols[p], sizeof cols[p], "tfp_share_%zu", p + 1);
            c.series[p] = (tfp_chart_series){cols[p], TFP_SERIES_LINE, sens_rgb[p]};
        }
        c.nseries = np + 2;
        c.series[np] = (tfp_chart_series){"tfp_target_low", TFP_SERIES_TARGET, RGB_GREY};
        c.series[np + 1] = (tfp_chart_series){"tfp_target_high", TFP_SERIES_TARGET, RGB_GREY};
        c.band = 1;
        rc = tfp_book_add_chart(b, sec, &c, err);
        if (rc != TFP_OK)
            return rc;
    }
    return TFP_OK;
fail:
    tfp_table_free(t);
    return err != NULL ? err->code : TFP_ENOMEM;
}

static int
sens_section(tfp_book *b,
             size_t sec,
             const tfp_sensitivity *s,
             const tfp_targets *tg,
             tfp_error *err)
{
    char grid[640], en[800], vi[800];
    tfp_table *t;
    int rc;
    snprintf(en, sizeof en, EN(SENS_GRID),
             tfp_sensitivity_grid_text(s, TFP_LANG_EN, grid, sizeof grid));
    snprintf(vi, sizeof vi, VI(SENS_GRID),
             tfp_sensitivity_grid_text(s, TFP_LANG_VI, grid, sizeof grid));
    if ((rc = tfp_book_add_text(b, sec, TFP_TEXT_PARAGRAPH, EN(SENS_INTRO), VI(SENS_INTRO), err)) !=
            TFP_OK ||
        (rc = tfp_book_add_text(b, sec, TFP_TEXT_PARAGRAPH, en, vi, err)) != TFP_OK)
        return rc;
    snprintf(en, sizeof en, EN(SENS_NOTE), tfp_sensitivity_note_text(TFP_LANG_EN));
    snprintf(vi, sizeof vi, VI(SENS_NOTE), tfp_sensitivity_note_text(TFP_LANG_VI));
    if ((rc = tfp_book_add_text(b, sec, TFP_TEXT_PARAGRAPH, en, vi, err)) != TFP_OK)
        return rc;
    /* The tables of tfp sensitivity --format csv, every column. */
    if ((t = tfp_table_sensitivity_grid(s, 0, err)) == NULL ||
        (rc = tfp_book_add_table(b, sec, t, NULL, err)) != TFP_OK)
        return err != NULL ? err->code : TFP_ENOMEM;
    if ((t = tfp_table_sensitivity_bands(s, 0, err)) == NULL ||
        (rc = tfp_book_add_table(b, sec, t, NULL, err)) != TFP_OK)
        return err != NULL ? err->code : TFP_ENOMEM;
    return sens_charts(b, sec, s, tg, err);
}

static int
models_section(tfp_book *b,
               size_t sec,
               const tfp_table *models,
               const tfp_warnings *notes,
               tfp_error *err)
{
    tfp_table *t;
    int rc;
    if ((rc = tfp_book_add_text(b, sec, TFP_TEXT_PARAGRAPH, EN(MODELS_INTRO), VI(MODELS_INTRO),
                                err)) != TFP_OK)
        return rc;
    if ((t = tfp_report_table_copy(models, err)) == NULL ||
        (rc = tfp_book_add_table(b, sec, t, NULL, err)) != TFP_OK)
        return err != NULL ? err->code : TFP_ENOMEM;
    if (notes == NULL || notes->n == 0)
        return TFP_OK;
    if ((rc = tfp_book_add_text(b, sec, TFP_TEXT_HEADING, EN(MODELS_LEFT_OUT), VI(MODELS_LEFT_OUT),
                                err)) != TFP_OK)
        return rc;
    for (size_t i = 0; i < notes->n; i++)
        if ((rc = tfp_book_add_text(b, sec, TFP_TEXT_NOTE, notes->msg[i], NULL, err)) != TFP_OK)
            return rc;
    return TFP_OK;
}

/* ---- the book -------------------------------------------------------------------- */

tfp_book *
tfp_book_estimate(const tfp_estimate *e, const tfp_book_info *info, tfp_error *err)
{
    tfp_book *b;
    tfp_table *t;
    region_rows *rr = NULL;
    size_t nrr = 0, i, sec_sens = 0, sec_models = 0, sec_data = 0, sec_about = 0;
    if (e == NULL || info == NULL) {
        tfp_fail(err, TFP_EINVAL, "no estimate or no report information");
        return NULL;
    }
    b = tfp_book_alloc(EN(BOOK_TITLE), VI(BOOK_TITLE), err);
    if (b == NULL)
        return NULL;
    for (i = 0; i < info->nmeta; i++)
        if (tfp_book_add_meta(b, info->meta[i].label_en, info->meta[i].label_vi,
                              info->meta[i].value, err) != TFP_OK)
            goto fail;
    if (tfp_book_add_section(b, "summary", EN(SEC_SUMMARY), VI(SEC_SUMMARY), NULL, err) != TFP_OK ||
        tfp_book_add_section(b, "annual", EN(SEC_ANNUAL), VI(SEC_ANNUAL), NULL, err) != TFP_OK ||
        tfp_book_add_section(b, "contributions", EN(SEC_CONTRIB), VI(SEC_CONTRIB), NULL, err) !=
            TFP_OK ||
        (info->sensitivity != NULL &&
         tfp_book_add_section(b, "sensitivity", EN(SEC_SENS), VI(SEC_SENS), &sec_sens, err) !=
             TFP_OK) ||
        (info->models != NULL && tfp_book_add_section(b, "models", EN(SEC_MODELS), VI(SEC_MODELS),
                                                      &sec_models, err) != TFP_OK) ||
        tfp_book_add_section(b, "data", EN(SEC_DATA), VI(SEC_DATA), &sec_data, err) != TFP_OK ||
        tfp_book_add_section(b, "about", EN(SEC_ABOUT), VI(SEC_ABOUT), &sec_about, err) != TFP_OK)
        goto fail;

    /* Summary: introduction and the two tables (charts and notes follow). */
    if (tfp_book_add_text(b, SEC_SUMMARY, TFP_TEXT_PARAGRAPH, EN(SUMMARY_INTRO), VI(SUMMARY_INTRO),
                          err) != TFP_OK)
        goto fail;
    if (info->bootstrap != NULL && boot_intro(b, info->bootstrap, err) != TFP_OK)
        goto fail;
    if ((t = tfp_table_estimate_targets_ci(e, info->bootstrap, 0, err)) == NULL ||
        tfp_book_add_table(b, SEC_SUMMARY, t, NULL, err) != TFP_OK)
        goto fail;
    if ((t = tfp_table_estimate_summary_ci(e, info->bootstrap, 0, err)) == NULL ||
        tfp_book_add_table(b, SEC_SUMMARY, t, NULL, err) != TFP_OK)
        goto fail;

    if ((t = tfp_table_estimate_annual(e, 0, err)) == NULL ||
        tfp_book_add_table(b, SEC_ANNUAL, t, NULL, err) != TFP_OK)
        goto fail;

    rr = tfp_mallocn(e->nunit == 0 ? 1 : e->nunit, sizeof *rr);
    if (rr == NULL) {
        tfp_fail(err, TFP_ENOMEM, "out of memory building the report");
        goto fail;
    }
    if (tfp_book_add_text(b, SEC_CONTRIB, TFP_TEXT_PARAGRAPH, EN(CONTRIB_INTRO), VI(CONTRIB_INTRO),
                          err) != TFP_OK)
        goto fail;
    if ((t = contributions(e, rr, &nrr, err)) == NULL ||
        tfp_book_add_table(b, SEC_CONTRIB, t, NULL, err) != TFP_OK)
        goto fail;
    for (i = 0; i < nrr && i < TFP_BOOK_MAX_CHART_REGIONS; i++)
        if (rr[i].nrow > 0 && region_charts(b, &rr[i], i, err) != TFP_OK)
            goto fail;
    if (nrr > TFP_BOOK_MAX_CHART_REGIONS) {
        char en[256], vi[256];
        snprintf(en, sizeof en, EN(CHARTS_CUT), (size_t)TFP_BOOK_MAX_CHART_REGIONS, nrr);
        snprintf(vi, sizeof vi, VI(CHARTS_CUT), (size_t)TFP_BOOK_MAX_CHART_REGIONS, nrr);
        if (tfp_book_add_text(b, SEC_SUMMARY, TFP_TEXT_PARAGRAPH, en, vi, err) != TFP_OK)
            goto fail;
    }

    /* Notes: the warnings of reading and estimation. */
    if (tfp_book_add_text(b, SEC_SUMMARY, TFP_TEXT_HEADING, EN(NOTES), VI(NOTES), err) != TFP_OK)
        goto fail;
    if (e->warnings.n == 0 && tfp_book_add_text(b, SEC_SUMMARY, TFP_TEXT_PARAGRAPH, EN(NO_WARNINGS),
                                                VI(NO_WARNINGS), err) != TFP_OK)
        goto fail;
    for (i = 0; i < e->warnings.n; i++)
        if (tfp_book_add_text(b, SEC_SUMMARY, TFP_TEXT_NOTE, e->warnings.msg[i], NULL, err) !=
            TFP_OK)
            goto fail;

    if (info->sensitivity != NULL &&
        sens_section(b, sec_sens, info->sensitivity, &e->opts.targets, err) != TFP_OK)
        goto fail;
    if (info->models != NULL &&
        models_section(b, sec_models, info->models, info->models_notes, err) != TFP_OK)
        goto fail;
    if (tfp_book_add_text(b, sec_data, TFP_TEXT_PARAGRAPH, EN(DATA_INTRO), VI(DATA_INTRO), err) !=
        TFP_OK)
        goto fail;
    if ((t = data_table(e, err)) == NULL || tfp_book_add_table(b, sec_data, t, NULL, err) != TFP_OK)
        goto fail;
    if ((t = about_table(e, info, err)) == NULL ||
        tfp_book_add_table(b, sec_about, t, NULL, err) != TFP_OK)
        goto fail;
    tfp_free(rr);
    return b;
fail:
    tfp_free(rr);
    tfp_book_free(b);
    return NULL;
}
