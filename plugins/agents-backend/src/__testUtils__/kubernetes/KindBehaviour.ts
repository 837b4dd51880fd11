import { StatusCause } from './KubeApiError';
import { KubeObject } from './kubeObjects';

/** DeleteOptions of a delete request (query and body merged). */
export interface DeleteRequestOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** What a kind does beyond storing objects (CRDs register types, pods run, …). */
export interface KindBehaviour {
  /** Adjusts a new or updated object before validation, e.g. folds Secret `stringData`. */
  normalize?(object: KubeObject, previous: KubeObject | undefined): void;
  validate?(
    object: KubeObject,
    previous: KubeObject | undefined,
  ): StatusCause[];
  /** The status a new object starts with. */
  initialStatus?(object: KubeObject): unknown;
  created?(object: KubeObject): void;
  updated?(object: KubeObject, previous: KubeObject): void;
  removed?(object: KubeObject): void;
  /**
   * Takes over the deletion of an object without finalizers (pods terminate gracefully);
   * answers the object to return, or `undefined` to have it removed at once.
   */
  beginDeletion?(
    object: KubeObject,
    options: DeleteRequestOptions,
  ): KubeObject | undefined;
}
