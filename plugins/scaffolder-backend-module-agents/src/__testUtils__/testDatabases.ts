import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

const POSTGRES_IDS: TestDatabaseId[] = [
  'POSTGRES_18',
  'POSTGRES_17',
  'POSTGRES_16',
  'POSTGRES_15',
  'POSTGRES_14',
  'POSTGRES_13',
];

/**
 * SQLite always, plus every PostgreSQL whose connection string is in the environment
 * (`BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING`, which `scripts/test.sh` sets when
 * a server answers on 127.0.0.1:5432). Never Docker: these machines have none. (As the agents
 * backend's tests choose theirs.)
 */
export function createTestDatabases(): TestDatabases {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3', ...POSTGRES_IDS],
    disableDocker: true,
  });
  if (!POSTGRES_IDS.some(id => databases.supports(id))) {
    // eslint-disable-next-line no-console
    console.warn(
      'PostgreSQL variants skipped: no BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING is set',
    );
  }
  return databases;
}
