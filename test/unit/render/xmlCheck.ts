/**
 * A tiny well-formedness checker for the SVG we write (test helper): balanced
 * and properly nested tags, `name="value"` attributes, and text/attribute
 * values that use only the five XML entities or numeric references. Returns
 * the elements it saw so tests can look at them.
 */

export interface XmlElement {
  name: string;
  attrs: Map<string, string>;
  /** Decoded text directly inside the element. */
  text: string;
}

const ENTITY = /&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/y;
const NAME = /[A-Za-z_][\w.:-]*/y;

function decode(raw: string, where: string): string {
  let out = '';
  for (let i = 0; i < raw.length; ) {
    const c = raw[i]!;
    if (c === '<') throw new Error(`raw '<' in ${where}`);
    if (c === '&') {
      ENTITY.lastIndex = i;
      const m = ENTITY.exec(raw);
      if (!m) throw new Error(`bad '&' in ${where}: ${raw.slice(i, i + 12)}`);
      const e = m[1]!;
      out += e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'"
        : String.fromCodePoint(parseInt(e.startsWith('#x') ? e.slice(2) : e.slice(1), e.startsWith('#x') ? 16 : 10));
      i += m[0].length;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Parses `xml` (no comments, CDATA or processing instructions expected) or throws with the reason. */
export function checkXml(xml: string): XmlElement[] {
  const all: XmlElement[] = [];
  const stack: XmlElement[] = [];
  let i = 0;
  let rootClosed = false;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? xml.length : lt;
    const raw = xml.slice(i, textEnd);
    if (raw.length) {
      if (!stack.length && raw.trim()) throw new Error(`text outside the root: ${raw.slice(0, 20)}`);
      if (stack.length) stack[stack.length - 1]!.text += decode(raw, 'text');
    }
    if (lt < 0) break;
    if (xml.startsWith('</', lt)) {
      NAME.lastIndex = lt + 2;
      const m = NAME.exec(xml);
      if (!m || xml[lt + 2 + m[0].length] !== '>') throw new Error(`bad end tag at ${lt}`);
      const open = stack.pop();
      if (!open || open.name !== m[0]) throw new Error(`</${m[0]}> closes <${open?.name ?? 'nothing'}>`);
      if (!stack.length) rootClosed = true;
      i = lt + 3 + m[0].length;
      continue;
    }
    if (rootClosed) throw new Error('content after the root element');
    NAME.lastIndex = lt + 1;
    const m = NAME.exec(xml);
    if (!m) throw new Error(`bad tag at ${lt}`);
    const el: XmlElement = { name: m[0], attrs: new Map(), text: '' };
    let j = lt + 1 + m[0].length;
    for (;;) {
      const ws = /\s*/y;
      ws.lastIndex = j;
      const hadSpace = ws.exec(xml)![0].length > 0;
      j = ws.lastIndex;
      if (xml.startsWith('/>', j) || xml[j] === '>') break;
      if (!hadSpace) throw new Error(`missing space before attribute in <${el.name}>`);
      NAME.lastIndex = j;
      const a = NAME.exec(xml);
      if (!a || xml[j + a[0].length] !== '=' || xml[j + a[0].length + 1] !== '"') throw new Error(`bad attribute in <${el.name}> at ${j}`);
      const start = j + a[0].length + 2;
      const end = xml.indexOf('"', start);
      if (end < 0) throw new Error('unterminated attribute');
      if (el.attrs.has(a[0])) throw new Error(`duplicate attribute ${a[0]}`);
      el.attrs.set(a[0], decode(xml.slice(start, end), `attribute ${a[0]}`));
      j = end + 1;
    }
    all.push(el);
    if (xml.startsWith('/>', j)) {
      if (!stack.length) rootClosed = true;
      i = j + 2;
    } else {
      stack.push(el);
      i = j + 1;
    }
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (!all.length) throw new Error('no element');
  return all;
}
