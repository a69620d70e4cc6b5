-- Issue 14: deployment revisions keyed by the digest of the normalized config (the last 10 kept), the persisted
-- rollout state (target, deadline, paused, last error) and the delete intent, so a SIGKILL resumes either.
CREATE TABLE IF NOT EXISTS deployment_revisions (
    group_id INTEGER NOT NULL REFERENCES vm_groups(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    digest TEXT NOT NULL,
    config_json TEXT NOT NULL,
    cause TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    used_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (group_id, revision)
);
CREATE INDEX IF NOT EXISTS idx_deployment_revisions_digest ON deployment_revisions(group_id, digest);
ALTER TABLE vm_groups ADD COLUMN rollout_json TEXT;
ALTER TABLE vm_groups ADD COLUMN deleting INTEGER NOT NULL DEFAULT 0;
ALTER TABLE vm_groups ADD COLUMN last_revision INTEGER NOT NULL DEFAULT 1;
UPDATE vm_groups SET last_revision = revision;
