/*
 * dbc.h - code shared by the two programs (not part of the archive library):
 * exit codes, logging, signals, atomic output files, table selection, progress.
 */
#ifndef DBC_H
#define DBC_H

#include <stdio.h>

#include "dbf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Exit codes of dbdump and dbrestore (documented in README.md and --help). */
enum {
    DBC_EXIT_OK = 0,
    DBC_EXIT_ERROR = 1,     /* anything not below (internal error, out of memory) */
    DBC_EXIT_USAGE = 2,     /* bad option or URL */
    DBC_EXIT_CONNECT = 3,   /* cannot connect, authenticate or open the database */
    DBC_EXIT_ARCHIVE = 4,   /* not an archive, corrupt archive, unsupported version */
    DBC_EXIT_TRUNCATED = 5, /* archive ends before its trailer */
    DBC_EXIT_NOTEMPTY = 6,  /* restore target is not empty (use --clean or --force) */
    DBC_EXIT_DATA = 7,      /* a value or object the target refuses */
    DBC_EXIT_IO = 8,        /* read/write failure: disk full, closed pipe */
    DBC_EXIT_BACKEND = 9,   /* any other engine error during dump or restore */
    DBC_EXIT_VERIFY = 10    /* dbrestore --verify: a restored table differs from the archive */
};

/* The programs' own error codes, beside the archive library's DBF_E* (format/dbf.h) in the
 * same dbf_error. Values are pinned. */
enum {
    DBC_EBACKEND = -5,   /* the database engine reported an error */
    DBC_ECONNECT = -10,  /* cannot connect/authenticate/open the database */
    DBC_ENOTEMPTY = -11, /* restore target already holds tables */
    DBC_EDATA = -12,     /* a value or row the target refuses (constraint, type) */
    DBC_EUSAGE = -13     /* bad command line / URL */
};

/** @return the exit code for a DBF_E* or DBC_E* error code. */
int dbc_exit_code(int code);
/** @return the name of a DBF_E* or DBC_E* error code ("DBC_EUSAGE"). Static. */
const char *dbc_strerror(int code);
/** Set err (may be NULL) to DBF_ENOMEM, "out of memory". @return DBF_ENOMEM. */
int dbc_oom(dbf_error *err);


/*
 * Atomic output: write to "NAME.tmp.XXXXXX" beside NAME, then fsync and rename to
 * NAME on commit. Without commit (abort or crash) NAME is never created or changed.
 * With NULL/"-" as name, writes to stdout (commit flushes; abort does nothing).
 */
typedef struct dbc_outfile dbc_outfile;
int dbc_outfile_open(dbc_outfile **out, const char *name, dbf_error *err);
/** dbf_write_fn-compatible: ctx is the dbc_outfile. Reports EPIPE/ENOSPC as DBF_EIO. */
int dbc_outfile_write(void *ctx, const void *buf, size_t len);
int dbc_outfile_commit(dbc_outfile *f, dbf_error *err);
/** Set the permissions the file gets (default 0600); nothing for stdout, devices, FIFOs.
 *  @return 0 or DBF_EIO. */
int dbc_outfile_chmod(dbc_outfile *f, unsigned mode, dbf_error *err);
/** Remove the temporary file (if any) and free. NULL ok. */
void dbc_outfile_abort(dbc_outfile *f);
/** The message of the last failed dbc_outfile_write (names the file and errno), or NULL. */
const char *dbc_outfile_errmsg(const dbc_outfile *f);

/* Input: a file or stdin ("-" or NULL). dbf_read_fn-compatible reader. */
typedef struct dbc_infile dbc_infile;
int dbc_infile_open(dbc_infile **out, const char *name, dbf_error *err);
int dbc_infile_read(void *ctx, void *buf, size_t cap, size_t *out_len);
void dbc_infile_close(dbc_infile *f);
/** The message of the last failed dbc_infile_read, or NULL. */
const char *dbc_infile_errmsg(const dbc_infile *f);
/** Make the input readable a second time (dbc_infile_rewind): a regular file already is;
 *  anything else (a pipe) is first copied whole into an unlinked file in $TMPDIR (/tmp).
 *  Call before the first read. @return 0, DBF_EIO, DBF_ECANCELED, DBF_ENOMEM. */
int dbc_infile_spool(dbc_infile *f, dbf_error *err);
/** Read from the start again. @return 0 or DBF_EIO. */
int dbc_infile_rewind(dbc_infile *f, dbf_error *err);
/** @return true when the input is a pipe (or socket): its writer may have stopped early. */
bool dbc_infile_is_pipe(const dbc_infile *f);

/*
 * Signals, for main(): ignore SIGPIPE (a closed pipe becomes an EPIPE write error) and make
 * SIGINT/SIGTERM/SIGHUP set a flag; dbc_outfile_write and dbc_infile_read then fail with
 * DBF_ECANCELED, so the normal cleanup runs (temp files removed, target rolled back).
 */
void dbc_signals_init(void);
/** @return the signal number received (0 none). */
int dbc_interrupted(void);

/* Logging to stderr, controlled by the programs' -q/-v. */
extern int dbc_verbosity;        /* 0 quiet, 1 normal, 2 verbose */
/* Set when standard output was a pipe whose reader went away (EPIPE): in `dbdump | dbrestore`
 * the reader failed first and its message says why, so it must be the last line a user sees. */
extern bool dbc_reader_gone;
extern const char *dbc_progname; /* "dbdump" or "dbrestore": prefix of every message */
void dbc_warn(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
void dbc_info(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/** A command-line mistake: "PROG: message" and "Try 'PROG --help'." on stderr.
 *  @return DBC_EXIT_USAGE. */
int dbc_usage_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/*
 * Table selection, shared by both programs: -t/--table and -T/--exclude-table glob patterns
 * (fnmatch; a pattern with a '.' matches "schema.table", one without matches the table name),
 * --schema-only and --data-only. A table is selected when no -t was given or one -t matches,
 * and no -T matches.
 */
typedef struct dbc_select {
    const char **include; /* -t patterns */
    size_t ninclude;
    const char **exclude; /* -T patterns */
    size_t nexclude;
    bool schema_only;     /* tables and schema objects, no rows */
    bool data_only;       /* rows only (restore: into the target's existing tables) */
    const char **skip;    /* dbrestore --skip-object: object titles (dbc_object_title) */
    size_t nskip;
    bool *skip_hit;       /* per skip entry: matched an object (dbc_select_add_skip) */
} dbc_select;

/** @return true when table schema.name is selected (s NULL: everything). */
bool dbc_select_table(const dbc_select *s, const char *schema, const char *name);
/* A long text inside a message (a value, a key, a statement), shortened on purpose: its first
 * bytes (never half a UTF-8 character), then "..." and its whole length in bytes. */
#define DBC_SHORT_MAX 160
/** @return out, holding s[0..len) or its shortened form. */
const char *dbc_short(char out[DBC_SHORT_MAX], const char *s, size_t len);
/** The value of KEY in the n pairs kv (table and object attrs), or NULL. Borrowed. */
const char *dbc_kv(const dbf_kv *kv, size_t n, const char *key);
/** The value of attr KEY of table t, or NULL. Borrowed from t. */
const char *dbc_table_attr(const dbf_table *t, const char *key);
/** Whether table t is selected: by its name, or, for a SQLite virtual table's shadow table
 *  (attr sqlite.shadow_of), by its virtual table's name: the two go together. */
bool dbc_select_table_of(const dbc_select *s, const dbf_table *t);
/** Add a pattern to a list. @return 0 or DBF_ENOMEM. */
int dbc_select_add(const char ***list, size_t *n, const char *pattern);
void dbc_select_free(dbc_select *s);
/** Add an object title to s->skip (and its hit flag). @return 0 or DBF_ENOMEM. */
int dbc_select_add_skip(dbc_select *s, const char *title);
/** The words an object kind is listed and named by ("view", "ddl"). */
const char *dbc_object_kind_name(dbf_object_kind k);
/**
 * An object's title, the name dbrestore --list, the error that names a failing object and
 * --skip-object use: for pg_dump's entries "TYPE schema.name" ("FUNCTION public.f(integer)",
 * "TABLE app.t"), or "TYPE name (schema S)" when the name has words of its own ("ACL TABLE t
 * (schema app)"), "TYPE name" without a schema; for the others "kind schema.name" ("view
 * public.v"). Cut to fit n bytes. @return out.
 */
char *dbc_object_title(char *out, size_t n, const dbf_object *o);
/** An object the archive does not carry (DBF_OBJ_OMITTED) as dbdump, dbrestore and --list
 *  tell it: "SUBTYPE schema.name[ of table T]: why". Cut to fit n bytes. @return out. */
char *dbc_omission_text(char *out, size_t n, const dbf_object *o);
/**
 * @return true when schema object o goes with the selection: objects of a table (index,
 * constraint, trigger) follow their table, views are matched by name like tables, the rest
 * (schemas, types, functions, settings, sequences without a table) are kept. --data-only
 * keeps only sequence values (post-data DBF_OBJ_SEQUENCE), --schema-only all but those. A
 * foreign key whose referenced table is not selected is left out, with a warning. An object
 * whose title is in s->skip is left out (and the entry marked as hit).
 */
bool dbc_select_object(const dbc_select *s, const dbf_object *o);
/**
 * Warn (dbc_warn) about each foreign key of a selected table whose referenced table is not
 * selected: found in native CREATE TABLE text ("REFERENCES name") and, for engines that
 * keep them apart, in foreign-key constraint objects (pass them to dbc_select_check_fk_obj).
 */
void dbc_select_check_fk_sql(const dbc_select *s, const dbf_table *t);
void dbc_select_check_fk_obj(const dbc_select *s, const dbf_object *o);

/*
 * Progress display on stderr (one line redrawn with \r) while a program runs, and a final
 * summary line. mode: -1 off (-q, --no-progress), 0 on when stderr is a terminal, 1 forced.
 */
typedef struct dbc_progress dbc_progress;
int dbc_progress_create(dbc_progress **out, int mode, const char *verb);
/** Total rows expected (sum of the sources' estimates; 0 unknown). */
void dbc_progress_total(dbc_progress *p, uint64_t rows_estimate);
/** A new current table (its estimate, -1 unknown). */
void dbc_progress_table(dbc_progress *p, const char *schema, const char *name, int64_t est);
/** Show, where the table goes, the rows of each of n connections (-j): "on N connections:
 *  r1 r2 ...". */
void dbc_progress_connections(dbc_progress *p, const uint64_t *rows, size_t n);
/** Totals so far: rows, bytes in (uncompressed), bytes out; redraws at most 5 times/s. */
void dbc_progress_update(dbc_progress *p, uint64_t rows, uint64_t bytes_a, uint64_t bytes_b);
/** Erase the progress line (before another message or at the end). */
void dbc_progress_clear(dbc_progress *p);
/** @return a monotonic clock in seconds (for elapsed times). */
double dbc_now(void);
void dbc_progress_free(dbc_progress *p);
/** The display on screen, if any (dbc_warn/dbc_info erase it before printing). */
extern dbc_progress *dbc_progress_active;

#ifdef __cplusplus
}
#endif
#endif /* DBC_H */
