// Endpoint profiles as the user writes them in `streamChat.profiles` (src/core/profiles.ts).
import * as assert from 'node:assert/strict';
import { findProfile, isDefaultProfile, parseProfiles } from '../../src/core/profiles';

describe('endpoint profiles', () => {
  it('keeps the fields a profile may hold, checked; leaves out the rest', () => {
    const { profiles, problems } = parseProfiles([
      {
        name: ' Local vLLM ',
        baseUrl: 'http://localhost:8000/v1',
        model: 'qwen3',
        headers: { 'X-Team': 'a' },
        contextWindow: 32768,
        temperature: 0.2,
        maxTokens: 512,
        systemPrompt: 'Be brief.',
        apiKey: 'sk-never-here',
      },
      { name: 'Ollama', baseUrl: 'http://localhost:11434/v1', temperature: 7, contextWindow: -1, model: ' ' },
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual(profiles, [
      {
        name: 'Local vLLM',
        baseUrl: 'http://localhost:8000/v1',
        model: 'qwen3',
        headers: { 'X-Team': 'a' },
        contextWindow: 32768,
        temperature: 0.2,
        maxTokens: 512,
        systemPrompt: 'Be brief.',
      },
      { name: 'Ollama', baseUrl: 'http://localhost:11434/v1' },
    ]);
  });

  it('refuses entries that cannot be a profile, saying why; the others stay', () => {
    const { profiles, problems } = parseProfiles([
      'x',
      { baseUrl: 'http://a/v1' },
      { name: 'A', baseUrl: '' },
      { name: 'a/b', baseUrl: 'http://a/v1' },
      { name: 'default', baseUrl: 'http://a/v1' },
      { name: 'One', baseUrl: 'http://a/v1' },
      { name: 'ONE', baseUrl: 'http://b/v1' },
    ]);
    assert.deepEqual(
      profiles.map((profile) => profile.name),
      ['One'],
    );
    assert.deepEqual(problems, [
      'streamChat.profiles[0]: not an object',
      'streamChat.profiles[1]: has no name',
      'streamChat.profiles[2]: "A" has no baseUrl',
      'streamChat.profiles[3]: the name "a/b" contains "/"',
      'streamChat.profiles[4]: the name "default" is taken (names are compared ignoring case)',
      'streamChat.profiles[6]: the name "ONE" is taken (names are compared ignoring case)',
    ]);
    assert.deepEqual(parseProfiles({ name: 'x' }).problems, [
      'streamChat.profiles is not a list: no profiles are used',
    ]);
    assert.deepEqual(parseProfiles(undefined), { profiles: [], problems: [] });
  });

  it('finds a profile by name ignoring case; the Default profile is the plain settings', () => {
    const { profiles } = parseProfiles([{ name: 'Local', baseUrl: 'http://localhost:8000/v1' }]);
    assert.equal(findProfile(profiles, 'local')?.name, 'Local');
    assert.equal(findProfile(profiles, 'Gone'), undefined);
    for (const name of [undefined, '', ' ', 'Default', 'default']) {
      assert.equal(isDefaultProfile(name), true, String(name));
      assert.equal(findProfile(profiles, name), undefined);
    }
    assert.equal(isDefaultProfile('Local'), false);
  });
});
