/*
 * target.c - SOURCE/TARGET strings: which engine (by URL scheme, by the form an engine claims,
 * else the fallback: a SQLite path), then that engine's parser (the *_target.c of its folder).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbc_buf.h"
#include "engine.h"

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

/* Display form of a URL: the password of "scheme://user:pass@..." replaced by "***". */
char *dbe_mask_url_password(const char *s)
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
    const dbe_engine *by_scheme = NULL, *claimed = NULL, *fallback = NULL;
    dbc_buf known = {0};
    for (const dbe_engine *e = dbe_engine_next(NULL); e; e = dbe_engine_next(e)) {
        for (const char *const *sc = e->schemes; *sc; sc++) {
            if (n > 0 && scheme_is(s, n, *sc))
                by_scheme = e;
            dbc_buf_printf(&known, "%s%s", known.len ? ", " : "", *sc);
        }
        if (e->claims && !claimed && e->claims(s))
            claimed = e;
        if (e->fallback)
            fallback = e;
    }
    if (by_scheme && by_scheme->url_slashes && !slashes)
        rc = dbf_error_set(err, DBC_EUSAGE, "'%.*s:' URLs start with %.*s://", (int)n, s,
                           (int)n, s);
    else if (by_scheme)
        rc = by_scheme->parse_target(t, s, true, err);
    else if (slashes)
        rc = dbf_error_set(err, DBC_EUSAGE, "unknown URL scheme '%.*s' (known: %s)", (int)n, s,
                           known.oom ? "?" : known.p);
    else
        rc = (claimed ? claimed : fallback)->parse_target(t, s, false, err);
    dbc_buf_free(&known);
    if (rc == 0)
        *out = t;
    else
        dbe_target_free(t);
    return rc;
}
