/*
 * Translated strings of the report layer: status labels and the words of a
 * document, one table per language, indexed alike. The source is UTF-8 and
 * Vietnamese is in NFC (precomposed letters: "đạt" is 3 code points), which
 * the text renderer's width count relies on. Statuses and target names: DESIGN section 4.
 */
#include <stddef.h>
#include <string.h>

#include "report_int.h"

/* Codes, as CSV and JSON write them, with their labels in text and
 * Markdown: statuses, target names, bases of reported figures, methods,
 * scenario rows, forecast series and models. */
static const struct {
    const char *code, *en, *vi;
} labels[] = {
    {"met", "met", "đạt"},
    {"below", "below", "dưới mục tiêu"},
    {"within", "within", "trong khoảng"},
    {"above", "above", "trên khoảng"},
    {"on-track", "on track", "đúng hướng"},
    {"off-track", "off track", "chệch hướng"},
    {"undefined", "undefined", "không xác định"},
    {"lp_growth", "LP growth, avg/year", "Tăng NSLĐ bình quân/năm"},
    {"tfp_share_period", "TFP share, period", "Đóng góp TFP cả giai đoạn"},
    {"tfp_share_last_year", "TFP share, last year", "Đóng góp TFP năm cuối"},
    {"levels", "LP levels", "mức NSLĐ"},
    {"growth_rates", "yearly growth rates", "tốc độ tăng hằng năm"},
    {"mean", "mean of the years", "bình quân các năm"},
    {"weighted_mean", "mean weighted by output growth", "bình quân gia quyền theo tăng trưởng"},
    {"last_year", "last year reported", "năm cuối có số liệu"},
    {"none", "none", "không có"},
    {"gso_0.30", "GSO, b_K = 0.30", "GSO, b_K = 0,30"},
    {"gso_0.40", "GSO, b_K = 0.40", "GSO, b_K = 0,40"},
    {"gso_0.50", "GSO, b_K = 0.50", "GSO, b_K = 0,50"},
    {"tornqvist", "Törnqvist, labour shares", "Törnqvist, tỷ phần lao động"},
    {"fit_crs", "GSO, b_K from crs fit", "GSO, b_K ước lượng crs"},
    {"fit_within", "GSO, b_K from within fit", "GSO, b_K ước lượng within"},
    {"fit_twoways", "GSO, b_K from twoways fit", "GSO, b_K ước lượng twoways"},
    {"tfp_share", "TFP share", "Đóng góp TFP"},
    {"data", "data", "thực tế"},
    {"projected", "projected", "dự kiến"},
    {"tfp_growth", "TFP growth", "Tăng TFP"},
    {"labour_productivity_growth", "LP growth", "Tăng NSLĐ"},
    {"drift", "drift (mean growth)", "trôi (tăng bình quân)"},
    {"trend", "log-linear trend", "xu hướng log-tuyến tính"},
    {"ar1", "AR(1)", "AR(1)"},
    {"holt", "Holt linear trend", "Holt (xu hướng tuyến tính)"},
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
    for (i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(code, labels[i].code) == 0)
            return lang == TFP_LANG_VI ? labels[i].vi : labels[i].en;
    return code;
}

const char *
tfp_report_word_get(tfp_report_word w, tfp_lang lang)
{
    return lang == TFP_LANG_VI ? words_vi[w] : words_en[w];
}
