/*
 * util.c - errors, type names, arena, id map, chunk runs, MessagePack bound scan.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbf_internal.h"

/* Engine messages (libpq's above all) span lines; an error is one line: control
 * characters become one space, trailing blanks go. */
static void one_line(char *msg)
{
    char *out = msg;
    for (const char *in = msg; *in; in++) {
        if ((unsigned char)*in < 0x20 || *in == 0x7f) {
            if (out > msg && out[-1] != ' ')
                *out++ = ' ';
        } else {
            *out++ = *in;
        }
    }
    while (out > msg && out[-1] == ' ')
        out--;
    *out = '\0';
}

/* A message that does not fit says so at its end, with the number of bytes cut. */
static void mark_cut(char *msg, size_t cap, size_t want)
{
    char mark[64];
    int m = snprintf(mark, sizeof mark, " [... %zu more bytes of this message cut]",
                     want - (cap - 1));
    if (m > 0 && (size_t)m < cap)
        memcpy(msg + cap - 1 - (size_t)m, mark, (size_t)m + 1);
}

int dbf_error_set(dbf_error *err, int code, const char *fmt, ...)
{
    if (err != NULL) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
        if (n > 0 && (size_t)n >= sizeof(err->msg))
            mark_cut(err->msg, sizeof(err->msg), (size_t)n);
        one_line(err->msg);
    }
    return code;
}

int dbf_error_prefix(dbf_error *err, const char *fmt, ...)
{
    if (err == NULL)
        return 0;
    va_list ap;
    va_start(ap, fmt);
    int p = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    size_t mlen = strlen(err->msg), cap = sizeof(err->msg);
    char *all = p < 0 ? NULL : malloc((size_t)p + mlen + 1);
    if (all == NULL)
        return err->code; /* out of memory: the message as it was, without its context */
    va_start(ap, fmt);
    vsnprintf(all, (size_t)p + 1, fmt, ap);
    va_end(ap);
    memcpy(all + p, err->msg, mlen + 1);
    size_t want = (size_t)p + mlen;
    memcpy(err->msg, all, want < cap ? want + 1 : cap - 1);
    err->msg[cap - 1] = '\0';
    if (want >= cap)
        mark_cut(err->msg, cap, want);
    free(all);
    one_line(err->msg);
    return err->code;
}

const char *dbf_strerror(int code)
{
    switch (code) {
    case DBF_OK: return "DBF_OK";
    case DBF_EIO: return "DBF_EIO";
    case DBF_ECORRUPT: return "DBF_ECORRUPT";
    case DBF_ENOMEM: return "DBF_ENOMEM";
    case DBF_EVERSION: return "DBF_EVERSION";
    case DBF_EUNSUPPORTED: return "DBF_EUNSUPPORTED";
    case DBF_ECANCELED: return "DBF_ECANCELED";
    case DBF_ETRUNCATED: return "DBF_ETRUNCATED";
    case DBF_EINVAL: return "DBF_EINVAL";
    default: return "DBF_E?";
    }
}

static const char *const type_names[DBF_T__COUNT] = {
    [DBF_T_ANY] = "any",
    [DBF_T_BOOL] = "bool",
    [DBF_T_INT] = "int",
    [DBF_T_FLOAT32] = "float32",
    [DBF_T_FLOAT64] = "float64",
    [DBF_T_DECIMAL] = "decimal",
    [DBF_T_TEXT] = "text",
    [DBF_T_BYTES] = "bytes",
    [DBF_T_DATE] = "date",
    [DBF_T_TIME] = "time",
    [DBF_T_TIMETZ] = "timetz",
    [DBF_T_TIMESTAMP] = "timestamp",
    [DBF_T_TIMESTAMPTZ] = "timestamptz",
    [DBF_T_INTERVAL] = "interval",
    [DBF_T_UUID] = "uuid",
    [DBF_T_JSON] = "json",
    [DBF_T_ENUM] = "enum",
    [DBF_T_SET] = "set",
    [DBF_T_BIT] = "bit",
    [DBF_T_YEAR] = "year",
    [DBF_T_ARRAY] = "array",
    [DBF_T_NATIVE] = "native",
};

const char *dbf_type_name(dbf_type t)
{
    if ((int)t < 0 || t >= DBF_T__COUNT)
        return "native";
    return type_names[t];
}

dbf_type dbf_type_from_name(const char *name)
{
    if (name == NULL)
        return DBF_T_NATIVE;
    for (int i = 0; i < DBF_T__COUNT; i++) {
        if (strcmp(type_names[i], name) == 0)
            return (dbf_type)i;
    }
    return DBF_T_NATIVE;
}

const char *dbf_kind_name(uint64_t kind)
{
    static const char *const names[] = {"?",          "HEADER", "TABLE",      "OBJECT",
                                        "DATA_BEGIN", "ROWS",   "VALUE_PART", "DATA_END",
                                        "TRAILER",    "INDEX",  "ABORT"};
    if (kind < sizeof(names) / sizeof(names[0]))
        return names[kind];
    return "unknown";
}

/* ------------------------------------------------------------- deep copies */

/* A copy under way: the caller's allocator, and whether an allocation failed. */
typedef struct copier {
    dbf_alloc_fn alloc;
    void *ctx;
    bool oom;
} copier;

/* n elements of size bytes at v and a zeroed one after them (NULL when v is). */
static void *copy_arr(copier *c, const void *v, size_t n, size_t size)
{
    unsigned char *d = v != NULL ? c->alloc(c->ctx, (n + 1) * size) : NULL;
    c->oom |= v != NULL && d == NULL;
    if (d != NULL) {
        memcpy(d, v, n * size);
        memset(d + n * size, 0, size);
    }
    return d;
}

static const char *copy_str(copier *c, const char *s)
{
    return s != NULL ? copy_arr(c, s, strlen(s), 1) : NULL;
}

static const char *const *copy_strv(copier *c, const char *const *v, size_t n)
{
    const char **d = copy_arr(c, v, n, sizeof(*d));
    for (size_t i = 0; d != NULL && i < n; i++)
        d[i] = copy_str(c, v[i]);
    return d;
}

static const dbf_kv *copy_kv(copier *c, const dbf_kv *v, size_t n)
{
    dbf_kv *d = copy_arr(c, v, n, sizeof(*d));
    for (size_t i = 0; d != NULL && i < n; i++) {
        d[i].key = copy_str(c, v[i].key);
        d[i].value = copy_str(c, v[i].value);
    }
    return d;
}

int dbf_table_copy(dbf_table **out, const dbf_table *t, dbf_alloc_fn alloc, void *ctx)
{
    copier c = {alloc, ctx, false};
    dbf_table *d = alloc(ctx, sizeof(*d));
    if (d == NULL)
        return DBF_ENOMEM;
    *d = *t;
    d->schema = copy_str(&c, t->schema);
    d->name = copy_str(&c, t->name);
    d->engine = copy_str(&c, t->engine);
    d->native_sql = copy_str(&c, t->native_sql);
    d->comment = copy_str(&c, t->comment);
    d->primary_key = copy_strv(&c, t->primary_key, t->nprimary_key);
    d->attrs = copy_kv(&c, t->attrs, t->nattrs);
    dbf_column *cols = copy_arr(&c, t->columns, t->ncolumns, sizeof(*cols));
    d->columns = cols;
    for (size_t i = 0; cols != NULL && i < t->ncolumns; i++) {
        dbf_column *e = &cols[i];
        e->name = copy_str(&c, e->name);
        e->type_name = copy_str(&c, e->type_name);
        e->native_type = copy_str(&c, e->native_type);
        e->default_expr = copy_str(&c, e->default_expr);
        e->generated_expr = copy_str(&c, e->generated_expr);
        e->collation = copy_str(&c, e->collation);
        e->charset = copy_str(&c, e->charset);
        e->comment = copy_str(&c, e->comment);
        e->labels = copy_strv(&c, e->labels, e->nlabels);
        e->attrs = copy_kv(&c, e->attrs, e->nattrs);
    }
    if (c.oom)
        return DBF_ENOMEM;
    *out = d;
    return 0;
}

int dbf_object_copy(dbf_object **out, const dbf_object *o, dbf_alloc_fn alloc, void *ctx)
{
    copier c = {alloc, ctx, false};
    dbf_object *d = alloc(ctx, sizeof(*d));
    if (d == NULL)
        return DBF_ENOMEM;
    *d = *o;
    d->subtype = copy_str(&c, o->subtype);
    d->schema = copy_str(&c, o->schema);
    d->name = copy_str(&c, o->name);
    d->table = copy_str(&c, o->table);
    d->engine = copy_str(&c, o->engine);
    d->sql = copy_str(&c, o->sql);
    d->columns = copy_strv(&c, o->columns, o->ncolumns);
    d->expr = copy_str(&c, o->expr);
    d->ref_schema = copy_str(&c, o->ref_schema);
    d->ref_table = copy_str(&c, o->ref_table);
    d->ref_columns = copy_strv(&c, o->ref_columns, o->nref_columns);
    d->on_delete = copy_str(&c, o->on_delete);
    d->on_update = copy_str(&c, o->on_update);
    d->value = copy_str(&c, o->value);
    d->attrs = copy_kv(&c, o->attrs, o->nattrs);
    if (c.oom)
        return DBF_ENOMEM;
    *out = d;
    return 0;
}

/* ------------------------------------------------------------------ id map */

/* murmur3's finalizer, keyed by the map's (ASLR-randomized) address so that hostile table ids
 * cannot be chosen to collide */
static size_t id_hash(const dbf_idmap *m, uint32_t k, size_t cap)
{
    uint32_t h = k ^ (uint32_t)((uintptr_t)m >> 4) ^ (uint32_t)((uint64_t)(uintptr_t)m >> 32);
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return (size_t)h & (cap - 1);
}

int dbf_idmap_put(dbf_idmap *m, uint32_t key, size_t val)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 64;
        uint32_t *nk = calloc(ncap, sizeof(*nk));
        size_t *nv = calloc(ncap, sizeof(*nv));
        if (nk == NULL || nv == NULL) {
            free(nk);
            free(nv);
            return DBF_ENOMEM;
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (m->keys[i] == 0)
                continue;
            size_t j = id_hash(m, m->keys[i], ncap);
            while (nk[j] != 0)
                j = (j + 1) & (ncap - 1);
            nk[j] = m->keys[i];
            nv[j] = m->vals[i];
        }
        free(m->keys);
        free(m->vals);
        m->keys = nk;
        m->vals = nv;
        m->cap = ncap;
    }
    size_t j = id_hash(m, key, m->cap);
    while (m->keys[j] != 0 && m->keys[j] != key)
        j = (j + 1) & (m->cap - 1);
    if (m->keys[j] == 0)
        m->n++;
    m->keys[j] = key;
    m->vals[j] = val;
    return 0;
}

int dbf_idmap_get(const dbf_idmap *m, uint32_t key, size_t *out)
{
    if (m->cap == 0 || key == 0)
        return 0;
    size_t j = id_hash(m, key, m->cap);
    while (m->keys[j] != 0) {
        if (m->keys[j] == key) {
            *out = m->vals[j];
            return 1;
        }
        j = (j + 1) & (m->cap - 1);
    }
    return 0;
}

void dbf_idmap_free(dbf_idmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof(*m));
}

/* -------------------------------------------------------------------- runs */

int dbf_runs_add(dbf_runs *r, uint64_t start, uint64_t end)
{
    if (r->n >= 2 && r->v[r->n - 1] == start) {
        r->v[r->n - 1] = end;
        return 0;
    }
    if (r->n + 2 > r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 4;
        uint64_t *nv = realloc(r->v, ncap * sizeof(*nv));
        if (nv == NULL)
            return DBF_ENOMEM;
        r->v = nv;
        r->cap = ncap;
    }
    r->v[r->n++] = start;
    r->v[r->n++] = end;
    return 0;
}

void dbf_runs_free(dbf_runs *r)
{
    free(r->v);
    memset(r, 0, sizeof(*r));
}

/* ------------------------------------------------------ MessagePack scan */

static uint64_t be_load(const unsigned char *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

/*
 * Walks the type headers of one object (no decoding): for each header, how many header bytes
 * follow the type byte, how many payload bytes, and how many child objects it announces. The
 * number of objects still owed never exceeds the bytes left, since each needs at least one.
 */
int dbf_msgpack_scan(const unsigned char *buf, size_t len, size_t *out_len)
{
    size_t pos = 0;
    uint64_t owed = 1;
    while (owed > 0) {
        if (pos >= len)
            return 1;
        unsigned char b = buf[pos++];
        owed--;
        unsigned hdr = 0;     /* size of the length field */
        uint64_t payload = 0; /* fixed payload bytes */
        int kind = 0;         /* 0 scalar, 1 bytes of length field, 2 array, 3 map */
        if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
            kind = 0;
        } else if (b >= 0x80 && b <= 0x8f) {
            owed += 2u * (b & 0x0fu);
        } else if (b >= 0x90 && b <= 0x9f) {
            owed += b & 0x0fu;
        } else if (b >= 0xa0 && b <= 0xbf) {
            payload = b & 0x1fu;
        } else {
            switch (b) {
            case 0xc4: case 0xd9: hdr = 1; kind = 1; break;
            case 0xc5: case 0xda: hdr = 2; kind = 1; break;
            case 0xc6: case 0xdb: hdr = 4; kind = 1; break;
            case 0xc7: hdr = 1; kind = 4; break; /* ext 8: len + type */
            case 0xc8: hdr = 2; kind = 4; break;
            case 0xc9: hdr = 4; kind = 4; break;
            case 0xca: payload = 4; break;
            case 0xcb: payload = 8; break;
            case 0xcc: case 0xd0: payload = 1; break;
            case 0xcd: case 0xd1: payload = 2; break;
            case 0xce: case 0xd2: payload = 4; break;
            case 0xcf: case 0xd3: payload = 8; break;
            case 0xd4: payload = 2; break; /* fixext: type + data */
            case 0xd5: payload = 3; break;
            case 0xd6: payload = 5; break;
            case 0xd7: payload = 9; break;
            case 0xd8: payload = 17; break;
            case 0xdc: hdr = 2; kind = 2; break;
            case 0xdd: hdr = 4; kind = 2; break;
            case 0xde: hdr = 2; kind = 3; break;
            case 0xdf: hdr = 4; kind = 3; break;
            default: return -1; /* 0xc1 never used */
            }
        }
        if (hdr > 0) {
            if (len - pos < hdr)
                return 1;
            uint64_t n = be_load(buf + pos, hdr);
            pos += hdr;
            if (kind == 1)
                payload = n;
            else if (kind == 4)
                payload = n + 1;
            else if (kind == 2)
                owed += n;
            else
                owed += 2 * n;
        }
        if (payload > len - pos)
            return 1;
        pos += (size_t)payload;
        if (owed > len - pos) {
            /* cannot be complete in this buffer: incomplete if it is all we have */
            return 1;
        }
    }
    *out_len = pos;
    return 0;
}
