-- name: ClaimHost
-- Atomic: ON CONFLICT locks the row, so of concurrent claims exactly one
-- sees it free (lease lapsed or released) with its next slot come; the
-- others get no row. $1 host, $2 holder, $3 owner, $4 lease end, $5 now.
INSERT INTO host_budget (host, holder, owner, lease_until) VALUES ($1, $2, $3, $4)
ON CONFLICT (host) DO UPDATE SET holder = excluded.holder, owner = excluded.owner, lease_until = excluded.lease_until
WHERE host_budget.lease_until <= $5 AND host_budget.next_at <= $5
RETURNING next_at, failures;

-- name: HostState
SELECT next_at, lease_until, failures FROM host_budget WHERE host = $1;

-- name: ReleaseHost
UPDATE host_budget SET holder = '', owner = '', lease_until = 'epoch', next_at = greatest(next_at, $1), failures = $2
WHERE host = $3 AND holder = $4;

-- name: ReleaseHostsOf
UPDATE host_budget SET holder = '', owner = '', lease_until = 'epoch', next_at = greatest(next_at, $1)
WHERE owner = $2 AND owner <> '';
