import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { WebhookPayloads } from './WebhookPayloads';

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('WebhookPayloads on %p', id => {
  it('keeps a payload per delivery once, and prunes those received before a time', async () => {
    const { db } = await createTestStore(databases, id);
    const payloads = new WebhookPayloads(db.knex);
    const body = '{"issue":{"title":"Tötal — ✓"}}';

    await payloads.save('acme', 'github-1', body);
    await payloads.save('acme', 'github-1', '{"second":"ignored"}');
    expect(await payloads.get('acme', 'github-1')).toBe(body);
    expect(await payloads.get('globex', 'github-1')).toBeUndefined();

    expect(await payloads.pruneReceivedBefore(Date.now() - 60_000)).toBe(0);
    expect(await payloads.pruneReceivedBefore(Date.now() + 1)).toBe(1);
    expect(await payloads.get('acme', 'github-1')).toBeUndefined();
  });
});
