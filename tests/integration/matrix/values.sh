# values.sh - every value of every column, read with each engine's own client (sourced, bash).
#
# Used by matrix_corpus.sh (through lib.sh) and cross/xlate_corpus.sh. The caller defines
# fail MESSAGE, q ENGINE HANDLE SQL (rows of one column) and qi ENGINE NAME. The columns come
# from the source's catalog (pragma_table_info, information_schema), never from a hand list;
# each gets the portable kind spec/TYPES.md gives its type, and values.py turns what each
# engine returns into one canonical text per kind, so a source and a target compare with diff.
# NULL is '~' and every value starts with ':' (SQLite: its storage class letter), so NULL,
# '' and X'' all differ.

VALUES_PY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/values.py"

# col_spec ENGINE HANDLE TABLE: "column|native type" in catalog order (decimals with p:s).
col_spec() {
    local t=${3//\'/\'\'}
    case "$1" in
    sqlite) q sqlite "$2" "SELECT name || '|' || type FROM pragma_table_info('$t') ORDER BY cid" ;;
    postgresql) q postgresql "$2" "SELECT column_name || '|' || CASE
        WHEN data_type = 'numeric' THEN 'numeric:' || coalesce(numeric_precision, -1) || ':'
            || coalesce(numeric_scale, -1)
        WHEN data_type = 'USER-DEFINED' AND (SELECT typtype FROM pg_type WHERE oid =
            CAST(quote_ident(udt_schema) || '.' || quote_ident(udt_name) AS regtype)) = 'e'
            THEN 'enum'
        ELSE data_type END
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '$t'
        ORDER BY ordinal_position" ;;
    mysql) q mysql "$2" "SELECT CONCAT(column_name, '|', IF(data_type = 'decimal',
        CONCAT('decimal:', numeric_precision, ':', numeric_scale), data_type))
        FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = '$t'
        ORDER BY ordinal_position" ;;
    esac
}

# kind_of ENGINE NATIVE: the portable kind of a source column (spec/TYPES.md dump mappings;
# SQLite: the declared-type inference of "SQLite archives"). Unknown types fail: a column
# must never go unchecked.
kind_of() {
    local u base p s
    case "$1" in
    sqlite)
        u=${2^^}
        base=${u%%(*}
        base=${base%"${base##*[! ]}"}
        p=-1 s=-1
        if [[ "$u" =~ \(\ *([0-9]+)\ *(,\ *([0-9]+))?\ *\) ]]; then
            p=${BASH_REMATCH[1]} s=${BASH_REMATCH[3]:-0}
        fi
        case "$u" in
        *BOOL*) echo bool ;;
        *TIMESTAMP*WITHOUT\ TIME\ ZONE*) echo ts ;;
        *TIMESTAMPTZ* | *TIMESTAMP*WITH\ TIME\ ZONE*) echo tstz ;;
        *DATETIME* | *TIMESTAMP*) echo ts ;;
        *)
            if [ "$base" = DATE ]; then echo date
            elif [ "$base" = TIME ] || [ "$base" = "TIME WITHOUT TIME ZONE" ]; then echo time
            else
                case "$u" in
                *INT*) echo int ;;
                *DECIMAL* | *NUMERIC*) echo "dec:$p:$s" ;;
                *JSON*) echo json ;;
                *UUID* | *GUID*) echo uuid ;;
                *CHAR* | *CLOB* | *TEXT*) echo text ;;
                *BLOB*) echo bytes ;;
                "") echo text ;;
                *REAL* | *FLOA* | *DOUB*) echo f64 ;;
                *) [ "$base" = NUMBER ] && echo "dec:$p:$s" || echo text ;;
                esac
            fi
            ;;
        esac
        ;;
    postgresql)
        case "$2" in
        smallint | integer | bigint) echo int ;;
        boolean) echo bool ;;
        real) echo f32 ;;
        "double precision") echo f64 ;;
        numeric:*) echo "dec:${2#numeric:}" ;;
        text | "character varying" | character | enum) echo text ;;
        bytea) echo bytes ;;
        date) echo date ;;
        "time without time zone") echo time ;;
        "timestamp without time zone") echo ts ;;
        "timestamp with time zone") echo tstz ;;
        json | jsonb) echo json ;;
        uuid) echo uuid ;;
        *) fail "values: no canonical form for PostgreSQL type '$2'" ;;
        esac
        ;;
    mysql)
        case "$2" in
        tinyint | smallint | mediumint | int | bigint | year) echo int ;;
        decimal:*) echo "dec:${2#decimal:}" ;;
        float) echo f32 ;;
        double) echo f64 ;;
        char | varchar | tinytext | text | mediumtext | longtext | enum | set) echo text ;;
        binary | varbinary | tinyblob | blob | mediumblob | longblob) echo bytes ;;
        date) echo date ;;
        time) echo time ;;
        datetime) echo ts ;;
        timestamp) echo tstz ;;
        json) echo json ;;
        uuid) echo uuid ;;
        *) fail "values: no canonical form for MySQL type '$2'" ;;
        esac
        ;;
    esac
}

# vexpr ENGINE KIND NATIVE COLUMN: the raw text values.py reads, '~' for NULL, else ':' and
# the value (SQLite: storage class letter and value, whatever the kind; reals as 21
# significant digits, which read back as the same double).
vexpr() {
    local c v
    c=$(qi "$1" "$4")
    case "$1:${2%%:*}" in
    sqlite:*)
        echo "CASE typeof($c) WHEN 'null' THEN '~' WHEN 'integer' THEN 'i' || $c
            WHEN 'real' THEN 'r' || printf('%!.20e', $c) WHEN 'text' THEN 't' || hex($c)
            ELSE 'b' || hex($c) END"
        return ;;
    postgresql:f64 | postgresql:f32) v="CAST(CAST($c AS float8) AS text)" ;;
    postgresql:text | postgresql:json)
        # CAST(char(n) AS text) drops the padding the engine returned: use its output
        if [ "$3" = character ]; then v="textin(bpcharout($c))"; else v="CAST($c AS text)"; fi
        v="upper(encode(convert_to($v, 'UTF8'), 'hex'))" ;;
    postgresql:bytes) v="upper(encode($c, 'hex'))" ;;
    postgresql:*) v="CAST($c AS text)" ;;
    mysql:f64 | mysql:f32) v="CAST($c AS DOUBLE)" ;;
    mysql:text | mysql:json) v="HEX(CONVERT($c USING utf8mb4))" ;;
    mysql:bytes) v="HEX($c)" ;;
    mysql:*) [ "$3" = year ] && v="CAST($c + 0 AS CHAR)" || v="CAST($c AS CHAR)" ;;
    esac
    if [ "$1" = mysql ]; then
        echo "IF($c IS NULL, '~', CONCAT(':', $v))"
    else
        echo "CASE WHEN $c IS NULL THEN '~' ELSE ':' || ($v) END"
    fi
}

# source_kinds ENGINE HANDLE TABLE...: "table|column|kind" of every column of the tables.
source_kinds() {
    local e=$1 h=$2 t spec line k
    shift 2
    for t in "$@"; do
        spec=$(col_spec "$e" "$h" "$t") || fail "values: reading the columns of $t failed"
        [ -n "$spec" ] || fail "values: table $t has no columns in the $e catalog"
        while IFS= read -r line; do
            k=$(kind_of "$e" "${line##*|}") || exit 1
            echo "$t|${line%|*}|$k"
        done <<<"$spec"
    done
}

# values_canon ENGINE HANDLE MODE PEER KINDS: every row of every table in the file KINDS
# (source_kinds output) in canonical text (values.py MODE: read | native | convert), the
# table's columns checked against this engine's own catalog first.
values_canon() {
    local e=$1 h=$2 mode=$3 peer=$4 kinds=$5 t own want sep sel kl i
    local -a natives cols ks
    sep=" || '|' || "
    [ "$e" = mysql ] && sep=", '|', "
    awk -F'|' '!seen[$1]++ { print $1 }' "$kinds" | while IFS= read -r t; do
        own=$(col_spec "$e" "$h" "$t") || fail "values: reading the columns of $t ($e) failed"
        want=$(awk -F'|' -v t="$t" '$1 == t { print $2 }' "$kinds")
        [ "$(sed 's/|[^|]*$//' <<<"$own")" = "$want" ] ||
            fail "values: $e table $t has columns [${own//$'\n'/ }], the source [${want//$'\n'/ }]"
        mapfile -t natives < <(sed 's/.*|//' <<<"$own")
        mapfile -t cols <<<"$want"
        mapfile -t ks < <(awk -F'|' -v t="$t" '$1 == t { print $3 }' "$kinds")
        sel="" kl=""
        for ((i = 0; i < ${#cols[@]}; i++)); do
            sel="$sel${sel:+$sep}$(vexpr "$e" "${ks[i]}" "${natives[i]}" "${cols[i]}")"
            kl="$kl${kl:+ }${ks[i]}"
        done
        # one text column per row: no client separator or NULL spelling in the way
        if [ "$e" = mysql ]; then sel="SET time_zone = '+00:00'; SELECT CONCAT($sel)"
        else sel="SELECT $sel"; fi
        printf '== %s\t%s\n' "$t" "$kl"
        q "$e" "$h" "$sel FROM $(qi "$e" "$t")" || fail "values: reading $t ($e) failed"
    done | python3 "$VALUES_PY" "$mode" "$e" "$peer"
}
