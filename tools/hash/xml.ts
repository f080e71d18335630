/**
 * Just enough XML for MPDs: elements, attributes, text; comments, processing instructions and CDATA skipped.
 * Entities in attribute values are decoded (`&amp;` in a BaseURL query, say). Not a validating parser.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const TOKEN =
  /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<!DOCTYPE[^>]*>|<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
const ATTR = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const decode = (s: string): string =>
  s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) =>
    e.startsWith('#x') || e.startsWith('#X')
      ? String.fromCodePoint(parseInt(e.slice(2), 16))
      : e.startsWith('#')
        ? String.fromCodePoint(Number(e.slice(1)))
        : (ENTITIES[e.toLowerCase()] ?? e),
  );

/** Parses a document and returns its root element; throws on unbalanced tags. */
export function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  for (const m of text.matchAll(TOKEN)) {
    const [, close, name, rawAttrs, selfClose, chars] = m;
    const top = stack[stack.length - 1] ?? root;
    if (chars !== undefined) {
      top.text += decode(chars);
      continue;
    }
    if (name === undefined) continue;
    if (close) {
      if (top.name !== name.replace(/^.*:/, '')) throw new Error(`unbalanced </${name}> in XML`);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (rawAttrs ?? '').matchAll(ATTR)) attrs[a[1] ?? ''] = decode(a[2] ?? a[3] ?? '');
    const el: XmlElement = { name: name.replace(/^.*:/, ''), attrs, children: [], text: '' };
    top.children.push(el);
    if (!selfClose) stack.push(el);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]?.name ?? ''}> in XML`);
  const doc = root.children[0];
  if (!doc) throw new Error('empty XML document');
  return doc;
}

export const childrenNamed = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => c.name === name);
export const child = (el: XmlElement, name: string): XmlElement | undefined => el.children.find((c) => c.name === name);
