/*
 * main.c - dbrestore command line: options -> dbe_restore_opts -> dbr_run.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dbr.h"

#ifndef DBD_VERSION_STRING
#define DBD_VERSION_STRING "0.0.0"
#endif

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: dbrestore [OPTIONS] TARGET\n"
            "       dbrestore --check [-i FILE]\n"
            "Restore a dbdump archive into the database TARGET.\n"
            "\n"
            "TARGET:\n"
            "  sqlite:///abs/path.db  sqlite:rel/path.db  sqlite:////abs/path.db  PATH\n"
            "  postgresql://user:pass@host:port/db  postgres://...  'host=... dbname=...'\n"
            "  mysql://user:pass@host:port/db  mariadb://...  (?socket=/path for a socket)\n"
            "A new SQLite file appears only when the restore succeeded; an existing target is\n"
            "changed in one transaction and left as it was on any error. MySQL/MariaDB (whose\n"
            "DDL commits): the tables are loaded in a staging database and put under their\n"
            "names by one RENAME TABLE at the end, views, routines, triggers and events after\n"
            "it; a killed restore leaves the target as it was (killed after that RENAME: the\n"
            "tables in place, some of those objects missing), and the next run into it says\n"
            "what it found and removes it. Not crash-safe: --force loads into existing tables.\n"
            "\n"
            "Options:\n"
            "  -i, --input FILE   read the archive from FILE (default: standard input)\n"
            "      --clean        drop the archive's tables/views/indexes/triggers that exist\n"
            "                     in the target first (same transaction)\n"
            "      --force        restore into a target that already holds tables\n"
            "      --check        read and verify the whole archive; no TARGET\n"
            "      --plan         print what will not arrive unchanged in TARGET's engine\n"
            "                     (cross-engine pre-flight report); writes nothing\n"
            "      --verify       after the restore, read every table back and compare row\n"
            "                     count and content digest with what was sent (SQLite:\n"
            "                     before commit, a mismatch rolls back; others: after commit)\n"
            "      --lossy        allow the documented lossy conversions (spec/TYPES.md)\n"
            "      --epoch-unit [TABLE.COLUMN=]s|ms|us\n"
            "                     integers loaded into timestamp columns are epoch seconds,\n"
            "                     milliseconds or microseconds (default: from the values)\n"
            "      --list         print the archive's table of contents (engine, database,\n"
            "                     tables, columns, row counts, sizes); no TARGET\n"
            "      --json         with --list: as JSON\n"
            "      --to-sql DIALECT  write the archive as a SQL script for DIALECT\n"
            "                     (postgresql, mysql, sqlite) to standard output; no TARGET\n"
            "  -t, --table PATTERN  restore only tables matching PATTERN (glob; repeatable;\n"
            "                     schema.table where the engine has schemas)\n"
            "  -T, --exclude-table PATTERN  skip tables matching PATTERN (repeatable)\n"
            "      --skip-object TITLE  leave out the object --list shows as TITLE, as the\n"
            "                     error of a failing one names it, e.g. 'FUNCTION\n"
            "                     public.f(integer)' (exact; repeatable; tables: -T)\n"
            );
    fprintf(f,
            "      --schema-only  create tables and objects, load no rows\n"
            "      --data-only    load rows only, into the tables the target already has\n"
            "                     (e.g. created by the application's migrations): names\n"
            "                     matched exactly, then ignoring case; values converted to\n"
            "                     the existing columns' types; counters moved past the rows\n"
            "      --truncate     data-only: empty the tables being loaded first (same\n"
            "                     transaction)\n"
            "      --on-conflict=skip|update  data-only: rows whose primary key exists in the\n"
            "                     target keep the target's row (skip) or overwrite it (update)\n"
            "      --skip-missing data-only: archive tables/columns the target lacks are\n"
            "                     warnings, not errors\n"
            "      --include-table NAME  data-only: load migration bookkeeping table NAME\n"
            "                     (alembic_version, _prisma_migrations, ... are skipped)\n"
            "      --orphans [FOREIGN_KEY=]fail|skip|null  data-only: child rows whose parent\n"
            "                     row is in neither the archive nor the target are refused\n"
            "                     (fail, the default: nothing written), left out (skip), or\n"
            "                     loaded with the reference NULL (null); FOREIGN_KEY is a\n"
            "                     constraint name or TABLE.COLUMN (repeatable)\n"
            "      --orphans-report FILE  data-only: list every orphan row and its fate\n"
            "      --time-zone ZONE  the zone in which the target application keeps wall\n"
            "                     clocks (timestamp without time zone, MySQL DATETIME):\n"
            "                     instants go there as ZONE's local time (default UTC);\n"
            "                     ZONE is +HH:MM, -HH:MM or a name such as Europe/Berlin\n"
            "      --backup-to FILE  first write a full archive of the target as it is to\n"
            "                     FILE (roll back with dbrestore --clean -i FILE TARGET)\n"
            "      --yes          do not ask before --clean on a terminal\n"
            "  -j, --jobs N       load rows on N connections and build the indexes on N\n"
            "                     (1..64). MySQL/MariaDB (default 2): still all or nothing\n"
            "                     (staging database, one RENAME TABLE). PostgreSQL (default\n"
            "                     1: one transaction): with N > 1 the schema is committed\n"
            "                     first and a failure is cleaned up by dropping what the\n"
            "                     restore created (not with --clean/--force). SQLite: one\n"
            "                     connection, N > 1 refused. --plan says which mode\n");
    fprintf(f,
            "      --progress     show progress on stderr even if it is not a terminal\n"
            "      --no-progress  never show progress\n"
            "  -q, --quiet        print nothing but errors (no progress, no summary)\n"
            "  -v, --verbose      print a line per table\n"
            "  -h, --help         show this help\n"
            "  -V, --version      show the version\n"
            "\n"
            "Exit codes:\n"
            "  0 success            1 internal error      2 bad option or URL\n"
            "  3 cannot connect/open the database       4 bad archive (corrupt, not an\n"
            "  archive, unsupported version)            5 truncated archive\n"
            "  6 target not empty (use --clean or --force)\n"
            "  7 value/object refused by the target     8 I/O error\n"
            "  9 other database error                   10 --verify found a difference\n");
}

static const char *const orphan_modes[] = {"fail", "skip", "null", NULL};
static const char *const epoch_units_ok[] = {"s", "ms", "us", NULL};

/* An option of the form [KEY=]VALUE (KEY a TABLE.COLUMN when dotted), VALUE one of values,
 * added to its list. @return 0 or the exit code. */
static int add_keyed(const char ***list, size_t *n, const char *opt, const char *arg,
                     const char *const *values, bool dotted)
{
    const char *eq = strrchr(arg, '=');
    const char *v = eq ? eq + 1 : arg;
    bool ok = !(eq && (eq == arg || (dotted && !memchr(arg, '.', (size_t)(eq - arg)))));
    bool known = false;
    for (size_t i = 0; values[i]; i++)
        known = known || strcmp(v, values[i]) == 0;
    if (!ok || !known) {
        fprintf(stderr, "dbrestore: bad %s '%s' (want ", opt, arg);
        for (size_t i = 0; values[i]; i++)
            fprintf(stderr, "%s%s", values[i], values[i + 1] ? "|" : "");
        fprintf(stderr, ", or %s=", dotted ? "TABLE.COLUMN" : "FOREIGN_KEY");
        for (size_t i = 0; values[i]; i++)
            fprintf(stderr, "%s%s", values[i], values[i + 1] ? "|" : "");
        fprintf(stderr, ")\nTry 'dbrestore --help'.\n");
        return DBC_EXIT_USAGE;
    }
    if (dbc_select_add(list, n, arg)) {
        fprintf(stderr, "dbrestore: out of memory\n");
        return DBC_EXIT_ERROR;
    }
    return 0;
}

/* --time-zone ZONE: +HH:MM / -HH:MM, or a zone of the system's time zone database, which
 * then becomes the process's local zone (glibc takes an unknown name for UTC without a word:
 * the file is looked for first). @return 0 or the exit code. */
static int time_zone(const char *z)
{
    if ((z[0] == '+' || z[0] == '-') && strlen(z) == 6 && z[3] == ':' &&
        strspn(z + 1, "0123456789") == 2 && strspn(z + 4, "0123456789") == 2 &&
        (z[1] - '0') * 10 + (z[2] - '0') <= 14 && (z[4] - '0') * 10 + (z[5] - '0') < 60)
        return 0;
    const char *dir = getenv("TZDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", z);
    if (!*z || z[0] == '/' || strstr(z, "..") || access(path, R_OK) != 0)
        return dbc_usage_error("--time-zone '%s': not +HH:MM, -HH:MM nor a zone of the time "
                               "zone database (%s)", z, path);
    if (setenv("TZ", z, 1) != 0)
        return DBC_EXIT_ERROR;
    tzset();
    return 0;
}

/* The long options: getopt_long returns these for those without a letter. */
enum { OPT_CLEAN = 256, OPT_FORCE, OPT_CHECK, OPT_PLAN, OPT_VERIFY, OPT_LOSSY, OPT_LIST,
       OPT_JSON, OPT_SCHEMA_ONLY, OPT_DATA_ONLY, OPT_YES, OPT_TRUNCATE, OPT_SKIP_MISSING,
       OPT_TO_SQL, OPT_PROGRESS, OPT_NO_PROGRESS, OPT_ON_CONFLICT, OPT_INCLUDE_TABLE,
       OPT_BACKUP_TO, OPT_EPOCH_UNIT, OPT_ORPHANS, OPT_ORPHANS_REPORT, OPT_TIME_ZONE,
       OPT_SKIP_OBJECT };
static const struct option longopts[] = {
    {"input", required_argument, NULL, 'i'},
    {"clean", no_argument, NULL, OPT_CLEAN},
    {"force", no_argument, NULL, OPT_FORCE},
    {"check", no_argument, NULL, OPT_CHECK},
    {"plan", no_argument, NULL, OPT_PLAN},
    {"verify", no_argument, NULL, OPT_VERIFY},
    {"lossy", no_argument, NULL, OPT_LOSSY},
    {"epoch-unit", required_argument, NULL, OPT_EPOCH_UNIT},
    {"list", no_argument, NULL, OPT_LIST},
    {"json", no_argument, NULL, OPT_JSON},
    {"to-sql", required_argument, NULL, OPT_TO_SQL},
    {"table", required_argument, NULL, 't'},
    {"exclude-table", required_argument, NULL, 'T'},
    {"skip-object", required_argument, NULL, OPT_SKIP_OBJECT},
    {"schema-only", no_argument, NULL, OPT_SCHEMA_ONLY},
    {"data-only", no_argument, NULL, OPT_DATA_ONLY},
    {"yes", no_argument, NULL, OPT_YES},
    {"jobs", required_argument, NULL, 'j'},
    {"truncate", no_argument, NULL, OPT_TRUNCATE},
    {"on-conflict", required_argument, NULL, OPT_ON_CONFLICT},
    {"skip-missing", no_argument, NULL, OPT_SKIP_MISSING},
    {"include-table", required_argument, NULL, OPT_INCLUDE_TABLE},
    {"backup-to", required_argument, NULL, OPT_BACKUP_TO},
    {"orphans", required_argument, NULL, OPT_ORPHANS},
    {"orphans-report", required_argument, NULL, OPT_ORPHANS_REPORT},
    {"time-zone", required_argument, NULL, OPT_TIME_ZONE},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/* Modes and options that exclude each other, and the TARGET that each mode takes or not.
 * @return -1 when they fit, else the exit status (said). */
static int check_args(int argc, char **argv, dbe_restore_opts *o)
{
    const dbc_select *sel = o->select;
    bool lists = o->list || o->to_sql; /* modes that write nothing, no TARGET */
    const char *clash = NULL;
    if (sel->schema_only && sel->data_only)
        clash = "--schema-only and --data-only exclude each other";
    else if (o->truncate && o->on_conflict)
        clash = "--truncate and --on-conflict exclude each other";
    else if (o->backup_to && (lists || o->check))
        clash = "--backup-to needs a TARGET (not --list, --to-sql or --check)";
    else if ((o->json && !o->list) || (lists && (o->check || o->plan || o->verify)) ||
             (o->list && o->to_sql))
        clash = "--json needs --list; --list and --to-sql take no other mode (--check, --plan, "
                "--verify)";
    else if (lists && (optind != argc || o->clean || o->force))
        clash = "--list and --to-sql take no TARGET, --clean or --force";
    else if (!lists && o->check &&
             (optind != argc || o->clean || o->force || o->plan || o->verify))
        clash = "--check takes no TARGET, --clean or --force";
    else if (!lists && !o->check && optind != argc - 1)
        clash = optind >= argc ? "missing TARGET" : "too many arguments";
    if (clash)
        return dbc_usage_error("%s", clash);
    if (!lists && !o->check)
        o->target = argv[optind];
    return -1;
}

/* The command line into o. @return -1 to run the restore, else the exit status. */
static int parse_args(int argc, char **argv, dbe_restore_opts *o)
{
    /* static: the lists stay reachable until exit */
    static const char **epoch_units, **include_tables, **orphans;
    static size_t nepoch_units, ninclude_tables, norphans;
    static dbc_select sel;
    static char progname[] = "dbrestore";
    const struct {
        int opt;
        bool *flag;
    } flags[] = { /* the options that set a flag and nothing else */
        {OPT_CLEAN, &o->clean}, {OPT_FORCE, &o->force}, {OPT_CHECK, &o->check},
        {OPT_PLAN, &o->plan}, {OPT_VERIFY, &o->verify}, {OPT_LOSSY, &o->lossy},
        {OPT_LIST, &o->list}, {OPT_JSON, &o->json}, {OPT_YES, &o->yes},
        {OPT_TRUNCATE, &o->truncate}, {OPT_SKIP_MISSING, &o->skip_missing},
        {OPT_SCHEMA_ONLY, &sel.schema_only}, {OPT_DATA_ONLY, &sel.data_only},
    };
    size_t nflags = sizeof flags / sizeof *flags, f;
    bool progress_set = false;
    int c, rc;

    memset(o, 0, sizeof *o);
    o->verbosity = 1;
    o->select = &sel;
    argv[0] = progname; /* getopt names the program in its messages, not its path */
    while ((c = getopt_long(argc, argv, "i:t:T:j:qvhV", longopts, NULL)) != -1) {
        for (f = 0; f < nflags && flags[f].opt != c; f++)
            ;
        if (f < nflags) {
            *flags[f].flag = true;
            continue;
        }
        switch (c) {
        case 'i':
            o->input = strcmp(optarg, "-") == 0 ? NULL : optarg;
            break;
        case 'j': {
            char *end = NULL;
            long n = strtol(optarg, &end, 10);
            if (!*optarg || *end || n < 1 || n > 64)
                return dbc_usage_error("bad --jobs '%s' (1..64)", optarg);
            o->jobs = (int)n;
            break;
        }
        case OPT_TO_SQL:
            o->to_sql = optarg;
            break;
        case OPT_BACKUP_TO:
            o->backup_to = optarg;
            break;
        case OPT_ORPHANS_REPORT:
            o->orphans_report = optarg;
            break;
        case 't':
        case 'T':
        case OPT_INCLUDE_TABLE:
            if (c == 't'   ? dbc_select_add(&sel.include, &sel.ninclude, optarg)
                : c == 'T' ? dbc_select_add(&sel.exclude, &sel.nexclude, optarg)
                           : dbc_select_add(&include_tables, &ninclude_tables, optarg)) {
                fprintf(stderr, "dbrestore: out of memory\n");
                return DBC_EXIT_ERROR;
            }
            break;
        case OPT_SKIP_OBJECT:
            if (dbc_select_add_skip(&sel, optarg)) {
                fprintf(stderr, "dbrestore: out of memory\n");
                return DBC_EXIT_ERROR;
            }
            break;
        case OPT_ON_CONFLICT:
            if (strcmp(optarg, "skip") != 0 && strcmp(optarg, "update") != 0)
                return dbc_usage_error("--on-conflict takes skip or update, not '%s'", optarg);
            o->on_conflict = optarg[0] == 's' ? DBE_CONFLICT_SKIP : DBE_CONFLICT_UPDATE;
            break;
        case OPT_ORPHANS:
            if ((rc = add_keyed(&orphans, &norphans, "--orphans", optarg, orphan_modes, false)))
                return rc;
            break;
        case OPT_EPOCH_UNIT:
            if ((rc = add_keyed(&epoch_units, &nepoch_units, "--epoch-unit", optarg, epoch_units_ok,
                                true)))
                return rc;
            break;
        case OPT_TIME_ZONE:
            if ((rc = time_zone(optarg)))
                return rc;
            o->time_zone = optarg;
            break;
        case OPT_PROGRESS:
        case OPT_NO_PROGRESS:
            o->progress = c == OPT_PROGRESS ? 1 : -1;
            progress_set = true;
            break;
        case 'q':
        case 'v':
            o->verbosity = c == 'q' ? 0 : 2;
            break;
        case 'h':
            usage(stdout);
            return DBC_EXIT_OK;
        case 'V':
            printf("dbrestore %s (archive format %d.%d)\n", DBD_VERSION_STRING,
                   DBF_FORMAT_MAJOR, DBF_FORMAT_MINOR);
            return DBC_EXIT_OK;
        default:
            fprintf(stderr, "Try 'dbrestore --help'.\n");
            return DBC_EXIT_USAGE;
        }
    }
    o->epoch_units = epoch_units;
    o->nepoch_units = nepoch_units;
    o->include_tables = include_tables;
    o->ninclude_tables = ninclude_tables;
    o->orphans = orphans;
    o->norphans = norphans;
    if (o->verbosity == 0 && !progress_set)
        o->progress = -1;
    return check_args(argc, argv, o);
}

int main(int argc, char **argv)
{
    dbe_restore_opts o;
    dbf_error err = {0, {0}};
    dbc_progname = "dbrestore";
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    dbc_verbosity = o.verbosity;
    dbc_signals_init();
    rc = o.list ? dbr_list(&o, &err) : dbr_run(&o, &err);
    if (rc) {
        fflush(stdout); /* what was printed before comes first, also through 2>&1 */
        fprintf(stderr, "dbrestore: %s\n", err.msg[0] ? err.msg : dbc_strerror(rc));
        return rc == DBR_EVERIFY ? DBC_EXIT_VERIFY : dbc_exit_code(rc);
    }
    return DBC_EXIT_OK;
}
