/* src_pg.c - PostgreSQL source adapter: not implemented yet (stub). */
#include "dbd.h"

static int pg_src_open(dbd_source **out, const dbc_target *t, const dbd_opts *o, dbf_error *err)
{
    (void)t;
    (void)o;
    *out = NULL;
    return dbf_error_set(err, DBF_EUNSUPPORTED, "PostgreSQL sources are not supported yet");
}

const dbd_source_ops dbd_pg_source = {
    .version = DBD_SOURCE_OPS_VERSION,
    .engine = DBC_POSTGRESQL,
    .open = pg_src_open,
};
