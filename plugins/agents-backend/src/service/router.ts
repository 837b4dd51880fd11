import { AgentsHealth } from '@krate/plugin-agents-common';
import express from 'express';
import Router from 'express-promise-router';
import { AgentsDatabase } from '../database/AgentsDatabase';

export interface RouterOptions {
  database: AgentsDatabase;
  version: string;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { database, version } = options;
  const router = Router();
  router.use(express.json());

  router.get('/health', async (_req, res) => {
    await database.ping();
    const body: AgentsHealth = {
      status: 'ok',
      version,
      storage: { dialect: database.dialect },
    };
    res.json(body);
  });

  return router;
}
