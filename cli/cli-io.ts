// The two output streams a CLI command writes to, passed in so tests can capture them.
// Commands never call process.stdout directly.
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}
