// The one rule for text a client sends, on every transport (HTTP, WebSocket,
// FHIR, CLI): no control characters. PostgreSQL refuses NUL outright (a 500 if
// it got that far) and the others have no business in a name, a reason or an
// identifier; a newline (and tab) are allowed only where a line break means
// something (a multi-line note).
import { z } from 'zod';

/** C0 controls, DEL and the C1 controls. */
const ANY_CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
/** The same, tab, line feed and carriage return excepted. */
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export const CONTROL_CHARACTER_MESSAGE = 'must not contain control characters';

export function hasControlCharacter(text: string, allowLineBreaks = false): boolean {
  return (allowLineBreaks ? CONTROL_BUT_LINE_BREAKS : ANY_CONTROL).test(text);
}

/** A single line of text: refused (naming its field) when it carries any control character. */
export function plainText(): z.ZodString {
  return z.string().refine((text) => !hasControlCharacter(text), CONTROL_CHARACTER_MESSAGE);
}

/** Text where a line break is meaningful: tab and newlines pass, other controls are refused. */
export function multiLineText(): z.ZodString {
  return z.string().refine((text) => !hasControlCharacter(text, true), CONTROL_CHARACTER_MESSAGE);
}
