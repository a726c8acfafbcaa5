import { CsvError, parse } from 'csv-parse/sync';
import { checkTimeZone } from '../../domain/account/validation.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { toE164 } from '../../domain/shared/phone.ts';

/**
 * Reads a CSV of people to call: contacts imports today, campaign uploads and the do-not-call list
 * later. The whole file is parsed and checked before anything is written, so a refused file
 * leaves nothing behind; bad rows are reported by line and the good ones still go through.
 *
 * What it copes with: a BOM, CRLF or LF, `,` `;` or tab delimiters (detected from the first line),
 * quoted fields with delimiters inside, and a header row or none. The phone column is found by
 * name, else it is the first column.
 */

export type CsvLimits = {
  readonly maxBytes: number;
  readonly maxRows: number;
  /** Row errors listed in full; the rest are only counted. */
  readonly maxErrors: number;
};

export const DEFAULT_CSV_LIMITS: CsvLimits = { maxBytes: 20 * 1024 * 1024, maxRows: 200_000, maxErrors: 100 };

export type CsvContactRow = {
  /** 1-based line of the file the row ends on. */
  readonly line: number;
  /** E.164. */
  readonly phone: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly company: string | null;
  readonly timeZone: string | null;
  readonly tags: string[];
  /** Every other non-empty column, by its header (or `column_<n>` without one). */
  readonly attributes: Record<string, string>;
};

export type CsvRowReason = 'missing_number' | 'invalid_number' | 'duplicate_in_file' | 'invalid_email' | 'invalid_time_zone' | (string & {});

export type CsvRowError = { readonly line: number; readonly phone: string; readonly reason: CsvRowReason; readonly message: string };

export type CsvContacts = {
  readonly rows: CsvContactRow[];
  /** The first `maxErrors` row errors. */
  readonly errors: CsvRowError[];
  /** Every refused row, listed or not. */
  readonly rejected: number;
  readonly hasHeader: boolean;
  readonly delimiter: string;
};

export type CsvContactsOptions = {
  readonly defaultCountry: string;
  readonly limits?: CsvLimits;
  /**
   * A last say on each valid, unique number: a reason (e.g. 'do_not_call') refuses the row.
   * The do-not-call list plugs in here.
   */
  readonly screen?: (phone: string) => string | null | Promise<string | null>;
};

const PHONE_COLUMNS = ['phone_number', 'phone', 'number', 'msisdn', 'mobile'];
const KNOWN_COLUMNS = new Set([
  ...PHONE_COLUMNS,
  'name',
  'full_name',
  'first_name',
  'last_name',
  'email',
  'company',
  'time_zone',
  'timezone',
  'tags',
]);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_ATTRIBUTES = 100;

export class CsvFileRefused extends DomainError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
    this.name = 'CsvFileRefused';
  }
}

const notText = () => new CsvFileRefused('CSV_NOT_TEXT', 'The file is not a text CSV file (it holds binary data or is not UTF-8).');

/** The file as UTF-8 text without its BOM; binary data or invalid UTF-8 is refused. */
function decodeText(input: Uint8Array): string {
  if (input.includes(0)) throw notText();
  try {
    // fatal: a byte sequence that is not UTF-8 throws instead of becoming U+FFFD.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input);
  } catch {
    throw notText();
  }
}

/** The delimiter the first line uses most, outside quotes. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (const char of text.slice(0, 64 * 1024)) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) {
      if ([...counts.values()].some((n) => n > 0)) break;
    } else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

const columnKey = (cell: string) => cell.trim().toLowerCase().replace(/[\s-]+/g, '_');

/** A header names a column we know, or holds no cell that could be a phone number. */
function looksLikeHeader(first: readonly string[]): boolean {
  if (first.some((cell) => KNOWN_COLUMNS.has(columnKey(cell)))) return true;
  return !first.some((cell) => (cell.match(/\d/g)?.length ?? 0) >= 5);
}

type Layout = {
  phone: number;
  name: number | null;
  firstName: number | null;
  lastName: number | null;
  email: number | null;
  company: number | null;
  timeZone: number | null;
  tags: number | null;
  attributes: Array<{ index: number; key: string }>;
};

function layoutOf(header: readonly string[] | null, width: number): Layout {
  const keys = header ? header.map(columnKey) : [];
  const find = (...names: string[]) => {
    for (const name of names) {
      const index = keys.indexOf(name);
      if (index !== -1) return index;
    }
    return null;
  };
  const layout: Layout = {
    phone: find(...PHONE_COLUMNS) ?? 0,
    name: find('name', 'full_name'),
    firstName: find('first_name'),
    lastName: find('last_name'),
    email: find('email'),
    company: find('company'),
    timeZone: find('time_zone', 'timezone'),
    tags: find('tags'),
    attributes: [],
  };
  const used = new Set(Object.values(layout).filter((value): value is number => typeof value === 'number'));
  const columns = Math.max(width, keys.length);
  for (let index = 0; index < columns && layout.attributes.length < MAX_ATTRIBUTES; index++) {
    if (used.has(index)) continue;
    const key = (header?.[index]?.trim() || `column_${index + 1}`).slice(0, 100);
    layout.attributes.push({ index, key });
  }
  return layout;
}

function parseRecords(text: string, delimiter: string, maxRecords: number): Array<{ record: string[]; line: number }> {
  try {
    const parsed = parse(text, {
      delimiter,
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      trim: true,
      to: maxRecords,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
    return parsed.map(({ record, info }) => ({ record, line: info.lines }));
  } catch (error) {
    if (error instanceof CsvError) {
      throw new CsvFileRefused('CSV_MALFORMED', `The CSV file cannot be read: ${error.message}`, { code: error.code, line: (error as { lines?: number }).lines ?? null });
    }
    throw error;
  }
}

/** Parses, validates and de-duplicates a contacts CSV. Throws CsvFileRefused for a file refused as a whole. */
export async function readCsvContacts(input: Uint8Array, options: CsvContactsOptions): Promise<CsvContacts> {
  const limits = options.limits ?? DEFAULT_CSV_LIMITS;
  if (input.byteLength > limits.maxBytes) {
    throw new CsvFileRefused('CSV_TOO_LARGE', `The file is larger than the limit of ${limits.maxBytes} bytes.`, { max_bytes: limits.maxBytes });
  }
  const text = decodeText(input);
  if (text.trim() === '') throw new CsvFileRefused('CSV_EMPTY', 'The file is empty.');

  const delimiter = detectDelimiter(text);
  // One record past the limit (and one for a header) is enough to know it is over.
  const records = parseRecords(text, delimiter, limits.maxRows + 2);
  if (records.length === 0) throw new CsvFileRefused('CSV_EMPTY', 'The file holds no rows.');
  const hasHeader = looksLikeHeader(records[0]!.record);
  const data = hasHeader ? records.slice(1) : records;
  if (data.length > limits.maxRows) {
    throw new CsvFileRefused('CSV_TOO_MANY_ROWS', `The file has more than the limit of ${limits.maxRows} rows.`, { max_rows: limits.maxRows });
  }
  if (data.length === 0) throw new CsvFileRefused('CSV_EMPTY', 'The file has a header but no rows.');

  const width = data.reduce((max, { record }) => Math.max(max, record.length), 0);
  const layout = layoutOf(hasHeader ? records[0]!.record : null, width);
  const rows: CsvContactRow[] = [];
  const errors: CsvRowError[] = [];
  let rejected = 0;
  const firstLineOf = new Map<string, number>();
  const refuse = (line: number, phone: string, reason: CsvRowReason, message: string) => {
    rejected++;
    if (errors.length < limits.maxErrors) errors.push({ line, phone, reason, message });
  };

  for (const { record, line } of data) {
    const cell = (index: number | null) => (index === null ? '' : (record[index] ?? '').trim());
    const rawPhone = cell(layout.phone);
    if (rawPhone === '') {
      refuse(line, '', 'missing_number', 'The row has no phone number.');
      continue;
    }
    let phone: string;
    try {
      phone = toE164(rawPhone, options.defaultCountry);
    } catch (error) {
      refuse(line, rawPhone, 'invalid_number', error instanceof Error ? error.message : 'Not a valid phone number.');
      continue;
    }
    const first = firstLineOf.get(phone);
    if (first !== undefined) {
      refuse(line, rawPhone, 'duplicate_in_file', `The number ${phone} is already on line ${first}.`);
      continue;
    }
    firstLineOf.set(phone, line);
    const email = cell(layout.email);
    if (email !== '' && !EMAIL.test(email)) {
      refuse(line, rawPhone, 'invalid_email', `"${email}" is not an email address.`);
      continue;
    }
    let timeZone: string | null = null;
    if (cell(layout.timeZone) !== '') {
      try {
        timeZone = checkTimeZone(cell(layout.timeZone));
      } catch {
        refuse(line, rawPhone, 'invalid_time_zone', `"${cell(layout.timeZone)}" is not an IANA time zone.`);
        continue;
      }
    }
    const screened = options.screen ? await options.screen(phone) : null;
    if (screened !== null) {
      refuse(line, rawPhone, screened, `The number ${phone} is refused: ${screened}.`);
      continue;
    }
    const name = cell(layout.name) || [cell(layout.firstName), cell(layout.lastName)].filter(Boolean).join(' ');
    const attributes: Record<string, string> = {};
    for (const { index, key } of layout.attributes) {
      const value = cell(index);
      if (value !== '') attributes[key] = value.slice(0, 1000);
    }
    rows.push({
      line,
      phone,
      name: name === '' ? null : name.slice(0, 200),
      email: email === '' ? null : email.slice(0, 320),
      company: cell(layout.company).slice(0, 200) || null,
      timeZone,
      tags: [...new Set(cell(layout.tags).split(/[|,;]/).map((tag) => tag.trim().slice(0, 50)).filter(Boolean))].slice(0, 50),
      attributes,
    });
  }
  if (rows.length === 0) {
    throw new CsvFileRefused('CSV_NO_VALID_ROWS', 'No row of the file holds a valid, new phone number.', { rejected, errors });
  }
  return { rows, errors, rejected, hasHeader, delimiter };
}
