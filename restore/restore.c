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

#include "cross.h"
#include "dbr.h"
#include "into.h"

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
static int reader_error(int rc, dbf_error *err, const dbf_reader *r, const dbc_infile *in,
                        const char *last_table)
{
    const char *m = dbc_infile_errmsg(in);
    if (m && (rc == DBF_EIO || rc == DBF_ECANCELED)) {
        dbf_error_set(err, rc, "%s", m);
    } else if (rc == DBF_ETRUNCATED && dbf_reader_writer_failed(r)) {
        /* the writer's own message, carried in the stream (ABORT): the cause, said last */
        size_t len = strlen(err->msg);
        snprintf(err->msg + len, sizeof err->msg - len, "; nothing was restored");
        return rc;
    } else if (rc == DBF_ETRUNCATED && strstr(err->msg, "last complete table: ")) {
        dbf_error_prefix(err, "truncated archive: "); /* the reader named the table already */
    } else if (rc == DBF_ETRUNCATED || rc == DBF_ECORRUPT) {
        size_t len = strlen(err->msg);
        snprintf(err->msg + len, sizeof err->msg - len, " (last complete table: %s)",
                 last_table ? last_table : "none");
        dbf_error_prefix(err, "%s", rc == DBF_ETRUNCATED ? "truncated archive: "
                                                         : "corrupt archive: ");
    }
    if (rc == DBF_ETRUNCATED && dbc_infile_is_pipe(in)) {
        /* dbdump | dbrestore: the writer's own message came first; point at it */
        size_t len = strlen(err->msg);
        snprintf(err->msg + len, sizeof err->msg - len, "; the program writing the pipe "
                 "stopped early (its own message, if it printed one, is above)");
    }
    return rc;
}

static size_t table_index(const ptrvec *tables, const dbf_table *t);

/* Every row of the selected tables, from m (the first message after the pre-data) to the
 * end of the archive, to fn: the orphan scan before a load, or --plan's dry run. */
typedef int (*row_fn)(dbr_into *x, size_t j, const dbf_value *vals, size_t n,
                      uint64_t row_number, const dbe_sink_ops *ops, dbe_sink *k, dbf_error *err);

static int each_row(dbr_into *ix, row_fn fn, const dbe_sink_ops *ops, dbe_sink *sink,
                    dbf_reader *r, dbf_msg *m, const dbc_infile *in, const ptrvec *tables,
                    dbf_error *err)
{
    const char *last = NULL;
    int rc = 0;
    while (!rc && m->kind != DBF_MSG_END) {
        if (m->kind == DBF_MSG_ROW) {
            size_t ci = table_index(tables, m->table);
            if (ci < tables->n)
                rc = fn(ix, ci, m->values, m->nvalues, m->row_number, ops, sink, err);
        } else if (m->kind == DBF_MSG_DATA_END) {
            last = m->table->name;
        }
        if (!rc && (rc = dbf_reader_next(r, m, err)))
            reader_error(rc, err, r, in, last);
    }
    return rc;
}

/* --orphans: the scan before the load reads every row of the archive once
 * (restore/orphans.c). */
static int scan_rows(dbr_into *ix, const dbe_sink_ops *ops, dbe_sink *sink, dbf_reader *r,
                     dbf_msg *m, const dbc_infile *in, const ptrvec *tables, dbf_error *err)
{
    int rc = dbr_into_scan_begin(ix, ops, sink, err);
    if (!rc)
        rc = each_row(ix, dbr_into_scan_row, ops, sink, r, m, in, tables, err);
    return rc ? rc : dbr_into_scan_end(ix, ops, sink, err);
}

/* --plan of a data-only load: every row converted as the load would (a dry run), and the
 * orphan scan the load would make, found the way it finds them. */
static int plan_rows(dbr_into *ix, const dbe_sink_ops *ops, dbe_sink *sink, dbf_reader *r,
                     dbf_msg *m, const dbc_infile *in, const ptrvec *tables, dbf_error *err)
{
    bool scan = dbr_into_scan_wanted(ix);
    int rc = 0;
    if (scan && !(rc = dbr_into_begin(ix, ops, sink, err)))
        rc = dbr_into_scan_begin(ix, ops, sink, err);
    if (!rc)
        rc = each_row(ix, dbr_into_plan_row, ops, sink, r, m, in, tables, err);
    if (rc)
        return rc;
    rc = dbr_into_plan_end(ix, err);
    if (scan && rc) /* rows refused would be missing parents: the list would mislead */
        printf("orphans: not looked for: the load stops at the refusal of a row first\n");
    else if (scan)
        rc = dbr_into_scan_end(ix, ops, sink, err);
    return rc;
}

/* The archive from its start again, up to the first message after the pre-data (in *m).
 * Tables are matched by id: the first reader's stay the ones everything points at. */
static int reread(dbf_reader **r, dbc_infile *in, dbf_msg *m, dbf_error *err)
{
    int rc;
    dbf_reader_opts ro = DBF_READER_OPTS_INIT;
    ro.read = dbc_infile_read;
    ro.ctx = in;
    if ((rc = dbc_infile_rewind(in, err)) || (rc = dbf_reader_create(r, &ro, err)))
        return rc;
    do {
        if ((rc = dbf_reader_next(*r, m, err)))
            return reader_error(rc, err, *r, in, NULL);
    } while (m->kind == DBF_MSG_HEADER || m->kind == DBF_MSG_TABLE ||
             (m->kind == DBF_MSG_OBJECT && m->object->section == DBF_SEC_PRE));
    return 0;
}

static size_t table_index(const ptrvec *tables, const dbf_table *t)
{
    for (size_t i = 0; i < tables->n; i++)
        if (tables->v[i] == t)
            return i;
    for (size_t i = 0; i < tables->n; i++)
        if (((const dbf_table *)tables->v[i])->id == t->id)
            return i;
    return tables->n;
}

/* End of a data run of table ci: the sink's data_end, then (data-only --on-conflict) the
 * merge of the staging table. */
static int end_run(const dbe_sink_ops *ops, dbe_sink *sink, const dbf_table *const *tts,
                   size_t ci, dbr_into *ix, dbf_error *err)
{
    int rc = ops->data_end(sink, tts[ci], err);
    return rc || !ix ? rc : dbr_into_run_end(ix, ops, sink, ci, err);
}

/* --verify: read back (inside the sink's transaction when it can, else after commit through
 * a new connection), print the summary table, DBR_EVERIFY on a mismatch. */
static int run_verify(const dbe_sink_ops *ops, dbe_sink *sink, const dbe_target *target,
                      dbr_verify_table *vt, size_t n, uint64_t nrows, double t0, dbf_error *err)
{
    int rc = dbr_verify_read(ops, sink, target, vt, n, err);
    size_t bad = 0;
    if (rc)
        return rc;
    if (sink)
        printf("Verify (before commit, inside the restore's transaction: %s)\n",
               target->display);
    else
        printf("Verify (after commit: read back from %s)\n", target->display);
    printf("%-40s %12s %12s  %s\n", "table", "sent rows", "read rows", "result");
    for (size_t i = 0; i < n; i++) {
        bool ok = vt[i].found && vt[i].got_rows == vt[i].sent_rows &&
                  memcmp(vt[i].got_digest, vt[i].sent_digest, DBF_DIGEST_SIZE) == 0;
        bad += !ok;
        printf("%-40s %12llu %12llu  %s\n", vt[i].name, (unsigned long long)vt[i].sent_rows,
               (unsigned long long)vt[i].got_rows,
               ok ? "OK" : !vt[i].found ? "MISMATCH (table not found)" : "MISMATCH");
    }
    printf("Rows restored: %llu  Elapsed: %.1fs\n", (unsigned long long)nrows,
           dbc_now() - t0);
    fflush(stdout);
    if (bad)
        return dbf_error_set(err, DBR_EVERIFY, "verify: %zu of %zu tables differ in the target",
                             bad, n);
    return 0;
}

/* --plan: read the rest of the archive for its objects, print the report; nothing written. */
static int run_plan(const dbe_restore_opts *o, const dbe_target *target, const dbf_header *h,
                    ptrvec *tables, ptrvec *pre, dbf_reader *r, dbf_msg *m, dbc_infile *in,
                    dbf_error *err)
{
    int rc = 0;
    ptrvec objs = {0};
    for (size_t i = 0; i < pre->n; i++)
        if (ptrvec_push(&objs, pre->v[i])) {
            rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
            goto done;
        }
    while (m->kind != DBF_MSG_END) {
        if (m->kind == DBF_MSG_OBJECT && ptrvec_push(&objs, m->object)) {
            rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
            goto done;
        }
        if ((rc = dbf_reader_next(r, m, err))) {
            reader_error(rc, err, r, in, NULL);
            goto done;
        }
    }
    dbe_id td = target->engine;
    if (dbe_id_named(h->engine) == td) {
        printf("plan: same engine (%s): the archive's own DDL and values are restored "
               "unchanged; %zu tables, %zu objects\n",
               h->engine, tables->n, objs.n);
        goto done;
    }
    rc = dbr_cross_plan(td, h, (const dbf_table *const *)tables->v, tables->n,
                        (const dbf_object *const *)objs.v, objs.n, o, err);
    fflush(stdout);
done:
    free(objs.v);
    return rc;
}

int dbr_run(const dbe_restore_opts *o, dbf_error *err)
{
    int rc = 0;
    dbe_target *target = NULL;
    const dbe_sink_ops *ops = NULL;
    dbe_sink *sink = NULL;
    dbc_infile *in = NULL;
    dbf_reader *r = NULL;
    ptrvec tables = {0}, pre = {0};
    const dbf_header *h = NULL;
    const dbf_table *cur = NULL;  /* table of the open data run */
    const char *last_done = NULL; /* last table whose DATA_END was read */
    uint64_t nrows = 0, nobjects = 0, ndata = 0;
    uint64_t nleft = 0;             /* --orphans=skip: archive rows left out */
    bool prepared = false, committed = false;
    double t0 = dbc_now();
    dbf_msg m;
    dbr_cross *cx = NULL;           /* cross-engine translation, NULL for same engine */
    const dbf_table *const *tts = NULL; /* tables as the sink sees them */
    const dbf_table **tts_into = NULL;  /* data-only: the tables the sink loads */
    const dbf_header *th = NULL;    /* header as the sink sees it */
    dbr_verify_table *vt = NULL;    /* --verify: per archive table */
    size_t ci = 0;                  /* index of cur */
    dbc_progress *prog = NULL;      /* progress line (common/progress.c) */
    const dbf_table *sel_t = NULL;  /* last table tested against the selection */
    bool sel_skip = false, data_only = o->select && o->select->data_only;
    bool left_out = false;          /* tables left out below (internal, virtual): skip rows */
    dbe_restore_opts so = *o;               /* as the sink sees them (--data-only: into existing) */
    dbr_into *ix = NULL;            /* data-only into existing tables (restore/into.c) */
    dbf_reader *r0 = NULL;          /* --orphans: the first reading, whose tables stay used */
    dbf_header ih;                  /* header as the sink sees it then (target's engine) */

    if (o->to_sql) {
        if ((rc = dbr_tosql_target(&target, o->to_sql, err)))
            goto done;
        ops = &dbr_tosql_sink;
    } else if (!o->check) {
        if ((rc = dbe_target_parse(&target, o->target, err)))
            goto done;
        ops = dbe_sink_for(target->engine);
        if (!ops || ops->version != DBE_SINK_OPS_VERSION || !ops->open) {
            rc = dbf_error_set(err, DBF_EUNSUPPORTED, "no restore adapter for '%s'",
                               target->display);
            goto done;
        }
    }
    if ((rc = dbc_infile_open(&in, o->input, err)))
        goto done;
    /* --orphans=skip|null reads the archive twice: a pipe is kept in a file first */
    if (dbr_orphans_reread(o) && (rc = dbc_infile_spool(in, err)))
        goto done;
    dbf_reader_opts ro = DBF_READER_OPTS_INIT;
    ro.read = dbc_infile_read;
    ro.ctx = in;
    if ((rc = dbf_reader_create(&r, &ro, err))) {
        reader_error(rc, err, r, in, NULL);
        goto done;
    }

    /* Pre-data: header, tables, pre objects, up to the first other message. */
    for (;;) {
        if ((rc = dbf_reader_next(r, &m, err))) {
            reader_error(rc, err, r, in, NULL);
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
    /* Selection (-t/-T/--schema-only/--data-only, common/select.c): tables and pre-data
     * objects are filtered here, data and post-data objects as they come. */
    for (size_t i = 0; i < h->noptions; i++)
        if (strcmp(h->options[i].key, "data_only") == 0 && strcmp(h->options[i].value, "1") == 0)
            data_only = true;
    so.force = so.force || data_only;
    so.into = data_only && !o->to_sql && !o->check && target;
    if (!so.into && !o->check && !o->to_sql &&
        (o->truncate || o->on_conflict || o->skip_missing || o->ninclude_tables ||
         o->norphans || o->orphans_report)) {
        rc = dbf_error_set(err, DBC_EUSAGE, "--truncate, --on-conflict, --skip-missing, "
                           "--include-table and --orphans apply to data-only restores "
                           "(--data-only, or an archive written with dbdump --data-only)");
        goto done;
    }
    if (so.into && o->clean) {
        rc = dbf_error_set(err, DBC_EUSAGE, "--clean drops and creates tables; a data-only "
                           "restore loads rows into the tables the target already has");
        goto done;
    }
    if (o->select) {
        size_t nt = 0, np = 0;
        for (size_t i = 0; i < tables.n; i++) {
            const dbf_table *t = tables.v[i];
            if (dbc_select_table_of(o->select, t)) {
                dbc_select_check_fk_sql(o->select, t);
                tables.v[nt++] = t;
            }
        }
        for (size_t i = 0; i < pre.n; i++)
            if (dbc_select_object(o->select, pre.v[i]))
                pre.v[np++] = pre.v[i];
        tables.n = nt;
        pre.n = np;
    }
    /* Tables an engine keeps for itself (attr "<engine>.internal" = "1": SQLite's ANALYZE
     * statistics, sqlite_stat1) go only into that engine (spec/TYPES.md); another engine
     * would get them as tables of its own. SQLite virtual tables and their shadow tables
     * (search indexes: FTS, R*Tree) go only into a SQLite the restore creates the schema of:
     * another engine, or an application's existing schema (data-only), makes its own. */
    bool cross = target && h->engine &&
                 dbe_id_named(h->engine) !=
                     target->engine;
    if (cross || so.into) {
        char key[64];
        size_t nt = 0;
        snprintf(key, sizeof key, "%s.internal", h->engine ? h->engine : "");
        for (size_t i = 0; i < tables.n; i++) {
            const dbf_table *t = tables.v[i];
            const char *internal = dbc_table_attr(t, key);
            const char *owner = dbc_table_attr(t, "sqlite.shadow_of");
            const char *where = cross ? "another engine" : "an existing schema (data-only)";
            if (cross && internal && strcmp(internal, "1") == 0) {
                dbc_warn("table %s: %s's own statistics, not carried to another engine "
                         "(run its ANALYZE there)", t->name, h->engine);
            } else if (dbc_table_attr(t, "sqlite.virtual")) {
                dbc_warn("table %s: a SQLite virtual table (search index), not carried to %s, "
                         "which makes its own; its shadow tables neither", t->name, where);
            } else if (owner) {
                if (dbc_verbosity >= 2)
                    dbc_info("table %s: shadow table of virtual table %s, left out", t->name,
                             owner);
            } else {
                tables.v[nt++] = t;
                continue;
            }
            left_out = true;
        }
        tables.n = nt;
    }
    /* --backup-to: the target as it is, before anything below can change it. */
    if (o->backup_to && target && !o->plan && !o->check && !o->to_sql &&
        (rc = dbr_backup_target(o->target, target, o->backup_to, err)))
        goto done;
    /* Data-only into existing tables: read the target's catalog, match, keep the tables that
     * load (bookkeeping and --skip-missing ones are left out of the list). */
    if (so.into) {
        if ((rc = dbr_into_create(&ix, target, h, (const dbf_table *const *)tables.v, tables.n,
                                  &so, err)))
            goto done;
        tables.n = dbr_into_count(ix);
        for (size_t i = 0; i < tables.n; i++)
            tables.v[i] = dbr_into_src(ix, i);
        ih = *h;
        ih.engine = dbe_name(target->engine);
    }
    if ((rc = dbc_progress_create(&prog, o->progress, "restoring"))) {
        rc = dbf_error_set(err, rc, "out of memory");
        goto done;
    }
    uint64_t estimate = 0;
    for (size_t i = 0; i < tables.n && !(o->select && o->select->schema_only); i++) {
        int64_t e = ((const dbf_table *)tables.v[i])->row_estimate;
        estimate += e > 0 ? (uint64_t)e : 0;
    }
    dbc_progress_total(prog, estimate);

    if (o->plan && ix) {
        /* The emptiness checks need the target: open, look, roll back. */
        if ((rc = ops->open(&sink, target, &so, err)))
            goto done;
        prepared = true;
        if (!(rc = ops->prepare(sink, &ih, NULL, 0, err)))
            rc = dbr_into_plan(ix, ops, sink, err);
        if (!rc)
            rc = plan_rows(ix, ops, sink, r, &m, in, &tables, err);
        ops->abort(sink); /* nothing was written: the plan only looked */
        prepared = false;
        goto done;
    }
    if (o->plan) {
        rc = run_plan(o, target, h, &tables, &pre, r, &m, in, err);
        goto done;
    }
    th = h;
    tts = (const dbf_table *const *)tables.v;
    if (ix) {
        th = &ih;
        if (!(tts_into = calloc(tables.n ? tables.n : 1, sizeof *tts_into))) {
            rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < tables.n; i++)
            tts_into[i] = dbr_into_sink_table(ix, i);
        tts = tts_into;
    }
    if (!o->check) {
        dbe_id td = target->engine;
        if (!ix && dbe_id_named(h->engine) != td) {
            if ((rc = dbr_cross_create(&cx, td, h, tts, tables.n, o, err)))
                goto done;
            th = dbr_cross_header(cx);
            tts = dbr_cross_tables(cx);
            if (dbc_verbosity >= 2)
                dbc_info("cross-engine restore: %s archive into %s", h->engine, th->engine);
        }
        /* --verify with --on-conflict is checked by into.c, table by table, in SQL. */
        if (o->verify && !(ix && o->on_conflict) &&
            !(vt = calloc(tables.n ? tables.n : 1, sizeof *vt))) {
            rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t i = 0; vt && i < tables.n; i++) {
            dbf_digest empty;
            dbf_digest_init(&empty);
            vt[i].tt = ix ? dbr_into_target(ix, i) : tts[i];
            vt[i].schema = vt[i].tt->schema;
            vt[i].name = vt[i].tt->name;
            vt[i].x = cx ? dbr_cross_xlate(cx, i) : ix ? dbr_into_xlate(ix, i) : NULL;
            dbf_digest_final(&empty, vt[i].sent_digest);
        }
        if (o->clean && !o->yes &&
            (rc = dbr_confirm_clean(target, tts, tables.n, pre.n, err)))
            goto done;
        if ((rc = ops->open(&sink, target, &so, err)))
            goto done;
        prepared = true;
        if ((rc = ops->prepare(sink, th, tts, tables.n, err)))
            goto done;
        if (ix && (rc = dbr_into_begin(ix, ops, sink, err)))
            goto done;
        if (ix && dbr_into_scan_wanted(ix)) {
            if ((rc = scan_rows(ix, ops, sink, r, &m, in, &tables, err)))
                goto done;
            r0 = r; /* its tables stay in use */
            r = NULL;
            if ((rc = reread(&r, in, &m, err)))
                goto done;
        }
        for (size_t i = 0; !ix && i < pre.n; i++) {
            if (cx)
                dbr_cross_pre_object(cx, pre.v[i]);
            else if ((rc = ops->create_object(sink, h, pre.v[i], err)))
                goto done;
        }
        for (size_t i = 0; !ix && i < tables.n; i++)
            if ((rc = ops->create_table(sink, th, tts[i], err)))
                goto done;
    }
    nobjects = ix ? 0 : pre.n;

    /* Data and post-data; m holds the first message not yet handled. */
    for (;;) {
        if ((o->select || ix || left_out) &&
            (m.kind == DBF_MSG_DATA_BEGIN || m.kind == DBF_MSG_ROW ||
             m.kind == DBF_MSG_DATA_END)) {
            if (sel_t != m.table) {
                sel_t = m.table;
                sel_skip = (o->select && o->select->schema_only) ||
                           table_index(&tables, m.table) == tables.n;
            }
            if (sel_skip)
                goto next;
        } else if (m.kind == DBF_MSG_OBJECT) {
            if (!dbc_select_object(o->select, m.object))
                goto next;
            dbc_select_check_fk_obj(o->select, m.object);
        }
        switch (m.kind) {
        case DBF_MSG_DATA_BEGIN:
        case DBF_MSG_ROW:
            if (cur != m.table) {
                dbc_progress_table(prog, m.table->schema, m.table->name,
                                   m.table->row_estimate);
                dbc_progress_update(prog, nrows, dbf_reader_bytes_in(r), 0);
                if (cur && !o->check && (rc = end_run(ops, sink, tts, ci, ix, err)))
                    goto done;
                cur = m.table;
                ci = table_index(&tables, cur);
                if (ci == tables.n) {
                    rc = dbf_error_set(err, DBF_ECORRUPT, "data of unknown table %s", cur->name);
                    goto done;
                }
                if (!o->check && (rc = ops->data_begin(sink, tts[ci], err)))
                    goto done;
            }
            if (m.kind == DBF_MSG_ROW) {
                nrows++;
                if ((nrows & 1023) == 0)
                    dbc_progress_update(prog, nrows, dbf_reader_bytes_in(r), 0);
                if (o->check)
                    break;
                const dbf_value *vals = m.values;
                size_t nv = m.nvalues;
                if (cx && (rc = dbr_cross_row(cx, ci, m.values, m.nvalues, m.row_number, &vals,
                                              &nv, err)))
                    goto done;
                if (ix && (rc = dbr_into_row(ix, ci, m.values, m.nvalues, m.row_number, &vals,
                                             &nv, err))) {
                    if (rc != DBR_INTO_SKIP)
                        goto done;
                    rc = 0; /* --orphans=skip: left out */
                    nleft++;
                    break;
                }
                if ((rc = ops->row(sink, tts[ci], vals, nv, m.row_number, err)))
                    goto done;
            }
            break;
        case DBF_MSG_DATA_END:
            if (cur == m.table) {
                if (!o->check && (rc = end_run(ops, sink, tts, ci, ix, err)))
                    goto done;
                cur = NULL;
            }
            if (vt && !cx && !ix) {
                size_t vi = table_index(&tables, m.table);
                if (vi < tables.n) {
                    vt[vi].sent_rows = m.end->rows;
                    memcpy(vt[vi].sent_digest, m.end->digest, DBF_DIGEST_SIZE);
                }
            }
            last_done = m.table->name;
            ndata++;
            if (dbc_verbosity >= 2)
                dbc_info("table %s: %llu rows", m.table->name,
                         (unsigned long long)m.end->rows);
            break;
        case DBF_MSG_OBJECT:
            if (cur) {
                if (!o->check && (rc = end_run(ops, sink, tts, ci, ix, err)))
                    goto done;
                cur = NULL;
            }
            nobjects++;
            if (o->check)
                break;
            if (ix)
                rc = dbr_into_object(ix, m.object, err);
            else if (cx)
                rc = m.object->section == DBF_SEC_PRE ? (dbr_cross_pre_object(cx, m.object), 0)
                                                      : dbr_cross_post_object(cx, m.object, err);
            else
                rc = ops->create_object(sink, h, m.object, err);
            if (rc)
                goto done;
            break;
        case DBF_MSG_TABLE:
            rc = dbf_error_set(err, DBF_ECORRUPT, "table %s defined after data began",
                               m.table->name);
            goto done;
        default: /* HEADER cannot repeat (reader checks), TRAILER: totals already verified */
            break;
        }
    next:
        if ((rc = dbf_reader_next(r, &m, err))) {
            reader_error(rc, err, r, in, last_done);
            goto done;
        }
        if (m.kind == DBF_MSG_END)
            break;
    }
    if (cur && !o->check && (rc = end_run(ops, sink, tts, ci, ix, err)))
        goto done;
    cur = NULL;
    if (cx && (rc = dbr_cross_finish(cx, ops, sink, data_only, err)))
        goto done;
    if (ix && (rc = dbr_into_finish(ix, ops, sink, err)))
        goto done;
    if (ix && o->verify && o->on_conflict &&
        (rc = dbr_into_verify_report(ix, target->display, err)))
        goto done;

    double secs = dbc_now() - t0;
    dbc_progress_clear(prog);
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
        for (size_t i = 0; vt && (cx || ix) && i < tables.n; i++) {
            const dbf_digest *dg = cx ? dbr_cross_digest(cx, i) : dbr_into_digest(ix, i);
            vt[i].sent_rows = dg->rows;
            dbf_digest_final(dg, vt[i].sent_digest);
        }
        /* A mismatch found before commit rolls the whole restore back (abort below). */
        nrows -= nleft; /* the rows restored */
        if (vt && ops->read_back &&
            (rc = run_verify(ops, sink, target, vt, tables.n, nrows, t0, err)))
            goto done;
        if (ix && (rc = dbr_into_counters(ix, ops, sink, &ih, err)))
            goto done;
        if ((rc = ops->commit(sink, err)))
            goto done;
        committed = true;
        if (ix)
            dbr_into_after_commit(ix, ops, sink);
        char left[64] = "";
        if (nleft)
            snprintf(left, sizeof left, " (%llu orphan rows left out)", (unsigned long long)nleft);
        if (!o->to_sql)
            dbc_info("restored %s: %zu tables, %llu rows%s, %llu objects, %llu archive bytes "
                     "read, %.2fs",
                     target->display, tables.n, (unsigned long long)nrows, left,
                     (unsigned long long)nobjects, (unsigned long long)dbf_reader_bytes_in(r),
                     secs);
        uint64_t lossy = cx ? dbr_cross_lossy_rows(cx) : dbr_into_lossy_rows(ix);
        if (lossy)
            dbc_warn("--lossy: %llu rows had values converted (see spec/TYPES.md)",
                     (unsigned long long)lossy);
        if (vt && !ops->read_back &&
            (rc = run_verify(ops, NULL, target, vt, tables.n, nrows, t0, err)))
            goto done;
    }
    (void)ndata;

done:
    dbc_progress_free(prog);
    free(tts_into);
    if (sink) {
        if (rc && prepared && !committed) {
            ops->abort(sink);
            /* Lines printed before (--truncate, orphans left out) told of what the
             * transaction did: the last line says it is undone. One transaction holds a
             * data-only load and every PostgreSQL and SQLite restore; MySQL's DDL is undone
             * by the sink's journal, which reports its own failures. */
            if ((ix || target->engine != DBE_MYSQL) && !o->to_sql &&
                !strstr(err->msg, "nothing was") && !strstr(err->msg, "not touched")) {
                size_t len = strlen(err->msg);
                snprintf(err->msg + len, sizeof err->msg - len,
                         "; rolled back: the target is unchanged");
            }
        }
        if (ops->close)
            ops->close(sink);
    }
    dbf_reader_free(r);
    dbf_reader_free(r0);
    dbc_infile_close(in);
    dbe_target_free(target);
    dbr_cross_free(cx);
    dbr_into_free(ix);
    free(vt);
    free(tables.v);
    free(pre.v);
    return rc;
}
