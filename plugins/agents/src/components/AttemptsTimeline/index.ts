export { AttemptsTimeline } from './AttemptsTimeline';
