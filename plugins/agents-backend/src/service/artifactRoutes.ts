import { AuditorService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  AgentDispatchRun,
  AgentReviewArtifact,
  artifactWriteBackPermission,
} from '@krate/plugin-agents-common';
import { Request } from 'express';
import Router from 'express-promise-router';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { RUN_LABEL } from '../dispatch/names';
import { WriteBackService } from '../writeback/WriteBackService';
import { audited } from './audited';
import { findRecord } from './findRecord';
import { queryString } from './requestParsing';
import { ResourceService } from './ResourceService';

export interface ArtifactRoutesOptions {
  service: ResourceService;
  writeBack: WriteBackService;
  auditor: AuditorService;
}

/**
 * Review artifacts and their write-back: list a run's artifacts, read one's content, the targets
 * that can take it, its write-backs, request one, and take a run's artifacts again from its
 * workspace. Reads check `read` on the artifact; writes `agents.artifact.write-back` and are
 * audited.
 */
export function createArtifactRoutes(options: ArtifactRoutesOptions) {
  const { service, writeBack, auditor } = options;
  const router = Router();

  const find = <T>(req: Request, kind: string, name: string) =>
    findRecord<T>(service, req, kind, name);

  const artifactOf = (req: Request) =>
    find<AgentReviewArtifact>(req, 'AgentReviewArtifact', req.params.artifact);

  router.get('/artifacts', async (req, res) => {
    const run = queryString(req, 'run');
    if (!run) {
      throw new InputError('run: pass ?run=<run name>');
    }
    const found = await find<AgentDispatchRun>(req, 'AgentDispatchRun', run);
    const page = await service.list(req, 'AgentReviewArtifact', {
      namespace: found.metadata.namespace,
      labelSelector: [{ key: RUN_LABEL, operator: 'in', values: [run] }],
      limit: 500,
    });
    res.json({
      items: [...page.items].sort((a, b) =>
        (a.metadata.creationTimestamp ?? '').localeCompare(
          b.metadata.creationTimestamp ?? '',
        ),
      ),
    });
  });

  router.get('/artifacts/:artifact/content', async (req, res) => {
    const artifact = await artifactOf(req);
    const stored = await writeBack.content(artifact);
    if (!stored) {
      throw new NotFoundError(
        `Artifact ${artifact.metadata.name} has no stored content`,
      );
    }
    res
      .type(artifact.spec.kind === 'patch' ? 'text/x-diff' : 'text/plain')
      .set('x-content-digest', stored.digest)
      .send(stored.content);
  });

  router.get('/artifacts/:artifact/targets', async (req, res) => {
    res.json({ items: await writeBack.targetsFor(await artifactOf(req)) });
  });

  router.get('/artifacts/:artifact/write-backs', async (req, res) => {
    res.json({ items: await writeBack.records(await artifactOf(req)) });
  });

  router.post('/artifacts/:artifact/write-back', async (req, res) => {
    const artifact = await artifactOf(req);
    const credentials = await service.access.authorize(
      req,
      artifactWriteBackPermission,
      artifact,
    );
    const answer = await audited(
      auditor,
      req,
      'write-back-request',
      {
        namespace: artifact.metadata.namespace,
        artifact: artifact.metadata.name,
        digest: artifact.spec.digest,
        target: String((req.body as any)?.target ?? ''),
        operation: String((req.body as any)?.operation ?? 'branch'),
      },
      () =>
        writeBack.request(
          artifact,
          req.body,
          ResourceAccess.actorOf(credentials),
        ),
    );
    res.status(202).json(answer);
  });

  router.post('/runs/:run/artifacts/collect', async (req, res) => {
    const run = await find<AgentDispatchRun>(
      req,
      'AgentDispatchRun',
      req.params.run,
    );
    await service.access.authorize(req, artifactWriteBackPermission, run);
    await audited(
      auditor,
      req,
      'artifacts-collect',
      { namespace: run.metadata.namespace, run: run.metadata.name },
      () => writeBack.collector.collectPatch(run),
    );
    res.json({
      items: await writeBack.collector.ofRun(
        run.metadata.namespace,
        run.metadata.name,
      ),
    });
  });

  return router;
}
