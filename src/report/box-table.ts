/**
 * A box-drawn text table. Cells wrap at their column's width; a cell equal to the one above it in
 * the first column is left blank, as in Trivy's tables, so one package's findings read as a group.
 */
export interface BoxTableOptions {
  headers: readonly string[];
  rows: ReadonlyArray<readonly string[]>;
  maxWidths?: readonly number[];
  /** Applied after layout, so escape codes never disturb alignment. */
  paint?: (text: string, row: number, column: number) => string;
  mergeFirstColumn?: boolean;
}

const visibleLength = (text: string) => [...text].length;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      let rest = word;
      while (visibleLength(rest) > width) {
        if (line) {
          lines.push(line);
          line = '';
        }
        lines.push([...rest].slice(0, width).join(''));
        rest = [...rest].slice(width).join('');
      }
      if (!line) line = rest;
      else if (visibleLength(line) + 1 + visibleLength(rest) <= width) line = `${line} ${rest}`;
      else {
        lines.push(line);
        line = rest;
      }
    }
    lines.push(line);
  }
  return lines;
}

export function renderBoxTable(options: BoxTableOptions): string {
  const { headers, rows } = options;
  const widths = headers.map((header, column) => {
    const longest = Math.max(visibleLength(header), ...rows.map((row) => visibleLength(row[column] ?? '')));
    return Math.max(visibleLength(header), Math.min(longest, options.maxWidths?.[column] ?? longest));
  });
  const rule = (left: string, middle: string, right: string) =>
    `${left}${widths.map((width) => '─'.repeat(width + 2)).join(middle)}${right}\n`;
  const line = (cells: string[][], rowIndex: number) => {
    const height = Math.max(...cells.map((cell) => cell.length));
    let out = '';
    for (let i = 0; i < height; i += 1) {
      const parts = cells.map((cell, column) => {
        const text = cell[i] ?? '';
        const padded = text + ' '.repeat((widths[column] ?? 0) - visibleLength(text));
        return rowIndex >= 0 && options.paint && text ? options.paint(padded, rowIndex, column) : padded;
      });
      out += `│ ${parts.join(' │ ')} │\n`;
    }
    return out;
  };
  const centre = (text: string, width: number) => {
    const space = width - visibleLength(text);
    return ' '.repeat(Math.floor(space / 2)) + text + ' '.repeat(Math.ceil(space / 2));
  };
  let out = rule('┌', '┬', '┐');
  out += line(
    headers.map((header, column) => [centre(header, widths[column] ?? 0)]),
    -1,
  );
  out += rule('├', '┼', '┤');
  rows.forEach((row, rowIndex) => {
    const previous = rowIndex > 0 ? rows[rowIndex - 1] : undefined;
    const sameGroup = options.mergeFirstColumn && previous !== undefined && previous[0] === row[0];
    if (rowIndex > 0 && !sameGroup) out += rule('├', '┼', '┤');
    const cells = row.map((cell, column) =>
      column === 0 && sameGroup ? [''] : wrap(cell, widths[column] ?? visibleLength(cell)),
    );
    out += line(cells, rowIndex);
  });
  out += rule('└', '┴', '┘');
  return out;
}
