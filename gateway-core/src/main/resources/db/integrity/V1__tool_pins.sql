-- Pinned upstream definitions (tools, prompts, resource templates) and every decision about them.
-- Plain SQL types and no engine-specific syntax, so the same migration runs on SQLite and PostgreSQL.
CREATE TABLE pin_record (
  server             VARCHAR(64)   NOT NULL,
  kind               VARCHAR(32)   NOT NULL,
  name               VARCHAR(1024) NOT NULL,
  fingerprint        VARCHAR(80)   NOT NULL,
  definition         TEXT          NOT NULL,
  pinned_fingerprint VARCHAR(80),
  pinned_definition  TEXT,
  state              VARCHAR(16)   NOT NULL,
  first_seen         VARCHAR(40)   NOT NULL,
  decided_by         VARCHAR(256)  NOT NULL,
  decided_at         VARCHAR(40)   NOT NULL,
  reason             TEXT,
  PRIMARY KEY (server, kind, name)
);

CREATE TABLE pin_decision (
  seq          BIGINT        NOT NULL PRIMARY KEY,
  server       VARCHAR(64)   NOT NULL,
  kind         VARCHAR(32)   NOT NULL,
  name         VARCHAR(1024) NOT NULL,
  from_state   VARCHAR(16),
  to_state     VARCHAR(16)   NOT NULL,
  fingerprint  VARCHAR(80)   NOT NULL,
  decided_by   VARCHAR(256)  NOT NULL,
  decided_at   VARCHAR(40)   NOT NULL,
  reason       TEXT
);

CREATE INDEX pin_decision_item ON pin_decision (server, kind, name);

CREATE TABLE pin_baseline (
  server   VARCHAR(64) NOT NULL,
  kind     VARCHAR(32) NOT NULL,
  seen_at  VARCHAR(40) NOT NULL,
  PRIMARY KEY (server, kind)
);

-- One row; bumped by every write so running gateways notice decisions made by the CLI.
CREATE TABLE pin_revision (
  id        INTEGER NOT NULL PRIMARY KEY,
  revision  BIGINT  NOT NULL
);
INSERT INTO pin_revision (id, revision) VALUES (1, 0);
