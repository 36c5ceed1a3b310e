/*
 * dbr.h - dbrestore internals: the pump, --list, --to-sql (its options and the sinks it
 * drives are the engines' contract, engines/engine.h).
 */
#ifndef DBR_H
#define DBR_H

#include "engine.h"

/** --list: read the whole archive, print its table of contents. @return 0 or DBF_E*. */
int dbr_list(const dbe_restore_opts *o, dbf_error *err);
/** --clean without --yes: on a terminal (stdin and stderr), name the target and what will be
 *  dropped and ask. @return 0 (go on, or no terminal), DBF_ECANCELED (answer not yes). */
int dbr_confirm_clean(const dbe_target *t, const dbf_table *const *tables, size_t ntables,
                      size_t nobjects, dbf_error *err);

/** The target read through its engine's source, as dbdump reads it (no progress line): open,
 *  header, tables (borrowed until the source is closed). The caller closes *out (when
 *  non-NULL) with (*ops)->close, on failure too. @return 0 or negative. */
int dbr_target_source(const dbe_source_ops **ops, dbe_source **out, const dbe_target *target,
                      const dbf_table **tables, size_t *ntables, dbf_error *err);

/** --plan's dbe_line_fn (restore/cross.c): the line on stdout after ctx (a prefix, NULL
 *  none). @return 0 or DBF_EIO. */
int dbr_print_line(void *ctx, const char *line);

/* dbr_run: --verify found a table whose read-back differs (exit code DBC_EXIT_VERIFY). */
#define DBR_EVERIFY (-100)

/* --check (restore/null.c): a sink that writes nothing. */
extern const dbe_sink_ops dbr_null_sink;

/* --to-sql DIALECT (restore/tosql.c): a sink that prints a SQL script on stdout. */
extern const dbe_sink_ops dbr_tosql_sink;
/** A pseudo target for --to-sql: engine of DIALECT, display "standard output".
 *  @return 0 or DBC_EUSAGE (unknown dialect) / DBF_ENOMEM. */
int dbr_tosql_target(dbe_target **out, const char *dialect, dbf_error *err);

/** Run a whole restore (or --check, --plan, --to-sql): the archive read once (twice for
 *  --orphans=skip|null) and pumped into the sink. @return 0 or a negative DBF_E* code with err
 *  filled. */
int dbr_run(const dbe_restore_opts *o, dbf_error *err);

#endif /* DBR_H */
