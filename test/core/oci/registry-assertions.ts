// Assertions shared by the registry client tests: a promise must reject with a RegistryError of a given code.
import assert from 'node:assert/strict';
import { RegistryError } from '../../../core/oci/errors';

/** Awaits `promise`, asserts it rejected with a RegistryError of `code`, and returns that error for further checks. */
export async function rejectsWith(promise: Promise<unknown>, code: string): Promise<RegistryError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RegistryError, `expected RegistryError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected a RegistryError ${code}`);
}
