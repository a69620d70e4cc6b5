-- Deleting a VM sets ip_allocations.vm_id to NULL (ON DELETE SET NULL); without an index SQLite scans the whole pool
-- for every delete (65 534 rows for a /16).
CREATE INDEX IF NOT EXISTS idx_ip_allocations_vm_id ON ip_allocations(vm_id);
