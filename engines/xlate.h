/*
 * xlate.h - cross-engine translation layer of dbrestore.
 *
 * Turns an archive table written by one engine into a table definition for another engine
 * ("target dialect"), converts each row's values into that table's column types, translates
 * post-data objects (indexes, unique / check / foreign key constraints), and lists, for
 * `dbrestore --plan`, everything that will not arrive unchanged. The rules are the
 * "Cross-engine matrix" of spec/TYPES.md; this module is their reference implementation.
 *
 * How a sink uses it (for an archive whose header engine is not the sink's own):
 *
 *     dbe_xlate *x = NULL;
 *     rc = dbe_xlate_table_create(&x, DBE_POSTGRESQL, h, t, &opts, err);
 *     const dbf_table *tt = dbe_xlate_target(x);   // create tt->native_sql, then load rows
 *     per row:  rc = dbe_xlate_row(x, vals, n, row_number, &out, &nout, err);
 *               // insert out[0..nout) into tt exactly as for a same-engine archive
 *     after the table's rows: dbe_xlate_counters_sql(&sql, x, err) -> run it when non-NULL
 *     post-data: rc = dbe_xlate_object(&sql, &note, DBE_POSTGRESQL, h, o, tt_of_o_table,
 *                                      &opts, err);  // DBF_EUNSUPPORTED: warn with note, skip
 *     SQLite archives: also the objects of dbe_xlate_sqlite_constraints(&l, t, err) per table
 *     dbe_xlate_free(x) at the end (tt is used by dbe_xlate_object until then).
 *
 * --plan: dbe_xlate_plan(); --verify: dbe_xlate_digest_row() on what was sent and on what is
 * read back; --data-only: dbe_xlate_table_into() instead of dbe_xlate_table_create().
 *
 * The target table `tt` is an ordinary dbf_table in the target's own terms: for PostgreSQL and
 * MySQL its columns carry the portable types that the target engine's dump adapter reports for
 * the chosen native types (so `dbdump` of the target reads the same types back); for SQLite
 * every column is DBF_T_ANY with the declared type in native_type, and values are int64,
 * float64, text or blob, exactly like an archive written by the SQLite source.
 * tt->engine is the target engine name, tt->native_sql its CREATE TABLE statement (every
 * identifier quoted), tt->schema the target schema (NULL: the connection's default).
 *
 * Library rules: nothing here prints or exits; failures return a negative DBF_E* code with
 * err filled (value errors name table, column, row and value). Memory: a row's converted
 * values live in a per-table arena reused by the next row, so memory follows the largest row,
 * not the table size.
 */
#ifndef DBE_XLATE_H
#define DBE_XLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dbf.h"
#include "engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A target SQL dialect is an engine id (engines/engine.h: dbe_id, dbe_id_named, dbe_name). */

#define DBE_XLATE_OPTS_VERSION 1
typedef struct dbe_xlate_opts {
    unsigned version;          /* DBE_XLATE_OPTS_VERSION */
    bool lossy;                /* --lossy: allow the documented lossy conversions (zero dates
                                  and infinities -> NULL, -0.0 -> 0.0 in SQLite, extra decimal
                                  digits rounded, NaN -> NULL where the target has none) */
    const char *target_schema; /* PostgreSQL: schema to create tables in; NULL = unqualified
                                  (the connection's search_path). Ignored by other dialects. */
    bool skip_missing;         /* dbe_xlate_table_into: archive columns without a target
                                  column become plan notes instead of an error */
    const char *const *epoch_units; /* integers into timestamps: "s", "ms", "us" for every
                                  column, or "TABLE.COLUMN=UNIT" (archive names); a column
                                  not named takes its unit from its values */
    size_t nepoch_units;
    const char *time_zone;     /* instants (a zone given, epoch integers) into wall-clock
                                  columns (timestamp without time zone, MySQL DATETIME) as this
                                  zone's local time: "+HH:MM"/"-HH:MM" or a zone the process's
                                  TZ is set to (restore/main.c); NULL: UTC */
} dbe_xlate_opts;
#define DBE_XLATE_OPTS_INIT {DBE_XLATE_OPTS_VERSION, false, NULL, false, NULL, 0, NULL}
/** @return the options of a restore with options o (--lossy, --epoch-unit, --time-zone). */
dbe_xlate_opts dbe_xlate_opts_of(const dbe_restore_opts *o);

/* ------------------------------------------------------------- identifiers */

/* Longest identifier: PostgreSQL 63 bytes (NAMEDATALEN - 1), MySQL 64 characters; SQLite none. */
#define DBE_PG_MAX_IDENT_BYTES 63
#define DBE_MYSQL_MAX_IDENT_CHARS 64

/**
 * Quote an identifier for a dialect, after fitting it to the dialect's length limit:
 * PostgreSQL: truncated to 63 bytes on a UTF-8 character boundary (what the server itself
 * does), MySQL: truncated to 64 characters; SQLite: unchanged. Quoting doubles the quote
 * character: a"b -> "a""b" (SQLite, PostgreSQL), a`b -> `a``b` (MySQL).
 * @param out  OUT: malloc'd quoted text; the caller frees it with free().
 * @return 0, DBF_EUNSUPPORTED (empty name; MySQL: a name ending in a space or holding a
 *         character outside the BMP), DBF_ENOMEM.
 */
int dbe_xlate_quote_ident(char **out, dbe_id d, const char *name, dbf_error *err);

/**
 * Check that the given names stay distinct in the dialect after truncation and case folding
 * (MySQL column names and SQLite identifiers compare case-insensitively).
 * @param what  "table", "column of table x", ... used in the message.
 * @return 0, or DBF_EUNSUPPORTED naming both colliding names.
 */
int dbe_xlate_check_names(dbe_id d, const char *const *names, size_t n, const char *what,
                          dbf_error *err);

/* ------------------------------------------------------------------ tables */

typedef struct dbe_xlate dbe_xlate;

/**
 * Translate one archive table for a target dialect.
 * @param out  OUT: the translation handle; free with dbe_xlate_free().
 * @param h    archive header (h->engine is the source engine).
 * @param t    archive table (borrowed for the call only: everything needed is copied).
 * @param o    options, NULL = DBE_XLATE_OPTS_INIT.
 * @return 0, DBF_EUNSUPPORTED (a column type the target cannot hold at all, an identifier
 *         collision after truncation: the message names table and column), DBF_EINVAL,
 *         DBF_ENOMEM.
 */
int dbe_xlate_table_create(dbe_xlate **out, dbe_id d, const dbf_header *h,
                           const dbf_table *t, const dbe_xlate_opts *o, dbf_error *err);

/**
 * Data-only restores (--data-only): translate an archive table for a table that already
 * exists in the target, as the sink read it from the catalog (`existing`: columns with the
 * portable types the target's dump adapter reports, native_type, flags; SQLite: type any and
 * the declared type). Columns are matched by name, exactly first, then case-insensitively (a
 * plan note each). Each value is converted to the existing column's type by the same rules as
 * dbe_xlate_table_create. The target table (dbe_xlate_target) is `existing` restricted to the
 * matched columns, in the existing order, native_sql NULL: target columns the archive lacks
 * are left out (they get their defaults), generated target columns too.
 * @param existing  borrowed: must stay valid until dbe_xlate_free.
 * @return 0; DBF_EUNSUPPORTED listing every archive column without a target column (unless
 *         o->skip_missing: then plan notes); DBF_EINVAL; DBF_ENOMEM.
 */
int dbe_xlate_table_into(dbe_xlate **out, dbe_id d, const dbf_header *h,
                         const dbf_table *src, const dbf_table *existing,
                         const dbe_xlate_opts *o, dbf_error *err);

/** @return the target table (borrowed until dbe_xlate_free). See the file comment. */
const dbf_table *dbe_xlate_target(const dbe_xlate *x);

/** @return number of plan lines for this table (columns whose values will not arrive
 *  unchanged, defaults dropped, ...). */
size_t dbe_xlate_nnotes(const dbe_xlate *x);
/** @return plan line i (borrowed until dbe_xlate_free), e.g.
 *  "table \"t\" column \"u\": uint64 -> numeric(20,0): values unchanged". */
const char *dbe_xlate_note(const dbe_xlate *x, size_t i);

/**
 * Convert one archive row into the target table's column types.
 * @param vals, n     the row as read (n = source column count).
 * @param row_number  1-based, for messages.
 * @param out, nout   OUT: the converted row (nout = target column count; columns the target
 *                    does not get, such as a SQLite implicit rowid, are left out). Borrowed
 *                    until the next dbe_xlate_row call or dbe_xlate_free; pointers of `vals`
 *                    may be reused, so `vals` must also stay valid while `out` is used.
 * @return 0, DBC_EDATA (a value the target cannot carry unchanged and no --lossy rule allows;
 *         the message names table, column, row and value), DBF_EINVAL (n mismatch),
 *         DBF_ENOMEM.
 */
int dbe_xlate_row(dbe_xlate *x, const dbf_value *vals, size_t n, uint64_t row_number,
                  const dbf_value **out, size_t *nout, dbf_error *err);

/** Line callback (--plan): one report line, no newline. @return 0 or negative to stop. */
typedef int (*dbe_line_fn)(void *ctx, const char *line);

/** Rows where a --lossy rule changed at least one value, so far. */
uint64_t dbe_xlate_lossy_rows(const dbe_xlate *x);
/** --plan: a line per column whose integers became timestamps: the epoch unit, whether
 *  stated (--epoch-unit) or read from the values, and the evidence (smallest and largest
 *  non-zero value, their count). @return emit's first non-zero return, else 0. */
int dbe_xlate_epoch_lines(const dbe_xlate *x, dbe_line_fn emit, void *ctx);

/**
 * Verify support: add one row of the target table (either what dbe_xlate_row produced, or
 * what a read-back of the target gives in the same column types) to a digest. Restore digests
 * what it sends, the sink digests what it reads back; equal digests mean equal content.
 * @return 0, or what dbf_digest_add_row returns.
 */
int dbe_xlate_digest_row(const dbe_xlate *x, dbf_digest *d, const dbf_value *vals, size_t n,
                         dbf_error *err);

/**
 * @return true when, for the rows converted so far, every value went out exactly as it came
 *         in (same kind, same bytes) and no column was left out: the archive's own DATA_END
 *         digest then also describes what was sent (call it after the table's last row).
 */
bool dbe_xlate_is_identity(const dbe_xlate *x);

/**
 * SQL to run after a table's rows are loaded so that identity / auto-increment counters
 * continue past the loaded ids (and past the source's own counter when the archive carries
 * it, table attribute "mysql.auto_increment"):
 *   PostgreSQL: SELECT setval(pg_get_serial_sequence(...), max + 1, false) per identity column;
 *   MySQL: ALTER TABLE ... AUTO_INCREMENT = n when the archive's counter is known (InnoDB
 *   already moves past explicit ids); SQLite: nothing (AUTOINCREMENT tracks explicit ids).
 * @param out_sql  OUT: malloc'd SQL, NULL when there is nothing to run. free() it.
 * @return 0 or DBF_ENOMEM.
 */
int dbe_xlate_counters_sql(char **out_sql, const dbe_xlate *x, dbf_error *err);

/** Free a translation (NULL ok). */
void dbe_xlate_free(dbe_xlate *x);

/* ----------------------------------------------------------------- objects */

/**
 * Translate a post-data (or pre-data) object into target DDL.
 * Expressible: indexes on plain columns (unique or not), unique / primary key / foreign key
 * constraints, check constraints whose expression uses only portable syntax, sequences
 * (their value becomes a statement that moves the identity / AUTO_INCREMENT counter),
 * views are never translated (their SQL is in the source dialect).
 * @param out_sql   OUT: malloc'd SQL (one or more statements separated by ";\n"), NULL when
 *                  there is nothing to do (e.g. a primary key already in CREATE TABLE,
 *                  SQLite settings). free() it.
 * @param out_note  OUT: malloc'd plan/warning text when the object was adapted or cannot be
 *                  expressed, else NULL. free() it.
 * @param table     target table of o->table as returned by dbe_xlate_target (needed for
 *                  MySQL prefix lengths and SQLite rebuilds); NULL when not known.
 * @return 0; DBF_EUNSUPPORTED when the object cannot be expressed (out_note says why: the
 *         sink warns and skips it); DBF_ENOMEM.
 */
int dbe_xlate_object(char **out_sql, char **out_note, dbe_id d, const dbf_header *h,
                     const dbf_object *o, const dbf_table *table, const dbe_xlate_opts *opts,
                     dbf_error *err);

/**
 * SQLite targets: SQLite cannot add a foreign key or check constraint to an existing table
 * (dbe_xlate_object reports them as not expressible). This keeps the constraint with the
 * translation and returns the SQL of the documented table rebuild
 * (https://sqlite.org/lang_altertable.html, "other kinds of table schema changes"):
 * CREATE TABLE "t__dbr_rebuild" (the columns of dbe_xlate_target(x), every constraint added
 * so far); INSERT ... SELECT * FROM "t"; DROP TABLE "t"; ALTER TABLE ... RENAME TO "t".
 * Run it with PRAGMA foreign_keys off, before creating the table's indexes (DROP TABLE drops
 * them); the last call's SQL holds all constraints, so a sink that can gather a table's
 * constraints first may run only that one.
 * @param x         translation of the constraint's table (o->table), dialect SQLite.
 * @param out_sql   OUT: malloc'd SQL (statements separated by ";\n"). free() it.
 * @param out_note  OUT: malloc'd plan line. free() it.
 * @return 0; DBF_EUNSUPPORTED (expression not portable, incomplete reference: out_note says
 *         why); DBF_EINVAL (not a foreign key / check, or not a SQLite translation); DBF_ENOMEM.
 */
int dbe_xlate_sqlite_add_constraint(char **out_sql, char **out_note, dbe_xlate *x,
                                    const dbf_header *h, const dbf_object *o, dbf_error *err);

/* ------------------------------------------------------- SQLite constraints */

/*
 * SQLite keeps foreign keys, UNIQUE and CHECK constraints only inside each table's CREATE
 * TABLE text, so archives written from SQLite carry no objects for them. This parses them
 * out of dbf_table.native_sql (column and table constraints, [bracketed], "quoted" and
 * `backticked` names, ON DELETE / ON UPDATE actions) as DBF_OBJ_CONSTRAINT objects (subtype
 * "foreign_key", "unique", "check"; unnamed ones get <table>_<column>_fkey / _key / _check
 * names) for dbe_xlate_object. Call it for each table of a SQLite archive going to another
 * engine, and translate the objects after the data like the archive's own post-data objects.
 */
typedef struct dbe_xlate_objs dbe_xlate_objs;

/**
 * @param out  OUT: the list; free with dbe_xlate_objs_free(). Empty when there is none.
 * @return 0, DBF_EUNSUPPORTED (text not understood), DBF_ENOMEM.
 */
int dbe_xlate_sqlite_constraints(dbe_xlate_objs **out, const dbf_table *t, dbf_error *err);
/** @return the number of objects. */
size_t dbe_xlate_objs_count(const dbe_xlate_objs *l);
/** @return object i, borrowed until dbe_xlate_objs_free. */
const dbf_object *dbe_xlate_objs_get(const dbe_xlate_objs *l, size_t i);
/** Free a list (NULL ok). */
void dbe_xlate_objs_free(dbe_xlate_objs *l);

/* -------------------------------------------------------------------- plan */

/**
 * The `--plan` report for a whole archive schema and a target: for every table, each column
 * whose values will not arrive unchanged and why, dropped defaults and columns; every object
 * that cannot be expressed; identifier collisions. Emits nothing for a table that arrives
 * unchanged. Emits a last line "plan: N tables, M notes, K objects not expressible".
 * @return 0, the callback's error, DBF_ENOMEM.
 */
int dbe_xlate_plan(dbe_id d, const dbf_header *h, const dbf_table *const *tables,
                   size_t ntables, const dbf_object *const *objects, size_t nobjects,
                   const dbe_xlate_opts *o, dbe_line_fn emit, void *ctx, dbf_error *err);

#ifdef __cplusplus
}
#endif
#endif /* DBE_XLATE_H */
