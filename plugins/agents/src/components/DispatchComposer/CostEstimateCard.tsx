import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { agentsApiRef } from '../../api';
import { serverMessage } from '../../lib/serverMessage';
import { BudgetEstimateView } from '../BudgetEstimateView';

/** Typing pauses this long before the prompt is estimated again. */
export const ESTIMATE_DELAY_MS = 500;

export interface CostEstimateCardProps {
  namespace: string;
  stack: string;
  prompt: string;
}

/**
 * The cost of dispatching the form as it is (`POST /budgets/estimate`) and the covering budgets'
 * verdict, so a refusal or an approval wait is known before Dispatch.
 */
export const CostEstimateCard = ({
  namespace,
  stack,
  prompt,
}: CostEstimateCardProps) => {
  const agentsApi = useApi(agentsApiRef);
  const [settledPrompt, setSettledPrompt] = useState(prompt);
  useDebounce(() => setSettledPrompt(prompt), ESTIMATE_DELAY_MS, [prompt]);

  const estimate = useAsync(async () => {
    if (!namespace || !stack) return undefined;
    const text = settledPrompt.trim();
    return agentsApi.estimateBudget({
      namespace,
      stack,
      ...(text ? { prompt: text } : {}),
    });
  }, [agentsApi, namespace, stack, settledPrompt]);

  let body;
  if (!stack) {
    body = (
      <Typography variant="body2" color="textSecondary">
        Pick a stack to see what a run costs and the budget left.
      </Typography>
    );
  } else if (estimate.loading && !estimate.value) {
    body = <Progress />;
  } else if (estimate.error) {
    body = (
      <Alert severity="warning">
        Could not estimate the cost: {serverMessage(estimate.error)}
      </Alert>
    );
  } else if (estimate.value) {
    body = <BudgetEstimateView budget={estimate.value} />;
  }
  return <InfoCard title="Cost and budgets">{body}</InfoCard>;
};
