import {
  ConflictError,
  InputError,
  isError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AGENTS_API_GROUP_VERSION,
  agentsResourcePermission,
  FieldError,
  validateResource,
} from '@krate/plugin-agents-common';
import { createTwoFilesPatch } from 'diff';
import Router from 'express-promise-router';
import { Request } from 'express';
import { stringify } from 'yaml';
import { jsonEqual } from '../resources/digest';
import { StoredResource } from '../resources/ResourceStore';
import { queryString } from './requestParsing';
import { parseYamlDocuments } from './input/parseYamlDocuments';
import { ResourceService } from './ResourceService';

/** Per-document outcome of `POST /apply`. */
export interface ApplyResult {
  index: number;
  kind?: string;
  namespace?: string;
  name?: string;
  result: 'created' | 'configured' | 'unchanged' | 'invalid';
  errors?: FieldError[];
  object?: StoredResource;
  /** Dry runs: unified diff of the stored object's YAML against the result. */
  diff?: string;
}

const MAX_DOCUMENTS = 200;

/** Splits a body into documents: YAML (one or many), a JSON object, or a JSON `List`. */
function documentsOf(req: Request): {
  documents: unknown[];
  parseErrors: Map<number, FieldError[]>;
} {
  const parseErrors = new Map<number, FieldError[]>();
  if (typeof req.body === 'string') {
    const parsed = parseYamlDocuments(req.body, {
      maxDocuments: MAX_DOCUMENTS,
    });
    const documents = parsed.map((doc, index) => {
      if (doc.errors) parseErrors.set(index, doc.errors);
      return doc.value;
    });
    return { documents, parseErrors };
  }
  const body = req.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    if (body.kind === 'List' || body.kind?.endsWith?.('List')) {
      if (!Array.isArray(body.items)) {
        throw new InputError('items: a List must have an items array');
      }
      return { documents: body.items, parseErrors };
    }
    return { documents: [body], parseErrors };
  }
  throw new InputError(
    'body: send YAML (application/yaml or text/yaml) or a JSON object or List',
  );
}

function desiredState(
  document: StoredResource,
  stored: StoredResource,
): StoredResource {
  return {
    ...stored,
    metadata: {
      ...stored.metadata,
      labels: document.metadata.labels,
      annotations: document.metadata.annotations,
      ownerReferences: document.metadata.ownerReferences,
    },
    spec: document.spec,
  };
}

function sameApplied(a: StoredResource, b: StoredResource) {
  return (
    jsonEqual(a.spec, b.spec) &&
    jsonEqual(a.metadata.labels ?? {}, b.metadata.labels ?? {}) &&
    jsonEqual(a.metadata.annotations ?? {}, b.metadata.annotations ?? {}) &&
    jsonEqual(
      a.metadata.ownerReferences ?? [],
      b.metadata.ownerReferences ?? [],
    )
  );
}

function yamlDiff(
  name: string,
  before: StoredResource | undefined,
  after: StoredResource,
) {
  return createTwoFilesPatch(
    before ? `${name} (stored)` : '/dev/null',
    `${name} (if applied)`,
    before ? stringify(before) : '',
    stringify(after),
  );
}

/**
 * `POST /apply[?dryRun=All][&namespace=default]`: what `kubectl apply -f` does for agents
 * resources. Every document is validated and authorized before anything is written; one invalid
 * document fails the request (400) with per-document results and writes nothing.
 */
export function createApplyRoute(service: ResourceService) {
  const router = Router();
  router.post('/apply', async (req, res) => {
    const dryRun = queryString(req, 'dryRun');
    if (dryRun !== undefined && dryRun !== 'All') {
      throw new InputError("dryRun: the only supported value is 'All'");
    }
    const defaultNamespace = queryString(req, 'namespace');
    const { documents, parseErrors } = documentsOf(req);
    if (documents.length === 0) {
      throw new InputError('body: no documents to apply');
    }
    if (documents.length > MAX_DOCUMENTS) {
      throw new InputError(
        `body: at most ${MAX_DOCUMENTS} documents per request`,
      );
    }

    const results: ApplyResult[] = [];
    const valid: StoredResource[] = [];
    documents.forEach((document, index) => {
      const errors = parseErrors.get(index);
      if (errors) {
        results.push({ index, result: 'invalid', errors });
        return;
      }
      const doc = document as StoredResource;
      if (
        doc &&
        typeof doc === 'object' &&
        doc.metadata &&
        !doc.metadata.namespace &&
        defaultNamespace
      ) {
        doc.metadata = { ...doc.metadata, namespace: defaultNamespace };
      }
      const ident = {
        kind: doc?.kind,
        namespace: doc?.metadata?.namespace,
        name: doc?.metadata?.name,
      };
      const validation = validateResource(doc);
      if (!validation.valid) {
        results.push({
          index,
          ...ident,
          result: 'invalid',
          errors: validation.errors,
        });
      } else {
        results.push({ index, ...ident, result: 'unchanged' });
        valid.push(doc);
      }
    });
    const invalid = results.filter(r => r.result === 'invalid');
    if (invalid.length > 0) {
      const first = invalid[0];
      res.status(400).json({
        error: {
          name: 'InputError',
          message: `document ${first.index}${
            first.kind
              ? ` (${first.kind} ${first.namespace ?? ''}/${first.name ?? ''})`
              : ''
          }: ${first
            .errors!.map(e => `${e.path || '(root)'}: ${e.message}`)
            .join('; ')}; nothing was applied`,
        },
        response: { statusCode: 400 },
        items: results,
      });
      return;
    }

    // Read and authorize everything before the first write.
    const plans: { document: StoredResource; stored?: StoredResource }[] = [];
    for (const document of valid) {
      const { kind, metadata } = document;
      const stored = await service.store.get(
        kind,
        metadata.namespace,
        metadata.name,
      );
      const action = stored ? 'update' : 'create';
      await service.access.authorize(
        req,
        agentsResourcePermission(kind, action),
        stored ?? document,
      );
      plans.push({ document, stored });
    }

    // A dry run still goes to the store, so the store (a cluster's API server) validates too;
    // a real apply dry-runs every document first, so what the store refuses writes nothing.
    const write = async (writeOptions: { dryRun: boolean }) => {
      const items: ApplyResult[] = [];
      for (const [index, { document, stored }] of plans.entries()) {
        const { kind, metadata } = document;
        const ident = {
          index,
          kind,
          namespace: metadata.namespace,
          name: metadata.name,
        };
        const label = `${kind} ${metadata.namespace}/${metadata.name}`;
        const showDiff = writeOptions.dryRun;
        try {
          if (!stored) {
            const object = await service.create(req, document, writeOptions);
            items.push({
              ...ident,
              result: 'created',
              object,
              ...(showDiff ? { diff: yamlDiff(label, undefined, object) } : {}),
            });
            continue;
          }
          const desired = desiredState(document, stored);
          if (sameApplied(desired, stored)) {
            items.push({
              ...ident,
              result: 'unchanged',
              object: stored,
              ...(showDiff ? { diff: '' } : {}),
            });
            continue;
          }
          const object = await service.update(req, desired, writeOptions);
          items.push({
            ...ident,
            result: 'configured',
            object,
            ...(showDiff ? { diff: yamlDiff(label, stored, object) } : {}),
          });
        } catch (error) {
          throw refusedDocument(error, index, label, !writeOptions.dryRun);
        }
      }
      return items;
    };
    const dryRunItems = await write({ dryRun: true });
    const items = dryRun ? dryRunItems : await write({ dryRun: false });
    res.json({
      apiVersion: AGENTS_API_GROUP_VERSION,
      dryRun: Boolean(dryRun),
      items,
    });
  });
  return router;
}

/**
 * The store's refusal of one document, naming it; of the same kind (400, 403, 404, 409), so the
 * client sees what the store said. A refusal in the dry-run pass wrote nothing.
 */
function refusedDocument(
  error: unknown,
  index: number,
  label: string,
  writing: boolean,
): unknown {
  if (!isError(error)) return error;
  const Known = [
    InputError,
    ConflictError,
    NotFoundError,
    NotAllowedError,
  ].find(type => error instanceof type);
  if (!Known) return error;
  return new Known(
    `document ${index} (${label}): ${error.message}${
      writing ? '' : '; nothing was applied'
    }`,
  );
}
