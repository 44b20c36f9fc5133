import { describe, expect, it } from 'vitest';
import { checkRows } from './table-rows.ts';

describe('checking a file row by row', () => {
  const data = [['a', '1'], ['', '  '], ['b', 'x'], ['c', '3'], ['', ''], ['d', '-1']];
  const checked = () =>
    checkRows(data, (cells, row) => {
      const n = Number(cells[1]);
      if (!Number.isInteger(n)) row.bad(`"${cells[1]}" is not a whole number`);
      if (n < 0) row.bad('below zero');
      if (cells[0] === 'd') row.bad('d is not allowed');
      return row.failed ? undefined : { row: row.row, name: cells[0], n };
    });

  it('skips blank rows, numbers rows as the file does (header = 1), and names every reason of a bad row', () => {
    expect(checked()).toEqual({
      entries: [{ row: 2, name: 'a', n: 1 }, { row: 5, name: 'c', n: 3 }],
      problems: [{ row: 4, reason: '"x" is not a whole number' }, { row: 7, reason: 'below zero; d is not allowed' }],
      rowsTotal: 4,
    });
  });

  it('keeps no entry for a bad row even when the check builds one', () => {
    const r = checkRows([['ok'], ['bad']], (cells, row) => {
      if (cells[0] === 'bad') row.bad('bad');
      return cells[0];
    });
    expect(r).toEqual({ entries: ['ok'], problems: [{ row: 3, reason: 'bad' }], rowsTotal: 2 });
  });
});
