// Process-tree helpers (Linux /proc): list a tree, stop it by PID, and sample its memory.
// Used to stop code-server together with the extension hosts it leaves behind (they linger for a
// reconnect grace period after the page closes, and were once seen orphaned), never by process name.
import fs from 'node:fs';

/** Map pid -> parent pid for every process visible in /proc. */
function parentMap() {
  const map = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // /proc/PID/stat: "pid (comm) state ppid ..."; comm may contain spaces or ')', so split after the last ')'.
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      map.set(Number(name), ppid);
    } catch { /* the process exited while we looked */ }
  }
  return map;
}

/** The PIDs of `root` and all its descendants (root first). */
export function processTree(root) {
  const parents = parentMap();
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  }
  return tree;
}

/** True while `pid` exists (and is not a zombie we could reap). */
export function alive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch { return false; }
}

/** The command line of a pid, for logs. */
export function cmdline(pid) {
  try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim().slice(0, 160); }
  catch { return '?'; }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves true when `exited` (the root's exit event) settles within `ms`, false otherwise. */
function within(exited, ms) {
  let timer;
  return Promise.race([exited.then(() => true), new Promise((r) => { timer = setTimeout(() => r(false), ms); })])
    .finally(() => clearTimeout(timer));
}

/**
 * Stops `root` and everything below it, by PID: the tree is listed first, the root gets SIGTERM
 * (code-server takes its children down with it), then leftovers from that list get SIGTERM and,
 * after `graceMs`, SIGKILL. Returns the PIDs that had to be killed individually.
 * `exited`: a promise settled by the root's `exit` event (when it is our child): the root's end is then
 * awaited as an event. Leftovers are not our children and give no event: their end is read from /proc.
 */
export async function stopTree(root, { graceMs = 5000, log = () => {}, exited } = {}) {
  const tree = processTree(root);
  const signal = (pid, sig) => { try { process.kill(pid, sig); } catch { /* already gone */ } };
  const gone = async (pids, ms) => {
    const end = Date.now() + ms;
    while (pids.some(alive) && Date.now() < end) await sleep(100);
  };
  signal(root, 'SIGTERM');
  if (exited) await within(exited, graceMs);
  else await gone([root], graceMs);
  const leftovers = tree.filter((pid) => pid !== root && alive(pid));
  for (const pid of leftovers) { log(`killing leftover pid ${pid}: ${cmdline(pid)}`); signal(pid, 'SIGTERM'); }
  await gone([root, ...leftovers], 2000);
  for (const pid of [root, ...leftovers]) if (alive(pid)) { log(`SIGKILL pid ${pid}`); signal(pid, 'SIGKILL'); }
  return leftovers;
}

/** Sum of Rss and Pss (kB) over the given pids, from /proc/PID/smaps_rollup. */
function memoryOf(pids) {
  let rss = 0, pss = 0;
  for (const pid of pids) {
    try {
      const text = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      rss += Number(/^Rss:\s+(\d+)/m.exec(text)?.[1] ?? 0);
      pss += Number(/^Pss:\s+(\d+)/m.exec(text)?.[1] ?? 0);
    } catch { /* exited */ }
  }
  return { rss, pss };
}

/**
 * Samples the peak memory of named process trees every `intervalMs`. `roots` maps a label to a root PID.
 * stop() returns { label: { rssMb, pssMb } } plus `systemUsedAboveStartMb` (MemTotal − MemAvailable growth).
 */
export function sampleMemory(roots, intervalMs = 500) {
  const peaks = new Map();
  const sysUsed = () => {
    const m = fs.readFileSync('/proc/meminfo', 'utf8');
    return Number(/^MemTotal:\s+(\d+)/m.exec(m)[1]) - Number(/^MemAvailable:\s+(\d+)/m.exec(m)[1]);
  };
  const base = sysUsed();
  let sysPeak = 0;
  const tick = () => {
    for (const [label, root] of Object.entries(roots)) {
      const { rss, pss } = memoryOf(processTree(root));
      const p = peaks.get(label) ?? { rss: 0, pss: 0 };
      peaks.set(label, { rss: Math.max(p.rss, rss), pss: Math.max(p.pss, pss) });
    }
    sysPeak = Math.max(sysPeak, sysUsed() - base);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      tick();
      const out = {};
      for (const [label, p] of peaks) out[label] = { rssMb: Math.round(p.rss / 1024), pssMb: Math.round(p.pss / 1024) };
      out.systemUsedAboveStartMb = Math.round(sysPeak / 1024);
      return out;
    },
  };
}
