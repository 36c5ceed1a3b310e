/*
 * pg_target.c - PostgreSQL SOURCE/TARGET strings: postgresql:// and postgres:// URLs and libpq
 * "key=value ..." strings, checked by libpq before any connection; shown without password.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "dbc_buf.h"
#include "engine.h"

/* A libpq "key=value ..." string: starts with an identifier followed by '='. */
bool dbe_pg_claims(const char *s)
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

int dbe_pg_parse_target(dbe_target *t, const char *s, bool is_url, dbf_error *err)
{
    t->engine = DBE_POSTGRESQL;
    t->conninfo = strdup(s);
    t->display = is_url ? dbe_mask_url_password(s) : mask_conninfo_password(s);
    if (!t->conninfo || !t->display)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    return pg_validate(t, err);
}
