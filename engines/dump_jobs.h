/*
 * dump_jobs.h - dbdump -j N (dump_jobs.c), for the dump pump (dump.c) alone.
 */
#ifndef DBE_DUMP_JOBS_H
#define DBE_DUMP_JOBS_H

#include "engine.h"

typedef struct dj_args {
    const dbe_source_ops *ops; /* with stream_lane */
    dbe_source *src;           /* opened with jobs lanes */
    unsigned jobs;
    dbf_writer *w;             /* the tables' TABLE messages and pre objects written */
    dbc_progress *prog;
    const dbf_table *tables;
    const bool *selected;      /* per table: its rows go into the archive */
    size_t ntables;
} dj_args;

/**
 * The rows of every selected table, read on a->jobs lanes at once, into a->w: each table's
 * DATA_BEGIN, ROWS and DATA_END, the tables interleaved.
 * @return 0, or the first failure's code with err filled (the other lanes stopped).
 */
int dbe_dump_jobs(const dj_args *a, dbf_error *err);

#endif /* DBE_DUMP_JOBS_H */
