/*
 * dbc.c - code shared by dbdump and dbrestore: exit codes, SOURCE/TARGET parsing,
 * atomic output files, input files, signals and logging.
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

#include <libpq-fe.h>

int dbc_verbosity = 1;
bool dbc_reader_gone = false;
const char *dbc_progname = "dbdump";

/* ---------------------------------------------------------------- exit codes */

int dbc_exit_code(int dbf_code)
{
    switch (dbf_code) {
    case DBF_OK:
        return DBC_EXIT_OK;
    case DBF_EUSAGE:
        return DBC_EXIT_USAGE;
    case DBF_ECONNECT:
        return DBC_EXIT_CONNECT;
    case DBF_ECORRUPT:
    case DBF_EVERSION:
        return DBC_EXIT_ARCHIVE;
    case DBF_ETRUNCATED:
        return DBC_EXIT_TRUNCATED;
    case DBF_ENOTEMPTY:
        return DBC_EXIT_NOTEMPTY;
    case DBF_EDATA:
    case DBF_EUNSUPPORTED:
        return DBC_EXIT_DATA;
    case DBF_EIO:
        return DBC_EXIT_IO;
    case DBF_EBACKEND:
        return DBC_EXIT_BACKEND;
    default:
        return DBC_EXIT_ERROR;
    }
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

/* ------------------------------------------------------------- target parsing */

static char *dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decode s[0..n) into a new string. *out NULL on a bad escape or ENOMEM. */
static int pct_decode(char **out, const char *s, size_t n, const char *what, dbf_error *err)
{
    char *p = malloc(n + 1);
    size_t j = 0;
    *out = NULL;
    if (!p)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            int hi = i + 2 < n ? hexval((unsigned char)s[i + 1]) : -1;
            int lo = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                free(p);
                return dbf_error_set(err, DBF_EUSAGE, "bad percent-escape in the %s of the URL",
                                     what);
            }
            p[j++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            p[j++] = s[i];
        }
    }
    p[j] = '\0';
    if (strlen(p) != j) {
        free(p);
        return dbf_error_set(err, DBF_EUSAGE, "%%00 is not allowed in the %s of the URL", what);
    }
    *out = p;
    return 0;
}

void dbc_target_free(dbc_target *t)
{
    if (!t)
        return;
    free(t->path);
    free(t->conninfo);
    free(t->host);
    free(t->user);
    free(t->password);
    free(t->database);
    free(t->socket);
    free(t->display);
    free(t);
}

/* Length of a URL scheme at s ("[A-Za-z][A-Za-z0-9+.-]*:"), without the colon; 0 none. */
static size_t scheme_len(const char *s)
{
    size_t i = 0;
    if (!isalpha((unsigned char)s[0]))
        return 0;
    while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '.' || s[i] == '-')
        i++;
    return s[i] == ':' ? i : 0;
}

static bool scheme_is(const char *s, size_t n, const char *name)
{
    return strlen(name) == n && strncasecmp(s, name, n) == 0;
}

/* A libpq "key=value ..." string: starts with an identifier followed by '='. */
static bool looks_like_conninfo(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    if (!isalpha((unsigned char)*s))
        return false;
    while (isalnum((unsigned char)*s) || *s == '_')
        s++;
    while (isspace((unsigned char)*s))
        s++;
    return *s == '=';
}

/* Append src[0..n) to the growing string *buf. */
static int append(char **buf, size_t *len, const char *src, size_t n)
{
    char *p = realloc(*buf, *len + n + 1);
    if (!p)
        return DBF_ENOMEM;
    memcpy(p + *len, src, n);
    *len += n;
    p[*len] = '\0';
    *buf = p;
    return 0;
}

/* Display form of a URL: the password of "scheme://user:pass@..." replaced by "***". */
static char *mask_url_password(const char *s)
{
    const char *auth = strstr(s, "://");
    char *out = NULL;
    size_t len = 0;
    if (!auth)
        return strdup(s);
    auth += 3;
    /* the user info ends at the last '@' before the query (an unencoded '/' or '@' in a
     * password must not leak into messages) */
    size_t alen = strcspn(auth, "?#");
    const char *at = NULL;
    for (size_t i = 0; i < alen; i++)
        if (auth[i] == '@')
            at = auth + i;
    const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (!colon) {
        if (append(&out, &len, s, strlen(s)) != 0)
            return NULL;
    } else if (append(&out, &len, s, (size_t)(colon + 1 - s)) != 0 ||
               append(&out, &len, "***", 3) != 0 || append(&out, &len, at, strlen(at)) != 0) {
        free(out);
        return NULL;
    }
    /* password=... in the query string */
    char *q = strchr(out, '?');
    while (q) {
        char *kv = q + 1;
        if (strncmp(kv, "password=", 9) == 0) {
            size_t pos = (size_t)(kv + 9 - out);
            char *rest = strdup(kv + 9 + strcspn(kv + 9, "&#"));
            if (!rest) {
                free(out);
                return NULL;
            }
            len = pos;
            out[len] = '\0';
            if (append(&out, &len, "***", 3) != 0 || append(&out, &len, rest, strlen(rest))) {
                free(rest);
                free(out);
                return NULL;
            }
            free(rest);
            kv = out + pos;
        }
        q = strchr(kv, '&');
    }
    return out;
}

/* Display form of a libpq key=value string: password=*** (quoted values handled). */
static char *mask_conninfo_password(const char *s)
{
    char *out = NULL;
    size_t len = 0;
    const char *p = s;
    while (*p) {
        const char *start = p;
        while (isspace((unsigned char)*p))
            p++;
        const char *key = p;
        while (*p && *p != '=' && !isspace((unsigned char)*p))
            p++;
        size_t klen = (size_t)(p - key);
        while (isspace((unsigned char)*p))
            p++;
        if (*p == '=')
            p++;
        while (isspace((unsigned char)*p))
            p++;
        const char *val = p;
        if (*p == '\'') {
            p++;
            while (*p && *p != '\'') {
                if (*p == '\\' && p[1])
                    p++;
                p++;
            }
            if (*p == '\'')
                p++;
        } else {
            while (*p && !isspace((unsigned char)*p)) {
                if (*p == '\\' && p[1])
                    p++;
                p++;
            }
        }
        int rc;
        if (klen == 8 && strncmp(key, "password", 8) == 0)
            rc = append(&out, &len, start, (size_t)(val - start)) ||
                 append(&out, &len, "***", 3);
        else
            rc = append(&out, &len, start, (size_t)(p - start));
        if (rc) {
            free(out);
            return NULL;
        }
        if (p == start)
            break;
    }
    if (!out)
        out = strdup("");
    return out;
}

static int parse_sqlite(dbc_target *t, const char *s, dbf_error *err)
{
    const char *path = s;
    if (strncasecmp(s, "sqlite:", 7) == 0) {
        path = s + 7;
        if (strncmp(path, "//", 2) == 0) {
            path += 2;
            if (path[0] != '/')
                return dbf_error_set(err, DBF_EUSAGE,
                                     "'%s': a SQLite URL has no host; use sqlite:///ABS/PATH or "
                                     "sqlite:REL/PATH",
                                     s);
            while (path[0] == '/' && path[1] == '/')
                path++;
        }
    }
    if (!*path)
        return dbf_error_set(err, DBF_EUSAGE, "'%s': empty SQLite file path", s);
    t->engine = DBC_SQLITE;
    t->path = strdup(path);
    t->display = strdup(s);
    if (!t->path || !t->display)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    return 0;
}

/* A port option is a comma-separated list of 1..65535 (one per host); empty parts are libpq's
 * default. @return true when valid. */
static bool pg_ports_valid(const char *v)
{
    while (true) {
        size_t n = strcspn(v, ",");
        if (n > 0) {
            unsigned long port = 0;
            for (size_t i = 0; i < n; i++) {
                if (v[i] < '0' || v[i] > '9' || n > 5)
                    return false;
                port = port * 10 + (unsigned long)(v[i] - '0');
            }
            if (port == 0 || port > 65535)
                return false;
        }
        if (v[n] == '\0')
            return true;
        v += n + 1;
    }
}

/* Check the syntax with libpq itself, so a malformed URL is a usage error before any
 * connection attempt. libpq quotes the offending input (the whole URI, or a token that may
 * be the password) after a last ': "'; that part is cut so no secret is ever printed. */
static int pg_validate(const dbc_target *t, dbf_error *err)
{
    char *errmsg = NULL;
    PQconninfoOption *opts = PQconninfoParse(t->conninfo, &errmsg);
    if (opts == NULL) {
        int rc;
        if (errmsg == NULL)
            return dbf_error_set(err, DBF_ENOMEM, "out of memory");
        char *quote = NULL;
        for (char *p = strstr(errmsg, ": \""); p; p = strstr(p + 1, ": \""))
            quote = p;
        if (quote)
            *quote = '\0';
        rc = dbf_error_set(err, DBF_EUSAGE, "'%s': malformed PostgreSQL connection string: %s",
                           t->display, errmsg);
        PQfreemem(errmsg);
        return rc;
    }
    int rc = 0;
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (o->val && strcmp(o->keyword, "port") == 0 && !pg_ports_valid(o->val)) {
            rc = dbf_error_set(err, DBF_EUSAGE, "'%s': bad port '%s'", t->display, o->val);
            break;
        }
    }
    PQconninfoFree(opts);
    return rc;
}

static int parse_pg(dbc_target *t, const char *s, bool is_url, dbf_error *err)
{
    t->engine = DBC_POSTGRESQL;
    t->conninfo = strdup(s);
    t->display = is_url ? mask_url_password(s) : mask_conninfo_password(s);
    if (!t->conninfo || !t->display)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    return pg_validate(t, err);
}

/* mysql://[user[:password]@][host][:port][/database][?socket=/path] */
static int parse_mysql(dbc_target *t, const char *s, const char *rest, dbf_error *err)
{
    int rc = 0;
    t->engine = DBC_MYSQL;
    t->display = mask_url_password(s);
    if (!t->display)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    size_t ulen = strcspn(rest, "?#");
    const char *at = NULL;
    for (const char *c = rest; c < rest + ulen; c++)
        if (*c == '@')
            at = c;
    const char *hp = at ? at + 1 : rest;
    const char *auth_end = hp + strcspn(hp, "/?#");
    if (at) {
        const char *colon = memchr(rest, ':', (size_t)(at - rest));
        const char *uend = colon ? colon : at;
        if (uend > rest && (rc = pct_decode(&t->user, rest, (size_t)(uend - rest), "user", err)))
            return rc;
        if (colon && (rc = pct_decode(&t->password, colon + 1, (size_t)(at - colon - 1),
                                      "password", err)))
            return rc;
    }
    const char *hend = auth_end;
    const char *pcolon = NULL;
    if (*hp == '[') { /* [ipv6]:port */
        const char *rb = memchr(hp, ']', (size_t)(auth_end - hp));
        if (!rb)
            return dbf_error_set(err, DBF_EUSAGE, "'%s': unclosed '[' in the host",
                                 t->display);
        if (rb + 1 < auth_end) {
            if (rb[1] != ':')
                return dbf_error_set(err, DBF_EUSAGE, "'%s': junk after ']'", t->display);
            pcolon = rb + 1;
        }
        if (rb - hp > 1 && !(t->host = dup_n(hp + 1, (size_t)(rb - hp - 1))))
            return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    } else {
        pcolon = memchr(hp, ':', (size_t)(auth_end - hp));
        hend = pcolon ? pcolon : auth_end;
        if (hend > hp && (rc = pct_decode(&t->host, hp, (size_t)(hend - hp), "host", err)))
            return rc;
    }
    if (pcolon) {
        const char *ps = pcolon + 1;
        unsigned long port = 0;
        if (ps == auth_end)
            return dbf_error_set(err, DBF_EUSAGE, "'%s': empty port", t->display);
        for (const char *c = ps; c < auth_end; c++) {
            if (!isdigit((unsigned char)*c) || port > 65535)
                return dbf_error_set(err, DBF_EUSAGE, "'%s': bad port '%.*s'", t->display,
                                     (int)(auth_end - ps), ps);
            port = port * 10 + (unsigned long)(*c - '0');
        }
        if (port == 0 || port > 65535)
            return dbf_error_set(err, DBF_EUSAGE, "'%s': port out of range", t->display);
        t->port = (unsigned)port;
    }
    const char *p = auth_end;
    if (*p == '/') {
        p++;
        size_t dlen = strcspn(p, "?#");
        if (memchr(p, '/', dlen))
            return dbf_error_set(err, DBF_EUSAGE, "'%s': '/' in the database name",
                                 t->display);
        if (dlen > 0 && (rc = pct_decode(&t->database, p, dlen, "database", err)))
            return rc;
        p += dlen;
    }
    if (*p == '?') {
        p++;
        while (*p && *p != '#') {
            size_t plen = strcspn(p, "&#");
            const char *eq = memchr(p, '=', plen);
            if (eq && (size_t)(eq - p) == 6 && strncmp(p, "socket", 6) == 0) {
                free(t->socket);
                t->socket = NULL;
                if ((rc = pct_decode(&t->socket, eq + 1, plen - 7, "socket", err)))
                    return rc;
            } else if (plen > 0) {
                return dbf_error_set(err, DBF_EUSAGE,
                                     "'%s': unknown URL parameter '%.*s' (known: socket)",
                                     t->display, (int)(eq ? (size_t)(eq - p) : plen), p);
            }
            p += plen;
            if (*p == '&')
                p++;
        }
    }
    if (*p == '#')
        return dbf_error_set(err, DBF_EUSAGE, "'%s': a '#' fragment is not allowed",
                             t->display);
    return 0;
}

int dbc_target_parse(dbc_target **out, const char *s, dbf_error *err)
{
    int rc = 0;
    dbc_target *t = NULL;
    *out = NULL;
    if (!s || !*s)
        return dbf_error_set(err, DBF_EUSAGE, "empty database URL");
    t = calloc(1, sizeof *t);
    if (!t)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    size_t n = scheme_len(s);
    bool slashes = n > 0 && strncmp(s + n + 1, "//", 2) == 0;
    if (n > 0 && scheme_is(s, n, "sqlite")) {
        rc = parse_sqlite(t, s, err);
    } else if (n > 0 && (scheme_is(s, n, "postgresql") || scheme_is(s, n, "postgres"))) {
        if (!slashes)
            rc = dbf_error_set(err, DBF_EUSAGE, "'%.*s:' URLs start with %.*s://", (int)n, s,
                               (int)n, s);
        else
            rc = parse_pg(t, s, true, err);
    } else if (n > 0 && (scheme_is(s, n, "mysql") || scheme_is(s, n, "mariadb"))) {
        if (!slashes) {
            rc = dbf_error_set(err, DBF_EUSAGE, "'%.*s:' URLs start with %.*s://", (int)n, s,
                               (int)n, s);
        } else {
            rc = parse_mysql(t, s, s + n + 3, err);
        }
    } else if (slashes) {
        rc = dbf_error_set(err, DBF_EUSAGE,
                           "unknown URL scheme '%.*s' (known: sqlite, postgresql, postgres, "
                           "mysql, mariadb)",
                           (int)n, s);
    } else if (looks_like_conninfo(s)) {
        rc = parse_pg(t, s, false, err);
    } else {
        rc = parse_sqlite(t, s, err);
    }
    if (rc == 0)
        *out = t;
    else
        dbc_target_free(t);
    return rc;
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
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    f->fd = -1;
    f->dirfd = -1;
    if (!name || strcmp(name, "-") == 0) {
        if (isatty(STDOUT_FILENO)) {
            rc = dbf_error_set(err, DBF_EUSAGE,
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
            rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
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
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    memcpy(f->tmp, name, n);
    memcpy(f->tmp + n, ".tmp.XXXXXX", 12);
    {
        const char *slash = strrchr(name, '/');
        char *dir = slash ? strndup(name, slash == name ? 1 : (size_t)(slash - name)) : NULL;
        if (slash && !dir) {
            rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
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
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    if (!name || strcmp(name, "-") == 0) {
        if (isatty(STDIN_FILENO)) {
            free(f);
            return dbf_error_set(err, DBF_EUSAGE,
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
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
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
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
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
