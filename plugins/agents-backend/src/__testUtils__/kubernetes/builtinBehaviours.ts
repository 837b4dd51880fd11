import {
  establishedStatus,
  resourceTypesOf,
  validateCustomResourceDefinition,
} from './customResourceDefinitions';
import { KindBehaviour } from './KindBehaviour';
import { cloneJson, isPlainObject, KubeObject } from './kubeObjects';
import { ObjectStore } from './ObjectStore';
import { ResourceRegistry, typeKey } from './ResourceRegistry';

/** CRDs register their resources at once (Established) and take their objects along when deleted. */
export function crdBehaviour(
  registry: ResourceRegistry,
  store: ObjectStore,
): KindBehaviour {
  const register = (crd: KubeObject) => {
    registry.unregisterDefinedBy(crd.metadata.name ?? '');
    for (const type of resourceTypesOf(crd)) registry.register(type);
  };
  return {
    validate: crd => validateCustomResourceDefinition(crd),
    initialStatus: crd =>
      establishedStatus(crd, new Date().toISOString().replace(/\.\d+Z$/, 'Z')),
    created: register,
    updated: register,
    removed: crd => {
      const types = registry
        .all()
        .filter(t => t.definedBy === crd.metadata.name);
      registry.unregisterDefinedBy(crd.metadata.name ?? '');
      const keys = new Set(types.map(typeKey));
      for (const key of keys) store.removeAll(key);
    },
  };
}

/** Secrets fold `stringData` into base64 `data`, as the API server does on every write. */
export function secretBehaviour(): KindBehaviour {
  return {
    normalize: secret => {
      if (isPlainObject(secret.stringData)) {
        const data = isPlainObject(secret.data)
          ? (secret.data as Record<string, string>)
          : {};
        for (const [key, value] of Object.entries(secret.stringData)) {
          data[key] = Buffer.from(String(value), 'utf8').toString('base64');
        }
        secret.data = data;
      }
      delete secret.stringData;
      if (!secret.type) secret.type = 'Opaque';
    },
  };
}

/** Namespaces start Active and get their `default` ServiceAccount like a real cluster's. */
export function namespaceBehaviour(
  store: ObjectStore,
  lifecycle: {
    created: (namespace: KubeObject) => void;
    terminating: (namespace: KubeObject) => void;
  },
): KindBehaviour {
  return {
    normalize: namespace => {
      namespace.spec = {
        finalizers: ['kubernetes'],
        ...(isPlainObject(namespace.spec) ? namespace.spec : {}),
      };
    },
    initialStatus: () => ({ phase: 'Active' }),
    created: lifecycle.created,
    beginDeletion: namespace => {
      if (namespace.metadata.deletionTimestamp) return namespace;
      const terminating = cloneJson(namespace);
      terminating.metadata.deletionTimestamp = new Date()
        .toISOString()
        .replace(/\.\d+Z$/, 'Z');
      terminating.status = { phase: 'Terminating' };
      const stored = store.update('/namespaces', terminating);
      lifecycle.terminating(stored);
      return stored;
    },
  };
}
