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
    bool list;          /* --list: print the archive's table of contents, no target */
    bool json;          /* --json (with --list): as JSON */
    const char *to_sql; /* --to-sql DIALECT: SQL script on stdout, no target; NULL none */
    const dbc_select *select; /* -t/-T/--schema-only/--data-only; NULL = everything */
    int progress;       /* -1 off, 0 when stderr is a terminal, 1 forced */
    bool yes;           /* --yes: destructive options do not ask on a terminal */
} dbr_opts;

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
} dbr_sink_ops;

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
