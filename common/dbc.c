/*
 * dbc.c - code shared by dbdump and dbrestore: exit codes, atomic output files, input
 * files, signals and logging.
 */
#include "dbc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


int dbc_verbosity = 1;
bool dbc_reader_gone = false;
const char *dbc_progname = "dbdump";

/* ---------------------------------------------------------------- exit codes */

int dbc_exit_code(int code)
{
    switch (code) {
    case DBF_OK:
        return DBC_EXIT_OK;
    case DBC_EUSAGE:
        return DBC_EXIT_USAGE;
    case DBC_ECONNECT:
        return DBC_EXIT_CONNECT;
    case DBF_ECORRUPT:
    case DBF_EVERSION:
        return DBC_EXIT_ARCHIVE;
    case DBF_ETRUNCATED:
        return DBC_EXIT_TRUNCATED;
    case DBC_ENOTEMPTY:
        return DBC_EXIT_NOTEMPTY;
    case DBC_EDATA:
    case DBF_EUNSUPPORTED:
        return DBC_EXIT_DATA;
    case DBF_EIO:
        return DBC_EXIT_IO;
    case DBC_EBACKEND:
        return DBC_EXIT_BACKEND;
    default:
        return DBC_EXIT_ERROR;
    }
}

const char *dbc_strerror(int code)
{
    switch (code) {
    case DBC_EBACKEND: return "DBC_EBACKEND";
    case DBC_ECONNECT: return "DBC_ECONNECT";
    case DBC_ENOTEMPTY: return "DBC_ENOTEMPTY";
    case DBC_EDATA: return "DBC_EDATA";
    case DBC_EUSAGE: return "DBC_EUSAGE";
    default: return dbf_strerror(code);
    }
}

int dbc_oom(dbf_error *err)
{
    return dbf_error_set(err, DBF_ENOMEM, "out of memory");
}

/* ------------------------------------------------------------------- logging */

static void vlog(const char *what, const char *fmt, va_list ap)
{
    dbc_progress_clear(dbc_progress_active); /* a message never lands on the progress line */
    fflush(stdout); /* what was printed before comes before it, also through 2>&1 */
    fprintf(stderr, "%s: %s", dbc_progname, what);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void dbc_warn(const char *fmt, ...)
{
    va_list ap;
    if (dbc_verbosity < 1)
        return;
    va_start(ap, fmt);
    vlog("warning: ", fmt, ap);
    va_end(ap);
}

void dbc_info(const char *fmt, ...)
{
    va_list ap;
    if (dbc_verbosity < 1)
        return;
    va_start(ap, fmt);
    vlog("", fmt, ap);
    va_end(ap);
}

int dbc_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog("", fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try '%s --help'.\n", dbc_progname);
    return DBC_EXIT_USAGE;
}

/* ------------------------------------------------------------------- signals */

static volatile sig_atomic_t g_signal;

static void on_signal(int sig)
{
    g_signal = sig;
}

void dbc_signals_init(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    sa.sa_handler = on_signal; /* no SA_RESTART: a blocked read/write returns EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

int dbc_interrupted(void)
{
    return (int)g_signal;
}

/* --------------------------------------------------------------- output files */

struct dbc_outfile {
    int fd;         /* output descriptor */
    bool is_stdout; /* writing to stdout: no temp file */
    bool direct;    /* NAME is a device or FIFO: written in place, never replaced */
    char *name;     /* final name (NULL for stdout) */
    char *tmp;      /* temporary name beside it */
    int dirfd;      /* the directory of tmp, opened with it (-1: none): the temporary file
                     * is removed through it even if the path no longer leads there (the
                     * filesystem was unmounted lazily, the directory renamed) */
    char errmsg[4352]; /* a whole path and the system's reason */
};

int dbc_outfile_open(dbc_outfile **out, const char *name, dbf_error *err)
{
    int rc = 0;
    dbc_outfile *f = calloc(1, sizeof *f);
    *out = NULL;
    if (!f)
        return dbc_oom(err);
    f->fd = -1;
    f->dirfd = -1;
    if (!name || strcmp(name, "-") == 0) {
        if (isatty(STDOUT_FILENO)) {
            rc = dbf_error_set(err, DBC_EUSAGE,
                               "refusing to write an archive to a terminal; use -o FILE or a "
                               "pipe");
            goto done;
        }
        f->is_stdout = true;
        f->fd = STDOUT_FILENO;
        goto done;
    }
    struct stat st;
    if (stat(name, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* A device, FIFO or socket: a rename would replace the node itself (it would turn
         * /dev/null into a file). Write into it; there is no half-written file to hide. */
        if (S_ISDIR(st.st_mode)) {
            rc = dbf_error_set(err, DBF_EIO, "cannot write to '%s': it is a directory", name);
            goto done;
        }
        f->direct = true;
        f->name = strdup(name);
        if (!f->name) {
            rc = dbc_oom(err);
            goto done;
        }
        f->fd = open(name, O_WRONLY | O_CLOEXEC);
        if (f->fd < 0)
            rc = dbf_error_set(err, DBF_EIO, "cannot open '%s': %s", name, strerror(errno));
        goto done;
    }
    size_t n = strlen(name);
    f->name = strdup(name);
    f->tmp = malloc(n + 12);
    if (!f->name || !f->tmp) {
        rc = dbc_oom(err);
        goto done;
    }
    memcpy(f->tmp, name, n);
    memcpy(f->tmp + n, ".tmp.XXXXXX", 12);
    {
        const char *slash = strrchr(name, '/');
        char *dir = slash ? strndup(name, slash == name ? 1 : (size_t)(slash - name)) : NULL;
        if (slash && !dir) {
            rc = dbc_oom(err);
            goto done;
        }
        f->dirfd = open(dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* -1: unlink */
        free(dir);
    }
    f->fd = mkstemp(f->tmp); /* mode 0600: archives hold data */
    if (f->fd < 0) {
        rc = dbf_error_set(err, DBF_EIO, "cannot create '%s': %s", f->tmp, strerror(errno));
        free(f->tmp);
        f->tmp = NULL;
        goto done;
    }
done:
    if (rc) {
        dbc_outfile_abort(f);
        return rc;
    }
    *out = f;
    return 0;
}

int dbc_outfile_write(void *ctx, const void *buf, size_t len)
{
    dbc_outfile *f = ctx;
    const char *p = buf;
    while (len > 0) {
        if (dbc_interrupted()) {
            snprintf(f->errmsg, sizeof f->errmsg, "interrupted by signal %d", dbc_interrupted());
            return DBF_ECANCELED;
        }
        ssize_t w = write(f->fd, p, len);
        if (w < 0) {
            int e = errno;
            if (e == EINTR && !dbc_interrupted())
                continue;
            if (e == EINTR) {
                snprintf(f->errmsg, sizeof f->errmsg, "interrupted by signal %d",
                         dbc_interrupted());
                return DBF_ECANCELED;
            }
            const char *where = f->is_stdout ? "standard output" : f->direct ? f->name : f->tmp;
            if (e == EPIPE && f->is_stdout)
                dbc_reader_gone = true;
            if (e == EPIPE)
                snprintf(f->errmsg, sizeof f->errmsg,
                         "write to %s failed: the reading side closed the pipe", where);
            else if (e == ENOSPC)
                snprintf(f->errmsg, sizeof f->errmsg, "write to %s failed: no space left on device",
                         where);
            else
                snprintf(f->errmsg, sizeof f->errmsg, "write to %s failed: %s", where,
                         strerror(e));
            return DBF_EIO;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

const char *dbc_outfile_errmsg(const dbc_outfile *f)
{
    return f && f->errmsg[0] ? f->errmsg : NULL;
}

/* fsync the directory holding path, so a rename survives a crash. */
static int fsync_dir_of(const char *path)
{
    char *dir = strdup(path);
    int rc = 0;
    if (!dir)
        return -1;
    char *slash = strrchr(dir, '/');
    const char *d = ".";
    if (slash) {
        if (slash == dir)
            slash[1] = '\0';
        else
            *slash = '\0';
        d = dir;
    }
    int fd = open(d, O_RDONLY | O_DIRECTORY);
    if (fd < 0 || fsync(fd) != 0)
        rc = -1;
    if (fd >= 0)
        close(fd);
    free(dir);
    return rc;
}

int dbc_outfile_chmod(dbc_outfile *f, unsigned mode, dbf_error *err)
{
    if (f->is_stdout || f->direct)
        return 0;
    if (fchmod(f->fd, (mode_t)(mode & 07777)) != 0)
        return dbf_error_set(err, DBF_EIO, "cannot set mode %04o on '%s': %s", mode, f->tmp,
                             strerror(errno));
    return 0;
}

int dbc_outfile_commit(dbc_outfile *f, dbf_error *err)
{
    if (f->is_stdout)
        return 0; /* unbuffered writes: nothing to flush */
    if (f->direct) {
        /* devices and FIFOs: fsync may not apply (EINVAL); close reports late errors */
        if (fsync(f->fd) != 0 && errno != EINVAL && errno != EROFS) {
            int e = errno;
            return dbf_error_set(err, DBF_EIO, "fsync of '%s' failed: %s", f->name, strerror(e));
        }
        int r = close(f->fd);
        f->fd = -1;
        if (r != 0)
            return dbf_error_set(err, DBF_EIO, "close of '%s' failed: %s", f->name,
                                 strerror(errno));
        return 0;
    }
    if (fsync(f->fd) != 0) {
        int e = errno;
        return dbf_error_set(err, DBF_EIO, "fsync of '%s' failed: %s", f->tmp, strerror(e));
    }
    if (close(f->fd) != 0) {
        f->fd = -1;
        return dbf_error_set(err, DBF_EIO, "close of '%s' failed: %s", f->tmp, strerror(errno));
    }
    f->fd = -1;
    if (rename(f->tmp, f->name) != 0)
        return dbf_error_set(err, DBF_EIO, "cannot rename '%s' to '%s': %s", f->tmp, f->name,
                             strerror(errno));
    free(f->tmp);
    f->tmp = NULL;
    if (fsync_dir_of(f->name) != 0)
        return dbf_error_set(err, DBF_EIO, "fsync of the directory of '%s' failed: %s",
                             f->name, strerror(errno));
    return 0;
}

void dbc_outfile_abort(dbc_outfile *f)
{
    if (!f)
        return;
    if (!f->is_stdout && f->fd >= 0)
        close(f->fd);
    if (f->tmp) {
        const char *base = strrchr(f->tmp, '/');
        if (f->dirfd < 0 || unlinkat(f->dirfd, base ? base + 1 : f->tmp, 0) != 0)
            unlink(f->tmp);
    }
    if (f->dirfd >= 0)
        close(f->dirfd);
    free(f->tmp);
    free(f->name);
    free(f);
}

/* ---------------------------------------------------------------- input files */

struct dbc_infile {
    int fd;         /* input descriptor */
    bool is_stdin;  /* reading stdin: do not close */
    char *name;     /* for messages */
    char errmsg[4352]; /* a whole path and the system's reason */
};

int dbc_infile_open(dbc_infile **out, const char *name, dbf_error *err)
{
    dbc_infile *f = calloc(1, sizeof *f);
    *out = NULL;
    if (!f)
        return dbc_oom(err);
    if (!name || strcmp(name, "-") == 0) {
        if (isatty(STDIN_FILENO)) {
            free(f);
            return dbf_error_set(err, DBC_EUSAGE,
                                 "refusing to read an archive from a terminal; use -i FILE or a "
                                 "pipe");
        }
        f->fd = STDIN_FILENO;
        f->is_stdin = true;
        f->name = strdup("standard input");
    } else {
        f->fd = open(name, O_RDONLY);
        if (f->fd < 0) {
            int e = errno;
            free(f);
            return dbf_error_set(err, DBF_EIO, "cannot open '%s': %s", name, strerror(e));
        }
        f->name = strdup(name);
    }
    if (!f->name) {
        dbc_infile_close(f);
        return dbc_oom(err);
    }
    *out = f;
    return 0;
}

int dbc_infile_read(void *ctx, void *buf, size_t cap, size_t *out_len)
{
    dbc_infile *f = ctx;
    *out_len = 0;
    for (;;) {
        if (dbc_interrupted()) {
            snprintf(f->errmsg, sizeof f->errmsg, "interrupted by signal %d", dbc_interrupted());
            return DBF_ECANCELED;
        }
        ssize_t r = read(f->fd, buf, cap);
        if (r >= 0) {
            *out_len = (size_t)r;
            return 0;
        }
        int e = errno;
        if (e == EINTR && !dbc_interrupted())
            continue;
        if (e == EINTR) {
            snprintf(f->errmsg, sizeof f->errmsg, "interrupted by signal %d", dbc_interrupted());
            return DBF_ECANCELED;
        }
        snprintf(f->errmsg, sizeof f->errmsg, "read from %s failed: %s", f->name, strerror(e));
        return DBF_EIO;
    }
}

int dbc_infile_spool(dbc_infile *f, dbf_error *err)
{
    struct stat st;
    if (fstat(f->fd, &st) == 0 && S_ISREG(st.st_mode) && lseek(f->fd, 0, SEEK_CUR) >= 0)
        return 0; /* a file: read again from its start */
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    size_t plen = strlen(dir) + sizeof "/dbrestore-spool.XXXXXX";
    char *path = malloc(plen);
    if (!path)
        return dbc_oom(err);
    snprintf(path, plen, "%s/dbrestore-spool.XXXXXX", dir);
    int fd = mkstemp(path);
    int e = errno;
    if (fd >= 0)
        unlink(path); /* gone when closed, whatever happens */
    if (fd < 0) {
        dbf_error_set(err, DBF_EIO, "cannot create a temporary file in %s to read %s twice: %s",
                      dir, f->name, strerror(e));
        free(path);
        return DBF_EIO;
    }
    free(path);
    static char buf[1 << 16];
    for (;;) {
        size_t n = 0;
        int rc = dbc_infile_read(f, buf, sizeof buf, &n);
        if (rc) {
            close(fd);
            return dbf_error_set(err, rc, "%s", f->errmsg);
        }
        if (n == 0)
            break;
        for (size_t off = 0; off < n;) {
            ssize_t w = write(fd, buf + off, n - off);
            if (w < 0 && errno == EINTR && !dbc_interrupted())
                continue;
            if (w < 0) {
                e = errno;
                close(fd);
                return dbf_error_set(err, DBF_EIO, "writing the copy of %s into %s failed: %s",
                                     f->name, dir, e == ENOSPC ? "no space left on device"
                                                                : strerror(e));
            }
            off += (size_t)w;
        }
    }
    if (!f->is_stdin)
        close(f->fd);
    f->fd = fd;
    f->is_stdin = false;
    return dbc_infile_rewind(f, err);
}

int dbc_infile_rewind(dbc_infile *f, dbf_error *err)
{
    if (lseek(f->fd, 0, SEEK_SET) != 0)
        return dbf_error_set(err, DBF_EIO, "cannot read %s a second time: %s", f->name,
                             strerror(errno));
    return 0;
}

bool dbc_infile_is_pipe(const dbc_infile *f)
{
    struct stat st;
    return f && f->fd >= 0 && fstat(f->fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

const char *dbc_infile_errmsg(const dbc_infile *f)
{
    return f && f->errmsg[0] ? f->errmsg : NULL;
}

void dbc_infile_close(dbc_infile *f)
{
    if (!f)
        return;
    if (!f->is_stdin && f->fd >= 0)
        close(f->fd);
    free(f->name);
    free(f);
}
