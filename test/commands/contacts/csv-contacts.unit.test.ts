import { describe, expect, it } from 'vitest';
import { CsvFileRefused, readCsvContacts } from '../../../src/commands/contacts/csv-contacts.ts';

const read = (text: string | Buffer, limits = { maxBytes: 1024 * 1024, maxRows: 1000, maxErrors: 100 }) =>
  readCsvContacts(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, { defaultCountry: 'PK', limits });

async function refusal(text: string | Buffer, limits?: { maxBytes: number; maxRows: number; maxErrors: number }): Promise<string> {
  try {
    await read(text, limits);
  } catch (error) {
    if (error instanceof CsvFileRefused) return error.code;
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('reading a contacts CSV', () => {
  it('reads a header row, a BOM, CRLF, `;` delimiters and quoted fields with commas', async () => {
    const csv = '\uFEFFName;Phone;Company;Notes\r\n"Ali, Khan";0300 1234567;"Acme; Ltd";vip\r\nSara;+923011234567;;\r\n';
    const result = await read(csv);
    expect(result).toMatchObject({ hasHeader: true, delimiter: ';', rejected: 0 });
    expect(result.rows).toEqual([
      { line: 2, phone: '+923001234567', name: 'Ali, Khan', email: null, company: 'Acme; Ltd', timeZone: null, tags: [], attributes: { Notes: 'vip' } },
      { line: 3, phone: '+923011234567', name: 'Sara', email: null, company: null, timeZone: null, tags: [], attributes: {} },
    ]);
  });

  it('finds the phone column by name, whatever its place and case', async () => {
    for (const column of ['phone_number', 'PHONE', 'Number', 'msisdn', 'Mobile']) {
      const result = await read(`first_name,last_name,${column},city\nAli,Khan,03001234567,"Lahore, PK"\n`);
      expect(result.rows[0]).toMatchObject({ phone: '+923001234567', name: 'Ali Khan', attributes: { city: 'Lahore, PK' } });
    }
  });

  it('without a header, takes the first column as the phone and numbers the others', async () => {
    const result = await read('03001234567,Ali\n03011234567,Sara\n');
    expect(result.hasHeader).toBe(false);
    expect(result.rows.map((row) => [row.line, row.phone, row.attributes])).toEqual([
      [1, '+923001234567', { column_2: 'Ali' }],
      [2, '+923011234567', { column_2: 'Sara' }],
    ]);
  });

  it('reads email, company, time zone and tags, and reports bad rows by line while keeping the good ones', async () => {
    const csv = [
      'phone,name,email,timezone,tags',
      '03001234567,Ali,ali@example.com,asia/karachi,"vip|lead"',
      '12345,Bad,,,',
      '0300-1234567,Again,,,',
      '03021234567,Mail,not-an-email,,',
      '03031234567,Zone,,Mars/Olympus,',
      ',Nobody,,,',
    ].join('\n');
    const result = await read(csv);
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({ email: 'ali@example.com', timeZone: 'Asia/Karachi', tags: ['vip', 'lead'] });
    expect(result.rejected).toBe(5);
    expect(result.errors.map((error) => [error.line, error.reason])).toEqual([
      [3, 'invalid_number'],
      [4, 'duplicate_in_file'],
      [5, 'invalid_email'],
      [6, 'invalid_time_zone'],
      [7, 'missing_number'],
    ]);
    expect(result.errors[1]!.message).toContain('line 2');
  });

  it('lists only the first errors but counts them all', async () => {
    const csv = ['phone', '03001234567', ...Array.from({ length: 30 }, () => '12')].join('\n');
    const result = await read(csv, { maxBytes: 1 << 20, maxRows: 1000, maxErrors: 10 });
    expect(result.errors).toHaveLength(10);
    expect(result.rejected).toBe(30);
  });

  it('lets a screen refuse numbers (the do-not-call hook)', async () => {
    const result = await readCsvContacts(Buffer.from('03001234567\n03011234567\n'), {
      defaultCountry: 'PK',
      screen: (phone) => (phone === '+923011234567' ? 'do_not_call' : null),
    });
    expect(result.rows.map((row) => row.phone)).toEqual(['+923001234567']);
    expect(result.errors).toMatchObject([{ line: 2, reason: 'do_not_call' }]);
  });

  it('refuses whole files: empty, header only, no valid row, binary, not UTF-8, malformed, too large, too many rows', async () => {
    expect(await refusal('')).toBe('CSV_EMPTY');
    expect(await refusal('\uFEFF\r\n \r\n')).toBe('CSV_EMPTY');
    expect(await refusal('phone,name\n')).toBe('CSV_EMPTY');
    expect(await refusal('phone\n123\nabc\n')).toBe('CSV_NO_VALID_ROWS');
    expect(await refusal(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]))).toBe('CSV_NOT_TEXT');
    expect(await refusal(Buffer.from([0x70, 0x68, 0x6f, 0x6e, 0x65, 0x0a, 0xff, 0xfe, 0x31]))).toBe('CSV_NOT_TEXT');
    expect(await refusal('phone\n"03001234567\n')).toBe('CSV_MALFORMED');
    expect(await refusal('03001234567\n'.repeat(100), { maxBytes: 100, maxRows: 1000, maxErrors: 10 })).toBe('CSV_TOO_LARGE');
    const rows = Array.from({ length: 11 }, (_, i) => `0300${(1_234_500 + i).toString()}`).join('\n');
    expect(await refusal(rows, { maxBytes: 1 << 20, maxRows: 10, maxErrors: 10 })).toBe('CSV_TOO_MANY_ROWS');
    expect((await read(rows, { maxBytes: 1 << 20, maxRows: 11, maxErrors: 10 })).rows).toHaveLength(11);
  });
});
