/*
 * into.h - data-only restores into tables that already exist in the target (the schema an
 * application's own migrations created): `dbrestore --data-only`, and data-only archives.
 *
 * The target's catalog is read first, through the target engine's source (a
 * copy is kept, the connection is closed before anything is written). Each archive table is
 * matched to a target table by name (exact, then ignoring case), each column likewise; every
 * value is converted into the existing column's type by engines/xlate.h's rules. Migration
 * bookkeeping tables (alembic_version, __drizzle_migrations, ...) are skipped unless named by
 * --include-table. Every problem (archive table or column without a place in the target, a
 * non-empty target table without --truncate / --on-conflict, --on-conflict on a table without
 * a primary key) is listed before anything is written.
 *
 * The load is a sink (dbr_into_wrap) that wraps the target's own and runs in its one
 * transaction (engines/engine.h, "Data-only into existing tables"). The pump drives it with
 * the archive's tables and rows; it hands the target's sink the target tables and their rows:
 *   prepare:       the target's prepare, then dbr_into_begin: emptiness checks, foreign keys
 *                  out of the way (PostgreSQL: dropped, to be added back; MySQL:
 *                  FOREIGN_KEY_CHECKS is off; SQLite: not enforced on the restore's
 *                  connection), --truncate, staging tables for --on-conflict, create_table
 *                  for every table to load (create_table of the wrapper does nothing);
 *   row:           conversion of one row (and the digest of what is sent, for --verify);
 *   data_end:      after each data run: --on-conflict merges the staging table;
 *   create_object: same-engine sequence values kept for the counters, nothing else;
 *   finish:        foreign keys validated (PostgreSQL: added back); --verify with
 *                  --on-conflict: the summary (DBR_EVERIFY on a mismatch);
 *   commit:        identity / serial counters moved past the highest loaded value, the
 *                  target's commit, then (MySQL) AUTO_INCREMENT raised by DDL.
 */
#ifndef DBR_INTO_H
#define DBR_INTO_H

#include "dbr.h"
#include "xlate.h"

typedef struct dbr_into dbr_into;

/**
 * Read the target's catalog and match the archive tables (already filtered by -t/-T).
 * Prints one line per skipped table, per name matched ignoring case, and per problem.
 * @return 0; DBF_EUNSUPPORTED when archive tables/columns have no place in the target (listed
 *         on stderr) and --skip-missing was not given; DBC_ECONNECT; DBF_ENOMEM; ...
 */
int dbr_into_create(dbr_into **out, const dbe_target *target, const dbf_header *h,
                    const dbf_table *const *tables, size_t ntables, const dbe_restore_opts *o,
                    dbf_error *err);
/** @return the number of tables to load (skipped ones are not counted). */
size_t dbr_into_count(const dbr_into *x);
/** @return the archive table of loaded table j (borrowed from the caller's list). */
const dbf_table *dbr_into_src(const dbr_into *x, size_t j);
/** @return the target table of j, restricted to the loaded columns (for --verify). */
const dbf_table *dbr_into_target(const dbr_into *x, size_t j);
/** @return the conversion of table j (digest rules for --verify). */
const dbe_xlate *dbr_into_xlate(const dbr_into *x, size_t j);
/** @return the digest of table j's rows as sent. */
const dbf_digest *dbr_into_digest(const dbr_into *x, size_t j);

/**
 * The load as a sink: from here the pump drives (*ops, *k), which wrap the target's opened
 * sink (the old *ops, *k: closed by the wrapper's close), on which every statement of the
 * load, the plan and the orphan scan runs. Tables and rows are the archive's (loaded tables
 * only, as dbr_into_src gives them); prepare's tables are not used.
 */
void dbr_into_wrap(dbr_into *x, const dbe_sink_ops **ops, dbe_sink **k);
/**
 * After the target's prepare: checks that need the target's transaction, then readies every
 * table. @return 0; DBC_ENOTEMPTY (non-empty tables listed on stderr); the sink's errors.
 */
int dbr_into_begin(dbr_into *x, dbf_error *err);
/** @return the rows the load left out (--orphans=skip). */
uint64_t dbr_into_left_out(const dbr_into *x);

/**
 * --plan: print (stdout) what the load would do: per table the target it goes to, the columns
 * left to their defaults and every conversion the target's types force; skipped tables; then,
 * in the target's transaction (begun here; the caller rolls it back), the emptiness checks.
 * @return 0 when the load would go ahead, else the error it would stop with.
 */
int dbr_into_plan(dbr_into *x, dbf_error *err);

/**
 * --plan, after dbr_into_plan: every archive row, converted as the load converts it
 * (dbr_into_plan_row, which also feeds the orphan scan when there is one); dbr_into_plan_end
 * prints per table the rows read, those the load would refuse (with the first, in the load's
 * words), those --lossy would change, and the epoch unit of each column of epoch integers
 * with its evidence. @return 0, or (plan_end) DBC_EDATA: the refusal the load would stop at.
 */
int dbr_into_plan_row(dbr_into *x, size_t j, const dbf_value *vals, size_t n,
                      uint64_t row_number, dbf_error *err);
int dbr_into_plan_end(dbr_into *x, dbf_error *err);
/** Rows in which a --lossy rule changed a value, in the load (not the scan before it). */
uint64_t dbr_into_lossy_rows(const dbr_into *x);
/** Free (NULL ok). */
void dbr_into_free(dbr_into *x);

/*
 * --orphans (restore/orphans.c): child rows whose parent row is in neither the archive nor
 * the target. Without a scan (the default, fail), the load's finish refuses them, naming
 * the foreign key, the count and the first keys. With --plan, or a mode of skip or null for
 * some foreign key, a scan reads the archive's rows first, inside the restore's transaction
 * after dbr_into_begin: dbr_into_scan_begin, dbr_into_scan_row for every row,
 * dbr_into_scan_end (the orphans found, listed; a refusal for a foreign key left at fail).
 * The load then reads the archive again, and leaves out a row so decided, or sends it with
 * its references set to NULL.
 */
/** Whether options o make the load read the archive twice (its input must allow it). */
bool dbr_orphans_reread(const dbe_restore_opts *o);
/** Whether the load (or the plan) scans the rows first. */
bool dbr_into_scan_wanted(const dbr_into *x);
int dbr_into_scan_begin(dbr_into *x, dbf_error *err);
/** One archive row of loaded table j, converted as the load converts it. */
int dbr_into_scan_row(dbr_into *x, size_t j, const dbf_value *vals, size_t n,
                      uint64_t row_number, dbf_error *err);
/** @return 0, DBC_EDATA (orphans of a foreign key left at fail: nothing to write), ... */
int dbr_into_scan_end(dbr_into *x, dbf_error *err);

/**
 * --backup-to FILE: a full archive of the target as it is now, written with dbdump's pump
 * (atomic: FILE appears only when complete). A SQLite target that does not exist yet has
 * nothing to back up: a note, no file.
 * @return 0 or the dump's error.
 */
int dbr_backup_target(const char *url, const dbe_target *target, const char *file,
                      dbf_error *err);

#endif /* DBR_INTO_H */
