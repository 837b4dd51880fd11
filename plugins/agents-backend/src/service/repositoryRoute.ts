import { InputError, NotFoundError } from '@backstage/errors';
import { agentsResourcePermission } from '@krate/plugin-agents-common';
import Router from 'express-promise-router';
import { authorizeInOrg } from '../permissions/authorizeInOrg';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { Repositories } from '../repositories';
import { orgName } from './requestParsing';

export interface RepositoryRouteOptions {
  access: ResourceAccess;
  repositories: Pick<Repositories, 'describe'>;
}

const dispatchRuns = agentsResourcePermission('AgentDispatchRun', 'create');
const REPOSITORY_NAME = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * `GET /repositories/:org/:repository`: whether runs dispatched on the repository get a workspace
 * of it, and where it is declared (never its URL). Whoever may dispatch runs in the org may ask;
 * the scaffolder's `agents:dispatch` waits here for a repository its template just registered.
 */
export function createRepositoryRoute({
  access,
  repositories,
}: RepositoryRouteOptions) {
  const router = Router();
  router.get('/repositories/:org/:repository', async (req, res) => {
    const org = orgName(req.params.org, 'org');
    const { repository } = req.params;
    if (!REPOSITORY_NAME.test(repository)) {
      throw new InputError(
        `repository: '${repository.slice(
          0,
          100,
        )}' is not a repository name (letters, digits, '.', '_' and '-', at most 100)`,
      );
    }
    await authorizeInOrg(
      access,
      req,
      dispatchRuns,
      'AgentDispatchRun',
      org,
      'Looking up a repository',
    );
    const name = `${org}/${repository}`;
    const description = await repositories.describe(name);
    if (!description) {
      throw new NotFoundError(
        `Repository ${name} is not known: no clone under the repository roots, no agents.repositories entry and no catalog entity with its source location`,
      );
    }
    res.json(description);
  });
  return router;
}
