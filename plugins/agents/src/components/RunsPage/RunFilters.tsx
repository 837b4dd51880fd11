import {
  AgentStack,
  RUN_PHASES,
  RUN_SOURCE_KINDS,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import { useEffect, useState } from 'react';
import { FilterChoice } from '../FilterChoice';

export const RUN_FILTERS = [
  'namespace',
  'repository',
  'stack',
  'phase',
  'source',
] as const;

export type RunFilterValues = Partial<
  Record<(typeof RUN_FILTERS)[number], string>
>;

export interface RunFiltersProps {
  values: RunFilterValues;
  /** Stacks of every org: the stack choices of the chosen org. */
  stacks: AgentStack[];
  onChange: (values: RunFilterValues) => void;
}

/** The run list's filters within the org of the switcher: repository, stack, phase and source. */
export const RunFilters = ({ values, stacks, onChange }: RunFiltersProps) => {
  const [repository, setRepository] = useState(values.repository ?? '');
  useEffect(() => setRepository(values.repository ?? ''), [values.repository]);
  const set = (key: keyof RunFilterValues, value?: string) =>
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

  return (
    <Box display="flex" flexWrap="wrap" gridGap={16} mb={2}>
      <TextField
        label="Repository"
        placeholder="org/repository"
        value={repository}
        variant="outlined"
        size="small"
        InputLabelProps={{ shrink: true }}
        onChange={e => setRepository(e.target.value)}
        onBlur={() => set('repository', repository.trim() || undefined)}
        onKeyDown={e => {
          if (e.key === 'Enter')
            set('repository', repository.trim() || undefined);
        }}
      />
      <FilterChoice
        idPrefix="runs-filter"
        label="Stack"
        value={values.stack}
        options={stackNames}
        onChange={stack => set('stack', stack)}
      />
      <FilterChoice
        idPrefix="runs-filter"
        label="Phase"
        value={values.phase}
        options={[...RUN_PHASES]}
        onChange={phase => set('phase', phase)}
      />
      <FilterChoice
        idPrefix="runs-filter"
        label="Source"
        value={values.source}
        options={[...RUN_SOURCE_KINDS]}
        onChange={source => set('source', source)}
      />
    </Box>
  );
};
