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
} dbr_opts;

typedef struct dbr_sink dbr_sink; /* adapter-private state */

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
} dbr_sink_ops;

extern const dbr_sink_ops dbr_sqlite_sink;
extern const dbr_sink_ops dbr_pg_sink;
extern const dbr_sink_ops dbr_mysql_sink;

/** Run a whole restore (or --check). @return 0 or a negative DBF_E* code with err filled. */
int dbr_run(const dbr_opts *o, dbf_error *err);

#endif /* DBR_H */
