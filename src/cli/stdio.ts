/**
 * The one-shot CLI's standard output: `fs.writeSync` on the descriptor rather than `process.stdout`, whose first
 * use builds a stream (its modules and a handle for the file, pipe or terminal): 2.6 ms of `lr-lens analyze`'s
 * start-up on Node 20 (best of 15, process.hrtime marks). Whatever the descriptor does not take at once — a
 * full non-blocking pipe (EAGAIN), a closed reader (EPIPE), any other error — goes from there on through the
 * stream, so the output and its errors are then exactly what `process.stdout` would have made of them.
 * On Windows the stream is used throughout (its console writes UTF-16, not the bytes).
 */
import * as fs from 'fs';

export function descriptorWriter(fd: number, stream: () => NodeJS.WritableStream, platform: NodeJS.Platform = process.platform): (s: string) => void {
  let fallback: NodeJS.WritableStream | undefined = platform === 'win32' ? stream() : undefined;
  return (s) => {
    if (fallback) {
      fallback.write(s);
      return;
    }
    const bytes = Buffer.from(s, 'utf8');
    let at = 0;
    try {
      while (at < bytes.length) at += fs.writeSync(fd, bytes, at, bytes.length - at);
    } catch {
      fallback = stream();
      fallback.write(bytes.subarray(at));
    }
  };
}
