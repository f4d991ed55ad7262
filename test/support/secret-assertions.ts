// Asserts that no secret value (password, token, key) appears in text a person or a log would see.
// Test-only; names the leaked secret by position, never prints it.
import assert from 'node:assert/strict';

export function assertNoSecrets(text: string, secrets: Iterable<string>, where = 'output'): void {
  let index = 0;
  for (const secret of secrets) {
    if (secret.length >= 6) assert.ok(!text.includes(secret), `secret #${index} appeared in the ${where}`);
    index++;
  }
}
