import { InfoCard, Link } from '@backstage/core-components';
import { AgentTriggerRule } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { matcherText, repositoriesText } from '../../lib/triggerRuleText';
import { DetailRow } from '../DetailRow';
import { RuleLifecycleChip } from '../RuleLifecycleChip';
import { CodeBlock } from '../CodeBlock';

/** The rule as written: what it listens to, what must match, and the run it dispatches. */
export const RuleOverview = ({ rule }: { rule: AgentTriggerRule }) => {
  const paths = useAgentsPaths();
  const { spec } = rule;
  const matchers = spec.matchers ?? [];
  return (
    <InfoCard title="Rule">
      <Box role="group" aria-label="Rule overview">
        {spec.description && (
          <Typography variant="body2" paragraph>
            {spec.description}
          </Typography>
        )}
        <DetailRow label="Lifecycle">
          <RuleLifecycleChip lifecycle={spec.lifecycle} />
        </DetailRow>
        <DetailRow label="Events">{spec.source.events.join(', ')}</DetailRow>
        <DetailRow label="Repositories">{repositoriesText(rule)}</DetailRow>
        {spec.source.schedule && (
          <DetailRow label="Schedule">
            <code>{spec.source.schedule}</code>
          </DetailRow>
        )}
        {spec.source.webhook && (
          <DetailRow label="Webhook">{spec.source.webhook}</DetailRow>
        )}
        <DetailRow label="Matchers">
          {matchers.length ? (
            <Box component="ul" m={0} pl={2} aria-label="Matchers">
              {matchers.map((matcher, index) => (
                <li key={index}>
                  <code>{matcherText(matcher)}</code>
                </li>
              ))}
            </Box>
          ) : (
            'none: every event of the sources matches'
          )}
        </DetailRow>
        <DetailRow label="Stack">
          <Link to={paths.stack(rule.metadata.namespace, spec.stack)}>
            {spec.stack}
          </Link>
        </DetailRow>
        <DetailRow label="Prompt template">
          {spec.promptTemplate ? (
            <CodeBlock label="Prompt template" wrap>
              {spec.promptTemplate}
            </CodeBlock>
          ) : (
            'none: the prompt is the event itself'
          )}
        </DetailRow>
        <DetailRow label="Context labels">
          {spec.contextLabels?.length ? spec.contextLabels.join(', ') : 'none'}
        </DetailRow>
        <DetailRow label="Dedupe key template">
          {spec.dedupeKeyTemplate ? (
            <code>{spec.dedupeKeyTemplate}</code>
          ) : (
            'none: deliveries never coalesce'
          )}
        </DetailRow>
        <DetailRow label="Concurrency">
          {spec.concurrency
            ? `${spec.concurrency.policy}${
                spec.concurrency.maxConcurrentRuns
                  ? ` · at most ${spec.concurrency.maxConcurrentRuns} concurrent runs`
                  : ''
              }`
            : 'not limited'}
        </DetailRow>
        <DetailRow label="Require approval">
          {spec.requireApproval
            ? 'yes: created runs wait for an approval'
            : 'no'}
        </DetailRow>
      </Box>
    </InfoCard>
  );
};
