/*
 * wrap.h - what the sinks of restore/ that wrap the target engine's sink share (cross.c:
 * cross-engine translation; into.c: data-only loads into existing tables): the wrapped sink,
 * the archive tables the pump sends, and the operations that only pass on.
 *
 * A wrapper's state begins with a dbr_wrap, and its sink handle is that state: the pump
 * drives it through w->ops like any sink (engines/engine.h).
 */
#ifndef DBR_WRAP_H
#define DBR_WRAP_H

#include "engine.h"

typedef struct dbr_wrap {
    dbe_sink_ops ops;           /* the wrapper's operations (read_back only where in has it) */
    const dbe_sink_ops *in_ops; /* the wrapped sink */
    dbe_sink *in;
    const dbf_table *const *tables; /* the archive tables the pump sends */
    const dbf_table *const *to; /* ... and for each, the one the wrapped sink gets */
    size_t ntables;
    const dbf_table *last;      /* the table asked for last, and its index */
    size_t last_i;
} dbr_wrap;

/** Wrap (*ops, *k), an opened sink that the wrapper's close closes from now on: w's
 *  operations become tmpl's, and *ops, *k the wrapper's (w, the first member of its state). */
void dbr_wrap_sink(dbr_wrap *w, const dbe_sink_ops *tmpl, const dbe_sink_ops **ops,
                   dbe_sink **k);
/** @return the wrapper state whose handle is k. */
static inline void *dbr_wrap_of(dbe_sink *k)
{
    return (void *)k;
}
/** The index of archive table t in w->tables. @return 0, or DBF_EINVAL (not one of them). */
int dbr_wrap_index(dbr_wrap *w, const dbf_table *t, size_t *out, dbf_error *err);

/* Operations that pass on to the wrapped sink, for a wrapper's template (data runs: of the
 * table in `to`). */
int dbr_wrap_data_begin(dbe_sink *k, const dbf_table *t, dbf_error *err);
int dbr_wrap_data_end(dbe_sink *k, const dbf_table *t, dbf_error *err);
int dbr_wrap_read_back(dbe_sink *k, const dbf_table *tt, bool *found, dbe_row_fn row, void *ctx,
                       dbf_error *err);
void dbr_wrap_abort(dbe_sink *k);
const char *dbr_wrap_aborted(dbe_sink *k);
size_t dbr_wrap_lane_rows(dbe_sink *k, uint64_t *rows, size_t cap);
void dbr_wrap_close(dbe_sink *k);

#endif /* DBR_WRAP_H */
