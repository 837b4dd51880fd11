import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { QueryDraft } from './memorySelectionDraft';

const NEW_QUERY: Record<QueryDraft['type'], QueryDraft> = {
  search: {
    type: 'search',
    pattern: '',
    regex: false,
    ignoreCase: false,
    kinds: '',
  },
  graph: { type: 'graph', around: '', depth: 1, kinds: '' },
  record: { type: 'record', id: '' },
};

const LABELS: Record<QueryDraft['type'], string> = {
  search: 'Search',
  graph: 'Graph around a record',
  record: 'Record',
};

/** The memory queries a dispatch adds: grep-like searches, graph neighbourhoods, records. */
export const MemoryQueryEditor = ({
  queries,
  onChange,
}: {
  queries: QueryDraft[];
  onChange: (queries: QueryDraft[]) => void;
}) => {
  const update = (index: number, patch: Partial<QueryDraft>) =>
    onChange(
      queries.map((query, i) =>
        i === index ? ({ ...query, ...patch } as QueryDraft) : query,
      ),
    );
  return (
    <Box display="flex" flexDirection="column" gridGap={8}>
      {queries.map((query, index) => {
        const id = `memory-query-${index}`;
        return (
          <Box
            key={index}
            role="group"
            aria-label={`Memory query ${index + 1}`}
            display="flex"
            flexWrap="wrap"
            alignItems="center"
            gridGap={8}
          >
            <Typography variant="body2" style={{ minWidth: 150 }}>
              {LABELS[query.type]}
            </Typography>
            {query.type === 'search' && (
              <>
                <TextField
                  id={`${id}-pattern`}
                  label="Pattern"
                  size="small"
                  value={query.pattern}
                  onChange={e => update(index, { pattern: e.target.value })}
                />
                <FormControlLabel
                  control={
                    <Checkbox
                      checked={query.regex}
                      onChange={e => update(index, { regex: e.target.checked })}
                    />
                  }
                  label="Regex"
                />
                <FormControlLabel
                  control={
                    <Checkbox
                      checked={query.ignoreCase}
                      onChange={e =>
                        update(index, { ignoreCase: e.target.checked })
                      }
                    />
                  }
                  label="Ignore case"
                />
              </>
            )}
            {query.type === 'graph' && (
              <>
                <TextField
                  id={`${id}-around`}
                  label="Record id"
                  placeholder="services/payments-api"
                  size="small"
                  value={query.around}
                  onChange={e => update(index, { around: e.target.value })}
                />
                <TextField
                  id={`${id}-depth`}
                  label="Depth"
                  type="number"
                  size="small"
                  inputProps={{ min: 1, max: 5 }}
                  style={{ width: 80 }}
                  value={query.depth}
                  onChange={e =>
                    update(index, {
                      depth: Math.min(
                        5,
                        Math.max(1, Number(e.target.value) || 1),
                      ),
                    })
                  }
                />
              </>
            )}
            {query.type !== 'record' && (
              <TextField
                id={`${id}-kinds`}
                label="Kinds"
                placeholder="service, runbook"
                size="small"
                value={query.kinds}
                onChange={e => update(index, { kinds: e.target.value })}
              />
            )}
            {query.type === 'record' && (
              <TextField
                id={`${id}-id`}
                label="Record id"
                placeholder="services/payments-api"
                size="small"
                value={query.id}
                onChange={e => update(index, { id: e.target.value })}
              />
            )}
            <Button
              size="small"
              onClick={() => onChange(queries.filter((_, i) => i !== index))}
            >
              Remove
            </Button>
          </Box>
        );
      })}
      <Box display="flex" gridGap={8}>
        {(['search', 'graph', 'record'] as const).map(type => (
          <Button
            key={type}
            size="small"
            variant="outlined"
            onClick={() => onChange([...queries, NEW_QUERY[type]])}
          >
            Add {LABELS[type].toLowerCase()}
          </Button>
        ))}
      </Box>
    </Box>
  );
};
