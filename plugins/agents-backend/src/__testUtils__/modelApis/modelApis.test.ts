import { FakeAnthropicApi } from './FakeAnthropicApi';
import { FakeOpenAiResponsesApi } from './FakeOpenAiResponsesApi';

function sseEvents(body: string) {
  return body
    .split('\n\n')
    .filter(Boolean)
    .map(chunk => {
      const [event, data] = chunk.split('\n');
      return { event: event.slice(7), data: JSON.parse(data.slice(6)) };
    });
}

const toolTurn = {
  text: 'Running it.',
  toolCalls: [{ id: 'call_1', name: 'Bash', input: { command: 'ls' } }],
};

describe('fake model APIs', () => {
  it('Anthropic: streams a tool_use turn and answers the non-streaming fallback', async () => {
    const fake = await FakeAnthropicApi.start([toolTurn, toolTurn]);
    try {
      const post = (stream: boolean) =>
        fetch(`${fake.url}/v1/messages?beta=true`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'claude-x', stream, messages: [] }),
        });
      const events = sseEvents(await (await post(true)).text());
      expect(events.map(e => e.event)).toEqual([
        'message_start',
        'content_block_start',
        'content_block_delta',
        'content_block_delta',
        'content_block_stop',
        'content_block_start',
        'content_block_delta',
        'content_block_delta',
        'content_block_stop',
        'message_delta',
        'message_stop',
      ]);
      const json = events
        .filter(e => e.data.delta?.type === 'input_json_delta')
        .map(e => e.data.delta.partial_json)
        .join('');
      expect(JSON.parse(json)).toEqual({ command: 'ls' });
      expect(events[9].data.delta.stop_reason).toBe('tool_use');

      const message = await (await post(false)).json();
      expect(message).toMatchObject({
        type: 'message',
        stop_reason: 'tool_use',
        content: [
          { type: 'text', text: 'Running it.' },
          {
            type: 'tool_use',
            id: 'call_1',
            name: 'Bash',
            input: { command: 'ls' },
          },
        ],
      });
      expect(fake.messageRequests).toHaveLength(2);
    } finally {
      await fake.close();
    }
  });

  it('OpenAI Responses: streams output items and completes with usage', async () => {
    const fake = await FakeOpenAiResponsesApi.start([toolTurn]);
    try {
      const response = await fetch(`${fake.url}/v1/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-x', stream: true, input: [] }),
      });
      const events = sseEvents(await response.text());
      const done = events.filter(e => e.event === 'response.output_item.done');
      expect(done.map(e => e.data.item)).toEqual([
        expect.objectContaining({
          type: 'message',
          content: [expect.objectContaining({ text: 'Running it.' })],
        }),
        expect.objectContaining({
          type: 'function_call',
          call_id: 'call_1',
          name: 'Bash',
          arguments: '{"command":"ls"}',
        }),
      ]);
      const completed = events.at(-1)!;
      expect(completed.event).toBe('response.completed');
      expect(completed.data.response.usage).toEqual({
        input_tokens: 120,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 30,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 150,
      });
      expect(events.map(e => e.data.sequence_number)).toEqual(
        events.map((_, i) => i),
      );
    } finally {
      await fake.close();
    }
  });
});
