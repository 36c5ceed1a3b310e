/*
 * restore.c - the engine-agnostic restore pump: input -> archive reader -> sink.
 *
 * The whole pre-data part (header, TABLE and pre-data OBJECT messages) is collected before
 * the sink sees anything; then prepare, pre-data objects, tables, data runs and objects as
 * they come, finish, and commit only after the reader has verified the trailer
 * (DBF_MSG_END). Every restore drives one sink so (engines/engine.h): the target engine's,
 * --to-sql's script, or --check's null sink; a cross-engine restore wraps the target's sink
 * in the translation (cross.h), a data-only restore into existing tables in the load
 * (into.h). --plan reads the archive and prints what a restore would do (plan).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cross.h"
#include "dbc_mem.h"
#include "dbr.h"
#include "into.h"
#include "wrap.h"

/* One restore: what the pump reads, and the sink it feeds. */
typedef struct pump {
    const dbe_restore_opts *o;
    dbe_restore_opts so;      /* as the sink sees them (data-only: into existing tables) */
    dbe_target *target;       /* NULL with --check */
    const dbe_sink_ops *eng;  /* the target's own sink (--to-sql: the script, --check: null) */
    const dbe_sink_ops *ops;  /* the sink the pump drives: eng, or a sink wrapping it */
    dbe_sink *sink;
    bool prepared, committed;
    dbc_infile *in;
    dbf_reader *r, *r0;       /* r0: --orphans' first reading, whose tables stay in use */
    dbf_msg m;                /* the first message not yet handled */
    const dbf_header *h;
    dbc_vec tables, pre;      /* the tables and pre-data objects restored (pointers) */
    bool data_only;           /* --data-only, or an archive written so */
    bool left_out;            /* tables left out (internal, virtual): skip their rows */
    dbr_cross *cx;            /* cross-engine translation (NULL: none) */
    dbr_into *ix;             /* data-only into existing tables (NULL: not that) */
    dbr_verify_table *vt;     /* --verify: per table */
    dbc_progress *prog;       /* progress line (common/progress.c) */
    const dbf_table *cur;     /* table of the open data run (the reader's), NULL: none */
    const dbf_table *ct;      /* ... as in tables (a second reading's is not) */
    const dbf_table *sel_t;   /* last table tested against the selection */
    bool sel_skip;            /* ... whether its data is skipped */
    const char *last_done;    /* last table whose DATA_END was read */
    uint64_t nrows, nobjects;
    uint64_t omitted;       /* the archive's objects not carried (DBF_OBJ_OMITTED) */
    double t0;
} pump;

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

static size_t table_index(const dbc_vec *tables, const dbf_table *t)
{
    const dbf_table *const *tv = tables->p;
    for (size_t i = 0; i < tables->n; i++)
        if (tv[i] == t)
            return i;
    for (size_t i = 0; i < tables->n; i++)
        if (tv[i]->id == t->id)
            return i;
    return tables->n;
}

/* ------------------------------------------------------------------ reading */

/* The target and the sink that restores into it: --to-sql's script, --check's null sink
 * (no target), or the target engine's. */
static int choose_sink(pump *p, dbf_error *err)
{
    int rc;
    if (p->o->to_sql) {
        p->eng = &dbr_tosql_sink;
        return dbr_tosql_target(&p->target, p->o->to_sql, err);
    }
    if (p->o->check) {
        p->eng = &dbr_null_sink;
        return 0;
    }
    if ((rc = dbe_target_parse(&p->target, p->o->target, err)))
        return rc;
    p->eng = dbe_sink_for(p->target->engine);
    if (!p->eng || p->eng->version != DBE_SINK_OPS_VERSION || !p->eng->open)
        return dbf_error_set(err, DBF_EUNSUPPORTED, "no restore adapter for '%s'",
                             p->target->display);
    return 0;
}

/* A reader of the input from its start, read up to the first message after the pre-data
 * (header, tables, pre-data objects), which is left in p->m; keep: the first reading, which
 * collects them (a second one matches tables by id: the first's stay the ones used). */
static int read_pre_data(pump *p, bool keep, dbf_error *err)
{
    dbf_reader_opts ro = DBF_READER_OPTS_INIT;
    ro.read = dbc_infile_read;
    ro.ctx = p->in;
    int rc = dbf_reader_create(&p->r, &ro, err);
    while (!rc && !(rc = dbf_reader_next(p->r, &p->m, err))) {
        const dbf_msg *m = &p->m;
        bool table = m->kind == DBF_MSG_TABLE;
        if (m->kind != DBF_MSG_HEADER && !table &&
            !(m->kind == DBF_MSG_OBJECT && m->object->section == DBF_SEC_PRE))
            return 0;
        if (keep && m->kind == DBF_MSG_HEADER)
            p->h = m->header;
        else if (keep && dbc_vec_push_ptr(table ? &p->tables : &p->pre,
                                          table ? (const void *)m->table : m->object))
            return dbc_oom(err);
    }
    return reader_error(rc, err, p->r, p->in, NULL);
}

/* The header, then what kind of restore this is: data-only (--data-only, or an archive
 * written so) into existing tables takes options that no other restore takes. */
static int restore_kind(pump *p, dbf_error *err)
{
    const dbe_restore_opts *o = p->o;
    const dbf_header *h = p->h;
    if (!h)
        return dbf_error_set(err, DBF_ECORRUPT, "archive has no header");
    if (dbc_verbosity >= 2)
        dbc_info("archive %u.%u from %s (%s %s), database %s, created %s", h->version_major,
                 h->version_minor, h->producer ? h->producer : "?", h->engine ? h->engine : "?",
                 h->server_version ? h->server_version : "", h->database ? h->database : "?",
                 h->created ? h->created : "?");
    p->data_only = o->select && o->select->data_only;
    for (size_t i = 0; i < h->noptions; i++)
        if (strcmp(h->options[i].key, "data_only") == 0 && strcmp(h->options[i].value, "1") == 0)
            p->data_only = true;
    p->so.force = p->so.force || p->data_only;
    p->so.into = p->data_only && !o->to_sql && !o->check && p->target;
    if (!p->so.into && !o->check && !o->to_sql &&
        (o->truncate || o->on_conflict || o->skip_missing || o->ninclude_tables ||
         o->norphans || o->orphans_report))
        return dbf_error_set(err, DBC_EUSAGE, "--truncate, --on-conflict, --skip-missing, "
                             "--include-table and --orphans apply to data-only restores "
                             "(--data-only, or an archive written with dbdump --data-only)");
    if (p->so.into && o->clean)
        return dbf_error_set(err, DBC_EUSAGE, "--clean drops and creates tables; a data-only "
                             "restore loads rows into the tables the target already has");
    return 0;
}

/* An object the archive does not carry (dbdump --skip-unsupported): said, counted for the
 * summary, given to no sink. @return whether o is one. */
static bool omitted(pump *p, const dbf_object *o)
{
    if (o->kind != DBF_OBJ_OMITTED)
        return false;
    if (dbc_select_object(p->o->select, o)) {
        char text[1024];
        p->omitted++;
        dbc_warn("the archive does not carry %s", dbc_omission_text(text, sizeof text, o));
    }
    return true;
}

/* Selection (-t/-T/--schema-only/--data-only, common/select.c): tables and pre-data
 * objects are filtered here, data and post-data objects as they come. */
static void select_tables(pump *p)
{
    const dbc_select *sel = p->o->select;
    const dbf_table **tv = p->tables.p;
    const dbf_object **pv = p->pre.p;
    size_t nt = 0, np = 0;
    for (size_t i = 0; i < p->tables.n; i++) {
        if (dbc_select_table_of(sel, tv[i])) {
            dbc_select_check_fk_sql(sel, tv[i]);
            tv[nt++] = tv[i];
        }
    }
    for (size_t i = 0; i < p->pre.n; i++)
        if (!omitted(p, pv[i]) && dbc_select_object(sel, pv[i]))
            pv[np++] = pv[i];
    p->tables.n = nt;
    p->pre.n = np;
}

/* Tables an engine keeps for itself (attr "<engine>.internal" = "1": SQLite's ANALYZE
 * statistics, sqlite_stat1) go only into that engine (spec/TYPES.md); another engine
 * would get them as tables of its own. SQLite virtual tables and their shadow tables
 * (search indexes: FTS, R*Tree) go only into a SQLite the restore creates the schema of:
 * another engine, or an application's existing schema (data-only), makes its own. */
static void leave_out_tables(pump *p)
{
    const dbf_header *h = p->h;
    bool cross = p->target && h->engine && dbe_id_named(h->engine) != p->target->engine;
    const dbf_table **tv = p->tables.p;
    char key[64];
    size_t nt = 0;
    if (!cross && !p->so.into)
        return;
    snprintf(key, sizeof key, "%s.internal", h->engine ? h->engine : "");
    for (size_t i = 0; i < p->tables.n; i++) {
        const dbf_table *t = tv[i];
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
            tv[nt++] = t;
            continue;
        }
        p->left_out = true;
    }
    p->tables.n = nt;
}

/* Data-only into existing tables: read the target's catalog, match, keep the tables that
 * load (bookkeeping and --skip-missing ones are left out of the list). The archive's
 * pre-data is not restored: the schema is the application's. */
static int into_tables(pump *p, dbf_error *err)
{
    const dbf_table **tv = p->tables.p;
    int rc = dbr_into_create(&p->ix, p->target, p->h, tv, p->tables.n, &p->so, err);
    if (rc)
        return rc;
    p->tables.n = dbr_into_count(p->ix);
    for (size_t i = 0; i < p->tables.n; i++)
        tv[i] = dbr_into_src(p->ix, i);
    p->pre.n = 0;
    return 0;
}

/* Every row of the selected tables, from p->m (the first message after the pre-data) to the
 * end of the archive, to fn: the orphan scan before a load, or --plan's dry run. */
typedef int (*row_fn)(dbr_into *x, size_t j, const dbf_value *vals, size_t n,
                      uint64_t row_number, dbf_error *err);

static int each_row(pump *p, row_fn fn, dbf_error *err)
{
    const dbf_msg *m = &p->m;
    const char *last = NULL;
    int rc = 0;
    while (!rc && m->kind != DBF_MSG_END) {
        if (m->kind == DBF_MSG_ROW) {
            size_t ci = table_index(&p->tables, m->table);
            if (ci < p->tables.n)
                rc = fn(p->ix, ci, m->values, m->nvalues, m->row_number, err);
        } else if (m->kind == DBF_MSG_DATA_END) {
            last = m->table->name;
        }
        if (!rc && (rc = dbf_reader_next(p->r, &p->m, err)))
            reader_error(rc, err, p->r, p->in, last);
    }
    return rc;
}

/* ---------------------------------------------------------------------- plan */

/* --plan of a data-only load: every row converted as the load would (a dry run), and the
 * orphan scan the load would make, found the way it finds them. */
static int plan_rows(pump *p, dbf_error *err)
{
    bool scan = dbr_into_scan_wanted(p->ix);
    int rc = 0;
    if (scan && !(rc = dbr_into_begin(p->ix, err)))
        rc = dbr_into_scan_begin(p->ix, err);
    if (!rc)
        rc = each_row(p, dbr_into_plan_row, err);
    if (rc)
        return rc;
    rc = dbr_into_plan_end(p->ix, err);
    if (scan && rc) /* rows refused would be missing parents: the list would mislead */
        printf("orphans: not looked for: the load stops at the refusal of a row first\n");
    else if (scan)
        rc = dbr_into_scan_end(p->ix, err);
    return rc;
}

/* The target's own sink, opened and wrapped in the translation or the data-only load if
 * there is one: the sink the pump drives from here. */
static int open_sink(pump *p, dbf_error *err)
{
    int rc = p->eng->open(&p->sink, p->target, &p->so, err);
    p->ops = p->eng;
    if (!(p->prepared = rc == 0))
        return rc;
    if (p->cx)
        dbr_cross_wrap(p->cx, &p->ops, &p->sink);
    else if (p->ix)
        dbr_into_wrap(p->ix, &p->ops, &p->sink);
    return 0;
}

/* --plan of a data-only load: the emptiness checks need the target: open, look, roll back. */
static int plan_into(pump *p, dbf_error *err)
{
    int rc = open_sink(p, err);
    if (rc)
        return rc;
    if (!(rc = dbr_into_plan(p->ix, err)))
        rc = plan_rows(p, err);
    p->ops->abort(p->sink); /* nothing was written: the plan only looked */
    p->prepared = false;
    return rc;
}

/* --plan of any other restore: read the rest of the archive for its objects, print the
 * report. */
static int plan_objects(pump *p, dbf_error *err)
{
    int rc = 0;
    dbc_vec objs = p->pre; /* the pre-data objects, then the rest: p->pre is done with */
    const dbf_header *h = p->h;
    p->pre = (dbc_vec){0};
    while (!rc && p->m.kind != DBF_MSG_END) {
        if (p->m.kind == DBF_MSG_OBJECT && dbc_vec_push_ptr(&objs, p->m.object))
            rc = dbc_oom(err);
        else if ((rc = dbf_reader_next(p->r, &p->m, err)))
            reader_error(rc, err, p->r, p->in, NULL);
    }
    if (!rc && dbe_id_named(h->engine) == p->target->engine) {
        printf("plan: same engine (%s): the archive's own DDL and values are restored "
               "unchanged; %zu tables, %zu objects\n",
               h->engine, p->tables.n, objs.n);
    } else if (!rc) {
        rc = dbr_cross_plan(p->target->engine, h, p->tables.p, p->tables.n, objs.p, objs.n,
                            p->o, err);
        fflush(stdout);
    }
    dbc_vec_free(&objs);
    return rc;
}

static void plan_line(void *ctx, const char *text)
{
    (void)ctx;
    printf("plan: %s\n", text);
}

/* --plan: what the restore would do, on stdout; nothing is written. Then how the target
 * takes it (its sink's describe: crash safety, a cluster). */
static int plan(pump *p, dbf_error *err)
{
    int rc = p->ix ? plan_into(p, err) : plan_objects(p, err);
    dbe_sink *k = NULL;
    dbf_error e = {0, {0}};
    if (rc != 0 || !p->eng->describe)
        return rc;
    if (p->eng->open(&k, p->target, &p->so, &e) != 0) /* the plan needs no server */
        printf("plan: %s not reached (%s): how it takes the restore is not known\n",
               p->target->display, e.msg);
    else
        p->eng->describe(k, plan_line, NULL);
    if (k && p->eng->close)
        p->eng->close(k);
    fflush(stdout);
    return 0;
}

/* ------------------------------------------------------------------- restore */

/* --verify: what each table is read back as, and by which digest rules (with --on-conflict
 * the load checks its rows itself, in SQL). */
static int verify_tables(pump *p, dbf_error *err)
{
    const dbf_table *const *tv = p->tables.p;
    size_t n = p->tables.n;
    if (!p->o->verify || p->o->check || (p->ix && p->o->on_conflict))
        return 0;
    if (!(p->vt = calloc(n ? n : 1, sizeof *p->vt)))
        return dbc_oom(err);
    for (size_t i = 0; i < n; i++) {
        dbr_verify_table *v = &p->vt[i];
        dbf_digest empty;
        dbf_digest_init(&empty);
        v->tt = p->ix ? dbr_into_target(p->ix, i)
                : p->cx ? dbr_cross_tables(p->cx)[i] : tv[i];
        v->schema = v->tt->schema;
        v->name = v->tt->name;
        v->x = p->cx ? dbr_cross_xlate(p->cx, i) : p->ix ? dbr_into_xlate(p->ix, i) : NULL;
        dbf_digest_final(&empty, v->sent_digest);
    }
    return 0;
}

/* --orphans: the scan before the load reads every row once (restore/orphans.c), then the
 * archive is read again from its start for the load. A step of the pump, not a sink: the
 * load needs the scan's verdict on every row before it writes the first. */
static int orphan_scan(pump *p, dbf_error *err)
{
    int rc = dbr_into_scan_begin(p->ix, err);
    if (!rc)
        rc = each_row(p, dbr_into_scan_row, err);
    if (!rc)
        rc = dbr_into_scan_end(p->ix, err);
    if (rc)
        return rc;
    p->r0 = p->r; /* its tables stay in use */
    p->r = NULL;
    return (rc = dbc_infile_rewind(p->in, err)) ? rc : read_pre_data(p, false, err);
}

/* The sink opened (wrapped for a cross-engine or a data-only restore) and prepared, then the
 * pre-data objects and the tables. */
static int begin(pump *p, dbf_error *err)
{
    const dbe_restore_opts *o = p->o;
    const dbf_table *const *tv = p->tables.p;
    const dbf_object *const *pv = p->pre.p;
    size_t n = p->tables.n;
    int rc = 0;
    if (!p->ix && p->target && dbe_id_named(p->h->engine) != p->target->engine) {
        if ((rc = dbr_cross_create(&p->cx, p->target->engine, p->h, tv, n, p->data_only, o,
                                   err)))
            return rc;
        if (dbc_verbosity >= 2)
            dbc_info("cross-engine restore: %s archive into %s", p->h->engine,
                     dbe_name(p->target->engine));
    }
    if ((rc = verify_tables(p, err)))
        return rc;
    if (o->clean && !o->yes &&
        (rc = dbr_confirm_clean(p->target, p->cx ? dbr_cross_tables(p->cx) : tv, n, p->pre.n,
                                err)))
        return rc;
    if ((rc = open_sink(p, err)))
        return rc;
    if ((rc = p->ops->prepare(p->sink, p->h, tv, n, err)))
        return rc;
    if (p->ix && dbr_into_scan_wanted(p->ix) && (rc = orphan_scan(p, err)))
        return rc;
    for (size_t i = 0; i < p->pre.n && !rc; i++)
        rc = p->ops->create_object(p->sink, p->h, pv[i], err);
    for (size_t i = 0; i < n && !rc; i++)
        rc = p->ops->create_table(p->sink, p->h, tv[i], err);
    p->nobjects = p->pre.n;
    return rc;
}

/* The end of the open data run, if any. */
static int end_run(pump *p, dbf_error *err)
{
    if (!p->cur)
        return 0;
    p->cur = NULL;
    return p->ops->data_end(p->sink, p->ct, err);
}

/* Whether message m is left out: data of a table not selected (or left out above), or an
 * object not selected. */
static bool skipped(pump *p)
{
    const dbf_msg *m = &p->m;
    if (m->kind == DBF_MSG_OBJECT) {
        if (omitted(p, m->object))
            return true;
        if (!dbc_select_object(p->o->select, m->object))
            return true;
        dbc_select_check_fk_obj(p->o->select, m->object);
        return false;
    }
    if ((m->kind != DBF_MSG_DATA_BEGIN && m->kind != DBF_MSG_ROW &&
         m->kind != DBF_MSG_DATA_END) || !(p->o->select || p->ix || p->left_out))
        return false;
    if (p->sel_t != m->table) {
        p->sel_t = m->table;
        p->sel_skip = (p->o->select && p->o->select->schema_only) ||
                      table_index(&p->tables, m->table) == p->tables.n;
    }
    return p->sel_skip;
}

/* The progress line; with several loading connections (-j), the rows each was given. */
static void progress(pump *p)
{
    uint64_t rows[16];
    size_t n = p->ops->lane_rows ? p->ops->lane_rows(p->sink, rows, 16) : 0;
    if (n > 1)
        dbc_progress_connections(p->prog, rows, n < 16 ? n : 16);
    dbc_progress_update(p->prog, p->nrows, dbf_reader_bytes_in(p->r), 0);
}

/* DATA_BEGIN or ROW: a new data run when the table changes, then the row. */
static int data(pump *p, dbf_error *err)
{
    const dbf_msg *m = &p->m;
    int rc;
    if (p->cur != m->table) {
        dbc_progress_table(p->prog, m->table->schema, m->table->name, m->table->row_estimate);
        progress(p);
        if ((rc = end_run(p, err)))
            return rc;
        p->cur = m->table;
        size_t ci = table_index(&p->tables, p->cur);
        if (ci == p->tables.n)
            return dbf_error_set(err, DBF_ECORRUPT, "data of unknown table %s", p->cur->name);
        p->ct = ((const dbf_table **)p->tables.p)[ci];
        if ((rc = p->ops->data_begin(p->sink, p->ct, err)))
            return rc;
    }
    if (m->kind != DBF_MSG_ROW)
        return 0;
    if ((++p->nrows & 1023) == 0)
        progress(p);
    return p->ops->row(p->sink, p->ct, m->values, m->nvalues, m->row_number, err);
}

static int data_end(pump *p, dbf_error *err)
{
    const dbf_msg *m = &p->m;
    int rc;
    if (p->cur == m->table && (rc = end_run(p, err)))
        return rc;
    if (p->vt && !p->cx && !p->ix) { /* same engine: the archive's digest is what was sent */
        size_t vi = table_index(&p->tables, m->table);
        if (vi < p->tables.n) {
            p->vt[vi].sent_rows = m->end->rows;
            memcpy(p->vt[vi].sent_digest, m->end->digest, DBF_DIGEST_SIZE);
        }
    }
    p->last_done = m->table->name;
    if (dbc_verbosity >= 2)
        dbc_info("table %s: %llu rows", m->table->name, (unsigned long long)m->end->rows);
    return 0;
}

/* One message of the data and post-data part. */
static int message(pump *p, dbf_error *err)
{
    int rc;
    switch (p->m.kind) {
    case DBF_MSG_DATA_BEGIN:
    case DBF_MSG_ROW:
        return data(p, err);
    case DBF_MSG_DATA_END:
        return data_end(p, err);
    case DBF_MSG_OBJECT:
        p->nobjects++;
        return (rc = end_run(p, err)) ? rc
                                      : p->ops->create_object(p->sink, p->h, p->m.object, err);
    case DBF_MSG_TABLE:
        return dbf_error_set(err, DBF_ECORRUPT, "table %s defined after data began",
                             p->m.table->name);
    default: /* HEADER cannot repeat (reader checks), TRAILER: totals already verified */
        return 0;
    }
}

/* Data and objects, from p->m (the first message after the pre-data) to the end. */
static int pump_data(pump *p, dbf_error *err)
{
    int rc = 0;
    while (!rc && p->m.kind != DBF_MSG_END) {
        if (!skipped(p))
            rc = message(p, err);
        if (!rc && (rc = dbf_reader_next(p->r, &p->m, err)))
            reader_error(rc, err, p->r, p->in, p->last_done);
    }
    return rc ? rc : end_run(p, err);
}

/* --verify: read back (inside the sink's transaction when it can, else after commit through
 * a new connection), print the summary table, DBR_EVERIFY on a mismatch. */
static int run_verify_at(const pump *p, dbe_sink *sink, const dbe_target *target,
                         dbf_error *err)
{
    const dbr_verify_table *vt = p->vt;
    size_t n = p->tables.n, bad = 0;
    int rc = dbr_verify_read(p->ops, sink, target, p->vt, n, err);
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
    printf("Rows restored: %llu  Elapsed: %.1fs\n", (unsigned long long)p->nrows,
           dbc_now() - p->t0);
    fflush(stdout);
    if (bad)
        return dbf_error_set(err, DBR_EVERIFY, "verify: %zu of %zu tables differ in the target",
                             bad, n);
    return 0;
}

/* --verify after commit, on every other server that must hold the same rows (the other
 * nodes of a cluster, from the sink's peers): the same read, each through its own address. */
static int verify_peers(pump *p, dbf_error *err)
{
    char **peers = NULL;
    size_t n = 0;
    /* the target's own sink, inside the translation's or the data-only load's wrapper */
    dbe_sink *k = p->sink;
    for (const dbe_sink_ops *ops = p->ops; k && ops != p->eng;) {
        const dbr_wrap *w = dbr_wrap_of(k);
        ops = w->in_ops;
        k = w->in;
    }
    int rc = p->eng->peers && k ? p->eng->peers(k, &peers, &n, err) : 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        dbe_target t = *p->target;
        char *colon = strrchr(peers[i], ':');
        char display[256];
        if (!colon)
            continue;
        *colon = '\0';
        t.host = peers[i];
        t.port = (unsigned)strtoul(colon + 1, NULL, 10);
        t.socket = NULL;
        snprintf(display, sizeof(display), "%s:%s (another node of %s)", peers[i], colon + 1,
                 p->target->display);
        t.display = display;
        rc = run_verify_at(p, NULL, &t, err);
    }
    for (size_t i = 0; i < n; i++)
        free(peers[i]);
    free(peers);
    return rc;
}

static int run_verify(const pump *p, dbe_sink *sink, dbf_error *err)
{
    return run_verify_at(p, sink, p->target, err);
}

/* The last line: the archive checked (--check), or restored. */
static void report(const pump *p, double secs)
{
    const dbf_header *h = p->h;
    unsigned long long bytes = dbf_reader_bytes_in(p->r), nleft = 0, lossy;
    char left[64] = "";
    char incomplete[80] = "";
    if (p->omitted)
        snprintf(incomplete, sizeof incomplete, "; incomplete: %llu object%s not carried",
                 (unsigned long long)p->omitted, p->omitted == 1 ? "" : "s");
    if (p->o->check) {
        if (dbc_verbosity >= 1)
            printf("archive OK: format %u.%u, %s from %s %s, database %s, created %s; "
                   "%zu tables, %llu rows, %llu objects, %llu bytes%s\n",
                   h->version_major, h->version_minor, h->producer ? h->producer : "?",
                   h->engine ? h->engine : "?", h->server_version ? h->server_version : "",
                   h->database ? h->database : "?", h->created ? h->created : "?",
                   p->tables.n, (unsigned long long)p->nrows,
                   (unsigned long long)p->nobjects, bytes, incomplete);
        return;
    }
    if (p->ix && (nleft = dbr_into_left_out(p->ix)))
        snprintf(left, sizeof left, " (%llu orphan rows left out)", nleft);
    if (!p->o->to_sql)
        dbc_info("restored %s: %zu tables, %llu rows%s, %llu objects, %llu archive bytes "
                 "read, %.2fs%s",
                 p->target->display, p->tables.n, (unsigned long long)p->nrows, left,
                 (unsigned long long)p->nobjects, bytes, secs, incomplete);
    else if (p->omitted)
        dbc_warn("the script is incomplete: %llu object%s not carried by the archive",
                 (unsigned long long)p->omitted, p->omitted == 1 ? "" : "s");
    lossy = p->cx ? dbr_cross_lossy_rows(p->cx) : dbr_into_lossy_rows(p->ix);
    if (lossy)
        dbc_warn("--lossy: %llu rows had values converted (see spec/TYPES.md)", lossy);
}

/* After the last message: the sink's finish, --verify before commit when the sink reads
 * back, commit, the report, --verify after commit otherwise. */
static int finish(pump *p, dbf_error *err)
{
    int rc = p->ops->finish ? p->ops->finish(p->sink, err) : 0;
    if (rc)
        return rc;
    dbc_progress_clear(p->prog);
    for (size_t i = 0; p->vt && (p->cx || p->ix) && i < p->tables.n; i++) {
        const dbf_digest *dg = p->cx ? dbr_cross_digest(p->cx, i) : dbr_into_digest(p->ix, i);
        p->vt[i].sent_rows = dg->rows;
        dbf_digest_final(dg, p->vt[i].sent_digest);
    }
    if (p->ix)
        p->nrows -= dbr_into_left_out(p->ix); /* the rows restored */
    /* --skip-object naming nothing in the archive: a mistake, before anything is kept */
    const dbc_select *sel = p->o->select;
    for (size_t i = 0; sel && i < sel->nskip; i++)
        if (!sel->skip_hit[i])
            return dbf_error_set(err, DBC_EUSAGE, "--skip-object '%s': the archive has no such "
                                 "object (dbrestore --list shows each object's title)",
                                 sel->skip[i]);
    /* A mismatch found before commit rolls the whole restore back (see end). */
    if (p->vt && p->ops->read_back && (rc = run_verify(p, p->sink, err)))
        return rc;
    if ((rc = p->ops->commit(p->sink, err)))
        return rc;
    p->committed = true;
    report(p, dbc_now() - p->t0); /* the whole run: index builds and commit included */
    if (!p->vt || p->ops->read_back)
        return 0;
    if ((rc = run_verify(p, NULL, err)))
        return rc;
    return verify_peers(p, err);
}

/* A restore (or --check): the sink opened and given the schema, then every message after. */
static int restore(pump *p, dbf_error *err)
{
    const dbf_table *const *tv = p->tables.p;
    uint64_t estimate = 0;
    int rc = dbc_progress_create(&p->prog, p->o->progress, "restoring");
    if (rc)
        return dbf_error_set(err, rc, "out of memory");
    for (size_t i = 0; i < p->tables.n && !(p->o->select && p->o->select->schema_only); i++) {
        int64_t e = tv[i]->row_estimate;
        estimate += e > 0 ? (uint64_t)e : 0;
    }
    dbc_progress_total(p->prog, estimate);
    if (!(rc = begin(p, err)) && !(rc = pump_data(p, err)))
        rc = finish(p, err);
    return rc;
}

/* After a failure the sink rolls back; then everything is closed and freed. */
static int end(pump *p, int rc, dbf_error *err)
{
    dbc_progress_free(p->prog);
    if (p->sink && rc && p->prepared && !p->committed) {
        p->ops->abort(p->sink);
        /* Lines printed before (--truncate, orphans left out) told of what the transaction
         * did: the last line says it is undone. One transaction holds a data-only load and
         * every PostgreSQL and SQLite restore; MySQL's DDL is undone by the sink's journal,
         * which reports its own failures. A sink that undid it otherwise (PostgreSQL -j N:
         * dropped what it made) says so itself. */
        const char *said = p->ops->aborted ? p->ops->aborted(p->sink) : NULL;
        size_t len = strlen(err->msg);
        if (said)
            snprintf(err->msg + len, sizeof err->msg - len, "; %s", said);
        else if (p->target && !p->o->to_sql && (p->ix || p->target->engine != DBE_MYSQL) &&
                 !strstr(err->msg, "nothing was") && !strstr(err->msg, "not touched"))
            snprintf(err->msg + len, sizeof err->msg - len,
                     "; rolled back: the target is unchanged");
    }
    if (p->sink && p->ops->close)
        p->ops->close(p->sink);
    dbf_reader_free(p->r);
    dbf_reader_free(p->r0);
    dbc_infile_close(p->in);
    dbe_target_free(p->target);
    dbr_cross_free(p->cx);
    dbr_into_free(p->ix);
    free(p->vt);
    dbc_vec_free(&p->tables);
    dbc_vec_free(&p->pre);
    return rc;
}

int dbr_run(const dbe_restore_opts *o, dbf_error *err)
{
    pump p;
    memset(&p, 0, sizeof p);
    p.o = o;
    p.so = *o;
    p.t0 = dbc_now();
    int rc = choose_sink(&p, err);
    if (!rc && !(rc = dbc_infile_open(&p.in, o->input, err)) && dbr_orphans_reread(o))
        rc = dbc_infile_spool(p.in, err); /* read twice: a pipe is kept in a file first */
    if (!rc && !(rc = read_pre_data(&p, true, err)) && !(rc = restore_kind(&p, err))) {
        select_tables(&p);
        leave_out_tables(&p);
    }
    /* --backup-to: the target as it is, before anything below can change it. */
    if (!rc && o->backup_to && p.target && !o->plan && !o->check && !o->to_sql)
        rc = dbr_backup_target(o->target, p.target, o->backup_to, err);
    if (!rc && p.so.into)
        rc = into_tables(&p, err);
    if (!rc)
        rc = o->plan ? plan(&p, err) : restore(&p, err);
    return end(&p, rc, err);
}
