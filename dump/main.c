/*
 * main.c - dbdump command line: options -> dbd_opts -> dbd_run.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbd.h"

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
            "  -Z, --compress-level N     zstd level 1..19 (default 3)\n"
            "  -q, --quiet                print nothing but errors\n"
            "  -v, --verbose              print progress per table\n"
            "  -h, --help                 show this help\n"
            "  -V, --version              show the version\n"
            "\n"
            "Exit codes:\n"
            "  0 success            1 internal error      2 bad option or URL\n"
            "  3 cannot connect/open the database       4 bad archive\n"
            "  5 truncated archive  6 target not empty    7 value/object refused\n"
            "  8 I/O error (disk full, closed pipe)      9 other database error\n");
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"compress-level", required_argument, NULL, 'Z'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    dbd_opts o;
    dbf_error err = {0, {0}};
    int c;

    dbc_progname = "dbdump";
    memset(&o, 0, sizeof o);
    o.verbosity = 1;
    while ((c = getopt_long(argc, argv, "o:Z:qvhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            o.output = strcmp(optarg, "-") == 0 ? NULL : optarg;
            break;
        case 'Z': {
            char *end = NULL;
            long v = strtol(optarg, &end, 10);
            if (!*optarg || *end || v < 1 || v > 19) {
                fprintf(stderr, "dbdump: bad --compress-level '%s' (1..19)\n", optarg);
                return DBC_EXIT_USAGE;
            }
            o.zstd_level = (int)v;
            break;
        }
        case 'q':
            o.verbosity = 0;
            break;
        case 'v':
            o.verbosity = 2;
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
    if (optind != argc - 1) {
        fprintf(stderr, "dbdump: %s\nTry 'dbdump --help'.\n",
                optind >= argc ? "missing SOURCE" : "too many arguments");
        return DBC_EXIT_USAGE;
    }
    o.source = argv[optind];
    dbc_verbosity = o.verbosity;
    dbc_signals_init();
    int rc = dbd_run(&o, &err);
    if (rc) {
        fprintf(stderr, "dbdump: %s\n", err.msg[0] ? err.msg : dbf_strerror(rc));
        return dbc_exit_code(rc);
    }
    return DBC_EXIT_OK;
}
