/* src_mysql.c - MySQL source adapter: not implemented yet (stub). */
#include "dbd.h"

static int my_src_open(dbd_source **out, const dbc_target *t, const dbd_opts *o, dbf_error *err)
{
    (void)t;
    (void)o;
    *out = NULL;
    return dbf_error_set(err, DBF_EUNSUPPORTED, "MySQL sources are not supported yet");
}

const dbd_source_ops dbd_mysql_source = {
    .version = DBD_SOURCE_OPS_VERSION,
    .engine = DBC_MYSQL,
    .open = my_src_open,
};
