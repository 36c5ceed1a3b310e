/*
 * my_sink.c - MySQL / MariaDB sink (libmysqlclient / MariaDB Connector/C).
 *
 * Archives made from MySQL/MariaDB are restored from their native DDL: every table from its
 * SHOW CREATE TABLE text (columns, defaults, ON UPDATE, AUTO_INCREMENT next value, keys,
 * FULLTEXT/prefix indexes, CHECKs, FKs, engine, charset, partitioning), then the rows, then
 * routines, views, triggers and events (each under the sql_mode and charsets it was created
 * with). Archives from other engines arrive translated by restore/cross.c (tables, rows and,
 * through exec_sql, indexes, constraints and counters); a foreign header given directly is
 * refused with DBF_EUNSUPPORTED.
 *
 * Loading, three ways, chosen at connect:
 * - MariaDB (10.2+, its Connector/C): array binding. Each batch is one prepared
 *   "INSERT INTO t (cols) VALUES (?, ...)" executed once for all its rows
 *   (STMT_ATTR_ARRAY_SIZE, column-wise binding, COM_STMT_BULK_EXECUTE). Every value goes as
 *   the same text LOAD DATA would get, bound as a string in utf8mb4, so the server converts it
 *   exactly as it converts LOAD DATA fields; what it saves is LOAD DATA's byte-by-byte field
 *   parsing, about half the time of LOAD DATA on wide rows (the figures: spec/TYPES.md). A
 *   row too large for one packet (max_allowed_packet) goes alone by LOAD DATA.
 * - Other servers (MySQL): rows escaped into the LOAD DATA text format (tab-separated,
 *   backslash escapes, \N for NULL), each batch one LOAD DATA LOCAL INFILE statement whose
 *   "file" is read from the batch through mysql_set_local_infile_handler() callbacks.
 * - local_infile=0 on such a server: multi-row INSERTs, each under max_allowed_packet.
 * DBR_MYSQL_LOAD=bulk|infile|insert picks one for measuring and testing.
 * Batches are bounded (MY_BATCH bytes plus at most one row, MY_BULK_VALUES values). Each is
 * sent by a lane: a connection with its own thread, one statement at a time on it, while
 * the pump decodes the next rows into a free slot, so the client's work overlaps the
 * server's. Array-bound batches of a table with a primary key (outside data-only loads,
 * which are one transaction) take turns on MY_LANES lanes, the sink's own connection and
 * another with the same session: the server works on two batches at once (faster than one
 * lane: spec/TYPES.md). A table without a
 * primary key goes on one lane, so its rows are stored in the archive's order. There is one
 * slot more than lanes. INSERT batches are sent by the pump's thread (their escaping reads
 * the connection). A lane's failure is kept until the pump next waits for the lanes; the
 * failure of the earliest batch is the one reported. DBR_MYSQL_LANES=1 uses one lane.
 * Session during the load: sql_mode NO_AUTO_VALUE_ON_ZERO only (no strict or zero-date
 * modes, so zero dates and stored values come back unchanged), FOREIGN_KEY_CHECKS=0,
 * UNIQUE_CHECKS=0, time_zone +00:00, MariaDB's check_constraint_checks=0, notes on
 * (sql_notes=1, MariaDB's note_verbosity includes "basic"). Without strict
 * mode, data errors are warnings (LOAD DATA LOCAL makes them so in any mode): any warning
 * after a batch fails the restore with DBC_EDATA naming table, column and row, and the
 * batch's transaction is rolled back: no value is ever changed silently.
 *
 * Crash safety: MySQL cannot roll back DDL. Unless --force loads into existing tables, the
 * tables and sequences are made, loaded and indexed in a staging database
 * _dbr_new_<connection>_<target> (prepare: stage_create, stage_enter; while staging k->db
 * names it), whose
 * table _dbr_restore records the target, the connection and the phase; each table's row
 * count is checked against the rows sent (count_rows). commit() puts them under their real
 * names by ONE RENAME TABLE (swap; with --clean the target's tables of those names move out
 * into _dbr_old_<connection>_<target> in the same statement, their triggers taken off just
 * before and kept in _dbr_restore), then re-points column defaults that call a sequence, then
 * makes the views, routines, triggers and events (kept until then as copies). A later run
 * (leftovers) removes what a dead run left, puts back triggers taken off before a swap that
 * did not happen, and says what it found; a live one is a refusal. The database itself is
 * made at the swap when it did not exist.
 * Failure in the process: before the swap the stage is dropped and nothing else was touched;
 * after it, an undo list (tables swapped in, views, routines, triggers and events made; with
 * --clean the definitions of what was dropped) is replayed backwards: it drops what was made
 * and renames/recreates what --clean moved away, so the target is left as it was. A database
 * the swap created is dropped whole. Limits: rows appended with --force to tables that
 * already existed are not removed on abort, and --force is not crash-safe.
 *
 * Data-only into existing tables (o->into, engine.h): everything runs in ONE transaction
 * (autocommit off and START TRANSACTION at prepare, COMMIT at commit, ROLLBACK at abort, never
 * a fresh link); UNIQUE_CHECKS and MariaDB's check_constraint_checks are on again,
 * FOREIGN_KEY_CHECKS stays off (the pump checks foreign keys with queries). The sink issues no
 * DDL before abort (it would commit); create_table only registers the table (which may be a
 * temporary staging table the pump created through exec_sql) and notes its AUTO_INCREMENT
 * counter: InnoDB does not roll counters back, so abort, after the ROLLBACK, puts back each one
 * the rolled-back rows moved (ALTER TABLE ... AUTO_INCREMENT). exec_sql after abort runs
 * statements as they are (no transaction left).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <mysql.h>

#include "dbc_mem.h"
#include "dbc_text.h"
#include "engine.h"
#include "my_conn.h"

#define MY_BATCH (4u << 20)       /* batch size (bytes of values) before a flush */
#define MY_BULK_VALUES 65536u     /* bulk: most values (rows x parameters) in one batch */
#define MY_BULK_ROWS 65536u       /* bulk: most rows in one batch */
#define MY_BULK_MIN_PACKET (1ul << 20) /* bulk: smallest max_allowed_packet it is used with */
#define MY_INSERT_MAX (8u << 20)  /* largest multi-row INSERT (also under max_allowed_packet) */
#define MY_SESSION_SQL_MODE "NO_AUTO_VALUE_ON_ZERO,ALLOW_INVALID_DATES"
#define MY_LANES 2                /* bulk: connections loading one table side by side */
#define MY_LANES_MAX 64           /* ... with dbrestore -j N (1..64) */

/* Array binding needs MariaDB Connector/C (Debian's libmysqlclient); built against Oracle's
 * libmysqlclient the sink loads by LOAD DATA / INSERT only. */
#if defined(MARIADB_CLIENT_STMT_BULK_OPERATIONS) && defined(CLIENT_MYSQL)
#define MY_HAVE_BULK 1
#define MY_IND_NONE STMT_INDICATOR_NONE
#define MY_IND_NULL STMT_INDICATOR_NULL
#else
#define MY_HAVE_BULK 0
#define MY_IND_NONE 0
#define MY_IND_NULL 1
#endif

/* A statement and the session it runs under: one step to undo on abort (run in reverse
 * order) or to run at commit, or a view whose creation waits for another view it reads. */
typedef struct my_step {
    char *name;      /* the view's name (deferred views), else NULL */
    char *sql;       /* statement */
    char *sql_mode;  /* session sql_mode to run it under, NULL = the sink's */
    char *cs_client; /* character_set_client to run it under, NULL = utf8mb4 */
    char *coll_conn; /* collation_connection, NULL = the default of utf8mb4 */
} my_step;

/* An AUTO_INCREMENT counter before a data-only load (abort puts it back). */
typedef struct my_counter {
    char *table;
    unsigned long long val;
} my_counter;

typedef enum { MY_LOAD_BULK, MY_LOAD_INFILE, MY_LOAD_INSERT } my_load;

typedef struct my_batch my_batch;

/* One connection batches are sent on, with its thread. Lane 0's link is the sink's own. */
typedef struct my_lane {
    MYSQL *conn;          /* lane 0: k->conn while loading; others: their own link */
    MYSQL_STMT *bulk;     /* bulk: the prepared INSERT for cur on this link */
    MYSQL_BIND *binds;    /* bulk: one per parameter */
    my_batch *sending;    /* the batch its thread sends, NULL when idle */
    pthread_t th;
} my_lane;

/* One batch of rows on its way to the server. */
struct my_batch {
    dbe_sink *k;
    my_lane *lane;        /* the lane sending it */
    my_load how;          /* the sink's load, or INFILE for one row too large for bulk */
    dbc_buf data;         /* INFILE: escaped rows; INSERT: the statement; bulk: the values */
    size_t rows;
    uint64_t first;       /* archive row number of the first row */
    size_t feed_pos;      /* INFILE: read position in data */
    /* bulk, column-major (parameter p of row r at p * cap_rows + r): offset of the value in
     * data, its length, STMT_INDICATOR_NONE or _NULL; ptr is filled from off when sent. */
    size_t *off;
    unsigned long *len;
    char *ind;
    char **ptr;
    size_t cap_vals;      /* allocated entries of off, len, ind, ptr */
    size_t cap_rows;      /* rows per batch for the current table */
    int rc;               /* the loader thread's outcome */
    dbf_error err;
    unsigned last_errno;  /* mysql errno of a failed send */
};

/* A table's rows sent over all its runs, and the table (for the count at commit). */
typedef struct my_sent {
    const dbf_table *t;
    uint64_t n;
} my_sent;

struct dbe_sink {
    MYSQL *conn;          /* NULL after a failed reconnect */
    char *host, *user, *password, *socket, *display; /* to reconnect for abort */
    unsigned port;
    char *db;             /* target database */
    bool created_db;      /* we created db: abort drops it whole */
    bool clean, force;
    bool into;            /* data-only into existing tables: one transaction, no DDL */
    bool in_txn;          /* into: START TRANSACTION done */
    bool aborted;         /* into: abort ran; exec_sql runs statements as they are */
    dbc_vec counters;     /* into: my_counter of each loaded table with AUTO_INCREMENT */
    my_load load;         /* how rows go to the server */
    bool has_infile;      /* the server allows LOAD DATA LOCAL (local_infile=1) */
    bool no_history;      /* the server takes no history rows (system_versioning_insert_history) */
    unsigned long max_packet; /* server max_allowed_packet */
    dbc_vec undo;         /* my_step, abort: run backwards */
    dbc_vec finals;       /* my_step, commit: drop the _dbr_old_* tables */
    dbc_vec indexes;      /* my_step, commit, first: re-add the secondary indexes taken off */
    dbc_vec native;       /* char *: tables created from native DDL (their indexes are in it) */
    dbc_vec existing;     /* char *: target tables and views before the restore (sorted) */
    dbc_vec views;        /* my_step: deferred views */
    char bak_db[72];      /* --clean: private database holding the replaced tables */
    /* Crash safety (not with --force, not data-only): the tables are made and loaded in a
     * staging database and put under their real names by one RENAME TABLE at commit (the
     * swap); views, routines, triggers and events are made after it. */
    char target[72];      /* while staging: the target database (k->db is the stage) */
    char stage[72];       /* the staging database, "" when loading into the target itself */
    bool target_exists;   /* the target database existed before the restore */
    bool swapped;         /* the swap is done: k->db is the target again */
    dbc_vec staged;       /* char *: tables and sequences made in the stage, to swap */
    dbc_vec deferred;     /* dbf_object *: objects made after the swap (copies in arena) */
    dbc_vec fixups;       /* my_step: after the swap, DEFAULT nextval(...) of the target */
    dbf_arena arena;      /* the deferred objects' copies */
    char *db_defaults;    /* the database_defaults setting's ALTER DATABASE, for the target */
    char *db_defaults_coll; /* ... its collation */
    uint64_t sent;        /* rows sent for the table being loaded, all its runs so far */
    dbc_vec sent_by_id;   /* my_sent, per table id - 1: its rows sent over all its runs */
    bool galera;          /* the server is a node of a Galera cluster (wsrep_on) */
    char node[72];        /* ... its wsrep_node_name: every loading link must reach it */
    unsigned last_errno;  /* mysql_errno of the last failed run() */
    /* data loading */
    const dbf_table *cur; /* table of the open data run */
    my_batch slot[MY_LANES_MAX + 1]; /* the batch being filled and those being sent */
    my_batch *fill;       /* the one my_sink_row adds to */
    my_lane lanes[MY_LANES_MAX];
    size_t nlanes;        /* lanes loading cur (1 unless bulk into a table with a PK) */
    size_t max_lanes;     /* -j, else DBR_MYSQL_LANES, else MY_LANES */
    size_t next_lane;     /* the lane the next batch goes to */
    uint64_t lane_sent[MY_LANES_MAX]; /* rows handed to each lane (the progress line) */
    int lane_rc;          /* the earliest failed batch of a lane thread, not yet reported */
    dbf_error lane_err;
    uint64_t lane_first;
    dbc_buf stmt;         /* LOAD DATA statement / INSERT head for cur */
    size_t stmt_head;     /* INSERT: length of "INSERT INTO t (cols) VALUES " */
    size_t *param_col;    /* bulk: the column of cur each parameter is */
    size_t nparams;
};

static char *xstrdup(const char *s)
{
    if (s == NULL)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p != NULL)
        memcpy(p, s, n);
    return p;
}

static int oom(dbf_error *err)
{
    return dbf_error_set(err, DBF_ENOMEM, "out of memory (MySQL restore)");
}

/* Free the strings of x (not x itself). */
static void step_free(my_step *x)
{
    free(x->name);
    free(x->sql);
    free(x->sql_mode);
    free(x->cs_client);
    free(x->coll_conn);
}

/* Fill *out with copies of the strings (NULL stays NULL). @return 0 or DBF_ENOMEM. */
static int step_dup(my_step *out, const char *name, const char *sql, const char *sql_mode,
                    const char *cs, const char *coll)
{
    my_step x = {xstrdup(name), xstrdup(sql), xstrdup(sql_mode), xstrdup(cs), xstrdup(coll)};
    if ((name && !x.name) || x.sql == NULL || (sql_mode && !x.sql_mode) ||
        (cs && !x.cs_client) || (coll && !x.coll_conn)) {
        step_free(&x);
        return DBF_ENOMEM;
    }
    *out = x;
    return 0;
}

/* Append x (a my_step its vector now owns) to v. @return 0 or DBF_ENOMEM (x freed). */
static int steps_push(dbc_vec *v, my_step *x)
{
    my_step *e = dbc_vec_push(v, sizeof(*e));
    if (e == NULL) {
        step_free(x);
        return DBF_ENOMEM;
    }
    *e = *x;
    return 0;
}

static int steps_add4(dbc_vec *v, const char *sql, const char *sql_mode, const char *cs,
                      const char *coll)
{
    my_step x;
    return step_dup(&x, NULL, sql, sql_mode, cs, coll) || steps_push(v, &x) ? DBF_ENOMEM : 0;
}

static int steps_add(dbc_vec *v, const char *sql, const char *sql_mode)
{
    return steps_add4(v, sql, sql_mode, NULL, NULL);
}

static void steps_free(dbc_vec *v)
{
    for (size_t i = 0; i < v->n; i++)
        step_free((my_step *)v->p + i);
    dbc_vec_free(v);
}

/* Append a copy of s to v (of char *). @return 0 or DBF_ENOMEM. */
static int strs_add(dbc_vec *v, const char *s)
{
    char *d = xstrdup(s);
    char **e = d != NULL ? dbc_vec_push(v, sizeof(*e)) : NULL;
    if (e == NULL) {
        free(d);
        return DBF_ENOMEM;
    }
    *e = d;
    return 0;
}

static bool strs_has(const dbc_vec *v, const char *s)
{
    char *const *p = v->p;
    for (size_t i = 0; i < v->n; i++) {
        if (strcmp(p[i], s) == 0)
            return true;
    }
    return false;
}

static void strs_free(dbc_vec *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(((char **)v->p)[i]);
    dbc_vec_free(v);
}

/* ------------------------------------------------------------- statements */

/* Run one statement; results are discarded. @return 0 or DBC_EBACKEND with err. */
/* Run one statement on link c (display names the target in errors); results are
 * discarded. On failure *no (unless NULL) gets the errno. Safe on any lane's thread. */
static int run_on(MYSQL *c, const char *display, const char *sql, size_t len, unsigned *no,
                  dbf_error *err)
{
    if (mysql_real_query(c, sql, (unsigned long)len) != 0) {
        if (no != NULL)
            *no = mysql_errno(c);
        char sh[DBC_SHORT_MAX];
        return dbf_error_set(err, DBC_EBACKEND, "MySQL %s: %s (in: %s)", display,
                             mysql_error(c), dbc_short(sh, sql, len));
    }
    do {
        MYSQL_RES *r = mysql_store_result(c);
        if (r != NULL)
            mysql_free_result(r);
    } while (mysql_next_result(c) == 0);
    return 0;
}

static int run(dbe_sink *k, const char *sql, size_t len, dbf_error *err)
{
    if (k->conn == NULL)
        return dbf_error_set(err, DBC_EBACKEND, "MySQL %s: not connected", k->display);
    return run_on(k->conn, k->display, sql, len, &k->last_errno, err);
}

static int runs(dbe_sink *k, const char *sql, dbf_error *err)
{
    return run(k, sql, strlen(sql), err);
}

/* Run the statement built in q (out of memory if building it ran out). */
static int run_buf(dbe_sink *k, const dbc_buf *q, dbf_error *err)
{
    return q->oom ? oom(err) : run(k, q->p, q->len, err);
}

/* Run the query built in q and store its whole result in *out (small catalog queries). */
static int query(dbe_sink *k, const dbc_buf *q, MYSQL_RES **out, dbf_error *err)
{
    if (q->oom)
        return oom(err);
    if (mysql_real_query(k->conn, q->p, (unsigned long)q->len) != 0 ||
        (*out = mysql_store_result(k->conn)) == NULL)
        return dbf_error_set(err, DBC_EBACKEND, "MySQL %s: %s", k->display, mysql_error(k->conn));
    return 0;
}

/* Append "RENAME TABLE from_db.name TO to_db.name" to b. */
/* Run q and append the first column of every row (not NULL) to out (strs). */
static int query_names(dbe_sink *k, const dbc_buf *q, dbc_vec *out, dbf_error *err)
{
    MYSQL_RES *r = NULL;
    int rc = q->oom ? oom(err) : query(k, q, &r, err);
    if (rc != 0)
        return rc;
    MYSQL_ROW row;
    while (rc == 0 && (row = mysql_fetch_row(r)) != NULL)
        if (row[0] != NULL && strs_add(out, row[0]) != 0)
            rc = oom(err);
    mysql_free_result(r);
    return rc;
}

/* The triggers of table name in the target, newest first (undo runs backwards and makes
 * them again oldest first), into out. */
static int triggers_of(dbe_sink *k, const char *name, dbc_vec *out, dbf_error *err)
{
    dbc_buf q = {0};
    dbc_buf_puts(&q, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE "
                "EVENT_OBJECT_SCHEMA = ");
    dbe_my_buf_literal(&q, k->conn, k->db, strlen(k->db));
    dbc_buf_puts(&q, " AND EVENT_OBJECT_TABLE = ");
    dbe_my_buf_literal(&q, k->conn, name, strlen(name));
    dbc_buf_puts(&q, " ORDER BY EVENT_MANIPULATION DESC, ACTION_TIMING DESC, ACTION_ORDER DESC");
    int rc = query_names(k, &q, out, err);
    dbc_buf_free(&q);
    return rc;
}

/* "`from_db`.`name` TO `to_db`.`name`", one pair of a RENAME TABLE. */
static void buf_rename_pair(dbc_buf *b, const char *from_db, const char *to_db,
                            const char *name)
{
    dbc_buf_ident(b, from_db, '`');
    dbc_buf_puts(b, ".");
    dbc_buf_ident(b, name, '`');
    dbc_buf_puts(b, " TO ");
    dbc_buf_ident(b, to_db, '`');
    dbc_buf_puts(b, ".");
    dbc_buf_ident(b, name, '`');
}

static void buf_rename(dbc_buf *b, const char *from_db, const char *to_db, const char *name)
{
    dbc_buf_puts(b, "RENAME TABLE ");
    buf_rename_pair(b, from_db, to_db, name);
}

/* Run sql under the given session settings (NULL = keep), then restore the sink's. */
static int run_as(dbe_sink *k, const char *sql, const char *sql_mode, const char *cs_client,
                  const char *coll_conn, const char *time_zone, dbf_error *err)
{
    int rc = 0;
    dbc_buf q = {0};
    if (sql_mode != NULL || cs_client != NULL || coll_conn != NULL || time_zone != NULL) {
        dbc_buf_puts(&q, "SET SESSION sql_mode = ");
        dbe_my_buf_literal(&q, k->conn, sql_mode ? sql_mode : MY_SESSION_SQL_MODE,
                    strlen(sql_mode ? sql_mode : MY_SESSION_SQL_MODE));
        if (cs_client != NULL) {
            dbc_buf_puts(&q, ", character_set_client = ");
            dbe_my_buf_literal(&q, k->conn, cs_client, strlen(cs_client));
            dbc_buf_puts(&q, ", character_set_results = ");
            dbe_my_buf_literal(&q, k->conn, cs_client, strlen(cs_client));
        }
        if (coll_conn != NULL) {
            dbc_buf_puts(&q, ", collation_connection = ");
            dbe_my_buf_literal(&q, k->conn, coll_conn, strlen(coll_conn));
        }
        if (time_zone != NULL) {
            dbc_buf_puts(&q, ", time_zone = ");
            dbe_my_buf_literal(&q, k->conn, time_zone, strlen(time_zone));
        }
        rc = run_buf(k, &q, err);
        if (rc != 0)
            goto done;
    }
    rc = runs(k, sql, err);
    if (q.len > 0) {
        dbf_error e2;
        int rc2 = runs(k, "SET SESSION sql_mode = '" MY_SESSION_SQL_MODE "', NAMES utf8mb4, "
                          "time_zone = '+00:00'", &e2);
        if (rc == 0 && rc2 != 0) {
            rc = rc2;
            *err = e2;
        }
    }
done:
    dbc_buf_free(&q);
    return rc;
}

/* ------------------------------------------------------------- connecting */

/* MariaDB's array binding (COM_STMT_BULK_EXECUTE): a MariaDB server of 10.2 or later, and a
 * client library that has it (MariaDB Connector/C). */
static bool server_has_bulk(MYSQL *c)
{
#if MY_HAVE_BULK
    unsigned long caps = 0, ext = 0;
    if (mariadb_get_infov(c, MARIADB_CONNECTION_SERVER_CAPABILITIES, &caps) != 0 ||
        mariadb_get_infov(c, MARIADB_CONNECTION_EXTENDED_SERVER_CAPABILITIES, &ext) != 0)
        return false;
    return !(caps & CLIENT_MYSQL) && (ext & (MARIADB_CLIENT_STMT_BULK_OPERATIONS >> 32)) != 0;
#else
    (void)c;
    return false;
#endif
}

/* Open a link to the server with the sink's session settings (see the file comment). */
static int link_open(dbe_sink *k, MYSQL **out, dbf_error *err)
{
    MYSQL *c = mysql_init(NULL);
    if (c == NULL)
        return oom(err);
    dbe_my_options(c, true);
    const char *pw = k->password != NULL ? k->password : getenv("MYSQL_PWD");
    if (mysql_real_connect(c, k->host, k->user, pw, NULL, k->port, k->socket,
                           CLIENT_MULTI_RESULTS | CLIENT_LOCAL_FILES) == NULL) {
        int rc = dbf_error_set(err, DBC_ECONNECT, "cannot connect to %s: %s", k->display,
                               mysql_error(c));
        mysql_close(c);
        return rc;
    }
    static const char *const setup[] = {
        "SET NAMES utf8mb4",
        "SET SESSION sql_mode = '" MY_SESSION_SQL_MODE "'",
        "SET SESSION time_zone = '+00:00'",
        "SET SESSION foreign_key_checks = 0",
        "SET SESSION unique_checks = 0",
        "SET SESSION sql_notes = 1", /* check_warnings needs notes 1264/1265 counted */
        "SET SESSION net_read_timeout = 86400",
        "SET SESSION net_write_timeout = 86400",
    };
    for (size_t i = 0; i < sizeof(setup) / sizeof(setup[0]); i++) {
        int rc = run_on(c, k->display, setup[i], strlen(setup[i]), NULL, err);
        if (rc != 0) {
            mysql_close(c);
            return rc;
        }
    }
    /* MariaDB: rows the source held are loaded even if a CHECK says otherwise today. */
    if (mysql_query(c, "SET SESSION check_constraint_checks = 0") != 0)
        (void)mysql_errno(c); /* MySQL has no such variable */
    /* MariaDB 10.11+: the history rows of system-versioned tables are loaded as they were,
     * ROW START/END included. Elsewhere data_begin refuses a table that holds them. */
    if (mysql_query(c, "SET SESSION system_versioning_insert_history = 1") != 0)
        k->no_history = true;
    /* ... and their secondary indexes are added after the rows (defer_indexes) */
    if (mysql_query(c, "SET SESSION system_versioning_alter_history = KEEP") != 0)
        (void)mysql_errno(c); /* MySQL: no system versioning */
    /* MariaDB 10.6.16+: notes of the "basic" kind (1264, 1265) are given only if listed. */
    if (mysql_query(c, "SET SESSION note_verbosity = 'basic'") != 0)
        (void)mysql_errno(c); /* older MariaDB and MySQL: no such variable, notes all given */
    *out = c;
    return 0;
}

/* Is c's server a Galera node (wsrep_on)? Its wsrep_node_name into out then. */
static bool node_of(MYSQL *c, char *out, size_t cap)
{
    MYSQL_RES *r = NULL;
    bool on = false;
    out[0] = '\0';
    if (mysql_query(c, "SELECT @@wsrep_on, @@wsrep_node_name") != 0) {
        (void)mysql_errno(c); /* MySQL: no such variables */
        return false;
    }
    if ((r = mysql_store_result(c)) == NULL)
        return false;
    MYSQL_ROW row = mysql_fetch_row(r);
    if (row != NULL && row[0] != NULL && strcmp(row[0], "1") == 0) {
        on = true;
        snprintf(out, cap, "%s", row[1] ? row[1] : "");
    }
    mysql_free_result(r);
    return on;
}

static int sink_connect(dbe_sink *k, dbf_error *err)
{
    MYSQL *c = NULL;
    int lrc = link_open(k, &c, err);
    if (lrc != 0)
        return lrc;
    k->conn = c;
    MYSQL_RES *r = NULL;
    if (mysql_query(c, "SELECT @@max_allowed_packet") == 0 &&
        (r = mysql_store_result(c)) != NULL) {
        MYSQL_ROW row = mysql_fetch_row(r);
        if (row != NULL && row[0] != NULL)
            k->max_packet = strtoul(row[0], NULL, 10);
        mysql_free_result(r);
    }
    /* Bulk packets must fit the real value; INSERTs assume at least 1 MiB as before. */
    bool packet_ok = k->max_packet >= MY_BULK_MIN_PACKET;
    if (k->max_packet < 1024 * 1024)
        k->max_packet = 1024 * 1024;
    /* LOAD DATA LOCAL needs local_infile on the server (off by default in MySQL 8). */
    k->has_infile = false;
    if (mysql_query(c, "SELECT @@local_infile") == 0 && (r = mysql_store_result(c)) != NULL) {
        MYSQL_ROW row = mysql_fetch_row(r);
        k->has_infile = row != NULL && row[0] != NULL && strcmp(row[0], "0") != 0;
        mysql_free_result(r);
    }
    const char *method = getenv("DBR_MYSQL_LOAD");
    if (method != NULL && strcmp(method, "insert") == 0)
        k->load = MY_LOAD_INSERT;
    else if (server_has_bulk(c) && packet_ok && (method == NULL || strcmp(method, "infile") != 0))
        k->load = MY_LOAD_BULK;
    else if (k->has_infile)
        k->load = MY_LOAD_INFILE;
    else {
        k->load = MY_LOAD_INSERT;
        dbc_warn("MySQL %s: the server has local_infile=0; loading with multi-row INSERTs "
                 "(slower; SET GLOBAL local_infile=1 enables LOAD DATA LOCAL)", k->display);
    }
    /* Galera: the node this link reached (MySQL has no wsrep_on; a lone MariaDB says 0) */
    if (node_of(c, k->node, sizeof(k->node)))
        k->galera = true;
    if (k->db != NULL && mysql_select_db(c, k->db) != 0 && mysql_errno(c) != 1049)
        return dbf_error_set(err, DBC_EBACKEND, "MySQL %s: %s", k->display, mysql_error(c));
    return 0;
}

static int wait_loader(dbe_sink *k, dbf_error *err);
static void bulk_close(dbe_sink *k);
static void lanes_close(dbe_sink *k);

static void my_sink_close(dbe_sink *k)
{
    if (k == NULL)
        return;
    dbf_error le;
    if (wait_loader(k, &le) != 0) /* before the connections they may be using go */
        dbc_warn("%s", le.msg);
    bulk_close(k);
    lanes_close(k);
    if (k->conn != NULL)
        mysql_close(k->conn);
    free(k->host);
    free(k->user);
    if (k->password != NULL)
        memset(k->password, 0, strlen(k->password));
    free(k->password);
    free(k->socket);
    free(k->display);
    free(k->db);
    steps_free(&k->undo);
    steps_free(&k->finals);
    steps_free(&k->indexes);
    for (size_t i = 0; i < k->counters.n; i++)
        free(((my_counter *)k->counters.p)[i].table);
    dbc_vec_free(&k->counters);
    strs_free(&k->native);
    strs_free(&k->existing);
    steps_free(&k->views);
    strs_free(&k->staged);
    dbc_vec_free(&k->sent_by_id);
    dbc_vec_free(&k->deferred);
    steps_free(&k->fixups);
    dbf_arena_free(&k->arena);
    free(k->db_defaults);
    free(k->db_defaults_coll);
    for (size_t i = 0; i < MY_LANES_MAX + 1; i++) {
        my_batch *b = &k->slot[i];
        dbc_buf_free(&b->data);
        free(b->off);
        free(b->len);
        free(b->ind);
        free(b->ptr);
    }
    dbc_buf_free(&k->stmt);
    free(k);
}

static int my_sink_open(dbe_sink **out, const dbe_target *t, const dbe_restore_opts *o,
                        dbf_error *err)
{
    int rc = 0;
    *out = NULL;
    dbe_sink *k = calloc(1, sizeof(*k));
    if (k == NULL)
        return oom(err);
    k->display = xstrdup(t->display != NULL ? t->display : "mysql://");
    k->host = xstrdup(t->host);
    k->user = xstrdup(t->user);
    k->password = xstrdup(t->password);
    k->socket = xstrdup(t->socket);
    k->port = t->port;
    k->db = xstrdup(t->database);
    k->clean = o->clean;
    k->force = o->force;
    k->into = o->into;
    for (size_t i = 0; i < MY_LANES_MAX + 1; i++)
        k->slot[i].k = k;
    k->fill = &k->slot[0];
    k->nlanes = 1;
    k->max_lanes = o->jobs > 0 && o->jobs <= MY_LANES_MAX ? (size_t)o->jobs : MY_LANES;
    if (o->jobs > 1 && o->into)
        dbc_warn("-j %d: a data-only load into MySQL is one transaction, on one connection",
                 o->jobs);
    const char *lanes = o->jobs > 0 ? NULL : getenv("DBR_MYSQL_LANES");
    if (lanes != NULL) {
        char *end;
        long n = strtol(lanes, &end, 10);
        if (end != lanes && *end == '\0' && n >= 1 && n <= MY_LANES_MAX)
            k->max_lanes = (size_t)n;
        else
            dbc_warn("DBR_MYSQL_LANES=%s ignored: 1 to %d", lanes, MY_LANES_MAX);
    }
    if (k->display == NULL || (t->host && !k->host) || (t->user && !k->user) ||
        (t->password && !k->password) || (t->socket && !k->socket) ||
        (t->database && !k->db)) {
        rc = oom(err);
        goto done;
    }
    if (k->db == NULL || k->db[0] == '\0') {
        rc = dbf_error_set(err, DBC_EUSAGE, "%s: the URL names no database (mysql://host/DB)",
                           k->display);
        goto done;
    }
    rc = sink_connect(k, err);
    if (rc != 0)
        goto done;
    *out = k;
    k = NULL;
done:
    my_sink_close(k);
    return rc;
}

/* ----------------------------------------------------------------- prepare */

/* A routine's or event's statement create as its sql_mode reads its comment: into fixed
 * when it must change (dbe_my_nbe_comment), else fixed stays empty. */
static int true_comment(dbe_sink *k, const char *what, const char *name, const char *create,
                        const char *mode, dbc_buf *fixed, dbf_error *err)
{
    bool event = strcmp(what, "EVENT") == 0;
    if (!event && strcmp(what, "FUNCTION") != 0 && strcmp(what, "PROCEDURE") != 0)
        return 0;
    dbc_buf q = {0};
    MYSQL_RES *r = NULL;
    dbc_buf_puts(&q, event ? "SELECT EVENT_COMMENT FROM information_schema.EVENTS WHERE "
                             "EVENT_SCHEMA = "
                           : "SELECT ROUTINE_COMMENT FROM information_schema.ROUTINES WHERE "
                             "ROUTINE_SCHEMA = ");
    dbe_my_buf_literal(&q, k->conn, k->db, strlen(k->db));
    dbc_buf_puts(&q, event ? " AND EVENT_NAME = " : " AND ROUTINE_NAME = ");
    dbe_my_buf_literal(&q, k->conn, name, strlen(name));
    if (!event) {
        dbc_buf_puts(&q, " AND ROUTINE_TYPE = ");
        dbe_my_buf_literal(&q, k->conn, what, strlen(what));
    }
    int rc = q.oom ? oom(err) : query(k, &q, &r, err);
    dbc_buf_free(&q);
    if (rc != 0)
        return rc;
    MYSQL_ROW row = mysql_fetch_row(r);
    if (row != NULL && dbe_my_nbe_comment(fixed, create, mode, row[0]) < 0)
        rc = oom(err);
    mysql_free_result(r);
    return rc;
}

/*
 * If the object `what` (VIEW, TRIGGER, FUNCTION, PROCEDURE, EVENT) called name exists:
 * without --clean refuse (DBC_ENOTEMPTY); with --clean keep its definition (and the session
 * settings it was made under) in the undo list and drop it. *found tells whether it existed.
 */
static int capture_and_drop(dbe_sink *k, const char *what, const char *name, bool *found,
                            dbf_error *err)
{
    int rc = 0;
    dbc_buf q = {0}, fixed = {0};
    MYSQL_RES *r = NULL;
    if (found != NULL)
        *found = false;
    dbc_buf_puts(&q, "SHOW CREATE ");
    dbc_buf_puts(&q, what);
    dbc_buf_puts(&q, " ");
    dbc_buf_ident(&q, k->db, '`');
    dbc_buf_puts(&q, ".");
    dbc_buf_ident(&q, name, '`');
    if (q.oom)
        return oom(err);
    if (mysql_real_query(k->conn, q.p, (unsigned long)q.len) != 0)
        goto done; /* does not exist */
    r = mysql_store_result(k->conn);
    if (r == NULL)
        goto done;
    MYSQL_ROW row = mysql_fetch_row(r);
    MYSQL_FIELD *f = mysql_fetch_fields(r);
    unsigned nf = mysql_num_fields(r);
    const char *create = NULL, *mode = NULL, *cs = NULL, *coll = NULL;
    for (unsigned i = 0; row != NULL && i < nf; i++) {
        if (strncmp(f[i].name, "Create ", 7) == 0 ||
            strcmp(f[i].name, "SQL Original Statement") == 0)
            create = row[i];
        else if (strcmp(f[i].name, "sql_mode") == 0)
            mode = row[i];
        else if (strcmp(f[i].name, "character_set_client") == 0)
            cs = row[i];
        else if (strcmp(f[i].name, "collation_connection") == 0)
            coll = row[i];
    }
    if (create == NULL)
        goto done;
    if (found != NULL)
        *found = true;
    if (!k->clean) {
        if (!k->force)
            rc = dbf_error_set(err, DBC_ENOTEMPTY,
                               "%s '%s' already exists in '%s' (use --clean to replace it)",
                               what, name, k->db);
        goto done;
    }
    /* DROP PACKAGE takes its body too: the body's definition is kept first (undo makes the
     * package, then the body) */
    if (strcmp(what, "PACKAGE") == 0 &&
        (rc = capture_and_drop(k, "PACKAGE BODY", name, NULL, err)) != 0)
        goto done;
    if ((rc = true_comment(k, what, name, create, mode, &fixed, err)) != 0)
        goto done;
    if (steps_add4(&k->undo, fixed.p ? fixed.p : create, mode ? mode : MY_SESSION_SQL_MODE, cs,
                   coll) != 0) {
        rc = oom(err);
        goto done;
    }
    q.len = 0;
    dbc_buf_puts(&q, "DROP ");
    dbc_buf_puts(&q, what);
    dbc_buf_puts(&q, " ");
    dbc_buf_ident(&q, name, '`');
    mysql_free_result(r);
    r = NULL;
    /* packages exist only in their sql_mode (ORACLE) */
    rc = q.oom ? oom(err)
               : strncmp(what, "PACKAGE", 7) == 0 ? run_as(k, q.p, mode, NULL, NULL, NULL, err)
                                                  : run_buf(k, &q, err);
done:
    dbc_buf_free(&fixed);
    if (r != NULL)
        mysql_free_result(r);
    dbc_buf_free(&q);
    return rc;
}

/* "BASE TABLE", "VIEW", ... of name in the target database; "" when absent. */
static int table_type(dbe_sink *k, const char *name, char *out, size_t cap, dbf_error *err)
{
    dbc_buf q = {0};
    MYSQL_RES *r = NULL;
    int rc = 0;
    out[0] = '\0';
    dbc_buf_puts(&q, "SELECT TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ");
    dbe_my_buf_literal(&q, k->conn, k->db, strlen(k->db));
    dbc_buf_puts(&q, " AND TABLE_NAME = ");
    dbe_my_buf_literal(&q, k->conn, name, strlen(name));
    rc = query(k, &q, &r, err);
    if (rc != 0)
        goto done;
    MYSQL_ROW row = mysql_fetch_row(r);
    if (row != NULL && row[0] != NULL)
        snprintf(out, cap, "%s", row[0]);
done:
    if (r != NULL)
        mysql_free_result(r);
    dbc_buf_free(&q);
    return rc;
}

/*
 * With --clean: move an existing table (or view) called name out of the way so that abort
 * can put it back. A table moves into a private database _dbr_old_<pid>_<db> (foreign key
 * names are per database, so the new table can reuse them); its triggers cannot move across
 * databases, so they are kept as definitions and dropped. A view is kept as its definition
 * and dropped. commit() drops the private database; abort() moves everything back.
 */
static int move_away(dbe_sink *k, const char *name, dbf_error *err)
{
    int rc = 0;
    char type[32];
    dbc_buf q = {0};
    dbc_buf u = {0};
    dbc_vec trig = {0}; /* char * */
    rc = table_type(k, name, type, sizeof(type), err);
    if (rc != 0 || type[0] == '\0')
        goto done;
    if (strcmp(type, "VIEW") == 0) {
        rc = capture_and_drop(k, "VIEW", name, NULL, err);
        goto done;
    }
    if (k->bak_db[0] == '\0') {
        snprintf(k->bak_db, sizeof(k->bak_db), "_dbr_old_%lu_%.40s", (unsigned long)getpid(),
                 k->db);
        dbc_buf_puts(&q, "CREATE DATABASE ");
        dbc_buf_ident(&q, k->bak_db, '`');
        dbc_buf_puts(&u, "DROP DATABASE IF EXISTS ");
        dbc_buf_ident(&u, k->bak_db, '`');
        if (q.oom || u.oom) {
            rc = oom(err);
            goto done;
        }
        rc = run(k, q.p, q.len, err);
        if (rc != 0) {
            k->bak_db[0] = '\0';
            goto done;
        }
        if (steps_add(&k->finals, u.p, NULL) != 0) { /* abort: drop_bak */
            rc = oom(err);
            goto done;
        }
    }
    /* Triggers, newest first: undo runs backwards and recreates them oldest first. */
    if ((rc = triggers_of(k, name, &trig, err)) != 0)
        goto done;
    for (size_t i = 0; i < trig.n; i++) {
        rc = capture_and_drop(k, "TRIGGER", ((char **)trig.p)[i], NULL, err);
        if (rc != 0)
            goto done;
    }
    q.len = 0;
    u.len = 0;
    buf_rename(&q, k->db, k->bak_db, name);
    buf_rename(&u, k->bak_db, k->db, name);
    if (q.oom || u.oom) {
        rc = oom(err);
        goto done;
    }
    rc = run(k, q.p, q.len, err);
    if (rc != 0)
        goto done;
    if (steps_add(&k->undo, u.p, NULL) != 0)
        rc = oom(err);
done:
    strs_free(&trig);
    dbc_buf_free(&q);
    dbc_buf_free(&u);
    return rc;
}

/* ------------------------------------------------------------- staging */

#define MY_STATE "_dbr_restore" /* the staging database's table saying what it is */

/* "_dbr_new_" or "_dbr_old_", the server connection's id and the target's name (cut). */
static void stage_name(char *out, size_t cap, const char *kind, unsigned long conn,
                       const char *db)
{
    snprintf(out, cap, "_dbr_%s_%lu_%.40s", kind, conn, db);
}

/* Run head, then db quoted as an identifier, then tail. */
static int run_db(dbe_sink *k, const char *head, const char *db, const char *tail,
                  dbf_error *err)
{
    dbc_buf q = {0};
    dbc_buf_puts(&q, head);
    dbc_buf_ident(&q, db, '`');
    dbc_buf_puts(&q, tail);
    int rc = q.oom ? oom(err) : run_buf(k, &q, err);
    dbc_buf_free(&q);
    return rc;
}

/* The state row of the stage: 'loading', 'swapping' (the old tables' triggers are being
 * taken off, their definitions in rows of kind 'trigger'), 'swapped'. */
static int stage_phase(dbe_sink *k, const char *phase, dbf_error *err)
{
    dbc_buf q = {0};
    dbc_buf_puts(&q, "UPDATE ");
    dbc_buf_ident(&q, k->stage, '`');
    dbc_buf_puts(&q, "." MY_STATE " SET v = ");
    dbe_my_buf_literal(&q, k->conn, phase, strlen(phase));
    dbc_buf_puts(&q, " WHERE kind = 'state'");
    int rc = q.oom ? oom(err) : run_buf(k, &q, err);
    dbc_buf_free(&q);
    return rc;
}

/*
 * Before a restore: the staging databases that interrupted restores into this target left
 * (their owner's connection is gone) are removed, and what they say is put right: old
 * triggers taken off just before a swap that did not happen are made again. A restore into
 * the same target still running is a refusal.
 */
static int leftovers(dbe_sink *k, dbf_error *err)
{
    int rc = 0;
    MYSQL_RES *r = NULL, *r2 = NULL;
    dbc_buf q = {0};
    dbc_vec names = {0};
    dbc_buf_puts(&q, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE "
                "SCHEMA_NAME LIKE '\\_dbr\\_new\\_%' ORDER BY 1");
    if ((rc = query_names(k, &q, &names, err)) != 0)
        goto done;
    MYSQL_ROW row;
    for (size_t i = 0; i < names.n; i++) {
        const char *st = ((char **)names.p)[i];
        q.len = 0;
        dbc_buf_puts(&q, "SELECT target, conn, v, (SELECT COUNT(*) FROM information_schema."
                    "PROCESSLIST p WHERE p.ID = s.conn), (SELECT COUNT(*) FROM "
                    "information_schema.TABLES WHERE TABLE_SCHEMA = ");
        dbe_my_buf_literal(&q, k->conn, st, strlen(st));
        dbc_buf_puts(&q, " AND TABLE_NAME <> '" MY_STATE "') FROM ");
        dbc_buf_ident(&q, st, '`');
        dbc_buf_puts(&q, "." MY_STATE " s WHERE kind = 'state'");
        if (q.oom) {
            rc = oom(err);
            goto done;
        }
        if (mysql_real_query(k->conn, q.p, (unsigned long)q.len) != 0 ||
            (r = mysql_store_result(k->conn)) == NULL)
            continue; /* not one of ours */
        row = mysql_fetch_row(r);
        if (row == NULL || row[0] == NULL || strcmp(row[0], k->db) != 0 || row[2] == NULL) {
            mysql_free_result(r);
            r = NULL;
            continue;
        }
        if (row[3] != NULL && strcmp(row[3], "0") != 0) {
            rc = dbf_error_set(err, DBC_ENOTEMPTY, "MySQL: another restore into '%s' is "
                               "running (server connection %s, staging database %s): wait "
                               "for it to end, or KILL %s and run again", k->db,
                               row[1] ? row[1] : "?", st, row[1] ? row[1] : "?");
            goto done;
        }
        char phase[16], bak[72];
        snprintf(phase, sizeof(phase), "%s", row[2]);
        bool swapped = strcmp(phase, "swapped") == 0 ||
                       (strcmp(phase, "swapping") == 0 && row[4] && strcmp(row[4], "0") == 0);
        snprintf(bak, sizeof(bak), "_dbr_old_%s", st + 9);
        mysql_free_result(r);
        r = NULL;
        if (strcmp(phase, "swapping") == 0 && !swapped) {
            /* the old tables are still the target's: their triggers back */
            q.len = 0;
            dbc_buf_puts(&q, "SELECT v, sql_mode, cs, coll FROM ");
            dbc_buf_ident(&q, st, '`');
            dbc_buf_puts(&q, "." MY_STATE " WHERE kind = 'trigger' ORDER BY n DESC");
            if ((rc = query(k, &q, &r2, err)) != 0)
                goto done;
            if (mysql_select_db(k->conn, k->db) != 0) {
                rc = dbf_error_set(err, DBC_EBACKEND, "MySQL %s: %s", k->display,
                                   mysql_error(k->conn));
                goto done;
            }
            size_t n = 0;
            while ((row = mysql_fetch_row(r2)) != NULL) {
                if ((rc = run_as(k, row[0], row[1], row[2], row[3], NULL, err)) != 0 &&
                    k->last_errno != 1359) /* ER_TRG_ALREADY_EXISTS */
                    goto done;
                rc = 0;
                n++;
            }
            mysql_free_result(r2);
            r2 = NULL;
            dbc_warn("MySQL: an interrupted restore into '%s' had taken %zu trigger%s off the "
                     "tables it was replacing: made again", k->db, n, n == 1 ? "" : "s");
        } else if (swapped) {
            dbc_warn("MySQL: an interrupted restore into '%s' had put its tables in place but "
                     "may not have made all its views, routines, triggers and events: restore "
                     "again with --clean to complete it", k->db);
        } else {
            dbc_info("MySQL: an interrupted restore into '%s' had not changed it", k->db);
        }
        if ((rc = run_db(k, "DROP DATABASE IF EXISTS ", bak, "", err)) != 0 ||
            (rc = run_db(k, "DROP DATABASE IF EXISTS ", st, "", err)) != 0)
            goto done;
        dbc_info("MySQL: removed %s, left by that restore", st);
    }
done:
    if (r != NULL)
        mysql_free_result(r);
    if (r2 != NULL)
        mysql_free_result(r2);
    strs_free(&names);
    dbc_buf_free(&q);
    return rc;
}

/* The staging database and its state row. A server that does not let the user create it
 * (ER_DBACCESS_DENIED_ERROR) gets a restore that is not crash-safe, said in a warning:
 * *staging false. */
static int stage_create(dbe_sink *k, bool *staging, dbf_error *err)
{
    stage_name(k->stage, sizeof(k->stage), "new", mysql_thread_id(k->conn), k->db);
    int rc = run_db(k, "CREATE DATABASE ", k->stage, "", err);
    if (rc != 0) {
        k->stage[0] = '\0';
        if (k->last_errno != 1044)
            return rc;
        dbc_warn("MySQL: this restore into '%s' is not crash-safe: no staging database could "
                 "be made (%s); killed, it leaves what it made so far", k->db, err->msg);
        *staging = false;
        return 0;
    }
    dbc_buf q = {0};
    dbc_buf_puts(&q, "CREATE TABLE ");
    dbc_buf_ident(&q, k->stage, '`');
    dbc_buf_puts(&q, "." MY_STATE " (n INT AUTO_INCREMENT PRIMARY KEY, kind VARCHAR(16) NOT NULL,"
                " target VARCHAR(64), conn BIGINT UNSIGNED, v LONGTEXT, sql_mode TEXT,"
                " cs VARCHAR(64), coll VARCHAR(64)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
    rc = q.oom ? oom(err) : run_buf(k, &q, err);
    q.len = 0;
    dbc_buf_puts(&q, "INSERT INTO ");
    dbc_buf_ident(&q, k->stage, '`');
    dbc_buf_puts(&q, "." MY_STATE " (kind, target, conn, v) VALUES ('state', ");
    dbe_my_buf_literal(&q, k->conn, k->db, strlen(k->db));
    dbc_buf_printf(&q, ", CONNECTION_ID(), 'loading')");
    if (rc == 0)
        rc = q.oom ? oom(err) : run_buf(k, &q, err);
    dbc_buf_free(&q);
    if (rc != 0) {
        dbf_error e2;
        (void)run_db(k, "DROP DATABASE IF EXISTS ", k->stage, "", &e2);
        k->stage[0] = '\0';
    }
    return rc;
}

/* From here on k->db names the stage (the target's name kept in k->target). */
static int stage_enter(dbe_sink *k, dbf_error *err)
{
    snprintf(k->target, sizeof(k->target), "%s", k->db);
    int rc = 0;
    char *stage = xstrdup(k->stage);
    if (stage == NULL)
        rc = oom(err);
    else if (mysql_select_db(k->conn, k->stage) != 0)
        rc = dbf_error_set(err, DBC_EBACKEND, "MySQL %s: %s", k->display, mysql_error(k->conn));
    if (rc == 0) {
        free(k->db);
        k->db = stage;
    } else {
        free(stage);
        dbf_error e2;
        (void)run_db(k, "DROP DATABASE IF EXISTS ", k->stage, "", &e2);
        k->stage[0] = '\0';
    }
    return rc;
}

/* After the swap: a column default that calls a sequence names the stage (the server
 * qualifies it when the table is made): the same default again, in the target. */
static int nextval_fixups(dbe_sink *k, const dbf_table *t, dbf_error *err)
{
    const char *line = strchr(t->native_sql, '\n');
    while (line != NULL) {
        line++;
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        const char *d = NULL;
        for (const char *p = line; p + 17 <= line + len; p++)
            if (strncasecmp(p, " DEFAULT nextval(", 17) == 0) {
                d = p + 9;
                break;
            }
        if (d != NULL && strncmp(line, "  `", 3) == 0) {
            const char *c = line + 3, *ce = c;
            while (ce < line + len && (*ce != '`' || ce[1] == '`'))
                ce += *ce == '`' ? 2 : 1;
            size_t dl = 0;
            int depth = 0;
            for (; d + dl < line + len; dl++) {
                if (d[dl] == '(')
                    depth++;
                else if (d[dl] == ')' && --depth == 0) {
                    dl++;
                    break;
                }
            }
            dbc_buf q = {0}, col = {0};
            for (const char *x = c; x < ce; x += *x == '`' ? 2 : 1)
                dbc_buf_add(&col, x, 1);
            dbc_buf_puts(&q, "ALTER TABLE ");
            dbc_buf_ident(&q, t->name, '`');
            dbc_buf_puts(&q, " ALTER COLUMN ");
            dbc_buf_ident(&q, col.p ? col.p : "", '`');
            dbc_buf_puts(&q, " SET DEFAULT ");
            dbc_buf_add(&q, d, dl);
            int bad = q.oom || col.oom || steps_add(&k->fixups, q.p, NULL) != 0;
            dbc_buf_free(&q);
            dbc_buf_free(&col);
            if (bad)
                return oom(err);
        }
        line = end;
    }
    return 0;
}

/* Galera replicates the rows of InnoDB tables only: a table of another engine that keeps
 * rows (MyISAM, Aria, MEMORY, ...) would hold them on the node loaded alone. Refused, by
 * name; MERGE, FEDERATED (no rows of their own) and BLACKHOLE (none kept) pass. */
static int galera_engines(dbe_sink *k, const dbf_table *const *tables, size_t ntables,
                          dbf_error *err)
{
    dbc_buf list = {0};
    size_t n = 0;
    for (size_t i = 0; i < ntables; i++) {
        const char *e = dbc_table_attr(tables[i], "mysql.engine");
        if (e == NULL || strcasecmp(e, "InnoDB") == 0 || strcasecmp(e, "BLACKHOLE") == 0 ||
            dbc_table_attr(tables[i], "mysql.rows_elsewhere") || tables[i]->row_estimate == 0)
            continue;
        if (n++ < 8)
            dbc_buf_printf(&list, "%s'%s' (%s)", n > 1 ? ", " : "", tables[i]->name, e);
    }
    int rc = 0;
    if (list.oom)
        rc = oom(err);
    else if (n > 0)
        rc = dbf_error_set(err, DBF_EUNSUPPORTED,
                           "MySQL %s is a node of a Galera cluster, which replicates the rows "
                           "of InnoDB tables only: %zu table%s would keep %s rows on node '%s' "
                           "alone: %s%s. Make them InnoDB in the source (ALTER TABLE ... "
                           "ENGINE=InnoDB) or restore into a server outside the cluster",
                           k->display, n, n == 1 ? "" : "s", n == 1 ? "its" : "their", k->node,
                           list.p, n > 8 ? ", ..." : "");
    dbc_buf_free(&list);
    return rc;
}

static int my_sink_prepare(dbe_sink *k, const dbf_header *h, const dbf_table *const *tables,
                           size_t ntables, dbf_error *err)
{
    int rc = 0;
    dbc_buf q = {0};
    MYSQL_RES *r = NULL;
    if (k->into) {
        /* data-only into existing tables: the database must exist; one transaction */
        (void)h;
        (void)tables;
        (void)ntables;
        if (mysql_select_db(k->conn, k->db) != 0)
            return dbf_error_set(err, DBC_EBACKEND, "MySQL %s: %s", k->display,
                                 mysql_error(k->conn));
        static const char *const setup[] = {
            "SET SESSION unique_checks = 1",
            "SET SESSION autocommit = 0",
            "START TRANSACTION",
        };
        for (size_t i = 0; i < sizeof(setup) / sizeof(setup[0]); i++)
            if ((rc = runs(k, setup[i], err)) != 0)
                return rc;
        /* Galera: one transaction could outgrow wsrep_max_ws_size (2 GiB by default) and fail
         * at COMMIT after the whole load; streaming replication sends it in fragments of
         * 64 MiB, or a quarter of that limit when it is lower */
        if (k->galera && (rc = runs(k, "SET SESSION wsrep_trx_fragment_unit = 'bytes', "
                                       "wsrep_trx_fragment_size = LEAST(67108864, "
                                       "@@wsrep_max_ws_size DIV 4)", err)) != 0)
            return rc;
        /* MariaDB: CHECK constraints hold for the rows loaded into existing tables */
        if (mysql_query(k->conn, "SET SESSION check_constraint_checks = 1") != 0 &&
            mysql_errno(k->conn) != 1193) /* ER_UNKNOWN_SYSTEM_VARIABLE: MySQL */
            return dbf_error_set(err, DBC_EBACKEND, "MySQL %s: %s", k->display,
                                 mysql_error(k->conn));
        k->in_txn = true;
        return 0;
    }
    if (h == NULL || h->engine == NULL || strcmp(h->engine, "mysql") != 0) {
        rc = dbf_error_set(err, DBF_EUNSUPPORTED,
                           "restoring an archive made from %s into MySQL/MariaDB is not "
                           "supported yet (only MySQL/MariaDB archives can be restored into %s)",
                           h && h->engine ? h->engine : "an unknown engine", k->display);
        goto done;
    }
    for (size_t i = 0; i < ntables; i++) {
        if (tables[i]->native_sql == NULL) {
            rc = dbf_error_set(err, DBF_EUNSUPPORTED,
                               "table '%s' has no MySQL DDL in the archive", tables[i]->name);
            goto done;
        }
    }
    if (k->galera && (rc = galera_engines(k, tables, ntables, err)) != 0)
        goto done;
    /* The database: use it, or create it (and drop it again on abort). */
    dbc_buf_puts(&q, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ");
    dbe_my_buf_literal(&q, k->conn, k->db, strlen(k->db));
    rc = query(k, &q, &r, err);
    if (rc != 0)
        goto done;
    bool exists = mysql_num_rows(r) > 0;
    mysql_free_result(r);
    r = NULL;
    bool staging = !k->force || k->clean;
    if (staging && (rc = leftovers(k, err)) != 0)
        goto done;
    k->target_exists = exists;
    if (exists) {
        if (mysql_select_db(k->conn, k->db) != 0) {
            rc = dbf_error_set(err, DBC_EBACKEND, "MySQL %s: %s", k->display,
                               mysql_error(k->conn));
            goto done;
        }
        /* What is there already. */
        q.len = 0;
        dbc_buf_puts(&q, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                    "TABLE_SCHEMA = ");
        dbe_my_buf_literal(&q, k->conn, k->db, strlen(k->db));
        dbc_buf_puts(&q, " ORDER BY TABLE_NAME");
        if ((rc = query_names(k, &q, &k->existing, err)) != 0)
            goto done;
        if (k->existing.n > 0 && !k->clean && !k->force) {
            char list[160];
            size_t len = 0;
            list[0] = '\0';
            for (size_t i = 0; i < k->existing.n && len + 4 < sizeof(list); i++) {
                int w = snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
                                 ((char **)k->existing.p)[i]);
                if (w < 0 || (size_t)w >= sizeof(list) - len) {
                    snprintf(list + len, sizeof(list) - len, ", ...");
                    break;
                }
                len += (size_t)w;
            }
            rc = dbf_error_set(err, DBC_ENOTEMPTY,
                               "target database '%s' is not empty (%zu tables/views: %s); use "
                               "--clean to replace the archive's tables or --force to load "
                               "into them", k->db, k->existing.n, list);
            goto done;
        }
    }
    if (staging && (rc = stage_create(k, &staging, err)) != 0)
        goto done;
    if (staging) {
        rc = stage_enter(k, err);
        goto done;
    }
    /* Not crash-safe (--force, or no staging database allowed): straight into the target. */
    if (!exists) {
        q.len = 0;
        dbc_buf_puts(&q, "CREATE DATABASE ");
        dbc_buf_ident(&q, k->db, '`');
        rc = run_buf(k, &q, err);
        if (rc != 0)
            goto done;
        k->created_db = true;
        if (mysql_select_db(k->conn, k->db) != 0) {
            rc = dbf_error_set(err, DBC_EBACKEND, "MySQL %s: %s", k->display,
                               mysql_error(k->conn));
            goto done;
        }
    }
    for (size_t i = 0; k->clean && i < ntables; i++) {
        if (!strs_has(&k->existing, tables[i]->name))
            continue;
        if ((rc = move_away(k, tables[i]->name, err)) != 0)
            goto done;
    }
done:
    if (r != NULL)
        mysql_free_result(r);
    dbc_buf_free(&q);
    return rc;
}

/* ------------------------------------------------------------------ schema */

/*
 * Take the plain secondary indexes ("  KEY ..." and "  UNIQUE KEY ..." lines of SHOW CREATE
 * TABLE) off a table just created, to add them back in one ALTER after the data, which is
 * faster than loading with the index in place (spec/TYPES.md).
 * Indexes a foreign key needs cannot be dropped (the server says so): they stay. FULLTEXT and
 * SPATIAL indexes stay too. The same definitions in the same order give the same table.
 */
static int defer_indexes(dbe_sink *k, const dbf_table *t, dbf_error *err)
{
    int rc = 0;
    dbc_buf drop = {0};
    dbc_buf add = {0};
    dbc_buf_puts(&add, "ALTER TABLE ");
    dbc_buf_ident(&add, t->name, '`');
    size_t head = add.len;
    const char *line = strchr(t->native_sql, '\n');
    while (line != NULL) {
        line++;
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        const char *def = NULL;
        if (strncmp(line, "  KEY `", 7) == 0)
            def = line + 6;
        else if (strncmp(line, "  UNIQUE KEY `", 14) == 0)
            def = line + 13;
        if (def != NULL) {
            /* the index name: `...` with `` for a backtick */
            const char *p = def + 1;
            dbc_buf name = {0};
            while (*p != '\0' && p < line + len) {
                if (*p == '`' && p[1] == '`') {
                    dbc_buf_add(&name, "`", 1);
                    p += 2;
                } else if (*p == '`') {
                    break;
                } else {
                    dbc_buf_add(&name, p++, 1);
                }
            }
            size_t dlen = len;
            if (dlen > 0 && line[dlen - 1] == ',')
                dlen--;
            drop.len = 0;
            dbc_buf_puts(&drop, "ALTER TABLE ");
            dbc_buf_ident(&drop, t->name, '`');
            dbc_buf_puts(&drop, " DROP INDEX ");
            dbc_buf_ident(&drop, name.p ? name.p : "", '`');
            bool bad = name.oom || drop.oom;
            dbc_buf_free(&name);
            if (bad) {
                rc = oom(err);
                goto done;
            }
            if (mysql_real_query(k->conn, drop.p, (unsigned long)drop.len) == 0) {
                dbc_buf_puts(&add, add.len > head ? ", ADD " : " ADD ");
                dbc_buf_add(&add, line + 2, dlen - 2);
            }
        }
        line = end;
    }
    if (add.oom) {
        rc = oom(err);
        goto done;
    }
    if (add.len > head && steps_add(&k->indexes, add.p, NULL) != 0)
        rc = oom(err);
done:
    dbc_buf_free(&drop);
    dbc_buf_free(&add);
    return rc;
}

/*
 * Into mode: InnoDB's AUTO_INCREMENT counter is not transactional (rows with explicit ids move
 * it, ROLLBACK does not move it back). *has = the table has an AUTO_INCREMENT column (and is
 * not TEMPORARY), *val = its counter (1 when SHOW CREATE TABLE names none).
 */
static int counter_of(dbe_sink *k, const char *name, bool *has, unsigned long long *val,
                      dbf_error *err)
{
    int rc = 0;
    dbc_buf q = {0};
    MYSQL_RES *r = NULL;
    *has = false;
    *val = 1;
    dbc_buf_puts(&q, "SHOW CREATE TABLE ");
    dbc_buf_ident(&q, name, '`');
    if (q.oom)
        return oom(err);
    if (mysql_real_query(k->conn, q.p, (unsigned long)q.len) != 0 ||
        (r = mysql_store_result(k->conn)) == NULL) {
        rc = dbf_error_set(err, DBC_EBACKEND, "MySQL %s: reading table '%s': %s", k->display,
                           name, mysql_error(k->conn));
        goto done;
    }
    MYSQL_ROW row = mysql_fetch_row(r);
    const char *def = row != NULL && mysql_num_fields(r) >= 2 ? row[1] : NULL;
    if (def == NULL || strncmp(def, "CREATE TABLE", 12) != 0)
        goto done; /* a view, or a TEMPORARY (staging) table */
    const char *opts = def;
    for (const char *p = strstr(def, "\n)"); p != NULL; p = strstr(p + 1, "\n)"))
        opts = p;
    const char *col = def;
    while ((col = strstr(col, " AUTO_INCREMENT")) != NULL && col < opts && col[15] == '=')
        col++;
    *has = col != NULL && col < opts;
    const char *ai = strstr(opts, " AUTO_INCREMENT=");
    if (ai != NULL)
        *val = strtoull(ai + 16, NULL, 10);
done:
    if (r != NULL)
        mysql_free_result(r);
    dbc_buf_free(&q);
    return rc;
}

static int remember_counter(dbe_sink *k, const char *name, dbf_error *err)
{
    bool has;
    unsigned long long val;
    int rc = counter_of(k, name, &has, &val, err);
    if (rc != 0 || !has)
        return rc;
    char *table = xstrdup(name);
    my_counter *c = table != NULL ? dbc_vec_push(&k->counters, sizeof(*c)) : NULL;
    if (c == NULL) {
        free(table);
        return oom(err);
    }
    *c = (my_counter){table, val};
    return 0;
}

static int my_sink_create_table(dbe_sink *k, const dbf_header *h, const dbf_table *t,
                                dbf_error *err)
{
    int rc = 0;
    dbc_buf u = {0};
    (void)h;
    if (k->into)
        return remember_counter(k, t->name, err); /* no DDL, no undo: data_begin names it */
    if (t->native_sql == NULL || t->engine == NULL || strcmp(t->engine, "mysql") != 0)
        return dbf_error_set(err, DBF_EUNSUPPORTED,
                             "table '%s': no MySQL DDL in the archive (engine %s)", t->name,
                             t->engine ? t->engine : "unknown");
    if (k->force && !k->clean && strs_has(&k->existing, t->name))
        return 0; /* --force: load into the table as it is */
    rc = runs(k, t->native_sql, err);
    if (rc != 0) {
        dbf_error_prefix(err, "creating table '%s': ", t->name);
        goto done;
    }
    if (k->stage[0] && (strs_add(&k->staged, t->name) != 0 ||
                        (rc = nextval_fixups(k, t, err)) != 0)) {
        rc = rc ? rc : oom(err);
        goto done;
    }
    dbc_buf_puts(&u, "DROP TABLE IF EXISTS ");
    dbc_buf_ident(&u, t->name, '`');
    if (u.oom || steps_add(&k->undo, u.p, NULL) != 0 ||
        strs_add(&k->native, t->name) != 0) {
        rc = oom(err);
        goto done;
    }
    if (getenv("DBR_MYSQL_KEEP_INDEXES") == NULL)
        rc = defer_indexes(k, t, err);
done:
    dbc_buf_free(&u);
    return rc;
}

/* The target database's default collation into out ("" when the server says none). */
static int db_collation(dbe_sink *k, char out[128], dbf_error *err)
{
    MYSQL_RES *r = NULL;
    dbc_buf q = {0};
    dbc_buf_puts(&q, "SELECT @@collation_database");
    int rc = query(k, &q, &r, err);
    dbc_buf_free(&q);
    out[0] = '\0';
    if (rc != 0)
        return rc;
    MYSQL_ROW row = mysql_fetch_row(r);
    if (row != NULL && row[0] != NULL)
        snprintf(out, 128, "%s", row[0]);
    mysql_free_result(r);
    return 0;
}

/* ALTER DATABASE db COLLATE coll (the database's default for what is made next). */
static int set_db_collation(dbe_sink *k, const char *coll, dbf_error *err)
{
    dbc_buf q = {0};
    dbc_buf_puts(&q, "ALTER DATABASE ");
    dbc_buf_ident(&q, k->db, '`');
    dbc_buf_puts(&q, " COLLATE ");
    dbc_buf_ident(&q, coll, '`');
    int rc = run_buf(k, &q, err);
    dbc_buf_free(&q);
    return rc;
}

/*
 * A trigger, routine or event takes its database's collation when it is created. Run sql as
 * run_as does, in database collation want (the source's, attr mysql.db_collation) when the
 * target's differs, as mysqldump does: ALTER DATABASE before, and back after.
 */
static int run_in_db_collation(dbe_sink *k, const char *sql, const char *want,
                               const char *mode, const char *csc, const char *coll,
                               const char *tz, dbf_error *err)
{
    char was[128] = "";
    int rc = want != NULL ? db_collation(k, was, err) : 0;
    if (rc != 0)
        return rc;
    if (want == NULL || strcmp(was, want) == 0)
        was[0] = '\0'; /* nothing to change */
    rc = was[0] ? set_db_collation(k, want, err) : 0;
    if (rc == 0)
        rc = run_as(k, sql, mode, csc, coll, tz, err);
    if (was[0]) {
        dbf_error e2;
        int rc2 = set_db_collation(k, was, &e2);
        if (rc == 0 && rc2 != 0) {
            rc = rc2;
            *err = e2;
        }
    }
    return rc;
}

static int create_view(dbe_sink *k, const my_step *v, bool *deferred, dbf_error *err)
{
    *deferred = false;
    k->last_errno = 0;
    int rc = run_as(k, v->sql, v->sql_mode, v->cs_client, v->coll_conn, NULL, err);
    if (rc != 0) {
        unsigned e = k->last_errno;
        /* 1146 no such table, 1356 view references invalid objects: a view not made yet */
        if (e == 1146 || e == 1356) {
            *deferred = true;
            return 0;
        }
        return rc;
    }
    dbc_buf u = {0};
    dbc_buf_puts(&u, "DROP VIEW IF EXISTS ");
    dbc_buf_ident(&u, v->name, '`');
    rc = u.oom || steps_add(&k->undo, u.p, NULL) != 0 ? oom(err) : 0;
    dbc_buf_free(&u);
    return rc;
}

static void *arena_alloc(void *ctx, size_t n)
{
    return dbf_arena_alloc(ctx, n);
}

static int my_sink_create_object(dbe_sink *k, const dbf_header *h, const dbf_object *o,
                                 dbf_error *err)
{
    int rc = 0;
    dbc_buf u = {0};
    (void)h;
    if (k->into && o->kind == DBF_OBJ_SEQUENCE && o->section == DBF_SEC_POST && o->sql) {
        /* a data-only restore moves the target's sequence to the source's value, last (the
         * pump's counters): SETVAL takes no lower value, and no rollback undoes it */
        return runs(k, o->sql, err);
    }
    if (k->into) {
        /* its DDL would commit the one transaction of a data-only restore */
        dbc_warn("MySQL: %s %s not restored: a data-only restore into existing tables creates "
                 "nothing", o->subtype ? o->subtype : "object", o->name ? o->name : "?");
        return 0;
    }
    const char *mode = dbc_kv(o->attrs, o->nattrs, "mysql.sql_mode");
    const char *csc = dbc_kv(o->attrs, o->nattrs, "mysql.character_set_client");
    const char *coll = dbc_kv(o->attrs, o->nattrs, "mysql.collation_connection");
    const char *tz = dbc_kv(o->attrs, o->nattrs, "mysql.time_zone");
    if (o->engine == NULL || strcmp(o->engine, "mysql") != 0 || o->sql == NULL) {
        dbc_warn("MySQL: %s '%s' skipped: no MySQL statement in the archive",
                 o->subtype ? o->subtype : "object", o->name ? o->name : "?");
        return 0;
    }
    if (k->stage[0] && !k->swapped &&
        (o->kind == DBF_OBJ_VIEW || o->kind == DBF_OBJ_TRIGGER || o->kind == DBF_OBJ_NATIVE) &&
        dbc_kv(o->attrs, o->nattrs, "mysql.in_native_sql") == NULL) {
        /* made in the target after the swap (a view or trigger cannot move between
         * databases; nothing of the archive appears under a real name before it) */
        dbf_object *copy = NULL;
        if (dbf_object_copy(&copy, o, arena_alloc, &k->arena) != 0 ||
            dbc_vec_push_ptr(&k->deferred, copy) != 0)
            return oom(err);
        return 0;
    }
    if (dbc_kv(o->attrs, o->nattrs, "mysql.in_native_sql") != NULL) {
        /* Index, constraint or partitioning: part of the table's CREATE TABLE. */
        if (o->table != NULL && !strs_has(&k->native, o->table))
            dbc_info("MySQL: %s '%s' of existing table '%s' left as the table has it",
                     o->subtype ? o->subtype : "index", o->name ? o->name : "?", o->table);
        return 0;
    }
    switch (o->kind) {
    case DBF_OBJ_VIEW: {
        if (!k->clean && k->force && strs_has(&k->existing, o->name)) {
            dbc_warn("MySQL: view '%s' already exists in '%s': kept as it is (--force)",
                     o->name, k->db);
            return 0;
        }
        if (k->clean && strs_has(&k->existing, o->name)) {
            rc = move_away(k, o->name, err);
            if (rc != 0)
                goto done;
        }
        my_step v;
        if (o->name == NULL || step_dup(&v, o->name, o->sql, mode, csc, coll) != 0) {
            rc = oom(err);
            goto done;
        }
        bool deferred;
        rc = create_view(k, &v, &deferred, err);
        if (rc == 0 && deferred) /* retried at commit */
            return steps_push(&k->views, &v) != 0 ? oom(err) : 0;
        step_free(&v);
        goto done;
    }
    case DBF_OBJ_TRIGGER: {
        bool found = false;
        rc = capture_and_drop(k, "TRIGGER", o->name, &found, err);
        if (rc != 0)
            goto done;
        if (found && !k->clean) {
            dbc_warn("MySQL: trigger '%s' already exists in '%s': kept as it is (--force)",
                     o->name, k->db);
            return 0;
        }
        rc = run_in_db_collation(k, o->sql, dbc_kv(o->attrs, o->nattrs, "mysql.db_collation"),
                                 mode, csc, coll, NULL, err);
        if (rc != 0)
            goto done;
        dbc_buf_puts(&u, "DROP TRIGGER IF EXISTS ");
        dbc_buf_ident(&u, o->name, '`');
        break;
    }
    case DBF_OBJ_NATIVE: {
        const char *what = NULL;
        if (o->subtype != NULL && strcmp(o->subtype, "function") == 0)
            what = "FUNCTION";
        else if (o->subtype != NULL && strcmp(o->subtype, "procedure") == 0)
            what = "PROCEDURE";
        else if (o->subtype != NULL && strcmp(o->subtype, "event") == 0)
            what = "EVENT";
        else if (o->subtype != NULL && strcmp(o->subtype, "package") == 0)
            what = "PACKAGE";
        else if (o->subtype != NULL && strcmp(o->subtype, "package body") == 0)
            what = "PACKAGE BODY";
        if (what == NULL) {
            dbc_warn("MySQL: %s '%s' skipped: unknown kind of object",
                     o->subtype ? o->subtype : "object", o->name ? o->name : "?");
            return 0;
        }
        bool found = false;
        rc = capture_and_drop(k, what, o->name, &found, err);
        if (rc != 0)
            goto done;
        if (found && !k->clean) {
            dbc_warn("MySQL: %s '%s' already exists in '%s': kept as it is (--force)", o->subtype,
                     o->name, k->db);
            return 0;
        }
        rc = run_in_db_collation(k, o->sql, dbc_kv(o->attrs, o->nattrs, "mysql.db_collation"),
                                 mode, csc, coll, tz, err);
        if (rc != 0)
            goto done;
        dbc_buf_puts(&u, "DROP ");
        dbc_buf_puts(&u, what);
        dbc_buf_puts(&u, " IF EXISTS ");
        dbc_buf_ident(&u, o->name, '`');
        break;
    }
    case DBF_OBJ_SETTING:
        /* the source database's character set, collation and comment: given to the
         * database this restore created, before routines, views, triggers and events take
         * them; an existing database keeps its own */
        if (o->subtype == NULL || strcmp(o->subtype, "database_defaults") != 0) {
            dbc_warn("MySQL: setting '%s' skipped: unknown", o->name ? o->name : "?");
            return 0;
        }
        if (k->stage[0] && !k->swapped) {
            /* the stage takes them (a sequence's collation is its database's); the target
             * too at the swap when it is made then, or a warning when it differs */
            free(k->db_defaults);
            free(k->db_defaults_coll);
            k->db_defaults = xstrdup(o->sql);
            k->db_defaults_coll = o->value ? xstrdup(o->value) : NULL;
            if (k->db_defaults == NULL || (o->value && k->db_defaults_coll == NULL))
                return oom(err);
            rc = runs(k, o->sql, err);
            goto done;
        }
        if (!k->created_db) {
            char has[128];
            if ((rc = db_collation(k, has, err)) == 0 && has[0] && o->value != NULL &&
                strcmp(has, o->value) != 0)
                dbc_warn("MySQL: the existing database '%s' keeps its default collation %s "
                         "(the source's: %s)", k->db, has, o->value);
            goto done;
        }
        rc = runs(k, o->sql, err);
        goto done;
    case DBF_OBJ_SEQUENCE: /* MariaDB: the definition before the tables, then SETVAL */
        if (o->subtype != NULL && strcmp(o->subtype, "definition") == 0) {
            if (!k->clean && k->force && strs_has(&k->existing, o->name)) {
                dbc_warn("MySQL: sequence '%s' already exists in '%s': kept as it is (--force)",
                         o->name, k->db);
                return 0;
            }
            if (k->clean && strs_has(&k->existing, o->name) &&
                (rc = move_away(k, o->name, err)) != 0)
                goto done;
            if ((rc = run_as(k, o->sql, mode, csc, coll, NULL, err)) != 0)
                goto done;
            if (k->stage[0] && strs_add(&k->staged, o->name) != 0) {
                rc = oom(err);
                goto done;
            }
            dbc_buf_puts(&u, "DROP SEQUENCE IF EXISTS ");
            dbc_buf_ident(&u, o->name, '`');
            break;
        }
        rc = run_as(k, o->sql, mode, csc, coll, NULL, err);
        goto done;
    default:
        /* Indexes and constraints without mysql.in_native_sql: run their statement. */
        rc = run_as(k, o->sql, mode, csc, coll, NULL, err);
        goto done;
    }
    if (u.oom || steps_add(&k->undo, u.p, NULL) != 0)
        rc = oom(err);
done:
    if (rc != 0 && rc != DBF_ENOMEM && strncmp(err->msg, "creating", 8) != 0) {
        dbf_error_prefix(err, "creating %s '%s': ",
                         o->kind == DBF_OBJ_VIEW      ? "view"
                         : o->kind == DBF_OBJ_TRIGGER ? "trigger"
                         : o->subtype                 ? o->subtype
                                                      : "object",
                         o->name ? o->name : "?");
    }
    dbc_buf_free(&u);
    return rc;
}

/* -------------------------------------------------------------------- rows */

/* LOAD DATA LOCAL "file" callbacks: the file is the batch's data. */
static int infile_init(void **ptr, const char *filename, void *userdata)
{
    (void)filename;
    my_batch *b = userdata;
    b->feed_pos = 0;
    *ptr = b;
    return 0;
}

static int infile_read(void *ptr, char *buf, unsigned int len)
{
    my_batch *b = ptr;
    size_t left = b->data.len - b->feed_pos;
    size_t n = left < len ? left : len;
    if (n > 0)
        memcpy(buf, b->data.p + b->feed_pos, n);
    b->feed_pos += n;
    return (int)n;
}

static void infile_end(void *ptr)
{
    (void)ptr;
}

static int infile_error(void *ptr, char *msg, unsigned int len)
{
    (void)ptr;
    snprintf(msg, len, "dbrestore: LOAD DATA source failed");
    return 2000;
}

/* After a batch: any warning, and the notes MariaDB/MySQL give for a value they changed
 * (1264 out of range, 1265 data truncated, e.g. a DECIMAL rounded), mean a value was not
 * stored as given. Conditions the server counted but does not list (beyond
 * max_error_count) cannot be told harmless: they fail the batch too. */
static int check_warnings(dbe_sink *k, MYSQL *c, const my_batch *b, dbf_error *err)
{
    unsigned counted = mysql_warning_count(c), listed = 0;
    if (counted == 0)
        return 0;
    int rc = 0;
    MYSQL_RES *r = NULL;
    if (mysql_query(c, "SHOW WARNINGS") != 0 || (r = mysql_store_result(c)) == NULL)
        return dbf_error_set(err, DBC_EBACKEND, "MySQL %s: %s", k->display, mysql_error(c));
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(r)) != NULL) {
        listed++;
        const char *code = row[1] ? row[1] : "";
        if (row[0] == NULL || (strcmp(row[0], "Note") == 0 && strcmp(code, "1264") != 0 &&
                               strcmp(code, "1265") != 0))
            continue;
        const char *msg = row[2] ? row[2] : "";
        /* The server's " at row N" ends the message; the value quoted before it may hold
         * the same words. */
        const char *at = NULL;
        for (const char *p = strstr(msg, " at row "); p != NULL; p = strstr(p + 1, " at row "))
            at = p;
        uint64_t n = at != NULL ? (uint64_t)strtoull(at + 8, NULL, 10) : 0;
        const char *tn = k->cur ? k->cur->name : "?";
        if (n >= 1 && n <= b->rows)
            rc = dbf_error_set(err, DBC_EDATA, "MySQL refused a value of table '%s', row %"
                               PRIu64 ": %s %s: %s", tn, b->first + n - 1, row[0], code, msg);
        else
            rc = dbf_error_set(err, DBC_EDATA, "MySQL refused a value of table '%s', rows %"
                               PRIu64 "..%" PRIu64 ": %s %s: %s", tn, b->first,
                               b->first + b->rows - 1, row[0], code, msg);
        break;
    }
    mysql_free_result(r);
    if (rc == 0 && listed < counted)
        rc = dbf_error_set(err, DBC_EDATA, "MySQL: table '%s', rows %" PRIu64 "..%" PRIu64
                           ": the server reported %u conditions and lists %u "
                           "(max_error_count); the others may be changed values",
                           k->cur ? k->cur->name : "?", b->first, b->first + b->rows - 1,
                           counted, listed);
    return rc;
}

/* A statement that sent a batch failed. */
static int load_failed(dbe_sink *k, my_batch *b, unsigned no, const char *msg,
                       dbf_error *err)
{
    b->last_errno = no;
    /* Client library errors (2000-2999, MariaDB Connector/C's 5000+) are the link's; the
     * server's own (1000-1999, MySQL's and MariaDB's 3000-4999) are about the data. */
    bool client = (no >= 2000 && no < 3000) || no >= 5000;
    return dbf_error_set(err, client ? DBC_EBACKEND : DBC_EDATA,
                         "MySQL: loading table '%s' (rows %" PRIu64 "..%" PRIu64 "): %s",
                         k->cur ? k->cur->name : "?", b->first, b->first + b->rows - 1, msg);
}

/* Bulk: bind the batch's arrays to the prepared INSERT and execute it once. */
static int bulk_send(dbe_sink *k, my_batch *b, unsigned long long *got, dbf_error *err)
{
#if !MY_HAVE_BULK
    (void)got;
    return load_failed(k, b, 2000, "array binding needs MariaDB Connector/C", err);
#else
    for (size_t p = 0; p < k->nparams; p++) {
        size_t at = p * b->cap_rows;
        for (size_t r = 0; r < b->rows; r++)
            b->ptr[at + r] = b->data.p + b->off[at + r];
        MYSQL_BIND *x = &b->lane->binds[p];
        memset(x, 0, sizeof(*x));
        x->buffer_type = MYSQL_TYPE_STRING;
        x->buffer = &b->ptr[at];
        x->length = &b->len[at];
        x->u.indicator = &b->ind[at];
    }
    unsigned int n = (unsigned int)b->rows;
    MYSQL_STMT *st = b->lane->bulk;
    if (mysql_stmt_attr_set(st, STMT_ATTR_ARRAY_SIZE, &n) != 0 ||
        mysql_stmt_bind_param(st, b->lane->binds) != 0 || mysql_stmt_execute(st) != 0)
        return load_failed(k, b, mysql_stmt_errno(st), mysql_stmt_error(st), err);
    *got = mysql_stmt_affected_rows(st);
    return 0;
#endif
}

/* Start the next batch of b: empty, loaded the sink's way (an INSERT starts with its head). */
static void batch_reset(dbe_sink *k, my_batch *b)
{
    b->data.len = 0;
    b->rows = 0;
    b->how = k->load;
    if (b->how == MY_LOAD_INSERT)
        dbc_buf_add(&b->data, k->stmt.p, k->stmt_head);
}

/* START TRANSACTION / COMMIT of a batch on its lane's link. */
static int lane_txn(my_batch *b, const char *sql, dbf_error *err)
{
    return run_on(b->lane->conn, b->k->display, sql, strlen(sql), &b->last_errno, err);
}

/* Send one batch on its lane: its own transaction (data-only: the one transaction goes on),
 * then the warnings and the row count checked; a failed batch is rolled back (InnoDB), which
 * matters for tables that existed before (--force). */
static int send_once(my_batch *b, dbf_error *err)
{
    dbe_sink *k = b->k;
    MYSQL *c = b->lane->conn;
    unsigned long long got = 0;
    b->last_errno = 0;
    int rc = k->into ? 0 : lane_txn(b, "START TRANSACTION", err);
    if (rc != 0)
        goto done;
    switch (b->how) {
    case MY_LOAD_BULK:
        rc = bulk_send(k, b, &got, err);
        break;
    case MY_LOAD_INFILE:
        mysql_set_local_infile_handler(c, infile_init, infile_read, infile_end, infile_error, b);
        if (mysql_real_query(c, k->stmt.p, (unsigned long)k->stmt.len) != 0)
            rc = load_failed(k, b, mysql_errno(c), mysql_error(c), err);
        else
            got = mysql_affected_rows(c);
        break;
    case MY_LOAD_INSERT:
        if (mysql_real_query(c, b->data.p, (unsigned long)b->data.len) != 0)
            rc = load_failed(k, b, mysql_errno(c), mysql_error(c), err);
        else
            got = mysql_affected_rows(c);
        break;
    }
    if (rc == 0)
        rc = check_warnings(k, c, b, err);
    if (rc == 0 && got != (unsigned long long)b->rows)
        rc = dbf_error_set(err, DBC_EDATA,
                           "MySQL: table '%s': %llu of %zu rows loaded (rows %" PRIu64 "..)",
                           k->cur ? k->cur->name : "?", got, b->rows, b->first);
    if (rc == 0 && !k->into)
        rc = lane_txn(b, "COMMIT", err);
done:
    if (rc != 0 && !k->into)
        mysql_query(c, "ROLLBACK");
    return rc;
}

/* A batch on its lane; the batch is emptied either way. InnoDB may pick a batch in its own
 * transaction as the victim of a deadlock with the other lane's batch of the same table
 * (their keys next to each other in the index): it rolled the whole batch back, so it is
 * sent again, a few times. */
#define MY_DEADLOCK_RETRIES 8
static int send_batch(my_batch *b, dbf_error *err)
{
    int rc = send_once(b, err);
    for (int i = 0; rc != 0 && !b->k->into && b->last_errno == 1213 && i < MY_DEADLOCK_RETRIES;
         i++)
        rc = send_once(b, err);
    batch_reset(b->k, b);
    return rc;
}

static void *loader_main(void *arg)
{
    my_batch *b = arg;
    mysql_thread_init();
    b->rc = send_batch(b, &b->err);
    mysql_thread_end();
    return NULL;
}

/* Wait for the batch lane l's thread is sending; a failure is kept in k->lane_* (the
 * earliest rows first) until wait_loader hands it out. */
static void lane_join(dbe_sink *k, my_lane *l)
{
    my_batch *b = l->sending;
    if (b == NULL)
        return;
    pthread_join(l->th, NULL);
    l->sending = NULL;
    if (b->rc != 0 && (k->lane_rc == 0 || b->first < k->lane_first)) {
        k->lane_rc = b->rc;
        k->lane_err = b->err;
        k->lane_first = b->first;
        k->last_errno = b->last_errno;
    }
}

/* Wait for every lane; the failure of the earliest batch that failed, handed out once. */
static int wait_loader(dbe_sink *k, dbf_error *err)
{
    for (size_t i = 0; i < MY_LANES_MAX; i++)
        lane_join(k, &k->lanes[i]);
    int rc = k->lane_rc;
    if (rc != 0)
        *err = k->lane_err;
    k->lane_rc = 0;
    return rc;
}

/* The pump failed with rc: the batches the lanes are sending hold earlier rows, so their
 * failure, if one failed, is the first one and the one reported. */
static int first_error(dbe_sink *k, int rc, dbf_error *err)
{
    dbf_error le;
    int lrc = wait_loader(k, &le);
    if (lrc != 0) {
        *err = le;
        return lrc;
    }
    return rc;
}

/* Hand the filled batch to the next lane's thread (after that lane's previous batch is
 * through) and go on filling a free slot. INSERT batches, and any batch when no thread can
 * be started, are sent here. */
static int flush_batch(dbe_sink *k, dbf_error *err)
{
    my_batch *b = k->fill;
    if (b->rows == 0)
        return 0;
    if (b->data.oom)
        return oom(err);
    my_lane *l = &k->lanes[k->next_lane];
    lane_join(k, l);
    if (k->lane_rc != 0)
        return wait_loader(k, err);
    b->lane = l;
    k->lane_sent[k->next_lane] += b->rows;
    if (b->how == MY_LOAD_INSERT || pthread_create(&l->th, NULL, loader_main, b) != 0) {
        int rc = send_batch(b, err);
        if (rc != 0)
            k->last_errno = b->last_errno;
        return rc;
    }
    l->sending = b;
    k->next_lane = (k->next_lane + 1) % k->nlanes;
    /* the slot no lane is sending (there is one more slot than lanes) */
    for (size_t i = 0; i < MY_LANES_MAX + 1; i++) {
        my_batch *f = &k->slot[i];
        bool busy = false;
        for (size_t j = 0; j < MY_LANES_MAX; j++)
            busy = busy || k->lanes[j].sending == f;
        if (!busy) {
            k->fill = f;
            break;
        }
    }
    return 0;
}

static void bulk_close(dbe_sink *k)
{
    for (size_t i = 0; i < MY_LANES_MAX; i++) {
        my_lane *l = &k->lanes[i];
        if (l->bulk != NULL)
            mysql_stmt_close(l->bulk);
        l->bulk = NULL;
        free(l->binds);
        l->binds = NULL;
    }
    free(k->param_col);
    k->param_col = NULL;
    k->nparams = 0;
}

/* Close the links of lanes 1.. (after wait_loader); lane 0's is the sink's own. */
static void lanes_close(dbe_sink *k)
{
    for (size_t i = 1; i < MY_LANES_MAX; i++) {
        if (k->lanes[i].conn != NULL)
            mysql_close(k->lanes[i].conn);
        k->lanes[i].conn = NULL;
    }
    k->lanes[0].conn = NULL;
}

/* Bulk: prepare "INSERT INTO t (cols) VALUES (?, ...)" on each lane's link and size every
 * batch's arrays. */
static int bulk_begin(dbe_sink *k, const dbf_table *t, dbf_error *err)
{
    dbc_buf q = {0};
    int rc = 0;
    size_t nc = t->ncolumns ? t->ncolumns : 1;
    k->param_col = calloc(nc, sizeof(*k->param_col));
    if (k->param_col == NULL)
        return oom(err);
    for (size_t i = 0; i < k->nlanes; i++)
        if ((k->lanes[i].binds = calloc(nc, sizeof(MYSQL_BIND))) == NULL)
            return oom(err);
    dbc_buf_puts(&q, "INSERT INTO ");
    dbc_buf_ident(&q, t->name, '`');
    dbc_buf_puts(&q, " (");
    for (size_t i = 0; i < t->ncolumns; i++) {
        if (t->columns[i].flags & DBF_COL_GENERATED)
            continue;
        if (k->nparams > 0)
            dbc_buf_puts(&q, ", ");
        dbc_buf_ident(&q, t->columns[i].name, '`');
        k->param_col[k->nparams++] = i;
    }
    dbc_buf_puts(&q, ") VALUES (");
    for (size_t p = 0; p < k->nparams; p++)
        dbc_buf_puts(&q, p > 0 ? ", ?" : "?");
    dbc_buf_puts(&q, ")");
    if (q.oom) {
        rc = oom(err);
        goto done;
    }
    for (size_t i = 0; i < k->nlanes; i++) {
        my_lane *l = &k->lanes[i];
        if ((l->bulk = mysql_stmt_init(l->conn)) == NULL) {
            rc = oom(err);
            goto done;
        }
        if (mysql_stmt_prepare(l->bulk, q.p, (unsigned long)q.len) != 0) {
            rc = dbf_error_set(err, DBC_EBACKEND, "MySQL %s: preparing the INSERT of table "
                               "'%s': %s", k->display, t->name, mysql_stmt_error(l->bulk));
            goto done;
        }
    }
    size_t np = k->nparams ? k->nparams : 1;
    size_t cap = MY_BULK_VALUES / np;
    cap = cap < 1 ? 1 : cap > MY_BULK_ROWS ? MY_BULK_ROWS : cap;
    for (size_t i = 0; i < k->max_lanes + 1; i++) { /* the slots lanes can use */
        my_batch *b = &k->slot[i];
        if (cap * np > b->cap_vals) {
            size_t nv = cap * np;
            size_t *off = realloc(b->off, nv * sizeof(*off));
            if (off != NULL)
                b->off = off;
            unsigned long *len = realloc(b->len, nv * sizeof(*len));
            if (len != NULL)
                b->len = len;
            char *ind = realloc(b->ind, nv);
            if (ind != NULL)
                b->ind = ind;
            char **ptr = realloc(b->ptr, nv * sizeof(*ptr));
            if (ptr != NULL)
                b->ptr = ptr;
            if (off == NULL || len == NULL || ind == NULL || ptr == NULL) {
                rc = oom(err);
                goto done;
            }
            b->cap_vals = nv;
        }
        b->cap_rows = cap;
        /* data.p must not be NULL for the pointers made from offsets (all-empty values) */
        if (!dbc_buf_reserve(&b->data, 1)) {
            rc = oom(err);
            goto done;
        }
    }
done:
    dbc_buf_free(&q);
    return rc;
}

/* Links for lanes 1..nlanes-1 (lane 0's is the sink's own), in the database being loaded. */
static int lanes_link(dbe_sink *k, dbf_error *err)
{
    int rc;
    k->lanes[0].conn = k->conn;
    for (size_t i = 1; i < k->nlanes; i++) {
        my_lane *l = &k->lanes[i];
        if (l->conn != NULL && mysql_ping(l->conn) == 0)
            continue;
        if (l->conn != NULL) /* idle past the server's wait_timeout while keyless tables loaded */
            mysql_close(l->conn);
        l->conn = NULL;
        if ((rc = link_open(k, &l->conn, err)) != 0)
            return rc;
        if (mysql_select_db(l->conn, k->db) != 0)
            return dbf_error_set(err, DBC_EBACKEND, "MySQL %s: %s", k->display,
                                 mysql_error(l->conn));
        char node[72];
        if (k->galera && (!node_of(l->conn, node, sizeof(node)) || strcmp(node, k->node) != 0)) {
            /* a proxy in front of the cluster sent it to another node, where batches of the
             * same table certify against each other: one link from here on */
            dbc_info("MySQL: Galera: a second link reached node '%s', not '%s': loading on one "
                     "link", node, k->node);
            mysql_close(l->conn);
            l->conn = NULL;
            k->nlanes = k->max_lanes = 1;
            break;
        }
    }
    return 0;
}

/* The secondary indexes taken off for the load put back, one ALTER TABLE per table, on up to
 * max_lanes links at once (a thread each), as pg_restore -j builds indexes. */
typedef struct my_ixrun {
    dbe_sink *k;
    pthread_mutex_t mu;
    size_t next;
    bool stop;
} my_ixrun;

typedef struct my_ixlane {
    my_ixrun *x;
    MYSQL *conn;
    size_t failed_at; /* the step that failed; SIZE_MAX none */
    unsigned last_errno;
    int rc;
    dbf_error err;
    pthread_t th;
} my_ixlane;

static void *ix_main(void *arg)
{
    my_ixlane *l = arg;
    my_ixrun *x = l->x;
    const my_step *steps = x->k->indexes.p;
    mysql_thread_init();
    for (;;) {
        pthread_mutex_lock(&x->mu);
        size_t i = x->stop ? x->k->indexes.n : x->next++;
        pthread_mutex_unlock(&x->mu);
        if (i >= x->k->indexes.n)
            break;
        l->rc = run_on(l->conn, x->k->display, steps[i].sql, strlen(steps[i].sql),
                       &l->last_errno, &l->err);
        if (l->rc != 0) {
            l->failed_at = i;
            pthread_mutex_lock(&x->mu);
            x->stop = true;
            pthread_mutex_unlock(&x->mu);
            break;
        }
    }
    mysql_thread_end();
    return NULL;
}

static int indexes_back(dbe_sink *k, dbf_error *err)
{
    int rc = 0;
    size_t n = k->galera ? 1 : k->max_lanes; /* Galera: DDL replicates in total order */
    if (n > k->indexes.n)
        n = k->indexes.n;
    if (n > 1) {
        k->nlanes = n;
        if ((rc = lanes_link(k, err)) != 0)
            return rc;
        n = k->nlanes;
    }
    if (n <= 1) {
        for (size_t i = 0; i < k->indexes.n && rc == 0; i++)
            if ((rc = runs(k, ((my_step *)k->indexes.p)[i].sql, err)) != 0 &&
                k->last_errno == 1062) /* ER_DUP_ENTRY: the data breaks a UNIQUE key */
                err->code = rc = DBC_EDATA;
        return rc;
    }
    my_ixrun x = {.k = k};
    my_ixlane *lanes = calloc(n, sizeof(*lanes));
    if (lanes == NULL || pthread_mutex_init(&x.mu, NULL) != 0) {
        free(lanes);
        return oom(err);
    }
    size_t started = 0;
    for (size_t i = 0; i < n; i++) {
        lanes[i] = (my_ixlane){.x = &x, .conn = k->lanes[i].conn, .failed_at = SIZE_MAX};
        if (pthread_create(&lanes[i].th, NULL, ix_main, &lanes[i]) != 0)
            break;
        started++;
    }
    if (started == 0) /* no thread: this one builds them all */
        ix_main(&lanes[0]);
    for (size_t i = 0; i < started; i++)
        pthread_join(lanes[i].th, NULL);
    pthread_mutex_destroy(&x.mu);
    const my_ixlane *first = NULL; /* the failure of the earliest step is the one said */
    for (size_t i = 0; i < n; i++)
        if (lanes[i].rc != 0 && (first == NULL || lanes[i].failed_at < first->failed_at))
            first = &lanes[i];
    if (first != NULL) {
        *err = first->err;
        k->last_errno = first->last_errno;
        rc = first->last_errno == 1062 ? (err->code = DBC_EDATA) : first->rc;
    }
    free(lanes);
    return rc;
}

static int my_sink_data_begin(dbe_sink *k, const dbf_table *t, dbf_error *err)
{
    int rc = wait_loader(k, err);
    if (rc != 0)
        return rc;
    bulk_close(k);
    k->cur = t;
    k->stmt.len = 0;
    /* an archive may interleave tables: a table's rows may come in several runs (data-only
     * loads hand the target's tables, of id 0: their rows are not counted here) */
    while (k->sent_by_id.n < t->id)
        if (dbc_vec_push(&k->sent_by_id, sizeof(my_sent)) == NULL)
            return oom(err);
    k->sent = t->id > 0 ? ((my_sent *)k->sent_by_id.p)[t->id - 1].n : 0;
    for (size_t i = 0; k->no_history && i < t->ncolumns; i++)
        if (dbc_kv(t->columns[i].attrs, t->columns[i].nattrs, "mysql.system_time") != NULL)
            return dbf_error_set(err, DBF_EUNSUPPORTED, "table '%s' holds the history rows of a "
                                 "system-versioned table: loading them needs MariaDB 10.11 or "
                                 "later (system_versioning_insert_history) on %s", t->name,
                                 k->display);
    /* More than one lane only where the row order cannot show: a table with a primary key
     * (InnoDB keeps its rows in key order), loaded in batches that each commit alone. */
    k->nlanes = k->load == MY_LOAD_BULK && !k->into && t->nprimary_key > 0 ? k->max_lanes : 1;
    k->next_lane = 0;
    if ((rc = lanes_link(k, err)) != 0)
        return rc;
    if (k->load == MY_LOAD_INSERT) {
        dbc_buf_puts(&k->stmt, "INSERT INTO ");
        dbc_buf_ident(&k->stmt, t->name, '`');
        dbc_buf_puts(&k->stmt, " (");
        bool first = true;
        for (size_t i = 0; i < t->ncolumns; i++) {
            if (t->columns[i].flags & DBF_COL_GENERATED)
                continue;
            if (!first)
                dbc_buf_puts(&k->stmt, ", ");
            first = false;
            dbc_buf_ident(&k->stmt, t->columns[i].name, '`');
        }
        dbc_buf_puts(&k->stmt, ") VALUES ");
        k->stmt_head = k->stmt.len;
    } else {
        /* bulk too: a row too large for one bulk packet goes by LOAD DATA */
        dbc_buf_puts(&k->stmt, "LOAD DATA LOCAL INFILE 'dbrestore' INTO TABLE ");
        dbc_buf_ident(&k->stmt, t->name, '`');
        dbc_buf_puts(&k->stmt, " CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY "
                          "'\\\\' LINES TERMINATED BY '\\n' (");
        for (size_t i = 0; i < t->ncolumns; i++) {
            if (i > 0)
                dbc_buf_puts(&k->stmt, ", ");
            if (t->columns[i].flags & DBF_COL_GENERATED)
                dbc_buf_puts(&k->stmt, "@dbr_skip"); /* computed by the server */
            else
                dbc_buf_ident(&k->stmt, t->columns[i].name, '`');
        }
        dbc_buf_puts(&k->stmt, ")");
    }
    if (k->stmt.oom)
        return oom(err);
    if (k->load == MY_LOAD_BULK && (rc = bulk_begin(k, t, err)) != 0)
        return rc;
    bool full = false;
    for (size_t i = 0; i < k->max_lanes + 1; i++) {
        batch_reset(k, &k->slot[i]);
        full = full || k->slot[i].data.oom;
    }
    return full ? oom(err) : 0;
}

/* Escape bytes for the LOAD DATA text format. */
static void add_escaped(dbc_buf *b, const char *s, size_t n)
{
    if (!dbc_buf_reserve(b, 2 * n))
        return;
    char *p = b->p + b->len;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        switch (ch) {
        case '\\': *p++ = '\\'; *p++ = '\\'; break;
        case '\t': *p++ = '\\'; *p++ = 't'; break;
        case '\n': *p++ = '\\'; *p++ = 'n'; break;
        case '\0': *p++ = '\\'; *p++ = '0'; break;
        default: *p++ = ch; break;
        }
    }
    b->len = (size_t)(p - b->p);
    b->p[b->len] = '\0';
}

/* The text of one value (not escaped yet) in tmp, or the bytes at *ptr (*len of them).
 * @return 0, DBC_EDATA (value MySQL cannot hold), DBF_EUNSUPPORTED. */
static int value_text(const dbf_table *t, size_t i, const dbf_value *v, char *tmp, size_t cap,
                      const char **ptr, size_t *len, bool *is_bin, uint64_t rowno,
                      dbf_error *err)
{
    const dbf_column *c = &t->columns[i];
    *is_bin = false;
    switch (v->kind) {
    case DBF_V_BOOL:
        *ptr = v->u.b ? "1" : "0";
        *len = 1;
        return 0;
    case DBF_V_INT:
        /* YEAR: "0" would load as 2000; "0000" is the zero year */
        *len = (size_t)snprintf(tmp, cap, c->type == DBF_T_YEAR ? "%04" PRId64 : "%" PRId64,
                                v->u.i);
        *ptr = tmp;
        return 0;
    case DBF_V_UINT:
        *len = dbc_uint_text(tmp, v->u.u);
        *ptr = tmp;
        return 0;
    case DBF_V_F32:
    case DBF_V_F64: {
        double d = v->kind == DBF_V_F32 ? (double)v->u.f32 : v->u.f64;
        if (isnan(d) || isinf(d))
            return dbf_error_set(err, DBC_EDATA, "table '%s', column '%s', row %" PRIu64
                                 ": MySQL cannot store %s", t->name, c->name, rowno,
                                 isnan(d) ? "NaN" : "an infinity");
        *len = dbc_float_text(tmp, d, false); /* a float as the double it widens to */
        *ptr = tmp;
        return 0;
    }
    case DBF_V_STR:
        *ptr = v->u.s.ptr ? v->u.s.ptr : "";
        *len = v->u.s.len;
        if (c->type == DBF_T_TIMESTAMPTZ && *len > 0 && (*ptr)[*len - 1] == 'Z')
            (*len)--; /* the session is at +00:00 */
        return 0;
    case DBF_V_BIN:
        *ptr = v->u.s.ptr ? v->u.s.ptr : "";
        *len = v->u.s.len;
        *is_bin = true;
        if (c->type == DBF_T_UUID && *len == 16) {
            dbc_uuid_text(tmp, (const uint8_t *)v->u.s.ptr);
            *ptr = tmp;
            *len = 36;
            *is_bin = false;
        }
        return 0;
    default:
        return dbf_error_set(err, DBF_EUNSUPPORTED, "table '%s', column '%s', row %" PRIu64
                             ": this kind of value cannot be stored in MySQL", t->name, c->name,
                             rowno);
    }
}

/* Add one row to b the way b is loaded. */
static int add_row(dbe_sink *k, my_batch *b, const dbf_table *t, const dbf_value *vals,
                   uint64_t row_number, dbf_error *err)
{
    char tmp[64];
    const char *p = NULL;
    size_t len = 0;
    bool is_bin = false;
    int rc;
    if (b->rows == 0)
        b->first = row_number;
    if (b->how == MY_LOAD_BULK) {
        for (size_t q = 0; q < k->nparams; q++) {
            size_t i = k->param_col[q], at = q * b->cap_rows + b->rows;
            b->off[at] = b->data.len;
            b->len[at] = 0;
            b->ind[at] = MY_IND_NULL;
            if (vals[i].kind == DBF_V_NULL)
                continue;
            rc = value_text(t, i, &vals[i], tmp, sizeof(tmp), &p, &len, &is_bin, row_number,
                            err);
            if (rc != 0)
                return rc;
            b->len[at] = (unsigned long)len;
            b->ind[at] = MY_IND_NONE;
            dbc_buf_add(&b->data, p, len);
        }
        b->rows++;
        return b->data.oom ? oom(err) : 0;
    }
    bool insert = b->how == MY_LOAD_INSERT, first = true;
    if (insert)
        dbc_buf_add(&b->data, b->rows > 0 ? ",(" : "(", b->rows > 0 ? 2 : 1);
    for (size_t i = 0; i < t->ncolumns; i++) {
        const dbf_value *v = &vals[i];
        bool generated = (t->columns[i].flags & DBF_COL_GENERATED) != 0;
        if (insert) {
            if (generated)
                continue;
            if (!first)
                dbc_buf_add(&b->data, ",", 1);
            first = false;
            if (v->kind == DBF_V_NULL) {
                dbc_buf_add(&b->data, "NULL", 4);
                continue;
            }
        } else {
            if (i > 0)
                dbc_buf_add(&b->data, "\t", 1);
            if (v->kind == DBF_V_NULL || generated) {
                dbc_buf_add(&b->data, "\\N", 2);
                continue;
            }
        }
        rc = value_text(t, i, v, tmp, sizeof(tmp), &p, &len, &is_bin, row_number, err);
        if (rc != 0)
            return rc;
        if (!insert) {
            add_escaped(&b->data, p, len);
        } else if (v->kind == DBF_V_STR || v->kind == DBF_V_BIN) {
            if (is_bin)
                dbc_buf_puts(&b->data, "_binary");
            dbe_my_buf_literal(&b->data, k->conn, p, len);
        } else {
            dbc_buf_add(&b->data, p, len);
        }
    }
    dbc_buf_add(&b->data, insert ? ")" : "\n", 1);
    b->rows++;
    return b->data.oom ? oom(err) : 0;
}

/* Whether b no longer fits one statement: bulk and INSERT must stay under
 * max_allowed_packet (bulk: with each value's length and indicator, and the command's
 * header); LOAD DATA streams its "file". */
static bool over_limit(const dbe_sink *k, const my_batch *b)
{
    size_t max = k->max_packet - 4096; /* max_packet >= 1 MiB (bulk: the server's own) */
    if (b->how == MY_LOAD_BULK)
        return b->data.len + b->rows * k->nparams * 10 + k->nparams * 4 > max;
    if (b->how == MY_LOAD_INSERT)
        return b->data.len > (max < MY_INSERT_MAX ? max : MY_INSERT_MAX);
    return false;
}

/* Whether b is full enough to send (INSERT batches go when the next row would not fit). */
static bool batch_full(const my_batch *b)
{
    if (b->how == MY_LOAD_INSERT)
        return false;
    return b->data.len >= MY_BATCH || (b->how == MY_LOAD_BULK && b->rows == b->cap_rows);
}

static int sink_row(dbe_sink *k, const dbf_table *t, const dbf_value *vals, size_t n,
                    uint64_t row_number, dbf_error *err)
{
    if (n != t->ncolumns)
        return dbf_error_set(err, DBF_ECORRUPT, "table '%s', row %" PRIu64 ": %zu values for "
                             "%zu columns", t->name, row_number, n, t->ncolumns);
    my_batch *b = k->fill;
    size_t mark = b->data.len;
    int rc = add_row(k, b, t, vals, row_number, err);
    if (rc != 0)
        return rc;
    if (!over_limit(k, b))
        return batch_full(b) ? flush_batch(k, err) : 0;
    if (b->rows > 1) {
        /* This row does not fit: send the others, then start the next batch with it. */
        b->data.len = mark;
        b->rows--;
        if ((rc = flush_batch(k, err)) != 0)
            return rc;
        b = k->fill;
        if ((rc = add_row(k, b, t, vals, row_number, err)) != 0)
            return rc;
        if (!over_limit(k, b))
            return batch_full(b) ? flush_batch(k, err) : 0;
    }
    /* The row alone is larger than one statement may be. */
    if (b->how == MY_LOAD_INSERT)
        return 0; /* sent alone; the server says if it is over max_allowed_packet */
    if (!k->has_infile)
        return dbf_error_set(err, DBC_EDATA, "MySQL %s: table '%s', row %" PRIu64 ": the row "
                             "(%zu bytes) does not fit the server's max_allowed_packet (%lu) "
                             "and local_infile is off: raise either", k->display, t->name,
                             row_number, b->data.len, k->max_packet);
    batch_reset(k, b);
    b->how = MY_LOAD_INFILE; /* LOAD DATA streams it */
    if ((rc = add_row(k, b, t, vals, row_number, err)) != 0)
        return rc;
    return flush_batch(k, err);
}

static int my_sink_row(dbe_sink *k, const dbf_table *t, const dbf_value *vals, size_t n,
                       uint64_t row_number, dbf_error *err)
{
    int rc = sink_row(k, t, vals, n, row_number, err);
    if (rc == 0)
        k->sent++;
    return rc != 0 ? first_error(k, rc, err) : 0;
}

/* After the tables of the stage are loaded: the rows each holds are the rows sent (every
 * batch's count and COMMIT were checked; this also catches a commit that lost rows
 * silently). Once per table, when all its runs are in. */
static int count_rows(dbe_sink *k, const dbf_table *t, uint64_t sent, dbf_error *err)
{
    const char *engine = dbc_table_attr(t, "mysql.engine");
    if (sent == 0 || !k->stage[0] || k->swapped || !strs_has(&k->staged, t->name) ||
        (engine && strcasecmp(engine, "BLACKHOLE") == 0) ||
        dbc_table_attr(t, "mysql.rows_elsewhere"))
        return 0;
    bool history = false;
    for (size_t i = 0; i < t->ncolumns; i++)
        history = history || dbc_kv(t->columns[i].attrs, t->columns[i].nattrs,
                                    "mysql.system_time") != NULL;
    dbc_buf q = {0};
    MYSQL_RES *r = NULL;
    dbc_buf_puts(&q, "SELECT COUNT(*) FROM ");
    dbc_buf_ident(&q, t->name, '`');
    if (history)
        dbc_buf_puts(&q, " FOR SYSTEM_TIME ALL");
    int rc = q.oom ? oom(err) : query(k, &q, &r, err);
    dbc_buf_free(&q);
    if (rc != 0)
        return rc;
    MYSQL_ROW row = mysql_fetch_row(r);
    unsigned long long got = row && row[0] ? strtoull(row[0], NULL, 10) : 0;
    mysql_free_result(r);
    if (got != sent)
        return dbf_error_set(err, DBC_EDATA, "MySQL: table '%s' holds %llu rows after the "
                             "load, %" PRIu64 " were sent: rows were lost on the way",
                             t->name, got, sent);
    return 0;
}

static int my_sink_data_end(dbe_sink *k, const dbf_table *t, dbf_error *err)
{
    int rc = flush_batch(k, err);
    rc = rc != 0 ? first_error(k, rc, err) : wait_loader(k, err);
    bulk_close(k);
    k->cur = NULL;
    if (t->id > 0 && t->id <= k->sent_by_id.n)
        ((my_sent *)k->sent_by_id.p)[t->id - 1] = (my_sent){t, k->sent};
    const char *engine = dbc_table_attr(t, "mysql.engine");
    const char *want = dbc_table_attr(t, "mysql.auto_increment");
    if (rc == 0 && !k->into && engine && want && strcasecmp(engine, "ARCHIVE") == 0) {
        bool has;
        unsigned long long got;
        if ((rc = counter_of(k, t->name, &has, &got, err)) == 0 && has &&
            got != strtoull(want, NULL, 10))
            dbc_warn("MySQL: ARCHIVE table '%s': its next AUTO_INCREMENT value is %llu, not %s "
                     "as in the source (an ARCHIVE table's counter cannot be set)",
                     t->name, got, want);
    }
    return rc;
}

/* ---------------------------------------------------------- commit/abort */

/* Take the triggers of the target's table name off (their definitions kept in the stage's
 * state table, for a later run, and in the undo list): a table with triggers cannot move
 * to another database. */
static int triggers_off(dbe_sink *k, const char *name, dbf_error *err)
{
    int rc = 0;
    dbc_buf q = {0};
    dbc_vec trig = {0};
    if ((rc = triggers_of(k, name, &trig, err)) != 0)
        goto done;
    for (size_t i = 0; i < trig.n; i++) {
        size_t before = k->undo.n;
        rc = capture_and_drop(k, "TRIGGER", ((char **)trig.p)[i], NULL, err);
        if (rc != 0 || k->undo.n == before)
            goto done;
        /* ... the definition capture_and_drop kept, also in the stage (newest first here,
         * as in the undo list: a later run makes them from the last row back, oldest first,
         * as undo would) */
        const my_step *x = (my_step *)k->undo.p + k->undo.n - 1;
        q.len = 0;
        dbc_buf_puts(&q, "INSERT INTO ");
        dbc_buf_ident(&q, k->stage, '`');
        dbc_buf_puts(&q, "." MY_STATE " (kind, v, sql_mode, cs, coll) VALUES ('trigger', ");
        dbe_my_buf_literal(&q, k->conn, x->sql, strlen(x->sql));
        const char *v[3] = {x->sql_mode, x->cs_client, x->coll_conn};
        for (int j = 0; j < 3; j++) {
            dbc_buf_puts(&q, ", ");
            if (v[j])
                dbe_my_buf_literal(&q, k->conn, v[j], strlen(v[j]));
            else
                dbc_buf_puts(&q, "NULL");
        }
        dbc_buf_puts(&q, ")");
        if ((rc = q.oom ? oom(err) : run_buf(k, &q, err)) != 0)
            goto done;
    }
done:
    strs_free(&trig);
    dbc_buf_free(&q);
    return rc;
}

/* Tests of crash safety: DBR_MYSQL_CRASH_AT=point kills this process (SIGKILL, as a power
 * cut would) at that point of the swap: "swapping" (old triggers off, before the RENAME),
 * "swapped" (after it, before the views, routines, triggers and events);
 * DBR_MYSQL_FAIL_AT=point makes the restore fail there instead (abort's undo then runs). */
static int crash_point(const char *point, dbf_error *err)
{
    const char *at = getenv("DBR_MYSQL_CRASH_AT");
    if (at != NULL && strcmp(at, point) == 0)
        raise(SIGKILL);
    at = getenv("DBR_MYSQL_FAIL_AT");
    if (at != NULL && strcmp(at, point) == 0)
        return dbf_error_set(err, DBC_EBACKEND, "MySQL: failing at '%s' (DBR_MYSQL_FAIL_AT)",
                             point);
    return 0;
}

/*
 * The swap: every table and sequence of the stage under its real name in one RENAME TABLE
 * (with --clean, the target's tables of those names move out into a private database in the
 * same statement), then the column defaults that call a sequence, then the objects made after
 * it. Up to the RENAME the target is as it was, but for --clean's old triggers, which a later
 * run makes again if this one dies before the RENAME (the state row says 'swapping').
 */
static int swap(dbe_sink *k, dbf_error *err)
{
    int rc = 0;
    dbc_buf q = {0}, u = {0};
    dbc_vec back = {0}; /* my_step: undo of the RENAME, kept until it has run */
    dbc_vec old = {0};  /* char *: the target's tables --clean moves out */
    steps_free(&k->undo); /* the stage goes whole on abort */
    free(k->db);
    if ((k->db = xstrdup(k->target)) == NULL)
        return oom(err);
    if (!k->target_exists) {
        if ((rc = run_db(k, "CREATE DATABASE ", k->db, "", err)) != 0)
            goto done;
        k->created_db = true;
    }
    if (mysql_select_db(k->conn, k->db) != 0) {
        rc = dbf_error_set(err, DBC_EBACKEND, "MySQL %s: %s", k->display, mysql_error(k->conn));
        goto done;
    }
    if (k->db_defaults != NULL) {
        char has[128];
        if (k->created_db)
            rc = runs(k, k->db_defaults, err);
        else if ((rc = db_collation(k, has, err)) == 0 && has[0] && k->db_defaults_coll &&
                 strcmp(has, k->db_defaults_coll) != 0)
            dbc_warn("MySQL: the existing database '%s' keeps its default collation %s (the "
                     "source's: %s)", k->db, has, k->db_defaults_coll);
        if (rc != 0)
            goto done;
    }
    /* --clean: what the target has under the staged names: views go (kept in undo), tables
     * lose their triggers (kept in undo and in the stage) and move out in the RENAME */
    const char *const *names = k->staged.p;
    if ((rc = stage_phase(k, "swapping", err)) != 0)
        goto done;
    for (size_t i = 0; k->clean && i < k->staged.n; i++) {
        char type[32];
        if (!strs_has(&k->existing, names[i]))
            continue;
        if ((rc = table_type(k, names[i], type, sizeof(type), err)) != 0)
            goto done;
        if (strcmp(type, "VIEW") == 0)
            rc = capture_and_drop(k, "VIEW", names[i], NULL, err);
        else if (type[0] != '\0' && (rc = triggers_off(k, names[i], err)) == 0 &&
                 strs_add(&old, names[i]) != 0)
            goto oom;
        if (rc != 0)
            goto done;
    }
    if (old.n > 0) {
        stage_name(k->bak_db, sizeof(k->bak_db), "old", mysql_thread_id(k->conn), k->db);
        if ((rc = run_db(k, "CREATE DATABASE ", k->bak_db, "", err)) != 0) {
            k->bak_db[0] = '\0';
            goto done;
        }
        u.len = 0;
        dbc_buf_puts(&u, "DROP DATABASE IF EXISTS ");
        dbc_buf_ident(&u, k->bak_db, '`');
        if (u.oom || steps_add(&k->finals, u.p, NULL)) /* abort: drop_bak */
            goto oom;
    }
    /* one statement: old out, new in */
    dbc_buf_puts(&q, "RENAME TABLE ");
    size_t head = q.len;
    for (size_t i = 0; i < old.n; i++) {
        const char *name = ((char **)old.p)[i];
        if (q.len > head)
            dbc_buf_puts(&q, ", ");
        buf_rename_pair(&q, k->db, k->bak_db, name);
        u.len = 0;
        buf_rename(&u, k->bak_db, k->db, name);
        if (u.oom || steps_add(&back, u.p, NULL) != 0)
            goto oom;
    }
    for (size_t i = 0; i < k->staged.n; i++) {
        if (q.len > head)
            dbc_buf_puts(&q, ", ");
        buf_rename_pair(&q, k->stage, k->db, names[i]);
        u.len = 0;
        dbc_buf_puts(&u, "DROP TABLE IF EXISTS ");
        dbc_buf_ident(&u, names[i], '`');
        if (u.oom || steps_add(&back, u.p, NULL) != 0)
            goto oom;
    }
    if (q.oom)
        goto oom;
    if ((rc = crash_point("swapping", err)) != 0)
        goto done;
    if (q.len > head && (rc = run_buf(k, &q, err)) != 0) {
        dbf_error_prefix(err, "putting the restored tables in place: ");
        goto done;
    }
    /* only now may undo drop the new tables and move the old ones back (before the RENAME
     * those names were the target's own tables) */
    for (size_t i = 0; i < back.n; i++) {
        my_step *x = (my_step *)back.p + i;
        int bad = steps_push(&k->undo, x); /* takes x's strings, or frees them */
        *x = (my_step){0};
        if (bad)
            goto oom;
    }
    k->swapped = true;
    if ((rc = stage_phase(k, "swapped", err)) != 0)
        goto done;
    if ((rc = crash_point("swapped", err)) != 0)
        goto done;
    u.len = 0;
    dbc_buf_puts(&u, "DROP DATABASE IF EXISTS ");
    dbc_buf_ident(&u, k->stage, '`');
    if (u.oom || steps_add(&k->finals, u.p, NULL) != 0)
        goto oom;
    for (size_t i = 0; i < k->fixups.n; i++)
        if ((rc = runs(k, ((my_step *)k->fixups.p)[i].sql, err)) != 0)
            goto done;
    for (size_t i = 0; i < k->deferred.n; i++)
        if ((rc = my_sink_create_object(k, NULL, ((dbf_object **)k->deferred.p)[i], err)) != 0)
            goto done;
    goto done;
oom:
    rc = oom(err);
done:
    strs_free(&old);
    steps_free(&back);
    dbc_buf_free(&q);
    dbc_buf_free(&u);
    return rc;
}

static int my_sink_commit(dbe_sink *k, dbf_error *err)
{
    int rc = wait_loader(k, err);
    if (rc != 0)
        return rc;
    if (k->into) {
        if (!k->in_txn)
            return dbf_error_set(err, DBF_EINVAL, "MySQL %s: commit without a transaction",
                                 k->display);
        if ((rc = runs(k, "COMMIT", err)) != 0)
            return rc;
        k->in_txn = false;
        return 0;
    }
    for (size_t i = 0; i < k->sent_by_id.n; i++) {
        const my_sent *ms = &((const my_sent *)k->sent_by_id.p)[i];
        if (ms->t != NULL && (rc = count_rows(k, ms->t, ms->n, err)) != 0)
            return rc;
    }
    /* The secondary indexes taken off for the load. */
    if ((rc = indexes_back(k, err)) != 0)
        return rc;
    steps_free(&k->indexes);
    if (k->stage[0] && !k->swapped && (rc = swap(k, err)) != 0)
        return rc;
    /* Views that read views created after them: retry until none is left or no progress. */
    my_step *views = k->views.p;
    while (k->views.n > 0) {
        size_t left = 0;
        for (size_t i = 0; i < k->views.n; i++) {
            bool deferred;
            rc = create_view(k, &views[i], &deferred, err);
            if (rc != 0)
                return rc;
            if (deferred)
                views[left++] = views[i];
            else
                step_free(&views[i]);
        }
        if (left == k->views.n) {
            /* no progress: create the first one again to get its real error */
            rc = run_as(k, views[0].sql, views[0].sql_mode, views[0].cs_client,
                        views[0].coll_conn, NULL, err);
            if (rc == 0)
                return dbf_error_set(err, DBC_EBACKEND, "creating view '%s': depends on a "
                                     "missing view", views[0].name);
            err->code = DBC_EBACKEND;
            return dbf_error_prefix(err, "creating view '%s': ", views[0].name);
        }
        k->views.n = left;
    }
    /* --clean: the old tables and views are no longer needed. */
    for (size_t i = 0; i < k->finals.n; i++) {
        const char *sql = ((my_step *)k->finals.p)[i].sql;
        if (mysql_real_query(k->conn, sql, (unsigned long)strlen(sql)) != 0) {
            unsigned e = mysql_errno(k->conn);
            if (e != 1347 && e != 1965) /* "is not VIEW" / "is not BASE TABLE": the other one */
                dbc_warn("MySQL: %s: %s", sql, mysql_error(k->conn));
        }
    }
    steps_free(&k->undo);
    return rc;
}

/* Cross-engine: one translated statement (index, constraint, counter); DDL on tables this
 * restore created, so abort's DROP TABLE undoes it. */
static int still_in_txn(dbe_sink *k, const char *what, dbf_error *err);

static int my_sink_exec_sql(dbe_sink *k, const char *sql, const char *what, dbf_error *err)
{
    bool in_txn = k->into && !k->aborted; /* into: the one transaction, until abort */
    if (in_txn && !k->in_txn)
        return dbf_error_set(err, DBF_EINVAL, "MySQL %s: %s: no transaction", k->display, what);
    int rc = runs(k, sql, err);
    if (rc != 0) {
        dbf_error_prefix(err, "%s: ", what);
        return rc;
    }
    return in_txn ? still_in_txn(k, what, err) : 0;
}

/* Into mode: a statement that committed implicitly (DDL) would leave abort nothing to roll
 * back; the server says in every reply whether a transaction is open. */
static int still_in_txn(dbe_sink *k, const char *what, dbf_error *err)
{
    if (k->conn != NULL && (k->conn->server_status & SERVER_STATUS_IN_TRANS))
        return 0;
    k->in_txn = false;
    return dbf_error_set(err, DBC_EBACKEND,
                         "MySQL %s: %s ended the restore's transaction (an implicit commit); "
                         "what ran before it is committed",
                         k->display, what);
}

/* Data-only restores: a query's rows, one at a time (mysql_use_result: nothing kept whole). */
static int my_sink_query(dbe_sink *k, const char *sql, const char *what, dbe_text_row_fn row,
                         void *ctx, dbf_error *err)
{
    int rc = 0;
    if (k->conn == NULL)
        return dbf_error_set(err, DBC_EBACKEND, "MySQL %s: %s: not connected", k->display,
                             what);
    if (k->into && !k->in_txn)
        return dbf_error_set(err, DBF_EINVAL, "MySQL %s: %s: no transaction", k->display, what);
    if (mysql_real_query(k->conn, sql, (unsigned long)strlen(sql)) != 0) {
        k->last_errno = mysql_errno(k->conn);
        return dbf_error_set(err, DBC_EBACKEND, "MySQL %s: %s: %s", k->display, what,
                             mysql_error(k->conn));
    }
    int more;
    do {
        MYSQL_RES *r = mysql_use_result(k->conn);
        if (r == NULL && mysql_field_count(k->conn) != 0 && rc == 0)
            rc = dbf_error_set(err, DBC_EBACKEND, "MySQL %s: %s: %s", k->display, what,
                               mysql_error(k->conn));
        if (r != NULL) {
            unsigned n = mysql_num_fields(r) < 64 ? mysql_num_fields(r) : 64;
            MYSQL_ROW mr;
            while ((mr = mysql_fetch_row(r)) != NULL) /* all of them, also after a stop */
                if (rc == 0)
                    rc = row(ctx, (const char *const *)mr, n);
            if (rc == 0 && mysql_errno(k->conn))
                rc = dbf_error_set(err, DBC_EBACKEND, "MySQL %s: %s: %s", k->display, what,
                                   mysql_error(k->conn));
            mysql_free_result(r);
        }
        more = mysql_next_result(k->conn);
        if (more > 0 && rc == 0)
            rc = dbf_error_set(err, DBC_EBACKEND, "MySQL %s: %s: %s", k->display, what,
                               mysql_error(k->conn));
    } while (more == 0);
    if (rc == 0 && k->into)
        rc = still_in_txn(k, what, err);
    return rc;
}

/* Data-only restores, after commit: one statement on its own (a counter's DDL). */
static int my_sink_after_commit(dbe_sink *k, const char *sql, const char *what, dbf_error *err)
{
    if (k->conn == NULL || (k->into && k->in_txn))
        return dbf_error_set(err, DBF_EINVAL, "MySQL %s: %s: not after a commit", k->display,
                             what);
    int rc = runs(k, sql, err);
    if (rc)
        dbf_error_prefix(err, "%s: ", what);
    return rc;
}

/* After abort's undo: the private database of --clean's replaced tables goes when they are
 * all back in the target; one still holding a table (a rename back failed) is kept, and
 * named. */
static void drop_bak(dbe_sink *k)
{
    if (k->bak_db[0] == '\0')
        return;
    dbf_error err;
    dbc_buf q = {0};
    MYSQL_RES *r = NULL;
    dbc_buf_puts(&q, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ");
    dbe_my_buf_literal(&q, k->conn, k->bak_db, strlen(k->bak_db));
    if (q.oom || query(k, &q, &r, &err) != 0) {
        dbc_warn("MySQL: %s kept: %s", k->bak_db, q.oom ? "out of memory" : err.msg);
    } else {
        MYSQL_ROW row = mysql_fetch_row(r);
        if (row && row[0] && strcmp(row[0], "0") == 0) {
            if (run_db(k, "DROP DATABASE IF EXISTS ", k->bak_db, "", &err) != 0)
                dbc_warn("MySQL: undo failed: %s", err.msg);
        } else {
            dbc_warn("MySQL: the tables --clean replaced could not all be put back: they are "
                     "in the database %s", k->bak_db);
        }
    }
    if (r != NULL)
        mysql_free_result(r);
    dbc_buf_free(&q);
}

static void my_sink_abort(dbe_sink *k)
{
    if (k == NULL)
        return;
    dbf_error err;
    if (wait_loader(k, &err) != 0) /* the connection is this thread's again */
        dbc_warn("%s", err.msg);   /* a failure of its own, before the one that aborts */
    bulk_close(k);
    lanes_close(k);
    if (k->into) {
        /* One transaction: ROLLBACK on this link (also after an implicit commit: what ran
         * since then). A dead link has been rolled back by the server; a fresh one would be
         * outside the transaction. */
        if (k->conn != NULL && mysql_query(k->conn, "ROLLBACK") != 0) {
            dbc_warn("MySQL: ROLLBACK failed: %s", mysql_error(k->conn));
            k->in_txn = false;
            k->aborted = true;
            return;
        }
        k->in_txn = false;
        k->aborted = true;
        /* the AUTO_INCREMENT counters the rolled-back rows moved */
        for (size_t i = 0; k->conn != NULL && i < k->counters.n; i++) {
            const my_counter *c = (my_counter *)k->counters.p + i;
            bool has;
            unsigned long long now;
            if (counter_of(k, c->table, &has, &now, &err) != 0) {
                dbc_warn("%s", err.msg);
                continue;
            }
            if (!has || now == c->val)
                continue;
            dbc_buf q = {0};
            char num[32];
            snprintf(num, sizeof(num), "%llu", c->val);
            dbc_buf_puts(&q, "ALTER TABLE ");
            dbc_buf_ident(&q, c->table, '`');
            dbc_buf_puts(&q, " AUTO_INCREMENT = ");
            dbc_buf_puts(&q, num);
            if (!q.oom && run(k, q.p, q.len, &err) != 0)
                dbc_warn("MySQL: putting back the AUTO_INCREMENT counter of '%s': %s",
                         c->table, err.msg);
            dbc_buf_free(&q);
        }
        return;
    }
    /* The link may be dead (server gone, broken LOAD DATA): use a fresh one if so. */
    if (k->conn == NULL || mysql_ping(k->conn) != 0) {
        if (k->conn != NULL)
            mysql_close(k->conn);
        k->conn = NULL;
        if (sink_connect(k, &err) != 0) {
            dbc_warn("MySQL: cannot reconnect to undo the restore: %s", err.msg);
            return;
        }
    }
    /* Staging: before the swap the stage is all there is to remove; after it (k->db is the
     * target again) the undo list puts the target back, then the stage goes. */
    bool staged = k->stage[0] != '\0', in_stage = staged && strcmp(k->db, k->stage) == 0;
    if (k->created_db) {
        if (run_db(k, "DROP DATABASE IF EXISTS ", k->db, "", &err) != 0)
            dbc_warn("MySQL: undo failed: %s", err.msg);
    } else if (!in_stage && mysql_select_db(k->conn, k->db) == 0) {
        for (size_t i = k->undo.n; i-- > 0;) {
            const my_step *s = (my_step *)k->undo.p + i;
            if (run_as(k, s->sql, s->sql_mode, s->cs_client, s->coll_conn, NULL, &err) != 0)
                dbc_warn("MySQL: undo failed: %s", err.msg);
        }
    }
    steps_free(&k->undo);
    drop_bak(k);
    if (staged && run_db(k, "DROP DATABASE IF EXISTS ", k->stage, "", &err) != 0)
        dbc_warn("MySQL: undo failed: %s", err.msg);
}

static void my_sink_describe(dbe_sink *k, void (*line)(void *ctx, const char *text), void *ctx)
{
    char b[512];
    if (k->into)
        snprintf(b, sizeof(b), "MySQL: data-only: one transaction; a failure or a kill leaves "
                 "the target as it was%s", k->galera ? " (Galera: streaming replication, "
                 "not bounded by wsrep_max_ws_size)" : "");
    else if (k->force && !k->clean)
        snprintf(b, sizeof(b), "MySQL: --force: rows go into the target's tables as they are; "
                 "not crash-safe (a kill leaves what was loaded so far)");
    else
        snprintf(b, sizeof(b), "MySQL: crash-safe, all or nothing: tables loaded in a staging "
                 "database (_dbr_new_...) on %zu connection%s (a table with a primary key "
                 "takes all; one without, one), their secondary indexes built on %zu at once, "
                 "and put in place by one RENAME TABLE; views, routines, triggers and events "
                 "made after it (-j N sets the connections)", k->max_lanes,
                 k->max_lanes == 1 ? "" : "s", k->galera ? (size_t)1 : k->max_lanes);
    line(ctx, b);
    if (!k->galera)
        return;
    char size[32] = "?";
    MYSQL_RES *r = NULL;
    if (mysql_query(k->conn, "SHOW STATUS LIKE 'wsrep_cluster_size'") == 0 &&
        (r = mysql_store_result(k->conn)) != NULL) {
        MYSQL_ROW row = mysql_fetch_row(r);
        if (row != NULL && row[1] != NULL)
            snprintf(size, sizeof(size), "%s", row[1]);
        mysql_free_result(r);
    }
    snprintf(b, sizeof(b), "MySQL: Galera cluster of %s nodes, restoring through node '%s': "
             "every loading link must reach it (else one link); tables of engines whose rows "
             "Galera does not replicate (MyISAM, Aria, MEMORY, ... with rows) are refused; "
             "--verify reads every node it can reach after waiting for it (wsrep_sync_wait)",
             size, k->node);
    line(ctx, b);
}

/* Galera: the other nodes' client addresses (wsrep_incoming_addresses, less this node's). */
static int my_sink_peers(dbe_sink *k, char ***out, size_t *n, dbf_error *err)
{
    *out = NULL;
    *n = 0;
    if (!k->galera || k->conn == NULL)
        return 0;
    MYSQL_RES *r = NULL;
    if (mysql_query(k->conn, "SELECT VARIABLE_VALUE, @@wsrep_node_incoming_address FROM "
                             "information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = "
                             "'WSREP_INCOMING_ADDRESSES'") != 0 ||
        (r = mysql_store_result(k->conn)) == NULL)
        return dbf_error_set(err, DBC_EBACKEND, "MySQL %s: the cluster's nodes: %s",
                             k->display, mysql_error(k->conn));
    MYSQL_ROW row = mysql_fetch_row(r);
    int rc = 0;
    dbc_vec v = {0};
    const char *all = row && row[0] ? row[0] : "";
    const char *self = row && row[1] ? row[1] : "";
    char own[96];
    snprintf(own, sizeof(own), "%s:%u", k->host ? k->host : "127.0.0.1", k->port ? k->port : 3306);
    size_t unknown = 0;
    for (const char *p = all; *p && rc == 0;) {
        size_t len = strcspn(p, ",");
        char *a = len ? strndup(p, len) : NULL;
        unknown += a != NULL && strcmp(a, "AUTO") == 0;
        if (len && a == NULL)
            rc = oom(err);
        else if (a != NULL && (strcmp(a, self) == 0 || strcmp(a, own) == 0 ||
                               strcmp(a, "AUTO") == 0))
            free(a);
        else if (a != NULL && dbc_vec_push_ptr(&v, a) != 0) {
            free(a);
            rc = oom(err);
        }
        p += len + (p[len] == ',');
    }
    mysql_free_result(r);
    /* this node may be one of them: it is read anyway */
    size_t skipped = unknown - (unknown > 0 && strcmp(self, "AUTO") == 0);
    if (rc == 0 && skipped > 0)
        dbc_warn("MySQL: --verify: %zu other node%s of the Galera cluster publish%s no address "
                 "(wsrep_node_incoming_address=AUTO): not read", skipped,
                 skipped == 1 ? "" : "s", skipped == 1 ? "es" : "");
    if (rc != 0) {
        for (size_t i = 0; i < v.n; i++)
            free(((char **)v.p)[i]);
        dbc_vec_free(&v);
        return rc;
    }
    *out = v.p;
    *n = v.n;
    return 0;
}

static size_t my_sink_lane_rows(dbe_sink *k, uint64_t *rows, size_t cap)
{
    for (size_t i = 0; i < k->max_lanes && i < cap; i++)
        rows[i] = k->lane_sent[i];
    return k->into ? 1 : k->max_lanes;
}

const dbe_sink_ops dbe_mysql_sink = {
    .version = DBE_SINK_OPS_VERSION,
    .engine = DBE_MYSQL,
    .open = my_sink_open,
    .prepare = my_sink_prepare,
    .create_table = my_sink_create_table,
    .create_object = my_sink_create_object,
    .data_begin = my_sink_data_begin,
    .row = my_sink_row,
    .data_end = my_sink_data_end,
    .commit = my_sink_commit,
    .abort = my_sink_abort,
    .close = my_sink_close,
    .exec_sql = my_sink_exec_sql,
    .query = my_sink_query,
    .after_commit = my_sink_after_commit,
    .describe = my_sink_describe,
    .peers = my_sink_peers,
    .lane_rows = my_sink_lane_rows,
};
