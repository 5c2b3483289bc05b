/**
 * CSV export of curves at full resolution, pure. Produced in chunks of rows so that a
 * 10,000,000-step curve never has to exist as one giant string.
 */

export interface CsvColumn {
  header: string;
  values: Float64Array;
}

export interface CsvInput {
  columns: CsvColumn[];
  /** Adds an `epoch` column (step / stepsPerEpoch) when known. */
  stepsPerEpoch: number | null;
}

/** Quotes a header cell when needed (RFC 4180). */
function cell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Shortest text that reads back as the same double; empty for NaN (a gap). */
function num(v: number): string {
  return Number.isNaN(v) ? '' : String(v);
}

/** Number of data rows: the longest column. */
export function csvRowCount(input: CsvInput): number {
  return input.columns.reduce((n, c) => Math.max(n, c.values.length), 0);
}

/**
 * Yields the CSV text in pieces: the header line first, then up to `rowsPerChunk` rows per
 * piece. Columns shorter than the longest one get empty cells. Lines end with `\n`.
 */
export function* csvChunks(input: CsvInput, rowsPerChunk = 50_000): Generator<string> {
  const epoch = input.stepsPerEpoch !== null && input.stepsPerEpoch > 0 ? input.stepsPerEpoch : null;
  const header = ['step', ...(epoch ? ['epoch'] : []), ...input.columns.map((c) => c.header)];
  yield header.map(cell).join(',') + '\n';
  const rows = csvRowCount(input);
  for (let start = 0; start < rows; start += rowsPerChunk) {
    const lines: string[] = [];
    const end = Math.min(rows, start + rowsPerChunk);
    for (let k = start; k < end; k++) {
      const cells = [String(k)];
      if (epoch) cells.push(String(k / epoch));
      for (const c of input.columns) cells.push(k < c.values.length ? num(c.values[k]) : '');
      lines.push(cells.join(','));
    }
    yield lines.join('\n') + '\n';
  }
}
