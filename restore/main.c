/*
 * main.c - dbrestore command line: options -> dbr_opts -> dbr_run.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
            "changed in one transaction and left as it was on any error.\n"
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
            "                     count and content digest with what was sent (after commit)\n"
            "      --lossy        allow the documented lossy conversions (spec/TYPES.md)\n"
            "  -q, --quiet        print nothing but errors\n"
            "  -v, --verbose      print progress per table\n"
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

int main(int argc, char **argv)
{
    enum { OPT_CLEAN = 256, OPT_FORCE, OPT_CHECK, OPT_PLAN, OPT_VERIFY, OPT_LOSSY };
    static const struct option longopts[] = {
        {"input", required_argument, NULL, 'i'},
        {"clean", no_argument, NULL, OPT_CLEAN},
        {"force", no_argument, NULL, OPT_FORCE},
        {"check", no_argument, NULL, OPT_CHECK},
        {"plan", no_argument, NULL, OPT_PLAN},
        {"verify", no_argument, NULL, OPT_VERIFY},
        {"lossy", no_argument, NULL, OPT_LOSSY},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    dbr_opts o;
    dbf_error err = {0, {0}};
    int c;

    dbc_progname = "dbrestore";
    memset(&o, 0, sizeof o);
    o.verbosity = 1;
    while ((c = getopt_long(argc, argv, "i:qvhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'i':
            o.input = strcmp(optarg, "-") == 0 ? NULL : optarg;
            break;
        case OPT_CLEAN:
            o.clean = true;
            break;
        case OPT_FORCE:
            o.force = true;
            break;
        case OPT_CHECK:
            o.check = true;
            break;
        case OPT_PLAN:
            o.plan = true;
            break;
        case OPT_VERIFY:
            o.verify = true;
            break;
        case OPT_LOSSY:
            o.lossy = true;
            break;
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
            printf("dbrestore %s (archive format %d.%d)\n", DBD_VERSION_STRING,
                   DBF_FORMAT_MAJOR, DBF_FORMAT_MINOR);
            return DBC_EXIT_OK;
        default:
            fprintf(stderr, "Try 'dbrestore --help'.\n");
            return DBC_EXIT_USAGE;
        }
    }
    if (o.check) {
        if (optind != argc || o.clean || o.force || o.plan || o.verify) {
            fprintf(stderr, "dbrestore: --check takes no TARGET, --clean or --force\n"
                            "Try 'dbrestore --help'.\n");
            return DBC_EXIT_USAGE;
        }
    } else if (optind != argc - 1) {
        fprintf(stderr, "dbrestore: %s\nTry 'dbrestore --help'.\n",
                optind >= argc ? "missing TARGET" : "too many arguments");
        return DBC_EXIT_USAGE;
    } else {
        o.target = argv[optind];
    }
    dbc_verbosity = o.verbosity;
    dbc_signals_init();
    int rc = dbr_run(&o, &err);
    if (rc) {
        fprintf(stderr, "dbrestore: %s\n", err.msg[0] ? err.msg : dbf_strerror(rc));
        return rc == DBR_EVERIFY ? DBC_EXIT_VERIFY : dbc_exit_code(rc);
    }
    return DBC_EXIT_OK;
}
