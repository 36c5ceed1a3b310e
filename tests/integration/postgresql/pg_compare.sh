#!/bin/sh
# pg_compare.sh URL_A URL_B WORKDIR
# Compare two PostgreSQL databases with pg_dump (not with dbdump):
#  - pg_dump --schema-only of both, normalised only for object ordering and header lines:
#    SQL comment lines ("-- Name: ...; Type: ...", "-- Dumped from/by ..."), the session SET
#    lines of the header, and the "\restrict KEY" / "\unrestrict KEY" lines (a random key per
#    pg_dump run) are dropped; each blank-line separated block (one statement; a function
#    body with blank lines gives several blocks) is joined to one line and the blocks sorted;
#  - pg_dump --data-only of both, each row prefixed with its table, lines sorted (COPY
#    blocks list rows in physical order, which a restore need not keep), sequence setval
#    lines included.
#  - the exact row count of every table and materialized view (psql).
# Exit 0 when identical, 1 with a diff on stderr otherwise.
set -eu
a=$1
b=$2
w=$3
mkdir -p "$w"
PG_DUMP=${PG_DUMP:-pg_dump}

dump() { # dump MODE URL OUT: pg_dump to a file, failing loudly
    "$PG_DUMP" "$1" -d "$2" -f "$3.raw" 2>"$3.err" || {
        cat "$3.err" >&2
        echo "pg_compare: pg_dump $1 $2 failed" >&2
        exit 2
    }
    grep -v -e '^--' -e '^SET ' -e '^SELECT pg_catalog.set_config' \
        -e '^\\restrict ' -e '^\\unrestrict ' "$3.raw" >"$3.flt" || true
}
schema() {
    dump --schema-only "$1" "$2"
    # blocks separated by blank lines -> one line each, sorted
    awk 'BEGIN { RS = ""; ORS = "\n" } { gsub(/\n/, "\\n"); print }' "$2.flt" |
        LC_ALL=C sort >"$2"
}
data() {
    dump --data-only "$1" "$2"
    # each row keeps the table it belongs to (its COPY line) when the lines are sorted
    awk '/^COPY .* FROM stdin;$/ { t = $2; print; next }
         /^\\\.$/ { t = ""; next }
         t != "" { print t "\t" $0; next }
         $0 != "" { print }' "$2.flt" | LC_ALL=C sort >"$2"
}
counts() { # exact row count of every table (pg_dump --data-only shows rows of a
    # zero-column table as blank lines, which the data comparison cannot see)
    psql -X -At -v ON_ERROR_STOP=1 -d "$1" -c "
        SELECT format('%I.%I', n.nspname, c.relname) || ' ' ||
               (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM ONLY %I.%I',
                n.nspname, c.relname), false, true, '')))[1]::text
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
           AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1" >"$2" || {
        echo "pg_compare: counting rows in $1 failed" >&2
        exit 2
    }
}
rc=0
counts "$a" "$w/counts_a.txt"
counts "$b" "$w/counts_b.txt"
if ! cmp -s "$w/counts_a.txt" "$w/counts_b.txt"; then
    echo "pg_compare: row counts differ:" >&2
    diff "$w/counts_a.txt" "$w/counts_b.txt" | head -n 40 >&2
    rc=1
fi
schema "$a" "$w/schema_a.sql"
schema "$b" "$w/schema_b.sql"
data "$a" "$w/data_a.sql"
data "$b" "$w/data_b.sql"
if [ ! -s "$w/schema_a.sql" ]; then
    echo "pg_compare: empty schema dump of $a" >&2
    exit 2
fi
if ! cmp -s "$w/schema_a.sql" "$w/schema_b.sql"; then
    echo "pg_compare: schemas differ:" >&2
    diff "$w/schema_a.sql" "$w/schema_b.sql" | head -n 60 >&2
    rc=1
fi
if ! cmp -s "$w/data_a.sql" "$w/data_b.sql"; then
    echo "pg_compare: data differ:" >&2
    diff "$w/data_a.sql" "$w/data_b.sql" | cut -c1-300 | head -n 60 >&2
    rc=1
fi
if [ $rc -eq 0 ]; then
    echo "pg_compare: identical ($(wc -l <"$w/schema_a.sql") schema statements," \
        "$(wc -l <"$w/data_a.sql") data lines)"
fi
exit $rc
