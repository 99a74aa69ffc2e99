/**
 * C0 and C1 controls, DEL, and the Unicode marks that reorder or hide text (bidi overrides and
 * isolates, zero-width, line and paragraph separators): a terminal obeys them (ESC and CSI move
 * the cursor, OSC sets the title, BEL rings), so text a server wrote shows them as escapes instead.
 */

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

function escaped(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** One line of server-controlled text, safe to print: every control character visible as `\x1b`, `\u202e`, ... */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, escaped);
}

/** Several lines (a log tail): the line breaks kept, everything else escaped. */
export function escapeLines(text: string): string {
  return text.split("\n").map(escapeControl).join("\n");
}
