export { ColumnHeads } from './ColumnHeads';
