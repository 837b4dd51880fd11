import {
  AgentDispatchRun,
  AgentTriggerRule,
  TriggerDryRunRequest,
} from '@krate/plugin-agents-common';
import { valueAt } from './renderTemplate';

type RunSource = NonNullable<AgentDispatchRun['spec']['source']>;

function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function webUrl(value: unknown): string | undefined {
  return typeof value === 'string' && /^https?:\/\//.test(value)
    ? value
    : undefined;
}

function numbered(kind: RunSource['kind'], item: unknown): RunSource {
  const number = text(valueAt(item, 'number'));
  const url = webUrl(valueAt(item, 'html_url'));
  return {
    kind,
    ...(number ? { name: number } : {}),
    ...(url ? { url } : {}),
  };
}

/**
 * What a run created from an event says started it: the issue or pull request the payload is
 * about (GitHub and Gitea payload shapes), the schedule or webhook, else the rule itself.
 */
export function runSource(
  rule: AgentTriggerRule,
  sample: TriggerDryRunRequest,
): RunSource {
  const { event } = sample;
  if (event.pull_request && typeof event.pull_request === 'object') {
    return numbered('pull-request', event.pull_request);
  }
  if (event.issue && typeof event.issue === 'object') {
    const isPullRequest = valueAt(event.issue, 'pull_request') !== undefined;
    return numbered(isPullRequest ? 'pull-request' : 'issue', event.issue);
  }
  if (sample.source === 'check') {
    const name = text(valueAt(event, 'check_run.name'));
    return { kind: 'check', ...(name ? { name } : {}) };
  }
  if (sample.source === 'schedule') {
    return { kind: 'schedule', name: rule.metadata.name };
  }
  if (sample.source === 'webhook') {
    return {
      kind: 'webhook',
      name: rule.spec.source.webhook ?? rule.metadata.name,
    };
  }
  return { kind: 'rule', name: rule.metadata.name };
}
