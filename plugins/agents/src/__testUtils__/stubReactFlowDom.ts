/**
 * Gives jsdom what React Flow measures the page with (ResizeObserver, DOMMatrixReadOnly, element
 * sizes, SVG boxes), so that it draws nodes and edges in tests. Call it in `beforeAll` of a suite
 * that renders a graph and call what it returns in `afterAll`: the stubs change globals.
 */
export function stubReactFlowDom(): () => void {
  class ResizeObserverStub {
    constructor(private readonly callback: ResizeObserverCallback) {}
    // Later, as browsers do: React Flow measures only once its own effects have run.
    observe(target: Element) {
      setTimeout(() =>
        this.callback(
          [{ target } as ResizeObserverEntry],
          this as unknown as ResizeObserver,
        ),
      );
    }
    unobserve() {}
    disconnect() {}
  }
  class DOMMatrixReadOnlyStub {
    readonly m22: number;
    constructor(transform?: string) {
      const scale = transform?.match(/scale\(([\d.]+)\)/)?.[1];
      this.m22 = scale === undefined ? 1 : Number(scale);
    }
  }
  const global = globalThis as Record<string, unknown>;
  const saved = {
    ResizeObserver: global.ResizeObserver,
    DOMMatrixReadOnly: global.DOMMatrixReadOnly,
    offsetWidth: Object.getOwnPropertyDescriptor(
      HTMLElement.prototype,
      'offsetWidth',
    ),
    offsetHeight: Object.getOwnPropertyDescriptor(
      HTMLElement.prototype,
      'offsetHeight',
    ),
    getBBox: (SVGElement.prototype as any).getBBox,
  };

  global.ResizeObserver = ResizeObserverStub;
  global.DOMMatrixReadOnly = DOMMatrixReadOnlyStub;
  Object.defineProperties(HTMLElement.prototype, {
    offsetWidth: {
      configurable: true,
      get(this: HTMLElement) {
        return parseFloat(this.style.width) || 1;
      },
    },
    offsetHeight: {
      configurable: true,
      get(this: HTMLElement) {
        return parseFloat(this.style.height) || 1;
      },
    },
  });
  (SVGElement.prototype as any).getBBox = () => ({
    x: 0,
    y: 0,
    width: 40,
    height: 12,
  });

  return () => {
    global.ResizeObserver = saved.ResizeObserver;
    global.DOMMatrixReadOnly = saved.DOMMatrixReadOnly;
    for (const key of ['offsetWidth', 'offsetHeight'] as const) {
      const descriptor = saved[key];
      if (descriptor)
        Object.defineProperty(HTMLElement.prototype, key, descriptor);
      else delete (HTMLElement.prototype as any)[key];
    }
    (SVGElement.prototype as any).getBBox = saved.getBBox;
  };
}
