/*
 * target.c - SOURCE/TARGET strings: which engine, and its connection parameters.
 */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpq-fe.h>

#include "dbc_buf.h"
#include "engine.h"


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
                return dbf_error_set(err, DBC_EUSAGE, "bad percent-escape in the %s of the URL",
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
        return dbf_error_set(err, DBC_EUSAGE, "%%00 is not allowed in the %s of the URL", what);
    }
    *out = p;
    return 0;
}

void dbe_target_free(dbe_target *t)
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

/* Display form of a URL: the password of "scheme://user:pass@..." replaced by "***". */
static char *mask_url_password(const char *s)
{
    const char *auth = strstr(s, "://");
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
    dbc_buf b = {0};
    if (colon) {
        dbc_buf_add(&b, s, (size_t)(colon + 1 - s));
        dbc_buf_puts(&b, "***");
    }
    dbc_buf_puts(&b, colon ? at : s);
    /* password=... in the query string */
    char *q = b.oom ? NULL : strchr(b.p, '?');
    while (q) {
        char *kv = q + 1;
        if (strncmp(kv, "password=", 9) == 0) {
            size_t pos = (size_t)(kv + 9 - b.p);
            char *rest = strdup(kv + 9 + strcspn(kv + 9, "&#"));
            b.len = pos;
            dbc_buf_puts(&b, "***");
            dbc_buf_puts(&b, rest ? rest : "");
            b.oom |= rest == NULL;
            free(rest);
            if (b.oom)
                break;
            kv = b.p + pos;
        }
        q = strchr(kv, '&');
    }
    return dbc_buf_take(&b);
}

/* Display form of a libpq key=value string: password=*** (quoted values handled). */
static char *mask_conninfo_password(const char *s)
{
    dbc_buf b = {0};
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
        bool pw = klen == 8 && strncmp(key, "password", 8) == 0;
        dbc_buf_add(&b, start, (size_t)((pw ? val : p) - start));
        if (pw)
            dbc_buf_puts(&b, "***");
        if (p == start)
            break;
    }
    return dbc_buf_take(&b);
}

static int parse_sqlite(dbe_target *t, const char *s, dbf_error *err)
{
    const char *path = s;
    if (strncasecmp(s, "sqlite:", 7) == 0) {
        path = s + 7;
        if (strncmp(path, "//", 2) == 0) {
            path += 2;
            if (path[0] != '/')
                return dbf_error_set(err, DBC_EUSAGE,
                                     "'%s': a SQLite URL has no host; use sqlite:///ABS/PATH or "
                                     "sqlite:REL/PATH",
                                     s);
            while (path[0] == '/' && path[1] == '/')
                path++;
        }
    }
    if (!*path)
        return dbf_error_set(err, DBC_EUSAGE, "'%s': empty SQLite file path", s);
    t->engine = DBE_SQLITE;
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
static int pg_validate(const dbe_target *t, dbf_error *err)
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
        rc = dbf_error_set(err, DBC_EUSAGE, "'%s': malformed PostgreSQL connection string: %s",
                           t->display, errmsg);
        PQfreemem(errmsg);
        return rc;
    }
    int rc = 0;
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (o->val && strcmp(o->keyword, "port") == 0 && !pg_ports_valid(o->val)) {
            rc = dbf_error_set(err, DBC_EUSAGE, "'%s': bad port '%s'", t->display, o->val);
            break;
        }
    }
    PQconninfoFree(opts);
    return rc;
}

static int parse_pg(dbe_target *t, const char *s, bool is_url, dbf_error *err)
{
    t->engine = DBE_POSTGRESQL;
    t->conninfo = strdup(s);
    t->display = is_url ? mask_url_password(s) : mask_conninfo_password(s);
    if (!t->conninfo || !t->display)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    return pg_validate(t, err);
}

/* mysql://[user[:password]@][host][:port][/database][?socket=/path] */
static int parse_mysql(dbe_target *t, const char *s, const char *rest, dbf_error *err)
{
    int rc = 0;
    t->engine = DBE_MYSQL;
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
            return dbf_error_set(err, DBC_EUSAGE, "'%s': unclosed '[' in the host",
                                 t->display);
        if (rb + 1 < auth_end) {
            if (rb[1] != ':')
                return dbf_error_set(err, DBC_EUSAGE, "'%s': junk after ']'", t->display);
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
            return dbf_error_set(err, DBC_EUSAGE, "'%s': empty port", t->display);
        for (const char *c = ps; c < auth_end; c++) {
            if (!isdigit((unsigned char)*c) || port > 65535)
                return dbf_error_set(err, DBC_EUSAGE, "'%s': bad port '%.*s'", t->display,
                                     (int)(auth_end - ps), ps);
            port = port * 10 + (unsigned long)(*c - '0');
        }
        if (port == 0 || port > 65535)
            return dbf_error_set(err, DBC_EUSAGE, "'%s': port out of range", t->display);
        t->port = (unsigned)port;
    }
    const char *p = auth_end;
    if (*p == '/') {
        p++;
        size_t dlen = strcspn(p, "?#");
        if (memchr(p, '/', dlen))
            return dbf_error_set(err, DBC_EUSAGE, "'%s': '/' in the database name",
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
                return dbf_error_set(err, DBC_EUSAGE,
                                     "'%s': unknown URL parameter '%.*s' (known: socket)",
                                     t->display, (int)(eq ? (size_t)(eq - p) : plen), p);
            }
            p += plen;
            if (*p == '&')
                p++;
        }
    }
    if (*p == '#')
        return dbf_error_set(err, DBC_EUSAGE, "'%s': a '#' fragment is not allowed",
                             t->display);
    return 0;
}

int dbe_target_parse(dbe_target **out, const char *s, dbf_error *err)
{
    int rc = 0;
    dbe_target *t = NULL;
    *out = NULL;
    if (!s || !*s)
        return dbf_error_set(err, DBC_EUSAGE, "empty database URL");
    t = calloc(1, sizeof *t);
    if (!t)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    size_t n = scheme_len(s);
    bool slashes = n > 0 && strncmp(s + n + 1, "//", 2) == 0;
    if (n > 0 && scheme_is(s, n, "sqlite")) {
        rc = parse_sqlite(t, s, err);
    } else if (n > 0 && (scheme_is(s, n, "postgresql") || scheme_is(s, n, "postgres"))) {
        if (!slashes)
            rc = dbf_error_set(err, DBC_EUSAGE, "'%.*s:' URLs start with %.*s://", (int)n, s,
                               (int)n, s);
        else
            rc = parse_pg(t, s, true, err);
    } else if (n > 0 && (scheme_is(s, n, "mysql") || scheme_is(s, n, "mariadb"))) {
        if (!slashes) {
            rc = dbf_error_set(err, DBC_EUSAGE, "'%.*s:' URLs start with %.*s://", (int)n, s,
                               (int)n, s);
        } else {
            rc = parse_mysql(t, s, s + n + 3, err);
        }
    } else if (slashes) {
        rc = dbf_error_set(err, DBC_EUSAGE,
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
        dbe_target_free(t);
    return rc;
}

