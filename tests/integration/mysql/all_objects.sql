-- A MariaDB (10.11+) database with every kind of object and storage engine a deployment may
-- hold, for mysql_test.sh all-objects. @REMOTE@ is the URL of a table on another database
-- (the FEDERATED table's rows). Times are set so that every value is known.
SET sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';
SET time_zone = '+00:00';
SET timestamp = 1700000000;
ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci COMMENT 'every object';

CREATE SEQUENCE seq_ids START WITH 1000 INCREMENT BY 10 MINVALUE 1000 MAXVALUE 999999
    CACHE 20 NOCYCLE COMMENT 'order ids';
CREATE SEQUENCE seq_cycle MINVALUE 1 MAXVALUE 5 CYCLE NOCACHE;

CREATE TABLE customers (
    id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(100) NOT NULL COMMENT 'full name',
    email VARCHAR(190) COLLATE utf8mb4_bin,
    country CHAR(2) CHARACTER SET latin1 NOT NULL DEFAULT 'DE',
    kind ENUM('person', 'company', 'it''s') NOT NULL DEFAULT 'person',
    tags SET('a', 'b', 'c') DEFAULT 'a,c',
    born DATE,
    secret VARCHAR(20) INVISIBLE DEFAULT 'x',
    name_len INT AS (CHAR_LENGTH(name)) VIRTUAL,
    name_up VARCHAR(100) AS (UPPER(name)) PERSISTENT,
    changed TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    UNIQUE KEY uk_email (email),
    KEY k_name_prefix (name(10)),
    FULLTEXT KEY ft_name (name),
    CONSTRAINT chk_born CHECK (born IS NULL OR born > '1900-01-01')
) ENGINE=InnoDB AUTO_INCREMENT=500 ROW_FORMAT=DYNAMIC COMMENT='the customers';

CREATE TABLE orders (
    id BIGINT NOT NULL DEFAULT (NEXTVAL(seq_ids)) PRIMARY KEY,
    customer_id INT UNSIGNED NOT NULL,
    amount DECIMAL(12,2) NOT NULL,
    ratio FLOAT,
    precise DOUBLE,
    bits BIT(10),
    doc JSON,
    ref UUID,
    addr INET6,
    ordered DATETIME(6),
    dur TIME(2),
    yr YEAR,
    note TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_german2_ci,
    CONSTRAINT fk_cust FOREIGN KEY (customer_id) REFERENCES customers (id)
        ON DELETE CASCADE ON UPDATE RESTRICT,
    KEY k_cust_amount (customer_id, amount DESC)
);

-- partitions with subpartitions, and by list
CREATE TABLE log_part (
    id INT NOT NULL, at DATE NOT NULL, msg VARCHAR(50),
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (YEAR(at)) SUBPARTITION BY HASH (id) SUBPARTITIONS 2 (
    PARTITION p2019 VALUES LESS THAN (2020) COMMENT 'old',
    PARTITION p2020 VALUES LESS THAN (2021),
    PARTITION pmax VALUES LESS THAN MAXVALUE);
CREATE TABLE list_part (id INT PRIMARY KEY, v INT) PARTITION BY LIST (id) (
    PARTITION pa VALUES IN (1, 2, 3), PARTITION pb VALUES IN (4, 5, 6));

-- storage engines
CREATE TABLE t_myisam (id INT PRIMARY KEY, v VARCHAR(20), KEY k_v (v)) ENGINE=MyISAM;
CREATE TABLE t_aria (id INT PRIMARY KEY, v TEXT) ENGINE=Aria TRANSACTIONAL=1;
CREATE TABLE t_memory (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=MEMORY;
CREATE TABLE t_csv (id INT NOT NULL, v VARCHAR(20) NOT NULL) ENGINE=CSV;
CREATE TABLE t_archive (id INT AUTO_INCREMENT PRIMARY KEY, v TEXT) ENGINE=ARCHIVE;
CREATE TABLE t_blackhole (id INT PRIMARY KEY, v INT) ENGINE=BLACKHOLE;
CREATE TABLE t_m1 (id INT NOT NULL PRIMARY KEY, v INT) ENGINE=MyISAM;
CREATE TABLE t_m2 (id INT NOT NULL PRIMARY KEY, v INT) ENGINE=MyISAM;
CREATE TABLE t_merge (id INT NOT NULL, v INT, PRIMARY KEY (id)) ENGINE=MRG_MyISAM
    UNION=(t_m1, t_m2) INSERT_METHOD=LAST;
CREATE TABLE t_fed (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=FEDERATED
    CONNECTION='@REMOTE@';

-- system-versioned (implicit and declared periods, history partitions), application time
CREATE TABLE hist_imp (id INT PRIMARY KEY, v VARCHAR(10)) WITH SYSTEM VERSIONING;
CREATE TABLE hist_dec (
    id INT PRIMARY KEY, v INT,
    rs TIMESTAMP(6) GENERATED ALWAYS AS ROW START INVISIBLE,
    re TIMESTAMP(6) GENERATED ALWAYS AS ROW END INVISIBLE,
    PERIOD FOR SYSTEM_TIME (rs, re)
) WITH SYSTEM VERSIONING;
CREATE TABLE hist_part (id INT PRIMARY KEY, v INT) WITH SYSTEM VERSIONING
    PARTITION BY SYSTEM_TIME (PARTITION p_hist HISTORY, PARTITION p_cur CURRENT);
CREATE TABLE app_period (
    id INT, v INT, s DATE, e DATE, PERIOD FOR valid (s, e),
    UNIQUE KEY uk_valid (id, valid WITHOUT OVERLAPS));

-- spatial, with SRIDs (not printed by SHOW CREATE TABLE)
CREATE TABLE geo (
    id INT PRIMARY KEY,
    p POINT REF_SYSTEM_ID=4326 NOT NULL,
    area POLYGON REF_SYSTEM_ID=3857,
    g GEOMETRY,
    SPATIAL INDEX sp_p (p));

-- odd identifiers, no primary key, values mysqldump loses, large values
CREATE TABLE `we``ird tåble` (`sel ect` INT, `ü` VARCHAR(5), `order` INT, `a"b` TEXT);
CREATE TABLE nopk (a INT, b TEXT);
CREATE TABLE floats (id INT PRIMARY KEY, f FLOAT, d DOUBLE, f2 FLOAT(7,3));
CREATE TABLE big (id INT PRIMARY KEY, b LONGBLOB, t LONGTEXT);
SET sql_mode = 'ALLOW_INVALID_DATES';
CREATE TABLE dates (id INT PRIMARY KEY, d DATE, dt DATETIME, ts TIMESTAMP NULL);
SET sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

-- rows
INSERT INTO customers (name, email, country, kind, tags, born, secret) VALUES
    ('Ada Lovelace', 'ada@example.org', 'GB', 'person', 'a', '1915-12-10', 's1'),
    ('Acme GmbH', 'info@acme.example', 'DE', 'company', '', NULL, 's2'),
    ('Zoë''s Café', NULL, 'FR', 'it''s', 'b,c', '1990-02-28', DEFAULT);
INSERT INTO orders (customer_id, amount, ratio, precise, bits, doc, ref, addr, ordered, dur, yr,
                    note) VALUES
    (500, 12.50, 1/3, 0.1e0 + 0.2e0, b'1010101010', '{"a": [1, 2.5, "x"]}',
     '123e4567-e89b-12d3-a456-426614174000', '2001:db8::1', '2023-11-14 22:13:20.123456',
     '-838:59:59.99', 2023, 'Straße'),
    (501, 0.01, 3.4028234e38, 5e-324, b'0000000001', NULL, NULL, '::ffff:10.0.0.1',
     NULL, '00:00:00.5', 1901, NULL),
    (502, -99999999.99, -0.0, -1.7976931348623157e308, NULL, '[]', NULL, NULL,
     '1000-01-01 00:00:00', '838:59:59', 2155, '');
DO NEXTVAL(seq_cycle), NEXTVAL(seq_cycle), NEXTVAL(seq_cycle), NEXTVAL(seq_cycle),
   NEXTVAL(seq_cycle), NEXTVAL(seq_cycle), NEXTVAL(seq_cycle);
INSERT INTO log_part VALUES (1, '2019-05-01', 'a'), (2, '2020-05-01', 'b'), (3, '2031-01-01', 'c');
INSERT INTO list_part VALUES (1, 10), (5, 50);
INSERT INTO t_myisam VALUES (1, 'm'), (2, NULL);
INSERT INTO t_aria VALUES (1, 'aria');
INSERT INTO t_memory VALUES (1, 'mem');
INSERT INTO t_csv VALUES (1, 'csv,with "quotes"'), (2, 'line
break');
INSERT INTO t_archive (v) VALUES ('x'), ('y'), ('z');
INSERT INTO t_blackhole VALUES (1, 1);
INSERT INTO t_m1 VALUES (1, 10), (2, 20);
INSERT INTO t_m2 VALUES (3, 30);
INSERT INTO hist_imp VALUES (1, 'a'), (2, 'b');
INSERT INTO hist_dec (id, v) VALUES (1, 1);
INSERT INTO hist_part VALUES (1, 1), (2, 2);
INSERT INTO app_period VALUES (1, 1, '2020-01-01', '2021-01-01');
INSERT INTO geo VALUES
    (1, ST_GeomFromText('POINT(13.4 52.5)', 4326),
     ST_GeomFromText('POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))', 3857),
     ST_GeomFromText('LINESTRING(0 0, 1 1)')),
    (2, ST_GeomFromText('POINT(-0.1 51.5)', 4326), NULL, NULL);
INSERT INTO `we``ird tåble` VALUES (1, 'ü', 2, 'tab	and \\ backslash'), (NULL, NULL, NULL, NULL);
INSERT INTO nopk VALUES (1, 'dup'), (1, 'dup'), (NULL, NULL);
INSERT INTO floats VALUES (1, 0.1, 0.1, 1.5), (2, 16777217, 1e-310, -9999.999),
    (3, 1.17549435e-38, 2.2250738585072014e-308, 0.001);
INSERT INTO big VALUES (1, REPEAT(UNHEX('00FF7F80'), 262144), REPEAT('€ñ', 349525));
SET sql_mode = 'ALLOW_INVALID_DATES';
INSERT INTO dates VALUES (1, '2020-02-31', '2021-04-31 12:00:00', '2038-01-19 03:14:07'),
    (2, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00'),
    (3, '2020-00-15', NULL, NULL);
SET sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

-- history: changes at known times
SET timestamp = 1700000100;
UPDATE hist_imp SET v = 'c' WHERE id = 1;
UPDATE hist_dec SET v = 2;
UPDATE hist_part SET v = 3 WHERE id = 1;
UPDATE app_period FOR PORTION OF valid FROM '2020-06-01' TO '2020-07-01' SET v = 9;
SET timestamp = 1700000200;
DELETE FROM hist_imp WHERE id = 2;
DELETE FROM hist_part WHERE id = 2;
SET timestamp = DEFAULT;

-- views (on views, with options, calling a sequence)
CREATE VIEW v_customers AS SELECT id, name, country FROM customers;
CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW v_de AS
    SELECT id, name FROM v_customers WHERE country = 'DE' WITH CASCADED CHECK OPTION;
CREATE VIEW v_totals AS
    SELECT c.name, SUM(o.amount) AS total FROM v_customers c JOIN orders o
    ON o.customer_id = c.id GROUP BY c.name;
CREATE VIEW v_next AS SELECT NEXTVAL(seq_cycle) AS n;

-- routines under their own sql_modes, a package (Oracle mode)
DELIMITER //
SET sql_mode = 'PIPES_AS_CONCAT,NO_BACKSLASH_ESCAPES'//
CREATE FUNCTION f_label(n INT) RETURNS VARCHAR(40) DETERMINISTIC
    COMMENT 'a\ is a whole string here'
    RETURN 'n=' || n || 'a\'//
SET sql_mode = 'ANSI_QUOTES'//
CREATE PROCEDURE p_total(IN cid INT, OUT total DECIMAL(14,2))
    READS SQL DATA SQL SECURITY INVOKER
BEGIN
    SELECT SUM(amount) INTO total FROM "orders" WHERE customer_id = cid;
END//
SET sql_mode = 'ORACLE'//
CREATE PACKAGE pk_util AS
    FUNCTION twice(x INT) RETURN INT;
END;
//
CREATE PACKAGE BODY pk_util AS
    FUNCTION twice(x INT) RETURN INT AS BEGIN RETURN x * 2; END;
END;
//
SET sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'//

-- triggers (two on one event, ordered), events (one in another time zone)
CREATE TRIGGER tr_orders_bi BEFORE INSERT ON orders FOR EACH ROW
    SET NEW.note = IFNULL(NEW.note, 'none')//
CREATE TRIGGER tr_orders_bi2 BEFORE INSERT ON orders FOR EACH ROW FOLLOWS tr_orders_bi
    SET NEW.amount = ROUND(NEW.amount, 2)//
CREATE TRIGGER tr_cust_au AFTER UPDATE ON customers FOR EACH ROW
BEGIN
    INSERT INTO t_memory VALUES (NEW.id, 'changed') ON DUPLICATE KEY UPDATE v = 'changed';
END//
CREATE EVENT ev_cleanup ON SCHEDULE EVERY 1 DAY STARTS '2035-01-01 00:00:00'
    ON COMPLETION PRESERVE DISABLE COMMENT 'nightly'
    DO DELETE FROM t_memory WHERE id < 0//
SET time_zone = '+05:30'//
CREATE EVENT ev_once ON SCHEDULE AT '2036-06-01 12:00:00' ON COMPLETION PRESERVE DISABLE
    DO UPDATE customers SET tags = 'a' WHERE id = 0//
SET time_zone = '+00:00'//
DELIMITER ;
