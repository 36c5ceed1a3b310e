/* sink_pg.c - PostgreSQL sink adapter: not implemented yet (stub). */
#include "dbr.h"

static int pg_sink_open(dbr_sink **out, const dbc_target *t, const dbr_opts *o, dbf_error *err)
{
    (void)t;
    (void)o;
    *out = NULL;
    return dbf_error_set(err, DBF_EUNSUPPORTED, "PostgreSQL targets are not supported yet");
}

const dbr_sink_ops dbr_pg_sink = {
    .version = DBR_SINK_OPS_VERSION,
    .engine = DBC_POSTGRESQL,
    .open = pg_sink_open,
};
