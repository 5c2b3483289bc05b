import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { descriptorWriter } from '../../../src/cli/stdio';

/** A stand-in for process.stdout that records what it is given. */
function recorder(): { stream: () => NodeJS.WritableStream; got: string[]; made: number } {
  const r = { got: [] as string[], made: 0, stream: () => {
    r.made++;
    return { write: (s: string | Uint8Array) => { r.got.push(Buffer.from(s).toString('utf8')); return true; } } as unknown as NodeJS.WritableStream;
  } };
  return r;
}

describe('cli/stdio (the report written to the descriptor)', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-lens-stdio-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('writes every byte, in order, without making the stream', () => {
    const file = path.join(tmp, 'out.txt');
    const fd = fs.openSync(file, 'w');
    const r = recorder();
    const write = descriptorWriter(fd, r.stream, 'linux');
    const long = 'é→'.repeat(100_000);
    write('first · line\n');
    write(long);
    fs.closeSync(fd);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), `first · line\n${long}`);
    assert.strictEqual(r.made, 0);
  });

  it('hands what the descriptor refuses, and all that follows, to the stream', () => {
    const fd = fs.openSync(path.join(tmp, 'x'), 'w');
    fs.closeSync(fd); // writing to it now fails (EBADF)
    const r = recorder();
    const write = descriptorWriter(fd, r.stream, 'linux');
    write('a');
    write('b');
    assert.deepStrictEqual(r.got, ['a', 'b']);
    assert.strictEqual(r.made, 1);
  });

  it('uses the stream throughout on Windows (its console takes UTF-16, not bytes)', () => {
    const r = recorder();
    const write = descriptorWriter(1, r.stream, 'win32');
    write('x·y');
    assert.deepStrictEqual(r.got, ['x·y']);
  });
});
