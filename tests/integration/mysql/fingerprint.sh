# Sourced by mysql_test.sh (case all-objects): what it compares between a database and its copies.
# Needs myq (mysql_test.sh).
# fingerprint DB: every fact of the database this test compares, one per line, as
# "section<TAB>object<TAB>value" (the database's own name replaced by @DB@).
fingerprint() {
    local db=$1 t kind name
    {
    myq "$db" "SHOW CREATE DATABASE \`$db\`" | cut -f2 | sed 's/^/create\tdatabase\t/'
    while IFS=$'\t' read -r name kind; do
        case $kind in
        VIEW) myq "$db" "SHOW CREATE VIEW \`${name//\`/\`\`}\`" | cut -f2- | sed "s/^/create\tview $name\t/" ;;
        SEQUENCE) myq "$db" "SHOW CREATE SEQUENCE \`$name\`" | cut -f2- | sed "s/^/create\tsequence $name\t/"
                  myq "$db" "SELECT * FROM \`$name\`" | sed "s/^/sequence\t$name\t/" ;;
        *) myq "$db" "SHOW CREATE TABLE \`${name//\`/\`\`}\`" | cut -f2- | sed "s/^/create\ttable $name\t/" ;;
        esac
    done < <(myq information_schema "SELECT TABLE_NAME, TABLE_TYPE FROM TABLES WHERE TABLE_SCHEMA = '$db' ORDER BY 1")
    while IFS=$'\t' read -r name kind; do
        myq "$db" "SHOW CREATE $kind \`$name\`" | cut -f2-6 | sed "s/^/create\t$kind $name\t/"
    done < <(myq information_schema "SELECT ROUTINE_NAME, ROUTINE_TYPE FROM ROUTINES WHERE ROUTINE_SCHEMA = '$db' ORDER BY 1, 2")
    for name in $(myq information_schema "SELECT TRIGGER_NAME FROM TRIGGERS WHERE TRIGGER_SCHEMA = '$db' ORDER BY 1"); do
        myq "$db" "SHOW CREATE TRIGGER \`$name\`" | cut -f1-6 | sed "s/^/create\ttrigger $name\t/"
    done
    for name in $(myq information_schema "SELECT EVENT_NAME FROM EVENTS WHERE EVENT_SCHEMA = '$db' ORDER BY 1"); do
        myq "$db" "SHOW CREATE EVENT \`$name\`" | sed "s/^/create\tevent $name\t/"
    done
    myq information_schema "
        SELECT 'schema', SCHEMA_NAME = '$db', CONCAT_WS(' ', DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME, SCHEMA_COMMENT) FROM SCHEMATA WHERE SCHEMA_NAME = '$db';
        SELECT 'tables', TABLE_NAME, CONCAT_WS(' | ', TABLE_TYPE, ENGINE, ROW_FORMAT, AUTO_INCREMENT, TABLE_COLLATION, CREATE_OPTIONS, TABLE_COMMENT) FROM TABLES WHERE TABLE_SCHEMA = '$db' ORDER BY 2;
        SELECT 'columns', CONCAT(TABLE_NAME, '.', COLUMN_NAME), CONCAT_WS(' | ', ORDINAL_POSITION, IFNULL(COLUMN_DEFAULT, '-'), IS_NULLABLE, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, CHARACTER_OCTET_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, CHARACTER_SET_NAME, COLLATION_NAME, COLUMN_TYPE, COLUMN_KEY, EXTRA, PRIVILEGES, COLUMN_COMMENT, IS_GENERATED, GENERATION_EXPRESSION) FROM COLUMNS WHERE TABLE_SCHEMA = '$db' ORDER BY TABLE_NAME, ORDINAL_POSITION;
        SELECT 'indexes', CONCAT(TABLE_NAME, '.', INDEX_NAME, '.', SEQ_IN_INDEX), CONCAT_WS(' | ', NON_UNIQUE, COLUMN_NAME, COLLATION, SUB_PART, PACKED, NULLABLE, INDEX_TYPE, COMMENT, INDEX_COMMENT, IGNORED) FROM STATISTICS WHERE TABLE_SCHEMA = '$db' ORDER BY 2;
        SELECT 'constraints', CONCAT(TABLE_NAME, '.', CONSTRAINT_NAME, '.', CONSTRAINT_TYPE), '' FROM TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '$db' ORDER BY 2;
        SELECT 'checks', CONCAT(TABLE_NAME, '.', CONSTRAINT_NAME), CONCAT_WS(' | ', LEVEL, CHECK_CLAUSE) FROM CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '$db' ORDER BY 2;
        SELECT 'foreign_keys', CONCAT(TABLE_NAME, '.', CONSTRAINT_NAME), CONCAT_WS(' | ', UNIQUE_CONSTRAINT_NAME, MATCH_OPTION, UPDATE_RULE, DELETE_RULE, REFERENCED_TABLE_NAME) FROM REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '$db' ORDER BY 2;
        SELECT 'key_columns', CONCAT(TABLE_NAME, '.', CONSTRAINT_NAME, '.', ORDINAL_POSITION), CONCAT_WS(' | ', COLUMN_NAME, POSITION_IN_UNIQUE_CONSTRAINT, REFERENCED_TABLE_SCHEMA = '$db', REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME) FROM KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = '$db' ORDER BY 2;
        SELECT 'partitions', CONCAT(TABLE_NAME, '.', IFNULL(PARTITION_NAME, '-'), '.', IFNULL(SUBPARTITION_NAME, '-')), CONCAT_WS(' | ', PARTITION_ORDINAL_POSITION, SUBPARTITION_ORDINAL_POSITION, PARTITION_METHOD, SUBPARTITION_METHOD, PARTITION_EXPRESSION, SUBPARTITION_EXPRESSION, PARTITION_DESCRIPTION, PARTITION_COMMENT, NODEGROUP, TABLESPACE_NAME) FROM PARTITIONS WHERE TABLE_SCHEMA = '$db' AND PARTITION_NAME IS NOT NULL ORDER BY 2;
        SELECT 'routines', CONCAT(ROUTINE_TYPE, ' ', ROUTINE_NAME), CONCAT_WS(' | ', DATA_TYPE, DTD_IDENTIFIER, ROUTINE_BODY, ROUTINE_DEFINITION, PARAMETER_STYLE, IS_DETERMINISTIC, SQL_DATA_ACCESS, SECURITY_TYPE, SQL_MODE, ROUTINE_COMMENT, DEFINER, CHARACTER_SET_CLIENT, COLLATION_CONNECTION, DATABASE_COLLATION) FROM ROUTINES WHERE ROUTINE_SCHEMA = '$db' ORDER BY 2;
        SELECT 'parameters', CONCAT(ROUTINE_TYPE, ' ', SPECIFIC_NAME, '.', ORDINAL_POSITION), CONCAT_WS(' | ', PARAMETER_MODE, PARAMETER_NAME, DTD_IDENTIFIER) FROM PARAMETERS WHERE SPECIFIC_SCHEMA = '$db' ORDER BY 2;
        SELECT 'triggers', TRIGGER_NAME, CONCAT_WS(' | ', EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_ORDER, ACTION_STATEMENT, ACTION_ORIENTATION, ACTION_TIMING, SQL_MODE, DEFINER, CHARACTER_SET_CLIENT, COLLATION_CONNECTION, DATABASE_COLLATION) FROM TRIGGERS WHERE TRIGGER_SCHEMA = '$db' ORDER BY 2;
        SELECT 'events', EVENT_NAME, CONCAT_WS(' | ', DEFINER, TIME_ZONE, EVENT_DEFINITION, EVENT_TYPE, IFNULL(EXECUTE_AT, '-'), IFNULL(INTERVAL_VALUE, '-'), IFNULL(INTERVAL_FIELD, '-'), SQL_MODE, IFNULL(STARTS, '-'), IFNULL(ENDS, '-'), STATUS, ON_COMPLETION, EVENT_COMMENT, CHARACTER_SET_CLIENT, COLLATION_CONNECTION, DATABASE_COLLATION) FROM EVENTS WHERE EVENT_SCHEMA = '$db' ORDER BY 2;
        SELECT 'views', TABLE_NAME, CONCAT_WS(' | ', VIEW_DEFINITION, CHECK_OPTION, IS_UPDATABLE, DEFINER, SECURITY_TYPE, CHARACTER_SET_CLIENT, COLLATION_CONNECTION, ALGORITHM) FROM VIEWS WHERE TABLE_SCHEMA = '$db' ORDER BY 2;
        SELECT 'srids', CONCAT(G_TABLE_NAME, '.', G_GEOMETRY_COLUMN), CONCAT_WS(' | ', GEOMETRY_TYPE, COORD_DIMENSION, MAX_PPR, SRID) FROM GEOMETRY_COLUMNS WHERE G_TABLE_SCHEMA = '$db' ORDER BY 2;"
    # every row of every table (history included), each column exactly: FLOAT widened to
    # DOUBLE and DOUBLE as round-trip text, numbers as text, everything else as its bytes
    while IFS=$'\t' read -r t kind; do
        local cols
        cols=$(myq information_schema "SELECT GROUP_CONCAT(CONCAT('IFNULL(', CASE
                WHEN DATA_TYPE = 'float' THEN CONCAT('CAST(CAST(\`', REPLACE(COLUMN_NAME, '\`', '\`\`'), '\` AS DOUBLE) AS CHAR)')
                WHEN DATA_TYPE IN ('tinyint','smallint','mediumint','int','bigint','decimal','double','year') THEN CONCAT('CAST(\`', REPLACE(COLUMN_NAME, '\`', '\`\`'), '\` AS CHAR)')
                WHEN DATA_TYPE = 'bit' THEN CONCAT('HEX(\`', COLUMN_NAME, '\`)')
                ELSE CONCAT('HEX(CAST(\`', REPLACE(COLUMN_NAME, '\`', '\`\`'), '\` AS BINARY))') END, ', ''NULL'')')
                ORDER BY ORDINAL_POSITION SEPARATOR ', ')
            FROM COLUMNS WHERE TABLE_SCHEMA = '$db' AND TABLE_NAME = '${t//\'/\'\'}'")
        local from="\`${t//\`/\`\`}\`"
        if [ "$kind" = "SYSTEM VERSIONED" ]; then
            from="$from FOR SYSTEM_TIME ALL"
            [ "$(myq information_schema "SELECT COUNT(*) FROM COLUMNS WHERE TABLE_SCHEMA = '$db' AND TABLE_NAME = '$t' AND GENERATION_EXPRESSION = 'ROW START'")" = 1 ] ||
                cols="$cols, CAST(ROW_START AS CHAR), CAST(ROW_END AS CHAR)"
        fi
        echo "data	$t	$(myq "$db" "SELECT CONCAT_WS(',', $cols) AS r FROM $from ORDER BY r" | md5sum | cut -c1-32) $(myq "$db" "SELECT COUNT(*) FROM $from")"
        for p in $(myq information_schema "SELECT PARTITION_NAME FROM PARTITIONS WHERE TABLE_SCHEMA = '$db' AND TABLE_NAME = '$t' AND PARTITION_NAME IS NOT NULL GROUP BY PARTITION_NAME ORDER BY 1"); do
            echo "partition_rows	$t.$p	$(myq "$db" "SELECT COUNT(*) FROM \`$t\` PARTITION (\`$p\`)")"
        done
    done < <(myq information_schema "SELECT TABLE_NAME, TABLE_TYPE FROM TABLES WHERE TABLE_SCHEMA = '$db' AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') ORDER BY 1")
    } | sed -e "s/\`$db\`/\`@DB@\`/g" -e "s/'$db'/'@DB@'/g"
}
# differences SRC COPY -> the "section object" keys whose facts differ, one per line
differences() {
    diff <(fingerprint "$1") <(fingerprint "$2") | sed -n 's/^[<>] \([^\t]*\)\t\([^\t]*\).*/\1 \2/p' | sort -u
}
