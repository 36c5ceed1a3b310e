/*
 * tosql.c - dbrestore --to-sql DIALECT: a sink that prints a plain SQL script on stdout.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbc_buf.h"
#include "dbc_text.h"
#include "dbr.h"
#include "xlate_int.h"

int dbr_tosql_target(dbe_target **out, const char *dialect, dbf_error *err)
{
    dbe_id e = dbe_id_named(dialect);
    if (!e)
        return dbf_error_set(err, DBC_EUSAGE,
                             "unknown --to-sql dialect '%s' (postgresql, mysql, sqlite)", dialect);
    dbe_target *t = calloc(1, sizeof *t);
    if (!t || !(t->display = strdup("standard output"))) {
        free(t);
        return dbc_oom(err);
    }
    t->engine = e;
    *out = t;
    return 0;
}

/*
 * The script is one transaction: CREATE statements from the archive's native DDL (same
 * engine) or from the cross-engine translation (exec_sql), the rows, post-data objects,
 * COMMIT. Rows are one INSERT each, or where the dialect has a bulk form (dbe_dialect
 * copy_row) a block of it per table: for PostgreSQL `COPY ... FROM stdin` in text format, as
 * pg_dump writes, so that every value the direct restore loads loads the same way. INSERT
 * values are literals of the dialect: text quoted (and for MySQL backslash-escaped), blobs
 * as hex literals, floats shortest (exact), NULL. A PostgreSQL
 * archive with pg_dump's entries (spec/FORMAT.md) is written as a PostgreSQL script from
 * those entries, as the PostgreSQL sink restores it: pre-data entries, rows, sequence
 * values, post-data entries.
 */
struct dbe_sink {
    dbe_id d;       /* dialect */
    char q;         /* its identifier quote */
    FILE *f;        /* stdout */
    bool data_only; /* --data-only: no CREATE statements (the pump sets force for it) */
    bool pg_dump;   /* PostgreSQL script of an archive with pg_dump's entries */
    bool dirty;     /* a pg_dump entry changed the session: the script's settings again */
    bool in_copy;   /* inside a COPY ... FROM stdin block */
    const dbe_dialect *dl;
    dbc_buf b;      /* the statement being written (a row's INSERT or COPY line) */
    dbc_buf arr, tmp; /* scratch of dl->copy_row */
    char *my_db_coll; /* MySQL: the source database's collation (its setting object) */
    bool my_mariadb;  /* MySQL: the archive comes from MariaDB (EXECUTE IMMEDIATE exists) */
};

static const char pg_settings[] = "SET client_encoding = 'UTF8';\n"
                                  "SET standard_conforming_strings = on;\n"
                                  "SET check_function_bodies = false;\n";

/* After pg_dump's entries (their preambles set search_path, ...): the script's settings. */
static void settle(dbe_sink *k)
{
    if (!k->dirty)
        return;
    k->dirty = false;
    fprintf(k->f, "RESET ALL;\n%s", pg_settings);
}

static int out_err(dbe_sink *k, dbf_error *err)
{
    if (ferror(k->f))
        return dbf_error_set(err, DBF_EIO, "writing the SQL script to standard output failed");
    return 0;
}

/* Write out the statement in k->b; rc: the error of a statement cut short (written all the
 * same, the script ends in ROLLBACK). */
static int flush(dbe_sink *k, int rc, dbf_error *err)
{
    fwrite(k->b.p ? k->b.p : "", 1, k->b.len, k->f);
    if (!rc && k->b.oom)
        rc = dbc_oom(err);
    dbc_buf_reset(&k->b);
    return rc ? rc : out_err(k, err);
}

static void put_bin(dbe_sink *k, const char *p, size_t n)
{
    dbc_buf_puts(&k->b, k->d == DBE_POSTGRESQL ? "'\\x" : "X'");
    dbc_buf_hex(&k->b, p, n);
    dbc_buf_puts(&k->b, k->d == DBE_POSTGRESQL ? "'::bytea" : "'");
}

static int put_text(dbe_sink *k, const dbf_table *t, size_t col, uint64_t row, const char *p,
                    size_t n, dbf_error *err)
{
    /* A carriage return ending a line of the script is dropped by the line readers of the
     * sqlite3 shell and of the mysql client: SQLite gets such text as hex, MySQL with its \r
     * escape, PostgreSQL (psql keeps it) as an E'' string with \r all the same, so that no
     * client's line handling matters. */
    bool cr = memchr(p, '\r', n) != NULL;
    if (memchr(p, '\0', n) || (cr && k->d == DBE_SQLITE)) {
        if (k->d == DBE_SQLITE) {
            dbc_buf_puts(&k->b, "CAST(");
            put_bin(k, p, n);
            dbc_buf_puts(&k->b, " AS TEXT)");
            return 0;
        }
        if (k->d == DBE_POSTGRESQL)
            return dbf_error_set(err, DBC_EDATA,
                                 "table %s, column %s, row %llu: text with a NUL byte cannot be "
                                 "written for PostgreSQL",
                                 t->name, t->columns[col].name, (unsigned long long)row);
    }
    bool e = cr && k->d == DBE_POSTGRESQL;
    dbc_buf_puts(&k->b, e ? "E'" : "'");
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '\'')
            dbc_buf_puts(&k->b, "''");
        else if ((k->d == DBE_MYSQL || e) && c == '\\')
            dbc_buf_puts(&k->b, "\\\\");
        else if ((k->d == DBE_MYSQL || e) && c == '\r')
            dbc_buf_puts(&k->b, "\\r");
        else if (k->d == DBE_MYSQL && c == '\0')
            dbc_buf_puts(&k->b, "\\0");
        else if (k->d == DBE_MYSQL && c == '\032')
            dbc_buf_puts(&k->b, "\\Z");
        else
            dbc_buf_putc(&k->b, c);
    }
    dbc_buf_putc(&k->b, '\'');
    return 0;
}

/* Floats shortest (dbc_float_shortest); the infinities and NaN as PostgreSQL spells them,
 * the infinities as SQLite reads them, none for MySQL (-1). */
static int put_float(dbe_sink *k, double v, bool f32)
{
    char t[DBC_NUM_TEXT];
    size_t n = dbc_float_shortest(t, v, f32);
    if (isfinite(v)) {
        dbc_buf_add(&k->b, t, n);
        /* a REAL must stay REAL in SQLite: 1.0, not 1 (1e+20 is one already) */
        if (k->d == DBE_SQLITE && !memchr(t, '.', n) && !memchr(t, 'e', n))
            dbc_buf_puts(&k->b, ".0");
    } else if (k->d == DBE_POSTGRESQL) {
        dbc_buf_printf(&k->b, "'%s'::float%d", t, f32 ? 4 : 8);
    } else if (k->d == DBE_SQLITE && !isnan(v)) {
        dbc_buf_puts(&k->b, v > 0 ? "9e999" : "-9e999");
    } else {
        return -1;
    }
    return 0;
}

static int put_value(dbe_sink *k, const dbf_table *t, size_t col, uint64_t row,
                     const dbf_value *v, dbf_error *err)
{
    const dbf_column *c = &t->columns[col];
    switch (v->kind) {
    case DBF_V_NULL:
        dbc_buf_puts(&k->b, "NULL");
        return 0;
    case DBF_V_BOOL:
        dbc_buf_puts(&k->b, k->d == DBE_POSTGRESQL ? (v->u.b ? "true" : "false")
                                                    : (v->u.b ? "1" : "0"));
        return 0;
    case DBF_V_INT:
    case DBF_V_UINT:
        dbc_value_text(&k->b, v, c->type);
        return 0;
    case DBF_V_F32:
    case DBF_V_F64:
        if (put_float(k, v->kind == DBF_V_F32 ? v->u.f32 : v->u.f64, v->kind == DBF_V_F32))
            break;
        return 0;
    case DBF_V_STR:
        return put_text(k, t, col, row, v->u.s.ptr, v->u.s.len, err);
    case DBF_V_BIN:
        if (c->type == DBF_T_UUID && v->u.s.len == 16 && k->d != DBE_SQLITE) {
            dbc_buf_putc(&k->b, '\'');
            dbc_value_text(&k->b, v, c->type);
            dbc_buf_putc(&k->b, '\'');
            return 0;
        }
        put_bin(k, v->u.s.ptr, v->u.s.len);
        return 0;
    case DBF_V_INTERVAL:
        if (k->d == DBE_POSTGRESQL) {
            dbc_buf_putc(&k->b, '\'');
            dbc_interval_units(&k->b, v->u.iv.months, v->u.iv.days, v->u.iv.micros);
            dbc_buf_puts(&k->b, "'::interval");
            return 0;
        }
        break;
    default:
        break;
    }
    return dbf_error_set(err, DBF_EUNSUPPORTED,
                         "table %s, column %s, row %llu: this value cannot be written as a %s "
                         "literal by --to-sql",
                         t->name, c->name, (unsigned long long)row,
                         dbe_title(k->d));
}

static int tosql_open(dbe_sink **out, const dbe_target *t, const dbe_restore_opts *o,
                      dbf_error *err)
{
    dbe_sink *k = calloc(1, sizeof *k);
    if (!k)
        return dbc_oom(err);
    k->d = t->engine;
    k->dl = dbe_engine_of(t->engine)->dialect;
    k->q = t->engine == DBE_MYSQL ? '`' : '"';
    k->f = stdout;
    k->data_only = o->force;
    *out = k;
    return 0;
}

/* Does a table hold the history rows of a MariaDB system-versioned table? */
static bool has_history(const dbf_table *const *tables, size_t ntables)
{
    for (size_t t = 0; t < ntables; t++)
        for (size_t i = 0; i < tables[t]->ncolumns; i++)
            if (dbc_kv(tables[t]->columns[i].attrs, tables[t]->columns[i].nattrs,
                       "mysql.system_time"))
                return true;
    return false;
}

static int tosql_prepare(dbe_sink *k, const dbf_header *h, const dbf_table *const *tables,
                         size_t ntables, dbf_error *err)
{
    fprintf(k->f, "-- %s script written by dbrestore --to-sql (archive of database %s, %s)\n",
            dbe_title(k->d),
            h->database ? h->database : "?", h->created ? h->created : "?");
    k->my_mariadb = h->server_version && strstr(h->server_version, "MariaDB");
    k->pg_dump = k->d == DBE_POSTGRESQL && !k->data_only &&
                 dbc_kv(h->options, h->noptions, DBE_PG_DDL_OPTION);
    if (k->d == DBE_POSTGRESQL) {
        fprintf(k->f, "%sBEGIN;\n", pg_settings);
    } else if (k->d == DBE_MYSQL) {
        fputs("SET NAMES utf8mb4;\nSET FOREIGN_KEY_CHECKS = 0;\nSET UNIQUE_CHECKS = 0;\n"
              "SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION,"
              "ALLOW_INVALID_DATES';\n"
              "SET time_zone = '+00:00';\n", k->f);
        if (has_history(tables, ntables)) /* MariaDB 10.11+; elsewhere the script stops here */
            fputs("SET SESSION system_versioning_insert_history = 1;\n", k->f);
        fputs("START TRANSACTION;\n", k->f);
    } else {
        fputs("PRAGMA foreign_keys = OFF;\nBEGIN TRANSACTION;\n", k->f);
    }
    return out_err(k, err);
}

static bool same_dialect(const dbe_sink *k, const char *engine)
{
    if (!engine)
        return false;
    return (k->d == DBE_SQLITE && strcmp(engine, "sqlite") == 0) ||
           (k->d == DBE_POSTGRESQL && strcmp(engine, "postgresql") == 0) ||
           (k->d == DBE_MYSQL && strcmp(engine, "mysql") == 0);
}

/*
 * A MySQL statement into k->b, without its end. The mysql client turns CR LF into LF in what
 * it reads (a lone CR stays), so a statement holding CR LF (a routine written on Windows, a
 * comment) would lose bytes: from MariaDB it goes as EXECUTE IMMEDIATE of its bytes in hex;
 * MySQL has no such statement for CREATE PROCEDURE and friends, so the script then needs
 * mysql --binary-mode, and a warning says so.
 */
static void my_statement(dbe_sink *k, const char *sql, size_t n, const char *what,
                         const char *name)
{
    bool crlf = false;
    for (size_t i = 0; i + 1 < n && !crlf; i++)
        crlf = sql[i] == '\r' && sql[i + 1] == '\n';
    if (!crlf) {
        dbc_buf_add(&k->b, sql, n);
    } else if (!k->my_mariadb) {
        dbc_warn("%s %s holds CR LF line ends, which the mysql client reads as LF: run the "
                 "script with mysql --binary-mode to keep them", what, name ? name : "?");
        dbc_buf_add(&k->b, sql, n);
    } else {
        dbc_buf_puts(&k->b, "EXECUTE IMMEDIATE CONVERT(0x");
        dbc_buf_hex(&k->b, sql, n);
        dbc_buf_puts(&k->b, " USING utf8mb4)");
    }
}

/* One statement and its ';' (what and name: of the object, for a warning). */
static int put_sql(dbe_sink *k, const char *sql, const char *what, const char *name,
                   dbf_error *err)
{
    size_t n = strlen(sql);
    while (n && (sql[n - 1] == ';' || sql[n - 1] == '\n' || sql[n - 1] == ' '))
        n--;
    if (k->d == DBE_MYSQL) {
        my_statement(k, sql, n, what, name);
        dbc_buf_puts(&k->b, ";\n");
        return flush(k, 0, err);
    }
    fprintf(k->f, "%.*s;\n", (int)n, sql);
    return out_err(k, err);
}

static int tosql_exec_sql(dbe_sink *k, const char *sql, const char *what, dbf_error *err)
{
    return put_sql(k, sql, what, NULL, err);
}

static int tosql_create_table(dbe_sink *k, const dbf_header *h, const dbf_table *t,
                              dbf_error *err)
{
    (void)h;
    if (k->data_only || k->pg_dump) /* pg_dump's entries create it */
        return 0;
    if (!t->native_sql || !same_dialect(k, t->engine))
        return dbf_error_set(err, DBF_EUNSUPPORTED, "table %s has no %s CREATE TABLE text",
                             t->name, k->d == DBE_SQLITE ? "SQLite" : "native");
    if (k->d == DBE_SQLITE && strcmp(t->name, "sqlite_stat1") == 0) {
        fputs("ANALYZE sqlite_schema;\nDELETE FROM sqlite_stat1;\n", k->f);
        return out_err(k, err);
    }
    if (k->d == DBE_SQLITE && dbc_table_attr(t, "sqlite.shadow_of")) {
        /* made by its CREATE VIRTUAL TABLE above, with the module's first rows: the
         * archive's rows replace them */
        char *q = dbc_quote_ident(t->name, '"');
        if (!q)
            return dbc_oom(err);
        fprintf(k->f, "DELETE FROM %s;\n", q);
        free(q);
        return out_err(k, err);
    }
    return put_sql(k, t->native_sql, "table", t->name, err);
}

/* With pg_dump's entries: they, in their order, and the sequence values; the archive's own
 * objects (the portable rendition for other engines) are not written; nor are the drops. */
static int pg_dump_object(dbe_sink *k, const dbf_object *o, dbf_error *err)
{
    const char *type = dbc_kv(o->attrs, o->nattrs, "pg_dump.type");
    bool entry = o->kind == DBF_OBJ_DDL && o->subtype && strcmp(o->subtype, "pg_dump") == 0;
    if (entry && o->sql && !(type && strcmp(type, "DROP") == 0)) {
        const char *owner = dbc_kv(o->attrs, o->nattrs, "pg_dump.owner_sql");
        fprintf(k->f, "%s%s%s\n", o->sql, owner ? owner : "", owner ? "\n" : "");
        k->dirty = true;
    } else if (!entry && o->kind == DBF_OBJ_SEQUENCE && o->section == DBF_SEC_POST && o->sql) {
        settle(k);
        return tosql_exec_sql(k, o->sql, "object", err);
    }
    return out_err(k, err);
}

/*
 * A MySQL view, trigger, routine or event under the session it was created in (its sql_mode,
 * character set and collation, an event's time zone), as mysqldump writes them: the
 * script's own settings saved, set, the statement between ;; delimiters (bodies hold ';'),
 * the settings restored. The mysql client reads the rest of the script by the server's
 * NO_BACKSLASH_ESCAPES, which these statements set and reset.
 */
static int my_session_object(dbe_sink *k, const dbf_object *o, dbf_error *err)
{
    static const struct {
        const char *attr, *var, *saved;
    } vars[] = {
        {"mysql.sql_mode", "sql_mode", "@dbr_sql_mode"},
        {"mysql.character_set_client", "character_set_client", "@dbr_cs_client"},
        {"mysql.character_set_client", "character_set_results", "@dbr_cs_results"},
        {"mysql.collation_connection", "collation_connection", "@dbr_coll_conn"},
        {"mysql.time_zone", "time_zone", "@dbr_time_zone"},
    };
    const size_t n = sizeof vars / sizeof vars[0];
    /* a trigger, routine or event made while its database had another collation: made in
     * that one, as mysqldump does, then the database's own again */
    const char *dbc = dbc_kv(o->attrs, o->nattrs, "mysql.db_collation");
    bool other_db = dbc && k->my_db_coll && strcmp(dbc, k->my_db_coll) != 0;
    if (other_db)
        dbc_buf_printf(&k->b, "ALTER DATABASE COLLATE %s;\n", dbc);
    for (int pass = 0; pass < 3; pass++) {
        bool first = true;
        for (size_t i = 0; i < n; i++) {
            const char *v = dbc_kv(o->attrs, o->nattrs, vars[i].attr);
            if (!v)
                continue;
            dbc_buf_puts(&k->b, first ? "SET " : ", ");
            first = false;
            if (pass == 0) { /* save */
                dbc_buf_printf(&k->b, "%s = @@%s", vars[i].saved, vars[i].var);
            } else if (pass == 1) { /* set */
                dbc_buf_printf(&k->b, "%s = ", vars[i].var);
                put_text(k, NULL, 0, 0, v, strlen(v), err);
            } else { /* restore */
                dbc_buf_printf(&k->b, "%s = %s", vars[i].var, vars[i].saved);
            }
        }
        dbc_buf_puts(&k->b, ";\n");
        if (pass == 1) {
            dbc_buf_puts(&k->b, "DELIMITER ;;\n");
            my_statement(k, o->sql, strlen(o->sql), o->subtype ? o->subtype : "object", o->name);
            dbc_buf_puts(&k->b, ";;\nDELIMITER ;\n");
        }
    }
    if (other_db)
        dbc_buf_printf(&k->b, "ALTER DATABASE COLLATE %s;\n", k->my_db_coll);
    return flush(k, 0, err);
}

static int tosql_create_object(dbe_sink *k, const dbf_header *h, const dbf_object *o,
                               dbf_error *err)
{
    (void)h;
    if (k->pg_dump)
        return pg_dump_object(k, o, err);
    if (o->engine && !same_dialect(k, o->engine)) {
        dbc_warn("object %s (%s dialect) skipped", o->name ? o->name : "?", o->engine);
        return 0;
    }
    if (k->d == DBE_SQLITE && o->kind == DBF_OBJ_SETTING) {
        if (o->name && o->value &&
            (strcmp(o->name, "user_version") == 0 || strcmp(o->name, "application_id") == 0))
            fprintf(k->f, "PRAGMA %s = %lld;\n", o->name, strtoll(o->value, NULL, 10));
        return out_err(k, err);
    }
    if (k->d == DBE_SQLITE && o->kind == DBF_OBJ_SEQUENCE) {
        dbc_buf_puts(&k->b, "DELETE FROM sqlite_sequence WHERE name = ");
        put_text(k, NULL, 0, 0, o->name, strlen(o->name), err);
        dbc_buf_puts(&k->b, ";\nINSERT INTO sqlite_sequence (name, seq) VALUES (");
        put_text(k, NULL, 0, 0, o->name, strlen(o->name), err);
        dbc_buf_printf(&k->b, ", %lld);\n", o->value ? strtoll(o->value, NULL, 10) : 0LL);
        return flush(k, 0, err);
    }
    if (!o->sql) {
        dbc_warn("object %s without SQL text skipped", o->name ? o->name : "?");
        return 0;
    }
    if (k->d == DBE_MYSQL) {
        if (dbc_kv(o->attrs, o->nattrs, "mysql.in_native_sql"))
            return 0; /* index or constraint already in the CREATE TABLE text */
        if (o->kind == DBF_OBJ_SETTING && o->subtype && o->value &&
            strcmp(o->subtype, "database_defaults") == 0) {
            free(k->my_db_coll);
            if (!(k->my_db_coll = strdup(o->value)))
                return dbc_oom(err);
        }
        if (dbc_kv(o->attrs, o->nattrs, "mysql.sql_mode") ||
            dbc_kv(o->attrs, o->nattrs, "mysql.character_set_client")) /* views: no mode */
            return my_session_object(k, o, err);
        if (o->kind == DBF_OBJ_TRIGGER || o->kind == DBF_OBJ_NATIVE) {
            /* bodies hold ';': the mysql client needs another delimiter around them */
            dbc_buf_puts(&k->b, "DELIMITER ;;\n");
            my_statement(k, o->sql, strlen(o->sql), o->subtype ? o->subtype : "object",
                         o->name);
            dbc_buf_puts(&k->b, ";;\nDELIMITER ;\n");
            return flush(k, 0, err);
        }
    }
    return put_sql(k, o->sql, o->subtype ? o->subtype : "object", o->name, err);
}

/* The archive's table of large objects' bytes, written as lo_put calls (spec 3.8). */
static bool lo_table(const dbe_sink *k, const dbf_table *t)
{
    return k->d == DBE_POSTGRESQL && dbc_table_attr(t, DBE_PG_LO_ATTR);
}

static void put_table_name(dbe_sink *k, const dbf_table *t)
{
    if (t->schema && k->d == DBE_POSTGRESQL) {
        dbc_buf_ident(&k->b, t->schema, k->q);
        dbc_buf_putc(&k->b, '.');
    }
    dbc_buf_ident(&k->b, t->name, k->q);
}

/* "(a, b)" of the insertable columns, or nothing when there is none (COPY then takes the
 * table's own list: its non-generated columns, none). */
static void put_column_list(dbe_sink *k, const dbf_table *t)
{
    bool first = true;
    for (size_t i = 0; i < t->ncolumns; i++) {
        if (t->columns[i].flags & DBF_COL_GENERATED)
            continue;
        dbc_buf_puts(&k->b, first ? " (" : ", ");
        dbc_buf_ident(&k->b, t->columns[i].name, k->q);
        first = false;
    }
    if (!first)
        dbc_buf_putc(&k->b, ')');
}

static int tosql_data_begin(dbe_sink *k, const dbf_table *t, dbf_error *err)
{
    settle(k);
    if (!k->dl->copy_row || lo_table(k, t))
        return out_err(k, err);
    dbc_buf_puts(&k->b, "COPY ");
    put_table_name(k, t);
    put_column_list(k, t);
    dbc_buf_puts(&k->b, " FROM stdin;\n");
    k->in_copy = true;
    return flush(k, 0, err);
}

static int tosql_row(dbe_sink *k, const dbf_table *t, const dbf_value *vals, size_t n,
                     uint64_t row_number, dbf_error *err)
{
    int rc = 0;
    bool first = true;
    if (k->in_copy) {
        size_t bad = 0;
        if (k->dl->copy_row(&k->b, &k->arr, &k->tmp, t, vals, n, &bad) != 0) {
            dbc_buf_reset(&k->b); /* no half line: the abort ends the block */
            return dbf_error_set(err, DBF_EUNSUPPORTED,
                                 "table %s, column %s, row %llu: this value cannot be written "
                                 "as %s COPY text by --to-sql", t->name, t->columns[bad].name,
                                 (unsigned long long)row_number, dbe_title(k->d));
        }
        if (k->arr.oom || k->tmp.oom)
            k->b.oom = true;
        return flush(k, 0, err);
    }
    if (lo_table(k, t)) {
        /* a piece of a large object (loid, offset, data), made first when no pg_dump
         * entry made it (a data-only archive) */
        if (n != 3 || vals[0].kind != DBF_V_INT || vals[1].kind != DBF_V_INT ||
            vals[2].kind != DBF_V_BIN)
            return dbf_error_set(err, DBF_ECORRUPT, "large objects: row %llu is not (loid, "
                                 "offset, data)", (unsigned long long)row_number);
        if (vals[1].u.i == 0)
            dbc_buf_printf(&k->b, "SELECT pg_catalog.lo_create(%lld) WHERE NOT EXISTS (SELECT "
                           "FROM pg_catalog.pg_largeobject_metadata WHERE oid = %lld);\n",
                           (long long)vals[0].u.i, (long long)vals[0].u.i);
        dbc_buf_printf(&k->b, "SELECT pg_catalog.lo_put(%lld, %lld, ", (long long)vals[0].u.i,
                       (long long)vals[1].u.i);
        put_bin(k, vals[2].u.s.ptr, vals[2].u.s.len);
        dbc_buf_puts(&k->b, ");\n");
        return flush(k, 0, err);
    }
    dbc_buf_puts(&k->b, "INSERT INTO ");
    put_table_name(k, t);
    put_column_list(k, t);
    dbc_buf_puts(&k->b, " VALUES (");
    for (size_t i = 0; i < n && i < t->ncolumns && !rc; i++) {
        if (t->columns[i].flags & DBF_COL_GENERATED)
            continue;
        if (!first)
            dbc_buf_puts(&k->b, ", ");
        rc = put_value(k, t, i, row_number, &vals[i], err);
        first = false;
    }
    if (!rc)
        dbc_buf_puts(&k->b, ");\n");
    return flush(k, rc, err);
}

static int tosql_data_end(dbe_sink *k, const dbf_table *t, dbf_error *err)
{
    (void)t;
    if (k->in_copy)
        fputs("\\.\n", k->f);
    k->in_copy = false;
    return out_err(k, err);
}

static int tosql_commit(dbe_sink *k, dbf_error *err)
{
    fputs("COMMIT;\n", k->f);
    if (fflush(k->f) != 0)
        return dbf_error_set(err, DBF_EIO, "writing the SQL script to standard output failed");
    return out_err(k, err);
}

static void tosql_abort(dbe_sink *k)
{
    /* a script cut short must not commit: say so at the end of what was written */
    if (k->in_copy)
        fputs("\\.\n", k->f);
    fputs("-- dbrestore --to-sql FAILED: the script is incomplete\nROLLBACK;\n", k->f);
    fflush(k->f);
}

static void tosql_close(dbe_sink *k)
{
    dbc_buf_free(&k->b);
    dbc_buf_free(&k->arr);
    dbc_buf_free(&k->tmp);
    free(k->my_db_coll);
    free(k);
}

const dbe_sink_ops dbr_tosql_sink = {
    .version = DBE_SINK_OPS_VERSION,
    .engine = DBE_SQLITE, /* the real dialect is in the pseudo target */
    .open = tosql_open,
    .prepare = tosql_prepare,
    .create_table = tosql_create_table,
    .create_object = tosql_create_object,
    .data_begin = tosql_data_begin,
    .row = tosql_row,
    .data_end = tosql_data_end,
    .commit = tosql_commit,
    .abort = tosql_abort,
    .close = tosql_close,
    .exec_sql = tosql_exec_sql,
};
