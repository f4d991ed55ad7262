// `npm test`: the one command that runs every test from a fresh clone. Installs what is
// missing (scripts/setup-machine.sh), type-checks, lints (ESLint, Prettier), builds, then runs unit, LSP, registry and UI tests.
import { spawnSync } from 'node:child_process';

function run(cmd, args, opts = {}) {
  console.log(`\n▶ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`✖ ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

run('bash', ['scripts/setup-machine.sh']);
run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
run('npx', ['eslint', '.']);
run('npx', ['prettier', '--check', '.', '--log-level', 'warn']);
run('node', ['scripts/build.mjs']);
run('node', ['scripts/run-tests.mjs', ...process.argv.slice(2)]);
