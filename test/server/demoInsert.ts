// The demo model's answers to Insert at Cursor / Rewrite Selection: code, shaped as coding models shape it
// despite being asked for code only: raw, fenced, a sentence before the fence and one after, or code followed by
// a lead-in to a usage example. The shape rotates with a hash of the prompt, so `npm start` shows each of them
// (and the code filter keeping only the code) while the same prompt always gets the same answer.

/** What src/insert/insertPrompt.ts sends: the file line first, the task and instruction last. */
const INSERT_PROMPT = new RegExp(
  /^File: .* \(([\w.+#-]+)\)\n[\s\S]*\n/.source +
    /(?:Write the code to insert at the cursor|Rewrite the selected code)\. Instruction: /.source,
);

export type InsertAnswerShape = 'raw' | 'fenced' | 'sentence-fenced' | 'code-then-example';
export const INSERT_ANSWER_SHAPES: readonly InsertAnswerShape[] = [
  'raw',
  'fenced',
  'sentence-fenced',
  'code-then-example',
];

interface DemoCode {
  code: string;
  usage: string;
}

const PYTHON: DemoCode = {
  code: [
    'def parse_duration(text: str) -> int:',
    '    """Milliseconds in a duration such as "2m30s" or "45s"."""',
    '    match = re.fullmatch(r"(?:(\\d+)m)?(?:(\\d+)s)?", text.strip())',
    '    if not match or not text.strip():',
    '        raise ValueError(f"not a duration: {text}")',
    '    return (int(match[1] or 0) * 60 + int(match[2] or 0)) * 1000',
  ].join('\n'),
  usage: 'print(parse_duration("2m30s"))  # 150000',
};

const TYPESCRIPT: DemoCode = {
  code: [
    '/** Milliseconds in a duration such as "2m30s" or "45s". */',
    'export function parseDuration(text: string): number {',
    '  const match = /^(?:(\\d+)m)?(?:(\\d+)s)?$/.exec(text.trim());',
    "  if (!match || text.trim() === '') throw new Error(`not a duration: ${text}`);",
    '  return (Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0)) * 1000;',
    '}',
  ].join('\n'),
  usage: "console.log(parseDuration('2m30s')); // 150000",
};

/** FNV-1a: a stable hash of the prompt, so the same prompt always gets the same shape. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) value = Math.imul(value ^ text.charCodeAt(i), 0x01000193);
  return value >>> 0;
}

/** The language of an insertion prompt, or undefined when `question` is not one. */
export function insertionLanguage(question: string): string | undefined {
  return INSERT_PROMPT.exec(question)?.[1];
}

/** The shape the demo answers the insertion prompt `question` in. */
export function insertAnswerShape(question: string): InsertAnswerShape {
  return INSERT_ANSWER_SHAPES[hash(question) % INSERT_ANSWER_SHAPES.length];
}

/** The code the demo writes for `languageId` (what the code filter should leave in the document). */
export function demoInsertCode(languageId: string): string {
  return (languageId === 'python' ? PYTHON : TYPESCRIPT).code;
}

/** The demo's answer to an insertion prompt in `shape` (the prompt's own shape unless given). */
export function demoInsertAnswer(question: string, shape = insertAnswerShape(question)): string {
  const language = insertionLanguage(question) ?? 'typescript';
  const { code, usage } = language === 'python' ? PYTHON : TYPESCRIPT;
  const fenced = (text: string) => `\`\`\`${language}\n${text}\n\`\`\``;
  switch (shape) {
    case 'raw':
      return `${code}\n`;
    case 'fenced':
      return fenced(code);
    case 'sentence-fenced':
      return [
        'Sure! Here is a function that parses durations such as "2m30s":',
        '',
        fenced(code),
        '',
        'It returns milliseconds and throws on anything that is not a duration.',
      ].join('\n');
    case 'code-then-example':
      return `${code}\n\nHere is how to use it:\n\n${fenced(usage)}\n`;
  }
}
