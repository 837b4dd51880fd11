import { WRITE_BACK_BODY_LIMIT } from '@krate/plugin-agents-common';
import { TARGETS } from '../../__testUtils__/artifactFixtures';
import {
  chooseTarget,
  initialWriteBackForm,
  WriteBackForm,
  writeBackProblems,
  writeBackRequestOf,
} from './writeBackForm';

const form = (overrides: Partial<WriteBackForm> = {}): WriteBackForm => ({
  ...chooseTarget(initialWriteBackForm('run-1', 'fix.patch'), TARGETS),
  ...overrides,
});

describe('writeBackForm', () => {
  it('starts on the first available target that opens pull requests', () => {
    expect(form()).toMatchObject({
      target: 'github',
      operation: 'pull-request',
      branch: 'agents/run-1',
      title: 'fix.patch',
    });
    expect(chooseTarget(form(), TARGETS, 'git')).toMatchObject({
      target: 'git',
      operation: 'branch',
    });
    expect(
      chooseTarget(
        initialWriteBackForm('run-1', 'x'),
        TARGETS.map(t => ({ ...t, available: false })),
      ),
    ).toMatchObject({ target: '', operation: undefined });
  });

  it.each([
    ['agents/..x', "The branch must not contain '..'"],
    ['-agents', "The branch must not start with '-'"],
    ['agents/ x', expect.stringMatching(/must not contain spaces/)],
    ['', 'The branch must be 1 to 200 characters'],
  ])('refuses the branch %j', (branch, problem) => {
    expect(writeBackProblems(form({ branch }))).toEqual({ branch: problem });
  });

  it('checks each operation’s own fields', () => {
    expect(writeBackProblems(form({ base: 'main..x' }))).toEqual({
      base: "The base must not contain '..'",
    });
    expect(writeBackProblems(form({ title: '  ' }))).toEqual({
      title: 'A pull request needs a title',
    });
    expect(
      writeBackProblems(form({ body: 'x'.repeat(WRITE_BACK_BODY_LIMIT + 1) })),
    ).toEqual({ body: `At most ${WRITE_BACK_BODY_LIMIT} characters` });
    expect(
      writeBackProblems(form({ operation: 'review', number: '1.5' })),
    ).toEqual({ number: 'The pull request number' });
    expect(
      writeBackProblems(
        form({ operation: 'issue-comment', number: '', branch: '-x' }),
      ),
    ).toEqual({ number: 'The issue number' });
    expect(
      writeBackProblems(form({ target: '', operation: undefined })),
    ).toEqual({ target: 'Choose a target', operation: 'Choose an operation' });
  });

  it('sends only the operation’s fields, leaving empty optional ones out', () => {
    expect(writeBackRequestOf(form())).toEqual({
      target: 'github',
      operation: 'pull-request',
      branch: 'agents/run-1',
      title: 'fix.patch',
    });
    expect(
      writeBackRequestOf(
        form({
          operation: 'review',
          number: ' 12 ',
          body: 'Nit: rename',
          reviewEvent: 'REQUEST_CHANGES',
        }),
      ),
    ).toEqual({
      target: 'github',
      operation: 'review',
      number: 12,
      body: 'Nit: rename',
      reviewEvent: 'REQUEST_CHANGES',
    });
    expect(
      writeBackRequestOf(form({ target: 'git', operation: 'branch' })),
    ).toEqual({ target: 'git', operation: 'branch', branch: 'agents/run-1' });
  });
});
