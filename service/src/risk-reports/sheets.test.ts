import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { withoutFormulaGuard } from './import-preview.ts';
import { cellText, parseCsv, parseNumberCell, readXlsx, SheetReadError, writeCsv, writeXlsx } from './sheets.ts';

describe('register sheets: what people paste from Excel', { timeout: 30_000 }, () => {
  it('reads a BOM, semicolons, quoted separators and line breaks, CRLF and blank lines with row numbers kept', () => {
    const table = parseCsv('\uFEFFTitle ;Description\r\n"A; quoted";"two\r\nlines"\r\n\r\n  plain  ;"say ""hi"""\r\n');
    assert.deepEqual(table.header, ['Title', 'Description']);
    assert.equal(table.delimiter, ';');
    assert.deepEqual(table.rows, [['A; quoted', 'two\r\nlines'], [null], ['  plain  ', 'say "hi"']]);
  });

  it('detects commas and tabs, and refuses an unclosed quote or a binary file', () => {
    assert.equal(parseCsv('a,b\n1,2').delimiter, ',');
    assert.equal(parseCsv('a\tb\n1\t2').delimiter, '\t');
    assert.deepEqual(parseCsv('a,b\n1,2').rows, [['1', '2']]);
    assert.throws(() => parseCsv('a,b\n"1,2\n'), SheetReadError);
    assert.throws(() => parseCsv(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00])), /not a text file/);
    assert.throws(() => parseCsv('\n \n'), /no header row/);
  });

  it('reads numbers with a decimal comma only where the file uses semicolons', () => {
    assert.equal(parseNumberCell('2,5', ';'), 2.5);
    assert.equal(parseNumberCell('1.234,5', ';'), 1234.5);
    assert.equal(parseNumberCell('0.5', ';'), 0.5);
    assert.equal(parseNumberCell('1,234.5', ','), 1234.5);
    assert.equal(parseNumberCell(' 1 200 ', ','), 1200);
    assert.equal(parseNumberCell('12%', ','), null);
    assert.equal(parseNumberCell(7, null), 7);
  });

  it('reads the first sheet of a workbook: rich text, formulas by result, dates as ISO dates', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('S');
    sheet.addRow(['Name', 'Value', 'When']);
    sheet.addRow([{ richText: [{ text: 'Rich ' }, { text: 'text' }] }, { formula: '1+1', result: 2 }, new Date(Date.UTC(2026, 10, 20))]);
    const table = await readXlsx(Buffer.from(await workbook.xlsx.writeBuffer()));
    assert.deepEqual(table.header, ['Name', 'Value', 'When']);
    assert.equal(table.rows[0]![0], 'Rich text');
    assert.equal(table.rows[0]![1], 2);
    assert.equal(cellText(table.rows[0]![2]!), '2026-11-20');
    await assert.rejects(readXlsx(Buffer.from('Title\nx\n')), SheetReadError);
  });

  it('writes CSV that neutralises formulas and XLSX that reads back', async () => {
    const csv = writeCsv(['Title', 'Score'], [['=HYPERLINK("x")', 12]]);
    assert.equal(csv, `Title,Score\r\n"'=HYPERLINK(""x"")",12\r\n`);
    assert.deepEqual(parseCsv(csv).rows, [[`'=HYPERLINK("x")`, '12']]);
    // The import takes the guard off again, so the title round-trips as it was.
    assert.equal(withoutFormulaGuard(`'=HYPERLINK("x")`), '=HYPERLINK("x")');
    assert.equal(withoutFormulaGuard("'quoted on purpose"), "'quoted on purpose");
    const xlsx = await writeXlsx('Risks', [{ header: 'Title', width: 10 }], [['A risk'], [null]], { title: 't', created: new Date(0) });
    const back = await readXlsx(xlsx);
    assert.deepEqual(back.header, ['Title']);
    assert.deepEqual(back.rows[0], ['A risk']);
  });
});
