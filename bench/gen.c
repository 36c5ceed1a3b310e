/*
 * gen.c - deterministic synthetic dataset for the benchmark harness (bench/run.sh).
 *
 *   gen ROWS pg [COUNTFILE]    PostgreSQL COPY text format on stdout
 *   gen ROWS mysql [COUNTFILE] MariaDB/MySQL LOAD DATA text on stdout (secret as hex, run.sh
 *                              unhexes it); COUNTFILE gets the number of bytes written
 *   gen ROWS sqlite FILE       write a new SQLite database FILE (table bench_wide)
 *   gen 0 schema ENGINE        print the CREATE TABLE for ENGINE (pg, mysql, sqlite)
 *
 * One wide table, bench_wide: bigint PK, int, double, numeric(12,2), bool, short text,
 * ~200-char text, a 64-byte random blob (an "encrypted secret"), date, timestamp,
 * timestamptz, uuid, json; about 5% NULLs in every column but the key.
 *
 * Row i depends only on (SEED, i), so the first K rows of any dataset are the same whatever
 * ROWS is, and the three engines get the very same values.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#define GEN_SEED 0x5eedbe4c2026ULL
#define NULL_PCT 5

enum { C_INT, C_DOUBLE, C_AMOUNT, C_FLAG, C_CODE, C_BODY, C_SECRET, C_DATE, C_TS, C_TSTZ,
       C_UUID, C_DOC, C_COUNT };

typedef struct row {
    int64_t id;
    int is_null[C_COUNT];
    int32_t n_int;
    double n_double;
    char amount[32];
    int flag;
    char code[20];
    char body[320];
    unsigned char secret[64];
    char d[16];
    char ts[32];
    char tstz[40];
    char uid[40];
    char doc[200];
} row;

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static const char *const words[] = {
    "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed",
    "do", "eiusmod", "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna",
    "aliqua", "invoice", "customer", "shipment", "pending", "refund", "order", "account",
    "it's", "\"quoted\"", "50%", "a_b", "café", "naïve", "Zürich", "日本語", "Ωmega", "emoji😀",
    "path/to/file", "C:\\\\temp", "O'Brien", "tab-free", "x=y&z", "<b>bold</b>"
};
#define NWORDS (sizeof(words) / sizeof(words[0]))

/* Days since 1970-01-01 to civil date (Howard Hinnant's algorithm). */
static void civil(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

/* Seconds since the epoch plus microseconds to "YYYY-MM-DD HH:MM:SS.ffffff". */
static void fmt_ts(char *out, size_t cap, int64_t secs, int usec)
{
    int y, m, d;
    civil(secs / 86400, &y, &m, &d);
    int64_t s = secs % 86400;
    snprintf(out, cap, "%04d-%02d-%02d %02d:%02d:%02d.%06d", y, m, d, (int)(s / 3600),
             (int)(s / 60 % 60), (int)(s % 60), usec);
}

static void make_row(row *r, int64_t id)
{
    uint64_t s = GEN_SEED ^ ((uint64_t)id * 0xD1B54A32D192ED03ULL);
    memset(r, 0, sizeof(*r));
    r->id = id;
    for (int c = 0; c < C_COUNT; c++) {
        r->is_null[c] = (splitmix(&s) % 100) < NULL_PCT;
    }
    r->n_int = (int32_t)(uint32_t)splitmix(&s);
    /* a double with a full 53-bit mantissa, exactly representable in decimal with %.17g */
    r->n_double = ((double)(splitmix(&s) >> 11) / 9007199254740992.0 - 0.5) * 2.0e6;
    {
        int64_t cents = (int64_t)(splitmix(&s) % 1999999999999ULL) - 999999999999LL;
        int64_t a = cents < 0 ? -cents : cents;
        snprintf(r->amount, sizeof(r->amount), "%s%" PRId64 ".%02d", cents < 0 ? "-" : "",
                 a / 100, (int)(a % 100));
    }
    r->flag = (int)(splitmix(&s) & 1);
    {
        static const char al[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        int len = 3 + (int)(splitmix(&s) % 12);
        uint64_t x = splitmix(&s);
        for (int i = 0; i < len; i++) {
            if (i % 12 == 11) {
                x = splitmix(&s);
            }
            r->code[i] = al[(x >> ((i % 12) * 5)) & 31];
        }
        r->code[len] = '\0';
    }
    {
        size_t target = 150 + (size_t)(splitmix(&s) % 101);
        size_t n = 0;
        while (n < target) {
            const char *w = words[splitmix(&s) % NWORDS];
            size_t wl = strlen(w);
            if (n + wl + 1 >= sizeof(r->body) - 1) {
                break;
            }
            if (n > 0) {
                r->body[n++] = ' ';
            }
            memcpy(r->body + n, w, wl);
            n += wl;
        }
        r->body[n] = '\0';
    }
    for (int i = 0; i < 64; i += 8) {
        uint64_t x = splitmix(&s);
        memcpy(r->secret + i, &x, 8);
    }
    {
        /* 1990-01-01 .. 2035-12-31 */
        int y, m, d;
        civil(7305 + (int64_t)(splitmix(&s) % 16801), &y, &m, &d);
        snprintf(r->d, sizeof(r->d), "%04d-%02d-%02d", y, m, d);
    }
    fmt_ts(r->ts, sizeof(r->ts), 631152000 + (int64_t)(splitmix(&s) % 1451606400ULL),
           (int)(splitmix(&s) % 1000000));
    /* 2000-01-01 .. 2037-12-31: inside MariaDB's TIMESTAMP range */
    fmt_ts(r->tstz, sizeof(r->tstz), 946684800 + (int64_t)(splitmix(&s) % 1199145600ULL),
           (int)(splitmix(&s) % 1000000));
    {
        uint64_t a = splitmix(&s), b = splitmix(&s);
        a = (a & ~0xF000ULL) | 0x4000ULL;                               /* version 4 */
        b = (b & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;       /* variant 1 */
        snprintf(r->uid, sizeof(r->uid), "%08" PRIx32 "-%04" PRIx32 "-%04" PRIx32 "-%04" PRIx32
                 "-%012" PRIx64, (uint32_t)(a >> 32), (uint32_t)(a >> 16) & 0xFFFF,
                 (uint32_t)a & 0xFFFF, (uint32_t)(b >> 48), (uint64_t)(b & 0xFFFFFFFFFFFFULL));
    }
    {
        static const char *const tags[] = { "red", "green", "blue", "vip", "new", "eu" };
        uint64_t x = splitmix(&s);
        snprintf(r->doc, sizeof(r->doc),
                 "{\"id\": %" PRId64 ", \"score\": %d.%02d, \"tags\": [\"%s\", \"%s\"], "
                 "\"active\": %s, \"ref\": \"%s\"}",
                 id, (int)(x % 1000), (int)((x >> 10) % 100), tags[(x >> 20) % 6],
                 tags[(x >> 24) % 6], (x >> 30) & 1 ? "true" : "false", r->code);
    }
}

/* One output line under construction (a row is well under 2 KiB). */
typedef struct line {
    char b[4096];
    size_t n;
} line;

static void put_str(line *l, const char *s)
{
    size_t n = strlen(s);
    memcpy(l->b + l->n, s, n);
    l->n += n;
}

/* Text escaped for COPY text / LOAD DATA (both use backslash escapes, same set here). */
static void put_text(line *l, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '\\': put_str(l, "\\\\"); break;
        case '\t': put_str(l, "\\t"); break;
        case '\n': put_str(l, "\\n"); break;
        case '\r': put_str(l, "\\r"); break;
        default: l->b[l->n++] = *s;
        }
    }
}

static void put_hex(line *l, const unsigned char *b, size_t n)
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        l->b[l->n++] = hx[b[i] >> 4];
        l->b[l->n++] = hx[b[i] & 15];
    }
}

static void put_fmt(line *l, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void put_fmt(line *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(l->b + l->n, sizeof(l->b) - l->n, fmt, ap);
    va_end(ap);
    if (n > 0) {
        l->n += (size_t)n;
    }
}

static void emit_text_row(line *l, const row *r, int pg)
{
    l->n = 0;
    put_fmt(l, "%" PRId64, r->id);
    for (int c = 0; c < C_COUNT; c++) {
        l->b[l->n++] = '\t';
        if (r->is_null[c]) {
            put_str(l, "\\N");
            continue;
        }
        switch (c) {
        case C_INT: put_fmt(l, "%" PRId32, r->n_int); break;
        case C_DOUBLE: put_fmt(l, "%.17g", r->n_double); break;
        case C_AMOUNT: put_str(l, r->amount); break;
        case C_FLAG: put_str(l, pg ? (r->flag ? "t" : "f") : (r->flag ? "1" : "0")); break;
        case C_CODE: put_text(l, r->code); break;
        case C_BODY: put_text(l, r->body); break;
        case C_SECRET:
            if (pg) {
                put_str(l, "\\\\x");
            }
            put_hex(l, r->secret, sizeof(r->secret));
            break;
        case C_DATE: put_str(l, r->d); break;
        case C_TS: put_str(l, r->ts); break;
        case C_TSTZ:
            put_str(l, r->tstz);
            if (pg) {
                put_str(l, "+00");
            }
            break;
        case C_UUID: put_str(l, r->uid); break;
        case C_DOC: put_text(l, r->doc); break;
        default: break;
        }
    }
    l->b[l->n++] = '\n';
}

static const char *schema(const char *engine)
{
    if (strcmp(engine, "pg") == 0) {
        return "CREATE TABLE bench_wide (\n"
               "  id bigint PRIMARY KEY,\n"
               "  n_int integer,\n"
               "  n_double double precision,\n"
               "  amount numeric(12,2),\n"
               "  flag boolean,\n"
               "  code varchar(16),\n"
               "  body text,\n"
               "  secret bytea,\n"
               "  d date,\n"
               "  ts timestamp(6) without time zone,\n"
               "  tstz timestamp(6) with time zone,\n"
               "  uid uuid,\n"
               "  doc json\n"
               ");\n";
    }
    if (strcmp(engine, "mysql") == 0) {
        return "CREATE TABLE bench_wide (\n"
               "  id bigint NOT NULL PRIMARY KEY,\n"
               "  n_int int,\n"
               "  n_double double,\n"
               "  amount decimal(12,2),\n"
               "  flag boolean,\n"
               "  code varchar(16),\n"
               "  body text,\n"
               "  secret varbinary(64),\n"
               "  d date,\n"
               "  ts datetime(6),\n"
               "  tstz timestamp(6) NULL DEFAULT NULL,\n"
               "  uid char(36),\n"
               "  doc json\n"
               ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n";
    }
    if (strcmp(engine, "sqlite") == 0) {
        return "CREATE TABLE bench_wide (\n"
               "  id INTEGER PRIMARY KEY,\n"
               "  n_int INTEGER,\n"
               "  n_double REAL,\n"
               "  amount NUMERIC(12,2),\n"
               "  flag BOOLEAN,\n"
               "  code VARCHAR(16),\n"
               "  body TEXT,\n"
               "  secret BLOB,\n"
               "  d DATE,\n"
               "  ts DATETIME,\n"
               "  tstz TIMESTAMPTZ,\n"
               "  uid UUID,\n"
               "  doc JSON\n"
               ");\n";
    }
    return NULL;
}

static int write_sqlite(const char *path, int64_t rows)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = 1;
    char *err = NULL;
    char sql[1024];

    remove(path);
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        fprintf(stderr, "gen: %s: %s\n", path, sqlite3_errmsg(db));
        goto done;
    }
    snprintf(sql, sizeof(sql), "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; %s BEGIN;",
             schema("sqlite"));
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "gen: %s\n", err);
        goto done;
    }
    if (sqlite3_prepare_v2(db, "INSERT INTO bench_wide VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", -1,
                           &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "gen: %s\n", sqlite3_errmsg(db));
        goto done;
    }
    for (int64_t id = 1; id <= rows; id++) {
        row r;
        char tz[48];
        make_row(&r, id);
        sqlite3_bind_int64(st, 1, r.id);
        sqlite3_bind_int(st, 2, r.n_int);
        sqlite3_bind_double(st, 3, r.n_double);
        sqlite3_bind_text(st, 4, r.amount, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 5, r.flag);
        sqlite3_bind_text(st, 6, r.code, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, r.body, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 8, r.secret, sizeof(r.secret), SQLITE_STATIC);
        sqlite3_bind_text(st, 9, r.d, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 10, r.ts, -1, SQLITE_STATIC);
        snprintf(tz, sizeof(tz), "%s+00:00", r.tstz);
        sqlite3_bind_text(st, 11, tz, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 12, r.uid, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 13, r.doc, -1, SQLITE_STATIC);
        for (int c = 0; c < C_COUNT; c++) {
            if (r.is_null[c]) {
                sqlite3_bind_null(st, c + 2);
            }
        }
        if (sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "gen: row %" PRId64 ": %s\n", id, sqlite3_errmsg(db));
            goto done;
        }
        sqlite3_reset(st);
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "gen: %s\n", err);
        goto done;
    }
    rc = 0;
done:
    sqlite3_free(err);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: gen ROWS pg|mysql [COUNTFILE] | gen ROWS sqlite FILE | gen 0 schema ENGINE\n");
        return 2;
    }
    char *end = NULL;
    long long rows = strtoll(argv[1], &end, 10);
    if (*end != '\0' || rows < 0) {
        fprintf(stderr, "gen: bad row count '%s'\n", argv[1]);
        return 2;
    }
    if (strcmp(argv[2], "schema") == 0 && argc == 4) {
        const char *s = schema(argv[3]);
        if (s == NULL) {
            fprintf(stderr, "gen: unknown engine '%s'\n", argv[3]);
            return 2;
        }
        fputs(s, stdout);
        return 0;
    }
    if (strcmp(argv[2], "sqlite") == 0 && argc == 4) {
        return write_sqlite(argv[3], rows);
    }
    if ((strcmp(argv[2], "pg") == 0 || strcmp(argv[2], "mysql") == 0) && argc <= 4) {
        int pg = argv[2][0] == 'p';
        static char buf[1 << 20];
        setvbuf(stdout, buf, _IOFBF, sizeof(buf));
        static line l;
        uint64_t total = 0;
        for (int64_t id = 1; id <= rows; id++) {
            row r;
            make_row(&r, id);
            emit_text_row(&l, &r, pg);
            fwrite(l.b, 1, l.n, stdout);
            total += l.n;
        }
        if (fflush(stdout) != 0 || ferror(stdout)) {
            perror("gen: write");
            return 1;
        }
        if (argc == 4) {
            FILE *cf = fopen(argv[3], "w");
            if (cf == NULL || fprintf(cf, "%" PRIu64 "\n", total) < 0 || fclose(cf) != 0) {
                perror("gen: byte count file");
                return 1;
            }
        }
        return 0;
    }
    fprintf(stderr, "usage: gen ROWS pg|mysql [COUNTFILE] | gen ROWS sqlite FILE | gen 0 schema ENGINE\n");
    return 2;
}
