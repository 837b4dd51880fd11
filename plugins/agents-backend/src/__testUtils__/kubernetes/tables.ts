import { evaluateJsonPath } from './jsonPath';
import { KubeObject } from './kubeObjects';
import { PrinterColumn, ResourceType } from './ResourceRegistry';

const NAME_COLUMN = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  priority: 0,
};
const AGE_COLUMN: PrinterColumn = {
  name: 'Age',
  type: 'date',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created.',
  jsonPath: '.metadata.creationTimestamp',
};
const POD_STATUS_COLUMN: PrinterColumn = {
  name: 'Status',
  type: 'string',
  description: 'The phase of the pod',
  jsonPath: '.status.phase',
};

/** Does the Accept header ask for a meta.k8s.io/v1 Table (what `kubectl get` prints from)? */
export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? '')
    .split(',')
    .some(
      part =>
        /as=Table/.test(part) &&
        /g=meta\.k8s\.io/.test(part) &&
        /v=v1(;|$|\s)/.test(part),
    );
}

function columnsOf(type: ResourceType): PrinterColumn[] {
  if (type.printerColumns?.length) return type.printerColumns;
  if (type.group === '' && type.resource === 'pods')
    return [POD_STATUS_COLUMN, AGE_COLUMN];
  return [AGE_COLUMN];
}

/** `kubectl`'s human form of a duration, e.g. `45s`, `3m12s`, `5h`, `2d`. */
export function humanDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10)
    return `${minutes}m${seconds % 60 ? `${seconds % 60}s` : ''}`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

function cell(column: PrinterColumn, object: KubeObject): unknown {
  const results = evaluateJsonPath(column.jsonPath, object);
  if (results.length === 0 || results[0] === undefined || results[0] === null)
    return null;
  const value = results[0];
  if (column.type === 'date' && typeof value === 'string') {
    const time = Date.parse(value);
    return Number.isNaN(time) ? '<invalid>' : humanDuration(Date.now() - time);
  }
  if (
    column.type === 'integer' ||
    column.type === 'number' ||
    column.type === 'boolean'
  )
    return value;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function rowObject(object: KubeObject, includeObject: string) {
  if (includeObject === 'None') return undefined;
  if (includeObject === 'Object') return object;
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: object.metadata,
  };
}

/** A meta.k8s.io/v1 Table of objects: Name, the printer columns (or Age), as the API server builds it. */
export function toTable(
  type: ResourceType,
  objects: KubeObject[],
  listMetadata: Record<string, unknown>,
  includeObject = 'Metadata',
) {
  const columns = columnsOf(type);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMetadata,
    columnDefinitions: [
      NAME_COLUMN,
      ...columns.map(c => ({
        name: c.name,
        type: c.type,
        format: c.format ?? '',
        description: c.description ?? '',
        priority: c.priority ?? 0,
      })),
    ],
    rows: objects.map(object => ({
      cells: [object.metadata.name, ...columns.map(c => cell(c, object))],
      object: rowObject(object, includeObject),
    })),
  };
}
