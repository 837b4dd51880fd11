import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError, InputError } from '@backstage/errors';
import express from 'express';
import request from 'supertest';
import { errorResponses } from './errorResponses';

function appThrowing(error: unknown) {
  const logger = mockServices.logger.mock();
  const app = express()
    .get('/boom', () => {
      throw error;
    })
    .use(errorResponses(logger));
  return { app, logger };
}

describe('errorResponses', () => {
  it('answers an unexpected error 500 with a reference only, and logs the details', async () => {
    const internal = new Error(
      'insert into "agents_config_objects" - duplicate key value violates unique constraint',
    );
    const { app, logger } = appThrowing(internal);
    const response = await request(app).get('/boom');
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      error: {
        name: 'Error',
        message: expect.stringMatching(
          /^internal error \(reference [0-9a-f-]{36}; the backend log has the details\)$/,
        ),
      },
      request: { method: 'GET', url: '/boom' },
      response: { statusCode: 500 },
    });
    expect(response.text).not.toMatch(/agents_config_objects|\.ts:\d+|at /);
    const reference = response.body.error.message.match(/[0-9a-f-]{36}/)[0];
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining(reference),
      internal,
    );
  });

  it('keeps the message of errors written for the caller, without a stack', async () => {
    for (const [error, status] of [
      [new InputError('spec.runtime: is required'), 400],
      [new ConflictError('resourceVersion: stale'), 409],
    ] as const) {
      const response = await request(appThrowing(error).app).get('/boom');
      expect(response.status).toBe(status);
      expect(response.body.error).toEqual({
        name: error.name,
        message: error.message,
      });
    }
  });

  it('answers 500 for a client library error that carries another server status', async () => {
    const forgeError = Object.assign(new Error('Not Found'), { status: 404 });
    const response = await request(appThrowing(forgeError).app).get('/boom');
    expect(response.status).toBe(500);
    expect(response.body.error.message).toMatch(/^internal error/);
  });

  it('answers a URL that is not valid percent-encoding 400', async () => {
    const app = express()
      .get('/runs/:run', (_req, res) => res.send('ok'))
      .use(errorResponses(mockServices.logger.mock()));
    const response = await request(app).get('/runs/%E0%A4%A');
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe('url: malformed percent-encoding');
  });
});
