import { AgentStack, SESSION_STATES } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import { RuntimeInfo } from '../../api';
import { FilterChoice } from '../FilterChoice';

export const SESSION_FILTERS = [
  'namespace',
  'runtime',
  'stack',
  'state',
  'repository',
] as const;

export type SessionFilterValues = Partial<
  Record<(typeof SESSION_FILTERS)[number], string>
>;

export interface SessionFiltersProps {
  values: SessionFilterValues;
  /** Stacks of every org: the stack choices of the chosen org. */
  stacks: AgentStack[];
  runtimes: RuntimeInfo[];
  onChange: (values: SessionFilterValues) => void;
}

/** The session list's filters within the org of the switcher: runtime, stack and state. */
export const SessionFilters = ({
  values,
  stacks,
  runtimes,
  onChange,
}: SessionFiltersProps) => {
  const set = (key: keyof SessionFilterValues, value?: string) =>
    onChange({ ...values, [key]: value });
  const stackNames = [
    ...new Set(
      stacks
        .filter(
          s => !values.namespace || s.metadata.namespace === values.namespace,
        )
        .map(s => s.metadata.name),
    ),
  ].sort();
  // A runtime in the URL stays choosable even when this backend no longer registers it.
  const runtimeIds = [
    ...new Set([
      ...runtimes.map(r => r.id),
      ...(values.runtime ? [values.runtime] : []),
    ]),
  ].sort();

  return (
    <Box display="flex" flexWrap="wrap" gridGap={16} mb={2}>
      <FilterChoice
        idPrefix="sessions-filter"
        label="Runtime"
        value={values.runtime}
        options={runtimeIds}
        onChange={runtime => set('runtime', runtime)}
      />
      <FilterChoice
        idPrefix="sessions-filter"
        label="Stack"
        value={values.stack}
        options={stackNames}
        onChange={stack => set('stack', stack)}
      />
      <FilterChoice
        idPrefix="sessions-filter"
        label="State"
        value={values.state}
        options={[...SESSION_STATES]}
        onChange={state => set('state', state)}
      />
    </Box>
  );
};
