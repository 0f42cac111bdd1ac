/*
 * Translated strings of the report layer: status labels and the words of a
 * document, one table per language, indexed alike. The source is UTF-8 and
 * Vietnamese is in NFC (precomposed letters: "đạt" is 3 code points), which
 * the text renderer's width count relies on. Statuses and target names: DESIGN section 4.
 */
#include <stddef.h>
#include <string.h>

#include "book_int.h"
#include "report_int.h"

enum { NSTATUS = 10 };

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
};

/* Indexed by tfp_report_word. */
static const char *const words_en[] = {"Warning", "Warnings"};
static const char *const words_vi[] = {"Cảnh báo", "Cảnh báo"};

/* Indexed by tfp_book_word (book_int.h). */
static const char *const book_en[] = {
    "Contents",
    "Showing the first %zu of %zu rows; the workbook has them all.",
    "This sheet holds the first %zu of %zu rows, as many as a sheet can hold.",
    "Made with tfp %s.",
    "Chart",
    "no data",
    "Productivity report: growth accounting, labour productivity and plan targets",
    "Summary",
    "Annual",
    "Contributions",
    "Data",
    "About",
    "Notes",
    "Reading and estimation gave no warnings.",
    "Plan targets for each region, then the period summary. Rates are in percent; a TFP share is "
    "the part of output growth that TFP growth accounts for.",
    "Contributions to growth and targets, plan period",
    "Region totals, from the base year to the last year of the plan period with data. "
    "Contributions are in percentage points of output growth; they add up to it.",
    "Region",
    "Sector",
    "Year",
    "Output growth",
    "Capital contribution",
    "Labour contribution",
    "TFP contribution",
    "TFP share of growth",
    "TFP share target, low",
    "TFP share target, high",
    "Labour productivity",
    "LP growth",
    "LP growth target",
    "Labour productivity, %s",
    "Labour productivity growth against the target, %s",
    "Contributions of capital, labour and TFP to growth, %s",
    "TFP share of growth against the target band, %s",
    "Output per worker",
    "Growth per year",
    "Percentage points",
    "Share of output growth",
    "Input data after column mapping",
    "The input as read, one row per region, sector and year, with each column named by its role; "
    "the input column is in brackets.",
    "Line in file",
    "Output",
    "Employment",
    "Capital",
    "Investment",
    "Labour share",
    "Human capital",
    "Hours",
    "perpetual inventory",
    "About this report",
    "Item",
    "Value",
    "tfp version",
    "Command line",
    "Input file",
    "SHA-256 of the input file",
    "Rows read",
    "Data source",
    "the input file named above",
    "Method references",
    "Parameter %s",
    "Column for %s",
    "not known (standard input)",
    "Harberger",
    "Charts are drawn for the first %zu of %zu regions; the tables hold every region.",
};

static const char *const book_vi[] = {
    "Mục lục",
    "Hiển thị %zu dòng đầu trong số %zu dòng; tệp Excel có đủ tất cả các dòng.",
    "Trang tính này chứa %zu dòng đầu trong số %zu dòng, mức tối đa của một trang tính.",
    "Lập bằng tfp %s.",
    "Biểu đồ",
    "không có số liệu",
    "Báo cáo năng suất: hạch toán tăng trưởng, năng suất lao động và chỉ tiêu kế hoạch",
    "Tổng hợp",
    "Theo năm",
    "Đóng góp",
    "Dữ liệu",
    "Thông tin",
    "Ghi chú",
    "Quá trình đọc dữ liệu và tính toán không có cảnh báo nào.",
    "Đánh giá chỉ tiêu kế hoạch của từng địa phương, sau đó là tổng hợp cả giai đoạn. Tốc độ tính "
    "bằng phần trăm; tỷ trọng đóng góp của TFP là phần tăng trưởng sản lượng do tăng TFP mang lại.",
    "Đóng góp vào tăng trưởng và mục tiêu, giai đoạn kế hoạch",
    "Số liệu toàn địa phương, từ năm gốc đến năm cuối có số liệu của giai đoạn kế hoạch. Đóng góp "
    "tính bằng điểm phần trăm của tốc độ tăng sản lượng; tổng các đóng góp bằng tốc độ tăng sản "
    "lượng.",
    "Địa phương",
    "Ngành",
    "Năm",
    "Tăng trưởng sản lượng",
    "Đóng góp của vốn",
    "Đóng góp của lao động",
    "Đóng góp của TFP",
    "Tỷ trọng đóng góp của TFP",
    "Mục tiêu tỷ trọng TFP, mức thấp",
    "Mục tiêu tỷ trọng TFP, mức cao",
    "Năng suất lao động",
    "Tăng NSLĐ",
    "Mục tiêu tăng NSLĐ",
    "Năng suất lao động, %s",
    "Tốc độ tăng năng suất lao động so với mục tiêu, %s",
    "Đóng góp của vốn, lao động và TFP vào tăng trưởng, %s",
    "Tỷ trọng đóng góp của TFP so với khoảng mục tiêu, %s",
    "Sản lượng trên một lao động",
    "Tăng trưởng mỗi năm",
    "Điểm phần trăm",
    "Tỷ trọng trong tăng trưởng",
    "Dữ liệu đầu vào sau khi gán cột",
    "Dữ liệu như đã đọc, mỗi dòng một địa phương, ngành và năm, mỗi cột mang tên vai trò của nó; "
    "tên cột trong tệp đầu vào ghi trong ngoặc.",
    "Dòng trong tệp",
    "Sản lượng",
    "Lao động",
    "Vốn",
    "Vốn đầu tư",
    "Tỷ phần lao động",
    "Vốn nhân lực",
    "Giờ làm việc",
    "kiểm kê liên tục",
    "Về báo cáo này",
    "Mục",
    "Giá trị",
    "Phiên bản tfp",
    "Dòng lệnh",
    "Tệp đầu vào",
    "Mã SHA-256 của tệp đầu vào",
    "Số dòng đã đọc",
    "Nguồn dữ liệu",
    "tệp đầu vào nêu trên",
    "Tài liệu về phương pháp",
    "Tham số %s",
    "Cột cho %s",
    "không xác định (đầu vào chuẩn)",
    "Harberger",
    "Biểu đồ được vẽ cho %zu địa phương đầu tiên trong số %zu; các bảng có đủ mọi địa phương.",
};

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

/* Both tables hold one string per word: a word added to the enum and
 * forgotten in a table stops the build. */
_Static_assert(sizeof book_en / sizeof book_en[0] == TFP_BOOK_WORD_COUNT, "English words");
_Static_assert(sizeof book_vi / sizeof book_vi[0] == TFP_BOOK_WORD_COUNT, "Vietnamese words");

const char *
tfp_book_word_get(tfp_book_word w, tfp_lang lang)
{
    if ((int)w < 0 || w >= TFP_BOOK_WORD_COUNT)
        return "";
    return lang == TFP_LANG_VI ? book_vi[w] : book_en[w];
}

int
tfp_report_status_rgb(const char *code, unsigned long *fill, unsigned long *text)
{
    static const struct {
        const char *code;
        unsigned long fill, text;
    } colour[] = {
        {"met", 0xC6EFCEul, 0x006100ul},       {"within", 0xC6EFCEul, 0x006100ul},
        {"on-track", 0xC6EFCEul, 0x006100ul},  {"below", 0xFFC7CEul, 0x9C0006ul},
        {"off-track", 0xFFC7CEul, 0x9C0006ul}, {"above", 0xFFEB9Cul, 0x9C5700ul},
        {"undefined", 0xEDEDEDul, 0x404040ul},
    };
    size_t i;
    if (code == NULL)
        return 0;
    for (i = 0; i < sizeof colour / sizeof colour[0]; i++)
        if (strcmp(code, colour[i].code) == 0) {
            *fill = colour[i].fill;
            *text = colour[i].text;
            return 1;
        }
    return 0;
}
