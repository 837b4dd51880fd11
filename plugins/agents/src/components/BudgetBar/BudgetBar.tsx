import { BudgetState } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import {
  budgetUsage,
  remainingText,
  scopeText,
  spentOfLimitText,
} from '../../lib/budgetText';

export interface BudgetBarProps {
  budget: BudgetState;
  /** Instead of the budget's name, e.g. a link. */
  title?: ReactNode;
}

/** One budget: spent of its limit as a bar, over which window, what is left and whether it is spent. */
export const BudgetBar = ({ budget, title }: BudgetBarProps) => {
  const usage = budgetUsage(budget);
  const percent = Math.round(usage * 100);
  return (
    <Box
      mb={1.5}
      role="group"
      aria-label={`Budget ${budget.namespace}/${budget.name}`}
    >
      <Box display="flex" justifyContent="space-between" gridGap={8}>
        <Typography variant="body2">
          {title ?? budget.name} · {scopeText(budget.scope)} · last{' '}
          {budget.window}
        </Typography>
        <Typography
          variant="body2"
          color={budget.exceeded ? 'error' : 'textSecondary'}
        >
          {budget.exceeded ? 'exceeded' : `${percent}%`}
        </Typography>
      </Box>
      <LinearProgress
        variant="determinate"
        value={Math.min(100, percent)}
        color={budget.exceeded || usage >= 0.8 ? 'secondary' : 'primary'}
        aria-label={`${budget.name} spent ${percent}%`}
      />
      <Typography variant="caption" color="textSecondary">
        {spentOfLimitText(budget)} · {remainingText(budget.remaining)} ·{' '}
        {budget.onExceed === 'refuse'
          ? 'refuses dispatches over it'
          : 'asks for an approval over it'}
        {budget.hardCap ? ' · stops running attempts' : ''}
      </Typography>
    </Box>
  );
};
