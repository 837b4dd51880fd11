import { Static, Type } from '@sinclair/typebox';
import { DNS_LABEL_PATTERN, Obj, StringMap } from './schema';

/** An owner of a resource, as in Kubernetes. @public */
export const OwnerReference = Obj({
  apiVersion: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  uid: Type.String(),
  controller: Type.Optional(Type.Boolean()),
});

/**
 * Kubernetes object metadata. `name` and `namespace` (the org) come from the client; the server
 * sets `uid`, `resourceVersion`, `generation` and `creationTimestamp`.
 * @public
 */
export const ObjectMeta = Obj({
  name: Type.String({
    pattern: DNS_LABEL_PATTERN,
    minLength: 1,
    maxLength: 63,
  }),
  namespace: Type.String({
    pattern: DNS_LABEL_PATTERN,
    minLength: 1,
    maxLength: 63,
  }),
  uid: Type.Optional(Type.String()),
  resourceVersion: Type.Optional(Type.String()),
  generation: Type.Optional(Type.Integer({ minimum: 1 })),
  creationTimestamp: Type.Optional(Type.String({ format: 'date-time' })),
  labels: Type.Optional(StringMap()),
  annotations: Type.Optional(StringMap()),
  ownerReferences: Type.Optional(Type.Array(OwnerReference)),
});

/** @public */
export type ObjectMeta = Static<typeof ObjectMeta>;
