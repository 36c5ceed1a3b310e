/*
 * lite_dialect.c - SQLite in the translation layer (engines/xlate.h), both directions.
 * As a source: declared types read as portable types (SQLite's affinity rules), and the
 * constraints of SQLite archives. SQLite keeps foreign keys, UNIQUE and CHECK constraints only
 * inside each table's CREATE TABLE text (dbf_table.native_sql), so an archive written from
 * SQLite has no objects for them. This parses that text (SQLite's own grammar:
 * https://sqlite.org/lang_createtable.html) into portable constraint objects that
 * dbe_xlate_object can translate for another engine.
 * As a target: the type matrix's SQLite column, INTEGER PRIMARY KEY AUTOINCREMENT, and
 * constraints added by the documented table rebuild.
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

struct dbe_xlate_objs {
    dbc_vec objs;  /* dbf_object */
    dbf_arena mem; /* their names, column lists and expressions */
    bool oom;
};

/* p's n bytes as a string of l. */
static char *keepn(dbe_xlate_objs *l, const char *p, size_t n)
{
    char *s = dbf_arena_strndup(&l->mem, p, n);
    l->oom |= !s;
    return s;
}

/* n zeroed name pointers of l. */
static const char **keep_names(dbe_xlate_objs *l, size_t n)
{
    const char **v = dbf_arena_calloc(&l->mem, n, sizeof *v);
    l->oom |= !v;
    return v;
}

/* Tokenize; comments skipped. @return number of tokens or -1 (no memory) / -2 (bad text). */
static long tokenize(const char *s, stok **out)
{
    dbc_vec v = {0};
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
                    dbc_vec_free(&v);
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
        stok *slot = dbc_vec_push(&v, sizeof *slot);
        if (!slot) {
            dbc_vec_free(&v);
            return -1;
        }
        *slot = t;
        i += t.n;
    }
    *out = v.p;
    return (long)v.n;
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
static char *ident(dbe_xlate_objs *l, const stok *t)
{
    if (t->kind == K_WORD)
        return keepn(l, t->p, t->n);
    if (t->kind != K_QUOTED && t->kind != K_STR)
        return NULL;
    char q = t->p[0], close = q == '[' ? ']' : q;
    char *s = dbf_arena_alloc(&l->mem, t->n);
    if (!s) {
        l->oom = true;
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 1; i + 1 < t->n; i++) {
        s[o++] = t->p[i];
        if (close != ']' && t->p[i] == close && t->p[i + 1] == close)
            i++;
    }
    s[o] = '\0';
    return s;
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
static size_t name_list(dbe_xlate_objs *l, const stok *t, size_t i, size_t end,
                        const char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (i >= end || !is_punct(&t[i], '('))
        return i;
    size_t close = close_paren(t, i, end);
    const char **v = keep_names(l, close - i + 1);
    if (!v)
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

static dbf_object *add(dbe_xlate_objs *l)
{
    dbf_object *o = dbc_vec_push(&l->objs, sizeof *o);
    l->oom |= !o;
    if (o) {
        o->kind = DBF_OBJ_CONSTRAINT;
        o->section = DBF_SEC_POST;
        o->engine = "sqlite";
    }
    return o;
}

/* PostgreSQL's naming: <table>_<col>[_<col>...]_<suffix>. */
static char *auto_name(dbe_xlate_objs *l, const char *table, const char *const *cols,
                       size_t ncols, const char *suffix)
{
    xl_sbuf b = {0};
    xl_sb_puts(&b, table);
    for (size_t i = 0; i < ncols; i++)
        xl_sb_printf(&b, "_%s", cols[i] ? cols[i] : "");
    xl_sb_printf(&b, "_%s", suffix);
    char *s = b.oom ? NULL : keepn(l, b.p, b.len);
    l->oom |= b.oom;
    xl_sb_free(&b);
    return s;
}

/* REFERENCES parent [(cols)] [ON DELETE|UPDATE action] [MATCH x] [[NOT] DEFERRABLE ...] */
static size_t parse_references(dbe_xlate_objs *l, const stok *t, size_t i, size_t end,
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

/* o's columns: the one column col. @return false when out of memory. */
static bool one_column(dbe_xlate_objs *l, dbf_object *o, const char *col)
{
    const char **cv = keep_names(l, 1);
    if (!cv)
        return false;
    cv[0] = col;
    o->columns = cv;
    o->ncolumns = 1;
    return true;
}

/* A new constraint object of table t. */
static dbf_object *add_of(dbe_xlate_objs *l, const dbf_table *t, const char *subtype)
{
    dbf_object *o = add(l);
    if (o) {
        o->subtype = subtype;
        o->table = t->name;
    }
    return o;
}

/* One item of the column list, tokens [a, b): a column definition with its constraints
 * (col: its name) or a table constraint. *checks numbers the unnamed table checks. */
static void parse_item(dbe_xlate_objs *l, const stok *tk, size_t a, size_t b,
                       const dbf_table *t, size_t *checks)
{
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
        dbf_object *o = NULL;
        if (is_word(&tk[i], "CONSTRAINT") && i + 1 < b) {
            cname = ident(l, &tk[i + 1]);
            i += 2;
        } else if (is_word(&tk[i], "FOREIGN") && i + 1 < b && is_word(&tk[i + 1], "KEY")) {
            if (!(o = add_of(l, t, "foreign_key")))
                break;
            i = name_list(l, tk, i + 2, b, (const char ***)&o->columns, &o->ncolumns);
            if (i < b && is_word(&tk[i], "REFERENCES"))
                i = parse_references(l, tk, i, b, o);
            o->name = cname ? cname : auto_name(l, t->name, o->columns, o->ncolumns, "fkey");
            cname = NULL;
        } else if (is_word(&tk[i], "REFERENCES") && col) {
            if (!(o = add_of(l, t, "foreign_key")) || !one_column(l, o, col))
                break;
            i = parse_references(l, tk, i, b, o);
            o->name = cname ? cname : auto_name(l, t->name, &col, 1, "fkey");
            cname = NULL;
        } else if (is_word(&tk[i], "UNIQUE")) {
            if (!(o = add_of(l, t, "unique")))
                break;
            o->unique = true;
            if (col) {
                if (!one_column(l, o, col))
                    break;
                i++;
            } else {
                i = name_list(l, tk, i + 1, b, (const char ***)&o->columns, &o->ncolumns);
            }
            o->name = cname ? cname : auto_name(l, t->name, o->columns, o->ncolumns, "key");
            cname = NULL;
        } else if (is_word(&tk[i], "CHECK") && i + 1 < b && is_punct(&tk[i + 1], '(')) {
            size_t cp = close_paren(tk, i + 1, b);
            if (!(o = add_of(l, t, "check")))
                break;
            if (cp < b && cp > i + 2) {
                const char *st = tk[i + 2].p;
                o->expr = keepn(l, st, (size_t)(tk[cp].p - st));
            }
            char num[24];
            snprintf(num, sizeof num, "check%zu", col ? *checks : ++*checks);
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
}

int dbe_xlate_sqlite_constraints(dbe_xlate_objs **out, const dbf_table *t, dbf_error *err)
{
    int rc = 0;
    stok *tk = NULL;
    *out = NULL;
    dbe_xlate_objs *l = calloc(1, sizeof *l);
    if (!l)
        return dbc_oom(err);
    if (!t->native_sql || !t->name)
        goto done;
    long nt = tokenize(t->native_sql, &tk);
    if (nt == -1) {
        rc = dbc_oom(err);
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
        parse_item(l, tk, a, b, t, &checks);
        a = b + 1;
    }
    if (l->oom)
        rc = dbc_oom(err);
done:
    free(tk);
    if (rc) {
        dbe_xlate_objs_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

size_t dbe_xlate_objs_count(const dbe_xlate_objs *l)
{
    return l ? l->objs.n : 0;
}

const dbf_object *dbe_xlate_objs_get(const dbe_xlate_objs *l, size_t i)
{
    return l && i < l->objs.n ? (const dbf_object *)l->objs.p + i : NULL;
}

void dbe_xlate_objs_free(dbe_xlate_objs *l)
{
    if (!l)
        return;
    dbc_vec_free(&l->objs);
    dbf_arena_free(&l->mem);
    free(l);
}

/* ------------------------------------------------------ declared types (source) */

/* Infer a portable type from a SQLite declared type: SQLite's affinity rules
 * (https://sqlite.org/datatype3.html 3.1) refined by common type names. */
void xl_sqlite_infer(const char *decl, xl_src *o)
{
    char u[128];
    size_t n = 0;
    for (const char *p = decl ? decl : ""; *p && n + 1 < sizeof u; p++)
        u[n++] = (char)toupper((unsigned char)*p);
    u[n] = '\0';
    long a = -1, b = -1;
    char base[128];
    snprintf(base, sizeof base, "%s", u);
    char *par = strchr(base, '(');
    if (par) {
        char *end = NULL;
        a = strtol(par + 1, &end, 10);
        if (end && *end == ',')
            b = strtol(end + 1, NULL, 10);
        if (a < 0 || a > 100000)
            a = -1;
        if (b < 0 || b > 100000)
            b = -1;
        *par = '\0';
    }
    size_t bl = strlen(base);
    while (bl && base[bl - 1] == ' ')
        base[--bl] = '\0';
    memset(o, 0, sizeof *o);
    o->any = true;
    o->length = o->precision = o->scale = -1;
    if (strstr(u, "BOOL")) {
        o->type = DBF_T_BOOL;
    } else if (strstr(u, "TIMESTAMP") && !strstr(u, "WITHOUT TIME ZONE") &&
               (strstr(u, "WITH TIME ZONE") || strstr(u, "TIMESTAMPTZ"))) {
        o->type = DBF_T_TIMESTAMPTZ;
        o->precision = (int32_t)a;
    } else if (strstr(u, "DATETIME") || strstr(u, "TIMESTAMP")) {
        o->type = DBF_T_TIMESTAMP;
        o->precision = (int32_t)a;
    } else if (strcmp(base, "DATE") == 0) {
        o->type = DBF_T_DATE;
    } else if (strcmp(base, "TIME") == 0 || strcmp(base, "TIME WITHOUT TIME ZONE") == 0) {
        o->type = DBF_T_TIME;
        o->precision = (int32_t)a;
    } else if (strstr(u, "INT")) {
        o->type = DBF_T_INT;
        if (strstr(base, "TINYINT"))
            o->bits = 8;
        else if (strstr(base, "SMALLINT") || strcmp(base, "INT2") == 0)
            o->bits = 16;
        else if (strstr(base, "MEDIUMINT"))
            o->bits = 24;
        else
            o->bits = 64;
    } else if (strstr(u, "DECIMAL") || strstr(u, "NUMERIC") || strcmp(base, "NUMBER") == 0) {
        o->type = DBF_T_DECIMAL;
        o->precision = (int32_t)a;
        o->scale = a >= 0 ? (int32_t)(b >= 0 ? b : 0) : -1;
    } else if (strstr(u, "JSON")) {
        o->type = DBF_T_JSON;
    } else if (strstr(u, "UUID") || strstr(u, "GUID")) {
        o->type = DBF_T_UUID;
    } else if (strstr(u, "CHAR") || strstr(u, "CLOB") || strstr(u, "TEXT")) {
        o->type = DBF_T_TEXT;
        if (strstr(base, "CHAR"))
            o->length = (int32_t)a;
    } else if (strstr(u, "BLOB")) {
        o->type = DBF_T_BYTES;
    } else if (u[0] == '\0') {
        o->type = DBF_T_TEXT;
        o->untyped = true;
    } else if (strstr(u, "REAL") || strstr(u, "FLOA") || strstr(u, "DOUB")) {
        o->type = DBF_T_FLOAT64;
    } else {
        o->type = DBF_T_TEXT;
        o->untyped = true;
    }
}

/* ------------------------------------------------------------------ target */

static const xl_tmap lite_types[DBF_T__COUNT] = {
    [DBF_T_BOOL] = {.decl = "BOOLEAN", .why = "booleans stored as integers 0/1"},
    [DBF_T_DECIMAL] = {.decl = "TEXT", .why = "decimals kept as exact text (a NUMERIC column would "
                                      "round them to REAL)"},
    [DBF_T_BYTES] = {.decl = "BLOB"},
    [DBF_T_DATE] = {.decl = "DATE"},
    [DBF_T_TIME] = {.decl = "TIME"},
    [DBF_T_TIMETZ] = {.decl = "TEXT", .as = DBF_T_TEXT, .why = "time with time zone kept as text"},
    [DBF_T_TIMESTAMP] = {.decl = "DATETIME"},
    [DBF_T_TIMESTAMPTZ] = {.decl = "TIMESTAMPTZ"},
    [DBF_T_INTERVAL] = {.decl = "TEXT", .as = DBF_T_TEXT, .why = XL_WHY_INTERVAL},
    [DBF_T_JSON] = {.decl = "TEXT"},
    [DBF_T_ENUM] = {.decl = "TEXT", .as = DBF_T_TEXT, .why = XL_WHY_ENUM},
    [DBF_T_SET] = {.decl = "TEXT", .as = DBF_T_TEXT, .why = XL_WHY_SET},
    [DBF_T_BIT] = {.decl = "BLOB", .as = DBF_T_BYTES, .why = XL_WHY_BITS},
    [DBF_T_ARRAY] = {.decl = "TEXT", .as = DBF_T_TEXT, .why = XL_WHY_ARRAY},
    [DBF_T_NATIVE] = {.decl = "TEXT", .as = DBF_T_TEXT, .why = XL_WHY_NATIVE},
};

static int lite_map_type(xl_map *m, dbf_error *err)
{
    (void)err;
    const xl_src *s = m->s;
    switch (s->type) {
    case DBF_T_INT:
    case DBF_T_YEAR:
        xl_sb_puts(m->decl, "INTEGER");
        if (s->type == DBF_T_INT && s->is_unsigned && s->bits >= 64)
            m->why = "values above 9223372036854775807 are refused (SQLite integers are "
                     "signed 64-bit)";
        break;
    case DBF_T_FLOAT32:
    case DBF_T_FLOAT64:
        xl_sb_puts(m->decl, "REAL");
        m->c->ltype = DBF_T_FLOAT64;
        m->why = "NaN refused (SQLite stores it as NULL), -0.0 refused (stored as 0.0); "
                 "--lossy: NULL and 0.0";
        break;
    case DBF_T_TEXT:
        if (s->length > 0)
            xl_sb_printf(m->decl, "VARCHAR(%d)", (int)s->length);
        else
            xl_sb_puts(m->decl, "TEXT");
        break;
    default: /* DBF_T_UUID */
        xl_map_as(m, "UUID", DBF_T_TEXT, XL_WHY_UUID);
        m->c->l_uuid_keep = true;
        break;
    }
    return 0;
}

/* AUTOINCREMENT exists only on a single-column INTEGER PRIMARY KEY, written inline. */
static bool lite_identity(xl_build *b, const dbf_column *sc, const xl_col *c, dbf_column *tc,
                          bool in_pk, xl_sbuf *col)
{
    (void)c;
    if (b->t->nprimary_key == 1 && in_pk) {
        xl_sb_puts(col, "INTEGER PRIMARY KEY AUTOINCREMENT");
        b->inline_pk = true;
        tc->native_type = "INTEGER";
        return true;
    }
    xl_sb_puts(col, tc->native_type);
    xl_note(b->x, "table \"%s\" column \"%s\": auto-increment dropped (SQLite has it only on a "
                  "single-column INTEGER PRIMARY KEY)",
            b->t->name, sc->name);
    return false;
}

const dbe_dialect xl_sqlite = {
    .id = DBE_SQLITE,
    .quote = '"',
    .ident_nocase = true,
    .storage_classes = true,
    .types = lite_types,
    .dates_zero = true,
    .lit_true = "1",
    .lit_false = "0",
    .now_tz = "CURRENT_TIMESTAMP",
    .now_local = "CURRENT_TIMESTAMP",
    .now_note = "default CURRENT_TIMESTAMP writes UTC without the trailing 'Z'",
    .today = "CURRENT_DATE",
    .curtime = "CURRENT_TIME",
    .uuid_missing = "SQLite has no UUID function",
    .char_length = "length",
    .map_type = lite_map_type,
    .identity = lite_identity,
};

/* ------------------------------------------- target: constraints by rebuild */

/* "CONSTRAINT name FOREIGN KEY ..." or "CONSTRAINT name CHECK (...)" for o into cl. */
static int lite_clause(xl_sbuf *cl, char **why, const dbe_xlate *x, const dbf_header *h,
                       const dbf_object *o, dbf_error *err)
{
    const char *oname = o->name ? o->name : "(unnamed)";
    int rc;
    xl_sb_puts(cl, "CONSTRAINT ");
    if ((rc = xl_put_ident(cl, &xl_sqlite, oname, err)))
        return rc;
    if (strcmp(o->subtype, "foreign_key") == 0) {
        if (!o->ref_table || !o->ncolumns ||
            (o->nref_columns != o->ncolumns && o->nref_columns != 0) ||
            !xl_ref_action_ok(o->on_delete) || !xl_ref_action_ok(o->on_update)) {
            *why = xl_dupf("foreign key \"%s\" on \"%s\": incomplete or unknown reference; not "
                           "created", oname, x->src_table);
            return DBF_EUNSUPPORTED;
        }
        return xl_put_fk(cl, &xl_sqlite, NULL, o, err);
    }
    char *te = o->expr ? xl_check_expr(o->expr, h && h->engine ? h->engine : "?", &xl_sqlite)
                       : NULL;
    if (!te) {
        *why = xl_dupf("check constraint \"%s\" on \"%s\" (%s): expression is not portable; "
                       "not created", oname, x->src_table, o->expr ? o->expr : "?");
        return DBF_EUNSUPPORTED;
    }
    xl_sb_printf(cl, " CHECK (%s)", te);
    free(te);
    return 0;
}

/* CREATE TABLE "t__dbr_rebuild" (<columns of tt>, <constraints>); copy; drop; rename. */
static void lite_rebuild(xl_sbuf *b, const dbe_xlate *x)
{
    xl_sbuf tmp = {0}, q = {0};
    xl_sb_printf(&tmp, "%s__dbr_rebuild", x->tt.name);
    xl_put_quoted(&q, &xl_sqlite, x->tt.name);
    size_t pre = strlen("CREATE TABLE ") + q.len;
    const char *body = x->tt.native_sql + pre; /* " (\n  ...\n)" */
    size_t blen = strlen(body);
    xl_sb_puts(b, "CREATE TABLE ");
    xl_put_quoted(b, &xl_sqlite, tmp.p ? tmp.p : "");
    xl_sb_putn(b, body, blen - 2); /* without "\n)" */
    for (size_t i = 0; i < x->sq_cons.n; i++)
        xl_sb_printf(b, ",\n  %s", ((const char **)x->sq_cons.p)[i]);
    xl_sb_puts(b, "\n);\nINSERT INTO ");
    xl_put_quoted(b, &xl_sqlite, tmp.p ? tmp.p : "");
    xl_sb_puts(b, " SELECT * FROM ");
    xl_sb_putn(b, q.p, q.len);
    xl_sb_puts(b, ";\nDROP TABLE ");
    xl_sb_putn(b, q.p, q.len);
    xl_sb_puts(b, ";\nALTER TABLE ");
    xl_put_quoted(b, &xl_sqlite, tmp.p ? tmp.p : "");
    xl_sb_puts(b, " RENAME TO ");
    xl_sb_putn(b, q.p, q.len);
    xl_sb_free(&tmp);
    xl_sb_free(&q);
}

int dbe_xlate_sqlite_add_constraint(char **out_sql, char **out_note, dbe_xlate *x,
                                    const dbf_header *h, const dbf_object *o, dbf_error *err)
{
    int rc = 0;
    xl_sbuf cl = {0}, b = {0};
    char *why = NULL;
    *out_sql = NULL;
    *out_note = NULL;
    const char *sub = o->subtype ? o->subtype : "";
    if (x->dialect != DBE_SQLITE || o->kind != DBF_OBJ_CONSTRAINT ||
        (strcmp(sub, "foreign_key") != 0 && strcmp(sub, "check") != 0))
        return dbf_error_set(err, DBF_EINVAL, "dbe_xlate_sqlite_add_constraint: a foreign key "
                             "or check constraint for a SQLite target table is needed");
    if ((rc = lite_clause(&cl, &why, x, h, o, err)))
        goto done;
    const char *clause = cl.oom ? NULL : dbf_arena_strndup(&x->mem, cl.p, cl.len);
    if (!clause || dbc_vec_push_ptr(&x->sq_cons, clause)) {
        rc = dbc_oom(err);
        goto done;
    }
    lite_rebuild(&b, x);
    if (b.oom) {
        rc = dbc_oom(err);
        goto done;
    }
    *out_sql = xl_sb_take(&b);
    why = xl_dupf("%s \"%s\" on \"%s\": SQLite cannot add it to an existing table: the table is "
                  "rebuilt with it (its indexes must be created afterwards)",
                  strcmp(sub, "check") == 0 ? "check constraint" : "foreign key",
                  o->name ? o->name : "(unnamed)", x->src_table);
done:
    if (rc == DBF_EUNSUPPORTED && why)
        dbf_error_set(err, rc, "%s", why);
    if (rc == 0 || rc == DBF_EUNSUPPORTED) {
        *out_note = why;
        why = NULL;
    }
    free(why);
    xl_sb_free(&cl);
    xl_sb_free(&b);
    return rc;
}
