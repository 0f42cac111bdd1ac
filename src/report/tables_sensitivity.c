/*
 * Tables of a sensitivity grid (report layer): the grid of period TFP
 * shares and the bands of capital shares where each target status holds,
 * labelled in English and Vietnamese.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "tfp/config.h"
#include "tfp/tables.h"

typedef struct col {
    const char *key, *en, *vi;
    tfp_cell_type type;
    int pim;   /* only when capital comes from the perpetual inventory */
    int share; /* only when the capital share varies */
} col;

static const col grid_cols[] = {
    {"region", "Region", "Địa phương", TFP_CELL_TEXT, 0, 0},
    {"capital_share", "Capital share", "Hệ số vốn", TFP_CELL_FRACTION, 0, 1},
    {"delta", "Depreciation", "Tỷ lệ khấu hao", TFP_CELL_FRACTION, 1, 0},
    {"k0_method", "Initial capital", "Vốn ban đầu", TFP_CELL_TEXT, 1, 0},
    {"tfp_share", "TFP share of growth", "Tỷ trọng đóng góp của TFP", TFP_CELL_FRACTION, 0, 0},
    {"tfp_status", "Status", "Đánh giá", TFP_CELL_STATUS, 0, 0},
};

static const col band_cols[] = {
    {"region", "Region", "Địa phương", TFP_CELL_TEXT, 0, 0},
    {"delta", "Depreciation", "Tỷ lệ khấu hao", TFP_CELL_FRACTION, 1, 0},
    {"k0_method", "Initial capital", "Vốn ban đầu", TFP_CELL_TEXT, 1, 0},
    {"status", "TFP share status", "Đánh giá đóng góp TFP", TFP_CELL_STATUS, 0, 0},
    {"capital_share_from", "Capital share from", "Hệ số vốn từ", TFP_CELL_FRACTION, 0, 1},
    {"capital_share_to", "to", "đến", TFP_CELL_FRACTION, 0, 1},
};

#define NCOLS 6

/* A table with the columns that apply (all of them unless compact). */
static tfp_table *
make(const col *defs,
     const tfp_sensitivity *s,
     unsigned flags,
     const char *key,
     const char *en,
     const char *vi,
     size_t *map,
     tfp_error *err)
{
    tfp_table *t = tfp_table_alloc(key, en, vi, err);
    size_t j, k = 0;
    if (t == NULL)
        return NULL;
    for (j = 0; j < NCOLS; j++) {
        int drop = (flags & TFP_TABLE_COMPACT) &&
                   ((defs[j].pim && !s->capital_from_pim) || (defs[j].share && !s->share_varies));
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

static int
put(tfp_table *t,
    const size_t *map,
    size_t row,
    size_t j,
    double v,
    const char *text,
    tfp_error *err)
{
    if (map[j] == SIZE_MAX)
        return TFP_OK;
    if (text != NULL)
        return tfp_table_set_text(t, row, map[j], text, err);
    tfp_table_set_num(t, row, map[j], v);
    return TFP_OK;
}

static const char *
k0_text(int k0)
{
    return k0 < 0 ? NULL : tfp_k0_method_name((tfp_k0_method)k0);
}

tfp_table *
tfp_table_sensitivity_grid(const tfp_sensitivity *s, unsigned flags, tfp_error *err)
{
    size_t map[NCOLS];
    tfp_table *t = make(grid_cols, s, flags, "grid", "Period TFP share by assumption",
                        "Tỷ trọng đóng góp của TFP theo giả định", map, err);
    if (t == NULL)
        return NULL;
    for (size_t i = 0; i < s->ncell; i++) {
        const tfp_sensitivity_cell *c = &s->cell[i];
        size_t row;
        if (tfp_table_add_row(t, &row, err) != TFP_OK ||
            put(t, map, row, 0, 0, c->region, err) != TFP_OK ||
            put(t, map, row, 1, c->capital_share, NULL, err) != TFP_OK ||
            put(t, map, row, 2, c->delta, NULL, err) != TFP_OK ||
            (c->k0 >= 0 && put(t, map, row, 3, 0, k0_text(c->k0), err) != TFP_OK) ||
            put(t, map, row, 4, c->tfp_share, NULL, err) != TFP_OK ||
            put(t, map, row, 5, 0, c->status, err) != TFP_OK) {
            tfp_table_free(t);
            return NULL;
        }
    }
    return t;
}

tfp_table *
tfp_table_sensitivity_bands(const tfp_sensitivity *s, unsigned flags, tfp_error *err)
{
    size_t map[NCOLS];
    tfp_table *t = make(band_cols, s, flags, "bands", "Capital shares where each status holds",
                        "Khoảng hệ số vốn cho từng mức đánh giá", map, err);
    if (t == NULL)
        return NULL;
    for (size_t i = 0; i < s->nband; i++) {
        const tfp_sensitivity_band *b = &s->band[i];
        size_t row;
        if (tfp_table_add_row(t, &row, err) != TFP_OK ||
            put(t, map, row, 0, 0, b->region, err) != TFP_OK ||
            put(t, map, row, 1, b->delta, NULL, err) != TFP_OK ||
            (b->k0 >= 0 && put(t, map, row, 2, 0, k0_text(b->k0), err) != TFP_OK) ||
            put(t, map, row, 3, 0, b->status, err) != TFP_OK ||
            put(t, map, row, 4, b->from, NULL, err) != TFP_OK ||
            put(t, map, row, 5, b->to, NULL, err) != TFP_OK) {
            tfp_table_free(t);
            return NULL;
        }
    }
    return t;
}
