-- Templates (docs/templates.md): one row per saved warm guest, keyed by the digest of its launch configuration.
-- status: creating (a template process may still run) or ready (image_json describes the RAM, state and media
-- files). template_users: the deployment revisions that clone from a template; garbage collection removes templates
-- no current revision uses.
CREATE TABLE IF NOT EXISTS templates (
    name TEXT PRIMARY KEY,
    template_key TEXT NOT NULL UNIQUE,
    backend TEXT NOT NULL,
    status TEXT NOT NULL,
    image_json TEXT,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS template_users (
    template_name TEXT NOT NULL REFERENCES templates(name) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES vm_groups(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    PRIMARY KEY (template_name, group_id, revision)
);
