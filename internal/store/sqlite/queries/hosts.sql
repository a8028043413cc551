-- name: ClaimHost
-- Atomic: the row is taken only if free (lease lapsed or released) and its
-- next slot has come; otherwise nothing is returned. ?1 host, ?2 holder,
-- ?3 owner, ?4 lease end, ?5 now (ms).
INSERT INTO host_budget (host, holder, owner, lease_until, next_at, failures) VALUES (?1, ?2, ?3, ?4, 0, 0)
ON CONFLICT (host) DO UPDATE SET holder = excluded.holder, owner = excluded.owner, lease_until = excluded.lease_until
WHERE host_budget.lease_until <= ?5 AND host_budget.next_at <= ?5
RETURNING next_at, failures;

-- name: HostState
SELECT next_at, lease_until, failures FROM host_budget WHERE host = ?;

-- name: ReleaseHost
-- ?1 next slot, ?2 failures, ?3 host, ?4 holder.
UPDATE host_budget SET holder = '', owner = '', lease_until = 0, next_at = max(next_at, ?1), failures = ?2
WHERE host = ?3 AND holder = ?4;

-- name: ReleaseHostsOf
-- ?1 next slot, ?2 owner.
UPDATE host_budget SET holder = '', owner = '', lease_until = 0, next_at = max(next_at, ?1)
WHERE owner = ?2 AND owner <> '';
