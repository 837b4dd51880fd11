export { AgentsSearchResultListItem } from './AgentsSearchResultListItem';
export type { AgentsSearchResultListItemProps } from './AgentsSearchResultListItem';
