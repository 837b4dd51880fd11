import request from 'supertest';

/** One answer the test received: what was asked and the body as sent on the wire. */
export interface RecordedResponse {
  method: string;
  url: string;
  status: number;
  body: string;
}

/** Supertest against the backend, keeping every response body for the leak check. */
export class RecordingClient {
  readonly responses: RecordedResponse[] = [];

  constructor(private readonly server: any) {}

  async get(url: string, headers: Record<string, string> = {}) {
    return this.#record('GET', url, request(this.server).get(url), headers);
  }

  async post(
    url: string,
    body?: string | object,
    headers: Record<string, string> = {},
  ) {
    const pending = request(this.server).post(url);
    return this.#record(
      'POST',
      url,
      body === undefined ? pending : pending.send(body),
      headers,
    );
  }

  async #record(
    method: string,
    url: string,
    pending: request.Test,
    headers: Record<string, string>,
  ) {
    for (const [name, value] of Object.entries(headers)) {
      pending.set(name, value);
    }
    const response = await pending;
    this.responses.push({
      method,
      url,
      status: response.status,
      body: response.text ?? '',
    });
    return response;
  }
}
