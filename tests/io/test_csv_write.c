/*
 * io layer: atomic file writing and CSV field quoting. Checks that a failed
 * write leaves neither a partial output nor a temporary file behind, that
 * devices such as /dev/full are never replaced, and that quoted fields read
 * back through the reader unchanged.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include "tfp/error.h"
#include "tfp/io.h"
#include "tfp/strbuf.h"
#include "tfp_test.h"

TestSuite(csv_write, .init = quiet_gsl);

static char dir[64];

/* Under ASan, fails the running test when any block has become unreachable
 * (LeakSanitizer's report at exit comes too late to fail a Criterion test). */
static void
assert_no_leaks(void)
{
#if defined(__SANITIZE_ADDRESS__)
    cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked (report above)");
#endif
}

/* A fresh directory for each test (Criterion runs each in its own process). */
static const char *
fresh_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/tfp-write-%ld-XXXXXX", (long)getpid());
    cr_assert_not_null(mkdtemp(dir));
    return dir;
}

static const char *
in_dir(const char *name)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static size_t
count_entries(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;
    cr_assert_not_null(d);
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void
assert_contents(const char *path, const char *want)
{
    char buf[256];
    size_t n;
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp, "%s is missing", path);
    n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    cr_assert_str_eq(buf, want);
}

static void
remove_dir(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[384];
    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

/* ---- tfp_file_write_atomic ---------------------------------------------- */

Test(csv_write, writes_new_file_and_leaves_no_temporary)
{
    tfp_error err;
    struct stat st;
    const char *path;
    fresh_dir();
    path = in_dir("out.csv");
    tfp_error_init(&err);
    cr_assert_eq(tfp_file_write_atomic(path, "a,b\n1,2\n", 8, &err), TFP_OK, "%s", err.msg);
    assert_contents(path, "a,b\n1,2\n");
    cr_assert_eq(count_entries(), 1);
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0644);
    remove_dir();
}

Test(csv_write, replaces_existing_file_keeping_its_mode)
{
    tfp_error err;
    struct stat st;
    const char *path;
    fresh_dir();
    path = in_dir("out.csv");
    tfp_error_init(&err);
    cr_assert_eq(tfp_file_write_atomic(path, "old, longer contents\n", 21, &err), TFP_OK);
    chmod(path, 0600);
    cr_assert_eq(tfp_file_write_atomic(path, "new\n", 4, &err), TFP_OK, "%s", err.msg);
    assert_contents(path, "new\n");
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);
    cr_assert_eq(count_entries(), 1);
    remove_dir();
}

Test(csv_write, writes_empty_file)
{
    tfp_error err;
    const char *path;
    fresh_dir();
    path = in_dir("empty.csv");
    tfp_error_init(&err);
    cr_assert_eq(tfp_file_write_atomic(path, "", 0, &err), TFP_OK);
    assert_contents(path, "");
    remove_dir();
}

Test(csv_write, directory_path_fails_cleanly)
{
    tfp_error err;
    char want[128];
    fresh_dir();
    tfp_error_init(&err);
    cr_assert_eq(tfp_file_write_atomic(dir, "x\n", 2, &err), TFP_EIO);
    snprintf(want, sizeof want, "cannot write %s: Is a directory", dir);
    cr_assert_str_eq(err.msg, want);
    cr_assert_eq(count_entries(), 0, "no temporary file may be left");
    tfp_error_init(&err);
    cr_assert_eq(tfp_file_write_atomic("/tmp/", "x\n", 2, &err), TFP_EIO);
    cr_assert_str_eq(err.msg, "cannot write /tmp/: Is a directory");
    remove_dir();
    assert_no_leaks();
}

Test(csv_write, missing_directory_fails_cleanly)
{
    tfp_error err;
    tfp_error_init(&err);
    cr_assert_eq(tfp_file_write_atomic("/nonexistent-tfp-dir/out.csv", "x\n", 2, &err), TFP_EIO);
    cr_assert_str_eq(err.msg,
                     "cannot write /nonexistent-tfp-dir/out.csv: No such file or directory");
}

Test(csv_write, dev_full_fails_cleanly_and_stays_a_device)
{
    tfp_error err;
    struct stat st;
    if (stat("/dev/full", &st) != 0 || !S_ISCHR(st.st_mode))
        cr_skip_test("no /dev/full here");
    tfp_error_init(&err);
    cr_assert_eq(tfp_file_write_atomic("/dev/full", "x\n", 2, &err), TFP_EIO);
    cr_assert_str_eq(err.msg, "cannot write /dev/full: No space left on device");
    cr_assert_eq(stat("/dev/full", &st), 0);
    cr_assert(S_ISCHR(st.st_mode), "/dev/full must not be replaced by a file");
}

Test(csv_write, failed_write_keeps_old_file_and_removes_temporary)
{
    /* A file size limit makes write(2) fail part way with EFBIG (SIGXFSZ is
     * ignored so that the process survives to see the error). */
    static char big[8192];
    struct rlimit lim = {1024, 1024};
    tfp_error err;
    const char *path;
    fresh_dir();
    path = in_dir("out.csv");
    tfp_error_init(&err);
    cr_assert_eq(tfp_file_write_atomic(path, "old\n", 4, &err), TFP_OK);
    memset(big, 'x', sizeof big);
    signal(SIGXFSZ, SIG_IGN);
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    cr_assert_eq(tfp_file_write_atomic(path, big, sizeof big, &err), TFP_EIO);
    cr_assert(strstr(err.msg, "File too large") != NULL, "%s", err.msg);
    assert_contents(path, "old\n");
    cr_assert_eq(count_entries(), 1, "the temporary file must be removed");
    remove_dir();
    assert_no_leaks();
}

Test(csv_write, standard_output_is_not_the_writers_job)
{
    tfp_error err;
    tfp_error_init(&err);
    cr_assert_eq(tfp_file_write_atomic("-", "x\n", 2, &err), TFP_EINVAL);
    tfp_error_init(&err);
    cr_assert_eq(tfp_file_write_atomic("", "x\n", 2, &err), TFP_EINVAL);
    cr_assert_eq(tfp_file_write_atomic(NULL, "x\n", 2, NULL), TFP_EINVAL);
}

/* ---- tfp_csv_put_field ---------------------------------------------------- */

static const char *
put(tfp_strbuf *sb, const char *s, char delimiter)
{
    tfp_strbuf_reset(sb);
    tfp_csv_put_field(sb, s, delimiter);
    cr_assert_eq(tfp_strbuf_status(sb), TFP_OK);
    return tfp_strbuf_cstr(sb);
}

Test(csv_write, quotes_fields_only_when_needed)
{
    tfp_strbuf sb;
    tfp_strbuf_init(&sb);
    cr_assert_str_eq(put(&sb, "Bac Giang", ','), "Bac Giang");
    cr_assert_str_eq(put(&sb, "1234.5", ','), "1234.5");
    cr_assert_str_eq(put(&sb, "Ha Noi, capital", ','), "\"Ha Noi, capital\"");
    cr_assert_str_eq(put(&sb, "Ha Noi, capital", ';'), "Ha Noi, capital");
    cr_assert_str_eq(put(&sb, "a;b", ';'), "\"a;b\"");
    cr_assert_str_eq(put(&sb, "a\tb", '\t'), "\"a\tb\"");
    cr_assert_str_eq(put(&sb, "says \"hi\"", ','), "\"says \"\"hi\"\"\"");
    cr_assert_str_eq(put(&sb, "\"", ','), "\"\"\"\"");
    cr_assert_str_eq(put(&sb, "two\nlines", ','), "\"two\nlines\"");
    cr_assert_str_eq(put(&sb, "cr\r", ','), "\"cr\r\"");
    cr_assert_str_eq(put(&sb, " padded", ','), "\" padded\"");
    cr_assert_str_eq(put(&sb, "padded\t", ','), "\"padded\t\"");
    cr_assert_str_eq(put(&sb, "", ','), "");
    cr_assert_str_eq(put(&sb, NULL, ','), "");
    tfp_strbuf_fini(&sb);
}

Test(csv_write, written_fields_read_back_unchanged)
{
    static const char *const values[] = {"plain",    "Ha Noi, capital", "says \"hi\"", "two\nlines",
                                         " padded ", "x;y\tz",          "\"\"",        ""};
    size_t n = sizeof values / sizeof values[0], j;
    tfp_strbuf sb;
    tfp_error err;
    tfp_csv_reader *r;
    tfp_frame *f;
    const char *path;
    fresh_dir();
    path = in_dir("round.csv");
    tfp_strbuf_init(&sb);
    for (j = 0; j < n; j++) {
        if (j > 0)
            tfp_strbuf_putc(&sb, ',');
        tfp_strbuf_printf(&sb, "c%zu", j);
    }
    tfp_strbuf_putc(&sb, '\n');
    for (j = 0; j < n; j++) {
        if (j > 0)
            tfp_strbuf_putc(&sb, ',');
        tfp_csv_put_field(&sb, values[j], ',');
    }
    tfp_strbuf_putc(&sb, '\n');
    tfp_error_init(&err);
    cr_assert_eq(tfp_file_write_atomic(path, sb.data, sb.len, &err), TFP_OK);
    r = tfp_csv_reader_alloc(path, NULL, &err);
    cr_assert_not_null(r, "%s", err.msg);
    for (j = 0; j < n; j++)
        tfp_csv_reader_set_kind(r, j, TFP_COL_TEXT);
    cr_assert_eq(tfp_csv_reader_read(r, &f, &err), TFP_OK, "%s", err.msg);
    cr_assert_eq(f->nrow, 1);
    for (j = 0; j < n; j++)
        cr_assert_str_eq(f->col[j].levels[f->col[j].code[0]], values[j], "field %zu", j);
    tfp_frame_free(f);
    tfp_csv_reader_free(r);
    tfp_strbuf_fini(&sb);
    remove_dir();
    assert_no_leaks();
}

/* ---- tfp_file_tmp_create / commit / discard, tfp_file_sha256 ------------------ */

static void
write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    cr_assert_not_null(fp);
    cr_assert_eq(fputs(text, fp) >= 0, 1);
    cr_assert_eq(fclose(fp), 0);
}

Test(csv_write, tmp_commit_replaces_existing_file_keeping_its_mode)
{
    tfp_error err;
    struct stat st;
    char *tmp = NULL;
    char path[128];
    fresh_dir();
    snprintf(path, sizeof path, "%s", in_dir("book.xlsx"));
    write_text(path, "old");
    cr_assert_eq(chmod(path, 0600), 0);
    tfp_error_init(&err);
    cr_assert_eq(tfp_file_tmp_create(path, &tmp, &err), TFP_OK, "%s", err.msg);
    cr_assert_not_null(tmp);
    cr_assert_not_null(strstr(tmp, "/.book.xlsx."), "temporary %s is not beside the target", tmp);
    cr_assert_eq(count_entries(), 2u);
    write_text(tmp, "new contents");
    cr_assert_eq(tfp_file_tmp_commit(tmp, path, &err), TFP_OK, "%s", err.msg);
    assert_contents(path, "new contents");
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600u);
    cr_assert_eq(count_entries(), 1u);
    remove_dir();
    assert_no_leaks();
}

Test(csv_write, tmp_discard_keeps_old_file_and_removes_temporary)
{
    tfp_error err;
    char *tmp = NULL;
    char path[128];
    fresh_dir();
    snprintf(path, sizeof path, "%s", in_dir("book.xlsx"));
    write_text(path, "old");
    tfp_error_init(&err);
    cr_assert_eq(tfp_file_tmp_create(path, &tmp, &err), TFP_OK, "%s", err.msg);
    write_text(tmp, "half a workbook");
    tfp_file_tmp_discard(tmp);
    tfp_file_tmp_discard(NULL);
    assert_contents(path, "old");
    cr_assert_eq(count_entries(), 1u);
    remove_dir();
    assert_no_leaks();
}

Test(csv_write, tmp_create_fails_cleanly_without_directory)
{
    tfp_error err;
    char *tmp = (char *)"unchanged";
    tfp_error_init(&err);
    cr_assert_eq(tfp_file_tmp_create("/nonexistent-tfp-dir/book.xlsx", &tmp, &err), TFP_EIO);
    cr_assert_null(tmp);
    cr_assert_not_null(strstr(err.msg, "cannot write /nonexistent-tfp-dir/book.xlsx"), "%s",
                       err.msg);
    tfp_error_init(&err);
    cr_assert_eq(tfp_file_tmp_create("-", &tmp, &err), TFP_EINVAL);
    assert_no_leaks();
}

Test(csv_write, tmp_commit_into_a_device_writes_in_place)
{
    tfp_error err;
    struct stat st;
    char *tmp = NULL;
    fresh_dir();
    tfp_error_init(&err);
    /* The temporary file cannot live in /dev; it is made in our directory
     * and committed to /dev/null, which must stay a device. */
    cr_assert_eq(tfp_file_tmp_create(in_dir("x"), &tmp, &err), TFP_OK, "%s", err.msg);
    write_text(tmp, "discarded by /dev/null");
    cr_assert_eq(tfp_file_tmp_commit(tmp, "/dev/null", &err), TFP_OK, "%s", err.msg);
    cr_assert_eq(stat("/dev/null", &st), 0);
    cr_assert(S_ISCHR(st.st_mode));
    cr_assert_eq(count_entries(), 0u);
    remove_dir();
    assert_no_leaks();
}

/* Digest of "abc": FIPS 180-4 example (tests/util/test_sha256.c). */
Test(csv_write, file_sha256_reads_the_whole_file)
{
    tfp_error err;
    char hex[TFP_SHA256_HEX];
    char path[128];
    fresh_dir();
    snprintf(path, sizeof path, "%s", in_dir("abc.csv"));
    write_text(path, "abc");
    tfp_error_init(&err);
    cr_assert_eq(tfp_file_sha256(path, hex, &err), TFP_OK, "%s", err.msg);
    cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    cr_assert_eq(tfp_file_sha256(in_dir("missing.csv"), hex, &err), TFP_EIO);
    cr_assert_not_null(strstr(err.msg, "cannot read"), "%s", err.msg);
    tfp_error_init(&err);
    cr_assert_eq(tfp_file_sha256("-", hex, &err), TFP_EINVAL);
    remove_dir();
}
