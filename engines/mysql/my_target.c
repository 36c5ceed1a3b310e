/*
 * my_target.c - MySQL/MariaDB SOURCE/TARGET strings:
 * mysql://user:pass@host:port/db?socket=/path (or mariadb://), percent-escapes decoded.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "dbc_buf.h"
#include "engine.h"

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
            int hi = i + 2 < n ? dbc_hexval((unsigned char)s[i + 1]) : -1;
            int lo = i + 2 < n ? dbc_hexval((unsigned char)s[i + 2]) : -1;
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

/* mysql://[user[:password]@][host][:port][/database][?socket=/path] */
int dbe_mysql_parse_target(dbe_target *t, const char *s, bool is_url, dbf_error *err)
{
    int rc = 0;
    const char *rest = strstr(s, "://") + 3;
    (void)is_url; /* only URLs */
    t->engine = DBE_MYSQL;
    t->display = dbe_mask_url_password(s);
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
        if (rb - hp > 1 && !(t->host = strndup(hp + 1, (size_t)(rb - hp - 1))))
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
