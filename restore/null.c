/*
 * null.c - the sink of dbrestore --check (pg_dump's pg_backup_null.c): it writes nothing, so
 * that the pump reads, checks and counts the whole archive exactly as in a restore.
 */
#include "dbr.h"

struct dbe_sink {
    int unused;
};

static int null_open(dbe_sink **out, const dbe_target *t, const dbe_restore_opts *o,
                     dbf_error *err)
{
    static dbe_sink none;
    (void)t, (void)o, (void)err;
    *out = &none;
    return 0;
}

static int null_prepare(dbe_sink *k, const dbf_header *h, const dbf_table *const *tables,
                        size_t ntables, dbf_error *err)
{
    (void)k, (void)h, (void)tables, (void)ntables, (void)err;
    return 0;
}

static int null_create_table(dbe_sink *k, const dbf_header *h, const dbf_table *t,
                             dbf_error *err)
{
    (void)k, (void)h, (void)t, (void)err;
    return 0;
}

static int null_create_object(dbe_sink *k, const dbf_header *h, const dbf_object *o,
                              dbf_error *err)
{
    (void)k, (void)h, (void)o, (void)err;
    return 0;
}

/* data_begin and data_end */
static int null_data(dbe_sink *k, const dbf_table *t, dbf_error *err)
{
    (void)k, (void)t, (void)err;
    return 0;
}

static int null_row(dbe_sink *k, const dbf_table *t, const dbf_value *vals, size_t n,
                    uint64_t row_number, dbf_error *err)
{
    (void)k, (void)t, (void)vals, (void)n, (void)row_number, (void)err;
    return 0;
}

static int null_commit(dbe_sink *k, dbf_error *err)
{
    (void)k, (void)err;
    return 0;
}

static void null_abort(dbe_sink *k)
{
    (void)k;
}

const dbe_sink_ops dbr_null_sink = {
    .version = DBE_SINK_OPS_VERSION,
    .open = null_open,
    .prepare = null_prepare,
    .create_table = null_create_table,
    .create_object = null_create_object,
    .data_begin = null_data,
    .row = null_row,
    .data_end = null_data,
    .commit = null_commit,
    .abort = null_abort,
};
