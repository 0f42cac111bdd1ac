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
    "With --bootstrap, each period figure is followed by its %s %% interval (lo, hi), and each "
    "target by the probability that it is met, from %zu bootstrap replicates.",
    "round(n^(1/3)) years for each region",
    "Sensitivity",
    "How the period TFP share, and whether it meets the target band, depends on the assumptions "
    "behind it: the capital share and, for capital built from investment, the depreciation rate "
    "and the initial stock. The grid has one row per region, assumption and capital share; the "
    "bands give the capital shares in which each status holds.",
    "Grid: %s.",
    "Note: %s.",
    "TFP share by capital share and depreciation, Harberger initial capital (chart data)",
    "Capital share",
    "Depreciation %s",
    "TFP share by capital share, one line per depreciation rate, %s",
    "TFP share by capital share, %s",
    "Capital share",
    "Models",
    "The same data through several methods, as tfp compare prints them: the capital share used "
    "(with its standard error when it is estimated), the period TFP share and its status, "
    "labour-productivity growth and its status, and the fit statistics.",
    "Methods left out",
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
    "Với --bootstrap, sau mỗi chỉ tiêu cả giai đoạn là khoảng %s %% của nó (cận dưới, cận trên), "
    "và sau mỗi mục tiêu là xác suất đạt mục tiêu, từ %zu lần lặp bootstrap.",
    "round(n^(1/3)) năm cho mỗi địa phương",
    "Độ nhạy",
    "Tỷ trọng đóng góp của TFP cả giai đoạn, và việc có đạt khoảng mục tiêu hay không, phụ thuộc "
    "thế nào vào các giả định: hệ số vốn và, khi vốn được tính từ đầu tư, tỷ lệ khấu hao và vốn "
    "ban đầu. Lưới có mỗi dòng một địa phương, giả định và hệ số vốn; các khoảng cho biết những "
    "hệ số vốn ứng với từng mức đánh giá.",
    "Lưới giả định: %s.",
    "Ghi chú: %s.",
    "Tỷ trọng đóng góp của TFP theo hệ số vốn và tỷ lệ khấu hao, vốn ban đầu Harberger (số liệu "
    "biểu đồ)",
    "Hệ số vốn",
    "Khấu hao %s",
    "Tỷ trọng đóng góp của TFP theo hệ số vốn, mỗi đường một tỷ lệ khấu hao, %s",
    "Tỷ trọng đóng góp của TFP theo hệ số vốn, %s",
    "Hệ số vốn",
    "So sánh phương pháp",
    "Cùng một bộ số liệu qua nhiều phương pháp, như lệnh tfp compare in ra: hệ số vốn được dùng "
    "(kèm sai số chuẩn khi được ước lượng), tỷ trọng đóng góp của TFP cả giai đoạn và đánh giá, "
    "tốc độ tăng năng suất lao động và đánh giá, cùng các thống kê ước lượng.",
    "Phương pháp không áp dụng",
};

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
