/*
 * dbr.h - dbrestore internals: options, the engine-agnostic pump, and the sink
 * adapter vtable that each engine implements (sink_sqlite.c, sink_pg.c, sink_mysql.c).
 */
#ifndef DBR_H
#define DBR_H

#include "dbc.h"
#include "dbf.h"

typedef struct dbr_opts {
    const char *target; /* TARGET as given; NULL with --check */
    const char *input;  /* -i FILE; NULL = stdin */
    bool clean;         /* --clean: drop the archive's objects in the target first */
    bool force;         /* --force: write into a non-empty target as it is */
    bool check;         /* --check: read and verify the whole archive, no target */
    int verbosity;      /* 0 quiet, 1 normal, 2 verbose */
    bool plan;          /* --plan: print the cross-engine pre-flight report, write nothing */
    bool verify;        /* --verify: read every restored table back, compare count + digest */
    bool lossy;         /* --lossy: allow the documented lossy conversions (cross-engine) */
    const char *const *epoch_units; /* --epoch-unit [TABLE.COLUMN=]s|ms|us, repeatable */
    size_t nepoch_units;
    const char *time_zone; /* --time-zone ZONE: the application's zone for wall-clock columns */
    bool list;          /* --list: print the archive's table of contents, no target */
    bool json;          /* --json (with --list): as JSON */
    const char *to_sql; /* --to-sql DIALECT: SQL script on stdout, no target; NULL none */
    const dbc_select *select; /* -t/-T/--schema-only/--data-only; NULL = everything */
    int progress;       /* -1 off, 0 when stderr is a terminal, 1 forced */
    bool yes;           /* --yes: destructive options do not ask on a terminal */
    /* Data-only restores into tables that already exist in the target (restore/into.c). */
    bool into;          /* set by the pump, never by a flag: the sinks create nothing (see
                           "Data-only into existing tables" below) */
    bool skip_missing;  /* --skip-missing: archive tables/columns without a target: warnings */
    bool truncate;      /* --truncate: empty the tables being loaded first (same transaction) */
    int on_conflict;    /* --on-conflict: DBR_CONFLICT_* */
    const char *const *include_tables; /* --include-table NAME: migration tables to load */
    size_t ninclude_tables;
    const char *backup_to; /* --backup-to FILE: full archive of the target before changes */
    const char *const *orphans; /* --orphans [FK=]fail|skip|null, repeatable (orphans.c) */
    size_t norphans;
    const char *orphans_report; /* --orphans-report FILE: every orphan row and its fate */
} dbr_opts;

/* --on-conflict=... (data-only restores): what a row whose primary key exists does. */
#define DBR_CONFLICT_ERROR 0  /* default: non-empty tables are refused before the load */
#define DBR_CONFLICT_SKIP 1   /* keep the target's row */
#define DBR_CONFLICT_UPDATE 2 /* overwrite it with the archive's row */

/** --list: read the whole archive, print its table of contents. @return 0 or DBF_E*. */
int dbr_list(const dbr_opts *o, dbf_error *err);
/** --clean without --yes: on a terminal (stdin and stderr), name the target and what will be
 *  dropped and ask. @return 0 (go on, or no terminal), DBF_ECANCELED (answer not yes). */
int dbr_confirm_clean(const dbc_target *t, const dbf_table *const *tables, size_t ntables,
                      size_t nobjects, dbf_error *err);

/* dbr_run: --verify found a table whose read-back differs (exit code DBC_EXIT_VERIFY). */
#define DBR_EVERIFY (-100)

typedef struct dbr_sink dbr_sink; /* adapter-private state */
struct dbr_verify_table;          /* restore/cross.h */

/*
 * Call order, made by restore.c:
 *   open -> prepare (the whole pre-data schema is known; check emptiness, --clean, begin
 *   the transaction) -> create_table* / create_object(PRE)* -> { data_begin, row*,
 *   data_end }* (a table may get several runs if the archive interleaves tables) ->
 *   create_object(POST)* -> commit -> close.
 * On any failure after open: abort (roll back; drop what was created; remove temp
 * files), then close. A sink must leave the target as it was after abort.
 * Objects in another engine's dialect that the sink cannot express are skipped with
 * dbc_warn naming each one (never silently).
 */
#define DBR_SINK_OPS_VERSION 1
/* A row of a query's result as text: vals[i] NULL for SQL NULL. @return 0 to go on. */
typedef int (*dbr_row_fn)(void *ctx, const char *const *vals, size_t n);
typedef struct dbr_sink_ops {
    unsigned version;   /* DBR_SINK_OPS_VERSION */
    dbc_engine engine;
    int (*open)(dbr_sink **out, const dbc_target *t, const dbr_opts *o, dbf_error *err);
    /** Tables and pre-data objects of the archive, before anything is written.
     *  @return DBF_ENOTEMPTY (message lists the tables) unless o->clean / o->force. */
    int (*prepare)(dbr_sink *k, const dbf_header *h, const dbf_table *const *tables,
                   size_t ntables, dbf_error *err);
    int (*create_table)(dbr_sink *k, const dbf_header *h, const dbf_table *t, dbf_error *err);
    int (*create_object)(dbr_sink *k, const dbf_header *h, const dbf_object *o, dbf_error *err);
    int (*data_begin)(dbr_sink *k, const dbf_table *t, dbf_error *err);
    /** One row; values are borrowed for the call only. DBF_EDATA names table/column/row. */
    int (*row)(dbr_sink *k, const dbf_table *t, const dbf_value *vals, size_t n,
               uint64_t row_number, dbf_error *err);
    int (*data_end)(dbr_sink *k, const dbf_table *t, dbf_error *err);
    int (*commit)(dbr_sink *k, dbf_error *err);
    void (*abort)(dbr_sink *k);
    void (*close)(dbr_sink *k); /* NULL ok */
    /** Cross-engine restores: run one translated statement (restore/xlate.h) inside the
     *  restore (same transaction / undo rules as the sink's own DDL). */
    int (*exec_sql)(dbr_sink *k, const char *sql, const char *what, dbf_error *err);
    /** --verify before commit (NULL: the pump reads the target back after commit): read the
     *  tables back inside the restore's own transaction and fill their got_* fields
     *  (restore/cross.h), so that a mismatch can still roll everything back. */
    int (*verify)(dbr_sink *k, struct dbr_verify_table *v, size_t n, dbf_error *err);
    /** Data-only restores: run one query inside the restore (same connection, same
     *  transaction; callable once prepare has returned) and hand each row to row(ctx, vals,
     *  n), one at a time, as text (NULL for SQL NULL; borrowed for the call). A non-zero
     *  return of row stops the query and is returned (row sets its own error first).
     *  @return 0, or DBF_EBACKEND naming `what` and the server's message. */
    int (*query)(dbr_sink *k, const char *sql, const char *what, dbr_row_fn row, void *ctx,
                 dbf_error *err);
    /** Optional (NULL: none). Data-only restores, after commit: one statement on its own
     *  (MySQL: AUTO_INCREMENT is only set by DDL, which would have committed the load early).
     *  @return 0 or DBF_EBACKEND naming `what`; the load stays committed either way. */
    int (*after_commit)(dbr_sink *k, const char *sql, const char *what, dbf_error *err);
} dbr_sink_ops;

/*
 * Data-only into existing tables (o->into, set by restore/into.c for --data-only and for
 * data-only archives). The pump reads the target's catalog first and hands the sink, per
 * table, the target table as it exists (columns restricted to those the archive fills, in the
 * target's order and types, native_sql NULL). The sink then:
 *   - prepare: checks no emptiness (into.c does), creates nothing, and begins ONE transaction
 *     that holds everything up to commit (MySQL too: autocommit off, START TRANSACTION, no DDL
 *     at all; UNIQUE_CHECKS and MariaDB's check_constraint_checks stay ON; FOREIGN_KEY_CHECKS
 *     stays OFF: into.c validates every foreign key with queries before commit);
 *   - create_table: only registers the table for the load (SQLite: prepares its INSERT; the
 *     table may be a TEMPORARY staging table that into.c created through exec_sql); never
 *     CREATE, DROP, ALTER, nor counts it as created for abort's undo;
 *   - data_begin/row/data_end: as usual, naming only the given columns in COPY / LOAD DATA /
 *     INSERT (target columns left out get their defaults);
 *   - abort: rolls the transaction back, leaving the target exactly as it was;
 *   - exec_sql and query: run in that transaction (into.c issues TRUNCATE/DELETE,
 *     staging tables, foreign-key drops and re-adds, counter moves through them).
 */

extern const dbr_sink_ops dbr_sqlite_sink;
extern const dbr_sink_ops dbr_pg_sink;
extern const dbr_sink_ops dbr_mysql_sink;
/* --to-sql DIALECT (restore/tosql.c): a sink that prints a SQL script on stdout. */
extern const dbr_sink_ops dbr_tosql_sink;
/** A pseudo target for --to-sql: engine of DIALECT, display "standard output".
 *  @return 0 or DBF_EUSAGE (unknown dialect) / DBF_ENOMEM. */
int dbr_tosql_target(dbc_target **out, const char *dialect, dbf_error *err);

/** Run a whole restore (or --check). @return 0 or a negative DBF_E* code with err filled. */
int dbr_run(const dbr_opts *o, dbf_error *err);

#endif /* DBR_H */
