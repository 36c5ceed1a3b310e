/*
 * my_source.c - MySQL / MariaDB source (libmysqlclient / MariaDB Connector/C).
 *
 * open() connects, starts one REPEATABLE READ snapshot (START TRANSACTION WITH CONSISTENT
 * SNAPSHOT, READ ONLY) and reads the whole schema inside it: information_schema for the
 * portable description, SHOW CREATE ... for the native DDL of every table, view, trigger,
 * routine and event. stream_rows() then reads one table at a time with mysql_use_result
 * (unbuffered: one row in memory at a time), binary-safe through mysql_fetch_lengths().
 * dbdump -j N: N-1 more connections (lanes) start their snapshots with the first one while
 * commits are blocked (open_lanes), and read tables or key ranges of them at the same time.
 *
 * Exactness: FLOAT is selected as CAST(col AS DOUBLE) (the text protocol prints FLOAT with
 * 6 digits; the double conversion is exact and printed in round-trip form), DOUBLE is printed
 * in round-trip form by the server. Text is read converted to utf8mb4 (every MySQL charset
 * maps into Unicode, and the restore converts back into the column's charset); binary
 * strings, BLOBs and BIT come as stored bytes. The session time zone is +00:00, so TIMESTAMP
 * values are UTC; DATETIME is wall-clock text. Zero dates come as the server prints them.
 * The mapping is documented in spec/TYPES.md ("MySQL / MariaDB").
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbc_mem.h"
#include "engine.h"
#include "my_conn.h"

/* How stream_rows turns one text-protocol field into a dbf_value. */
typedef enum my_kind {
    MY_K_INT,    /* signed integer text -> DBF_V_INT */
    MY_K_UINT,   /* unsigned integer text -> DBF_V_UINT */
    MY_K_F32,    /* CAST(f AS DOUBLE) text -> DBF_V_F32 */
    MY_K_F64,    /* double text -> DBF_V_F64 */
    MY_K_STR,    /* bytes as sent -> DBF_V_STR */
    MY_K_BIN,    /* bytes as sent -> DBF_V_BIN */
    MY_K_BIT,    /* BIT(n) bytes -> DBF_V_BIN of ceil(n/8) bytes */
    MY_K_FRAC,   /* DATETIME / TIME: trailing fraction zeros removed -> DBF_V_STR */
    MY_K_FRAC_Z, /* TIMESTAMP: as MY_K_FRAC plus "Z" -> DBF_V_STR */
    MY_K_YEAR,   /* YEAR -> DBF_V_INT */
    MY_K_UUID    /* MariaDB UUID text -> DBF_V_BIN of 16 bytes */
} my_kind;

#define MY_COL_ATTRS 4

typedef struct my_table {
    dbc_vec cols;     /* dbf_column, handed out through dbf_table.columns */
    dbc_vec kinds;    /* my_kind, one per column */
    dbc_vec pk;       /* const char *: primary key column names (arena strings) */
    dbf_kv attrs[8];  /* table attrs */
    bool non_trans;   /* engine is not transactional (warned about) */
    bool elsewhere;   /* MERGE, FEDERATED: its rows are another table's; none dumped */
    bool versioned;   /* MariaDB WITH SYSTEM VERSIONING, timestamp-based: rows read with their
                       * history (FOR SYSTEM_TIME ALL), ROW START/END as ordinary columns */
    bool trx_period;  /* ... transaction-precise (ROW START/END are trx ids): current rows only */
    bool period_cols; /* ... ROW START/END are declared columns (else row_start/row_end added) */
} my_table;

/* A connection that reads rows (dbdump -j: lanes 1..n-1 started their snapshot with lane 0). */
typedef struct my_lane {
    MYSQL *conn;           /* lane 0: the source's own (dbe_source.conn) */
    bool streaming;        /* a use_result is open (close must drain it) */
} my_lane;

struct dbe_source {
    MYSQL *conn;           /* the one connection, in the snapshot transaction */
    my_lane *lanes;        /* nlanes >= 1; lanes[0] stands for conn/streaming */
    unsigned nlanes;
    dbf_arena arena;       /* every schema string */
    char *db;              /* database name (arena) */
    char *server_version;  /* mysql_get_server_info (arena) */
    bool mariadb;          /* server is MariaDB (COLUMN_DEFAULT is SQL text) */
    bool dump;             /* a dump (not a target read back): say what it leaves out */
    dbf_table *tables;     /* tables in dump order, ids 1..n */
    my_table *tinfo;       /* parallel to tables */
    size_t ntables;
    dbc_vec pre;           /* dbf_object: pre-data objects: sequences, what is not carried */
    dbc_vec seqs;          /* char *: the sequences (MariaDB), read by read_sequences */
    dbc_vec post;          /* dbf_object: indexes, constraints, routines, views, triggers... */
    bool streaming;        /* a use_result is open (close must drain it) */
};

/* ---------------------------------------------------------------- helpers */

/* Run a statement that returns no rows on connection c. */
static int conn_exec(MYSQL *c, const char *sql, dbf_error *err)
{
    char sh[DBC_SHORT_MAX];
    if (mysql_real_query(c, sql, (unsigned long)strlen(sql)) != 0)
        return dbf_error_set(err, DBC_EBACKEND, "MySQL: %s (in: %s)", mysql_error(c),
                             dbc_short(sh, sql, strlen(sql)));
    MYSQL_RES *r = mysql_store_result(c);
    if (r != NULL)
        mysql_free_result(r);
    return 0;
}

/* Run a small query and store its whole result (schema queries only). */
static int my_query(dbe_source *s, const dbc_buf *q, MYSQL_RES **out, dbf_error *err)
{
    char sh[DBC_SHORT_MAX];
    *out = NULL;
    if (q->oom)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory building a query");
    if (mysql_real_query(s->conn, q->p, (unsigned long)q->len) != 0)
        return dbf_error_set(err, DBC_EBACKEND, "MySQL: %s (in: %s)", mysql_error(s->conn),
                             dbc_short(sh, q->p, q->len));
    *out = mysql_store_result(s->conn);
    if (*out == NULL)
        return dbf_error_set(err, DBC_EBACKEND, "MySQL: %s (in: %s)",
                             mysql_errno(s->conn) ? mysql_error(s->conn) : "no result set",
                             dbc_short(sh, q->p, q->len));
    return 0;
}

static char *adup(dbe_source *s, const char *v)
{
    return dbf_arena_strdup(&s->arena, v);
}

static int oom(dbf_error *err)
{
    return dbf_error_set(err, DBF_ENOMEM, "out of memory reading the MySQL schema");
}

static dbf_object *objs_add(dbc_vec *o)
{
    dbf_object *x = dbc_vec_push(o, sizeof(*x));
    if (x != NULL) {
        x->engine = "mysql";
        x->section = DBF_SEC_POST;
    }
    return x;
}

/* An object this source does not carry (spec/FORMAT.md 3.9): dbdump fails naming it, or
 * with --skip-unsupported records it. @return 0 or DBF_ENOMEM. */
static int omit(dbe_source *s, const char *kind, const char *name, const char *table,
                const char *why, dbf_error *err)
{
    dbf_object *o = objs_add(&s->pre);
    if (!o)
        return oom(err);
    o->section = DBF_SEC_PRE;
    o->kind = DBF_OBJ_OMITTED;
    o->subtype = adup(s, kind);
    o->name = adup(s, name);
    o->table = table ? adup(s, table) : NULL;
    o->value = why;
    return o->subtype && o->name && (!table || o->table) ? 0 : oom(err);
}

static my_table *find_table(dbe_source *s, const char *name, size_t *hint)
{
    for (size_t k = 0; k < s->ntables; k++) {
        size_t i = (*hint + k) % s->ntables;
        if (strcmp(s->tables[i].name, name) == 0) {
            *hint = i;
            return &s->tinfo[i];
        }
    }
    return NULL;
}

static size_t table_index(dbe_source *s, const my_table *mt)
{
    return (size_t)(mt - s->tinfo);
}

/* Case-insensitive strstr (strcasestr is a GNU extension). */
static const char *ci_find(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; *p != '\0'; p++) {
        if (strncasecmp(p, needle, n) == 0)
            return p;
    }
    return NULL;
}

/* ------------------------------------------------------------ open/close */

static void my_src_close(dbe_source *s)
{
    if (s == NULL)
        return;
    if (s->conn != NULL) {
        /* Ending the read-only snapshot changes nothing; a dead link is fine too. */
        if (!s->streaming)
            mysql_real_query(s->conn, "ROLLBACK", 8);
        mysql_close(s->conn);
    }
    for (unsigned i = 1; i < s->nlanes; i++)
        if (s->lanes[i].conn != NULL) {
            if (!s->lanes[i].streaming)
                mysql_real_query(s->lanes[i].conn, "ROLLBACK", 8);
            mysql_close(s->lanes[i].conn);
        }
    free(s->lanes);
    for (size_t i = 0; s->tinfo != NULL && i < s->ntables; i++) {
        dbc_vec_free(&s->tinfo[i].cols);
        dbc_vec_free(&s->tinfo[i].kinds);
        dbc_vec_free(&s->tinfo[i].pk);
    }
    free(s->tinfo);
    free(s->tables);
    dbc_vec_free(&s->pre);
    dbc_vec_free(&s->seqs);
    dbc_vec_free(&s->post);
    dbf_arena_free(&s->arena);
    free(s);
}

static int read_tables(dbe_source *s, dbf_error *err);
static int read_columns(dbe_source *s, dbf_error *err);
static int read_checks(dbe_source *s, dbf_error *err);
static int read_indexes(dbe_source *s, dbf_error *err);
static int read_create_tables(dbe_source *s, dbf_error *err);
static int read_sequences(dbe_source *s, dbf_error *err);
static int add_srids(dbe_source *s, dbf_error *err);
static int read_foreign_keys(dbe_source *s, dbf_error *err);
static int read_routines(dbe_source *s, dbf_error *err);
static int read_views(dbe_source *s, dbf_error *err);
static int read_triggers(dbe_source *s, dbf_error *err);
static int read_events(dbe_source *s, dbf_error *err);

/* Session: plain SHOW CREATE output (no ANSI_QUOTES etc.), UTC, long net timeouts because
 * a slow consumer (a pipe) may stall mysql_use_result for a while. */
static int session(MYSQL *c, dbf_error *err)
{
    static const char *const setup[] = {
        "SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'",
        "SET SESSION time_zone = '+00:00'",
        "SET SESSION net_read_timeout = 86400",
        "SET SESSION net_write_timeout = 86400",
        "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
    };
    int rc = 0;
    for (size_t i = 0; i < sizeof(setup) / sizeof(setup[0]) && rc == 0; i++)
        rc = conn_exec(c, setup[i], err);
    return rc;
}

/*
 * dbdump -j: N connections in one snapshot, the way mydumper takes it. A connection of its
 * own blocks commits (MariaDB: BACKUP STAGE BLOCK_COMMIT; MySQL: FLUSH TABLES WITH READ
 * LOCK) while each of the N starts its snapshot, then lets them go on: every snapshot sees
 * the same commits. The snapshot transactions are not READ ONLY: MariaDB refuses SHOW
 * CREATE VIEW of a view that calls NEXTVAL in one (nothing here writes; mysqldump's
 * transaction is the same).
 */
static int open_lanes(dbe_source *s, const dbe_target *t, dbf_error *err)
{
    MYSQL *lock = NULL;
    int rc = dbe_my_connect(&lock, t, s->db, false, err);
    for (unsigned i = 1; i < s->nlanes && rc == 0; i++)
        if ((rc = dbe_my_connect(&s->lanes[i].conn, t, s->db, false, err)) == 0)
            rc = session(s->lanes[i].conn, err);
    if (rc != 0) {
        if (lock != NULL)
            mysql_close(lock);
        return rc;
    }
    const char *take = s->mariadb ? "BACKUP STAGE START" : "FLUSH TABLES WITH READ LOCK";
    if ((rc = conn_exec(lock, take, err)) == 0 && s->mariadb)
        rc = conn_exec(lock, "BACKUP STAGE BLOCK_COMMIT", err);
    if (rc != 0) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        rc = dbf_error_set(err, DBC_EBACKEND, "dbdump -j %u needs one snapshot on %u "
                           "connections, taken while commits are blocked, which needs the "
                           "RELOAD privilege (or use -j 1): %s", s->nlanes, s->nlanes, why);
    }
    for (unsigned i = 0; i < s->nlanes && rc == 0; i++)
        rc = conn_exec(i == 0 ? s->conn : s->lanes[i].conn,
                       "START TRANSACTION WITH CONSISTENT SNAPSHOT", err);
    /* the lock ends with its connection in any case */
    if (rc == 0)
        rc = conn_exec(lock, s->mariadb ? "BACKUP STAGE END" : "UNLOCK TABLES", err);
    mysql_close(lock);
    return rc;
}

static int my_src_open(dbe_source **out, const dbe_target *t, const dbe_dump_opts *o,
                       dbf_error *err)
{
    int rc = 0;
    *out = NULL;
    dbe_source *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return oom(err);
    s->dump = o && o->native_ddl;
    if (t->database == NULL || t->database[0] == '\0') {
        rc = dbf_error_set(err, DBC_EUSAGE, "%s: the URL names no database (mysql://host/DB)",
                           t->display != NULL ? t->display : "MySQL source");
        goto done;
    }
    s->db = adup(s, t->database);
    if (s->db == NULL) {
        rc = oom(err);
        goto done;
    }
    s->nlanes = dbe_dump_lanes(o);
    if ((s->lanes = calloc(s->nlanes, sizeof *s->lanes)) == NULL) {
        rc = oom(err);
        goto done;
    }
    rc = dbe_my_connect(&s->conn, t, s->db, false, err);
    if (rc != 0)
        goto done;
    s->server_version = adup(s, mysql_get_server_info(s->conn));
    if (s->server_version == NULL) {
        rc = oom(err);
        goto done;
    }
    s->mariadb = strstr(s->server_version, "MariaDB") != NULL;
    if ((rc = session(s->conn, err)) != 0 ||
        (rc = s->nlanes > 1 ? open_lanes(s, t, err)
                            : conn_exec(s->conn, "START TRANSACTION WITH CONSISTENT SNAPSHOT",
                                        err)) != 0)
        goto done;
    rc = read_tables(s, err);
    if (rc == 0)
        rc = read_columns(s, err);
    if (rc == 0)
        rc = read_checks(s, err);
    if (rc == 0)
        rc = read_indexes(s, err);
    if (rc == 0)
        rc = read_create_tables(s, err);
    if (rc == 0)
        rc = add_srids(s, err);
    if (rc == 0)
        rc = read_sequences(s, err);
    if (rc == 0)
        rc = read_foreign_keys(s, err);
    if (rc == 0)
        rc = read_routines(s, err);
    if (rc == 0)
        rc = read_views(s, err);
    if (rc == 0)
        rc = read_triggers(s, err);
    if (rc == 0)
        rc = read_events(s, err);
    if (rc != 0)
        goto done;
    *out = s;
    s = NULL;
done:
    my_src_close(s);
    return rc;
}

/* ------------------------------------------------------------------ tables */

static int read_tables(dbe_source *s, dbf_error *err)
{
    int rc = 0;
    MYSQL_RES *r = NULL;
    dbc_buf q = {0};
    /* the database's own defaults (MariaDB also keeps a comment): a setting object whose
     * statement gives them to the database it runs in */
    dbc_buf_printf(&q, "SELECT SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME, "
                       "%s FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ",
                   s->mariadb ? "SCHEMA_COMMENT" : "NULL");
    dbe_my_buf_literal(&q, s->conn, s->db, strlen(s->db));
    rc = my_query(s, &q, &r, err);
    if (rc != 0)
        goto done;
    MYSQL_ROW srow = mysql_fetch_row(r);
    if (srow == NULL) {
        rc = dbf_error_set(err, DBC_ECONNECT, "MySQL database '%s' does not exist", s->db);
        goto done;
    }
    if (srow[1] != NULL && srow[2] != NULL) {
        dbc_buf d = {0};
        dbc_buf_printf(&d, "ALTER DATABASE CHARACTER SET %s COLLATE %s", srow[1], srow[2]);
        if (srow[3] != NULL && srow[3][0]) {
            dbc_buf_puts(&d, " COMMENT ");
            dbe_my_buf_literal(&d, s->conn, srow[3], strlen(srow[3]));
        }
        dbf_object *o = objs_add(&s->pre);
        if (o == NULL || d.oom) {
            dbc_buf_free(&d);
            rc = oom(err);
            goto done;
        }
        o->kind = DBF_OBJ_SETTING;
        o->section = DBF_SEC_PRE;
        o->subtype = "database_defaults";
        o->name = "mysql.database_defaults";
        o->value = adup(s, srow[2]);
        o->sql = adup(s, d.p);
        dbc_buf_free(&d);
        if (o->value == NULL || o->sql == NULL) {
            rc = oom(err);
            goto done;
        }
    }
    mysql_free_result(r);
    r = NULL;
    q.len = 0;
    dbc_buf_puts(&q, "SELECT TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_ROWS, TABLE_COLLATION, "
                "TABLE_COMMENT, CREATE_OPTIONS FROM information_schema.TABLES "
                "WHERE TABLE_SCHEMA = ");
    dbe_my_buf_literal(&q, s->conn, s->db, strlen(s->db));
    dbc_buf_puts(&q, " ORDER BY TABLE_NAME");
    rc = my_query(s, &q, &r, err);
    if (rc != 0)
        goto done;
    size_t n = (size_t)mysql_num_rows(r);
    s->tables = calloc(n ? n : 1, sizeof(dbf_table));
    s->tinfo = calloc(n ? n : 1, sizeof(my_table));
    if (s->tables == NULL || s->tinfo == NULL) {
        rc = oom(err);
        goto done;
    }
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(r)) != NULL) {
        const char *type = row[1] ? row[1] : "";
        if (strcmp(type, "VIEW") == 0 || strcmp(type, "SYSTEM VIEW") == 0)
            continue; /* read_views */
        if (strcmp(type, "SEQUENCE") == 0) {
            char *name = adup(s, row[0]);
            if (name == NULL || dbc_vec_push_ptr(&s->seqs, name) != 0) {
                rc = oom(err);
                goto done;
            }
            continue;
        }
        if (strcmp(type, "BASE TABLE") != 0 && strcmp(type, "SYSTEM VERSIONED") != 0) {
            if ((rc = omit(s, type, row[0], NULL, "only base tables, views, routines, "
                           "triggers and events are carried", err)) != 0)
                goto done;
            continue;
        }
        size_t i = s->ntables++;
        dbf_table *t = &s->tables[i];
        my_table *mt = &s->tinfo[i];
        t->id = (uint32_t)(i + 1);
        t->schema = NULL; /* one database per archive; restore picks the target's */
        t->name = adup(s, row[0]);
        t->engine = "mysql";
        t->row_estimate = row[3] ? strtoll(row[3], NULL, 10) : -1;
        t->comment = row[5] && row[5][0] ? adup(s, row[5]) : NULL;
        if (t->name == NULL) {
            rc = oom(err);
            goto done;
        }
        size_t na = 0;
        if (row[2] != NULL) {
            mt->attrs[na].key = "mysql.engine";
            mt->attrs[na++].value = adup(s, row[2]);
            if (strcasecmp(row[2], "MRG_MyISAM") == 0 || strcasecmp(row[2], "FEDERATED") == 0) {
                /* as mysqldump: the definition only; the rows belong to the tables it
                 * reads (dumped as themselves) or to another server, and a restore must
                 * never write through it */
                mt->elsewhere = true;
                mt->attrs[na].key = "mysql.rows_elsewhere";
                mt->attrs[na++].value = "1";
                t->row_estimate = 0;
                if (s->dump)
                        dbc_info("MySQL: table '%s' (%s) keeps no rows of its own: its definition "
                             "only", row[0], row[2]);
            } else if (strcasecmp(row[2], "InnoDB") != 0) {
                mt->non_trans = true;
                if (s->dump)
                    dbc_warn("MySQL: table '%s' uses the %s engine, which is not transactional: "
                         "its rows are not covered by the consistent snapshot", row[0], row[2]);
            }
        }
        if (row[4] != NULL) {
            mt->attrs[na].key = "mysql.collation";
            mt->attrs[na++].value = adup(s, row[4]);
        }
        if (row[6] != NULL && row[6][0] != '\0') {
            mt->attrs[na].key = "mysql.create_options";
            mt->attrs[na++].value = adup(s, row[6]);
        }
        t->attrs = mt->attrs;
        t->nattrs = na;
        mt->versioned = strcmp(type, "SYSTEM VERSIONED") == 0; /* read_columns: which kind */
    }
done:
    if (r != NULL)
        mysql_free_result(r);
    dbc_buf_free(&q);
    return rc;
}

/* Parse the labels of "enum('a','b''c')" / "set(...)" into an arena array. */
static int parse_labels(dbe_source *s, const char *coltype, dbf_column *c)
{
    const char *p = strchr(coltype, '(');
    size_t cap = 0;
    for (const char *q = coltype; *q; q++)
        cap += *q == ',';
    cap += 1;
    const char **labels = dbf_arena_calloc(&s->arena, cap, sizeof(char *));
    char *tmp = dbf_arena_calloc(&s->arena, strlen(coltype) + 1, 1);
    if (labels == NULL || tmp == NULL)
        return DBF_ENOMEM;
    size_t n = 0;
    while (p != NULL && *p != '\0' && *p != ')') {
        p++; /* '(' or ',' */
        if (*p != '\'')
            break;
        p++;
        size_t len = 0;
        while (*p != '\0') {
            if (*p == '\'' && p[1] == '\'') {
                tmp[len++] = '\'';
                p += 2;
            } else if (*p == '\\' && p[1] != '\0') {
                /* the server writes \\ \0 \n \r \Z escapes in COLUMN_TYPE */
                char e = p[1];
                tmp[len++] = e == '0' ? '\0' : e == 'n' ? '\n' : e == 'r' ? '\r'
                           : e == 'Z' ? '\032' : e == 't' ? '\t' : e;
                p += 2;
            } else if (*p == '\'') {
                p++;
                break;
            } else {
                tmp[len++] = *p++;
            }
        }
        if (n < cap) {
            labels[n] = dbf_arena_strndup(&s->arena, tmp, len);
            if (labels[n] == NULL)
                return DBF_ENOMEM;
            n++;
        }
    }
    c->labels = labels;
    c->nlabels = n;
    return 0;
}

/* The portable type of one column from DATA_TYPE / COLUMN_TYPE. */
static void map_type(dbe_source *s, dbf_column *c, my_kind *kind, const char *dt,
                     const char *ct, const char *charlen, const char *numprec,
                     const char *numscale, const char *dtprec)
{
    bool uns = strstr(ct, "unsigned") != NULL;
    *kind = MY_K_STR;
    c->length = -1;
    c->precision = -1;
    c->scale = -1;
    (void)s;
    if (strcmp(dt, "tinyint") == 0 || strcmp(dt, "smallint") == 0 ||
        strcmp(dt, "mediumint") == 0 || strcmp(dt, "int") == 0 || strcmp(dt, "integer") == 0 ||
        strcmp(dt, "bigint") == 0) {
        c->type = DBF_T_INT;
        c->bits = dt[0] == 't' ? 8 : dt[0] == 's' ? 16 : dt[0] == 'm' ? 24 : dt[0] == 'b' ? 64 : 32;
        c->is_unsigned = uns;
        *kind = uns ? MY_K_UINT : MY_K_INT;
    } else if (strcmp(dt, "decimal") == 0 || strcmp(dt, "numeric") == 0) {
        c->type = DBF_T_DECIMAL;
        c->precision = numprec ? atoi(numprec) : -1;
        c->scale = numscale ? atoi(numscale) : -1;
    } else if (strcmp(dt, "float") == 0) {
        c->type = DBF_T_FLOAT32;
        *kind = MY_K_F32;
    } else if (strcmp(dt, "double") == 0 || strcmp(dt, "real") == 0) {
        c->type = DBF_T_FLOAT64;
        *kind = MY_K_F64;
    } else if (strcmp(dt, "bit") == 0) {
        c->type = DBF_T_BIT;
        c->length = numprec ? atoi(numprec) : 1;
        *kind = MY_K_BIT;
    } else if (strcmp(dt, "date") == 0) {
        c->type = DBF_T_DATE;
    } else if (strcmp(dt, "datetime") == 0) {
        c->type = DBF_T_TIMESTAMP;
        c->precision = dtprec ? atoi(dtprec) : 0;
        *kind = MY_K_FRAC;
    } else if (strcmp(dt, "timestamp") == 0) {
        c->type = DBF_T_TIMESTAMPTZ;
        c->precision = dtprec ? atoi(dtprec) : 0;
        *kind = MY_K_FRAC_Z;
    } else if (strcmp(dt, "time") == 0) {
        c->type = DBF_T_TIME;
        c->precision = dtprec ? atoi(dtprec) : 0;
        *kind = MY_K_FRAC;
    } else if (strcmp(dt, "year") == 0) {
        c->type = DBF_T_YEAR;
        *kind = MY_K_YEAR;
    } else if (strcmp(dt, "char") == 0 || strcmp(dt, "varchar") == 0) {
        c->type = DBF_T_TEXT;
        c->length = charlen ? (int32_t)strtol(charlen, NULL, 10) : -1;
    } else if (strcmp(dt, "tinytext") == 0 || strcmp(dt, "text") == 0 ||
               strcmp(dt, "mediumtext") == 0 || strcmp(dt, "longtext") == 0) {
        c->type = DBF_T_TEXT;
    } else if (strcmp(dt, "binary") == 0 || strcmp(dt, "varbinary") == 0) {
        c->type = DBF_T_BYTES;
        c->length = charlen ? (int32_t)strtol(charlen, NULL, 10) : -1;
        *kind = MY_K_BIN;
    } else if (strcmp(dt, "tinyblob") == 0 || strcmp(dt, "blob") == 0 ||
               strcmp(dt, "mediumblob") == 0 || strcmp(dt, "longblob") == 0) {
        c->type = DBF_T_BYTES;
        *kind = MY_K_BIN;
    } else if (strcmp(dt, "enum") == 0) {
        c->type = DBF_T_ENUM;
    } else if (strcmp(dt, "set") == 0) {
        c->type = DBF_T_SET;
    } else if (strcmp(dt, "json") == 0) {
        c->type = DBF_T_JSON;
    } else if (strcmp(dt, "uuid") == 0) {
        c->type = DBF_T_UUID;
        *kind = MY_K_UUID;
    } else if (strcmp(dt, "geometry") == 0 || strcmp(dt, "point") == 0 ||
               strcmp(dt, "linestring") == 0 || strcmp(dt, "polygon") == 0 ||
               strcmp(dt, "multipoint") == 0 || strcmp(dt, "multilinestring") == 0 ||
               strcmp(dt, "multipolygon") == 0 || strcmp(dt, "geometrycollection") == 0 ||
               strcmp(dt, "geomcollection") == 0) {
        /* MySQL's internal geometry value: 4-byte SRID + WKB, as stored. */
        c->type = DBF_T_BYTES;
        *kind = MY_K_BIN;
    } else {
        /* inet4, inet6, vector, ...: the server's text form, type kept in native_type. */
        c->type = DBF_T_NATIVE;
    }
}

/* After its columns: a system-versioned table either carries its history (timestamp-based:
 * ROW START/END become ordinary columns, added as row_start/row_end when the table does not
 * declare them, and every row is read FOR SYSTEM_TIME ALL) or, transaction-precise, its
 * current rows only, recorded as an omission: the transaction ids belong to the source server
 * and MariaDB takes no history rows for them. */
static int versioning(dbe_source *s, dbf_table *t, my_table *mt, dbf_error *err)
{
    if (!mt->versioned)
        return 0;
    if (mt->trx_period) {
        /* the trx id columns are left out: the copy's own ids can never equal them */
        dbf_column *cols = mt->cols.p;
        my_kind *kinds = mt->kinds.p;
        size_t n = 0;
        for (size_t i = 0; i < mt->cols.n; i++) {
            const char *g = cols[i].generated_expr;
            if (g != NULL && (strcasecmp(g, "ROW START") == 0 || strcasecmp(g, "ROW END") == 0))
                continue;
            cols[n] = cols[i];
            kinds[n++] = kinds[i];
        }
        mt->cols.n = mt->kinds.n = n;
        mt->versioned = false;
        return omit(s, "system-versioned history", t->name, t->name, "its history is "
                    "transaction-precise (ROW START/END are transaction ids of the source "
                    "server): only the current rows are carried", err);
    }
    if (mt->period_cols)
        return 0;
    static const char *const names[2] = {"row_start", "row_end"};
    static const char *const periods[2] = {"row start", "row end"};
    for (size_t k = 0; k < 2; k++) {
        my_kind *kind = dbc_vec_push(&mt->kinds, sizeof(*kind));
        dbf_column *c = kind != NULL ? dbc_vec_push(&mt->cols, sizeof(*c)) : NULL;
        dbf_kv *attrs = dbf_arena_calloc(&s->arena, 2, sizeof(dbf_kv));
        if (c == NULL || attrs == NULL)
            return oom(err);
        c->name = names[k];
        c->native_type = "timestamp(6)";
        map_type(s, c, kind, "timestamp", "timestamp(6)", NULL, NULL, NULL, "6");
        c->flags |= DBF_COL_NOT_NULL;
        attrs[0].key = "mysql.system_time";
        attrs[0].value = periods[k];
        attrs[1].key = "mysql.invisible"; /* MariaDB's implicit period columns */
        attrs[1].value = "1";
        c->attrs = attrs;
        c->nattrs = 2;
    }
    return 0;
}

static int read_columns(dbe_source *s, dbf_error *err)
{
    int rc = 0;
    MYSQL_RES *r = NULL;
    dbc_buf q = {0};
    dbc_buf_puts(&q, "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_DEFAULT, IS_NULLABLE, DATA_TYPE, "
                "CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, "
                "DATETIME_PRECISION, CHARACTER_SET_NAME, COLLATION_NAME, COLUMN_TYPE, EXTRA, "
                "COLUMN_COMMENT, GENERATION_EXPRESSION FROM information_schema.COLUMNS "
                "WHERE TABLE_SCHEMA = ");
    dbe_my_buf_literal(&q, s->conn, s->db, strlen(s->db));
    dbc_buf_puts(&q, " ORDER BY TABLE_NAME, ORDINAL_POSITION");
    rc = my_query(s, &q, &r, err);
    if (rc != 0)
        goto done;
    MYSQL_ROW row;
    size_t hint = 0;
    while ((row = mysql_fetch_row(r)) != NULL) {
        my_table *mt = find_table(s, row[0], &hint);
        if (mt == NULL)
            continue; /* a view's columns */
        my_kind *kind = dbc_vec_push(&mt->kinds, sizeof(*kind));
        dbf_column *c = kind != NULL ? dbc_vec_push(&mt->cols, sizeof(*c)) : NULL;
        if (c == NULL) {
            rc = oom(err);
            goto done;
        }
        const char *dt = row[4] ? row[4] : "";
        const char *ct = row[11] ? row[11] : dt;
        const char *extra = row[12] ? row[12] : "";
        c->name = adup(s, row[1]);
        c->native_type = adup(s, ct);
        c->type_name = NULL;
        map_type(s, c, kind, dt, ct, row[5], row[6], row[7], row[8]);
        if (row[3] != NULL && strcmp(row[3], "NO") == 0)
            c->flags |= DBF_COL_NOT_NULL;
        if (row[9] != NULL)
            c->charset = adup(s, row[9]);
        if (row[10] != NULL)
            c->collation = adup(s, row[10]);
        if (row[13] != NULL && row[13][0] != '\0')
            c->comment = adup(s, row[13]);
        if (c->type == DBF_T_ENUM || c->type == DBF_T_SET) {
            if (parse_labels(s, ct, c) != 0) {
                rc = oom(err);
                goto done;
            }
        }
        if (ci_find(extra, "auto_increment") != NULL)
            c->flags |= DBF_COL_IDENTITY;
        bool generated = ci_find(extra, "GENERATED") != NULL ||
                         strcasecmp(extra, "VIRTUAL") == 0 ||
                         strcasecmp(extra, "PERSISTENT") == 0 ||
                         strcasecmp(extra, "STORED") == 0;
        const char *period = NULL; /* "row start" / "row end" of a versioned table */
        if (mt->versioned && row[14] != NULL && (strcasecmp(row[14], "ROW START") == 0 ||
                                                 strcasecmp(row[14], "ROW END") == 0)) {
            if (c->type == DBF_T_INT || c->type == DBF_T_DECIMAL) {
                mt->trx_period = true; /* transaction ids: stays generated, current rows only */
            } else {
                mt->period_cols = true;
                period = strcasecmp(row[14], "ROW START") == 0 ? "row start" : "row end";
                generated = false; /* history rows are loaded with their values */
            }
        }
        if (generated) {
            c->flags |= DBF_COL_GENERATED;
            c->generated_expr = adup(s, row[14] ? row[14] : "");
        }
        /* Defaults: MariaDB (10.2.7+) gives SQL text ('abc', 1, current_timestamp(), NULL);
         * MySQL gives the bare literal, or the expression when EXTRA says
         * DEFAULT_GENERATED. default_expr is always SQL text. */
        if (row[2] != NULL && !generated) {
            if (s->mariadb) {
                if (strcmp(row[2], "NULL") != 0)
                    c->default_expr = adup(s, row[2]);
            } else if (ci_find(extra, "DEFAULT_GENERATED") != NULL ||
                       strncasecmp(row[2], "CURRENT_TIMESTAMP", 17) == 0 ||
                       c->type == DBF_T_INT || c->type == DBF_T_DECIMAL ||
                       c->type == DBF_T_FLOAT32 || c->type == DBF_T_FLOAT64 ||
                       c->type == DBF_T_YEAR) {
                c->default_expr = adup(s, row[2]);
            } else {
                dbc_buf d = {0};
                dbe_my_buf_literal(&d, s->conn, row[2], strlen(row[2]));
                c->default_expr = d.oom ? NULL : adup(s, d.p);
                dbc_buf_free(&d);
            }
        }
        dbf_kv *attrs = dbf_arena_calloc(&s->arena, MY_COL_ATTRS, sizeof(dbf_kv));
        if (attrs == NULL || c->name == NULL || c->native_type == NULL) {
            rc = oom(err);
            goto done;
        }
        size_t na = 0;
        const char *upd = ci_find(extra, "on update ");
        if (upd != NULL) {
            attrs[na].key = "mysql.on_update";
            attrs[na++].value = adup(s, upd + 10);
        }
        if (ci_find(extra, "INVISIBLE") != NULL) {
            attrs[na].key = "mysql.invisible";
            attrs[na++].value = "1";
        }
        if (extra[0] != '\0') {
            attrs[na].key = "mysql.extra";
            attrs[na++].value = adup(s, extra);
        }
        if (period != NULL) {
            attrs[na].key = "mysql.system_time";
            attrs[na++].value = period;
        }
        c->attrs = attrs;
        c->nattrs = na;
    }
    for (size_t i = 0; i < s->ntables; i++) {
        if ((rc = versioning(s, &s->tables[i], &s->tinfo[i], err)) != 0)
            goto done;
    }
    for (size_t i = 0; i < s->ntables; i++) {
        s->tables[i].columns = s->tinfo[i].cols.p;
        s->tables[i].ncolumns = s->tinfo[i].cols.n;
        if (s->tinfo[i].cols.n == 0) {
            rc = dbf_error_set(err, DBC_EBACKEND, "MySQL: table '%s' has no readable columns",
                               s->tables[i].name);
            goto done;
        }
    }
done:
    if (r != NULL)
        mysql_free_result(r);
    dbc_buf_free(&q);
    return rc;
}

/* CHECK constraints (MariaDB 10.2+, MySQL 8.0.16+). MariaDB's JSON columns are LONGTEXT
 * with a column check json_valid(`col`): those columns become json. */
static int read_checks(dbe_source *s, dbf_error *err)
{
    int rc = 0;
    MYSQL_RES *r = NULL;
    dbc_buf q = {0};
    if (s->mariadb) {
        /* MariaDB: names are per table, and the view has TABLE_NAME */
        dbc_buf_puts(&q, "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE "
                    "FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ");
        dbe_my_buf_literal(&q, s->conn, s->db, strlen(s->db));
        dbc_buf_puts(&q, " ORDER BY TABLE_NAME, CONSTRAINT_NAME");
    } else {
        /* MySQL 8.0.16+: names are per schema, the table is in TABLE_CONSTRAINTS */
        dbc_buf_puts(&q, "SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE "
                    "FROM information_schema.CHECK_CONSTRAINTS cc "
                    "JOIN information_schema.TABLE_CONSTRAINTS tc "
                    "ON tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME "
                    "AND tc.CONSTRAINT_TYPE = 'CHECK' WHERE cc.CONSTRAINT_SCHEMA = ");
        dbe_my_buf_literal(&q, s->conn, s->db, strlen(s->db));
        dbc_buf_puts(&q, " AND tc.CONSTRAINT_SCHEMA = "); /* as read_foreign_keys says */
        dbe_my_buf_literal(&q, s->conn, s->db, strlen(s->db));
        dbc_buf_puts(&q, " ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME");
    }
    if (mysql_real_query(s->conn, q.p, (unsigned long)q.len) != 0) {
        /* ER_UNKNOWN_TABLE / ER_BAD_FIELD_ERROR: a server without CHECK constraints */
        if (mysql_errno(s->conn) == 1109 || mysql_errno(s->conn) == 1054)
            goto done;
        rc = dbf_error_set(err, DBC_EBACKEND, "MySQL: %s (reading CHECK constraints)",
                           mysql_error(s->conn));
        goto done;
    }
    r = mysql_store_result(s->conn);
    if (r == NULL) {
        rc = dbf_error_set(err, DBC_EBACKEND, "MySQL: %s", mysql_error(s->conn));
        goto done;
    }
    MYSQL_ROW row;
    size_t hint = 0;
    while ((row = mysql_fetch_row(r)) != NULL) {
        if (row[0] == NULL || row[1] == NULL || row[2] == NULL)
            continue;
        my_table *mt = find_table(s, row[0], &hint);
        if (mt == NULL)
            continue;
        bool json = false;
        for (size_t i = 0; i < mt->cols.n; i++) {
            dbf_column *c = (dbf_column *)mt->cols.p + i;
            if (c->type != DBF_T_TEXT || strcmp(c->name, row[1]) != 0)
                continue;
            dbc_buf want = {0};
            dbc_buf_puts(&want, "json_valid(");
            dbc_buf_ident(&want, c->name, '`');
            dbc_buf_puts(&want, ")");
            if (!want.oom && strcmp(want.p, row[2]) == 0) {
                c->type = DBF_T_JSON;
                json = true;
            }
            dbc_buf_free(&want);
        }
        dbf_object *o = objs_add(&s->post);
        if (o == NULL) {
            rc = oom(err);
            goto done;
        }
        o->kind = DBF_OBJ_CONSTRAINT;
        o->subtype = "check";
        o->name = adup(s, row[1]);
        o->table = s->tables[table_index(s, mt)].name;
        o->expr = adup(s, row[2]);
        dbc_buf sql = {0};
        dbc_buf_puts(&sql, "ALTER TABLE ");
        dbc_buf_ident(&sql, o->table, '`');
        dbc_buf_puts(&sql, " ADD CONSTRAINT ");
        dbc_buf_ident(&sql, row[1], '`');
        dbc_buf_puts(&sql, " CHECK (");
        dbc_buf_puts(&sql, row[2]);
        dbc_buf_puts(&sql, ")");
        o->sql = sql.oom ? NULL : adup(s, sql.p);
        dbc_buf_free(&sql);
        dbf_kv *a = dbf_arena_calloc(&s->arena, 2, sizeof(dbf_kv));
        if (o->name == NULL || o->expr == NULL || o->sql == NULL || a == NULL) {
            rc = oom(err);
            goto done;
        }
        a[0].key = "mysql.in_native_sql";
        a[0].value = "1";
        size_t na = 1;
        if (json) {
            a[na].key = "mysql.json_column";
            a[na++].value = o->name;
        }
        o->attrs = a;
        o->nattrs = na;
    }
done:
    if (r != NULL)
        mysql_free_result(r);
    dbc_buf_free(&q);
    return rc;
}

static bool has_column(const my_table *mt, const char *name)
{
    const dbf_column *cols = mt->cols.p;
    for (size_t i = 0; i < mt->cols.n; i++)
        if (strcmp(cols[i].name, name) == 0)
            return true;
    return false;
}

/* Is the table system-versioned with MariaDB's implicit row_start/row_end? Its unique keys
 * (information_schema shows them without it) hold row_end too. */
static bool implicit_period(const my_table *mt)
{
    return mt->versioned && !mt->period_cols;
}

/* Primary keys and the other indexes (UNIQUE, plain, prefix, FULLTEXT, SPATIAL). */
static int read_indexes(dbe_source *s, dbf_error *err)
{
    int rc = 0;
    MYSQL_RES *r = NULL;
    dbc_buf q = {0};
    dbc_buf sql = {0};
    dbc_buf_puts(&q, "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, INDEX_TYPE "
                "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ");
    dbe_my_buf_literal(&q, s->conn, s->db, strlen(s->db));
    dbc_buf_puts(&q, " ORDER BY TABLE_NAME, INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX");
    rc = my_query(s, &q, &r, err);
    if (rc != 0)
        goto done;
    size_t nrows = (size_t)mysql_num_rows(r);
    MYSQL_ROW row;
    size_t hint = 0;
    dbf_object *cur = NULL; /* index being built */
    const my_table *cur_mt = NULL; /* ... its table */
    const char **cols = NULL;
    size_t ncols = 0;
    for (size_t k = 0; k <= nrows; k++) {
        row = k < nrows ? mysql_fetch_row(r) : NULL;
        bool same = row != NULL && cur != NULL && row[0] && row[1] &&
                    strcmp(cur->table, row[0]) == 0 && strcmp(cur->name, row[1]) == 0;
        if (cur != NULL && !same) {
            if (cur->unique && implicit_period(cur_mt) && ncols < 64) {
                cols[ncols++] = "row_end"; /* as MariaDB keeps it: one row per period */
                dbc_buf_puts(&sql, ", `row_end`");
            }
            dbc_buf_puts(&sql, ")");
            cur->sql = sql.oom ? NULL : adup(s, sql.p);
            cur->columns = cols;
            cur->ncolumns = ncols;
            if (cur->sql == NULL) {
                rc = oom(err);
                goto done;
            }
            cur = NULL;
        }
        if (row == NULL)
            break;
        if (row[0] == NULL || row[1] == NULL || row[3] == NULL)
            continue; /* expression index part (MySQL 8): kept in native_sql only */
        my_table *mt = find_table(s, row[0], &hint);
        if (mt == NULL || (mt->trx_period && !has_column(mt, row[3])))
            continue; /* a transaction-precise period's column, left out of the table */
        const char *tname = s->tables[table_index(s, mt)].name;
        char *col = adup(s, row[3]);
        if (col == NULL) {
            rc = oom(err);
            goto done;
        }
        if (strcmp(row[1], "PRIMARY") == 0) {
            const char **pk = dbc_vec_push(&mt->pk, sizeof(*pk));
            if (pk == NULL) {
                rc = oom(err);
                goto done;
            }
            *pk = col;
            continue;
        }
        if (cur == NULL) {
            cur = objs_add(&s->post);
            cols = dbf_arena_calloc(&s->arena, 64, sizeof(char *));
            if (cur == NULL || cols == NULL) {
                rc = oom(err);
                goto done;
            }
            ncols = 0;
            cur_mt = mt;
            cur->kind = DBF_OBJ_INDEX;
            cur->name = adup(s, row[1]);
            cur->table = tname;
            cur->unique = row[2] != NULL && strcmp(row[2], "0") == 0;
            const char *itype = row[5] ? row[5] : "BTREE";
            dbf_kv *a = dbf_arena_calloc(&s->arena, 2, sizeof(dbf_kv));
            if (cur->name == NULL || a == NULL) {
                rc = oom(err);
                goto done;
            }
            a[0].key = "mysql.in_native_sql";
            a[0].value = "1";
            a[1].key = "mysql.index_type";
            a[1].value = adup(s, itype);
            cur->attrs = a;
            cur->nattrs = 2;
            sql.len = 0;
            dbc_buf_puts(&sql, "ALTER TABLE ");
            dbc_buf_ident(&sql, tname, '`');
            dbc_buf_puts(&sql, cur->unique ? " ADD UNIQUE INDEX "
                          : strcmp(itype, "FULLTEXT") == 0 ? " ADD FULLTEXT INDEX "
                          : strcmp(itype, "SPATIAL") == 0 ? " ADD SPATIAL INDEX "
                                                          : " ADD INDEX ");
            dbc_buf_ident(&sql, row[1], '`');
            dbc_buf_puts(&sql, " (");
        } else {
            dbc_buf_puts(&sql, ", ");
        }
        dbc_buf_ident(&sql, row[3], '`');
        if (row[4] != NULL) {
            dbc_buf_puts(&sql, "(");
            dbc_buf_puts(&sql, row[4]);
            dbc_buf_puts(&sql, ")");
        }
        if (ncols < 64)
            cols[ncols++] = col;
    }
    for (size_t i = 0; i < s->ntables; i++) {
        if (s->tinfo[i].pk.n > 0 && implicit_period(&s->tinfo[i]) &&
            dbc_vec_push_ptr(&s->tinfo[i].pk, "row_end") != 0) {
            rc = oom(err);
            goto done;
        }
        s->tables[i].primary_key = s->tinfo[i].pk.p;
        s->tables[i].nprimary_key = s->tinfo[i].pk.n;
    }
done:
    if (r != NULL)
        mysql_free_result(r);
    dbc_buf_free(&q);
    dbc_buf_free(&sql);
    return rc;
}

/* Value of "KEY=value" in a CREATE TABLE's table options: the line that starts with ") "
 * after the column list (a comment or the partitioning clause may hold ')' too). */
static char *table_option(dbe_source *s, const char *create, const char *key)
{
    const char *opts = strstr(create, "\n) ");
    if (opts == NULL)
        return NULL;
    const char *eol = strchr(opts + 1, '\n');
    size_t n = strlen(key);
    for (const char *p = opts; (p = strstr(p, key)) != NULL && (eol == NULL || p < eol); p += n) {
        if ((p[-1] == ' ') && p[n] == '=') {
            const char *v = p + n + 1;
            size_t len = strcspn(v, " \n");
            return dbf_arena_strndup(&s->arena, v, len);
        }
    }
    return NULL;
}

/*
 * MariaDB prints a sequence call in a column default with the database's name,
 * nextval(`db`.`s`): the name of the source, not of the copy. Calls of a sequence of this
 * database lose the qualifier, so that they name the copy's (the table's own database).
 */
static void unqualify_sequences(dbe_source *s, char *sql)
{
    dbc_buf qual = {0};
    dbc_buf_ident(&qual, s->db, '`');
    dbc_buf_putc(&qual, '.');
    static const char *const fns[] = {"nextval(", "lastval(", "setval("};
    for (size_t f = 0; f < 3 && !qual.oom; f++) {
        size_t fl = strlen(fns[f]);
        for (char *p = sql; (p = strstr(p, fns[f])) != NULL;) {
            p += fl;
            if (strncmp(p, qual.p, qual.len) == 0)
                memmove(p, p + qual.len, strlen(p + qual.len) + 1);
        }
    }
    dbc_buf_free(&qual);
}

/* MariaDB sequences: the definition (SHOW CREATE SEQUENCE) before the tables whose defaults
 * call it, the state after the rows: SETVAL to the next value not cached, as mysqldump
 * does (values the source server had cached are lost as on its own restart). */
static int read_sequences(dbe_source *s, dbf_error *err)
{
    int rc = 0;
    MYSQL_RES *r = NULL;
    dbc_buf q = {0};
    for (size_t i = 0; i < s->seqs.n && !rc; i++) {
        const char *name = ((char **)s->seqs.p)[i];
        for (int step = 0; step < 2 && !rc; step++) {
            q.len = 0;
            dbc_buf_puts(&q, step ? "SELECT next_not_cached_value, cycle_count FROM "
                                  : "SHOW CREATE SEQUENCE ");
            dbc_buf_ident(&q, s->db, '`');
            dbc_buf_putc(&q, '.');
            dbc_buf_ident(&q, name, '`');
            if ((rc = my_query(s, &q, &r, err)) != 0)
                break;
            MYSQL_ROW row = mysql_fetch_row(r);
            if (row == NULL || row[1] == NULL) {
                rc = dbf_error_set(err, DBC_EBACKEND, "MySQL: sequence '%s' could not be read",
                                   name);
                break;
            }
            dbf_object *o = objs_add(step ? &s->post : &s->pre);
            if (o == NULL) {
                rc = oom(err);
                break;
            }
            o->kind = DBF_OBJ_SEQUENCE;
            o->section = step ? DBF_SEC_POST : DBF_SEC_PRE;
            o->subtype = step ? "value" : "definition";
            o->name = name;
            if (step == 0) {
                o->sql = adup(s, row[1]);
            } else {
                o->value = adup(s, row[0]);
                q.len = 0;
                dbc_buf_puts(&q, "SELECT SETVAL(");
                dbc_buf_ident(&q, name, '`');
                dbc_buf_printf(&q, ", %s, 0, %s)", row[0], row[1]);
                o->sql = q.oom ? NULL : adup(s, q.p);
            }
            if (o->sql == NULL || (step && o->value == NULL))
                rc = oom(err);
            mysql_free_result(r);
            r = NULL;
        }
    }
    if (r != NULL)
        mysql_free_result(r);
    dbc_buf_free(&q);
    return rc;
}

/*
 * MariaDB: the SRIDs of geometry columns (REF_SYSTEM_ID), which SHOW CREATE TABLE does not
 * print (mysqldump loses them), from information_schema.GEOMETRY_COLUMNS, written into each
 * table's CREATE TABLE text after the column's type.
 */
static int add_srids(dbe_source *s, dbf_error *err)
{
    if (!s->mariadb)
        return 0; /* MySQL prints SRID n in SHOW CREATE TABLE itself */
    MYSQL_RES *r = NULL;
    dbc_buf q = {0}, t2 = {0};
    /* F_TABLE_SCHEMA (the same as G_TABLE_SCHEMA in MariaDB): the server then reads this
     * database only, not every one (see read_foreign_keys) */
    dbc_buf_puts(&q, "SELECT G_TABLE_NAME, G_GEOMETRY_COLUMN, SRID FROM "
                     "information_schema.GEOMETRY_COLUMNS WHERE SRID <> 0 AND F_TABLE_SCHEMA = ");
    dbe_my_buf_literal(&q, s->conn, s->db, strlen(s->db));
    int rc = my_query(s, &q, &r, err);
    MYSQL_ROW row;
    while (rc == 0 && (row = mysql_fetch_row(r)) != NULL) {
        dbf_table *t = NULL;
        for (size_t i = 0; i < s->ntables && !t; i++)
            if (row[0] && row[1] && row[2] && strcmp(s->tables[i].name, row[0]) == 0)
                t = &s->tables[i];
        if (!t || !t->native_sql)
            continue;
        q.len = 0; /* the column's line: "\n  `col` type..." */
        dbc_buf_puts(&q, "\n  ");
        dbc_buf_ident(&q, row[1], '`');
        dbc_buf_putc(&q, ' ');
        const char *at = q.oom ? NULL : strstr(t->native_sql, q.p);
        if (!at)
            continue;
        size_t type_end = (size_t)(at - t->native_sql) + q.len;
        type_end += strcspn(t->native_sql + type_end, " ,\n");
        t2.len = 0;
        dbc_buf_add(&t2, t->native_sql, type_end);
        dbc_buf_printf(&t2, " REF_SYSTEM_ID=%s", row[2]);
        dbc_buf_puts(&t2, t->native_sql + type_end);
        if (t2.oom || !(t->native_sql = adup(s, t2.p)))
            rc = oom(err);
    }
    if (r != NULL)
        mysql_free_result(r);
    dbc_buf_free(&q);
    dbc_buf_free(&t2);
    return rc;
}

/* Take " KEY=<digits>" out of a CREATE TABLE's table options (past the column list's
 * closing line: a comment or a default may hold the same text). */
static void drop_option(char *create, const char *key)
{
    char *opts = NULL;
    for (char *p = strstr(create, "\n)"); p; p = strstr(p + 1, "\n)"))
        opts = p;
    char *at = opts ? strstr(opts, key) : NULL;
    if (at) {
        size_t len = strlen(key) + strspn(at + strlen(key), "0123456789");
        memmove(at, at + len, strlen(at + len) + 1);
    }
}

/* A clause of a table's CREATE TABLE as an object of its own: "ALTER TABLE t <clause>". */
static int table_clause(dbe_source *s, const dbf_table *t, const char *what, const char *clause,
                        dbf_error *err)
{
    dbf_object *o = objs_add(&s->post);
    dbf_kv *a = dbf_arena_calloc(&s->arena, 1, sizeof(dbf_kv));
    if (o == NULL || a == NULL)
        return oom(err);
    o->kind = DBF_OBJ_NATIVE;
    o->subtype = what;
    o->name = t->name;
    o->table = t->name;
    dbc_buf sql = {0};
    dbc_buf_puts(&sql, "ALTER TABLE ");
    dbc_buf_ident(&sql, t->name, '`');
    dbc_buf_puts(&sql, " ");
    dbc_buf_puts(&sql, clause);
    /* MySQL wraps partitioning as a versioned comment: drop the closing marker */
    if (!sql.oom && sql.len >= 3 && strcmp(sql.p + sql.len - 3, " */") == 0)
        sql.p[sql.len -= 3] = '\0';
    o->sql = sql.oom ? NULL : adup(s, sql.p);
    dbc_buf_free(&sql);
    a[0].key = "mysql.in_native_sql";
    a[0].value = "1";
    o->attrs = a;
    o->nattrs = 1;
    return o->sql != NULL ? 0 : oom(err);
}

static int read_create_tables(dbe_source *s, dbf_error *err)
{
    int rc = 0;
    MYSQL_RES *r = NULL;
    dbc_buf q = {0};
    for (size_t i = 0; i < s->ntables; i++) {
        dbf_table *t = &s->tables[i];
        my_table *mt = &s->tinfo[i];
        q.len = 0;
        dbc_buf_puts(&q, "SHOW CREATE TABLE ");
        dbc_buf_ident(&q, s->db, '`');
        dbc_buf_puts(&q, ".");
        dbc_buf_ident(&q, t->name, '`');
        rc = my_query(s, &q, &r, err);
        if (rc != 0)
            goto done;
        MYSQL_ROW row = mysql_fetch_row(r);
        if (row == NULL || row[1] == NULL) {
            rc = dbf_error_set(err, DBC_EBACKEND, "MySQL: SHOW CREATE TABLE '%s' gave nothing",
                               t->name);
            goto done;
        }
        t->native_sql = adup(s, row[1]);
        if (t->native_sql == NULL) {
            rc = oom(err);
            goto done;
        }
        unqualify_sequences(s, (char *)t->native_sql);
        mysql_free_result(r);
        r = NULL;
        /* AUTO_INCREMENT from SHOW CREATE TABLE (information_schema may be cached stale). */
        char *ai = table_option(s, t->native_sql, "AUTO_INCREMENT");
        if (ai != NULL) {
            mt->attrs[t->nattrs].key = "mysql.auto_increment";
            mt->attrs[t->nattrs++].value = ai;
        }
        const char *engine = dbc_table_attr(t, "mysql.engine");
        if (engine && strcasecmp(engine, "ARCHIVE") == 0) {
            /* ARCHIVE takes explicit ids only above its counter: the table is made without
             * the source's AUTO_INCREMENT=N (kept as attr mysql.auto_increment; the sink
             * says when the rows leave the counter elsewhere: it cannot be set after them) */
            drop_option((char *)t->native_sql, " AUTO_INCREMENT=");
        }
        const char *copts = dbc_table_attr(t, "mysql.create_options");
        if (engine && strcasecmp(engine, "Aria") == 0 &&
            (copts == NULL || ci_find(copts, "page_checksum") == NULL)) {
            /* SHOW CREATE prints Aria's PAGE_CHECKSUM=1 when it is the server's default,
             * not set by the table: kept that way (the copy's CREATE_OPTIONS as the source's) */
            drop_option((char *)t->native_sql, " PAGE_CHECKSUM=");
        }
        char *cs = table_option(s, t->native_sql, "CHARSET");
        if (cs != NULL) {
            mt->attrs[t->nattrs].key = "mysql.charset";
            mt->attrs[t->nattrs++].value = cs;
        }
        /* Partitioning and system versioning travel in native_sql; also as objects so that
         * a sink that does not use native_sql can name them when it skips them. */
        const char *part = strstr(t->native_sql, "PARTITION BY");
        if (part != NULL && (rc = table_clause(s, t, "partitioning", part, err)) != 0)
            goto done;
        if (mt->versioned &&
            (rc = table_clause(s, t, "system versioning", "ADD SYSTEM VERSIONING", err)) != 0)
            goto done;
        /* MariaDB application-time periods: "  PERIOD FOR `p` (`s`, `e`)," lines */
        for (const char *p = strstr(t->native_sql, "\n  PERIOD FOR `"); p != NULL;
             p = strstr(p + 1, "\n  PERIOD FOR `")) {
            size_t len = strcspn(p + 3, "\n");
            if (len > 0 && p[3 + len - 1] == ',')
                len--;
            char *clause = dbf_arena_calloc(&s->arena, len + 5, 1);
            if (clause == NULL) {
                rc = oom(err);
                goto done;
            }
            memcpy(clause, "ADD ", 4);
            memcpy(clause + 4, p + 3, len);
            if ((rc = table_clause(s, t, "application-time period", clause, err)) != 0)
                goto done;
        }
    }
done:
    if (r != NULL)
        mysql_free_result(r);
    dbc_buf_free(&q);
    return rc;
}

static int read_foreign_keys(dbe_source *s, dbf_error *err)
{
    int rc = 0;
    MYSQL_RES *r = NULL;
    dbc_buf q = {0};
    dbc_buf sql = {0};
    dbc_buf refs = {0};
    dbc_buf_puts(&q, "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, "
                "k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, "
                "c.DELETE_RULE, c.UPDATE_RULE "
                "FROM information_schema.KEY_COLUMN_USAGE k "
                "JOIN information_schema.REFERENTIAL_CONSTRAINTS c "
                "ON c.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND c.TABLE_NAME = k.TABLE_NAME "
                "WHERE k.TABLE_SCHEMA = ");
    dbe_my_buf_literal(&q, s->conn, s->db, strlen(s->db));
    /* each information_schema table restricted by its own constant, and no join on the
     * schema columns: only then does the server open this database alone for both (EXPLAIN:
     * "Scanned 1 database"); scanning every database failed a dump when another database
     * went away meanwhile ("Unknown database") */
    dbc_buf_puts(&q, " AND k.CONSTRAINT_SCHEMA = ");
    dbe_my_buf_literal(&q, s->conn, s->db, strlen(s->db));
    dbc_buf_puts(&q, " AND c.CONSTRAINT_SCHEMA = ");
    dbe_my_buf_literal(&q, s->conn, s->db, strlen(s->db));
    dbc_buf_puts(&q, " AND k.REFERENCED_TABLE_NAME IS NOT NULL "
                "ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION");
    rc = my_query(s, &q, &r, err);
    if (rc != 0)
        goto done;
    size_t nrows = (size_t)mysql_num_rows(r);
    dbf_object *cur = NULL;
    const char **cols = NULL, **rcols = NULL;
    size_t ncols = 0;
    for (size_t k = 0; k <= nrows; k++) {
        MYSQL_ROW row = k < nrows ? mysql_fetch_row(r) : NULL;
        bool same = row != NULL && cur != NULL && strcmp(cur->table, row[0]) == 0 &&
                    strcmp(cur->name, row[1]) == 0;
        if (cur != NULL && !same) {
            dbc_buf_puts(&sql, ") REFERENCES ");
            if (cur->ref_schema != NULL && strcmp(cur->ref_schema, s->db) != 0) {
                dbc_buf_ident(&sql, cur->ref_schema, '`');
                dbc_buf_puts(&sql, ".");
            }
            dbc_buf_ident(&sql, cur->ref_table, '`');
            dbc_buf_puts(&sql, " (");
            dbc_buf_puts(&sql, refs.p ? refs.p : "");
            dbc_buf_puts(&sql, ") ON DELETE ");
            dbc_buf_puts(&sql, cur->on_delete);
            dbc_buf_puts(&sql, " ON UPDATE ");
            dbc_buf_puts(&sql, cur->on_update);
            cur->sql = sql.oom || refs.oom ? NULL : adup(s, sql.p);
            cur->columns = cols;
            cur->ncolumns = ncols;
            cur->ref_columns = rcols;
            cur->nref_columns = ncols;
            if (cur->sql == NULL) {
                rc = oom(err);
                goto done;
            }
            cur = NULL;
        }
        if (row == NULL)
            break;
        if (cur == NULL) {
            cur = objs_add(&s->post);
            cols = dbf_arena_calloc(&s->arena, 64, sizeof(char *));
            rcols = dbf_arena_calloc(&s->arena, 64, sizeof(char *));
            dbf_kv *a = dbf_arena_calloc(&s->arena, 1, sizeof(dbf_kv));
            if (cur == NULL || cols == NULL || rcols == NULL || a == NULL) {
                rc = oom(err);
                goto done;
            }
            a[0].key = "mysql.in_native_sql";
            a[0].value = "1";
            cur->attrs = a;
            cur->nattrs = 1;
            ncols = 0;
            cur->kind = DBF_OBJ_CONSTRAINT;
            cur->subtype = "foreign_key";
            cur->name = adup(s, row[1]);
            cur->table = adup(s, row[0]);
            cur->ref_schema = strcmp(row[3], s->db) == 0 ? NULL : adup(s, row[3]);
            cur->ref_table = adup(s, row[4]);
            cur->on_delete = adup(s, row[6] ? row[6] : "RESTRICT");
            cur->on_update = adup(s, row[7] ? row[7] : "RESTRICT");
            sql.len = 0;
            refs.len = 0;
            dbc_buf_puts(&sql, "ALTER TABLE ");
            dbc_buf_ident(&sql, row[0], '`');
            dbc_buf_puts(&sql, " ADD CONSTRAINT ");
            dbc_buf_ident(&sql, row[1], '`');
            dbc_buf_puts(&sql, " FOREIGN KEY (");
        } else {
            dbc_buf_puts(&sql, ", ");
            dbc_buf_puts(&refs, ", ");
        }
        dbc_buf_ident(&sql, row[2], '`');
        dbc_buf_ident(&refs, row[5] ? row[5] : "", '`');
        if (ncols < 64) {
            cols[ncols] = adup(s, row[2]);
            rcols[ncols] = adup(s, row[5] ? row[5] : "");
            ncols++;
        }
    }
done:
    if (r != NULL)
        mysql_free_result(r);
    dbc_buf_free(&q);
    dbc_buf_free(&sql);
    dbc_buf_free(&refs);
    return rc;
}

/*
 * One SHOW CREATE {VIEW|TRIGGER|PROCEDURE|FUNCTION|EVENT} into an object: the statement,
 * plus the session settings it was created under (sql_mode, client charset, collation,
 * and an event's time zone) as attrs, so a restore can replay it exactly like mysqldump.
 */
static int show_create(dbe_source *s, dbf_object *o, const char *what, const char *name,
                       dbf_error *err)
{
    int rc = 0;
    MYSQL_RES *r = NULL;
    dbc_buf q = {0};
    dbc_buf_puts(&q, "SHOW CREATE ");
    dbc_buf_puts(&q, what);
    dbc_buf_puts(&q, " ");
    dbc_buf_ident(&q, s->db, '`');
    dbc_buf_puts(&q, ".");
    dbc_buf_ident(&q, name, '`');
    rc = my_query(s, &q, &r, err);
    if (rc != 0)
        goto done;
    MYSQL_ROW row = mysql_fetch_row(r);
    unsigned nf = mysql_num_fields(r);
    MYSQL_FIELD *f = mysql_fetch_fields(r);
    if (row == NULL) {
        rc = dbf_error_set(err, DBC_EBACKEND, "MySQL: SHOW CREATE %s '%s' gave nothing", what,
                           name);
        goto done;
    }
    /* the session settings kept as attrs: SHOW CREATE column, attr key */
    static const struct {
        const char *field;
        const char *key;
    } settings[] = {
        {"sql_mode", "mysql.sql_mode"},
        {"character_set_client", "mysql.character_set_client"},
        {"collation_connection", "mysql.collation_connection"},
        {"time_zone", "mysql.time_zone"},
        {"Database Collation", "mysql.db_collation"}, /* triggers, routines, events */
    };
    dbf_kv *a = dbf_arena_calloc(&s->arena, 5, sizeof(dbf_kv));
    if (a == NULL) {
        rc = oom(err);
        goto done;
    }
    size_t na = 0;
    for (unsigned i = 0; i < nf; i++) {
        const char *fn = f[i].name;
        if (strncmp(fn, "Create ", 7) == 0 || strcmp(fn, "SQL Original Statement") == 0) {
            if (row[i] == NULL) {
                rc = dbf_error_set(err, DBC_EBACKEND,
                                   "MySQL: no definition of %s '%s' (missing privilege?)", what,
                                   name);
                goto done;
            }
            o->sql = adup(s, row[i]);
            if (o->sql == NULL) {
                rc = oom(err);
                goto done;
            }
            if (strcmp(what, "VIEW") == 0) /* the server prints a view's text itself */
                unqualify_sequences(s, (char *)o->sql);
        } else if (row[i] != NULL) {
            for (size_t j = 0; j < sizeof(settings) / sizeof(settings[0]); j++) {
                if (strcmp(fn, settings[j].field) == 0) {
                    a[na].key = settings[j].key;
                    a[na++].value = adup(s, row[i]);
                    break;
                }
            }
        }
    }
    if (o->sql == NULL) {
        rc = dbf_error_set(err, DBC_EBACKEND, "MySQL: SHOW CREATE %s '%s': no statement", what,
                           name);
        goto done;
    }
    o->attrs = a;
    o->nattrs = na;
done:
    if (r != NULL)
        mysql_free_result(r);
    dbc_buf_free(&q);
    return rc;
}

/* Objects named by a query of (name[, subtype[, table]]), each read with SHOW CREATE. */
/* A routine's or event's COMMENT as its sql_mode reads it (dbe_my_nbe_comment). */
static int nbe_comment(dbe_source *s, dbf_object *o, const char *comment)
{
    dbc_buf b = {0};
    int r = dbe_my_nbe_comment(&b, o->sql, dbc_kv(o->attrs, o->nattrs, "mysql.sql_mode"),
                               comment);
    if (r == 1 && (o->sql = adup(s, b.p)) == NULL)
        r = -1;
    dbc_buf_free(&b);
    return r < 0 ? DBF_ENOMEM : 0;
}

static int read_named(dbe_source *s, const char *sql_head, const char *sql_tail,
                      dbf_object_kind kind, const char *fixed_what, dbf_error *err)
{
    int rc = 0;
    MYSQL_RES *r = NULL;
    dbc_buf q = {0};
    dbc_buf_puts(&q, sql_head);
    dbe_my_buf_literal(&q, s->conn, s->db, strlen(s->db));
    dbc_buf_puts(&q, sql_tail);
    rc = my_query(s, &q, &r, err);
    if (rc != 0)
        goto done;
    unsigned nf = mysql_num_fields(r);
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(r)) != NULL) {
        const char *what = fixed_what;
        const char *subtype = fixed_what;
        if (nf > 1 && row[1] != NULL)
            what = row[1];
        if (strcmp(what, "PROCEDURE") == 0)
            subtype = "procedure";
        else if (strcmp(what, "FUNCTION") == 0)
            subtype = "function";
        else if (strcmp(what, "EVENT") == 0)
            subtype = "event";
        else if (strcmp(what, "PACKAGE") == 0) /* MariaDB, sql_mode ORACLE */
            subtype = "package";
        else if (strcmp(what, "PACKAGE BODY") == 0)
            subtype = "package body";
        else if (strcmp(what, "VIEW") == 0 || strcmp(what, "TRIGGER") == 0)
            subtype = NULL;
        else {
            if ((rc = omit(s, what, row[0], NULL, "not supported", err)) != 0)
                goto done;
            continue;
        }
        dbf_object *o = objs_add(&s->post);
        if (o == NULL) {
            rc = oom(err);
            goto done;
        }
        o->kind = kind;
        o->subtype = subtype;
        o->name = adup(s, row[0]);
        o->table = nf > 2 && row[2] != NULL ? adup(s, row[2]) : NULL;
        if (o->name == NULL) {
            rc = oom(err);
            goto done;
        }
        rc = show_create(s, o, what, row[0], err);
        if (rc == 0 && nf > 3 && row[3] != NULL)
            rc = nbe_comment(s, o, row[3]);
        if (rc != 0)
            goto done;
    }
done:
    if (r != NULL)
        mysql_free_result(r);
    dbc_buf_free(&q);
    return rc;
}

static int read_routines(dbe_source *s, dbf_error *err)
{
    /* Functions first (views and procedures may call them); a package before its body. */
    return read_named(s,
                      "SELECT ROUTINE_NAME, ROUTINE_TYPE, NULL, ROUTINE_COMMENT "
                      "FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ",
                      " ORDER BY ROUTINE_TYPE = 'FUNCTION' DESC, ROUTINE_NAME, ROUTINE_TYPE",
                      DBF_OBJ_NATIVE, "FUNCTION", err);
}

/* Whether view a's text names view b (`b`, as SHOW CREATE VIEW quotes every name). */
static bool view_uses(const dbf_object *a, const dbf_object *b)
{
    const char *body = strstr(a->sql, " AS ");
    size_t n = strlen(b->name);
    for (const char *p = body; p && (p = strchr(p, '`')) != NULL; p++) {
        if (strncmp(p + 1, b->name, n) == 0 && p[1 + n] == '`')
            return true;
        if (!(p = strchr(p + 1, '`'))) /* past the closing quote of this name */
            break;
    }
    return false;
}

/* Views in name order, then each after the views it reads (a restore or a script creates
 * them in this order); a cycle, which the server cannot hold, keeps name order. */
static int read_views(dbe_source *s, dbf_error *err)
{
    size_t first = s->post.n;
    int rc = read_named(s,
                        "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ",
                        " ORDER BY TABLE_NAME", DBF_OBJ_VIEW, "VIEW", err);
    size_t n = s->post.n - first;
    if (rc || n < 2)
        return rc;
    dbf_object *v = (dbf_object *)s->post.p + first;
    dbf_object *sorted = malloc(n * sizeof(*sorted));
    bool *done = calloc(n, sizeof(*done));
    bool *uses = calloc(n * n, sizeof(*uses)); /* uses[i * n + j]: view i reads view j */
    if (!sorted || !done || !uses) {
        free(sorted);
        free(done);
        free(uses);
        return oom(err);
    }
    for (size_t i = 0; i < n; i++) /* each text searched once per other view */
        for (size_t j = 0; j < n; j++)
            uses[i * n + j] = i != j && view_uses(&v[i], &v[j]);
    size_t out = 0;
    while (out < n) {
        size_t before = out;
        for (size_t i = 0; i < n; i++) {
            if (done[i])
                continue;
            bool ready = true;
            for (size_t j = 0; j < n && ready; j++)
                ready = done[j] || !uses[i * n + j];
            if (ready) {
                sorted[out++] = v[i];
                done[i] = true;
            }
        }
        if (out == before) /* a cycle: the rest as they are */
            for (size_t i = 0; i < n; i++)
                if (!done[i])
                    sorted[out++] = v[i], done[i] = true;
    }
    memcpy(v, sorted, n * sizeof(*sorted));
    free(sorted);
    free(done);
    free(uses);
    return 0;
}

static int read_triggers(dbe_source *s, dbf_error *err)
{
    return read_named(s,
                      "SELECT TRIGGER_NAME, 'TRIGGER', EVENT_OBJECT_TABLE "
                      /* a trigger lives in its table's database; this column lets the
                       * server read that database only (see read_foreign_keys) */
                      "FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = ",
                      " ORDER BY EVENT_OBJECT_TABLE, EVENT_MANIPULATION, ACTION_TIMING, "
                      "ACTION_ORDER",
                      DBF_OBJ_TRIGGER, "TRIGGER", err);
}

static int read_events(dbe_source *s, dbf_error *err)
{
    return read_named(s,
                      "SELECT EVENT_NAME, 'EVENT', NULL, EVENT_COMMENT "
                      "FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ",
                      " ORDER BY EVENT_NAME", DBF_OBJ_NATIVE, "EVENT", err);
}

/* --------------------------------------------------------------- vtable */

static int my_src_header(dbe_source *s, dbf_header *out, dbf_error *err)
{
    (void)err;
    out->engine = "mysql";
    out->server_version = s->server_version;
    out->database = s->db;
    out->encoding = "UTF-8";
    out->time_zone = "UTC";
    return 0;
}

static int my_src_tables(dbe_source *s, const dbf_table **out, size_t *out_n, dbf_error *err)
{
    (void)err;
    *out = s->tables;
    *out_n = s->ntables;
    return 0;
}

static int my_src_objects(dbe_source *s, dbf_section sec, const dbf_object **out,
                          size_t *out_n, dbf_error *err)
{
    (void)err;
    const dbc_vec *o = sec == DBF_SEC_PRE ? &s->pre : &s->post;
    *out = o->p;
    *out_n = o->n;
    return 0;
}

/* ------------------------------------------------------------------ rows */

/* Copy a DATETIME/TIME/TIMESTAMP text without trailing fraction zeros (and '.'). */
static size_t strip_fraction(char *dst, size_t cap, const char *src, size_t len)
{
    if (len >= cap)
        len = cap - 1;
    memcpy(dst, src, len);
    const char *dot = memchr(dst, '.', len);
    if (dot != NULL) {
        while (len > 0 && dst[len - 1] == '0')
            len--;
        if (len > 0 && dst[len - 1] == '.')
            len--;
    }
    dst[len] = '\0';
    return len;
}

#define MY_SCRATCH 48 /* per-column scratch for normalised temporal text / uuid / bit */

static int convert_value(const dbf_table *t, const my_table *mt, size_t i, const char *v,
                         unsigned long len, char *scratch, dbf_value *out, uint64_t rowno,
                         dbf_error *err)
{
    char num[80];
    char *end;
    const my_kind kind = ((const my_kind *)mt->kinds.p)[i];
    switch (kind) {
    case MY_K_INT:
        if (len >= 1 && len <= 19) { /* fast path: up to 18 digits cannot overflow */
            const char *p = v, *e = v + len;
            bool neg = *p == '-';
            p += neg;
            if (p < e && e - p <= 18) {
                int64_t acc = 0;
                while (p < e && *p >= '0' && *p <= '9')
                    acc = acc * 10 + (*p++ - '0');
                if (p == e) {
                    out->kind = DBF_V_INT;
                    out->u.i = neg ? -acc : acc;
                    return 0;
                }
            }
        }
        /* anything else is strtoll's */
        /* fall through */
    case MY_K_UINT:
    case MY_K_YEAR:
    case MY_K_F32:
    case MY_K_F64:
        if (len >= sizeof(num))
            goto bad;
        memcpy(num, v, len);
        num[len] = '\0';
        errno = 0;
        if (kind == MY_K_UINT) {
            out->kind = DBF_V_UINT;
            out->u.u = strtoull(num, &end, 10);
        } else if (kind == MY_K_F32) {
            out->kind = DBF_V_F32;
            out->u.f32 = (float)strtod(num, &end); /* exact: the double is a float value */
        } else if (kind == MY_K_F64) {
            out->kind = DBF_V_F64;
            out->u.f64 = strtod(num, &end);
            if (errno == ERANGE && !isinf(out->u.f64))
                errno = 0; /* denormals set ERANGE but are exact (round-trip text) */
        } else {
            out->kind = DBF_V_INT;
            out->u.i = strtoll(num, &end, 10);
        }
        if (errno != 0 || end == num || *end != '\0')
            goto bad;
        return 0;
    case MY_K_STR:
        out->kind = DBF_V_STR;
        out->u.s.ptr = v;
        out->u.s.len = len;
        return 0;
    case MY_K_BIN:
        out->kind = DBF_V_BIN;
        out->u.s.ptr = v;
        out->u.s.len = len;
        return 0;
    case MY_K_BIT: {
        size_t want = ((size_t)t->columns[i].length + 7) / 8;
        if (len > want || want > MY_SCRATCH)
            goto bad;
        memset(scratch, 0, want - len);
        memcpy(scratch + (want - len), v, len);
        out->kind = DBF_V_BIN;
        out->u.s.ptr = scratch;
        out->u.s.len = want;
        return 0;
    }
    case MY_K_FRAC:
    case MY_K_FRAC_Z: {
        size_t n = strip_fraction(scratch, MY_SCRATCH - 1, v, len);
        if (kind == MY_K_FRAC_Z)
            scratch[n++] = 'Z';
        out->kind = DBF_V_STR;
        out->u.s.ptr = scratch;
        out->u.s.len = n;
        return 0;
    }
    case MY_K_UUID: {
        size_t n = 0;
        for (unsigned long k = 0; k < len && n < 32; k++) {
            if (v[k] == '-')
                continue;
            int h = dbc_hexval((unsigned char)v[k]);
            if (h < 0)
                goto bad;
            if (n % 2 == 0)
                scratch[n / 2] = (char)(h << 4);
            else
                scratch[n / 2] = (char)(scratch[n / 2] | h);
            n++;
        }
        if (n != 32)
            goto bad;
        out->kind = DBF_V_BIN;
        out->u.s.ptr = scratch;
        out->u.s.len = 16;
        return 0;
    }
    }
bad:
    return dbf_error_set(err, DBC_EDATA, "MySQL: table '%s', column '%s', row %" PRIu64
                         ": cannot read value '%.*s' as %s", t->name, t->columns[i].name, rowno,
                         (int)(len > 40 ? 40 : len), v, t->columns[i].native_type);
}

static int my_src_stream_lane(dbe_source *s, unsigned lane, const dbf_table *t,
                              const dbe_key_range *range, dbe_row_fn emit, void *ctx,
                              dbf_error *err)
{
    int rc = 0;
    MYSQL_RES *r = NULL;
    dbc_buf q = {0};
    dbf_value *vals = NULL;
    char *scratch = NULL;
    if (lane >= s->nlanes)
        return dbf_error_set(err, DBF_EINVAL, "MySQL: no connection %u", lane + 1);
    MYSQL **conn = lane == 0 ? &s->conn : &s->lanes[lane].conn;
    bool *streaming = lane == 0 ? &s->streaming : &s->lanes[lane].streaming;
    if (*conn == NULL)
        return dbf_error_set(err, DBC_EBACKEND, "MySQL: the connection was closed after an error");
    if (t->id == 0 || t->id > s->ntables) /* ids are 1..n as tables() gave them */
        return dbf_error_set(err, DBF_EINVAL, "MySQL: unknown table id %u", t->id);
    const dbf_table *mine = &s->tables[t->id - 1];
    const my_table *mt = &s->tinfo[t->id - 1];
    if (mt->elsewhere)
        return 0;
    size_t n = mine->ncolumns;
    dbc_buf_puts(&q, "SELECT ");
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            dbc_buf_puts(&q, ", ");
        if (((const my_kind *)mt->kinds.p)[i] == MY_K_F32) {
            dbc_buf_puts(&q, "CAST(");
            dbc_buf_ident(&q, mine->columns[i].name, '`');
            dbc_buf_puts(&q, " AS DOUBLE)");
        } else {
            dbc_buf_ident(&q, mine->columns[i].name, '`');
        }
    }
    dbc_buf_puts(&q, " FROM ");
    dbc_buf_ident(&q, s->db, '`');
    dbc_buf_puts(&q, ".");
    dbc_buf_ident(&q, mine->name, '`');
    if (mt->versioned)
        dbc_buf_puts(&q, " FOR SYSTEM_TIME ALL");
    dbe_key_range_where(&q, mine, range, '`');
    vals = calloc(n, sizeof(*vals));
    scratch = calloc(n, MY_SCRATCH);
    if (q.oom || vals == NULL || scratch == NULL) {
        rc = oom(err);
        goto done;
    }
    if (mysql_real_query(*conn, q.p, (unsigned long)q.len) != 0) {
        rc = dbf_error_set(err, DBC_EBACKEND, "MySQL: reading table '%s': %s", mine->name,
                           mysql_error(*conn));
        goto done;
    }
    r = mysql_use_result(*conn);
    if (r == NULL) {
        rc = dbf_error_set(err, DBC_EBACKEND, "MySQL: reading table '%s': %s", mine->name,
                           mysql_error(*conn));
        goto done;
    }
    *streaming = true;
    if (mysql_num_fields(r) != n) {
        rc = dbf_error_set(err, DBC_EBACKEND, "MySQL: table '%s' returned %u columns, not %zu",
                           mine->name, mysql_num_fields(r), n);
        goto done;
    }
    uint64_t rowno = 0;
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(r)) != NULL) {
        rowno++;
        unsigned long *lens = mysql_fetch_lengths(r);
        for (size_t i = 0; i < n; i++) {
            if (row[i] == NULL) {
                vals[i].kind = DBF_V_NULL;
                continue;
            }
            rc = convert_value(mine, mt, i, row[i], lens[i], scratch + i * MY_SCRATCH, &vals[i],
                               rowno, err);
            if (rc != 0)
                goto done;
        }
        rc = emit(ctx, vals, n, err);
        if (rc != 0)
            goto done;
    }
    if (mysql_errno(*conn) != 0) {
        rc = dbf_error_set(err, DBC_EBACKEND, "MySQL: reading table '%s' after row %" PRIu64
                           ": %s", mine->name, rowno, mysql_error(*conn));
        goto done;
    }
done:
    if (r != NULL) {
        if (rc != 0 && !mysql_eof(r)) {
            /* Failed mid-table (e.g. the reader of the output went away): mysql_free_result
             * would first read the rest of the table. Detach the result and drop the
             * connection instead; nothing more will be read through it. */
            r->handle = NULL;
            mysql_free_result(r);
            mysql_close(*conn);
            *conn = NULL;
        } else {
            mysql_free_result(r);
        }
    }
    *streaming = false;
    free(vals);
    free(scratch);
    dbc_buf_free(&q);
    return rc;
}

static int my_src_stream_rows(dbe_source *s, const dbf_table *t, dbe_row_fn emit, void *ctx,
                              dbf_error *err)
{
    return my_src_stream_lane(s, 0, t, NULL, emit, ctx, err);
}

static int my_src_key_bounds(dbe_source *s, const dbf_table *t, size_t col, bool *usable,
                             int64_t *min, int64_t *max, dbf_error *err)
{
    *usable = false;
    if (t->id == 0 || t->id > s->ntables || col >= s->tables[t->id - 1].ncolumns)
        return dbf_error_set(err, DBF_EINVAL, "MySQL: unknown table or column");
    const dbf_table *mine = &s->tables[t->id - 1];
    const my_table *mt = &s->tinfo[t->id - 1];
    if (mt->elsewhere || mt->versioned || mt->trx_period || s->conn == NULL ||
        ((const my_kind *)mt->kinds.p)[col] != MY_K_INT)
        return 0;
    dbc_buf q = {0};
    MYSQL_RES *r = NULL;
    dbc_buf_puts(&q, "SELECT MIN(");
    dbc_buf_ident(&q, mine->columns[col].name, '`');
    dbc_buf_puts(&q, "), MAX(");
    dbc_buf_ident(&q, mine->columns[col].name, '`');
    dbc_buf_puts(&q, ") FROM ");
    dbc_buf_ident(&q, s->db, '`');
    dbc_buf_puts(&q, ".");
    dbc_buf_ident(&q, mine->name, '`');
    int rc = my_query(s, &q, &r, err);
    dbc_buf_free(&q);
    if (rc != 0)
        return rc;
    MYSQL_ROW row = mysql_fetch_row(r);
    if (row != NULL && row[0] != NULL && row[1] != NULL) {
        *min = strtoll(row[0], NULL, 10);
        *max = strtoll(row[1], NULL, 10);
        *usable = true;
    }
    mysql_free_result(r);
    return 0;
}

const dbe_source_ops dbe_mysql_source = {
    .version = DBE_SOURCE_OPS_VERSION,
    .engine = DBE_MYSQL,
    .open = my_src_open,
    .header = my_src_header,
    .tables = my_src_tables,
    .objects = my_src_objects,
    .stream_rows = my_src_stream_rows,
    .close = my_src_close,
    .stream_lane = my_src_stream_lane,
    .key_bounds = my_src_key_bounds,
};
