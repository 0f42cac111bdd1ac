/*
 * Translated strings of the report layer: status labels and the words of a
 * document, one table per language, indexed alike. The source is UTF-8 and
 * Vietnamese is in NFC (precomposed letters: "đạt" is 3 code points), which
 * the text renderer's width count relies on. Statuses and target names: DESIGN section 4.
 */
#include <stddef.h>
#include <string.h>

#include "report_int.h"

enum { NSTATUS = 16 };

/* Status codes, as CSV and JSON write them. */
static const char *const status_code[NSTATUS] = {
    "met",
    "below",
    "within",
    "above",
    "on-track",
    "off-track",
    "undefined",
    "lp_growth",
    "tfp_share_period",
    "tfp_share_last_year",
    "levels",
    "growth_rates",
    "mean",
    "weighted_mean",
    "last_year",
    "none",
};

static const char *const status_en[NSTATUS] = {
    "met",
    "below",
    "within",
    "above",
    "on track",
    "off track",
    "undefined",
    "LP growth, avg/year",
    "TFP share, period",
    "TFP share, last year",
    "LP levels",
    "yearly growth rates",
    "mean of the years",
    "mean weighted by output growth",
    "last year reported",
    "none",
};

static const char *const status_vi[NSTATUS] = {
    "đạt",
    "dưới mục tiêu",
    "trong khoảng",
    "trên khoảng",
    "đúng hướng",
    "chệch hướng",
    "không xác định",
    "Tăng NSLĐ bình quân/năm",
    "Đóng góp TFP cả giai đoạn",
    "Đóng góp TFP năm cuối",
    "mức NSLĐ",
    "tốc độ tăng hằng năm",
    "bình quân các năm",
    "bình quân gia quyền theo tăng trưởng",
    "năm cuối có số liệu",
    "không có",
};

/* Indexed by tfp_report_word. */
static const char *const words_en[] = {"Warning", "Warnings"};
static const char *const words_vi[] = {"Cảnh báo", "Cảnh báo"};

const char *
tfp_status_label(const char *code, tfp_lang lang)
{
    size_t i;
    if (code == NULL)
        return "";
    for (i = 0; i < NSTATUS; i++)
        if (strcmp(code, status_code[i]) == 0)
            return lang == TFP_LANG_VI ? status_vi[i] : status_en[i];
    return code;
}

const char *
tfp_report_word_get(tfp_report_word w, tfp_lang lang)
{
    return lang == TFP_LANG_VI ? words_vi[w] : words_en[w];
}
