/*
 * pg_source.c - PostgreSQL source (libpq).
 *
 * One connection, one REPEATABLE READ READ ONLY transaction. The schema comes from
 * the catalogs (portable column types per spec/TYPES.md plus native DDL for an exact
 * PostgreSQL -> PostgreSQL restore); rows stream through COPY (SELECT ...) TO STDOUT in
 * binary format, one row in memory at a time. dbdump -j N: N-1 more connections (lanes)
 * import the first one's exported snapshot and read tables or key ranges of them at the
 * same time, each with its own per-row scratch.
 */
#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <libpq/libpq-fs.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbc_buf.h"
#include "dbc_mem.h"
#include "engine.h"
#include "pg_copy.h"
#include "pg_ddl.h"
#include "pg_util.h"

/* How a column's binary COPY field becomes a dbf_value. */
typedef enum pg_conv {
    CV_TEXT = 0, /* raw bytes -> str */
    CV_BOOL,
    CV_INT2,
    CV_INT4,
    CV_INT8,
    CV_F4,
    CV_F8,
    CV_NUMERIC,
    CV_BYTES,
    CV_DATE,
    CV_TIME,
    CV_TIMETZ,
    CV_TS,
    CV_TSTZ,
    CV_INTERVAL,
    CV_UUID,
    CV_JSONB,
    CV_ARRAY
} pg_conv;

/* Result of classifying a catalog type. */
typedef struct pg_class_t {
    dbf_type type;
    pg_conv conv;
    dbf_type elem_type; /* DBF_T_ARRAY */
    pg_conv elem_conv;
    unsigned bits;
    int32_t length, precision, scale;
    uint32_t enum_oid; /* enum type (or array element enum type), 0 none */
    int text_cast;     /* 0 none, 1 select col::text, 2 select col::text[] */
} pg_class_t;

typedef struct pg_col {
    pg_conv conv;
    pg_conv elem_conv;
    int attnum;
} pg_col;

typedef struct pg_tab {
    uint32_t oid;
    char relkind;
    const char *qname;   /* schema-qualified, quoted */
    const char *copy_sql; /* COPY (SELECT ...) TO STDOUT (FORMAT binary) */
    const char *select;   /* its select list; a key range's COPY is built from it */
    bool filtered;        /* an extension's table, read with its filter: never split */
    pg_col *cols;
} pg_tab;

/* A connection that reads rows (dbdump -j: lanes 1..n-1 read in lane 0's snapshot) and its
 * per-row scratch. */
typedef struct pg_lane {
    PGconn *conn;        /* lane 0: the source's own */
    dbf_arena row_arena; /* per-row scratch (formatted values, array elements) */
    dbf_value *vals;     /* one row */
    size_t vals_cap;
    char *locked;        /* lanes 1..: per table, its ACCESS SHARE lock is held */
} pg_lane;

struct dbe_source {
    PGconn *conn;
    dbf_arena arena;     /* schema strings and arrays; freed at close */
    pg_lane *lanes;      /* nlanes >= 1; lanes[0].conn is conn */
    unsigned nlanes;
    dbf_table *tables;
    pg_tab *tabs;
    size_t ntables;
    dbc_vec pre, post;   /* dbf_object: pre-data and post-data objects */
    pg_type_row *types;  /* all of pg_type, sorted by oid */
    size_t ntypes;
    char server_version[64];
    char database[256];
    char pg_dump_version[32]; /* the pg_dump whose entries the archive holds; "" none */
    dbf_kv options[1];        /* the header's: DBE_PG_DDL_OPTION */
    bool oom;
};

/* Schemas that never hold user objects. */
#define NSP_FILTER(n)                                                                         \
    "(" n ".nspname NOT IN ('pg_catalog', 'information_schema') AND " n                       \
    ".nspname NOT LIKE 'pg\\_toast%' AND " n ".nspname NOT LIKE 'pg\\_temp\\_%')"
/* Objects that belong to an extension (created by CREATE EXTENSION, not dumped). */
#define NOT_EXT(cls, oid)                                                                     \
    "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend xd WHERE xd.classid = '" cls              \
    "'::pg_catalog.regclass AND xd.objid = " oid " AND xd.deptype = 'e')"

/* ------------------------------------------------------------------ helpers */

static int pg_conn_fail(PGconn *c, dbf_error *err, int code, const char *what)
{
    const char *m = c ? PQerrorMessage(c) : "";
    return dbf_error_set(err, code, "PostgreSQL: %s: %.*s", what, (int)pg_msg_len(m), m);
}

static int pg_fail(dbe_source *s, dbf_error *err, int code, const char *what)
{
    return pg_conn_fail(s ? s->conn : NULL, err, code, what);
}

/* Run a query; NULL on failure with err filled. Params are text. */
static PGresult *pg_q(dbe_source *s, const char *sql, int nparams, const char *const *params,
                      ExecStatusType want, const char *what, dbf_error *err)
{
    PGresult *r = nparams ? PQexecParams(s->conn, sql, nparams, NULL, params, NULL, NULL, 0)
                          : PQexec(s->conn, sql);
    if (!r || PQresultStatus(r) != want) {
        const char *m = r ? PQresultErrorMessage(r) : PQerrorMessage(s->conn);
        dbf_error_set(err, DBC_EBACKEND, "PostgreSQL: %s: %.*s", what, (int)pg_msg_len(m), m);
        PQclear(r);
        return NULL;
    }
    return r;
}

/* A statement without rows on connection c. */
static int conn_exec(PGconn *c, const char *sql, dbf_error *err)
{
    PGresult *r = PQexec(c, sql);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : pg_conn_fail(c, err, DBC_EBACKEND, sql);
    PQclear(r);
    return rc;
}

static int pg_exec(dbe_source *s, const char *sql, dbf_error *err)
{
    return conn_exec(s->conn, sql, err);
}

/* A copy of str in the arena (NULL stays NULL); s->oom set when out of memory. */
static char *sdup(dbe_source *s, const char *str)
{
    char *p = dbf_arena_strdup(&s->arena, str);
    s->oom |= str != NULL && p == NULL;
    return p;
}

/* Value of a result cell, not copied; NULL for SQL NULL. */
static const char *val(PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

/* Value of a result cell copied into the arena; NULL for SQL NULL. */
static const char *cell(dbe_source *s, PGresult *r, int row, int col)
{
    return sdup(s, val(r, row, col));
}

static const char *arena_str(dbe_source *s, const dbc_buf *b)
{
    if (b->oom) {
        s->oom = true;
        return NULL;
    }
    return sdup(s, b->p ? b->p : "");
}

static int64_t cell_i64(PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? -1 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static bool cell_bool(PGresult *r, int row, int col)
{
    return !PQgetisnull(r, row, col) && PQgetvalue(r, row, col)[0] == 't';
}

/* Split a chr(1)-separated list into an arena array. */
static const char *const *split_list(dbe_source *s, const char *list, size_t *out_n)
{
    *out_n = 0;
    if (!list || !*list)
        return NULL;
    size_t n = 1;
    for (const char *p = list; *p; p++)
        n += *p == '\x01';
    const char **v = dbf_arena_alloc(&s->arena, n * sizeof(*v));
    char *copy = sdup(s, list);
    if (!v || !copy) {
        s->oom = true;
        return NULL;
    }
    size_t i = 0;
    char *p = copy;
    for (;;) {
        v[i++] = p;
        char *sep = strchr(p, '\x01');
        if (!sep)
            break;
        *sep = '\0';
        p = sep + 1;
    }
    *out_n = i;
    return v;
}

static dbf_object *obj_push(dbe_source *s, dbc_vec *v)
{
    dbf_object *o = dbc_vec_push(v, sizeof(*o));
    if (o)
        o->engine = "postgresql";
    s->oom |= o == NULL;
    return o;
}

static dbf_object *obj_new(dbe_source *s, dbf_section sec, dbf_object_kind kind,
                           const char *subtype, const char *schema, const char *name,
                           const char *sql)
{
    dbf_object *o = obj_push(s, sec == DBF_SEC_PRE ? &s->pre : &s->post);
    if (!o)
        return NULL;
    o->kind = kind;
    o->section = sec;
    o->subtype = subtype;
    o->schema = schema;
    o->name = name;
    o->sql = sql;
    return o;
}

/* o's one attribute. @return false when out of memory (s->oom set). */
static bool set_attr(dbe_source *s, dbf_object *o, const char *key, const char *value)
{
    dbf_kv *kv = dbf_arena_alloc(&s->arena, sizeof(*kv));
    s->oom |= kv == NULL;
    if (!kv)
        return false;
    kv->key = key;
    kv->value = value;
    o->attrs = kv;
    o->nattrs = 1;
    return true;
}

/* Append "COMMENT ON <what> IS 'text';" when the comment is not NULL, what printed by fmt. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void add_comment(dbe_source *s, dbc_buf *b, const char *comment, const char *fmt, ...)
{
    if (!comment)
        return;
    char what[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    char *lit = PQescapeLiteral(s->conn, comment, strlen(comment));
    if (!lit) {
        b->oom = true;
        return;
    }
    dbc_buf_printf(b, "\nCOMMENT ON %s IS %s;", what, lit);
    PQfreemem(lit);
}


/* ------------------------------------------------------------- type mapping */

static const pg_type_row *type_find(const dbe_source *s, uint32_t oid)
{
    return pg_type_find(s->types, s->ntypes, oid);
}

static int load_types(dbe_source *s, dbf_error *err)
{
    PGresult *r = pg_q(s, PG_TYPES_SQL, 0, NULL, PGRES_TUPLES_OK, "reading pg_type", err);
    if (!r)
        return err->code;
    int rc = pg_type_rows(&s->types, &s->ntypes, r);
    PQclear(r);
    if (rc)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory reading pg_type");
    return 0;
}

/* Map a scalar (non-array, non-domain) type. */
static void classify_base(const pg_type_row *t, uint32_t oid, int32_t typmod, pg_class_t *c)
{
    c->type = DBF_T_NATIVE;
    c->conv = CV_TEXT;
    c->text_cast = 1;
    switch (oid) {
    case 16: c->type = DBF_T_BOOL; c->conv = CV_BOOL; break;
    case 21: c->type = DBF_T_INT; c->conv = CV_INT2; c->bits = 16; break;
    case 23: c->type = DBF_T_INT; c->conv = CV_INT4; c->bits = 32; break;
    case 20: c->type = DBF_T_INT; c->conv = CV_INT8; c->bits = 64; break;
    case 700: c->type = DBF_T_FLOAT32; c->conv = CV_F4; break;
    case 701: c->type = DBF_T_FLOAT64; c->conv = CV_F8; break;
    case 1700:
        c->type = DBF_T_DECIMAL;
        c->conv = CV_NUMERIC;
        if (typmod >= 4) {
            c->precision = ((typmod - 4) >> 16) & 0xffff;
            c->scale = (((typmod - 4) & 0x7ff) ^ 1024) - 1024; /* may be negative (PG 15) */
        }
        break;
    case 25: c->type = DBF_T_TEXT; c->conv = CV_TEXT; break;
    case 19: c->type = DBF_T_TEXT; c->conv = CV_TEXT; c->length = 63; break;
    case 1043:
    case 1042:
        c->type = DBF_T_TEXT;
        c->conv = CV_TEXT;
        c->length = typmod >= 4 ? typmod - 4 : (oid == 1042 ? 1 : -1);
        if (oid == 1042 && typmod < 4)
            c->length = -1;
        break;
    case 17: c->type = DBF_T_BYTES; c->conv = CV_BYTES; break;
    case 1082: c->type = DBF_T_DATE; c->conv = CV_DATE; break;
    case 1083: c->type = DBF_T_TIME; c->conv = CV_TIME; c->precision = typmod; break;
    case 1266: c->type = DBF_T_TIMETZ; c->conv = CV_TIMETZ; c->precision = typmod; break;
    case 1114: c->type = DBF_T_TIMESTAMP; c->conv = CV_TS; c->precision = typmod; break;
    case 1184: c->type = DBF_T_TIMESTAMPTZ; c->conv = CV_TSTZ; c->precision = typmod; break;
    case 1186:
        c->type = DBF_T_INTERVAL;
        c->conv = CV_INTERVAL;
        c->precision = (typmod >= 0 && (typmod & 0xffff) != 0xffff) ? (typmod & 0xffff) : -1;
        break;
    case 2950: c->type = DBF_T_UUID; c->conv = CV_UUID; break;
    case 114: c->type = DBF_T_JSON; c->conv = CV_TEXT; break;
    case 3802: c->type = DBF_T_JSON; c->conv = CV_JSONB; break;
    default:
        if (t && t->typtype == 'e') {
            c->type = DBF_T_ENUM;
            c->conv = CV_TEXT;
            c->enum_oid = oid;
        }
        break;
    }
    if (c->type != DBF_T_NATIVE)
        c->text_cast = 0;
    if (c->precision < -1)
        c->precision = -1;
}

static void classify(const dbe_source *s, uint32_t oid, int32_t typmod, pg_class_t *c)
{
    memset(c, 0, sizeof(*c));
    c->length = c->precision = c->scale = -1;
    const pg_type_row *t = type_find(s, oid);
    for (int guard = 0; t && t->typtype == 'd' && guard < 32; guard++) {
        if (t->typmod != -1)
            typmod = t->typmod;
        oid = t->basetype;
        t = type_find(s, oid);
    }
    bool is_array = t && t->category == 'A' && t->elem != 0 && t->typlen == -1;
    if (!is_array) {
        classify_base(t, oid, typmod, c);
        return;
    }
    pg_class_t e;
    memset(&e, 0, sizeof(e));
    e.length = e.precision = e.scale = -1;
    uint32_t eoid = t->elem;
    const pg_type_row *et = type_find(s, eoid);
    for (int guard = 0; et && et->typtype == 'd' && guard < 32; guard++) {
        if (et->typmod != -1)
            typmod = et->typmod;
        eoid = et->basetype;
        et = type_find(s, eoid);
    }
    if (et && et->category == 'A' && et->elem != 0 && et->typlen == -1) {
        /* array of a domain over an array: no portable form */
        c->type = DBF_T_NATIVE;
        c->conv = CV_TEXT;
        c->text_cast = 1;
        return;
    }
    classify_base(et, eoid, typmod, &e);
    c->type = DBF_T_ARRAY;
    c->conv = CV_ARRAY;
    c->elem_type = e.type;
    c->elem_conv = e.conv;
    c->bits = e.bits;
    c->length = e.length;
    c->precision = e.precision;
    c->scale = e.scale;
    c->enum_oid = e.enum_oid;
    c->text_cast = e.text_cast ? 2 : 0;
}

/* ------------------------------------------------------------------ schema */

static int load_schemas(dbe_source *s, dbf_error *err)
{
    PGresult *r = pg_q(s,
                       "SELECT n.nspname, pg_catalog.quote_ident(n.nspname), "
                       "pg_catalog.obj_description(n.oid, 'pg_namespace') "
                       "FROM pg_catalog.pg_namespace n WHERE " NSP_FILTER("n") " AND "
                       NOT_EXT("pg_namespace", "n.oid") " ORDER BY n.nspname",
                       0, NULL, PGRES_TUPLES_OK, "reading schemas", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r); i++) {
        dbc_buf b = {0};
        const char *q = PQgetvalue(r, i, 1);
        dbc_buf_printf(&b, "CREATE SCHEMA IF NOT EXISTS %s;", q);
        if (strcmp(PQgetvalue(r, i, 0), "public") != 0)
            add_comment(s, &b, val(r, i, 2), "SCHEMA %s", q);
        const char *name = cell(s, r, i, 0);
        dbf_object *o = obj_new(s, DBF_SEC_PRE, DBF_OBJ_SCHEMA, NULL, NULL, name, arena_str(s, &b));
        dbc_buf_free(&b);
        if (!o)
            break;
    }
    PQclear(r);
    return 0;
}

static int load_extensions(dbe_source *s, dbf_error *err)
{
    PGresult *r = pg_q(s,
                       "SELECT e.extname, pg_catalog.format('CREATE EXTENSION IF NOT EXISTS %I "
                       "WITH SCHEMA %I;', e.extname, n.nspname), n.nspname "
                       "FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n "
                       "ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql' ORDER BY e.oid",
                       0, NULL, PGRES_TUPLES_OK, "reading extensions", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r); i++)
        obj_new(s, DBF_SEC_PRE, DBF_OBJ_NATIVE, "extension", cell(s, r, i, 2), cell(s, r, i, 0),
                cell(s, r, i, 1));
    PQclear(r);
    return 0;
}

static int load_types_ddl(dbe_source *s, dbf_error *err)
{
    static const char sql[] =
        "SELECT t.oid, t.typtype, pg_catalog.format('%I.%I', n.nspname, t.typname), "
        " n.nspname, t.typname, pg_catalog.obj_description(t.oid, 'pg_type'), "
        " (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(e.enumlabel), ', ' "
        "   ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid), "
        " pg_catalog.format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault, "
        " (SELECT pg_catalog.format(' COLLATE %I.%I', cn.nspname, co.collname) "
        "   FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn "
        "   ON cn.oid = co.collnamespace WHERE co.oid = t.typcollation AND t.typtype = 'd' "
        "   AND t.typcollation <> (SELECT bt.typcollation FROM pg_catalog.pg_type bt "
        "   WHERE bt.oid = t.typbasetype)), "
        " (SELECT pg_catalog.string_agg(pg_catalog.format(' CONSTRAINT %I %s', dc.conname, "
        "   pg_catalog.pg_get_constraintdef(dc.oid)), '' ORDER BY dc.conname) "
        "   FROM pg_catalog.pg_constraint dc WHERE dc.contypid = t.oid), "
        " (SELECT pg_catalog.string_agg(pg_catalog.format('%I %s', a.attname, "
        "   pg_catalog.format_type(a.atttypid, a.atttypmod)) || "
        "   CASE WHEN a.attcollation <> at.typcollation THEN (SELECT pg_catalog.format("
        "   ' COLLATE %I.%I', cn.nspname, co.collname) FROM pg_catalog.pg_collation co "
        "   JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace "
        "   WHERE co.oid = a.attcollation) ELSE '' END, ', ' ORDER BY a.attnum) "
        "   FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type at ON at.oid = a.atttypid "
        "   WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), "
        " (SELECT 'subtype = ' || pg_catalog.format_type(rg.rngsubtype, NULL) || "
        "   CASE WHEN rg.rngsubdiff <> 0 THEN ', subtype_diff = ' || rg.rngsubdiff::pg_catalog"
        "   .regproc::text ELSE '' END FROM pg_catalog.pg_range rg WHERE rg.rngtypid = t.oid) "
        "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
        "WHERE " NSP_FILTER("n") " AND " NOT_EXT("pg_type", "t.oid") " AND ("
        " t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT c.relkind FROM "
        " pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c')) ORDER BY t.oid";
    PGresult *r = pg_q(s, sql, 0, NULL, PGRES_TUPLES_OK, "reading types", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r); i++) {
        char tt = PQgetvalue(r, i, 1)[0];
        const char *q = PQgetvalue(r, i, 2);
        const char *subtype = "enum";
        dbc_buf b = {0};
        if (tt == 'e') {
            dbc_buf_printf(&b, "CREATE TYPE %s AS ENUM (%s);", q,
                          PQgetisnull(r, i, 6) ? "" : PQgetvalue(r, i, 6));
        } else if (tt == 'd') {
            subtype = "domain";
            dbc_buf_printf(&b, "CREATE DOMAIN %s AS %s%s", q, PQgetvalue(r, i, 7),
                          PQgetisnull(r, i, 10) ? "" : PQgetvalue(r, i, 10));
            if (!PQgetisnull(r, i, 9))
                dbc_buf_printf(&b, " DEFAULT %s", PQgetvalue(r, i, 9));
            if (cell_bool(r, i, 8))
                dbc_buf_puts(&b, " NOT NULL");
            if (!PQgetisnull(r, i, 11))
                dbc_buf_puts(&b, PQgetvalue(r, i, 11));
            dbc_buf_puts(&b, ";");
        } else if (tt == 'c') {
            subtype = "composite";
            dbc_buf_printf(&b, "CREATE TYPE %s AS (%s);", q,
                          PQgetisnull(r, i, 12) ? "" : PQgetvalue(r, i, 12));
        } else {
            subtype = "range";
            dbc_buf_printf(&b, "CREATE TYPE %s AS RANGE (%s);", q,
                          PQgetisnull(r, i, 13) ? "" : PQgetvalue(r, i, 13));
        }
        add_comment(s, &b, val(r, i, 5), "%s %s", tt == 'd' ? "DOMAIN" : "TYPE", q);
        dbf_object *o = obj_new(s, DBF_SEC_PRE, DBF_OBJ_TYPE, subtype, cell(s, r, i, 3),
                                cell(s, r, i, 4), arena_str(s, &b));
        dbc_buf_free(&b);
        if (!o)
            break;
    }
    PQclear(r);
    return 0;
}

/* User collations (before the domains and tables that use them). */
static int load_collations(dbe_source *s, dbf_error *err)
{
    static const char sql[] =
        "SELECT n.nspname, co.collname, pg_catalog.format('CREATE COLLATION %I.%I (', "
        " n.nspname, co.collname) || CASE co.collprovider "
        " WHEN 'i' THEN pg_catalog.format('provider = icu, locale = %L', "
        "  COALESCE(pg_catalog.to_jsonb(co) ->> 'colliculocale', "
        "  pg_catalog.to_jsonb(co) ->> 'colllocale', co.collcollate)) "
        " ELSE pg_catalog.format('provider = libc, lc_collate = %L, lc_ctype = %L', "
        "  co.collcollate, co.collctype) END || "
        " CASE WHEN co.collisdeterministic THEN '' ELSE ', deterministic = false' END || ');' "
        " || COALESCE(pg_catalog.format(E'\\nCOMMENT ON COLLATION %I.%I IS %L;', n.nspname, "
        " co.collname, pg_catalog.obj_description(co.oid, 'pg_collation')), '') "
        "FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace n "
        "ON n.oid = co.collnamespace WHERE co.collprovider IN ('c', 'i') AND "
        NSP_FILTER("n") " AND " NOT_EXT("pg_collation", "co.oid") " ORDER BY co.oid";
    PGresult *r = pg_q(s, sql, 0, NULL, PGRES_TUPLES_OK, "reading collations", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && !s->oom; i++)
        obj_new(s, DBF_SEC_PRE, DBF_OBJ_NATIVE, "collation", cell(s, r, i, 0), cell(s, r, i, 1),
                cell(s, r, i, 2));
    PQclear(r);
    return s->oom ? dbf_error_set(err, DBF_ENOMEM, "out of memory reading collations") : 0;
}

/* Ordinary aggregates (CREATE AGGREGATE) for the portable schema; every other kind comes
 * with pg_dump's entries. */
static int load_aggregates(dbe_source *s, dbf_error *err)
{
    static const char sql[] =
        "SELECT n.nspname, p.proname, pg_catalog.format('CREATE AGGREGATE %I.%I(%s) (', "
        " n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)) || "
        " 'SFUNC = ' || a.aggtransfn::pg_catalog.regproc::text || ', STYPE = ' || "
        " pg_catalog.format_type(a.aggtranstype, NULL) || "
        " CASE WHEN a.aggtransspace <> 0 THEN ', SSPACE = ' || a.aggtransspace ELSE '' END || "
        " CASE WHEN a.aggfinalfn <> 0 THEN ', FINALFUNC = ' || "
        "  a.aggfinalfn::pg_catalog.regproc::text ELSE '' END || "
        " CASE WHEN a.aggfinalextra THEN ', FINALFUNC_EXTRA' ELSE '' END || "
        " CASE WHEN a.aggfinalfn <> 0 AND a.aggfinalmodify <> 'r' THEN ', FINALFUNC_MODIFY = ' "
        "  || CASE a.aggfinalmodify WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END "
        "  ELSE '' END || "
        " CASE WHEN a.aggcombinefn <> 0 THEN ', COMBINEFUNC = ' || "
        "  a.aggcombinefn::pg_catalog.regproc::text ELSE '' END || "
        " CASE WHEN a.aggserialfn <> 0 THEN ', SERIALFUNC = ' || "
        "  a.aggserialfn::pg_catalog.regproc::text || ', DESERIALFUNC = ' || "
        "  a.aggdeserialfn::pg_catalog.regproc::text ELSE '' END || "
        " CASE WHEN a.agginitval IS NOT NULL THEN ', INITCOND = ' || "
        "  pg_catalog.quote_literal(a.agginitval) ELSE '' END || "
        " CASE WHEN a.aggsortop <> 0 THEN ', SORTOP = OPERATOR(' || "
        "  a.aggsortop::pg_catalog.regoperator::text || ')' ELSE '' END || "
        " CASE p.proparallel WHEN 's' THEN ', PARALLEL = SAFE' WHEN 'r' THEN "
        "  ', PARALLEL = RESTRICTED' ELSE '' END || ');' || "
        " COALESCE(pg_catalog.format(E'\\nCOMMENT ON AGGREGATE %I.%I(%s) IS %L;', n.nspname, "
        "  p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid), "
        "  pg_catalog.obj_description(p.oid, 'pg_proc')), ''), "
        " pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, "
        "  pg_catalog.pg_get_function_identity_arguments(p.oid)) "
        "FROM pg_catalog.pg_aggregate a JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
        "WHERE a.aggkind = 'n' AND a.aggmtransfn = 0 AND " NSP_FILTER("n") " AND "
        NOT_EXT("pg_proc", "p.oid") " ORDER BY p.oid";
    PGresult *r = pg_q(s, sql, 0, NULL, PGRES_TUPLES_OK, "reading aggregates", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && !s->oom; i++) {
        dbf_object *o = obj_new(s, DBF_SEC_PRE, DBF_OBJ_NATIVE, "aggregate", cell(s, r, i, 0),
                                cell(s, r, i, 1), cell(s, r, i, 2));
        if (!o || !set_attr(s, o, "postgresql.signature", cell(s, r, i, 3)))
            break;
    }
    PQclear(r);
    return s->oom ? dbf_error_set(err, DBF_ENOMEM, "out of memory reading aggregates") : 0;
}

/* Functions and procedures; those with an SQL-standard body go after the tables. */
static int load_functions(dbe_source *s, dbf_error *err)
{
    bool v14 = PQserverVersion(s->conn) >= 140000;
    dbc_buf q = {0};
    dbc_buf_puts(&q,
                "SELECT pg_catalog.pg_get_functiondef(p.oid), p.prokind, n.nspname, "
                " p.proname, pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, "
                " pg_catalog.pg_get_function_identity_arguments(p.oid)), "
                " pg_catalog.obj_description(p.oid, 'pg_proc'), ");
    dbc_buf_puts(&q, v14 ? "p.prosqlbody IS NOT NULL" : "false");
    dbc_buf_puts(&q, " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n "
                    "ON n.oid = p.pronamespace WHERE " NSP_FILTER("n") " AND "
                    NOT_EXT("pg_proc", "p.oid") " AND p.prokind IN ('f', 'p', 'w') "
                    "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend td WHERE td.classid = "
                    "'pg_catalog.pg_proc'::pg_catalog.regclass AND td.objid = p.oid AND "
                    "td.deptype = 'i') "
                    "ORDER BY p.oid");
    if (q.oom)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    PGresult *r = pg_q(s, q.p, 0, NULL, PGRES_TUPLES_OK, "reading functions", err);
    dbc_buf_free(&q);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r); i++) {
        bool proc = PQgetvalue(r, i, 1)[0] == 'p';
        dbc_buf b = {0};
        dbc_buf_printf(&b, "%s;", PQgetvalue(r, i, 0));
        add_comment(s, &b, val(r, i, 5), "%s %s", proc ? "PROCEDURE" : "FUNCTION",
                    PQgetvalue(r, i, 4));
        dbf_section sec = cell_bool(r, i, 6) ? DBF_SEC_POST : DBF_SEC_PRE;
        dbf_object *o = obj_new(s, sec, DBF_OBJ_NATIVE, proc ? "procedure" : "function",
                                cell(s, r, i, 2), cell(s, r, i, 3), arena_str(s, &b));
        dbc_buf_free(&b);
        if (!o || !set_attr(s, o, "postgresql.signature", cell(s, r, i, 4)))
            break;
    }
    PQclear(r);
    return 0;
}

/* Identity sequence options of a column, kept for the CREATE TABLE text. */
typedef struct pg_ident {
    uint32_t table_oid;
    int attnum;
    const char *options; /* "SEQUENCE NAME ... START WITH ..." */
} pg_ident;

/* Sequence row i of load_sequences' query: an identity column's options into idents, else
 * CREATE SEQUENCE (pre-data) and its OWNED BY (post-data, into owned). */
static void sequence_definition(dbe_source *s, PGresult *r, int i, pg_ident *idents, size_t *nid,
                                dbc_vec *owned)
{
    const char *q = PQgetvalue(r, i, 1);
    char deptype = PQgetisnull(r, i, 11) ? 0 : PQgetvalue(r, i, 11)[0];
    dbc_buf opt = {0}, b = {0};
    dbc_buf_printf(&opt, "START WITH %s INCREMENT BY %s MINVALUE %s MAXVALUE %s CACHE %s%s",
                  PQgetvalue(r, i, 5), PQgetvalue(r, i, 6), PQgetvalue(r, i, 7),
                  PQgetvalue(r, i, 8), PQgetvalue(r, i, 9), cell_bool(r, i, 10) ? " CYCLE" : "");
    if (deptype == 'i') {
        dbc_buf_printf(&b, "SEQUENCE NAME %s %s", q, opt.p ? opt.p : "");
        idents[*nid].table_oid = (uint32_t)strtoul(PQgetvalue(r, i, 12), NULL, 10);
        idents[*nid].attnum = atoi(PQgetvalue(r, i, 13));
        idents[(*nid)++].options = arena_str(s, &b);
        goto done;
    }
    dbc_buf_printf(&b, "CREATE %sSEQUENCE %s AS %s %s;",
                  PQgetvalue(r, i, 17)[0] == 'u' ? "UNLOGGED " : "", q, PQgetvalue(r, i, 4),
                  opt.p ? opt.p : "");
    add_comment(s, &b, val(r, i, 16), "SEQUENCE %s", q);
    dbf_object *o = obj_new(s, DBF_SEC_PRE, DBF_OBJ_SEQUENCE, "definition", cell(s, r, i, 2),
                            cell(s, r, i, 3), arena_str(s, &b));
    if (o && deptype == 'a' && !PQgetisnull(r, i, 15)) {
        dbc_buf_reset(&b);
        dbc_buf_printf(&b, "ALTER SEQUENCE %s OWNED BY %s.%s;", q, PQgetvalue(r, i, 14),
                      PQgetvalue(r, i, 15));
        dbf_object *oo = obj_push(s, owned);
        if (oo) {
            oo->kind = DBF_OBJ_NATIVE;
            oo->section = DBF_SEC_POST;
            oo->subtype = "sequence_owned_by";
            oo->schema = o->schema;
            oo->name = o->name;
            oo->sql = arena_str(s, &b);
        }
    }
done:
    dbc_buf_free(&b);
    dbc_buf_free(&opt);
}

/* Sequence row i's current value: a setval after the data. */
static int sequence_value(dbe_source *s, PGresult *r, int i, dbf_error *err)
{
    const char *q = PQgetvalue(r, i, 1);
    dbc_buf b = {0};
    dbc_buf_printf(&b, "SELECT last_value, is_called FROM %s", q);
    PGresult *vr = b.oom ? NULL : pg_q(s, b.p, 0, NULL, PGRES_TUPLES_OK, "reading a sequence", err);
    dbc_buf_free(&b);
    if (!vr)
        return err->code ? err->code : dbf_error_set(err, DBF_ENOMEM, "out of memory");
    bool called = cell_bool(vr, 0, 1);
    char *lit = PQescapeLiteral(s->conn, q, strlen(q));
    dbc_buf_printf(&b, "SELECT pg_catalog.setval(%s, %s, %s);", lit ? lit : "''",
                  PQgetvalue(vr, 0, 0), called ? "true" : "false");
    PQfreemem(lit);
    dbf_object *so = obj_new(s, DBF_SEC_POST, DBF_OBJ_SEQUENCE, "value", cell(s, r, i, 2),
                             cell(s, r, i, 3), arena_str(s, &b));
    dbc_buf_free(&b);
    if (so) {
        so->value = cell(s, vr, 0, 0);
        /* The value of a serial or identity column's sequence goes with its table (and is
         * left out with it by -t/-T): `table` is the owner's name, in the sequence's
         * schema (an owner in another schema is not named). */
        const char *dep = val(r, i, 11); /* 'a' serial, 'i' identity, NULL neither */
        if (dep && *dep && !PQgetisnull(r, i, 19) &&
            strcmp(PQgetvalue(r, i, 18), PQgetvalue(r, i, 2)) == 0)
            so->table = cell(s, r, i, 19);
        set_attr(s, so, "is_called", called ? "true" : "false");
    }
    PQclear(vr);
    return 0;
}

static int load_sequences(dbe_source *s, pg_ident **out_idents, size_t *out_n, dbf_error *err)
{
    static const char sql[] =
        "SELECT c.oid, pg_catalog.format('%I.%I', n.nspname, c.relname), n.nspname, c.relname, "
        " pg_catalog.format_type(sq.seqtypid, NULL), sq.seqstart, sq.seqincrement, sq.seqmin, "
        " sq.seqmax, sq.seqcache, sq.seqcycle, d.deptype, d.refobjid, d.refobjsubid, "
        " CASE WHEN tc.oid IS NOT NULL THEN pg_catalog.format('%I.%I', tn.nspname, tc.relname) END,"
        " pg_catalog.quote_ident(a.attname), "
        " pg_catalog.obj_description(c.oid, 'pg_class'), c.relpersistence, tn.nspname, "
        " tc.relname "
        "FROM pg_catalog.pg_sequence sq JOIN pg_catalog.pg_class c ON c.oid = sq.seqrelid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
        " AND d.objid = c.oid AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass "
        " AND d.deptype IN ('a', 'i') "
        "LEFT JOIN pg_catalog.pg_class tc ON tc.oid = d.refobjid "
        "LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace "
        "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid "
        " AND a.attnum = d.refobjsubid "
        "WHERE " NSP_FILTER("n") " AND (" NOT_EXT("pg_class", "c.oid") " OR c.oid IN "
        " (SELECT pg_catalog.unnest(x.extconfig) FROM pg_catalog.pg_extension x)) "
        " AND c.relpersistence <> 't' "
        "ORDER BY c.oid";
    PGresult *r = pg_q(s, sql, 0, NULL, PGRES_TUPLES_OK, "reading sequences", err);
    if (!r)
        return err->code;
    int n = PQntuples(r), rc = 0;
    pg_ident *idents = calloc((size_t)n + 1, sizeof(*idents));
    size_t nid = 0;
    dbc_vec owned = {0}; /* dbf_object */
    for (int i = 0; i < n && idents && !s->oom && !rc; i++) {
        sequence_definition(s, r, i, idents, &nid, &owned);
        rc = sequence_value(s, r, i, err);
    }
    PQclear(r);
    /* OWNED BY goes right after the setval objects collected so far: post section order
     * does not matter between these two kinds. */
    for (size_t i = 0; i < owned.n && !rc; i++) {
        dbf_object *o = obj_push(s, &s->post);
        if (o)
            *o = ((const dbf_object *)owned.p)[i];
    }
    dbc_vec_free(&owned);
    if (!idents || rc) {
        free(idents);
        return rc ? rc : dbf_error_set(err, DBF_ENOMEM, "out of memory reading sequences");
    }
    *out_idents = idents;
    *out_n = nid;
    return s->oom ? dbf_error_set(err, DBF_ENOMEM, "out of memory reading sequences") : 0;
}

/* One row per table to dump: the database's own, and the configuration tables of its
 * extensions (pg_extension_config_dump: their rows the filter selects, as pg_dump dumps
 * them; CREATE EXTENSION makes the table and its own rows). */
static const char tables_sql[] =
    "SELECT c.oid, n.nspname, c.relname, pg_catalog.format('%I.%I', n.nspname, c.relname), "
    " c.relkind, c.relpersistence, c.relispartition, "
    " CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END, "
    " CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END, "
    " (SELECT pg_catalog.format('%I.%I', pn.nspname, pc.relname) FROM pg_catalog.pg_inherits i"
    "   JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent JOIN pg_catalog.pg_namespace pn "
    "   ON pn.oid = pc.relnamespace WHERE i.inhrelid = c.oid AND c.relispartition), "
    " (SELECT pg_catalog.string_agg(pg_catalog.format('%I.%I', pn.nspname, pc.relname), ', ' "
    "   ORDER BY i.inhseqno) FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class pc "
    "   ON pc.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace "
    "   WHERE i.inhrelid = c.oid AND NOT c.relispartition), "
    " pg_catalog.array_to_string(c.reloptions, ', '), "
    " pg_catalog.obj_description(c.oid, 'pg_class'), c.reltuples::bigint, "
    " c.relrowsecurity, c.relforcerowsecurity, "
    " (SELECT pg_catalog.count(*) FROM pg_catalog.pg_partition_ancestors(c.oid)), "
    " (SELECT pg_catalog.format('%I', am.amname) FROM pg_catalog.pg_am am "
    "   WHERE am.oid = c.relam AND am.amname <> 'heap'), c.relreplident, "
    " x.extname, x.extcondition[pg_catalog.array_position(x.extconfig, c.oid)] "
    "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "LEFT JOIN pg_catalog.pg_extension x ON c.oid = ANY (x.extconfig) "
    "WHERE c.relkind IN ('r', 'p') AND c.relpersistence <> 't' AND " NSP_FILTER("n")
    " AND (" NOT_EXT("pg_class", "c.oid") " OR x.oid IS NOT NULL) ORDER BY 17, c.oid";

/* The columns of table $1; column 15: the labels of enum type $2; $3: PostgreSQL 14 or later. */
static const char columns_sql[] =
    "SELECT a.attrelid, a.attnum, a.attname, pg_catalog.quote_ident(a.attname), "
    " pg_catalog.format_type(a.atttypid, a.atttypmod), a.atttypid, a.atttypmod, "
    " a.attnotnull, pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity, "
    " a.attgenerated, "
    " CASE WHEN a.attcollation <> t.typcollation THEN co.collname END, "
    " CASE WHEN a.attcollation <> t.typcollation THEN "
    "   pg_catalog.format('%I.%I', cn.nspname, co.collname) END, "
    " pg_catalog.col_description(a.attrelid, a.attnum), a.attislocal, "
    " (SELECT pg_catalog.string_agg(e.enumlabel, E'\\x01' ORDER BY e.enumsortorder) "
    "   FROM pg_catalog.pg_enum e WHERE e.enumtypid = $2::pg_catalog.oid), "
    " a.attstattarget, a.attstorage, t.typstorage, "
    " CASE WHEN $3::pg_catalog.bool THEN (pg_catalog.to_jsonb(a) ->> 'attcompression') END "
    "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
    "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
    "LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation "
    "LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace "
    "WHERE a.attrelid = $1::pg_catalog.oid AND a.attnum > 0 AND NOT a.attisdropped "
    "ORDER BY a.attnum";

/* A table being read by load_table and its steps. */
typedef struct pg_tabread {
    PGresult *r, *cr;       /* tables_sql (this table at row), columns_sql of this table */
    int row;
    dbf_table *t;
    pg_tab *pt;
    const pg_ident *idents; /* identity columns' sequence options */
    size_t nidents;
    bool partition;         /* a partition: its columns come from the parent */
    dbc_buf ddl, sel, cmt;  /* CREATE TABLE; the COPY's select list; what follows the CREATE */
    int nddl;               /* column lines in ddl */
} pg_tabread;

/* Row j of columns_sql into c and pc: portable type, conversion, flags. */
static void decode_column(dbe_source *s, PGresult *cr, int j, dbf_column *c, pg_col *pc,
                          pg_class_t *k)
{
    classify(s, (uint32_t)strtoul(PQgetvalue(cr, j, 5), NULL, 10), atoi(PQgetvalue(cr, j, 6)),
             k);
    pc->attnum = atoi(PQgetvalue(cr, j, 1));
    pc->conv = k->conv;
    pc->elem_conv = k->elem_conv;
    c->name = cell(s, cr, j, 2);
    c->type = k->type;
    c->type_name = dbf_type_name(k->type);
    c->elem_type = k->type == DBF_T_ARRAY ? k->elem_type : DBF_T_ANY;
    c->bits = k->bits;
    c->length = k->length;
    c->precision = k->precision;
    c->scale = k->scale;
    c->native_type = cell(s, cr, j, 4);
    c->default_expr = cell(s, cr, j, 8);
    c->collation = cell(s, cr, j, 11);
    c->comment = cell(s, cr, j, 13);
    char ident = PQgetvalue(cr, j, 9)[0];
    if (cell_bool(cr, j, 7))
        c->flags |= DBF_COL_NOT_NULL;
    if (ident == 'a')
        c->flags |= DBF_COL_IDENTITY | DBF_COL_IDENTITY_ALWAYS;
    else if (ident == 'd')
        c->flags |= DBF_COL_IDENTITY;
    else if (c->default_expr && strncmp(c->default_expr, "nextval(", 8) == 0)
        c->flags |= DBF_COL_IDENTITY; /* serial */
    if (PQgetvalue(cr, j, 10)[0] == 's') {
        c->flags |= DBF_COL_GENERATED;
        c->generated_expr = c->default_expr;
        c->default_expr = NULL;
    }
}

/* Column j's line of the CREATE TABLE (of a partition: its own default only) into tr->ddl;
 * its comment and storage settings, as pg_dump writes them, into tr->cmt. */
static void column_ddl(dbe_source *s, pg_tabread *tr, int j, const dbf_column *c)
{
    PGresult *cr = tr->cr;
    const char *qcol = PQgetvalue(cr, j, 3), *qname = tr->pt->qname;
    const char *sep = tr->nddl ? ",\n    " : tr->partition ? " (\n    " : "\n    ";
    char ident = PQgetvalue(cr, j, 9)[0];
    if (tr->partition && c->default_expr) {
        dbc_buf_printf(&tr->ddl, "%s%s WITH OPTIONS DEFAULT %s", sep, qcol, c->default_expr);
        tr->nddl++;
    } else if (!tr->partition && cell_bool(cr, j, 14)) { /* not inherited */
        dbc_buf_printf(&tr->ddl, "%s%s %s", sep, qcol, c->native_type);
        if (!PQgetisnull(cr, j, 12))
            dbc_buf_printf(&tr->ddl, " COLLATE %s", PQgetvalue(cr, j, 12));
        if (c->flags & DBF_COL_GENERATED)
            dbc_buf_printf(&tr->ddl, " GENERATED ALWAYS AS (%s) STORED", c->generated_expr);
        else if (c->default_expr)
            dbc_buf_printf(&tr->ddl, " DEFAULT %s", c->default_expr);
        if (c->flags & DBF_COL_NOT_NULL)
            dbc_buf_puts(&tr->ddl, " NOT NULL");
        if (ident == 'a' || ident == 'd') {
            const char *opts = "";
            for (size_t q = 0; q < tr->nidents; q++)
                if (tr->idents[q].table_oid == tr->pt->oid &&
                    tr->idents[q].attnum == tr->pt->cols[j].attnum)
                    opts = tr->idents[q].options ? tr->idents[q].options : "";
            dbc_buf_printf(&tr->ddl, " GENERATED %s AS IDENTITY (%s)",
                          ident == 'a' ? "ALWAYS" : "BY DEFAULT", opts);
        }
        tr->nddl++;
    }
    add_comment(s, &tr->cmt, c->comment, "COLUMN %s.%s", qname, qcol);
    int stat = PQgetisnull(cr, j, 16) ? -1 : atoi(PQgetvalue(cr, j, 16));
    char stor = PQgetvalue(cr, j, 17)[0], tstor = PQgetvalue(cr, j, 18)[0];
    char comp = PQgetisnull(cr, j, 19) ? 0 : PQgetvalue(cr, j, 19)[0];
    if (stat >= 0)
        dbc_buf_printf(&tr->cmt, "\nALTER TABLE ONLY %s ALTER COLUMN %s SET STATISTICS %d;",
                      qname, qcol, stat);
    if (stor != tstor && stor) {
        const char *sn = stor == 'p' ? "PLAIN" : stor == 'e' ? "EXTERNAL"
                       : stor == 'm' ? "MAIN" : "EXTENDED";
        dbc_buf_printf(&tr->cmt, "\nALTER TABLE ONLY %s ALTER COLUMN %s SET STORAGE %s;", qname,
                      qcol, sn);
    }
    if (comp == 'p' || comp == 'l')
        dbc_buf_printf(&tr->cmt, "\nALTER TABLE ONLY %s ALTER COLUMN %s SET COMPRESSION %s;",
                      qname, qcol, comp == 'p' ? "pglz" : "lz4");
}

/* The table's columns: dbf_columns and conversions, the COPY's select list, the CREATE TABLE
 * up to the last column and the column settings after it. */
static int load_columns(dbe_source *s, pg_tabread *tr, dbf_error *err)
{
    pg_tab *pt = tr->pt;
    const char *params[3] = {PQgetvalue(tr->r, tr->row, 0), "0",
                             PQserverVersion(s->conn) >= 140000 ? "true" : "false"};
    PGresult *cr = tr->cr =
        pg_q(s, columns_sql, 3, params, PGRES_TUPLES_OK, "reading columns", err);
    if (!cr)
        return err->code;
    int nc = PQntuples(cr);
    dbf_column *cols = dbf_arena_calloc(&s->arena, (size_t)nc + 1, sizeof(*cols));
    pt->cols = dbf_arena_alloc(&s->arena, ((size_t)nc + 1) * sizeof(*pt->cols));
    if (!cols || !pt->cols)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory reading columns");
    dbc_buf_printf(&tr->ddl, "CREATE %sTABLE %s%s%s",
                  PQgetvalue(tr->r, tr->row, 5)[0] == 'u' ? "UNLOGGED " : "", pt->qname,
                  tr->partition ? " PARTITION OF " : " (",
                  tr->partition ? PQgetvalue(tr->r, tr->row, 9) : "");
    for (int j = 0; j < nc; j++) {
        pg_class_t k;
        decode_column(s, cr, j, &cols[j], &pt->cols[j], &k);
        if (k.enum_oid) { /* its labels: columns_sql again, with the enum's oid */
            char eo[16];
            snprintf(eo, sizeof eo, "%u", k.enum_oid);
            const char *ep[3] = {params[0], eo, "false"};
            PGresult *er = pg_q(s, columns_sql, 3, ep, PGRES_TUPLES_OK, "reading enum labels", err);
            if (!er)
                return err->code;
            cols[j].labels = split_list(s, PQntuples(er) > j && !PQgetisnull(er, j, 15)
                                               ? PQgetvalue(er, j, 15) : "", &cols[j].nlabels);
            PQclear(er);
        }
        dbc_buf_printf(&tr->sel, "%s%s%s", j ? ", " : "", PQgetvalue(cr, j, 3),
                      k.text_cast == 1 ? "::pg_catalog.text"
                      : k.text_cast == 2 ? "::pg_catalog.text[]" : "");
        column_ddl(s, tr, j, &cols[j]);
    }
    tr->t->columns = cols;
    tr->t->ncolumns = (size_t)nc;
    return 0;
}

/* The end of the CREATE TABLE (partition bound or INHERITS, PARTITION BY, USING, WITH) and
 * what pg_dump writes after it: a partition's own NOT NULLs, comments, column settings and
 * the replica identity. */
static void table_ddl(dbe_source *s, pg_tabread *tr, dbf_error *err)
{
    PGresult *r = tr->r;
    int row = tr->row;
    dbc_buf *ddl = &tr->ddl;
    const char *qname = tr->pt->qname;
    if (tr->partition) {
        if (tr->nddl)
            dbc_buf_puts(ddl, "\n)");
        dbc_buf_printf(ddl, "\n%s", PQgetvalue(r, row, 8));
    } else {
        dbc_buf_puts(ddl, "\n)");
        if (!PQgetisnull(r, row, 10))
            dbc_buf_printf(ddl, "\nINHERITS (%s)", PQgetvalue(r, row, 10));
    }
    if (!PQgetisnull(r, row, 7))
        dbc_buf_printf(ddl, "\nPARTITION BY %s", PQgetvalue(r, row, 7));
    if (!PQgetisnull(r, row, 17))
        dbc_buf_printf(ddl, "\nUSING %s", PQgetvalue(r, row, 17));
    if (!PQgetisnull(r, row, 11) && PQgetvalue(r, row, 11)[0])
        dbc_buf_printf(ddl, "\nWITH (%s)", PQgetvalue(r, row, 11));
    dbc_buf_puts(ddl, ";");
    /* Local NOT NULL on a partition whose parent column allows NULL. */
    for (size_t j = 0; tr->partition && j < tr->t->ncolumns; j++) {
        if (!(tr->t->columns[j].flags & DBF_COL_NOT_NULL))
            continue;
        dbc_buf nb = {0};
        dbc_buf_printf(&nb,
                      "SELECT a.attnotnull FROM pg_catalog.pg_attribute a JOIN "
                      "pg_catalog.pg_inherits i ON i.inhparent = a.attrelid "
                      "WHERE i.inhrelid = %u AND a.attname = $1",
                      tr->pt->oid);
        const char *np[1] = {tr->t->columns[j].name};
        PGresult *nr =
            nb.oom ? NULL : pg_q(s, nb.p, 1, np, PGRES_TUPLES_OK, "reading columns", err);
        dbc_buf_free(&nb);
        if (nr && PQntuples(nr) == 1 && !cell_bool(nr, 0, 0))
            dbc_buf_printf(ddl, "\nALTER TABLE ONLY %s ALTER COLUMN %s SET NOT NULL;", qname,
                          PQgetvalue(tr->cr, (int)j, 3));
        PQclear(nr);
    }
    add_comment(s, ddl, tr->t->comment, "TABLE %s", qname);
    if (tr->cmt.p)
        dbc_buf_puts(ddl, tr->cmt.p);
    char ri = PQgetvalue(r, row, 18)[0];
    if (ri == 'f' || ri == 'n')
        dbc_buf_printf(ddl, "\nALTER TABLE ONLY %s REPLICA IDENTITY %s;", qname,
                      ri == 'f' ? "FULL" : "NOTHING");
}

/* The table's attributes (partitioning) and its row-level security object. */
static void table_attrs(dbe_source *s, pg_tabread *tr)
{
    PGresult *r = tr->r;
    int row = tr->row;
    dbf_table *t = tr->t;
    dbf_kv *kv = dbf_arena_alloc(&s->arena, 5 * sizeof(*kv));
    size_t nkv = 0;
    if (!kv) {
        s->oom = true;
        return;
    }
    if (tr->pt->relkind == 'p')
        kv[nkv++] = (dbf_kv){"postgresql.partition_key", cell(s, r, row, 7)};
    if (tr->partition) {
        kv[nkv++] = (dbf_kv){"postgresql.partition_of", cell(s, r, row, 9)};
        kv[nkv++] = (dbf_kv){"postgresql.partition_bound", cell(s, r, row, 8)};
    }
    if (!PQgetisnull(r, row, 19)) { /* an extension's configuration table */
        kv[nkv++] = (dbf_kv){"postgresql.extension", cell(s, r, row, 19)};
        if (!PQgetisnull(r, row, 20) && *PQgetvalue(r, row, 20))
            kv[nkv++] = (dbf_kv){"postgresql.extension_filter", cell(s, r, row, 20)};
    }
    t->attrs = nkv ? kv : NULL;
    t->nattrs = nkv;
    if (cell_bool(r, row, 14) || cell_bool(r, row, 15)) {
        dbc_buf b = {0};
        if (cell_bool(r, row, 14))
            dbc_buf_printf(&b, "ALTER TABLE %s ENABLE ROW LEVEL SECURITY;", tr->pt->qname);
        if (cell_bool(r, row, 15))
            dbc_buf_printf(&b, "%sALTER TABLE %s FORCE ROW LEVEL SECURITY;", b.len ? "\n" : "",
                          tr->pt->qname);
        dbf_object *o = obj_new(s, DBF_SEC_POST, DBF_OBJ_NATIVE, "row_security", t->schema,
                                t->name, arena_str(s, &b));
        if (o)
            o->table = t->name;
        dbc_buf_free(&b);
    }
}

/* Row tr->row of tables_sql: the table, its columns, CREATE TABLE text and COPY statement. */
static int load_table(dbe_source *s, pg_tabread *tr, dbf_error *err)
{
    PGresult *r = tr->r;
    int row = tr->row;
    dbf_table *t = tr->t;
    pg_tab *pt = tr->pt;
    t->schema = cell(s, r, row, 1);
    t->name = cell(s, r, row, 2);
    pt->qname = cell(s, r, row, 3);
    pt->relkind = PQgetvalue(r, row, 4)[0];
    t->engine = "postgresql";
    t->comment = cell(s, r, row, 12);
    t->row_estimate = pt->relkind == 'p' ? 0 : cell_i64(r, row, 13);
    if (t->row_estimate < -1)
        t->row_estimate = -1;
    tr->partition = cell_bool(r, row, 6) && !PQgetisnull(r, row, 9);
    int rc = load_columns(s, tr, err);
    if (!rc) {
        table_ddl(s, tr, err);
        t->native_sql = arena_str(s, &tr->ddl);
        dbc_buf_reset(&tr->ddl);
        const char *filter = PQgetisnull(r, row, 20) ? "" : PQgetvalue(r, row, 20);
        dbc_buf_printf(&tr->ddl, "COPY (SELECT %s FROM ONLY %s%s%s) TO STDOUT (FORMAT binary)",
                       tr->sel.p ? tr->sel.p : "", pt->qname, *filter ? " " : "", filter);
        pt->copy_sql = arena_str(s, &tr->ddl);
        pt->select = arena_str(s, &tr->sel);
        pt->filtered = *filter != '\0';
    }
    dbc_buf_free(&tr->ddl);
    dbc_buf_free(&tr->sel);
    dbc_buf_free(&tr->cmt);
    PQclear(tr->cr);
    if (!rc)
        table_attrs(s, tr);
    return rc;
}

static int load_tables(dbe_source *s, const pg_ident *idents, size_t nidents, dbc_buf *oids,
                       dbf_error *err)
{
    int rc = 0;
    PGresult *r = pg_q(s, tables_sql, 0, NULL, PGRES_TUPLES_OK, "reading tables", err);
    if (!r)
        return err->code;
    size_t n = (size_t)PQntuples(r);
    s->tables = calloc(n + 2, sizeof(*s->tables)); /* + the large objects' table */
    s->tabs = calloc(n + 2, sizeof(*s->tabs));
    if (!s->tables || !s->tabs) {
        PQclear(r);
        return dbf_error_set(err, DBF_ENOMEM, "out of memory reading tables");
    }
    s->ntables = n;
    dbc_buf_puts(oids, "{");
    for (size_t i = 0; i < n && !rc && !s->oom; i++) {
        pg_tabread tr = {.r = r, .row = (int)i, .t = &s->tables[i], .pt = &s->tabs[i],
                         .idents = idents, .nidents = nidents};
        tr.t->id = (uint32_t)(i + 1);
        tr.pt->oid = (uint32_t)strtoul(PQgetvalue(r, (int)i, 0), NULL, 10);
        dbc_buf_printf(oids, "%s%u", i ? "," : "", tr.pt->oid);
        rc = load_table(s, &tr, err);
    }
    dbc_buf_puts(oids, "}");
    PQclear(r);
    if (!rc && (s->oom || oids->oom))
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory reading tables");
    return rc;
}

/* Primary keys (also into dbf_table.primary_key), unique, exclusion, check, foreign keys. */
static int load_constraints(dbe_source *s, const char *oids, int pass, dbf_error *err)
{
    static const char sql[] =
        "SELECT co.conrelid, co.contype, co.conname, pg_catalog.pg_get_constraintdef(co.oid), "
        " pg_catalog.format('%I.%I', n.nspname, c.relname), n.nspname, c.relname, c.relkind, "
        " (SELECT pg_catalog.string_agg(a.attname, E'\\x01' ORDER BY k.ord) FROM "
        "   pg_catalog.unnest(co.conkey) WITH ORDINALITY k(attnum, ord) JOIN "
        "   pg_catalog.pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum), "
        " fn.nspname, fc.relname, "
        " (SELECT pg_catalog.string_agg(a.attname, E'\\x01' ORDER BY k.ord) FROM "
        "   pg_catalog.unnest(co.confkey) WITH ORDINALITY k(attnum, ord) JOIN "
        "   pg_catalog.pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.attnum), "
        " co.confdeltype, co.confupdtype, pg_catalog.pg_get_expr(co.conbin, co.conrelid), "
        " pg_catalog.obj_description(co.oid, 'pg_constraint'), pg_catalog.quote_ident(co.conname)"
        "FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_class c ON c.oid = co.conrelid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_catalog.pg_class fc ON fc.oid = co.confrelid "
        "LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace "
        "WHERE co.conrelid = ANY ($1::pg_catalog.oid[]) AND co.conislocal AND co.conparentid = 0 "
        " AND co.contype = ANY ($2::pg_catalog.char[]) "
        "ORDER BY CASE co.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'x' THEN 2 "
        " WHEN 'c' THEN 3 ELSE 4 END, n.nspname, c.relname, co.conname";
    const char *params[2] = {oids, pass == 0 ? "{p,u,x}" : pass == 1 ? "{c}" : "{f}"};
    PGresult *r = pg_q(s, sql, 2, params, PGRES_TUPLES_OK, "reading constraints", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && !s->oom; i++) {
        char ct = PQgetvalue(r, i, 1)[0];
        const char *q = PQgetvalue(r, i, 4);
        bool parted = PQgetvalue(r, i, 7)[0] == 'p';
        dbc_buf b = {0};
        dbc_buf_printf(&b, "ALTER TABLE %s%s ADD CONSTRAINT %s %s;", parted ? "" : "ONLY ", q,
                      PQgetvalue(r, i, 16), PQgetvalue(r, i, 3));
        add_comment(s, &b, val(r, i, 15), "CONSTRAINT %s ON %s", PQgetvalue(r, i, 16), q);
        const char *sub = ct == 'p' ? "primary_key" : ct == 'u' ? "unique"
                        : ct == 'x' ? "exclusion" : ct == 'c' ? "check" : "foreign_key";
        dbf_object *o = obj_new(s, DBF_SEC_POST, DBF_OBJ_CONSTRAINT, sub, cell(s, r, i, 5),
                                cell(s, r, i, 2), arena_str(s, &b));
        dbc_buf_free(&b);
        if (!o)
            break;
        o->table = cell(s, r, i, 6);
        o->columns = split_list(s, val(r, i, 8), &o->ncolumns);
        o->unique = ct == 'p' || ct == 'u';
        if (ct == 'c')
            o->expr = cell(s, r, i, 14);
        if (ct == 'f') {
            static const char *const acts[] = {"a", "NO ACTION", "r", "RESTRICT", "c", "CASCADE",
                                               "n", "SET NULL", "d", "SET DEFAULT"};
            o->ref_schema = cell(s, r, i, 9);
            o->ref_table = cell(s, r, i, 10);
            o->ref_columns = split_list(s, val(r, i, 11), &o->nref_columns);
            for (size_t a = 0; a < 10; a += 2) {
                if (PQgetvalue(r, i, 12)[0] == acts[a][0])
                    o->on_delete = acts[a + 1];
                if (PQgetvalue(r, i, 13)[0] == acts[a][0])
                    o->on_update = acts[a + 1];
            }
        }
        if (ct == 'p') {
            /* Record the primary key on the table too. */
            uint32_t relid = (uint32_t)strtoul(PQgetvalue(r, i, 0), NULL, 10);
            for (size_t t = 0; t < s->ntables; t++)
                if (s->tabs[t].oid == relid) {
                    s->tables[t].primary_key = o->columns;
                    s->tables[t].nprimary_key = o->ncolumns;
                }
        }
    }
    PQclear(r);
    return s->oom ? dbf_error_set(err, DBF_ENOMEM, "out of memory reading constraints") : 0;
}

static int load_indexes(dbe_source *s, const char *oids, bool matviews, dbf_error *err)
{
    static const char sql[] =
        "SELECT pg_catalog.pg_get_indexdef(i.indexrelid), n.nspname, ic.relname, c.relname, "
        " c.relkind, i.indisunique, pg_catalog.pg_get_expr(i.indpred, i.indrelid), "
        " pg_catalog.obj_description(i.indexrelid, 'pg_class'), i.indisclustered, "
        " pg_catalog.format('%I.%I', n.nspname, ic.relname), "
        " pg_catalog.format('%I.%I', cn.nspname, c.relname), pg_catalog.quote_ident(ic.relname), "
        " i.indisreplident, "
        " (SELECT pg_catalog.string_agg(COALESCE(a.attname, ''), E'\\x01' ORDER BY k.ord) FROM "
        "   pg_catalog.unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY k(attnum, ord) "
        "   LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid "
        "   AND a.attnum = k.attnum WHERE k.ord <= i.indnkeyatts) "
        "FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
        "JOIN pg_catalog.pg_class c ON c.oid = i.indrelid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace "
        "JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace "
        "WHERE (i.indrelid = ANY ($1::pg_catalog.oid[]) OR ($2 AND c.relkind = 'm' AND "
        NSP_FILTER("cn") " AND " NOT_EXT("pg_class", "c.oid") ")) AND ($2 = (c.relkind = 'm')) "
        " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint co WHERE co.conindid = "
        "   i.indexrelid AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x')) "
        " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits ih WHERE ih.inhrelid = "
        "   i.indexrelid) "
        "ORDER BY n.nspname, ic.relname";
    const char *params[2] = {oids, matviews ? "true" : "false"};
    PGresult *r = pg_q(s, sql, 2, params, PGRES_TUPLES_OK, "reading indexes", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && !s->oom; i++) {
        dbc_buf b = {0};
        const char *def = PQgetvalue(r, i, 0);
        /* A partitioned table's index: create it on the whole tree (not ON ONLY). */
        const char *only = strstr(def, " ON ONLY ");
        if (only && PQgetvalue(r, i, 4)[0] == 'p') {
            dbc_buf_add(&b, def, (size_t)(only - def));
            dbc_buf_printf(&b, " ON %s;", only + 9);
        } else {
            dbc_buf_printf(&b, "%s;", def);
        }
        if (cell_bool(r, i, 8))
            dbc_buf_printf(&b, "\nALTER TABLE %s CLUSTER ON %s;", PQgetvalue(r, i, 10),
                          PQgetvalue(r, i, 11));
        if (cell_bool(r, i, 12))
            dbc_buf_printf(&b, "\nALTER TABLE ONLY %s REPLICA IDENTITY USING INDEX %s;",
                          PQgetvalue(r, i, 10), PQgetvalue(r, i, 11));
        add_comment(s, &b, val(r, i, 7), "INDEX %s", PQgetvalue(r, i, 9));
        dbf_object *o = obj_new(s, DBF_SEC_POST, DBF_OBJ_INDEX, NULL, cell(s, r, i, 1),
                                cell(s, r, i, 2), arena_str(s, &b));
        dbc_buf_free(&b);
        if (!o)
            break;
        o->table = cell(s, r, i, 3);
        o->unique = cell_bool(r, i, 5);
        o->expr = cell(s, r, i, 6);
        o->columns = split_list(s, val(r, i, 13), &o->ncolumns);
    }
    PQclear(r);
    return s->oom ? dbf_error_set(err, DBF_ENOMEM, "out of memory reading indexes") : 0;
}

/* Views (pre-data, after the tables) and materialized views (post-data). */
static int load_views(dbe_source *s, char relkind, dbf_error *err)
{
    static const char sql[] =
        "SELECT pg_catalog.format('%I.%I', n.nspname, c.relname), n.nspname, c.relname, "
        " pg_catalog.pg_get_viewdef(c.oid), pg_catalog.array_to_string(c.reloptions, ', '), "
        " pg_catalog.obj_description(c.oid, 'pg_class'), "
        " (SELECT pg_catalog.string_agg(pg_catalog.format('COMMENT ON COLUMN %I.%I.%I IS %L;', "
        "   n.nspname, c.relname, a.attname, ds.description), E'\\n' ORDER BY a.attnum) "
        "   FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_description ds ON ds.objoid = "
        "   c.oid AND ds.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ds.objsubid = "
        "   a.attnum WHERE a.attrelid = c.oid AND a.attnum > 0) "
        "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind = $1::pg_catalog.char AND " NSP_FILTER("n") " AND "
        NOT_EXT("pg_class", "c.oid") " ORDER BY c.oid";
    const char *params[1] = {relkind == 'v' ? "v" : "m"};
    PGresult *r = pg_q(s, sql, 1, params, PGRES_TUPLES_OK, "reading views", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && !s->oom; i++) {
        const char *q = PQgetvalue(r, i, 0);
        const char *opts = PQgetvalue(r, i, 4);
        char *def = PQgetvalue(r, i, 3);
        size_t dl = strlen(def);
        while (dl > 0 && (def[dl - 1] == ';' || def[dl - 1] == ' ' || def[dl - 1] == '\n'))
            dl--;
        dbc_buf b = {0};
        dbc_buf_printf(&b, "CREATE %sVIEW %s", relkind == 'v' ? "" : "MATERIALIZED ", q);
        if (opts[0])
            dbc_buf_printf(&b, " WITH (%s)", opts);
        dbc_buf_puts(&b, " AS\n");
        dbc_buf_add(&b, def, dl);
        dbc_buf_puts(&b, relkind == 'v' ? ";" : "\n  WITH DATA;");
        add_comment(s, &b, val(r, i, 5), "%sVIEW %s", relkind == 'v' ? "" : "MATERIALIZED ", q);
        if (!PQgetisnull(r, i, 6))
            dbc_buf_printf(&b, "\n%s", PQgetvalue(r, i, 6));
        dbf_object *o = relkind == 'v'
            ? obj_new(s, DBF_SEC_PRE, DBF_OBJ_VIEW, NULL, cell(s, r, i, 1), cell(s, r, i, 2),
                      arena_str(s, &b))
            : obj_new(s, DBF_SEC_POST, DBF_OBJ_NATIVE, "materialized_view", cell(s, r, i, 1),
                      cell(s, r, i, 2), arena_str(s, &b));
        if (o && relkind == 'v') {
            char *e = dbf_arena_alloc(&s->arena, dl + 1);
            if (e) {
                memcpy(e, def, dl);
                e[dl] = '\0';
            }
            o->expr = e;
        }
        dbc_buf_free(&b);
    }
    PQclear(r);
    return s->oom ? dbf_error_set(err, DBF_ENOMEM, "out of memory reading views") : 0;
}

static int load_triggers_rules_policies(dbe_source *s, dbf_error *err)
{
    bool v13 = PQserverVersion(s->conn) >= 130000;
    dbc_buf q = {0};
    dbc_buf_puts(&q,
                "SELECT pg_catalog.pg_get_triggerdef(t.oid), n.nspname, t.tgname, c.relname, "
                " pg_catalog.format('%I.%I', n.nspname, c.relname), t.tgenabled, "
                " pg_catalog.obj_description(t.oid, 'pg_trigger'), "
                " pg_catalog.quote_ident(t.tgname) "
                "FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "WHERE NOT t.tgisinternal AND ");
    dbc_buf_puts(&q, v13 ? "t.tgparentid = 0" : "true");
    dbc_buf_puts(&q, " AND " NSP_FILTER("n") " AND " NOT_EXT("pg_class", "c.oid")
                    " ORDER BY n.nspname, c.relname, t.tgname");
    if (q.oom)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    PGresult *r = pg_q(s, q.p, 0, NULL, PGRES_TUPLES_OK, "reading triggers", err);
    dbc_buf_free(&q);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && !s->oom; i++) {
        dbc_buf b = {0};
        dbc_buf_printf(&b, "%s;", PQgetvalue(r, i, 0));
        char en = PQgetvalue(r, i, 5)[0];
        const char *tq = PQgetvalue(r, i, 4), *tn = PQgetvalue(r, i, 7);
        if (en == 'D')
            dbc_buf_printf(&b, "\nALTER TABLE %s DISABLE TRIGGER %s;", tq, tn);
        else if (en == 'R')
            dbc_buf_printf(&b, "\nALTER TABLE %s ENABLE REPLICA TRIGGER %s;", tq, tn);
        else if (en == 'A')
            dbc_buf_printf(&b, "\nALTER TABLE %s ENABLE ALWAYS TRIGGER %s;", tq, tn);
        add_comment(s, &b, val(r, i, 6), "TRIGGER %s ON %s", tn, tq);
        dbf_object *o = obj_new(s, DBF_SEC_POST, DBF_OBJ_TRIGGER, NULL, cell(s, r, i, 1),
                                cell(s, r, i, 2), arena_str(s, &b));
        if (o)
            o->table = cell(s, r, i, 3);
        dbc_buf_free(&b);
    }
    PQclear(r);

    r = pg_q(s,
             "SELECT pg_catalog.pg_get_ruledef(rw.oid), n.nspname, rw.rulename, c.relname "
             "FROM pg_catalog.pg_rewrite rw JOIN pg_catalog.pg_class c ON c.oid = rw.ev_class "
             "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
             "WHERE rw.rulename <> '_RETURN' AND " NSP_FILTER("n") " AND "
             NOT_EXT("pg_class", "c.oid") " ORDER BY n.nspname, c.relname, rw.rulename",
             0, NULL, PGRES_TUPLES_OK, "reading rules", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && !s->oom; i++) {
        dbf_object *o = obj_new(s, DBF_SEC_POST, DBF_OBJ_NATIVE, "rule", cell(s, r, i, 1),
                                cell(s, r, i, 2), cell(s, r, i, 0));
        if (o)
            o->table = cell(s, r, i, 3);
    }
    PQclear(r);

    r = pg_q(s,
             "SELECT pg_catalog.format('CREATE POLICY %I ON %I.%I AS %s FOR %s TO %s', "
             " p.polname, n.nspname, c.relname, CASE WHEN p.polpermissive THEN 'PERMISSIVE' "
             " ELSE 'RESTRICTIVE' END, CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN "
             " 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END, "
             " CASE WHEN p.polroles = '{0}' THEN 'PUBLIC' ELSE (SELECT pg_catalog.string_agg("
             " pg_catalog.quote_ident(ro.rolname), ', ' ORDER BY ro.rolname) FROM "
             " pg_catalog.pg_roles ro WHERE ro.oid = ANY (p.polroles)) END) || "
             " COALESCE(' USING (' || pg_catalog.pg_get_expr(p.polqual, p.polrelid) || ')', '') ||"
             " COALESCE(' WITH CHECK (' || pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) || "
             " ')', '') || ';', n.nspname, p.polname, c.relname "
             "FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid "
             "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
             "WHERE " NSP_FILTER("n") " ORDER BY n.nspname, c.relname, p.polname",
             0, NULL, PGRES_TUPLES_OK, "reading policies", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && !s->oom; i++) {
        dbf_object *o = obj_new(s, DBF_SEC_POST, DBF_OBJ_NATIVE, "policy", cell(s, r, i, 1),
                                cell(s, r, i, 2), cell(s, r, i, 0));
        if (o)
            o->table = cell(s, r, i, 3);
    }
    PQclear(r);
    return s->oom ? dbf_error_set(err, DBF_ENOMEM, "out of memory reading triggers") : 0;
}

/* One "privileges" object per row of sql (schema, name, statements), none where the
 * statements are empty. */
static int add_privileges(dbe_source *s, const char *sql, const char *what, dbf_error *err)
{
    PGresult *r = pg_q(s, sql, 0, NULL, PGRES_TUPLES_OK, what, err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && !s->oom; i++) {
        const char *stmt = PQgetvalue(r, i, 2);
        while (*stmt == '\n')
            stmt++;
        if (*stmt)
            obj_new(s, DBF_SEC_POST, DBF_OBJ_NATIVE, "privileges", cell(s, r, i, 0),
                    cell(s, r, i, 1), sdup(s, stmt));
    }
    PQclear(r);
    return s->oom ? dbf_error_set(err, DBF_ENOMEM, "out of memory reading privileges") : 0;
}

/* Owners and privileges (GRANT/REVOKE, column privileges) of every dumped object, replayed
 * last; a restore without the roles skips them with a warning. */
static int load_privileges(dbe_source *s, dbf_error *err)
{
    static const char sql[] =
        "WITH o AS ("
        " SELECT n.nspname AS nsp, c.relname AS name, "
        "  CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS gkw, "
        "  CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' "
        "   THEN 'SEQUENCE' ELSE 'TABLE' END AS akw, "
        "  pg_catalog.format('%I.%I', n.nspname, c.relname) AS q, c.relowner AS owner, "
        "  c.relacl AS acl, NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = "
        "   'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND "
        "   d.deptype = 'i') AS can_own, c.oid AS relid "
        " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.relpersistence <> 't' AND "
        NSP_FILTER("n") " AND " NOT_EXT("pg_class", "c.oid") " "
        " UNION ALL "
        " SELECT n.nspname, t.typname, CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, "
        "  CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, "
        "  pg_catalog.format('%I.%I', n.nspname, t.typname), t.typowner, t.typacl, true, 0 "
        " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
        " WHERE " NSP_FILTER("n") " AND " NOT_EXT("pg_type", "t.oid") " AND ("
        "  t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT c.relkind FROM "
        "  pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c')) "
        " UNION ALL "
        " SELECT n.nspname, p.proname, CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE "
        "  'FUNCTION' END, CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' "
        "  ELSE 'FUNCTION' END, "
        "  pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, "
        "  pg_catalog.pg_get_function_identity_arguments(p.oid)), p.proowner, p.proacl, true, 0 "
        " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
        " WHERE " NSP_FILTER("n") " AND " NOT_EXT("pg_proc", "p.oid") " AND "
        "  (p.prokind IN ('f', 'p', 'w') OR EXISTS (SELECT 1 FROM pg_catalog.pg_aggregate ag "
        "  WHERE ag.aggfnoid = p.oid AND ag.aggkind = 'n' AND ag.aggmtransfn = 0)) "
        "  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend td "
        "  WHERE td.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND td.objid = p.oid "
        "  AND td.deptype = 'i') "
        " UNION ALL "
        " SELECT n.nspname, co.collname, 'COLLATION', 'COLLATION', "
        "  pg_catalog.format('%I.%I', n.nspname, co.collname), co.collowner, NULL, true, 0 "
        " FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace n "
        " ON n.oid = co.collnamespace WHERE co.collprovider IN ('c', 'i') AND "
        NSP_FILTER("n") " AND " NOT_EXT("pg_collation", "co.oid") " "
        " UNION ALL "
        " SELECT NULL, n.nspname, 'SCHEMA', 'SCHEMA', pg_catalog.quote_ident(n.nspname), "
        "  n.nspowner, n.nspacl, true, 0 FROM pg_catalog.pg_namespace n "
        " WHERE " NSP_FILTER("n") " AND " NOT_EXT("pg_namespace", "n.oid") ") ";
    static const char sql2[] =
        "SELECT nsp, name, "
        " CASE WHEN can_own THEN pg_catalog.format('ALTER %s %s OWNER TO %I;', akw, q, "
        "  pg_catalog.pg_get_userbyid(owner)) ELSE '' END || "
        " CASE WHEN acl IS NULL THEN '' ELSE pg_catalog.format("
        "  E'\\nREVOKE ALL ON %s %s FROM PUBLIC;\\nREVOKE ALL ON %s %s FROM %I;', gkw, q, gkw, q,"
        "  pg_catalog.pg_get_userbyid(owner)) || COALESCE((SELECT pg_catalog.string_agg("
        "  pg_catalog.format(E'\\nGRANT %s ON %s %s TO %s%s;', x.privilege_type, gkw, q, "
        "  CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident("
        "  pg_catalog.pg_get_userbyid(x.grantee)) END, CASE WHEN x.is_grantable THEN "
        "  ' WITH GRANT OPTION' ELSE '' END), '' ORDER BY x.ord) FROM pg_catalog.aclexplode(acl) "
        "  WITH ORDINALITY x(grantor, grantee, privilege_type, is_grantable, ord)), '') END || "
        " COALESCE((SELECT pg_catalog.string_agg(pg_catalog.format("
        "  E'\\nGRANT %s (%I) ON TABLE %s TO %s%s;', x.privilege_type, att.attname, q, "
        "  CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident("
        "  pg_catalog.pg_get_userbyid(x.grantee)) END, CASE WHEN x.is_grantable THEN "
        "  ' WITH GRANT OPTION' ELSE '' END), '' ORDER BY att.attnum, x.ord) "
        "  FROM pg_catalog.pg_attribute att, pg_catalog.aclexplode(att.attacl) WITH ORDINALITY "
        "  x(grantor, grantee, privilege_type, is_grantable, ord) WHERE att.attrelid = relid "
        "  AND relid <> 0 AND att.attacl IS NOT NULL AND NOT att.attisdropped), '') "
        "FROM o ORDER BY akw, q";
    dbc_buf q = {0};
    dbc_buf_puts(&q, sql);
    dbc_buf_puts(&q, sql2);
    int rc = q.oom ? dbf_error_set(err, DBF_ENOMEM, "out of memory")
                   : add_privileges(s, q.p, "reading owners and privileges", err);
    dbc_buf_free(&q);
    if (rc)
        return rc;
    /* ALTER DEFAULT PRIVILEGES: per-schema entries add grants; a global entry replaces the
     * built-in default, so it starts by revoking that. */
    static const char dsql[] =
        "WITH d AS (SELECT da.oid, pg_catalog.pg_get_userbyid(da.defaclrole) AS role, "
        " CASE WHEN da.defaclnamespace = 0 THEN '' ELSE pg_catalog.format(' IN SCHEMA %I', "
        "  n.nspname) END AS inschema, n.nspname, da.defaclacl AS acl, da.defaclnamespace, "
        " CASE da.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES' WHEN 'f' "
        "  THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' ELSE 'SCHEMAS' END AS kw "
        " FROM pg_catalog.pg_default_acl da LEFT JOIN pg_catalog.pg_namespace n "
        " ON n.oid = da.defaclnamespace) "
        "SELECT nspname, 'default privileges of ' || role, "
        " CASE WHEN defaclnamespace = 0 THEN pg_catalog.format("
        "  E'ALTER DEFAULT PRIVILEGES FOR ROLE %I REVOKE ALL ON %s FROM PUBLIC;\n"
        "ALTER DEFAULT PRIVILEGES FOR ROLE %I REVOKE ALL ON %s FROM %I;\n', role, kw, role, kw,"
        "  role) ELSE '' END || COALESCE((SELECT pg_catalog.string_agg(pg_catalog.format("
        "  E'ALTER DEFAULT PRIVILEGES FOR ROLE %I%s GRANT %s ON %s TO %s%s;\n', role, "
        "  inschema, x.privilege_type, kw, CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE "
        "  pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(x.grantee)) END, CASE WHEN "
        "  x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END), '' ORDER BY x.ord) "
        "  FROM pg_catalog.aclexplode(acl) WITH ORDINALITY "
        "  x(grantor, grantee, privilege_type, is_grantable, ord)), '') "
        "FROM d WHERE defaclnamespace = 0 OR (nspname IS NOT NULL AND "
        " nspname NOT IN ('pg_catalog', 'information_schema')) ORDER BY oid";
    return add_privileges(s, dsql, "reading default privileges", err);
}

/*
 * pg_dump's entries for the archive (pg_ddl.c), under this transaction's snapshot: the
 * tables left out by -t/-T go to pg_dump as -T (every other object stays, as in our own
 * selection).
 */
static int native_ddl(dbe_source *s, const dbc_select *sel, dbf_error *err)
{
    int rc = pg_ddl_check(s->conn, s->pg_dump_version, err);
    if (rc)
        return rc;
    PGresult *r = pg_q(s, "SELECT pg_catalog.pg_export_snapshot()", 0, NULL, PGRES_TUPLES_OK,
                       "exporting the snapshot for pg_dump", err);
    if (!r)
        return err->code;
    char *snap = dbf_arena_strdup(&s->arena, PQgetvalue(r, 0, 0));
    PQclear(r);
    const char **argv = calloc(2 * s->ntables + 1, sizeof(*argv));
    size_t n = 0;
    dbc_buf b = {0};
    if (!snap || !argv) {
        free(argv);
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < s->ntables && sel && (sel->ninclude || sel->nexclude); i++) {
        if (dbc_select_table_of(sel, &s->tables[i]))
            continue;
        if (s->tabs[i].relkind == 'L') { /* large objects left out: their metadata too */
            argv[n++] = "--no-blobs";
            continue;
        }
        b.len = 0;
        dbc_buf_ident(&b, s->tables[i].schema, '"');
        dbc_buf_putc(&b, '.');
        dbc_buf_ident(&b, s->tables[i].name, '"');
        argv[n++] = "-T";
        argv[n++] = b.oom ? NULL : dbf_arena_strdup(&s->arena, b.p);
        if (!argv[n - 1]) {
            rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
            break;
        }
    }
    /* indexes and the sequences a column owns (serial, identity), with their tables */
    static const char owned_sql[] =
        "SELECT n.nspname, c.relname, t.relname FROM pg_catalog.pg_index i "
        " JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid "
        " JOIN pg_catalog.pg_class t ON t.oid = i.indrelid "
        " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE " NSP_FILTER("n") " "
        "UNION ALL SELECT n.nspname, c.relname, t.relname FROM pg_catalog.pg_depend d "
        " JOIN pg_catalog.pg_class c ON c.oid = d.objid AND c.relkind = 'S' "
        " JOIN pg_catalog.pg_class t ON t.oid = d.refobjid "
        " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        " WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refclassid = "
        " 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype IN ('a', 'i') AND "
        NSP_FILTER("n");
    const char **owned = NULL;
    size_t nowned = 0;
    PGresult *or = rc ? NULL : pg_q(s, owned_sql, 0, NULL, PGRES_TUPLES_OK,
                                    "reading indexes and owned sequences", err);
    if (!rc && !or)
        rc = err->code;
    if (or) {
        nowned = (size_t)PQntuples(or);
        owned = dbf_arena_calloc(&s->arena, 3 * nowned + 1, sizeof(*owned));
        for (size_t i = 0; owned && i < 3 * nowned; i++)
            if (!(owned[i] = dbf_arena_strdup(&s->arena, PQgetvalue(or, (int)(i / 3),
                                                                    (int)(i % 3)))))
                owned = NULL;
        PQclear(or);
        if (!owned)
            rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
    }
    pg_ddl_run run = {s->conn, snap, argv, n, &s->arena, s->tables, s->ntables, owned, nowned};
    if (!rc)
        rc = pg_ddl_dump(&run, &s->pre, &s->post, err);
    free(argv);
    dbc_buf_free(&b);
    return rc;
}

/*
 * Large objects' bytes: a table of the archive (spec/FORMAT.md 3.8), pg_catalog.pg_largeobject
 * with rows (loid, offset, data) of at most LO_PIECE bytes, read through the large object
 * API in this snapshot; their metadata (lo_create, owner, comment, grants) are pg_dump's
 * pre-data entries. In a dump only when the database has any.
 */
#define LO_PIECE (1u << 20)

static int lo_table(dbe_source *s, bool always, dbf_error *err)
{
    PGresult *r = pg_q(s, "SELECT pg_catalog.count(*) FROM pg_catalog.pg_largeobject_metadata",
                       0, NULL, PGRES_TUPLES_OK, "counting large objects", err);
    if (!r)
        return err->code;
    long long n = atoll(PQgetvalue(r, 0, 0));
    PQclear(r);
    if (n == 0 && !always)
        return 0;
    dbf_column *c = dbf_arena_calloc(&s->arena, 3, sizeof(*c));
    dbf_kv *kv = dbf_arena_calloc(&s->arena, 1, sizeof(*kv));
    if (!c || !kv)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    static const char *const names[3] = {"loid", "offset", "data"};
    static const char *const natives[3] = {"oid", "bigint", "bytea"};
    for (int i = 0; i < 3; i++)
        c[i] = (dbf_column){.name = names[i], .type = i == 2 ? DBF_T_BYTES : DBF_T_INT,
                            .bits = 64, .length = -1, .precision = -1, .scale = -1,
                            .flags = DBF_COL_NOT_NULL, .native_type = natives[i]};
    *kv = (dbf_kv){DBE_PG_LO_ATTR, "1"};
    dbf_table *t = &s->tables[s->ntables];
    *t = (dbf_table){.id = (uint32_t)s->ntables + 1, .schema = "pg_catalog",
                     .name = "pg_largeobject", .columns = c, .ncolumns = 3,
                     .engine = "postgresql", .row_estimate = n, .attrs = kv, .nattrs = 1};
    s->tabs[s->ntables] = (pg_tab){.relkind = 'L', .qname = "pg_catalog.pg_largeobject"};
    s->ntables++;
    return 0;
}

/* One large object, in pieces, to emit. */
static int lo_stream_one(pg_lane *l, const dbf_table *t, uint32_t oid, char *buf,
                         dbe_row_fn emit, void *ctx, dbf_error *err)
{
    int fd = lo_open(l->conn, oid, INV_READ);
    if (fd < 0)
        return pg_conn_fail(l->conn, err, DBC_EBACKEND, "opening a large object");
    int rc = 0;
    int64_t off = 0;
    for (;;) {
        int n = lo_read(l->conn, fd, buf, LO_PIECE);
        if (n < 0) {
            rc = pg_conn_fail(l->conn, err, DBC_EBACKEND, "reading a large object");
            break;
        }
        if (n == 0 && off > 0)
            break;
        l->vals[0] = (dbf_value){.kind = DBF_V_INT, .u.i = oid};
        l->vals[1] = (dbf_value){.kind = DBF_V_INT, .u.i = off};
        l->vals[2] = (dbf_value){.kind = DBF_V_BIN, .u.s = {buf, (size_t)n}};
        if ((rc = emit(ctx, l->vals, t->ncolumns, err)) != 0 || n < (int)LO_PIECE)
            break;
        off += n;
    }
    lo_close(l->conn, fd);
    return rc;
}

static int lo_stream(pg_lane *l, const dbf_table *t, dbe_row_fn emit, void *ctx,
                     dbf_error *err)
{
    PGresult *r = PQexec(l->conn, "SELECT oid FROM pg_catalog.pg_largeobject_metadata "
                                  "ORDER BY oid");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        PQclear(r);
        return pg_conn_fail(l->conn, err, DBC_EBACKEND, "listing large objects");
    }
    char *buf = malloc(LO_PIECE);
    int rc = buf ? 0 : dbf_error_set(err, DBF_ENOMEM, "out of memory");
    for (int i = 0; i < PQntuples(r) && !rc; i++)
        rc = lo_stream_one(l, t, (uint32_t)strtoul(PQgetvalue(r, i, 0), NULL, 10), buf, emit,
                           ctx, err);
    free(buf);
    PQclear(r);
    return rc;
}

/* ------------------------------------------------------------------ vtable */

static int set_conninfo_and_connect(dbe_source *s, const char *conninfo, dbf_error *err)
{
    s->conn = pg_connect(conninfo, "dbdump");
    if (!s->conn)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory connecting to PostgreSQL");
    if (PQstatus(s->conn) != CONNECTION_OK)
        return pg_fail(s, err, DBC_ECONNECT, "cannot connect");
    return 0;
}

static void pg_src_close(dbe_source *s)
{
    if (!s)
        return;
    for (unsigned i = 0; i < s->nlanes; i++) {
        pg_lane *l = &s->lanes[i];
        if (i == 0)
            l->conn = s->conn; /* lane 0's connection is the source's own */
        if (l->conn) {
            if (PQtransactionStatus(l->conn) == PQTRANS_INTRANS) {
                PGresult *r = PQexec(l->conn, "COMMIT");
                PQclear(r);
            }
            PQfinish(l->conn);
        }
        dbf_arena_free(&l->row_arena);
        free(l->vals);
        free(l->locked);
    }
    if (!s->nlanes && s->conn)
        PQfinish(s->conn);
    free(s->lanes);
    dbf_arena_free(&s->arena);
    free(s->tables);
    free(s->tabs);
    dbc_vec_free(&s->pre);
    dbc_vec_free(&s->post);
    free(s->types);
    free(s);
}

/* dbdump -j: lanes 1..n-1, each a connection of its own in this transaction's snapshot
 * (exported; it lives as long as this transaction). */
static int open_lanes(dbe_source *s, const char *conninfo, dbf_error *err)
{
    PGresult *r = pg_q(s, "SELECT pg_catalog.pg_export_snapshot()", 0, NULL, PGRES_TUPLES_OK,
                       "exporting the snapshot for -j", err);
    if (!r)
        return err->code;
    char set[160];
    snprintf(set, sizeof set, "SET TRANSACTION SNAPSHOT '%s'", PQgetvalue(r, 0, 0));
    PQclear(r);
    for (unsigned i = 1; i < s->nlanes; i++) {
        pg_lane *l = &s->lanes[i];
        int rc;
        if (!(l->conn = pg_connect(conninfo, "dbdump")) ||
            !(l->locked = calloc(s->ntables ? s->ntables : 1, 1)))
            return dbf_error_set(err, DBF_ENOMEM, "out of memory connecting to PostgreSQL");
        if (PQstatus(l->conn) != CONNECTION_OK)
            return pg_conn_fail(l->conn, err, DBC_ECONNECT, "cannot open connection 2 or more "
                                "(-j)");
        if ((rc = pg_session(l->conn, false, err)) ||
            (rc = conn_exec(l->conn, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", err)) ||
            (rc = conn_exec(l->conn, set, err)))
            return rc;
    }
    return 0;
}

static int pg_src_open(dbe_source **out, const dbe_target *t, const dbe_dump_opts *o,
                       dbf_error *err)
{
    int rc = 0;
    pg_ident *idents = NULL;
    size_t nidents = 0;
    dbc_buf oids = {0};
    dbe_source *s = calloc(1, sizeof(*s));
    *out = NULL;
    if (!s || !(s->lanes = calloc(dbe_dump_lanes(o), sizeof *s->lanes))) {
        free(s);
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    }
    s->nlanes = dbe_dump_lanes(o);
    if (!t || !t->conninfo) {
        rc = dbf_error_set(err, DBC_EUSAGE, "no PostgreSQL connection string");
        goto done;
    }
    if ((rc = set_conninfo_and_connect(s, t->conninfo, err)) != 0) {
        /* libpq's message may echo the host but never the password. */
        goto done;
    }
    s->lanes[0].conn = s->conn;
    /* The catalog queries read what PostgreSQL 12 to 17 have; a newer server may have
     * changed them (18 makes NOT NULL a pg_constraint row), so it is refused, not misread. */
    if (PQserverVersion(s->conn) < 120000 || PQserverVersion(s->conn) >= 180000) {
        rc = dbf_error_set(err, DBF_EUNSUPPORTED,
                           "PostgreSQL %d is not supported: this version of dbdump reads "
                           "PostgreSQL 12 to 17", PQserverVersion(s->conn) / 10000);
        goto done;
    }
    if ((rc = pg_session(s->conn, false, err)) ||
        (rc = pg_exec(s, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", err)))
        goto done;
    snprintf(s->server_version, sizeof s->server_version, "%s",
             PQparameterStatus(s->conn, "server_version")
                 ? PQparameterStatus(s->conn, "server_version") : "");
    snprintf(s->database, sizeof s->database, "%s", PQdb(s->conn) ? PQdb(s->conn) : "");

    if ((rc = load_types(s, err)) || (rc = load_schemas(s, err)) ||
        (rc = load_extensions(s, err)) || (rc = load_collations(s, err)) ||
        (rc = load_types_ddl(s, err)) || (rc = load_functions(s, err)) ||
        (rc = load_aggregates(s, err)) || (rc = load_sequences(s, &idents, &nidents, err)) ||
        (rc = load_tables(s, idents, nidents, &oids, err)))
        goto done;
    if (s->ntables) {
        /* Keep the tables from being dropped or altered while we read them. */
        dbc_buf lk = {0};
        dbc_buf_puts(&lk, "LOCK TABLE ");
        for (size_t i = 0; i < s->ntables; i++)
            dbc_buf_printf(&lk, "%s%s", i ? ", " : "", s->tabs[i].qname);
        dbc_buf_puts(&lk, " IN ACCESS SHARE MODE");
        PGresult *lr = lk.oom ? NULL
                              : pg_q(s, lk.p, 0, NULL, PGRES_COMMAND_OK, "locking the tables", err);
        rc = lr ? 0 : lk.oom ? dbf_error_set(err, DBF_ENOMEM, "out of memory") : err->code;
        PQclear(lr);
        dbc_buf_free(&lk);
        if (rc)
            goto done;
    }
    if ((rc = load_views(s, 'v', err)) || (rc = load_constraints(s, oids.p, 0, err)) ||
        (rc = load_indexes(s, oids.p, false, err)) || (rc = load_constraints(s, oids.p, 1, err)) ||
        (rc = load_constraints(s, oids.p, 2, err)) || (rc = load_views(s, 'm', err)) ||
        (rc = load_indexes(s, oids.p, true, err)) ||
        (rc = load_triggers_rules_policies(s, err)))
        goto done;
    /* setval and OWNED BY last: move those post objects to the end, keeping order. */
    {
        size_t w = 0, n = s->post.n;
        dbf_object *post = s->post.p, *tmp = malloc((n + 1) * sizeof(*tmp));
        if (!tmp) {
            rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
            goto done;
        }
        for (int pass = 0; pass < 2; pass++)
            for (size_t i = 0; i < n; i++) {
                bool late = post[i].kind == DBF_OBJ_SEQUENCE ||
                            (post[i].subtype && strcmp(post[i].subtype, "sequence_owned_by") == 0);
                if (late == (pass == 1))
                    tmp[w++] = post[i];
            }
        if (n)
            memcpy(post, tmp, n * sizeof(*tmp));
        free(tmp);
    }
    if ((rc = load_privileges(s, err)) != 0)
        goto done;
    /* a dump: when there are large objects; a target read back (--verify, a data-only
     * load): always, so that an archive's large objects have a table to go to */
    if ((rc = lo_table(s, !(o && o->native_ddl), err)) != 0)
        goto done;
    /* A dump takes pg_dump's complete DDL too; the portable schema alone (a target read
     * back by --verify or a data-only load) is all another reader needs. */
    if (o && o->native_ddl && !(o->select && o->select->data_only) &&
        (rc = native_ddl(s, o->select, err)) != 0)
        goto done;
    if (s->oom) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory reading the schema");
        goto done;
    }
    if (s->nlanes > 1 && (rc = open_lanes(s, t->conninfo, err)) != 0)
        goto done;
    *out = s;
    s = NULL;
done:
    free(idents);
    dbc_buf_free(&oids);
    pg_src_close(s);
    return rc;
}

static int pg_src_header(dbe_source *s, dbf_header *out, dbf_error *err)
{
    (void)err;
    out->engine = "postgresql";
    out->server_version = s->server_version;
    out->database = s->database;
    out->encoding = "UTF-8";
    out->time_zone = "UTC";
    if (s->pg_dump_version[0]) {
        s->options[0] = (dbf_kv){DBE_PG_DDL_OPTION, s->pg_dump_version};
        out->options = s->options;
        out->noptions = 1;
    }
    return 0;
}

static int pg_src_tables(dbe_source *s, const dbf_table **out, size_t *out_n, dbf_error *err)
{
    (void)err;
    *out = s->tables;
    *out_n = s->ntables;
    return 0;
}

static int pg_src_objects(dbe_source *s, dbf_section sec, const dbf_object **out, size_t *out_n,
                          dbf_error *err)
{
    (void)err;
    const dbc_vec *v = sec == DBF_SEC_PRE ? &s->pre : &s->post;
    *out = v->p;
    *out_n = v->n;
    return 0;
}

/* ------------------------------------------------------------------- data */

typedef struct pg_rowctx {
    pg_lane *l;
    const dbf_table *t;
    uint64_t row;
    dbf_error *err;
} pg_rowctx;

static int bad_field(pg_rowctx *x, size_t col, const char *why)
{
    return dbf_error_set(x->err, DBF_ECORRUPT,
                         "PostgreSQL COPY data: table %s.%s column %s row %" PRIu64 ": %s",
                         x->t->schema, x->t->name, x->t->columns[col].name, x->row, why);
}

static char *scratch(pg_rowctx *x, size_t n)
{
    char *p = dbf_arena_alloc(&x->l->row_arena, n);
    if (!p)
        dbf_error_set(x->err, DBF_ENOMEM, "out of memory decoding a row of %s.%s", x->t->schema,
                      x->t->name);
    return p;
}

/* The binary length of each fixed-size conversion, and what a field of another length is. */
static const struct {
    size_t len;
    const char *bad;
} fixed_len[CV_ARRAY + 1] = {
    [CV_BOOL] = {1, "bad bool"},      [CV_INT2] = {2, "bad int2"},
    [CV_INT4] = {4, "bad int4"},      [CV_INT8] = {8, "bad int8"},
    [CV_F4] = {4, "bad float4"},      [CV_F8] = {8, "bad float8"},
    [CV_DATE] = {4, "bad date"},      [CV_TIME] = {8, "bad time"},
    [CV_TIMETZ] = {12, "bad timetz"}, [CV_TS] = {8, "bad timestamp"},
    [CV_TSTZ] = {8, "bad timestamp"}, [CV_INTERVAL] = {16, "bad interval"},
    [CV_UUID] = {16, "uuid is not 16 bytes"},
};

/* A date, time, timetz or timestamp[tz] field (of the right length) as its portable text. */
static int decode_datetime(pg_rowctx *x, pg_conv cv, const unsigned char *p, dbf_value *v)
{
    char *o = scratch(x, cv == CV_DATE ? 32 : cv == CV_TIME ? 40 : 64);
    if (!o)
        return DBF_ENOMEM;
    v->kind = DBF_V_STR;
    v->u.s.ptr = o;
    v->u.s.len = cv == CV_DATE     ? pg_fmt_date(o, pg_get32(p))
                 : cv == CV_TIME   ? pg_fmt_time(o, pg_get64(p))
                 : cv == CV_TIMETZ ? pg_fmt_timetz(o, pg_get64(p), pg_get32(p + 8))
                                   : pg_fmt_timestamp(o, pg_get64(p), cv == CV_TSTZ);
    return 0;
}

/* Decode one binary field (not NULL) of conversion cv into *v. */
static int decode_scalar(pg_rowctx *x, size_t col, pg_conv cv, const unsigned char *p,
                         size_t len, dbf_value *v)
{
    if (fixed_len[cv].len && len != fixed_len[cv].len)
        return bad_field(x, col, fixed_len[cv].bad);
    switch (cv) {
    case CV_TEXT:
    case CV_BYTES:
    case CV_UUID:
        v->kind = cv == CV_TEXT ? DBF_V_STR : DBF_V_BIN;
        v->u.s.ptr = (const char *)p;
        v->u.s.len = len;
        return 0;
    case CV_JSONB:
        if (len < 1 || p[0] != 1)
            return bad_field(x, col, "unknown jsonb version");
        v->kind = DBF_V_STR;
        v->u.s.ptr = (const char *)p + 1;
        v->u.s.len = len - 1;
        return 0;
    case CV_BOOL:
        v->kind = DBF_V_BOOL;
        v->u.b = p[0] != 0;
        return 0;
    case CV_INT2:
    case CV_INT4:
    case CV_INT8:
        v->kind = DBF_V_INT;
        v->u.i = cv == CV_INT2 ? pg_get16(p) : cv == CV_INT4 ? pg_get32(p) : pg_get64(p);
        return 0;
    case CV_F4: {
        uint32_t b = (uint32_t)pg_get32(p);
        v->kind = DBF_V_F32;
        memcpy(&v->u.f32, &b, 4);
        return 0;
    }
    case CV_F8: {
        uint64_t b = (uint64_t)pg_get64(p);
        v->kind = DBF_V_F64;
        memcpy(&v->u.f64, &b, 8);
        return 0;
    }
    case CV_NUMERIC: {
        size_t max = pg_numeric_text_max(p, len), n;
        char *o;
        if (!max)
            return bad_field(x, col, "bad numeric");
        if (!(o = scratch(x, max)))
            return DBF_ENOMEM;
        if (!(n = pg_fmt_numeric(o, p, len)))
            return bad_field(x, col, "bad numeric");
        v->kind = DBF_V_STR;
        v->u.s.ptr = o;
        v->u.s.len = n;
        return 0;
    }
    case CV_DATE:
    case CV_TIME:
    case CV_TIMETZ:
    case CV_TS:
    case CV_TSTZ:
        return decode_datetime(x, cv, p, v);
    case CV_INTERVAL:
        v->kind = DBF_V_INTERVAL;
        v->u.iv.micros = pg_get64(p);
        v->u.iv.days = pg_get32(p + 8);
        v->u.iv.months = pg_get32(p + 12);
        return 0;
    case CV_ARRAY:
        break;
    }
    return bad_field(x, col, "unexpected conversion");
}

static int decode_array(pg_rowctx *x, size_t col, pg_conv ecv, const unsigned char *p,
                        size_t len, dbf_value *v)
{
    if (len < 12)
        return bad_field(x, col, "bad array header");
    int32_t ndim = pg_get32(p);
    if (ndim < 0 || ndim > DBF_MAX_DIMS)
        return bad_field(x, col, "array has too many dimensions");
    if (len < 12 + (size_t)ndim * 8)
        return bad_field(x, col, "bad array header");
    v->kind = DBF_V_ARRAY;
    v->u.arr.ndims = ndim;
    size_t nel = ndim ? 1 : 0;
    for (int d = 0; d < ndim; d++) {
        int32_t dim = pg_get32(p + 12 + d * 8);
        if (dim < 0)
            return bad_field(x, col, "bad array dimension");
        v->u.arr.dims[d] = dim;
        v->u.arr.lbounds[d] = pg_get32(p + 16 + d * 8);
        nel *= (size_t)dim;
        if (nel > len)
            return bad_field(x, col, "array larger than its data");
    }
    const unsigned char *q = p + 12 + (size_t)ndim * 8, *end = p + len;
    dbf_value *el = NULL;
    if (nel) {
        el = dbf_arena_alloc(&x->l->row_arena, nel * sizeof(*el));
        if (!el)
            return dbf_error_set(x->err, DBF_ENOMEM, "out of memory decoding an array of %s.%s",
                                 x->t->schema, x->t->name);
    }
    for (size_t i = 0; i < nel; i++) {
        if (end - q < 4)
            return bad_field(x, col, "array element truncated");
        int32_t el_len = pg_get32(q);
        q += 4;
        if (el_len < 0) {
            el[i].kind = DBF_V_NULL;
            continue;
        }
        if ((size_t)(end - q) < (size_t)el_len)
            return bad_field(x, col, "array element truncated");
        int rc = decode_scalar(x, col, ecv, q, (size_t)el_len, &el[i]);
        if (rc)
            return rc;
        q += el_len;
    }
    v->u.arr.elems = el;
    v->u.arr.nelems = nel;
    return 0;
}

/* Decode one binary COPY tuple into the lane's vals. */
static int decode_row(pg_rowctx *x, const pg_tab *pt, const unsigned char *p, size_t len)
{
    pg_lane *l = x->l;
    size_t n = x->t->ncolumns;
    if (len < 2 || (size_t)(uint16_t)pg_get16(p) != n)
        return dbf_error_set(x->err, DBF_ECORRUPT,
                             "PostgreSQL COPY data: table %s.%s row %" PRIu64
                             ": unexpected field count",
                             x->t->schema, x->t->name, x->row);
    const unsigned char *q = p + 2, *end = p + len;
    for (size_t i = 0; i < n; i++) {
        if (end - q < 4)
            return bad_field(x, i, "row truncated");
        int32_t fl = pg_get32(q);
        q += 4;
        dbf_value *v = &l->vals[i];
        if (fl < 0) {
            v->kind = DBF_V_NULL;
            continue;
        }
        if ((size_t)(end - q) < (size_t)fl)
            return bad_field(x, i, "field truncated");
        int rc = pt->cols[i].conv == CV_ARRAY
                     ? decode_array(x, i, pt->cols[i].elem_conv, q, (size_t)fl, v)
                     : decode_scalar(x, i, pt->cols[i].conv, q, (size_t)fl, v);
        if (rc)
            return rc;
        q += fl;
    }
    return 0;
}

/* The COPY that reads t's rows in range (NULL: all of them) into b. */
static void range_copy(const dbf_table *t, const pg_tab *pt, const dbe_key_range *range,
                       dbc_buf *b)
{
    if (!range) {
        dbc_buf_puts(b, pt->copy_sql);
        return;
    }
    dbc_buf_printf(b, "COPY (SELECT %s FROM ONLY %s", pt->select, pt->qname);
    dbe_key_range_where(b, t, range, '"');
    dbc_buf_puts(b, ") TO STDOUT (FORMAT binary)");
}

/*
 * A lane other than 0 takes each table's ACCESS SHARE lock itself, NOWAIT as pg_dump -j's
 * workers do: lane 0 holds it since open, so a lock not granted at once means a session waits
 * for an exclusive lock behind lane 0 (DDL during the dump), and waiting would never end.
 */
static int lane_lock(dbe_source *s, pg_lane *l, const dbf_table *t, const pg_tab *pt,
                     dbf_error *err)
{
    if (l == &s->lanes[0] || l->locked[t->id - 1] || pt->relkind == 'L')
        return 0;
    dbc_buf q = {0};
    dbc_buf_printf(&q, "LOCK TABLE ONLY %s IN ACCESS SHARE MODE NOWAIT", pt->qname);
    if (q.oom)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    PGresult *r = PQexec(l->conn, q.p);
    int rc = 0;
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        const char *m = PQresultErrorMessage(r);
        rc = dbf_error_set(err, DBC_EBACKEND, "PostgreSQL: table %s.%s: another session waits "
                           "for an exclusive lock on it (DDL during the dump?); dbdump -j "
                           "cannot read it on a second connection: %.*s", t->schema, t->name,
                           (int)pg_msg_len(m), m);
    } else {
        l->locked[t->id - 1] = 1;
    }
    PQclear(r);
    dbc_buf_free(&q);
    return rc;
}

static int pg_src_stream_lane(dbe_source *s, unsigned lane, const dbf_table *t,
                              const dbe_key_range *range, dbe_row_fn emit, void *ctx,
                              dbf_error *err)
{
    int rc = 0;
    if (!t || t->id == 0 || t->id > s->ntables)
        return dbf_error_set(err, DBF_EINVAL, "unknown table");
    if (lane >= s->nlanes)
        return dbf_error_set(err, DBF_EINVAL, "no connection %u", lane + 1);
    pg_lane *l = &s->lanes[lane];
    const pg_tab *pt = &s->tabs[t->id - 1];
    t = &s->tables[t->id - 1];
    if (pt->relkind == 'p')
        return 0; /* partitioned: rows live in the partitions */
    if (l->vals_cap < t->ncolumns + 1) {
        free(l->vals);
        l->vals = calloc(t->ncolumns + 1, sizeof(*l->vals));
        if (!l->vals) {
            l->vals_cap = 0;
            return dbf_error_set(err, DBF_ENOMEM, "out of memory");
        }
        l->vals_cap = t->ncolumns + 1;
    }
    if ((rc = lane_lock(s, l, t, pt, err)) != 0)
        return rc;
    if (pt->relkind == 'L')
        return lo_stream(l, t, emit, ctx, err);
    dbc_buf q = {0};
    range_copy(t, pt, range, &q);
    if (q.oom)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    PGresult *r = PQexec(l->conn, q.p);
    dbc_buf_free(&q);
    if (PQresultStatus(r) != PGRES_COPY_OUT) {
        rc = dbf_error_set(err, DBC_EBACKEND, "PostgreSQL: COPY of %s.%s failed: %s", t->schema,
                           t->name, PQresultErrorMessage(r));
        PQclear(r);
        return rc;
    }
    PQclear(r);
    pg_rowctx x = {l, t, 0, err};
    bool header = false, trailer = false;
    char *buf = NULL;
    int n;
    while ((n = PQgetCopyData(l->conn, &buf, 0)) > 0) {
        const unsigned char *p = (const unsigned char *)buf;
        size_t len = (size_t)n;
        if (!header) {
            if (len < 19 || memcmp(p, pg_copy_signature, 11) != 0) {
                rc = dbf_error_set(err, DBF_ECORRUPT, "PostgreSQL: bad binary COPY header");
                goto next;
            }
            uint32_t ext = (uint32_t)pg_get32(p + 15);
            if (len < 19 + (size_t)ext) {
                rc = dbf_error_set(err, DBF_ECORRUPT, "PostgreSQL: bad binary COPY header");
                goto next;
            }
            p += 19 + ext;
            len -= 19 + ext;
            header = true;
        }
        if (len == 0)
            goto next;
        if (len == 2 && pg_get16(p) == -1) {
            trailer = true;
            goto next;
        }
        x.row++;
        dbf_arena_reset(&l->row_arena);
        if ((rc = decode_row(&x, pt, p, len)) != 0)
            goto next;
        rc = emit(ctx, l->vals, t->ncolumns, err);
    next:
        PQfreemem(buf);
        buf = NULL;
        if (rc)
            break;
    }
    if (rc) {
        /* Stop the COPY: drain what the server still sends (cancel would need a second
         * connection; the dump is failing anyway, so just close). */
        return rc;
    }
    if (n == -2)
        return pg_conn_fail(l->conn, err, DBC_EBACKEND, "reading COPY data");
    r = PQgetResult(l->conn);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        rc = dbf_error_set(err, DBC_EBACKEND, "PostgreSQL: COPY of %s.%s failed: %s", t->schema,
                           t->name, PQresultErrorMessage(r));
    } else if (!trailer) {
        rc = dbf_error_set(err, DBF_ECORRUPT, "PostgreSQL: COPY of %s.%s ended without trailer",
                           t->schema, t->name);
    }
    PQclear(r);
    while ((r = PQgetResult(l->conn)) != NULL)
        PQclear(r);
    return rc;
}

static int pg_src_stream_rows(dbe_source *s, const dbf_table *t, dbe_row_fn emit, void *ctx,
                              dbf_error *err)
{
    return pg_src_stream_lane(s, 0, t, NULL, emit, ctx, err);
}

static int pg_src_key_bounds(dbe_source *s, const dbf_table *t, size_t col, bool *usable,
                             int64_t *min, int64_t *max, dbf_error *err)
{
    *usable = false;
    if (!t || t->id == 0 || t->id > s->ntables || col >= s->tables[t->id - 1].ncolumns)
        return dbf_error_set(err, DBF_EINVAL, "unknown table or column");
    const pg_tab *pt = &s->tabs[t->id - 1];
    t = &s->tables[t->id - 1];
    pg_conv cv = pt->cols[col].conv;
    if (pt->relkind != 'r' || pt->filtered || !(cv == CV_INT2 || cv == CV_INT4 || cv == CV_INT8))
        return 0;
    dbc_buf q = {0};
    dbc_buf_puts(&q, "SELECT pg_catalog.min(");
    dbc_buf_ident(&q, t->columns[col].name, '"');
    dbc_buf_puts(&q, ")::int8, pg_catalog.max(");
    dbc_buf_ident(&q, t->columns[col].name, '"');
    dbc_buf_printf(&q, ")::int8 FROM ONLY %s", pt->qname);
    if (q.oom)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    PGresult *r = pg_q(s, q.p, 0, NULL, PGRES_TUPLES_OK, "reading a key's bounds", err);
    dbc_buf_free(&q);
    if (!r)
        return err->code;
    if (!PQgetisnull(r, 0, 0) && !PQgetisnull(r, 0, 1)) {
        *min = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        *max = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
        *usable = true;
    }
    PQclear(r);
    return 0;
}

const dbe_source_ops dbe_pg_source = {
    .version = DBE_SOURCE_OPS_VERSION,
    .engine = DBE_POSTGRESQL,
    .open = pg_src_open,
    .header = pg_src_header,
    .tables = pg_src_tables,
    .objects = pg_src_objects,
    .stream_rows = pg_src_stream_rows,
    .close = pg_src_close,
    .stream_lane = pg_src_stream_lane,
    .key_bounds = pg_src_key_bounds,
};
