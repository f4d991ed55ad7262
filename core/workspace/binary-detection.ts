// Decides whether file content is text worth validating: NUL bytes or invalid UTF-8 mean binary/foreign
// encoding and the file is skipped. Reads bytes or decoded text; never throws.

const SAMPLE_BYTES = 64 * 1024;
/** How much of a decoded text isProbablyBinaryText looks at (an edit past it cannot change the answer). */
export const TEXT_SAMPLE_CHARS = SAMPLE_BYTES;

/** True for content with NUL bytes or invalid UTF-8 in its first 64 KiB (for callers reading files). */
export function isProbablyBinary(buf: Uint8Array): boolean {
  const sample = buf.subarray(0, SAMPLE_BYTES);
  if (sample.includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.length < buf.length ? trimPartialSequence(sample) : sample);
    return false;
  } catch {
    return true;
  }
}

/** Drops an incomplete UTF-8 sequence cut off at the end of a sample. */
function trimPartialSequence(sample: Uint8Array): Uint8Array {
  let end = sample.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = sample[end - i];
    if ((b & 0xc0) === 0x80) continue;
    if (b >= 0xc0) end -= i;
    break;
  }
  return sample.subarray(0, end);
}

/** True for already-decoded text that came from a binary or non-UTF-8 file (NULs or many U+FFFD). */
export function isProbablyBinaryText(text: string): boolean {
  const sample = text.length > TEXT_SAMPLE_CHARS ? text.slice(0, TEXT_SAMPLE_CHARS) : text;
  if (sample.includes('\u0000')) return true;
  let replacements = 0;
  for (let i = 0; i < sample.length; i++) if (sample.charCodeAt(i) === 0xfffd) replacements++;
  return replacements > 8 && replacements * 50 > sample.length;
}
