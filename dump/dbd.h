/*
 * dbd.h - dbdump internals: options, the engine-agnostic pump, and the source
 * adapter vtable that each engine implements (src_sqlite.c, src_pg.c, src_mysql.c).
 */
#ifndef DBD_H
#define DBD_H

#include "dbc.h"
#include "dbf.h"

typedef struct dbd_opts {
    const char *source; /* SOURCE as given on the command line */
    const char *output; /* -o FILE; NULL = stdout */
    int zstd_level;     /* 0 = default */
    int verbosity;      /* 0 quiet, 1 normal, 2 verbose */
    const dbc_select *select; /* -t/-T/--schema-only/--data-only; NULL = everything */
    int progress;       /* -1 off, 0 when stderr is a terminal, 1 forced */
    int threads;        /* zstd compression worker threads; 0 = compress in the caller */
    int mode;           /* -o file permissions; 0 = 0600 (archives hold data) */
} dbd_opts;

typedef struct dbd_source dbd_source; /* adapter-private state */

#define DBD_SOURCE_OPS_VERSION 1
typedef struct dbd_source_ops {
    unsigned version;   /* DBD_SOURCE_OPS_VERSION */
    dbc_engine engine;
    /** Connect/open read-only and start one consistent read snapshot. */
    int (*open)(dbd_source **out, const dbc_target *t, const dbd_opts *o, dbf_error *err);
    /** Fill engine, server_version, database, encoding, time_zone. Borrowed until close. */
    int (*header)(dbd_source *s, dbf_header *out, dbf_error *err);
    /** All tables, ids 1..n in dump order. Borrowed until close. */
    int (*tables)(dbd_source *s, const dbf_table **out, size_t *out_n, dbf_error *err);
    /** Schema objects of one section, in creation order. Borrowed until close. */
    int (*objects)(dbd_source *s, dbf_section sec, const dbf_object **out, size_t *out_n,
                   dbf_error *err);
    /** Stream every row of t with dbf_writer_row (the pump does data_begin/end). */
    int (*stream_rows)(dbd_source *s, const dbf_table *t, dbf_writer *w, dbf_error *err);
    /** End the snapshot and disconnect. NULL ok. */
    void (*close)(dbd_source *s);
} dbd_source_ops;

extern const dbd_source_ops dbd_sqlite_source;
extern const dbd_source_ops dbd_pg_source;
extern const dbd_source_ops dbd_mysql_source;

/** @return the source adapter of an engine, NULL when there is none. */
const dbd_source_ops *dbd_source_for(dbc_engine e);

/** Run a whole dump. @return 0 or a negative DBF_E* code with err filled. */
int dbd_run(const dbd_opts *o, dbf_error *err);

#endif /* DBD_H */
