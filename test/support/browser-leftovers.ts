// Leftover checks for browser tests: is any process still running with a
// given profile folder in its command line, and does the folder still exist?
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Live (non-zombie) processes whose command line mentions the folder. */
export function processesUsing(dir: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes(dir))
    .filter((line) => !/^\s*\d+\s+Z/.test(line));
}

/** Wait (briefly) for processes to go: exited children linger as zombies or for a moment here. */
export async function settle(dir: string, ms = 5000): Promise<{ processes: string[]; folder: boolean }> {
  const end = Date.now() + ms;
  for (;;) {
    const processes = processesUsing(dir);
    const folder = existsSync(dir);
    if ((processes.length === 0 && !folder) || Date.now() > end) return { processes, folder };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The profile folder a launch logged ("… profile /tmp/wp401-chrome-…"). */
export function profileFromLog(lines: string[]): string | null {
  for (const l of lines) {
    const m = / profile (\S+)/.exec(l);
    if (m?.[1]) return m[1];
  }
  return null;
}
