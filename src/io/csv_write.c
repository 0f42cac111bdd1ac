/*
 * Writing (io layer): files replaced atomically through a temporary file and
 * rename(2), so that a failure never leaves a partial output (DESIGN section
 * 4), also for writers that need a file name of their own (the workbook);
 * CSV fields quoted as RFC 4180 asks; the SHA-256 of an input file.
 * References: RFC 4180; POSIX rename(2) and mkstemp(3); FIPS 180-4.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tfp/alloc.h"
#include "tfp/error.h"
#include "tfp/io.h"
#include "tfp/sha256.h"
#include "tfp/strbuf.h"

/* Mode of a new output file; an existing file keeps its own. */
#define NEW_FILE_MODE 0644

static int
fail_write(tfp_error *err, const char *path, int errnum)
{
    char reason[128];
    if (strerror_r(errnum, reason, sizeof reason) != 0)
        snprintf(reason, sizeof reason, "error %d", errnum);
    return tfp_fail(err, TFP_EIO, "cannot write %s: %s", path, reason);
}

/* Writes all n bytes, retrying short writes and interruptions; returns 0 or
 * an errno value. */
static int
write_all(int fd, const char *data, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, data, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        data += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Devices and pipes cannot be replaced by a rename (as root, that would put a
 * regular file where /dev/full was); they are written in place. */
static int
write_in_place(const char *path, const char *data, size_t n, tfp_error *err)
{
    int e;
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        return fail_write(err, path, errno);
    e = write_all(fd, data, n);
    if (close(fd) != 0 && e == 0)
        e = errno;
    return e != 0 ? fail_write(err, path, e) : TFP_OK;
}

/* Checks path and finds how it is replaced: *inplace when it is a device or
 * FIFO (written in place), else *mode is the mode the new file gets. */
static int
check_target(const char *path, mode_t *mode, int *inplace, tfp_error *err)
{
    struct stat st;
    *mode = NEW_FILE_MODE;
    *inplace = 0;
    if (path == NULL || path[0] == '\0')
        return tfp_fail(err, TFP_EINVAL, "no output path given");
    if (strcmp(path, "-") == 0)
        return tfp_fail(err, TFP_EINVAL,
                        "output path \"-\" means standard output, which the caller writes");
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return fail_write(err, path, EISDIR);
        if (!S_ISREG(st.st_mode))
            *inplace = 1;
        else
            *mode = st.st_mode & 07777;
    }
    return TFP_OK;
}

/* Creates the temporary file beside path, so that rename stays within one
 * file system and is atomic: DIR/.NAME.XXXXXX. Returns its descriptor and
 * name (*tmp, owned), or -1 with err filled. */
static int
tmp_open(const char *path, char **tmp, tfp_error *err)
{
    const char *base = strrchr(path, '/');
    size_t dirlen, baselen;
    char *t;
    int fd, e;
    base = base != NULL ? base + 1 : path;
    dirlen = (size_t)(base - path);
    baselen = strlen(base);
    *tmp = NULL;
    if (baselen == 0) {
        fail_write(err, path, EISDIR);
        return -1;
    }
    t = tfp_malloc(dirlen + baselen + sizeof "..XXXXXX");
    if (t == NULL) {
        tfp_fail(err, TFP_ENOMEM, "out of memory writing %s", path);
        return -1;
    }
    memcpy(t, path, dirlen);
    t[dirlen] = '.';
    memcpy(t + dirlen + 1, base, baselen);
    memcpy(t + dirlen + 1 + baselen, ".XXXXXX", sizeof ".XXXXXX");
    fd = mkstemp(t);
    if (fd < 0) {
        e = errno;
        tfp_free(t);
        fail_write(err, path, e);
        return -1;
    }
    *tmp = t;
    return fd;
}

/* Gives the written temporary file its mode, makes it durable and renames
 * it over path; removes it on failure. Returns 0 or an errno value. */
static int
tmp_finish(int fd, const char *tmp, const char *path, mode_t mode, int e)
{
    if (e == 0 && fchmod(fd, mode) != 0)
        e = errno;
    /* Without fsync a crash soon after the rename can leave an empty file
     * under the new name on some file systems. */
    if (e == 0 && fsync(fd) != 0)
        e = errno;
    if (close(fd) != 0 && e == 0)
        e = errno;
    if (e == 0 && rename(tmp, path) != 0)
        e = errno;
    if (e != 0)
        unlink(tmp);
    return e;
}

int
tfp_file_write_atomic(const char *path, const char *data, size_t n, tfp_error *err)
{
    mode_t mode;
    char *tmp;
    int fd, e, inplace;
    int rc = check_target(path, &mode, &inplace, err);
    if (rc != TFP_OK)
        return rc;
    if (data == NULL && n > 0)
        return tfp_fail(err, TFP_EINVAL, "no data to write to %s", path);
    if (inplace)
        return write_in_place(path, data, n, err);
    fd = tmp_open(path, &tmp, err);
    if (fd < 0)
        return err != NULL ? err->code : TFP_EIO;
    e = tmp_finish(fd, tmp, path, mode, write_all(fd, data, n));
    tfp_free(tmp);
    return e != 0 ? fail_write(err, path, e) : TFP_OK;
}

int
tfp_file_tmp_create(const char *path, char **tmp, tfp_error *err)
{
    mode_t mode;
    int fd, inplace;
    int rc = check_target(path, &mode, &inplace, err);
    *tmp = NULL;
    if (rc != TFP_OK)
        return rc;
    fd = tmp_open(path, tmp, err);
    if (fd < 0)
        return err != NULL && err->code != TFP_OK ? err->code : TFP_EIO;
    close(fd);
    return TFP_OK;
}

/* Copies the temporary file into a device or FIFO. */
static int
copy_in_place(const char *tmp, const char *path, tfp_error *err)
{
    char buf[65536];
    ssize_t r;
    int e = 0, out, in = open(tmp, O_RDONLY);
    if (in < 0)
        return fail_write(err, path, errno);
    out = open(path, O_WRONLY);
    if (out < 0) {
        e = errno;
        close(in);
        return fail_write(err, path, e);
    }
    while (e == 0 && (r = read(in, buf, sizeof buf)) != 0) {
        if (r < 0) {
            if (errno != EINTR)
                e = errno;
            continue;
        }
        e = write_all(out, buf, (size_t)r);
    }
    if (close(out) != 0 && e == 0)
        e = errno;
    close(in);
    return e != 0 ? fail_write(err, path, e) : TFP_OK;
}

int
tfp_file_tmp_commit(char *tmp, const char *path, tfp_error *err)
{
    mode_t mode;
    int fd, e, inplace, rc;
    if (tmp == NULL)
        return tfp_fail(err, TFP_EINVAL, "no temporary file to commit");
    rc = check_target(path, &mode, &inplace, err);
    if (rc == TFP_OK && inplace)
        rc = copy_in_place(tmp, path, err);
    if (rc != TFP_OK || inplace) {
        tfp_file_tmp_discard(tmp);
        return rc;
    }
    fd = open(tmp, O_RDWR);
    if (fd < 0) {
        e = errno;
        tfp_file_tmp_discard(tmp);
        return fail_write(err, path, e);
    }
    e = tmp_finish(fd, tmp, path, mode, 0);
    tfp_free(tmp);
    return e != 0 ? fail_write(err, path, e) : TFP_OK;
}

void
tfp_file_tmp_discard(char *tmp)
{
    if (tmp == NULL)
        return;
    unlink(tmp);
    tfp_free(tmp);
}

int
tfp_file_sha256(const char *path, char hex[TFP_SHA256_HEX], tfp_error *err)
{
    unsigned char buf[65536], d[TFP_SHA256_SIZE];
    tfp_sha256 s;
    ssize_t r;
    int fd, e = 0;
    hex[0] = '\0';
    if (path == NULL || strcmp(path, "-") == 0)
        return tfp_fail(err, TFP_EINVAL, "standard input cannot be read twice for its digest");
    fd = open(path, O_RDONLY);
    if (fd < 0)
        return tfp_fail(err, TFP_EIO, "cannot read %s: %s", path, strerror(errno));
    tfp_sha256_init(&s);
    while ((r = read(fd, buf, sizeof buf)) != 0) {
        if (r < 0) {
            if (errno == EINTR)
                continue;
            e = errno;
            break;
        }
        tfp_sha256_update(&s, buf, (size_t)r);
    }
    close(fd);
    if (e != 0)
        return tfp_fail(err, TFP_EIO, "cannot read %s: %s", path, strerror(e));
    tfp_sha256_final(&s, d);
    tfp_sha256_hex(d, hex);
    return TFP_OK;
}

static int
needs_quotes(const char *s, size_t n, char delimiter)
{
    size_t i;
    /* Readers (libcsv among them) trim blanks around unquoted fields. */
    if (n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        return 1;
    for (i = 0; i < n; i++)
        if (s[i] == delimiter || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
            return 1;
    return 0;
}

void
tfp_csv_put_field(struct tfp_strbuf *sb, const char *s, char delimiter)
{
    size_t n, i, from;
    if (s == NULL)
        s = "";
    n = strlen(s);
    if (!needs_quotes(s, n, delimiter)) {
        tfp_strbuf_append(sb, s, n);
        return;
    }
    tfp_strbuf_putc(sb, '"');
    for (i = from = 0; i < n; i++) {
        if (s[i] == '"') {
            /* Copy through this quote, then write it once more. */
            tfp_strbuf_append(sb, s + from, i + 1 - from);
            tfp_strbuf_putc(sb, '"');
            from = i + 1;
        }
    }
    tfp_strbuf_append(sb, s + from, n - from);
    tfp_strbuf_putc(sb, '"');
}
