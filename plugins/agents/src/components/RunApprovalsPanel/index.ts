export { RunApprovalsPanel } from './RunApprovalsPanel';
