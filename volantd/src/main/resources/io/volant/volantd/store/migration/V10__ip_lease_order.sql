-- Chosen (control-plane.md §6.6): leases go in numeric address order. ip_num is the address as an unsigned
-- 32-bit number, filled by the startup sweep, so the lease query is an index walk instead of a sort.
ALTER TABLE ip_allocations ADD COLUMN ip_num INTEGER;
CREATE INDEX IF NOT EXISTS idx_ip_allocations_lease ON ip_allocations(status, ip_num);
