// Asks for a secret on the terminal without echoing it (like sudo or ssh):
// only when both stdin and stderr are a TTY. The answer is never printed.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export function canPrompt(stdin: NodeJS.ReadStream = process.stdin, stderr: NodeJS.WriteStream = process.stderr): boolean {
  return stdin.isTTY === true && stderr.isTTY === true;
}

/** Reads one line from the terminal with echo off; resolves '' on end of input. */
export function promptHidden(question: string, stdin: NodeJS.ReadStream = process.stdin, stderr: NodeJS.WriteStream = process.stderr): Promise<string> {
  return new Promise((resolve) => {
    let muted = false;
    const output = new Writable({
      write(chunk, _enc, done) {
        if (!muted) stderr.write(chunk);
        done();
      },
    });
    const rl = createInterface({ input: stdin, output, terminal: true });
    let answered = false;
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      stderr.write('\n');
      resolve(answer);
    });
    muted = true;
    rl.on('close', () => {
      if (!answered) resolve('');
    });
  });
}
