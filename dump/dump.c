/*
 * dump.c - the engine-agnostic dump pump: SOURCE -> adapter -> archive writer -> output file.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dbd.h"

#ifndef DBD_VERSION_STRING
#define DBD_VERSION_STRING "0.0.0"
#endif

static const dbd_source_ops *source_for(dbc_engine e)
{
    switch (e) {
    case DBC_SQLITE:
        return &dbd_sqlite_source;
    case DBC_POSTGRESQL:
        return &dbd_pg_source;
    case DBC_MYSQL:
        return &dbd_mysql_source;
    }
    return NULL;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Replace a write-callback error's generic message with the output file's own. */
static int io_error(int rc, dbf_error *err, const dbc_outfile *f)
{
    const char *m = dbc_outfile_errmsg(f);
    if (m && (rc == DBF_EIO || rc == DBF_ECANCELED))
        dbf_error_set(err, rc, "%s", m);
    return rc;
}

int dbd_run(const dbd_opts *o, dbf_error *err)
{
    int rc = 0;
    dbc_target *target = NULL;
    const dbd_source_ops *ops = NULL;
    dbd_source *src = NULL;
    dbc_outfile *out = NULL;
    dbf_writer *w = NULL;
    const dbf_table *tables = NULL;
    const dbf_object *objs = NULL;
    size_t ntables = 0, nobjs = 0;
    char created[32], level[16], producer[64];
    double t0 = now_seconds();

    if ((rc = dbc_target_parse(&target, o->source, err)))
        goto done;
    ops = source_for(target->engine);
    if (!ops || ops->version != DBD_SOURCE_OPS_VERSION || !ops->open) {
        rc = dbf_error_set(err, DBF_EUNSUPPORTED, "no source adapter for '%s'", target->display);
        goto done;
    }
    if ((rc = ops->open(&src, target, o, err)))
        goto done;

    dbf_header h;
    memset(&h, 0, sizeof h);
    if ((rc = ops->header(src, &h, err)))
        goto done;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(level, sizeof level, "%d", o->zstd_level > 0 ? o->zstd_level : 3);
    snprintf(producer, sizeof producer, "dbdump %s", DBD_VERSION_STRING);
    dbf_kv options[] = {{"compress_level", level}};
    h.producer = producer;
    h.created = created;
    h.options = options;
    h.noptions = sizeof options / sizeof options[0];

    if ((rc = ops->tables(src, &tables, &ntables, err)))
        goto done;

    /* The output file is created only once the source is open and readable. */
    if ((rc = dbc_outfile_open(&out, o->output, err)))
        goto done;
    dbf_writer_opts wo = DBF_WRITER_OPTS_INIT;
    wo.write = dbc_outfile_write;
    wo.ctx = out;
    wo.zstd_level = o->zstd_level;
    if ((rc = dbf_writer_create(&w, &wo, err)) || (rc = dbf_writer_header(w, &h, err)))
        goto done;
    for (size_t i = 0; i < ntables; i++)
        if ((rc = dbf_writer_table(w, &tables[i], err)))
            goto done;
    if ((rc = ops->objects(src, DBF_SEC_PRE, &objs, &nobjs, err)))
        goto done;
    for (size_t i = 0; i < nobjs; i++)
        if ((rc = dbf_writer_object(w, &objs[i], err)))
            goto done;
    for (size_t i = 0; i < ntables; i++) {
        const dbf_table *t = &tables[i];
        if (dbc_verbosity >= 2)
            dbc_info("dumping table %s%s%s", t->schema ? t->schema : "", t->schema ? "." : "",
                     t->name);
        if ((rc = dbf_writer_data_begin(w, t->id, err)) ||
            (rc = ops->stream_rows(src, t, w, err)) || (rc = dbf_writer_data_end(w, t->id, err)))
            goto done;
    }
    if ((rc = ops->objects(src, DBF_SEC_POST, &objs, &nobjs, err)))
        goto done;
    for (size_t i = 0; i < nobjs; i++)
        if ((rc = dbf_writer_object(w, &objs[i], err)))
            goto done;
    if ((rc = dbf_writer_finish(w, err)))
        goto done;
    if ((rc = dbc_outfile_commit(out, err)))
        goto done;
    {
        uint64_t in = dbf_writer_bytes_in(w), outb = dbf_writer_bytes_out(w);
        dbc_info("dumped %s: %zu tables, %llu bytes -> %llu bytes (ratio %.2f), %.2fs",
                 target->display, ntables, (unsigned long long)in, (unsigned long long)outb,
                 outb ? (double)in / (double)outb : 0.0, now_seconds() - t0);
    }
    dbc_outfile_abort(out); /* committed: only frees */
    out = NULL;

done:
    if (rc && out)
        io_error(rc, err, out);
    dbf_writer_free(w);
    dbc_outfile_abort(out);
    if (ops && ops->close && src)
        ops->close(src);
    dbc_target_free(target);
    return rc;
}
