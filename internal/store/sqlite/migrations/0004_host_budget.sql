-- The per-host politeness budget, shared by every process crawling this
-- database: who holds a host's turn (one request in flight), until when
-- (a lease, for processes killed mid-request), when its next request may
-- start, and its run of failures for back-off. Times are Unix milliseconds;
-- 0 when free or never set.
CREATE TABLE host_budget (
    host        TEXT    PRIMARY KEY,
    holder      TEXT    NOT NULL DEFAULT '',
    owner       TEXT    NOT NULL DEFAULT '',
    lease_until INTEGER NOT NULL DEFAULT 0,
    next_at     INTEGER NOT NULL DEFAULT 0,
    failures    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX host_budget_owner ON host_budget (owner) WHERE owner <> '';
