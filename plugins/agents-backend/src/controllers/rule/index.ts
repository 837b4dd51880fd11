export {
  TriggerRuleController,
  TRIGGER_RULE_INPUT_KINDS,
} from './TriggerRuleController';
export type { TriggerRuleControllerOptions } from './TriggerRuleController';
