-- The per-host politeness budget, shared by every process crawling this
-- database: who holds a host's turn (one request in flight), until when
-- (a lease, for processes killed mid-request), when its next request may
-- start, and its run of failures for back-off. 'epoch' means free / never.
CREATE TABLE host_budget (
    host        TEXT        PRIMARY KEY,
    holder      TEXT        NOT NULL DEFAULT '',
    owner       TEXT        NOT NULL DEFAULT '',
    lease_until TIMESTAMPTZ NOT NULL DEFAULT 'epoch',
    next_at     TIMESTAMPTZ NOT NULL DEFAULT 'epoch',
    failures    INTEGER     NOT NULL DEFAULT 0
);
CREATE INDEX host_budget_owner ON host_budget (owner) WHERE owner <> '';
