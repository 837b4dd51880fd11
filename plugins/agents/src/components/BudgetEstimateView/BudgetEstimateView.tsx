import { BudgetEstimate } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  estimateText,
  remainingText,
  scopeText,
  verdictText,
} from '../../lib/budgetText';

const SEVERITY = {
  allowed: 'success',
  refused: 'error',
  requiresApproval: 'warning',
} as const;

/**
 * What one more run is expected to cost, what each covering budget has left, and what the budgets
 * would do with it: shown in the composer, the rule dry-run and on the stack page.
 */
export const BudgetEstimateView = ({ budget }: { budget: BudgetEstimate }) => (
  <Box role="group" aria-label="Cost estimate">
    <Typography variant="body2" aria-label="Estimate">
      Estimated cost: {estimateText(budget.estimate)}
    </Typography>
    {budget.budgets.length > 0 && (
      <Box component="ul" m={0} pl={2.5} aria-label="Covering budgets">
        {budget.budgets.map(b => (
          <li key={`${b.namespace}/${b.name}`}>
            <Typography variant="body2">
              {b.name} ({scopeText(b.scope)}, last {b.window}):{' '}
              {remainingText(b.remaining)}
              {b.wouldExceed ? ' · this run would go over it' : ''}
            </Typography>
          </li>
        ))}
      </Box>
    )}
    <Box mt={1}>
      <Alert
        severity={SEVERITY[budget.verdict] ?? 'info'}
        aria-label="Budget verdict"
      >
        {verdictText(budget)}
      </Alert>
    </Box>
  </Box>
);
