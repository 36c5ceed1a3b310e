/*
 * cross.h - cross-engine restores: drives restore/xlate.h for the pump (restore.c) so that
 * the sinks see an archive in their own terms (header engine, tables, rows), and runs the
 * translated post-data through dbe_sink_ops.exec_sql. Also keeps, for --verify, the digest
 * of every table's rows as sent.
 */
#ifndef DBR_CROSS_H
#define DBR_CROSS_H

#include "dbr.h"
#include "xlate.h"

typedef struct dbr_cross dbr_cross;

/**
 * Translate every table of the archive for dialect d.
 * @param out  OUT: free with dbr_cross_free().
 * @return 0, or what dbr_xlate_table_create returns (message names table and column).
 */
int dbr_cross_create(dbr_cross **out, dbe_id d, const dbf_header *h,
                     const dbf_table *const *tables, size_t ntables, const dbe_restore_opts *o,
                     dbf_error *err);
/** @return the header the sink sees (engine = target engine). Borrowed. */
const dbf_header *dbr_cross_header(const dbr_cross *c);
/** @return the target tables, in archive order. Borrowed until dbr_cross_free. */
const dbf_table *const *dbr_cross_tables(const dbr_cross *c);
/** @return the index of archive table t, or ntables when unknown. */
size_t dbr_cross_index(const dbr_cross *c, const dbf_table *t);
/** @return the translation of table i. Borrowed. */
const dbr_xlate *dbr_cross_xlate(const dbr_cross *c, size_t i);

/**
 * Convert one row of archive table i and add it to the table's digest as sent.
 * @param out, nout  OUT: the row for dbr_cross_tables(c)[i], borrowed until the next call.
 */
int dbr_cross_row(dbr_cross *c, size_t i, const dbf_value *vals, size_t n, uint64_t row_number,
                  const dbf_value **out, size_t *nout, dbf_error *err);
/** The digest of table i's rows as sent (kept only with --verify). */
const dbf_digest *dbr_cross_digest(const dbr_cross *c, size_t i);

/** Pre-data object: nothing to run (tables carry their own DDL); warns with the note. */
void dbr_cross_pre_object(dbr_cross *c, const dbf_object *o);
/** Post-data object: kept (borrowed: must live until dbr_cross_finish) for the end. */
int dbr_cross_post_object(dbr_cross *c, const dbf_object *o, dbf_error *err);
/**
 * After the data: counters, (SQLite archives) the constraints of the CREATE TABLE texts,
 * (SQLite targets) table rebuilds for foreign keys and checks, then indexes and the other
 * constraints, foreign keys last. Objects the target cannot express are warned and skipped.
 * @param data_only  rows into existing tables: counters only (the tables have their keys).
 * @return 0 or the sink's error.
 */
int dbr_cross_finish(dbr_cross *c, const dbe_sink_ops *ops, dbe_sink *k, bool data_only,
                     dbf_error *err);
/** Rows in which a --lossy rule changed a value, all tables. */
uint64_t dbr_cross_lossy_rows(const dbr_cross *c);
/** Free (NULL ok). */
void dbr_cross_free(dbr_cross *c);

/** --plan: the pre-flight report to stdout. @return 0 or negative. */
int dbr_cross_plan(dbe_id d, const dbf_header *h, const dbf_table *const *tables,
                   size_t ntables, const dbf_object *const *objects, size_t nobjects,
                   const dbe_restore_opts *o, dbf_error *err);

/* --------------------------------------------------------------- verify */

/* One restored table for --verify: what was sent, and what to look for in the target. */
typedef struct dbr_verify_table {
    const char *schema;    /* target schema, NULL = default */
    const char *name;      /* target table name */
    const dbf_table *tt;   /* target table (cross-engine: read back in its types); same
                              engine: the archive table */
    const dbr_xlate *x;    /* cross-engine: its translation (digest rules); NULL same engine */
    uint64_t sent_rows;
    uint8_t sent_digest[DBF_DIGEST_SIZE];
    uint64_t got_rows;     /* OUT */
    uint8_t got_digest[DBF_DIGEST_SIZE]; /* OUT */
    bool found;            /* OUT: the table was found in the target */
} dbr_verify_table;

/**
 * Read every table back and fill got_* / found: from the sink inside its transaction
 * (sink non-NULL: ops->read_back), else from the target through its engine's source.
 * @return 0 or negative (connection, read errors).
 */
int dbr_verify_read(const dbe_sink_ops *ops, dbe_sink *sink, const dbe_target *target,
                    dbr_verify_table *v, size_t n, dbf_error *err);

#endif /* DBR_CROSS_H */
