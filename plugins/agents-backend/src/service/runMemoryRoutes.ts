import { UserInfoService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  AgentContextBundle,
  AgentDispatchRun,
  ResolvedMemory,
} from '@krate/plugin-agents-common';
import Router from 'express-promise-router';
import { attemptName, contextBundleName } from '../dispatch/names';
import { memoryDiff } from '../memory/context/memoryDiff';
import { httpMemoryRequester } from '../memory/context/MemoryRequester';
import { parseMemorySelection } from '../memory/context/parseMemorySelection';
import { RunMemory } from '../memory/context/RunMemory';
import { MemorySnapshot } from '../memory/MemoryIndex';
import { MemoryService } from '../memory/MemoryService';
import { canSee, MemoryReader } from '../memory/visibility';
import { ResourceService } from './ResourceService';

/**
 * What runs read of the memory: a run's memory (its snapshot, the parts its latest attempt was
 * given, and how the selected files changed since), and the preview of a selection that the
 * dispatch composer shows — resolved by the same code a dispatch uses.
 */
export function createRunMemoryRoutes(options: {
  service: ResourceService;
  memory?: MemoryService;
  userInfo?: UserInfoService;
}) {
  const { service, memory, userInfo } = options;
  const runMemory = new RunMemory(memory);
  const router = Router();

  router.post('/memory/preview', async (req, res) => {
    const selection = parseMemorySelection(req.body, '');
    if (!selection.org) {
      throw new InputError('org: say whose memory, e.g. acme');
    }
    const { resolved, results, index, snapshot } = await runMemory.resolve({
      selection,
      namespace: selection.org,
      requester: httpMemoryRequester(req, service.access, userInfo),
      prefix: '',
    });
    res.json({
      resolved,
      results,
      withheld: snapshot.withheld ?? 0,
      stale: await staleAmong(memory!, snapshot, index),
    });
  });

  router.get('/runs/:namespace/:name/memory', async (req, res) => {
    const { namespace, name } = req.params;
    const run = (await service.get(
      req,
      'AgentDispatchRun',
      namespace,
      name,
    )) as AgentDispatchRun;
    const snapshot = run.spec.memorySnapshot;
    if (!snapshot) {
      res.json({ snapshot: null });
      return;
    }
    const { org, commit } = snapshot;
    const reader = await httpMemoryRequester(
      req,
      service.access,
      userInfo,
    ).readerFor(org);
    if (!memory?.orgs.includes(org)) {
      throw new NotFoundError(`org ${org} has no memory repository configured`);
    }
    const { snapshot: index } = await memory.snapshot(org, { ref: commit });
    // The run may have been dispatched by someone who sees more than this reader.
    const hidden = hiddenPaths(index, reader);
    const manifest = (snapshot.manifest ?? []).filter(
      entry => !hidden.has(entry.path),
    );
    const seen: ResolvedMemory = {
      ...snapshot,
      manifest,
      withheld:
        (snapshot.withheld ?? 0) +
        (snapshot.manifest?.length ?? 0) -
        manifest.length,
    };
    const head = await memory.head(org);
    const stillSeen = head
      ? hiddenPaths(
          (await memory.snapshot(org, { ref: head })).snapshot,
          reader,
        )
      : new Set<string>();
    const paths = [...new Set(manifest.map(entry => entry.path))].filter(
      path => !stillSeen.has(path),
    );
    const { diff, changed } = head
      ? await memoryDiff(memory.source(org).repositoryPath, commit, head, paths)
      : { diff: '', changed: [] };
    res.json({
      snapshot: seen,
      selection: run.spec.memory,
      parts: (await latestBundleParts(service, run)).filter(
        part =>
          part.kind === 'memory' &&
          !hidden.has(part.provenance.source.replace(/#L\d+$/, '')),
      ),
      current: { commit: head },
      diff,
      changed,
      stale: await staleAmong(memory, seen, index),
    });
  });

  return router;
}

/** Files of records at the snapshot that the reader may not see. */
function hiddenPaths(index: MemorySnapshot, reader: MemoryReader) {
  const hidden = new Set<string>();
  for (const record of index.records.values()) {
    if (!canSee(record, reader)) hidden.add(record.path);
  }
  return hidden;
}

/** The stale records among those a snapshot's manifest selected. */
async function staleAmong(
  memory: MemoryService,
  snapshot: ResolvedMemory,
  index: MemorySnapshot,
) {
  const ids = new Set(
    (snapshot.manifest ?? []).flatMap(entry => (entry.id ? [entry.id] : [])),
  );
  if (ids.size === 0) return [];
  const { stale } = await memory.staleOf(snapshot.org, index);
  return stale.filter(record => ids.has(record.id));
}

/** The parts of the context bundle of the run's latest attempt; none before it started. */
async function latestBundleParts(
  service: ResourceService,
  run: AgentDispatchRun,
): Promise<AgentContextBundle['spec']['parts']> {
  const attempt =
    run.status?.currentAttempt ?? attemptName(run.metadata.name, 1);
  const bundle = (await service.store.get(
    'AgentContextBundle',
    run.metadata.namespace,
    contextBundleName(attempt),
  )) as AgentContextBundle | undefined;
  return bundle?.spec.parts ?? [];
}
