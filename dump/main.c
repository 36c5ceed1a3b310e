/*
 * main.c - dbdump command line: options -> dbe_dump_opts -> dbe_dump.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"

#ifndef DBD_VERSION_STRING
#define DBD_VERSION_STRING "0.0.0"
#endif

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: dbdump [OPTIONS] SOURCE\n"
            "Write the database SOURCE as a dbdump archive (zstd-compressed MessagePack).\n"
            "\n"
            "SOURCE:\n"
            "  sqlite:///abs/path.db  sqlite:rel/path.db  sqlite:////abs/path.db  PATH\n"
            "  postgresql://user:pass@host:port/db  postgres://...  'host=... dbname=...'\n"
            "  mysql://user:pass@host:port/db  mariadb://...  (?socket=/path for a socket;\n"
            "  percent-encode special characters in user, password and database)\n"
            "\n"
            "Options:\n"
            "  -o, --output FILE          write to FILE (via FILE.tmp.XXXXXX, renamed when\n"
            "                             complete); default: standard output\n"
            "      --mode OCTAL           permissions of the -o file (default 0600: archives\n"
            "                             hold data; e.g. 0640 for a backup group)\n"
            "  -Z, --compress-level N     zstd level 1..19 (default 3)\n"
            "      --threads N            compress in N threads beside the one that reads\n"
            "                             (0..64; output identical for any N; default 1\n"
            "                             with 2 or more CPUs, else 0)\n"
            "  -j, --jobs N               read rows on N connections at once, all in one\n"
            "                             snapshot, into the one archive (1..64; default 1;\n"
            "                             large tables with a one-column integer primary key\n"
            "                             are read in key ranges; MySQL/MariaDB: needs the\n"
            "                             RELOAD privilege; SQLite: one reader, -j N\n"
            "                             compresses in N threads)\n"
            "  -t, --table PATTERN        dump only tables matching PATTERN (glob;\n"
            "                             repeatable; schema.table where the engine has\n"
            "                             schemas)\n"
            "  -T, --exclude-table PATTERN  do not dump tables matching PATTERN (repeatable)\n"
            "      --schema-only          dump tables and schema objects, no rows\n"
            "      --data-only            dump rows only (table definitions, no indexes,\n"
            "                             views, triggers or other objects)\n"
            "      --skip-unsupported     dump what can be carried when the database holds\n"
            "                             objects dbdump cannot carry (else: exit 7 naming\n"
            "                             each); the archive records each as not carried\n"
            "      --progress             show progress on stderr even if it is not a\n"
            "                             terminal\n"
            "      --no-progress          never show progress\n"
            "  -q, --quiet                print nothing but errors (no progress, no summary)\n"
            "  -v, --verbose              print a line per table\n"
            "  -h, --help                 show this help\n"
            "  -V, --version              show the version\n"
            "\n"
            "Exit codes:\n"
            "  0 success            1 internal error      2 bad option or URL\n"
            "  3 cannot connect/open the database       4 bad archive\n"
            "  5 truncated archive  6 target not empty    7 value/object refused\n"
            "  8 I/O error (disk full, closed pipe)      9 other database error\n");
}

/* Option name of a number in lo..hi (base 8 or 10) into *out; said when it is not (range:
 * how the message shows the range). @return whether it was. */
static bool num_opt(const char *name, const char *arg, int base, long lo, long hi,
                    const char *range, int *out)
{
    char *end = NULL;
    long v = strtol(arg, &end, base);
    if (!*arg || *end || v < lo || v > hi) {
        fprintf(stderr, "dbdump: bad %s '%s' (%s)\n", name, arg, range);
        return false;
    }
    *out = (int)v;
    return true;
}

/* The command line into o and sel. @return -1 to run the dump, else the exit status. */
static int parse_args(int argc, char **argv, dbe_dump_opts *o, dbc_select *sel)
{
    enum { OPT_SCHEMA_ONLY = 256, OPT_DATA_ONLY, OPT_PROGRESS, OPT_NO_PROGRESS, OPT_THREADS,
           OPT_MODE, OPT_SKIP_UNSUPPORTED };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"table", required_argument, NULL, 't'},
        {"exclude-table", required_argument, NULL, 'T'},
        {"schema-only", no_argument, NULL, OPT_SCHEMA_ONLY},
        {"data-only", no_argument, NULL, OPT_DATA_ONLY},
        {"skip-unsupported", no_argument, NULL, OPT_SKIP_UNSUPPORTED},
        {"progress", no_argument, NULL, OPT_PROGRESS},
        {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
        {"compress-level", required_argument, NULL, 'Z'},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"jobs", required_argument, NULL, 'j'},
        {"mode", required_argument, NULL, OPT_MODE},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    static char progname[] = "dbdump";
    bool progress_set = false;
    int c;

    memset(o, 0, sizeof *o);
    o->native_ddl = true;
    memset(sel, 0, sizeof *sel);
    o->verbosity = 1;
    o->select = sel;
    o->threads = sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? 1 : 0;
    argv[0] = progname; /* getopt names the program in its messages, not its path */
    while ((c = getopt_long(argc, argv, "o:Z:t:T:j:qvhV", longopts, NULL)) != -1) {
        switch (c) {
        case 't':
        case 'T':
            if (c == 't' ? dbc_select_add(&sel->include, &sel->ninclude, optarg)
                         : dbc_select_add(&sel->exclude, &sel->nexclude, optarg)) {
                fprintf(stderr, "dbdump: out of memory\n");
                return DBC_EXIT_ERROR;
            }
            break;
        case OPT_SCHEMA_ONLY:
            sel->schema_only = true;
            break;
        case OPT_DATA_ONLY:
            sel->data_only = true;
            break;
        case OPT_SKIP_UNSUPPORTED:
            o->skip_unsupported = true;
            break;
        case OPT_PROGRESS:
        case OPT_NO_PROGRESS:
            o->progress = c == OPT_PROGRESS ? 1 : -1;
            progress_set = true;
            break;
        case 'o':
            o->output = strcmp(optarg, "-") == 0 ? NULL : optarg;
            break;
        case 'Z':
            if (!num_opt("--compress-level", optarg, 10, 1, 19, "1..19", &o->zstd_level))
                return DBC_EXIT_USAGE;
            break;
        case OPT_MODE:
            if (!num_opt("--mode", optarg, 8, 1, 07777, "octal, e.g. 0640", &o->mode))
                return DBC_EXIT_USAGE;
            break;
        case 'j':
            if (!num_opt("--jobs", optarg, 10, 1, 64, "1..64", &o->jobs))
                return DBC_EXIT_USAGE;
            break;
        case OPT_THREADS:
            if (!num_opt("--threads", optarg, 10, 0, 64, "0..64", &o->threads))
                return DBC_EXIT_USAGE;
            break;
        case 'q':
        case 'v':
            o->verbosity = c == 'q' ? 0 : 2;
            break;
        case 'h':
            usage(stdout);
            return DBC_EXIT_OK;
        case 'V':
            printf("dbdump %s (archive format %d.%d)\n", DBD_VERSION_STRING, DBF_FORMAT_MAJOR,
                   DBF_FORMAT_MINOR);
            return DBC_EXIT_OK;
        default:
            fprintf(stderr, "Try 'dbdump --help'.\n");
            return DBC_EXIT_USAGE;
        }
    }
    if (sel->schema_only && sel->data_only)
        return dbc_usage_error("--schema-only and --data-only exclude each other");
    if (optind != argc - 1)
        return dbc_usage_error("%s", optind >= argc ? "missing SOURCE" : "too many arguments");
    o->source = argv[optind];
    if (o->verbosity == 0 && !progress_set)
        o->progress = -1;
    return -1;
}

int main(int argc, char **argv)
{
    dbe_dump_opts o;
    dbc_select sel;
    dbf_error err = {0, {0}};
    dbc_progname = "dbdump";
    int rc = parse_args(argc, argv, &o, &sel);
    if (rc < 0) {
        dbc_verbosity = o.verbosity;
        dbc_signals_init();
        int r = dbe_dump(&o, &err);
        /* The reader of a pipe failed first: its message stays the last line (-v shows ours) */
        if (r && !(r == DBF_EIO && dbc_reader_gone && dbc_verbosity < 2)) {
            fflush(stdout);
            fprintf(stderr, "dbdump: %s\n", err.msg[0] ? err.msg : dbc_strerror(r));
        }
        rc = r ? dbc_exit_code(r) : DBC_EXIT_OK;
    }
    dbc_select_free(&sel);
    return rc;
}
