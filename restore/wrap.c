/*
 * wrap.c - the parts shared by the sinks of restore/ that wrap the target's (see wrap.h).
 */
#include "wrap.h"

void dbr_wrap_sink(dbr_wrap *w, const dbe_sink_ops *tmpl, const dbe_sink_ops **ops,
                   dbe_sink **k)
{
    w->in_ops = *ops;
    w->in = *k;
    w->ops = *tmpl;
    w->ops.version = DBE_SINK_OPS_VERSION;
    w->ops.engine = w->in_ops->engine;
    if (!w->in_ops->read_back)
        w->ops.read_back = NULL;
    w->ops.aborted = w->in_ops->aborted ? dbr_wrap_aborted : NULL;
    w->ops.lane_rows = w->in_ops->lane_rows ? dbr_wrap_lane_rows : NULL;
    w->last = NULL;
    *ops = &w->ops;
    *k = (dbe_sink *)(void *)w;
}

int dbr_wrap_index(dbr_wrap *w, const dbf_table *t, size_t *out, dbf_error *err)
{
    if (t != w->last) {
        for (w->last_i = 0; w->last_i < w->ntables && w->tables[w->last_i] != t; w->last_i++)
            ;
        w->last = t;
    }
    *out = w->last_i;
    if (w->last_i == w->ntables)
        return dbf_error_set(err, DBF_EINVAL, "table %s was not given to the sink", t->name);
    return 0;
}

int dbr_wrap_data_begin(dbe_sink *k, const dbf_table *t, dbf_error *err)
{
    dbr_wrap *w = dbr_wrap_of(k);
    size_t i;
    int rc = dbr_wrap_index(w, t, &i, err);
    return rc ? rc : w->in_ops->data_begin(w->in, w->to[i], err);
}

int dbr_wrap_data_end(dbe_sink *k, const dbf_table *t, dbf_error *err)
{
    dbr_wrap *w = dbr_wrap_of(k);
    size_t i;
    int rc = dbr_wrap_index(w, t, &i, err);
    return rc ? rc : w->in_ops->data_end(w->in, w->to[i], err);
}

int dbr_wrap_read_back(dbe_sink *k, const dbf_table *tt, bool *found, dbe_row_fn row, void *ctx,
                       dbf_error *err)
{
    dbr_wrap *w = dbr_wrap_of(k);
    return w->in_ops->read_back(w->in, tt, found, row, ctx, err);
}

void dbr_wrap_abort(dbe_sink *k)
{
    dbr_wrap *w = dbr_wrap_of(k);
    w->in_ops->abort(w->in);
}

const char *dbr_wrap_aborted(dbe_sink *k)
{
    dbr_wrap *w = dbr_wrap_of(k);
    return w->in_ops->aborted(w->in);
}

size_t dbr_wrap_lane_rows(dbe_sink *k, uint64_t *rows, size_t cap)
{
    dbr_wrap *w = dbr_wrap_of(k);
    return w->in_ops->lane_rows(w->in, rows, cap);
}

void dbr_wrap_close(dbe_sink *k)
{
    dbr_wrap *w = dbr_wrap_of(k);
    if (w->in_ops->close)
        w->in_ops->close(w->in);
}
