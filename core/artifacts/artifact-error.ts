// The one error shape of the pull/inspect engine: a stable code, the entry it concerns, one sentence.
// Internals throw ArtifactError; public entry points turn it into an `ArtifactProblem` value. Never holds credentials.

export type ArtifactErrorCode =
  | 'unsafe-path'
  | 'link-outside-root'
  | 'link-target-missing'
  | 'special-file'
  | 'unsupported-entry'
  | 'entry-conflict'
  | 'too-many-files'
  | 'too-many-bytes'
  | 'corrupt-archive'
  | 'truncated-archive'
  | 'digest-mismatch'
  | 'size-mismatch'
  | 'invalid-digest'
  | 'invalid-manifest'
  | 'no-matching-layer'
  | 'not-extractable'
  | 'cancelled'
  | 'registry'
  | 'io';

/** A problem as a plain value: what the UI, the CLI and the tests look at. */
export interface ArtifactProblem {
  code: ArtifactErrorCode;
  /** One sentence for a person, naming the archive entry or digest concerned. */
  message: string;
  /** The archive entry the problem is about, when there is one. */
  entry?: string;
}

export class ArtifactError extends Error {
  readonly code: ArtifactErrorCode;
  readonly entry?: string;
  constructor(code: ArtifactErrorCode, message: string, entry?: string) {
    super(message);
    this.name = 'ArtifactError';
    this.code = code;
    this.entry = entry;
  }
}

export type ArtifactResult<T> = { ok: true; value: T } | { ok: false; problem: ArtifactProblem };

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: unknown }).code === 'ABORT_ERR');
}

/** Turns anything thrown inside the engine into a problem value with a readable message. */
export function toArtifactProblem(error: unknown, signal?: AbortSignal): ArtifactProblem {
  if (error instanceof ArtifactError) {
    return error.entry === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, entry: error.entry };
  }
  if (signal?.aborted || isAbort(error)) return { code: 'cancelled', message: 'The pull was cancelled.' };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'io', message: message.endsWith('.') ? message : `${message}.` };
}

/** Throws the standard cancellation error when the signal has fired. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ArtifactError('cancelled', 'The pull was cancelled.');
}
