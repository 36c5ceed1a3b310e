/*
 * dump.c - the engine-agnostic dump pump: SOURCE -> engine source -> archive writer -> output
 * file. dbdump runs it, and so does dbrestore --backup-to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"

#ifndef DBD_VERSION_STRING
#define DBD_VERSION_STRING "0.0.0"
#endif

/* A source's rows into the archive: stream_rows' callback. */
typedef struct to_writer {
    dbf_writer *w;
    uint32_t table_id;
} to_writer;

static int write_row(void *ctx, const dbf_value *vals, size_t n, dbf_error *err)
{
    const to_writer *tw = ctx;
    return dbf_writer_row(tw->w, tw->table_id, vals, n, err);
}

/* Replace a write-callback error's generic message with the output file's own. */
static int io_error(int rc, dbf_error *err, const dbc_outfile *f)
{
    const char *m = dbc_outfile_errmsg(f);
    if (m && (rc == DBF_EIO || rc == DBF_ECANCELED))
        dbf_error_set(err, rc, "%s", m);
    return rc;
}

/* The output callback with a progress redraw after each compressed chunk. */
typedef struct progress_out {
    dbc_outfile *out;
    dbc_progress *prog;
    dbf_writer *w;
} progress_out;

static int progress_write(void *ctx, const void *buf, size_t len)
{
    progress_out *po = ctx;
    int rc = dbc_outfile_write(po->out, buf, len);
    if (rc == 0 && po->w)
        dbc_progress_update(po->prog, dbf_writer_rows(po->w), dbf_writer_bytes_in(po->w),
                            dbf_writer_bytes_out(po->w) + len);
    return rc;
}

/*
 * dbdump | dbrestore: a dump that fails leaves an ABORT message carrying its error in the
 * stream (spec/FORMAT.md, ABORT), so that the reader's last line says why the archive ends
 * there. A failure before the header (no such database, refused login) gets a stream of its
 * own: preamble, a header naming the producer, the ABORT. Only into a pipe: an output file
 * is removed anyway, and a reader that went away reads nothing.
 */
static void abort_stream(const dbe_dump_opts *o, const dbe_target *target, dbf_writer **w,
                         dbc_outfile **out, const char *producer, const dbf_error *why)
{
    struct stat st;
    dbf_error e2;
    e2.code = 0;
    e2.msg[0] = '\0';
    if ((o->output && strcmp(o->output, "-") != 0) || dbc_reader_gone ||
        fstat(STDOUT_FILENO, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
        return;
    if (!*w) {
        dbf_header h;
        memset(&h, 0, sizeof h);
        h.producer = producer;
        h.engine = dbe_name(target ? target->engine : 0);
        dbf_writer_opts wo = DBF_WRITER_OPTS_INIT;
        wo.write = dbc_outfile_write;
        if ((!*out && dbc_outfile_open(out, NULL, &e2)) || !(wo.ctx = *out) ||
            dbf_writer_create(w, &wo, &e2) || dbf_writer_header(*w, &h, &e2))
            return;
    }
    dbf_writer_abort(*w, why->msg[0] ? why->msg : dbc_strerror(why->code), &e2);
}

int dbe_dump(const dbe_dump_opts *o, dbf_error *err)
{
    int rc = 0;
    dbe_target *target = NULL;
    const dbe_source_ops *ops = NULL;
    dbe_source *src = NULL;
    dbc_outfile *out = NULL;
    dbf_writer *w = NULL;
    const dbf_table *tables = NULL;
    const dbf_object *objs = NULL;
    size_t ntables = 0, nobjs = 0, nsel = 0;
    char created[32], level[16], producer[64];
    double t0 = dbc_now();
    const dbc_select *sel = o->select;
    bool *selected = NULL; /* per table */
    dbc_progress *prog = NULL;
    progress_out po = {NULL, NULL, NULL};
    snprintf(producer, sizeof producer, "dbdump %s", DBD_VERSION_STRING);

    if ((rc = dbe_target_parse(&target, o->source, err)))
        goto done;
    ops = dbe_source_for(target->engine);
    if (!ops || ops->version != DBE_SOURCE_OPS_VERSION || !ops->open) {
        rc = dbf_error_set(err, DBF_EUNSUPPORTED, "no source for '%s'", target->display);
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
    dbf_kv options[3] = {{"compress_level", level}};
    h.noptions = 1;
    if (sel && sel->schema_only)
        options[h.noptions++] = (dbf_kv){"schema_only", "1"};
    if (sel && sel->data_only)
        options[h.noptions++] = (dbf_kv){"data_only", "1"};
    h.producer = producer;
    h.created = created;
    h.options = options;

    if ((rc = ops->tables(src, &tables, &ntables, err)))
        goto done;
    if (!(selected = calloc(ntables ? ntables : 1, sizeof *selected))) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    uint64_t estimate = 0;
    for (size_t i = 0; i < ntables; i++) {
        selected[i] = dbc_select_table_of(sel, &tables[i]);
        if (selected[i]) {
            nsel++;
            estimate += tables[i].row_estimate > 0 ? (uint64_t)tables[i].row_estimate : 0;
            dbc_select_check_fk_sql(sel, &tables[i]);
        }
    }
    if (sel && (sel->ninclude || sel->nexclude) && nsel == 0) {
        rc = dbf_error_set(err, DBC_EUSAGE, "no table of %s matches the -t/-T selection",
                           target->display);
        goto done;
    }
    if ((rc = dbc_progress_create(&prog, o->progress, "dumping"))) {
        rc = dbf_error_set(err, rc, "out of memory");
        goto done;
    }
    dbc_progress_total(prog, sel && sel->schema_only ? 0 : estimate);

    /* The output file is created only once the source is open and readable. */
    if ((rc = dbc_outfile_open(&out, o->output, err)))
        goto done;
    if (o->mode != 0 && (rc = dbc_outfile_chmod(out, (unsigned)o->mode, err)))
        goto done;
    dbf_writer_opts wo = DBF_WRITER_OPTS_INIT;
    po.out = out;
    po.prog = prog;
    wo.write = progress_write;
    wo.ctx = &po;
    wo.zstd_level = o->zstd_level;
    wo.zstd_workers = o->threads;
    if ((rc = dbf_writer_create(&w, &wo, err)) || (rc = dbf_writer_header(w, &h, err)))
        goto done;
    po.w = w;
    for (size_t i = 0; i < ntables; i++)
        if (selected[i] && (rc = dbf_writer_table(w, &tables[i], err)))
            goto done;
    if ((rc = ops->objects(src, DBF_SEC_PRE, &objs, &nobjs, err)))
        goto done;
    for (size_t i = 0; i < nobjs; i++)
        if (dbc_select_object(sel, &objs[i]) && (rc = dbf_writer_object(w, &objs[i], err)))
            goto done;
    for (size_t i = 0; i < ntables && !(sel && sel->schema_only); i++) {
        const dbf_table *t = &tables[i];
        if (!selected[i])
            continue;
        if (dbc_verbosity >= 2) {
            dbc_progress_clear(prog);
            dbc_info("dumping table %s%s%s", t->schema ? t->schema : "", t->schema ? "." : "",
                     t->name);
        }
        dbc_progress_table(prog, t->schema, t->name, t->row_estimate);
        dbc_progress_update(prog, dbf_writer_rows(w), dbf_writer_bytes_in(w),
                            dbf_writer_bytes_out(w));
        to_writer tw = {w, t->id};
        if ((rc = dbf_writer_data_begin(w, t->id, err)) ||
            (rc = ops->stream_rows(src, t, write_row, &tw, err)) ||
            (rc = dbf_writer_data_end(w, t->id, err)))
            goto done;
    }
    if ((rc = ops->objects(src, DBF_SEC_POST, &objs, &nobjs, err)))
        goto done;
    for (size_t i = 0; i < nobjs; i++) {
        if (!dbc_select_object(sel, &objs[i]))
            continue;
        dbc_select_check_fk_obj(sel, &objs[i]);
        if ((rc = dbf_writer_object(w, &objs[i], err)))
            goto done;
    }
    if ((rc = dbf_writer_finish(w, err)))
        goto done;
    if ((rc = dbc_outfile_commit(out, err)))
        goto done;
    dbc_progress_clear(prog);
    {
        uint64_t in = dbf_writer_bytes_in(w), outb = dbf_writer_bytes_out(w);
        dbc_info("dumped %s: %zu tables, %llu rows, %llu bytes in, %llu bytes out "
                 "(ratio %.2f), %.2fs",
                 target->display, nsel, (unsigned long long)dbf_writer_rows(w),
                 (unsigned long long)in, (unsigned long long)outb,
                 outb ? (double)in / (double)outb : 0.0, dbc_now() - t0);
    }
    dbc_outfile_abort(out); /* committed: only frees */
    out = NULL;

done:
    if (rc && out)
        io_error(rc, err, out);
    if (rc) {
        dbc_progress_clear(prog);
        po.prog = NULL; /* no progress line for the ABORT frame */
        abort_stream(o, target, &w, &out, producer, err);
    }
    dbc_progress_free(prog);
    free(selected);
    dbf_writer_free(w);
    dbc_outfile_abort(out);
    if (ops && ops->close && src)
        ops->close(src);
    dbe_target_free(target);
    return rc;
}
