/** Reports bytes as a transfer advances; `done` once at the end, whatever the outcome. */
export interface TransferProgress {
  start(label: string, totalBytes: number | undefined): void;
  advance(bytes: number): void;
  done(): void;
}

export const noProgress: TransferProgress = { start() {}, advance() {}, done() {} };

export interface ProgressBarOptions {
  readonly write: (text: string) => void;
  readonly columns?: number;
  readonly now?: () => number;
  /** Least time between redraws. */
  readonly intervalMs?: number;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/**
 * A one-line bar redrawn in place with a carriage return. Only for a terminal: the caller decides
 * (TTY, not --quiet, not --no-progress) and passes `noProgress` otherwise.
 */
export function progressBar(options: ProgressBarOptions): TransferProgress {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 100;
  let label = '';
  let total: number | undefined;
  let received = 0;
  let startedAt = 0;
  let drawnAt = 0;
  let active = false;
  const draw = () => {
    const seconds = Math.max((now() - startedAt) / 1000, 0.001);
    const rate = `${size(received / seconds)}/s`;
    const columns = Math.max(options.columns ?? 80, 40);
    if (total && total > 0) {
      const ratio = Math.min(received / total, 1);
      const text = ` ${size(received)} / ${size(total)} ${(ratio * 100).toFixed(0)}% ${rate}`;
      const width = Math.max(columns - label.length - text.length - 4, 10);
      const filled = Math.round(ratio * width);
      options.write(`\r${label} [${'='.repeat(filled)}${' '.repeat(width - filled)}]${text}`);
    } else {
      options.write(`\r${label} ${size(received)} ${rate}`);
    }
  };
  return {
    start(name, totalBytes) {
      label = name;
      total = totalBytes;
      received = 0;
      startedAt = now();
      drawnAt = 0;
      active = true;
      draw();
    },
    advance(bytes) {
      received += bytes;
      if (active && now() - drawnAt >= interval) {
        drawnAt = now();
        draw();
      }
    },
    done() {
      if (!active) return;
      active = false;
      draw();
      options.write('\n');
    },
  };
}
