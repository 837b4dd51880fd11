import { InputError, NotFoundError } from '@backstage/errors';
import { Request } from 'express';
import { queryString } from './requestParsing';
import { ResourceService } from './ResourceService';

/**
 * Reads an execution record by name — in `?namespace=`, or wherever the name is unique — checking
 * the caller may read it.
 */
export async function findRecord<T>(
  service: ResourceService,
  req: Request,
  kind: string,
  name: string,
): Promise<T> {
  const namespace = queryString(req, 'namespace');
  if (namespace) {
    return (await service.get(req, kind, namespace, name)) as T;
  }
  const found = await service.store.findByName(kind, name);
  if (found.length === 0) {
    throw new NotFoundError(`${kind} ${name} not found`);
  }
  if (found.length > 1) {
    throw new InputError(
      `namespace: ${name} exists in several namespaces; pass ?namespace=`,
    );
  }
  return (await service.get(req, kind, found[0].metadata.namespace, name)) as T;
}
