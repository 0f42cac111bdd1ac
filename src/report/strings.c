/*
 * Translated strings of the report layer: status labels and the words of a
 * document, one table per language, indexed alike. The source is UTF-8 and
 * Vietnamese is in NFC (precomposed letters: "đạt" is 3 code points), which
 * the text renderer's width count relies on. Statuses and target names: DESIGN section 4.
 */
#include <stddef.h>
#include <string.h>

#include "report_int.h"

/* 10 statuses and targets; then the scenario and forecast codes (binding target, data or
 * projected year, forecast series and models). */
enum { NSTATUS = 10 + 9 };

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
    "tfp_share",
    "data",
    "projected",
    "tfp_growth",
    "labour_productivity_growth",
    "drift",
    "trend",
    "ar1",
    "holt",
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
    "TFP share",
    "data",
    "projected",
    "TFP growth",
    "LP growth",
    "drift (mean growth)",
    "log-linear trend",
    "AR(1)",
    "Holt linear trend",
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
    "Đóng góp TFP",
    "thực tế",
    "dự kiến",
    "Tăng TFP",
    "Tăng NSLĐ",
    "trôi (tăng bình quân)",
    "xu hướng log-tuyến tính",
    "AR(1)",
    "Holt (xu hướng tuyến tính)",
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
