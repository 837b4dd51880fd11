export { recordingRootLogger } from './recordingRootLogger';
export { recordingNotifications } from './recordingNotifications';
export { RecordingClient } from './RecordingClient';
export type { RecordedResponse } from './RecordingClient';
export { databaseRows } from './databaseRows';
export { filesUnder } from './filesUnder';
