/**
 * absl's flags, as Google's and DeepMind's training scripts declare their settings (pytorch-ddpm, JAX/optax code):
 * `flags.DEFINE_float('lr', 2e-4, '…')` declares `--lr` with its default, `FLAGS = flags.FLAGS` and `FLAGS.lr` read it
 * once `app.run(main)` has parsed the command line. Like argparse's (models.ts), each value is the flag's default,
 * labelled as such: the command line may set any of them. absl's FLAGS is the process's, so one table serves the
 * analysed file and the modules it imports (one per analysis). A flag none of them declares is set at run time.
 */
import type { EvaluatedArgs, Interpreter } from './interp';
import { interpContext } from './modules';
import { attrSlot } from './slots';
import { NONE, unknown, type PyVal } from './values';

type FlagValues = PyVal & { k: 'ns' };

/** The flags of one analysis: keyed by its module loader (a workspace), else by the file's interpreter. */
const TABLES = new WeakMap<object, FlagValues>();

/** `absl.flags.FLAGS` for the analysis `I` belongs to. */
export function abslFlags(I: Interpreter): FlagValues {
  const owner: object = interpContext(I)?.loader ?? I;
  let t = TABLES.get(owner);
  if (!t) {
    t = { k: 'ns', typeName: 'FlagValues', attrs: new Map(), missing: (name) => `\`FLAGS.${name}\` is an absl flag no file LR Lens read declares; it is set at run time` };
    TABLES.set(owner, t);
  }
  return t;
}

/** The value types of absl's scalar DEFINEs: a default of another type is parsed by absl, which LR Lens does not do. */
const SCALAR: Readonly<Record<string, (v: PyVal) => boolean>> = {
  DEFINE_integer: (v) => v.k === 'int',
  DEFINE_float: (v) => v.k === 'float' || v.k === 'int',
  DEFINE_boolean: (v) => v.k === 'bool',
  DEFINE_bool: (v) => v.k === 'bool',
  DEFINE_string: (v) => v.k === 'str',
  DEFINE_enum: (v) => v.k === 'str',
};

/**
 * `absl.flags.DEFINE_…(name, default, help, …)`: records the flag's default in the analysis's FLAGS and returns its
 * FlagHolder (`_LR = flags.DEFINE_float(…)`, `_LR.value`); null for another path.
 */
export function abslDefine(I: Interpreter, path: string, args: EvaluatedArgs): PyVal | null {
  if (!path.startsWith('absl.flags.DEFINE_')) return null;
  const kind = path.slice('absl.flags.'.length);
  const arg = (i: number, key: string) => args.pos[i]?.val ?? args.kw.find(([k]) => k === key)?.[1].val;
  const name = arg(0, 'name');
  if (name?.k !== 'str') return NONE;
  const given = arg(1, 'default');
  const flag = `--${name.v}`;
  const check = SCALAR[kind];
  let value: PyVal;
  if (!given || given.k === 'unknown') value = unknown(`\`FLAGS.${name.v}\`: the default of the absl flag \`${flag}\` is not known${given?.k === 'unknown' ? ` (${given.reason})` : ''}`);
  else if (given.k === 'none') value = { ...given, assumed: `default of the absl flag ${flag}; set on the command line` };
  else if (!check) value = unknown(`\`FLAGS.${name.v}\`: absl's \`${kind}\` flags are not evaluated`);
  else if (!check(given)) value = unknown(`\`FLAGS.${name.v}\`: absl parses the default of \`${flag}\` (\`${given.k}\` given to \`${kind}\`), which LR Lens does not do`);
  else value = { ...(kind === 'DEFINE_float' && given.k === 'int' ? { k: 'float' as const, v: given.v } : given), assumed: `default of the absl flag ${flag}; set on the command line` };
  // Journalled as an attribute write: a branch the walk only previews does not declare it.
  I.slots.write(attrSlot(abslFlags(I).attrs, name.v, `the absl flag \`${flag}\``), value, I.undo);
  return { k: 'ns', typeName: 'FlagHolder', attrs: new Map([['value', value]]) };
}
