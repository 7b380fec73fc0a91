/** `opsim list`: the scenarios and their variants, one line each. */
import type { Scenario } from '../sim/scenario.ts';
import type { CliIo } from './io.ts';

export function listCommand(io: CliIo, scenarios: readonly Scenario[]): number {
  if (scenarios.length === 0) {
    io.out('no scenario is registered\n');
    return 0;
  }
  for (const scenario of scenarios) {
    for (const variant of scenario.variants) {
      io.out(`${scenario.name}  --variant ${variant.name}  ${variant.profile}  expect ${variant.expect}  ${variant.summary}\n`);
    }
  }
  return 0;
}
