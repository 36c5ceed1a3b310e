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

#include "dump_jobs.h"
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
    dbf_error e2 = {0, {0}};
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

/* A dump in progress: what its steps share. */
typedef struct dump_run {
    const dbe_dump_opts *o;
    const dbc_select *sel; /* o->select */
    const dbe_source_ops *ops;
    dbe_source *src;
    dbf_writer *w;
    dbc_progress *prog;
    const dbf_table *tables;
    size_t ntables, nsel; /* nsel of them selected: */
    bool *selected;       /* per table */
    dbf_header h;         /* the archive's, pointing into: */
    char created[32], level[16], producer[64], nomitted[24];
    dbf_kv options[8];
    size_t omitted;       /* the source's DBF_OBJ_OMITTED objects that go with the selection */
} dump_run;

/* The archive's header: the source's, with the producer, the time and the options. */
static int make_header(dump_run *d, dbf_error *err)
{
    int rc = d->ops->header(d->src, &d->h, err);
    if (rc)
        return rc;
    /* SOURCE_DATE_EPOCH (reproducible-builds.org): the same database gives the same bytes */
    time_t now = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    long long fixed = sde && *sde ? strtoll(sde, &end, 10) : -1;
    if (sde && *sde && (*end || fixed < 0))
        return dbf_error_set(err, DBC_EUSAGE, "SOURCE_DATE_EPOCH='%s' is not a number of "
                             "seconds since 1970", sde);
    if (fixed >= 0)
        now = (time_t)fixed;
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(d->created, sizeof d->created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(d->level, sizeof d->level, "%d", d->o->zstd_level > 0 ? d->o->zstd_level : 3);
    size_t n = 0; /* the source's options (postgresql.ddl), then the dump's */
    for (size_t i = 0; i < d->h.noptions && n < sizeof d->options / sizeof d->options[0] - 3; i++)
        d->options[n++] = d->h.options[i];
    d->options[n++] = (dbf_kv){"compress_level", d->level};
    d->h.noptions = n;
    if (d->sel && d->sel->schema_only)
        d->options[d->h.noptions++] = (dbf_kv){"schema_only", "1"};
    if (d->sel && d->sel->data_only)
        d->options[d->h.noptions++] = (dbf_kv){"data_only", "1"};
    if (d->omitted) {
        snprintf(d->nomitted, sizeof d->nomitted, "%zu", d->omitted);
        d->options[d->h.noptions++] = (dbf_kv){"incomplete", d->nomitted};
    }
    d->h.producer = d->producer;
    d->h.created = d->created;
    d->h.options = d->options;
    return 0;
}

/*
 * Never silent: the objects the source cannot carry (DBF_OBJ_OMITTED, spec/FORMAT.md 3.9)
 * and that go with the selection, each named. Without --skip-unsupported they fail the dump
 * (nothing is written); with it they go into the archive, counted in the header.
 */
static int check_omitted(dump_run *d, dbf_error *err)
{
    for (int sec = DBF_SEC_PRE; sec <= DBF_SEC_POST; sec++) {
        const dbf_object *objs = NULL;
        size_t n = 0;
        int rc = d->ops->objects(d->src, (dbf_section)sec, &objs, &n, err);
        if (rc)
            return rc;
        for (size_t i = 0; i < n; i++) {
            const dbf_object *o = &objs[i];
            if (o->kind != DBF_OBJ_OMITTED || !dbc_select_object(d->sel, o))
                continue;
            char text[1024];
            d->omitted++;
            dbc_progress_clear(d->prog);
            fprintf(stderr, "%s: %s\n",
                    d->o->skip_unsupported ? "dbdump: warning: not carried (--skip-unsupported)"
                                           : "dbdump: cannot carry",
                    dbc_omission_text(text, sizeof text, o));
        }
    }
    if (d->omitted && !d->o->skip_unsupported)
        return dbf_error_set(err, DBF_EUNSUPPORTED,
                             "%zu object%s of the database cannot be carried (listed above); "
                             "dbdump --skip-unsupported dumps the rest, the archive recording "
                             "each as not carried", d->omitted, d->omitted == 1 ? "" : "s");
    return 0;
}

/* The tables that go into the archive (-t/-T), warning of foreign keys to tables left out;
 * the progress line expects their rows. */
static int select_tables(dump_run *d, const char *source, dbf_error *err)
{
    const dbc_select *sel = d->sel;
    uint64_t estimate = 0;
    int rc = d->ops->tables(d->src, &d->tables, &d->ntables, err);
    if (rc)
        return rc;
    if (!(d->selected = calloc(d->ntables ? d->ntables : 1, sizeof *d->selected)))
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    for (size_t i = 0; i < d->ntables; i++) {
        d->selected[i] = dbc_select_table_of(sel, &d->tables[i]);
        if (d->selected[i]) {
            d->nsel++;
            estimate += d->tables[i].row_estimate > 0 ? (uint64_t)d->tables[i].row_estimate : 0;
            dbc_select_check_fk_sql(sel, &d->tables[i]);
        }
    }
    if (sel && (sel->ninclude || sel->nexclude) && d->nsel == 0)
        return dbf_error_set(err, DBC_EUSAGE, "no table of %s matches the -t/-T selection",
                             source);
    if ((rc = dbc_progress_create(&d->prog, d->o->progress, "dumping")))
        return dbf_error_set(err, rc, "out of memory");
    dbc_progress_total(d->prog, sel && sel->schema_only ? 0 : estimate);
    return 0;
}

/* The source's objects of section sec that go with the selection. */
static int write_objects(dump_run *d, dbf_section sec, dbf_error *err)
{
    const dbf_object *objs = NULL;
    size_t nobjs = 0;
    int rc = d->ops->objects(d->src, sec, &objs, &nobjs, err);
    for (size_t i = 0; i < nobjs && !rc; i++) {
        if (!dbc_select_object(d->sel, &objs[i]))
            continue;
        if (sec == DBF_SEC_POST)
            dbc_select_check_fk_obj(d->sel, &objs[i]);
        rc = dbf_writer_object(d->w, &objs[i], err);
    }
    return rc;
}

/* What follows the header: table entries, pre-data objects, rows, post-data objects. */
static int write_body(dump_run *d, dbf_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < d->ntables && !rc; i++)
        if (d->selected[i])
            rc = dbf_writer_table(d->w, &d->tables[i], err);
    if (rc || (rc = write_objects(d, DBF_SEC_PRE, err)))
        return rc;
    if (dbe_dump_lanes(d->o) > 1 && d->ops->stream_lane) {
        dj_args a = {d->ops, d->src, (unsigned)d->o->jobs, d->w, d->prog, d->tables,
                     d->selected, d->ntables};
        return (rc = dbe_dump_jobs(&a, err)) ? rc : write_objects(d, DBF_SEC_POST, err);
    }
    for (size_t i = 0; i < d->ntables && !rc && !(d->sel && d->sel->schema_only); i++) {
        const dbf_table *t = &d->tables[i];
        if (!d->selected[i])
            continue;
        if (dbc_verbosity >= 2) {
            dbc_progress_clear(d->prog);
            dbc_info("dumping table %s%s%s", t->schema ? t->schema : "", t->schema ? "." : "",
                     t->name);
        }
        dbc_progress_table(d->prog, t->schema, t->name, t->row_estimate);
        dbc_progress_update(d->prog, dbf_writer_rows(d->w), dbf_writer_bytes_in(d->w),
                            dbf_writer_bytes_out(d->w));
        to_writer tw = {d->w, t->id};
        if (!(rc = dbf_writer_data_begin(d->w, t->id, err)) &&
            !(rc = d->ops->stream_rows(d->src, t, write_row, &tw, err)))
            rc = dbf_writer_data_end(d->w, t->id, err);
    }
    return rc ? rc : write_objects(d, DBF_SEC_POST, err);
}

int dbe_dump(const dbe_dump_opts *o, dbf_error *err)
{
    int rc = 0;
    dbe_target *target = NULL;
    dbc_outfile *out = NULL;
    double t0 = dbc_now();
    progress_out po = {NULL, NULL, NULL};
    dump_run d = {.o = o, .sel = o->select};
    snprintf(d.producer, sizeof d.producer, "dbdump %s", DBD_VERSION_STRING);

    if ((rc = dbe_target_parse(&target, o->source, err)))
        goto done;
    d.ops = dbe_source_for(target->engine);
    if (!d.ops || d.ops->version != DBE_SOURCE_OPS_VERSION || !d.ops->open) {
        rc = dbf_error_set(err, DBF_EUNSUPPORTED, "no source for '%s'", target->display);
        goto done;
    }
    if ((rc = d.ops->open(&d.src, target, o, err)) || (rc = check_omitted(&d, err)) ||
        (rc = make_header(&d, err)) ||
        (rc = select_tables(&d, target->display, err)))
        goto done;

    /* The output file is created only once the source is open and readable. */
    if ((rc = dbc_outfile_open(&out, o->output, err)))
        goto done;
    if (o->mode != 0 && (rc = dbc_outfile_chmod(out, (unsigned)o->mode, err)))
        goto done;
    dbf_writer_opts wo = DBF_WRITER_OPTS_INIT;
    po.out = out;
    po.prog = d.prog;
    wo.write = progress_write;
    wo.ctx = &po;
    wo.zstd_level = o->zstd_level;
    wo.zstd_workers = o->threads;
    if (o->jobs > 1 && !d.ops->stream_lane && o->jobs > o->threads)
        wo.zstd_workers = o->jobs; /* one reader (SQLite): -j N compresses in N threads */
    if ((rc = dbf_writer_create(&d.w, &wo, err)) || (rc = dbf_writer_header(d.w, &d.h, err)))
        goto done;
    po.w = d.w;
    if ((rc = write_body(&d, err)) || (rc = dbf_writer_finish(d.w, err)) ||
        (rc = dbc_outfile_commit(out, err)))
        goto done;
    dbc_progress_clear(d.prog);
    uint64_t in = dbf_writer_bytes_in(d.w), outb = dbf_writer_bytes_out(d.w);
    char incomplete[64] = "";
    if (d.omitted)
        snprintf(incomplete, sizeof incomplete, "; incomplete: %zu object%s not carried",
                 d.omitted, d.omitted == 1 ? "" : "s");
    char conns[32] = "";
    if (dbe_dump_lanes(o) > 1 && d.ops->stream_lane)
        snprintf(conns, sizeof conns, " on %d connections", o->jobs);
    dbc_info("dumped %s%s: %zu tables, %llu rows, %llu bytes in, %llu bytes out "
             "(ratio %.2f), %.2fs%s",
             target->display, conns, d.nsel, (unsigned long long)dbf_writer_rows(d.w),
             (unsigned long long)in, (unsigned long long)outb,
             outb ? (double)in / (double)outb : 0.0, dbc_now() - t0, incomplete);
    dbc_outfile_abort(out); /* committed: only frees */
    out = NULL;

done:
    if (rc && out)
        io_error(rc, err, out);
    if (rc) {
        dbc_progress_clear(d.prog);
        po.prog = NULL; /* no progress line for the ABORT frame */
        abort_stream(o, target, &d.w, &out, d.producer, err);
    }
    dbc_progress_free(d.prog);
    free(d.selected);
    dbf_writer_free(d.w);
    dbc_outfile_abort(out);
    if (d.ops && d.ops->close && d.src)
        d.ops->close(d.src);
    dbe_target_free(target);
    return rc;
}
