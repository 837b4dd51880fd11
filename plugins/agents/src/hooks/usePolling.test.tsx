import { act, renderHook, waitFor } from '@testing-library/react';
import { usePolling } from './usePolling';

describe('usePolling', () => {
  it('reads again on its interval and keeps the last value through a failure', async () => {
    let answer: number | Error = 1;
    const load = jest.fn(async () => {
      if (answer instanceof Error) throw answer;
      return answer;
    });
    const { result, unmount } = renderHook(() => usePolling(load, [], 30));

    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(result.current.value).toBe(1));
    answer = new Error('backend down');
    await waitFor(() =>
      expect(result.current.error?.message).toBe('backend down'),
    );
    expect(result.current.value).toBe(1);
    answer = 3;
    await waitFor(() => expect(result.current.value).toBe(3));
    expect(result.current.error).toBeUndefined();
    unmount();
  });

  it('starts over when a dependency changes, and reads on refresh without an interval', async () => {
    let count = 0;
    const load = async (key: string) => `${key}-${++count}`;
    const { result, rerender } = renderHook(
      ({ key }) => usePolling(() => load(key), [key]),
      { initialProps: { key: 'a' } },
    );
    await waitFor(() => expect(result.current.value).toBe('a-1'));
    await act(async () => result.current.refresh());
    await waitFor(() => expect(result.current.value).toBe('a-2'));

    rerender({ key: 'b' });
    expect(result.current.value).toBeUndefined();
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(result.current.value).toBe('b-3'));
  });
});
