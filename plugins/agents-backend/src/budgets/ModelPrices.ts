import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** Money and tokens of one cost report or running total. */
export interface Usage {
  usd: number;
  inputTokens: number;
  outputTokens: number;
}

interface ModelPrice {
  input: number;
  output: number;
}

/**
 * The organisation's model prices (`agents.budgets.modelPrices`): where a model has one, its
 * tokens cost that price, whatever the runtime reports; see docs/decisions.md.
 */
export class ModelPrices {
  static fromConfig(config: Config): ModelPrices {
    const prices = new Map<string, ModelPrice>();
    for (const [index, entry] of (
      config.getOptionalConfigArray('agents.budgets.modelPrices') ?? []
    ).entries()) {
      const where = `agents.budgets.modelPrices[${index}]`;
      const input = entry.getNumber('inputUsdPerMillionTokens');
      const output = entry.getNumber('outputUsdPerMillionTokens');
      if (!(input >= 0) || !(output >= 0)) {
        throw new InputError(`${where}: prices must be 0 or more`);
      }
      prices.set(entry.getString('model'), { input, output });
    }
    return new ModelPrices(prices);
  }

  constructor(private readonly prices = new Map<string, ModelPrice>()) {}

  has(model: string | undefined): boolean {
    return model !== undefined && this.prices.has(model);
  }

  /** The usage with its usd at the model's price, or as reported when the model has none. */
  priced(model: string | undefined, usage: Usage): Usage {
    const price = model === undefined ? undefined : this.prices.get(model);
    if (!price) return usage;
    return {
      ...usage,
      usd: roundUsd(
        (usage.inputTokens * price.input + usage.outputTokens * price.output) /
          1e6,
      ),
    };
  }
}

/** Micro-dollars: sums of many small reports stay exact enough and comparable. */
export function roundUsd(usd: number) {
  return Math.round(usd * 1e6) / 1e6;
}
