/*
 * lite_sink.c - SQLite sink.
 *
 * New file: built in "PATH.tmp.XXXXXX" beside PATH (journal_mode=OFF, synchronous=OFF, one
 * transaction, one prepared INSERT per table), fsynced and linked into place on commit, so
 * PATH appears only when the restore succeeded. Existing file: refused when it holds tables
 * unless --clean (drop the archive's tables/views/indexes/triggers first, in the same
 * transaction) or --force; loaded in one transaction (BEGIN IMMEDIATE), rolled back on error.
 *
 * Data-only into existing tables (o->into, engine.h): the file must exist; one BEGIN IMMEDIATE
 * transaction from prepare to commit, create_table only prepares the INSERT into the given
 * table (existing or a temporary staging table), nothing is created, dropped or set
 * persistently; abort rolls back. foreign_keys stays OFF on this connection (the pump checks
 * foreign keys with queries).
 *
 * Order: pre-data settings (encoding, page_size, auto_vacuum, journal_mode: new files only),
 * tables from their native CREATE TABLE text, rows (explicit rowid where carried, generated columns
 * skipped), then indexes, views and triggers in the source's sqlite_schema order, then
 * sqlite_sequence, user_version and application_id.
 *
 * Archives from other engines reach this sink already translated (restore/cross.c: header,
 * tables and rows in SQLite's terms, post-data through exec_sql); a foreign header given
 * directly is refused with DBF_EUNSUPPORTED.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "dbc_buf.h"
#include "dbc_mem.h"
#include "engine.h"

typedef struct tstate {
    const dbf_table *t; /* archive table (borrowed from the reader) */
    sqlite3_stmt *ins;  /* INSERT INTO t(insertable columns) VALUES(?...) */
    int *bind;          /* per archive column: bind index, 0 = not inserted (generated) */
} tstate;

struct dbe_sink {
    sqlite3 *db;        /* target connection */
    char *path;         /* final path */
    char *tmp;          /* new file: temporary path beside it; NULL for an existing file */
    bool in_txn;        /* BEGIN done */
    bool clean, force;  /* --clean / --force */
    bool into;          /* data-only into existing tables: create nothing (engine.h) */
    bool seq_cleared;   /* sqlite_sequence rows of the archive's tables deleted */
    bool wal;           /* new file: switch to journal_mode=WAL after the commit */
    const dbf_table *const *tables; /* archive tables (borrowed) */
    size_t ntables;
    dbc_vec ts;         /* tstate: per created table (allocated by prepare) */
    size_t last;        /* index of the last table used (lookup cache) */
};

static int db_error(dbe_sink *k, dbf_error *err, const char *fmt_what, const char *name)
{
    int ec = sqlite3_errcode(k->db);
    int code = DBC_EBACKEND;
    if (ec == SQLITE_FULL || ec == SQLITE_IOERR)
        code = DBF_EIO;
    else if (ec == SQLITE_CONSTRAINT || ec == SQLITE_MISMATCH || ec == SQLITE_TOOBIG ||
             ec == SQLITE_RANGE)
        code = DBC_EDATA;
    return dbf_error_set(err, code, "SQLite: %s%s%s: %s", fmt_what, name ? " " : "",
                         name ? name : "", sqlite3_errmsg(k->db));
}


/* Execute "PREFIX "name"" (e.g. DROP VIEW IF EXISTS). */
static int exec_named(dbe_sink *k, const char *prefix, const char *name, dbf_error *err)
{
    char *q = dbc_quote_ident(name, '"');
    char *sql = q ? sqlite3_mprintf("%s %s", prefix, q) : NULL;
    int rc = 0;
    if (!sql)
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
    else if (sqlite3_exec(k->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        rc = db_error(k, err, prefix, name);
    sqlite3_free(sql);
    free(q);
    return rc;
}

/* Type of the schema entry called name ("table", "view", ...), or "" when none. */
static int schema_type(dbe_sink *k, const char *name, char *out, size_t cap, dbf_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = 0;
    out[0] = '\0';
    if (sqlite3_prepare_v2(k->db, "SELECT type FROM sqlite_master WHERE name = ?1", -1, &st,
                           NULL) != SQLITE_OK)
        return db_error(k, err, "reading sqlite_schema", NULL);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    else if (step != SQLITE_DONE)
        rc = db_error(k, err, "reading sqlite_schema", NULL);
    sqlite3_finalize(st);
    return rc;
}

static bool is_integer_text(const char *s, bool allow_sign)
{
    if (allow_sign && (*s == '-' || *s == '+'))
        s++;
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/*
 * Run one CREATE statement from the archive (native SQL of a table, index, view or trigger):
 * exactly one statement, starting with CREATE, that makes an object of the expected type and
 * name. Anything else in an archive (a second statement, a DROP) is refused as corrupt.
 */
static int exec_create(dbe_sink *k, const char *sql, const char *type, const char *name,
                       dbf_error *err)
{
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    const char *p = sql;
    char what[48], found[16];
    int rc = 0;
    snprintf(what, sizeof what, "creating %s", type);
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (strncasecmp(p, "CREATE", 6) != 0)
        return dbf_error_set(err, DBF_ECORRUPT, "the SQL of %s %s is not a CREATE statement",
                             type, name);
    if (sqlite3_prepare_v2(k->db, sql, -1, &st, &tail) != SQLITE_OK)
        return db_error(k, err, what, name);
    for (; tail && *tail; tail++) {
        if (*tail != ' ' && *tail != '\t' && *tail != '\n' && *tail != '\r' && *tail != ';') {
            sqlite3_finalize(st);
            return dbf_error_set(err, DBF_ECORRUPT,
                                 "the SQL of %s %s holds more than one statement", type, name);
        }
    }
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = db_error(k, err, what, name);
    sqlite3_finalize(st);
    if (rc == 0 && (rc = schema_type(k, name, found, sizeof found, err)) == 0 &&
        strcmp(found, type) != 0)
        rc = dbf_error_set(err, DBF_ECORRUPT, "the SQL of %s %s did not create it", type, name);
    return rc;
}

/* New file: start the one transaction once the pre-data settings are applied. */
static int ensure_txn(dbe_sink *k, dbf_error *err)
{
    if (k->in_txn)
        return 0;
    if (k->tmp && (sqlite3_exec(k->db, "PRAGMA journal_mode = OFF", NULL, NULL, NULL) !=
                       SQLITE_OK ||
                   sqlite3_exec(k->db, "PRAGMA synchronous = OFF", NULL, NULL, NULL) !=
                       SQLITE_OK))
        return db_error(k, err, "setting up the new file", NULL);
    if (sqlite3_exec(k->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_error(k, err, "BEGIN", NULL);
    k->in_txn = true;
    return 0;
}

/* Finalize the prepared INSERTs (before the connection closes). */
static void finalize_inserts(dbe_sink *k)
{
    tstate *ts = k->ts.p;
    for (size_t i = 0; i < k->ts.n; i++) {
        sqlite3_finalize(ts[i].ins);
        ts[i].ins = NULL;
    }
}

/* ------------------------------------------------------------------ the ops */

static void sqlite_sink_close(dbe_sink *k)
{
    if (!k)
        return;
    finalize_inserts(k);
    for (size_t i = 0; i < k->ts.n; i++)
        free(((tstate *)k->ts.p)[i].bind);
    dbc_vec_free(&k->ts);
    sqlite3_close(k->db);
    free(k->path);
    free(k->tmp);
    free(k);
}

static int sqlite_sink_open(dbe_sink **out, const dbe_target *t, const dbe_restore_opts *o,
                            dbf_error *err)
{
    int rc = 0;
    struct stat sb;
    dbe_sink *k = calloc(1, sizeof *k);
    *out = NULL;
    if (o && o->jobs > 1) {
        free(k);
        return dbf_error_set(err, DBC_EUSAGE, "-j %d: this version loads a SQLite target "
                             "on one writer, in one transaction (-j N applies to "
                             "MySQL/MariaDB targets)", o->jobs);
    }
    if (!k)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    k->clean = o->clean;
    k->force = o->force;
    k->into = o->into;
    if (!(k->path = strdup(t->path))) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    if (stat(t->path, &sb) == 0) {
        if (!S_ISREG(sb.st_mode)) {
            rc = dbf_error_set(err, DBC_ECONNECT, "'%s' is not a regular file", t->path);
            goto done;
        }
        if (sqlite3_open_v2(t->path, &k->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
            rc = dbf_error_set(err, DBC_ECONNECT, "cannot open SQLite database '%s': %s",
                               t->path, k->db ? sqlite3_errmsg(k->db) : "out of memory");
            goto done;
        }
        if (sqlite3_exec(k->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) !=
            SQLITE_OK) {
            rc = dbf_error_set(err, DBC_ECONNECT, "cannot read SQLite database '%s': %s",
                               t->path, sqlite3_errmsg(k->db));
            goto done;
        }
    } else if (errno == ENOENT && k->into) {
        /* data-only into existing tables: never a new database */
        rc = dbf_error_set(err, DBC_ECONNECT, "database file '%s' does not exist", t->path);
        goto done;
    } else if (errno == ENOENT) {
        size_t n = strlen(t->path);
        if (!(k->tmp = malloc(n + 12))) {
            rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
            goto done;
        }
        memcpy(k->tmp, t->path, n);
        memcpy(k->tmp + n, ".tmp.XXXXXX", 12);
        int fd = mkstemp(k->tmp);
        if (fd < 0) {
            int e = errno;
            free(k->tmp);
            k->tmp = NULL;
            rc = dbf_error_set(err, DBC_ECONNECT, "cannot create SQLite database '%s': %s",
                               t->path, strerror(e));
            goto done;
        }
        /* the mode sqlite3 itself would give a new database (mkstemp made it 0600) */
        mode_t um = umask(0);
        umask(um);
        if (fchmod(fd, 0666 & ~um) != 0) {
            int e = errno;
            close(fd);
            rc = dbf_error_set(err, DBC_ECONNECT, "cannot create SQLite database '%s': %s",
                               t->path, strerror(e));
            goto done;
        }
        close(fd);
        if (sqlite3_open_v2(k->tmp, &k->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
            rc = dbf_error_set(err, DBC_ECONNECT, "cannot create SQLite database '%s': %s",
                               t->path, k->db ? sqlite3_errmsg(k->db) : "out of memory");
            goto done;
        }
    } else {
        rc = dbf_error_set(err, DBC_ECONNECT, "cannot open SQLite database '%s': %s", t->path,
                           strerror(errno));
        goto done;
    }
    sqlite3_busy_timeout(k->db, 10000);
    sqlite3_exec(k->db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
done:
    if (rc) {
        if (k->tmp)
            unlink(k->tmp);
        sqlite_sink_close(k);
        return rc;
    }
    *out = k;
    return 0;
}

static int sqlite_sink_prepare(dbe_sink *k, const dbf_header *h, const dbf_table *const *tables,
                               size_t ntables, dbf_error *err)
{
    int rc = 0;
    sqlite3_stmt *st = NULL;
    char list[160];
    size_t nexisting = 0, used = 0;

    if (!k->into && (!h->engine || strcmp(h->engine, "sqlite") != 0))
        return dbf_error_set(err, DBF_EUNSUPPORTED,
                             "the archive comes from %s: restoring it into SQLite needs DDL "
                             "generated from portable types, which is not supported yet",
                             h->engine ? h->engine : "an unknown engine");
    k->tables = tables;
    k->ntables = ntables;
    if (dbc_vec_reserve(&k->ts, ntables ? ntables : 1, sizeof(tstate)) != 0)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    if (k->tmp)
        return 0; /* new file: the transaction starts after the pre-data settings */

    if ((rc = ensure_txn(k, err)))
        return rc;
    if (k->into)
        return 0; /* the pump checked the tables it loads; nothing is dropped */
    if (sqlite3_prepare_v2(k->db,
                           "SELECT name FROM sqlite_master WHERE type = 'table' AND "
                           "name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(k, err, "reading sqlite_schema", NULL);
    list[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (nexisting < 5 && used < sizeof list) {
            int w = snprintf(list + used, sizeof list - used, "%s%s", nexisting ? ", " : "",
                             name ? name : "");
            used += w > 0 ? (size_t)w : 0;
        }
        nexisting++;
    }
    sqlite3_finalize(st);
    if (nexisting > 0 && !k->clean && !k->force)
        return dbf_error_set(err, DBC_ENOTEMPTY,
                             "target '%s' is not empty (%zu tables: %s%s); use --clean to drop "
                             "the archive's tables first or --force to restore into it as it is",
                             k->path, nexisting, list, nexisting > 5 ? ", ..." : "");
    if (k->clean) {
        for (size_t i = 0; i < ntables; i++) {
            char type[16];
            /* sqlite_stat1 too: recreated by create_stat1 at its archive position (the
             * statistics of tables outside the archive go with it; ANALYZE remakes them) */
            if ((rc = schema_type(k, tables[i]->name, type, sizeof type, err)))
                return rc;
            if (strcmp(type, "table") == 0)
                rc = exec_named(k, "DROP TABLE", tables[i]->name, err);
            else if (strcmp(type, "view") == 0)
                rc = exec_named(k, "DROP VIEW", tables[i]->name, err);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int prepare_insert(dbe_sink *k, const dbf_table *t, dbf_error *err);

/*
 * sqlite_stat1 (ANALYZE results) cannot be created by name: "ANALYZE sqlite_schema" creates
 * it (empty) at this point of sqlite_schema, as `sqlite3 .dump` does. --clean has dropped it;
 * with --force it may exist: then the rows of the archive's tables are deleted before the load.
 */
static int create_stat1(dbe_sink *k, const dbf_table *t, dbf_error *err)
{
    char type[16];
    sqlite3_stmt *st = NULL;
    int rc = schema_type(k, "sqlite_stat1", type, sizeof type, err);
    if (rc)
        return rc;
    if (strcmp(type, "table") != 0) {
        if (sqlite3_exec(k->db, "ANALYZE sqlite_schema", NULL, NULL, NULL) != SQLITE_OK)
            return db_error(k, err, "creating sqlite_stat1", NULL);
    } else {
        if (sqlite3_prepare_v2(k->db, "DELETE FROM sqlite_stat1 WHERE tbl = ?1", -1, &st,
                               NULL) != SQLITE_OK)
            return db_error(k, err, "clearing sqlite_stat1", NULL);
        for (size_t i = 0; i < k->ntables && rc == 0; i++) {
            sqlite3_bind_text(st, 1, k->tables[i]->name, -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE)
                rc = db_error(k, err, "clearing sqlite_stat1", NULL);
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
        if (rc)
            return rc;
    }
    return prepare_insert(k, t, err);
}

static int sqlite_sink_create_table(dbe_sink *k, const dbf_header *h, const dbf_table *t,
                                    dbf_error *err)
{
    int rc = 0;
    (void)h;
    if (k->into) {
        /* the existing (or staging) table as given: only its INSERT; staging tables need not
         * have been announced to prepare */
        if (!k->ts.p)
            return dbf_error_set(err, DBF_EINVAL, "table %s before prepare", t->name);
        if ((rc = ensure_txn(k, err)))
            return rc;
        return prepare_insert(k, t, err);
    }
    if (k->ts.n >= k->ntables)
        return dbf_error_set(err, DBF_EINVAL, "table %s was not announced to prepare", t->name);
    if ((rc = ensure_txn(k, err)))
        return rc;
    if (!t->native_sql || !t->engine || strcmp(t->engine, "sqlite") != 0)
        return dbf_error_set(err, DBF_EUNSUPPORTED,
                             "table %s has no SQLite CREATE TABLE text; not supported yet",
                             t->name);
    if (strcmp(t->name, "sqlite_stat1") == 0)
        return create_stat1(k, t, err);
    bool exists = false;
    if (dbc_table_attr(t, "sqlite.shadow_of")) {
        /* a virtual table's shadow table: its CREATE VIRTUAL TABLE (earlier in the
         * archive) made it with the module's initial rows; the archive's rows replace them */
        char type[16];
        if ((rc = schema_type(k, t->name, type, sizeof type, err)))
            return rc;
        if (strcmp(type, "table") == 0) {
            if ((rc = exec_named(k, "DELETE FROM", t->name, err)))
                return rc;
            return prepare_insert(k, t, err);
        }
    }
    if (k->force) {
        char type[16];
        if ((rc = schema_type(k, t->name, type, sizeof type, err)))
            return rc;
        exists = strcmp(type, "table") == 0;
    }
    if (exists) {
        if (dbc_verbosity >= 2)
            dbc_info("table %s exists (--force): loading into it", t->name);
    } else if ((rc = exec_create(k, t->native_sql, "table", t->name, err))) {
        return rc;
    }
    return prepare_insert(k, t, err);
}

/* The reused INSERT of table t (generated columns left out, the rowid column by name). */
static int prepare_insert(dbe_sink *k, const dbf_table *t, dbf_error *err)
{
    int rc = 0;
    dbc_buf sql = {0};
    tstate *ts = dbc_vec_push(&k->ts, sizeof *ts);
    if (ts)
        ts->t = t;
    if (!ts || !(ts->bind = calloc(t->ncolumns ? t->ncolumns : 1, sizeof *ts->bind)))
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    int nbind = 0;
    dbc_buf_puts(&sql, "INSERT INTO ");
    dbc_buf_ident(&sql, t->name, '"');
    dbc_buf_puts(&sql, " (");
    for (size_t i = 0; i < t->ncolumns; i++) {
        if (t->columns[i].flags & DBF_COL_GENERATED)
            continue;
        if (nbind)
            dbc_buf_puts(&sql, ", ");
        dbc_buf_ident(&sql, t->columns[i].name, '"');
        ts->bind[i] = ++nbind;
    }
    dbc_buf_puts(&sql, ") VALUES (");
    for (int i = 0; i < nbind; i++)
        dbc_buf_puts(&sql, i ? ", ?" : "?");
    dbc_buf_puts(&sql, ")");
    if (sql.oom)
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
    else if (nbind == 0)
        rc = dbf_error_set(err, DBF_EUNSUPPORTED, "table %s has no insertable column", t->name);
    else if (sqlite3_prepare_v3(k->db, sql.p, -1, SQLITE_PREPARE_PERSISTENT, &ts->ins, NULL) !=
             SQLITE_OK)
        rc = db_error(k, err, "preparing the INSERT into", t->name);
    dbc_buf_free(&sql);
    return rc;
}

/* sqlite_sequence: delete the archive tables' rows once, then insert in archive order. */
static int restore_sequence(dbe_sink *k, const dbf_object *o, dbf_error *err)
{
    int rc = 0;
    sqlite3_stmt *st = NULL;
    char type[16];
    if ((rc = schema_type(k, "sqlite_sequence", type, sizeof type, err)))
        return rc;
    if (strcmp(type, "table") != 0) {
        dbc_warn("sqlite_sequence value of %s not restored: no AUTOINCREMENT table in the "
                 "target",
                 o->name);
        return 0;
    }
    if (sqlite3_prepare_v2(k->db, "DELETE FROM sqlite_sequence WHERE name = ?1", -1, &st,
                           NULL) != SQLITE_OK)
        return db_error(k, err, "clearing sqlite_sequence", NULL);
    if (!k->seq_cleared) {
        for (size_t i = 0; i < k->ntables && rc == 0; i++) {
            sqlite3_bind_text(st, 1, k->tables[i]->name, -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE)
                rc = db_error(k, err, "clearing sqlite_sequence", NULL);
            sqlite3_reset(st);
        }
        k->seq_cleared = true;
    }
    if (rc == 0) {
        sqlite3_bind_text(st, 1, o->name, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = db_error(k, err, "clearing sqlite_sequence", NULL);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc)
        return rc;
    if (sqlite3_prepare_v2(k->db, "INSERT INTO sqlite_sequence (name, seq) VALUES (?1, ?2)", -1,
                           &st, NULL) != SQLITE_OK)
        return db_error(k, err, "writing sqlite_sequence", NULL);
    const char *v = o->value ? o->value : "0";
    sqlite3_bind_text(st, 1, o->name, -1, SQLITE_STATIC);
    if (is_integer_text(v, true))
        sqlite3_bind_int64(st, 2, strtoll(v, NULL, 10));
    else
        sqlite3_bind_text(st, 2, v, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = db_error(k, err, "writing sqlite_sequence for", o->name);
    sqlite3_finalize(st);
    return rc;
}

static int apply_setting(dbe_sink *k, const dbf_object *o, dbf_error *err)
{
    const char *v = o->value ? o->value : "";
    const char *name = o->name ? o->name : "";
    char sql[128];
    bool pre = o->section == DBF_SEC_PRE;
    if (pre) {
        if (!k->tmp || k->in_txn) {
            if (dbc_verbosity >= 2)
                dbc_info("setting %s=%s not applied to an existing database", name, v);
            return 0;
        }
        if (strcmp(name, "encoding") == 0) {
            if (strcasecmp(v, "UTF-8") && strcasecmp(v, "UTF-16le") && strcasecmp(v, "UTF-16be"))
                return dbf_error_set(err, DBF_ECORRUPT, "bad encoding setting '%s'", v);
            snprintf(sql, sizeof sql, "PRAGMA encoding = '%s'", v);
        } else if (strcmp(name, "journal_mode") == 0) {
            k->wal = strcasecmp(v, "wal") == 0; /* others: the default rollback journal */
            return 0;
        } else if (strcmp(name, "page_size") == 0 || strcmp(name, "auto_vacuum") == 0) {
            if (!is_integer_text(v, false) || strlen(v) > 6)
                return dbf_error_set(err, DBF_ECORRUPT, "bad %s setting '%s'", name, v);
            snprintf(sql, sizeof sql, "PRAGMA %s = %s", name, v);
        } else {
            dbc_warn("unknown SQLite setting %s skipped", name);
            return 0;
        }
    } else {
        if (strcmp(name, "user_version") != 0 && strcmp(name, "application_id") != 0) {
            dbc_warn("unknown SQLite setting %s skipped", name);
            return 0;
        }
        if (!is_integer_text(v, true) || strlen(v) > 11)
            return dbf_error_set(err, DBF_ECORRUPT, "bad %s setting '%s'", name, v);
        int rc = ensure_txn(k, err);
        if (rc)
            return rc;
        snprintf(sql, sizeof sql, "PRAGMA %s = %s", name, v);
    }
    if (sqlite3_exec(k->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_error(k, err, "applying setting", name);
    return 0;
}

static int sqlite_sink_create_object(dbe_sink *k, const dbf_header *h, const dbf_object *o,
                                     dbf_error *err)
{
    int rc;
    (void)h;
    if (o->engine && strcmp(o->engine, "sqlite") != 0) {
        dbc_warn("object %s (%s dialect) skipped", o->name ? o->name : "?", o->engine);
        return 0;
    }
    if (o->kind == DBF_OBJ_SETTING)
        return apply_setting(k, o, err);
    if ((rc = ensure_txn(k, err)))
        return rc;
    switch (o->kind) {
    case DBF_OBJ_SEQUENCE:
        return restore_sequence(k, o, err);
    case DBF_OBJ_INDEX:
    case DBF_OBJ_VIEW:
    case DBF_OBJ_TRIGGER: {
        const char *what = o->kind == DBF_OBJ_INDEX  ? "index"
                           : o->kind == DBF_OBJ_VIEW ? "view"
                                                     : "trigger";
        if (!o->sql || !o->name) {
            dbc_warn("%s %s without SQL text skipped", what, o->name ? o->name : "?");
            return 0;
        }
        if (k->clean) {
            char type[16], drop[32];
            if ((rc = schema_type(k, o->name, type, sizeof type, err)))
                return rc;
            if (strcmp(type, what) == 0) {
                snprintf(drop, sizeof drop, "DROP %s", what);
                if ((rc = exec_named(k, drop, o->name, err)))
                    return rc;
            }
        }
        return exec_create(k, o->sql, what, o->name, err);
    }
    default:
        dbc_warn("object %s of kind %d skipped", o->name ? o->name : "?", (int)o->kind);
        return 0;
    }
}

/* Cross-engine: one translated statement (table rebuild, index) inside the transaction. */
static int sqlite_sink_exec_sql(dbe_sink *k, const char *sql, const char *what, dbf_error *err)
{
    int rc;
    if ((rc = ensure_txn(k, err)))
        return rc;
    if (sqlite3_exec(k->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_error(k, err, "running", what);
    return 0;
}

/* Data-only restores: a query's rows, one at a time. */
static int sqlite_sink_query(dbe_sink *k, const char *sql, const char *what, dbe_text_row_fn row,
                             void *ctx, dbf_error *err)
{
    sqlite3_stmt *st = NULL;
    const char *vals[64];
    int rc = 0, step;
    if ((rc = ensure_txn(k, err)))
        return rc;
    if (sqlite3_prepare_v2(k->db, sql, -1, &st, NULL) != SQLITE_OK)
        return dbf_error_set(err, DBC_EBACKEND, "SQLite: %s: %s", what, sqlite3_errmsg(k->db));
    if (!st) /* empty statement: no row */
        return 0;
    int n = sqlite3_column_count(st) < 64 ? sqlite3_column_count(st) : 64;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < n; i++)
            vals[i] = (const char *)sqlite3_column_text(st, i);
        rc = row(ctx, vals, (size_t)n);
    }
    if (!rc && step != SQLITE_DONE)
        rc = dbf_error_set(err, DBC_EBACKEND, "SQLite: %s: %s", what, sqlite3_errmsg(k->db));
    sqlite3_finalize(st);
    return rc;
}

/* --verify inside the transaction: the loaded rows as this connection sees them, the columns
 * of tt only (no implicit rowid unless tt carries it), each value in its storage class. */
static int sqlite_sink_read_back(dbe_sink *k, const dbf_table *tt, bool *found, dbe_row_fn emit,
                                 void *ctx, dbf_error *err)
{
    int rc = 0, step;
    sqlite3_stmt *st = NULL;
    size_t n = tt->ncolumns;
    dbf_value *vals = calloc(n ? n : 1, sizeof *vals);
    dbc_buf sql = {0};
    *found = false;
    dbc_buf_puts(&sql, "SELECT ");
    for (size_t i = 0; i < n; i++) {
        if (i)
            dbc_buf_puts(&sql, ", ");
        dbc_buf_ident(&sql, tt->columns[i].name, '"');
    }
    dbc_buf_puts(&sql, " FROM ");
    dbc_buf_ident(&sql, tt->name, '"');
    if (!vals || sql.oom) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    if (sqlite3_prepare_v2(k->db, sql.p, -1, &st, NULL) != SQLITE_OK)
        goto done; /* not found (or its columns are not): reported as a mismatch */
    *found = true;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        for (size_t i = 0; i < n; i++) {
            int col = (int)i;
            switch (sqlite3_column_type(st, col)) {
            case SQLITE_INTEGER:
                vals[i].kind = DBF_V_INT;
                vals[i].u.i = sqlite3_column_int64(st, col);
                break;
            case SQLITE_FLOAT:
                vals[i].kind = DBF_V_F64;
                vals[i].u.f64 = sqlite3_column_double(st, col);
                break;
            case SQLITE_TEXT:
                vals[i].kind = DBF_V_STR;
                vals[i].u.s.ptr = (const char *)sqlite3_column_text(st, col);
                vals[i].u.s.len = (size_t)sqlite3_column_bytes(st, col);
                break;
            case SQLITE_BLOB:
                vals[i].kind = DBF_V_BIN;
                vals[i].u.s.ptr = sqlite3_column_blob(st, col);
                vals[i].u.s.len = (size_t)sqlite3_column_bytes(st, col);
                break;
            default:
                vals[i].kind = DBF_V_NULL;
                break;
            }
        }
        if ((rc = emit(ctx, vals, n, err)))
            goto done;
    }
    if (step != SQLITE_DONE)
        rc = dbf_error_set(err, DBC_EBACKEND, "verify: reading table %s: %s", tt->name,
                           sqlite3_errmsg(k->db));
done:
    sqlite3_finalize(st);
    dbc_buf_free(&sql);
    free(vals);
    return rc;
}

static tstate *find_table(dbe_sink *k, const dbf_table *t)
{
    tstate *ts = k->ts.p;
    if (k->last < k->ts.n && ts[k->last].t == t)
        return &ts[k->last];
    for (size_t i = 0; i < k->ts.n; i++) {
        if (ts[i].t == t) {
            k->last = i;
            return &ts[i];
        }
    }
    for (size_t i = 0; i < k->ts.n; i++) {
        if (ts[i].t->id == t->id) {
            k->last = i;
            return &ts[i];
        }
    }
    return NULL;
}

static int sqlite_sink_data_begin(dbe_sink *k, const dbf_table *t, dbf_error *err)
{
    if (!find_table(k, t))
        return dbf_error_set(err, DBF_ECORRUPT, "data for unknown table %s", t->name);
    return 0;
}

static int sqlite_sink_row(dbe_sink *k, const dbf_table *t, const dbf_value *vals, size_t n,
                           uint64_t row_number, dbf_error *err)
{
    int rc = 0;
    tstate *ts = find_table(k, t);
    if (!ts)
        return dbf_error_set(err, DBF_ECORRUPT, "data for unknown table %s", t->name);
    if (n != t->ncolumns)
        return dbf_error_set(err, DBF_ECORRUPT, "table %s, row %llu: %zu values for %zu columns",
                             t->name, (unsigned long long)row_number, n, t->ncolumns);
    sqlite3_stmt *st = ts->ins;
    for (size_t i = 0; i < n && rc == 0; i++) {
        int b = ts->bind[i];
        const dbf_value *v = &vals[i];
        int src = SQLITE_OK;
        if (b == 0)
            continue;
        switch (v->kind) {
        case DBF_V_NULL:
            src = sqlite3_bind_null(st, b);
            break;
        case DBF_V_BOOL:
            src = sqlite3_bind_int(st, b, v->u.b ? 1 : 0);
            break;
        case DBF_V_INT:
            src = sqlite3_bind_int64(st, b, v->u.i);
            break;
        case DBF_V_F32:
            src = sqlite3_bind_double(st, b, (double)v->u.f32);
            break;
        case DBF_V_F64:
            src = sqlite3_bind_double(st, b, v->u.f64);
            break;
        case DBF_V_STR:
            src = sqlite3_bind_text64(st, b, v->u.s.ptr ? v->u.s.ptr : "", v->u.s.len,
                                      SQLITE_STATIC, SQLITE_UTF8);
            break;
        case DBF_V_BIN:
            if (v->u.s.len == 0)
                src = sqlite3_bind_zeroblob(st, b, 0);
            else
                src = sqlite3_bind_blob64(st, b, v->u.s.ptr, v->u.s.len, SQLITE_STATIC);
            break;
        default:
            rc = dbf_error_set(err, DBC_EDATA,
                               "table %s, column %s, row %llu: value kind %d cannot be stored "
                               "in SQLite",
                               t->name, t->columns[i].name, (unsigned long long)row_number,
                               (int)v->kind);
            break;
        }
        if (src != SQLITE_OK && rc == 0)
            rc = dbf_error_set(err, src == SQLITE_TOOBIG ? DBC_EDATA : DBC_EBACKEND,
                               "SQLite: table %s, column %s, row %llu: %s", t->name,
                               t->columns[i].name, (unsigned long long)row_number,
                               sqlite3_errstr(src));
    }
    if (rc == 0 && sqlite3_step(st) != SQLITE_DONE) {
        char what[96];
        snprintf(what, sizeof what, "row %llu of table", (unsigned long long)row_number);
        rc = db_error(k, err, what, t->name);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static int sqlite_sink_data_end(dbe_sink *k, const dbf_table *t, dbf_error *err)
{
    (void)k;
    (void)t;
    (void)err;
    return 0;
}

/* fsync a file or directory by path. */
static int fsync_path(const char *path, bool dir)
{
    int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY);
    int rc = 0;
    if (fd < 0)
        return -1;
    if (fsync(fd) != 0)
        rc = -1;
    close(fd);
    return rc;
}

static int sqlite_sink_commit(dbe_sink *k, dbf_error *err)
{
    int rc;
    if ((rc = ensure_txn(k, err)))
        return rc;
    if (sqlite3_exec(k->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return db_error(k, err, "COMMIT", NULL);
    k->in_txn = false;
    if (!k->tmp)
        return 0;
    if (k->wal && sqlite3_exec(k->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK)
        return db_error(k, err, "setting journal_mode=WAL", NULL);
    /* New file: close, fsync, and link into place (never over a file that appeared). */
    finalize_inserts(k);
    if (sqlite3_close(k->db) != SQLITE_OK)
        return dbf_error_set(err, DBC_EBACKEND, "SQLite: closing '%s' failed", k->tmp);
    k->db = NULL;
    if (fsync_path(k->tmp, false) != 0)
        return dbf_error_set(err, DBF_EIO, "fsync of '%s' failed: %s", k->tmp, strerror(errno));
    if (link(k->tmp, k->path) != 0) {
        int e = errno;
        if (e == EEXIST)
            return dbf_error_set(err, DBF_EIO, "'%s' appeared during the restore; left as it is",
                                 k->path);
        if (rename(k->tmp, k->path) != 0)
            return dbf_error_set(err, DBF_EIO, "cannot rename '%s' to '%s': %s", k->tmp,
                                 k->path, strerror(errno));
    } else {
        unlink(k->tmp);
    }
    free(k->tmp);
    k->tmp = NULL;
    char *dir = strdup(k->path);
    if (dir) {
        char *slash = strrchr(dir, '/');
        if (slash)
            slash == dir ? (void)(slash[1] = '\0') : (void)(*slash = '\0');
        fsync_path(slash ? dir : ".", true);
        free(dir);
    }
    return 0;
}

static void sqlite_sink_abort(dbe_sink *k)
{
    if (k->db && k->in_txn)
        sqlite3_exec(k->db, "ROLLBACK", NULL, NULL, NULL);
    k->in_txn = false;
    if (k->tmp) {
        static const char *const sfx[] = {"", "-journal", "-wal", "-shm"};
        finalize_inserts(k);
        sqlite3_close(k->db);
        k->db = NULL;
        for (size_t i = 0; i < 4; i++) {
            char *p = sqlite3_mprintf("%s%s", k->tmp, sfx[i]);
            if (p)
                unlink(p);
            sqlite3_free(p);
        }
    }
}

const dbe_sink_ops dbe_sqlite_sink = {
    .version = DBE_SINK_OPS_VERSION,
    .engine = DBE_SQLITE,
    .open = sqlite_sink_open,
    .prepare = sqlite_sink_prepare,
    .create_table = sqlite_sink_create_table,
    .create_object = sqlite_sink_create_object,
    .data_begin = sqlite_sink_data_begin,
    .row = sqlite_sink_row,
    .data_end = sqlite_sink_data_end,
    .commit = sqlite_sink_commit,
    .abort = sqlite_sink_abort,
    .close = sqlite_sink_close,
    .exec_sql = sqlite_sink_exec_sql,
    .read_back = sqlite_sink_read_back,
    .query = sqlite_sink_query,
};
