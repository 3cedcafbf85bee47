/**
 * Schema migrations of the emulator's state database, applied in order inside one transaction each.
 * Never edit a released migration: append a new one. `schema_version` holds the highest applied id.
 */
export type Migration = {version: number; description: string; sql: string}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'resources: one JSON document per AWS resource, keyed by kind and id',
    sql: `
      CREATE TABLE resources (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        parent TEXT,
        data TEXT NOT NULL,
        UNIQUE (kind, id)
      );
      CREATE INDEX resources_parent ON resources (kind, parent, seq);
    `,
  },
  {
    version: 2,
    description: 'CloudWatch Logs events, indexed for time-range scans per group',
    sql: `
      CREATE TABLE log_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        group_name TEXT NOT NULL,
        stream_name TEXT NOT NULL,
        timestamp INTEGER NOT NULL,
        ingestion_time INTEGER NOT NULL,
        message TEXT NOT NULL
      );
      CREATE INDEX log_events_group_time ON log_events (group_name, timestamp, seq);
      CREATE INDEX log_events_stream_time ON log_events (group_name, stream_name, timestamp, seq);
    `,
  },
]

export const SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0)
