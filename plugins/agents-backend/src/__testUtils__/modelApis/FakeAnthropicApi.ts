/*
 * Test double for the LLM provider only (see FakeModelServer): the Anthropic Messages API as
 * Claude Code calls it — `HEAD /`, streaming and non-streaming `POST /v1/messages`, and
 * `POST /v1/messages/count_tokens`.
 */
import http from 'node:http';
import { FakeModelServer, FakeTurn, RecordedRequest } from './FakeModelServer';

type ContentBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

/** A fake Anthropic Messages API on 127.0.0.1 that plays `turns` in order. */
export class FakeAnthropicApi extends FakeModelServer {
  static start(turns: FakeTurn[]): Promise<FakeAnthropicApi> {
    return new FakeAnthropicApi(turns).listen();
  }

  /** The `/v1/messages` requests, in order. */
  get messageRequests(): RecordedRequest[] {
    return this.requests.filter(
      r => r.method === 'POST' && r.path.split('?')[0] === '/v1/messages',
    );
  }

  protected handle(request: RecordedRequest, res: http.ServerResponse) {
    const path = request.path.split('?')[0];
    if (request.method === 'HEAD' || request.method === 'GET') {
      res.writeHead(200).end();
      return;
    }
    if (path === '/v1/messages/count_tokens') {
      FakeModelServer.json(res, 200, { input_tokens: 100 });
      return;
    }
    if (path !== '/v1/messages') {
      FakeModelServer.json(
        res,
        404,
        FakeAnthropicApi.error('not_found_error', 'Not found'),
      );
      return;
    }
    const turn = this.takeTurn();
    if (!turn) {
      FakeModelServer.json(
        res,
        400,
        FakeAnthropicApi.error(
          'invalid_request_error',
          'The fake model script is played out',
        ),
      );
      return;
    }
    if (turn.httpError) {
      FakeModelServer.json(
        res,
        turn.httpError.status,
        FakeAnthropicApi.error('api_error', turn.httpError.message),
      );
      return;
    }
    const model = String(request.body?.model ?? 'claude-fake');
    const blocks = this.blocksOf(turn);
    if (request.body?.stream) {
      this.stream(res, model, turn, blocks);
    } else {
      FakeModelServer.json(res, 200, {
        ...this.message(model, turn, blocks),
        stop_reason: FakeAnthropicApi.stopReason(blocks),
      });
    }
  }

  private blocksOf(turn: FakeTurn): ContentBlock[] {
    const blocks: ContentBlock[] = [];
    if (turn.thinking) {
      blocks.push({
        type: 'thinking',
        thinking: turn.thinking,
        signature: 'fake-signature',
      });
    }
    if (turn.text) {
      blocks.push({ type: 'text', text: turn.text });
    }
    for (const call of turn.toolCalls ?? []) {
      blocks.push({
        type: 'tool_use',
        id: call.id ?? this.newId('toolu'),
        name: call.name,
        input: call.input,
      });
    }
    return blocks;
  }

  private message(model: string, turn: FakeTurn, content: ContentBlock[]) {
    const usage = this.usageOf(turn);
    return {
      id: this.newId('msg'),
      type: 'message',
      role: 'assistant',
      model,
      content,
      stop_reason: null as string | null,
      stop_sequence: null,
      usage: {
        input_tokens: usage.inputTokens,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: usage.outputTokens,
      },
    };
  }

  private stream(
    res: http.ServerResponse,
    model: string,
    turn: FakeTurn,
    blocks: ContentBlock[],
  ) {
    const sse = FakeModelServer.sse;
    FakeModelServer.startSse(res);
    const message = this.message(model, turn, []);
    sse(res, 'message_start', {
      type: 'message_start',
      message: { ...message, usage: { ...message.usage, output_tokens: 1 } },
    });
    if (turn.stall) {
      sse(res, 'ping', { type: 'ping' });
      return;
    }
    blocks.forEach((block, index) => {
      sse(res, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: FakeAnthropicApi.emptyOf(block),
      });
      for (const delta of FakeAnthropicApi.deltasOf(block)) {
        sse(res, 'content_block_delta', {
          type: 'content_block_delta',
          index,
          delta,
        });
      }
      sse(res, 'content_block_stop', { type: 'content_block_stop', index });
    });
    sse(res, 'message_delta', {
      type: 'message_delta',
      delta: {
        stop_reason: FakeAnthropicApi.stopReason(blocks),
        stop_sequence: null,
      },
      usage: { output_tokens: this.usageOf(turn).outputTokens },
    });
    sse(res, 'message_stop', { type: 'message_stop' });
    res.end();
  }

  /** The block as `content_block_start` announces it, before any delta. */
  private static emptyOf(block: ContentBlock): ContentBlock {
    switch (block.type) {
      case 'tool_use':
        return { ...block, input: {} };
      case 'text':
        return { type: 'text', text: '' };
      default:
        return { type: 'thinking', thinking: '', signature: '' };
    }
  }

  private static deltasOf(block: ContentBlock): object[] {
    switch (block.type) {
      case 'thinking':
        return [
          { type: 'thinking_delta', thinking: block.thinking },
          { type: 'signature_delta', signature: block.signature },
        ];
      case 'text':
        return FakeAnthropicApi.halves(block.text).map(text => ({
          type: 'text_delta',
          text,
        }));
      default:
        return FakeAnthropicApi.halves(JSON.stringify(block.input)).map(
          partial => ({ type: 'input_json_delta', partial_json: partial }),
        );
    }
  }

  /** Splits a string in two so the CLI has to join deltas, as with a real model. */
  private static halves(value: string): string[] {
    const middle = Math.ceil(value.length / 2);
    return [value.slice(0, middle), value.slice(middle)].filter(Boolean);
  }

  private static stopReason(blocks: ContentBlock[]) {
    return blocks.some(b => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
  }

  private static error(type: string, message: string) {
    return { type: 'error', error: { type, message } };
  }
}
