/*
 * cross.h - cross-engine restores: a sink that wraps the target engine's (restore/wrap.h) and
 * drives engines/xlate.h so that the target's sink sees an archive in its own terms (header
 * engine, tables, rows), then runs the translated post-data through its exec_sql. Also keeps,
 * for --verify, the digest of every table's rows as sent.
 *
 * As a sink it takes the archive's tables and rows (those given to dbr_cross_create, by
 * pointer): prepare and create_table hand the target's sink the translated tables; pre-data
 * objects are warned about when not expressible (tables carry their own DDL); post-data objects
 * are kept, and finish runs them (see finish in cross.c) with the counters.
 */
#ifndef DBR_CROSS_H
#define DBR_CROSS_H

#include "dbr.h"
#include "xlate.h"

typedef struct dbr_cross dbr_cross;

/**
 * Translate every table of the archive for dialect d.
 * @param data_only  rows into existing tables: finish moves counters only (the tables have
 *                   their keys).
 * @param out  OUT: free with dbr_cross_free() (after the sink's close).
 * @return 0, or what dbe_xlate_table_create returns (message names table and column).
 */
int dbr_cross_create(dbr_cross **out, dbe_id d, const dbf_header *h,
                     const dbf_table *const *tables, size_t ntables, bool data_only,
                     const dbe_restore_opts *o, dbf_error *err);
/** @return the target tables, in archive order. Borrowed until dbr_cross_free. */
const dbf_table *const *dbr_cross_tables(const dbr_cross *c);
/** @return the translation of table i. Borrowed. */
const dbe_xlate *dbr_cross_xlate(const dbr_cross *c, size_t i);
/**
 * The translation as a sink: from here the pump drives (*ops, *k), which wrap the target's
 * opened sink (the old *ops, *k: closed by the wrapper's close).
 */
void dbr_cross_wrap(dbr_cross *c, const dbe_sink_ops **ops, dbe_sink **k);
/** The digest of table i's rows as sent (kept only with --verify). */
const dbf_digest *dbr_cross_digest(const dbr_cross *c, size_t i);
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
    const dbe_xlate *x;    /* cross-engine: its translation (digest rules); NULL same engine */
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
