// Reads the shell commands and links out of Markdown, for test/docs: just enough of Markdown and
// of POSIX shell quoting to see what a reader's shell (bash or zsh) would do with a pasted line.

export interface Fence {
  readonly lang: string;
  readonly lines: readonly string[];
  /** 1-based line of the opening fence. */
  readonly line: number;
}

export function fences(markdown: string): Fence[] {
  const found: Fence[] = [];
  let open: { lang: string; lines: string[]; line: number } | undefined;
  for (const [i, line] of markdown.split('\n').entries()) {
    const fence = /^\s*```\s*([\w-]*)/.exec(line);
    if (fence && !open) open = { lang: fence[1]!.toLowerCase(), lines: [], line: i + 1 };
    else if (fence && open) {
      found.push(open);
      open = undefined;
    } else open?.lines.push(line);
  }
  return found;
}

const SHELL_LANGS = new Set(['sh', 'bash', 'shell', 'zsh', 'console']);
const COMMAND_START = /^\s*(?:[A-Z_]+=\S*\s+)*(?:npm|npx|node|curl|aws|cd|git|export)\b/;

/** A fence is shell when it says so, or when it has no language and opens with a command. */
export function isShell(fence: Fence): boolean {
  if (SHELL_LANGS.has(fence.lang)) return true;
  const first = fence.lines.find((l) => l.trim() !== '');
  return fence.lang === '' && first !== undefined && COMMAND_START.test(first);
}

/** The commands of a shell fence: continuation lines (`\` at the end) joined. */
export function commands(fence: Fence): string[] {
  const joined: string[] = [];
  let pending = '';
  for (const line of fence.lines) {
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    joined.push(pending + line);
    pending = '';
  }
  if (pending) joined.push(pending);
  return joined.map((c) => c.trim()).filter((c) => c !== '');
}

export interface Word {
  /** The word as written, quotes included. */
  readonly text: string;
  /** Only the characters the shell sees unquoted (where globbing and operators apply). */
  readonly bare: string;
}

/**
 * Splits a command into words as a shell would, up to an unquoted `#` comment. `$( ... )` stays
 * inside its word (its own quoting is not looked into); `\` escapes the next character.
 */
export function words(command: string): Word[] {
  const out: Word[] = [];
  let text = '';
  let bare = '';
  let quote: '' | "'" | '"' = '';
  const flush = () => {
    if (text) out.push({ text, bare });
    text = '';
    bare = '';
  };
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote === "'") {
      text += c;
      if (c === "'") quote = '';
      continue;
    }
    if (c === '\\') {
      text += c + (command[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '$' && command[i + 1] === '(') {
      let depth = 0;
      const start = i;
      for (; i < command.length; i++) {
        if (command[i] === '(') depth++;
        if (command[i] === ')' && --depth === 0) break;
      }
      text += command.slice(start, i + 1);
      continue;
    }
    if (quote === '"') {
      text += c;
      if (c === '"') quote = '';
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      text += c;
      continue;
    }
    if (/\s/.test(c)) {
      flush();
      continue;
    }
    if (c === '#' && text === '') break;
    text += c;
    bare += c;
  }
  flush();
  return out;
}

const OPERATORS = new Set(['&&', '||', '|', ';', '&>', '2>&1', '>&2', '1>&2']);

/** What a shell would do to this command that the reader did not mean; empty when nothing. */
export function shellHazards(command: string): string[] {
  const hazards: string[] = [];
  for (const word of words(command)) {
    if (OPERATORS.has(word.bare) && word.bare === word.text) continue;
    if (/[?*[\]]/.test(word.bare)) hazards.push(`${word.text}: an unquoted ${/[?*]/.exec(word.bare)?.[0] ?? '['} is a glob (zsh stops with "no matches found")`);
    if (word.bare.includes('&')) hazards.push(`${word.text}: an unquoted & ends the command there`);
    if (/<[\w-]+>/.test(word.bare)) hazards.push(`${word.text}: an unquoted <placeholder> is a redirection`);
  }
  return [...new Set(hazards)];
}

/** `[text](target)` links (images too), with their 1-based line. */
export function links(markdown: string): { target: string; line: number }[] {
  return markdown.split('\n').flatMap((line, i) => [...line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => ({ target: m[1]!, line: i + 1 })));
}

/** Inline code spans outside fences, with their 1-based line. */
export function codeSpans(markdown: string): { code: string; line: number }[] {
  const spans: { code: string; line: number }[] = [];
  let inFence = false;
  for (const [i, line] of markdown.split('\n').entries()) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    if (inFence) continue;
    for (const m of line.matchAll(/`([^`]+)`/g)) spans.push({ code: m[1]!, line: i + 1 });
  }
  return spans;
}
