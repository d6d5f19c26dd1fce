// The chat history's pure parts: a conversation's stored form and back, the store on disk (atomic
// writes, unreadable files moved aside, pruning, the size limit), the save throttle and the search.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Conversation, type ConversationData } from '../../src/core/conversation';
import { ConversationSaver } from '../../src/history/saver';
import { parseConversationData } from '../../src/history/schema';
import { findInConversation } from '../../src/history/search';
import { ConversationStore } from '../../src/history/store';

function sample(): Conversation {
  const conversation = new Conversation();
  conversation.addQuestion('What is a monad?', [
    {
      path: 'src/a.ts',
      languageId: 'typescript',
      range: { startLine: 1, endLine: 2 },
      code: 'const x = 1;\n',
      tokens: 4,
    },
  ]);
  const done = conversation.addAnswer(3);
  Object.assign(done, {
    content: 'A monoid in **endofunctors**.',
    reasoning: 'Think.',
    status: 'done',
    footer: { model: 'm1', finishReason: 'stop' },
  });
  conversation.addQuestion('More?');
  const partial = conversation.addAnswer(4);
  partial.content = 'It is like';
  return conversation;
}

function data(id: string, updatedAt: number, text = 'Q'): ConversationData {
  return { version: 1, id, createdAt: updatedAt, updatedAt, turns: [{ role: 'user', id: 't1', text }] };
}

/** What the child process runs: the store (argv 1) saves, in a folder (argv 2), a conversation (argv 3). */
const SAVE_IN_CHILD = `
const { ConversationStore } = require(process.argv[1]);
new ConversationStore(process.argv[2])
  .save(JSON.parse(process.argv[3]))
  .then(() => process.stdout.write('saved'), (error) => process.stdout.write(String(error.code ?? error)));
`;

/**
 * Saves in a process whose files may not grow past a few KB (`ulimit -f`): a longer write stops
 * part-way with EFBIG, as on a full disk. Resolves with 'saved' or the error's code.
 */
async function saveUnderFileSizeLimit(directory: string, conversation: ConversationData): Promise<string> {
  const store = require.resolve('../../src/history/store');
  const script = 'ulimit -f 4 && exec "$0" -e "$1" "$2" "$3" "$4"';
  const args = [script, process.execPath, SAVE_IN_CHILD, store, directory, JSON.stringify(conversation)];
  return (await promisify(execFile)('/bin/sh', ['-c', ...args])).stdout;
}

describe('chat history', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stream-chat-history-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  describe('stored form', () => {
    it('round trip: same turns, ids, title and dates; a streaming answer comes back stopped and interrupted', () => {
      const conversation = sample();
      conversation.title = 'Monads';
      const json = JSON.parse(JSON.stringify(conversation.toJSON())) as unknown;
      const stored = parseConversationData(json);
      assert.equal(stored.version, 1);
      const back = Conversation.fromJSON(stored);
      assert.equal(back.id, conversation.id);
      assert.equal(back.createdAt, conversation.createdAt);
      assert.equal(back.title, 'Monads');
      const [question, answer, , partial] = back.all();
      assert.deepEqual(question, conversation.all()[0]);
      assert.ok(answer.role === 'assistant' && partial.role === 'assistant');
      assert.equal(answer.content, 'A monoid in **endofunctors**.');
      assert.equal(answer.reasoning, 'Think.');
      assert.deepEqual(answer.footer, { model: 'm1', finishReason: 'stop' });
      assert.equal(answer.status, 'done');
      assert.equal(answer.interrupted, undefined);
      assert.equal(partial.status, 'stopped');
      assert.equal(partial.interrupted, true);
      assert.equal(partial.content, 'It is like');
      assert.deepEqual(back.messages(), conversation.messages(), 'the model sees the same conversation');
    });

    it("an ask's label is kept and names the conversation; the model is sent the instruction, not the label", () => {
      const conversation = new Conversation();
      conversation.addQuestion('Find bugs in this code.', undefined, 'Find Bugs · src/a.ts:8-14');
      const back = Conversation.fromJSON(parseConversationData(JSON.parse(JSON.stringify(conversation.toJSON()))));
      const [question] = back.all();
      assert.ok(question.role === 'user');
      assert.equal(question.label, 'Find Bugs · src/a.ts:8-14');
      assert.equal(back.displayTitle(), 'Find Bugs · src/a.ts:8-14');
      assert.deepEqual(back.messages(), [{ role: 'user', content: 'Find bugs in this code.' }]);
    });

    it('restored answers get request ids no new request can have, and new turn ids continue after the old ones', () => {
      const back = Conversation.fromJSON(parseConversationData(JSON.parse(JSON.stringify(sample().toJSON()))));
      const ids = back.all().flatMap((turn) => (turn.role === 'assistant' ? [turn.requestId] : []));
      assert.ok(ids.every((id) => id < -1));
      assert.equal(new Set(ids).size, ids.length);
      assert.equal(back.addQuestion('next').id, 't5');
    });

    it('refuses what is not a conversation, saying why', () => {
      assert.throws(() => parseConversationData({ ...data('a', 1), version: 2 }), /unknown format version 2/);
      assert.throws(
        () => parseConversationData({ ...data('a', 1), turns: [{ role: 'assistant', id: 't1', content: 1 }] }),
        /turn 1/,
      );
      assert.throws(() => parseConversationData({ ...data('../x', 1) }), /no valid id/);
      assert.throws(() => parseConversationData([]), /not an object/);
    });

    it("keeps a failed answer's error kind; a kind this version does not know comes back as unexpected", () => {
      const failed = (kind: string) => ({
        ...data('a', 1),
        turns: [
          { role: 'user', id: 't1', text: 'Q' },
          { role: 'assistant', id: 't2', content: '', reasoning: '', status: 'error', error: { kind, message: 'm' } },
        ],
      });
      const errorOf = (kind: string) => {
        const answer = parseConversationData(failed(kind)).turns[1];
        return answer.role === 'assistant' ? answer.error : undefined;
      };
      assert.deepEqual(errorOf('rate-limit'), { kind: 'rate-limit', message: 'm', retryable: false });
      assert.equal(errorOf('key-not-sent')?.kind, 'key-not-sent');
      assert.equal(errorOf('from-a-newer-version')?.kind, 'unexpected');
      assert.equal(errorOf('toString')?.kind, 'unexpected', 'not a kind inherited from Object');
    });
  });

  describe('store', () => {
    it('saves one JSON file per conversation and lists them newest first', async () => {
      const store = new ConversationStore(path.join(dir, 'conversations'));
      await store.save(data('older', 1000, 'first'));
      await store.save(data('newer', 2000, 'second'));
      assert.deepEqual((await fs.readdir(store.directory)).sort(), ['newer.json', 'older.json']);
      // File times are update times (restore and prune order by them without reading every file).
      assert.equal((await fs.stat(path.join(store.directory, 'older.json'))).mtimeMs, 1000);
      const { conversations, problems } = await store.list();
      assert.deepEqual(
        conversations.map((c) => c.id),
        ['newer', 'older'],
      );
      assert.deepEqual(problems, []);
    });

    it('writes a temp file, then renames: if the rename fails, the old file is intact, no temp file left', async () => {
      const store = new ConversationStore(dir);
      await store.save(data('c1', 1, 'old'));
      // A directory where the file should go makes the rename fail after the temp file was written.
      const blocked = new ConversationStore(path.join(dir, 'blocked'));
      await fs.mkdir(path.join(blocked.directory, 'c1.json'), { recursive: true });
      await assert.rejects(blocked.save(data('c1', 2, 'new')));
      assert.deepEqual(await fs.readdir(blocked.directory), ['c1.json']);
      assert.ok((await fs.stat(path.join(blocked.directory, 'c1.json'))).isDirectory());
      // And a normal save replaces the old content whole.
      await store.save(data('c1', 3, 'replaced'));
      assert.deepEqual(await fs.readdir(dir), ['blocked', 'c1.json']);
      assert.equal((JSON.parse(await fs.readFile(path.join(dir, 'c1.json'), 'utf8')) as ConversationData).updatedAt, 3);
    });

    it('a save failing part-way through its write leaves the old file byte for byte, no stray file', async function () {
      if (process.platform === 'win32') this.skip(); // the failure comes from a POSIX file size limit
      const store = new ConversationStore(dir);
      await store.save(data('c1', 1, 'old'));
      const before = await fs.readFile(path.join(dir, 'c1.json'));
      assert.equal(await saveUnderFileSizeLimit(dir, data('c1', 2, 'x'.repeat(16 * 1024))), 'EFBIG');
      assert.deepEqual(await fs.readdir(dir), ['c1.json']);
      assert.deepEqual(await fs.readFile(path.join(dir, 'c1.json')), before);
    });

    it('a corrupt or invalid file is skipped, moved aside as .corrupt-<time>, reported; the others load', async () => {
      const store = new ConversationStore(dir);
      await store.save(data('good', 1));
      await fs.writeFile(path.join(dir, 'broken.json'), '{"version":1,"id":"broken","tur');
      await fs.writeFile(path.join(dir, 'future.json'), JSON.stringify({ ...data('future', 2), version: 9 }));
      const { conversations, problems } = await store.list();
      assert.deepEqual(
        conversations.map((c) => c.id),
        ['good'],
      );
      assert.deepEqual(
        problems.map((p) => p.file),
        ['broken.json', 'future.json'],
      );
      assert.match(problems[0].reason, /not valid JSON/);
      assert.match(problems[1].reason, /unknown format version 9/);
      const names = (await fs.readdir(dir)).sort();
      assert.equal(names.length, 3);
      assert.match(names[0], /^broken\.json\.corrupt-\d{4}-\d\d-\d\dT[\d-]+Z$/);
      assert.equal(problems[0].movedTo, names[0]);
      assert.match(names[1], /^future\.json\.corrupt-/);
      assert.equal(
        await fs.readFile(path.join(dir, names[0]), 'utf8'),
        '{"version":1,"id":"broken","tur',
        'kept as it was',
      );
      assert.deepEqual((await store.list()).problems, [], 'reported once: moved aside, it is not read again');
    });

    it('loadMostRecent skips an unreadable newest file and returns the next', async () => {
      const store = new ConversationStore(dir);
      await store.save(data('ok', 1));
      await fs.writeFile(path.join(dir, 'bad.json'), 'not json');
      const later = new Date(Date.now() + 5000);
      await fs.utimes(path.join(dir, 'bad.json'), later, later);
      const { data: loaded, problems } = await store.loadMostRecent();
      assert.equal(loaded?.id, 'ok');
      assert.deepEqual(
        problems.map((p) => p.file),
        ['bad.json'],
      );
    });

    it('prunes the oldest beyond the limit, never the open one', async () => {
      const store = new ConversationStore(dir);
      for (let i = 1; i <= 5; i++) {
        await store.save(data(`c${i}`, i));
        const time = new Date(1_700_000_000_000 + i * 1000);
        await fs.utimes(path.join(dir, `c${i}.json`), time, time);
      }
      assert.deepEqual((await store.prune(3, 'c1')).sort(), ['c2', 'c3']);
      assert.deepEqual((await fs.readdir(dir)).sort(), ['c1.json', 'c4.json', 'c5.json']);
      assert.deepEqual(await store.prune(3), []);
    });

    it('beyond the size limit the oldest exchanges are left out of the file, and counted', async () => {
      const store = new ConversationStore(dir, 2000);
      const conversation = new Conversation('big');
      for (let i = 0; i < 10; i++) {
        conversation.addQuestion(`Question ${i}`);
        Object.assign(conversation.addAnswer(i), { content: 'x'.repeat(300), status: 'done' });
      }
      const result = await store.save(conversation.toJSON());
      assert.ok(result.bytes <= 2000);
      const saved = parseConversationData(JSON.parse(await fs.readFile(path.join(dir, 'big.json'), 'utf8')));
      assert.equal(saved.omittedTurns, result.omittedTurns);
      assert.equal(saved.turns.length + result.omittedTurns, 20);
      assert.equal(saved.turns[0].role, 'user', 'whole exchanges: it starts with a question');
      assert.equal(saved.turns.at(-1)?.id, conversation.last()?.id, 'the newest turns are kept');
      assert.ok(result.omittedTurns > 0);
    });
  });

  describe('saver', () => {
    it('writes at once when a turn is added or ends; while streaming, once per interval, newest text', async () => {
      const writes: ConversationData[] = [];
      let secondWrite: () => void = () => undefined;
      const written = new Promise<void>((resolve) => (secondWrite = resolve));
      const saver = new ConversationSaver(
        {
          save: async (d) => {
            if (writes.push(d) === 2) secondWrite();
            return { bytes: 0, omittedTurns: 0 };
          },
        },
        {},
        100,
      );
      const conversation = new Conversation();
      conversation.addQuestion('Q');
      const answer = conversation.addAnswer(1);
      saver.changed(conversation, false);
      await saver.flush();
      assert.equal(writes.length, 1);
      const started = performance.now();
      for (let i = 0; i < 50; i++) {
        answer.content += 'x';
        saver.changed(conversation, true);
      }
      await written;
      assert.equal(writes.length, 2, 'fifty deltas in one interval: one write');
      const streamed = writes[1].turns[1];
      assert.ok(streamed.role === 'assistant');
      assert.equal(streamed.content.length, 50);
      assert.equal(streamed.status, 'streaming');
      assert.ok(performance.now() - started >= 90);
      answer.status = 'done';
      saver.changed(conversation, true);
      saver.changed(conversation, false); // the end does not wait for the interval
      await saver.flush();
      assert.equal(writes.length, 3);
    });

    it('an empty conversation is not written; after dispose nothing more is', async () => {
      const writes: ConversationData[] = [];
      const saver = new ConversationSaver(
        { save: async (d) => (writes.push(d), { bytes: 0, omittedTurns: 0 }) },
        {},
        10_000,
      );
      const conversation = new Conversation();
      saver.changed(conversation, false);
      conversation.addQuestion('Q');
      conversation.addAnswer(1);
      saver.changed(conversation, false);
      saver.changed(conversation, true); // waits for the interval...
      await saver.dispose(); // ...but the window is closing: written now
      saver.changed(conversation, false);
      await saver.flush();
      assert.equal(writes.length, 2);
    });
    it('remembers write times only while they delay a write: not one per conversation in a long session', async () => {
      const answered = (question: string): Conversation => {
        const conversation = new Conversation();
        conversation.addQuestion(question);
        conversation.addAnswer(1);
        return conversation;
      };
      const writes: ConversationData[] = [];
      const target = { save: async (d: ConversationData) => (writes.push(d), { bytes: 0, omittedTurns: 0 }) };
      const immediate = new ConversationSaver(target, {}, 0);
      for (let i = 0; i < 200; i++) immediate.changed(answered(`Q${i}`), false);
      await immediate.flush();
      assert.equal(writes.length, 200);
      assert.ok(immediate.remembered <= 1, `${immediate.remembered} write times remembered`);

      // Within the interval every time still counts: the first conversation's next streamed text waits.
      const throttled = new ConversationSaver(target, {}, 60_000);
      const first = answered('first');
      throttled.changed(first, false);
      for (let i = 0; i < 20; i++) throttled.changed(answered(`other ${i}`), false);
      await throttled.flush();
      const before = writes.length;
      throttled.changed(first, true);
      assert.equal(throttled.remembered, 21);
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(writes.length, before, 'a streamed change within the interval is not written at once');
      await throttled.dispose();
      assert.equal(writes.length, before + 1);
    });
  });

  it('search finds text in titles, questions, answers and code, with an excerpt', () => {
    const stored = sample().toJSON();
    assert.equal(findInConversation(stored, 'ENDOFUNCTORS'), 'A monoid in **endofunctors**.');
    assert.equal(findInConversation(stored, 'const x'), 'src/a.ts const x = 1;');
    assert.equal(findInConversation(stored, 'absent'), undefined);
    assert.equal(findInConversation(stored, '  '), undefined);
  });
});
