/**
 * A CSV file's rows, read from a stream of its bytes: decoded as contracts/csv-file.ts decides
 * (UTF-8, UTF-16 or Windows-1252; a workbook refused), split by the delimiter guessed from its
 * first rows, parsed by papaparse with backpressure, so a file of any size never sits in memory.
 * The import reads every file through here, whether it came as a request's body or from the
 * files bucket, and an upload's header is read by the same rules (headerOfBytes).
 */
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { asciiLength, DELIMITER_SAMPLE, delimiterOf, eightBitEncoding, ENCODING_WINDOW, fileStart, headerOf, headText, type TextEncoding } from '../contracts/csv-file.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';

const refusal = (message: string) => new FieldValidationError([{ path: 'file', message }]);

/** The rows of the file, each an array of its cells as written (not trimmed). */
export async function* csvRows(bytes: Readable): AsyncGenerator<string[]> {
  const texts = decodedText(bytes)[Symbol.asyncIterator]();
  let sample = '';
  let ended = false;
  while (!ended && sample.length < DELIMITER_SAMPLE) {
    const next = await texts.next();
    if (next.done) ended = true;
    else sample += next.value;
  }
  // The first error of the decoding, which is what a broken file is refused for: the parser's
  // stream, ended by it, reports only that it was aborted.
  let failure: unknown;
  const text = Readable.from(
    (async function* () {
      try {
        if (sample) yield sample;
        if (ended) return;
        for (let next = await texts.next(); !next.done; next = await texts.next()) yield next.value;
      } catch (err) {
        failure = err;
        throw err;
      }
    })(),
  );
  const rows = text.pipe(Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter: delimiterOf(sample) }));
  // pipe() does not pass a source's error on: without this a broken read would hang the loop.
  text.once('error', (err) => rows.destroy(err));
  try {
    yield* rows as AsyncIterable<string[]>;
  } catch (err) {
    throw failure ?? err;
  } finally {
    text.destroy();
    rows.destroy();
  }
}

/** The header row from the file's first bytes (an upload's, read with a range request). */
export function headerOfBytes(head: Uint8Array): string[] {
  const decoded = headText(head);
  if ('refused' in decoded) throw refusal(decoded.refused);
  return headerOf(decoded.text);
}

/**
 * The file as text, chunk by chunk. Until the encoding is known the ASCII read so far is passed
 * on (it reads the same in every candidate) and the rest is held, at most ENCODING_WINDOW bytes.
 * Text that starts as UTF-8 and has bytes further on that are not is refused there: the file
 * mixes encodings, and guessing would store some of its names broken.
 */
export async function* decodedText(bytes: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  let held: Uint8Array = new Uint8Array(0);
  let lines = 1; // the line the text passed on so far ends in
  let decoder: TextDecoder | undefined;
  let eightBit = false;

  const passed = (text: string) => {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
    return text;
  };
  const decode = (chunk: Uint8Array, stream: boolean) => {
    try {
      return passed(decoder!.decode(chunk, { stream }));
    } catch (err) {
      // Where it broke, as a line of the file: what was passed on, then the chunk up to its first undecodable bytes.
      const lenient = new TextDecoder(decoder!.encoding).decode(chunk);
      const line = lines + (lenient.slice(0, lenient.indexOf('\uFFFD')).match(/\n/g)?.length ?? 0);
      throw new FieldValidationError([{ path: 'file', message: `is not ${decoder!.encoding.toUpperCase()} throughout (line ${line.toLocaleString('en')} is not): save it again as "CSV UTF-8" and import that` }], { cause: err });
    }
  };
  /** Decides what can be with what is held; answers the text it lets out. */
  const decide = (complete: boolean): string => {
    if (!eightBit) {
      const start = fileStart(held, complete);
      if (!start) return '';
      if ('refused' in start) throw refusal(start.refused);
      if ('encoding' in start) return use(start.encoding, start.bom);
      eightBit = true;
    }
    const ascii = asciiLength(held);
    let out = '';
    if (ascii > 0) {
      out = passed(new TextDecoder().decode(held.subarray(0, ascii)));
      held = held.slice(ascii);
    }
    if (held.length === 0) return out;
    if (held.length < ENCODING_WINDOW && !complete) return out;
    return out + use(eightBitEncoding(held), 0);
  };
  const use = (encoding: TextEncoding, bom: number): string => {
    // Windows-1252 maps every byte; a UTF decoder is strict, so damage is refused, not stored.
    decoder = new TextDecoder(encoding, { fatal: encoding !== 'windows-1252', ignoreBOM: true });
    const rest = held.subarray(bom);
    held = new Uint8Array(0);
    return decode(rest, true);
  };

  for await (const raw of bytes) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    if (decoder) {
      const text = decode(chunk, true);
      if (text) yield text;
      continue;
    }
    held = concat(held, chunk);
    const text = decide(false);
    if (text) yield text;
  }
  const text = decoder ? '' : decide(true);
  const last = decoder ? decode(new Uint8Array(0), false) : '';
  if (text + last) yield text + last;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
