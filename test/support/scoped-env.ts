// Sets process environment variables for the span of one async call and restores them afterwards, even on failure.
// Test-only: the CLI runs in-process and reads process.env (docker config, PATH for helpers, cloud SDK settings).

/** Spread into `withEnv`'s vars: every proxy variable (both spellings) removed. */
export const NO_PROXY_VARIABLES: Record<string, undefined> = {
  HTTPS_PROXY: undefined,
  https_proxy: undefined,
  HTTP_PROXY: undefined,
  http_proxy: undefined,
  NO_PROXY: undefined,
  no_proxy: undefined,
};

/** `undefined` removes a variable for the span of `work`. */
export async function withEnv<T>(vars: Record<string, string | undefined>, work: () => Promise<T>): Promise<T> {
  const saved = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(vars)) {
    saved.set(name, process.env[name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    return await work();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
