/*
 * dump_jobs.c - dbdump -j N: the rows of one snapshot read on N connections into one archive.
 *
 * The data of the selected tables becomes work items: a table, or, for a large table whose
 * primary key is one integer column, one range of its keys (keyset bounds: the least and
 * greatest key split evenly, never OFFSET). N threads, thread i reading on the source's lane
 * i, take the items largest first. Each copies the rows it reads into a batch of its own
 * (DJ_BATCH bytes, or one row when that is larger) and hands the whole batch to the one
 * archive writer under a mutex: the tables' data interleave in the archive batch by batch
 * (spec/FORMAT.md, Interleaving). A table's DATA_BEGIN goes with its first batch, its
 * DATA_END after the last of its ranges. Memory: at most N batches in flight, beside the
 * writer's own chunk and those of its compression workers.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbc_mem.h"
#include "dump_jobs.h"

#define DJ_BATCH (1u << 20)     /* bytes of values a lane copies before it hands them over */
#define DJ_PART_ROWS 250000     /* rows a range of a split table holds, about */
#define DJ_PARTS_PER_LANE 4     /* at most this many ranges of a table per lane */

typedef struct dj_item {
    size_t ti;        /* index into the tables */
    bool ranged;
    dbe_key_range r;
    unsigned part, nparts;
    double est;       /* rows expected, for the order */
} dj_item;

typedef struct dj_run {
    const dj_args *a;
    dj_item *items;
    size_t nitems, next;
    unsigned *left;  /* per table: items not yet written */
    bool *begun;     /* per table: DATA_BEGIN written */
    uint64_t *lane_rows;
    pthread_mutex_t mu; /* everything above and the writer */
    int rc;             /* the first failure; the others stop at their next batch */
    dbf_error err;
} dj_run;

typedef struct dj_lane {
    dj_run *r;
    unsigned id;
    const dj_item *item;
    dbf_arena arena;  /* the batch's values */
    dbc_vec rows;     /* const dbf_value *: the batch's rows */
    size_t bytes;
    dbf_error err;
    pthread_t th;
} dj_lane;

void dbe_key_range_where(dbc_buf *b, const dbf_table *t, const dbe_key_range *r, char quote)
{
    if (!r || (!r->has_lo && !r->has_hi))
        return;
    dbc_buf_puts(b, " WHERE ");
    if (r->has_lo) {
        dbc_buf_ident(b, t->columns[r->column].name, quote);
        dbc_buf_printf(b, " >= %" PRId64 "%s", r->lo, r->has_hi ? " AND " : "");
    }
    if (r->has_hi) {
        dbc_buf_ident(b, t->columns[r->column].name, quote);
        dbc_buf_printf(b, " < %" PRId64, r->hi);
    }
}

/* A deep copy of v into the arena; *bytes grows by what it takes. @return 0 or DBF_ENOMEM. */
static int copy_value(dbf_arena *a, dbf_value *dst, const dbf_value *v, size_t *bytes)
{
    *dst = *v;
    *bytes += sizeof *v;
    if ((v->kind == DBF_V_STR || v->kind == DBF_V_BIN) && v->u.s.len) {
        if (!(dst->u.s.ptr = dbf_arena_memdup(a, v->u.s.ptr, v->u.s.len)))
            return DBF_ENOMEM;
        *bytes += v->u.s.len;
    } else if (v->kind == DBF_V_ARRAY && v->u.arr.nelems) {
        dbf_value *el = dbf_arena_alloc(a, v->u.arr.nelems * sizeof *el);
        if (!el)
            return DBF_ENOMEM;
        for (size_t i = 0; i < v->u.arr.nelems; i++)
            if (copy_value(a, &el[i], &v->u.arr.elems[i], bytes))
                return DBF_ENOMEM;
        dst->u.arr.elems = el;
    }
    return 0;
}

/* Records the first failure (under the mutex). */
static void fail(dj_run *r, int rc, const dbf_error *err)
{
    if (!r->rc) {
        r->rc = rc;
        r->err = *err;
        if (!r->err.msg[0])
            dbf_error_set(&r->err, rc, "%s", dbc_strerror(rc));
    }
}

/* The progress line: the rows each connection has read. */
static void progress_label(dj_run *r)
{
    dbc_progress_connections(r->a->prog, r->lane_rows, r->a->jobs);
    dbc_progress_update(r->a->prog, dbf_writer_rows(r->a->w), dbf_writer_bytes_in(r->a->w),
                        dbf_writer_bytes_out(r->a->w));
}

/* The lane's batch into the writer; last: the lane's item is read whole. */
static int flush(dj_lane *l, bool last, dbf_error *err)
{
    dj_run *r = l->r;
    const dbf_table *t = &r->a->tables[l->item->ti];
    const dbf_value *const *rows = l->rows.p;
    int rc = 0;
    pthread_mutex_lock(&r->mu);
    if (r->rc) {
        rc = DBF_ECANCELED; /* another lane failed; its error is the one said */
        goto out;
    }
    if (!r->begun[l->item->ti]) {
        if ((rc = dbf_writer_data_begin(r->a->w, t->id, err)))
            goto out;
        r->begun[l->item->ti] = true;
    }
    for (size_t i = 0; i < l->rows.n && !rc; i++)
        rc = dbf_writer_row(r->a->w, t->id, rows[i], t->ncolumns, err);
    r->lane_rows[l->id] += l->rows.n;
    if (!rc && last && --r->left[l->item->ti] == 0)
        rc = dbf_writer_data_end(r->a->w, t->id, err);
    if (!rc)
        progress_label(r);
out:
    if (rc && rc != DBF_ECANCELED)
        fail(r, rc, err);
    pthread_mutex_unlock(&r->mu);
    dbf_arena_reset(&l->arena);
    l->rows.n = 0;
    l->bytes = 0;
    return rc;
}

/* stream_lane's callback: the row into the lane's batch. */
static int lane_row(void *ctx, const dbf_value *vals, size_t n, dbf_error *err)
{
    dj_lane *l = ctx;
    dbf_value *row = dbf_arena_alloc(&l->arena, (n ? n : 1) * sizeof *row);
    int rc = row ? 0 : DBF_ENOMEM;
    for (size_t i = 0; i < n && !rc; i++)
        rc = copy_value(&l->arena, &row[i], &vals[i], &l->bytes);
    if (rc || dbc_vec_push_ptr(&l->rows, row))
        return dbf_error_set(err, DBF_ENOMEM, "out of memory holding a batch of rows of %s",
                             l->r->a->tables[l->item->ti].name);
    return l->bytes >= DJ_BATCH ? flush(l, false, err) : 0;
}

static void *lane_main(void *arg)
{
    dj_lane *l = arg;
    dj_run *r = l->r;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        if (r->rc || r->next == r->nitems) {
            pthread_mutex_unlock(&r->mu);
            break;
        }
        l->item = &r->items[r->next++];
        const dbf_table *t = &r->a->tables[l->item->ti];
        if (dbc_verbosity >= 2) {
            char part[48] = "";
            if (l->item->ranged)
                snprintf(part, sizeof part, " (key range %u of %u)", l->item->part + 1,
                         l->item->nparts);
            dbc_progress_clear(r->a->prog);
            dbc_info("dumping table %s%s%s%s on connection %u", t->schema ? t->schema : "",
                     t->schema ? "." : "", t->name, part, l->id + 1);
        }
        pthread_mutex_unlock(&r->mu);
        int rc = r->a->ops->stream_lane(r->a->src, l->id, t, l->item->ranged ? &l->item->r : NULL,
                                        lane_row, l, &l->err);
        if (!rc)
            rc = flush(l, true, &l->err);
        if (rc) { /* the first failure is said; a lane stopped by it adds nothing */
            pthread_mutex_lock(&r->mu);
            fail(r, rc, &l->err);
            pthread_mutex_unlock(&r->mu);
            break;
        }
    }
    return NULL;
}

/* Largest first; a table's ranges in key order. */
static int item_cmp(const void *x, const void *y)
{
    const dj_item *a = x, *b = y;
    if (a->est != b->est)
        return a->est > b->est ? -1 : 1;
    if (a->ti != b->ti)
        return a->ti < b->ti ? -1 : 1;
    return a->part < b->part ? -1 : a->part > b->part;
}

/* Table ti's items: one, or ranges of its integer key when it is large. */
static int plan_table(dj_run *r, size_t ti, dbc_vec *items, dbf_error *err)
{
    const dj_args *a = r->a;
    const dbf_table *t = &a->tables[ti];
    double est = t->row_estimate > 0 ? (double)t->row_estimate : 0;
    size_t col = t->ncolumns;
    if (a->ops->key_bounds && t->nprimary_key == 1)
        for (size_t c = 0; c < t->ncolumns; c++)
            if (strcmp(t->columns[c].name, t->primary_key[0]) == 0 &&
                t->columns[c].type == DBF_T_INT && !t->columns[c].is_unsigned)
                col = c;
    bool usable = false;
    int64_t min = 0, max = 0;
    /* an estimate of -1: never counted (PostgreSQL before its first ANALYZE); ask the key */
    if (col < t->ncolumns && (t->row_estimate < 0 || est >= 2.0 * DJ_PART_ROWS)) {
        int rc = a->ops->key_bounds(a->src, t, col, &usable, &min, &max, err);
        if (rc)
            return rc;
    }
    uint64_t span = usable ? (uint64_t)max - (uint64_t)min + 1 : 0;
    if (usable && t->row_estimate < 0)
        est = (double)span;
    uint64_t nparts = (uint64_t)(est / DJ_PART_ROWS);
    if (nparts > (uint64_t)a->jobs * DJ_PARTS_PER_LANE)
        nparts = (uint64_t)a->jobs * DJ_PARTS_PER_LANE;
    if (span && nparts > span)
        nparts = span;
    if (!usable || nparts < 2)
        nparts = 1;
    /* span 0 with usable bounds: every int64 key, 2^64 of them */
    uint64_t step = usable && span == 0 ? UINT64_MAX / nparts : span / nparts;
    for (uint64_t k = 0; k < nparts; k++) {
        dj_item *it = dbc_vec_push(items, sizeof *it);
        if (!it)
            return dbf_error_set(err, DBF_ENOMEM, "out of memory");
        *it = (dj_item){.ti = ti, .ranged = nparts > 1, .part = (unsigned)k,
                        .nparts = (unsigned)nparts, .est = est / (double)nparts};
        it->r.column = col;
        it->r.has_lo = k > 0;
        it->r.lo = (int64_t)((uint64_t)min + k * step);
        it->r.has_hi = k + 1 < nparts;
        it->r.hi = (int64_t)((uint64_t)min + (k + 1) * step);
    }
    r->left[ti] = (unsigned)nparts;
    return 0;
}

int dbe_dump_jobs(const dj_args *a, dbf_error *err)
{
    dj_run r = {.a = a};
    dbc_vec items = {0};
    dj_lane *lanes = calloc(a->jobs, sizeof *lanes);
    r.left = calloc(a->ntables ? a->ntables : 1, sizeof *r.left);
    r.begun = calloc(a->ntables ? a->ntables : 1, sizeof *r.begun);
    r.lane_rows = calloc(a->jobs, sizeof *r.lane_rows);
    int rc = lanes && r.left && r.begun && r.lane_rows
                 ? 0 : dbf_error_set(err, DBF_ENOMEM, "out of memory");
    for (size_t i = 0; i < a->ntables && !rc; i++)
        if (a->selected[i])
            rc = plan_table(&r, i, &items, err);
    r.items = items.p;
    r.nitems = items.n;
    if (r.nitems)
        qsort(r.items, r.nitems, sizeof *r.items, item_cmp);
    unsigned started = 0;
    if (!rc && (rc = pthread_mutex_init(&r.mu, NULL)) != 0)
        rc = dbf_error_set(err, DBF_ENOMEM, "cannot create a mutex");
    else if (!rc) {
        for (unsigned i = 0; i < a->jobs; i++) {
            lanes[i] = (dj_lane){.r = &r, .id = i};
            if (pthread_create(&lanes[i].th, NULL, lane_main, &lanes[i]) != 0) {
                pthread_mutex_lock(&r.mu);
                dbf_error e;
                dbf_error_set(&e, DBF_ENOMEM, "cannot start thread %u of -j %u", i + 1, a->jobs);
                fail(&r, DBF_ENOMEM, &e);
                pthread_mutex_unlock(&r.mu);
                break;
            }
            started++;
        }
        for (unsigned i = 0; i < started; i++)
            pthread_join(lanes[i].th, NULL);
        pthread_mutex_destroy(&r.mu);
        if (r.rc) {
            rc = r.rc;
            *err = r.err;
        }
    }
    for (unsigned i = 0; lanes && i < a->jobs; i++) {
        dbf_arena_free(&lanes[i].arena);
        dbc_vec_free(&lanes[i].rows);
    }
    free(lanes);
    free(r.left);
    free(r.begun);
    free(r.lane_rows);
    dbc_vec_free(&items);
    return rc;
}
