export { RunAuditTrail } from './RunAuditTrail';
