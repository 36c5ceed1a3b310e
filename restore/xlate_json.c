/*
 * xlate_json.c - canonical JSON text for --verify digests.
 *
 * Engines that store JSON parsed (PostgreSQL jsonb, MySQL 8 JSON) give back other text than
 * they were sent: keys reordered and deduplicated (the last one wins), whitespace dropped,
 * escapes and numbers rewritten. Both sides of a verify digest go through this function, so
 * that equal documents digest alike: objects with keys sorted bytewise and the last of
 * duplicate keys kept, no whitespace, strings with the minimal escapes of xl_json_str,
 * numbers as the shortest text of their double value.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlate_int.h"

#define CANON_MAX_DEPTH 512

typedef struct cj {
    const char *s;
    size_t n, i;
    int depth;
} cj;

static void ws(cj *p)
{
    while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' ||
                           p->s[p->i] == '\r'))
        p->i++;
}

static int hex4(const char *s, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static void put_utf8(xl_sbuf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp, n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
    }
    xl_sb_putn(b, u, n);
}

/* A string at p->i (the opening quote): its decoded bytes into raw. */
static int string_raw(cj *p, xl_sbuf *raw)
{
    p->i++;
    while (p->i < p->n) {
        char c = p->s[p->i++];
        if (c == '"')
            return 0;
        if (c != '\\') {
            xl_sb_putc(raw, c);
            continue;
        }
        if (p->i >= p->n)
            return -1;
        c = p->s[p->i++];
        switch (c) {
        case '"': case '\\': case '/': xl_sb_putc(raw, c); break;
        case 'b': xl_sb_putc(raw, '\b'); break;
        case 'f': xl_sb_putc(raw, '\f'); break;
        case 'n': xl_sb_putc(raw, '\n'); break;
        case 'r': xl_sb_putc(raw, '\r'); break;
        case 't': xl_sb_putc(raw, '\t'); break;
        case 'u': {
            unsigned cp, lo;
            if (p->n - p->i < 4 || hex4(p->s + p->i, &cp))
                return -1;
            p->i += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && p->n - p->i >= 6 && p->s[p->i] == '\\' &&
                p->s[p->i + 1] == 'u' && !hex4(p->s + p->i + 2, &lo) && lo >= 0xDC00 &&
                lo < 0xE000) {
                p->i += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            put_utf8(raw, cp);
            break;
        }
        default:
            return -1;
        }
    }
    return -1;
}

typedef struct member {
    char *key;
    size_t klen;
    char *val;
    size_t order;
} member;

static int cmp_member(const void *a, const void *b)
{
    const member *x = a, *y = b;
    size_t n = x->klen < y->klen ? x->klen : y->klen;
    int c = memcmp(x->key, y->key, n);
    if (c)
        return c;
    if (x->klen != y->klen)
        return x->klen < y->klen ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int value(cj *p, xl_sbuf *out);

static int object(cj *p, xl_sbuf *out)
{
    member *m = NULL;
    size_t n = 0, cap = 0;
    int rc = -1;
    p->i++;
    ws(p);
    if (p->i < p->n && p->s[p->i] == '}') {
        p->i++;
        xl_sb_puts(out, "{}");
        return 0;
    }
    for (;;) {
        xl_sbuf k = {0}, v = {0};
        ws(p);
        if (p->i >= p->n || p->s[p->i] != '"' || string_raw(p, &k))
            goto fail_kv;
        ws(p);
        if (p->i >= p->n || p->s[p->i++] != ':' || value(p, &v) || k.oom || v.oom)
            goto fail_kv;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            member *nm = realloc(m, cap * sizeof *m);
            if (!nm)
                goto fail_kv;
            m = nm;
        }
        m[n] = (member){k.p ? k.p : strdup(""), k.len, v.p, n};
        n++;
        ws(p);
        if (p->i < p->n && p->s[p->i] == ',') {
            p->i++;
            continue;
        }
        if (p->i < p->n && p->s[p->i] == '}') {
            p->i++;
            break;
        }
        goto done;
    fail_kv:
        xl_sb_free(&k);
        xl_sb_free(&v);
        goto done;
    }
    qsort(m, n, sizeof *m, cmp_member);
    xl_sb_putc(out, '{');
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && m[i].klen == m[i + 1].klen && memcmp(m[i].key, m[i + 1].key,
                                                                m[i].klen) == 0)
            continue; /* a later duplicate wins */
        if (!first)
            xl_sb_putc(out, ',');
        first = false;
        xl_json_str(out, m[i].key ? m[i].key : "", m[i].klen);
        xl_sb_putc(out, ':');
        xl_sb_puts(out, m[i].val ? m[i].val : "");
    }
    xl_sb_putc(out, '}');
    rc = 0;
done:
    for (size_t i = 0; i < n; i++) {
        free(m[i].key);
        free(m[i].val);
    }
    free(m);
    return rc;
}

static int value(cj *p, xl_sbuf *out)
{
    ws(p);
    if (p->i >= p->n || ++p->depth > CANON_MAX_DEPTH)
        return -1;
    int rc = 0;
    char c = p->s[p->i];
    if (c == '{') {
        rc = object(p, out);
    } else if (c == '[') {
        p->i++;
        xl_sb_putc(out, '[');
        ws(p);
        if (p->i < p->n && p->s[p->i] == ']') {
            p->i++;
        } else {
            for (bool first = true;; first = false) {
                if (!first)
                    xl_sb_putc(out, ',');
                if ((rc = value(p, out)))
                    break;
                ws(p);
                if (p->i < p->n && p->s[p->i] == ',') {
                    p->i++;
                    continue;
                }
                if (p->i < p->n && p->s[p->i] == ']') {
                    p->i++;
                    break;
                }
                rc = -1;
                break;
            }
        }
        xl_sb_putc(out, ']');
    } else if (c == '"') {
        xl_sbuf raw = {0};
        rc = string_raw(p, &raw);
        if (!rc)
            xl_json_str(out, raw.p ? raw.p : "", raw.len);
        xl_sb_free(&raw);
    } else if (c == 't' || c == 'f' || c == 'n') {
        const char *lit = c == 't' ? "true" : c == 'f' ? "false" : "null";
        size_t l = strlen(lit);
        if (p->n - p->i < l || memcmp(p->s + p->i, lit, l) != 0)
            return -1;
        p->i += l;
        xl_sb_puts(out, lit);
    } else {
        char buf[64], *end;
        size_t l = 0;
        while (p->i + l < p->n && l < sizeof buf - 1 && strchr("+-0123456789.eE", p->s[p->i + l]))
            l++;
        memcpy(buf, p->s + p->i, l);
        buf[l] = '\0';
        double d = strtod(buf, &end);
        if (l == 0 || end != buf + l || !isfinite(d))
            return -1;
        p->i += l;
        if (d == 0)
            d = 0; /* -0 and 0 alike */
        if (d > -1e15 && d < 1e15 && d == (double)(int64_t)d) {
            snprintf(buf, sizeof buf, "%.0f", d);
        } else {
            for (int prec = 1; prec <= 17; prec++) { /* shortest text that reads back alike */
                snprintf(buf, sizeof buf, "%.*g", prec, d);
                if (strtod(buf, NULL) == d)
                    break;
            }
        }
        xl_sb_puts(out, buf);
    }
    p->depth--;
    return rc;
}

int xl_json_canon(xl_sbuf *out, const char *s, size_t n)
{
    cj p = {s, n, 0, 0};
    size_t start = out->len;
    int rc = value(&p, out);
    ws(&p);
    if (rc || p.i != n || out->oom) {
        out->len = start;
        if (out->p)
            out->p[start] = '\0';
        return -1;
    }
    return 0;
}
