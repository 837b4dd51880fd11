/*
 * Test double for the LLM provider only (see FakeModelServer): the OpenAI Responses API as Codex
 * calls it — streaming `POST /v1/responses`.
 */
import http from 'node:http';
import { FakeModelServer, FakeTurn, RecordedRequest } from './FakeModelServer';

type OutputItem =
  | {
      type: 'reasoning';
      id: string;
      summary: { type: 'summary_text'; text: string }[];
    }
  | {
      type: 'message';
      id: string;
      role: 'assistant';
      status: string;
      content: { type: 'output_text'; text: string; annotations: [] }[];
    }
  | {
      type: 'function_call';
      id: string;
      call_id: string;
      name: string;
      namespace?: string;
      arguments: string;
      status: string;
    }
  | {
      type: 'custom_tool_call';
      id: string;
      call_id: string;
      name: string;
      input: string;
      status: string;
    };

/** A fake OpenAI Responses API on 127.0.0.1 that plays `turns` in order. */
export class FakeOpenAiResponsesApi extends FakeModelServer {
  static start(turns: FakeTurn[]): Promise<FakeOpenAiResponsesApi> {
    return new FakeOpenAiResponsesApi(turns).listen();
  }

  /** The `/v1/responses` requests, in order. */
  get responseRequests(): RecordedRequest[] {
    return this.requests.filter(
      r => r.method === 'POST' && r.path.split('?')[0] === '/v1/responses',
    );
  }

  protected handle(request: RecordedRequest, res: http.ServerResponse) {
    if (request.path.split('?')[0] !== '/v1/responses') {
      FakeModelServer.json(res, 404, FakeOpenAiResponsesApi.error('Not found'));
      return;
    }
    const turn = this.takeTurn();
    if (!turn) {
      FakeModelServer.json(
        res,
        400,
        FakeOpenAiResponsesApi.error('The fake model script is played out'),
      );
      return;
    }
    if (turn.httpError) {
      FakeModelServer.json(
        res,
        turn.httpError.status,
        FakeOpenAiResponsesApi.error(turn.httpError.message),
      );
      return;
    }
    this.stream(res, String(request.body?.model ?? 'gpt-fake'), turn);
  }

  private stream(res: http.ServerResponse, model: string, turn: FakeTurn) {
    let sequence = 0;
    const send = (type: string, data: object) =>
      FakeModelServer.sse(res, type, {
        type,
        sequence_number: sequence++,
        ...data,
      });
    const response = {
      id: this.newId('resp'),
      object: 'response',
      created_at: Math.floor(Date.now() / 1000),
      status: 'in_progress',
      model,
      output: [] as OutputItem[],
    };
    FakeModelServer.startSse(res);
    send('response.created', { response });
    send('response.in_progress', { response });
    if (turn.stall) {
      return;
    }
    const items = this.itemsOf(turn);
    items.forEach((item, outputIndex) => {
      send('response.output_item.added', {
        output_index: outputIndex,
        item: FakeOpenAiResponsesApi.inProgress(item),
      });
      if (item.type === 'message') {
        const text = item.content[0].text;
        send('response.content_part.added', {
          item_id: item.id,
          output_index: outputIndex,
          content_index: 0,
          part: { type: 'output_text', text: '', annotations: [] },
        });
        const middle = Math.ceil(text.length / 2);
        for (const delta of [text.slice(0, middle), text.slice(middle)]) {
          if (delta) {
            send('response.output_text.delta', {
              item_id: item.id,
              output_index: outputIndex,
              content_index: 0,
              delta,
            });
          }
        }
        send('response.output_text.done', {
          item_id: item.id,
          output_index: outputIndex,
          content_index: 0,
          text,
        });
        send('response.content_part.done', {
          item_id: item.id,
          output_index: outputIndex,
          content_index: 0,
          part: item.content[0],
        });
      } else if (item.type === 'function_call') {
        send('response.function_call_arguments.delta', {
          item_id: item.id,
          output_index: outputIndex,
          delta: item.arguments,
        });
        send('response.function_call_arguments.done', {
          item_id: item.id,
          output_index: outputIndex,
          arguments: item.arguments,
        });
      } else if (item.type === 'custom_tool_call') {
        send('response.custom_tool_call_input.delta', {
          item_id: item.id,
          output_index: outputIndex,
          delta: item.input,
        });
        send('response.custom_tool_call_input.done', {
          item_id: item.id,
          output_index: outputIndex,
          input: item.input,
        });
      }
      send('response.output_item.done', {
        output_index: outputIndex,
        item,
      });
    });
    const usage = this.usageOf(turn);
    send('response.completed', {
      response: {
        ...response,
        status: 'completed',
        output: items,
        usage: {
          input_tokens: usage.inputTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: usage.outputTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: usage.inputTokens + usage.outputTokens,
        },
      },
    });
    res.end();
  }

  private itemsOf(turn: FakeTurn): OutputItem[] {
    const items: OutputItem[] = [];
    if (turn.thinking) {
      items.push({
        type: 'reasoning',
        id: this.newId('rs'),
        summary: [{ type: 'summary_text', text: turn.thinking }],
      });
    }
    if (turn.text) {
      items.push({
        type: 'message',
        id: this.newId('msg'),
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: turn.text, annotations: [] }],
      });
    }
    for (const call of turn.toolCalls ?? []) {
      const callId = call.id ?? this.newId('call');
      items.push(
        typeof call.input === 'string'
          ? {
              type: 'custom_tool_call',
              id: this.newId('ctc'),
              call_id: callId,
              name: call.name,
              input: call.input,
              status: 'completed',
            }
          : {
              type: 'function_call',
              id: this.newId('fc'),
              call_id: callId,
              name: call.name,
              ...(call.namespace ? { namespace: call.namespace } : {}),
              arguments: JSON.stringify(call.input),
              status: 'completed',
            },
      );
    }
    return items;
  }

  private static inProgress(item: OutputItem): OutputItem {
    switch (item.type) {
      case 'message':
        return { ...item, status: 'in_progress', content: [] };
      case 'function_call':
        return { ...item, status: 'in_progress', arguments: '' };
      case 'custom_tool_call':
        return { ...item, status: 'in_progress', input: '' };
      default:
        return { ...item, summary: [] };
    }
  }

  private static error(message: string) {
    return {
      error: {
        message,
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    };
  }
}
