/*
 * xlate_sqlite.c - constraints of SQLite archives. SQLite keeps foreign keys, UNIQUE and
 * CHECK constraints only inside each table's CREATE TABLE text (dbf_table.native_sql), so an
 * archive written from SQLite has no objects for them. This parses that text (SQLite's own
 * grammar: https://sqlite.org/lang_createtable.html) into portable constraint objects that
 * dbr_xlate_object can translate for another engine.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xlate_int.h"

enum { K_WORD = 1, K_QUOTED, K_STR, K_NUM, K_PUNCT };

typedef struct stok {
    int kind;
    const char *p; /* in the SQL text */
    size_t n;
} stok;

struct dbr_xlate_objs {
    dbf_object *objs;
    size_t nobjs, cap;
    char **owned;
    size_t nowned, capowned;
    bool oom;
};

static char *keep(dbr_xlate_objs *l, char *s)
{
    if (!s) {
        l->oom = true;
        return NULL;
    }
    if (l->nowned == l->capowned) {
        size_t cap = l->capowned ? l->capowned * 2 : 16;
        char **v = realloc(l->owned, cap * sizeof *v);
        if (!v) {
            free(s);
            l->oom = true;
            return NULL;
        }
        l->owned = v;
        l->capowned = cap;
    }
    l->owned[l->nowned++] = s;
    return s;
}

static char *keepn(dbr_xlate_objs *l, const char *p, size_t n)
{
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, p, n);
        s[n] = '\0';
    }
    return keep(l, s);
}

/* Tokenize; comments skipped. @return number of tokens or -1 (no memory) / -2 (bad text). */
static long tokenize(const char *s, stok **out)
{
    size_t cap = 64, n = 0;
    stok *v = malloc(cap * sizeof *v);
    if (!v)
        return -1;
    size_t i = 0, len = strlen(s);
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (isspace(c)) {
            i++;
            continue;
        }
        if (c == '-' && s[i + 1] == '-') {
            while (i < len && s[i] != '\n')
                i++;
            continue;
        }
        if (c == '/' && s[i + 1] == '*') {
            const char *e = strstr(s + i + 2, "*/");
            i = e ? (size_t)(e - s) + 2 : len;
            continue;
        }
        stok t = {K_PUNCT, s + i, 1};
        if (c == '"' || c == '`' || c == '[' || c == '\'') {
            char close = c == '[' ? ']' : (char)c;
            size_t j = i + 1;
            for (;;) {
                if (j >= len) {
                    free(v);
                    return -2;
                }
                if (s[j] == close) {
                    if (close != ']' && s[j + 1] == close) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                j++;
            }
            t.kind = c == '\'' ? K_STR : K_QUOTED;
            t.n = j + 1 - i;
        } else if (isalpha(c) || c == '_' || c >= 0x80) {
            size_t j = i;
            while (j < len && (isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '$' ||
                               (unsigned char)s[j] >= 0x80))
                j++;
            t.kind = K_WORD;
            t.n = j - i;
        } else if (isdigit(c) || (c == '.' && isdigit((unsigned char)s[i + 1]))) {
            size_t j = i;
            while (j < len && (isalnum((unsigned char)s[j]) || s[j] == '.'))
                j++;
            t.kind = K_NUM;
            t.n = j - i;
        }
        if (n == cap) {
            cap *= 2;
            stok *nv = realloc(v, cap * sizeof *nv);
            if (!nv) {
                free(v);
                return -1;
            }
            v = nv;
        }
        v[n++] = t;
        i += t.n;
    }
    *out = v;
    return (long)n;
}

static bool is_word(const stok *t, const char *w)
{
    return (t->kind == K_WORD) && strlen(w) == t->n && strncasecmp(t->p, w, t->n) == 0;
}

static bool is_punct(const stok *t, char c)
{
    return t->kind == K_PUNCT && t->p[0] == c;
}

/* Identifier text without quotes. */
static char *ident(dbr_xlate_objs *l, const stok *t)
{
    if (t->kind == K_WORD)
        return keepn(l, t->p, t->n);
    if (t->kind != K_QUOTED && t->kind != K_STR)
        return NULL;
    char q = t->p[0], close = q == '[' ? ']' : q;
    char *s = malloc(t->n);
    if (!s)
        return keep(l, NULL);
    size_t o = 0;
    for (size_t i = 1; i + 1 < t->n; i++) {
        s[o++] = t->p[i];
        if (close != ']' && t->p[i] == close && t->p[i + 1] == close)
            i++;
    }
    s[o] = '\0';
    return keep(l, s);
}

/* Index of the token closing the parenthesis opened at i, or end. */
static size_t close_paren(const stok *t, size_t i, size_t end)
{
    int depth = 0;
    for (; i < end; i++) {
        if (is_punct(&t[i], '('))
            depth++;
        else if (is_punct(&t[i], ')') && --depth == 0)
            return i;
    }
    return end;
}

/* "(a, b)" at i -> names; returns the index after ")". */
static size_t name_list(dbr_xlate_objs *l, const stok *t, size_t i, size_t end,
                        const char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (i >= end || !is_punct(&t[i], '('))
        return i;
    size_t close = close_paren(t, i, end);
    const char **v = calloc(close - i + 1, sizeof *v);
    if (!v || !keep(l, (char *)v))
        return close + 1;
    for (size_t k = i + 1; k < close; k++) {
        if (t[k].kind == K_WORD || t[k].kind == K_QUOTED || t[k].kind == K_STR) {
            v[(*n)++] = ident(l, &t[k]);
            /* skip COLLATE x / ASC / DESC up to the next comma */
            while (k + 1 < close && !is_punct(&t[k + 1], ','))
                k++;
        }
    }
    *out = v;
    return close + 1;
}

static dbf_object *add(dbr_xlate_objs *l)
{
    if (l->nobjs == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        dbf_object *v = realloc(l->objs, cap * sizeof *v);
        if (!v) {
            l->oom = true;
            return NULL;
        }
        l->objs = v;
        l->cap = cap;
    }
    dbf_object *o = &l->objs[l->nobjs++];
    memset(o, 0, sizeof *o);
    o->kind = DBF_OBJ_CONSTRAINT;
    o->section = DBF_SEC_POST;
    o->engine = "sqlite";
    return o;
}

/* PostgreSQL's naming: <table>_<col>[_<col>...]_<suffix>. */
static char *auto_name(dbr_xlate_objs *l, const char *table, const char *const *cols,
                       size_t ncols, const char *suffix)
{
    xl_sbuf b = {0};
    xl_sb_puts(&b, table);
    for (size_t i = 0; i < ncols; i++)
        xl_sb_printf(&b, "_%s", cols[i] ? cols[i] : "");
    xl_sb_printf(&b, "_%s", suffix);
    return keep(l, xl_sb_take(&b));
}

/* REFERENCES parent [(cols)] [ON DELETE|UPDATE action] [MATCH x] [[NOT] DEFERRABLE ...] */
static size_t parse_references(dbr_xlate_objs *l, const stok *t, size_t i, size_t end,
                               dbf_object *o)
{
    i++; /* REFERENCES */
    if (i >= end)
        return i;
    o->ref_table = ident(l, &t[i++]);
    if (i + 1 < end && is_punct(&t[i], '.')) { /* schema.table: keep the table */
        o->ref_table = ident(l, &t[i + 1]);
        i += 2;
    }
    i = name_list(l, t, i, end, (const char ***)&o->ref_columns, &o->nref_columns);
    while (i < end) {
        if (is_word(&t[i], "ON") && i + 2 < end) {
            bool del = is_word(&t[i + 1], "DELETE");
            const char *act = NULL;
            size_t k = i + 2;
            if (is_word(&t[k], "CASCADE"))
                act = "CASCADE", k++;
            else if (is_word(&t[k], "RESTRICT"))
                act = "RESTRICT", k++;
            else if (is_word(&t[k], "SET") && k + 1 < end && is_word(&t[k + 1], "NULL"))
                act = "SET NULL", k += 2;
            else if (is_word(&t[k], "SET") && k + 1 < end && is_word(&t[k + 1], "DEFAULT"))
                act = "SET DEFAULT", k += 2;
            else if (is_word(&t[k], "NO") && k + 1 < end && is_word(&t[k + 1], "ACTION"))
                act = "NO ACTION", k += 2;
            else
                k++;
            if (del)
                o->on_delete = act;
            else
                o->on_update = act;
            i = k;
        } else if (is_word(&t[i], "MATCH") || is_word(&t[i], "INITIALLY")) {
            i += 2;
        } else if (is_word(&t[i], "NOT") || is_word(&t[i], "DEFERRABLE")) {
            i++;
        } else {
            break;
        }
    }
    return i;
}

int dbr_xlate_sqlite_constraints(dbr_xlate_objs **out, const dbf_table *t, dbf_error *err)
{
    int rc = 0;
    stok *tk = NULL;
    *out = NULL;
    dbr_xlate_objs *l = calloc(1, sizeof *l);
    if (!l)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    if (!t->native_sql || !t->name)
        goto done;
    long nt = tokenize(t->native_sql, &tk);
    if (nt == -1) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    if (nt < 0) {
        rc = dbf_error_set(err, DBF_EUNSUPPORTED, "table \"%s\": CREATE TABLE text not "
                           "understood (unterminated quote)", t->name);
        goto done;
    }
    size_t n = (size_t)nt, open = 0;
    while (open < n && !is_punct(&tk[open], '('))
        open++;
    if (open == n)
        goto done; /* CREATE TABLE ... AS SELECT: no constraints */
    size_t close = close_paren(tk, open, n);
    size_t checks = 0;
    for (size_t a = open + 1; a < close;) {
        /* one item: up to the next top-level comma */
        size_t b = a;
        int depth = 0;
        while (b < close && !(depth == 0 && is_punct(&tk[b], ','))) {
            if (is_punct(&tk[b], '('))
                depth++;
            else if (is_punct(&tk[b], ')'))
                depth--;
            b++;
        }
        const char *cname = NULL;
        size_t i = a;
        bool table_constraint = is_word(&tk[a], "CONSTRAINT") || is_word(&tk[a], "FOREIGN") ||
                                is_word(&tk[a], "UNIQUE") || is_word(&tk[a], "CHECK") ||
                                is_word(&tk[a], "PRIMARY");
        const char *col = NULL;
        if (!table_constraint) {
            col = ident(l, &tk[a]);
            i = a + 1;
        }
        while (i < b && !l->oom) {
            if (is_word(&tk[i], "CONSTRAINT") && i + 1 < b) {
                cname = ident(l, &tk[i + 1]);
                i += 2;
            } else if (is_word(&tk[i], "FOREIGN") && i + 1 < b && is_word(&tk[i + 1], "KEY")) {
                dbf_object *o = add(l);
                if (!o)
                    break;
                o->subtype = "foreign_key";
                o->table = t->name;
                i = name_list(l, tk, i + 2, b, (const char ***)&o->columns, &o->ncolumns);
                if (i < b && is_word(&tk[i], "REFERENCES"))
                    i = parse_references(l, tk, i, b, o);
                o->name = cname ? cname : auto_name(l, t->name, o->columns, o->ncolumns, "fkey");
                cname = NULL;
            } else if (is_word(&tk[i], "REFERENCES") && col) {
                dbf_object *o = add(l);
                if (!o)
                    break;
                o->subtype = "foreign_key";
                o->table = t->name;
                const char **cv = calloc(1, sizeof *cv);
                if (!cv || !keep(l, (char *)cv))
                    break;
                cv[0] = col;
                o->columns = cv;
                o->ncolumns = 1;
                i = parse_references(l, tk, i, b, o);
                o->name = cname ? cname : auto_name(l, t->name, &col, 1, "fkey");
                cname = NULL;
            } else if (is_word(&tk[i], "UNIQUE")) {
                dbf_object *o = add(l);
                if (!o)
                    break;
                o->subtype = "unique";
                o->table = t->name;
                o->unique = true;
                if (col) {
                    const char **cv = calloc(1, sizeof *cv);
                    if (!cv || !keep(l, (char *)cv))
                        break;
                    cv[0] = col;
                    o->columns = cv;
                    o->ncolumns = 1;
                    i++;
                } else {
                    i = name_list(l, tk, i + 1, b, (const char ***)&o->columns, &o->ncolumns);
                }
                o->name = cname ? cname : auto_name(l, t->name, o->columns, o->ncolumns, "key");
                cname = NULL;
            } else if (is_word(&tk[i], "CHECK") && i + 1 < b && is_punct(&tk[i + 1], '(')) {
                size_t cp = close_paren(tk, i + 1, b);
                dbf_object *o = add(l);
                if (!o)
                    break;
                o->subtype = "check";
                o->table = t->name;
                if (cp < b && cp > i + 2) {
                    const char *st = tk[i + 2].p;
                    o->expr = keepn(l, st, (size_t)(tk[cp].p - st));
                }
                char num[24];
                snprintf(num, sizeof num, "check%zu", col ? checks : ++checks);
                o->name = cname ? cname : auto_name(l, t->name, &col, col ? 1 : 0,
                                                    col ? "check" : num);
                cname = NULL;
                i = cp + 1;
            } else if (is_punct(&tk[i], '(')) {
                i = close_paren(tk, i, b) + 1;
            } else {
                i++;
            }
        }
        a = b + 1;
    }
    if (l->oom)
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
done:
    free(tk);
    if (rc) {
        dbr_xlate_objs_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

size_t dbr_xlate_objs_count(const dbr_xlate_objs *l)
{
    return l ? l->nobjs : 0;
}

const dbf_object *dbr_xlate_objs_get(const dbr_xlate_objs *l, size_t i)
{
    return l && i < l->nobjs ? &l->objs[i] : NULL;
}

void dbr_xlate_objs_free(dbr_xlate_objs *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->nowned; i++)
        free(l->owned[i]);
    free(l->owned);
    free(l->objs);
    free(l);
}
