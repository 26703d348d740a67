/** `json.loads(bytes)`'s decoding step: `b.decode(json.detect_encoding(b), 'surrogatepass')` (CPython 3.13). */
import { describe, expect, test } from 'vitest';
import { decodeJsonBytes } from '../../../src/core/python/json_bytes';

describe('decodeJsonBytes', () => {
  test('UTF-8, with or without a BOM (one BOM is consumed, a second one stays)', () => {
    expect(decodeJsonBytes(Buffer.from('{"q":"é"}'))).toBe('{"q":"é"}');
    expect(decodeJsonBytes(Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toBe('{}');
    expect(decodeJsonBytes(Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toBe('\ufeff{}');
  });

  test('UTF-16 and UTF-32, from a BOM or from the zero bytes of ASCII text', () => {
    const text = '{"a":"x"}';
    expect(decodeJsonBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toBe(text);
    expect(decodeJsonBytes(Buffer.from(text, 'utf16le'))).toBe(text);
    expect(decodeJsonBytes(Buffer.from(text, 'utf16le').swap16())).toBe(text);
    const utf32le = Buffer.alloc(text.length * 4);
    [...text].forEach((c, i) => utf32le.writeUInt32LE(c.codePointAt(0) as number, i * 4));
    expect(decodeJsonBytes(utf32le)).toBe(text);
    expect(decodeJsonBytes(Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32le]))).toBe(text);
  });

  test('surrogatepass: an encoded surrogate decodes to a lone surrogate', () => {
    expect(decodeJsonBytes(Buffer.from([0x22, 0xed, 0xa0, 0xbd, 0x22]))).toBe('"\ud83d"');
  });

  test('bytes Python cannot decode give null (UnicodeDecodeError)', () => {
    expect(decodeJsonBytes(Buffer.from([0x7b, 0xff, 0x7d]))).toBeNull();
    expect(decodeJsonBytes(Buffer.from([0x63, 0x61, 0x66, 0xc3]))).toBeNull();
    expect(decodeJsonBytes(Buffer.from([0xc0, 0x80]))).toBeNull(); // overlong
    expect(decodeJsonBytes(Buffer.from([0x7b, 0x00, 0x7d, 0x00, 0x00]))).toBeNull(); // odd-length UTF-16
  });
});
