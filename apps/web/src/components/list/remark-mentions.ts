/**
 * A remark plugin that marks `@name` in text as a mention (a `<span class="mention">`), and the
 * reader's own name as theirs (`mention mention--me`). Code and links are left alone: their text
 * is not a `text` node of a paragraph, or is inside a link, where a highlight would only confuse.
 */

/** The little of mdast this plugin touches (the full types are a transitive dependency). */
interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
  data?: { hName?: string; hProperties?: Record<string, unknown> };
}

/** `@` at the start of a word, then a username's characters (see the contracts' username rule). */
const MENTION = /(?<![\w@])@([\p{L}\p{N}_.-]*[\p{L}\p{N}_])/gu;

export function remarkMentions(options: { me: string }) {
  const me = options.me.toLowerCase();
  const split = (value: string): MdNode[] => {
    const nodes: MdNode[] = [];
    let from = 0;
    for (const match of value.matchAll(MENTION)) {
      if (match.index > from) nodes.push({ type: 'text', value: value.slice(from, match.index) });
      const mine = (match[1] ?? '').toLowerCase() === me;
      nodes.push({
        type: 'mention',
        data: { hName: 'span', hProperties: { className: mine ? ['mention', 'mention--me'] : ['mention'] } },
        children: [{ type: 'text', value: match[0] }],
      });
      from = match.index + match[0].length;
    }
    if (from < value.length) nodes.push({ type: 'text', value: value.slice(from) });
    return nodes;
  };
  const visit = (node: MdNode): void => {
    if (!node.children || node.type === 'link' || node.type === 'linkReference') return;
    node.children = node.children.flatMap((child) => {
      if (child.type === 'text' && child.value?.includes('@')) return split(child.value);
      visit(child);
      return [child];
    });
  };
  return (tree: MdNode) => visit(tree);
}
