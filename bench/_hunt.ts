import { scenarioByName } from '../src/scenarios/registry.ts';
import { hunt } from '../src/sim/swarm.ts';
const name = process.argv[2]!;
const sc = scenarioByName(name)!;
for (const v of sc.variants) {
  const t = process.cpuUsage();
  const r = hunt(sc, v, { runs: Number(process.argv[3] ?? 100), seed: 1, all: true });
  const u = process.cpuUsage(t);
  console.log(name, v.name, 'actions', r.actions, 'cpu ms', ((u.user + u.system) / 1000).toFixed(0), 'actions/s', Math.round(r.actions / ((u.user + u.system) / 1e6)));
}
