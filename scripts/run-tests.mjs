// Runs every test file under test/ (or the folders/files given) with node:test and tsx.
// Node 20's --test takes no globs, so the files are listed here; the summary is node:test's own.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(path, out) {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name === 'fixtures' || name === 'node_modules') continue;
      collect(join(path, name), out);
    }
  } else if (/\.test\.ts$/.test(path)) {
    out.push(path);
  }
  return out;
}

const args = process.argv.slice(2);
const roots = args.length ? args : ['test'];
const exclude = (process.env.FLUX_OCI_TEST_EXCLUDE ?? '').split(',').filter(Boolean);
const files = roots.flatMap((r) => collect(r, [])).filter((f) => !exclude.some((e) => f.startsWith(e)));
if (files.length === 0) {
  console.error('no test files found under', roots.join(' '));
  process.exit(2);
}
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(res.status ?? 1);
