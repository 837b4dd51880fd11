/** The sample event the form holds, or why it cannot be sent. */
export type ParsedSampleEvent =
  | { event: Record<string, unknown>; error?: undefined }
  | { event?: undefined; error: string };

/** Parses the JSON the user wrote; the API takes only an object as the event. */
export function parseSampleEvent(text: string): ParsedSampleEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `Not valid JSON: ${(error as Error).message}` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { error: 'The sample event must be a JSON object' };
  }
  return { event: value as Record<string, unknown> };
}
