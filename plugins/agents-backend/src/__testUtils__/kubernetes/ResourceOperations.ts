import { randomUUID } from 'node:crypto';
import { KindBehaviour, DeleteRequestOptions } from './KindBehaviour';
import { KubeApiError, StatusCause } from './KubeApiError';
import { cloneJson, isPlainObject, KubeObject } from './kubeObjects';
import { generateName, nameRuleOf, validateName } from './objectNames';
import { ObjectStore } from './ObjectStore';
import {
  applyDefaults,
  pruneUnknownFields,
  validateAgainstSchema,
} from './openApiSchema';
import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
} from './patches';
import { apiVersionOf, ResourceType, typeKey } from './ResourceRegistry';
import { parseFieldSelector, parseLabelSelector } from './selectors';

/** The object (or collection) a request addresses. */
export interface OperationTarget {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export interface ListQuery {
  labelSelector?: string | null;
  fieldSelector?: string | null;
  limit?: number;
  continueToken?: string | null;
}

const NAMESPACES_KEY = '/namespaces';
const EXTRA_FIELD_SELECTORS: Record<string, string[]> = {
  '/pods': ['status.phase', 'spec.nodeName', 'spec.serviceAccountName'],
  '/secrets': ['type'],
  '/namespaces': ['status.phase'],
};

function withoutVolatile(object: KubeObject, keepStatus: boolean) {
  const { metadata: _metadata, status, ...rest } = object;
  return JSON.stringify(keepStatus ? { ...rest, status } : rest);
}

/** Create, read, update, patch and delete with the API server's semantics, on the store. */
export class ResourceOperations {
  constructor(
    private readonly store: ObjectStore,
    private readonly behaviours: Map<string, KindBehaviour>,
  ) {}

  get(target: OperationTarget): KubeObject {
    const found = this.store.get(
      typeKey(target.type),
      target.namespace,
      target.name ?? '',
    );
    if (!found) throw KubeApiError.notFound(target.type, target.name ?? '');
    return this.present(target.type, found);
  }

  list(target: OperationTarget, query: ListQuery) {
    const key = typeKey(target.type);
    const matches = this.matcher(target, query);
    let items = this.store.list(key, target.namespace).filter(matches);
    const after = query.continueToken
      ? decodeContinue(query.continueToken)
      : undefined;
    if (after !== undefined) {
      items = items.filter(
        o => `${o.metadata.namespace ?? ''}/${o.metadata.name}` > after,
      );
    }
    let continueToken: string | undefined;
    let remainingItemCount: number | undefined;
    if (query.limit && query.limit > 0 && items.length > query.limit) {
      remainingItemCount = items.length - query.limit;
      items = items.slice(0, query.limit);
      const last = items[items.length - 1].metadata;
      continueToken = encodeContinue(`${last.namespace ?? ''}/${last.name}`);
    }
    return {
      kind: target.type.listKind,
      apiVersion: apiVersionOf(target.type),
      metadata: {
        resourceVersion: String(this.store.currentRevision),
        ...(continueToken
          ? { continue: continueToken, remainingItemCount }
          : {}),
      },
      items: items.map(o => this.present(target.type, o)),
    };
  }

  /** The predicate of a list or watch's label and field selectors. */
  matcher(target: OperationTarget, query: ListQuery) {
    const labels = parseLabelSelector(query.labelSelector ?? null);
    const fields = parseFieldSelector(
      query.fieldSelector ?? null,
      target.type.group === ''
        ? EXTRA_FIELD_SELECTORS[typeKey(target.type)]
        : [],
    );
    return (object: KubeObject) =>
      (target.namespace === undefined ||
        object.metadata.namespace === target.namespace) &&
      labels(object) &&
      fields(object);
  }

  create(target: OperationTarget, body: unknown, dryRun: boolean): KubeObject {
    const { type } = target;
    if (target.subresource)
      throw KubeApiError.methodNotAllowed(
        `create is not supported on ${type.resource}/${target.subresource}`,
      );
    const object = this.checkBody(target, body);
    const metadata = object.metadata;
    if (!metadata.name && metadata.generateName)
      metadata.name = generateName(metadata.generateName);
    if (!metadata.name) {
      throw KubeApiError.invalid(type, '', [
        {
          reason: 'FieldValueRequired',
          message: 'Required value: name or generateName is required',
          field: 'metadata.name',
        },
      ]);
    }
    if (type.namespaced) this.requireLiveNamespace(target.namespace ?? '');
    const key = typeKey(type);
    if (this.store.get(key, metadata.namespace, metadata.name)) {
      throw KubeApiError.alreadyExists(type, metadata.name);
    }
    const behaviour = this.behaviours.get(key);
    metadata.uid = randomUUID();
    metadata.creationTimestamp = new Date()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
    metadata.generation = 1;
    delete metadata.resourceVersion;
    delete metadata.deletionTimestamp;
    if (type.subresources.includes('status')) delete object.status;
    if (behaviour?.initialStatus)
      object.status = behaviour.initialStatus(object);
    this.prepare(type, object, undefined);
    if (dryRun)
      return this.present(type, { ...object, metadata: { ...metadata } });
    const stored = this.store.create(key, object);
    behaviour?.created?.(stored);
    return this.present(type, stored);
  }

  replace(target: OperationTarget, body: unknown, dryRun: boolean): KubeObject {
    const { type } = target;
    const object = this.checkBody(target, body);
    const name = target.name ?? '';
    if (object.metadata.name !== name) {
      throw KubeApiError.badRequest(
        `the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    const previous = this.store.get(typeKey(type), target.namespace, name);
    if (!previous) throw KubeApiError.notFound(type, name);
    const expected = object.metadata.resourceVersion;
    if (!expected && type.schema && !target.subresource) {
      throw KubeApiError.invalid(type, name, [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 0x0: must be specified for an update',
          field: 'metadata.resourceVersion',
        },
      ]);
    }
    return this.update(target, previous, object, expected, dryRun);
  }

  patch(
    target: OperationTarget,
    contentType: string,
    body: unknown,
    dryRun: boolean,
  ): KubeObject {
    const { type } = target;
    const name = target.name ?? '';
    const previous = this.store.get(typeKey(type), target.namespace, name);
    if (!previous) throw KubeApiError.notFound(type, name);
    const base = this.present(type, previous);
    let patched: unknown;
    if (contentType.startsWith('application/merge-patch+json')) {
      patched = applyMergePatch(base, body);
    } else if (contentType.startsWith('application/json-patch+json')) {
      patched = applyJsonPatch(base, body);
    } else if (
      contentType.startsWith('application/strategic-merge-patch+json')
    ) {
      if (type.schema) {
        throw KubeApiError.unsupportedMediaType(contentType);
      }
      patched = applyStrategicMergePatch(base, body);
    } else {
      throw KubeApiError.unsupportedMediaType(contentType);
    }
    const object = this.checkBody(target, patched);
    const expected =
      isPlainObject(body) &&
      isPlainObject(body.metadata) &&
      typeof body.metadata.resourceVersion === 'string'
        ? body.metadata.resourceVersion
        : undefined;
    return this.update(target, previous, object, expected, dryRun);
  }

  delete(
    target: OperationTarget,
    options: DeleteRequestOptions,
    dryRun: boolean,
  ): KubeObject {
    const { type } = target;
    const name = target.name ?? '';
    const key = typeKey(type);
    const current = this.store.get(key, target.namespace, name);
    if (!current) throw KubeApiError.notFound(type, name);
    const preconditions = options.preconditions ?? {};
    if (preconditions.uid && preconditions.uid !== current.metadata.uid) {
      throw KubeApiError.conflict(
        type,
        name,
        `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${current.metadata.uid}`,
      );
    }
    if (
      preconditions.resourceVersion &&
      preconditions.resourceVersion !== current.metadata.resourceVersion
    ) {
      throw KubeApiError.conflict(
        type,
        name,
        `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
      );
    }
    if (dryRun) return this.present(type, current);
    if (current.metadata.finalizers?.length) {
      if (current.metadata.deletionTimestamp)
        return this.present(type, current);
      current.metadata.deletionTimestamp = new Date()
        .toISOString()
        .replace(/\.\d+Z$/, 'Z');
      current.metadata.deletionGracePeriodSeconds = 0;
      return this.present(type, this.store.update(key, current));
    }
    const behaviour = this.behaviours.get(key);
    const pending = behaviour?.beginDeletion?.(current, options);
    if (pending) return this.present(type, pending);
    return this.present(
      type,
      this.remove(type, current, options.propagationPolicy),
    );
  }

  deleteCollection(
    target: OperationTarget,
    query: ListQuery,
    options: DeleteRequestOptions,
    dryRun: boolean,
  ) {
    const list = this.list(target, {
      ...query,
      limit: undefined,
      continueToken: undefined,
    });
    const items = list.items.map(item =>
      this.delete(
        {
          ...target,
          namespace: item.metadata.namespace,
          name: item.metadata.name,
        },
        options,
        dryRun,
      ),
    );
    return { ...list, items };
  }

  /** Removes an object now (no finalizers left) and collects what it owned. */
  remove(
    type: ResourceType,
    object: KubeObject,
    propagationPolicy?: string,
  ): KubeObject {
    const key = typeKey(type);
    const removed = this.store.remove(key, object);
    this.behaviours.get(key)?.removed?.(removed);
    if (propagationPolicy !== 'Orphan')
      this.collectDependents(removed.metadata.uid);
    return removed;
  }

  /** Lists at an exact resourceVersion older than this answer 410 Gone. */
  oldestListableVersion() {
    return this.store.oldestWatchableRevision;
  }

  /** Writes an object on behalf of a controller inside the double (pod status, …). */
  writeInternal(type: ResourceType, object: KubeObject): KubeObject {
    return this.store.update(typeKey(type), object);
  }

  private dependentCollectors: ((uid: string) => void)[] = [];

  /** Lets the server delete dependents of a removed owner (the garbage collector's job). */
  onOwnerRemoved(collector: (uid: string) => void) {
    this.dependentCollectors.push(collector);
  }

  private collectDependents(uid: string | undefined) {
    if (!uid) return;
    for (const collector of this.dependentCollectors) collector(uid);
  }

  private update(
    target: OperationTarget,
    previous: KubeObject,
    object: KubeObject,
    expectedVersion: string | undefined,
    dryRun: boolean,
  ): KubeObject {
    const { type } = target;
    const name = target.name ?? '';
    if (
      expectedVersion &&
      expectedVersion !== previous.metadata.resourceVersion
    ) {
      throw KubeApiError.conflict(
        type,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    const hasStatus = type.subresources.includes('status');
    let next: KubeObject;
    if (target.subresource === 'status') {
      if (!hasStatus) throw KubeApiError.pathNotFound();
      next = { ...cloneJson(previous), status: object.status };
    } else if (target.subresource) {
      throw KubeApiError.methodNotAllowed(
        `update is not supported on ${type.resource}/${target.subresource}`,
      );
    } else {
      next = object;
      if (hasStatus) {
        if (previous.status === undefined) delete next.status;
        else next.status = cloneJson(previous.status);
      }
      next.metadata = {
        ...object.metadata,
        uid: previous.metadata.uid,
        creationTimestamp: previous.metadata.creationTimestamp,
        generation: previous.metadata.generation,
        deletionTimestamp: previous.metadata.deletionTimestamp,
        deletionGracePeriodSeconds:
          previous.metadata.deletionGracePeriodSeconds,
      };
      for (const field of [
        'deletionTimestamp',
        'deletionGracePeriodSeconds',
      ] as const) {
        if (next.metadata[field] === undefined) delete next.metadata[field];
      }
    }
    next.metadata.resourceVersion = previous.metadata.resourceVersion;
    this.prepare(type, next, previous);
    if (
      withoutVolatile(next, !hasStatus) !==
      withoutVolatile(previous, !hasStatus)
    ) {
      next.metadata.generation = (previous.metadata.generation ?? 1) + 1;
    }
    const key = typeKey(type);
    if (JSON.stringify(next) === JSON.stringify(previous))
      return this.present(type, previous);
    if (dryRun) return this.present(type, next);
    if (next.metadata.deletionTimestamp && !next.metadata.finalizers?.length) {
      return this.present(type, this.remove(type, next));
    }
    const stored = this.store.update(key, next);
    this.behaviours.get(key)?.updated?.(stored, previous);
    return this.present(type, stored);
  }

  /** Defaults, prunes and validates an object about to be stored. */
  private prepare(
    type: ResourceType,
    object: KubeObject,
    previous: KubeObject | undefined,
  ) {
    const behaviour = this.behaviours.get(typeKey(type));
    behaviour?.normalize?.(object, previous);
    const causes: StatusCause[] = [];
    if (!previous)
      causes.push(
        ...validateName(
          object.metadata.name ?? '',
          nameRuleOf(type.group, type.resource),
        ),
      );
    if (type.schema) {
      pruneUnknownFields(type.schema, object, true);
      applyDefaults(type.schema, object);
      const {
        metadata: _metadata,
        apiVersion: _apiVersion,
        kind: _kind,
        ...content
      } = object;
      const { properties = {}, ...rootRules } = type.schema as Record<
        string,
        any
      >;
      const {
        metadata: _m,
        apiVersion: _a,
        kind: _k,
        ...contentProperties
      } = properties;
      causes.push(
        ...validateAgainstSchema(
          { ...rootRules, properties: contentProperties },
          content,
        ),
      );
    }
    causes.push(...(behaviour?.validate?.(object, previous) ?? []));
    if (causes.length > 0)
      throw KubeApiError.invalid(type, object.metadata.name ?? '', causes);
  }

  private checkBody(target: OperationTarget, body: unknown): KubeObject {
    const { type } = target;
    if (!isPlainObject(body))
      throw KubeApiError.badRequest(
        'the body of the request must be a JSON object',
      );
    const object = cloneJson(body) as KubeObject;
    const expectedApiVersion = apiVersionOf(type);
    if (
      object.apiVersion !== undefined &&
      object.apiVersion !== expectedApiVersion
    ) {
      throw KubeApiError.badRequest(
        `the API version in the data (${object.apiVersion}) does not match the expected API version (${expectedApiVersion})`,
      );
    }
    if (object.kind !== undefined && object.kind !== type.kind) {
      throw KubeApiError.badRequest(
        `the kind in the data (${object.kind}) does not match the expected kind (${type.kind})`,
      );
    }
    object.apiVersion = expectedApiVersion;
    object.kind = type.kind;
    if (!isPlainObject(object.metadata)) object.metadata = {};
    if (type.namespaced) {
      if (
        object.metadata.namespace &&
        object.metadata.namespace !== target.namespace
      ) {
        throw KubeApiError.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      object.metadata.namespace = target.namespace;
    } else {
      delete object.metadata.namespace;
    }
    return object;
  }

  private requireLiveNamespace(namespace: string) {
    const found = this.store.get(NAMESPACES_KEY, undefined, namespace);
    if (!found) {
      throw KubeApiError.notFound(
        { resource: 'namespaces', group: '', kind: 'Namespace' },
        namespace,
      );
    }
    if (found.metadata.deletionTimestamp) {
      throw KubeApiError.forbidden(
        `unable to create new content in namespace ${namespace} because it is being terminated`,
        { name: namespace, kind: 'namespaces' },
      );
    }
  }

  private present(type: ResourceType, object: KubeObject): KubeObject {
    return { apiVersion: apiVersionOf(type), kind: type.kind, ...object };
  }
}

function encodeContinue(after: string) {
  return Buffer.from(
    JSON.stringify({ v: 'meta.k8s.io/v1', start: after }),
  ).toString('base64');
}

function decodeContinue(token: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (typeof decoded.start === 'string') return decoded.start;
  } catch {
    // answered below
  }
  throw KubeApiError.badRequest(
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}
