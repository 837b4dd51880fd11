import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { agentsApiRef, MemorySearchAnswer } from '../../api';
import { countOf } from '../../lib/format';
import { MemoryFrame } from '../MemoryFrame';
import { ResolvedCommit, useMemoryPoint } from '../MemoryTimeTravel';
import { MemorySearchForm } from './MemorySearchForm';
import { MemorySearchResults } from './MemorySearchResults';
import { searchQueryOf, withSearchQuery } from './searchQueryParams';

/** How many results there are, how many were withheld, and whether the list was cut. */
const AnswerSummary = ({ answer }: { answer: MemorySearchAnswer }) => (
  <Typography variant="body2" aria-label="Search summary">
    {countOf(answer.results.length, 'result')}
    {answer.withheld > 0 &&
      ` · ${countOf(
        answer.withheld,
        'result',
      )} withheld (records you may not read)`}
    {answer.truncated && ' · results cut: narrow the search to see the rest'}
  </Typography>
);

const MemorySearch = ({ org }: { org: string }) => {
  const agentsApi = useApi(agentsApiRef);
  const point = useMemoryPoint();
  const [searchParams, setSearchParams] = useSearchParams();
  const search = useMemo(() => searchQueryOf(searchParams), [searchParams]);
  const status = useAsync(
    () => agentsApi.getMemoryStatus(org, point),
    [agentsApi, org, point],
  );
  const answer = useAsyncRetry(
    async () =>
      search ? agentsApi.searchMemory(org, search, point) : undefined,
    [agentsApi, org, point, search],
  );

  let results;
  if (!search) {
    results = (
      <EmptyState
        missing="info"
        title="Search the memory"
        description="Every match is a line of a record, cited at the commit it was read at."
      />
    );
  } else if (answer.error) {
    results = (
      <ResponseErrorPanel
        title={`Could not search the memory of ${org}`}
        error={answer.error}
      />
    );
  } else if (answer.loading || !answer.value) {
    // For one render after the search changes the hook still holds no value and no error.
    results = <Progress />;
  } else {
    results = (
      <>
        <Box mb={1}>
          <AnswerSummary answer={answer.value} />
        </Box>
        {answer.value.results.length === 0 ? (
          <EmptyState
            missing="data"
            title="No matches"
            description="Try other words, Ignore case, or fewer kinds."
          />
        ) : (
          <Paper>
            <MemorySearchResults org={org} answer={answer.value} />
          </Paper>
        )}
      </>
    );
  }

  // The answer's commit once there is one: the head may have moved since the status was read.
  const resolved = answer.value?.resolved ?? status.value?.resolved;
  return (
    <>
      {resolved && (
        <Box mb={2}>
          <ResolvedCommit resolved={resolved} />
        </Box>
      )}
      <Box mb={2}>
        <MemorySearchForm
          search={search}
          kinds={status.value?.ontology.nodeKinds ?? []}
          onSearch={next =>
            setSearchParams(withSearchQuery(searchParams, next))
          }
        />
      </Box>
      {results}
    </>
  );
};

/** Searches an org's memory at one commit: excerpts with citations, hidden matches counted. */
export const MemorySearchPage = () => (
  <MemoryFrame title="Memory search">
    {org => <MemorySearch org={org} />}
  </MemoryFrame>
);
