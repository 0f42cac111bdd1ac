/*
 * Writing (io layer): files replaced atomically through a temporary file and
 * rename(2), so that a failure never leaves a partial output (DESIGN section
 * 4), and CSV fields quoted as RFC 4180 asks.
 * References: RFC 4180; POSIX rename(2) and mkstemp(3).
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

int
tfp_file_write_atomic(const char *path, const char *data, size_t n, tfp_error *err)
{
    struct stat st;
    mode_t mode = NEW_FILE_MODE;
    const char *base;
    size_t dirlen, baselen;
    char *tmp;
    int fd, e;

    if (path == NULL || path[0] == '\0')
        return tfp_fail(err, TFP_EINVAL, "no output path given");
    if (strcmp(path, "-") == 0)
        return tfp_fail(err, TFP_EINVAL,
                        "output path \"-\" means standard output, which the caller writes");
    if (data == NULL && n > 0)
        return tfp_fail(err, TFP_EINVAL, "no data to write to %s", path);
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return fail_write(err, path, EISDIR);
        if (!S_ISREG(st.st_mode))
            return write_in_place(path, data, n, err);
        mode = st.st_mode & 07777;
    }

    /* The temporary file lives beside path, so that rename stays within one
     * file system and is atomic: DIR/.NAME.XXXXXX */
    base = strrchr(path, '/');
    base = base != NULL ? base + 1 : path;
    dirlen = (size_t)(base - path);
    baselen = strlen(base);
    if (baselen == 0)
        return fail_write(err, path, EISDIR);
    tmp = tfp_malloc(dirlen + baselen + sizeof "..XXXXXX");
    if (tmp == NULL)
        return tfp_fail(err, TFP_ENOMEM, "out of memory writing %s", path);
    memcpy(tmp, path, dirlen);
    tmp[dirlen] = '.';
    memcpy(tmp + dirlen + 1, base, baselen);
    memcpy(tmp + dirlen + 1 + baselen, ".XXXXXX", sizeof ".XXXXXX");

    fd = mkstemp(tmp);
    if (fd < 0) {
        e = errno;
        tfp_free(tmp);
        return fail_write(err, path, e);
    }
    e = write_all(fd, data, n);
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
    tfp_free(tmp);
    return e != 0 ? fail_write(err, path, e) : TFP_OK;
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
