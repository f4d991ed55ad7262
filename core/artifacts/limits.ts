// Extraction limits (settings fluxOci.pull.maxBytes / fluxOci.pull.maxFiles map here) and their defaults.
// Pure values and validation only; enforcement lives in safe-extract.ts.

export interface ExtractLimits {
  /** Most uncompressed bytes of file content an archive may expand to. */
  maxBytes: number;
  /** Most entries (files, directories, links) an archive may hold. */
  maxFiles: number;
}

export const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;
export const DEFAULT_MAX_FILES = 10_000;
/** Ceiling for one pax extended header or GNU long name record; real ones are a few hundred bytes. */
export const MAX_METADATA_RECORD_BYTES = 1024 * 1024;

export const DEFAULT_LIMITS: Readonly<ExtractLimits> = Object.freeze({
  maxBytes: DEFAULT_MAX_BYTES,
  maxFiles: DEFAULT_MAX_FILES,
});

function positiveInteger(value: number | undefined, fallback: number): number {
  if (value === undefined || !Number.isFinite(value) || value <= 0) return fallback;
  return Math.floor(value);
}

/** Fills missing or nonsensical (≤ 0, NaN) limits with the defaults. */
export function resolveLimits(partial?: Partial<ExtractLimits>): ExtractLimits {
  return {
    maxBytes: positiveInteger(partial?.maxBytes, DEFAULT_MAX_BYTES),
    maxFiles: positiveInteger(partial?.maxFiles, DEFAULT_MAX_FILES),
  };
}

/** "100 MB"-style size for messages. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}
