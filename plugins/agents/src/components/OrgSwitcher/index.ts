export { OrgSwitcher, useSelectedOrg } from './OrgSwitcher';
export type { OrgSwitcherProps } from './OrgSwitcher';
