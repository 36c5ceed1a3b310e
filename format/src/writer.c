/*
 * writer.c - the streaming archive writer (spec/FORMAT.md).
 *
 * Messages are packed into a fixed chunk buffer; a chunk is compressed as one zstd frame
 * and handed to the write callback once it reaches DBF_CHUNK_TARGET bytes. Rows of one
 * table are batched into one ROWS message per chunk.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "dbf_internal.h"

#define MAX_WORKERS 64

/*
 * Parallel compression (opts.zstd_workers > 0): each full chunk becomes a job compressed by a
 * worker thread with its own context; the caller's thread writes finished frames strictly in
 * order, so the output is byte-identical to the single-threaded writer's.
 */
typedef struct wjob {
    unsigned char *in; /* chunk content, DBF_MAX_CHUNK bytes */
    size_t in_len;
    unsigned char *out; /* compressed frame */
    size_t out_len;     /* or a zstd error code */
    size_t *touched;    /* tables with data in the chunk (index) */
    size_t ntouched, touched_cap;
    bool has_data, has_post;
    int state; /* J_FREE, J_QUEUED, J_RUNNING, J_DONE */
} wjob;

enum { J_FREE = 0, J_QUEUED, J_RUNNING, J_DONE };

typedef struct wpool {
    pthread_mutex_t mu;
    pthread_cond_t work; /* a job was queued, or stop */
    pthread_cond_t done; /* a job finished */
    pthread_t threads[MAX_WORKERS];
    int nthreads;
    ZSTD_CCtx *cctx[MAX_WORKERS];
    wjob *jobs;
    size_t njobs;
    uint64_t submitted, written; /* job sequence numbers; job i lives in jobs[i % njobs] */
    uint64_t next_run;           /* next job to hand to a worker */
    bool stop;
    bool owns_chunk; /* the writer's chunk pointer is a job's buffer */
    int level;
} wpool;

typedef struct wtable {
    dbf_table *t;     /* arena copy */
    int state;        /* 0 defined, 1 data begun, 2 data ended */
    uint64_t seq;     /* next ROWS sequence number */
    dbf_digest dg;    /* rows and digest so far */
    dbf_runs runs;    /* chunk ranges holding its data (index) */
    uint64_t touched; /* 1 + number of the chunk that last got a data message */
} wtable;

struct dbf_writer {
    dbf_write_fn write;
    void *ctx;
    ZSTD_CCtx *cctx;
    unsigned char *chunk; /* DBF_MAX_CHUNK bytes */
    size_t chunk_len;
    unsigned char *zbuf;
    size_t zcap;
    msgpack_sbuffer msg;   /* one message being built */
    msgpack_sbuffer row;   /* one row in wire form */
    msgpack_sbuffer batch; /* rows of the pending ROWS message */
    size_t batch_table;    /* index in tables of the batch's table */
    size_t batch_rows;
    bool *large;           /* per column of the current row: sent as VALUE_PART */
    size_t large_cap;
    dbf_arena arena;
    wtable *tables;
    size_t ntables, tables_cap;
    dbf_idmap ids;
    size_t *touched; /* tables with data messages in the current chunk */
    size_t ntouched;
    bool chunk_has_data, chunk_has_post;
    bool schema_closed;              /* a data message or post object was written: no TABLE */
    uint64_t first_data, first_post; /* offsets; UINT64_MAX until seen */
    uint64_t chunks;                 /* chunks written */
    uint64_t bytes_out, bytes_in;
    uint64_t rows_total, tables_done;
    XXH64_state_t *xx;
    XXH64_state_t *ax; /* XXH64 of the archive bytes before the index frame */
    bool in_index;
    bool header_done, finished;
    bool oom; /* a packer could not grow its buffer */
    wpool *pool; /* NULL: compress in the caller's thread */
    int failed; /* latched error code of a failed write: the archive is unusable */
};

static int werr_latched(dbf_writer *w, dbf_error *err)
{
    return dbf_error_set(err, w->failed == DBF_EIO ? DBF_EIO : DBF_EINVAL,
                         "writer unusable after an earlier failure (%s)", dbf_strerror(w->failed));
}

static int msg_write(void *data, const char *buf, size_t len)
{
    dbf_writer *w = data;
    if (msgpack_sbuffer_write(&w->msg, buf, len) != 0) {
        w->oom = true;
        return -1;
    }
    return 0;
}

static int row_write(void *data, const char *buf, size_t len)
{
    dbf_writer *w = data;
    if (msgpack_sbuffer_write(&w->row, buf, len) != 0) {
        w->oom = true;
        return -1;
    }
    return 0;
}

static int out_write(dbf_writer *w, const void *buf, size_t len, dbf_error *err)
{
    if (!w->in_index)
        XXH64_update(w->ax, buf, len);
    int rc = w->write(w->ctx, buf, len);
    if (rc != 0) {
        w->failed = rc < 0 ? rc : DBF_EIO;
        return dbf_error_set(err, w->failed, "archive write failed (%s) at byte %llu",
                             dbf_strerror(w->failed), (unsigned long long)w->bytes_out);
    }
    w->bytes_out += len;
    return 0;
}

/* Record a written frame [start, end) for the index. */
static int record_frame(dbf_writer *w, uint64_t start, const size_t *touched, size_t ntouched,
                        bool has_data, bool has_post, dbf_error *err)
{
    for (size_t i = 0; i < ntouched; i++) {
        if (dbf_runs_add(&w->tables[touched[i]].runs, start, w->bytes_out) < 0)
            return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    }
    if (has_data && w->first_data == UINT64_MAX)
        w->first_data = start;
    if (has_post && w->first_post == UINT64_MAX)
        w->first_post = start;
    return 0;
}

static void *pool_worker(void *arg)
{
    dbf_writer *w = arg;
    wpool *p = w->pool;
    pthread_mutex_lock(&p->mu);
    int me = -1;
    for (int i = 0; i < p->nthreads; i++)
        if (pthread_equal(p->threads[i], pthread_self()))
            me = i;
    for (;;) {
        while (!p->stop && (p->next_run == p->submitted || me < 0))
            pthread_cond_wait(&p->work, &p->mu);
        if (p->stop)
            break;
        wjob *j = &p->jobs[p->next_run % p->njobs];
        p->next_run++;
        j->state = J_RUNNING;
        pthread_mutex_unlock(&p->mu);
        j->out_len = ZSTD_compress2(p->cctx[me], j->out, w->zcap, j->in, j->in_len);
        pthread_mutex_lock(&p->mu);
        j->state = J_DONE;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/*
 * Write finished jobs in order. until: keep waiting until `written` reaches it (0 = only
 * what is already done).
 */
static int pool_write(dbf_writer *w, uint64_t until, dbf_error *err)
{
    wpool *p = w->pool;
    while (p->written < p->submitted) {
        wjob *j = &p->jobs[p->written % p->njobs];
        pthread_mutex_lock(&p->mu);
        while (j->state != J_DONE && p->written < until)
            pthread_cond_wait(&p->done, &p->mu);
        int st = j->state;
        pthread_mutex_unlock(&p->mu);
        if (st != J_DONE)
            return 0;
        if (ZSTD_isError(j->out_len)) {
            w->failed = DBF_EIO;
            return dbf_error_set(err, DBF_EIO, "zstd compression failed: %s",
                                 ZSTD_getErrorName(j->out_len));
        }
        uint64_t start = w->bytes_out;
        int rc = out_write(w, j->out, j->out_len, err);
        if (rc == 0)
            rc = record_frame(w, start, j->touched, j->ntouched, j->has_data, j->has_post, err);
        if (rc < 0)
            return rc;
        j->state = J_FREE;
        p->written++;
    }
    return 0;
}

/* Hand the current chunk to the pool and continue in a free job's buffer. */
static int pool_submit(dbf_writer *w, dbf_error *err)
{
    wpool *p = w->pool;
    wjob *j = &p->jobs[p->submitted % p->njobs];
    if (w->ntouched > j->touched_cap) {
        size_t *nt = realloc(j->touched, w->tables_cap * sizeof(*nt));
        if (nt == NULL)
            return dbf_error_set(err, DBF_ENOMEM, "out of memory");
        j->touched = nt;
        j->touched_cap = w->tables_cap;
    }
    if (w->ntouched > 0)
        memcpy(j->touched, w->touched, w->ntouched * sizeof(*w->touched));
    j->ntouched = w->ntouched;
    j->has_data = w->chunk_has_data;
    j->has_post = w->chunk_has_post;
    j->in_len = w->chunk_len;
    pthread_mutex_lock(&p->mu);
    j->state = J_QUEUED;
    p->submitted++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    /* the next buffer must be free: wait for the oldest job if the ring is full */
    uint64_t need = p->submitted >= p->njobs ? p->submitted - p->njobs + 1 : 0;
    int rc = pool_write(w, need, err);
    if (rc < 0)
        return rc;
    w->chunk = p->jobs[p->submitted % p->njobs].in;
    return 0;
}

static void pool_free(dbf_writer *w)
{
    wpool *p = w->pool;
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    for (size_t i = 0; p->jobs != NULL && i < p->njobs; i++) {
        free(p->jobs[i].in);
        free(p->jobs[i].out);
        free(p->jobs[i].touched);
    }
    for (int i = 0; i < MAX_WORKERS; i++)
        ZSTD_freeCCtx(p->cctx[i]);
    free(p->jobs);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->mu);
    if (p->owns_chunk)
        w->chunk = NULL; /* it was a job's buffer, freed above */
    free(p);
    w->pool = NULL;
}

static int set_cparams(ZSTD_CCtx *c, int level)
{
    if (ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level)) ||
        ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1)) ||
        ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 1)) ||
        ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_dictIDFlag, 0)))
        return -1;
    return 0;
}

static int pool_create(dbf_writer *w, int workers, int level)
{
    if (workers > MAX_WORKERS)
        workers = MAX_WORKERS;
    wpool *p = calloc(1, sizeof(*p));
    if (p == NULL)
        return DBF_ENOMEM;
    p->level = level;
    p->njobs = (size_t)workers * 2;
    p->jobs = calloc(p->njobs, sizeof(*p->jobs));
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    w->pool = p;
    if (p->jobs == NULL)
        return DBF_ENOMEM;
    for (size_t i = 0; i < p->njobs; i++) {
        p->jobs[i].in = malloc(DBF_MAX_CHUNK);
        p->jobs[i].out = malloc(w->zcap);
        if (p->jobs[i].in == NULL || p->jobs[i].out == NULL)
            return DBF_ENOMEM;
    }
    for (int i = 0; i < workers; i++) {
        p->cctx[i] = ZSTD_createCCtx();
        if (p->cctx[i] == NULL || set_cparams(p->cctx[i], level) < 0)
            return DBF_ENOMEM;
    }
    pthread_mutex_lock(&p->mu); /* workers find their index once all are started */
    for (int i = 0; i < workers; i++) {
        if (pthread_create(&p->threads[i], NULL, pool_worker, w) != 0)
            break;
        p->nthreads++;
    }
    pthread_mutex_unlock(&p->mu);
    if (p->nthreads == 0)
        return DBF_ENOMEM;
    free(w->chunk); /* the chunk being filled is now always a job's buffer */
    w->chunk = p->jobs[0].in;
    p->owns_chunk = true;
    return 0;
}

static int flush_chunk_inner(dbf_writer *w, bool hashed, dbf_error *err);

/* Compress and write the chunk buffer as one frame. hashed: part of the trailer checksum.
 * Any failure is latched: the chunk may be half accounted for. */
static int flush_chunk(dbf_writer *w, bool hashed, dbf_error *err)
{
    int rc = flush_chunk_inner(w, hashed, err);
    if (rc < 0 && !w->failed)
        w->failed = rc;
    return rc;
}

static int flush_chunk_inner(dbf_writer *w, bool hashed, dbf_error *err)
{
    int rc;
    if (w->chunk_len == 0)
        return 0;
    if (hashed && XXH64_update(w->xx, w->chunk, w->chunk_len) != XXH_OK)
        return dbf_error_set(err, DBF_ENOMEM, "xxh64 update failed");
    if (w->pool != NULL && hashed) {
        if ((rc = pool_submit(w, err)) < 0)
            return rc;
    } else {
        if (w->pool != NULL && (rc = pool_write(w, w->pool->submitted, err)) < 0)
            return rc;
        size_t z = ZSTD_compress2(w->cctx, w->zbuf, w->zcap, w->chunk, w->chunk_len);
        if (ZSTD_isError(z)) {
            w->failed = DBF_EIO;
            return dbf_error_set(err, DBF_EIO, "zstd compression failed: %s",
                                 ZSTD_getErrorName(z));
        }
        uint64_t start = w->bytes_out;
        if ((rc = out_write(w, w->zbuf, z, err)) < 0 ||
            (rc = record_frame(w, start, w->touched, w->ntouched, w->chunk_has_data,
                               w->chunk_has_post, err)) < 0)
            return rc;
    }
    w->ntouched = 0;
    w->chunk_has_data = w->chunk_has_post = false;
    w->chunk_len = 0;
    if (hashed)
        w->chunks++;
    return 0;
}

/* Append one message (given in two pieces) to the chunk. tidx: table with data in it, or -1. */
static int emit2(dbf_writer *w, const void *a, size_t alen, const void *b, size_t blen,
                 long tidx, bool post, dbf_error *err)
{
    size_t len = alen + blen;
    if (w->oom || a == NULL) {
        w->oom = false;
        return dbf_error_set(err, DBF_ENOMEM, "out of memory building a message");
    }
    /* nothing is written yet: a message that cannot be built or is too big leaves the
     * writer usable; failures below (output) are latched by flush_chunk/out_write */
    if (len > DBF_MAX_CHUNK)
        return dbf_error_set(err, DBF_EUNSUPPORTED, "message of %zu bytes exceeds the chunk limit",
                             len);
    if (w->chunk_len + len > DBF_MAX_CHUNK) {
        int rc = flush_chunk(w, true, err);
        if (rc < 0)
            return rc;
    }
    memcpy(w->chunk + w->chunk_len, a, alen);
    if (blen > 0)
        memcpy(w->chunk + w->chunk_len + alen, b, blen);
    w->chunk_len += len;
    w->bytes_in += len;
    if (post)
        w->chunk_has_post = w->schema_closed = true;
    if (tidx >= 0) {
        wtable *wt = &w->tables[tidx];
        w->chunk_has_data = w->schema_closed = true;
        if (wt->touched != w->chunks + 1) {
            wt->touched = w->chunks + 1;
            w->touched[w->ntouched++] = (size_t)tidx;
        }
    }
    if (w->chunk_len >= DBF_CHUNK_TARGET)
        return flush_chunk(w, true, err);
    return 0;
}

static int emit_msg(dbf_writer *w, long tidx, dbf_error *err)
{
    return emit2(w, w->msg.data, w->msg.size, NULL, 0, tidx, false, err);
}

static void msg_start(dbf_writer *w, msgpack_packer *pk, int kind)
{
    w->msg.size = 0;
    w->oom = false;
    msgpack_packer_init(pk, w, msg_write);
    msgpack_pack_array(pk, 2);
    msgpack_pack_int(pk, kind);
}

/* a zeroed arena allocation as a dbf_alloc_fn, for the copies of tables */
static void *arena_alloc(void *arena, size_t n)
{
    return dbf_arena_calloc(arena, 1, n);
}

static int nomem(dbf_error *err)
{
    return dbf_error_set(err, DBF_ENOMEM, "out of memory");
}

int dbf_writer_create(dbf_writer **out, const dbf_writer_opts *opts, dbf_error *err)
{
    int rc = 0;
    dbf_writer *w = NULL;
    *out = NULL;
    if (opts == NULL || opts->version != DBF_WRITER_OPTS_VERSION || opts->write == NULL)
        return dbf_error_set(err, DBF_EINVAL, "writer options missing, wrong version or no write");
    w = calloc(1, sizeof(*w));
    if (w == NULL)
        return nomem(err);
    w->write = opts->write;
    w->ctx = opts->ctx;
    w->first_data = w->first_post = UINT64_MAX;
    msgpack_sbuffer_init(&w->msg);
    msgpack_sbuffer_init(&w->row);
    msgpack_sbuffer_init(&w->batch);
    w->chunk = malloc(DBF_MAX_CHUNK);
    w->zcap = ZSTD_compressBound(DBF_MAX_CHUNK);
    w->zbuf = malloc(w->zcap);
    w->cctx = ZSTD_createCCtx();
    w->xx = XXH64_createState();
    w->ax = XXH64_createState();
    if (w->chunk == NULL || w->zbuf == NULL || w->cctx == NULL || w->xx == NULL ||
        w->ax == NULL) {
        rc = nomem(err);
        goto done;
    }
    XXH64_reset(w->xx, 0);
    XXH64_reset(w->ax, 0);
    int level = opts->zstd_level == 0 ? 3 : opts->zstd_level;
    if (level < ZSTD_minCLevel() || level > ZSTD_maxCLevel() || set_cparams(w->cctx, level) < 0) {
        rc = dbf_error_set(err, DBF_EINVAL, "invalid zstd level %d", level);
        goto done;
    }
    if (opts->zstd_workers > 0 && pool_create(w, opts->zstd_workers, level) < 0) {
        rc = nomem(err);
        goto done;
    }
    unsigned char pre[DBF_PREAMBLE_LEN];
    memcpy(pre, DBF_MAGIC, DBF_MAGIC_LEN);
    pre[8] = DBF_FORMAT_MAJOR;
    pre[9] = DBF_FORMAT_MINOR;
    pre[10] = pre[11] = 0;
    rc = out_write(w, pre, sizeof(pre), err);
done:
    if (rc < 0) {
        dbf_writer_free(w);
        return rc;
    }
    *out = w;
    return 0;
}

static int check_usable(dbf_writer *w, dbf_error *err)
{
    if (w == NULL)
        return dbf_error_set(err, DBF_EINVAL, "NULL writer");
    if (w->failed)
        return werr_latched(w, err);
    if (w->finished)
        return dbf_error_set(err, DBF_EINVAL, "writer already finished");
    return 0;
}

int dbf_writer_header(dbf_writer *w, const dbf_header *h, dbf_error *err)
{
    int rc = check_usable(w, err);
    if (rc < 0)
        return rc;
    if (w->header_done)
        return dbf_error_set(err, DBF_EINVAL, "header written twice");
    if (h == NULL)
        return dbf_error_set(err, DBF_EINVAL, "NULL header");
    msgpack_packer pk;
    msg_start(w, &pk, DBF_K_HEADER);
    if (dbf_pack_header_body(&pk, h) != 0)
        return nomem(err);
    rc = emit_msg(w, -1, err);
    if (rc == 0)
        w->header_done = true;
    return rc;
}

static int find_table(dbf_writer *w, uint32_t id, size_t *idx, dbf_error *err)
{
    if (!dbf_idmap_get(&w->ids, id, idx))
        return dbf_error_set(err, DBF_EINVAL, "table id %u was not defined", id);
    return 0;
}

static const char *tname(const dbf_table *t)
{
    return t->name != NULL ? t->name : "?";
}

int dbf_writer_table(dbf_writer *w, const dbf_table *t, dbf_error *err)
{
    int rc = check_usable(w, err);
    size_t idx;
    if (rc < 0)
        return rc;
    if (!w->header_done)
        return dbf_error_set(err, DBF_EINVAL, "table before header");
    if (t == NULL || t->id == 0 || t->name == NULL)
        return dbf_error_set(err, DBF_EINVAL, "table without id or name");
    if (dbf_idmap_get(&w->ids, t->id, &idx))
        return dbf_error_set(err, DBF_EINVAL, "table %s: id %u already used", t->name, t->id);
    if (w->schema_closed)
        return dbf_error_set(err, DBF_EINVAL, "table %s: after the data began or a post "
                             "object (spec/FORMAT.md section 2)", t->name);
    if (t->ncolumns > DBF_MAX_COLUMNS || (t->ncolumns > 0 && t->columns == NULL))
        return dbf_error_set(err, DBF_EINVAL, "table %s: %zu columns (limit %u)", t->name,
                             t->ncolumns, DBF_MAX_COLUMNS);
    for (size_t i = 0; i < t->ncolumns; i++) {
        const dbf_column *c = &t->columns[i];
        if (c->name == NULL || (int)c->type < 0 || c->type >= DBF_T__COUNT ||
            (c->type == DBF_T_ARRAY &&
             ((int)c->elem_type < 0 || c->elem_type >= DBF_T__COUNT ||
              c->elem_type == DBF_T_ARRAY)))
            return dbf_error_set(err, DBF_EINVAL, "table %s: column %zu has no name or a bad type",
                                 t->name, i);
    }
    if (w->ntables == w->tables_cap) {
        size_t ncap = w->tables_cap ? w->tables_cap * 2 : 16;
        wtable *nt = realloc(w->tables, ncap * sizeof(*nt));
        size_t *ntouch = realloc(w->touched, ncap * sizeof(*ntouch));
        if (nt != NULL)
            w->tables = nt;
        if (ntouch != NULL)
            w->touched = ntouch;
        if (nt == NULL || ntouch == NULL)
            return nomem(err);
        w->tables_cap = ncap;
    }
    msgpack_packer pk;
    msg_start(w, &pk, DBF_K_TABLE);
    if (dbf_pack_table_body(&pk, t) != 0)
        return nomem(err);
    if ((rc = emit_msg(w, -1, err)) < 0)
        return rc;
    /* the TABLE message is out: from here a failure is latched */
    wtable *wt = &w->tables[w->ntables];
    memset(wt, 0, sizeof(*wt));
    if (dbf_table_copy(&wt->t, t, arena_alloc, &w->arena) < 0 ||
        dbf_idmap_put(&w->ids, t->id, w->ntables) < 0) {
        w->failed = DBF_ENOMEM;
        return nomem(err);
    }
    dbf_digest_init(&wt->dg);
    w->ntables++;
    return 0;
}

int dbf_writer_object(dbf_writer *w, const dbf_object *o, dbf_error *err)
{
    int rc = check_usable(w, err);
    if (rc < 0)
        return rc;
    if (!w->header_done)
        return dbf_error_set(err, DBF_EINVAL, "object before header");
    if (o == NULL || (int)o->kind < 1 || o->kind >= DBF_OBJ__COUNT ||
        (o->section != DBF_SEC_PRE && o->section != DBF_SEC_POST))
        return dbf_error_set(err, DBF_EINVAL, "object %s: bad kind or section",
                             o && o->name ? o->name : "?");
    msgpack_packer pk;
    msg_start(w, &pk, DBF_K_OBJECT);
    if (dbf_pack_object_body(&pk, o) != 0)
        return nomem(err);
    return emit2(w, w->msg.data, w->msg.size, NULL, 0, -1, o->section == DBF_SEC_POST, err);
}

int dbf_writer_data_begin(dbf_writer *w, uint32_t table_id, dbf_error *err)
{
    size_t idx;
    int rc = check_usable(w, err);
    if (rc < 0 || (rc = find_table(w, table_id, &idx, err)) < 0)
        return rc;
    wtable *wt = &w->tables[idx];
    if (wt->state != 0)
        return dbf_error_set(err, DBF_EINVAL, "table %s: data already begun", tname(wt->t));
    msgpack_packer pk;
    msg_start(w, &pk, DBF_K_DATA_BEGIN);
    msgpack_pack_map(&pk, 1);
    dbf_pack_cstr(&pk, "t");
    msgpack_pack_uint32(&pk, table_id);
    rc = emit_msg(w, (long)idx, err);
    if (rc == 0)
        wt->state = 1;
    return rc;
}

/* Emit the pending ROWS message, if any. */
static int flush_batch(dbf_writer *w, dbf_error *err)
{
    if (w->batch_rows == 0)
        return 0;
    wtable *wt = &w->tables[w->batch_table];
    msgpack_packer pk;
    msg_start(w, &pk, DBF_K_ROWS);
    msgpack_pack_map(&pk, 3);
    dbf_pack_cstr(&pk, "t");
    msgpack_pack_uint32(&pk, wt->t->id);
    dbf_pack_cstr(&pk, "s");
    msgpack_pack_uint64(&pk, wt->seq);
    dbf_pack_cstr(&pk, "r");
    msgpack_pack_array(&pk, w->batch_rows);
    if (w->msg.data == NULL)
        return nomem(err);
    int rc = emit2(w, w->msg.data, w->msg.size, w->batch.data, w->batch.size,
                   (long)w->batch_table, false, err);
    wt->seq++;
    w->batch_rows = 0;
    w->batch.size = 0;
    return rc;
}

/* Pack the row in wire form into w->row (large columns as placeholders). */
static int pack_row(dbf_writer *w, const dbf_value *vals, size_t n)
{
    msgpack_packer pk;
    w->row.size = 0;
    msgpack_packer_init(&pk, w, row_write);
    int bad = msgpack_pack_array(&pk, n);
    for (size_t i = 0; i < n && bad == 0; i++) {
        if (w->large[i]) {
            unsigned char tag = vals[i].kind == DBF_V_STR ? 0 : 1;
            bad = msgpack_pack_ext(&pk, 1, DBF_EXT_LARGE);
            if (bad == 0)
                bad = msgpack_pack_ext_body(&pk, &tag, 1);
        } else {
            bad = dbf_pack_value(&pk, &vals[i]);
        }
    }
    return bad;
}

static int emit_parts(dbf_writer *w, size_t tidx, size_t col, const dbf_value *v,
                      dbf_error *err)
{
    uint32_t id = w->tables[tidx].t->id;
    size_t off = 0;
    while (off < v->u.s.len) {
        size_t piece = v->u.s.len - off;
        if (piece > DBF_PART_SIZE)
            piece = DBF_PART_SIZE;
        msgpack_packer pk;
        msg_start(w, &pk, DBF_K_VALUE_PART);
        msgpack_pack_map(&pk, 4);
        dbf_pack_cstr(&pk, "t");
        msgpack_pack_uint32(&pk, id);
        dbf_pack_cstr(&pk, "c");
        msgpack_pack_uint64(&pk, col);
        dbf_pack_cstr(&pk, "n");
        msgpack_pack_uint64(&pk, v->u.s.len);
        dbf_pack_cstr(&pk, "d");
        msgpack_pack_bin(&pk, piece);
        if (w->msg.data == NULL)
            return nomem(err);
        int rc = emit2(w, w->msg.data, w->msg.size, v->u.s.ptr + off, piece, (long)tidx, false,
                       err);
        if (rc < 0)
            return rc;
        off += piece;
    }
    return 0;
}

typedef struct cand {
    size_t len, col;
} cand;

static int cand_cmp(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->len != y->len)
        return x->len > y->len ? -1 : 1;
    return x->col < y->col ? -1 : (x->col > y->col);
}

/*
 * Mark the largest inline str/bin values of a too-big row as large (sent as VALUE_PART)
 * until the row fits, and repack it. @return 0, 1 when it cannot fit, or DBF_ENOMEM.
 */
static int shrink_row(dbf_writer *w, const dbf_value *vals, size_t n, dbf_error *err)
{
    cand *c = malloc((n > 0 ? n : 1) * sizeof(*c));
    size_t nc = 0, next = 0;
    int rc = 0;
    if (c == NULL)
        return nomem(err);
    for (size_t i = 0; i < n; i++) {
        if (!w->large[i] && (vals[i].kind == DBF_V_STR || vals[i].kind == DBF_V_BIN) &&
            vals[i].u.s.len > 0)
            c[nc++] = (cand){vals[i].u.s.len, i};
    }
    qsort(c, nc, sizeof(*c), cand_cmp);
    while (w->row.size > DBF_MAX_ROW_INLINE) {
        size_t excess = w->row.size - DBF_MAX_ROW_INLINE, saved = 0;
        if (next == nc) {
            rc = 1;
            goto done;
        }
        while (next < nc && saved < excess) { /* each value leaves a 3-byte placeholder */
            w->large[c[next].col] = true;
            saved += c[next].len > 3 ? c[next].len - 3 : 0;
            next++;
        }
        if (pack_row(w, vals, n) != 0 || w->oom) {
            w->oom = false;
            rc = nomem(err);
            goto done;
        }
    }
done:
    free(c);
    return rc;
}

int dbf_writer_row(dbf_writer *w, uint32_t table_id, const dbf_value *vals, size_t n,
                   dbf_error *err)
{
    size_t idx;
    int rc = check_usable(w, err);
    if (rc < 0 || (rc = find_table(w, table_id, &idx, err)) < 0)
        return rc;
    wtable *wt = &w->tables[idx];
    const dbf_table *t = wt->t;
    uint64_t rowno = wt->dg.rows + 1;
    if (wt->state != 1)
        return dbf_error_set(err, DBF_EINVAL, "table %s: row outside DATA_BEGIN/DATA_END",
                             tname(t));
    if (n != t->ncolumns || (n > 0 && vals == NULL))
        return dbf_error_set(err, DBF_EINVAL, "table %s, row %llu: %zu values for %zu columns",
                             tname(t), (unsigned long long)rowno, n, t->ncolumns);
    for (size_t i = 0; i < n; i++) {
        if ((rc = dbf_check_value(t, i, &vals[i], rowno, err)) < 0)
            return rc;
    }
    if (n > w->large_cap) {
        bool *nl = realloc(w->large, n * sizeof(*nl));
        if (nl == NULL)
            return nomem(err);
        w->large = nl;
        w->large_cap = n;
    }
    bool any_large = false;
    for (size_t i = 0; i < n; i++) {
        w->large[i] = (vals[i].kind == DBF_V_STR || vals[i].kind == DBF_V_BIN) &&
                      vals[i].u.s.len > DBF_PART_THRESHOLD;
        any_large |= w->large[i];
    }
    if (pack_row(w, vals, n) != 0 || w->oom) {
        w->oom = false;
        return nomem(err);
    }
    if (w->row.size > DBF_MAX_ROW_INLINE) {
        /* too big to travel inline: move the largest inline str/bin values out to parts */
        rc = shrink_row(w, vals, n, err);
        if (rc == 1)
            return dbf_error_set(err, DBF_EUNSUPPORTED,
                                 "table %s, row %llu: row of %zu bytes exceeds the %u byte limit",
                                 tname(t), (unsigned long long)rowno, w->row.size,
                                 DBF_MAX_ROW_INLINE);
        if (rc < 0)
            return rc;
        any_large = true;
    }
    /* from here on a failure leaves the archive inconsistent: it is latched */
    if (any_large) {
        if ((rc = flush_batch(w, err)) < 0)
            goto done;
        dbf_digest d2 = wt->dg;
        if ((rc = dbf_digest_add_row(&d2, t, vals, n, err)) < 0)
            goto done;
        for (size_t i = 0; i < n; i++) {
            if (w->large[i] && vals[i].u.s.len > 0 &&
                (rc = emit_parts(w, idx, i, &vals[i], err)) < 0)
                goto done;
        }
        /* the row travels alone, right after its parts */
        if (msgpack_sbuffer_write(&w->batch, w->row.data, w->row.size) != 0) {
            rc = nomem(err);
            goto done;
        }
        wt->dg = d2;
        w->batch_table = idx;
        w->batch_rows = 1;
        w->rows_total++;
        rc = flush_batch(w, err);
        goto done;
    }
    if (w->batch_rows > 0 && w->batch_table != idx && (rc = flush_batch(w, err)) < 0)
        goto done;
    if (msgpack_sbuffer_write(&w->batch, w->row.data, w->row.size) != 0) {
        rc = nomem(err);
        goto done;
    }
    dbf_digest_add_bytes(&wt->dg, w->row.data, w->row.size);
    w->batch_table = idx;
    w->batch_rows++;
    w->rows_total++;
    /* a ROWS message ends with the chunk, or at DBF_ROWS_TARGET: a reader decodes a whole
     * message at once (~24 bytes per value), so smaller messages keep its memory small */
    if (w->chunk_len + w->batch.size + 64 >= DBF_CHUNK_TARGET || w->batch.size >= DBF_ROWS_TARGET)
        rc = flush_batch(w, err);
done:
    if (rc < 0 && !w->failed)
        w->failed = rc;
    return rc;
}

int dbf_writer_data_end(dbf_writer *w, uint32_t table_id, dbf_error *err)
{
    size_t idx;
    int rc = check_usable(w, err);
    if (rc < 0 || (rc = find_table(w, table_id, &idx, err)) < 0)
        return rc;
    wtable *wt = &w->tables[idx];
    if (wt->state != 1)
        return dbf_error_set(err, DBF_EINVAL, "table %s: data end without data begin",
                             tname(wt->t));
    if (w->batch_rows > 0 && w->batch_table == idx && (rc = flush_batch(w, err)) < 0)
        return rc;
    uint8_t d[DBF_DIGEST_SIZE];
    dbf_digest_final(&wt->dg, d);
    msgpack_packer pk;
    msg_start(w, &pk, DBF_K_DATA_END);
    msgpack_pack_map(&pk, 3);
    dbf_pack_cstr(&pk, "t");
    msgpack_pack_uint32(&pk, table_id);
    dbf_pack_cstr(&pk, "n");
    msgpack_pack_uint64(&pk, wt->dg.rows);
    dbf_pack_cstr(&pk, "d");
    msgpack_pack_bin(&pk, DBF_DIGEST_SIZE);
    msgpack_pack_bin_body(&pk, d, DBF_DIGEST_SIZE);
    if (w->msg.data == NULL)
        return nomem(err);
    rc = emit_msg(w, (long)idx, err);
    if (rc == 0) {
        wt->state = 2;
        w->tables_done++;
    }
    return rc;
}

int dbf_writer_finish(dbf_writer *w, dbf_error *err)
{
    int rc = check_usable(w, err);
    if (rc < 0)
        return rc;
    if (!w->header_done)
        return dbf_error_set(err, DBF_EINVAL, "finish without header");
    for (size_t i = 0; i < w->ntables; i++) {
        if (w->tables[i].state == 1)
            return dbf_error_set(err, DBF_EINVAL, "table %s: data not ended",
                                 tname(w->tables[i].t));
    }
    if ((rc = flush_batch(w, err)) < 0 || (rc = flush_chunk(w, true, err)) < 0)
        return rc;
    if (w->pool != NULL && (rc = pool_write(w, w->pool->submitted, err)) < 0)
        return rc; /* every frame is out: offsets below are final */
    /* trailer: alone in the last chunk */
    uint64_t trailer_off = w->bytes_out;
    msgpack_packer pk;
    msg_start(w, &pk, DBF_K_TRAILER);
    msgpack_pack_map(&pk, 4);
    dbf_pack_cstr(&pk, "tables");
    msgpack_pack_uint64(&pk, w->tables_done);
    dbf_pack_cstr(&pk, "rows");
    msgpack_pack_uint64(&pk, w->rows_total);
    dbf_pack_cstr(&pk, "chunks");
    msgpack_pack_uint64(&pk, w->chunks);
    dbf_pack_cstr(&pk, "xxh64");
    msgpack_pack_uint64(&pk, XXH64_digest(w->xx));
    if (w->msg.data == NULL || w->oom)
        return nomem(err);
    memcpy(w->chunk, w->msg.data, w->msg.size);
    w->chunk_len = w->msg.size;
    w->bytes_in += w->msg.size;
    if ((rc = flush_chunk(w, false, err)) < 0)
        return rc;
    /* index frame */
    uint64_t index_off = w->bytes_out;
    w->in_index = true;
    msg_start(w, &pk, DBF_K_INDEX);
    msgpack_pack_map(&pk, 5);
    dbf_pack_cstr(&pk, "tables");
    size_t ndata = 0;
    for (size_t i = 0; i < w->ntables; i++)
        ndata += w->tables[i].state == 2;
    msgpack_pack_array(&pk, ndata);
    for (size_t i = 0; i < w->ntables; i++) {
        const wtable *wt = &w->tables[i];
        if (wt->state != 2)
            continue;
        msgpack_pack_map(&pk, 2);
        dbf_pack_cstr(&pk, "t");
        msgpack_pack_uint32(&pk, wt->t->id);
        dbf_pack_cstr(&pk, "c");
        msgpack_pack_array(&pk, wt->runs.n);
        for (size_t j = 0; j < wt->runs.n; j++)
            msgpack_pack_uint64(&pk, wt->runs.v[j]);
    }
    dbf_pack_cstr(&pk, "data");
    msgpack_pack_uint64(&pk, w->first_data == UINT64_MAX ? trailer_off : w->first_data);
    dbf_pack_cstr(&pk, "post");
    msgpack_pack_uint64(&pk, w->first_post == UINT64_MAX ? trailer_off : w->first_post);
    dbf_pack_cstr(&pk, "trailer");
    msgpack_pack_uint64(&pk, trailer_off);
    dbf_pack_cstr(&pk, "xxh64");
    msgpack_pack_uint64(&pk, XXH64_digest(w->ax));
    if (w->msg.data == NULL || w->oom)
        return nomem(err);
    if (w->msg.size > DBF_MAX_CHUNK)
        return dbf_error_set(err, DBF_EUNSUPPORTED, "index of %zu bytes exceeds the chunk limit",
                             w->msg.size);
    memcpy(w->chunk, w->msg.data, w->msg.size);
    w->chunk_len = w->msg.size;
    w->bytes_in += w->msg.size;
    if ((rc = flush_chunk(w, false, err)) < 0)
        return rc;
    unsigned char foot[DBF_FOOTER_LEN];
    memcpy(foot, DBF_FOOTER_MAGIC, 8);
    for (int i = 0; i < 8; i++)
        foot[8 + i] = (unsigned char)(index_off >> (8 * i));
    if ((rc = out_write(w, foot, sizeof(foot), err)) < 0)
        return rc;
    w->finished = true;
    return 0;
}

int dbf_writer_abort(dbf_writer *w, const char *message, dbf_error *err)
{
    int rc = check_usable(w, err);
    if (rc < 0)
        return rc;
    if (!w->header_done)
        return dbf_error_set(err, DBF_EINVAL, "abort without header");
    if ((rc = flush_batch(w, err)) < 0 || (rc = flush_chunk(w, true, err)) < 0)
        return rc;
    if (w->pool != NULL && (rc = pool_write(w, w->pool->submitted, err)) < 0)
        return rc;
    msgpack_packer pk;
    msg_start(w, &pk, DBF_K_ABORT);
    msgpack_pack_map(&pk, 1);
    dbf_pack_cstr(&pk, "message");
    size_t len = message ? strlen(message) : 0;
    if (len > DBF_MAX_CHUNK / 2)
        len = DBF_MAX_CHUNK / 2;
    msgpack_pack_str(&pk, len);
    msgpack_pack_str_body(&pk, message ? message : "", len);
    if (w->msg.data == NULL || w->oom)
        return nomem(err);
    memcpy(w->chunk, w->msg.data, w->msg.size);
    w->chunk_len = w->msg.size;
    w->bytes_in += w->msg.size;
    rc = flush_chunk(w, false, err);
    w->finished = true; /* nothing may follow */
    return rc;
}

uint64_t dbf_writer_bytes_out(const dbf_writer *w)
{
    return w != NULL ? w->bytes_out : 0;
}

uint64_t dbf_writer_bytes_in(const dbf_writer *w)
{
    return w != NULL ? w->bytes_in : 0;
}

uint64_t dbf_writer_rows(const dbf_writer *w)
{
    return w != NULL ? w->rows_total : 0;
}

void dbf_writer_free(dbf_writer *w)
{
    if (w == NULL)
        return;
    pool_free(w);
    for (size_t i = 0; i < w->ntables; i++)
        dbf_runs_free(&w->tables[i].runs);
    free(w->tables);
    free(w->touched);
    free(w->large);
    dbf_idmap_free(&w->ids);
    dbf_arena_free(&w->arena);
    msgpack_sbuffer_destroy(&w->msg);
    msgpack_sbuffer_destroy(&w->row);
    msgpack_sbuffer_destroy(&w->batch);
    ZSTD_freeCCtx(w->cctx);
    XXH64_freeState(w->xx);
    XXH64_freeState(w->ax);
    free(w->chunk);
    free(w->zbuf);
    free(w);
}
