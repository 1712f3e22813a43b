/** Reading the CSV files of `infoscope estimate`: numbers only, one sample per row, an optional header. */
import { readFileSync } from 'node:fs';
import type { Samples } from '../../probes/estimators/types.js';
import { UserError } from '../core/errors.js';

export function readCsvMatrix(path: string, what: string): Samples {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserError(`cannot read ${what} file ${path}`);
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new UserError(`${what} file ${path} is empty`);
  const cells = (l: string) => l.split(',').map((c) => c.trim());
  let start = 0;
  // a first row with any non-numeric cell is a header
  if (cells(lines[0]).some((c) => c === '' || !Number.isFinite(Number(c)))) start = 1;
  if (lines.length - start === 0) throw new UserError(`${what} file ${path} has a header but no data rows`);
  const d = cells(lines[start]).length;
  const n = lines.length - start;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = cells(lines[start + i]);
    const lineNo = start + i + 1;
    if (row.length !== d) throw new UserError(`${what} file ${path} line ${lineNo} has ${row.length} columns, expected ${d}`);
    for (let j = 0; j < d; j++) {
      const v = row[j] === '' ? NaN : Number(row[j]);
      if (!Number.isFinite(v)) throw new UserError(`${what} file ${path} line ${lineNo} column ${j + 1} is not a finite number: "${row[j]}"`);
      data[i * d + j] = v;
    }
  }
  return { n, d, data };
}

export function readCsvLabels(path: string, what: string): Int32Array {
  const m = readCsvMatrix(path, what);
  if (m.d !== 1) throw new UserError(`${what} file ${path} must have one column to be read as labels, it has ${m.d}`);
  const out = new Int32Array(m.n);
  for (let i = 0; i < m.n; i++) {
    if (!Number.isInteger(m.data[i])) throw new UserError(`${what} file ${path} line ${i + 1} is not an integer label: ${m.data[i]}`);
    out[i] = m.data[i];
  }
  return out;
}
