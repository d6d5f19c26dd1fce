// The chat's conversation model: the turns the panel shows and the messages they become.
import * as assert from 'node:assert/strict';
import { Conversation } from '../../src/core/conversation';

describe('conversation (host side of the chat panel)', () => {
  it('becomes user and assistant messages in order; an answer without text is left out, a partial one counts', () => {
    const conversation = new Conversation();
    conversation.addQuestion('First?');
    const first = conversation.addAnswer(1);
    first.content = 'Partial';
    first.status = 'stopped';
    conversation.addQuestion('Second?');
    const failed = conversation.addAnswer(2);
    failed.status = 'error';
    conversation.addQuestion('Third?');
    assert.deepEqual(conversation.messages(), [
      { role: 'user', content: 'First?' },
      { role: 'assistant', content: 'Partial' },
      { role: 'user', content: 'Second?' },
      { role: 'user', content: 'Third?' },
    ]);
  });

  it('hands out copies: the panel never holds the host’s objects', () => {
    const conversation = new Conversation();
    conversation.addQuestion('Q');
    const answer = conversation.addAnswer(7);
    const [, shown] = conversation.all();
    assert.ok(shown.role === 'assistant');
    shown.content = 'changed';
    assert.equal(answer.content, '');
    assert.equal(conversation.answerFor(7), answer);
  });

  it('removes only a trailing answer (regenerate), and ids stay unique after it', () => {
    const conversation = new Conversation();
    conversation.addQuestion('Q');
    assert.equal(conversation.removeLastAnswer(), undefined, 'a question is not removed');
    const answer = conversation.addAnswer(1);
    assert.equal(conversation.removeLastAnswer(), answer.id);
    const again = conversation.addAnswer(2);
    assert.notEqual(again.id, answer.id);
    assert.equal(conversation.length, 2);
    conversation.clear();
    assert.equal(conversation.length, 0);
  });
});

describe('conversation: edit and resend', () => {
  it('removes from a question on, and a copy keeps every turn under a new id and title', () => {
    const conversation = new Conversation();
    const first = conversation.addQuestion('First?', [
      { path: 'a.ts', languageId: 'typescript', code: 'x', tokens: 1 },
    ]);
    Object.assign(conversation.addAnswer(1), { content: 'One', status: 'done' });
    const second = conversation.addQuestion('Second?');
    Object.assign(conversation.addAnswer(2), { content: 'Two', status: 'done' });
    assert.equal(conversation.userTurn(first.id), first);
    assert.equal(conversation.userTurn('t2'), undefined, 'an answer is not a question');

    const copy = conversation.copyAs('Earlier');
    assert.notEqual(copy.id, conversation.id);
    assert.equal(copy.title, 'Earlier');
    assert.deepEqual(copy.all(), conversation.all());

    assert.equal(conversation.removeFrom(second.id), true);
    assert.deepEqual(
      conversation.all().map((turn) => turn.id),
      ['t1', 't2'],
    );
    assert.equal(conversation.removeFrom('t9'), false);
    assert.equal(copy.length, 4, 'the copy does not share turns');
    assert.equal(conversation.addQuestion('Again').id, 't5', 'ids stay unique');
  });
});
