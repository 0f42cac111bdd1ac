/*
 * Indicator tables of an estimate (report layer): DESIGN section 4's column
 * sets, labelled in English and Vietnamese. Values are copied as computed;
 * formatting is the renderers' job.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tfp/config.h"
#include "tfp/tables.h"

typedef struct col_def {
    const char *key;
    const char *en;
    const char *vi;
    tfp_cell_type type;
    unsigned flags; /* COL_LEVEL: dropped in the compact view */
} col_def;

#define COL_LEVEL       1u
#define COL_SECTOR      2u
#define COL_CONST_SHARE 4u
#define COL_CI_MINOR    8u  /* an interval the compact view leaves out */
#define COL_CI_LAST     16u /* the last year's interval: compact view only when drawn */

static const col_def annual_cols[] = {
    {"region", "Region", "Địa phương", TFP_CELL_TEXT, 0},
    {"sector", "Sector", "Ngành", TFP_CELL_TEXT, COL_SECTOR},
    {"year", "Year", "Năm", TFP_CELL_INT, 0},
    {"output", "Output", "Sản lượng", TFP_CELL_NUMBER, COL_LEVEL},
    {"labour", "Labour input", "Lao động", TFP_CELL_NUMBER, COL_LEVEL},
    {"capital", "Capital", "Vốn", TFP_CELL_NUMBER, COL_LEVEL},
    {"labour_productivity", "Labour productivity", "Năng suất lao động", TFP_CELL_NUMBER, 0},
    {"output_growth", "Output growth", "Tăng trưởng sản lượng", TFP_CELL_FRACTION, 0},
    {"labour_growth", "Labour growth", "Tăng lao động", TFP_CELL_FRACTION, 0},
    {"capital_growth", "Capital growth", "Tăng vốn", TFP_CELL_FRACTION, 0},
    {"capital_share", "Capital share", "Hệ số vốn", TFP_CELL_FRACTION, COL_CONST_SHARE},
    {"capital_contribution", "Capital contrib.", "Đóng góp vốn", TFP_CELL_FRACTION, 0},
    {"labour_contribution", "Labour contrib.", "Đóng góp lao động", TFP_CELL_FRACTION, 0},
    {"tfp_growth", "TFP growth", "Tăng TFP", TFP_CELL_FRACTION, 0},
    {"tfp_share", "TFP share of growth", "Đóng góp TFP", TFP_CELL_FRACTION, 0},
    {"labour_productivity_growth", "LP growth", "Tăng NSLĐ", TFP_CELL_FRACTION, 0},
};

static const col_def summary_cols[] = {
    {"region", "Region", "Địa phương", TFP_CELL_TEXT, 0},
    {"sector", "Sector", "Ngành", TFP_CELL_TEXT, COL_SECTOR},
    {"from", "From", "Từ năm", TFP_CELL_INT, 0},
    {"to", "To", "Đến năm", TFP_CELL_INT, 0},
    {"years", "Years", "Số năm", TFP_CELL_INT, 0},
    {"output_growth", "Output growth", "Tăng trưởng sản lượng", TFP_CELL_FRACTION, 0},
    {"labour_growth", "Labour growth", "Tăng lao động", TFP_CELL_FRACTION, 0},
    {"capital_growth", "Capital growth", "Tăng vốn", TFP_CELL_FRACTION, 0},
    {"capital_share", "Capital coef.", "Hệ số vốn", TFP_CELL_FRACTION, COL_CONST_SHARE},
    {"tfp_growth", "TFP growth", "Tăng TFP", TFP_CELL_FRACTION, 0},
    {"capital_contribution_share", "Capital share of growth", "Tỷ trọng đóng góp của vốn",
     TFP_CELL_FRACTION, 0},
    {"labour_contribution_share", "Labour share of growth", "Tỷ trọng đóng góp của lao động",
     TFP_CELL_FRACTION, 0},
    {"tfp_share", "TFP share of growth", "Tỷ trọng đóng góp của TFP", TFP_CELL_FRACTION, 0},
    {"tfp_share_last_year", "TFP share, last year", "Đóng góp TFP năm cuối", TFP_CELL_FRACTION, 0},
    {"labour_productivity_growth", "LP growth", "Tăng NSLĐ", TFP_CELL_FRACTION, 0},
};

static const col_def target_cols[] = {
    {"region", "Region", "Địa phương", TFP_CELL_TEXT, 0},
    {"target", "Target", "Chỉ tiêu", TFP_CELL_STATUS, 0},
    {"value", "Value", "Giá trị", TFP_CELL_FRACTION, 0},
    {"goal_low", "Goal (low)", "Mục tiêu (thấp)", TFP_CELL_FRACTION, 0},
    {"goal_high", "Goal (high)", "Mục tiêu (cao)", TFP_CELL_FRACTION, 0},
    {"status", "Status", "Đánh giá", TFP_CELL_STATUS, 0},
    {"required_growth", "Required growth", "Tăng trưởng cần đạt", TFP_CELL_FRACTION, 0},
};

static const col_def shiftshare_cols[] = {
    {"region", "Region", "Địa phương", TFP_CELL_TEXT, 0},
    {"from", "From", "Từ năm", TFP_CELL_INT, 0},
    {"to", "To", "Đến năm", TFP_CELL_INT, 0},
    {"lp_base", "LP, base year", "NSLĐ năm gốc", TFP_CELL_NUMBER, 0},
    {"lp_last", "LP, last year", "NSLĐ năm cuối", TFP_CELL_NUMBER, 0},
    {"total", "Change", "Thay đổi", TFP_CELL_NUMBER, 0},
    {"within", "Within sectors", "Nội ngành", TFP_CELL_NUMBER, 0},
    {"static", "Static shift", "Chuyển dịch tĩnh", TFP_CELL_NUMBER, 0},
    {"dynamic", "Dynamic shift", "Chuyển dịch động", TFP_CELL_NUMBER, 0},
    {"product_taxes", "Product taxes", "Thuế sản phẩm", TFP_CELL_NUMBER, 0},
};

static const col_def basis_cols[] = {
    {"region", "Region", "Địa phương", TFP_CELL_TEXT, 0},
    {"target", "Target", "Chỉ tiêu", TFP_CELL_STATUS, 0},
    {"basis", "Basis", "Cách tính", TFP_CELL_STATUS, 0},
    {"column", "Column", "Cột số liệu", TFP_CELL_TEXT, 0},
    {"weights", "Weights", "Trọng số", TFP_CELL_TEXT, 0},
    {"years", "Years", "Số năm", TFP_CELL_INT, 0},
    {"first", "First", "Năm đầu", TFP_CELL_INT, 0},
    {"last", "Last", "Năm cuối", TFP_CELL_INT, 0},
};

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

/* Which columns a view keeps: map[j] is the table column of definition j,
 * or SIZE_MAX when dropped. e may be NULL without TFP_TABLE_COMPACT. */
static tfp_table *
make_table(const col_def *defs,
           size_t n,
           size_t *map,
           unsigned flags,
           const tfp_estimate *e,
           int drawn,
           const char *key,
           const char *en,
           const char *vi,
           tfp_error *err)
{
    tfp_table *t = tfp_table_alloc(key, en, vi, err);
    size_t j, k = 0;
    if (t == NULL)
        return NULL;
    for (j = 0; j < n; j++) {
        int drop = 0;
        if (flags & TFP_TABLE_COMPACT) {
            drop |= (defs[j].flags & COL_LEVEL) != 0;
            drop |= (defs[j].flags & COL_SECTOR) && !e->has_sectors;
            drop |= (defs[j].flags & COL_CONST_SHARE) && e->opts.growth.method == TFP_METHOD_GSO &&
                    !drawn;
            drop |= (defs[j].flags & COL_CI_MINOR) != 0;
            drop |= (defs[j].flags & COL_CI_LAST) && !drawn;
        }
        if (drop) {
            map[j] = SIZE_MAX;
            continue;
        }
        if (tfp_table_add_col(t, defs[j].key, defs[j].en, defs[j].vi, defs[j].type, err) !=
            TFP_OK) {
            tfp_table_free(t);
            return NULL;
        }
        map[j] = k++;
    }
    return t;
}

tfp_table *
tfp_table_estimate_annual(const tfp_estimate *e, unsigned flags, tfp_error *err)
{
    size_t map[NCOLS(annual_cols)];
    tfp_table *t = make_table(annual_cols, NCOLS(annual_cols), map, flags, e, 0, "annual",
                              "Annual growth accounting", "Hạch toán tăng trưởng theo năm", err);
    if (t == NULL)
        return NULL;
    for (size_t u = 0; u < e->nunit; u++) {
        const tfp_unit *un = &e->unit[u];
        const tfp_growth_result *g = un->g;
        for (size_t i = 0; i < un->in.n; i++) {
            size_t row;
            int y = un->in.year[i];
            if ((flags & TFP_TABLE_PERIOD_ONLY) && (y < e->opts.from - 1 || y > e->opts.to))
                continue;
            if (tfp_table_add_row(t, &row, err) != TFP_OK ||
                tfp_table_set_text_mapped(t, map, row, 0, un->region, err) != TFP_OK ||
                tfp_table_set_text_mapped(t, map, row, 1, un->sector, err) != TFP_OK)
                goto fail;
            tfp_table_set_num_mapped(t, map, row, 2, (double)y);
            tfp_table_set_num_mapped(t, map, row, 3, un->in.Y[i]);
            tfp_table_set_num_mapped(t, map, row, 4, un->in.L[i]);
            tfp_table_set_num_mapped(t, map, row, 5, un->in.K[i]);
            tfp_table_set_num_mapped(t, map, row, 6, g->LP[i]);
            tfp_table_set_num_mapped(t, map, row, 7, g->g_Y[i]);
            tfp_table_set_num_mapped(t, map, row, 8, g->g_L[i]);
            tfp_table_set_num_mapped(t, map, row, 9, g->g_K[i]);
            tfp_table_set_num_mapped(t, map, row, 10, g->a[i]);
            tfp_table_set_num_mapped(t, map, row, 11, g->c_K[i]);
            tfp_table_set_num_mapped(t, map, row, 12, g->c_L[i]);
            tfp_table_set_num_mapped(t, map, row, 13, g->g_A[i]);
            tfp_table_set_num_mapped(t, map, row, 14, g->share_A[i]);
            tfp_table_set_num_mapped(t, map, row, 15, g->g_LP[i]);
        }
    }
    return t;
fail:
    tfp_table_free(t);
    return NULL;
}

/* Summary columns 5.. are the period figures, in the order of the
 * bootstrap's TFP_BOOT_* figures; each gets _lo and _hi columns after it. */
#define SUMMARY_FIRST_FIG 5

static const col_def summary_ci_cols[TFP_BOOT_NFIG][2] = {
    {{"output_growth_lo", "lo", "cận dưới", TFP_CELL_FRACTION, 0},
     {"output_growth_hi", "hi", "cận trên", TFP_CELL_FRACTION, 0}},
    {{"labour_growth_lo", "lo", "cận dưới", TFP_CELL_FRACTION, COL_CI_MINOR},
     {"labour_growth_hi", "hi", "cận trên", TFP_CELL_FRACTION, COL_CI_MINOR}},
    {{"capital_growth_lo", "lo", "cận dưới", TFP_CELL_FRACTION, COL_CI_MINOR},
     {"capital_growth_hi", "hi", "cận trên", TFP_CELL_FRACTION, COL_CI_MINOR}},
    {{"capital_share_lo", "lo", "cận dưới", TFP_CELL_FRACTION, COL_CONST_SHARE},
     {"capital_share_hi", "hi", "cận trên", TFP_CELL_FRACTION, COL_CONST_SHARE}},
    {{"tfp_growth_lo", "lo", "cận dưới", TFP_CELL_FRACTION, 0},
     {"tfp_growth_hi", "hi", "cận trên", TFP_CELL_FRACTION, 0}},
    {{"capital_contribution_share_lo", "lo", "cận dưới", TFP_CELL_FRACTION, COL_CI_MINOR},
     {"capital_contribution_share_hi", "hi", "cận trên", TFP_CELL_FRACTION, COL_CI_MINOR}},
    {{"labour_contribution_share_lo", "lo", "cận dưới", TFP_CELL_FRACTION, COL_CI_MINOR},
     {"labour_contribution_share_hi", "hi", "cận trên", TFP_CELL_FRACTION, COL_CI_MINOR}},
    {{"tfp_share_lo", "lo", "cận dưới", TFP_CELL_FRACTION, 0},
     {"tfp_share_hi", "hi", "cận trên", TFP_CELL_FRACTION, 0}},
    {{"tfp_share_last_year_lo", "lo", "cận dưới", TFP_CELL_FRACTION, COL_CI_LAST},
     {"tfp_share_last_year_hi", "hi", "cận trên", TFP_CELL_FRACTION, COL_CI_LAST}},
    {{"labour_productivity_growth_lo", "lo", "cận dưới", TFP_CELL_FRACTION, 0},
     {"labour_productivity_growth_hi", "hi", "cận trên", TFP_CELL_FRACTION, 0}},
};

#define SUMMARY_MAX_COLS (NCOLS(summary_cols) + 2 * TFP_BOOT_NFIG)

tfp_table *
tfp_table_estimate_summary(const tfp_estimate *e, unsigned flags, tfp_error *err)
{
    return tfp_table_estimate_summary_ci(e, NULL, flags, err);
}

tfp_table *
tfp_table_estimate_summary_ci(const tfp_estimate *e,
                              const tfp_bootstrap *b,
                              unsigned flags,
                              tfp_error *err)
{
    col_def defs[SUMMARY_MAX_COLS];
    size_t src[SUMMARY_MAX_COLS]; /* summary column of each definition */
    int kind[SUMMARY_MAX_COLS];   /* 0 the figure, 1 its lo, 2 its hi */
    size_t map[SUMMARY_MAX_COLS], nd = 0;
    tfp_table *t;
    for (size_t j = 0; j < NCOLS(summary_cols); j++) {
        src[nd] = j;
        kind[nd] = 0;
        defs[nd++] = summary_cols[j];
        if (b == NULL || j < SUMMARY_FIRST_FIG)
            continue;
        for (int h = 0; h < 2; h++) {
            src[nd] = j;
            kind[nd] = 1 + h;
            defs[nd++] = summary_ci_cols[j - SUMMARY_FIRST_FIG][h];
        }
    }
    t = make_table(defs, nd, map, flags, e, b != NULL && b->share_drawn, "summary",
                   "Period summary", "Tổng hợp cả giai đoạn", err);
    if (t == NULL)
        return NULL;
    for (size_t u = 0; u < e->nunit; u++) {
        const tfp_growth_summary *s = &e->unit[u].s;
        double v[NCOLS(summary_cols)];
        size_t row;
        if (tfp_table_add_row(t, &row, err) != TFP_OK ||
            tfp_table_set_text_mapped(t, map, row, 0, e->unit[u].region, err) != TFP_OK ||
            tfp_table_set_text_mapped(t, map, row, 1, e->unit[u].sector, err) != TFP_OK) {
            tfp_table_free(t);
            return NULL;
        }
        v[2] = (double)s->from;
        v[3] = s->years > 0 ? (double)s->last : TFP_NAN;
        v[4] = (double)s->years;
        v[5] = s->g_Y;
        v[6] = s->g_L;
        v[7] = s->g_K;
        v[8] = s->a;
        v[9] = s->g_A;
        v[10] = s->share_K;
        v[11] = s->share_L;
        v[12] = s->share_A;
        v[13] = s->share_A_last;
        v[14] = s->g_LP;
        for (size_t j = 0; j < nd; j++) {
            size_t c = src[j];
            if (c < 2)
                continue;
            if (kind[j] == 0)
                tfp_table_set_num_mapped(t, map, row, j, v[c]);
            else if (kind[j] == 1)
                tfp_table_set_num_mapped(t, map, row, j, b->unit[u].lo[c - SUMMARY_FIRST_FIG]);
            else
                tfp_table_set_num_mapped(t, map, row, j, b->unit[u].hi[c - SUMMARY_FIRST_FIG]);
        }
    }
    return t;
}

static const col_def probability_col = {"probability", "Probability", "Xác suất đạt",
                                        TFP_CELL_FRACTION, 0};

/* One region's target rows (target_cols): shared by the estimate's and the
 * check's targets tables. prob (may be NULL) fills the probability column
 * that the bootstrap inserts after status (then required_growth is 7). */
static int
put_targets(tfp_table *t,
            const size_t *map,
            const char *region,
            const tfp_target_check c[TFP_TARGET_COUNT],
            const double *prob,
            tfp_error *err)
{
    for (int k = 0; k < TFP_TARGET_COUNT; k++) {
        size_t row;
        if (tfp_table_add_row(t, &row, err) != TFP_OK ||
            tfp_table_set_text_mapped(t, map, row, 0, region, err) != TFP_OK ||
            tfp_table_set_text_mapped(t, map, row, 1, c[k].target, err) != TFP_OK ||
            tfp_table_set_text_mapped(t, map, row, 5, c[k].status, err) != TFP_OK)
            return err != NULL && err->code != TFP_OK ? err->code : TFP_ENOMEM;
        tfp_table_set_num_mapped(t, map, row, 2, c[k].value);
        tfp_table_set_num_mapped(t, map, row, 3, c[k].goal_low);
        tfp_table_set_num_mapped(t, map, row, 4, c[k].goal_high);
        if (prob != NULL)
            tfp_table_set_num_mapped(t, map, row, 6, prob[k]);
        tfp_table_set_num_mapped(t, map, row, prob != NULL ? 7 : 6, c[k].required_growth);
    }
    return TFP_OK;
}

tfp_table *
tfp_table_estimate_targets(const tfp_estimate *e, unsigned flags, tfp_error *err)
{
    return tfp_table_estimate_targets_ci(e, NULL, flags, err);
}

tfp_table *
tfp_table_estimate_targets_ci(const tfp_estimate *e,
                              const tfp_bootstrap *b,
                              unsigned flags,
                              tfp_error *err)
{
    col_def defs[NCOLS(target_cols) + 1];
    size_t map[NCOLS(target_cols) + 1], nd = 0;
    tfp_table *t;
    for (size_t j = 0; j < NCOLS(target_cols); j++) {
        defs[nd++] = target_cols[j];
        if (b != NULL && strcmp(target_cols[j].key, "status") == 0)
            defs[nd++] = probability_col; /* column 6: put_targets fills it */
    }
    t = make_table(defs, nd, map, flags, e, 0, "targets", "Plan targets",
                   "Đánh giá chỉ tiêu kế hoạch", err);
    if (t == NULL)
        return NULL;
    for (size_t u = 0; u < e->nunit; u++) {
        if (e->unit[u].sector != NULL && e->has_sectors)
            continue;
        if (put_targets(t, map, e->unit[u].region, e->unit[u].t, b != NULL ? b->unit[u].prob : NULL,
                        err) != TFP_OK) {
            tfp_table_free(t);
            return NULL;
        }
    }
    return t;
}

tfp_table *
tfp_table_estimate_shiftshare(const tfp_estimate *e, unsigned flags, tfp_error *err)
{
    size_t map[NCOLS(shiftshare_cols)];
    const tfp_shiftshare *ss = e->shiftshare;
    tfp_table *t = make_table(shiftshare_cols, NCOLS(shiftshare_cols), map, flags, e, 0,
                              "shiftshare", "Labour productivity by sector: shift-share",
                              "Năng suất lao động theo ngành: phân tích chuyển dịch cơ cấu", err);
    if (t == NULL)
        return NULL;
    for (size_t i = 0; ss != NULL && i < ss->n; i++) {
        const tfp_shiftshare_region *x = &ss->region[i];
        size_t row;
        if (tfp_table_add_row(t, &row, err) != TFP_OK ||
            tfp_table_set_text_mapped(t, map, row, 0, x->region, err) != TFP_OK) {
            tfp_table_free(t);
            return NULL;
        }
        tfp_table_set_num_mapped(t, map, row, 1, (double)x->from);
        tfp_table_set_num_mapped(t, map, row, 2, x->last > 0 ? (double)x->last : TFP_NAN);
        tfp_table_set_num_mapped(t, map, row, 3, x->parts.lp_base);
        tfp_table_set_num_mapped(t, map, row, 4, x->parts.lp_last);
        tfp_table_set_num_mapped(t, map, row, 5, x->parts.total);
        tfp_table_set_num_mapped(t, map, row, 6, x->parts.within);
        tfp_table_set_num_mapped(t, map, row, 7, x->parts.static_shift);
        tfp_table_set_num_mapped(t, map, row, 8, x->parts.dynamic_shift);
        tfp_table_set_num_mapped(t, map, row, 9, x->has_taxes ? x->parts.taxes : TFP_NAN);
    }
    return t;
}

tfp_table *
tfp_table_check_targets(const tfp_check *c, tfp_error *err)
{
    size_t map[NCOLS(target_cols)];
    tfp_table *t = make_table(target_cols, NCOLS(target_cols), map, 0, NULL, 0, "targets",
                              "Plan targets on reported figures",
                              "Đánh giá chỉ tiêu kế hoạch theo số liệu công bố", err);
    if (t == NULL)
        return NULL;
    for (size_t r = 0; r < c->n; r++) {
        if (put_targets(t, map, c->region[r].region, c->region[r].t, NULL, err) != TFP_OK) {
            tfp_table_free(t);
            return NULL;
        }
    }
    return t;
}

tfp_table *
tfp_table_check_basis(const tfp_check *c, tfp_error *err)
{
    size_t map[NCOLS(basis_cols)];
    tfp_table *t = make_table(basis_cols, NCOLS(basis_cols), map, 0, NULL, 0, "basis",
                              "Reported figures used", "Số liệu công bố được sử dụng", err);
    if (t == NULL)
        return NULL;
    for (size_t r = 0; r < c->n; r++) {
        for (int k = 0; k < TFP_TARGET_COUNT; k++) {
            const tfp_check_source *s = &c->region[r].src[k];
            size_t row;
            if (tfp_table_add_row(t, &row, err) != TFP_OK ||
                tfp_table_set_text_mapped(t, map, row, 0, c->region[r].region, err) != TFP_OK ||
                tfp_table_set_text_mapped(t, map, row, 1, c->region[r].t[k].target, err) !=
                    TFP_OK ||
                tfp_table_set_text_mapped(t, map, row, 2, tfp_basis_name(s->basis), err) !=
                    TFP_OK ||
                tfp_table_set_text_mapped(t, map, row, 3, s->column, err) != TFP_OK ||
                tfp_table_set_text_mapped(t, map, row, 4, s->weights, err) != TFP_OK) {
                tfp_table_free(t);
                return NULL;
            }
            tfp_table_set_num_mapped(t, map, row, 5, (double)s->years);
            tfp_table_set_num_mapped(t, map, row, 6, s->first > 0 ? (double)s->first : TFP_NAN);
            tfp_table_set_num_mapped(t, map, row, 7, s->last > 0 ? (double)s->last : TFP_NAN);
        }
    }
    return t;
}
