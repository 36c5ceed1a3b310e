/*
 * pg_sink.c - PostgreSQL sink (libpq).
 *
 * Archives written from PostgreSQL are replayed with their native DDL, in one
 * transaction: BEGIN at prepare, schemas/types/functions/sequences/tables/views,
 * then the rows through COPY ... FROM STDIN (text format, large buffers), then the
 * post-data objects (keys, indexes, constraints, triggers, setval), COMMIT at commit.
 * Pre-data objects are collected and created at the first data (or post-data) call, in
 * dependency order, so the order in which the pump hands them over does not matter.
 * Archives from other engines arrive translated by restore/cross.c (exec_sql runs the
 * translated post-data); a foreign header given directly is refused.
 * Data-only into existing tables (o->into, engine.h): BEGIN at prepare, create_table only
 * registers (flush_pre creates nothing), COPY into the given table (schema NULL: found through
 * the connection's search_path, which is left as the server gives it so that the target's
 * triggers and defaults run as they do for its own clients), ROLLBACK on abort.
 *
 * -j N > 1 (not data-only, not --clean/--force): PostgreSQL lets no other connection use a
 * table an open (or prepared) transaction created, so N connections cannot load one
 * transaction's schema. The pre-data is made in one transaction and committed (a failure
 * there leaves the target as it was; privileges wait for the end, see deferred_acl); then
 * each table's rows go, in the archive's order, to one of N loading connections (pg_lanes.h:
 * the table's first lane keeps it, so its rows are stored as with one connection), the
 * COPYs of a lane in one transaction of its own (a table emptied there first and loaded
 * FREEZE: lane_for); after the data, index builds (pg_dump's INDEX and CONSTRAINT entries,
 * the translated CREATE INDEX) run on the first free lane, every other statement on the
 * sink's own connection after all that came before it. A failure after the schema's commit
 * is cleaned up: everything the archive creates is dropped (pg_dump's --clean drops, or the
 * archive's objects as --clean drops them), and so are the schemas and extensions that were
 * not there before.
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
#include "dbc_text.h"
#include "engine.h"
#include "pg_copy.h"
#include "pg_ddl.h"
#include "pg_lanes.h"
#include "pg_util.h"

#define COPY_FLUSH (1u << 20) /* send COPY data in pieces of about 1 MiB */

/* How one archive column is loaded in binary COPY. */
typedef struct pg_bincol {
    pgb_kind kind;     /* scalar kind, or element kind of an array */
    bool is_array;
    uint32_t elem_oid; /* element type oid the server expects in an array */
} pg_bincol;

struct dbe_sink {
    PGconn *conn;
    bool clean, force;
    bool into;              /* data-only into existing tables: create nothing (engine.h) */
    bool pg_dump;           /* the archive holds pg_dump's entries: they make the schema */
    bool dirty;             /* a pg_dump entry changed the session's settings */
    bool lo_load;           /* the open data section is large objects' bytes (lo_write) */
    int lo_on_conflict;     /* data-only: a large object the target has: 0 refused,
                               DBE_CONFLICT_SKIP kept, DBE_CONFLICT_UPDATE replaced */
    bool lo_skip;           /* the pieces of the current one are passed over */
    int lo_fd;              /* the large object being written, -1 none */
    uint32_t lo_oid;
    char *display;          /* target URL with the password masked */
    const dbf_header *h;
    dbc_vec tables;         /* const void *: the dbf_tables handed to prepare/create_table */
    dbc_vec pre;            /* const void *: the dbf_objects of the pre-data section */
    bool pre_done;          /* pre-data created */
    bool in_copy;           /* a COPY FROM STDIN is open */
    const dbf_table *copy_table;
    dbc_buf copy;           /* pending COPY data */
    dbc_buf val;            /* scratch: one value's text form */
    dbc_buf arr;            /* scratch: an array literal */
    bool binary;            /* the open COPY is in binary format */
    pg_bincol *bcols;       /* per archive column of copy_table (binary COPY) */
    size_t bcols_cap;
    pg_type_row *types;     /* the target's pg_type, sorted by oid (loaded after pre-data) */
    size_t ntypes;
    /* -j N > 1 (see the head of the file) */
    pg_lanes *lanes;        /* the loading connections; NULL: one connection, one transaction */
    size_t jobs;
    char *conninfo;         /* for a clean-up connection when the sink's own is gone */
    bool main_txn;          /* the sink's own connection is in a transaction */
    bool schema_committed;  /* from here on a failure is cleaned up by dropping */
    bool post_started;      /* the data is loaded; post-data statements are running */
    size_t lane;            /* the lane of the open COPY */
    uint64_t *lane_sent;    /* rows handed to each lane (the progress line) */
    dbc_vec lane_of;        /* pg_table_lane: which lane loads which table */
    dbc_vec had;            /* char *: the schemas ("n" name, "q" quote_ident(name)) and
                               extensions ("e", "x") there before: the clean-up keeps them */
    bool undone;            /* abort dropped (undo_rc 0) or tried to drop what was made */
    int undo_rc;
    char *tablespace;       /* pg_dump's default_tablespace at this point of its entries (its
                               SET comes once, in the entry before): NULL not set yet */
};

typedef struct pg_table_lane {
    const dbf_table *t;
    size_t lane;
    bool freeze; /* emptied in the lane's transaction first: COPY FREEZE */
} pg_table_lane;

/* ------------------------------------------------------------------ helpers */

/* Error text of a result (or the connection), trailing newlines removed. */
static int pg_err(dbe_sink *k, PGresult *r, dbf_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static int pg_err(dbe_sink *k, PGresult *r, dbf_error *err, const char *fmt, ...)
{
    char what[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return pg_error_of(k->conn, r, err, what);
}

static int exec_sql(dbe_sink *k, const char *sql, const char *what, dbf_error *err)
{
    PGresult *r = PQexec(k->conn, sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = 0;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        rc = pg_err(k, r, err, "%s", what);
    PQclear(r);
    return rc;
}

/* "schema"."name" (or "name"). @return 0, or -1 when out of memory. */
static int qualified(dbc_buf *b, const char *schema, const char *name)
{
    if (schema) {
        dbc_buf_ident(b, schema, '"');
        dbc_buf_putc(b, '.');
    }
    dbc_buf_ident(b, name, '"');
    return b->oom ? -1 : 0;
}


/* ------------------------------------------------------------------ vtable */

static void pg_sink_close(dbe_sink *k)
{
    if (!k)
        return;
    pg_lanes_close(k->lanes);
    if (k->conn)
        PQfinish(k->conn);
    free(k->display);
    free(k->conninfo);
    free(k->tablespace);
    free(k->lane_sent);
    dbc_vec_free(&k->lane_of);
    for (size_t i = 0; i < k->had.n; i++)
        free(((char **)k->had.p)[i]);
    dbc_vec_free(&k->had);
    dbc_vec_free(&k->tables);
    dbc_vec_free(&k->pre);
    dbc_buf_free(&k->copy);
    dbc_buf_free(&k->val);
    dbc_buf_free(&k->arr);
    free(k->bcols);
    free(k->types);
    free(k);
}

static int pg_sink_open(dbe_sink **out, const dbe_target *t, const dbe_restore_opts *o,
                        dbf_error *err)
{
    int rc = 0;
    dbe_sink *k = calloc(1, sizeof(*k));
    *out = NULL;
    if (!k)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    if (o && o->jobs > 1 && !o->into && (o->clean || o->force)) {
        free(k);
        return dbf_error_set(err, DBC_EUSAGE, "-j %d with %s: a PostgreSQL restore on several "
                             "connections is not one transaction, and its failure is undone by "
                             "dropping what it created; what %s replaces could not come back "
                             "(use -j 1: one transaction)", o->jobs,
                             o->clean ? "--clean" : "--force", o->clean ? "--clean" : "--force");
    }
    if (o && o->jobs > 1 && o->into)
        dbc_warn("-j %d: a data-only load into PostgreSQL is one transaction, on one "
                 "connection", o->jobs);
    else if (o && o->jobs > 1)
        k->jobs = (size_t)o->jobs;
    k->clean = o && o->clean;
    k->force = o && o->force;
    k->into = o && o->into;
    /* --truncate empties what is loaded: a large object of the same oid is replaced */
    k->lo_on_conflict = !o ? 0 : o->truncate ? DBE_CONFLICT_UPDATE : o->on_conflict;
    k->display = strdup(t && t->display ? t->display : "PostgreSQL target");
    if (!k->display) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    if (!t || !t->conninfo) {
        rc = dbf_error_set(err, DBC_EUSAGE, "no PostgreSQL connection string");
        goto done;
    }
    k->conn = pg_connect(t->conninfo, "dbrestore");
    if (!k->conn) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory connecting to PostgreSQL");
        goto done;
    }
    if (PQstatus(k->conn) != CONNECTION_OK) {
        const char *m = PQerrorMessage(k->conn);
        rc = dbf_error_set(err, DBC_ECONNECT, "PostgreSQL: cannot connect to %s: %.*s",
                           k->display, (int)pg_msg_len(m), m);
        goto done;
    }
    /* data-only into existing tables: their triggers expect the usual search_path */
    if ((rc = pg_session(k->conn, k->into, err)))
        goto done;
    if (k->jobs > 1 && (!(k->conninfo = strdup(t->conninfo)) ||
                        !(k->lane_sent = calloc(k->jobs, sizeof(*k->lane_sent))))) {
        rc = dbc_oom(err);
        goto done;
    }
    if (k->jobs > 1 && (rc = pg_lanes_open(&k->lanes, t->conninfo, k->display, k->jobs, err)))
        goto done;
    *out = k;
    k = NULL;
done:
    pg_sink_close(k);
    return rc;
}

/* User tables and views already in the target (outside system schemas). */
static int check_empty(dbe_sink *k, dbf_error *err)
{
    PGresult *r = PQexec(k->conn,
        "SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname NOT IN ('pg_catalog', "
        "'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE "
        "'pg\\_temp\\_%' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = "
        "'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'e') "
        "ORDER BY 1");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        int rc = pg_err(k, r, err, "checking whether the target is empty");
        PQclear(r);
        return rc;
    }
    int n = PQntuples(r);
    int rc = 0;
    if (n > 0) {
        char list[160];
        size_t used = 0;
        list[0] = '\0';
        for (int i = 0; i < n && used < sizeof list - 1; i++) {
            int w = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                             PQgetvalue(r, i, 0));
            if (w < 0 || (size_t)w >= sizeof list - used) {
                used = sizeof list;
                break;
            }
            used += (size_t)w;
        }
        if (used >= sizeof list)
            snprintf(list + sizeof list - 5, 5, "...");
        rc = dbf_error_set(err, DBC_ENOTEMPTY,
                           "target %s is not empty: %d table(s)/view(s): %s; use --clean to "
                           "replace the archive's objects or --force to load into it as it is",
                           k->display, n, list);
    }
    PQclear(r);
    return rc;
}

/* The archive's table of large objects' bytes (pg_source.c, spec/FORMAT.md 3.8). */
static bool is_lo_table(const dbf_table *t)
{
    return dbc_table_attr(t, DBE_PG_LO_ATTR) != NULL;
}

/* -j: the schemas and extensions there before the restore (its clean-up leaves them). */
static int record_existing(dbe_sink *k, dbf_error *err)
{
    PGresult *r = PQexec(k->conn,
        "SELECT 'n' || nspname FROM pg_catalog.pg_namespace UNION ALL "
        "SELECT 'q' || pg_catalog.quote_ident(nspname) FROM pg_catalog.pg_namespace UNION ALL "
        "SELECT 'e' || extname FROM pg_catalog.pg_extension UNION ALL "
        "SELECT 'x' || pg_catalog.quote_ident(extname) FROM pg_catalog.pg_extension");
    int rc = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        rc = pg_err(k, r, err, "reading the schemas and extensions of the target");
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        char *name = strdup(PQgetvalue(r, i, 0));
        if (!name || dbc_vec_push_ptr(&k->had, name) != 0) {
            free(name);
            rc = dbc_oom(err);
        }
    }
    PQclear(r);
    return rc;
}

/* -j: was the schema (kind 'n', quoted 'q') or extension ('e', 'x') qname there before? */
static bool had_before(const dbe_sink *k, char kind, const char *qname, size_t len)
{
    for (size_t i = 0; i < k->had.n; i++) {
        const char *h = ((char *const *)k->had.p)[i];
        if (h[0] == kind && strlen(h + 1) == len && memcmp(h + 1, qname, len) == 0)
            return true;
    }
    return false;
}

static int pg_sink_prepare(dbe_sink *k, const dbf_header *h, const dbf_table *const *tables,
                           size_t ntables, dbf_error *err)
{
    int rc;
    k->h = h;
    if (k->into) {
        /* data-only into existing tables: nothing to create, one transaction */
        (void)tables;
        (void)ntables;
        k->pre_done = true;
        return exec_sql(k, "BEGIN", "BEGIN", err);
    }
    if (!h || !h->engine || strcmp(h->engine, "postgresql") != 0)
        return dbf_error_set(err, DBF_EUNSUPPORTED,
                             "restoring an archive from %s into PostgreSQL is not supported yet "
                             "(only PostgreSQL archives can be restored into PostgreSQL)",
                             h && h->engine ? h->engine : "an unknown engine");
    for (size_t i = 0; i < ntables; i++) {
        if (tables[i]->engine && strcmp(tables[i]->engine, "postgresql") != 0)
            return dbf_error_set(err, DBF_EUNSUPPORTED,
                                 "table %s is in the %s dialect; only PostgreSQL archives can be "
                                 "restored into PostgreSQL",
                                 tables[i]->name, tables[i]->engine);
        if (!tables[i]->native_sql && !is_lo_table(tables[i]))
            return dbf_error_set(err, DBF_EUNSUPPORTED,
                                 "table %s has no PostgreSQL definition in the archive",
                                 tables[i]->name);
    }
    k->pg_dump = dbc_kv(h->options, h->noptions, DBE_PG_DDL_OPTION) != NULL;
    if ((rc = exec_sql(k, "BEGIN", "BEGIN", err)) != 0)
        return rc;
    k->main_txn = true;
    if (!k->clean && !k->force && (rc = check_empty(k, err)) != 0)
        return rc;
    if (k->lanes) {
        dbc_info("PostgreSQL: -j %zu: the schema is committed first, then the rows load on %zu "
                 "connections (a transaction each) and the indexes are built on %zu at once; a "
                 "failure drops what this restore created (-j 1 restores in one transaction)",
                 k->jobs, k->jobs, k->jobs);
        return record_existing(k, err);
    }
    return 0;
}

static int pg_sink_create_table(dbe_sink *k, const dbf_header *h, const dbf_table *t,
                                dbf_error *err)
{
    (void)h;
    if (k->into)
        return 0; /* an existing or staging table: data_begin names it, nothing to create */
    if (k->pre_done)
        return dbf_error_set(err, DBF_ECORRUPT, "table %s comes after the data section",
                             t->name);
    if (is_lo_table(t))
        return 0; /* written with lo_write; pg_dump's entries create the objects */
    if (dbc_vec_push_ptr(&k->tables, t) != 0)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    return 0;
}

/* Creation rank of a pre-data object; tables are rank 5. */
static int pre_rank(const dbf_object *o)
{
    switch (o->kind) {
    case DBF_OBJ_SCHEMA: return 0;
    case DBF_OBJ_NATIVE:
        if (o->subtype && (strcmp(o->subtype, "extension") == 0 ||
                           strcmp(o->subtype, "collation") == 0))
            return 1;
        return 3;
    case DBF_OBJ_TYPE:
        return 2;
    case DBF_OBJ_SEQUENCE: return 4;
    case DBF_OBJ_VIEW: return 6;
    default: return 7;
    }
}

/* One pre-data statement to run. */
typedef struct pre_item {
    const char *sql;
    const char *kind;   /* "table", "view", subtype, ... for messages */
    const char *schema;
    const char *name;
    bool done;
} pre_item;

/* Run statements, each in a savepoint; retry the failed ones after the others until all
 * ran or a pass makes no progress (then report the first failure of that pass). */
static int run_with_retry(dbe_sink *k, const char *verb, pre_item *items, size_t n,
                          dbf_error *err)
{
    int rc = 0;
    size_t left = n;
    bool progress = true;
    while (left > 0 && progress && !rc) {
        progress = false;
        size_t first_failed = SIZE_MAX;
        for (size_t i = 0; i < n && !rc; i++) {
            if (items[i].done)
                continue;
            if ((rc = exec_sql(k, "SAVEPOINT dbr_pre", "SAVEPOINT", err)) != 0)
                break;
            PGresult *r = PQexec(k->conn, items[i].sql);
            if (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK) {
                items[i].done = true;
                left--;
                progress = true;
                PQclear(r);
                rc = exec_sql(k, "RELEASE SAVEPOINT dbr_pre", "RELEASE SAVEPOINT", err);
                continue;
            }
            if (first_failed == SIZE_MAX) {
                first_failed = i;
                pg_err(k, r, err, "%s %s %s%s%s", verb, items[i].kind,
                       items[i].schema ? items[i].schema : "", items[i].schema ? "." : "",
                       items[i].name);
            }
            PQclear(r);
            rc = exec_sql(k, "ROLLBACK TO SAVEPOINT dbr_pre", "ROLLBACK TO SAVEPOINT", err);
        }
        if (!rc && left > 0 && !progress)
            rc = err->code ? err->code : dbf_error_set(err, DBC_EBACKEND, "statement failed");
    }
    if (!rc && err) { /* failures retried successfully are not errors */
        err->code = 0;
        err->msg[0] = '\0';
    }
    return rc;
}

/* --clean: drop what the archive is about to create (inside the transaction). undo (-j,
 * after a failure): drop what it created, and the schemas and extensions it made too. */
static int clean_target(dbe_sink *k, bool undo, dbf_error *err)
{
    int rc = 0;
    size_t n = 0, cap = k->tables.n + k->pre.n + 1;
    pre_item *items = calloc(cap, sizeof(*items));
    char **owned = calloc(cap, sizeof(*owned));
    dbc_buf b = {0};
    if (!items || !owned) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    /* Views first (they depend on tables), then tables, then the rest; dependencies between
     * the rest (a domain using a function) are sorted out by retrying. */
    for (int pass = 0; pass < (undo ? 8 : 6); pass++) {
        size_t m = pass == 1 ? k->tables.n : k->pre.n;
        for (size_t i = 0; i < m; i++) {
            const char *kind, *schema, *name;
            b.len = 0;
            if (pass == 1) {
                const dbf_table *t = ((const void **)k->tables.p)[i];
                kind = "table";
                schema = t->schema;
                name = t->name;
                dbc_buf_puts(&b, "DROP TABLE IF EXISTS ");
                if (qualified(&b, t->schema, t->name))
                    goto oom;
                dbc_buf_puts(&b, " CASCADE");
            } else {
                const dbf_object *o = ((const void **)k->pre.p)[i];
                const char *sub = o->subtype ? o->subtype : "";
                const char *sig = dbc_kv(o->attrs, o->nattrs, "postgresql.signature");
                kind = o->subtype ? o->subtype : "object";
                schema = o->schema;
                name = o->name;
                if (pass == 0 && o->kind == DBF_OBJ_VIEW) {
                    dbc_buf_puts(&b, "DROP VIEW IF EXISTS ");
                } else if (pass == 2 && o->kind == DBF_OBJ_NATIVE && sig &&
                           (strcmp(sub, "function") == 0 || strcmp(sub, "procedure") == 0 ||
                            strcmp(sub, "aggregate") == 0)) {
                    dbc_buf_printf(&b, "DROP %s IF EXISTS %s", strcmp(sub, "function") == 0
                              ? "FUNCTION" : strcmp(sub, "aggregate") == 0 ? "AGGREGATE"
                              : "PROCEDURE", sig);
                } else if (pass == 5 && o->kind == DBF_OBJ_NATIVE &&
                           strcmp(sub, "collation") == 0) {
                    dbc_buf_puts(&b, "DROP COLLATION IF EXISTS ");
                    if (qualified(&b, o->schema, o->name))
                        goto oom;
                    if (b.oom || !(owned[n] = strdup(b.p)))
                        goto oom;
                    items[n] = (pre_item){owned[n], kind, schema, name, false};
                    n++;
                    continue;
                } else if (pass == 3 && o->kind == DBF_OBJ_SEQUENCE) {
                    dbc_buf_puts(&b, "DROP SEQUENCE IF EXISTS ");
                } else if (pass == 4 && o->kind == DBF_OBJ_TYPE && strcmp(sub, "domain") == 0) {
                    dbc_buf_puts(&b, "DROP DOMAIN IF EXISTS ");
                } else if (pass == 5 && o->kind == DBF_OBJ_TYPE && strcmp(sub, "domain") != 0) {
                    dbc_buf_puts(&b, "DROP TYPE IF EXISTS ");
                } else if (pass == 6 && o->kind == DBF_OBJ_NATIVE &&
                           strcmp(sub, "extension") == 0 &&
                           !had_before(k, 'e', o->name, strlen(o->name))) {
                    dbc_buf_puts(&b, "DROP EXTENSION IF EXISTS ");
                    schema = NULL;
                } else if (pass == 7 && o->kind == DBF_OBJ_SCHEMA &&
                           !had_before(k, 'n', o->name, strlen(o->name))) {
                    dbc_buf_puts(&b, "DROP SCHEMA IF EXISTS ");
                    schema = NULL;
                } else {
                    continue;
                }
                if (!(pass == 2)) {
                    if (qualified(&b, pass >= 6 ? NULL : o->schema, o->name))
                        goto oom;
                }
                if (pass == 0 || pass == 7)
                    dbc_buf_puts(&b, " CASCADE");
            }
            if (b.oom || !(owned[n] = strdup(b.p)))
                goto oom;
            items[n] = (pre_item){owned[n], kind, schema, name, false};
            n++;
        }
    }
    rc = run_with_retry(k, "dropping", items, n, err);
    if (rc) {
        dbf_error_prefix(err, "--clean: ");
    }
    goto done;
oom:
    rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
done:
    if (owned)
        for (size_t i = 0; i < n; i++)
            free(owned[i]);
    free(owned);
    free(items);
    dbc_buf_free(&b);
    return rc;
}

static bool is_pg_dump_entry(const dbf_object *o)
{
    return o->kind == DBF_OBJ_DDL && o->subtype && strcmp(o->subtype, PG_DDL_SUBTYPE) == 0;
}

/* sql in a savepoint: a role this server lacks (or may not grant) is a warning naming what
 * was not restored, as for the archive's own privileges objects. */
static int run_role_sql(dbe_sink *k, const char *sql, const char *what, dbf_error *err)
{
    int rc = exec_sql(k, "SAVEPOINT dbr_role", "SAVEPOINT", err);
    if (rc)
        return rc;
    PGresult *r = PQexec(k->conn, sql);
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK && state &&
        (strcmp(state, "42704") == 0 || strcmp(state, "42501") == 0)) {
        const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        dbc_warn("%s not restored: %s", what, m ? m : "");
        PQclear(r);
        return exec_sql(k, "ROLLBACK TO SAVEPOINT dbr_role", "ROLLBACK TO SAVEPOINT", err);
    }
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        rc = pg_err(k, r, err, "%s", what);
    PQclear(r);
    return rc ? rc : exec_sql(k, "RELEASE SAVEPOINT dbr_role", "RELEASE SAVEPOINT", err);
}

/* -j clean-up: is st, one of pg_dump's drops, that of a schema or an extension that was
 * there before the restore? */
static bool drops_had(const dbe_sink *k, const char *st)
{
    static const struct {
        const char *head;
        char kind;
    } d[] = {{"DROP SCHEMA IF EXISTS ", 'q'}, {"DROP EXTENSION IF EXISTS ", 'x'}};
    st += strspn(st, " \n");
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
        size_t hl = strlen(d[i].head);
        if (strncmp(st, d[i].head, hl) == 0)
            return had_before(k, d[i].kind, st + hl, strcspn(st + hl, ";"));
    }
    return false;
}

/*
 * --clean: pg_dump's drops (IF EXISTS), each statement in a savepoint. One that
 * fails is passed over, as pg_restore --clean does: an inherited constraint goes with its
 * parent's, and whatever truly stays makes its CREATE fail, loudly, naming it.
 */
static int run_drops(dbe_sink *k, const char *sql, bool undo, dbf_error *err)
{
    int rc = 0;
    dbc_buf st = {0};
    for (size_t i = 0, n = strlen(sql); i < n && !rc;) {
        size_t e = i + pg_ddl_stmt_end(sql + i, n - i);
        st.len = 0;
        dbc_buf_add(&st, sql + i, e - i);
        i = e;
        if (st.oom)
            return dbf_error_set(err, DBF_ENOMEM, "out of memory");
        if (strspn(st.p, " \n") == st.len || (undo && drops_had(k, st.p)))
            continue;
        if ((rc = exec_sql(k, "SAVEPOINT dbr_drop", "SAVEPOINT", err)) != 0)
            break;
        PGresult *r = PQexec(k->conn, st.p);
        ExecStatusType status = PQresultStatus(r); /* lo_unlink is a SELECT */
        bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
        if (!ok && dbc_verbosity >= 2)
            dbc_info("--clean: %s: %s", st.p + strspn(st.p, " \n"),
                     PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
        PQclear(r);
        rc = exec_sql(k, ok ? "RELEASE SAVEPOINT dbr_drop" : "ROLLBACK TO SAVEPOINT dbr_drop",
                      "SAVEPOINT", err);
    }
    dbc_buf_free(&st);
    return rc;
}

/* What a failing pg_dump entry's error begins with: "creating TABLE app.t (pg_dump entry;
 * --skip-object 'TABLE app.t' leaves it out)". @return out. */
static const char *entry_failing(char *out, size_t n, const dbf_object *o)
{
    char title[512]; /* "TABLE app.t"; "ACL TABLE t (schema app)" when the name has words */
    dbc_object_title(title, sizeof title, o);
    snprintf(out, n, "creating %s (pg_dump entry; --skip-object '%s' leaves it out)", title,
             title);
    return out;
}

/* One pg_dump entry, named in the error as pg_restore names it ("TABLE public.t"). Grants
 * and owners naming roles this server lacks are warnings (run_role_sql). */
static int run_entry(dbe_sink *k, const dbf_object *o, dbf_error *err)
{
    const char *type = dbc_kv(o->attrs, o->nattrs, "pg_dump.type");
    const char *owner = dbc_kv(o->attrs, o->nattrs, "pg_dump.owner_sql");
    char what[512]; /* "TABLE app.t"; "ACL TABLE t (schema app)" when the name has words */
    dbc_object_title(what, sizeof what, o);
    k->dirty = true; /* its preamble sets search_path, check_function_bodies, ... */
    int rc = 0;
    if (o->sql && type && strcmp(type, "DROP") == 0) {
        rc = run_drops(k, o->sql, false, err);
    } else if (o->sql && type && (strcmp(type, "ACL") == 0 || strcmp(type, "DEFAULT ACL") == 0)) {
        rc = run_role_sql(k, o->sql, what, err);
    } else if (o->sql) {
        PGresult *r = PQexec(k->conn, o->sql);
        char w[1200];
        if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
            rc = pg_err(k, r, err, "%s", entry_failing(w, sizeof w, o));
        PQclear(r);
    }
    if (!rc && owner) {
        char ow[600];
        snprintf(ow, sizeof ow, "owner of %s", what);
        rc = run_role_sql(k, owner, ow, err);
    }
    return rc;
}

/* After pg_dump's entries: the session settings this sink runs with, again. */
static int ready(dbe_sink *k, dbf_error *err);

/* -j: privileges go last, in the transaction that ends the restore, as pg_restore puts
 * them last: a grant on an object that was there before (a schema, a catalog's column) is
 * not something a failure could drop; and a revoke cannot stop the loading connections. */
static bool deferred_acl(const dbe_sink *k, const char *type)
{
    return k->lanes && type && (strcmp(type, "ACL") == 0 || strcmp(type, "DEFAULT ACL") == 0);
}

/*
 * pg_dump's pre-data entries, in their order (pg_dump sorted them by their dependencies):
 * the archive's own objects are the portable rendition of the same schema, for other
 * engines, and are not run. Any failure ends the restore, naming the entry.
 */
static int flush_pre_pg_dump(dbe_sink *k, dbf_error *err)
{
    int rc = 0;
    /* pass 0 (--clean only): pg_dump's drops; pass 1: the entries that create */
    for (int pass = k->clean ? 0 : 1; pass < 2 && !rc; pass++) {
        for (size_t i = 0; i < k->pre.n && !rc; i++) {
            const dbf_object *o = ((const void **)k->pre.p)[i];
            const char *type = dbc_kv(o->attrs, o->nattrs, "pg_dump.type");
            if (is_pg_dump_entry(o) && (type && strcmp(type, "DROP") == 0) == (pass == 0) &&
                !deferred_acl(k, type))
                rc = run_entry(k, o, err);
        }
        if (rc && pass == 0)
            dbf_error_prefix(err, "--clean: ");
    }
    return rc ? rc : ready(k, err);
}

/*
 * Create the pre-data section: schemas, extensions, types, functions, sequences, tables,
 * views, in that order (stable within each kind). Dependencies the order misses (a domain
 * whose CHECK calls a function, a function over a table's row type, a view over a view made
 * later) are resolved by retrying: each statement runs in a savepoint, and the ones that fail
 * are tried again after the others, until a whole pass makes no progress.
 */
static int make_pre(dbe_sink *k, dbf_error *err)
{
    int rc = 0;
    k->pre_done = true;
    if (k->pg_dump) /* --clean: pg_dump's own drops */
        return flush_pre_pg_dump(k, err);
    if (k->clean && (rc = clean_target(k, false, err)) != 0)
        return rc;
    size_t cap = k->tables.n + k->pre.n + 1, n = 0;
    pre_item *items = calloc(cap, sizeof(*items));
    if (!items)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    for (int rank = 0; rank <= 7; rank++) {
        if (rank == 5) {
            for (size_t i = 0; i < k->tables.n; i++) {
                const dbf_table *t = ((const void **)k->tables.p)[i];
                items[n++] = (pre_item){t->native_sql, "table", t->schema, t->name, false};
            }
            continue;
        }
        for (size_t i = 0; i < k->pre.n; i++) {
            const dbf_object *o = ((const void **)k->pre.p)[i];
            if (pre_rank(o) != rank)
                continue;
            if (!o->sql) {
                dbc_warn("skipped object %s: no PostgreSQL definition in the archive", o->name);
                continue;
            }
            items[n++] = (pre_item){o->sql, o->subtype ? o->subtype : "object", o->schema,
                                    o->name, false};
        }
    }
    rc = run_with_retry(k, "creating", items, n, err);
    free(items);
    return rc;
}

/* The pre-data, once; -j: committed, for the loading connections to see the tables. */
static int flush_pre(dbe_sink *k, dbf_error *err)
{
    if (k->pre_done)
        return 0;
    int rc = make_pre(k, err);
    if (!rc && k->lanes) {
        rc = exec_sql(k, "COMMIT", "COMMIT of the schema", err);
        k->main_txn = false;
        k->schema_committed = rc == 0;
    }
    return rc;
}

static int ready(dbe_sink *k, dbf_error *err)
{
    int rc = flush_pre(k, err);
    if (rc || !k->dirty)
        return rc;
    k->dirty = false;
    if ((rc = exec_sql(k, "RESET ALL", "RESET ALL", err)) != 0)
        return rc;
    return pg_session(k->conn, k->into, err);
}

/* -j: the sink's own connection in a transaction (statements that need one: savepoints,
 * large objects), or out of it (before the lanes run what must see its work). */
static int main_txn(dbe_sink *k, bool in, dbf_error *err)
{
    if (k->main_txn == in)
        return 0;
    int rc = exec_sql(k, in ? "BEGIN" : "COMMIT", in ? "BEGIN" : "COMMIT", err);
    k->main_txn = rc == 0 ? in : k->main_txn;
    return rc;
}

/* -j: the data is over: every lane's rows are committed (once). */
static int data_done(dbe_sink *k, dbf_error *err)
{
    if (k->post_started)
        return 0;
    k->post_started = true;
    return pg_lanes_commit(k->lanes, err);
}

/* -j: an index build after the data, on the first free lane, beside the others. */
static int post_any(dbe_sink *k, const char *sql, const char *what, dbf_error *err)
{
    int rc = data_done(k, err);
    if (!rc)
        rc = main_txn(k, false, err);
    return rc ? rc : pg_lanes_any(k->lanes, sql, what, err);
}

/* -j: any other statement runs on the sink's own connection, in a transaction, once all
 * given before it is done (a foreign key needs its rows and the referenced key's index). */
static int post_serial(dbe_sink *k, dbf_error *err)
{
    int rc = data_done(k, err);
    if (!rc)
        rc = pg_lanes_wait(k->lanes, err);
    return rc ? rc : main_txn(k, true, err);
}

/* -j: does pg_dump entry o build an index of one table (an INDEX, not ON ONLY a partitioned
 * table's parent, or a CONSTRAINT: key, unique, exclusion, check), with nothing else to run? */
static bool entry_builds_index(const dbf_object *o)
{
    const char *type = dbc_kv(o->attrs, o->nattrs, "pg_dump.type");
    if (!o->sql || !type || dbc_kv(o->attrs, o->nattrs, "pg_dump.owner_sql"))
        return false;
    return (strcmp(type, "INDEX") == 0 && !strstr(o->sql, " ON ONLY ")) ||
           strcmp(type, "CONSTRAINT") == 0;
}

/* -j: the last "SET default_tablespace = X;" line of sql, if any, into k->tablespace. */
static int track_tablespace(dbe_sink *k, const char *sql, dbf_error *err)
{
    static const char key[] = "SET default_tablespace = ";
    const char *last = NULL;
    for (const char *p = sql; (p = strstr(p, key)) != NULL; p += sizeof key - 1)
        if (p == sql || p[-1] == '\n')
            last = p + sizeof key - 1;
    if (!last)
        return 0;
    char *v = strndup(last, strcspn(last, ";\n"));
    if (!v)
        return dbc_oom(err);
    free(k->tablespace);
    k->tablespace = v;
    return 0;
}

/*
 * -j: pg_dump entry o on a lane (an index build) or, after all before it, on the sink's
 * connection. pg_dump sets default_tablespace only when it changes, in the text before the
 * entry that needs it: an entry run out of that order is given the setting it would have had.
 */
static int run_entry_jobs(dbe_sink *k, const dbf_object *o, dbf_error *err)
{
    int rc = 0;
    dbc_buf set = {0};
    if (k->tablespace)
        dbc_buf_printf(&set, "SET default_tablespace = %s;\n", k->tablespace);
    if (set.oom)
        return dbc_oom(err);
    if (entry_builds_index(o)) {
        char what[1200];
        dbc_buf_puts(&set, o->sql);
        rc = set.oom ? dbc_oom(err) : post_any(k, set.p, entry_failing(what, sizeof what, o), err);
    } else if ((rc = post_serial(k, err)) == 0 &&
               (!set.p || (rc = exec_sql(k, set.p, "SET default_tablespace", err)) == 0)) {
        rc = run_entry(k, o, err);
    }
    dbc_buf_free(&set);
    return rc ? rc : track_tablespace(k, o->sql ? o->sql : "", err);
}

static int pg_sink_create_object(dbe_sink *k, const dbf_header *h, const dbf_object *o,
                                 dbf_error *err)
{
    (void)h;
    int rc;
    if (o->engine && strcmp(o->engine, "postgresql") != 0) {
        dbc_warn("skipped %s object %s: written for %s", o->subtype ? o->subtype : "an",
                 o->name, o->engine);
        return 0;
    }
    if (o->section == DBF_SEC_PRE && !k->pre_done) {
        if (dbc_vec_push_ptr(&k->pre, o) != 0)
            return dbf_error_set(err, DBF_ENOMEM, "out of memory");
        return 0;
    }
    if ((rc = flush_pre(k, err)) != 0)
        return rc;
    if (k->lanes && k->pg_dump && is_pg_dump_entry(o))
        return run_entry_jobs(k, o, err);
    if (k->lanes && !k->pg_dump && o->kind == DBF_OBJ_INDEX && o->sql) {
        char title[512], what[600];
        dbc_object_title(title, sizeof title, o);
        snprintf(what, sizeof what, "creating %s", title);
        return post_any(k, o->sql, what, err);
    }
    if (k->lanes && (!k->pg_dump || o->kind == DBF_OBJ_SEQUENCE) &&
        (rc = post_serial(k, err)) != 0)
        return rc;
    if (k->pg_dump && is_pg_dump_entry(o))
        return run_entry(k, o, err);
    if (k->pg_dump && !(o->kind == DBF_OBJ_SEQUENCE && o->section == DBF_SEC_POST))
        return 0; /* pg_dump's entries carry it; sequence values are data: set below */
    if (k->pg_dump && (rc = ready(k, err)) != 0)
        return rc;
    if (o->sql && o->subtype && strcmp(o->subtype, "privileges") == 0) {
        /* Owners and grants name roles that may not exist here: skip them with a warning. */
        if ((rc = exec_sql(k, "SAVEPOINT dbr_priv", "SAVEPOINT", err)) != 0)
            return rc;
        PGresult *r = PQexec(k->conn, o->sql);
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        if (PQresultStatus(r) != PGRES_COMMAND_OK && state &&
            (strcmp(state, "42704") == 0 || strcmp(state, "42501") == 0)) {
            const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
            dbc_warn("owner/privileges of %s%s%s not restored: %s", o->schema ? o->schema : "",
                     o->schema ? "." : "", o->name, m ? m : "");
            PQclear(r);
            return exec_sql(k, "ROLLBACK TO SAVEPOINT dbr_priv", "ROLLBACK TO SAVEPOINT", err);
        }
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = pg_err(k, r, err, "%s", o->name);
        PQclear(r);
        if (!rc)
            rc = exec_sql(k, "RELEASE SAVEPOINT dbr_priv", "RELEASE SAVEPOINT", err);
    } else if (o->sql)
        rc = exec_sql(k, o->sql, o->name, err);
    else if (o->kind == DBF_OBJ_SEQUENCE && o->value &&
             strspn(o->value + (o->value[0] == '-'), "0123456789") ==
                 strlen(o->value + (o->value[0] == '-')) &&
             o->value[o->value[0] == '-'] != '\0') {
        dbc_buf b = {0}, q = {0};
        if (qualified(&q, o->schema, o->name) == 0) {
            char *lit = PQescapeLiteral(k->conn, q.p, q.len);
            const char *called = dbc_kv(o->attrs, o->nattrs, "is_called");
            dbc_buf_printf(&b, "SELECT pg_catalog.setval(%s, %s, %s)", lit ? lit : "''", o->value,
                      called && strcmp(called, "false") == 0 ? "false" : "true");
            PQfreemem(lit);
        }
        rc = b.oom || q.oom ? dbf_error_set(err, DBF_ENOMEM, "out of memory")
                            : exec_sql(k, b.p, o->name, err);
        dbc_buf_free(&b);
        dbc_buf_free(&q);
    } else {
        dbc_warn("skipped object %s: no PostgreSQL definition in the archive", o->name);
        return 0;
    }
    if (rc) {
        dbf_error_prefix(err, "creating %s %s.%s: ", o->subtype ? o->subtype : "object",
                         o->schema ? o->schema : "", o->name);
    }
    return rc;
}

/* ------------------------------------------------------------------- data */

static int send_copy(dbe_sink *k, dbf_error *err)
{
    if (k->copy.len == 0)
        return 0;
    if (k->lanes) /* -j: to the table's lane (the buffer goes with it) */
        return pg_lanes_copy_data(k->lanes, k->lane, &k->copy, err);
    if (PQputCopyData(k->conn, k->copy.p, (int)k->copy.len) != 1) {
        return dbf_error_set(err, DBC_EBACKEND, "PostgreSQL: sending COPY data for %s: %s",
                             k->copy_table ? k->copy_table->name : "?",
                             PQerrorMessage(k->conn));
    }
    k->copy.len = 0;
    return 0;
}

/* After a piece of a large value went into the COPY buffer: fail if that ran out of memory,
 * send the buffer once it holds COPY_FLUSH bytes. */
static int copy_piece_sent(dbe_sink *k, dbf_error *err)
{
    if (k->copy.oom)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    return k->copy.len >= COPY_FLUSH ? send_copy(k, err) : 0;
}

/* Append raw bytes of a large value, sending COPY data whenever a piece is full, so a large
 * value never sits in the buffer whole. */
static int copy_raw(dbe_sink *k, const char *p, size_t n, dbf_error *err)
{
    while (n > 0) {
        size_t piece = n < COPY_FLUSH ? n : COPY_FLUSH;
        dbc_buf_add(&k->copy, p, piece);
        int rc = copy_piece_sent(k, err);
        if (rc)
            return rc;
        p += piece;
        n -= piece;
    }
    return 0;
}

/* Large text value in COPY text form (escaped), in pieces. */
static int copy_escaped_large(dbe_sink *k, const char *p, size_t n, dbf_error *err)
{
    while (n > 0) {
        size_t piece = n < (256u << 10) ? n : (256u << 10);
        pg_copy_escape(&k->copy, p, piece);
        int rc = copy_piece_sent(k, err);
        if (rc)
            return rc;
        p += piece;
        n -= piece;
    }
    return 0;
}

/* Large bytea in COPY text form ("\\x" then hex), in pieces. */
static int copy_hex_large(dbe_sink *k, const unsigned char *p, size_t n, dbf_error *err)
{
    dbc_buf_add(&k->copy, "\\\\x", 3);
    while (n > 0) {
        size_t piece = n < (256u << 10) ? n : (256u << 10);
        dbc_buf_hex(&k->copy, p, piece);
        if (k->copy.oom)
            return dbf_error_set(err, DBF_ENOMEM, "out of memory");
        int rc = copy_piece_sent(k, err);
        if (rc)
            return rc;
        p += piece;
        n -= piece;
    }
    return 0;
}

static const pg_type_row *typ_find(const dbe_sink *k, uint32_t oid)
{
    return pg_type_find(k->types, k->ntypes, oid);
}

static const pg_type_row *typ_base(const dbe_sink *k, uint32_t oid)
{
    const pg_type_row *t = typ_find(k, oid);
    for (int guard = 0; t && t->typtype == 'd' && guard < 32; guard++)
        t = typ_find(k, t->basetype);
    return t;
}

static int load_types(dbe_sink *k, dbf_error *err)
{
    PGresult *r = PQexec(k->conn, PG_TYPES_SQL);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        int rc = pg_err(k, r, err, "reading pg_type");
        PQclear(r);
        return rc;
    }
    int rc = pg_type_rows(&k->types, &k->ntypes, r);
    PQclear(r);
    if (rc)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    return 0;
}

/* Can every insertable column of t be sent in binary? Fills k->bcols. */
static int plan_binary(dbe_sink *k, const dbf_table *t, const char *qname, bool *out,
                       dbf_error *err)
{
    int rc = 0;
    *out = false;
    if (!k->types && (rc = load_types(k, err)) != 0)
        return rc;
    if (k->bcols_cap < t->ncolumns + 1) {
        free(k->bcols);
        k->bcols = calloc(t->ncolumns + 1, sizeof(*k->bcols));
        k->bcols_cap = k->bcols ? t->ncolumns + 1 : 0;
        if (!k->bcols)
            return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    }
    const char *params[1] = {qname};
    PGresult *r = PQexecParams(k->conn,
                               "SELECT a.attname, a.atttypid FROM pg_catalog.pg_attribute a "
                               "WHERE a.attrelid = $1::pg_catalog.regclass AND a.attnum > 0 "
                               "AND NOT a.attisdropped",
                               1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = pg_err(k, r, err, "reading the columns of %s", t->name);
        PQclear(r);
        return rc;
    }
    bool ok = true;
    for (size_t i = 0; i < t->ncolumns && ok; i++) {
        const dbf_column *c = &t->columns[i];
        pg_bincol *bc = &k->bcols[i];
        memset(bc, 0, sizeof(*bc));
        if (c->flags & DBF_COL_GENERATED)
            continue;
        if (c->type == DBF_T_NATIVE || c->type == DBF_T_ANY ||
            (c->type == DBF_T_ARRAY && c->elem_type == DBF_T_NATIVE)) {
            ok = false;
            break;
        }
        uint32_t typid = 0;
        for (int j = 0; j < PQntuples(r); j++)
            if (strcmp(PQgetvalue(r, j, 0), c->name) == 0)
                typid = (uint32_t)strtoul(PQgetvalue(r, j, 1), NULL, 10);
        const pg_type_row *bt = typ_base(k, typid);
        if (!bt) {
            ok = false;
            break;
        }
        if (bt->category == 'A' && bt->elem != 0 && bt->typlen == -1) {
            if (c->type != DBF_T_ARRAY) {
                ok = false;
                break;
            }
            const pg_type_row *et = typ_base(k, bt->elem);
            bc->is_array = true;
            bc->elem_oid = bt->elem;
            bc->kind = et ? pgb_kind_of(et->oid, et->typtype) : PGB_NONE;
        } else {
            if (c->type == DBF_T_ARRAY) {
                ok = false;
                break;
            }
            bc->kind = pgb_kind_of(bt->oid, bt->typtype);
        }
        ok = bc->kind != PGB_NONE;
    }
    PQclear(r);
    *out = ok;
    return 0;
}

/* One piece of a large object: (loid, offset, data). The object exists when pg_dump's
 * pre-data entries made it (lo_create); otherwise (a data-only archive) it is made here,
 * and one the target already has is refused, kept (--on-conflict=skip) or replaced
 * (--on-conflict=update, --truncate). */
static int lo_piece(dbe_sink *k, const dbf_value *v, size_t n, uint64_t row, dbf_error *err)
{
    if (n != 3 || v[0].kind != DBF_V_INT || v[1].kind != DBF_V_INT || v[2].kind != DBF_V_BIN ||
        v[0].u.i < 0 || v[0].u.i > UINT32_MAX || v[1].u.i < 0)
        return dbf_error_set(err, DBF_ECORRUPT, "large objects: row %" PRIu64 " is not "
                             "(loid, offset, data)", row);
    uint32_t oid = (uint32_t)v[0].u.i;
    if (k->lo_skip && oid == k->lo_oid)
        return 0;
    if (k->lo_fd < 0 || oid != k->lo_oid) {
        if (k->lo_fd >= 0)
            lo_close(k->conn, k->lo_fd);
        k->lo_fd = -1;
        k->lo_skip = false;
        k->lo_oid = oid;
        char q[128];
        snprintf(q, sizeof q, "SELECT 1 FROM pg_catalog.pg_largeobject_metadata WHERE oid = %u",
                 (unsigned)oid);
        PGresult *r = PQexec(k->conn, q);
        bool there = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
        PQclear(r);
        if (there && !k->pg_dump) {
            if (k->lo_on_conflict == DBE_CONFLICT_SKIP)
                return (k->lo_skip = true), 0;
            if (k->lo_on_conflict != DBE_CONFLICT_UPDATE)
                return dbf_error_set(err, DBC_EDATA, "large object %u: the target has one "
                                     "with this oid already (--on-conflict=skip keeps it, "
                                     "=update replaces it)", (unsigned)oid);
            if (lo_unlink(k->conn, oid) != 1)
                return pg_err(k, NULL, err, "replacing large object %u", (unsigned)oid);
            there = false;
        }
        if ((!there && lo_create(k->conn, oid) != oid) ||
            (k->lo_fd = lo_open(k->conn, oid, INV_WRITE)) < 0)
            return pg_err(k, NULL, err, "large object %u", (unsigned)oid);
    }
    if (lo_lseek64(k->conn, k->lo_fd, v[1].u.i, SEEK_SET) != v[1].u.i)
        return pg_err(k, NULL, err, "large object %u", (unsigned)oid);
    for (size_t done = 0; done < v[2].u.s.len;) {
        int w = lo_write(k->conn, k->lo_fd, v[2].u.s.ptr + done, v[2].u.s.len - done);
        if (w <= 0)
            return pg_err(k, NULL, err, "writing large object %u", (unsigned)oid);
        done += (size_t)w;
    }
    return 0;
}

static bool has_insertable(const dbf_table *t)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        if (!(t->columns[i].flags & DBF_COL_GENERATED))
            return true;
    return false;
}

/*
 * -j: the lane that loads t (qname), the one its first run went to (*first: this is it).
 * A plain table that is no extension's member (CREATE EXTENSION may have put rows in its
 * configuration tables) is emptied by TRUNCATE in the lane's transaction before its first
 * COPY: the rows then go in frozen (COPY FREEZE), so that nothing (the index builds, the
 * first reader) has to look up and write their transaction's state in every page again, as
 * it would for rows committed by another transaction than the one that reads them. With
 * wal_level minimal they also skip the WAL.
 */
static int lane_for(dbe_sink *k, const dbf_table *t, const char *qname,
                    const pg_table_lane **out, bool *first, dbf_error *err)
{
    *first = false;
    for (size_t i = 0; i < k->lane_of.n; i++)
        if (((pg_table_lane *)k->lane_of.p)[i].t == t)
            return *out = &((pg_table_lane *)k->lane_of.p)[i], 0;
    const char *params[1] = {qname};
    PGresult *r = PQexecParams(k->conn,
        "SELECT c.relkind = 'r' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d "
        "WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid "
        "AND d.deptype = 'e') FROM pg_catalog.pg_class c "
        "WHERE c.oid = $1::pg_catalog.regclass", 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        int rc = pg_err(k, r, err, "reading what table %s is", qname);
        PQclear(r);
        return rc;
    }
    bool freeze = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    pg_table_lane *tl = dbc_vec_push(&k->lane_of, sizeof(*tl));
    if (!tl)
        return dbc_oom(err);
    *tl = (pg_table_lane){t, pg_lanes_pick(k->lanes), freeze};
    *out = tl;
    *first = true;
    return 0;
}

static int pg_sink_data_begin(dbe_sink *k, const dbf_table *t, dbf_error *err)
{
    int rc;
    if ((rc = ready(k, err)) != 0)
        return rc;
    /* -j: large objects and tables without a column to COPY go on the sink's connection */
    if (k->lanes && (rc = main_txn(k, is_lo_table(t) || !has_insertable(t), err)) != 0)
        return rc;
    if (is_lo_table(t)) {
        k->lo_load = true;
        k->lo_fd = -1;
        k->lo_skip = false;
        return 0;
    }
    dbc_buf b = {0}, q = {0};
    if (qualified(&q, t->schema, t->name))
        goto oom;
    dbc_buf_puts(&b, "COPY ");
    dbc_buf_puts(&b, q.p);
    dbc_buf_puts(&b, " (");
    bool first = true;
    for (size_t i = 0; i < t->ncolumns; i++) {
        if (t->columns[i].flags & DBF_COL_GENERATED)
            continue;
        if (!first)
            dbc_buf_puts(&b, ", ");
        first = false;
        if (qualified(&b, NULL, t->columns[i].name))
            goto oom;
    }
    dbc_buf_puts(&b, ") FROM STDIN");
    if (b.oom)
        goto oom;
    k->copy_table = t;
    k->copy.len = 0;
    if (first) {
        /* No insertable column: each row becomes INSERT ... DEFAULT VALUES. */
        dbc_buf_free(&b);
        k->val.len = 0;
        dbc_buf_printf(&k->val, "INSERT INTO %s DEFAULT VALUES", q.p);
        dbc_buf_free(&q);
        return k->val.oom ? dbf_error_set(err, DBF_ENOMEM, "out of memory") : 0;
    }
    if ((rc = plan_binary(k, t, q.p, &k->binary, err)) != 0) {
        dbc_buf_free(&b);
        dbc_buf_free(&q);
        return rc;
    }
    const pg_table_lane *tl = NULL;
    bool first_run = false;
    if (k->lanes && (rc = lane_for(k, t, q.p, &tl, &first_run, err)) != 0) {
        dbc_buf_free(&b);
        dbc_buf_free(&q);
        return rc;
    }
    if (k->binary || (tl && tl->freeze))
        dbc_buf_printf(&b, " (%s%s%s)", k->binary ? "FORMAT binary" : "",
                       k->binary && tl && tl->freeze ? ", " : "", tl && tl->freeze ? "FREEZE" : "");
    if (b.oom)
        goto oom;
    if (dbc_verbosity >= 2)
        dbc_info("PostgreSQL: loading %s in %s COPY format%s", q.p, k->binary ? "binary" : "text",
                 tl ? (tl->freeze ? " (FREEZE)" : "") : "");
    if (k->lanes) {
        /* a table of its own: emptied in the lane's transaction, its rows stored frozen */
        dbc_buf pre = {0};
        if (first_run && tl->freeze)
            dbc_buf_printf(&pre, "TRUNCATE ONLY %s", q.p);
        k->lane = tl->lane;
        if (pre.oom)
            rc = dbc_oom(err);
        else if ((rc = pg_lanes_copy_begin(k->lanes, k->lane, pre.p, b.p, q.p, err)) == 0)
            k->in_copy = true;
        dbc_buf_free(&pre);
        dbc_buf_free(&b);
        dbc_buf_free(&q);
        if (!rc && k->binary)
            dbc_buf_add(&k->copy, pg_copy_signature, sizeof pg_copy_signature);
        return rc;
    }
    PGresult *r = PQexec(k->conn, b.p);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        rc = pg_err(k, r, err, "starting COPY into %s.%s", t->schema ? t->schema : "", t->name);
        PQclear(r);
        dbc_buf_free(&b);
        dbc_buf_free(&q);
        return rc;
    }
    PQclear(r);
    dbc_buf_free(&b);
    dbc_buf_free(&q);
    k->in_copy = true;
    if (k->binary)
        dbc_buf_add(&k->copy, pg_copy_signature, sizeof pg_copy_signature);
    return 0;
oom:
    dbc_buf_free(&b);
    dbc_buf_free(&q);
    return dbf_error_set(err, DBF_ENOMEM, "out of memory");
}

/* Append one binary field (length word + bytes) for a non-array value. */
static int bin_scalar(dbc_buf *b, pgb_kind kind, const dbf_value *v)
{
    size_t max = pgb_max_size(kind, v);
    if (!dbc_buf_reserve(b, 4 + max))
        return 0;
    unsigned char *p = (unsigned char *)b->p + b->len;
    long n = pgb_encode(kind, v, p + 4);
    if (n < 0)
        return -1;
    pgb_put32(p, (uint32_t)n);
    b->len += 4 + (size_t)n;
    return 0;
}

static int bin_array(dbc_buf *b, const pg_bincol *bc, const dbf_value *v)
{
    size_t start = b->len;
    unsigned char hdr[12 + 8 * DBF_MAX_DIMS];
    if (v->u.arr.ndims < 0 || v->u.arr.ndims > DBF_MAX_DIMS)
        return -1;
    int nd = v->u.arr.nelems ? v->u.arr.ndims : 0;
    bool hasnull = false;
    for (size_t i = 0; i < v->u.arr.nelems; i++)
        hasnull |= v->u.arr.elems[i].kind == DBF_V_NULL;
    pgb_put32(hdr, 0); /* length, patched below */
    pgb_put32(hdr + 4, (uint32_t)nd);
    pgb_put32(hdr + 8, hasnull ? 1 : 0);
    dbc_buf_add(b, (const char *)hdr, 12);
    pgb_put32(hdr, bc->elem_oid);
    dbc_buf_add(b, (const char *)hdr, 4);
    for (int d = 0; d < nd; d++) {
        pgb_put32(hdr, (uint32_t)v->u.arr.dims[d]);
        pgb_put32(hdr + 4, (uint32_t)v->u.arr.lbounds[d]);
        dbc_buf_add(b, (const char *)hdr, 8);
    }
    for (size_t i = 0; i < v->u.arr.nelems; i++) {
        const dbf_value *e = &v->u.arr.elems[i];
        if (e->kind == DBF_V_NULL) {
            pgb_put32(hdr, UINT32_MAX);
            dbc_buf_add(b, (const char *)hdr, 4);
        } else if (bin_scalar(b, bc->kind, e)) {
            return -1;
        }
    }
    if (b->oom)
        return 0;
    pgb_put32((unsigned char *)b->p + start, (uint32_t)(b->len - start - 4));
    return 0;
}

/* @return 0, 1 (value *bad does not fit its column) or a negative DBF_E* code. */
static int row_binary(dbe_sink *k, const dbf_table *t, const dbf_value *vals, size_t n,
                      size_t *bad, dbf_error *err)
{
    unsigned char w[4];
    size_t nf = 0;
    for (size_t i = 0; i < n; i++)
        nf += !(t->columns[i].flags & DBF_COL_GENERATED);
    w[0] = (unsigned char)(nf >> 8);
    w[1] = (unsigned char)nf;
    dbc_buf_add(&k->copy, (const char *)w, 2);
    for (size_t i = 0; i < n; i++) {
        if (t->columns[i].flags & DBF_COL_GENERATED)
            continue;
        const dbf_value *v = &vals[i];
        const pg_bincol *bc = &k->bcols[i];
        int rc;
        if (v->kind == DBF_V_NULL) {
            pgb_put32(w, UINT32_MAX);
            dbc_buf_add(&k->copy, (const char *)w, 4);
            rc = 0;
        } else if (bc->is_array) {
            rc = v->kind == DBF_V_ARRAY ? bin_array(&k->copy, bc, v) : -1;
        } else if ((v->kind == DBF_V_STR || v->kind == DBF_V_BIN) && v->u.s.len > COPY_FLUSH &&
                   ((bc->kind == PGB_BYTEA) == (v->kind == DBF_V_BIN)) &&
                   (bc->kind == PGB_TEXT || bc->kind == PGB_JSONB || bc->kind == PGB_BYTEA)) {
            /* large value: length word, then the bytes in pieces */
            size_t len = v->u.s.len + (bc->kind == PGB_JSONB);
            if (len > INT32_MAX) {
                rc = -1;
            } else {
                pgb_put32(w, (uint32_t)len);
                dbc_buf_add(&k->copy, (const char *)w, 4);
                if (bc->kind == PGB_JSONB)
                    dbc_buf_add(&k->copy, "\1", 1);
                int e = copy_raw(k, v->u.s.ptr, v->u.s.len, err);
                if (e)
                    return e;
                rc = 0;
            }
        } else {
            rc = bin_scalar(&k->copy, bc->kind, v);
        }
        if (rc) {
            *bad = i;
            return 1;
        }
    }
    return 0;
}

static int pg_sink_row(dbe_sink *k, const dbf_table *t, const dbf_value *vals, size_t n,
                       uint64_t row_number, dbf_error *err)
{
    if (k->lanes && k->in_copy)
        k->lane_sent[k->lane]++;
    if (n != t->ncolumns)
        return dbf_error_set(err, DBF_ECORRUPT, "table %s row %" PRIu64 ": %zu values for %zu "
                             "columns", t->name, row_number, n, t->ncolumns);
    if (k->lo_load)
        return lo_piece(k, vals, n, row_number, err);
    if (!k->in_copy) {
        /* table without insertable columns */
        if (!k->val.p)
            return dbf_error_set(err, DBF_EINVAL, "row outside a data section");
        return exec_sql(k, k->val.p, t->name, err);
    }
    if (k->binary) {
        size_t bad = 0;
        int brc = row_binary(k, t, vals, n, &bad, err);
        if (brc < 0)
            return brc;
        if (brc > 0)
            return dbf_error_set(err, DBC_EDATA,
                                 "table %s.%s column %s row %" PRIu64 ": value of kind %d does "
                                 "not fit PostgreSQL type %s",
                                 t->schema ? t->schema : "", t->name, t->columns[bad].name,
                                 row_number, (int)vals[bad].kind,
                                 t->columns[bad].native_type ? t->columns[bad].native_type : "?");
        if (k->copy.oom)
            return dbf_error_set(err, DBF_ENOMEM, "out of memory at table %s row %" PRIu64,
                                 t->name, row_number);
        return k->copy.len >= COPY_FLUSH ? send_copy(k, err) : 0;
    }
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        const dbf_column *c = &t->columns[i];
        if (c->flags & DBF_COL_GENERATED)
            continue;
        if (!first)
            dbc_buf_putc(&k->copy, '\t');
        first = false;
        const dbf_value *v = &vals[i];
        int rc = 0;
        if (v->kind == DBF_V_STR && v->u.s.len > COPY_FLUSH && c->type != DBF_T_DATE &&
            c->type != DBF_T_TIMESTAMP && c->type != DBF_T_TIMESTAMPTZ) {
            if ((rc = copy_escaped_large(k, v->u.s.ptr, v->u.s.len, err)) != 0)
                return rc;
        } else if (v->kind == DBF_V_BIN && c->type != DBF_T_UUID && v->u.s.len > COPY_FLUSH / 2) {
            if ((rc = copy_hex_large(k, (const unsigned char *)v->u.s.ptr, v->u.s.len, err)) != 0)
                return rc;
        } else {
            rc = pg_copy_text_value(&k->copy, &k->arr, &k->val, c, v);
        }
        if (rc)
            return dbf_error_set(err, DBC_EDATA,
                                 "table %s.%s column %s row %" PRIu64 ": value of kind %d does "
                                 "not fit PostgreSQL type %s",
                                 t->schema ? t->schema : "", t->name, c->name, row_number,
                                 (int)v->kind, c->native_type ? c->native_type : "?");
    }
    dbc_buf_putc(&k->copy, '\n');
    if (k->copy.oom || k->val.oom || k->arr.oom)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory at table %s row %" PRIu64, t->name,
                             row_number);
    if (k->copy.len >= COPY_FLUSH)
        return send_copy(k, err);
    return 0;
}

static int pg_sink_data_end(dbe_sink *k, const dbf_table *t, dbf_error *err)
{
    int rc = 0;
    if (k->lo_load) {
        k->lo_load = false;
        if (k->lo_fd >= 0 && lo_close(k->conn, k->lo_fd) != 0)
            rc = pg_err(k, NULL, err, "large object %u", (unsigned)k->lo_oid);
        k->lo_fd = -1;
        return rc || !k->lanes ? rc : main_txn(k, false, err);
    }
    if (!k->in_copy)
        return k->lanes ? main_txn(k, false, err) : 0;
    if (k->binary)
        dbc_buf_add(&k->copy, "\377\377", 2);
    if (k->copy.oom)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    if ((rc = send_copy(k, err)) != 0)
        return rc;
    k->in_copy = false;
    if (k->lanes)
        return pg_lanes_copy_end(k->lanes, k->lane, err);
    if (PQputCopyEnd(k->conn, NULL) != 1)
        return dbf_error_set(err, DBC_EBACKEND, "PostgreSQL: ending COPY into %s: %s", t->name,
                             PQerrorMessage(k->conn));
    PGresult *r;
    while ((r = PQgetResult(k->conn)) != NULL) {
        if (!rc && PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = pg_err(k, r, err, "loading %s.%s", t->schema ? t->schema : "", t->name);
        PQclear(r);
    }
    return rc;
}

static int pg_sink_commit(dbe_sink *k, dbf_error *err)
{
    int rc;
    if (k->in_copy)
        return dbf_error_set(err, DBF_EINVAL, "commit while a COPY is open");
    if ((rc = ready(k, err)) != 0)
        return rc;
    if (k->lanes) { /* -j: every lane done; the privileges; what the sink's connection did */
        if ((rc = data_done(k, err)) != 0 || (rc = pg_lanes_wait(k->lanes, err)) != 0 ||
            (rc = main_txn(k, true, err)) != 0)
            return rc;
        for (size_t i = 0; k->pg_dump && i < k->pre.n && !rc; i++) {
            const dbf_object *o = ((const void **)k->pre.p)[i];
            if (is_pg_dump_entry(o) &&
                deferred_acl(k, dbc_kv(o->attrs, o->nattrs, "pg_dump.type")))
                rc = run_entry(k, o, err);
        }
        return rc ? rc : main_txn(k, false, err);
    }
    return exec_sql(k, "COMMIT", "COMMIT", err);
}

/* Cross-engine: one translated statement inside the restore's transaction. */
static int pg_sink_exec_sql(dbe_sink *k, const char *sql, const char *what, dbf_error *err)
{
    int rc;
    if (k->in_copy)
        return dbf_error_set(err, DBF_EINVAL, "SQL while a COPY is open");
    if ((rc = ready(k, err)) != 0)
        return rc;
    if (k->lanes && (strncmp(sql, "CREATE INDEX ", 13) == 0 ||
                     strncmp(sql, "CREATE UNIQUE INDEX ", 20) == 0))
        return post_any(k, sql, what, err);
    if (k->lanes && (rc = post_serial(k, err)) != 0)
        return rc;
    return exec_sql(k, sql, what, err);
}

/* Data-only restores: a query's rows, one at a time (single-row mode: nothing kept whole). */
static int pg_sink_query(dbe_sink *k, const char *sql, const char *what, dbe_text_row_fn row,
                         void *ctx, dbf_error *err)
{
    int rc = 0;
    const char *vals[64];
    if (k->in_copy)
        return dbf_error_set(err, DBF_EINVAL, "SQL while a COPY is open");
    if ((rc = ready(k, err)) != 0)
        return rc;
    if (!PQsendQuery(k->conn, sql) || !PQsetSingleRowMode(k->conn))
        return pg_err(k, NULL, err, "%s", what);
    PGresult *r;
    while ((r = PQgetResult(k->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (rc) {
            /* draining after a failure: the connection is usable again afterwards */
        } else if (st == PGRES_SINGLE_TUPLE) {
            int n = PQnfields(r);
            if (n > 64)
                n = 64;
            for (int i = 0; i < n; i++)
                vals[i] = PQgetisnull(r, 0, i) ? NULL : PQgetvalue(r, 0, i);
            rc = row(ctx, vals, (size_t)n);
        } else if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
            pg_err(k, r, err, "%s", what);
            rc = err->code = DBC_EBACKEND; /* whatever the SQLSTATE: a failed check query */
        }
        PQclear(r);
    }
    return rc;
}

/* -j: after a failure past the schema's commit, drop what this restore created, in one
 * transaction on the sink's connection (a new one when it is gone). */
static int undo_restore(dbe_sink *k, dbf_error *err)
{
    int rc;
    if (PQstatus(k->conn) != CONNECTION_OK) {
        PQfinish(k->conn);
        k->conn = pg_connect(k->conninfo, "dbrestore");
        if (!k->conn)
            return dbc_oom(err);
        if (PQstatus(k->conn) != CONNECTION_OK)
            return pg_err(k, NULL, err, "connecting to %s again", k->display);
    }
    if ((rc = exec_sql(k, "RESET ALL", "RESET ALL", err)) != 0 ||
        (rc = pg_session(k->conn, false, err)) != 0 || (rc = main_txn(k, true, err)) != 0)
        return rc;
    for (size_t i = 0; k->pg_dump && i < k->pre.n && !rc; i++) {
        const dbf_object *o = ((const void **)k->pre.p)[i];
        const char *type = dbc_kv(o->attrs, o->nattrs, "pg_dump.type");
        if (is_pg_dump_entry(o) && o->sql && type && strcmp(type, "DROP") == 0)
            rc = run_drops(k, o->sql, true, err);
    }
    if (!k->pg_dump)
        rc = clean_target(k, true, err);
    return rc ? rc : main_txn(k, false, err);
}

static void pg_sink_abort(dbe_sink *k)
{
    if (!k || !k->conn)
        return;
    if (k->lanes) {
        pg_lanes_stop(k->lanes);
        k->in_copy = false; /* the lanes' COPY, ended by the stop */
    }
    if (k->in_copy) {
        PQputCopyEnd(k->conn, "restore aborted");
        k->in_copy = false;
        PGresult *r;
        while ((r = PQgetResult(k->conn)) != NULL)
            PQclear(r);
    }
    if (PQtransactionStatus(k->conn) != PQTRANS_IDLE) {
        PGresult *r = PQexec(k->conn, "ROLLBACK");
        PQclear(r);
    }
    k->main_txn = false;
    if (k->lanes && k->schema_committed) {
        dbf_error e = {0, {0}};
        dbc_info("PostgreSQL: the restore failed after its schema was committed: dropping what "
                 "it created");
        k->undone = true;
        if ((k->undo_rc = undo_restore(k, &e)) != 0) {
            dbc_warn("PostgreSQL: the clean-up failed: %s", e.msg);
            PGresult *r = PQexec(k->conn, "ROLLBACK");
            PQclear(r);
        }
    }
}

static size_t pg_sink_lane_rows(dbe_sink *k, uint64_t *rows, size_t cap)
{
    for (size_t i = 0; k->lanes && i < k->jobs && i < cap; i++)
        rows[i] = k->lane_sent[i];
    return k->lanes ? k->jobs : 1;
}

static const char *pg_sink_aborted(dbe_sink *k)
{
    if (!k || !k->undone)
        return NULL;
    return k->undo_rc ? "the clean-up failed (see above): what this restore created is still in "
                        "the target (drop it, or restore again with -j 1 --clean)"
                      : "cleaned up: what this restore created was dropped, the target is as it "
                        "was";
}

static void pg_sink_describe(dbe_sink *k, void (*line)(void *ctx, const char *text), void *ctx)
{
    char b[640];
    if (k->into)
        snprintf(b, sizeof b, "PostgreSQL: data-only: one transaction on one connection; a "
                 "failure or a kill leaves the target as it was");
    else if (k->lanes)
        snprintf(b, sizeof b, "PostgreSQL: on %zu connections, not one transaction: the schema "
                 "is committed first; each table's rows load on one of %zu connections (COPY, "
                 "a transaction per connection), indexes and key constraints are built on %zu at "
                 "once, then foreign keys, triggers and the rest on one; a failure drops what "
                 "this restore created (schemas and extensions there before are kept); a kill "
                 "of dbrestore leaves what was made so far (-j 1: one transaction)",
                 k->jobs, k->jobs, k->jobs);
    else
        snprintf(b, sizeof b, "PostgreSQL: one transaction on one connection: a failure or a "
                 "kill leaves the target as it was (-j N loads on N connections, not in one "
                 "transaction)");
    line(ctx, b);
}

const dbe_sink_ops dbe_pg_sink = {
    .version = DBE_SINK_OPS_VERSION,
    .engine = DBE_POSTGRESQL,
    .open = pg_sink_open,
    .prepare = pg_sink_prepare,
    .create_table = pg_sink_create_table,
    .create_object = pg_sink_create_object,
    .data_begin = pg_sink_data_begin,
    .row = pg_sink_row,
    .data_end = pg_sink_data_end,
    .commit = pg_sink_commit,
    .abort = pg_sink_abort,
    .close = pg_sink_close,
    .exec_sql = pg_sink_exec_sql,
    .query = pg_sink_query,
    .describe = pg_sink_describe,
    .aborted = pg_sink_aborted,
    .lane_rows = pg_sink_lane_rows,
};
