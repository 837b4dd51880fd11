import { UserInfoService } from '@backstage/backend-plugin-api';
import { InputError, isError, NotFoundError } from '@backstage/errors';
import { memoryReadPermission } from '@krate/plugin-agents-common';
import { Request } from 'express';
import Router from 'express-promise-router';
import { queryGraph } from '../memory/memoryGraph';
import { MemoryAt, MemoryService } from '../memory/MemoryService';
import { searchMemory } from '../memory/searchMemory';
import { canSee, MemoryReader } from '../memory/visibility';
import { MemoryRecord } from '../memory/ontology';
import { EntityRecord, entityRecords } from '../memory/context/entityRecords';
import { httpMemoryRequester } from '../memory/context/MemoryRequester';
import { MEMORY_RESOURCE_KIND } from '../permissions/permissionResources';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { queryString } from './requestParsing';

const DEFAULT_RESULTS = 50;
const MAX_RESULTS = 500;
const MAX_DEPTH = 5;
/** Characters of a record's prose a search document carries. */
const SEARCH_TEXT_LENGTH = 2_000;

/**
 * The org memory's read routes: status, search, graph and one record, each at an explicit
 * commit resolved from `ref`, `tag` or `at` first, each permission-checked for the org, and
 * each leaving out the records the reader may not see.
 */
export function createMemoryRoutes(options: {
  memory: MemoryService;
  access: ResourceAccess;
  userInfo?: UserInfoService;
}) {
  const { memory, access, userInfo } = options;
  const router = Router();

  /** Checks the caller may read the org's memory; answers who reads. */
  function readerOf(req: Request, org: string): Promise<MemoryReader> {
    return httpMemoryRequester(req, access, userInfo).readerFor(org);
  }

  router.get('/memory/orgs', async (req, res) => {
    const { allowedNamespaces } = await access.listScope(
      req,
      memoryReadPermission,
    );
    res.json({
      items: memory.orgs
        .filter(org => !allowedNamespaces || allowedNamespaces.includes(org))
        .map(org => ({ org })),
    });
  });

  router.get('/memory', async (req, res) => {
    const org = requiredOrg(req);
    await readerOf(req, org);
    res.json(await memory.status(org, atOf(req)));
  });

  router.get('/memory/search', async (req, res) => {
    const org = requiredOrg(req);
    const reader = await readerOf(req, org);
    const pattern = queryString(req, 'q');
    if (!pattern) {
      throw new InputError('q: give the text or pattern to search for');
    }
    const { resolved, snapshot } = await memory.snapshot(org, atOf(req));
    const answer = await searchMemory(memory.git(org), snapshot, reader, {
      pattern,
      regex: flag(req, 'regex'),
      ignoreCase: flag(req, 'ignoreCase'),
      paths: pathsOf(req),
      kinds: listOf(req, 'kind'),
      limit: numberOf(req, 'limit', DEFAULT_RESULTS, MAX_RESULTS),
    });
    if (answer.withheld > 0) memory.noteDenied(org);
    res.json({ resolved, ...answer });
  });

  router.get('/memory/graph', async (req, res) => {
    const org = requiredOrg(req);
    const reader = await readerOf(req, org);
    const { resolved, snapshot } = await memory.snapshot(org, atOf(req));
    const around = queryString(req, 'around');
    if (around !== undefined && !snapshot.records.has(around)) {
      throw new NotFoundError(
        `around: no record ${around} at ${resolved.commit}`,
      );
    }
    res.json({
      resolved,
      ...queryGraph(snapshot, reader, {
        kinds: listOf(req, 'kind'),
        around,
        depth: numberOf(req, 'depth', 1, MAX_DEPTH),
      }),
    });
  });

  router.get('/memory/records', async (req, res) => {
    const org = requiredOrg(req);
    const reader = await readerOf(req, org);
    const id = queryString(req, 'id');
    if (!id)
      throw new InputError(
        'id: give the record id, e.g. services/payments-api',
      );
    const { resolved, snapshot } = await memory.snapshot(org, atOf(req));
    const record = snapshot.records.get(id);
    // A hidden record is answered like a missing one: its existence is not told either.
    if (!record || !canSee(record, reader)) {
      throw new NotFoundError(`id: no record ${id} at ${resolved.commit}`);
    }
    const content = (
      await memory.git(org).readFiles(resolved.commit, [record.path])
    ).get(record.path);
    res.json({
      resolved,
      record,
      content,
      citation: `${record.path}@${resolved.commit}`,
      issues: snapshot.issues.filter(issue => issue.file === record.path),
    });
  });

  /**
   * The records about a catalog entity (owned by it, or naming it or its repository) at the head
   * of each org whose memory the caller may read, as far as the caller may see them.
   */
  router.get('/memory/entity-records', async (req, res) => {
    const entityRef = queryString(req, 'entityRef');
    const repository = queryString(req, 'repository');
    if (!entityRef && !repository) {
      throw new InputError(
        'entityRef: give the entity ref, the repository (<org>/<repository>) or both',
      );
    }
    // Someone who may read no memory sees an entity without memory records, not an error.
    const scope = await access
      .listScope(req, memoryReadPermission)
      .catch(error => {
        if (isError(error) && error.name === 'NotAllowedError') return null;
        throw error;
      });
    const items: EntityRecord[] = [];
    if (!scope) {
      res.json({ items });
      return;
    }
    const { allowedNamespaces } = scope;
    for (const org of memory.orgs) {
      if (allowedNamespaces && !allowedNamespaces.includes(org)) continue;
      const reader = await readerOf(req, org);
      const { snapshot } = await memory.snapshot(org);
      items.push(
        ...entityRecords(org, snapshot, reader, { entityRef, repository }),
      );
    }
    res.json({ items });
  });

  /**
   * The records the caller may see at each readable org's head, as search documents, a page at
   * a time (`continue` is `<org index>:<record index>`). The search collator reads it as a
   * service, which sees only org-wide records: a team-scoped record is never indexed.
   */
  router.get('/memory/search-documents', async (req, res) => {
    const { allowedNamespaces } = await access.listScope(
      req,
      memoryReadPermission,
    );
    const limit = numberOf(req, 'limit', MAX_RESULTS, MAX_RESULTS);
    const orgs = memory.orgs.filter(
      org => !allowedNamespaces || allowedNamespaces.includes(org),
    );
    let [orgIndex, recordIndex] = cursorOf(queryString(req, 'continue'));
    const items = [];
    while (items.length < limit && orgIndex < orgs.length) {
      const org = orgs[orgIndex];
      const reader = await readerOf(req, org);
      const { snapshot } = await memory.snapshot(org);
      const records = [...snapshot.records.values()].filter(record =>
        canSee(record, reader),
      );
      for (
        ;
        recordIndex < records.length && items.length < limit;
        recordIndex++
      ) {
        items.push(
          searchDocumentOf(org, snapshot.commit, records[recordIndex]),
        );
      }
      if (recordIndex >= records.length) {
        orgIndex++;
        recordIndex = 0;
      }
    }
    res.json({
      items,
      ...(orgIndex < orgs.length
        ? { continue: `${orgIndex}:${recordIndex}` }
        : {}),
    });
  });

  return router;
}

/** What search indexes of a record: its title, its prose, and where to open it. */
function searchDocumentOf(org: string, commit: string, record: MemoryRecord) {
  return {
    title: record.title,
    text: record.body.replace(/\s+/g, ' ').trim().slice(0, SEARCH_TEXT_LENGTH),
    location: `/agents/memory/records?org=${encodeURIComponent(
      org,
    )}&id=${encodeURIComponent(record.id)}`,
    kind: record.kind,
    namespace: org,
    path: record.path,
    commit,
    authorization: {
      resourceRef: `${MEMORY_RESOURCE_KIND}:${org}/memory`,
    },
  };
}

function cursorOf(text: string | undefined): [number, number] {
  if (text === undefined) return [0, 0];
  const match = text.match(/^(\d{1,6}):(\d{1,9})$/);
  if (!match) {
    throw new InputError(
      'continue: not a cursor this route gave out; start without it',
    );
  }
  return [Number(match[1]), Number(match[2])];
}

function requiredOrg(req: Request): string {
  const org = queryString(req, 'org');
  if (!org) throw new InputError('org: say whose memory, e.g. org=acme');
  return org;
}

function atOf(req: Request): MemoryAt {
  const ref = queryString(req, 'ref');
  const tag = queryString(req, 'tag');
  const at = queryString(req, 'at');
  return {
    ...(ref !== undefined ? { ref } : {}),
    ...(tag !== undefined ? { tag } : {}),
    ...(at !== undefined ? { at } : {}),
  };
}

function flag(req: Request, name: string): boolean {
  const value = queryString(req, name);
  if (value === undefined || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1' || value === '') return true;
  throw new InputError(`${name}: must be true or false`);
}

/** A repeatable parameter (`kind=a&kind=b`) or a comma-separated one. */
function listOf(req: Request, name: string): string[] | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  const values = Array.isArray(value) ? value : [value];
  if (!values.every(v => typeof v === 'string')) {
    throw new InputError(`${name}: must be strings`);
  }
  return (values as string[])
    .flatMap(v => v.split(','))
    .map(v => v.trim())
    .filter(Boolean);
}

function pathsOf(req: Request): string[] | undefined {
  const paths = listOf(req, 'path');
  for (const path of paths ?? []) {
    if (path.startsWith('-') || path.startsWith(':') || path.includes('..')) {
      throw new InputError(
        `path: '${path}' must be a path inside the memory repository`,
      );
    }
  }
  return paths;
}

function numberOf(
  req: Request,
  name: string,
  fallback: number,
  max: number,
): number {
  const text = queryString(req, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new InputError(`${name}: must be an integer from 1 to ${max}`);
  }
  return value;
}
