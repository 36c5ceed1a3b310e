/*
 * restore.c - the engine-agnostic restore pump: input -> archive reader -> sink adapter.
 *
 * The whole pre-data part (header, TABLE and pre-data OBJECT messages) is collected before
 * the sink sees anything; then prepare, pre-data objects, tables, data runs, post-data
 * objects, and commit only after the reader has verified the trailer (DBF_MSG_END).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dbr.h"

static const dbr_sink_ops *sink_for(dbc_engine e)
{
    switch (e) {
    case DBC_SQLITE:
        return &dbr_sqlite_sink;
    case DBC_POSTGRESQL:
        return &dbr_pg_sink;
    case DBC_MYSQL:
        return &dbr_mysql_sink;
    }
    return NULL;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct ptrvec {
    const void **v;
    size_t n, cap;
} ptrvec;

static int ptrvec_push(ptrvec *pv, const void *p)
{
    if (pv->n == pv->cap) {
        size_t cap = pv->cap ? pv->cap * 2 : 32;
        const void **v = realloc(pv->v, cap * sizeof *v);
        if (!v)
            return DBF_ENOMEM;
        pv->v = v;
        pv->cap = cap;
    }
    pv->v[pv->n++] = p;
    return 0;
}

/* Reader errors: prefer the input file's own message; say how far the archive got. */
static int reader_error(int rc, dbf_error *err, const dbc_infile *in, const char *last_table)
{
    const char *m = dbc_infile_errmsg(in);
    if (m && (rc == DBF_EIO || rc == DBF_ECANCELED)) {
        dbf_error_set(err, rc, "%s", m);
    } else if (rc == DBF_ETRUNCATED || rc == DBF_ECORRUPT) {
        char msg[sizeof err->msg];
        memcpy(msg, err->msg, sizeof msg);
        msg[sizeof msg - 1] = '\0';
        dbf_error_set(err, rc, "%s%.200s (last complete table: %.40s)",
                      rc == DBF_ETRUNCATED ? "truncated archive: " : "corrupt archive: ", msg,
                      last_table ? last_table : "none");
    }
    return rc;
}

int dbr_run(const dbr_opts *o, dbf_error *err)
{
    int rc = 0;
    dbc_target *target = NULL;
    const dbr_sink_ops *ops = NULL;
    dbr_sink *sink = NULL;
    dbc_infile *in = NULL;
    dbf_reader *r = NULL;
    ptrvec tables = {0}, pre = {0};
    const dbf_header *h = NULL;
    const dbf_table *cur = NULL;  /* table of the open data run */
    const char *last_done = NULL; /* last table whose DATA_END was read */
    uint64_t nrows = 0, nobjects = 0, ndata = 0;
    bool prepared = false, committed = false;
    double t0 = now_seconds();
    dbf_msg m;

    if (!o->check) {
        if ((rc = dbc_target_parse(&target, o->target, err)))
            goto done;
        ops = sink_for(target->engine);
        if (!ops || ops->version != DBR_SINK_OPS_VERSION || !ops->open) {
            rc = dbf_error_set(err, DBF_EUNSUPPORTED, "no restore adapter for '%s'",
                               target->display);
            goto done;
        }
    }
    if ((rc = dbc_infile_open(&in, o->input, err)))
        goto done;
    dbf_reader_opts ro = DBF_READER_OPTS_INIT;
    ro.read = dbc_infile_read;
    ro.ctx = in;
    if ((rc = dbf_reader_create(&r, &ro, err))) {
        reader_error(rc, err, in, NULL);
        goto done;
    }

    /* Pre-data: header, tables, pre objects, up to the first other message. */
    for (;;) {
        if ((rc = dbf_reader_next(r, &m, err))) {
            reader_error(rc, err, in, NULL);
            goto done;
        }
        if (m.kind == DBF_MSG_HEADER) {
            h = m.header;
        } else if (m.kind == DBF_MSG_TABLE) {
            if (ptrvec_push(&tables, m.table)) {
                rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
                goto done;
            }
        } else if (m.kind == DBF_MSG_OBJECT && m.object->section == DBF_SEC_PRE) {
            if (ptrvec_push(&pre, m.object)) {
                rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
                goto done;
            }
        } else {
            break;
        }
    }
    if (!h) {
        rc = dbf_error_set(err, DBF_ECORRUPT, "archive has no header");
        goto done;
    }
    if (dbc_verbosity >= 2)
        dbc_info("archive %u.%u from %s (%s %s), database %s, created %s", h->version_major,
                 h->version_minor, h->producer ? h->producer : "?", h->engine ? h->engine : "?",
                 h->server_version ? h->server_version : "", h->database ? h->database : "?",
                 h->created ? h->created : "?");

    if (!o->check) {
        if ((rc = ops->open(&sink, target, o, err)))
            goto done;
        prepared = true;
        if ((rc = ops->prepare(sink, h, (const dbf_table *const *)tables.v, tables.n, err)))
            goto done;
        for (size_t i = 0; i < pre.n; i++)
            if ((rc = ops->create_object(sink, h, pre.v[i], err)))
                goto done;
        for (size_t i = 0; i < tables.n; i++)
            if ((rc = ops->create_table(sink, h, tables.v[i], err)))
                goto done;
    }
    nobjects = pre.n;

    /* Data and post-data; m holds the first message not yet handled. */
    for (;;) {
        switch (m.kind) {
        case DBF_MSG_DATA_BEGIN:
        case DBF_MSG_ROW:
            if (cur != m.table) {
                if (cur && !o->check && (rc = ops->data_end(sink, cur, err)))
                    goto done;
                cur = m.table;
                if (!o->check && (rc = ops->data_begin(sink, cur, err)))
                    goto done;
            }
            if (m.kind == DBF_MSG_ROW) {
                nrows++;
                if (!o->check && (rc = ops->row(sink, cur, m.values, m.nvalues, m.row_number,
                                                err)))
                    goto done;
            }
            break;
        case DBF_MSG_DATA_END:
            if (cur == m.table) {
                if (!o->check && (rc = ops->data_end(sink, cur, err)))
                    goto done;
                cur = NULL;
            }
            last_done = m.table->name;
            ndata++;
            if (dbc_verbosity >= 2)
                dbc_info("table %s: %llu rows", m.table->name,
                         (unsigned long long)m.end->rows);
            break;
        case DBF_MSG_OBJECT:
            if (cur) {
                if (!o->check && (rc = ops->data_end(sink, cur, err)))
                    goto done;
                cur = NULL;
            }
            nobjects++;
            if (!o->check && (rc = ops->create_object(sink, h, m.object, err)))
                goto done;
            break;
        case DBF_MSG_TABLE:
            rc = dbf_error_set(err, DBF_ECORRUPT, "table %s defined after data began",
                               m.table->name);
            goto done;
        default: /* HEADER cannot repeat (reader checks), TRAILER: totals already verified */
            break;
        }
        if ((rc = dbf_reader_next(r, &m, err))) {
            reader_error(rc, err, in, last_done);
            goto done;
        }
        if (m.kind == DBF_MSG_END)
            break;
    }
    if (cur && !o->check && (rc = ops->data_end(sink, cur, err)))
        goto done;
    cur = NULL;

    double secs = now_seconds() - t0;
    if (o->check) {
        if (dbc_verbosity >= 1)
            printf("archive OK: format %u.%u, %s from %s %s, database %s, created %s; "
                   "%zu tables, %llu rows, %llu objects, %llu bytes\n",
                   h->version_major, h->version_minor, h->producer ? h->producer : "?",
                   h->engine ? h->engine : "?", h->server_version ? h->server_version : "",
                   h->database ? h->database : "?", h->created ? h->created : "?", tables.n,
                   (unsigned long long)nrows, (unsigned long long)nobjects,
                   (unsigned long long)dbf_reader_bytes_in(r));
    } else {
        if ((rc = ops->commit(sink, err)))
            goto done;
        committed = true;
        dbc_info("restored %s: %zu tables, %llu rows, %llu objects, %.2fs", target->display,
                 tables.n, (unsigned long long)nrows, (unsigned long long)nobjects, secs);
    }
    (void)ndata;

done:
    if (sink) {
        if (rc && prepared && !committed)
            ops->abort(sink);
        if (ops->close)
            ops->close(sink);
    }
    dbf_reader_free(r);
    dbc_infile_close(in);
    dbc_target_free(target);
    free(tables.v);
    free(pre.v);
    return rc;
}
