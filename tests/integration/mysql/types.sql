-- types.sql - every MySQL/MariaDB column type dbdump maps, with edge values.
-- Loaded into an empty database by mysql_test.sh (non-strict sql_mode so zero dates load).
SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,ALLOW_INVALID_DATES';
SET SESSION time_zone = '+00:00';

CREATE TABLE ints (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    b1 TINYINT(1), bo BOOLEAN,
    ti TINYINT, tiu TINYINT UNSIGNED,
    si SMALLINT, siu SMALLINT UNSIGNED,
    mi MEDIUMINT, miu MEDIUMINT UNSIGNED,
    i INT, iu INT UNSIGNED,
    bi BIGINT, biu BIGINT UNSIGNED,
    zf INT(5) UNSIGNED ZEROFILL
) ENGINE=InnoDB AUTO_INCREMENT=1000;
INSERT INTO ints VALUES
 (0, 1, 0, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295,
  -9223372036854775808, 18446744073709551615, 42),
 (1, 0, 1, 127, 0, 32767, 0, 8388607, 0, 2147483647, 0, 9223372036854775807, 0, 0),
 (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
-- A multi-row INSERT mixing given ids and NULL reserves a counter value for every row
-- (1000-1002) without storing the reservation: the server shows AUTO_INCREMENT=1003 until
-- the table leaves its cache, then 1001. Set it, so that the source stays what was dumped.
ALTER TABLE ints AUTO_INCREMENT = 1001;

CREATE TABLE nums (
    id INT NOT NULL PRIMARY KEY,
    d65 DECIMAL(65,30), d10 DECIMAL(10,0), d52 DECIMAL(5,2) UNSIGNED,
    f FLOAT, d DOUBLE, f73 FLOAT(7,3), dd DOUBLE(20,10)
) ENGINE=InnoDB;
INSERT INTO nums VALUES
 (1, 99999999999999999999999999999999999.999999999999999999999999999999,
     9999999999, 999.99, 3.40282e38, 1.7976931348623157e308, 9999.999, 1234567890.0123456789),
 (2, -99999999999999999999999999999999999.999999999999999999999999999999,
     -9999999999, 0.00, 1.17549e-38, 2.2250738585072014e-308, -9999.999, -0.0000000001),
 (3, 0.000000000000000000000000000001, 0, 0.01, 1.4e-45, 4.9406564584124654e-324, 0.001, 0),
 (4, 0, 1, 1.5, 0.1234567, 0.1, 1.5, 0.1),
 (5, -0.000000000000000000000000000001, -1, 2, -3.40282e38, -1.7976931348623157e308,
     -0.001, 3.3333333333),
 (6, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

CREATE TABLE times (
    id INT NOT NULL PRIMARY KEY,
    da DATE, dt DATETIME, dt6 DATETIME(6), dt3 DATETIME(3),
    ts TIMESTAMP NULL DEFAULT NULL, ts6 TIMESTAMP(6) NULL DEFAULT NULL,
    tm TIME, tm6 TIME(6), y YEAR,
    created TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    dflt_dt DATETIME DEFAULT '2000-01-01 00:00:00'
) ENGINE=InnoDB;
INSERT INTO times VALUES
 (1, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00.000000', '0000-00-00 00:00:00',
     '0000-00-00 00:00:00', '0000-00-00 00:00:00', '-838:59:59', '-838:59:59.000000', 0000,
     '2001-02-03 04:05:06', '0000-00-00 00:00:00'),
 (2, '2020-00-15', '2020-02-00 10:00:00', '1000-01-01 00:00:00.000001',
     '9999-12-31 23:59:59.999', '1970-01-01 00:00:01', '2038-01-19 03:14:07.999999',
     '838:59:59', '838:59:59.000000', 1901, '2001-02-03 04:05:06', NULL),
 (3, '9999-12-31', '1000-01-01 00:00:00', '2024-02-29 12:34:56.500000',
     '2024-02-29 12:34:56.120', '2024-02-29 12:34:56', '2024-02-29 12:34:56.000001',
     '00:00:00', '-00:00:00.000001', 2155, '2001-02-03 04:05:06', '2024-01-01 00:00:00'),
 (4, '0001-01-01', NULL, NULL, NULL, NULL, NULL, '100:00:00', '-1:02:03.4', NULL,
     '2001-02-03 04:05:06', '2024-01-01 00:00:00'),
 (5, '2021-02-30', '2021-02-31 10:00:00', '2021-04-31 00:00:00.5', NULL, NULL, NULL, NULL,
     NULL, NULL, '2001-02-03 04:05:06', NULL);

CREATE TABLE strs (
    id INT NOT NULL PRIMARY KEY,
    c CHAR(10), vc VARCHAR(255), t TEXT, mt MEDIUMTEXT, lt LONGTEXT,
    l1 VARCHAR(50) CHARACTER SET latin1 COLLATE latin1_swedish_ci,
    u3 VARCHAR(50) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin,
    bn BINARY(8), vb VARBINARY(64),
    tb TINYBLOB, bl BLOB, mb MEDIUMBLOB, lb LONGBLOB,
    e ENUM('a','b''quote','c,comma','') DEFAULT 'a',
    s SET('x','y','z'),
    j JSON,
    bt1 BIT(1), bt10 BIT(10), bt64 BIT(64),
    vdefault VARCHAR(20) NOT NULL DEFAULT 'it''s',
    UNIQUE KEY uk_vc (vc),
    KEY k_prefix (t(20), vc(10)),
    FULLTEXT KEY ft_t (t)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO strs VALUES
 (1, 'abc', CONCAT('emoji ', X'F09F9880', ' end'), 'tab\there\nnewline\\backslash \\N not null',
     REPEAT('m', 70000), '', CONCAT('caf', X'C3A9', ' ', X'E282AC'), CONCAT('utf8mb3 ', X'C3A9'),
     0x0001020304050607, 0x00, '', 0x00FF00FF, NULL, NULL, 'b''quote', 'x,z', '{"k": [1, 2.5, "\\u00e9", null], "e": {}}',
     b'1', b'1111111111', b'1111111111111111111111111111111111111111111111111111111111111111', DEFAULT),
 (2, '', '', '', '', NULL, '', '', '', '', '', '', '', '', '', '', '[]', b'0', b'0', b'0', 'x'),
 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, ''),
 (4, 'ENC:v3:k1', 'ENC:v3:key_1:0a1b2c', '\\', NULL, NULL, '\\t', NULL, NULL,
     0x5C4E, 0x0A090D5C, NULL, NULL, NULL, 'c,comma', 'y', '"just a string"', NULL, b'1000000001', NULL, '\\N');
-- latin1 high bytes (cp1252) straight into the column
UPDATE strs SET l1 = CONVERT(0x80818D8F909DA0FF USING latin1) WHERE id = 2;

-- 0-byte and 16 MiB random BLOBs (the random bytes are made by mysql_test.sh).
CREATE TABLE blobs (
    id INT NOT NULL PRIMARY KEY,
    b LONGBLOB,
    h CHAR(64) AS (SHA2(b, 256)) STORED,
    v INT AS (LENGTH(b)) VIRTUAL
) ENGINE=InnoDB;
INSERT INTO blobs (id, b) VALUES (1, ''), (2, NULL);

-- Checks, foreign keys, partitioning, MyISAM, views, routine, trigger, event.
CREATE TABLE parent (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL,
    CONSTRAINT chk_name CHECK (name <> 'bad')) ENGINE=InnoDB;
CREATE TABLE child (id INT PRIMARY KEY, parent_id INT, note VARCHAR(10),
    CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id)
        ON DELETE CASCADE ON UPDATE SET NULL) ENGINE=InnoDB;
INSERT INTO parent VALUES (1, 'one'), (2, 'two');
INSERT INTO child VALUES (1, 1, 'first'), (2, NULL, 'orphan');
CREATE TABLE parted (id INT NOT NULL, k INT NOT NULL, PRIMARY KEY (id, k)) ENGINE=InnoDB
    PARTITION BY RANGE (k) (PARTITION p0 VALUES LESS THAN (100),
                            PARTITION p1 VALUES LESS THAN MAXVALUE);
INSERT INTO parted VALUES (1, 5), (2, 500);
CREATE TABLE mylog (id INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(100)) ENGINE=MyISAM;
INSERT INTO mylog (msg) VALUES ('myisam row');
-- a_top reads z_base: dump order (by name) is not creation order.
CREATE VIEW z_base AS SELECT p.id, p.name, c.note FROM parent p LEFT JOIN child c ON c.parent_id = p.id;
CREATE VIEW a_top AS SELECT id, name FROM z_base WHERE note IS NOT NULL;
DELIMITER ;;
CREATE FUNCTION f_twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2;;
CREATE PROCEDURE p_count(OUT n INT) BEGIN SELECT COUNT(*) INTO n FROM parent; END;;
CREATE TRIGGER trg_child_bi BEFORE INSERT ON child FOR EACH ROW SET NEW.note = UPPER(NEW.note);;
CREATE EVENT ev_nightly ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DISABLE
    DO DELETE FROM mylog WHERE id < 0;;
DELIMITER ;

-- Identifiers that need quoting: spaces, backticks, non-ASCII, a reserved word.
CREATE TABLE `odd ``name`` ü` (
    `co``l` INT NOT NULL PRIMARY KEY,
    `sp ace` VARCHAR(5),
    `select` INT,
    KEY `k ``x` (`sp ace`, `select`),
    UNIQUE KEY `ü` (`select`)
) ENGINE=InnoDB;
INSERT INTO `odd ``name`` ü` VALUES (1, 'a b', 1), (2, NULL, 2);
CREATE VIEW `odd view` AS SELECT `co``l`, `select` FROM `odd ``name`` ü`;
