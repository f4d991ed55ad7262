// Turns failures of the custom requests into LSP errors with one readable sentence, and LSP cancellation into an
// AbortSignal for the core. Must not put stack traces or credentials into messages.
import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node';
import type { Logger } from './workspace-state';

export const REQUEST_FAILED = LSPErrorCodes.RequestFailed;

/** A failure the client shows as is. */
export function requestFailed(message: string): ResponseError<void> {
  return new ResponseError(REQUEST_FAILED, message);
}

export function requestCancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
}

/** Whether a request param is an LSP position (two non-negative integers). */
export function isPosition(value: unknown): value is { line: number; character: number } {
  if (typeof value !== 'object' || value === null) return false;
  const { line, character } = value as Record<string, unknown>;
  return Number.isInteger(line) && Number.isInteger(character) && (line as number) >= 0 && (character as number) >= 0;
}

/** The document and position of a request, or an LSP error that says what is missing. */
export function requireDocumentPosition(params: unknown): { uri: string; position: { line: number; character: number } } {
  const record = typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : {};
  if (typeof record.uri !== 'string' || record.uri === '') throw requestFailed('A document URI is required.');
  if (!isPosition(record.position)) throw requestFailed('A position ({ line, character } as non-negative integers) is required.');
  return { uri: record.uri, position: record.position };
}

/** An optional timeout param in seconds: undefined when absent, else a positive finite number or an LSP error. */
export function optionalTimeoutSeconds(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw requestFailed(`timeoutSeconds must be a positive number of seconds (got ${describeValue(value)}).`);
  }
  return value;
}

/** A short, safe rendering of a bad param for an error message (never the whole value). */
function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `the string "${value.length > 20 ? `${value.slice(0, 20)}…` : value}"`;
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** An AbortSignal that fires when the client cancels the request. */
export function signalFor(token: CancellationToken | undefined): AbortSignal {
  const controller = new AbortController();
  if (token?.isCancellationRequested) controller.abort();
  else token?.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

/** Wraps a custom request handler: ResponseErrors pass through, anything else becomes one logged sentence. */
export function failingClearly<P, R>(
  name: string,
  log: Logger,
  handler: (params: P, token: CancellationToken) => Promise<R>,
): (params: P, token: CancellationToken) => Promise<R | ResponseError<void>> {
  return async (params, token) => {
    try {
      return await handler(params, token);
    } catch (error) {
      if (error instanceof ResponseError) return error as ResponseError<void>;
      if (token.isCancellationRequested) return requestCancelled();
      const message = error instanceof Error ? error.message : String(error);
      log(`${name} failed: ${message}`);
      return requestFailed(message.endsWith('.') ? message : `${message}.`);
    }
  };
}
