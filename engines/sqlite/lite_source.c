/*
 * lite_source.c - SQLite source.
 *
 * Opens the file read-only and holds one read transaction (BEGIN plus a first read) for the
 * whole dump. Everything in sqlite_schema is carried: tables with their CREATE TABLE text
 * verbatim, and indexes, views and triggers as post-data objects in sqlite_schema order.
 * Every column has portable type DBF_T_ANY: each value keeps its own storage class. The rowid
 * of a rowid table without INTEGER PRIMARY KEY travels as an extra DBF_COL_ROWID column.
 * sqlite_stat1 (ANALYZE results) is carried as a table with attr sqlite.internal=1;
 * sqlite_sequence rows become DBF_OBJ_SEQUENCE objects, PRAGMA user_version / application_id
 * post-data settings, and encoding / page_size / auto_vacuum / journal_mode pre-data settings.
 *
 * Text of UTF-16 databases is read through the UTF-8 API, i.e. converted to UTF-8 by SQLite;
 * the source encoding travels as the "encoding" setting (spec/TYPES.md, SQLite).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "dbc_buf.h"
#include "dbc_mem.h"
#include "engine.h"

struct dbe_source {
    sqlite3 *db;          /* read-only connection, inside a read transaction */
    bool in_txn;          /* BEGIN done */
    char *database;       /* file name shown in the header */
    char encoding[32];    /* PRAGMA encoding */
    dbc_vec tables;       /* dbf_table, ids 1..n */
    dbc_vec selects;      /* char *: SELECT statement per table */
    dbc_vec pre;          /* dbf_object: pre-data objects */
    dbc_vec post;         /* dbf_object: post-data objects */
    dbf_arena arena;      /* every string and array the above point to */
    const dbc_select *select; /* -t/-T: virtual tables left out are not even read */
    dbc_vec vtabs;        /* char *: names of the virtual tables (pragma_table_list) */
    dbc_vec shadows;      /* char *: names of their shadow tables */
};

/* ------------------------------------------------------------------ helpers */

static char *sdup(dbe_source *s, const char *str)
{
    return dbf_arena_strdup(&s->arena, str);
}

static void *scalloc(dbe_source *s, size_t n, size_t size)
{
    return dbf_arena_calloc(&s->arena, n, size);
}

static int oom(dbf_error *err)
{
    return dbf_error_set(err, DBF_ENOMEM, "out of memory");
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

static int db_error(dbe_source *s, int code, dbf_error *err, const char *what)
{
    return dbf_error_set(err, code, "SQLite: %s: %s", what, sqlite3_errmsg(s->db));
}

/* Prepare sql into *st with ?1 bound to name (unless NULL); what names it in an error. */
static int prepare(dbe_source *s, sqlite3_stmt **st, const char *sql, const char *name,
                   const char *what, dbf_error *err)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
        return db_error(s, DBC_EBACKEND, err, what);
    if (name)
        sqlite3_bind_text(*st, 1, name, -1, SQLITE_STATIC);
    return 0;
}

/* Run a one-value query; *out is a copy of the text of the first column (NULL ok). */
static int query_text(dbe_source *s, const char *sql, char **out, dbf_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(s, &st, sql, NULL, sql, err);
    *out = NULL;
    if (rc)
        return rc;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        if (t && !(*out = sdup(s, (const char *)t)))
            rc = oom(err);
    } else if (step != SQLITE_DONE) {
        rc = db_error(s, DBC_EBACKEND, err, sql);
    }
    sqlite3_finalize(st);
    return rc;
}

static dbf_object *objvec_add(dbc_vec *ov)
{
    dbf_object *o = dbc_vec_push(ov, sizeof *o);
    if (o)
        o->engine = "sqlite";
    return o;
}

static int add_setting(dbe_source *s, dbc_vec *ov, dbf_section sec, const char *name,
                       const char *pragma, dbf_error *err)
{
    char *val = NULL;
    int rc = query_text(s, pragma, &val, err);
    if (rc)
        return rc;
    dbf_object *o = objvec_add(ov);
    if (!o)
        return oom(err);
    o->kind = DBF_OBJ_SETTING;
    o->section = sec;
    o->name = name;
    o->value = val ? val : "";
    return 0;
}

/* ------------------------------------------------------------------- tables */

/* t: table name of sqlite_schema with its CREATE text. @return false when out of memory. */
static bool table_init(dbe_source *s, dbf_table *t, const char *name, const char *sql)
{
    t->name = sdup(s, name);
    t->native_sql = sdup(s, sql);
    t->engine = "sqlite";
    t->row_estimate = -1;
    return t->name && t->native_sql;
}

/* c: column cname of declared type ctype (none when NULL or empty), of portable type "any".
 * @return false when out of memory. */
static bool any_column(dbe_source *s, dbf_column *c, const char *cname, const char *ctype)
{
    c->name = sdup(s, cname ? cname : "");
    c->type = DBF_T_ANY;
    c->type_name = "any";
    c->length = c->precision = c->scale = -1;
    c->native_type = ctype && *ctype ? sdup(s, ctype) : NULL;
    return c->name && !(ctype && *ctype && !c->native_type);
}

/* True when column col of rowid table tq (quoted) is an alias of the rowid. */
static int is_rowid_alias(dbe_source *s, const char *tq, const char *col, bool *out,
                          dbf_error *err)
{
    int rc = 0;
    sqlite3_stmt *st = NULL;
    char *cq = dbc_quote_ident(col, '"');
    char *sql = cq ? sqlite3_mprintf("EXPLAIN SELECT %s FROM %s NOT INDEXED", cq, tq) : NULL;
    *out = false;
    if (!sql) {
        rc = oom(err);
        goto done;
    }
    if ((rc = prepare(s, &st, sql, NULL, "EXPLAIN of a column read", err)))
        goto done;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *op = (const char *)sqlite3_column_text(st, 1);
        if (op && strcmp(op, "Rowid") == 0)
            *out = true;
    }
    if (step != SQLITE_DONE)
        rc = db_error(s, DBC_EBACKEND, err, "EXPLAIN of a column read");
done:
    sqlite3_finalize(st);
    sqlite3_free(sql);
    free(cq);
    return rc;
}

/* The columns of table name (PRAGMA table_xinfo) into cols after a zeroed slot 0 kept for
 * the rowid, each one's position in the primary key in precision for now; *npk: the key's
 * length. */
static int read_columns(dbe_source *s, const char *name, dbc_vec *cols, size_t *npk,
                        dbf_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc, step = SQLITE_DONE;
    if (!dbc_vec_push(cols, sizeof(dbf_column)))
        return oom(err);
    if ((rc = prepare(s, &st,
                      "SELECT name, type, \"notnull\", dflt_value, pk, hidden "
                      "FROM pragma_table_xinfo(?1) ORDER BY cid",
                      name, "PRAGMA table_xinfo", err)))
        return rc;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        dbf_column *c = dbc_vec_push(cols, sizeof *c);
        if (!c) {
            rc = oom(err);
            break;
        }
        const char *dflt = (const char *)sqlite3_column_text(st, 3);
        int hidden = sqlite3_column_int(st, 5);
        bool ok = any_column(s, c, (const char *)sqlite3_column_text(st, 0),
                             (const char *)sqlite3_column_text(st, 1));
        c->default_expr = dflt ? sdup(s, dflt) : NULL;
        if (sqlite3_column_int(st, 2))
            c->flags |= DBF_COL_NOT_NULL;
        if (hidden == 2 || hidden == 3)
            c->flags |= DBF_COL_GENERATED;
        if (hidden == 1)
            rc = dbf_error_set(err, DBF_EUNSUPPORTED, "table %s: hidden column %s is not supported",
                               name, c->name ? c->name : "?");
        c->precision = sqlite3_column_int(st, 4); /* reset by load_table */
        if (c->precision > 0)
            (*npk)++;
        if (!rc && (!ok || (dflt && !c->default_expr)))
            rc = oom(err);
    }
    if (!rc && step != SQLITE_DONE)
        rc = db_error(s, DBC_EBACKEND, err, "PRAGMA table_xinfo");
    sqlite3_finalize(st);
    return rc;
}

/* The rowid of rowid table tq (quoted): an INTEGER PRIMARY KEY column is it (flagged here);
 * else *out is the first of rowid, _rowid_ and oid that no column takes (NULL: all are). */
static int find_rowid(dbe_source *s, const char *tq, const char *name, dbf_column *cols,
                      size_t ncols, size_t npk, const char **out, dbf_error *err)
{
    static const char *const names[] = {"rowid", "_rowid_", "oid"};
    bool alias = false;
    int rc;
    for (size_t i = 1; npk == 1 && i <= ncols; i++) {
        dbf_column *c = &cols[i];
        if (c->precision == 1 && c->native_type && strcasecmp(c->native_type, "INTEGER") == 0) {
            if ((rc = is_rowid_alias(s, tq, c->name, &alias, err)))
                return rc;
            if (alias)
                c->flags |= DBF_COL_IDENTITY | DBF_COL_NOT_NULL;
        }
    }
    for (size_t k = 0; !alias && k < 3 && !*out; k++) {
        bool used = false;
        for (size_t i = 1; i <= ncols; i++)
            used = used || strcasecmp(cols[i].name, names[k]) == 0;
        if (!used)
            *out = names[k];
    }
    if (!alias && !*out)
        dbc_warn("table %s: columns named rowid, _rowid_ and oid hide the rowid; "
                 "rowids are not preserved",
                 name);
    return 0;
}

static int load_table(dbe_source *s, dbf_table *t, char **select_out, const char *name,
                      const char *sql, dbf_error *err)
{
    int rc = 0;
    sqlite3_stmt *st = NULL;
    char *tq = dbc_quote_ident(name, '"');
    dbc_buf sel = {0};
    bool without_rowid = false, strict = false;
    dbc_vec colv = {0}; /* dbf_column: slot 0 is reserved for the rowid, then the columns */
    size_t npk = 0, na = 0;
    const char *rowid_name = NULL;

    if (!tq || !table_init(s, t, name, sql)) {
        rc = oom(err);
        goto done;
    }
    if ((rc = prepare(s, &st, "SELECT wr, strict FROM pragma_table_list(?1) WHERE schema = 'main'",
                      name, "PRAGMA table_list", err)))
        goto done;
    if (sqlite3_step(st) == SQLITE_ROW) {
        without_rowid = sqlite3_column_int(st, 0) != 0;
        strict = sqlite3_column_int(st, 1) != 0;
    }
    sqlite3_finalize(st);
    st = NULL;
    if ((rc = read_columns(s, name, &colv, &npk, err)))
        goto done;
    dbf_column *cols = colv.p;
    size_t ncols = colv.n - 1;
    if (ncols == 0) {
        rc = dbf_error_set(err, DBC_EBACKEND, "table %s: no columns found", name);
        goto done;
    }

    /* Primary key names in key order. */
    const char **pk = npk > 0 ? scalloc(s, npk, sizeof *pk) : NULL;
    if (npk > 0 && !pk) {
        rc = oom(err);
        goto done;
    }
    for (size_t i = 1; i <= ncols; i++)
        if (cols[i].precision > 0 && (size_t)cols[i].precision <= npk)
            pk[cols[i].precision - 1] = cols[i].name;
    if (!without_rowid &&
        (rc = find_rowid(s, tq, name, cols, ncols, npk, &rowid_name, err)))
        goto done;
    for (size_t i = 1; i <= ncols; i++)
        cols[i].precision = -1;

    dbf_column *first = &cols[1];
    size_t n = ncols;
    if (rowid_name) { /* slot 0 */
        first = &cols[0];
        first->name = rowid_name;
        first->type = DBF_T_ANY;
        first->type_name = "any";
        first->length = first->precision = first->scale = -1;
        first->flags = DBF_COL_ROWID | DBF_COL_NOT_NULL;
        n++;
    }
    dbf_column *final = dbf_arena_memdup(&s->arena, first, n * sizeof *final);
    dbf_kv *attrs = scalloc(s, 4, sizeof *attrs);
    if (!final || !attrs) {
        rc = oom(err);
        goto done;
    }
    t->columns = final;
    t->ncolumns = n;
    t->primary_key = pk;
    t->nprimary_key = npk;
    if (without_rowid)
        attrs[na++] = (dbf_kv){"sqlite.without_rowid", "1"};
    if (strict)
        attrs[na++] = (dbf_kv){"sqlite.strict", "1"};
    if (contains_ci(sql, "AUTOINCREMENT"))
        attrs[na++] = (dbf_kv){"sqlite.autoincrement", "1"};
    if (strncmp(name, "sqlite_", 7) == 0)
        attrs[na++] = (dbf_kv){"sqlite.internal", "1"}; /* sqlite_stat1: made by ANALYZE */
    t->attrs = attrs;
    t->nattrs = na;

    /* SELECT [rowid,] "c1", ... FROM "t" */
    for (size_t i = 0; i < n; i++) {
        dbc_buf_puts(&sel, i ? ", " : "SELECT ");
        dbc_buf_ident(&sel, final[i].name, '"');
    }
    dbc_buf_printf(&sel, " FROM %s", tq);
    if (sel.oom || !(*select_out = sdup(s, sel.p)))
        rc = oom(err);
done:
    sqlite3_finalize(st);
    dbc_buf_free(&sel);
    dbc_vec_free(&colv);
    free(tq);
    return rc;
}

/* A virtual table (FTS3/4/5, R*Tree, ...): its CREATE VIRTUAL TABLE text and declared
 * columns, no rows of its own (attr sqlite.virtual): what it holds lives in its shadow
 * tables, which are dumped as tables (attr sqlite.shadow_of) and restored under it as they
 * were, so the index works without a rebuild (as sqlite3 .dump carries them). */
static int load_vtable(dbe_source *s, dbf_table *t, char **select_out, const char *name,
                       const char *sql, dbf_error *err)
{
    int rc = 0, step;
    sqlite3_stmt *st = NULL;
    dbc_vec cols = {0}; /* dbf_column */
    bool ok = table_init(s, t, name, sql);
    dbf_kv *attrs = scalloc(s, 1, sizeof *attrs);
    *select_out = sdup(s, "SELECT 1 WHERE 0"); /* no rows: see above */
    if (!ok || !attrs || !*select_out)
        return oom(err);
    attrs[0] = (dbf_kv){"sqlite.virtual", "1"};
    t->attrs = attrs;
    t->nattrs = 1;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT name, type FROM pragma_table_xinfo(?1) WHERE hidden = 0 "
                           "ORDER BY cid",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = dbf_error_set(err, DBF_EUNSUPPORTED,
                           "virtual table %s: %s (this SQLite lacks its module? leave it out "
                           "with -T '%s')",
                           name, sqlite3_errmsg(s->db), name);
        goto done;
    }
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        dbf_column *c = dbc_vec_push(&cols, sizeof *c);
        if (!c || !any_column(s, c, (const char *)sqlite3_column_text(st, 0),
                              (const char *)sqlite3_column_text(st, 1))) {
            rc = oom(err);
            goto done;
        }
    }
    if (step != SQLITE_DONE || cols.n == 0) {
        rc = dbf_error_set(err, DBF_EUNSUPPORTED,
                           "virtual table %s: %s (leave it out with -T '%s')", name,
                           cols.n == 0 ? "its columns cannot be read (is its module missing from "
                                    "this SQLite?)"
                                  : sqlite3_errmsg(s->db),
                           name);
        goto done;
    }
    t->columns = dbf_arena_memdup(&s->arena, cols.p, cols.n * sizeof(dbf_column));
    if (!t->columns)
        rc = oom(err);
    t->ncolumns = cols.n;
done:
    sqlite3_finalize(st);
    dbc_vec_free(&cols);
    return rc;
}

/* The virtual tables and their shadow tables (pragma_table_list knows which is which when
 * this SQLite has the module), into s->vtabs and s->shadows. */
static int load_vtab_names(dbe_source *s, dbf_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc, step;
    if ((rc = prepare(s, &st,
                      "SELECT name, type FROM pragma_table_list WHERE schema = 'main' "
                      "AND type IN ('virtual', 'shadow')",
                      NULL, "PRAGMA table_list", err)))
        return rc;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *type = (const char *)sqlite3_column_text(st, 1);
        bool shadow = type && strcmp(type, "shadow") == 0;
        char **e = dbc_vec_push(shadow ? &s->shadows : &s->vtabs, sizeof *e);
        if (!e || !(*e = sdup(s, name ? name : ""))) {
            rc = oom(err);
            break;
        }
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_error(s, DBC_EBACKEND, err, "PRAGMA table_list");
    sqlite3_finalize(st);
    return rc;
}

static bool is_vtab(const dbe_source *s, const char *name)
{
    char *const *vtabs = s->vtabs.p;
    for (size_t i = 0; i < s->vtabs.n; i++)
        if (strcmp(vtabs[i], name) == 0)
            return true;
    return false;
}

/* The virtual table a shadow table belongs to (its name is "<vtab>_<suffix>"), or NULL. */
static const char *shadow_owner(const dbe_source *s, const char *name)
{
    char *const *shadows = s->shadows.p, *const *vtabs = s->vtabs.p;
    const char *best = NULL;
    bool shadow = false;
    for (size_t i = 0; i < s->shadows.n && !shadow; i++)
        shadow = strcmp(shadows[i], name) == 0;
    for (size_t i = 0; shadow && i < s->vtabs.n; i++) {
        size_t n = strlen(vtabs[i]);
        if (strncmp(name, vtabs[i], n) == 0 && name[n] == '_' && (!best || n > strlen(best)))
            best = vtabs[i];
    }
    return best;
}

/* Fill unique and the column list of an index object from the PRAGMAs. */
static int load_index_info(dbe_source *s, dbf_object *o, dbf_error *err)
{
    int rc = 0;
    sqlite3_stmt *st = NULL;
    dbc_vec cols = {0}; /* const char * */
    bool all_named = true;
    if ((rc = prepare(s, &st, "SELECT \"unique\" FROM pragma_index_list(?1) WHERE name = ?2",
                      o->table, "PRAGMA index_list", err)))
        return rc;
    sqlite3_bind_text(st, 2, o->name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        o->unique = sqlite3_column_int(st, 0) != 0;
    sqlite3_finalize(st);
    if ((rc = prepare(s, &st, "SELECT name FROM pragma_index_info(?1) ORDER BY seqno", o->name,
                      "PRAGMA index_info", err)))
        return rc;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 0);
        if (!c) {
            all_named = false;
            continue;
        }
        const char **e = dbc_vec_push(&cols, sizeof *e);
        if (!e || !(*e = sdup(s, c))) {
            rc = oom(err);
            goto done;
        }
    }
    if (all_named && cols.n > 0) {
        o->columns = dbf_arena_memdup(&s->arena, cols.p, cols.n * sizeof(const char *));
        if (!o->columns) {
            rc = oom(err);
            goto done;
        }
        o->ncolumns = cols.n;
    }
done:
    sqlite3_finalize(st);
    dbc_vec_free(&cols);
    return rc;
}

/* ---------------------------------------------------------------- the schema */

/* A table of sqlite_schema: read unless internal (sqlite_stat1 is read) or left out with its
 * virtual table; a shadow table gets attr sqlite.shadow_of. */
static int schema_table(dbe_source *s, const char *name, const char *sql, dbf_error *err)
{
    bool stat1 = strcmp(name, "sqlite_stat1") == 0; /* ANALYZE results: carried */
    if (!stat1 && strncasecmp(name, "sqlite_", 7) == 0) {
        dbc_warn("skipping internal table %s (statistics: run ANALYZE after restore)", name);
        return 0;
    }
    if (!sql)
        return dbf_error_set(err, DBC_EBACKEND, "table %s has no SQL text", name);
    bool vtab = is_vtab(s, name) || strncasecmp(sql, "CREATE VIRTUAL TABLE", 20) == 0;
    const char *owner = vtab ? NULL : shadow_owner(s, name);
    /* -T of a virtual table: neither it nor its shadow tables are read (its module may be
     * missing here) */
    if (!dbc_select_table(s->select, NULL, vtab ? name : owner ? owner : name) &&
        (vtab || owner))
        return 0;
    dbf_table *t = dbc_vec_push(&s->tables, sizeof *t);
    char **sel = t ? dbc_vec_push(&s->selects, sizeof *sel) : NULL;
    if (!sel)
        return oom(err);
    t->id = (uint32_t)s->tables.n;
    int rc = (vtab ? load_vtable : load_table)(s, t, sel, name, sql, err);
    if (rc || !owner)
        return rc;
    /* restored into the table its virtual table makes */
    dbf_kv *a = scalloc(s, t->nattrs + 1, sizeof *a);
    const char *o = sdup(s, owner);
    if (!a || !o)
        return oom(err);
    memcpy(a, t->attrs, t->nattrs * sizeof *a);
    a[t->nattrs] = (dbf_kv){"sqlite.shadow_of", o};
    t->attrs = a;
    t->nattrs++;
    return 0;
}

/* An index, view or trigger of sqlite_schema: a post-data object. */
static int schema_object(dbe_source *s, const char *type, const char *name, const char *tbl,
                         const char *sql, dbf_error *err)
{
    dbf_object *o = objvec_add(&s->post);
    if (!o)
        return oom(err);
    o->kind = type[0] == 'i' ? DBF_OBJ_INDEX : type[0] == 'v' ? DBF_OBJ_VIEW : DBF_OBJ_TRIGGER;
    o->section = DBF_SEC_POST;
    o->name = sdup(s, name);
    o->table = o->kind == DBF_OBJ_VIEW ? NULL : sdup(s, tbl);
    o->sql = sdup(s, sql);
    if (!o->name || !o->sql || (o->kind != DBF_OBJ_VIEW && !o->table))
        return oom(err);
    return o->kind == DBF_OBJ_INDEX ? load_index_info(s, o, err) : 0;
}

/* The rows of sqlite_sequence: one DBF_OBJ_SEQUENCE each. */
static int load_sequences(dbe_source *s, dbf_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc, step;
    if ((rc = prepare(s, &st, "SELECT name, seq FROM sqlite_sequence ORDER BY rowid", NULL,
                      "reading sqlite_sequence", err)))
        return rc;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *seq = (const char *)sqlite3_column_text(st, 1);
        dbf_object *o = objvec_add(&s->post);
        if (o) {
            o->kind = DBF_OBJ_SEQUENCE;
            o->section = DBF_SEC_POST;
            o->subtype = "sqlite_sequence";
            o->name = sdup(s, name ? name : "");
            o->table = o->name;
            o->value = sdup(s, seq ? seq : "0");
        }
        if (!o || !o->name || !o->value) {
            rc = oom(err);
            break;
        }
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_error(s, DBC_EBACKEND, err, "reading sqlite_sequence");
    sqlite3_finalize(st);
    return rc;
}

static int load_schema(dbe_source *s, dbf_error *err)
{
    int rc = 0, step = SQLITE_DONE;
    sqlite3_stmt *st = NULL;
    dbc_vec *pre = &s->pre, *post = &s->post;
    bool has_sequence = false;

    if ((rc = add_setting(s, pre, DBF_SEC_PRE, "encoding", "PRAGMA encoding", err)) ||
        (rc = add_setting(s, pre, DBF_SEC_PRE, "page_size", "PRAGMA page_size", err)) ||
        (rc = add_setting(s, pre, DBF_SEC_PRE, "auto_vacuum", "PRAGMA auto_vacuum", err)) ||
        (rc = add_setting(s, pre, DBF_SEC_PRE, "journal_mode", "PRAGMA journal_mode", err)))
        return rc;
    snprintf(s->encoding, sizeof s->encoding, "%s", ((dbf_object *)pre->p)[0].value);
    if ((rc = load_vtab_names(s, err)) ||
        (rc = prepare(s, &st, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid",
                      NULL, "reading sqlite_schema", err)))
        return rc;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        const char *tbl = (const char *)sqlite3_column_text(st, 2);
        const char *sql = (const char *)sqlite3_column_text(st, 3);
        if (!type || !name)
            continue;
        if (strcmp(type, "table") == 0 && strcmp(name, "sqlite_sequence") == 0)
            has_sequence = true;
        else if (strcmp(type, "table") == 0)
            rc = schema_table(s, name, sql, err);
        else if (sql && (strcmp(type, "index") == 0 || strcmp(type, "view") == 0 ||
                         strcmp(type, "trigger") == 0))
            rc = schema_object(s, type, name, tbl, sql, err);
    }
    if (!rc && step != SQLITE_DONE)
        rc = db_error(s, DBC_EBACKEND, err, "reading sqlite_schema");
    sqlite3_finalize(st);
    if (rc || (has_sequence && (rc = load_sequences(s, err))))
        return rc;
    if ((rc = add_setting(s, post, DBF_SEC_POST, "user_version", "PRAGMA user_version", err)))
        return rc;
    return add_setting(s, post, DBF_SEC_POST, "application_id", "PRAGMA application_id", err);
}

/* ------------------------------------------------------------------ the ops */

static void sqlite_src_close(dbe_source *s)
{
    if (!s)
        return;
    if (s->in_txn)
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(s->db);
    dbc_vec_free(&s->tables);
    dbc_vec_free(&s->selects);
    dbc_vec_free(&s->pre);
    dbc_vec_free(&s->post);
    dbc_vec_free(&s->vtabs);
    dbc_vec_free(&s->shadows);
    dbf_arena_free(&s->arena);
    free(s->database);
    free(s);
}

static int sqlite_src_open(dbe_source **out, const dbe_target *t, const dbe_dump_opts *o,
                           dbf_error *err)
{
    int rc = 0;
    struct stat sb;
    dbe_source *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s)
        return oom(err);
    s->select = o ? o->select : NULL;
    if (stat(t->path, &sb) != 0) {
        rc = dbf_error_set(err, DBC_ECONNECT, "cannot open SQLite database '%s': %s", t->path,
                           strerror(errno));
        goto done;
    }
    if (!S_ISREG(sb.st_mode)) {
        rc = dbf_error_set(err, DBC_ECONNECT, "cannot open SQLite database '%s': not a file",
                           t->path);
        goto done;
    }
    const char *base = strrchr(t->path, '/');
    s->database = strdup(base ? base + 1 : t->path);
    if (!s->database) {
        rc = oom(err);
        goto done;
    }
    /* NOMUTEX: only the reading thread uses this connection (the compression workers never
     * do), and the per-call mutexes cost ~4% of a dump's CPU in sqlite3_column_*. */
    if (sqlite3_open_v2(t->path, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        rc = dbf_error_set(err, DBC_ECONNECT, "cannot open SQLite database '%s': %s", t->path,
                           s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto done;
    }
    sqlite3_busy_timeout(s->db, 10000);
    if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_error(s, DBC_EBACKEND, err, "BEGIN");
        goto done;
    }
    s->in_txn = true;
    /* The first read takes the snapshot (and tells a non-database file apart). */
    if (sqlite3_exec(s->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) !=
        SQLITE_OK) {
        rc = dbf_error_set(err, DBC_ECONNECT, "cannot read SQLite database '%s': %s", t->path,
                           sqlite3_errmsg(s->db));
        goto done;
    }
    rc = load_schema(s, err);
done:
    if (rc) {
        sqlite_src_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

static int sqlite_src_header(dbe_source *s, dbf_header *out, dbf_error *err)
{
    (void)err;
    out->engine = "sqlite";
    out->server_version = sqlite3_libversion();
    out->database = s->database;
    out->encoding = "UTF-8"; /* text values in the archive; source encoding is a setting */
    out->time_zone = NULL;
    return 0;
}

static int sqlite_src_tables(dbe_source *s, const dbf_table **out, size_t *out_n,
                             dbf_error *err)
{
    (void)err;
    *out = s->tables.p;
    *out_n = s->tables.n;
    return 0;
}

static int sqlite_src_objects(dbe_source *s, dbf_section sec, const dbf_object **out,
                              size_t *out_n, dbf_error *err)
{
    (void)err;
    const dbc_vec *v = sec == DBF_SEC_PRE ? &s->pre : &s->post;
    *out = v->p;
    *out_n = v->n;
    return 0;
}

static int sqlite_src_stream_rows(dbe_source *s, const dbf_table *t, dbe_row_fn emit, void *ctx,
                                  dbf_error *err)
{
    int rc = 0;
    sqlite3_stmt *st = NULL;
    dbf_value *vals = NULL;
    size_t idx = t->id - 1;
    uint64_t row = 0;
    if (idx >= s->tables.n || (const dbf_table *)s->tables.p + idx != t)
        return dbf_error_set(err, DBF_EINVAL, "table %s is not from this source", t->name);
    if (sqlite3_prepare_v2(s->db, ((char **)s->selects.p)[idx], -1, &st, NULL) != SQLITE_OK) {
        rc = dbf_error_set(err, DBC_EBACKEND, "SQLite: reading table %s: %s", t->name,
                           sqlite3_errmsg(s->db));
        goto done;
    }
    vals = calloc(t->ncolumns, sizeof *vals);
    if (!vals) {
        rc = oom(err);
        goto done;
    }
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        row++;
        for (size_t i = 0; i < t->ncolumns; i++) {
            int col = (int)i;
            dbf_value *v = &vals[i];
            switch (sqlite3_column_type(st, col)) {
            case SQLITE_INTEGER:
                v->kind = DBF_V_INT;
                v->u.i = sqlite3_column_int64(st, col);
                break;
            case SQLITE_FLOAT:
                v->kind = DBF_V_F64;
                v->u.f64 = sqlite3_column_double(st, col);
                break;
            case SQLITE_TEXT:
                v->kind = DBF_V_STR;
                v->u.s.ptr = (const char *)sqlite3_column_text(st, col);
                v->u.s.len = (size_t)sqlite3_column_bytes(st, col);
                if (!v->u.s.ptr && v->u.s.len == 0)
                    v->u.s.ptr = "";
                break;
            case SQLITE_BLOB:
                v->kind = DBF_V_BIN;
                v->u.s.ptr = sqlite3_column_blob(st, col);
                v->u.s.len = (size_t)sqlite3_column_bytes(st, col);
                break;
            default:
                v->kind = DBF_V_NULL;
                break;
            }
            if ((v->kind == DBF_V_STR || v->kind == DBF_V_BIN) && !v->u.s.ptr &&
                v->u.s.len > 0) {
                rc = dbf_error_set(err, DBF_ENOMEM, "out of memory reading table %s, row %llu",
                                   t->name, (unsigned long long)row);
                goto done;
            }
        }
        if ((rc = emit(ctx, vals, t->ncolumns, err)))
            goto done;
    }
    if (step != SQLITE_DONE)
        rc = dbf_error_set(err, DBC_EBACKEND, "SQLite: reading table %s after row %llu: %s",
                           t->name, (unsigned long long)row, sqlite3_errmsg(s->db));
done:
    sqlite3_finalize(st);
    free(vals);
    return rc;
}

const dbe_source_ops dbe_sqlite_source = {
    .version = DBE_SOURCE_OPS_VERSION,
    .engine = DBE_SQLITE,
    .open = sqlite_src_open,
    .header = sqlite_src_header,
    .tables = sqlite_src_tables,
    .objects = sqlite_src_objects,
    .stream_rows = sqlite_src_stream_rows,
    .close = sqlite_src_close,
};
