export { RunTranscript } from './RunTranscript';
