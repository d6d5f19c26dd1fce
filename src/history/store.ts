// Saved conversations on disk: one JSON file each in a folder of the extension's storage (the
// caller passes its path). Writes are atomic (a temp file, flushed, then renamed over the old one),
// so a crash mid-write leaves the previous version, never half a file. A file that cannot be read
// or parsed is moved aside (`<name>.corrupt-<time>`) and reported, and the others load regardless.
// No 'vscode' import: unit-tested in plain Node with temp folders.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { ConversationData } from '../core/conversation';
import { CONVERSATION_ID_PATTERN, parseConversationData } from './schema';

/** A saved conversation's JSON may be at most this big; older turns are left out beyond it. */
export const DEFAULT_MAX_CONVERSATION_BYTES = 4 * 1024 * 1024;
/** A temp file older than this was left by a crash (a live write takes milliseconds). */
const STALE_TEMP_MS = 60_000;
const TEMP_SUFFIX = '.tmp';
const FILE_SUFFIX = '.json';

/** A file that could not be used: skipped, and kept aside for the user to look at. */
export interface LoadProblem {
  /** The file's name in the history folder. */
  file: string;
  reason: string;
  /** Where it was moved (its name in the same folder); undefined when even that failed. */
  movedTo?: string;
}

export interface SaveResult {
  bytes: number;
  /** Turns left out of this save (and earlier ones) to stay under the size limit. */
  omittedTurns: number;
}

export interface ListResult {
  /** Newest (last updated) first. */
  conversations: ConversationData[];
  problems: LoadProblem[];
}

export class ConversationStore {
  constructor(
    readonly directory: string,
    private readonly maxBytes: number = DEFAULT_MAX_CONVERSATION_BYTES,
  ) {}

  fileOf(id: string): string {
    if (!CONVERSATION_ID_PATTERN.test(id)) throw new Error(`Not a conversation id: ${id}`);
    return path.join(this.directory, `${id}${FILE_SUFFIX}`);
  }

  /** Writes `data` atomically; beyond the size limit the oldest turns are left out of the file. */
  async save(data: ConversationData): Promise<SaveResult> {
    const target = this.fileOf(data.id);
    const { json, omittedTurns } = this.fit(data);
    await fs.mkdir(this.directory, { recursive: true });
    const temp = path.join(this.directory, `.${data.id}.${process.pid}.${randomSuffix()}${TEMP_SUFFIX}`);
    try {
      const handle = await fs.open(temp, 'w');
      try {
        await handle.writeFile(json, 'utf8');
        // The file's time is the conversation's: ordering (restore, prune) reads times, not files.
        await handle.utimes(new Date(data.updatedAt), new Date(data.updatedAt));
        await handle.datasync(); // on disk before the rename makes it the file
      } finally {
        await handle.close();
      }
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    return { bytes: Buffer.byteLength(json), omittedTurns };
  }

  /** Every readable conversation, newest first; unreadable files are moved aside and reported. */
  async list(): Promise<ListResult> {
    const names = await this.fileNames();
    const conversations: ConversationData[] = [];
    const problems: LoadProblem[] = [];
    await Promise.all(
      names.map(async (name) => {
        const loaded = await this.read(name);
        if ('problem' in loaded) problems.push(loaded.problem);
        else conversations.push(loaded.data);
      }),
    );
    conversations.sort((a, b) => b.updatedAt - a.updatedAt);
    problems.sort((a, b) => a.file.localeCompare(b.file));
    return { conversations, problems };
  }

  /** The conversation updated last (file times are update times), skipping (and moving aside) unreadable ones. */
  async loadMostRecent(): Promise<{ data?: ConversationData; problems: LoadProblem[] }> {
    const problems: LoadProblem[] = [];
    for (const { name } of await this.byAge()) {
      const loaded = await this.read(name);
      if ('data' in loaded) return { data: loaded.data, problems };
      problems.push(loaded.problem);
    }
    return { problems };
  }

  async load(id: string): Promise<{ data?: ConversationData; problem?: LoadProblem }> {
    const loaded = await this.read(path.basename(this.fileOf(id)));
    return 'data' in loaded ? { data: loaded.data } : { problem: loaded.problem };
  }

  async delete(id: string): Promise<void> {
    await fs.rm(this.fileOf(id), { force: true });
  }

  /** Deletes the oldest conversations beyond `keep` (never `spare`, the one open); returns their ids. */
  async prune(keep: number, spare?: string): Promise<string[]> {
    const files = await this.byAge();
    const removable = files.filter(({ name }) => name !== `${spare}${FILE_SUFFIX}`);
    const excess = files.length - Math.max(1, keep);
    if (excess <= 0) return [];
    const doomed = removable.slice(-excess);
    await Promise.all(doomed.map(({ name }) => fs.rm(path.join(this.directory, name), { force: true })));
    return doomed.map(({ name }) => name.slice(0, -FILE_SUFFIX.length));
  }

  /** The JSON to write: whole, or without the oldest turns when it would pass the size limit. */
  private fit(data: ConversationData): { json: string; omittedTurns: number } {
    let json = JSON.stringify(data);
    if (Buffer.byteLength(json) <= this.maxBytes) return { json, omittedTurns: data.omittedTurns ?? 0 };
    const turns = [...data.turns];
    let dropped = 0;
    // Keep whole exchanges: drop from the front up to the next question.
    while (turns.length > 1 && Buffer.byteLength(json) > this.maxBytes) {
      do {
        turns.shift();
        dropped++;
      } while (turns.length > 1 && turns[0].role !== 'user');
      json = JSON.stringify({ ...data, turns, omittedTurns: (data.omittedTurns ?? 0) + dropped });
    }
    if (Buffer.byteLength(json) > this.maxBytes)
      throw new Error(`The last turn alone is larger than the ${formatBytes(this.maxBytes)} limit`);
    return { json, omittedTurns: (data.omittedTurns ?? 0) + dropped };
  }

  private async read(name: string): Promise<{ data: ConversationData } | { problem: LoadProblem }> {
    const file = path.join(this.directory, name);
    try {
      const data = parseConversationData(JSON.parse(await fs.readFile(file, 'utf8')));
      const id = name.slice(0, -FILE_SUFFIX.length);
      return { data: { ...data, id } }; // the file name is the id that saves and deletes use
    } catch (error) {
      const reason =
        error instanceof SyntaxError
          ? `not valid JSON (${error.message})`
          : error instanceof Error
            ? error.message
            : String(error);
      const movedTo = `${name}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      try {
        await fs.rename(file, path.join(this.directory, movedTo));
        return { problem: { file: name, reason, movedTo } };
      } catch {
        return { problem: { file: name, reason } };
      }
    }
  }

  private async fileNames(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await fs.readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    await this.removeStaleTemps(entries.filter((name) => name.endsWith(TEMP_SUFFIX)));
    return entries.filter(
      (name) => name.endsWith(FILE_SUFFIX) && CONVERSATION_ID_PATTERN.test(name.slice(0, -FILE_SUFFIX.length)),
    );
  }

  /** Newest first, by file time (set to the conversation's update time by `save`). */
  private async byAge(): Promise<{ name: string; mtimeMs: number }[]> {
    const stats = await Promise.all(
      (await this.fileNames()).map(async (name) => {
        try {
          return { name, mtimeMs: (await fs.stat(path.join(this.directory, name))).mtimeMs };
        } catch {
          return undefined; // deleted meanwhile (another window)
        }
      }),
    );
    return stats.filter((entry) => entry !== undefined).sort((a, b) => b.mtimeMs - a.mtimeMs);
  }

  /** Temp files left by a crash mid-write; a recent one may be another window's write in progress. */
  private async removeStaleTemps(names: string[]): Promise<void> {
    const now = Date.now();
    await Promise.all(
      names.map(async (name) => {
        const file = path.join(this.directory, name);
        try {
          if (now - (await fs.stat(file)).mtimeMs > STALE_TEMP_MS) await fs.rm(file, { force: true });
        } catch {
          // gone already
        }
      }),
    );
  }
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`
    : `${Math.round(bytes / 1024)} KB`;
}

function randomSuffix(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(6)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
