import {
  ACTION_CLASSES,
  ActionClass,
  SCRIPT_STEP_ACTIONS,
} from '@krate/plugin-agents-common';
import { StepFailure } from './StepFailure';

/** A script step with its one action, type-checked. */
export type ScriptAction =
  | { kind: 'say'; text: string }
  | { kind: 'think'; text: string }
  | { kind: 'shell'; command: string }
  | { kind: 'readFile'; path: string }
  | { kind: 'writeFile'; path: string; content: string }
  | { kind: 'patchFile'; path: string; find: string; replace: string }
  | { kind: 'subagent'; name: string; prompt?: string }
  | { kind: 'approval'; actionClass: ActionClass; target: string }
  | { kind: 'producePatch'; name: string }
  | {
      kind: 'propose';
      proposal: 'comment' | 'review';
      title: string;
      body: string;
      on?: 'issue' | 'pull-request';
      number?: string;
    }
  | { kind: 'emit'; count: number; text?: string }
  | {
      kind: 'cost';
      usd: number;
      inputTokens: number;
      outputTokens: number;
    }
  | { kind: 'sleepMs'; ms: number }
  | { kind: 'fail'; message: string };

export interface ParsedStep {
  action: ScriptAction;
  onDenied: 'fail' | 'continue';
}

type Fields = Record<string, unknown>;

const isString = (value: unknown): value is string => typeof value === 'string';
const isCount = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 0;

function actionOf(kind: string, value: unknown): ScriptAction | undefined {
  const fields = (
    value !== null && typeof value === 'object' ? value : {}
  ) as Fields;
  switch (kind) {
    case 'say':
    case 'think':
      return isString(value) ? { kind, text: value } : undefined;
    case 'shell':
      return isString(value) && value ? { kind, command: value } : undefined;
    case 'readFile':
      return isString(value) && value ? { kind, path: value } : undefined;
    case 'writeFile':
      return isString(fields.path) && isString(fields.content)
        ? { kind, path: fields.path, content: fields.content }
        : undefined;
    case 'patchFile':
      return isString(fields.path) &&
        isString(fields.find) &&
        fields.find &&
        isString(fields.replace)
        ? {
            kind,
            path: fields.path,
            find: fields.find,
            replace: fields.replace,
          }
        : undefined;
    case 'subagent':
      return isString(fields.name) &&
        (fields.prompt === undefined || isString(fields.prompt))
        ? { kind, name: fields.name, prompt: fields.prompt }
        : undefined;
    case 'approval':
      return ACTION_CLASSES.includes(fields.actionClass as ActionClass) &&
        isString(fields.target)
        ? {
            kind,
            actionClass: fields.actionClass as ActionClass,
            target: fields.target,
          }
        : undefined;
    case 'producePatch':
      return fields.name === undefined || isString(fields.name)
        ? { kind, name: fields.name || 'changes.patch' }
        : undefined;
    case 'propose':
      return (fields.kind === 'comment' || fields.kind === 'review') &&
        isString(fields.title) &&
        isString(fields.body) &&
        (fields.on === undefined ||
          fields.on === 'issue' ||
          fields.on === 'pull-request') &&
        (fields.number === undefined || isString(fields.number))
        ? {
            kind,
            proposal: fields.kind,
            title: fields.title,
            body: fields.body,
            on: fields.on as 'issue' | 'pull-request' | undefined,
            number: fields.number as string | undefined,
          }
        : undefined;
    case 'emit':
      return isCount(fields.count) &&
        (fields.text === undefined || isString(fields.text))
        ? { kind, count: fields.count, text: fields.text }
        : undefined;
    case 'cost':
      return costOf(fields);
    case 'sleepMs':
      return isCount(value) ? { kind, ms: value } : undefined;
    case 'fail':
      return isString(value) ? { kind, message: value } : undefined;
    default:
      return undefined;
  }
}

function costOf(fields: Fields): ScriptAction | undefined {
  const { usd = 0, inputTokens = 0, outputTokens = 0 } = fields;
  const known = Object.keys(fields).every(key =>
    ['usd', 'inputTokens', 'outputTokens'].includes(key),
  );
  return known &&
    typeof usd === 'number' &&
    Number.isFinite(usd) &&
    usd >= 0 &&
    isCount(inputTokens) &&
    isCount(outputTokens)
    ? { kind: 'cost', usd, inputTokens, outputTokens }
    : undefined;
}

/**
 * Reads one script step. The stack controller validates scripts against the schema already;
 * this guards the runtime against a launch profile that slipped past it.
 */
export function parseStep(raw: unknown, where: string): ParsedStep {
  const step = (raw !== null && typeof raw === 'object' ? raw : {}) as Fields;
  const kinds = SCRIPT_STEP_ACTIONS.filter(kind => step[kind] !== undefined);
  if (kinds.length !== 1) {
    throw new StepFailure(
      'InvalidScript',
      kinds.length
        ? `${where} carries several actions (${kinds.join(', ')})`
        : `${where} carries no action`,
    );
  }
  const action = actionOf(kinds[0], step[kinds[0]]);
  if (!action) {
    throw new StepFailure(
      'InvalidScript',
      `${where} has a malformed ${kinds[0]} action`,
    );
  }
  if (
    step.onDenied !== undefined &&
    !['fail', 'continue'].includes(step.onDenied as string)
  ) {
    throw new StepFailure(
      'InvalidScript',
      `${where} has an unknown onDenied '${String(step.onDenied)}'`,
    );
  }
  return {
    action,
    onDenied: step.onDenied === 'continue' ? 'continue' : 'fail',
  };
}
