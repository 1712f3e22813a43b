/** Reading the CSV files of `infoscope estimate`: numbers only, one sample per row, an optional header. */
import type { Samples } from '../../probes/estimators/types.js';
import { UserError } from '../core/errors.js';
import { readText } from '../core/files.js';

/** Largest |label|: labels are stored as 32-bit integers, and anything larger would wrap silently. */
const MAX_LABEL = 2 ** 31 - 1;

export function readCsvMatrix(path: string, what: string): Samples {
  return parseCsv(path, what).samples;
}

/** A plain decimal number: digits with an optional point and exponent (no hex, no "Infinity", no comma). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseCsv(path: string, what: string): { samples: Samples; firstLine: number } {
  const text = readText(path, `${what} file`, UserError);
  // rows keep their line numbers: a blank line inside the data is an error, never skipped (skipping
  // it would pair every later row with the wrong partner); blank lines at the end are ignored
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) throw new UserError(`${what} file ${path} is empty`);
  const cells = (l: string) => l.split(',').map((c) => c.trim());
  let start = 0;
  // a first row is a header only when no cell of it is a number: a row with a typo stays data (and is reported)
  const numeric = (c: string) => DECIMAL.test(c);
  if (!cells(lines[0]).some(numeric)) start = 1;
  if (lines.length - start === 0) throw new UserError(`${what} file ${path} has a header but no data rows`);
  const d = cells(lines[start]).length;
  const n = lines.length - start;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const lineNo = start + i + 1;
    if (lines[start + i].trim() === '') throw new UserError(`${what} file ${path} line ${lineNo} is blank: a missing row would pair every later row with the wrong partner; fill it or remove the row from both files`);
    const row = cells(lines[start + i]);
    if (row.length !== d) throw new UserError(`${what} file ${path} line ${lineNo} has ${row.length} columns, expected ${d}`);
    for (let j = 0; j < d; j++) {
      const c = row[j];
      if (!DECIMAL.test(c)) {
        const why = c === '' ? 'is empty' : /^[+-]?0[xXbBoO]/.test(c) ? `is not a decimal number: "${c}"` : `is not a finite number: "${c}"`;
        throw new UserError(`${what} file ${path} line ${lineNo} column ${j + 1} ${why}`);
      }
      const v = Number(c);
      if (!Number.isFinite(v)) throw new UserError(`${what} file ${path} line ${lineNo} column ${j + 1} is not a finite number: "${c}"`);
      data[i * d + j] = v;
    }
  }
  return { samples: { n, d, data }, firstLine: start + 1 };
}

export function readCsvLabels(path: string, what: string): Int32Array {
  const { samples: m, firstLine } = parseCsv(path, what);
  if (m.d !== 1) throw new UserError(`${what} file ${path} must have one column to be read as labels, it has ${m.d}`);
  const out = new Int32Array(m.n);
  for (let i = 0; i < m.n; i++) {
    const v = m.data[i];
    if (!Number.isInteger(v)) throw new UserError(`${what} file ${path} line ${firstLine + i} is not an integer label: ${v}`);
    if (Math.abs(v) > MAX_LABEL) throw new UserError(`${what} file ${path} line ${firstLine + i} holds label ${v}, outside the integer range of labels (±${MAX_LABEL})`);
    out[i] = v;
  }
  return out;
}
