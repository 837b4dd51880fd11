export { RegistryListPage } from './RegistryListPage';
export type { RegistryListPageProps } from './RegistryListPage';
export { RegistryDetailPage } from './RegistryDetailPage';
export type { RegistryDetailPageProps } from './RegistryDetailPage';
export type { RegistryColumn } from './RegistryTable';
export { StacksUsing } from './StacksUsing';
export { listsIn, namesIn } from './stacksUsing';
export { ConditionList } from './ConditionList';
export { NameChips } from './NameChips';
