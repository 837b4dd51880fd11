export { FilterChoice } from './FilterChoice';
