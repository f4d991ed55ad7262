// Running a local sign-in program: output captured, a missing program and a hung one reported without their output.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runProgram } from '../../../../core/oci/credentials/run-program';

describe('runProgram', () => {
  it('passes stdin and returns exit code and output', async () => {
    const outcome = await runProgram(process.execPath, ['-e', 'process.stdin.on("data", (d) => process.stdout.write(String(d).toUpperCase())); process.stdin.on("end", () => process.exit(3))'], {
      stdin: 'server',
    });
    assert.deepEqual([outcome.code, outcome.stdout, outcome.problem], [3, 'SERVER', undefined]);
  });

  it('a program that is not on PATH is a problem, not a crash', async () => {
    const outcome = await runProgram('docker-credential-does-not-exist', ['get'], { env: { PATH: '/nonexistent' } });
    assert.equal(outcome.problem, 'docker-credential-does-not-exist is not on PATH');
  });

  it('a program that does not answer is killed after the timeout', async () => {
    const outcome = await runProgram(process.execPath, ['-e', 'console.log("secret-ish"); setInterval(() => {}, 1000)'], { timeoutMs: 300 });
    assert.match(outcome.problem ?? '', /did not answer within 300 ms$/);
    assert.doesNotMatch(outcome.problem ?? '', /secret-ish/);
  });
});
