/* sink_mysql.c - MySQL sink adapter: not implemented yet (stub). */
#include "dbr.h"

static int my_sink_open(dbr_sink **out, const dbc_target *t, const dbr_opts *o, dbf_error *err)
{
    (void)t;
    (void)o;
    *out = NULL;
    return dbf_error_set(err, DBF_EUNSUPPORTED, "MySQL targets are not supported yet");
}

const dbr_sink_ops dbr_mysql_sink = {
    .version = DBR_SINK_OPS_VERSION,
    .engine = DBC_MYSQL,
    .open = my_sink_open,
};
