// A JSON text written as UTF-8 bytes into one reused buffer, then copied out
// at its exact length: the answer reaches the socket as a Buffer, whose length
// is its Content-Length, rather than as a string Node must measure and encode.
// Synchronous use only: one writer per module, emptied by start() and take().

// Ids, times and enums are made of these: copied as they are, the test costs a
// third of a JSON.stringify call; anything else is escaped by it.
const NOTHING_TO_ESCAPE = /^[A-Za-z0-9:+.\-]*$/;
const QUOTE = 0x22;

export class JsonBytes {
  private buffer = Buffer.allocUnsafe(16_384);
  private length = 0;

  /** Empty, whatever an interrupted text left (a throw between start() and take()). */
  start(): this {
    this.length = 0;
    return this;
  }

  /** Bytes already UTF-8 JSON (kept parts). */
  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Text the caller knows is ASCII (literals, JSON.stringify of a number). */
  ascii(text: string): void {
    this.reserve(text.length);
    // A loop: the texts are a few bytes, shorter than a call into Buffer.write costs.
    const { buffer } = this;
    let at = this.length;
    for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
    this.length = at;
  }

  /** A JSON string value. */
  string(text: string): void {
    if (NOTHING_TO_ESCAPE.test(text)) {
      this.reserve(text.length + 2);
      this.buffer[this.length++] = QUOTE;
      this.ascii(text);
      this.buffer[this.length++] = QUOTE;
    } else {
      const json = JSON.stringify(text);
      this.reserve(json.length * 3); // UTF-8 takes at most three bytes per UTF-16 unit
      this.length += this.buffer.write(json, this.length, 'utf8');
    }
  }

  /** The text written so far, as its own Buffer; the writer starts again empty. */
  take(): Buffer {
    const text = Buffer.allocUnsafe(this.length);
    this.buffer.copy(text, 0, 0, this.length);
    this.length = 0;
    return text;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.length + bytes));
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }
}
