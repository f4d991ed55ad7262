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

/** An AbortSignal that fires when the client cancels the request. */
export function signalFor(token: CancellationToken | undefined): AbortSignal {
  const controller = new AbortController();
  if (token?.isCancellationRequested) controller.abort();
  else token?.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

/** Wraps a custom request handler: ResponseErrors pass through, anything else becomes one logged sentence. */
export function failingClearly<P, R>(name: string, log: Logger, handler: (params: P, token: CancellationToken) => Promise<R>): (params: P, token: CancellationToken) => Promise<R | ResponseError<void>> {
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
