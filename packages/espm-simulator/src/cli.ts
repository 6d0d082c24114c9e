// `npm run simulator -- --port 8080`: starts the simulator and prints where it listens.
import { parseCliArgs, USAGE } from './cli-args.ts';
import { startSimulator } from './index.ts';

let options;
try {
  options = parseCliArgs(process.argv.slice(2));
} catch (e) {
  console.error(`${(e as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
const sim = await startSimulator(options);
console.log(`ESPM simulator listening on ${sim.url}`);
console.log(`  same services under        ${sim.testUrl}`);
console.log(`  customer page              ${sim.customerPageUrl}`);
console.log(`  control API                ${sim.origin}/sim/ (state, reset, faults, requests)`);
console.log(`  provider                   ${sim.provider.username} (account ${sim.providerAccountId})`);

let closing = false;
const stop = async (): Promise<void> => {
  if (closing) return;
  closing = true;
  await sim.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
