import { TRIGGER_EVENT_TYPES } from '@krate/plugin-agents-common';
import { parseSampleEvent } from './parseSampleEvent';
import { sampleEventText } from './sampleEvents';

describe('parseSampleEvent', () => {
  it('takes a JSON object', () => {
    expect(parseSampleEvent('{ "label": { "name": "x" } }')).toEqual({
      event: { label: { name: 'x' } },
    });
  });

  it.each(['[1, 2]', 'null', '"text"', '42'])(
    'refuses %s, which is no object',
    text => {
      expect(parseSampleEvent(text)).toEqual({
        error: 'The sample event must be a JSON object',
      });
    },
  );

  it('says why malformed JSON cannot be read', () => {
    expect(parseSampleEvent('{ "label": ').error).toMatch(/^Not valid JSON: /);
  });

  it.each([...TRIGGER_EVENT_TYPES])(
    'reads the %s sample back as an object',
    source => {
      expect(parseSampleEvent(sampleEventText(source)).event).toBeInstanceOf(
        Object,
      );
    },
  );
});
