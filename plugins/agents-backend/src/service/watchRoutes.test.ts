import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { agentsPlugin } from '../plugin';

// Tool profiles: no controller writes their status, so the watch shows only the test's changes.
const PATH =
  '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agenttoolprofiles';

interface SseEvent {
  id?: string;
  event?: string;
  data?: any;
}

/** Reads server-sent events over real HTTP until `count` arrived. */
async function readEvents(
  url: string,
  count: number,
  headers: Record<string, string> = {},
) {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  const reader = response.body!.getReader();
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    for (
      let end = buffer.indexOf('\n\n');
      end >= 0;
      end = buffer.indexOf('\n\n')
    ) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.startsWith(':')) continue;
      const event: SseEvent = {};
      for (const line of block.split('\n')) {
        const [field, ...rest] = line.split(': ');
        const text = rest.join(': ');
        if (field === 'data') event.data = JSON.parse(text);
        else if (field === 'id' || field === 'event') event[field] = text;
      }
      events.push(event);
    }
  }
  controller.abort();
  return events;
}

const stack = (name: string) => ({
  metadata: { name },
  spec: { description: `profile ${name}` },
});

describe('watch', () => {
  it('streams current objects, then live changes, and resumes from a resource version', async () => {
    const { server } = await startTestBackend({ features: [agentsPlugin] });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const a = await request(server).post(PATH).send(stack('a'));

    const watching = readEvents(`${base}${PATH}?watch=true`, 3);
    await new Promise(r => setTimeout(r, 300));
    await request(server).post(PATH).send(stack('b'));
    await request(server).delete(`${PATH}/a`);
    const events = await watching;

    expect(events.map(e => [e.event, e.data.object.metadata.name])).toEqual([
      ['ADDED', 'a'],
      ['ADDED', 'b'],
      ['DELETED', 'a'],
    ]);
    expect(events[1].id).toBe(events[1].data.object.metadata.resourceVersion);

    const resumed = await readEvents(`${base}${PATH}?watch=true`, 2, {
      'last-event-id': a.body.metadata.resourceVersion,
    });
    expect(resumed.map(e => [e.event, e.data.object.metadata.name])).toEqual([
      ['ADDED', 'b'],
      ['DELETED', 'a'],
    ]);
  });

  it('answers 410 once the asked-for version was compacted, and 400 for a malformed one', async () => {
    const scheduler = mockServices.scheduler.mock();
    const { server } = await startTestBackend({
      features: [
        agentsPlugin,
        scheduler.factory,
        mockServices.rootConfig.factory({
          data: { agents: { changeFeed: { retainChanges: 1 } } },
        }),
      ],
    });
    const first = await request(server).post(PATH).send(stack('a'));
    await request(server).post(PATH).send(stack('b'));
    await request(server).post(PATH).send(stack('c'));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const watchUrl = `${base}${PATH}?watch=true&resourceVersion=${first.body.metadata.resourceVersion}`;
    const before = await fetch(watchUrl);
    expect(before.status).toBe(200);
    await before.body?.cancel();

    const compaction = scheduler.scheduleTask.mock.calls.find(
      ([task]) => task.id === 'agents-change-feed-compaction',
    )![0];
    await compaction.fn(new AbortController().signal as any);

    const expired = await fetch(watchUrl);
    expect(expired.status).toBe(410);
    expect((await expired.json()).error.message).toMatch(
      /is too old: changes up to \d+ were compacted; list again/,
    );

    const bad = await request(server).get(
      `${PATH}?watch=true&resourceVersion=abc`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^resourceVersion: /);
  });
});
